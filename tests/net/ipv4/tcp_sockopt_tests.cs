using System.IO;
using KernelNet.Packetdrill.Run;
using Xunit;

namespace KernelNet.Tests.Net.Ipv4;

/// <summary>
/// tcp.c's socket options (do_tcp_setsockopt, do_tcp_getsockopt) and sock.c's
/// SO_KEEPALIVE/SO_MARK, each shown by a packetdrill script run on the
/// simulated kernel (the runner plays the peer on tun0).
/// </summary>
public sealed class tcp_sockopt_tests
{
    private const string Rmem = "`sysctl -q net.ipv4.tcp_rmem=\"4096 540000 15728640\"`\n";

    private static ScriptResult Run(string text) => PacketdrillRunner.Run(KernelNet.Packetdrill.PacketdrillParser.Parse(Rmem + text, "t.pkt"), Path.GetTempPath());

    // tcp_keepalive_timer: SO_KEEPALIVE on an established socket, then TCP_KEEPIDLE 10 s re-arms the timer for what is
    // left of 10 s of silence (tcp_sock_set_keepidle_locked). The probe is an ACK one below snd_una (tcp_xmit_probe_skb);
    // unanswered, the next comes TCP_KEEPINTVL (5 s) later; with TCP_KEEPCNT 2 probes out the next firing sends a RST
    // (SK_RST_REASON_TCP_KEEPALIVE_TIMEOUT) and the socket fails with ETIMEDOUT (tcp_write_err). The ranges are the
    // timer wheel's slack (a 10 s timer sits in level 2: 256 ms granularity at HZ=250).
    [Fact]
    public void keepalive_probes_every_TCP_KEEPINTVL_after_TCP_KEEPIDLE_then_resets_with_ETIMEDOUT_after_TCP_KEEPCNT()
    {
        var r = Run("""
            0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
           +0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0
           +0 bind(3, ..., ...) = 0
           +0 listen(3, 1) = 0
           +0 < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>
           +0 > S. 0:0(0) ack 1 <mss 1460,nop,wscale 8>
          +.1 < . 1:1(0) ack 1 win 257
           +0 accept(3, ..., ...) = 4
           +0 setsockopt(4, SOL_SOCKET, SO_KEEPALIVE, [1], 4) = 0
           +0 setsockopt(4, SOL_TCP, TCP_KEEPIDLE, [10], 4) = 0
           +0 setsockopt(4, SOL_TCP, TCP_KEEPINTVL, [5], 4) = 0
           +0 setsockopt(4, SOL_TCP, TCP_KEEPCNT, [2], 4) = 0
          +10~+10.3 > . 0:0(0) ack 1
           +5~+5.3 > . 0:0(0) ack 1
           +5~+5.3 > R. 1:1(0) ack 1
           +0 read(4, ..., 1000) = -1 ETIMEDOUT (Connection timed out)
        """);

        Assert.True(r.Passed, r.ToString());
    }

    // With TCP_USER_TIMEOUT set, tcp_keepalive_timer ignores TCP_KEEPCNT (9 here): an answered probe starts the idle
    // time again (the next probe 10 s after the answer: the check 5 s later finds only 5 s of silence and waits the
    // rest), and once a probe is out and 8 s of silence have passed, the next firing resets the connection.
    [Fact]
    public void TCP_USER_TIMEOUT_ends_keepalive_probing_instead_of_TCP_KEEPCNT()
    {
        var r = Run("""
            0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
           +0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0
           +0 bind(3, ..., ...) = 0
           +0 listen(3, 1) = 0
           +0 < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>
           +0 > S. 0:0(0) ack 1 <mss 1460,nop,wscale 8>
          +.1 < . 1:1(0) ack 1 win 257
           +0 accept(3, ..., ...) = 4
           +0 setsockopt(4, SOL_SOCKET, SO_KEEPALIVE, [1], 4) = 0
           +0 setsockopt(4, SOL_TCP, TCP_KEEPIDLE, [10], 4) = 0
           +0 setsockopt(4, SOL_TCP, TCP_KEEPINTVL, [5], 4) = 0
           +0 setsockopt(4, SOL_TCP, TCP_KEEPCNT, [9], 4) = 0
           +0 setsockopt(4, SOL_TCP, TCP_USER_TIMEOUT, [8000], 4) = 0
          +10~+10.3 > . 0:0(0) ack 1
           +0 < . 1:1(0) ack 1 win 257
          +10~+10.6 > . 0:0(0) ack 1
           +5~+5.3 > R. 1:1(0) ack 1
           +0 read(4, ..., 1000) = -1 ETIMEDOUT (Connection timed out)
        """);

        Assert.True(r.Passed, r.ToString());
    }

    // do_tcp_getsockopt/sk_getsockopt: the defaults of a fresh socket (tcp_keepalive_time 7200 s, intvl 75 s, probes 9,
    // tcp_syn_retries 6, tcp_fin_timeout 60 s), the range checks of each setter (EINVAL), and what reads back: seconds
    // for the keepalive times, TCP_LINGER2 capped at TCP_FIN_TIMEOUT_MAX (120 s) and -1 when negative, TCP_DEFER_ACCEPT
    // rounded up to whole SYN-ACK retransmissions (10 s is 4 retransmissions: 1+2+4+8 = 15 s), TCP_MAXSEG on a closed
    // socket the user's value, SO_KEEPALIVE and SO_MARK as set.
    [Fact]
    public void the_int_options_read_back_as_6_18_reports_them()
    {
        var r = Run("""
            0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
           +0 getsockopt(3, SOL_TCP, TCP_KEEPIDLE, [7200], [4]) = 0
           +0 getsockopt(3, SOL_TCP, TCP_KEEPINTVL, [75], [4]) = 0
           +0 getsockopt(3, SOL_TCP, TCP_KEEPCNT, [9], [4]) = 0
           +0 getsockopt(3, SOL_TCP, TCP_SYNCNT, [6], [4]) = 0
           +0 getsockopt(3, SOL_TCP, TCP_LINGER2, [60], [4]) = 0
           +0 getsockopt(3, SOL_TCP, TCP_USER_TIMEOUT, [0], [4]) = 0
           +0 getsockopt(3, SOL_SOCKET, SO_KEEPALIVE, [0], [4]) = 0
           +0 setsockopt(3, SOL_TCP, TCP_KEEPIDLE, [0], 4) = -1 EINVAL (Invalid argument)
           +0 setsockopt(3, SOL_TCP, TCP_KEEPCNT, [128], 4) = -1 EINVAL (Invalid argument)
           +0 setsockopt(3, SOL_TCP, TCP_SYNCNT, [128], 4) = -1 EINVAL (Invalid argument)
           +0 setsockopt(3, SOL_TCP, TCP_USER_TIMEOUT, [-1], 4) = -1 EINVAL (Invalid argument)
           +0 setsockopt(3, SOL_TCP, TCP_MAXSEG, [87], 4) = -1 EINVAL (Invalid argument)
           +0 setsockopt(3, SOL_TCP, TCP_KEEPIDLE, [30], 4) = 0
           +0 setsockopt(3, SOL_TCP, TCP_KEEPINTVL, [7], 4) = 0
           +0 setsockopt(3, SOL_TCP, TCP_KEEPCNT, [3], 4) = 0
           +0 setsockopt(3, SOL_TCP, TCP_SYNCNT, [2], 4) = 0
           +0 setsockopt(3, SOL_TCP, TCP_LINGER2, [500], 4) = 0
           +0 setsockopt(3, SOL_TCP, TCP_USER_TIMEOUT, [3000], 4) = 0
           +0 setsockopt(3, SOL_TCP, TCP_DEFER_ACCEPT, [10], 4) = 0
           +0 setsockopt(3, SOL_TCP, TCP_MAXSEG, [1000], 4) = 0
           +0 setsockopt(3, SOL_SOCKET, SO_KEEPALIVE, [1], 4) = 0
           +0 setsockopt(3, SOL_SOCKET, SO_MARK, [666], 4) = 0
           +0 getsockopt(3, SOL_TCP, TCP_KEEPIDLE, [30], [4]) = 0
           +0 getsockopt(3, SOL_TCP, TCP_KEEPINTVL, [7], [4]) = 0
           +0 getsockopt(3, SOL_TCP, TCP_KEEPCNT, [3], [4]) = 0
           +0 getsockopt(3, SOL_TCP, TCP_SYNCNT, [2], [4]) = 0
           +0 getsockopt(3, SOL_TCP, TCP_LINGER2, [120], [4]) = 0
           +0 getsockopt(3, SOL_TCP, TCP_USER_TIMEOUT, [3000], [4]) = 0
           +0 getsockopt(3, SOL_TCP, TCP_DEFER_ACCEPT, [15], [4]) = 0
           +0 getsockopt(3, SOL_TCP, TCP_MAXSEG, [1000], [4]) = 0
           +0 getsockopt(3, SOL_SOCKET, SO_KEEPALIVE, [1], [4]) = 0
           +0 getsockopt(3, SOL_SOCKET, SO_MARK, [666], [4]) = 0
           +0 setsockopt(3, SOL_TCP, TCP_LINGER2, [-5], 4) = 0
           +0 getsockopt(3, SOL_TCP, TCP_LINGER2, [-1], [4]) = 0
        """);

        Assert.True(r.Passed, r.ToString());
    }

    // TCP_MAXSEG before connect: the SYN announces 1000 (advmss clamped by user_mss), and tcp_sync_mss keeps the
    // sending MSS at 1000 though the peer offers 1460 (a 1500-byte write leaves as one GSO packet of two segments).
    [Fact]
    public void TCP_MAXSEG_bounds_the_MSS_the_SYN_announces_and_the_MSS_used()
    {
        var r = Run("""
            0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
           +0 setsockopt(3, SOL_TCP, TCP_MAXSEG, [1000], 4) = 0
          +.1...0.200 connect(3, ..., ...) = 0
           +0 > S 0:0(0) <mss 1000,sackOK,TS val 100 ecr 0,nop,wscale 8>
          +.1 < S. 0:0(0) ack 1 win 5792 <mss 1460,nop,wscale 2,nop,nop,sackOK>
           +0 > . 1:1(0) ack 1
           +0 getsockopt(3, SOL_TCP, TCP_MAXSEG, [1000], [4]) = 0
           +0 write(3, ..., 1500) = 1500
           +0 > P. 1:1501(1500) ack 1
           +0 %{ assert tcpi_snd_mss == 1000, tcpi_snd_mss }%
        """);

        Assert.True(r.Passed, r.ToString());
    }

    // __tcp_close: with TCP_LINGER2 < 0, a socket closed in FIN_WAIT2 does not wait for the peer's FIN: it is reset
    // (SK_RST_REASON_TCP_ABORT_ON_LINGER, TCPAbortOnLinger).
    [Fact]
    public void a_negative_TCP_LINGER2_resets_an_orphan_in_FIN_WAIT2()
    {
        var r = Run("""
            0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
           +0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0
           +0 bind(3, ..., ...) = 0
           +0 listen(3, 1) = 0
           +0 < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>
           +0 > S. 0:0(0) ack 1 <mss 1460,nop,wscale 8>
          +.1 < . 1:1(0) ack 1 win 257
           +0 accept(3, ..., ...) = 4
           +0 setsockopt(4, SOL_TCP, TCP_LINGER2, [-1], 4) = 0
           +0 shutdown(4, SHUT_WR) = 0
           +0 > F. 1:1(0) ack 1
          +.1 < . 1:1(0) ack 2 win 257
           +0 close(4) = 0
           +0 > R. 2:2(0) ack 1
        """);

        Assert.True(r.Passed, r.ToString());
    }

    // tcp_write_timeout in SYN_SENT: TCP_SYNCNT 1 replaces tcp_syn_retries (6); the connection also expires once the
    // time 1 backed-off retransmission from the initial RTO would take (tcp_model_timeout: 3 s) has passed since the
    // first SYN, so after the SYN and two retransmissions (the linear timeouts keep the RTO at 1 s) the connect fails
    // with ETIMEDOUT (SO_ERROR); with the default it would still be trying.
    [Fact]
    public void TCP_SYNCNT_limits_the_SYN_retransmissions_of_a_connect()
    {
        var r = Run("""
            0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
           +0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0
           +0 setsockopt(3, SOL_TCP, TCP_SYNCNT, [1], 4) = 0
           +0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)
           +0 > S 0:0(0) <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 8>
           +1~+1.05 > S 0:0(0) <mss 1460,sackOK,TS val 1100 ecr 0,nop,wscale 8>
           +1~+1.05 > S 0:0(0) <mss 1460,sackOK,TS val 2100 ecr 0,nop,wscale 8>
          +.5 getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0
           +1 getsockopt(3, SOL_SOCKET, SO_ERROR, [110], [4]) = 0
        """);

        Assert.True(r.Passed, r.ToString());
    }

    // TCP_DEFER_ACCEPT (1 s: one SYN-ACK retransmission): tcp_check_req drops the bare ACK that ends the handshake
    // (the request is marked acked, TCPDeferAcceptDrop), so accept() has nothing; the first data makes the
    // connection, and accept() returns it with the data to read. Without the option the ACK alone would do.
    [Theory]
    [InlineData(1, true)]
    [InlineData(0, false)]
    public void TCP_DEFER_ACCEPT_waits_for_data_before_the_connection_is_accepted(int seconds, bool deferred)
    {
        var script = """
            0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
           +0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0
           +0 setsockopt(3, SOL_TCP, TCP_DEFER_ACCEPT, [1], 4) = 0
           +0 bind(3, ..., ...) = 0
           +0 listen(3, 1) = 0
           +0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0
           +0 < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>
           +0 > S. 0:0(0) ack 1 <mss 1460,nop,wscale 8>
          +.1 < . 1:1(0) ack 1 win 257
           +0 accept(3, ..., ...) = -1 EAGAIN (Resource temporarily unavailable)
          +.1 < P. 1:11(10) ack 1 win 257
           +0 accept(3, ..., ...) = 4
           +0 read(4, ..., 100) = 10
        """;

        var r = Run(script.Replace("TCP_DEFER_ACCEPT, [1]", $"TCP_DEFER_ACCEPT, [{seconds}]", System.StringComparison.Ordinal));

        Assert.Equal(deferred, r.Passed);
        if (!deferred)
        {
            Assert.Contains("expected result -1 EAGAIN but got 4", r.Detail, System.StringComparison.Ordinal);
        }
    }
}
