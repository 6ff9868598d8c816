using System;
using System.Buffers.Binary;
using System.Linq;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.Linux;
using KernelNet.Kernel.Net.Ipv4;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using KernelNet.Tests.Support;
using Xunit;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Net.Core.skbuff_c;

namespace KernelNet.Tests.Net.Ipv4;

/// <summary>demonstrates TX-11 (and TX-3: fragmentation happens in __ip_finish_output, above the MTU only).</summary>
public sealed class ip_fragment_tests
{
    private static long Ip(Host h, ipstats_mib_field f) => netns_ipv4.of(h.Net).mib.ip_statistics[(int)f];

    [Theory]
    // RFC 791: fragments carry at most MTU - 20 data bytes, a multiple of 8 except the last.
    [InlineData(1500u, 4000, 3)]  // 4008 bytes of UDP: 1480 + 1480 + 1048
    [InlineData(576u, 4000, 8)]   // 556 -> 552 per fragment: 7 * 552 + 144
    [InlineData(1500u, 1000, 0)]  // fits: not fragmented
    public void udp_datagram_above_the_mtu_is_fragmented_and_reassembled(uint mtu, int size, int fragments)
    {
        var hosts = TwoHosts.OnVeth(mtu);
        var (t, a, b, _, _) = hosts;
        t.K.trace.set_event("net:net_dev_queue");
        var payload = Enumerable.Range(0, size).Select(i => (byte)(i * 7)).ToArray();
        byte[]? got = null;

        hosts.ReceiveOnceOnB(65536, r => got = r.Data);
        hosts.SendOnceFromA(payload, sent: ret => Assert.Equal(size, ret));

        t.Run(2_000_000_000);

        Assert.Equal(payload, got);
        var ipFrames = t.K.trace.entries.Count(e => e.Event == "net_dev_queue" && e.Text.Contains("dev=veth0", System.StringComparison.Ordinal) && !e.Text.EndsWith("len=42", System.StringComparison.Ordinal));
        Assert.Equal(fragments == 0 ? 1 : fragments, ipFrames);
        Assert.Equal(fragments == 0 ? 0 : 1, Ip(a, ipstats_mib_field.IPSTATS_MIB_FRAGOKS));
        Assert.Equal(fragments, Ip(a, ipstats_mib_field.IPSTATS_MIB_FRAGCREATES));
        Assert.Equal(fragments, Ip(b, ipstats_mib_field.IPSTATS_MIB_REASMREQDS));
        Assert.Equal(fragments == 0 ? 0 : 1, Ip(b, ipstats_mib_field.IPSTATS_MIB_REASMOKS));
        Assert.Equal(0, Ip(b, ipstats_mib_field.IPSTATS_MIB_REASMFAILS));
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // A fragment whose siblings never come: after ipfrag_time (30 s) the queue
    // is dropped, ReasmFails and ReasmTimeout count, and the sender gets ICMP
    // time exceeded (fragment reassembly) because the first fragment was there.
    [Fact]
    public void lone_first_fragment_times_out_after_ipfrag_time()
    {
        var (t, _, b, va, vb) = TwoHosts.OnVeth();
        t.K.trace.set_event("skb:kfree_skb");
        // First fragment only (MF set, offset 0) of a UDP datagram 10.0.0.1 -> 10.0.0.2.
        var frame = Support.Frames.Udp(vb.dev_addr, va.dev_addr, 0x0a000001, 0x0a000002, 1000, 9000, new byte[64], id: 77);
        frame[14 + 6] = 0x20; // MF, offset 0 (DF cleared)
        frame[14 + 7] = 0x00;
        frame[14 + 10] = 0;
        frame[14 + 11] = 0;
        var c = KernelNet.Kernel.Include.Net.checksum_h.ip_fast_csum(frame.AsSpan(14), 5);
        frame[14 + 10] = (byte)(c >> 8);
        frame[14 + 11] = (byte)c;
        Support.Inject.Frame(t, b, vb, frame);

        t.Run(40_000_000_000);

        Assert.Equal(1, Ip(b, ipstats_mib_field.IPSTATS_MIB_REASMREQDS));
        Assert.Equal(1, Ip(b, ipstats_mib_field.IPSTATS_MIB_REASMFAILS));
        Assert.Equal(1, Ip(b, ipstats_mib_field.IPSTATS_MIB_REASMTIMEOUT));
        Assert.Equal(1, netns_ipv4.of(b.Net).mib.icmpmsg_statistics[0x100 | 11]); // OutType11
        Assert.Equal(0, t.K.leaked_skbs());
    }
    private const int Payload = 3000;

    /// <summary>
    /// A 3000-byte UDP datagram 10.0.0.1:1000 -> 10.0.0.2:9000 (an Ethernet
    /// frame) cut as a 1500-byte MTU cuts it: IP packets of 1480, 1480 and 48
    /// payload bytes, each with its own header (MF on all but the last).
    /// </summary>
    private static (byte[] Frame, byte[][] Fragments) Datagram(byte[] dst_mac, byte[] src_mac)
    {
        var frame = Frames.Udp(dst_mac, src_mac, 0x0a000001, 0x0a000002, 1000, 9000, DatagramPayload(), id: 99);
        var ip = frame.AsSpan(14);
        var body = ip[20..].ToArray();
        var frags = new byte[3][];
        for (int k = 0, off = 0; k < 3; k++, off += 1480)
        {
            var len = Math.Min(1480, body.Length - off);
            var f = new byte[14 + 20 + len];
            frame.AsSpan(0, 34).CopyTo(f);
            body.AsSpan(off, len).CopyTo(f.AsSpan(34));
            var h = f.AsSpan(14, 20);
            BinaryPrimitives.WriteUInt16BigEndian(h[2..], (ushort)(20 + len));
            BinaryPrimitives.WriteUInt16BigEndian(h[6..], (ushort)((off >> 3) | (k < 2 ? MoreFragments : 0)));
            h[10] = 0;
            h[11] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(h[10..], checksum_h.ip_fast_csum(h, 5));
            frags[k] = f;
        }

        return (frame, frags);
    }

    private const ushort MoreFragments = 0x2000;

    private static byte[] DatagramPayload() => Enumerable.Range(0, Payload).Select(i => (byte)(i * 7)).ToArray();

    // inet_frag_reasm_prepare/_finish: the fragment that completes the queue
    // is the datagram. When it is not the first fragment, a clone takes its
    // place in the queue, it is morphed into the first fragment (whose skb is
    // consumed there), and every other fragment is chained on its frag_list
    // as it is — the same skbs, not copies. Arrival orders are given as the
    // fragments' indexes.
    [Theory]
    [InlineData(0, 1, 2)]
    [InlineData(2, 0, 1)]
    [InlineData(0, 2, 1)]
    [InlineData(1, 2, 0)]
    public void the_fragment_completing_the_queue_becomes_the_datagram_with_the_others_on_its_frag_list(int first, int second, int last)
    {
        var rig = new KernelRig();
        var dev = rig.AddDevice("veth1");
        var net = dev.nd_net;
        rig.K.trace.set_event("skb:consume_skb");
        var (frame, frames) = Datagram(new byte[6], new byte[6]);
        var f = frames.Select(fr => Received(rig, dev, fr)).ToArray();
        var data = f.Select(skb => skb.head).ToArray();

        Assert.Equal(-KernelNet.Kernel.Include.Uapi.AsmGeneric.errno_h.EINPROGRESS, ip_fragment_c.ip_defrag(net, f[first], ip_fragment_c.IP_DEFRAG_LOCAL_DELIVER));
        Assert.Equal(-KernelNet.Kernel.Include.Uapi.AsmGeneric.errno_h.EINPROGRESS, ip_fragment_c.ip_defrag(net, f[second], ip_fragment_c.IP_DEFRAG_LOCAL_DELIVER));
        Assert.Equal(0, ip_fragment_c.ip_defrag(net, f[last], ip_fragment_c.IP_DEFRAG_LOCAL_DELIVER));

        var skb = f[last];
        Assert.Equal(20 + 8 + Payload, skb.len);
        Assert.Equal(1480 + 48, skb.data_len);
        Assert.Same(data[0], skb.head); // the first fragment's data, in the completing skb
        var chain = new[] { skb.shinfo.frag_list!, skb.shinfo.frag_list!.next! };
        Assert.Null(chain[1].next);
        Assert.Equal(new[] { 1480, 48 }, chain.Select(c => c.len));
        if (last == 0)
        {
            // The first fragment completed it: nothing to morph, nothing consumed.
            Assert.Same(f[1], chain[0]);
            Assert.Same(f[2], chain[1]);
            Assert.Empty(rig.K.trace.entries);
        }
        else
        {
            Assert.True(f[0].freed);
            var e = Assert.Single(rig.K.trace.entries);
            Assert.Equal($"skbaddr={f[0].addr:x16} location=inet_frag_reasm_prepare+0x0/0x0", e.Text);

            // The other fragment is chained as it is; the completing one's place
            // is taken by a clone of it, sharing its data.
            var other = 3 - last;
            var fp = chain[last - 1];
            Assert.Same(f[other], chain[other - 1]);
            Assert.DoesNotContain(fp, f);
            Assert.Same(data[last], fp.head);
            Assert.False(fp.freed);
        }

        // The IP header speaks for the whole datagram; the bytes follow it in order.
        var ip = new byte[skb.len];
        Assert.Equal(0, skb_copy_bits(skb, 0, ip, skb.len));
        Assert.Equal(20 + 8 + Payload, BinaryPrimitives.ReadUInt16BigEndian(ip.AsSpan(2)));
        Assert.Equal(0, BinaryPrimitives.ReadUInt16BigEndian(ip.AsSpan(6)));
        Assert.Equal(0, checksum_h.ip_fast_csum(ip, 5));
        Assert.Equal(frame.AsSpan(34).ToArray(), ip.AsSpan(20).ToArray());
        Assert.Equal(1, netns_ipv4.of(net).mib.ip_statistics[(int)ipstats_mib_field.IPSTATS_MIB_REASMOKS]);
        Assert.Equal(0, netns_ipv4.of(net).fqdir!.mem); // the queue and its fragments' truesize, all given back
        Assert.Empty(netns_ipv4.of(net).fqdir!.rhashtable);

        // What UDP's reader does at the end: the NAPI cache free, fragments consumed.
        rig.K.trace.clear();
        __napi_kfree_skb(skb, skb_drop_reason.SKB_CONSUMED);
        Assert.Equal(chain.Select(c => $"skbaddr={c.addr:x16} location=skb_release_data+0x0/0x0"), rig.K.trace.entries.Select(e => e.Text));
        Assert.Equal(0, rig.K.skb_ledger.Live);
    }

    /// <summary>An Ethernet frame's IP packet as ip_local_deliver gets it: data and network header at the IP header.</summary>
    private static sk_buff Received(KernelRig rig, net_device dev, byte[] frame)
    {
        var skb = rig.NewSkb(dev, frame.Length - 14, 0x0800);
        frame.AsSpan(14).CopyTo(skb.head.AsSpan(skb.data));
        skb_reset_network_header(skb);
        return skb;
    }

    // As of 6.18.26 (inet_frag_queue_flush): a queue that times out after its
    // namespace began to go away (fqdir_pre_exit marked the fqdir dead) gives
    // its fragments back at once, dropped FRAG_REASM_TIMEOUT, with no
    // ReasmFails/ReasmTimeout and no ICMP error; 6.18.2 left them queued.
    [Fact]
    public void a_queue_expiring_in_a_dying_namespace_flushes_its_fragments_uncounted()
    {
        var rig = new KernelRig();
        var dev = rig.AddDevice("veth1");
        var net = dev.nd_net;
        var mib = netns_ipv4.of(net).mib.ip_statistics;
        var (_, frames) = Datagram(new byte[6], new byte[6]);
        Assert.Equal(-KernelNet.Kernel.Include.Uapi.AsmGeneric.errno_h.EINPROGRESS, ip_fragment_c.ip_defrag(net, Received(rig, dev, frames[0]), ip_fragment_c.IP_DEFRAG_LOCAL_DELIVER));
        var fqdir = netns_ipv4.of(net).fqdir!;
        var queued = fqdir.mem;
        fqdir.dead = true;
        rig.K.trace.set_event("skb:kfree_skb");

        rig.Run(40_000_000_000);

        var drop = Assert.Single(rig.K.trace.entries);
        Assert.EndsWith("location=inet_frag_rbtree_purge+0x0/0x0 reason: FRAG_REASM_TIMEOUT", drop.Text, StringComparison.Ordinal);
        Assert.Equal(0, rig.K.skb_ledger.Live);
        Assert.True(fqdir.mem < queued); // the fragment's truesize given back; the queue itself waits for the teardown
        Assert.Equal(0, mib[(int)ipstats_mib_field.IPSTATS_MIB_REASMFAILS]);
        Assert.Equal(0, mib[(int)ipstats_mib_field.IPSTATS_MIB_REASMTIMEOUT]);
        Assert.Equal(0, netns_ipv4.of(net).mib.icmpmsg_statistics[0x100 | 11]);
    }

    // inet_frag_queue_insert: a fragment wholly inside what the queue has is
    // a duplicate (dropped, the queue kept); one that overlaps part of it
    // kills the queue (RFC 5722): ReasmOverlaps and ReasmFails, the queued
    // fragments consumed by inet_frag_destroy, the newcomer dropped.
    [Fact]
    public void a_duplicate_fragment_is_dropped_and_an_overlapping_one_kills_the_queue()
    {
        var rig = new KernelRig();
        var dev = rig.AddDevice("veth1");
        var net = dev.nd_net;
        var mib = netns_ipv4.of(net).mib.ip_statistics;
        rig.K.trace.set_event("skb:*");
        var (_, frames) = Datagram(new byte[6], new byte[6]);

        Assert.Equal(-KernelNet.Kernel.Include.Uapi.AsmGeneric.errno_h.EINPROGRESS, ip_fragment_c.ip_defrag(net, Received(rig, dev, frames[0]), ip_fragment_c.IP_DEFRAG_LOCAL_DELIVER));
        var dup = Received(rig, dev, frames[0]);
        Assert.Equal(-KernelNet.Kernel.Include.Uapi.AsmGeneric.errno_base_h.EINVAL, ip_fragment_c.ip_defrag(net, dup, ip_fragment_c.IP_DEFRAG_LOCAL_DELIVER));
        Assert.EndsWith("location=ip_frag_queue+0x0/0x0 reason: DUP_FRAG", rig.K.trace.entries[^1].Text, StringComparison.Ordinal);
        Assert.Single(netns_ipv4.of(net).fqdir!.rhashtable);

        // The second fragment moved 8 bytes back: it overlaps the first's tail.
        var overlap = (byte[])frames[1].Clone();
        BinaryPrimitives.WriteUInt16BigEndian(overlap.AsSpan(14 + 6), (ushort)(((1480 - 8) >> 3) | MoreFragments));
        overlap[14 + 10] = 0;
        overlap[14 + 11] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(overlap.AsSpan(14 + 10), checksum_h.ip_fast_csum(overlap.AsSpan(14), 5));
        rig.K.trace.clear();
        Assert.Equal(-KernelNet.Kernel.Include.Uapi.AsmGeneric.errno_base_h.EINVAL, ip_fragment_c.ip_defrag(net, Received(rig, dev, overlap), ip_fragment_c.IP_DEFRAG_LOCAL_DELIVER));

        Assert.Equal(
            new[] { "kfree_skb ip_frag_queue NOT_SPECIFIED", "consume_skb inet_frag_rbtree_purge" },
            rig.K.trace.entries.Select(e => $"{e.Event} {e.Text[(e.Text.IndexOf("location=", StringComparison.Ordinal) + 9)..].Replace("+0x0/0x0", "", StringComparison.Ordinal).Replace(" reason:", "", StringComparison.Ordinal)}"));
        Assert.Equal(1, mib[(int)ipstats_mib_field.IPSTATS_MIB_REASM_OVERLAPS]);
        Assert.Equal(1, mib[(int)ipstats_mib_field.IPSTATS_MIB_REASMFAILS]);
        Assert.Empty(netns_ipv4.of(net).fqdir!.rhashtable);
        Assert.Equal(0, netns_ipv4.of(net).fqdir!.mem);
        Assert.Equal(0, rig.K.skb_ledger.Live);
    }

    // The recording of udp-fragmentation on 6.18: the first fragment's skb is
    // consumed in softirq by inet_frag_reasm_prepare; the two skbs on the
    // datagram's frag_list are consumed when the reader's recvmsg frees the
    // datagram (skb_consume_udp, in its own context), at skb_release_data;
    // the datagram's skb itself goes back to the NAPI cache untraced.
    [Theory]
    [InlineData(0, 1, 2)]
    [InlineData(2, 0, 1)]
    [InlineData(1, 2, 0)]
    public void fragments_are_freed_when_the_reader_frees_the_datagram_in_its_context(int first, int second, int last)
    {
        var (t, a, b, va, vb) = TwoHosts.OnVeth();
        t.K.trace.set_event("skb:consume_skb");
        t.K.trace.set_event("skb:kfree_skb");
        var (_, frames) = Datagram(vb.dev_addr, va.dev_addr);
        byte[]? got = null;

        t.Spawn(b, "server", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000"));
            got = (await libc.RecvFrom(fd, 65536, 0)).Data;
        });
        // Jiffies apart (HZ 250): sleeps ending in one tick wake together.
        Inject.Frame(t, b, vb, frames[first], at: 10_000_000);
        Inject.Frame(t, b, vb, frames[second], at: 20_000_000);
        Inject.Frame(t, b, vb, frames[last], at: 30_000_000);

        t.Run(2_000_000_000);

        Assert.Equal(DatagramPayload(), got);
        var frees = t.K.trace.entries.Where(e => e.Event is "consume_skb" or "kfree_skb").ToArray();
        var prepare = frees.Where(e => e.Text.EndsWith("location=inet_frag_reasm_prepare+0x0/0x0", StringComparison.Ordinal)).ToArray();
        Assert.Equal(last == 0 ? 0 : 1, prepare.Length);
        Assert.All(prepare, e => Assert.Equal('s', e.Flags[2]));
        var at_read = frees.Where(e => e.Text.EndsWith("location=skb_release_data+0x0/0x0", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, at_read.Length);
        Assert.All(at_read, e =>
        {
            Assert.Equal("consume_skb", e.Event);
            Assert.Equal("server", e.Comm);
            Assert.NotEqual('s', e.Flags[2]);
        });
        Assert.Equal(prepare.Length + at_read.Length, frees.Length);
        Assert.Equal(1, Ip(b, ipstats_mib_field.IPSTATS_MIB_REASMOKS));
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // A reassembled datagram for a closed port: the ICMP error quotes its
    // header and first bytes (skb_copy_bits, a negative offset into the
    // head), and the datagram is dropped NO_SOCKET — its frag_list going
    // with it through __kfree_skb, as NOT_SPECIFIED drops at
    // skb_release_data, as on 6.18.
    [Fact]
    public void a_reassembled_datagram_for_a_closed_port_is_quoted_and_dropped_with_its_fragments()
    {
        var (t, a, b, va, vb) = TwoHosts.OnVeth();
        t.K.trace.set_event("skb:kfree_skb");
        var (_, frames) = Datagram(vb.dev_addr, va.dev_addr);
        Inject.Frame(t, b, vb, frames[0], at: 10_000_000);
        Inject.Frame(t, b, vb, frames[1], at: 20_000_000);
        Inject.Frame(t, b, vb, frames[2], at: 30_000_000);

        t.Run(2_000_000_000);

        Assert.Equal(1, netns_ipv4.of(b.Net).mib.icmpmsg_statistics[0x100 | 3]); // OutType3
        Assert.Equal(1, netns_ipv4.of(a.Net).mib.icmpmsg_statistics[3]);         // InType3: the quote parsed
        var drops = t.K.trace.entries.Where(e => e.Comm == "inject").Select(e => e.Text[(e.Text.IndexOf("location=", StringComparison.Ordinal))..]).ToArray();
        Assert.Equal(
            new[]
            {
                "location=__udp4_lib_rcv+0x0/0x0 reason: NO_SOCKET",
                "location=skb_release_data+0x0/0x0 reason: NOT_SPECIFIED",
                "location=skb_release_data+0x0/0x0 reason: NOT_SPECIFIED",
            },
            drops);
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // __ip_append_data builds the datagram as fragment-sized skbs on a
    // frag_list, and ip_do_fragment's fast path sends those very skbs: the
    // first fragment on the wire is the datagram's own skb and nothing is
    // copied or freed on the way out.
    [Fact]
    public void the_sender_sends_its_frag_list_skbs_as_the_fragments_without_copying()
    {
        var (t, a, b, va, vb) = TwoHosts.OnVeth();
        t.K.trace.set_event("net:net_dev_queue");
        t.K.trace.set_event("skb:consume_skb");
        var payload = DatagramPayload();
        byte[]? got = null;

        t.Spawn(b, "server", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000"));
            got = (await libc.RecvFrom(fd, 65536, 0)).Data;
        });
        t.Spawn(a, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            Assert.Equal(Payload, await libc.SendTo(fd, payload, 0, SockAddrIn.Parse("10.0.0.2:9000")));
        });

        t.Run(2_000_000_000);

        Assert.Equal(payload, got);
        var sent = t.K.trace.entries.Where(e => e.Event == "net_dev_queue" && e.Text.Contains("dev=veth0", StringComparison.Ordinal) && !e.Text.EndsWith("len=42", StringComparison.Ordinal)).Select(e => e.Text).ToArray();
        Assert.Equal(new[] { "len=1514", "len=1514", "len=82" }, sent.Select(x => x[x.LastIndexOf("len=", StringComparison.Ordinal)..]));
        Assert.DoesNotContain(t.K.trace.entries, e => e.Comm == "client" && e.Event == "consume_skb" && e.Text.Contains("ip_do_fragment", StringComparison.Ordinal));
        Assert.Equal(0, t.K.leaked_skbs());
    }
}
