using System.Linq;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using Xunit;
using static KernelNet.Kernel.Include.Linux.preempt_h;
using static KernelNet.Kernel.Kernel.Rcu.tree_c;

namespace KernelNet.Tests.Kernel.Rcu;

public sealed class tree_tests
{
    // call_rcu queues and returns: the callback runs only after every CPU has
    // passed a quiescent state, from RCU_SOFTIRQ on the CPU that queued it.
    [Fact]
    public void call_rcu_runs_the_callback_in_RCU_SOFTIRQ_after_a_grace_period_not_at_once()
    {
        var t = new Topology();
        var a = t.AddHost("A");
        long queuedAt = -1, ranAt = -1;
        var ranInSoftirq = false;
        var ranAtOnce = false;
        var head = new rcu_head(new object());
        var softirqsBefore = Enumerable.Range(0, t.K.nr_cpu_ids).Sum(c => t.K.per_cpu(c).softirqs[(int)softirq_nr.RCU_SOFTIRQ]);
        t.Spawn(a, "closer", 0, libc =>
        {
            queuedAt = t.K.ktime_get_ns();
            call_rcu(t.K, head, h =>
            {
                ranAt = t.K.ktime_get_ns();
                ranInSoftirq = in_serving_softirq(t.K);
            });
            ranAtOnce = ranAt >= 0;
            return System.Threading.Tasks.Task.CompletedTask;
        });

        t.Run(100_000_000);

        Assert.False(ranAtOnce);
        Assert.True(ranAt > queuedAt, $"callback ran at {ranAt}, queued at {queuedAt}");
        Assert.True(ranInSoftirq);

        // A grace period needs at least a tick to start it and another to end it: more than one jiffy.
        Assert.True(ranAt - queuedAt > 1_000_000_000L / KernelNet.Kernel.Vmlinux.HZ, $"grace period of {ranAt - queuedAt} ns");
        var softirqsAfter = Enumerable.Range(0, t.K.nr_cpu_ids).Sum(c => t.K.per_cpu(c).softirqs[(int)softirq_nr.RCU_SOFTIRQ]);
        Assert.True(softirqsAfter > softirqsBefore);
        Assert.False(rcu_gp_in_progress(t.K));
        Assert.False(rcu_needs_cpu(t.K));
    }

    // 6.18's UDP sockets are SOCK_RCU_FREE: close unhashes the socket, but
    // sk_destruct waits a grace period (call_rcu) and udp_destruct_common
    // frees the datagrams nobody read from RCU_SOFTIRQ, after close returned.
    [Fact]
    public void a_closed_udp_socket_frees_its_unread_datagrams_in_softirq_after_close_returned()
    {
        var t = new Topology();
        var a = t.AddHost("A");
        var b = t.AddHost("B");
        var (va, vb) = t.AddVeth(a, "veth0", b, "veth1");
        t.AddAddress(va, "10.0.0.1/24");
        t.AddAddress(vb, "10.0.0.2/24");
        t.K.trace.set_event("skb:kfree_skb");
        long closedAt = -1;
        var freedDuringClose = -1;
        t.Spawn(b, "rx", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000"));
            await libc.Sleep(50_000_000);
            var before = t.K.trace.entries.Count(e => e.Event == "kfree_skb");
            await libc.Close(fd);
            freedDuringClose = t.K.trace.entries.Count(e => e.Event == "kfree_skb") - before;
            closedAt = t.K.ktime_get_ns();
        });
        t.Spawn(a, "tx", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.SendTo(fd, new byte[] { 1 }, 0, SockAddrIn.Parse("10.0.0.2:9000"));
            await libc.SendTo(fd, new byte[] { 2 }, 0, SockAddrIn.Parse("10.0.0.2:9000"));
        });

        t.Run(200_000_000);

        var frees = t.K.trace.entries.Where(e => e.Event == "kfree_skb" && e.Text.Contains("udp_destruct_common", System.StringComparison.Ordinal)).ToList();
        Assert.Equal(0, freedDuringClose);
        Assert.Equal(2, frees.Count);
        Assert.All(frees, e => Assert.Equal('s', e.Flags[2]));
        Assert.All(frees, e => Assert.True(e.Timestamp > closedAt));
        Assert.Equal(0, t.K.leaked_skbs());
    }
}
