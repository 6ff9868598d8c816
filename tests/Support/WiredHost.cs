using KernelNet.Kernel.Drivers.Net.Ethernet.Intel.Igb;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Machine;
using KernelNet.Machine.Nic;
using KernelNet.Scenarios.Sim;

namespace KernelNet.Tests.Support;

/// <summary>One host with a single-queue igb on a tapped wire (10.0.0.2/24), for tests of what leaves a device.</summary>
public static class WiredHost
{
    public static (Topology T, Host H, net_device Dev) HostOnWire()
    {
        var t = new Topology();
        var h = t.AddHost("H");
        var nic = new Igb82576(t.Machine, t.NextMac());
        _ = new Cable(t.Machine, nic, new WireTap(t.Machine));
        var dev = igb_main_c.igb_probe(t.K, h.Net, nic, "eth0");
        t.Up(dev);
        t.AddAddress(dev, "10.0.0.2/24");
        t.SpreadIrqs(nic);
        ((ethtool_ops)dev.ethtool_ops!).set_channels(dev, 1);
        return (t, h, dev);
    }

    /// <summary>A task on <paramref name="h"/> that sends <paramref name="count"/> 64-byte broadcasts to 10.0.0.255:9.</summary>
    public static void SendBroadcasts(Topology t, Host h, int count) =>
        t.Spawn(h, "sender", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.SetSockOpt(fd, Libc.SOL_SOCKET, 6 /* SO_BROADCAST */, 1);
            for (var i = 0; i < count; i++)
            {
                await libc.SendTo(fd, new byte[64], 0, SockAddrIn.Parse("10.0.0.255:9"));
            }
        });
}
