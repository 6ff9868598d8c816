using System;
using System.Buffers.Binary;
using KernelNet.Kernel.Include.Net;
using Xunit;

namespace KernelNet.Tests.Include.Net;

/// <summary>
/// include/net/checksum.h's sums: the wide csum_partial and ip_fast_csum
/// against a word-by-word reference written here, on seeded random buffers of
/// every length 0..2000 at even and odd offsets.
/// </summary>
public sealed class checksum_tests
{
    /// <summary>RFC 1071's loop: big-endian 16-bit words, a trailing odd byte as the high half, carries folded to 32 bits.</summary>
    private static uint Reference(ReadOnlySpan<byte> buff, uint sum)
    {
        ulong acc = sum;
        var i = 0;
        for (; i + 1 < buff.Length; i += 2)
        {
            acc += BinaryPrimitives.ReadUInt16BigEndian(buff[i..]);
        }

        if (i < buff.Length)
        {
            acc += (uint)buff[i] << 8;
        }

        while ((acc >> 32) != 0)
        {
            acc = (acc & 0xffffffff) + (acc >> 32);
        }

        return (uint)acc;
    }

    [Fact]
    public void csum_partial_equals_the_word_by_word_sum_for_every_length_to_2000_at_odd_and_even_offsets()
    {
        var rng = new Random(1071);
        var buf = new byte[2000 + 3];
        rng.NextBytes(buf);
        for (var offset = 0; offset < 3; offset++)
        {
            for (var len = 0; len <= 2000; len++)
            {
                var span = buf.AsSpan(offset, len);
                var seed = (uint)rng.Next();
                Assert.Equal(Reference(span, seed), checksum_h.csum_partial(span, seed));
            }
        }
    }

    [Fact]
    public void csum_partial_does_not_lose_carries_on_long_runs_of_ff()
    {
        // All-ones bytes make every lane carry as early as it can.
        var buf = new byte[200_003];
        Array.Fill(buf, (byte)0xff);
        foreach (var len in new[] { 15, 16, 17, 4096, 65_537, 200_003 })
        {
            Assert.Equal(Reference(buf.AsSpan(0, len), 0xffffffff), checksum_h.csum_partial(buf.AsSpan(0, len), 0xffffffff));
        }
    }

    [Fact]
    public void ip_fast_csum_is_zero_on_an_intact_header_and_matches_the_folded_sum_on_any()
    {
        // 45 00 00 73 0000 4000 4011 b861 c0a8 0001 c0a8 00c7: the header from RFC 1071's worked examples' usual companion.
        var iph = Convert.FromHexString("450000730000400040 11b861c0a80001c0a800c7".Replace(" ", "", StringComparison.Ordinal));
        Assert.Equal(0, checksum_h.ip_fast_csum(iph, 5));

        var rng = new Random(791);
        var hdr = new byte[60];
        for (var n = 0; n < 2000; n++)
        {
            rng.NextBytes(hdr);
            var ihl = 5 + (n % 11);
            Assert.Equal(checksum_h.csum_fold(Reference(hdr.AsSpan(0, ihl * 4), 0)), checksum_h.ip_fast_csum(hdr, ihl));
        }
    }
    // csum_replace2 (csum16_sub then csum16_add, RFC 1624): after one 16-bit field of a valid IPv4 header changes,
    // the incrementally updated check field makes the header verify again, as a full recomputation would.
    [Fact]
    public void csum_replace2_keeps_an_ipv4_header_valid_after_a_field_changes()
    {
        var rng = new Random(1624);
        var hdr = new byte[20];
        for (var n = 0; n < 2000; n++)
        {
            rng.NextBytes(hdr);
            hdr[10] = hdr[11] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(hdr.AsSpan(10), checksum_h.ip_fast_csum(hdr, 5));
            Assert.Equal(0, checksum_h.ip_fast_csum(hdr, 5));

            var field = 2 * rng.Next(0, 10);
            if (field == 10)
            {
                continue;
            }

            var from = BinaryPrimitives.ReadUInt16BigEndian(hdr.AsSpan(field));
            var to = (ushort)rng.Next(0, 65536);
            BinaryPrimitives.WriteUInt16BigEndian(hdr.AsSpan(field), to);
            var check = BinaryPrimitives.ReadUInt16BigEndian(hdr.AsSpan(10));
            BinaryPrimitives.WriteUInt16BigEndian(hdr.AsSpan(10), checksum_h.csum_replace2(check, from, to));
            Assert.Equal(0, checksum_h.ip_fast_csum(hdr, 5));
        }
    }
}
