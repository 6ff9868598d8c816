// Ports include/linux/hash.h: the multiplicative hash the kernel's small
// tables (raw sockets, ...) index with.
//
// not ported: hash_64 and hash_ptr (nothing here hashes 64-bit values yet).
namespace KernelNet.Kernel.Include.Linux;

public static class hash_h
{
    /// <summary>GOLDEN_RATIO_32: 2^32 / phi, rounded to an odd number.</summary>
    public const uint GOLDEN_RATIO_32 = 0x61C88647;

    // include/linux/hash.h: __hash_32_generic
    /// <summary>x86 has no arch hash: __hash_32 is this generic multiply.</summary>
    public static uint __hash_32_generic(uint val) => unchecked(val * GOLDEN_RATIO_32);

    // include/linux/hash.h: hash_32
    /// <summary>The top <paramref name="bits"/> bits of the product, the best mixed ones.</summary>
    public static uint hash_32(uint val, int bits) => __hash_32_generic(val) >> (32 - bits);
}
