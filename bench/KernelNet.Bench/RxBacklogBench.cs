using BenchmarkDotNet.Attributes;
using KernelNet.Kernel;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Machine;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Net.Core.dev_c;
using static KernelNet.Kernel.Net.Core.skbuff_c;

namespace KernelNet.Bench;

/// <summary>
/// Packets per second through the receive core: netif_rx from a hard IRQ,
/// the backlog NAPI in NET_RX, __netif_receive_skb to a protocol handler
/// that consumes. The baseline allocates and frees the same skbs without the
/// stack, so the ratio is the cost of the path itself; tracing on vs off
/// shows what a disabled tracepoint costs.
/// </summary>
[MemoryDiagnoser]
public class RxBacklogBench
{
    private const int Vector = 0x40;

    [Params(10_000)]
    public int Packets { get; set; }

    [Benchmark(Baseline = true)]
    public long AllocFreeOnly()
    {
        var (k, dev) = Boot();
        for (var i = 0; i < Packets; i++)
        {
            var skb = NewSkb(k, dev);
            consume_skb(skb);
        }

        return k.skb_ledger.Freed;
    }

    [Benchmark]
    public long NetifRxToProtocol() => RunBurst(trace: false);

    [Benchmark]
    public long NetifRxToProtocolTraced() => RunBurst(trace: true);

    private long RunBurst(bool trace)
    {
        var (k, dev) = Boot();
        if (trace)
        {
            k.trace.set_event("*:*");
        }

        dev_add_pack(k, new packet_type(0x0800, (skb, d, pt, orig) =>
        {
            consume_skb(skb);
            return 0;
        }));
        var n = Packets;
        interrupt_h.request_irq(k, Vector, (irq, _) =>
        {
            // One interrupt per batch of at most netdev_max_backlog packets.
            for (var i = 0; i < 1000 && n > 0; i++, n--)
            {
                netif_rx(NewSkb(k, dev));
            }

            if (n > 0)
            {
                k.machine.Interrupts.Raise(Vector, k.ktime_get_ns() + 1_000_000);
            }

            return irqreturn_t.IRQ_HANDLED;
        }, "bench", null);
        k.machine.Interrupts.Raise(Vector, 1_000);
        k.machine.Run();
        return k.skb_ledger.Freed;
    }

    private static (Vmlinux, net_device) Boot()
    {
        var k = KernelNet.Kernel.Boot.Start(new KernelNet.Machine.Machine(new Simulator(), 2));
        var dev = new net_device(k.init_net, "bench0", 1, 1) { tx_queue_len = 0 };
        register_netdevice(dev);
        netif_open(dev);
        return (k, dev);
    }

    private static sk_buff NewSkb(Vmlinux k, net_device dev)
    {
        var skb = __alloc_skb(k, 128, 0)!;
        skb_reserve(skb, 64);
        skb_put(skb, 60);
        skb.dev = dev;
        skb.protocol = 0x0800;
        return skb;
    }
}
