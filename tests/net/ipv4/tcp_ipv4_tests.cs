using System;
using System.Linq;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.Linux.NetfilterIpv4;
using KernelNet.Kernel.Mm;
using KernelNet.Kernel.Net.Ipv4.Netfilter;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using KernelNet.Tests.Support;
using Xunit;
using static KernelNet.Kernel.Include.Net.inet_connection_sock_h;
using static KernelNet.Tests.Support.ProcNet;

namespace KernelNet.Tests.Net.Ipv4;

/// <summary>
/// net/ipv4/tcp_ipv4.c's receive side for request and timewait socks
/// (tcp_v4_rcv's NEW_SYN_RECV and TIME_WAIT cases) and the passive open
/// (tcp_v4_conn_request, tcp_v4_syn_recv_sock). Handshake segments are frames
/// injected on B's veth1 as from 10.0.0.1, whose own stack drops TCP.
/// </summary>
public sealed class tcp_ipv4_tests
{
    private const uint Client = 0x0a000001;
    private const uint Server = 0x0a000002;

    private static (TwoHosts Net, Func<sock?> Listener, Func<sock?> Accepted, Func<int> ListenFd) Listen(int backlog, long closeListenerAtNs = 0)
    {
        var net = TwoHosts.OnVeth();
        var t = net.T;
        iptable_filter_c.iptables_append(net.A.Net, "INPUT", new ipt_entry { ip = new ipt_ip { proto = 6 }, verdict = netfilter_h.NF_DROP });
        sock? listener = null, accepted = null;
        var lfd = -1;
        SimTask? server = null;
        server = t.Spawn(net.B, "server", 0, async libc =>
        {
            lfd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(lfd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.Listen(lfd, backlog));
            listener = ((socket)t.K.task_of(server!).files[lfd]).sk;
            if (closeListenerAtNs != 0)
            {
                await libc.Sleep(closeListenerAtNs - t.K.ktime_get_ns());
                Assert.Equal(0, await libc.Close(lfd));
                return;
            }

            var c = (int)await libc.Accept(lfd);
            accepted = ((socket)t.K.task_of(server!).files[c]).sk;
        });
        return (net, () => listener, () => accepted, () => lfd);
    }

    private static byte[] Segment(TwoHosts net, uint src, ushort sport, uint seq, uint ack, byte flags) =>
        Frames.Tcp(net.VethB.dev_addr, net.VethA.dev_addr, src, Server, sport, 9000, seq, ack, flags, 502);

    private static byte[]? SynAckTo(System.Collections.Generic.List<byte[]> frames, ushort dport) =>
        frames.LastOrDefault(f => TcpInject.Tcp(f) is var h && h.Src == Server && h.Dport == dport && h.Flags == 0x12);

    private static long Active(TwoHosts net, string cache) => slab_common_c.find_cache(net.T.K, cache)!.active_objs;

    // A SYN from 192.168.7.7, for which B has no route back: tcp_v4_route_req fails (OutNoRoutes) and the request
    // sock tcp_conn_request allocated goes back to request_sock_TCP (drop_and_free), with ListenDrops; no SYN-ACK.
    // Ten such SYNs leave the cache empty and no skb alive.
    [Fact]
    public void a_SYN_whose_SYN_ACK_cannot_be_routed_frees_its_request_sock()
    {
        var (net, listener, _, _) = Listen(8);
        var t = net.T;
        TcpInject.Frames(t, net.B, net.VethB, 10, i => Segment(net, 0xc0a80707, (ushort)(6000 + i), 1000, 0, 0x02), startNs: 1_000_000);
        t.Run(100_000_000);

        Assert.Equal("10", Snmp(net.B, "Ip", "OutNoRoutes"));
        Assert.Equal("10", Netstat(net.B, "TcpExt", "ListenDrops"));
        Assert.Equal("0", Snmp(net.B, "Tcp", "OutSegs"));
        Assert.Equal(0, inet_csk(listener()!).icsk_accept_queue!.qlen);
        Assert.Equal(0, Active(net, "request_sock_TCP"));
        Assert.Equal(0, t.K.skb_ledger.Live);
    }

    // The handshake's ACK with a bad checksum must not make the child: tcp_v4_rcv checks it for the request sock,
    // traces tcp_bad_csum with the segment's own addresses, counts CsumErrors and InErrs, and the request stays in
    // the SYN queue. The same ACK with a good checksum then completes the handshake.
    // Over veth (NETIF_F_HW_CSUM) every TCP segment leaves CHECKSUM_PARTIAL (ip_summed=3): the check field
    // holds only the pseudo-header sum (__tcp_v4_send_check), veth hands the skb across as it is, and the
    // receiver takes it as verified (skb_csum_unnecessary). A software check would find that field wrong
    // and drop the segment (TCP_CSUM), so the data arriving shows no sum was computed on either end.
    [Fact]
    public void a_tcp_segment_over_veth_leaves_checksum_partial_and_is_accepted_without_a_software_sum()
    {
        var net = TwoHosts.OnVeth();
        var t = net.T;
        t.K.trace.set_event("net:net_dev_start_xmit");
        t.K.trace.set_event("net:netif_rx_entry");
        t.K.trace.set_event("tcp:tcp_bad_csum");
        var got = "";
        t.Spawn(net.B, "server", 0, async libc =>
        {
            var lfd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(lfd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.Listen(lfd, 8));
            var c = (int)await libc.Accept(lfd);
            var buf = new byte[16];
            var n = await libc.RecvFrom(c, buf, buf.Length, 0);
            got = System.Text.Encoding.ASCII.GetString(buf, 0, (int)n);
        });
        t.Spawn(net.A, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(5, await libc.SendTo(fd, System.Text.Encoding.ASCII.GetBytes("hello"), 0, null));
        });
        t.Run(100_000_000);

        Assert.Equal("hello", got);
        var xmits = t.K.trace.entries.Where(e => e.Event == "net_dev_start_xmit" && e.Text.Contains("protocol=0x0800", StringComparison.Ordinal)).ToList();
        var rxs = t.K.trace.entries.Where(e => e.Event == "netif_rx_entry" && e.Text.Contains("protocol=0x0800", StringComparison.Ordinal)).ToList();
        Assert.True(xmits.Count >= 4, $"SYN, SYN-ACK, ACK and data went out ({xmits.Count})");
        Assert.Equal(xmits.Count, rxs.Count);
        Assert.All(xmits, e => Assert.Contains(" ip_summed=3 ", e.Text, StringComparison.Ordinal));
        Assert.All(rxs, e => Assert.Contains(" ip_summed=3 ", e.Text, StringComparison.Ordinal));
        Assert.DoesNotContain(t.K.trace.entries, e => e.Event == "tcp_bad_csum");
        Assert.Equal("0", Snmp(net.A, "Tcp", "InCsumErrors"));
        Assert.Equal("0", Snmp(net.B, "Tcp", "InCsumErrors"));
    }

    [Fact]
    public void a_handshake_ACK_with_a_bad_checksum_makes_no_child_and_is_traced()
    {
        var (net, listener, accepted, _) = Listen(8);
        var t = net.T;
        var seen = TcpInject.Capture(t, net.A, net.VethA, 100_000_000);
        t.K.trace.set_event("tcp:tcp_bad_csum");
        TcpInject.Frames(t, net.B, net.VethB, 1, _ => Segment(net, Client, 5000, 1000, 0, 0x02), startNs: 1_000_000);
        TcpInject.Frames(t, net.B, net.VethB, 1, _ =>
        {
            var f = Segment(net, Client, 5000, 1001, TcpInject.Tcp(SynAckTo(seen, 5000)!).Seq + 1, 0x10);
            f[14 + 20 + 16] ^= 0x5a; // the TCP checksum
            return f;
        }, startNs: 10_000_000);
        int qlen = -1;
        sock? early = null;
        t.Spawn(net.B, "probe", 0, async libc =>
        {
            await libc.Sleep(20_000_000);
            qlen = inet_csk(listener()!).icsk_accept_queue!.qlen;
            early = accepted();
        });
        TcpInject.Frames(t, net.B, net.VethB, 1, _ => Segment(net, Client, 5000, 1001, TcpInject.Tcp(SynAckTo(seen, 5000)!).Seq + 1, 0x10), startNs: 30_000_000);
        t.Run(100_000_000);

        Assert.Equal(1, qlen);
        Assert.Null(early);
        Assert.Equal("1", Snmp(net.B, "Tcp", "InCsumErrors"));
        Assert.Equal("1", Snmp(net.B, "Tcp", "InErrs"));
        var bad = Assert.Single(t.K.trace.entries, e => e.Event == "tcp_bad_csum");
        Assert.Matches("^skbaddr=[0-9a-f]{16} src=10.0.0.1:5000 dest=10.0.0.2:9000$", bad.Text);
        Assert.Equal(KernelNet.Kernel.Include.Net.sock_h.TCP_ESTABLISHED, accepted()!.sk_state);
        Assert.Equal(0, inet_csk(listener()!).icsk_accept_queue!.qlen);
    }

    // The listener closes with a request in its SYN queue. The handshake's ACK then finds the request, whose
    // listener is no longer listening: the request is dropped (inet_csk_reqsk_queue_drop_and_put, its sock back to
    // request_sock_TCP) and the lookup runs again; nothing listens on the port now, so the ACK earns a RST
    // (tcp_send_reset reason NO_SOCKET).
    [Fact]
    public void an_ACK_for_a_request_whose_listener_closed_is_looked_up_again_and_reset()
    {
        var (net, _, _, _) = Listen(8, closeListenerAtNs: 5_000_000);
        var t = net.T;
        var seen = TcpInject.Capture(t, net.A, net.VethA, 100_000_000);
        t.K.trace.set_event("tcp:tcp_send_reset");
        TcpInject.Frames(t, net.B, net.VethB, 1, _ => Segment(net, Client, 5000, 1000, 0, 0x02), startNs: 1_000_000);
        TcpInject.Frames(t, net.B, net.VethB, 1, _ => Segment(net, Client, 5000, 1001, TcpInject.Tcp(SynAckTo(seen, 5000)!).Seq + 1, 0x10), startNs: 10_000_000);
        t.Run(100_000_000);

        var rst = Assert.Single(seen, f => TcpInject.Tcp(f) is var h && h.Src == Server && (h.Flags & 0x04) != 0);
        Assert.Equal(TcpInject.Tcp(SynAckTo(seen, 5000)!).Seq + 1, TcpInject.Tcp(rst).Seq);
        Assert.EndsWith("reason=NO_SOCKET", Assert.Single(t.K.trace.entries, e => e.Event == "tcp_send_reset").Text, StringComparison.Ordinal);
        Assert.Equal(0, Active(net, "request_sock_TCP"));
    }

    // sk_clone_lock copies the listener (sock_copy): an accepted socket keeps SO_REUSEADDR as 6.18 does.
    [Theory]
    [InlineData(1L)]
    [InlineData(0L)]
    public void an_accepted_socket_keeps_the_listeners_SO_REUSEADDR(long reuse)
    {
        var net = TwoHosts.OnVeth();
        var t = net.T;
        long got = -1;
        t.Spawn(net.B, "server", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_REUSEADDR, reuse));
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.Listen(fd, 8));
            var c = (int)await libc.Accept(fd);
            got = await libc.GetSockOpt(c, Libc.SOL_SOCKET, Libc.SO_REUSEADDR);
        });
        t.Spawn(net.A, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9000")));
        });
        t.Run(100_000_000);

        Assert.Equal(reuse, got);
    }

    // B closes first, so B's end of 10.0.0.1:7000 <-> 10.0.0.2:9000 waits in TIME_WAIT. A connects again from port
    // 7000: its SYN, past the old sequence space, reaches the timewait sock, which hands it to the listener
    // (TCP_TW_SYN): the timewait sock goes and the new connection's ISN continues from the old one, its snd_nxt
    // + 65535 + 2. The connect completes at once (no SYN retransmission) and B accepts it.
    [Fact]
    public void a_new_SYN_on_a_TIME_WAIT_4_tuple_opens_a_connection_from_past_the_old_sequence_space()
    {
        var net = TwoHosts.OnVeth();
        var t = net.T;
        var seen = TcpInject.Capture(t, net.A, net.VethA, 100_000_000);
        long second = 1, secondStart = 0, secondEnd = 0;
        var accepted = 0;
        t.Spawn(net.B, "server", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.Listen(fd, 8));
            var c = (int)await libc.Accept(fd);
            accepted++;
            await libc.Sleep(5_000_000);
            Assert.Equal(0, await libc.Close(c));
            Assert.True(await libc.Accept(fd) >= 0);
            accepted++;
        });
        t.Spawn(net.A, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_REUSEADDR, 1L));
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.1:7000")));
            Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            await libc.Sleep(20_000_000);
            Assert.Equal(0, await libc.Close(fd));
            await libc.Sleep(10_000_000);
            Assert.Contains(tcp_ipv4_c_seq(net.B), l => l.Contains("0200000A:2328 0100000A:1B58 06", StringComparison.Ordinal));
            var fd2 = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.SetSockOpt(fd2, Libc.SOL_SOCKET, Libc.SO_REUSEADDR, 1L));
            Assert.Equal(0, await libc.Bind(fd2, SockAddrIn.Parse("10.0.0.1:7000")));
            secondStart = t.K.ktime_get_ns();
            second = await libc.Connect(fd2, SockAddrIn.Parse("10.0.0.2:9000"));
            secondEnd = t.K.ktime_get_ns();
        });
        t.Run(100_000_000);

        Assert.Equal(0, second);
        Assert.InRange(secondEnd - secondStart, 0, 5_000_000);
        Assert.Equal(2, accepted);
        var synacks = seen.Where(f => TcpInject.Tcp(f) is var h && h.Src == Server && h.Flags == 0x12).Select(f => TcpInject.Tcp(f).Seq).ToList();
        Assert.Equal(2, synacks.Count);
        Assert.Equal(unchecked(synacks[0] + 2 + 65535 + 2), synacks[1]); // the old snd_nxt: ISN, SYN, FIN
        Assert.DoesNotContain(tcp_ipv4_c_seq(net.B), l => l.Contains(" 06 ", StringComparison.Ordinal));
    }

    // skb_checksum_init: a segment of 76 bytes or less has its sum checked on entry to tcp_v4_rcv, before any
    // lookup: a bad SYN to the listener is traced (tcp_bad_csum), counted (InCsumErrors, InErrs) and freed TCP_CSUM
    // with no socket (rx_sk 0), and makes no request sock.
    [Fact]
    public void a_short_segment_with_a_bad_checksum_is_dropped_in_tcp_v4_rcv_before_the_lookup()
    {
        var (net, listener, _, _) = Listen(8);
        var t = net.T;
        t.K.trace.set_event("tcp:tcp_bad_csum");
        t.K.trace.set_event("skb:kfree_skb");
        TcpInject.Frames(t, net.B, net.VethB, 1, _ =>
        {
            var f = Segment(net, Client, 5000, 1000, 0, 0x02);
            f[14 + 20 + 16] ^= 0x5a;
            return f;
        }, startNs: 1_000_000);
        t.Run(100_000_000);

        Assert.Single(t.K.trace.entries, e => e.Event == "tcp_bad_csum");
        var drop = Assert.Single(t.K.trace.entries, e => e.Event == "kfree_skb" && e.Text.Contains("protocol=2048", StringComparison.Ordinal));
        Assert.Contains("rx_sk=0000000000000000", drop.Text, StringComparison.Ordinal);
        Assert.Contains("location=tcp_v4_rcv", drop.Text, StringComparison.Ordinal);
        Assert.EndsWith("reason: TCP_CSUM", drop.Text, StringComparison.Ordinal);
        Assert.Equal("1", Snmp(net.B, "Tcp", "InCsumErrors"));
        Assert.Equal("1", Snmp(net.B, "Tcp", "InErrs"));
        Assert.Equal(0, inet_csk(listener()!).icsk_accept_queue!.qlen);
        Assert.Equal(0, t.K.skb_ledger.Live);
    }

    // Past 76 bytes the sum is left to the socket's path: for an ESTABLISHED socket tcp_rcv_established checks it
    // (data in header prediction's fast path), traces tcp_bad_csum and drops the segment TCP_CSUM with the socket as
    // rx_sk, and nothing of it is queued (rcv_nxt stays).
    [Fact]
    public void a_long_segment_with_a_bad_checksum_is_dropped_by_the_established_socket()
    {
        var (net, _, accepted, _) = Listen(8);
        var t = net.T;
        var seen = TcpInject.Capture(t, net.A, net.VethA, 100_000_000);
        t.K.trace.set_event("tcp:tcp_bad_csum");
        t.K.trace.set_event("skb:kfree_skb");
        uint Ack() => TcpInject.Tcp(SynAckTo(seen, 5000)!).Seq + 1;
        TcpInject.Frames(t, net.B, net.VethB, 1, _ => Segment(net, Client, 5000, 1000, 0, 0x02), startNs: 1_000_000);
        TcpInject.Frames(t, net.B, net.VethB, 1, _ => Segment(net, Client, 5000, 1001, Ack(), 0x10), startNs: 10_000_000);
        TcpInject.Frames(t, net.B, net.VethB, 1, _ =>
        {
            var f = Frames.Tcp(net.VethB.dev_addr, net.VethA.dev_addr, Client, Server, 5000, 9000, 1001, Ack(), 0x18, 502, payload: new byte[100]);
            f[14 + 20 + 16] ^= 0x5a;
            return f;
        }, startNs: 20_000_000);
        t.Run(100_000_000);

        var child = accepted()!;
        Assert.Equal(KernelNet.Kernel.Include.Net.sock_h.TCP_ESTABLISHED, child.sk_state);
        Assert.Single(t.K.trace.entries, e => e.Event == "tcp_bad_csum");
        var drop = Assert.Single(t.K.trace.entries, e => e.Event == "kfree_skb" && e.Text.EndsWith("reason: TCP_CSUM", StringComparison.Ordinal));
        Assert.DoesNotContain("rx_sk=0000000000000000", drop.Text, StringComparison.Ordinal);
        Assert.Equal("1", Snmp(net.B, "Tcp", "InCsumErrors"));
        Assert.Equal(1001u, KernelNet.Kernel.Include.Linux.tcp_h.tcp_sk(child).rcv_nxt); // the bad data was not taken
    }

    // tcp_inbound_hash: a SYN carrying the MD5 signature option twice is malformed (tcp_parse_auth_options): the
    // listener's check traces tcp_hash_bad_header — namespace cookie, the listener's state, the segment's addresses
    // and flags — and the segment is freed TCP_AUTH_HDR; no request sock is made.
    [Fact]
    public void a_SYN_with_a_doubled_MD5_option_is_traced_tcp_hash_bad_header_and_dropped()
    {
        var (net, listener, _, _) = Listen(8);
        var t = net.T;
        t.K.trace.set_event("tcp:tcp_hash_bad_header");
        t.K.trace.set_event("skb:kfree_skb");
        var md5 = new byte[18];
        md5[0] = 19; // TCPOPT_MD5SIG
        md5[1] = 18;
        byte[] options = [.. md5, .. md5, 1, 1, 1, 1];
        TcpInject.Frames(t, net.B, net.VethB, 1, _ => Frames.Tcp(net.VethB.dev_addr, net.VethA.dev_addr, Client, Server, 5000, 9000, 1000, 0, 0x02, 502, options), startNs: 1_000_000);
        t.Run(100_000_000);

        var hash = Assert.Single(t.K.trace.entries, e => e.Event == "tcp_hash_bad_header");
        Assert.Equal($"net={net.B.Net.net_cookie} state=TCP_LISTEN family=AF_INET src=10.0.0.1:5000 dest=10.0.0.2:9000 L3index=0 [ S   ]", hash.Text);
        var drop = Assert.Single(t.K.trace.entries, e => e.Event == "kfree_skb" && e.Text.Contains("protocol=2048", StringComparison.Ordinal));
        Assert.EndsWith("reason: TCP_AUTH_HDR", drop.Text, StringComparison.Ordinal);
        Assert.Equal(0, inet_csk(listener()!).icsk_accept_queue!.qlen);
        Assert.NotEqual(net.A.Net.net_cookie, net.B.Net.net_cookie);
    }

    private static string[] tcp_ipv4_c_seq(Host h) => KernelNet.Kernel.Net.Ipv4.tcp_ipv4_c.tcp4_seq_show(h.Net).Split('\n');
}
