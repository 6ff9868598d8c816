using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Net.Ipv4;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using KernelNet.Tests.Support;
using Xunit;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Net.Core.skbuff_c;
using static KernelNet.Tests.Support.ProcNet;

namespace KernelNet.Tests.Net.Ipv4;

/// <summary>
/// TCP's send path (tcp_sendmsg, tcp_write_xmit, tcp_transmit_skb) and its
/// reliability (tcp_ack, the retransmit queue, the RTO), against a scripted
/// peer on B (tests/Support/TcpPeer: B's stack drops TCP, a task on B reads
/// A's segments off the wire and writes the peer's ACKs back as frames).
/// </summary>
public sealed class tcp_output_tests
{
    private const int TCP_NODELAY = KernelNet.Kernel.Include.Uapi.Linux.tcp_h.TCP_NODELAY;
    private const int TCP_CORK = KernelNet.Kernel.Include.Uapi.Linux.tcp_h.TCP_CORK;
    private const int MSG_MORE = socket_h.MSG_MORE;
    private const int MSG_EOR = socket_h.MSG_EOR;
    private const int TCP_NOTSENT_LOWAT = KernelNet.Kernel.Include.Uapi.Linux.tcp_h.TCP_NOTSENT_LOWAT;

    /// <summary>What a connected client on A did: its sock and the values it noted.</summary>
    private sealed class Client
    {
        public sock? Sk { get; set; }

        public long Connect { get; set; } = 1;

        public Dictionary<string, long> Notes { get; } = new();

        public tcp_sock Tp => KernelNet.Kernel.Include.Linux.tcp_h.tcp_sk(Sk!);
    }

    /// <summary>
    /// A binds 10.0.0.1:7000 and connects to the scripted peer at
    /// 10.0.0.2:9000, then runs <paramref name="script"/> with its descriptor.
    /// </summary>
    private static (TwoHosts Net, TcpPeer Peer, Client C) Run(Func<Libc, int, Client, Task> script, Func<TcpPeer, TcpSegment, Task>? onSegment = null, long runNs = 3_000_000_000, bool timestamps = false, Action<TwoHosts>? setup = null, int ignoreSyns = 0, ushort window = 65535, string? congestion = null)
    {
        var net = TwoHosts.OnVeth();
        setup?.Invoke(net);
        var peer = TcpPeer.Start(net, onSegment ?? ((_, _) => Task.CompletedTask), runNs, timestamps, ignoreSyns);
        peer.Window = window;
        var c = new Client();
        SimTask? task = null;
        task = net.T.Spawn(net.A, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.1:7000")));
            if (congestion is not null)
            {
                Assert.Equal(0, await libc.SetSockOpt(fd, Libc.IPPROTO_TCP, Libc.TCP_CONGESTION, System.Text.Encoding.ASCII.GetBytes(congestion)));
            }

            c.Connect = await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9000"));
            c.Sk = ((socket)net.T.K.task_of(task!).files[fd]).sk;
            await script(libc, fd, c);
        });
        net.T.Run(runNs);
        Assert.Equal(0, c.Connect);
        return (net, peer, c);
    }

    /// <summary>
    /// `ethtool -K vethA tso off`: TCP still builds GSO skbs (sk_setup_caps always grants it GSO), but the
    /// device layer cuts them into MSS segments (software GSO), so a peer that ACKs every wire segment
    /// drives cwnd one segment at a time as over a NIC without TSO.
    /// </summary>
    private static void NoTso(TwoHosts n) => n.VethA.features &= ~netdev_features_h.NETIF_F_ALL_TSO;

    /// <summary>A peer that ACKs each data segment 1 ms after it arrives.</summary>
    private static Task AckDataAfterAMillisecond(TcpPeer peer, TcpSegment seg)
    {
        if (seg.PayloadLength > 0)
        {
            peer.AckAfter(1_000_000, seg.EndSeq);
        }

        return Task.CompletedTask;
    }

    private static byte[] Bytes(int n, byte fill = (byte)'x') => Enumerable.Repeat(fill, n).ToArray();

    private static List<TcpSegment> Data(TcpPeer peer) => peer.Seen.Where(s => s.PayloadLength > 0).ToList();

    // TX-1: send enters the socket layer; tcp_sendmsg allocates an skb (tcp_stream_alloc_skb) and copies the
    // user's bytes into it (copy 1): the skb queued for the connection holds exactly those bytes, and its
    // truesize — what sk_wmem_queued charges — is the header area's plus each byte copied.
    [Fact]
    public void send_copies_the_user_bytes_into_a_new_skb_charged_to_the_socket()
    {
        sk_buff? queued = null;
        var (net, peer, c) = Run(async (libc, fd, c) =>
        {
            c.Sk!.sk_net.k.trace.set_event("tcp:tcp_sendmsg_locked");
            c.Notes["sent"] = await libc.SendTo(fd, "hello"u8.ToArray(), 0, null);
            queued = c.Tp.tcp_rtx_queue.first;
            c.Notes["queued"] = c.Sk!.sk_wmem_queued;
            c.Notes["rtx"] = c.Tp.tcp_rtx_queue.qlen;
        }, runNs: 150_000_000);

        Assert.Equal(5, c.Notes["sent"]);
        Assert.NotNull(queued);
        Assert.Equal("tcp_stream_alloc_skb", queued!.alloc_site);
        Assert.Equal(1, c.Notes["rtx"]);
        // the head is headroom only: the bytes sit in one page frag, at the start of the task's 32 KiB frag page
        Assert.Equal(0, skb_headlen(queued));
        Assert.Equal(1, queued.shinfo.nr_frags);
        Assert.Equal(5, skb_frag_size(queued.shinfo.frags[0]));
        Assert.Equal(32768, queued.shinfo.frags[0].netmem!.mem.Length);
        var bytes = new byte[5];
        Assert.Equal(0, skb_copy_bits(queued, 0, bytes, 5));
        Assert.Equal("hello"u8.ToArray(), bytes);
        Assert.Equal(peer.ClientIsn + 1, TCP(queued).seq);
        Assert.Equal(peer.ClientIsn + 6, TCP(queued).end_seq);
        // the header-only head 6.18 allocates comes from skbuff_small_head (576 bytes: SKB_TRUESIZE(256) = 832), the data as frags
        Assert.Equal(832 + 5, (int)queued.truesize);
        Assert.Equal((long)queued.truesize, c.Notes["queued"]);

        // tcp:tcp_sendmsg_locked saw one turn of the copy loop: no tail skb yet, 5 bytes to copy, and (veth
        // offers TSO) a GSO size goal: the whole MSS segments in half the peer's 65535 window, 22 x 1460
        var turns = net.T.K.trace.entries.Where(e => e.Event == "tcp_sendmsg_locked").Select(e => e.Text).ToList();
        Assert.Equal(new[] { "skb_addr 0000000000000000 skb_len 0 msg_left 5 size_goal 32120" }, turns);

        // and the bytes are what went on the wire, in one PSH|ACK segment
        var data = Data(peer);
        Assert.Single(data);
        Assert.Equal("hello"u8.ToArray(), data[0].Payload);
        Assert.Equal(0x18, data[0].Flags);
        Assert.Equal(peer.ClientIsn + 1, data[0].Seq);
    }

    private static tcp_skb_cb TCP(sk_buff skb) => KernelNet.Kernel.Include.Net.tcp_h.TCP_SKB_CB(skb);

    // TX-2: tcp_transmit_skb sends a clone (copy 2: a new descriptor, the data shared); the original stays
    // on the retransmit queue until acked. Seen from a tap on A's veth0 while the segment leaves: the
    // frame's skb is another sk_buff over the very same data buffer as the queued original, which is cloned.
    [Fact]
    public void the_segment_sent_is_a_clone_sharing_the_data_while_the_original_stays_queued()
    {
        var seenWhileSending = new List<(bool Distinct, bool SharesData, bool OrigCloned)>();
        sk_buff? original = null;
        sk_buff? afterSend = null;
        Client? client = null;
        var (_, _, c) = Run(
            async (libc, fd, c) =>
            {
                client = c;
                await libc.SendTo(fd, Bytes(100), 0, null);
                afterSend = c.Tp.tcp_rtx_queue.first;
            },
            setup: n => KernelNet.Kernel.Net.Core.dev_c.dev_add_pack(n.T.K, new packet_type(KernelNet.Kernel.Include.Uapi.Linux.if_ether_h.ETH_P_ALL, (skb, dev, pt, orig) =>
            {
                var sk = client?.Sk;
                if (sk is not null && skb.len > 14 + 40 && sk.sk_write_queue.first is { } head)
                {
                    original = head;
                    seenWhileSending.Add((!ReferenceEquals(head, skb), ReferenceEquals(head.head, skb.head), skbuff_h.skb_cloned(head)));
                }

                KernelNet.Kernel.Net.Core.skbuff_c.consume_skb(skb);
                return 0;
            }) { dev = n.VethA }),
            runNs: 150_000_000);

        Assert.Single(seenWhileSending);
        Assert.Equal((true, true, true), seenWhileSending[0]);
        Assert.Same(original, afterSend);
        Assert.Equal(1u, c.Tp.packets_out);
    }

    // TX-9: when the ACK arrives, tcp_clean_rtx_queue frees the original: the retransmit queue is empty,
    // nothing is in flight, the send buffer charge is returned and the RTO timer stopped. The free is
    // tcp_wmem_free_skb's __kfree_skb, which neither consume_skb nor kfree_skb traces.
    [Fact]
    public void the_ACK_frees_the_original_from_the_retransmit_queue_without_a_free_tracepoint()
    {
        sk_buff? original = null;
        var (net, _, c) = Run(
            async (libc, fd, c) =>
            {
                c.Sk!.sk_net.k.trace.set_event("skb:consume_skb");
                c.Sk!.sk_net.k.trace.set_event("skb:kfree_skb");
                await libc.SendTo(fd, Bytes(100), 0, null);
                original = c.Tp.tcp_rtx_queue.first;
                c.Notes["pending_before"] = KernelNet.Kernel.Include.Net.inet_connection_sock_h.inet_csk(c.Sk!).icsk_pending;
                await libc.Sleep(50_000_000);
                c.Notes["rtx"] = c.Tp.tcp_rtx_queue.qlen;
                c.Notes["packets_out"] = c.Tp.packets_out;
                c.Notes["queued"] = c.Sk!.sk_wmem_queued;
                c.Notes["pending_after"] = KernelNet.Kernel.Include.Net.inet_connection_sock_h.inet_csk(c.Sk!).icsk_pending;
            },
            (peer, seg) =>
            {
                if (seg.PayloadLength > 0)
                {
                    peer.AckAfter(10_000_000, seg.EndSeq);
                }

                return Task.CompletedTask;
            });

        Assert.NotNull(original);
        Assert.Equal(KernelNet.Kernel.Include.Net.inet_connection_sock_h.ICSK_TIME_RETRANS, c.Notes["pending_before"]);
        Assert.True(original!.freed);
        Assert.Equal(0, c.Notes["rtx"]);
        Assert.Equal(0, c.Notes["packets_out"]);
        Assert.Equal(0, c.Notes["queued"]);
        Assert.Equal(0, c.Notes["pending_after"]);
        var addr = original.addr.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
        Assert.DoesNotContain(net.T.K.trace.entries, e => e.Text.Contains("skbaddr=" + addr, StringComparison.Ordinal));
        Assert.Equal("1", Netstat(net.A, "TcpExt", "TCPOrigDataSent"));
    }

    // Nagle (RFC 896, Minshall's variant): a second small write waits while the first small segment is
    // unacknowledged, and goes when its ACK arrives.
    [Fact]
    public void nagle_holds_a_second_small_write_until_the_first_is_acked()
    {
        var (_, peer, _) = Run(
            async (libc, fd, c) =>
            {
                await libc.SendTo(fd, Bytes(100, (byte)'a'), 0, null);
                await libc.SendTo(fd, Bytes(100, (byte)'b'), 0, null);
            },
            (peer, seg) =>
            {
                if (seg.PayloadLength > 0)
                {
                    peer.AckAfter(20_000_000, seg.EndSeq);
                }

                return Task.CompletedTask;
            },
            runNs: 150_000_000);

        var data = Data(peer);
        Assert.Equal(2, data.Count);
        Assert.Equal(Bytes(100, (byte)'a'), data[0].Payload);
        Assert.Equal(Bytes(100, (byte)'b'), data[1].Payload);
        Assert.True(data[1].AtNs - data[0].AtNs >= 20_000_000, $"second segment {data[1].AtNs - data[0].AtNs} ns after the first");
    }

    // TCP_NODELAY: no Nagle — the second small write goes at once, without waiting for the ACK.
    [Fact]
    public void TCP_NODELAY_sends_the_second_small_write_at_once()
    {
        var (_, peer, _) = Run(
            async (libc, fd, c) =>
            {
                Assert.Equal(0, await libc.SetSockOpt(fd, Libc.IPPROTO_TCP, TCP_NODELAY, 1));
                await libc.SendTo(fd, Bytes(100, (byte)'a'), 0, null);
                await libc.SendTo(fd, Bytes(100, (byte)'b'), 0, null);
            },
            (peer, seg) =>
            {
                if (seg.PayloadLength > 0)
                {
                    peer.AckAfter(20_000_000, seg.EndSeq);
                }

                return Task.CompletedTask;
            },
            runNs: 150_000_000);

        var data = Data(peer);
        Assert.Equal(2, data.Count);
        Assert.True(data[1].AtNs - data[0].AtNs < 1_000_000, $"second segment {data[1].AtNs - data[0].AtNs} ns after the first");
    }

    // TCP_CORK: partial segments wait however long; uncorking pushes what was written as one segment.
    [Fact]
    public void TCP_CORK_holds_partial_writes_and_uncork_pushes_them_together()
    {
        var (_, peer, c) = Run(async (libc, fd, c) =>
        {
            Assert.Equal(0, await libc.SetSockOpt(fd, Libc.IPPROTO_TCP, TCP_CORK, 1));
            await libc.SendTo(fd, Bytes(100, (byte)'a'), 0, null);
            await libc.SendTo(fd, Bytes(100, (byte)'b'), 0, null);
            await libc.Sleep(100_000_000);
            c.Notes["uncork_at"] = c.Sk!.sk_net.k.ktime_get_ns();
            Assert.Equal(0, await libc.SetSockOpt(fd, Libc.IPPROTO_TCP, TCP_CORK, 0));
        }, runNs: 150_000_000);

        var data = Data(peer);
        Assert.Single(data);
        Assert.True(data[0].AtNs >= c.Notes["uncork_at"]);
        Assert.Equal(Bytes(100, (byte)'a').Concat(Bytes(100, (byte)'b')).ToArray(), data[0].Payload);
        Assert.True(data[0].Psh);
    }

    // MSG_MORE corks one write: it is held until a write without MSG_MORE, which goes out with it.
    [Fact]
    public void MSG_MORE_holds_the_write_until_one_without_it()
    {
        var (_, peer, c) = Run(async (libc, fd, c) =>
        {
            Assert.Equal(0, await libc.SetSockOpt(fd, Libc.IPPROTO_TCP, TCP_NODELAY, 1));
            await libc.SendTo(fd, Bytes(40, (byte)'a'), MSG_MORE, null);
            await libc.Sleep(100_000_000);
            c.Notes["second_at"] = c.Sk!.sk_net.k.ktime_get_ns();
            await libc.SendTo(fd, Bytes(5, (byte)'b'), 0, null);
        }, runNs: 150_000_000);

        var data = Data(peer);
        Assert.Single(data);
        Assert.Equal(45, data[0].PayloadLength);
        Assert.True(data[0].AtNs >= c.Notes["second_at"]);
    }

    // MSG_EOR ends a record: a later write is never appended to the record's skb. With a small segment
    // in flight Nagle holds the writes; the EOR skb, no longer last, is pushed alone while the next write
    // waits for the ACK (the idea of tcp_eor_no-coalesce-small.pkt).
    [Fact]
    public void MSG_EOR_keeps_a_later_write_out_of_the_records_skb()
    {
        var skbs = new List<int>();
        var (_, peer, _) = Run(
            async (libc, fd, c) =>
            {
                await libc.SendTo(fd, Bytes(100, (byte)'x'), 0, null);
                await libc.SendTo(fd, Bytes(400, (byte)'a'), MSG_EOR, null);
                await libc.SendTo(fd, Bytes(400, (byte)'b'), 0, null);
                for (var skb = c.Tp.tcp_rtx_queue.first; skb is not null; skb = skb.next)
                {
                    skbs.Add((int)skb.len);
                }

                for (var skb = c.Sk!.sk_write_queue.first; skb is not null; skb = skb.next)
                {
                    skbs.Add((int)skb.len);
                }
            },
            (peer, seg) =>
            {
                if (seg.PayloadLength > 0)
                {
                    peer.AckAfter(20_000_000, seg.EndSeq);
                }

                return Task.CompletedTask;
            },
            runNs: 150_000_000);

        Assert.Equal(new[] { 100, 400, 400 }, skbs);
        var data = Data(peer);
        Assert.Equal(new[] { 100, 400, 400 }, data.Select(s => s.PayloadLength));
        Assert.Equal(Bytes(400, (byte)'a'), data[1].Payload);
        Assert.True(data[1].AtNs - data[0].AtNs < 1_000_000);
        Assert.True(data[2].AtNs - data[0].AtNs >= 20_000_000);
    }

    // Without MSG_EOR the same writes share the tail skb: one 800-byte segment once the first is acked.
    [Fact]
    public void without_MSG_EOR_a_later_write_is_appended_to_the_tail_skb()
    {
        var skbs = new List<int>();
        var (_, peer, _) = Run(
            async (libc, fd, c) =>
            {
                await libc.SendTo(fd, Bytes(100, (byte)'x'), 0, null);
                await libc.SendTo(fd, Bytes(400, (byte)'a'), 0, null);
                await libc.SendTo(fd, Bytes(400, (byte)'b'), 0, null);
                for (var skb = c.Sk!.sk_write_queue.first; skb is not null; skb = skb.next)
                {
                    skbs.Add((int)skb.len);
                }
            },
            (peer, seg) =>
            {
                if (seg.PayloadLength > 0)
                {
                    peer.AckAfter(20_000_000, seg.EndSeq);
                }

                return Task.CompletedTask;
            },
            runNs: 150_000_000);

        Assert.Equal(new[] { 800 }, skbs);
        Assert.Equal(new[] { 100, 800 }, Data(peer).Select(s => s.PayloadLength));
    }

    // A write larger than the send buffer blocks in sk_stream_wait_memory once sk_wmem_queued reaches
    // sk_sndbuf (SO_SNDBUF doubled), and the ACK that frees the queued skbs wakes it. The check comes only
    // when a new skb is needed: over veth (TSO) one skb takes up to the GSO size goal (about half the
    // peer's window), so the write must be larger than that to block, as on 6.18.
    [Fact]
    public void a_blocking_write_sleeps_on_a_full_send_buffer_and_the_ACK_wakes_it()
    {
        var (_, peer, c) = Run(
            async (libc, fd, c) =>
            {
                Assert.Equal(0, await libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_SNDBUF, 4096));
                c.Notes["sndbuf"] = c.Sk!.sk_sndbuf;
                c.Notes["start"] = c.Sk!.sk_net.k.ktime_get_ns();
                c.Notes["written"] = await libc.SendTo(fd, Bytes(200_000), 0, null);
                c.Notes["end"] = c.Sk!.sk_net.k.ktime_get_ns();
            },
            (peer, seg) =>
            {
                // no ACK before 50 ms after the first segment: the writer must be asleep by then
                if (seg.PayloadLength > 0)
                {
                    var first = peer.Seen.First(s => s.PayloadLength > 0).AtNs;
                    peer.AckAfter(Math.Max(first + 50_000_000 - seg.AtNs, 1_000_000), seg.EndSeq);
                }

                return Task.CompletedTask;
            });

        Assert.Equal(8192, c.Notes["sndbuf"]);
        Assert.Equal(200_000, c.Notes["written"]);
        Assert.True(c.Notes["end"] - c.Notes["start"] >= 50_000_000, $"write returned after {c.Notes["end"] - c.Notes["start"]} ns");
        Assert.Equal(200_000, Data(peer).Sum(s => s.PayloadLength));
        var first = Data(peer).First();
        var beforeAck = Data(peer).Where(s => s.AtNs < first.AtNs + 50_000_000).Sum(s => s.PayloadLength);
        Assert.True(beforeAck < 200_000 && beforeAck > 0, $"{beforeAck} bytes went before the first ACK");
    }

    // Non-blocking, a full send buffer makes send fail with EAGAIN once nothing could be queued.
    [Fact]
    public void a_nonblocking_write_to_a_full_send_buffer_fails_with_EAGAIN()
    {
        var (_, _, c) = Run(async (libc, fd, c) =>
        {
            Assert.Equal(0, await libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_SNDBUF, 4096));
            c.Notes["first"] = await libc.SendTo(fd, Bytes(200_000), Libc.MSG_DONTWAIT, null);
            c.Notes["second"] = await libc.SendTo(fd, Bytes(100), Libc.MSG_DONTWAIT, null);
        }, runNs: 150_000_000);

        Assert.InRange(c.Notes["first"], 1, 199_999);
        Assert.Equal(-Libc.EAGAIN, c.Notes["second"]);
    }

    // A NULL user buffer: the copy faults and, nothing having been copied, send returns EFAULT (no skb is left behind).
    [Fact]
    public void a_write_from_a_NULL_buffer_fails_with_EFAULT()
    {
        var (_, peer, c) = Run(async (libc, fd, c) =>
        {
            // sendto(fd, NULL, 10, 0): the syscall layer hands the protocol a msghdr over an unmapped user pointer
            var sock = (socket)c.Sk!.sk_socket!;
            c.Notes["ret"] = await KernelNet.Kernel.Net.socket_c.sock_sendmsg(sock, new msghdr { iov_base = null, iov_len = 10 });
            c.Notes["queue"] = c.Sk!.sk_write_queue.qlen;
            c.Notes["queued"] = c.Sk!.sk_wmem_queued;
        }, runNs: 150_000_000);

        Assert.Equal(-KernelNet.Kernel.Include.Uapi.AsmGeneric.errno_base_h.EFAULT, c.Notes["ret"]);
        Assert.Equal(0, c.Notes["queue"]);
        Assert.Equal(0, c.Notes["queued"]);
        Assert.Empty(Data(peer));
    }

    // Slow start: every ACKed segment adds one to cwnd — IW10 goes out first, and the ten ACKs
    // (one per segment) let twenty out.
    [Fact]
    public void slow_start_grows_cwnd_by_one_per_acked_segment()
    {
        var (_, peer, c) = Run(
            async (libc, fd, c) =>
            {
                c.Notes["cwnd0"] = c.Tp.snd_cwnd;
                await libc.SendTo(fd, Bytes(60 * 1460), 0, null);
            },
            (peer, seg) =>
            {
                if (seg.PayloadLength > 0 && peer.Seen.Count(s => s.PayloadLength > 0) <= 10)
                {
                    peer.AckAfter(10_000_000, seg.EndSeq);
                }

                return Task.CompletedTask;
            },
            runNs: 150_000_000,
            setup: NoTso);

        var data = Data(peer);
        Assert.Equal(10, c.Notes["cwnd0"]);
        var first = data[0].AtNs;
        Assert.Equal(10, data.Count(s => s.AtNs < first + 10_000_000));
        Assert.All(data, s => Assert.Equal(1460, s.PayloadLength));

        // each of the ten ACKs opens two: the acked segment's place and one more
        Assert.Equal(30, data.Count);
        Assert.Equal(data.Select(s => s.Seq).Distinct().Count(), data.Count);
        Assert.Equal(20u, c.Tp.snd_cwnd);
    }

    // __tcp_transmit_skb: a positive verdict from below IP (a qdisc that dropped the segment, NET_XMIT_DROP) is
    // local congestion — the socket enters CWR at once (tcp_enter_cwr: ssthresh from the congestion control,
    // undo_marker cleared), long before any loss is detected, and the segment stays queued for the RTO.
    [Fact]
    public void a_qdisc_drop_of_a_sent_segment_enters_CWR_with_a_reduced_ssthresh()
    {
        TwoHosts? n = null;
        var (_, peer, c) = Run(
            async (libc, fd, c) =>
            {
                c.Notes["ca_state0"] = KernelNet.Kernel.Include.Net.inet_connection_sock_h.inet_csk(c.Sk!).icsk_ca_state;
                c.Notes["cwnd0"] = c.Tp.snd_cwnd;

                // tc qdisc replace dev veth0 root pfifo limit 0: every packet leaving A is dropped at the qdisc
                var dev = n!.VethA;
                var q = KernelNet.Kernel.Net.Sched.sch_api_c.qdisc_create(dev, dev._txq[0], KernelNet.Kernel.Net.Sched.sch_api_c.qdisc_lookup_ops("pfifo")!, new KernelNet.Kernel.Include.Uapi.Linux.tc_fifo_qopt { limit = 0 }, out var err)!;
                Assert.Equal(0, err);
                Assert.Equal(0, KernelNet.Kernel.Net.Sched.sch_api_c.qdisc_graft(dev, null, q, dev.qdisc));

                c.Notes["ret"] = await libc.SendTo(fd, Bytes(1000), 0, null);
                c.Notes["ca_state"] = KernelNet.Kernel.Include.Net.inet_connection_sock_h.inet_csk(c.Sk!).icsk_ca_state;
                c.Notes["ssthresh"] = c.Tp.snd_ssthresh;
                c.Notes["drops"] = (long)q.drops;
                c.Notes["write_queue"] = c.Sk!.sk_write_queue.qlen;
            },
            runNs: 100_000_000,
            setup: x => n = x);

        Assert.Equal(1000, c.Notes["ret"]);
        Assert.Equal(KernelNet.Kernel.Include.Net.tcp_h.TCP_CA_Open, c.Notes["ca_state0"]);
        Assert.Equal(1, c.Notes["drops"]);
        Assert.Equal(KernelNet.Kernel.Include.Net.tcp_h.TCP_CA_CWR, c.Notes["ca_state"]);

        // CUBIC's ssthresh: cwnd * beta (717/1024), so IW10 gives 7
        Assert.Equal(10, c.Notes["cwnd0"]);
        Assert.Equal(7, c.Notes["ssthresh"]);
        Assert.Equal(1, c.Notes["write_queue"]);
        Assert.Empty(Data(peer));
    }

    // 6.18-stable: an ACK of data never sent (SEG.ACK > SND.NXT) is dropped and answered with a challenge ACK (RFC 5961 5.2).
    [Fact]
    public void an_ACK_above_SND_NXT_is_answered_with_a_challenge_ACK()
    {
        var done = false;
        var (net, peer, c) = Run(
            async (libc, fd, c) =>
            {
                await libc.SendTo(fd, Bytes(100), 0, null);
                await libc.Sleep(50_000_000);
                c.Notes["snd_una"] = c.Tp.snd_una;
            },
            async (peer, seg) =>
            {
                if (seg.PayloadLength > 0 && !done)
                {
                    done = true;
                    await peer.AckBytes(5000);
                }
            },
            runNs: 150_000_000);

        var after = peer.Seen.Where(s => s.PayloadLength == 0 && s.AtNs > Data(peer)[0].AtNs).ToList();
        Assert.Single(after);
        Assert.Equal(TcpPeer.Isn + 1, after[0].Ack);
        Assert.Equal(peer.ClientIsn + 101, after[0].Seq);
        Assert.Equal(peer.ClientIsn + 1, (uint)c.Notes["snd_una"]);
        Assert.Equal("1", Netstat(net.A, "TcpExt", "TCPChallengeACK"));
    }

    // RFC 6298 5.4-5.5: when the RTO fires the oldest unacked segment is sent again and the RTO doubles
    // (exponential backoff); each retransmission counts in TCPTimeouts and RetransSegs and is traced by
    // tcp:tcp_retransmit_skb. The RTO put the connection in the Loss state: cwnd restarts from one
    // segment, ssthresh is CUBIC's 0.7 x the cwnd of the loss.
    // The socket selects cubic (TCP_CONGESTION) before connect; the machine's default, bbr, keeps ssthresh infinite.
    [Fact]
    public void an_unacked_segment_is_retransmitted_at_the_RTO_with_exponential_backoff()
    {
        var (net, peer, c) = Run(
            async (libc, fd, c) =>
            {
                c.Sk!.sk_net.k.trace.set_event("tcp:tcp_retransmit_skb");
                await libc.SendTo(fd, Bytes(100), 0, null);
                c.Notes["rto"] = KernelNet.Kernel.Include.Net.inet_connection_sock_h.inet_csk(c.Sk!).icsk_rto;
                await libc.Sleep(2_500_000_000);
                c.Notes["ca_state_held"] = KernelNet.Kernel.Include.Net.inet_connection_sock_h.inet_csk(c.Sk!).icsk_ca_state;
                await libc.SendTo(fd, Bytes(100), 0, null);
                await libc.Sleep(100_000_000);
                c.Notes["ca_state"] = KernelNet.Kernel.Include.Net.inet_connection_sock_h.inet_csk(c.Sk!).icsk_ca_state;
                c.Notes["cwnd"] = c.Tp.snd_cwnd;
                c.Notes["ssthresh"] = c.Tp.snd_ssthresh;
                c.Notes["backoff"] = KernelNet.Kernel.Include.Net.inet_connection_sock_h.inet_csk(c.Sk!).icsk_backoff;
            },
            (peer, seg) =>
            {
                // the fourth transmission (third retransmission) is acked, and later the next segment
                if (seg.PayloadLength > 0 && peer.Seen.Count(s => s.PayloadLength > 0) >= 4)
                {
                    peer.AckAfter(1_000_000, seg.EndSeq);
                }

                return Task.CompletedTask;
            },
            congestion: "cubic");

        var data = Data(peer);
        Assert.Equal(5, data.Count);
        Assert.Equal(data[0].Seq + 100, data[4].Seq);
        data.RemoveAt(4);
        Assert.All(data, s => Assert.Equal(data[0].Seq, s.Seq));
        var rtoNs = c.Notes["rto"] * 1_000_000_000L / KernelNet.Kernel.Vmlinux.HZ;
        Assert.InRange(rtoNs, 200_000_000, 220_000_000);
        for (var i = 1; i < data.Count; i++)
        {
            var gap = data[i].AtNs - data[i - 1].AtNs;
            var expected = rtoNs << (i - 1);
            Assert.True(gap >= expected && gap <= expected + (expected / 8) + 8_000_000, $"retransmission {i}: {gap} ns after the previous, RTO {expected} ns");
        }

        Assert.Equal("3", Netstat(net.A, "TcpExt", "TCPTimeouts"));
        Assert.Equal("3", Snmp(net.A, "Tcp", "RetransSegs"));
        var traced = net.T.K.trace.entries.Where(e => e.Event == "tcp_retransmit_skb").ToList();
        Assert.Equal(3, traced.Count);
        Assert.All(traced, e => Assert.EndsWith("sport=7000 dport=9000 saddr=10.0.0.1 daddr=10.0.0.2 saddrv6=::ffff:10.0.0.1 daddrv6=::ffff:10.0.0.2 state=TCP_ESTABLISHED err=0", e.Text, StringComparison.Ordinal));

        // without SACK the Loss state holds until data above high_seq is acked (RFC 2582), then ends
        Assert.Equal(KernelNet.Kernel.Include.Net.tcp_h.TCP_CA_Loss, c.Notes["ca_state_held"]);
        Assert.Equal(KernelNet.Kernel.Include.Net.tcp_h.TCP_CA_Open, c.Notes["ca_state"]);
        Assert.Equal(7, c.Notes["ssthresh"]);
        Assert.Equal(2, c.Notes["cwnd"]);
        Assert.Equal(0, c.Notes["backoff"]);
    }

    // tcp_write_timeout: after tcp_retries2's worth of backed-off time without an ACK the connection is
    // given up — ETIMEDOUT, CLOSE, TCPAbortOnTimeout; the next send reports the error.
    [Fact]
    public void a_connection_without_ACKs_times_out_with_ETIMEDOUT_after_tcp_retries2()
    {
        var (net, peer, c) = Run(
            async (libc, fd, c) =>
            {
                await libc.SendTo(fd, Bytes(100), 0, null);
                await libc.Sleep(7_500_000_000);
                c.Notes["state"] = c.Sk!.sk_state;
                c.Notes["send"] = await libc.SendTo(fd, Bytes(10), 0, null);
            },
            runNs: 8_000_000_000,
            setup: n => KernelNet.Kernel.Include.Net.Netns.netns_ipv4.of(n.A.Net).sysctl_tcp_retries2 = 3);

        // 100 bytes sent, then retransmitted at +1, +3, +7, +15 RTOs; 3 s (retries2 = 3 from TCP_RTO_MIN) after the first retransmission it is over
        Assert.Equal(5, Data(peer).Count);
        Assert.Equal(KernelNet.Kernel.Include.Net.sock_h.TCP_CLOSE, c.Notes["state"]);
        Assert.Equal(-KernelNet.Kernel.Include.Uapi.AsmGeneric.errno_h.ETIMEDOUT, c.Notes["send"]);
        Assert.Equal("1", Netstat(net.A, "TcpExt", "TCPAbortOnTimeout"));
        Assert.Equal("5", Netstat(net.A, "TcpExt", "TCPTimeouts"));
        Assert.Equal("4", Snmp(net.A, "Tcp", "RetransSegs"));
    }

    // A lost SYN is sent again when the initial RTO (1 s) fires: TCPSynRetrans and RetransSegs count it,
    // and the connection then completes.
    [Fact]
    public void a_lost_SYN_is_retransmitted_after_the_initial_RTO()
    {
        var (net, peer, c) = Run(
            (libc, fd, c) =>
            {
                c.Notes["connected_at"] = c.Sk!.sk_net.k.ktime_get_ns();
                return Task.CompletedTask;
            },
            runNs: 1_500_000_000,
            ignoreSyns: 1);

        var syns = peer.Seen.Where(s => s.Syn).ToList();
        Assert.Equal(2, syns.Count);
        Assert.Equal(syns[0].Seq, syns[1].Seq);
        Assert.InRange(syns[1].AtNs - syns[0].AtNs, 1_000_000_000, 1_040_000_000);
        Assert.True(c.Notes["connected_at"] >= syns[1].AtNs);
        Assert.Equal("1", Netstat(net.A, "TcpExt", "TCPSynRetrans"));
        Assert.Equal("1", Snmp(net.A, "Tcp", "RetransSegs"));
        Assert.Equal(10u, c.Tp.snd_cwnd);
    }

    // tcp_snd_wnd_test: no more than the peer's window is in flight; the ACK that opens the window sends
    // the rest at once (tcp_ack -> tcp_data_snd_check -> tcp_push_pending_frames).
    [Fact]
    public void the_peers_window_limits_what_is_sent_and_its_update_sends_the_rest()
    {
        var (_, peer, _) = Run(
            async (libc, fd, c) =>
            {
                await libc.SendTo(fd, Bytes(4 * 1460), 0, null);
            },
            (peer, seg) =>
            {
                if (seg.PayloadLength > 0 && seg.EndSeq == peer.ClientIsn + 1 + (2 * 1460))
                {
                    peer.AckAfter(10_000_000, seg.EndSeq, window: 65535);
                }

                return Task.CompletedTask;
            },
            runNs: 150_000_000,
            setup: null,
            window: 2 * 1460);

        // half the 2920-byte window bounds the size goal: four skbs of one MSS each; once the window opens,
        // tcp_write_xmit grows the third with the fourth's page frags (tcp_grow_skb) and sends both as one
        // TSO skb of two segments
        var data = Data(peer);
        var first = data[0].AtNs;
        Assert.Equal(new[] { 1460, 1460 }, data.Where(s => s.AtNs < first + 10_000_000).Select(s => s.PayloadLength));
        Assert.Equal(new[] { 2920 }, data.Where(s => s.AtNs >= first + 10_000_000).Select(s => s.PayloadLength));
    }

    // A zero window: nothing can be sent and nothing is in flight, so the probe timer takes over
    // (tcp_check_probe_timer): window probes — bare ACKs one below snd_una — at the RTO, backing off
    // exponentially (TCPWinProbe); the window update stops them and the data goes.
    [Fact]
    public void a_zero_window_is_probed_with_backoff_until_it_opens()
    {
        var (net, peer, c) = Run(
            async (libc, fd, c) =>
            {
                await libc.SendTo(fd, Bytes(100), 0, null);
                await libc.Sleep(20_000_000);
                await libc.SendTo(fd, Bytes(100, (byte)'b'), 0, null);
                c.Notes["rto"] = KernelNet.Kernel.Include.Net.inet_connection_sock_h.inet_csk(c.Sk!).icsk_rto;
            },
            (peer, seg) =>
            {
                var probes = peer.Seen.Count(s => s.PayloadLength == 0 && s.Seq == peer.ClientIsn + 100);
                if (seg.PayloadLength > 0 && seg.Seq == peer.ClientIsn + 1)
                {
                    // the first segment is acked with the window closed
                    peer.AckAfter(1_000_000, seg.EndSeq, window: 0);
                }
                else if (seg.PayloadLength > 0)
                {
                    peer.AckAfter(1_000_000, seg.EndSeq);
                }
                else if (seg.PayloadLength == 0 && seg.Seq == peer.ClientIsn + 100)
                {
                    // each probe is answered; the third answer opens the window
                    peer.AckAfter(1_000_000, peer.ClientIsn + 101, window: (ushort)(probes >= 3 ? 65535 : 0));
                }

                return Task.CompletedTask;
            },
            runNs: 3_000_000_000);

        var probes = peer.Seen.Where(s => s.PayloadLength == 0 && s.Seq == peer.ClientIsn + 100).ToList();
        Assert.Equal(3, probes.Count);
        var rtoNs = c.Notes["rto"] * 1_000_000_000L / KernelNet.Kernel.Vmlinux.HZ;
        var gap1 = probes[1].AtNs - probes[0].AtNs;
        var gap2 = probes[2].AtNs - probes[1].AtNs;

        // each answer re-arms the timer with the doubled interval (tcp_ack_probe); the wheel may round a timer up by an eighth
        Assert.True(gap1 >= 2 * rtoNs && gap1 <= (2 * rtoNs * 9 / 8) + 8_000_000, $"first probe gap {gap1} ns, RTO {rtoNs} ns");
        Assert.True(gap2 >= 4 * rtoNs && gap2 <= (4 * rtoNs * 9 / 8) + 8_000_000, $"second probe gap {gap2} ns, RTO {rtoNs} ns");
        Assert.Equal("3", Netstat(net.A, "TcpExt", "TCPWinProbe"));
        var data = Data(peer);
        Assert.Equal(2, data.Count);
        Assert.True(data[1].AtNs > probes[2].AtNs);
        Assert.Equal(Bytes(100, (byte)'b'), data[1].Payload);
    }

    // close() with data still unsent: the FIN rides on the last queued skb (tcp_send_fin) instead of a segment of its own.
    [Fact]
    public void close_puts_the_FIN_on_the_last_unsent_data_segment()
    {
        var (_, peer, _) = Run(
            async (libc, fd, c) =>
            {
                await libc.SendTo(fd, Bytes(100, (byte)'a'), 0, null);
                await libc.SendTo(fd, Bytes(100, (byte)'b'), 0, null);
                await libc.Close(fd);
            },
            (peer, seg) =>
            {
                if (seg.PayloadLength > 0)
                {
                    peer.AckAfter(10_000_000, seg.EndSeq);
                }

                return Task.CompletedTask;
            },
            runNs: 150_000_000);

        var after = peer.Seen.Where(s => s.PayloadLength > 0 || s.Fin).ToList();
        Assert.Equal(2, after.Count);
        Assert.False(after[0].Fin);
        Assert.True(after[1].Fin);
        Assert.Equal(Bytes(100, (byte)'b'), after[1].Payload);
        Assert.Equal(0x19, after[1].Flags);
    }

    // RFC 6298 2.3: an RTT sample R moves SRTT by (R - SRTT)/8 (6.18 keeps srtt_us as 8 x SRTT); the RTO is
    // SRTT + RTTVAR, RTTVAR never below rto_min (200 ms), in jiffies rounded up.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void an_ACK_after_50_ms_is_an_RTT_sample_that_moves_srtt_by_an_eighth(bool timestamps)
    {
        var (_, peer, c) = Run(
            async (libc, fd, c) =>
            {
                c.Notes["srtt0"] = c.Tp.srtt_us;
                c.Notes["sent_at"] = c.Sk!.sk_net.k.ktime_get_ns();
                await libc.SendTo(fd, Bytes(100), 0, null);
                await libc.Sleep(100_000_000);
                c.Notes["srtt1"] = c.Tp.srtt_us;
                c.Notes["rttvar"] = c.Tp.rttvar_us;
                c.Notes["rto"] = KernelNet.Kernel.Include.Net.inet_connection_sock_h.inet_csk(c.Sk!).icsk_rto;
            },
            (peer, seg) =>
            {
                if (seg.PayloadLength > 0)
                {
                    peer.AckAfter(50_000_000, seg.EndSeq);
                }

                return Task.CompletedTask;
            },
            runNs: 150_000_000,
            timestamps: timestamps);

        var srtt0 = c.Notes["srtt0"];
        var srtt1 = c.Notes["srtt1"];
        Assert.True(srtt0 > 0, "the handshake gave a first sample");
        var sample = srtt1 - srtt0 + (srtt0 >> 3);
        var rtt = (peer.AcksSent.Single().AtNs - c.Notes["sent_at"]) / 1000;
        Assert.InRange(rtt, 50_000, 60_000);
        Assert.InRange(sample, rtt, rtt + 200);
        Assert.Equal(200_000, c.Notes["rttvar"]);
        var expectedRto = (((srtt1 >> 3) + 200_000) * KernelNet.Kernel.Vmlinux.HZ + 999_999) / 1_000_000;
        Assert.Equal(expectedRto, c.Notes["rto"]);
    }

    // Karn's algorithm: the ACK of a retransmitted segment gives no RTT sample. (With timestamps the echoed
    // TSval would give one (RFC 7323 4.1), once the receive side takes tsoffset off rcv_tsecr as
    // tcp_fast_parse_options does — that parse is the receive side's, not ported here yet.)
    [Theory]
    [InlineData(false)]
    public void the_ACK_of_a_retransmission_is_an_RTT_sample_only_with_timestamps(bool timestamps)
    {
        var (_, _, c) = Run(
            async (libc, fd, c) =>
            {
                await libc.SendTo(fd, Bytes(100), 0, null);
                c.Notes["srtt0"] = c.Tp.srtt_us;
                await libc.Sleep(600_000_000);
                c.Notes["srtt1"] = c.Tp.srtt_us;
                c.Notes["packets_out"] = c.Tp.packets_out;
                c.Notes["retrans"] = c.Tp.total_retrans;
            },
            (peer, seg) =>
            {
                // the retransmission (the second transmission) is acked 80 ms later
                if (seg.PayloadLength > 0 && peer.Seen.Count(s => s.PayloadLength > 0) == 2)
                {
                    peer.AckAfter(80_000_000, seg.EndSeq);
                }

                return Task.CompletedTask;
            },
            runNs: 700_000_000,
            timestamps: timestamps);

        var srtt0 = c.Notes["srtt0"];
        var srtt1 = c.Notes["srtt1"];
        Assert.Equal(1, c.Notes["retrans"]);
        Assert.Equal(0, c.Notes["packets_out"]);
        if (!timestamps)
        {
            Assert.Equal(srtt0, srtt1);
        }
        else
        {
            // timestamps tick in ms: the sample is 80 or 81 ms
            var sample = srtt1 - srtt0 + (srtt0 >> 3);
            Assert.InRange(sample, 80_000, 81_000);
        }
    }

    // TX-11: TCP cuts a write into MSS-sized segments (MSS = MTU - 40 here) so IP never fragments them; all carry DF.
    [Fact]
    public void a_large_write_goes_out_in_MSS_sized_segments_that_IP_does_not_fragment()
    {
        var net0 = (TwoHosts?)null;
        var (net, peer, c) = Run(
            async (libc, fd, c) =>
            {
                c.Notes["mss"] = c.Tp.mss_cache;
                c.Notes["sent"] = await libc.SendTo(fd, Bytes(5000), 0, null);
            },
            AckDataAfterAMillisecond,
            runNs: 150_000_000,
            setup: n =>
            {
                net0 = n;
                Topology.SetMtu(n.VethA, 1000);
                Topology.SetMtu(n.VethB, 1000);
                NoTso(n);
            });

        Assert.Equal(960, c.Notes["mss"]);
        Assert.Equal(5000, c.Notes["sent"]);
        var data = Data(peer);

        // TCP built one GSO skb of 5 x 960 (tcp_cwnd_test's half-cwnd quota) and one of 200; without TSO
        // the device layer cut the first (skb_gso_segment) into MSS segments with consecutive sequence
        // numbers, each with its own IP ID, length and checksums
        Assert.Equal(new[] { 960, 960, 960, 960, 960, 200 }, data.Select(s => s.PayloadLength));
        for (var i = 1; i < data.Count; i++)
        {
            Assert.Equal(data[i - 1].Seq + (uint)data[i - 1].PayloadLength, data[i].Seq);
            Assert.Equal((ushort)(IpId(data[i - 1].Frame) + 1), IpId(data[i].Frame));
        }

        // veth sums in "hardware" (NETIF_F_HW_CSUM): each segment stays CHECKSUM_PARTIAL, its check field
        // patched to the pseudo-header sum for its own length (tcp_gso_segment), as a tap on a real veth sees it
        Assert.All(data, s => Assert.True(PartialChecksumHolds(s.Frame), "IP checksum and TCP pseudo-header sum of a segment"));
        Assert.All(data, s => Assert.Equal(0x40, s.Frame[14 + 6] & 0x60));
        Assert.Equal("0", Snmp(net.A, "Ip", "FragCreates"));

        // the segments counted as 6.18 counts them: OutSegs per segment, not per skb
        Assert.Equal(6u, c.Tp.data_segs_out);
    }

    // Over veth, which offers TSO (VETH_FEATURES), the same write leaves as one 4800-byte GSO packet (gso_size
    // 960, five segments) and a 200-byte one: veth hands the big skb to its peer whole, with valid checksums.
    [Fact]
    public void a_large_write_crosses_a_TSO_veth_as_one_GSO_packet()
    {
        var (net, peer, c) = Run(
            async (libc, fd, c) =>
            {
                c.Notes["sent"] = await libc.SendTo(fd, Bytes(5000), 0, null);
            },
            AckDataAfterAMillisecond,
            runNs: 150_000_000,
            setup: n =>
            {
                Topology.SetMtu(n.VethA, 1000);
                Topology.SetMtu(n.VethB, 1000);
            });

        Assert.Equal(5000, c.Notes["sent"]);
        var data = Data(peer);
        Assert.Equal(new[] { 4800, 200 }, data.Select(s => s.PayloadLength));
        Assert.All(data, s => Assert.True(PartialChecksumHolds(s.Frame), "IP checksum and TCP pseudo-header sum of a GSO packet"));
        Assert.Equal("0", Snmp(net.A, "Ip", "FragCreates"));

        // the GSO packet counts its five segments (tcp_skb_pcount) and takes five IP IDs
        Assert.Equal(6u, c.Tp.data_segs_out);
        Assert.Equal((ushort)(IpId(data[0].Frame) + 5), IpId(data[1].Frame));
    }

    // A device without checksum offload (NETIF_F_HW_CSUM cleared on the veth): the CHECKSUM_PARTIAL segment
    // is summed in software just before the driver (validate_xmit_skb -> skb_csum_hwoffload_help ->
    // skb_checksum_help), so the frame carries the whole TCP checksum.
    [Fact]
    public void a_segment_to_a_device_without_checksum_offload_is_summed_by_skb_checksum_help()
    {
        var (_, peer, _) = Run(
            async (libc, fd, c) =>
            {
                c.Notes["sent"] = await libc.SendTo(fd, Bytes(100), 0, null);
            },
            AckDataAfterAMillisecond,
            runNs: 50_000_000,
            setup: n => n.VethA.features &= ~netdev_features_h.NETIF_F_CSUM_MASK);

        var data = Data(peer);
        Assert.Equal(new[] { 100 }, data.Select(s => s.PayloadLength));
        Assert.All(peer.Seen, s => Assert.True(ChecksumsHold(s.Frame), "IP and TCP checksums of a segment summed in software"));
        Assert.All(peer.Seen, s => Assert.False(PartialChecksumHolds(s.Frame), "the check field is no longer the pseudo-header sum"));
    }

    // Neither checksum offload nor (so) TSO: harmonize_features drops the GSO features of a CHECKSUM_PARTIAL skb
    // the device cannot sum, skb_segment sums each segment's payload into SKB_GSO_CB and tcp_gso_segment
    // finishes every segment's checksum from it (gso_make_checksum).
    [Fact]
    public void without_checksum_offload_each_GSO_segment_gets_its_whole_checksum()
    {
        var (_, peer, _) = Run(
            async (libc, fd, c) =>
            {
                c.Notes["sent"] = await libc.SendTo(fd, Bytes(5000), 0, null);
            },
            AckDataAfterAMillisecond,
            runNs: 150_000_000,
            setup: n =>
            {
                Topology.SetMtu(n.VethA, 1000);
                Topology.SetMtu(n.VethB, 1000);
                n.VethA.features &= ~netdev_features_h.NETIF_F_CSUM_MASK;
            });

        var data = Data(peer);
        Assert.Equal(new[] { 960, 960, 960, 960, 960, 200 }, data.Select(s => s.PayloadLength));
        Assert.All(data, s => Assert.True(ChecksumsHold(s.Frame), "IP and TCP checksums of a software-summed GSO segment"));
    }

    private static ushort IpId(byte[] frame) => (ushort)((frame[14 + 4] << 8) | frame[14 + 5]);

    /// <summary>
    /// The IPv4 header checksum verifies and the TCP check field holds the folded pseudo-header sum for the
    /// segment's length (CHECKSUM_PARTIAL: what __tcp_v4_send_check or tcp_gso_segment leave for the device).
    /// </summary>
    private static bool PartialChecksumHolds(byte[] frame)
    {
        var ip = frame.AsSpan(14);
        var ihl = (ip[0] & 0xf) * 4;
        var tot = (ip[2] << 8) | ip[3];
        if (InternetChecksum.Fold(InternetChecksum.Sum(ip[..ihl], 0)) != 0xffff)
        {
            return false;
        }

        var tcpLen = tot - ihl;
        var pseudo = InternetChecksum.Sum(ip.Slice(12, 8), 0) + 6u + (uint)tcpLen;
        var check = (ushort)((ip[ihl + 16] << 8) | ip[ihl + 17]);
        return InternetChecksum.Fold(pseudo) == check;
    }

    /// <summary>The IPv4 header checksum and the TCP checksum (pseudo-header included) of an Ethernet frame both verify.</summary>
    private static bool ChecksumsHold(byte[] frame)
    {
        var ip = frame.AsSpan(14);
        var ihl = (ip[0] & 0xf) * 4;
        var tot = (ip[2] << 8) | ip[3];
        if (InternetChecksum.Fold(InternetChecksum.Sum(ip[..ihl], 0)) != 0xffff)
        {
            return false;
        }

        var tcpLen = tot - ihl;
        uint pseudo = 0;
        pseudo = InternetChecksum.Sum(ip.Slice(12, 8), pseudo);
        pseudo += 6u + (uint)tcpLen;
        return InternetChecksum.Fold(InternetChecksum.Sum(ip.Slice(ihl, tcpLen), pseudo)) == 0xffff;
    }

    // Above ssthresh, congestion avoidance: Reno adds one segment per window of ACKed segments
    // (tcp_cong_avoid_ai with w = cwnd); CUBIC, with no earlier loss (no W_max), starts at its floor of
    // one segment per 20 ACKs (ca->cnt capped at 20: 5% per RTT). Slow start is ended by hand here
    // (ssthresh = cwnd = 10) so the ten ACKs of the first flight are all in congestion avoidance.
    [Theory]
    [InlineData("reno", 10, 11)]
    [InlineData("cubic", 10, 10)]
    [InlineData("cubic", 20, 11)]
    public void congestion_avoidance_grows_cwnd_as_the_algorithm_says(string algorithm, int acks, int cwnd)
    {
        var (_, peer, c) = Run(
            async (libc, fd, c) =>
            {
                Assert.Equal(0, await libc.SetSockOpt(fd, Libc.IPPROTO_TCP, Libc.TCP_CONGESTION, System.Text.Encoding.ASCII.GetBytes(algorithm)));

                // the whole write must be queued at once (the autotuned 2 x 10 x 2304 bytes hold about 20 segments)
                Assert.Equal(0, await libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_SNDBUF, 1 << 20));
                c.Tp.snd_ssthresh = 10;

                // the autotuned send buffer (2 x 10 x 2304 = 46080 for MSS 1460) would put the writer to sleep
                // before the last of the 35 segments is queued: room for all of them, so send returns at once
                Assert.Equal(0, await libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_SNDBUF, 100_000));
                var isn = c.Tp.snd_una;
                await libc.SendTo(fd, Bytes(35 * 1460), 0, null);

                // once the last ACK is in (and before any RTO): cwnd, and how far sending got
                while (c.Tp.snd_una - isn < acks * 1460)
                {
                    await libc.Sleep(1_000_000);
                }

                c.Notes["cwnd"] = c.Tp.snd_cwnd;
                c.Notes["segments"] = (c.Tp.snd_nxt - isn) / 1460;
            },
            (peer, seg) =>
            {
                // one ACK per segment, 5 ms apart, for the first <acks> segments
                var n = peer.Seen.Count(s => s.PayloadLength > 0);
                if (seg.PayloadLength > 0 && n <= acks)
                {
                    peer.AckAfter(5_000_000 * n, seg.EndSeq);
                }

                return Task.CompletedTask;
            },
            runNs: 350_000_000,
            setup: NoTso);

        Assert.Equal(cwnd, c.Notes["cwnd"]);
        Assert.Equal(algorithm, KernelNet.Kernel.Include.Net.inet_connection_sock_h.inet_csk(c.Sk!).icsk_ca_ops!.name);

        // each ACK freed one place, and each increment one more
        Assert.Equal(10 + acks + (cwnd - 10), c.Notes["segments"]);
        Assert.True(Data(peer).Count >= c.Notes["segments"]);
    }

    // __tcp_transmit_skb puts PSH on every skb of more than one segment (so the receiver's GRO flushes it at
    // once), on the clone that goes out only: the write's own PSH is on its 200-byte tail (tso_fragment moved
    // it there), and the 4800-byte GSO packet carries PSH anyway, while the queued original keeps none.
    [Fact]
    public void a_multi_segment_skb_leaves_with_PSH_though_the_write_pushed_only_its_tail()
    {
        var (_, peer, c) = Run(
            async (libc, fd, c) =>
            {
                c.Notes["sent"] = await libc.SendTo(fd, Bytes(5000), 0, null);
                var head = c.Tp.tcp_rtx_queue.first!;
                c.Notes["head_pcount"] = KernelNet.Kernel.Include.Net.tcp_h.tcp_skb_pcount(head);
                c.Notes["head_flags"] = TCP(head).tcp_flags;
            },
            AckDataAfterAMillisecond,
            runNs: 150_000_000,
            setup: n =>
            {
                Topology.SetMtu(n.VethA, 1000);
                Topology.SetMtu(n.VethB, 1000);
            });

        Assert.Equal(5000, c.Notes["sent"]);
        var data = Data(peer);
        Assert.Equal(new[] { 4800, 200 }, data.Select(s => s.PayloadLength));
        Assert.All(data, s => Assert.True(s.Psh));
        Assert.Equal(5, c.Notes["head_pcount"]);
        Assert.Equal(KernelNet.Kernel.Include.Net.tcp_h.TCPHDR_ACK, (byte)c.Notes["head_flags"]);
    }

    // tcp_sync_mss bounds the MSS by half the largest window the peer offered (tcp_bound_to_half_wnd). Over
    // loopback (MTU 65536, MSS 65483 with timestamps) the listener's SYN-ACK offers 65483 (its first window,
    // whole MSS), so a 50000-byte send leaves as 32741 + 17259 bytes, as real 6.18 sends it (frames of
    // 32807 and 17325 bytes), not as one 50000-byte segment.
    [Fact]
    public void over_loopback_a_send_is_cut_at_half_the_peers_first_window()
    {
        var t = new Topology();
        var h = t.AddHost("H");
        sock? client = null;
        long sent = 0, got = 0;
        uint maxWindow = 0, mss = 0;
        SimTask? task = null;
        task = t.Spawn(h, "both", 0, async libc =>
        {
            var l = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(l, SockAddrIn.Parse("127.0.0.1:9000")));
            Assert.Equal(0, await libc.Listen(l, 8));
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse("127.0.0.1:9000")));
            var s = (int)await libc.Accept(l);
            client = ((socket)t.K.task_of(task!).files[fd]).sk;
            var ctp = KernelNet.Kernel.Include.Linux.tcp_h.tcp_sk(client!);
            (maxWindow, mss) = (ctp.max_window, ctp.mss_cache);
            t.K.trace.set_event("net:net_dev_queue");
            sent = await libc.SendTo(fd, Bytes(50000), 0, null);
            var buf = new byte[60000];
            while (got < 50000)
            {
                var n = await libc.RecvFrom(s, buf, buf.Length, 0);
                Assert.True(n > 0);
                got += n;
            }
        });
        t.Run(1_000_000_000);

        Assert.Equal(50000, sent);
        Assert.Equal(50000, got);
        Assert.NotNull(client);
        Assert.Equal(65483u, maxWindow);
        Assert.Equal(32741u, mss);
        var lens = t.K.trace.entries.Where(e => e.Event == "net_dev_queue").Select(e => e.Text).Where(x => !x.EndsWith("len=66", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, lens.Count);
        Assert.EndsWith("len=32807", lens[0], StringComparison.Ordinal);
        Assert.EndsWith("len=17325", lens[1], StringComparison.Ordinal);
    }

    // tso_fragment cuts the unsent tail skb where cwnd stops (half of cwnd per GSO packet: 5 x 1448), and the
    // part left queued stays the tail that a following write fills up to the size goal, as 6.18's buff
    // takes page frags: a 20000-byte write, two 7240-byte GSO packets out, and 1000 more bytes join the
    // 5520 left rather than starting an skb of their own.
    [Fact]
    public void the_tail_left_by_tso_fragment_takes_the_next_write()
    {
        var (_, _, c) = Run(
            async (libc, fd, c) =>
            {
                Assert.Equal(20000, await libc.SendTo(fd, Bytes(20000), 0, null));
                Assert.Equal(1000, await libc.SendTo(fd, Bytes(1000), 0, null));
                var q = c.Sk!.sk_write_queue;
                c.Notes["unsent_skbs"] = q.qlen;
                c.Notes["tail_len"] = q.qlen > 0 ? q.last!.len : 0;
                c.Notes["sent"] = c.Tp.snd_nxt - c.Tp.snd_una;

                // each queued skb costs its data plus the machine's head area, SKB_TRUESIZE(256) = 832 (ss -tm: w837 for 5 bytes)
                c.Notes["queued"] = c.Sk!.sk_wmem_queued;
                c.Notes["skbs"] = q.qlen + c.Tp.tcp_rtx_queue.qlen;
            },
            runNs: 50_000_000,
            timestamps: true);

        Assert.Equal(2 * 5 * 1448, c.Notes["sent"]);
        Assert.Equal(1, c.Notes["unsent_skbs"]);
        Assert.Equal(21000 - 2 * 5 * 1448, c.Notes["tail_len"]);
        Assert.Equal(21000 + (832 * c.Notes["skbs"]), c.Notes["queued"]);
    }

    // The chronographs behind TCP_INFO's tcpi_busy_time and tcpi_rwnd_limited: the first queued skb starts
    // the busy one (tcp_add_write_queue_tail), and tcp_write_xmit stopping at the peer's window
    // (tcp_snd_wnd_test) switches to rwnd-limited, which outranks busy. A peer offering 2920 bytes and never
    // ACKing leaves the sender window-limited from its first flight on: 100 ms later both read about 100 ms
    // (jiffies of 4 ms), and nothing was charged to the send buffer.
    [Fact]
    public void rwnd_limited_time_grows_while_the_peers_window_holds_data_back()
    {
        var (_, _, c) = Run(
            async (libc, fd, c) =>
            {
                Assert.Equal(10000, await libc.SendTo(fd, Bytes(10000), 0, null));
                c.Notes["before"] = (long)Info(c).tcpi_rwnd_limited;
                await libc.Sleep(100_000_000);
                var info = Info(c);
                c.Notes["rwnd_limited"] = (long)info.tcpi_rwnd_limited;
                c.Notes["busy"] = (long)info.tcpi_busy_time;
                c.Notes["sndbuf_limited"] = (long)info.tcpi_sndbuf_limited;
                c.Notes["sent"] = c.Tp.snd_nxt - c.Tp.snd_una;
            },
            runNs: 150_000_000,
            window: 2920);

        Assert.Equal(2920, c.Notes["sent"]);
        Assert.Equal(0, c.Notes["before"]);
        Assert.InRange(c.Notes["rwnd_limited"], 96_000, 104_000);
        Assert.Equal(c.Notes["rwnd_limited"], c.Notes["busy"]);
        Assert.Equal(0, c.Notes["sndbuf_limited"]);
    }

    private static KernelNet.Kernel.Include.Uapi.Linux.tcp_info Info(Client c)
    {
        var info = new KernelNet.Kernel.Include.Uapi.Linux.tcp_info();
        tcp_c.tcp_get_info(c.Sk!, info);
        return info;
    }

    // tcp_write_timeout: each RTO that does not give up draws the flow a new transmit hash
    // (sk_rethink_txhash: sk_txhash was set at connect, net.core.txrehash is 1), counted in the socket's
    // timeout_rehash and TcpExt TcpTimeoutRehash — two RTOs (200 ms, 400 ms later) without an ACK, two rehashes.
    [Fact]
    public void each_RTO_draws_a_new_txhash_and_counts_TcpTimeoutRehash()
    {
        var hashes = new List<uint>();
        var (net, _, c) = Run(
            async (libc, fd, c) =>
            {
                hashes.Add(c.Sk!.sk_txhash);
                await libc.SendTo(fd, Bytes(100), 0, null);
                await libc.Sleep(250_000_000);
                hashes.Add(c.Sk!.sk_txhash);
                await libc.Sleep(400_000_000);
                hashes.Add(c.Sk!.sk_txhash);
                c.Notes["rehash"] = c.Tp.timeout_rehash;
            },
            runNs: 700_000_000);

        Assert.Equal(2, c.Notes["rehash"]);
        Assert.Equal("2", Netstat(net.A, "TcpExt", "TcpTimeoutRehash"));
        Assert.All(hashes, h => Assert.NotEqual(0u, h));
        Assert.Equal(3, hashes.Distinct().Count());
    }

    // TCP_NOTSENT_LOWAT: reads back as set, and (tcp_stream_memory_free) a socket whose unsent bytes reach
    // it has no room for a new skb: a 20000-byte record is one skb (the size goal is 22 segments), cwnd (10 x
    // 1448) lets 14480 bytes go and 5520 stay unsent, so with the mark at 1000 a further non-blocking send
    // fails with EAGAIN; with the default (the sysctl's UINT_MAX) it is queued.
    [Theory]
    [InlineData(1000, -11)]
    [InlineData(0, 100)]
    public void TCP_NOTSENT_LOWAT_bounds_the_unsent_bytes_a_writer_may_queue(int lowat, int second)
    {
        var (_, _, c) = Run(
            async (libc, fd, c) =>
            {
                Assert.Equal(0, await libc.SetSockOpt(fd, Libc.IPPROTO_TCP, TCP_NOTSENT_LOWAT, lowat));
                var buf = new byte[4];
                Assert.Equal(0, c.Sk!.sk_prot!.getsockopt_buf!(c.Sk!, Libc.IPPROTO_TCP, TCP_NOTSENT_LOWAT, buf).Err);
                c.Notes["read"] = BitConverter.ToInt32(buf);
                c.Notes["first"] = await libc.SendTo(fd, Bytes(20000), MSG_EOR, null);
                c.Notes["unsent"] = c.Tp.write_seq - c.Tp.snd_nxt;
                c.Notes["second"] = await libc.SendTo(fd, Bytes(100), Libc.MSG_DONTWAIT, null);
            },
            runNs: 50_000_000,
            timestamps: true);

        Assert.Equal(lowat, c.Notes["read"]);
        Assert.Equal(20000, c.Notes["first"]);
        Assert.Equal(5520, c.Notes["unsent"]);
        Assert.Equal(second, c.Notes["second"]);
    }
    /// <summary>What <see cref="OverIgb"/> saw: the topology, A's connected sock, and what B's reader got.</summary>
    private sealed record IgbRun(Topology T, Host A, Host B, Client C, List<long> Reads);

    /// <summary>
    /// A and B on igb-like NICs (A's eth0, B's eth1) joined by a 1 Gb/s cable: B (CPU 1) accepts on
    /// 10.0.0.2:9000 and reads until EOF; A (CPU 0) connects from 10.0.0.1:7000 and runs
    /// <paramref name="script"/>. igb keeps a sent skb (and its charge on sk_wmem_alloc) until TX completion.
    /// </summary>
    private static IgbRun OverIgb(Func<Libc, int, Client, Task> script, Action<Host, net_device>? setupA = null, long runNs = 200_000_000, string[]? events = null, string? congestion = null)
    {
        var t = new Topology();
        var a = t.AddHost("A");
        var b = t.AddHost("B");
        var (ethA, ethB, _) = t.AddIgbPair(a, "eth0", b, "eth1");
        t.AddAddress(ethA, "10.0.0.1/24");
        t.AddAddress(ethB, "10.0.0.2/24");
        setupA?.Invoke(a, ethA);
        foreach (var e in events ?? Array.Empty<string>())
        {
            t.K.trace.set_event(e);
        }

        var reads = new List<long>();
        t.Spawn(b, "server", 1, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.Listen(fd, 8));
            var s = (int)await libc.Accept(fd);
            var buf = new byte[65536];
            while (true)
            {
                var n = await libc.RecvFrom(s, buf, buf.Length, 0);
                if (n <= 0)
                {
                    break;
                }

                reads.Add(n);
            }
        });
        var c = new Client();
        SimTask? task = null;
        task = t.Spawn(a, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.1:7000")));
            if (congestion is not null)
            {
                Assert.Equal(0, await libc.SetSockOpt(fd, Libc.IPPROTO_TCP, Libc.TCP_CONGESTION, System.Text.Encoding.ASCII.GetBytes(congestion)));
            }

            c.Connect = await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9000"));
            c.Sk = ((socket)t.K.task_of(task!).files[fd]).sk;
            await script(libc, fd, c);
            await libc.Close(fd);
        });
        t.Run(runNs);
        Assert.Equal(0, c.Connect);
        return new IgbRun(t, a, b, c, reads);
    }

    /// <summary>
    /// The most data frames (longer than 100 bytes: not ARP, SYN or pure ACKs) A's eth0 held at once
    /// between the driver taking them (net_dev_xmit) and TX completion freeing them (consume_skb), from the trace.
    /// </summary>
    private static int MostInDriver(Topology t)
    {
        var held = new HashSet<string>(StringComparer.Ordinal);
        var most = 0;
        foreach (var e in t.K.trace.entries)
        {
            var at = e.Text.IndexOf("skbaddr=", StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }

            var addr = e.Text.Substring(at + 8, 16);
            if (e.Event == "net_dev_xmit" && e.Text.StartsWith("dev=eth0 ", StringComparison.Ordinal) && e.Text.EndsWith("rc=0", StringComparison.Ordinal) &&
                int.Parse(e.Text.Split(" len=")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) > 100)
            {
                held.Add(addr);
                most = Math.Max(most, held.Count);
            }
            else if (e.Event == "consume_skb" || e.Event == "kfree_skb")
            {
                held.Remove(addr);
            }
        }

        return most;
    }

    private static long Softirqs(Topology t, softirq_nr nr) => Enumerable.Range(0, t.K.nr_cpu_ids).Sum(cpu => t.K.per_cpu(cpu).softirqs[(int)nr]);

    // TCP Small Queues: with net.ipv4.tcp_limit_output_bytes at 1, a flow may have only its newest skb (or
    // two, when the retransmit queue held at most one as it went) below TCP; tcp_write_xmit stops with
    // TSQ_THROTTLED, the driver's TX completion (tcp_wfree) queues the socket on the per-CPU tsq_work, and
    // the BH work item (TASKLET_SOFTIRQ) writes the rest. With the 6.18 default (4 MB, or a millisecond of
    // the pacing rate) the same transfer fills the TX ring with many skbs at once. Either way every byte
    // arrives. (gso_max_segs 1 on A's NIC makes every TCP skb one frame, so skbs in the driver are skbs of TCP.)
    [Theory]
    [InlineData(1, true)]
    [InlineData(4194304, false)]
    public void a_flow_whose_skbs_wait_in_the_driver_is_throttled_until_tx_completion(int limit_output_bytes, bool throttled)
    {
        var run = OverIgb(
            async (libc, fd, c) =>
            {
                Assert.Equal(0, await libc.SetSockOpt(fd, Libc.IPPROTO_TCP, TCP_NODELAY, 1));
                Assert.Equal(200_000, await libc.SendTo(fd, Bytes(200_000), 0, null));
            },
            (a, dev) =>
            {
                KernelNet.Kernel.Include.Net.Netns.netns_ipv4.of(a.Net).sysctl_tcp_limit_output_bytes = limit_output_bytes;
                dev.gso_max_segs = 1;
            },
            events: new[] { "net:net_dev_xmit", "skb:consume_skb", "skb:kfree_skb" });

        Assert.Equal(200_000, run.Reads.Sum());
        var most = MostInDriver(run.T);
        var tasklets = Softirqs(run.T, softirq_nr.TASKLET_SOFTIRQ);
        if (throttled)
        {
            Assert.True(most <= 2, $"{most} skbs in the driver at once");
            Assert.True(tasklets > 0, "TX completion never ran the TSQ work item");
        }
        else
        {
            Assert.True(most > 2, $"only {most} skbs in the driver at once");
        }

        // the unit tcp_wfree keeps while a socket is queued is given back: only the base unit remains
        Assert.Equal(1, run.C.Sk!.sk_wmem_alloc);
    }

    // A socket TSQ throttled whose task owns it when TX completion comes: the BH work item (tcp_tsq_handler)
    // does not write but leaves TCP_TSQ_DEFERRED, and release_sock's tcp_release_cb writes (tcp_tsq_write).
    // The task here holds the lock across a 200 us sleep, as one preempted inside lock_sock would (long enough
    // for TX completion, shorter than the loss probe's 2 ms minimum: the port runs TCP's timers on an owned
    // socket rather than deferring them). One segment does leave during the hold in the port (snd_nxt moves
    // by 1448 while TCP_TSQ_DEFERRED is set) — not explained yet, so the test pins the deferral itself.
    [Fact]
    public void tx_completion_on_an_owned_socket_defers_the_tsq_write_to_release_sock()
    {
        var run = OverIgb(
            async (libc, fd, c) =>
            {
                Assert.Equal(0, await libc.SetSockOpt(fd, Libc.IPPROTO_TCP, TCP_NODELAY, 1));
                Assert.Equal(10_000, await libc.SendTo(fd, Bytes(10_000), 0, null));
                var sk = c.Sk!;
                c.Notes["snd_nxt_sent"] = c.Tp.snd_nxt;
                c.Notes["write_seq"] = c.Tp.write_seq;
                c.Notes["flags_sent"] = (long)sk.sk_tsq_flags;
                c.Notes["wmem_sent"] = sk.sk_wmem_alloc;
                KernelNet.Kernel.Net.Core.sock_c.lock_sock_nested(sk, 0);
                c.Notes["snd_nxt_locked"] = c.Tp.snd_nxt;
                await libc.Sleep(200_000);
                c.Notes["snd_nxt_held"] = c.Tp.snd_nxt;
                c.Notes["deferred_held"] = (long)(sk.sk_tsq_flags & KernelNet.Kernel.Include.Linux.tcp_h.TCPF_TSQ_DEFERRED);
                KernelNet.Kernel.Net.Core.sock_c.release_sock(sk);
                c.Notes["deferred_after"] = (long)(sk.sk_tsq_flags & KernelNet.Kernel.Include.Linux.tcp_h.TCPF_TSQ_DEFERRED);
                c.Notes["snd_nxt_after"] = c.Tp.snd_nxt;
            },
            (a, dev) =>
            {
                KernelNet.Kernel.Include.Net.Netns.netns_ipv4.of(a.Net).sysctl_tcp_limit_output_bytes = 1;
                dev.gso_max_segs = 1;
            });

        var n = run.C.Notes;
        var notes = string.Join(", ", n.Select(kv => $"{kv.Key}={kv.Value}"));
        Assert.Equal(10_000, run.Reads.Sum());
        Assert.True(n["deferred_held"] != 0, notes);
        Assert.True(n["deferred_after"] == 0, notes);
        Assert.True((uint)n["snd_nxt_after"] != (uint)n["snd_nxt_held"], "release_sock sent nothing: " + notes);
    }

    // Autocorking: a small TCP_NODELAY write while the flow's previous 10000 bytes (7 frames) are still in
    // igb's TX ring is not sent: tcp_push finds the tail skb short of the size goal with earlier data below
    // TCP, sets TSQ_THROTTLED (TcpExt TCPAutoCorking counts it once) and returns; a second small write joins
    // the same skb, and TX completion (tcp_wfree -> tsq_work) sends both as one segment. With
    // net.ipv4.tcp_autocorking=0 each small write is sent at once.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void a_small_write_behind_data_in_the_driver_is_autocorked(bool autocorking)
    {
        var run = OverIgb(
            async (libc, fd, c) =>
            {
                Assert.Equal(0, await libc.SetSockOpt(fd, Libc.IPPROTO_TCP, TCP_NODELAY, 1));
                Assert.Equal(10_000, await libc.SendTo(fd, Bytes(10_000), 0, null));
                c.Notes["after_big"] = c.Tp.data_segs_out;
                Assert.Equal(100, await libc.SendTo(fd, Bytes(100, (byte)'a'), 0, null));
                Assert.Equal(100, await libc.SendTo(fd, Bytes(100, (byte)'b'), 0, null));
                c.Notes["after_small"] = c.Tp.data_segs_out;
                await libc.Sleep(10_000_000);
                c.Notes["at_end"] = c.Tp.data_segs_out;
            },
            (a, dev) => KernelNet.Kernel.Include.Net.Netns.netns_ipv4.of(a.Net).sysctl_tcp_autocorking = autocorking);

        var notes = $"after the big write {run.C.Notes["after_big"]}, after the small ones {run.C.Notes["after_small"]}, at the end {run.C.Notes["at_end"]}";
        Assert.Equal(10_200, run.Reads.Sum());
        Assert.True(run.C.Notes["after_big"] == 7, notes);
        if (autocorking)
        {
            Assert.True(run.C.Notes["after_small"] == 7, notes);
            Assert.True(run.C.Notes["at_end"] == 8, notes);
            Assert.Equal("1", Netstat(run.A, "TcpExt", "TCPAutoCorking"));
        }
        else
        {
            Assert.True(run.C.Notes["after_small"] == 9, notes);
            Assert.Equal("0", Netstat(run.A, "TcpExt", "TCPAutoCorking"));
        }
    }

    // Over veth nothing is autocorked: in process context the skb is delivered (and orphaned in the peer's
    // ip_rcv_core) by the softirq that dev_queue_xmit's local_bh_enable runs, so when the next write pushes,
    // sk_wmem_alloc holds nothing below TCP.
    [Fact]
    public void small_writes_over_veth_are_not_autocorked()
    {
        var (net, peer, c) = Run(
            async (libc, fd, c) =>
            {
                Assert.Equal(0, await libc.SetSockOpt(fd, Libc.IPPROTO_TCP, TCP_NODELAY, 1));
                for (var i = 0; i < 5; i++)
                {
                    await libc.SendTo(fd, Bytes(100, (byte)('a' + i)), 0, null);
                }
            },
            (peer, seg) =>
            {
                if (seg.PayloadLength > 0)
                {
                    peer.AckAfter(20_000_000, seg.EndSeq);
                }

                return Task.CompletedTask;
            },
            runNs: 150_000_000);

        Assert.Equal(5, Data(peer).Count);
        Assert.Equal("0", Netstat(net.A, "TcpExt", "TCPAutoCorking"));
    }
    // Pacing (SO_MAX_PACING_RATE at 1 MB/s sets SK_PACING_NEEDED): after the first ten segments each skb
    // moves tcp_wstamp_ns on by its length at the rate, tcp_write_xmit stops at tcp_pacing_check, and the
    // pacing hrtimer (HRTIMER_SOFTIRQ, tcp_pace_kick) lets the next go — 30000 bytes in one-segment skbs take
    // about 11 x 1.448 ms instead of a few round trips (some 7.5 ms unpaced, with its delayed ACKs). Without the option the flow is not paced.
    // The socket selects cubic before connect: bbr (the machine's default) asks for pacing itself (bbr_init sets SK_PACING_NEEDED).
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SO_MAX_PACING_RATE_makes_tcp_pace_its_segments_with_the_pacing_hrtimer(bool paced)
    {
        const int SO_MAX_PACING_RATE = 47;
        var run = OverIgb(
            async (libc, fd, c) =>
            {
                Assert.Equal(0, await libc.SetSockOpt(fd, Libc.IPPROTO_TCP, TCP_NODELAY, 1));
                if (paced)
                {
                    Assert.Equal(0, await libc.SetSockOpt(fd, Libc.SOL_SOCKET, SO_MAX_PACING_RATE, 1_000_000));
                }

                c.Notes["max_pacing_rate"] = await libc.GetSockOpt(fd, Libc.SOL_SOCKET, SO_MAX_PACING_RATE);
                var start = c.Sk!.sk_net.k.ktime_get_ns();
                Assert.Equal(30_000, await libc.SendTo(fd, Bytes(30_000), 0, null));
                while (c.Tp.snd_una != c.Tp.write_seq)
                {
                    await libc.Sleep(100_000);
                }

                c.Notes["took"] = c.Sk!.sk_net.k.ktime_get_ns() - start;
                c.Notes["pacing_rate"] = (long)Math.Min((ulong)long.MaxValue, c.Sk!.sk_pacing_rate);
            },
            (a, dev) => dev.gso_max_segs = 1,
            congestion: "cubic");

        Assert.Equal(30_000, run.Reads.Sum());
        var took = run.C.Notes["took"];
        var hrtimers = Softirqs(run.T, softirq_nr.HRTIMER_SOFTIRQ);
        if (paced)
        {
            Assert.Equal(1_000_000, run.C.Notes["max_pacing_rate"]);
            Assert.True(run.C.Notes["pacing_rate"] <= 1_000_000, $"sk_pacing_rate {run.C.Notes["pacing_rate"]}");
            Assert.True(took >= 14_000_000 && took < 30_000_000, $"30000 bytes took {took} ns");
            Assert.True(hrtimers >= 10, $"{hrtimers} HRTIMER softirqs");
        }
        else
        {
            Assert.Equal(uint.MaxValue, run.C.Notes["max_pacing_rate"]);
            Assert.True(took < 10_000_000, $"30000 bytes took {took} ns");
            Assert.Equal(0, hrtimers);
        }
    }
}
