// Ports include/linux/jhash.h: Bob Jenkins' lookup3 hash, which the kernel
// uses to key small tables by name (tcp_cong.c's ca->key) and by tuple.
//
// not ported: jhash2, jhash_2words (no caller yet).
using System;
using System.Numerics;

namespace KernelNet.Kernel.Include.Linux;

public static class jhash_h
{
    /// <summary>JHASH_INITVAL: an arbitrary start value.</summary>
    public const uint JHASH_INITVAL = 0xdeadbeef;

    // include/linux/jhash.h: jhash
    /// <summary>
    /// Hashes the first <paramref name="length"/> bytes of <paramref name="key"/>
    /// (12 at a time, the tail folded in by bytes) with <paramref name="initval"/>:
    /// the same value the kernel computes on little-endian x86.
    /// </summary>
    public static uint jhash(ReadOnlySpan<byte> key, uint length, uint initval)
    {
        unchecked
        {
            uint a, b, c;
            a = b = c = JHASH_INITVAL + length + initval;
            var k = key;
            while (length > 12)
            {
                a += System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(k);
                b += System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(k.Slice(4));
                c += System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(k.Slice(8));
                __jhash_mix(ref a, ref b, ref c);
                length -= 12;
                k = k.Slice(12);
            }

            if (length == 0)
            {
                return c;
            }

            // the tail: bytes 8..11 go to c, 4..7 to b, 0..3 to a, each in its lane
            for (var i = (int)length - 1; i >= 0; i--)
            {
                var v = (uint)k[i] << (8 * (i % 4));
                if (i >= 8)
                {
                    c += v;
                }
                else if (i >= 4)
                {
                    b += v;
                }
                else
                {
                    a += v;
                }
            }

            __jhash_final(ref a, ref b, ref c);
            return c;
        }
    }

    // include/linux/jhash.h: __jhash_mix
    /// <summary>Mixes three words reversibly (a macro in C).</summary>
    private static void __jhash_mix(ref uint a, ref uint b, ref uint c)
    {
        unchecked
        {
            a -= c; a ^= BitOperations.RotateLeft(c, 4); c += b;
            b -= a; b ^= BitOperations.RotateLeft(a, 6); a += c;
            c -= b; c ^= BitOperations.RotateLeft(b, 8); b += a;
            a -= c; a ^= BitOperations.RotateLeft(c, 16); c += b;
            b -= a; b ^= BitOperations.RotateLeft(a, 19); a += c;
            c -= b; c ^= BitOperations.RotateLeft(b, 4); b += a;
        }
    }

    // include/linux/jhash.h: __jhash_final
    /// <summary>Final mixing of three words into c (a macro in C).</summary>
    private static void __jhash_final(ref uint a, ref uint b, ref uint c)
    {
        unchecked
        {
            c ^= b; c -= BitOperations.RotateLeft(b, 14);
            a ^= c; a -= BitOperations.RotateLeft(c, 11);
            b ^= a; b -= BitOperations.RotateLeft(a, 25);
            c ^= b; c -= BitOperations.RotateLeft(b, 16);
            a ^= c; a -= BitOperations.RotateLeft(c, 4);
            b ^= a; b -= BitOperations.RotateLeft(a, 14);
            c ^= b; c -= BitOperations.RotateLeft(b, 24);
        }
    }

    // include/linux/jhash.h: __jhash_nwords
    /// <summary>Hashes exactly three words (fewer padded with 0) with an initval that already counts them.</summary>
    private static uint __jhash_nwords(uint a, uint b, uint c, uint initval)
    {
        unchecked
        {
            a += initval;
            b += initval;
            c += initval;
            __jhash_final(ref a, ref b, ref c);
            return c;
        }
    }

    // include/linux/jhash.h: jhash_3words
    /// <summary>The hash of three words: inet_ehashfn's 4-tuple (addresses and both ports in one word).</summary>
    public static uint jhash_3words(uint a, uint b, uint c, uint initval) => __jhash_nwords(a, b, c, unchecked(initval + JHASH_INITVAL + (3 << 2)));

    // include/linux/jhash.h: jhash_1word
    /// <summary>The hash of one word: ipv4_portaddr_hash's address.</summary>
    public static uint jhash_1word(uint a, uint initval) => __jhash_nwords(a, 0, 0, unchecked(initval + JHASH_INITVAL + (1 << 2)));
}
