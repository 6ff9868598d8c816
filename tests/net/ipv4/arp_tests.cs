using System;
using System.Buffers.Binary;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Net.Ipv4;
using KernelNet.Tests.Support;
using Xunit;

namespace KernelNet.Tests.Net.Ipv4;

/// <summary>net/ipv4/arp.c: what an ARP reply does to the entry it answers (arp_process).</summary>
public sealed class arp_tests
{
    private const long Ms = 1_000_000;

    private static readonly byte[] Mac1 = [0x02, 0, 0, 0, 0, 0x11];
    private static readonly byte[] Mac2 = [0x02, 0, 0, 0, 0, 0x22];

    /// <summary>An Ethernet frame with an ARP reply from 10.0.0.9 (<paramref name="sha"/>) to A's 10.0.0.1.</summary>
    private static byte[] Reply(byte[] dstMac, byte[] sha)
    {
        var f = new byte[14 + 28];
        dstMac.CopyTo(f, 0);
        sha.CopyTo(f, 6);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(12), 0x0806);
        var a = f.AsSpan(14);
        BinaryPrimitives.WriteUInt16BigEndian(a, 1);           // ar_hrd: Ethernet
        BinaryPrimitives.WriteUInt16BigEndian(a[2..], 0x0800); // ar_pro: IPv4
        a[4] = 6;
        a[5] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(a[6..], 2);      // ARPOP_REPLY
        sha.CopyTo(a[8..]);
        BinaryPrimitives.WriteUInt32BigEndian(a[14..], 0x0a000009);
        dstMac.CopyTo(a[18..]);
        BinaryPrimitives.WriteUInt32BigEndian(a[24..], 0x0a000001);
        return f;
    }

    /// <summary>A's entry for 10.0.0.9 after two replies 20 ms apart, the first with Mac1, the second with Mac2.</summary>
    private static byte[] AfterTwoReplies(int? locktime)
    {
        var hosts = TwoHosts.OnVeth();
        var (t, a, _, va, _) = hosts;
        if (locktime is { } lt)
        {
            inetdevice_h.__in_dev_get_rcu(va)!.arp_parms!.data[neighbour_h.NEIGH_VAR_LOCKTIME] = lt;
        }

        var arp_tbl = t.K.globals<arp_globals>().arp_tbl;
        var n = KernelNet.Kernel.Net.Core.neighbour_c.__neigh_create(arp_tbl, 0x0a000009, va, false);
        Inject.Frame(t, a, va, Reply(va.dev_addr, Mac1), at: 10 * Ms);
        Inject.Frame(t, a, va, Reply(va.dev_addr, Mac2), at: 30 * Ms);
        t.Run(t.Sim.Now + 100 * Ms);
        Assert.Equal(neighbour_h.NUD_REACHABLE, n.nud_state);
        return n.ha[..6];
    }

    // Of back-to-back replies the first wins (several proxies answering):
    // within net.ipv4.neigh.DEV.locktime (1 s) of the last update a reply
    // with another address does not override the entry.
    [Fact]
    public void a_second_reply_within_locktime_does_not_change_the_address()
    {
        Assert.Equal(Mac1, AfterTwoReplies(locktime: null));
    }

    // arp_process takes the window from the entry's parms (NEIGH_VAR
    // LOCKTIME), so a device whose locktime is 0 takes the later reply.
    [Fact]
    public void with_locktime_zero_the_later_reply_overrides()
    {
        Assert.Equal(Mac2, AfterTwoReplies(locktime: 0));
    }
}
