using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using KernelNet.Kernel.Drivers.Net.Ethernet.Intel.Igb;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Machine;
using KernelNet.Machine.Nic;
using KernelNet.Scenarios.Sim;
using Xunit;

namespace KernelNet.Tests.Support;

/// <summary>
/// The GRO tests' host: one igb NIC at 10.0.0.2 whose cable (100 Gb/s, so a burst is in the ring
/// before the first poll) ends at a test tap standing for the peer 10.0.0.1, a permanent neighbour.
/// </summary>
public static class GroHost
{
    public const uint Peer = 0x0a000001;
    public const uint HostIp = 0x0a000002;

    public static readonly byte[] PeerMac = { 2, 0xaa, 0, 0, 0, 1 };

    /// <summary>The host, with the GRO tracepoints (napi_gro_receive_entry/exit, netif_receive_skb) on.</summary>
    public static (Topology T, Host H, net_device Dev, WireTap Tap) HostOnWire()
    {
        var t = new Topology();
        var h = t.AddHost("H");
        var nic = new Igb82576(t.Machine, t.NextMac());
        var tap = new WireTap(t.Machine);
        _ = new Cable(t.Machine, nic, tap, 100_000_000_000, 1_000);
        var dev = igb_main_c.igb_probe(t.K, h.Net, nic, "eth0");
        t.Up(dev);
        t.AddAddress(dev, "10.0.0.2/24");
        t.SpreadIrqs(nic);

        // ip neigh add 10.0.0.1 lladdr PeerMac dev eth0 nud permanent: the host's answers go straight out.
        var neigh = KernelNet.Kernel.Net.Core.neighbour_c.__neigh_create(t.K.globals<KernelNet.Kernel.Net.Ipv4.arp_globals>().arp_tbl, Peer, dev, false);
        Assert.Equal(0, KernelNet.Kernel.Net.Core.neighbour_c.neigh_update(neigh, PeerMac, KernelNet.Kernel.Include.Net.neighbour_h.NUD_PERMANENT,
            KernelNet.Kernel.Include.Net.neighbour_h.NEIGH_UPDATE_F_OVERRIDE | KernelNet.Kernel.Include.Net.neighbour_h.NEIGH_UPDATE_F_ADMIN, 0));
        foreach (var e in new[] { "net:napi_gro_receive_entry", "net:napi_gro_receive_exit", "net:netif_receive_skb" })
        {
            t.K.trace.set_event(e);
        }

        return (t, h, dev, tap);
    }

    /// <summary>
    /// A datagram of another flow sent ahead of a burst: its interrupt starts the interrupt
    /// throttling interval, so the burst behind it is all in the ring when the next poll runs.
    /// </summary>
    public static byte[] WarmUp(net_device dev) =>
        Frames.Udp(dev.dev_addr, PeerMac, Peer, HostIp, 4000, 7, new byte[18], 1);

    /// <summary>The lengths of the skbs netif_receive_skb saw on <paramref name="dev"/>, in order, the warm-up datagram left out.</summary>
    public static List<int> Delivered(Topology t, net_device dev) =>
        t.K.trace.entries
            .Where(e => e.Event == "netif_receive_skb" && e.Text.StartsWith($"dev={dev.name} ", StringComparison.Ordinal))
            .Select(e => int.Parse(e.Text[(e.Text.LastIndexOf("len=", StringComparison.Ordinal) + 4)..], CultureInfo.InvariantCulture))
            .Where(len => len != 20 + 8 + 18)
            .ToList();
}
