// Ports include/linux/siphash.h: the key type and the SipHash round.
using System.Numerics;

namespace KernelNet.Kernel.Include.Linux;

/// <summary>siphash_key_t: 128 bits of key.</summary>
public sealed class siphash_key_t
{
    public ulong[] key { get; } = new ulong[2];
}

public static class siphash_h
{
    public const ulong SIPHASH_CONST_0 = 0x736f6d6570736575;
    public const ulong SIPHASH_CONST_1 = 0x646f72616e646f6d;
    public const ulong SIPHASH_CONST_2 = 0x6c7967656e657261;
    public const ulong SIPHASH_CONST_3 = 0x7465646279746573;

    // include/linux/siphash.h: siphash_key_is_zero
    public static bool siphash_key_is_zero(siphash_key_t key) => (key.key[0] | key.key[1]) == 0;

    // include/linux/siphash.h: siphash_2u32
    /// <summary>SipHash of two words, <paramref name="first"/> in the low half.</summary>
    public static ulong siphash_2u32(uint first, uint second, siphash_key_t key) =>
        KernelNet.Kernel.Lib.siphash_c.siphash_1u64((ulong)second << 32 | first, key);

    // include/linux/siphash.h: siphash_4u32
    /// <summary>SipHash of four words, paired low-first into two 64-bit words.</summary>
    public static ulong siphash_4u32(uint a, uint b, uint c, uint d, siphash_key_t key) =>
        KernelNet.Kernel.Lib.siphash_c.siphash_2u64((ulong)b << 32 | a, (ulong)d << 32 | c, key);

    // include/linux/siphash.h: SIPHASH_PERMUTATION
    /// <summary>SIPHASH_PERMUTATION: one SipRound over the four state words.</summary>
    public static void SIPHASH_PERMUTATION(ref ulong a, ref ulong b, ref ulong c, ref ulong d)
    {
        a += b;
        b = BitOperations.RotateLeft(b, 13);
        b ^= a;
        a = BitOperations.RotateLeft(a, 32);
        c += d;
        d = BitOperations.RotateLeft(d, 16);
        d ^= c;
        a += d;
        d = BitOperations.RotateLeft(d, 21);
        d ^= a;
        c += b;
        b = BitOperations.RotateLeft(b, 17);
        b ^= c;
        c = BitOperations.RotateLeft(c, 32);
    }
}
