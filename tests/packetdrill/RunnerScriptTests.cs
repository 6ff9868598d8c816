using System.IO;
using KernelNet.Packetdrill.Run;
using Xunit;

namespace KernelNet.Tests.Packetdrill;

/// <summary>Small scripts through the whole runner: what passes, and how each kind of mismatch is reported.</summary>
public sealed class RunnerScriptTests
{
    private const string Listener = """
    `sysctl -q net.ipv4.tcp_rmem="4096 540000 15728640"`
        0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
       +0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0
       +0 bind(3, ..., ...) = 0
       +0 listen(3, 1) = 0

    """;

    private static ScriptResult Run(string text) => PacketdrillRunner.Run(Pd.Parse(text), Path.GetTempPath());

    [Fact]
    public void A_passive_handshake_passes()
    {
        var r = Run(Listener + """
           +0 < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>
           +0 > S. 0:0(0) ack 1 <mss 1460,nop,wscale 8>
          +.1 < . 1:1(0) ack 1 win 257
           +0 accept(3, ..., ...) = 4
        """);

        Assert.True(r.Passed, r.ToString());
    }

    // tun0 has TSO (TUNSETOFFLOAD), so TCP's GSO packets leave whole; their size is tcp_tso_autosize's: the
    // SYN-ACK's 100 ms RTT (tcp_synack_rtt_meas) makes the pacing rate 2 x 10 x 1000 B / 100 ms = 200 KB/s,
    // about 195 bytes a millisecond, so each GSO packet carries tcp_min_tso_segs (2) segments — and, having
    // more than one, PSH (__tcp_transmit_skb).
    [Fact]
    public void A_write_after_a_100ms_handshake_leaves_tun0_in_GSO_packets_of_two_segments()
    {
        var r = Run(Listener + """
           +0 < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>
           +0 > S. 0:0(0) ack 1 <mss 1460,nop,wscale 8>
          +.1 < . 1:1(0) ack 1 win 257
           +0 accept(3, ..., ...) = 4
           +0 write(4, ..., 10000) = 10000
           +0 > P. 1:2001(2000) ack 1
           +0 > P. 2001:4001(2000) ack 1
        """);

        Assert.True(r.Passed, r.ToString());
    }

    // A handshake of a few microseconds makes the pacing rate (and the min-RTT bonus) so large that
    // tcp_tso_autosize allows the GSO maximum: the limit is then tcp_cwnd_test's half of cwnd (5 of IW10).
    [Fact]
    public void A_write_after_an_instant_handshake_leaves_in_GSO_packets_of_half_the_cwnd()
    {
        var r = Run(Listener + """
           +0 < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>
           +0 > S. 0:0(0) ack 1 <mss 1460,nop,wscale 8>
           +0 < . 1:1(0) ack 1 win 257
           +0 accept(3, ..., ...) = 4
           +0 write(4, ..., 10000) = 10000
           +0 > P. 1:5001(5000) ack 1
        """);

        Assert.True(r.Passed, r.ToString());
    }

    [Fact]
    public void A_wrong_expectation_reports_the_field_both_packets_and_the_time()
    {
        var r = Run(Listener + """
           +0 < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>
           +0 > S. 0:0(0) ack 2 <mss 1460,nop,wscale 8>
        """);

        Assert.False(r.Passed);
        Assert.Equal(7, r.Line);
        Assert.StartsWith("live packet field tcp_ack_seq: expected: 2 (0x2) vs actual: 1 (0x1); expected: > S. 0:0(0) ack 2 <mss 1460,nop,wscale 8>; actual: > S. 0:0(0) ack 1 win ", r.Detail);
        Assert.Matches(@"<mss 1460,nop,wscale 8> at 0\.0000\d\d s \(at 0\.0000\d\d s\)$", r.Detail);
    }

    [Fact]
    public void A_packet_sent_earlier_than_the_script_says_is_a_timing_error()
    {
        var r = Run(Listener + """
           +0 < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>
          +.1 > S. 0:0(0) ack 1 <...>
        """);

        Assert.False(r.Passed);
        Assert.Matches(@"^timing error: expected outbound packet at 0\.1000\d\d sec but happened at 0\.0000\d\d sec; tolerance 0\.012500 sec; expected: > S\. 0:0\(0\) ack 1 <\.\.\.>; actual: > S\. 0:0\(0\) ack 1 win ", r.Detail);
    }

    [Fact]
    public void A_packet_left_unread_after_the_last_event_is_noted_but_does_not_fail_as_in_packetdrill()
    {
        var r = Run(Listener + """
           +0 < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>
        """);

        Assert.True(r.Passed);
        Assert.Matches(@"^left unread: 1 outbound packet\(s\), first > S\. \d+:\d+\(0\) ack 1 win \d+ <mss 1460,nop,wscale 8> \(live sequence numbers\) at ", r.Detail);
    }

    [Fact]
    public void A_blocking_call_returns_when_the_handshake_completes_and_its_end_time_is_checked()
    {
        var ok = Run(Listener + """
           +0...0.100 accept(3, ..., ...) = 4
           +0 < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>
           +0 > S. 0:0(0) ack 1 <...>
          +.1 < . 1:1(0) ack 1 win 257
        """);
        var late = Run(Listener + """
           +0...0.050 accept(3, ..., ...) = 4
           +0 < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>
           +0 > S. 0:0(0) ack 1 <...>
          +.1 < . 1:1(0) ack 1 win 257
        """);

        Assert.True(ok.Passed, ok.ToString());
        Assert.False(late.Passed);
        Assert.Equal(6, late.Line);
        Assert.Matches(@"^accept\(3, \.\.\., \.\.\.\): timing error: expected system call return at 0\.0500\d\d sec but happened at 0\.100\d\d\d sec", late.Detail);
    }

    [Fact]
    public void A_syscall_result_mismatch_quotes_the_call_and_the_errno()
    {
        var r = Run("""
            0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
           +0 listen(4, 1) = 0
        """);

        Assert.Matches(@"^listen\(4, 1\): expected result 0 but got -1 EBADF \(at 0\.0000\d\d s\)$", r.Detail);
    }

    [Fact]
    public void An_inbound_ecr_with_no_outbound_TS_val_behind_it_fails_as_packetdrill_does()
    {
        var r = Run(Listener + """
           +0 < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>
           +0 > S. 0:0(0) ack 1 <...>
           +0 < . 1:1(0) ack 1 win 257 <nop,nop,TS val 5 ecr 77>
        """);

        Assert.StartsWith("unable to infer live TS ecr for script TS ecr 77", r.Detail);
    }

    // packetdrill reads TCP_INFO and SO_MEMINFO of its socket under test: the accepted socket after accept(), not the
    // listener the accept named. The listener would report no rcv_mss and the 540000-byte tcp_rmem[1] all the same.
    [Fact]
    public void A_code_block_after_accept_reads_the_accepted_socket_and_its_SO_MEMINFO()
    {
        var r = Run(Listener + """
           +0 < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>
           +0 > S. 0:0(0) ack 1 <mss 1460,nop,wscale 8>
          +.1 < . 1:1(0) ack 1 win 257
           +0 accept(3, ..., ...) = 4
           +0 %{ assert tcpi_state == 1, tcpi_state }%
           +0 %{ assert SK_MEMINFO_RCVBUF == 540000, SK_MEMINFO_RCVBUF }%
           +0 %{ assert SK_MEMINFO_RMEM_ALLOC == 0, SK_MEMINFO_RMEM_ALLOC }%
        """);

        Assert.True(r.Passed, r.ToString());
    }

    // packetdrill's sniffer passes over packets that are not the socket under test's: once a new connection starts,
    // the RST a closed socket with unread data sent is not compared with the new SYN-ACK.
    [Fact]
    public void A_closed_connections_reset_is_passed_over_once_a_new_connection_is_under_test()
    {
        var r = Run(Listener + """
           +0 < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>
           +0 > S. 0:0(0) ack 1 <mss 1460,nop,wscale 8>
          +.1 < . 1:1(0) ack 1 win 257
           +0 < P. 1:101(100) ack 1 win 257
           +0 accept(3, ..., ...) = 4
           +0 close(4) = 0
           +0 close(3) = 0
           +0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
           +0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0
           +0 bind(3, ..., ...) = 0
           +0 listen(3, 1) = 0
           +0 < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>
           +0 > S. 0:0(0) ack 1 <mss 1460,nop,wscale 8>
        """);

        Assert.True(r.Passed, r.ToString());
    }

    // tcp_inbound_hash: the port has no MD5 keys, so an ACK signed with TCP-MD5 is dropped (TCPMD5Unexpected) before
    // the request sock sees it: the connection is not established and accept() has nothing until an unsigned ACK.
    [Fact]
    public void An_MD5_signed_ACK_on_a_keyless_listener_does_not_complete_the_handshake()
    {
        var r = Run(Listener + """
           +0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0
           +0 < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 10>
           +0 > S. 0:0(0) ack 1 <mss 1460,nop,nop,sackOK,nop,wscale 8>
         +.01 < . 1:1(0) ack 1 win 514 <md5 000102030405060708090a0b0c0d0e0f,nop,nop>
           +0 accept(3, ..., ...) = -1 EAGAIN (Resource temporarily unavailable)
         +.01 < . 1:1(0) ack 1 win 514
           +0 accept(3, ..., ...) = 4
        """);

        Assert.True(r.Passed, r.ToString());
    }

    // The runner's shell model greps the port's /proc/net/tcp (and an IPv6 file with only its header): the listener
    // on 8080 (0x1F90) is in state 0A; a pattern nothing matches is grep's status 1, which fails the script.
    [Fact]
    public void A_grep_pipeline_over_proc_net_tcp_finds_the_listener()
    {
        var found = Run(Listener + """
           +0 `grep " 0A " /proc/net/tcp /proc/net/tcp6 | grep ":1F90"`
        """);
        var missing = Run(Listener + """
           +0 `grep " 01 " /proc/net/tcp /proc/net/tcp6 | grep ":1F90"`
        """);

        Assert.True(found.Passed, found.ToString());
        Assert.False(missing.Passed);
    }
    private const string SynSent = """
        0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
       +0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0
       +0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)
       +0 > S 0:0(0) <...>

    """;

    // packetdrill's inbound ICMP: the error quotes our SYN (our ports, our live ISN), so tcp_v4_err finds the
    // connecting socket and a port unreachable ends it with ECONNREFUSED (tcp_done_with_error).
    [Fact]
    public void An_inbound_port_unreachable_quoting_our_SYN_refuses_the_connection()
    {
        var r = Run(SynSent + """
         +.01 < icmp unreachable port_unreachable [0:0(0)]
           +0 getsockopt(3, SOL_SOCKET, SO_ERROR, [111], [4]) = 0
        """);

        Assert.True(r.Passed, r.ToString());
    }

    // A quoted sequence number outside snd_una..snd_nxt leaves the socket alone and counts OutOfWindowIcmps,
    // which nstat (since its last run) shows; after an in-window error nstat shows no such counter and grep fails.
    [Fact]
    public void An_out_of_window_ICMP_shows_in_nstat_and_an_in_window_one_does_not()
    {
        var outOfWindow = Run(SynSent + """
           +0 `nstat > /dev/null`
         +.01 < icmp unreachable port_unreachable [5000:5000(0)]
           +0 `nstat | grep TcpExtOutOfWindowIcmps > /dev/null`
           +0 getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0
        """);
        var inWindow = Run(SynSent + """
           +0 `nstat > /dev/null`
         +.01 < icmp unreachable port_unreachable [0:0(0)]
           +0 `nstat | grep TcpExtOutOfWindowIcmps > /dev/null`
        """);

        Assert.True(outOfWindow.Passed, outOfWindow.ToString());
        Assert.False(inWindow.Passed);
        Assert.Contains("status 1", inWindow.ToString(), System.StringComparison.Ordinal);
    }
}
