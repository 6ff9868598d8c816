using System.IO;
using KernelNet.Packetdrill.Run;
using KernelNet.Tests.Packetdrill;
using Xunit;

namespace KernelNet.Tests.Include.Net;

/// <summary>
/// include/net/tcp_ecn.h (tcp_ecn_send_syn, tcp_ecn_rcv_synack) and
/// tcp_output.c's tcp_ecn_send, through a packetdrill script on tun0: the
/// flags of the SYN and the ECN codepoint of each IP header are checked on
/// the wire.
/// </summary>
public sealed class tcp_ecn_tests
{
    private static ScriptResult Run(string ecn, string synAck, string dataEcn) => PacketdrillRunner.Run(Pd.Parse($$"""
        `sysctl -q net.ipv4.tcp_ecn={{ecn}}`
            0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 4
        +.002 ... 0.004 connect(4, ..., ...) = 0
           +0 > {{(ecn == "1" ? "SEW" : "S")}} 0:0(0) <...>
        +.002 < {{synAck}} 0:0(0) ack 1 win 32767 <mss 1000,nop,wscale 6,nop,nop,sackOK>
           +0 > [noecn] . 1:1(0) ack 1
        +.002 write(4, ..., 1000) = 1000
           +0 > [{{dataEcn}}] P. 1:1001(1000) ack 1
        """), Path.GetTempPath());

    // tcp_ecn=1: the SYN asks with ECE|CWR (sent Not-ECT), the SYN-ACK's ECE agrees (RFC 3168 6.1.1), and new data
    // then goes out ECT(0) while the pure ACK stays Not-ECT.
    [Fact]
    public void With_tcp_ecn_1_the_SYN_asks_for_ECN_and_data_goes_out_ECT0_once_the_SYN_ACK_agrees()
    {
        var r = Run("1", "SE.", "ect0");

        Assert.True(r.Passed, r.ToString());
    }

    // A SYN-ACK without ECE declines: the data is Not-ECT.
    [Fact]
    public void A_SYN_ACK_without_ECE_turns_ECN_off()
    {
        var r = Run("1", "S.", "noecn");

        Assert.True(r.Passed, r.ToString());
    }

    // The default (2) asks for nothing on an active open: the SYN carries no ECE|CWR, and the data is Not-ECT.
    [Fact]
    public void With_the_default_tcp_ecn_2_an_active_open_does_not_ask_for_ECN()
    {
        var r = Run("2", "SE.", "noecn");

        Assert.True(r.Passed, r.ToString());
    }
}
