using System;
using System.Linq;
using KernelNet.Packetdrill.Ast;
using KernelNet.Packetdrill.Run;
using Xunit;

namespace KernelNet.Tests.Packetdrill;

/// <summary>The runner's pieces without a kernel: sequence mapping, packet building and matching, timing.</summary>
public sealed class RunnerPiecesTests
{
    private static TcpPacketEvent Packet(string line) => Pd.One<TcpPacketEvent>(line);

    private static Connection Learned(uint liveLocalIsn, uint liveRemoteIsn = 0)
    {
        var c = new Connection { LocalPort = 8080, RemotePort = 48000, LiveRemoteIsn = liveRemoteIsn };
        c.LearnLocalIsn(0, liveLocalIsn);
        return c;
    }

    [Fact]
    public void A_SYN_maps_by_the_ISN_difference_and_other_segments_relative_to_the_live_ISN()
    {
        var c = Learned(1000);

        Assert.Equal(1000u, c.LocalSeqScriptToLive(syn: true));
        Assert.Equal(1000u, c.LocalSeqScriptToLive(syn: false));
        c.LearnLocalIsn(5, 1000);
        Assert.Equal(995u, c.LocalSeqScriptToLive(syn: true));
        Assert.Equal(0u, c.RemoteSeqScriptToLive(syn: true));
    }

    [Fact]
    public void An_inbound_ack_of_the_kernels_SYN_ACK_carries_the_live_ISN_plus_one()
    {
        var c = Learned(0xfffffff0, liveRemoteIsn: 0);
        var p = Packet("0 < . 1:1(0) ack 1 win 257");

        var (seg, err) = PacketMatcher.Inbound(p, c, 0xc0000201, 0xc0a80001);

        Assert.Null(err);
        Assert.Equal(0xfffffff1u, seg!.AckSeq);
        Assert.Equal(1u, seg.Seq);
        Assert.Equal((ushort)48000, seg.SourcePort);
        Assert.Equal((ushort)8080, seg.DestinationPort);
        Assert.Equal(257, seg.Window);
    }

    [Fact]
    public void An_inbound_TS_ecr_is_the_kernels_TS_val_that_the_script_value_stood_for()
    {
        var c = Learned(1000);
        var script = PacketMatcher.ScriptSegment(Packet("0 > S. 0:0(0) ack 1 <TS val 100 ecr 100>"));
        var live = PacketMatcher.ScriptSegment(Packet("0 > S. 0:0(0) ack 1 <TS val 123456 ecr 100>"));
        PacketMatcher.ToScriptSpace(live, c, script);

        var (seg, err) = PacketMatcher.Inbound(Packet("0 < . 1:1(0) ack 1 win 20000 <nop,nop,TS val 200 ecr 100>"), c, 1, 2);
        var (_, unknown) = PacketMatcher.Inbound(Packet("0 < . 1:1(0) ack 1 win 20000 <nop,nop,TS val 200 ecr 7>"), c, 1, 2);

        Assert.Null(err);
        Assert.Equal((200u, 123456u), seg!.Timestamp);
        Assert.Contains("unable to infer live TS ecr for script TS ecr 7", unknown);
    }

    [Fact]
    public void An_outbound_packet_maps_back_to_script_space_and_matches()
    {
        var c = Learned(5000, liveRemoteIsn: 0);
        var e = Packet("0 > . 1:1(0) ack 2 win 1050");
        var live = new TcpSegment { Flags = TcpFlags.Ack, Seq = 5001, AckSeq = 2, Window = 1050 };

        var actual = PacketMatcher.ToScriptSpace(TcpSegment.Parse(live.ToBytes())!, c, PacketMatcher.ScriptSegment(e));

        Assert.Equal(1u, actual.Seq);
        Assert.Null(PacketMatcher.Verify(e, PacketMatcher.ScriptSegment(e), actual, new RunConfig(), 4000));
    }

    [Theory]
    [InlineData("0 > . 1:1(0) ack 3", "live packet field tcp_ack_seq: expected: 3 (0x3) vs actual: 2 (0x2)")]
    [InlineData("0 > . 1:1(0) ack 2 win 99", "live packet field tcp_window: expected: 99 (0x63) vs actual: 1050 (0x41a)")]
    [InlineData("0 > F. 1:1(0) ack 2", "live packet field tcp_fin: expected: 1 (0x1) vs actual: 0 (0x0)")]
    [InlineData("0 > . 1:1(0) ack 2 <nop>", "live packet field ipv4_total_length: expected: 44 (0x2c) vs actual: 40 (0x28)")]
    [InlineData("0 > . 1:11(10) ack 2", "live packet field ipv4_total_length: expected: 50 (0x32) vs actual: 40 (0x28)")]
    public void A_mismatch_names_the_first_field_that_differs(string expected, string message)
    {
        var c = Learned(5000);
        var e = Packet(expected);
        var live = new TcpSegment { Flags = TcpFlags.Ack, Seq = 5001, AckSeq = 2, Window = 1050 };

        var actual = PacketMatcher.ToScriptSpace(live, c, PacketMatcher.ScriptSegment(e));

        Assert.Equal(message, PacketMatcher.Verify(e, PacketMatcher.ScriptSegment(e), actual, new RunConfig(), 4000));
    }

    [Fact]
    public void Elided_options_match_any_options_and_listed_ones_must_match_in_order()
    {
        var c = Learned(7);
        var live = PacketMatcher.ScriptSegment(Packet("0 > S 0:0(0) <mss 1460,sackOK,TS val 9 ecr 0,nop,wscale 8>"));
        live.Seq = 7;
        var any = Packet("0 > S 0:0(0) <...>");
        var wrongScale = Packet("0 > S 0:0(0) <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7>");
        var wrongOrder = Packet("0 > S 0:0(0) <mss 1460,nop,wscale 8,sackOK,TS val 100 ecr 0>");

        string? Check(TcpPacketEvent e) => PacketMatcher.Verify(e, PacketMatcher.ScriptSegment(e), PacketMatcher.ToScriptSpace(live, c, PacketMatcher.ScriptSegment(e)), new RunConfig(), 4000);

        Assert.Null(Check(any));
        Assert.Equal("bad value in outbound TCP option (kind=3)", Check(wrongScale));
        Assert.Equal("bad outbound TCP options", Check(wrongOrder));
    }

    [Fact]
    public void TS_val_is_checked_only_with_a_tick_and_relative_to_the_first_one_seen()
    {
        var c = Learned(7);
        var first = Packet("0 > S 0:0(0) <TS val 100 ecr 0>");
        var later = Packet("0 > . 1:1(0) <TS val 1200 ecr 0>");
        PacketMatcher.ToScriptSpace(Live(7, 5000), c, PacketMatcher.ScriptSegment(first));
        var late = PacketMatcher.ToScriptSpace(Live(8, 6110), c, PacketMatcher.ScriptSegment(later));
        var ticking = new RunConfig { TcpTsTickUsecs = 1000 };

        Assert.Equal((1210u, 0u), late.Timestamp);
        Assert.Null(PacketMatcher.Verify(later, PacketMatcher.ScriptSegment(later), late, new RunConfig(), 4000));
        Assert.Equal("bad outbound TCP timestamp value, tolerance 4000", PacketMatcher.Verify(later, PacketMatcher.ScriptSegment(later), late, ticking, 4000));
        Assert.Null(PacketMatcher.Verify(later, PacketMatcher.ScriptSegment(later), late, ticking, 10000));

        static TcpSegment Live(uint seq, uint tsval)
        {
            var s = new TcpSegment { Seq = seq, Flags = seq == 7 ? TcpFlags.Syn : TcpFlags.Ack };
            s.Options.Add(new WireOption(WireOption.Timestamp, new byte[8]));
            s.SetTimestamp(tsval, 0);
            return s;
        }
    }

    [Fact]
    public void A_segment_survives_the_wire_with_correct_checksums()
    {
        var s = PacketMatcher.ScriptSegment(Packet("0 < P. 1:11(10) ack 5 win 300 <nop,nop,sack 3:4>"));
        s.Source = 0xc0000201;
        s.Destination = 0xc0a80001;

        var back = TcpSegment.Parse(s.ToBytes())!;
        var corrupted = s.ToBytes();
        corrupted[^1] ^= 1;

        Assert.True(back.ChecksumsOk);
        Assert.Equal("P. 1:11(10) ack 5 win 300 <nop,nop,sack 3:4>", back.ToScript());
        Assert.False(TcpSegment.Parse(corrupted)!.ChecksumsOk);
    }

    [Fact]
    public void Timing_tolerates_the_larger_of_the_fixed_and_the_proportional_tolerance()
    {
        var config = new RunConfig();

        Assert.Null(TimeCheck.Verify(config, TimeKind.Relative, 10_000, null, 14_000, 0, "outbound packet"));
        Assert.Equal("timing error: expected outbound packet at 0.010000 sec but happened at 0.014001 sec; tolerance 0.004000 sec",
            TimeCheck.Verify(config, TimeKind.Relative, 10_000, null, 14_001, 0, "outbound packet"));
        Assert.Null(TimeCheck.Verify(config, TimeKind.Relative, 1_000_000, null, 1_120_000, 0, "outbound packet"));
        Assert.NotNull(TimeCheck.Verify(config, TimeKind.Range, 100_000, 200_000, 205_000, 100_000, "outbound packet"));
        Assert.Null(TimeCheck.Verify(config, TimeKind.Range, 100_000, 200_000, 150_000, 0, "outbound packet"));
        Assert.Null(TimeCheck.Verify(config, TimeKind.Any, 0, null, 99_000_000, 0, "outbound packet"));
    }

    [Fact]
    public void Script_options_are_applied_and_unknown_ones_refused()
    {
        var config = new RunConfig();

        Assert.Null(config.Apply("tolerance_usecs", "7000"));
        Assert.Null(config.Apply("tcp_ts_tick_usecs", "1000"));
        Assert.Null(config.Apply("mss", "1000"));
        Assert.NotNull(config.Apply("ip_version", "ipv6"));
        Assert.NotNull(config.Apply("wire_client", string.Empty));
        Assert.Equal((7000L, 1000L, 1000), (config.ToleranceUsecs, config.TcpTsTickUsecs, config.Mss));
    }

    [Fact]
    public void TCP_INFO_fields_decode_at_their_uapi_offsets()
    {
        var b = new byte[TcpInfo.Size];
        b[0] = 1;
        b[6] = 0x87;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(80), 10);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(120), 1_000_000);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(228), 65535);

        var v = TcpInfo.Decode(b, b.Length);

        Assert.Equal(1, v["tcpi_state"]);
        Assert.Equal((7L, 8L), (v["tcpi_snd_wscale"], v["tcpi_rcv_wscale"]));
        Assert.Equal(10, v["tcpi_snd_cwnd"]);
        Assert.Equal(1_000_000, v["tcpi_bytes_acked"]);
        Assert.Equal(65535, v["tcpi_snd_wnd"]);
        Assert.False(TcpInfo.Decode(b, 104).ContainsKey("tcpi_pacing_rate"));
    }
}
