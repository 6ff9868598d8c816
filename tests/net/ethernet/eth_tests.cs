using System;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Net.Ethernet;
using KernelNet.Scenarios.Sim;
using KernelNet.Tests.Support;
using Xunit;

namespace KernelNet.Tests.Net.Ethernet;

/// <summary>eth_get_headlen (net/ethernet/eth.c) over the flow dissector: how much of a frame a driver copies into the head.</summary>
public sealed class eth_tests
{
    private static readonly byte[] Dst = { 2, 0, 0, 0, 0, 2 };
    private static readonly byte[] Src = { 2, 0, 0, 0, 0, 1 };

    private static net_device Dev()
    {
        var t = new Topology();
        var h = t.AddHost("H");
        return h.Net.loopback_dev!;
    }

    /// <summary>A TCP frame with 12 bytes of options (doff 8).</summary>
    private static byte[] TcpWithOptions() =>
        Frames.Tcp(Dst, Src, 0x0a000001, 0x0a000002, 1, 2, 100, 0, 0x10, 1000, options: new byte[12], payload: new byte[400]);

    // Cases: each frame, the length the driver offers (IGB_RX_HDR_LEN), and the header length
    // the dissector finds: Ethernet + IPv4 + the transport header (TCP's doff, UDP's 8 bytes).
    [Theory]
    [InlineData("tcp with options: 14 + 20 + 32", 66)]
    [InlineData("udp: 14 + 20 + 8", 42)]
    [InlineData("a later IPv4 fragment: no transport header, 14 + 20", 34)]
    [InlineData("not IP (the test ethertype): the Ethernet header only", 14)]
    public void eth_get_headlen_finds_where_the_payload_starts(string what, int expected)
    {
        byte[] frame;
        if (what.StartsWith("tcp", StringComparison.Ordinal))
        {
            frame = TcpWithOptions();
        }
        else if (what.StartsWith("udp", StringComparison.Ordinal))
        {
            frame = Frames.Udp(Dst, Src, 0x0a000001, 0x0a000002, 1, 2, new byte[400]);
        }
        else if (what.StartsWith("a later", StringComparison.Ordinal))
        {
            frame = Frames.Udp(Dst, Src, 0x0a000001, 0x0a000002, 1, 2, new byte[400]);
            frame[14 + 6] = 0x00;
            frame[14 + 7] = 0x10; // fragment offset 16 (128 bytes), MF clear
        }
        else
        {
            frame = new byte[400];
            frame[12] = 0x88;
            frame[13] = 0xB5;
        }

        Assert.Equal((uint)expected, eth_c.eth_get_headlen(Dev(), frame, 256));
    }

    // A TCP header that starts within the bytes offered but whose doff lies past them is
    // not counted: the headers end where the TCP header begins (__skb_get_poff cannot read doff).
    [Fact]
    public void a_transport_header_past_the_bytes_offered_is_not_counted()
    {
        Assert.Equal(34u, eth_c.eth_get_headlen(Dev(), TcpWithOptions(), 40));
    }
}
