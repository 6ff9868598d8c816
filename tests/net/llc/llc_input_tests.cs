using System;
using System.Linq;
using KernelNet.Tests.Support;
using Xunit;

namespace KernelNet.Tests.Net.Llc;

/// <summary>llc_input.c: llc_rcv, the handler of ETH_P_802_2 (802.3 frames carrying an LLC header).</summary>
public sealed class llc_input_tests
{
    /// <summary>An 802.3 frame to <paramref name="dst"/>: the length 7, DSAP/SSAP <paramref name="sap"/>, UI, "llc!", four bytes of padding.</summary>
    private static byte[] Llc(byte[] dst, byte[] src, byte sap) =>
        [.. dst, .. src, 0x00, 0x07, sap, sap, 0x03, 0x6c, 0x6c, 0x63, 0x21, 0, 0, 0, 0];

    // No SAP is open for DSAP 0xF0: llc_rcv frees the frame with plain kfree_skb (recorded:
    // llc-no-sap); the frame was ETH_P_802_2 (protocol=4), not an unhandled protocol.
    [Fact]
    public void a_frame_for_a_sap_nobody_opened_is_freed_in_llc_rcv()
    {
        var n = TwoHosts.OnVeth();
        n.T.K.trace.set_event("skb:kfree_skb");

        Inject.Frame(n.T, n.B, n.VethB, Llc(n.VethB.dev_addr, n.VethA.dev_addr, 0xf0), at: 2_000_000);
        n.T.Run(100_000_000);

        var drop = Assert.Single(n.T.K.trace.entries, e => e.Event == "kfree_skb");
        Assert.Contains("protocol=4 location=llc_rcv", drop.Text, StringComparison.Ordinal);
        Assert.EndsWith("reason: NOT_SPECIFIED", drop.Text, StringComparison.Ordinal);
        Assert.Equal(0ul, n.VethB.core_stats.rx_dropped);
        Assert.Equal(0, n.T.K.leaked_skbs());
    }

    // DSAP 0 addresses the LLC station, whose handler is LLC2's (not built): dropped too.
    [Fact]
    public void a_frame_for_the_null_dsap_is_freed_with_no_station_handler()
    {
        var n = TwoHosts.OnVeth();
        n.T.K.trace.set_event("skb:kfree_skb");

        Inject.Frame(n.T, n.B, n.VethB, Llc(n.VethB.dev_addr, n.VethA.dev_addr, 0x00), at: 2_000_000);
        n.T.Run(100_000_000);

        var drop = Assert.Single(n.T.K.trace.entries, e => e.Event == "kfree_skb");
        Assert.Contains("location=llc_rcv", drop.Text, StringComparison.Ordinal);
        Assert.Equal(0, n.T.K.leaked_skbs());
    }
}
