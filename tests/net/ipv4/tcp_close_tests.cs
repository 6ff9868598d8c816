using System;
using System.Linq;
using System.Threading.Tasks;
using KernelNet.Kernel.Include.Uapi.Linux.NetfilterIpv4;
using KernelNet.Kernel.Net.Ipv4;
using KernelNet.Kernel.Net.Ipv4.Netfilter;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using KernelNet.Tests.Support;
using Xunit;
using static KernelNet.Tests.Support.ProcNet;

namespace KernelNet.Tests.Net.Ipv4;

/// <summary>
/// net/ipv4/tcp.c's close: SO_LINGER (net/core/sock.c's sk_setsockopt with
/// struct linger) and its zero-time abort in __tcp_close, the wait of a
/// linger time (net/core/stream.c's sk_stream_wait_close), and an orphan
/// closed in FIN_WAIT2 handed to the timewait minisock (tcp_fin_time).
/// </summary>
public sealed class tcp_close_tests
{
    private static byte[] Linger(int onoff, int seconds)
    {
        var b = new byte[8];
        BitConverter.TryWriteBytes(b.AsSpan(0, 4), onoff);
        BitConverter.TryWriteBytes(b.AsSpan(4, 4), seconds);
        return b;
    }

    // struct linger is 8 bytes: on with 5 s reads back l_onoff 1, l_linger 5 (the two ints as one little-endian
    // value); off reads back l_onoff 0; an int-sized value is too short for the struct (EINVAL), on either path.
    [Fact]
    public void SO_LINGER_takes_a_struct_linger_and_reads_it_back()
    {
        var net = TwoHosts.OnVeth();
        long on = 1, readOn = 0, off = 1, readOff = 1, shortBuf = 0, asInt = 0;
        net.T.Spawn(net.A, "app", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            on = await libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_LINGER, Linger(1, 5));
            readOn = await libc.GetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_LINGER);
            off = await libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_LINGER, Linger(0, 7));
            readOff = await libc.GetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_LINGER);
            shortBuf = await libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_LINGER, new byte[4]);
            asInt = await libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_LINGER, 1L);
        });
        net.T.Run(10_000_000);

        Assert.Equal(0, on);
        Assert.Equal(1L | (5L << 32), readOn);
        Assert.Equal(0, off);
        Assert.Equal(0L, readOff & 0xffffffffL);
        Assert.Equal(-Libc.EINVAL, shortBuf);
        Assert.Equal(-Libc.EINVAL, asInt);
    }

    // SO_LINGER on with 0 s: close() aborts. tcp_disconnect moves the socket to CLOSE and sends a RST|ACK
    // (tcp_send_reset: no skb, reason TCP_STATE), 6.18 counts TCPAbortOnData (not TCPAbortOnLinger) and one OutRsts; no FIN
    // is sent and no TIME_WAIT follows; the peer's blocked read fails with ECONNRESET.
    [Fact]
    public void close_with_a_zero_linger_time_aborts_with_a_RST_and_counts_TCPAbortOnData()
    {
        var net = TwoHosts.OnVeth();
        var t = net.T;
        long read = 1, close = 1;
        var frames = net.TapIpv4OnB(5_000_000_000);
        t.Spawn(net.B, "server", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.Listen(fd, 8));
            var c = (int)await libc.Accept(fd);
            read = (await libc.RecvFrom(c, 100, 0)).Ret;
        });
        t.Spawn(net.A, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.1:7000")));
            Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_LINGER, Linger(1, 0)));
            await libc.Sleep(10_000_000);
            close = await libc.Close(fd);
        });
        t.K.trace.set_event("tcp:tcp_send_reset");
        t.Run(10_000_000_000);

        Assert.Equal(0, close);
        Assert.Equal(-Libc.ECONNRESET, read);
        Assert.Equal("1", Netstat(net.A, "TcpExt", "TCPAbortOnData"));
        Assert.Equal("0", Netstat(net.A, "TcpExt", "TCPAbortOnLinger"));
        Assert.Equal("1", Snmp(net.A, "Tcp", "OutRsts"));
        var fromA = frames.Where(f => f[14 + 12] == 10 && f[14 + 15] == 1).Select(f => f[14 + 20 + 13]).ToList();
        Assert.Equal(0x14, fromA[^1]); // RST|ACK last
        Assert.DoesNotContain(fromA, fl => (fl & 0x01) != 0); // no FIN
        var rst = Assert.Single(t.K.trace.entries, e => e.Event == "tcp_send_reset");
        Assert.EndsWith("src=10.0.0.1:7000 dest=10.0.0.2:9000 state=TCP_CLOSE reason=TCP_STATE", rst.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(tcp_ipv4_c.tcp4_seq_show(net.A.Net).Split('\n').Skip(1), l => l.Contains(":1B58 ", StringComparison.Ordinal));
    }

    // Unread data is checked before a zero linger time: B's accepted socket, with 100 bytes unread and SO_LINGER
    // {1, 0}, aborts as for unread data (TCPAbortOnClose, reason TCP_ABORT_ON_CLOSE), not through tcp_disconnect.
    [Fact]
    public void unread_data_wins_over_a_zero_linger_time()
    {
        var net = TwoHosts.OnVeth();
        var t = net.T;
        t.Spawn(net.B, "server", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.Listen(fd, 8));
            var c = (int)await libc.Accept(fd);
            Assert.Equal(0, await libc.SetSockOpt(c, Libc.SOL_SOCKET, Libc.SO_LINGER, Linger(1, 0)));
            await libc.Sleep(50_000_000);
            Assert.Equal(0, await libc.Close(c));
        });
        t.Spawn(net.A, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(100, await libc.SendTo(fd, new byte[100], 0, null));
        });
        t.K.trace.set_event("tcp:tcp_send_reset");
        t.Run(1_000_000_000);

        Assert.Equal("1", Netstat(net.B, "TcpExt", "TCPAbortOnClose"));
        Assert.Equal("0", Netstat(net.B, "TcpExt", "TCPAbortOnData"));
        Assert.EndsWith("reason=TCP_ABORT_ON_CLOSE", Assert.Single(t.K.trace.entries, e => e.Event == "tcp_send_reset").Text, StringComparison.Ordinal);
    }

    // A half-closes (shutdown SHUT_WR: FIN), B acknowledges and stays silent, so A sits in FIN_WAIT2; then A closes.
    // An orphan must not wait for the peer's FIN forever: with tcp_fin_time at 60 s (not over TCP_TIMEWAIT_LEN)
    // __tcp_close hands it to a timewait minisock at once — the full socket is destroyed (tcp_destroy_sock), the
    // entry shows in /proc/net/tcp with its substate FIN_WAIT2 (05) — and 60 s later nothing of it is left.
    [Fact]
    public void an_orphan_closed_in_FIN_WAIT2_becomes_a_timewait_minisock_for_tcp_fin_time()
    {
        var net = TwoHosts.OnVeth();
        var t = net.T;
        long shut = 1;
        string[]? atClose = null, after = null;
        t.Spawn(net.B, "server", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.Listen(fd, 8));
            Assert.True(await libc.Accept(fd) >= 0);
            await libc.Sleep(200_000_000_000);
        });
        t.Spawn(net.A, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.1:7000")));
            Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            shut = await libc.Shutdown(fd, Libc.SHUT_WR);
            await libc.Sleep(1_000_000_000);
            Assert.Equal(0, await libc.Close(fd));
            atClose = tcp_ipv4_c.tcp4_seq_show(net.A.Net).Split('\n');
            await libc.Sleep(61_000_000_000);
            after = tcp_ipv4_c.tcp4_seq_show(net.A.Net).Split('\n');
        });
        t.K.trace.set_event("sock:inet_sock_set_state");
        t.K.trace.set_event("tcp:tcp_destroy_sock");
        t.Run(70_000_000_000);

        Assert.Equal(0, shut);
        var states = t.K.trace.entries.Where(e => e.Event == "inet_sock_set_state" && e.Text.Contains("sport=7000", StringComparison.Ordinal)).Select(e => e.Text[(e.Text.IndexOf("oldstate=", StringComparison.Ordinal) + 9)..]).ToList();
        Assert.Contains("TCP_ESTABLISHED newstate=TCP_FIN_WAIT1", states);
        Assert.Contains("TCP_FIN_WAIT1 newstate=TCP_FIN_WAIT2", states);
        Assert.Contains(t.K.trace.entries, e => e.Event == "tcp_destroy_sock" && e.Text.Contains("sport=7000", StringComparison.Ordinal));
        var entry = Assert.Single(atClose!, l => l.Contains("0100000A:1B58", StringComparison.Ordinal));
        Assert.Equal("05", entry.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3]);
        Assert.DoesNotContain(after!, l => l.Contains("0100000A:1B58", StringComparison.Ordinal));
    }

    // close() of a socket with several unread segments (three writes of 16000 bytes from A, 1 ms apart, each its own skb on B's
    // receive queue): __tcp_close peeks at each skb and tcp_eat_recv_skb unlinks and frees it, so every one goes
    // (TCPAbortOnClose, a RST to A) and the queue ends empty, not negative. When both sides have closed, no skb is
    // alive and the TCP and request_sock_TCP slabs are empty again.
    [Fact]
    public void close_with_several_unread_skbs_frees_them_all()
    {
        var net = TwoHosts.OnVeth();
        var t = net.T;
        KernelNet.Kernel.Include.Linux.sk_buff_head? queue = null;
        var unread = -1;
        SimTask? server = null;
        server = t.Spawn(net.B, "server", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.Listen(fd, 8));
            var c = (int)await libc.Accept(fd);
            queue = ((KernelNet.Kernel.Include.Linux.socket)t.K.task_of(server!).files[c]).sk!.sk_receive_queue;
            await libc.Sleep(50_000_000);
            unread = queue.qlen;
            Assert.Equal(0, await libc.Close(c));
            Assert.Equal(0, await libc.Close(fd));
        });
        t.Spawn(net.A, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(16000, await libc.SendTo(fd, new byte[16000], 0, null));
                await libc.Sleep(1_000_000);
            }

            await libc.Sleep(100_000_000);
            Assert.Equal(0, await libc.Close(fd));
        });
        t.Run(1_000_000_000);

        Assert.True(unread >= 2, $"{unread} skbs unread: the test needs two or more");
        Assert.Equal(0, queue!.qlen);
        Assert.Equal("1", Netstat(net.B, "TcpExt", "TCPAbortOnClose"));
        Assert.Equal(0, t.K.skb_ledger.Live);
        Assert.Equal(0, KernelNet.Kernel.Mm.slab_common_c.find_cache(t.K, "TCP")!.active_objs);
        Assert.Equal(0, KernelNet.Kernel.Mm.slab_common_c.find_cache(t.K, "request_sock_TCP")!.active_objs);
    }

    /// <summary>Each inet_sock_set_state of A's port 7000, in trace order: the transition, who ran it, in softirq or not, when.</summary>
    private static (string Step, string Comm, bool Softirq, long At)[] StatesOf7000(Topology t) =>
        t.K.trace.entries
            .Where(e => e.Event == "inet_sock_set_state" && e.Text.Contains("sport=7000", StringComparison.Ordinal))
            .Select(e => (e.Text[(e.Text.IndexOf("oldstate=", StringComparison.Ordinal) + 9)..], e.Comm, e.Flags[2] == 's', e.Timestamp))
            .ToArray();

    // SO_LINGER {1, 5}: close() sleeps in sk_stream_wait_close after sending its FIN until the peer acknowledges it.
    // The scripted peer answers the FIN 30 ms late, so close() takes those 30 ms (the round trip of the FIN), neither
    // returning at once nor waiting the 5 s. The ACK is taken in softirq while the closer sleeps (FIN_WAIT1 ->
    // FIN_WAIT2, whose sk_state_change wakes it); then, back in the closing task, __tcp_close orphans the socket and
    // hands it to TIME_WAIT's minisock (FIN_WAIT2 -> CLOSE in the task's own context), all before close() returns.
    // O_NONBLOCK changes none of it: the wait's time is the linger time, not the socket's send timeout.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void a_lingering_close_returns_when_the_peer_acknowledges_the_FIN(bool nonblocking)
    {
        var net = TwoHosts.OnVeth();
        var t = net.T;
        var peer = TcpPeer.Start(net, (p, seg) =>
        {
            if (seg.Fin)
            {
                p.AckAfter(30_000_000, seg.EndSeq);
            }

            return Task.CompletedTask;
        }, untilNs: 2_000_000_000);
        long close = 1, closeAt = 0, closedAt = 0;
        t.Spawn(net.A, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.1:7000")));
            Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_LINGER, Linger(1, 5)));
            if (nonblocking)
            {
                Assert.Equal(0, await libc.Fcntl(fd, 4 /* F_SETFL */, 2 | 0x800 /* O_RDWR | O_NONBLOCK */));
            }

            await libc.Sleep(10_000_000);
            closeAt = t.K.ktime_get_ns();
            close = await libc.Close(fd);
            closedAt = t.K.ktime_get_ns();
        });
        t.K.trace.set_event("sock:inet_sock_set_state");
        t.Run(3_000_000_000);

        Assert.Equal(0, close);
        var fin = Assert.Single(peer.Seen, s => s.Fin);
        var ack = Assert.Single(peer.AcksSent);
        Assert.Equal(fin.EndSeq, ack.Ack);
        Assert.InRange(ack.AtNs - fin.AtNs, 30_000_000, 40_000_000); // the peer's 30 ms sleep, rounded up to its timer's jiffies
        Assert.InRange(closedAt - ack.AtNs, 0, 1_000_000); // woken by the ACK, not by the 5 s timer

        var states = StatesOf7000(t);
        Assert.Equal(
            ["TCP_CLOSE newstate=TCP_SYN_SENT", "TCP_SYN_SENT newstate=TCP_ESTABLISHED", "TCP_ESTABLISHED newstate=TCP_FIN_WAIT1", "TCP_FIN_WAIT1 newstate=TCP_FIN_WAIT2", "TCP_FIN_WAIT2 newstate=TCP_CLOSE"],
            states.Select(s => s.Step).ToArray());
        Assert.True(states[3].Softirq, "the FIN's ACK is taken in softirq");
        Assert.Equal(("client", false), (states[4].Comm, states[4].Softirq)); // the closing task moves the orphan on
        Assert.InRange(states[4].At, ack.AtNs, closedAt);
    }

    // The same close when nothing comes back: once the connection is up, A's INPUT drops everything from B, so the
    // FIN is never acknowledged. close() with SO_LINGER {1, 1} gives up after its linger time — HZ jiffies, 1 s (the
    // timer wheel may round the expiry up by its level's granularity) — and still returns 0. Meanwhile the RTO timer
    // retransmitted the FIN; the socket is then orphaned where it stands, in FIN_WAIT1 (04 in /proc/net/tcp).
    [Fact]
    public void a_lingering_close_gives_up_at_the_linger_time_when_the_FIN_is_never_acknowledged()
    {
        var net = TwoHosts.OnVeth();
        var t = net.T;
        long close = 1, closeAt = 0, closedAt = 0;
        string[]? afterClose = null;
        t.Spawn(net.B, "server", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.Listen(fd, 8));
            Assert.True(await libc.Accept(fd) >= 0);
            await libc.Sleep(5_000_000_000);
        });
        t.Spawn(net.A, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.1:7000")));
            Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_LINGER, Linger(1, 1)));
            await libc.Sleep(10_000_000);
            iptable_filter_c.iptables_append(net.A.Net, "INPUT", new ipt_entry { ip = new ipt_ip { src = 0x0a000002, smsk = 0xffffffff }, verdict = KernelNet.Kernel.Include.Linux.netfilter_h.NF_DROP });
            closeAt = t.K.ktime_get_ns();
            close = await libc.Close(fd);
            closedAt = t.K.ktime_get_ns();
            afterClose = tcp_ipv4_c.tcp4_seq_show(net.A.Net).Split('\n');
        });
        t.K.trace.set_event("sock:inet_sock_set_state");
        t.K.trace.set_event("tcp:tcp_retransmit_skb");
        t.Run(3_000_000_000);

        Assert.Equal(0, close);
        var hz = (long)KernelNet.Kernel.Vmlinux.HZ;
        Assert.InRange(closedAt - closeAt, 1_000_000_000, 1_000_000_000 + (9L * 1_000_000_000 / hz));
        Assert.Contains(t.K.trace.entries, e => e.Event == "tcp_retransmit_skb" && e.Timestamp > closeAt && e.Timestamp < closedAt);
        Assert.Equal("TCP_ESTABLISHED newstate=TCP_FIN_WAIT1", StatesOf7000(t)[^1].Step);
        var entry = Assert.Single(afterClose!, l => l.Contains("0100000A:1B58", StringComparison.Ordinal));
        Assert.Equal("04", entry.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3]);
    }

    // SO_LINGER means nothing to UDP (udp_lib_close ignores the timeout inet_release hands it): a connected UDP
    // socket with SO_LINGER {1, 5} closes at once. (setsockopt goes through udp_setsockopt's buffer path: UDP takes
    // SOL_SOCKET itself, SOCK_CUSTOM_SOCKOPT, and struct linger is no int.)
    [Fact]
    public void SO_LINGER_does_not_make_a_UDP_close_wait()
    {
        var net = TwoHosts.OnVeth();
        var t = net.T;
        long close = 1, closeAt = 0, closedAt = -1;
        t.Spawn(net.A, "client", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, Libc.IPPROTO_UDP);
            Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_LINGER, Linger(1, 5)));
            Assert.Equal(5, await libc.SendTo(fd, new byte[5], 0, null));
            closeAt = t.K.ktime_get_ns();
            close = await libc.Close(fd);
            closedAt = t.K.ktime_get_ns();
        });
        t.Run(100_000_000);

        Assert.Equal(0, close);
        Assert.InRange(closedAt - closeAt, 0, 1_000_000); // the syscall's own cost, not a wait
    }
}
