// Ports lib/siphash.c: SipHash-2-4 on the fixed-size inputs the stack hashes.
using KernelNet.Kernel.Include.Linux;
using static KernelNet.Kernel.Include.Linux.siphash_h;

namespace KernelNet.Kernel.Lib;

public static class siphash_c
{
    // lib/siphash.c: siphash_3u32
    /// <summary>SipHash-2-4 of 12 bytes: <paramref name="first"/>, <paramref name="second"/>, <paramref name="third"/>.</summary>
    public static ulong siphash_3u32(uint first, uint second, uint third, siphash_key_t key)
    {
        var combined = (ulong)second << 32 | first;
        var v0 = SIPHASH_CONST_0 ^ key.key[0];
        var v1 = SIPHASH_CONST_1 ^ key.key[1];
        var v2 = SIPHASH_CONST_2 ^ key.key[0];
        var v3 = SIPHASH_CONST_3 ^ key.key[1];
        var b = 12UL << 56;
        v3 ^= combined;
        SIPHASH_PERMUTATION(ref v0, ref v1, ref v2, ref v3);
        SIPHASH_PERMUTATION(ref v0, ref v1, ref v2, ref v3);
        v0 ^= combined;
        b |= third;

        // the finalization every siphash_* shares
        v3 ^= b;
        SIPHASH_PERMUTATION(ref v0, ref v1, ref v2, ref v3);
        SIPHASH_PERMUTATION(ref v0, ref v1, ref v2, ref v3);
        v0 ^= b;
        v2 ^= 0xff;
        for (var i = 0; i < 4; i++)
        {
            SIPHASH_PERMUTATION(ref v0, ref v1, ref v2, ref v3);
        }

        return v0 ^ v1 ^ v2 ^ v3;
    }

    // lib/siphash.c: siphash_1u64
    /// <summary>SipHash-2-4 of 8 bytes (siphash_2u32 packs two words into one).</summary>
    public static ulong siphash_1u64(ulong first, siphash_key_t key)
    {
        var v0 = SIPHASH_CONST_0 ^ key.key[0];
        var v1 = SIPHASH_CONST_1 ^ key.key[1];
        var v2 = SIPHASH_CONST_2 ^ key.key[0];
        var v3 = SIPHASH_CONST_3 ^ key.key[1];
        var b = 8UL << 56;
        v3 ^= first;
        SIPHASH_PERMUTATION(ref v0, ref v1, ref v2, ref v3);
        SIPHASH_PERMUTATION(ref v0, ref v1, ref v2, ref v3);
        v0 ^= first;

        // the finalization every siphash_* shares
        v3 ^= b;
        SIPHASH_PERMUTATION(ref v0, ref v1, ref v2, ref v3);
        SIPHASH_PERMUTATION(ref v0, ref v1, ref v2, ref v3);
        v0 ^= b;
        v2 ^= 0xff;
        for (var i = 0; i < 4; i++)
        {
            SIPHASH_PERMUTATION(ref v0, ref v1, ref v2, ref v3);
        }

        return v0 ^ v1 ^ v2 ^ v3;
    }
}
