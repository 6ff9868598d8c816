using System;
using KernelNet.Kernel.Drivers.Net;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;

namespace KernelNet.Tests.Support;

/// <summary>A tun device opened by a simulated process, as `ip tuntap`-less programs open one.</summary>
public static class TunHost
{
    /// <summary>A tun0 opened with IFF_TUN | IFF_NO_PI, up as 10.1.0.1/24, tracing kfree_skb; returns the process that owns the tun fd.</summary>
    public static (SimTask Owner, net_device Dev, long Fd) PlainTun(Topology t, Host host)
    {
        long tunFd = 0;
        t.K.trace.set_event("skb:kfree_skb");
        var owner = t.Spawn(host, "owner", 0, async libc =>
        {
            tunFd = await libc.Open("/dev/net/tun", 2);
            var ifr = new byte[40];
            "tun0"u8.CopyTo(ifr);
            BitConverter.GetBytes((ushort)(tun_c.IFF_TUN | tun_c.IFF_NO_PI)).CopyTo(ifr, 16);
            await libc.Ioctl((int)tunFd, tun_c.TUNSETIFF, ifr);
        });
        t.Run(t.Sim.Now + 1_000_000);
        var dev = host.Device("tun0");
        t.Up(dev);
        t.AddAddress(dev, "10.1.0.1/24");
        return (owner, dev, tunFd);
    }
}
