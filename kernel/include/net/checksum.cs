// Ports include/net/checksum.h (and the x86 csum helpers it wraps): the
// Internet checksum, computed the portable way.
using System;
using System.Buffers.Binary;

namespace KernelNet.Kernel.Include.Net;

public static class checksum_h
{
    /// <summary>csum_partial: the 32-bit one's-complement running sum of <paramref name="buff"/>.</summary>
    [KernelNet.Annotations.NotInLinux("stand-in for arch/x86/lib/csum-partial_64.c's csum_partial, which the port does not have")]
    public static uint csum_partial(ReadOnlySpan<byte> buff, uint sum)
    {
        ulong acc = sum;
        var i = 0;
        for (; i + 1 < buff.Length; i += 2)
        {
            acc += BinaryPrimitives.ReadUInt16BigEndian(buff[i..]);
        }

        if (i < buff.Length)
        {
            acc += (uint)(buff[i] << 8);
        }

        while ((acc >> 32) != 0)
        {
            acc = (acc & 0xffffffff) + (acc >> 32);
        }

        return (uint)acc;
    }

    /// <summary>csum_fold: folds a 32-bit sum to 16 bits and complements it.</summary>
    [KernelNet.Annotations.NotInLinux("stand-in for arch/x86/include/asm/checksum_64.h's csum_fold, a header not ported")]
    public static ushort csum_fold(uint sum)
    {
        sum = (sum & 0xffff) + (sum >> 16);
        sum = (sum & 0xffff) + (sum >> 16);
        return (ushort)~sum;
    }

    // include/net/checksum.h: csum_add
    /// <summary>One's-complement addition of two 32-bit partial sums (the carry wraps round).</summary>
    public static uint csum_add(uint csum, uint addend)
    {
        var res = csum + addend;
        return res + (res < addend ? 1u : 0u);
    }

    // include/net/checksum.h: csum_sub
    /// <summary>One's-complement subtraction: adding the complement.</summary>
    public static uint csum_sub(uint csum, uint addend) => csum_add(csum, ~addend);

    // include/net/checksum.h: csum_unfold
    public static uint csum_unfold(ushort n) => n;

    // include/net/checksum.h: csum_replace4
    /// <summary>The checksum after a 32-bit field it covers changed from <paramref name="from"/> to <paramref name="to"/> (RFC 1624).</summary>
    public static ushort csum_replace4(ushort sum, uint from, uint to) =>
        csum_fold(csum_add(csum_sub(~csum_unfold(sum), from), to));

    // include/net/checksum.h: inet_proto_csum_replace2
    /// <summary>A 16-bit field (a port) changed: the 32-bit fix-up with the values widened.</summary>
    public static ushort inet_proto_csum_replace2(ushort sum, Linux.sk_buff skb, ushort from, ushort to, bool pseudohdr) =>
        global::KernelNet.Kernel.Net.Core.utils_c.inet_proto_csum_replace4(sum, skb, from, to, pseudohdr);

    // include/net/checksum.h: csum_shift
    /// <summary>A block summed from an odd offset has its bytes in the other lanes: rotating by 8 lines it up.</summary>
    public static uint csum_shift(uint sum, int offset) => (offset & 1) != 0 ? uint.RotateRight(sum, 8) : sum;

    // include/net/checksum.h: csum_block_add
    /// <summary>Adds the sum of a block that starts <paramref name="offset"/> bytes into the data.</summary>
    public static uint csum_block_add(uint csum, uint csum2, int offset) => csum_add(csum, csum_shift(csum2, offset));

    /// <summary>ip_fast_csum: the IPv4 header checksum over <paramref name="ihl"/> words; 0 when the header is intact.</summary>
    [KernelNet.Annotations.NotInLinux("stand-in for arch/x86/include/asm/checksum_64.h's ip_fast_csum, a header not ported")]
    public static ushort ip_fast_csum(ReadOnlySpan<byte> iph, int ihl) => csum_fold(csum_partial(iph[..(ihl * 4)], 0));

    /// <summary>csum_tcpudp_nofold: the pseudo-header sum.</summary>
    [KernelNet.Annotations.NotInLinux("stand-in for arch/x86/include/asm/checksum_64.h's csum_tcpudp_nofold, a header not ported")]
    public static uint csum_tcpudp_nofold(uint saddr, uint daddr, int len, byte proto, uint sum)
    {
        ulong s = sum;
        s += (saddr >> 16) + (saddr & 0xffff) + (daddr >> 16) + (daddr & 0xffff);
        s += proto;
        s += (uint)len;
        while ((s >> 32) != 0)
        {
            s = (s & 0xffffffff) + (s >> 32);
        }

        return (uint)s;
    }

    /// <summary>csum_tcpudp_magic: the folded pseudo-header checksum.</summary>
    [KernelNet.Annotations.NotInLinux("stand-in for arch/x86/include/asm/checksum_64.h's csum_tcpudp_magic, a header not ported")]
    public static ushort csum_tcpudp_magic(uint saddr, uint daddr, int len, byte proto, uint sum) =>
        csum_fold(csum_tcpudp_nofold(saddr, daddr, len, proto, sum));

    // include/net/checksum.h: csum_replace2
    /// <summary>The checksum <paramref name="sum"/> after a 16-bit field changed from <paramref name="from"/> to <paramref name="to"/> (RFC 1624, incremental).</summary>
    public static ushort csum_replace2(ushort sum, ushort from, ushort to)
    {
        uint s = (ushort)~sum;
        s += (ushort)~from;
        s += to;
        s = (s & 0xffff) + (s >> 16);
        s = (s & 0xffff) + (s >> 16);
        return (ushort)~s;
    }
}
