// Ports include/net/checksum.h (and the x86 csum helpers it wraps): the
// Internet checksum, computed the portable way.
using System;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace KernelNet.Kernel.Include.Net;

public static class checksum_h
{
    /// <summary>CSUM_MANGLED_0: a computed UDP sum of 0 is sent as all ones (0 means "no checksum").</summary>
    public const ushort CSUM_MANGLED_0 = 0xffff;

    /// <summary>
    /// csum_partial: the 32-bit one's-complement running sum of
    /// <paramref name="buff"/> taken as big-endian 16-bit words, added to
    /// <paramref name="sum"/>. Wide: the exact word sum is 256 times the sum
    /// of the bytes at even offsets plus the sum of those at odd offsets, and
    /// both byte sums are taken 16 bytes at a time (psadbw), so the result is
    /// the one the word-by-word loop gives, bit for bit.
    /// </summary>
    [KernelNet.Annotations.NotInLinux("stand-in for arch/x86/lib/csum-partial_64.c's csum_partial (whose result is in host byte order); the port keeps sums in network order")]
    public static uint csum_partial(ReadOnlySpan<byte> buff, uint sum)
    {
        ulong even = 0;
        ulong odd = 0;
        var i = 0;
        if (Sse2.IsSupported && buff.Length >= 16)
        {
            ref var start = ref MemoryMarshal.GetReference(buff);
            var evenMask = Vector128.Create((ushort)0x00ff).AsByte();
            var oddMask = Vector128.Create((ushort)0xff00).AsByte();
            var accEven = Vector128<ulong>.Zero;
            var accOdd = Vector128<ulong>.Zero;
            for (; i + 16 <= buff.Length; i += 16)
            {
                var v = Vector128.LoadUnsafe(ref start, (nuint)i);

                // psadbw against zero: each 64-bit lane gets the sum of its eight bytes.
                accEven += Sse2.SumAbsoluteDifferences(v & evenMask, Vector128<byte>.Zero).AsUInt64();
                accOdd += Sse2.SumAbsoluteDifferences(v & oddMask, Vector128<byte>.Zero).AsUInt64();
            }

            even = accEven.GetElement(0) + accEven.GetElement(1);
            odd = accOdd.GetElement(0) + accOdd.GetElement(1);
        }
        else
        {
            // ulong-wide: eight bytes at a time, the even and odd bytes of each
            // 16-bit word split into 16-bit lanes, flushed before a lane can carry.
            while (i + 8 <= buff.Length)
            {
                ulong laneEven = 0;
                ulong laneOdd = 0;
                var stop = Math.Min(buff.Length - 7, i + (8 * 256));
                for (; i < stop; i += 8)
                {
                    var x = BinaryPrimitives.ReadUInt64LittleEndian(buff[i..]);
                    laneEven += x & 0x00ff00ff00ff00ffUL;
                    laneOdd += (x >> 8) & 0x00ff00ff00ff00ffUL;
                }

                even += SumLanes16(laneEven);
                odd += SumLanes16(laneOdd);
            }
        }

        for (; i + 1 < buff.Length; i += 2)
        {
            even += buff[i];
            odd += buff[i + 1];
        }

        if (i < buff.Length)
        {
            even += buff[i];
        }

        var acc = (even << 8) + odd + sum;
        while ((acc >> 32) != 0)
        {
            acc = (acc & 0xffffffff) + (acc >> 32);
        }

        return (uint)acc;
    }

    /// <summary>The four 16-bit lanes of <paramref name="x"/> added up.</summary>
    [KernelNet.Annotations.NotInLinux("csum_partial's lane flush")]
    private static ulong SumLanes16(ulong x) => (x & 0xffff) + ((x >> 16) & 0xffff) + ((x >> 32) & 0xffff) + (x >> 48);

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
    [KernelNet.Annotations.Borrows("skb")]
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
    public static ushort ip_fast_csum(ReadOnlySpan<byte> iph, int ihl)
    {
        // 32-bit words summed wide: 2^16 is 1 modulo 0xffff, so the fold is the 16-bit word sum's.
        var words = iph[..(ihl * 4)];
        ulong acc = 0;
        for (var i = 0; i < words.Length; i += 4)
        {
            acc += BinaryPrimitives.ReadUInt32BigEndian(words[i..]);
        }

        acc = (acc & 0xffffffff) + (acc >> 32);
        acc = (acc & 0xffffffff) + (acc >> 32);
        return csum_fold((uint)acc);
    }

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

    // include/net/checksum.h: csum16_add
    /// <summary>One's-complement sum of two 16-bit values (the carry wraps around).</summary>
    public static ushort csum16_add(ushort csum, ushort addend)
    {
        var res = (ushort)(csum + addend);
        return (ushort)(res + (res < addend ? 1 : 0));
    }

    // include/net/checksum.h: csum16_sub
    /// <summary>One's-complement difference: adds the complement of <paramref name="addend"/>.</summary>
    public static ushort csum16_sub(ushort csum, ushort addend) => csum16_add(csum, (ushort)~addend);

    // include/net/checksum.h: csum_replace2
    /// <summary>The checksum <paramref name="sum"/> after a 16-bit field changed from <paramref name="from"/> to <paramref name="to"/> (RFC 1624, incremental).</summary>
    public static ushort csum_replace2(ushort sum, ushort from, ushort to) =>
        (ushort)~csum16_add(csum16_sub((ushort)~sum, from), to);
}
