using System.Collections.Generic;
using System.Linq;
using KernelNet.Packetdrill.Ast;
using Xunit;

namespace KernelNet.Tests.Packetdrill;

public sealed class PacketParsingTests
{
    [Fact]
    public void inbound_syn_with_window_and_options()
    {
        var p = Pd.One<TcpPacketEvent>("+0 < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>");

        Assert.Equal(PacketDirection.Inbound, p.Direction);
        Assert.Equal(PacketProtocol.Tcp, p.Protocol);
        Assert.Equal(TcpFlags.Syn, p.Flags);
        Assert.Equal("S", p.FlagsText);
        Assert.Equal(new SequenceRange(0, 0, 0), p.Sequence);
        Assert.Null(p.Ack);
        Assert.Equal((ushort)32792, p.Window);
        Assert.Null(p.Ecn);
        Assert.Equal("mss 1000,sackOK,nop,nop,nop,wscale 7", p.Options!.ToString());
        Assert.Equal(1000, Assert.IsType<TcpMssOption>(p.Options.Items[0]).Mss);
        Assert.Equal(7, Assert.IsType<TcpWindowScaleOption>(p.Options.Items[5]).Shift);
    }

    [Fact]
    public void outbound_synack_with_ack_and_no_window()
    {
        var p = Pd.One<TcpPacketEvent>("+0 > S. 0:0(0) ack 1 <mss 1460,nop,nop,sackOK,nop,wscale 8>");

        Assert.Equal(PacketDirection.Outbound, p.Direction);
        Assert.Equal(TcpFlags.Syn | TcpFlags.Ack, p.Flags);
        Assert.Equal("S.", p.FlagsText);
        Assert.Equal(1u, p.Ack);
        Assert.Null(p.Window);
    }

    [Theory]
    [InlineData(".", TcpFlags.Ack)]
    [InlineData("P.", TcpFlags.Psh | TcpFlags.Ack)]
    [InlineData("F.", TcpFlags.Fin | TcpFlags.Ack)]
    [InlineData("R", TcpFlags.Rst)]
    [InlineData("R.", TcpFlags.Rst | TcpFlags.Ack)]
    [InlineData("SEW", TcpFlags.Syn | TcpFlags.Ece | TcpFlags.Cwr)]
    [InlineData("SE.", TcpFlags.Syn | TcpFlags.Ece | TcpFlags.Ack)]
    [InlineData("U.", TcpFlags.Urg | TcpFlags.Ack)]
    [InlineData("-", TcpFlags.None)]
    public void flag_letters(string text, TcpFlags flags)
    {
        var p = Pd.One<TcpPacketEvent>($"+0 < {text} 1:1(0) win 100");

        Assert.Equal(flags, p.Flags);
        Assert.Equal(text, p.FlagsText);
    }

    [Fact]
    public void payload_range_and_urgent_pointer()
    {
        var p = Pd.One<TcpPacketEvent>("+0 < U. 1:101(100) ack 1 win 257 urg 100");

        Assert.Equal(new SequenceRange(1, 101, 100), p.Sequence);
        Assert.Equal((ushort)100, p.Urgent);
    }

    [Fact]
    public void sequence_numbers_use_the_full_32_bits()
    {
        var p = Pd.One<TcpPacketEvent>("+0 < . 4294967295:999(1000) ack 4294967295 win 1");

        Assert.Equal(4294967295u, p.Sequence.Start);
        Assert.Equal(4294967295u, p.Ack);
    }

    [Fact]
    public void reset_with_ack_flag_but_no_ack_field()
    {
        var p = Pd.One<TcpPacketEvent>("+0 < R. 11:11(0) win 32792");

        Assert.Null(p.Ack);
        Assert.Null(p.Options);
    }

    [Fact]
    public void sack_blocks_timestamps_and_spaced_list()
    {
        var p = Pd.One<TcpPacketEvent>("+0 < . 1:1(0) ack 1 win 257 <TS val 1010 ecr 2000,sack 2001:4001 6001:7001 8001:9001, nop, eol>");

        var ts = Assert.IsType<TcpTimestampOption>(p.Options!.Items[0]);
        Assert.Equal((1010u, 2000u), (ts.Value, ts.EchoReply));
        var sack = Assert.IsType<TcpSackOption>(p.Options.Items[1]);
        Assert.Equal(new[] { new TcpSackBlock(2001, 4001), new TcpSackBlock(6001, 7001), new TcpSackBlock(8001, 9001) }, sack.Blocks);
        Assert.IsType<TcpNopOption>(p.Options.Items[2]);
        Assert.IsType<TcpEolOption>(p.Options.Items[3]);
    }

    [Fact]
    public void fast_open_options_with_and_without_cookie()
    {
        var p = Pd.One<TcpPacketEvent>("+0 < S 0:10(10) win 1 <FO abcd1234,FO,FOEXP,FOEXP aaaaaaaaaaaaaaaa,FO 3021b9d889017eeb>");

        var fo = p.Options!.Items.Cast<TcpFastOpenOption>().ToArray();
        Assert.Equal(("abcd1234", false), (fo[0].Cookie, fo[0].Experimental));
        Assert.Equal((null, false), (fo[1].Cookie, fo[1].Experimental));
        Assert.Equal((null, true), (fo[2].Cookie, fo[2].Experimental));
        Assert.Equal(("aaaaaaaaaaaaaaaa", true), (fo[3].Cookie, fo[3].Experimental));
        Assert.Equal("3021b9d889017eeb", fo[4].Cookie);
    }

    [Fact]
    public void fast_open_cookie_define_is_substituted()
    {
        var defines = new Dictionary<string, string> { ["TFO_COOKIE"] = "3021b9d889017eeb" };

        var with = Pd.One<TcpPacketEvent>("+0 < S 0:10(10) win 1 <FO TFO_COOKIE,nop,nop>", defines);
        var without = Pd.One<TcpPacketEvent>("+0 < S 0:10(10) win 1 <FO TFO_COOKIE,nop,nop>");

        Assert.Equal("3021b9d889017eeb", Assert.IsType<TcpFastOpenOption>(with.Options!.Items[0]).Cookie);
        Assert.Equal("TFO_COOKIE", Assert.IsType<TcpFastOpenOption>(without.Options!.Items[0]).Cookie);
    }

    [Fact]
    public void md5_digest_is_kept_as_hex()
    {
        var p = Pd.One<TcpPacketEvent>("+.01 < . 1:1(0) ack 1 win 514 <md5 000102030405060708090a0b0c0d0e0f,nop,nop>");

        Assert.Equal("000102030405060708090a0b0c0d0e0f", Assert.IsType<TcpMd5Option>(p.Options!.Items[0]).Digest);
    }

    [Fact]
    public void elided_option_list_matches_anything()
    {
        var p = Pd.One<TcpPacketEvent>("+0 > S. 0:0(0) ack 1 <...>");

        Assert.True(p.Options!.Elided);
        Assert.Empty(p.Options.Items);
    }

    [Theory]
    [InlineData("ect0", EcnCodepoint.Ect0)]
    [InlineData("ect1", EcnCodepoint.Ect1)]
    [InlineData("ce", EcnCodepoint.Ce)]
    [InlineData("noecn", EcnCodepoint.NotEct)]
    [InlineData("ect01", EcnCodepoint.Ect01)]
    public void ecn_mark_after_direction(string mark, EcnCodepoint ecn)
    {
        var p = Pd.One<TcpPacketEvent>($"+0 > [{mark}] P. 1:1001(1000) ack 1");

        Assert.Equal(ecn, p.Ecn);
        Assert.Equal(TcpFlags.Psh | TcpFlags.Ack, p.Flags);
    }

    [Fact]
    public void icmp_unreachable_quoting_a_tcp_segment()
    {
        var script = Pd.Parse("+0 < icmp unreachable [5000:6000(1000)]\n+0 < icmp unreachable host_unreachable [0:10(10)]\n");

        var first = Assert.IsType<IcmpPacketEvent>(script.Events[0]);
        Assert.Equal(("unreachable", (string?)null), (first.Type, first.Code));
        Assert.Equal(new SequenceRange(5000, 6000, 1000), first.Embedded);
        var second = Assert.IsType<IcmpPacketEvent>(script.Events[1]);
        Assert.Equal("host_unreachable", second.Code);
        Assert.Equal(PacketProtocol.Icmp, second.Protocol);
    }

    [Fact]
    public void icmp_frag_needed_with_mtu()
    {
        var p = Pd.One<IcmpPacketEvent>("+0 < icmp unreachable frag_needed mtu 1200 [1:1461(1460)]");

        Assert.Equal("frag_needed", p.Code);
        Assert.Equal(1200u, p.Mtu);
    }

    [Fact]
    public void udp_datagram_length()
    {
        var p = Pd.One<UdpPacketEvent>("+0 > udp (1472)");

        Assert.Equal(1472u, p.Length);
        Assert.Equal(PacketProtocol.Udp, p.Protocol);
    }
}
