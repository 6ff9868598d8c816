using System.Linq;
using System.Threading.Tasks;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Tests.Support;
using Xunit;
using static KernelNet.Kernel.Include.Linux.bottom_half_h;
using static KernelNet.Kernel.Kernel.softirq_c;
using static KernelNet.Kernel.Net.Core.dev_c;
using static KernelNet.Kernel.Net.Core.skbuff_c;

namespace KernelNet.Tests.Kernel;

public sealed class softirq_tests
{
    private static void DropIp(KernelRig rig) =>
        dev_add_pack(rig.K, new packet_type(KernelRig.TestEthertype, (skb, dev, pt, orig) =>
        {
            consume_skb(skb);
            return 0;
        }));

    // The flags column of a veth-style transmit on real 6.18 (/tmp recording of
    // UDP over veth): net_dev_queue/netif_rx with BH off "b....", the raise
    // under the backlog lock with irqs off "D..1.", and NET_RX run by
    // local_bh_enable in the sender's own context "..s1.".
    [Fact]
    public void softirq_raised_with_bh_disabled_runs_at_local_bh_enable_in_the_callers_context()
    {
        var rig = new KernelRig();
        var dev = rig.AddDevice("veth0");
        DropIp(rig);
        rig.K.trace.set_event("irq:*");
        rig.K.trace.set_event("net:netif_rx");
        rig.K.trace.set_event("net:netif_receive_skb");
        rig.Machine.CreateTask("sender", 1, _ =>
        {
            local_bh_disable(rig.K);
            __netif_rx(rig.NewSkb(dev, 60));
            local_bh_enable(rig.K);
            return Task.CompletedTask;
        });

        rig.Run();

        var lines = rig.K.trace.entries.Select(e => (e.Comm, e.Flags, e.Event)).ToList();
        Assert.Equal(
            new[]
            {
                ("sender", "b....", "netif_rx"),
                ("sender", "D..1.", "softirq_raise"),
                ("sender", "..s1.", "softirq_entry"),
                ("sender", "..s1.", "netif_receive_skb"),
                ("sender", "..s1.", "softirq_exit"),
            },
            lines);
        Assert.Equal(1, rig.K.per_cpu(1).softirqs[(int)softirq_nr.NET_RX_SOFTIRQ]);
        Assert.Equal(0, rig.K.skb_ledger.Live);
    }

    // demonstrates RX-6: raised from plain process context (not in an
    // interrupt, BH enabled), a softirq is handed to ksoftirqd.
    [Fact]
    public void raise_outside_interrupt_context_wakes_ksoftirqd_which_runs_it()
    {
        var rig = new KernelRig();
        var ran = 0;
        rig.K.softirq_vec[(int)softirq_nr.TASKLET_SOFTIRQ] = () => ran++;
        rig.K.trace.set_event("irq:softirq_entry");
        rig.Machine.CreateTask("raiser", 0, _ =>
        {
            raise_softirq(rig.K, softirq_nr.TASKLET_SOFTIRQ);
            return Task.CompletedTask;
        });

        rig.Run();

        Assert.Equal(1, ran);
        var entry = Assert.Single(rig.K.trace.entries);
        Assert.Equal("ksoftirqd/0", entry.Comm);
        Assert.Equal("..s..", entry.Flags);
    }

    // RX-4: interrupt handlers only raise; the softirq runs on irq_exit,
    // still on the interrupted (here idle) task, out of hard-IRQ context.
    [Fact]
    public void softirq_raised_in_a_hard_irq_runs_on_irq_exit_over_the_idle_task()
    {
        var rig = new KernelRig();
        var ran = 0;
        rig.K.softirq_vec[(int)softirq_nr.TASKLET_SOFTIRQ] = () => ran++;
        rig.K.trace.set_event("irq:*");
        interrupt_h.request_irq(rig.K, 0x41, (irq, d) =>
        {
            raise_softirq_irqoff(rig.K, softirq_nr.TASKLET_SOFTIRQ);
            return irqreturn_t.IRQ_HANDLED;
        }, "test", null);

        rig.Machine.Interrupts.Raise(0x41, 2_000_000);
        rig.Run();

        Assert.Equal(1, ran);
        var lines = rig.K.trace.entries.Select(e => $"{e.Comm} {e.Flags} {e.Event}").ToList();
        Assert.Equal(
            new[]
            {
                "<idle> d.h1. irq_handler_entry",
                "<idle> d.h1. softirq_raise",
                "<idle> d.h1. irq_handler_exit",
                "<idle> ..s1. softirq_entry",
                "<idle> ..s1. softirq_exit",
            },
            lines);
        Assert.Equal(1, rig.K.irq_descs[0x41].kstat_irqs[0]);
    }
}
