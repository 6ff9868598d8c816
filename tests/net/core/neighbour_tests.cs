using System;
using System.Linq;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Net.Ipv4;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using Xunit;

namespace KernelNet.Tests.Net.Core;

public sealed class neighbour_tests
{
    private static (Topology T, Host A, Host B) TwoHosts(bool bAnswers = true)
    {
        var t = new Topology();
        var a = t.AddHost("A");
        var b = t.AddHost("B");
        var (va, vb) = t.AddVeth(a, "veth0", b, "veth1");
        t.AddAddress(va, "10.0.0.1/24");
        if (bAnswers)
        {
            t.AddAddress(vb, "10.0.0.2/24");
        }

        return (t, a, b);
    }

    private static neighbour? Entry(Topology t, Host h, string dev, uint key) =>
        t.K.globals<arp_globals>().arp_tbl.nht.TryGetValue((h.Device(dev), key), out var n) ? n : null;

    // A miss sends an ARP request and queues the packet; the reply makes the
    // entry REACHABLE and releases the queued packet (the order of events).
    [Fact]
    public void first_packet_waits_in_arp_queue_until_the_reply_then_goes_out()
    {
        var (t, a, b) = TwoHosts();
        t.K.trace.set_event("neigh:*");
        t.K.trace.set_event("net:net_dev_queue");
        t.Spawn(a, "client", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.SendTo(fd, new byte[] { 1 }, 0, SockAddrIn.Parse("10.0.0.2:9"));
        });

        t.Run(100_000_000);

        var n = Entry(t, a, "veth0", 0x0a000002)!;
        Assert.Equal(neighbour_h.NUD_REACHABLE, n.nud_state);
        var events = t.K.trace.entries.Select(e => e.Event).ToList();
        var create = events.IndexOf("neigh_create");
        var arp = t.K.trace.entries.ToList().FindIndex(e => e.Event == "net_dev_queue" && e.Text.EndsWith("len=42", System.StringComparison.Ordinal));
        var reachable = t.K.trace.entries.ToList().FindIndex(e => e.Event == "neigh_update" && e.Text.Contains("new_state reachable", System.StringComparison.Ordinal));
        var data = t.K.trace.entries.ToList().FindIndex(e => e.Event == "net_dev_queue" && e.Text.Contains("dev=veth0", System.StringComparison.Ordinal) && !e.Text.EndsWith("len=42", System.StringComparison.Ordinal));
        // The datagram was sent by sendto before the request went out, and leaves only after the
        // reply made the entry reachable: it waited in arp_queue (over veth the reply comes back
        // within the same sendto, in the softirq run at local_bh_enable, so the queue is empty again
        // by the time sendto returns, as on Linux).
        Assert.True(create < arp && arp < reachable && reachable < data, $"create {create} < arp {arp} < reachable {reachable} < data {data}");
        Assert.Equal(0, n.arp_queue.qlen);
        Assert.Equal(0, t.K.leaked_skbs());
    }

    /// <summary>A frame A put on the wire, as B's end of the veth receives it.</summary>
    private sealed record Frame(ushort Proto, byte[] Dest, int ArpQueueAtArrival, int ArpOp);

    // demonstrates TX-4: the first datagram misses the cache — one ARP request
    // goes out while the datagram waits in the entry's arp_queue, and after
    // the reply it leaves addressed to the MAC the reply carried; the second
    // datagram hits the cache and goes straight out with that MAC, no request.
    [Fact]
    public void a_miss_sends_one_arp_request_and_queues_the_packet_and_a_hit_uses_the_cached_mac()
    {
        var (t, a, b) = TwoHosts();
        var va = a.Device("veth0");
        var vb = b.Device("veth1");
        var frames = new System.Collections.Generic.List<Frame>();
        KernelNet.Kernel.Net.Core.dev_c.dev_add_pack(t.K, new KernelNet.Kernel.Include.Linux.packet_type(KernelNet.Kernel.Include.Uapi.Linux.if_ether_h.ETH_P_ALL, (skb, dev, pt, orig) =>
        {
            if (skb.pkt_type != KernelNet.Kernel.Include.Linux.skbuff_h.PACKET_OUTGOING)
            {
                var mac = KernelNet.Kernel.Include.Linux.skbuff_h.skb_mac_header(skb);
                var arpOp = skb.protocol == KernelNet.Kernel.Include.Uapi.Linux.if_ether_h.ETH_P_ARP ? (skb.data_span[6] << 8) | skb.data_span[7] : 0;
                frames.Add(new Frame(skb.protocol, skb.head.AsSpan(mac, 6).ToArray(), Entry(t, a, "veth0", 0x0a000002)?.arp_queue.qlen ?? -1, arpOp));
            }

            KernelNet.Kernel.Net.Core.skbuff_c.consume_skb(skb);
            return 0;
        }) { dev = vb });
        t.Spawn(a, "client", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.SendTo(fd, new byte[] { 1 }, 0, SockAddrIn.Parse("10.0.0.2:9"));
            await libc.Sleep(1_000_000);
            await libc.SendTo(fd, new byte[] { 2 }, 0, SockAddrIn.Parse("10.0.0.2:9"));
        });

        t.Run(100_000_000);

        var arp = frames.Where(f => f.Proto == KernelNet.Kernel.Include.Uapi.Linux.if_ether_h.ETH_P_ARP).ToList();
        var ip = frames.Where(f => f.Proto == KernelNet.Kernel.Include.Uapi.Linux.if_ether_h.ETH_P_IP).ToList();

        // One request, broadcast, sent while the first datagram sat in arp_queue.
        var request = Assert.Single(arp);
        Assert.Equal(1, request.ArpOp);
        Assert.Equal(new byte[] { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, request.Dest);
        Assert.Equal(1, request.ArpQueueAtArrival);
        Assert.Equal(0, frames.IndexOf(request));

        // Both datagrams reach B addressed to B's MAC, the second without a request of its own.
        Assert.Equal(2, ip.Count);
        Assert.All(ip, f => Assert.Equal(vb.dev_addr, f.Dest));
        Assert.All(ip, f => Assert.Equal(0, f.ArpQueueAtArrival));
        var n = Entry(t, a, "veth0", 0x0a000002)!;
        Assert.Equal(vb.dev_addr, n.ha.AsSpan(0, 6).ToArray());
        Assert.NotEqual(va.dev_addr, vb.dev_addr);
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // A neighbour that never answers: three solicitations a second apart, then
    // FAILED; the queued packet is dropped NEIGH_FAILED and the kernel sends
    // itself an ICMP host unreachable. Host unreachable is not a "fatal" ICMP
    // error (icmp_err_convert), so only a socket with IP_RECVERR hears it.
    [Fact]
    public void unanswered_neighbour_fails_after_three_probes_and_reports_ehostunreach()
    {
        var (t, a, _) = TwoHosts(bAnswers: false);
        t.K.trace.set_event("skb:kfree_skb");
        t.K.trace.set_event("net:net_dev_queue");
        long err = 0;
        t.Spawn(a, "client", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.SetSockOpt(fd, 0 /* SOL_IP */, 11 /* IP_RECVERR */, 1);
            await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9"));
            await libc.SendTo(fd, new byte[] { 1 }, 0, null);
            var r = await libc.RecvFrom(fd, 10, 0);
            err = r.Ret;
        });

        t.Run(10_000_000_000);

        Assert.Equal(neighbour_h.NUD_FAILED, Entry(t, a, "veth0", 0x0a000002)!.nud_state);
        Assert.Equal(3, t.K.trace.entries.Count(e => e.Event == "net_dev_queue" && e.Text.Contains("dev=veth0", System.StringComparison.Ordinal) && e.Text.EndsWith("len=42", System.StringComparison.Ordinal)));
        Assert.Contains(t.K.trace.entries, e => e.Text.EndsWith("reason: NEIGH_FAILED", System.StringComparison.Ordinal));
        Assert.Equal(-KernelNet.Kernel.Include.Uapi.AsmGeneric.errno_h.EHOSTUNREACH, err);
        Assert.Equal(0, t.K.leaked_skbs());
    }

    private static int Sysctl(KernelNet.Kernel.Include.Net.net net, string path, ref string value, int write = 1) =>
        KernelNet.Kernel.Fs.Proc.proc_sysctl_c.proc_sys_call_handler(net, path, write, ref value);

    private static neigh_parms Parms(Host h, string dev) =>
        KernelNet.Kernel.Include.Linux.inetdevice_h.__in_dev_get_rcu(h.Device(dev))!.arp_parms!;

    // A device's parms start as a copy of arp_tbl's 6.18 defaults; writing
    // net.ipv4.neigh.DEV changes that device only, in jiffies (200 ms is 50
    // at HZ=250), and reads back in the file's unit.
    [Fact]
    public void a_device_neigh_sysctl_changes_that_device_only_and_converts_to_jiffies()
    {
        var (t, a, b) = TwoHosts();
        Assert.Equal(3, neighbour_h.NEIGH_VAR(Parms(a, "veth0"), neighbour_h.NEIGH_VAR_UCAST_PROBES));
        Assert.Equal(250, neighbour_h.NEIGH_VAR(Parms(a, "veth0"), neighbour_h.NEIGH_VAR_RETRANS_TIME));
        Assert.Equal(212992, neighbour_h.NEIGH_VAR(Parms(a, "veth0"), neighbour_h.NEIGH_VAR_QUEUE_LEN_BYTES));

        var v = "200";
        Assert.Equal(0, Sysctl(a.Net, "net/ipv4/neigh/veth0/retrans_time_ms", ref v));
        Assert.Equal(50, neighbour_h.NEIGH_VAR(Parms(a, "veth0"), neighbour_h.NEIGH_VAR_RETRANS_TIME));
        Assert.Equal(250, neighbour_h.NEIGH_VAR(Parms(b, "veth1"), neighbour_h.NEIGH_VAR_RETRANS_TIME));
        Assert.True(Parms(a, "veth0").data_state[neighbour_h.NEIGH_VAR_RETRANS_TIME]);

        var r = string.Empty;
        Assert.Equal(0, Sysctl(a.Net, "net/ipv4/neigh/veth0/retrans_time", ref r, write: 0));
        Assert.Equal("20\n", r);
        r = string.Empty;
        Assert.Equal(0, Sysctl(a.Net, "net/ipv4/neigh/veth0/unres_qlen", ref r, write: 0));
        Assert.Equal("101\n", r);
    }

    // proc_dointvec_minmax's bounds and parsing, and unres_qlen counted in
    // packets of SKB_TRUESIZE(ETH_FRAME_LEN) = 2090 bytes.
    [Fact]
    public void neigh_sysctl_writes_are_checked_and_unres_qlen_is_counted_in_full_frames()
    {
        var (t, a, _) = TwoHosts();
        var v = "-1";
        Assert.Equal(-KernelNet.Kernel.Include.Uapi.AsmGeneric.errno_base_h.EINVAL, Sysctl(a.Net, "net/ipv4/neigh/veth0/ucast_solicit", ref v));
        v = "many";
        Assert.Equal(-KernelNet.Kernel.Include.Uapi.AsmGeneric.errno_base_h.EINVAL, Sysctl(a.Net, "net/ipv4/neigh/veth0/mcast_solicit", ref v));
        Assert.Equal(3, neighbour_h.NEIGH_VAR(Parms(a, "veth0"), neighbour_h.NEIGH_VAR_MCAST_PROBES));
        v = "10";
        Assert.Equal(0, Sysctl(a.Net, "net/ipv4/neigh/veth0/unres_qlen", ref v));
        Assert.Equal(20900, neighbour_h.NEIGH_VAR(Parms(a, "veth0"), neighbour_h.NEIGH_VAR_QUEUE_LEN_BYTES));
    }

    // 6.18 registers net.ipv4.neigh.default once, at boot, in init_net
    // (arp_init): a namespace of its own has only its devices' directories.
    [Fact]
    public void net_ipv4_neigh_default_exists_only_in_the_initial_namespace()
    {
        var (t, a, _) = TwoHosts();
        var v = string.Empty;
        Assert.Equal(-KernelNet.Kernel.Include.Uapi.AsmGeneric.errno_base_h.ENOENT, Sysctl(a.Net, "net/ipv4/neigh/default/ucast_solicit", ref v, write: 0));
        Assert.Equal(0, Sysctl(t.K.init_net, "net/ipv4/neigh/default/ucast_solicit", ref v, write: 0));
        Assert.Equal("3\n", v);
        v = string.Empty;
        Assert.Equal(0, Sysctl(t.K.init_net, "net/ipv4/neigh/default/gc_thresh3", ref v, write: 0));
        Assert.Equal("1024\n", v);
    }

    // The neigh-failed mechanism with a device's own parms: one solicitation
    // each way and retrans_time_ms 200 make neigh_max_probes 2 — the request
    // sent at once counts one, the timer 200 ms later the second: FAILED.
    [Fact]
    public void one_solicit_each_way_and_a_200ms_retrans_time_give_up_after_one_request_200ms_later()
    {
        var (t, a, _) = TwoHosts(bAnswers: false);
        foreach (var (knob, value) in new[] { ("ucast_solicit", "1"), ("mcast_solicit", "1"), ("retrans_time_ms", "200") })
        {
            var v = value;
            Assert.Equal(0, Sysctl(a.Net, "net/ipv4/neigh/veth0/" + knob, ref v));
        }

        t.K.trace.set_event("skb:kfree_skb");
        t.K.trace.set_event("net:net_dev_queue");
        t.Spawn(a, "client", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.SendTo(fd, new byte[] { 1 }, 0, SockAddrIn.Parse("10.0.0.2:9"));
        });

        t.Run(2_000_000_000);

        var requests = t.K.trace.entries.Where(e => e.Event == "net_dev_queue" && e.Text.Contains("dev=veth0", System.StringComparison.Ordinal) && e.Text.EndsWith("len=42", System.StringComparison.Ordinal)).ToList();
        var failed = t.K.trace.entries.Single(e => e.Text.EndsWith("reason: NEIGH_FAILED", System.StringComparison.Ordinal));
        Assert.Single(requests);
        Assert.Equal(neighbour_h.NUD_FAILED, Entry(t, a, "veth0", 0x0a000002)!.nud_state);
        var gap = failed.Timestamp - requests[0].Timestamp;
        Assert.InRange(gap, 200_000_000L, 204_000_000L);
        Assert.Equal(0, t.K.leaked_skbs());
    }
}

