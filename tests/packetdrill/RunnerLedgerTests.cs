using System;
using System.IO;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Machine;
using KernelNet.Packetdrill.Ast;
using KernelNet.Packetdrill.Resolution;
using KernelNet.Packetdrill.Run;
using Xunit;
using static KernelNet.Kernel.Net.Core.dev_c;
using static KernelNet.Kernel.Net.Core.skbuff_c;

namespace KernelNet.Tests.Packetdrill;

/// <summary>
/// The end of a script as the end of packetdrill's process: every descriptor closed, the
/// kernel settled, and then the skb ledger, the socks and the slab caches back where they
/// started — anything left is a leak, and the script fails naming it.
/// </summary>
public sealed class RunnerLedgerTests
{
    private const string Handshake = """
    `sysctl -q net.ipv4.tcp_rmem="4096 540000 15728640"`
        0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
       +0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0
       +0 bind(3, ..., ...) = 0
       +0 listen(3, 1) = 0
       +0 < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>
       +0 > S. 0:0(0) ack 1 <mss 1460,nop,wscale 8>
      +.1 < . 1:1(0) ack 1 win 257
       +0 accept(3, ..., ...) = 4

    """;

    private static ScriptResult Run(string text, Action<SimulatedHost>? beforeExit = null) =>
        PacketdrillRunner.Run(Pd.Parse(text, ScriptDefines.KselftestIpv4), Path.GetTempPath(), Array.Empty<(string, string)>(), beforeExit);

    [Fact]
    public void A_script_that_ends_with_an_established_connection_and_unread_data_settles_with_nothing_leaked()
    {
        SimulatedHost? host = null;
        var r = Run(Handshake + """
           +0 < P. 1:101(100) ack 1 win 257
           +0 > . 1:1(0) ack 101
           +0 write(4, ..., 50) = 50
           +0 > P. 1:51(50) ack 101
        """, h => host = h);

        Assert.True(r.Passed, r.ToString());

        // the exit closed the listener and the connection (a RST for the unread data), packetdrill's tun fd, and tun0 with it
        var k = host!.Topology.K;
        Assert.Equal(0, k.sock_ledger.Count);
        Assert.Equal(0, k.leaked_skbs());
        Assert.Null(dev_get_by_name(host.Host.Net, "tun0"));
    }

    [Fact]
    public void A_connection_closed_by_the_exit_leaves_its_FIN_in_tun0_and_the_orphan_times_out()
    {
        SimulatedHost? host = null;
        var r = Run(Handshake + """
           +0 write(4, ..., 50) = 50
           +0 > P. 1:51(50) ack 1
           +0 < . 1:1(0) ack 51 win 257
        """, h => host = h);

        Assert.True(r.Passed, r.ToString());

        // tcp_close sent the FIN while packetdrill still read tun0: the last packet out is the orphan's FIN
        CapturedPacket? last = null;
        foreach (var p in host!.Outbound)
        {
            last = p;
        }

        Assert.NotNull(last);
        var fin = TcpSegment.Parse(last!.Bytes);
        Assert.NotNull(fin);
        Assert.True(fin!.Has(TcpFlags.Fin), fin.ToScript());
        Assert.Equal(0, host.Topology.K.sock_ledger.Count);
    }

    [Fact]
    public void A_planted_skb_is_reported_with_its_allocation_site_and_fails_the_script()
    {
        sk_buff? planted = null;
        var r = Run(Handshake, h => planted = __alloc_skb(h.Topology.K, 128, 0, "planted_by_the_test"));

        Assert.NotNull(planted);
        Assert.False(r.Passed, r.ToString());
        Assert.Contains("leaked after exit and settle: 1 skb(s) (1 allocated by planted_by_the_test)", r.Detail, StringComparison.Ordinal);
        Assert.StartsWith("FAIL t.pkt: leaked", r.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_socket_held_by_a_process_that_never_exits_is_reported_with_its_protocol_and_state()
    {
        var r = Run(Handshake, h =>
        {
            // a process the exit does not end: its listener stays
            h.Topology.Spawn(h.Host, "stray", 0, async libc =>
            {
                var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, 0);
                await libc.Bind(fd, SockAddrIn.Parse("0.0.0.0:9000"));
                await libc.Listen(fd, 4);
            });
            h.RunTo(h.Now + 1_000_000);
        });

        Assert.False(r.Passed, r.ToString());
        Assert.Contains("1 sock(s) (TCP LISTEN 0.0.0.0:9000 -> 0.0.0.0:0)", r.Detail, StringComparison.Ordinal);
        Assert.Contains("slab TCP: 1 active object(s), 0 before the run", r.Detail, StringComparison.Ordinal);
    }

    // tcp_schedule_loss_probe arms no loss probe on a Fast Open child whose SYN-ACK is not acknowledged yet: the
    // retransmit timer stays the SYN-ACK's (tcp_fastopen_synack_timer), which times the orphan out after
    // tcp_synack_retries + 1 retries and frees its request. With a probe armed by the FIN instead, the probe's
    // tcp_rearm_rto left no timer at all, and the orphan, its request and its FIN lived for ever.
    [Fact]
    public void A_fast_open_child_closed_before_its_handshake_completes_times_out_and_frees_its_request()
    {
        var r = Run("""
            `sysctl -q net.ipv4.tcp_fastopen=0x402; sysctl -q net.ipv4.tcp_fastopen_key=a1a1a1a1-b2b2b2b2-c3c3c3c3-d4d4d4d4`
            0 socket(..., SOCK_STREAM|SOCK_NONBLOCK, IPPROTO_TCP) = 3
           +0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0
           +0 bind(3, ..., ...) = 0
           +0 listen(3, 1) = 0
           +0 < S 0:10(10) win 32792 <mss 1460,sackOK,nop,nop,FO TFO_COOKIE,nop,nop>
           +0 > S. 0:0(0) ack 11 <mss 1460,nop,nop,sackOK>
           +0 accept(3, ..., ...) = 4
           +0 read(4, ..., 512) = 10
        """);

        Assert.True(r.Passed, r.ToString());
    }
}
