using KernelNet.Kernel.Include.Linux;
using KernelNet.Scenarios.Sim;
using static KernelNet.Kernel.Net.Core.dev_c;
using static KernelNet.Kernel.Net.Core.skbuff_c;
using static KernelNet.Kernel.Net.Ethernet.eth_c;

namespace KernelNet.Tests.Support;

/// <summary>Hands raw frames to a device's receive path, as a driver would (netif_rx from a task).</summary>
public static class Inject
{
    public static void Frame(Topology t, Host host, net_device dev, byte[] frame, long at = 1_000_000)
    {
        t.Spawn(host, "inject", 0, async libc =>
        {
            await libc.Sleep(at);
            var skb = __alloc_skb(t.K, frame.Length + 64, 0)!;
            skbuff_h.skb_reserve(skb, 64);
            var off = skb_put(skb, frame.Length);
            frame.CopyTo(skb.head, off);
            skb.protocol = eth_type_trans(skb, dev);
            netif_rx(skb);
        });
    }
}
