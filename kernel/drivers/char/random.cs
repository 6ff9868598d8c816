// Ports the interface of drivers/char/random.c the network stack draws on:
// get_random_bytes, get_random_u32 and __get_random_u32_below.
//
// departure: the kernel feeds ChaCha20 from an entropy pool; here one
// SplitMix64 stream per kernel, seeded at a fixed value, so that two runs of
// a scenario draw the same "random" numbers (keys, IP IDs). What the stack
// does with them is the kernel's; only the source is deterministic.
using System;

namespace KernelNet.Kernel.Drivers.Char;

/// <summary>random.c's state, one per kernel.</summary>
public sealed class random_globals
{
    /// <summary>The generator's position in its stream.</summary>
    public ulong state { get; set; } = 0x4b65726e656c4e65; // "KernelNe"
}

public static class random_c
{
    [KernelNet.Annotations.NotInLinux("the seeded generator's step: the simulation's deterministic stand-in for the CRNG's output")]
    private static ulong next(Vmlinux k)
    {
        var g = k.globals<random_globals>();
        g.state += 0x9e3779b97f4a7c15;
        var z = g.state;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
        z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
        return z ^ (z >> 31);
    }

    // drivers/char/random.c: get_random_bytes
    public static void get_random_bytes(Vmlinux k, Span<byte> buf)
    {
        // not ported: _get_random_bytes — the bytes come from the deterministic SplitMix64 stream (see the departure above), not the ChaCha20 CRNG
        for (var i = 0; i < buf.Length; i += 8)
        {
            var v = next(k);
            for (var j = 0; j < 8 && i + j < buf.Length; j++)
            {
                buf[i + j] = (byte)(v >> (8 * j));
            }
        }
    }

    // drivers/char/random.c: get_random_bytes
    /// <summary>get_random_bytes(&amp;key, sizeof(key)): a fresh 128-bit SipHash key.</summary>
    public static void get_random_bytes(Vmlinux k, Include.Linux.siphash_key_t key)
    {
        // not ported: _get_random_bytes — the bytes come from the deterministic SplitMix64 stream (see the departure above), not the ChaCha20 CRNG
        Span<byte> b = stackalloc byte[16];
        get_random_bytes(k, b);
        key.key[0] = BitConverter.ToUInt64(b);
        key.key[1] = BitConverter.ToUInt64(b[8..]);
    }

    // drivers/char/random.c: get_random_u32
    public static uint get_random_u32(Vmlinux k) => (uint)next(k);

    // drivers/char/random.c: __get_random_u32_below
    /// <summary>A uniform value in [0, ceil): Lemire's multiply-and-reject, as the kernel draws it.</summary>
    public static uint __get_random_u32_below(Vmlinux k, uint ceil)
    {
        if (ceil == 0)
        {
            return 0;
        }

        var mult = (ulong)ceil * get_random_u32(k);
        if ((uint)mult < ceil)
        {
            var bound = (uint)(-(int)ceil) % ceil;
            while ((uint)mult < bound)
            {
                mult = (ulong)ceil * get_random_u32(k);
            }
        }

        return (uint)(mult >> 32);
    }
}
