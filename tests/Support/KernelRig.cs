using KernelNet.Kernel;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Machine;
using static KernelNet.Kernel.Net.Core.skbuff_c;

namespace KernelNet.Tests.Support;

/// <summary>A booted kernel on a fresh machine, for unit tests of the core.</summary>
public sealed class KernelRig
{
    public KernelRig(int cpus = 2)
    {
        Sim = new Simulator();
        Machine = new global::KernelNet.Machine.Machine(Sim, cpus);
        K = Boot.Start(Machine);
    }

    /// <summary>IEEE 802 "local experimental" ethertype: no protocol of the port claims it.</summary>
    public const ushort TestEthertype = 0x88B5;

    public Simulator Sim { get; }

    public global::KernelNet.Machine.Machine Machine { get; }

    public Vmlinux K { get; }

    /// <summary>Runs until nothing is left to do or <paramref name="untilNs"/>.</summary>
    public void Run(long untilNs = 10_000_000_000) => Machine.Run(untilNs);

    /// <summary>A software net_device in init_net that is up and has no queue.</summary>
    public net_device AddDevice(string name, net? ns = null)
    {
        var dev = new net_device(ns ?? K.init_net, name, 1, 1) { tx_queue_len = 0 };
        KernelNet.Kernel.Net.Core.dev_c.register_netdevice(dev);
        KernelNet.Kernel.Net.Core.dev_c.netif_open(dev);
        return dev;
    }

    /// <summary>An skb with <paramref name="len"/> bytes of data, headroom reserved, on <paramref name="dev"/>.</summary>
    public sk_buff NewSkb(net_device dev, int len, ushort protocol = TestEthertype)
    {
        var skb = __alloc_skb(K, len + 64, 0)!;
        skbuff_h.skb_reserve(skb, 64);
        skb_put(skb, len);
        skb.dev = dev;
        skb.protocol = protocol;
        return skb;
    }
}
