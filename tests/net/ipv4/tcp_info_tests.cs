using System;
using System.Buffers.Binary;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.Linux;
using UapiTcp = KernelNet.Kernel.Include.Uapi.Linux.tcp_h;
using KernelNet.Kernel.Net.Ipv4;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using KernelNet.Tests.Support;
using Xunit;

namespace KernelNet.Tests.Net.Ipv4;

/// <summary>
/// net/ipv4/tcp.c's tcp_get_info and getsockopt(TCP_INFO): struct tcp_info in
/// 6.18's layout (280 bytes; offsets checked with gcc against the 6.18 uapi
/// header) with the connection's values.
/// </summary>
public sealed class tcp_info_tests
{
    /// <summary>A connects to B's listener (backlog 8) and both stay idle until 300 ms; B accepts only if asked.</summary>
    private static (Topology T, sock Client, sock Listener) Idle(bool accept)
    {
        var net = TwoHosts.OnVeth();
        sock? client = null, listener = null;
        SimTask? server = null, cl = null;
        server = net.T.Spawn(net.B, "server", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.Listen(fd, 8));
            listener = ((socket)net.T.K.task_of(server!).files[fd]).sk;
            if (accept)
            {
                Assert.True(await libc.Accept(fd) >= 0);
            }
        });
        cl = net.T.Spawn(net.A, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            client = ((socket)net.T.K.task_of(cl!).files[fd]).sk;
        });
        net.T.Run(300_000_000);
        return (net.T, client!, listener!);
    }

    private static uint U32(byte[] b, int off) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(off));

    // An idle ESTABLISHED client after the handshake, read at the 6.18 offsets: state 1, options TS|SACK|WSCALE, both
    // window scales 10 (byte 6 packs snd in the low nibble), snd_mss 1448 (1460 less the timestamp option), pmtu 1500,
    // ssthresh infinite (0x7fffffff), cwnd 10 (the initial window), advmss 1448, nothing in flight or retransmitted,
    // two segments out (SYN, ACK) and one in (SYN-ACK), no pacing (max pacing rate ~0).
    [Fact]
    public void TCP_INFO_of_an_established_socket_has_the_6_18_layout_and_the_connections_values()
    {
        var (_, client, _) = Idle(accept: true);
        var buf = new byte[tcp_info.Size + 20];

        var (err, len) = client.sk_prot!.getsockopt_buf!(client, Libc.IPPROTO_TCP, UapiTcp.TCP_INFO, buf);

        Assert.Equal((0, 280), (err, len));
        Assert.Equal(sock_h.TCP_ESTABLISHED, buf[0]);
        Assert.Equal(0, buf[1]); // TCP_CA_Open
        Assert.Equal(UapiTcp.TCPI_OPT_TIMESTAMPS | UapiTcp.TCPI_OPT_SACK | UapiTcp.TCPI_OPT_WSCALE, buf[5]);
        Assert.Equal(0xAA, buf[6]);
        Assert.Equal(1448u, U32(buf, 16)); // tcpi_snd_mss
        Assert.Equal(0u, U32(buf, 24)); // tcpi_unacked
        Assert.Equal(1500u, U32(buf, 60)); // tcpi_pmtu
        Assert.Equal(0x7fffffffu, U32(buf, 76)); // tcpi_snd_ssthresh
        Assert.Equal(10u, U32(buf, 80)); // tcpi_snd_cwnd
        Assert.Equal(1448u, U32(buf, 84)); // tcpi_advmss: 1460 less the timestamp option once timestamps are agreed
        Assert.Equal(0u, U32(buf, 100)); // tcpi_total_retrans
        Assert.Equal(ulong.MaxValue, BinaryPrimitives.ReadUInt64LittleEndian(buf.AsSpan(112))); // tcpi_max_pacing_rate
        Assert.Equal((2u, 1u), (U32(buf, 136), U32(buf, 140))); // tcpi_segs_out, tcpi_segs_in
        Assert.Equal(0u, U32(buf, 144)); // tcpi_notsent_bytes
        Assert.Equal(new byte[20], buf[280..]); // nothing past the struct
    }

    // The last ACK came with the SYN-ACK at about 1 ms; read at 300 ms, tcpi_last_ack_recv is the idle time in ms
    // (jiffies of 4 ms), and tcpi_rto is a whole number of jiffies in µs within [200 ms, 1 s].
    [Fact]
    public void the_idle_times_and_rto_are_in_the_units_linux_reports()
    {
        var (_, client, _) = Idle(accept: true);
        var info = new tcp_info();
        tcp_c.tcp_get_info(client, info);

        Assert.InRange(info.tcpi_last_ack_recv, 292u, 300u);
        Assert.Equal(0u, info.tcpi_last_ack_recv % 4);
        Assert.InRange(info.tcpi_rto, 200_000u, 1_000_000u);
        Assert.Equal(0u, info.tcpi_rto % 4000);
    }

    // A listener reports its accept queue: tcpi_unacked the children waiting for accept() (1: nobody accepted),
    // tcpi_sacked the backlog (8); the per-connection fields stay 0.
    [Fact]
    public void TCP_INFO_of_a_listener_reports_its_accept_queue()
    {
        var (_, _, listener) = Idle(accept: false);
        var info = new tcp_info();
        tcp_c.tcp_get_info(listener, info);

        Assert.Equal(tcp_states_h.TCP_LISTEN, info.tcpi_state);
        Assert.Equal((1u, 8u), (info.tcpi_unacked, info.tcpi_sacked));
        Assert.Equal(0u, info.tcpi_snd_mss);
    }

    // A short buffer gets a prefix of the struct and its length (len = min(len, sizeof)), as tcp_info's older, smaller versions expect.
    [Fact]
    public void a_short_buffer_gets_a_prefix_of_the_struct()
    {
        var (_, client, _) = Idle(accept: true);
        var full = new byte[tcp_info.Size];
        var shortBuf = new byte[104];

        client.sk_prot!.getsockopt_buf!(client, Libc.IPPROTO_TCP, UapiTcp.TCP_INFO, full);
        var (err, len) = client.sk_prot!.getsockopt_buf!(client, Libc.IPPROTO_TCP, UapiTcp.TCP_INFO, shortBuf);

        Assert.Equal((0, 104), (err, len));
        Assert.Equal(full[..104], shortBuf);
    }

    // The packetdrill %{ }% names: every tcpi_* field, with the struct's values.
    [Fact]
    public void the_packetdrill_variables_name_every_field()
    {
        var (_, client, _) = Idle(accept: true);
        var info = new tcp_info();
        tcp_c.tcp_get_info(client, info);
        var vars = info.ToVariables();

        Assert.Equal(70, vars.Count);
        Assert.Equal(10L, vars["tcpi_snd_cwnd"]);
        Assert.Equal(1448L, vars["tcpi_snd_mss"]);
        Assert.Equal((long)info.tcpi_rto, vars["tcpi_rto"]);
        Assert.Equal(10L, vars["tcpi_snd_wscale"]);
    }

    // Another option on the buffer path is not ported: ENOPROTOOPT.
    [Fact]
    public void other_SOL_TCP_options_are_ENOPROTOOPT()
    {
        var (_, client, _) = Idle(accept: true);
        Assert.Equal(-KernelNet.Kernel.Include.Uapi.AsmGeneric.errno_h.ENOPROTOOPT, client.sk_prot!.getsockopt_buf!(client, Libc.IPPROTO_TCP, UapiTcp.TCP_CONGESTION, new byte[16]).Err);
    }

    /// <summary>A (client) sends <paramref name="bytes"/> bytes to B, whose accepted socket reads them all; both then idle until 2 s.</summary>
    private static (sock Client, sock Child) Exchange(int bytes)
    {
        var net = TwoHosts.OnVeth();
        sock? client = null, child = null;
        SimTask? server = null, cl = null;
        server = net.T.Spawn(net.B, "server", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.Listen(fd, 8));
            var c = (int)await libc.Accept(fd);
            child = ((socket)net.T.K.task_of(server!).files[c]).sk;
            var got = 0;
            while (got < bytes)
            {
                var r = await libc.RecvFrom(c, 65536, 0);
                Assert.True(r.Ret > 0);
                got += (int)r.Ret;
            }
        });
        cl = net.T.Spawn(net.A, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            client = ((socket)net.T.K.task_of(cl!).files[fd]).sk;
            Assert.Equal(bytes, await libc.SendTo(fd, new byte[bytes], 0, null));
        });
        net.T.Run(2_000_000_000);
        return (client!, child!);
    }

    // 20,000 bytes go from A to B (13 segments of 1448 and one of 1176): the sender reports them sent and, with its
    // SYN, acknowledged (as ss -i shows bytes_acked one more than bytes_sent on a client), with an RTT minimum and variance from real samples; the receiver reports them received in 13 full
    // segments and a tail (tcpi_rcv_mss the full segment size, data_segs_in 14), with the time since data last came.
    [Fact]
    public void after_a_data_exchange_TCP_INFO_reports_the_bytes_segments_and_rtts_of_the_connection()
    {
        const int n = 20_000;
        var (client, child) = Exchange(n);
        var tx = new tcp_info();
        var rx = new tcp_info();
        tcp_c.tcp_get_info(client, tx);
        tcp_c.tcp_get_info(child, rx);

        Assert.Equal((ulong)n + 1, tx.tcpi_bytes_acked); // the SYN's sequence number is acknowledged too (tcp_snd_una_update counts from the ISN)
        Assert.Equal((ulong)n, tx.tcpi_bytes_sent);
        Assert.Equal(0ul, tx.tcpi_bytes_retrans);
        Assert.Equal(14u, tx.tcpi_data_segs_out);
        Assert.InRange(tx.tcpi_min_rtt, 1u, 100_000u);
        Assert.NotEqual(uint.MaxValue, tx.tcpi_min_rtt);
        Assert.True(tx.tcpi_rttvar > 0);
        Assert.Equal(3u, tx.tcpi_reordering); // net.ipv4.tcp_reordering's default
        Assert.Equal(0, tx.tcpi_ca_state); // TCP_CA_Open: nothing lost
        Assert.True(tx.tcpi_snd_wnd > 0);

        Assert.Equal((ulong)n, rx.tcpi_bytes_received);
        Assert.Equal(0ul, rx.tcpi_bytes_acked); // B sent nothing
        Assert.Equal(1448u, rx.tcpi_rcv_mss);
        Assert.Equal(14u, rx.tcpi_data_segs_in);
        Assert.Equal(0u, rx.tcpi_rcv_ooopack);
        Assert.True(rx.tcpi_rcv_space > 0);
        Assert.True(rx.tcpi_rcv_wnd > 0);
        Assert.InRange(rx.tcpi_last_data_recv, 1900u, 2000u); // data came at about 1 ms; read at 2 s
        Assert.Equal(0u, rx.tcpi_last_data_recv % 4);
    }

    // Before any RTT sample tcp_min_rtt is minmax_reset's ~0, which TCP_INFO passes on unchanged; a listener's reordering is the sysctl's.
    [Fact]
    public void a_listener_reports_the_reordering_default_and_no_connection_fields()
    {
        var (_, _, listener) = Idle(accept: false);
        var info = new tcp_info();
        tcp_c.tcp_get_info(listener, info);

        Assert.Equal(3u, info.tcpi_reordering);
        Assert.Equal(0u, info.tcpi_min_rtt); // a listener returns before the per-connection fields
    }
}
