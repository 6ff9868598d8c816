using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Tests.Support;
using Xunit;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Net.Core.skbuff_c;

namespace KernelNet.Tests.Include.Net;

/// <summary>include/net/gro.h's checksum helpers.</summary>
public sealed class gro_tests
{
    /// <summary>A CHECKSUM_PARTIAL skb of 100 bytes whose pending sum starts 20 bytes into the data, at GRO offset <paramref name="gro_offset"/>.</summary>
    private static sk_buff PartialAt20(KernelRig rig, int gro_offset)
    {
        var skb = alloc_skb(rig.K, 128)!;
        skb_put(skb, 100);
        skb.ip_summed = skbuff_h.CHECKSUM_PARTIAL;
        skb.csum_start = (ushort)(skb.data + 20);
        gro_h.NAPI_GRO_CB(skb).data_offset = gro_offset;
        Assert.Equal(20, skbuff_h.skb_checksum_start_offset(skb));
        return skb;
    }

    // __skb_gro_checksum_validate_needed: a locally built CHECKSUM_PARTIAL skb still needs its sum checked at a
    // header before csum_start (the pending sum covers only what follows it); at csum_start itself it does not.
    [Fact]
    public void a_partial_skb_needs_validation_only_for_a_header_before_its_csum_start()
    {
        var rig = new KernelRig();
        var at = PartialAt20(rig, 20);
        var before = PartialAt20(rig, 34);

        Assert.False(gro_h.__skb_gro_checksum_validate_needed(at, false, 0x1234));
        Assert.True(gro_h.__skb_gro_checksum_validate_needed(before, false, 0x1234));
        Assert.False(gro_h.__skb_gro_checksum_validate_needed(before, true, 0));

        consume_skb(at);
        consume_skb(before);
        Assert.Equal(0, rig.K.skb_ledger.Live);
    }
}
