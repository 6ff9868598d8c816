using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Net.Ipv4;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using KernelNet.Tests.Support;
using static KernelNet.Tests.Support.ProcNet;
using Xunit;

namespace KernelNet.Tests.Net.Ipv4;

/// <summary>
/// The first slice of TCP: an active open to a port nobody listens on, as in
/// oracle-tests/recordings/tcp-connection-refused (real Linux 6.18).
/// </summary>
public sealed class tcp_tests
{
    /// <summary>
    /// a binds 10.0.0.1:7000 and connects to 10.0.0.2:9999; b taps its eth0
    /// with an AF_PACKET socket and keeps every IPv4 frame it sees (the SYN in,
    /// the RST out).
    /// </summary>
    private static (Topology T, Host A, Host B, long Connect, List<byte[]> Frames) ConnectToClosedPort(string? congestion = null, Action<long>? setopt = null)
    {
        var net = Support.TwoHosts.OnVeth();
        var (t, a, b) = (net.T, net.A, net.B);
        long connect = 1;
        var frames = net.TapIpv4OnB(50_000_000);
        t.Spawn(a, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            if (congestion is not null)
            {
                setopt?.Invoke(await libc.SetSockOpt(fd, Libc.IPPROTO_TCP, Libc.TCP_CONGESTION, System.Text.Encoding.ASCII.GetBytes(congestion)));
            }

            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.1:7000")));
            connect = await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9999"));
            Assert.Equal(0, await libc.Close(fd));
        });
        t.K.trace.set_event("sock:inet_sock_set_state");
        t.K.trace.set_event("skb:kfree_skb");
        t.Run(1_000_000_000);
        return (t, a, b, connect, frames);
    }

    // RFC 9293 3.10.7.3: in SYN-SENT, an acceptable ACK with RST means "error: connection reset" — connect reports ECONNREFUSED.
    [Fact]
    public void connect_to_a_closed_port_is_refused_by_the_peers_RST_ACK()
    {
        var (t, _, _, connect, frames) = ConnectToClosedPort();

        Assert.Equal(-Libc.ECONNREFUSED, connect);
        Assert.Equal(2, frames.Count);

        // The RST (b -> a): RST|ACK, seq 0, ack = the SYN's seq + 1, window 0, no options, DF, TTL 64, IP ID 0.
        var syn = frames[0].AsSpan(14);
        var rst = frames[1].AsSpan(14);
        var synTcp = syn[20..];
        var rstTcp = rst[20..];
        Assert.Equal(40, BinaryPrimitives.ReadUInt16BigEndian(rst[2..]));
        Assert.Equal(0x4000, BinaryPrimitives.ReadUInt16BigEndian(rst[6..]) & 0x4000);
        Assert.Equal(64, rst[8]);
        Assert.Equal(0, BinaryPrimitives.ReadUInt16BigEndian(rst[4..]));
        Assert.Equal(9999, BinaryPrimitives.ReadUInt16BigEndian(rstTcp));
        Assert.Equal(7000, BinaryPrimitives.ReadUInt16BigEndian(rstTcp[2..]));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(rstTcp[4..]));
        Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(synTcp[4..]) + 1, BinaryPrimitives.ReadUInt32BigEndian(rstTcp[8..]));
        Assert.Equal(5, rstTcp[12] >> 4);
        Assert.Equal(0x14, rstTcp[13]);
        Assert.Equal(0, BinaryPrimitives.ReadUInt16BigEndian(rstTcp[14..]));

        // b dropped the SYN for want of a socket, after answering it.
        Assert.Contains(t.K.trace.entries, e => e.Event == "kfree_skb" && e.Text.Contains("location=tcp_v4_rcv", StringComparison.Ordinal) && e.Text.EndsWith("reason: NO_SOCKET", StringComparison.Ordinal));
    }

    // The SYN carries what Linux 6.18's carries (the recording's pcap): MSS 1460, SACK-permitted, timestamps, NOP, window scale 10, window 64240.
    [Fact]
    public void the_SYN_carries_the_options_and_window_linux_sends()
    {
        var (_, _, _, _, frames) = ConnectToClosedPort();

        var syn = frames[0].AsSpan(14);
        var tcp = syn[20..];
        Assert.Equal(60, BinaryPrimitives.ReadUInt16BigEndian(syn[2..]));
        Assert.Equal(0x4000, BinaryPrimitives.ReadUInt16BigEndian(syn[6..]) & 0x4000);
        Assert.Equal(64, syn[8]);
        Assert.Equal(10, tcp[12] >> 4);
        Assert.Equal(0x02, tcp[13]);
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(tcp[8..]));
        Assert.Equal(64240, BinaryPrimitives.ReadUInt16BigEndian(tcp[14..]));
        var options = tcp[20..40].ToArray();
        Assert.Equal(new byte[] { 2, 4, 0x05, 0xb4, 4, 2, 8, 10 }, options[..8]);
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(options.AsSpan(12)));
        Assert.Equal(new byte[] { 1, 3, 3, 10 }, options[16..]);

        // Over veth the SYN is CHECKSUM_PARTIAL: the tap sees the folded pseudo-header sum in the check field
        // (tcpdump's "cksum incorrect" on a real veth capture), not the sum over the segment.
        var pseudo = KernelNet.Kernel.Include.Net.checksum_h.csum_tcpudp_nofold(0x0a000001, 0x0a000002, 40, 6, 0);
        Assert.Equal((ushort)~KernelNet.Kernel.Include.Net.checksum_h.csum_fold(pseudo), BinaryPrimitives.ReadUInt16BigEndian(tcp[16..]));
    }

    // counters.txt of the recording: a ActiveOpens, AttemptFails, InSegs, OutSegs 1; b InSegs, OutSegs, OutRsts 1.
    [Fact]
    public void counters_are_those_of_linux()
    {
        var (_, a, b, _, _) = ConnectToClosedPort();

        Assert.Equal("1", Snmp(a, "Tcp", "ActiveOpens"));
        Assert.Equal("1", Snmp(a, "Tcp", "AttemptFails"));
        Assert.Equal("1", Snmp(a, "Tcp", "InSegs"));
        Assert.Equal("1", Snmp(a, "Tcp", "OutSegs"));
        Assert.Equal("0", Snmp(a, "Tcp", "OutRsts"));
        Assert.Equal("0", Snmp(a, "Tcp", "CurrEstab"));
        Assert.Equal("1", Snmp(b, "Tcp", "InSegs"));
        Assert.Equal("1", Snmp(b, "Tcp", "OutSegs"));
        Assert.Equal("1", Snmp(b, "Tcp", "OutRsts"));
        Assert.Equal("0", Snmp(b, "Tcp", "ActiveOpens"));
    }

    // TCP-2 (in part): the active open goes CLOSE -> SYN_SENT, and the refusal SYN_SENT -> CLOSE; nothing else (close of a CLOSE socket traces nothing).
    [Fact]
    public void inet_sock_set_state_goes_CLOSE_SYN_SENT_CLOSE()
    {
        var (t, _, _, _, _) = ConnectToClosedPort();

        var states = t.K.trace.entries.Where(e => e.Event == "inet_sock_set_state").Select(e => e.Text).ToList();
        Assert.Equal(2, states.Count);
        Assert.Equal("family=AF_INET protocol=IPPROTO_TCP sport=7000 dport=9999 saddr=10.0.0.1 daddr=10.0.0.2 saddrv6=::ffff:10.0.0.1 daddrv6=::ffff:10.0.0.2 oldstate=TCP_CLOSE newstate=TCP_SYN_SENT", states[0]);
        Assert.EndsWith("oldstate=TCP_SYN_SENT newstate=TCP_CLOSE", states[1], StringComparison.Ordinal);
    }

    // The SYN on the retransmit queue and the RST are freed without a tracepoint; nothing is left, and the port is free again after close.
    [Fact]
    public void nothing_leaks_and_close_gives_the_port_back()
    {
        var (t, a, _, _, _) = ConnectToClosedPort();

        Assert.Equal(0, t.K.skb_ledger.Live);
        Assert.Equal(1, t.K.trace.entries.Count(e => e.Event == "kfree_skb"));
        Assert.Empty(TcpTables.EhashSocks(tcp_ipv4_c.tcp_hashinfo(t.K)));
        Assert.DoesNotContain(TcpTables.BoundPorts(tcp_ipv4_c.tcp_hashinfo(t.K)), k => k.Net == a.Net);
    }

    // setsockopt(TCP_CONGESTION) takes a registered algorithm's name (cubic, reno); an unknown one is ENOENT.
    [Theory]
    [InlineData("cubic", 0)]
    [InlineData("reno", 0)]
    [InlineData("vegas", -2)]
    public void TCP_CONGESTION_takes_a_registered_name(string name, long expected)
    {
        long rc = 1;
        var (_, _, _, connect, _) = ConnectToClosedPort(name, r => rc = r);

        Assert.Equal(expected, rc);
        Assert.Equal(-Libc.ECONNREFUSED, connect);
    }

    /// <summary>
    /// As oracle-tests/recordings/tcp-handshake: b listens on 10.0.0.2:9000
    /// (backlog 8) and accepts with SO_RCVTIMEO 1 s; a binds 10.0.0.1:7000
    /// and connects (blocking). b's eth0 is tapped for the three segments.
    /// </summary>
    private static (Topology T, Host A, Host B, long Connect, long Accept, KernelNet.Kernel.Include.Net.sock? Child, (long Ret, SockAddrIn Addr) Name, List<byte[]> Frames) Handshake(int backlog = 8)
    {
        var net = Support.TwoHosts.OnVeth();
        var (t, a, b) = (net.T, net.A, net.B);
        long connect = 1, accept = 1;
        KernelNet.Kernel.Include.Net.sock? child = null;
        (long, SockAddrIn) name = default;
        var frames = net.TapIpv4OnB(50_000_000);
        SimTask? server = null;
        server = t.Spawn(b, "server", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.Listen(fd, backlog));
            await libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, 1_000_000);
            accept = await libc.Accept(fd);
            if (accept >= 0)
            {
                name = await libc.GetSockName((int)accept);
                child = ((KernelNet.Kernel.Include.Linux.socket)t.K.task_of(server!).files[(int)accept]).sk;
            }
        });
        t.Spawn(a, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.1:7000")));
            connect = await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9000"));
        });
        t.K.trace.set_event("sock:inet_sock_set_state");
        t.K.trace.set_event("skb:kfree_skb");
        t.K.trace.set_event("skb:consume_skb");
        t.Run(1_000_000_000);
        return (t, a, b, connect, accept, child, name, frames);
    }

    // TCP-2 (the opening half): connect returns 0 and accept a new descriptor; the states go as the recording's trace:
    // listener CLOSE -> LISTEN; a CLOSE -> SYN_SENT -> ESTABLISHED; the child LISTEN -> SYN_RECV -> ESTABLISHED.
    [Fact]
    public void the_three_way_handshake_establishes_both_ends_as_linux_traces_it()
    {
        var (t, _, _, connect, accept, _, _, _) = Handshake();

        Assert.Equal(0, connect);
        Assert.True(accept >= 3);
        var states = t.K.trace.entries.Where(e => e.Event == "inet_sock_set_state").Select(e => e.Text).ToList();
        Assert.Equal(
            new[]
            {
                "sport=9000 dport=0 saddr=10.0.0.2 daddr=0.0.0.0 saddrv6=::ffff:10.0.0.2 daddrv6=::ffff:0.0.0.0 oldstate=TCP_CLOSE newstate=TCP_LISTEN",
                "sport=7000 dport=9000 saddr=10.0.0.1 daddr=10.0.0.2 saddrv6=::ffff:10.0.0.1 daddrv6=::ffff:10.0.0.2 oldstate=TCP_CLOSE newstate=TCP_SYN_SENT",
                "sport=7000 dport=9000 saddr=10.0.0.1 daddr=10.0.0.2 saddrv6=::ffff:10.0.0.1 daddrv6=::ffff:10.0.0.2 oldstate=TCP_SYN_SENT newstate=TCP_ESTABLISHED",
                "sport=9000 dport=7000 saddr=10.0.0.2 daddr=10.0.0.1 saddrv6=::ffff:10.0.0.2 daddrv6=::ffff:10.0.0.1 oldstate=TCP_LISTEN newstate=TCP_SYN_RECV",
                "sport=9000 dport=7000 saddr=10.0.0.2 daddr=10.0.0.1 saddrv6=::ffff:10.0.0.2 daddrv6=::ffff:10.0.0.1 oldstate=TCP_SYN_RECV newstate=TCP_ESTABLISHED",
            },
            states.Select(s => s["family=AF_INET protocol=IPPROTO_TCP ".Length..]));
    }

    // The SYN-ACK as Linux 6.18 sends it (the recording's pcap): SYN|ACK acknowledging the SYN, window 65160 (45 x 1448),
    // MSS 1460, SACK-permitted, timestamps echoing the SYN's, NOP, window scale 10; IP ID 0 with DF. The ACK: window 63 (x 1024), NOP NOP TS.
    [Fact]
    public void the_SYN_ACK_and_the_ACK_carry_what_linux_sends()
    {
        var (_, _, _, _, _, _, _, frames) = Handshake();

        Assert.Equal(3, frames.Count);
        var syn = frames[0].AsSpan(14)[20..];
        var synack = frames[1].AsSpan(14);
        var sa = synack[20..];
        Assert.Equal(60, BinaryPrimitives.ReadUInt16BigEndian(synack[2..]));
        Assert.Equal(0, BinaryPrimitives.ReadUInt16BigEndian(synack[4..]));
        Assert.Equal(0x4000, BinaryPrimitives.ReadUInt16BigEndian(synack[6..]));
        Assert.Equal(9000, BinaryPrimitives.ReadUInt16BigEndian(sa));
        Assert.Equal(7000, BinaryPrimitives.ReadUInt16BigEndian(sa[2..]));
        Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(syn[4..]) + 1, BinaryPrimitives.ReadUInt32BigEndian(sa[8..]));
        Assert.Equal(0x12, sa[13]);
        Assert.Equal(65160, BinaryPrimitives.ReadUInt16BigEndian(sa[14..]));
        var options = sa[20..40].ToArray();
        Assert.Equal(new byte[] { 2, 4, 0x05, 0xb4, 4, 2, 8, 10 }, options[..8]);
        Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(syn[28..]), BinaryPrimitives.ReadUInt32BigEndian(options.AsSpan(12)));
        Assert.Equal(new byte[] { 1, 3, 3, 10 }, options[16..]);

        var ack = frames[2].AsSpan(14)[20..];
        Assert.Equal(0x10, ack[13]);
        Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(syn[4..]) + 1, BinaryPrimitives.ReadUInt32BigEndian(ack[4..]));
        Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(sa[4..]) + 1, BinaryPrimitives.ReadUInt32BigEndian(ack[8..]));
        Assert.Equal(63, BinaryPrimitives.ReadUInt16BigEndian(ack[14..]));
        Assert.Equal(new byte[] { 1, 1, 8, 10 }, ack[20..24].ToArray());
        Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(options.AsSpan(8)), BinaryPrimitives.ReadUInt32BigEndian(ack[28..]));
    }

    // accept returns the child: bound to 10.0.0.2:9000, connected to 10.0.0.1:7000, ESTABLISHED, its sequence space the handshake's.
    [Fact]
    public void accept_returns_the_connection_with_its_4_tuple()
    {
        var (t, _, b, _, _, child, name, _) = Handshake();

        Assert.Equal(16, name.Ret);
        Assert.Equal(SockAddrIn.Parse("10.0.0.2:9000"), name.Addr);
        Assert.NotNull(child);
        Assert.Equal(KernelNet.Kernel.Include.Net.sock_h.TCP_ESTABLISHED, child!.sk_state);
        var key = KernelNet.Kernel.Include.Net.inet_sock_h.inet_sk(Assert.Single(TcpTables.EhashSocks(tcp_ipv4_c.tcp_hashinfo(t.K)), s => s == child));
        Assert.Equal(b.Net, key.sk.sk_net);
        Assert.Equal((ushort)9000, key.inet_num);
        Assert.Equal((ushort)7000, key.inet_dport);
        Assert.Equal(0u, child.sk_ack_backlog);
    }

    // counters.txt of the recording: a ActiveOpens, CurrEstab, InSegs 1, OutSegs 2, TCPDelivered 1; b PassiveOpens, CurrEstab, InSegs 2, OutSegs 1, TCPPureAcks 1.
    [Fact]
    public void handshake_counters_are_those_of_linux()
    {
        var (_, a, b, _, _, _, _, _) = Handshake();
        var ma = netns_ipv4.of(a.Net).mib.net_statistics;
        var mb = netns_ipv4.of(b.Net).mib.net_statistics;

        Assert.Equal(("1", "1", "1", "2", "0"), (Snmp(a, "Tcp", "ActiveOpens"), Snmp(a, "Tcp", "CurrEstab"), Snmp(a, "Tcp", "InSegs"), Snmp(a, "Tcp", "OutSegs"), Snmp(a, "Tcp", "PassiveOpens")));
        Assert.Equal(("1", "1", "2", "1", "0"), (Snmp(b, "Tcp", "PassiveOpens"), Snmp(b, "Tcp", "CurrEstab"), Snmp(b, "Tcp", "InSegs"), Snmp(b, "Tcp", "OutSegs"), Snmp(b, "Tcp", "ActiveOpens")));
        Assert.Equal(1UL, (ulong)ma[(int)KernelNet.Kernel.Include.Uapi.Linux.linux_mib_field.LINUX_MIB_TCPDELIVERED]);
        Assert.Equal(0UL, (ulong)ma[(int)KernelNet.Kernel.Include.Uapi.Linux.linux_mib_field.LINUX_MIB_TCPPUREACKS]);
        Assert.Equal(1UL, (ulong)mb[(int)KernelNet.Kernel.Include.Uapi.Linux.linux_mib_field.LINUX_MIB_TCPPUREACKS]);
        Assert.Equal(0UL, (ulong)mb[(int)KernelNet.Kernel.Include.Uapi.Linux.linux_mib_field.LINUX_MIB_LISTENDROPS]);
    }

    // The SYN is consumed where Linux consumes it (consume_skb at tcp_rcv_state_process); the SYN-ACK, the ACK and the SYN on a's
    // retransmit queue are freed without a tracepoint; nothing is dropped and no skb is left; the request sock left the tables.
    [Fact]
    public void the_handshake_frees_its_segments_as_linux_and_leaks_nothing()
    {
        var (t, _, b, _, _, _, _, _) = Handshake();

        Assert.Single(t.K.trace.entries, e => e.Event == "consume_skb" && e.Text.Contains("location=tcp_rcv_state_process", StringComparison.Ordinal));
        Assert.DoesNotContain(t.K.trace.entries, e => e.Event == "kfree_skb");
        Assert.Equal(0, t.K.skb_ledger.Live);
        Assert.Equal(2, TcpTables.EhashSocks(tcp_ipv4_c.tcp_hashinfo(t.K)).Count);
        Assert.DoesNotContain(TcpTables.EhashSocks(tcp_ipv4_c.tcp_hashinfo(t.K)), s => s.sk_state == KernelNet.Kernel.Include.Net.tcp_states_h.TCP_NEW_SYN_RECV);
    }

    /// <summary>
    /// tcp-close: after the handshake a closes at 200 ms; b closes the accepted socket at 300 ms, then the
    /// listener. b's tap keeps every IPv4 frame (the FIN, the delayed ACK, b's FIN, the timewait ACK).
    /// </summary>
    private static (Topology T, Host A, Host B, List<byte[]> Frames) Close()
    {
        var net = Support.TwoHosts.OnVeth();
        var (t, a, b) = (net.T, net.A, net.B);
        var frames = net.TapIpv4OnB(800_000_000);
        t.Spawn(b, "server", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.Listen(fd, 8));
            var s = (int)await libc.Accept(fd);
            Assert.True(s >= 0);
            await libc.Sleep(300_000_000);
            Assert.Equal(0, await libc.Close(s));
            await libc.Sleep(100_000_000);
            Assert.Equal(0, await libc.Close(fd));
        });
        t.Spawn(a, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.1:7000")));
            Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            await libc.Sleep(200_000_000);
            Assert.Equal(0, await libc.Close(fd));
        });
        t.K.trace.set_event("sock:inet_sock_set_state");
        t.K.trace.set_event("skb:kfree_skb");
        t.K.trace.set_event("skb:consume_skb");
        t.Run(1_000_000_000);
        return (t, a, b, frames);
    }

    // TCP-2 (the closing half), as the tcp-close recording's trace: a ESTABLISHED -> FIN_WAIT1 -> FIN_WAIT2 -> CLOSE (the
    // full socket ends when its timewait sock takes over), b's child ESTABLISHED -> CLOSE_WAIT -> LAST_ACK -> CLOSE, the listener LISTEN -> CLOSE.
    [Fact]
    public void close_moves_both_ends_through_the_states_linux_traces()
    {
        var (t, _, _, _) = Close();

        var states = t.K.trace.entries.Where(e => e.Event == "inet_sock_set_state").Select(e => e.Text["family=AF_INET protocol=IPPROTO_TCP ".Length..]).ToList();
        Assert.Equal(
            new[]
            {
                "sport=7000 dport=9000 saddr=10.0.0.1 daddr=10.0.0.2 saddrv6=::ffff:10.0.0.1 daddrv6=::ffff:10.0.0.2 oldstate=TCP_ESTABLISHED newstate=TCP_FIN_WAIT1",
                "sport=9000 dport=7000 saddr=10.0.0.2 daddr=10.0.0.1 saddrv6=::ffff:10.0.0.2 daddrv6=::ffff:10.0.0.1 oldstate=TCP_ESTABLISHED newstate=TCP_CLOSE_WAIT",
                "sport=7000 dport=9000 saddr=10.0.0.1 daddr=10.0.0.2 saddrv6=::ffff:10.0.0.1 daddrv6=::ffff:10.0.0.2 oldstate=TCP_FIN_WAIT1 newstate=TCP_FIN_WAIT2",
                "sport=7000 dport=9000 saddr=10.0.0.1 daddr=10.0.0.2 saddrv6=::ffff:10.0.0.1 daddrv6=::ffff:10.0.0.2 oldstate=TCP_FIN_WAIT2 newstate=TCP_CLOSE",
                "sport=9000 dport=7000 saddr=10.0.0.2 daddr=10.0.0.1 saddrv6=::ffff:10.0.0.2 daddrv6=::ffff:10.0.0.1 oldstate=TCP_CLOSE_WAIT newstate=TCP_LAST_ACK",
                "sport=9000 dport=7000 saddr=10.0.0.2 daddr=10.0.0.1 saddrv6=::ffff:10.0.0.2 daddrv6=::ffff:10.0.0.1 oldstate=TCP_LAST_ACK newstate=TCP_CLOSE",
                "sport=9000 dport=0 saddr=10.0.0.2 daddr=0.0.0.0 saddrv6=::ffff:10.0.0.2 daddrv6=::ffff:0.0.0.0 oldstate=TCP_LISTEN newstate=TCP_CLOSE",
            },
            states.Skip(5));
    }

    // The segments of the close, as the recording's pcap: a's FIN|ACK (seq 1, ack 1 relative); b's ACK of it delayed to the
    // delayed-ACK timer (ack 2, echoing the FIN's timestamp); b's FIN|ACK; the timewait sock's ACK (seq 2, ack 2, window 63,
    // echoing b's FIN's timestamp). Frames 0-2 are the handshake.
    [Fact]
    public void the_close_sends_FINs_a_delayed_ACK_and_the_timewait_ACK_as_linux()
    {
        var (_, _, _, frames) = Close();

        Assert.Equal(7, frames.Count);
        var syn = frames[0].AsSpan(34);
        var synack = frames[1].AsSpan(34);
        var isn_a = BinaryPrimitives.ReadUInt32BigEndian(syn[4..]);
        var isn_b = BinaryPrimitives.ReadUInt32BigEndian(synack[4..]);
        var fin_a = frames[3].AsSpan(34);
        var dack = frames[4].AsSpan(34);
        var fin_b = frames[5].AsSpan(34);
        var twack = frames[6].AsSpan(34);
        Assert.Equal((0x11, isn_a + 1, isn_b + 1), (fin_a[13], BinaryPrimitives.ReadUInt32BigEndian(fin_a[4..]), BinaryPrimitives.ReadUInt32BigEndian(fin_a[8..])));
        Assert.Equal((0x10, isn_b + 1, isn_a + 2), (dack[13], BinaryPrimitives.ReadUInt32BigEndian(dack[4..]), BinaryPrimitives.ReadUInt32BigEndian(dack[8..])));
        Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(fin_a[24..]), BinaryPrimitives.ReadUInt32BigEndian(dack[28..]));
        Assert.Equal((0x11, isn_b + 1, isn_a + 2), (fin_b[13], BinaryPrimitives.ReadUInt32BigEndian(fin_b[4..]), BinaryPrimitives.ReadUInt32BigEndian(fin_b[8..])));
        Assert.Equal((0x10, isn_a + 2, isn_b + 2), (twack[13], BinaryPrimitives.ReadUInt32BigEndian(twack[4..]), BinaryPrimitives.ReadUInt32BigEndian(twack[8..])));
        Assert.Equal(63, BinaryPrimitives.ReadUInt16BigEndian(twack[14..]));
        Assert.Equal(new byte[] { 1, 1, 8, 10 }, twack[20..24].ToArray());
        Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(fin_b[24..]), BinaryPrimitives.ReadUInt32BigEndian(twack[28..]));
    }

    // a's 4-tuple is held by a timewait sock in TIME_WAIT (the full socket is gone), counted as TW; 60 s later it leaves the table.
    // counters.txt: a TW 1, TCPPureAcks 1, TCPOrigDataSent 1, TCPDelivered 2, OutSegs 4; b DelayedACKs 1, TCPPureAcks 2, TCPOrigDataSent 1, TCPDelivered 1.
    [Fact]
    public void a_ends_in_TIME_WAIT_for_60_s_and_the_counters_are_those_of_linux()
    {
        var (t, a, b, _) = Close();
        var ma = netns_ipv4.of(a.Net).mib.net_statistics;
        var mb = netns_ipv4.of(b.Net).mib.net_statistics;

        var tw = Assert.Single(TcpTables.EhashSocks(tcp_ipv4_c.tcp_hashinfo(t.K)));
        Assert.Equal(KernelNet.Kernel.Include.Net.tcp_states_h.TCP_TIME_WAIT, tw.sk_state);
        Assert.Equal(a.Net, tw.sk_net);
        Assert.Equal(KernelNet.Kernel.Include.Net.tcp_states_h.TCP_TIME_WAIT, KernelNet.Kernel.Include.Net.inet_timewait_sock_h.inet_twsk(tw).tw_substate);

        static ulong M(long[] m, KernelNet.Kernel.Include.Uapi.Linux.linux_mib_field f) => (ulong)m[(int)f];
        Assert.Equal((1UL, 1UL, 1UL, 2UL, 0UL), (M(ma, KernelNet.Kernel.Include.Uapi.Linux.linux_mib_field.LINUX_MIB_TIMEWAITED), M(ma, KernelNet.Kernel.Include.Uapi.Linux.linux_mib_field.LINUX_MIB_TCPPUREACKS), M(ma, KernelNet.Kernel.Include.Uapi.Linux.linux_mib_field.LINUX_MIB_TCPORIGDATASENT), M(ma, KernelNet.Kernel.Include.Uapi.Linux.linux_mib_field.LINUX_MIB_TCPDELIVERED), M(ma, KernelNet.Kernel.Include.Uapi.Linux.linux_mib_field.LINUX_MIB_DELAYEDACKS)));
        Assert.Equal((1UL, 2UL, 1UL, 1UL, 0UL), (M(mb, KernelNet.Kernel.Include.Uapi.Linux.linux_mib_field.LINUX_MIB_DELAYEDACKS), M(mb, KernelNet.Kernel.Include.Uapi.Linux.linux_mib_field.LINUX_MIB_TCPPUREACKS), M(mb, KernelNet.Kernel.Include.Uapi.Linux.linux_mib_field.LINUX_MIB_TCPORIGDATASENT), M(mb, KernelNet.Kernel.Include.Uapi.Linux.linux_mib_field.LINUX_MIB_TCPDELIVERED), M(mb, KernelNet.Kernel.Include.Uapi.Linux.linux_mib_field.LINUX_MIB_TIMEWAITED)));
        Assert.Equal(("4", "3", "0"), (Snmp(a, "Tcp", "OutSegs"), Snmp(a, "Tcp", "InSegs"), Snmp(a, "Tcp", "CurrEstab")));
        Assert.Equal(("3", "4", "0"), (Snmp(b, "Tcp", "OutSegs"), Snmp(b, "Tcp", "InSegs"), Snmp(b, "Tcp", "CurrEstab")));

        t.Run(61_000_000_000); // run until 61 s of virtual time: the TIME_WAIT began at about 0.5 s
        Assert.Empty(TcpTables.EhashSocks(tcp_ipv4_c.tcp_hashinfo(t.K)));
    }

    // As in the recording, the only traced free of the close is b's FIN at a, which the timewait sock answers: kfree_skb
    // NOT_SPECIFIED from tcp_v4_rcv. The rest go without a tracepoint (a's FIN at b with b's receive queue on close, the FINs
    // on the retransmit queues when ACKed, the pure ACKs consumed by their sockets). No skb is left.
    [Fact]
    public void the_close_frees_its_segments_as_linux_and_leaks_nothing()
    {
        var (t, _, _, _) = Close();

        var kfree = Assert.Single(t.K.trace.entries, e => e.Event == "kfree_skb");
        Assert.Contains("reason: NOT_SPECIFIED", kfree.Text, StringComparison.Ordinal);
        Assert.Equal(0, t.K.skb_ledger.Live);
    }

    // listen(2)'s backlog is capped at net.core.somaxconn: sk_max_ack_backlog = min(backlog, somaxconn).
    [Fact]
    public void listen_caps_the_backlog_at_somaxconn()
    {
        var net = Support.TwoHosts.OnVeth();
        var (t, _, b) = (net.T, net.A, net.B);
        b.Net.core_sysctl["somaxconn"] = 5;
        KernelNet.Kernel.Include.Net.sock? sk = null;
        SimTask? task = null;
        task = t.Spawn(b, "server", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.Listen(fd, 100));
            sk = ((KernelNet.Kernel.Include.Linux.socket)t.K.task_of(task!).files[fd]).sk;
        });
        t.Run(10_000_000);

        Assert.Equal(5u, sk!.sk_max_ack_backlog);
        Assert.Equal(KernelNet.Kernel.Include.Net.tcp_states_h.TCP_LISTEN, sk.sk_state);
    }

    // With nobody connecting, accept waits SO_RCVTIMEO and fails EAGAIN.
    [Fact]
    public void accept_times_out_with_EAGAIN()
    {
        var net = Support.TwoHosts.OnVeth();
        var (t, _, b) = (net.T, net.A, net.B);
        long accept = 1;
        t.Spawn(b, "server", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.Listen(fd, 8));
            await libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, 100_000);
            accept = await libc.Accept(fd);
        });
        t.Run(1_000_000_000);

        Assert.Equal(-11, accept);
    }

    // A full accept queue (listen backlog 0: one connection may wait) drops the next SYN: ListenOverflows and ListenDrops, as tcp_conn_request counts them.
    [Fact]
    public void a_full_accept_queue_drops_the_SYN_counting_ListenOverflows_and_ListenDrops()
    {
        var net = Support.TwoHosts.OnVeth();
        var (t, a, b) = (net.T, net.A, net.B);
        long first = 1, second = 1;
        t.Spawn(b, "server", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.Listen(fd, 0));
        });
        t.Spawn(a, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd1 = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd1, SockAddrIn.Parse("10.0.0.1:7000")));
            first = await libc.Connect(fd1, SockAddrIn.Parse("10.0.0.2:9000"));
            var fd2 = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd2, SockAddrIn.Parse("10.0.0.1:7001")));
            await libc.SetSockOpt(fd2, Libc.SOL_SOCKET, 21 /* SO_SNDTIMEO */, 100_000);
            second = await libc.Connect(fd2, SockAddrIn.Parse("10.0.0.2:9000"));
        });
        t.Run(500_000_000);

        var mb = netns_ipv4.of(b.Net).mib.net_statistics;
        Assert.Equal(0, first);
        Assert.Equal(-115 /* EINPROGRESS: the SYN went unanswered */, second);
        Assert.Equal(1UL, (ulong)mb[(int)KernelNet.Kernel.Include.Uapi.Linux.linux_mib_field.LINUX_MIB_LISTENOVERFLOWS]);
        Assert.Equal(1UL, (ulong)mb[(int)KernelNet.Kernel.Include.Uapi.Linux.linux_mib_field.LINUX_MIB_LISTENDROPS]);
        Assert.Equal("1", Snmp(b, "Tcp", "PassiveOpens"));
        Assert.Equal("2", Snmp(a, "Tcp", "ActiveOpens"));
    }

    // tcp_disconnect (connect(AF_UNSPEC) on a connected socket): besides the RST and CLOSE, the old connection's
    // estimates go: the RTT variance is a fresh socket's again (mdev_us = TCP_TIMEOUT_INIT, 1 s, so TCP_INFO's
    // rttvar reads 250000 µs), the congestion state is set back to Open (traced as tcp_cong_state_set) and the
    // delayed-ACK state is cleared.
    [Fact]
    public void connect_AF_UNSPEC_resets_the_rtt_variance_and_the_congestion_state_of_the_old_connection()
    {
        var net = Support.TwoHosts.OnVeth();
        KernelNet.Kernel.Include.Net.sock? client = null;
        long disconnect = -100;
        uint mdevBefore = 0;
        var tracedBefore = 0;
        SimTask? server = null, cl = null;
        server = net.T.Spawn(net.B, "server", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.Listen(fd, 8));
            Assert.True(await libc.Accept(fd) >= 0);
        });
        cl = net.T.Spawn(net.A, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            client = ((KernelNet.Kernel.Include.Linux.socket)net.T.K.task_of(cl!).files[fd]).sk;
            Assert.Equal(1000, await libc.SendTo(fd, new byte[1000], 0, null));
            await libc.Sleep(50_000_000);
            mdevBefore = KernelNet.Kernel.Include.Linux.tcp_h.tcp_sk(client!).mdev_us;
            tracedBefore = net.T.K.trace.entries.Count;
            disconnect = await libc.Connect(fd, new byte[16], 16); // AF_UNSPEC
        });
        net.T.K.trace.set_event("tcp:tcp_cong_state_set");
        net.T.Run(200_000_000);

        Assert.Equal(0, disconnect);
        Assert.Equal(KernelNet.Kernel.Include.Net.sock_h.TCP_CLOSE, client!.sk_state);

        // the connection's RTT samples had made mdev small (twice a veth RTT)
        Assert.True(mdevBefore < 100_000, $"mdev_us before: {mdevBefore}");
        var info = new KernelNet.Kernel.Include.Uapi.Linux.tcp_info();
        tcp_c.tcp_get_info(client, info);
        Assert.Equal(250_000u, info.tcpi_rttvar);
        Assert.Equal(KernelNet.Kernel.Include.Net.tcp_h.TCP_CA_Open, info.tcpi_ca_state);
        Assert.Equal(0u, info.tcpi_retrans);
        Assert.Contains(net.T.K.trace.entries.Skip(tracedBefore), e => e.Event == "tcp_cong_state_set");
    }

    // issue 16: 6.18's tcp_rtx_queue is an rb_root in struct sock (a pointer, null while empty) and the write
    // queue an embedded head. The port's list heads are made when the first skb is queued: the idle child, which
    // never sent, holds neither (the ACKs it took read them through tcp_rtx_queue_head and tcp_send_head); the
    // client's retransmit queue was made by its SYN and is empty again.
    [Fact]
    public void an_idle_child_holds_no_retransmit_or_write_queue_and_the_clients_SYN_made_only_the_retransmit_queue()
    {
        var c = IdleConnection.Open();

        Assert.Null(KernelNet.Kernel.Include.Linux.tcp_h.tcp_sk(c.Child).tcp_rtx_queue_made);
        Assert.Null(c.Child.sk_write_queue_made);
        Assert.True(KernelNet.Kernel.Include.Net.tcp_h.tcp_rtx_queue_empty(c.Child));
        Assert.Null(KernelNet.Kernel.Include.Net.tcp_h.tcp_send_head(c.Child));

        var rtx = KernelNet.Kernel.Include.Linux.tcp_h.tcp_sk(c.Client).tcp_rtx_queue_made;
        Assert.NotNull(rtx);
        Assert.Equal(0, rtx.qlen);
        Assert.Null(c.Client.sk_write_queue_made);
    }

}
