// Ports lib/siphash.c: SipHash-2-4 on the fixed-size inputs the stack hashes.
// The file's PREAMBLE and POSTAMBLE macros are the two private helpers.
// not ported: PREAMBLE — written as the Preamble helper (the key loaded into the four state words)
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
        var (v0, v1, v2, v3) = Preamble(key);
        Compress(ref v0, ref v1, ref v2, ref v3, combined);
        return Postamble(v0, v1, v2, v3, (12UL << 56) | third);
    }

    // lib/siphash.c: siphash_1u64
    /// <summary>SipHash-2-4 of 8 bytes (siphash_2u32 packs two words into one).</summary>
    public static ulong siphash_1u64(ulong first, siphash_key_t key)
    {
        var (v0, v1, v2, v3) = Preamble(key);
        Compress(ref v0, ref v1, ref v2, ref v3, first);
        return Postamble(v0, v1, v2, v3, 8UL << 56);
    }

    // lib/siphash.c: siphash_2u64
    /// <summary>SipHash-2-4 of 16 bytes (siphash_4u32 packs four words into two).</summary>
    public static ulong siphash_2u64(ulong first, ulong second, siphash_key_t key)
    {
        var (v0, v1, v2, v3) = Preamble(key);
        Compress(ref v0, ref v1, ref v2, ref v3, first);
        Compress(ref v0, ref v1, ref v2, ref v3, second);
        return Postamble(v0, v1, v2, v3, 16UL << 56);
    }

    /// <summary>PREAMBLE: the state keyed.</summary>
    [KernelNet.Annotations.NotInLinux("the PREAMBLE macro of lib/siphash.c as a C# helper")]
    private static (ulong, ulong, ulong, ulong) Preamble(siphash_key_t key) =>
        (SIPHASH_CONST_0 ^ key.key[0], SIPHASH_CONST_1 ^ key.key[1], SIPHASH_CONST_2 ^ key.key[0], SIPHASH_CONST_3 ^ key.key[1]);

    /// <summary>One full 64-bit word absorbed: two SipRounds.</summary>
    [KernelNet.Annotations.NotInLinux("one message word through SIPROUND as lib/siphash.c does inline")]
    private static void Compress(ref ulong v0, ref ulong v1, ref ulong v2, ref ulong v3, ulong m)
    {
        v3 ^= m;
        SIPHASH_PERMUTATION(ref v0, ref v1, ref v2, ref v3);
        SIPHASH_PERMUTATION(ref v0, ref v1, ref v2, ref v3);
        v0 ^= m;
    }

    /// <summary>POSTAMBLE: the last word <paramref name="b"/> (length in the top byte, leftover bytes below), then four finalization rounds.</summary>
    [KernelNet.Annotations.NotInLinux("the POSTAMBLE macro of lib/siphash.c as a C# helper")]
    private static ulong Postamble(ulong v0, ulong v1, ulong v2, ulong v3, ulong b)
    {
        Compress(ref v0, ref v1, ref v2, ref v3, b);
        v2 ^= 0xff;
        for (var i = 0; i < 4; i++)
        {
            SIPHASH_PERMUTATION(ref v0, ref v1, ref v2, ref v3);
        }

        return v0 ^ v1 ^ v2 ^ v3;
    }
}
