// Ports net/core/secure_seq.c: the keyed hashes that give a TCP connection
// its initial sequence number (RFC 6528) and its timestamp offset.
//
// departures: the keys come from the simulation's seeded get_random_bytes,
// so a run is reproducible; seq_scale adds the virtual clock
// (ktime_get_real_ns is the wall clock in the kernel). The addresses and
// ports are hashed in host order (the kernel hashes the __be32/__be16 bits):
// the values differ from Linux's, the construction does not.
// not ported: the IPv6 and DCCP variants.
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using static KernelNet.Kernel.Lib.siphash_c;

namespace KernelNet.Kernel.Net.Core;

/// <summary>secure_seq.c's keys: net_secret (ISNs) and ts_secret (timestamp offsets), drawn once.</summary>
public sealed class secure_seq_globals
{
    public siphash_key_t net_secret { get; } = new();

    public siphash_key_t ts_secret { get; } = new();
}

public static class secure_seq_c
{
    // net/core/secure_seq.c: net_secret_init
    private static siphash_key_t net_secret_init(Vmlinux k)
    {
        var key = k.globals<secure_seq_globals>().net_secret;
        if (siphash_h.siphash_key_is_zero(key))
        {
            Drivers.Char.random_c.get_random_bytes(k, key);
        }

        return key;
    }

    // net/core/secure_seq.c: ts_secret_init
    private static siphash_key_t ts_secret_init(Vmlinux k)
    {
        var key = k.globals<secure_seq_globals>().ts_secret;
        if (siphash_h.siphash_key_is_zero(key))
        {
            Drivers.Char.random_c.get_random_bytes(k, key);
        }

        return key;
    }

    // net/core/secure_seq.c: seq_scale
    /// <summary>The hash plus a clock ticking every 64 ns, so ISNs of a reused 4-tuple keep moving forward.</summary>
    private static uint seq_scale(Vmlinux k, uint seq) => unchecked(seq + (uint)(k.ktime_get_ns() >> 6));

    // net/core/secure_seq.c: secure_tcp_ts_off
    /// <summary>The per-(saddr, daddr) offset added to TCP timestamps (net.ipv4.tcp_timestamps 1).</summary>
    public static uint secure_tcp_ts_off(net net, uint saddr, uint daddr)
    {
        if (Include.Net.Netns.netns_ipv4.of(net).sysctl_tcp_timestamps != 1)
        {
            return 0;
        }

        return (uint)siphash_h.siphash_2u32(saddr, daddr, ts_secret_init(net.k));
    }

    // net/core/secure_seq.c: secure_tcp_seq
    /// <summary>The initial sequence number of a connection: a keyed hash of its 4-tuple plus the clock.</summary>
    public static uint secure_tcp_seq(Vmlinux k, uint saddr, uint daddr, ushort sport, ushort dport)
    {
        var hash = (uint)siphash_3u32(saddr, daddr, (uint)sport << 16 | dport, net_secret_init(k));
        return seq_scale(k, hash);
    }

    // net/core/secure_seq.c: secure_ipv4_port_ephemeral
    /// <summary>
    /// Where connect's ephemeral-port search starts for this (saddr, daddr,
    /// dport): a keyed hash that also changes every EPHEMERAL_PORT_SHUFFLE_PERIOD
    /// (10 s of jiffies), so a destination cannot learn the sequence for long.
    /// The low 32 bits index table_perturb, the high 32 bits are the offset.
    /// </summary>
    public static ulong secure_ipv4_port_ephemeral(Vmlinux k, uint saddr, uint daddr, ushort dport) =>
        siphash_h.siphash_4u32(saddr, daddr, dport, (uint)(k.jiffies / EPHEMERAL_PORT_SHUFFLE_PERIOD), net_secret_init(k));

    /// <summary>EPHEMERAL_PORT_SHUFFLE_PERIOD (include/net/secure_seq.h): 10 s.</summary>
    public const ulong EPHEMERAL_PORT_SHUFFLE_PERIOD = 10 * Vmlinux.HZ;
}
