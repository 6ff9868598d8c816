using System;
using System.Linq;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.Linux.NetfilterIpv4;
using KernelNet.Kernel.Mm;
using KernelNet.Kernel.Net.Ipv4.Netfilter;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using KernelNet.Tests.Support;
using Xunit;
using static KernelNet.Kernel.Include.Linux.tcp_h;
using static KernelNet.Kernel.Include.Net.inet_connection_sock_h;
using static KernelNet.Kernel.Include.Net.inet_sock_h;
using static KernelNet.Tests.Support.ProcNet;

namespace KernelNet.Tests.Net.Ipv4;

/// <summary>
/// net/ipv4/syncookies.c with tcp_conn_request's SYN-queue bound: a listener
/// whose SYN queue is full answers further SYNs with cookies and keeps no
/// request for them; the ACK that echoes a cookie makes an established child.
/// The SYNs are frames injected on B's veth1 as from 10.0.0.1, whose own stack
/// drops every TCP segment (so nothing resets B's requests).
/// </summary>
public sealed class syncookies_tests
{
    private const uint Client = 0x0a000001;
    private const uint Server = 0x0a000002;

    /// <summary>The pair with A's TCP input dropped and a listener on B at 10.0.0.2:9000 with <paramref name="backlog"/>, accepting once.</summary>
    private static (TwoHosts Net, Func<sock?> Listener, Func<sock?> Accepted) Listen(int backlog)
    {
        var net = TwoHosts.OnVeth();
        var t = net.T;
        iptable_filter_c.iptables_append(net.A.Net, "INPUT", new ipt_entry { ip = new ipt_ip { proto = 6 }, verdict = netfilter_h.NF_DROP });
        sock? listener = null, accepted = null;
        SimTask? server = null;
        server = t.Spawn(net.B, "server", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.Listen(fd, backlog));
            listener = ((socket)t.K.task_of(server!).files[fd]).sk;
            var c = (int)await libc.Accept(fd);
            accepted = ((socket)t.K.task_of(server!).files[c]).sk;
        });
        return (net, () => listener, () => accepted);
    }

    private static byte[] Syn(TwoHosts net, ushort sport, uint seq, byte[]? options = null) =>
        Frames.Tcp(net.VethB.dev_addr, net.VethA.dev_addr, Client, Server, sport, 9000, seq, 0, 0x02, 64240, options);

    /// <summary>The SYN-ACK B sent to <paramref name="dport"/>, from a capture on A.</summary>
    private static byte[]? SynAckTo(System.Collections.Generic.List<byte[]> frames, ushort dport) =>
        frames.LastOrDefault(f => TcpInject.Tcp(f) is var h && h.Src == Server && h.Dport == dport && h.Flags == 0x12);

    private static long Active(TwoHosts net, string cache) => slab_common_c.find_cache(net.T.K, cache)!.active_objs;

    // 2000 SYNs from as many ports at a listener with backlog 64: the SYN queue takes 65 (inet_csk_reqsk_queue_is_full
    // is qlen > sk_max_ack_backlog), then every further SYN is answered with a cookie, and so is one more SYN (port
    // 12345) once the flood is over — TCPReqQFullDoCookies and SyncookiesSent 1936, no request sock kept
    // (request_sock_TCP holds 65 objects). The ACK echoing port 12345's cookie passes cookie_v4_check (SyncookiesRecv 1) and its child is accepted ESTABLISHED, with the MSS the
    // cookie encodes (no MSS option: 536) and no window scaling or SACK.
    [Fact]
    public void a_SYN_flood_past_the_backlog_is_answered_with_cookies_and_a_cookie_ACK_makes_an_established_child()
    {
        var (net, listener, accepted) = Listen(64);
        var t = net.T;
        var seen = TcpInject.Capture(t, net.A, net.VethA, 300_000_000);
        TcpInject.Frames(t, net.B, net.VethB, 2000, i => Syn(net, (ushort)(10000 + i), 1000u * (uint)i), startNs: 1_000_000, gapNs: 4_000_000, batch: 200);
        long during = -1;
        int qlenDuring = -1;
        t.Spawn(net.B, "probe", 0, async libc =>
        {
            await libc.Sleep(100_000_000);
            during = Active(net, "request_sock_TCP");
            qlenDuring = inet_csk(listener()!).icsk_accept_queue!.qlen;
        });
        TcpInject.Frames(t, net.B, net.VethB, 1, _ => Syn(net, 12345, 777), startNs: 80_000_000);
        TcpInject.Frames(t, net.B, net.VethB, 1, _ =>
        {
            var synack = TcpInject.Tcp(SynAckTo(seen, 12345)!);
            return Frames.Tcp(net.VethB.dev_addr, net.VethA.dev_addr, Client, Server, 12345, 9000, 778, synack.Seq + 1, 0x10, 502);
        }, startNs: 150_000_000);
        t.Run(400_000_000);

        Assert.Equal(65, qlenDuring);
        Assert.Equal(65, during);
        Assert.Equal("1936", Netstat(net.B, "TcpExt", "TCPReqQFullDoCookies"));
        Assert.Equal("1936", Netstat(net.B, "TcpExt", "SyncookiesSent"));
        Assert.Equal("1", Netstat(net.B, "TcpExt", "SyncookiesRecv"));
        Assert.Equal("0", Netstat(net.B, "TcpExt", "SyncookiesFailed"));
        Assert.Equal("0", Netstat(net.B, "TcpExt", "ListenDrops"));
        Assert.Equal("1", Snmp(net.B, "Tcp", "PassiveOpens"));
        Assert.Equal("2001", Snmp(net.B, "Tcp", "OutSegs")); // a SYN-ACK for every SYN, and nothing else

        var child = accepted();
        Assert.NotNull(child);
        Assert.Equal(KernelNet.Kernel.Include.Net.sock_h.TCP_ESTABLISHED, child!.sk_state);
        Assert.Equal(12345, inet_sk(child).inet_dport);
        var tp = tcp_sk(child);
        Assert.Equal(536, tp.rx_opt.mss_clamp);
        Assert.False(tp.rx_opt.wscale_ok);
        Assert.Equal(0, tp.rx_opt.sack_ok);
        Assert.False(tp.rx_opt.tstamp_ok);
    }

    // With timestamps the cookie SYN-ACK's TSval carries the SYN's options in its low 6 bits (cookie_init_timestamp):
    // the ACK echoing it gives back window scale 7 and SACK (cookie_timestamp_decode), and the MSS 1460 the cookie
    // encodes. The SYN queue is full (backlog 1: two requests) before port 20000's SYN arrives.
    [Fact]
    public void a_cookie_with_timestamps_gives_the_child_the_SYNs_window_scale_and_SACK()
    {
        var (net, _, accepted) = Listen(1);
        var t = net.T;
        var seen = TcpInject.Capture(t, net.A, net.VethA, 300_000_000);
        static byte[] Options(uint tsval) =>
            [2, 4, 0x05, 0xb4, 4, 2, 8, 10, (byte)(tsval >> 24), (byte)(tsval >> 16), (byte)(tsval >> 8), (byte)tsval, 0, 0, 0, 0, 1, 3, 3, 7];
        TcpInject.Frames(t, net.B, net.VethB, 3, i => Syn(net, (ushort)(19998 + i), 5000, Options(100)), startNs: 1_000_000);
        TcpInject.Frames(t, net.B, net.VethB, 1, _ =>
        {
            var f = SynAckTo(seen, 20000)!;
            var synack = TcpInject.Tcp(f);
            var tsecr = TcpInject.Timestamps(f)!.Value.TsVal;
            byte[] ts = [1, 1, 8, 10, 0, 0, 0, 200, (byte)(tsecr >> 24), (byte)(tsecr >> 16), (byte)(tsecr >> 8), (byte)tsecr];
            return Frames.Tcp(net.VethB.dev_addr, net.VethA.dev_addr, Client, Server, 20000, 9000, 5001, synack.Seq + 1, 0x10, 502, ts);
        }, startNs: 50_000_000);
        t.Run(400_000_000);

        Assert.Equal("1", Netstat(net.B, "TcpExt", "SyncookiesSent"));
        Assert.Equal("1", Netstat(net.B, "TcpExt", "SyncookiesRecv"));
        var tp = tcp_sk(accepted()!);
        Assert.Equal(20000, tp.inet_dport);
        Assert.True(tp.rx_opt.tstamp_ok);
        Assert.True(tp.rx_opt.wscale_ok);
        Assert.Equal(7, tp.rx_opt.snd_wscale);
        Assert.NotEqual(0, tp.rx_opt.sack_ok);
        Assert.Equal(1460, tp.rx_opt.mss_clamp);
        Assert.Equal(200u, tp.rx_opt.ts_recent);
    }

    // An ACK whose ack_seq is no cookie of ours, after an overflow: SyncookiesFailed, and the listener answers it with
    // a RST as any unexpected ACK; no child. Before any overflow the same ACK is not even looked at as a cookie.
    [Fact]
    public void a_forged_cookie_counts_SyncookiesFailed_and_is_reset()
    {
        var (net, _, accepted) = Listen(0);
        var t = net.T;
        var seen = TcpInject.Capture(t, net.A, net.VethA, 300_000_000);
        TcpInject.Frames(t, net.B, net.VethB, 1, _ => Frames.Tcp(net.VethB.dev_addr, net.VethA.dev_addr, Client, Server, 30001, 9000, 77, 12345, 0x10, 502), startNs: 1_000_000);
        TcpInject.Frames(t, net.B, net.VethB, 2, i => Syn(net, (ushort)(30002 + i), 5000), startNs: 5_000_000);
        TcpInject.Frames(t, net.B, net.VethB, 1, _ =>
        {
            var synack = TcpInject.Tcp(SynAckTo(seen, 30003)!);
            return Frames.Tcp(net.VethB.dev_addr, net.VethA.dev_addr, Client, Server, 30003, 9000, 5001, synack.Seq + 1 + 99, 0x10, 502);
        }, startNs: 50_000_000);
        t.Run(400_000_000);

        Assert.Equal("1", Netstat(net.B, "TcpExt", "SyncookiesSent"));
        Assert.Equal("1", Netstat(net.B, "TcpExt", "SyncookiesFailed"));
        Assert.Equal("0", Netstat(net.B, "TcpExt", "SyncookiesRecv"));
        Assert.Null(accepted());
        Assert.Equal(2, seen.Count(f => TcpInject.Tcp(f) is var h && h.Src == Server && (h.Flags & 0x04) != 0));
    }

    // net.ipv4.tcp_syncookies 0: a full SYN queue drops the SYN (TCPReqQFullDrop, ListenDrops) and sends nothing.
    [Fact]
    public void without_syncookies_a_full_SYN_queue_drops_the_SYN()
    {
        var (net, _, _) = Listen(2);
        var t = net.T;
        netns_ipv4.of(net.B.Net).sysctl_tcp_syncookies = 0;
        var seen = TcpInject.Capture(t, net.A, net.VethA, 100_000_000);
        TcpInject.Frames(t, net.B, net.VethB, 10, i => Syn(net, (ushort)(40000 + i), 5000), startNs: 1_000_000);
        t.Run(100_000_000);

        Assert.Equal("7", Netstat(net.B, "TcpExt", "TCPReqQFullDrop"));
        Assert.Equal("7", Netstat(net.B, "TcpExt", "ListenDrops"));
        Assert.Equal("0", Netstat(net.B, "TcpExt", "TCPReqQFullDoCookies"));
        Assert.Equal(3, seen.Count(f => TcpInject.Tcp(f).Flags == 0x12));
        Assert.Equal(3, Active(net, "request_sock_TCP"));
    }
}
