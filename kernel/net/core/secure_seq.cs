// Ports net/core/secure_seq.c: the keyed hashes that give a TCP connection
// its initial sequence number (RFC 6528) and its timestamp offset.
//
// As of 6.18.26 (a stable backport the machine's 6.18.44 has; 6.18.2 differs)
// one siphash of the 4-tuple yields both: its low half is the ISN, its high
// half the timestamp offset, so the offset now varies with the ports too and
// there is no separate ts_secret.
//
// departures: the keys come from the simulation's seeded get_random_bytes,
// so a run is reproducible; seq_scale adds the virtual clock
// (ktime_get_real_ns is the wall clock in the kernel). The addresses and
// ports are hashed in host order (the kernel hashes the __be32/__be16 bits):
// the values differ from Linux's, the construction does not.
// not ported: the IPv6 and DCCP variants.
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using static KernelNet.Kernel.Lib.siphash_c;

namespace KernelNet.Kernel.Net.Core;

/// <summary>secure_seq.c's key, net_secret (ISNs, timestamp offsets, ephemeral ports), drawn once.</summary>
public sealed class secure_seq_globals
{
    public siphash_key_t net_secret { get; } = new();
}

/// <summary>
/// union tcp_seq_and_ts_off (include/net/secure_seq.h): one 64-bit hash read as
/// two words, the ISN in the low half and the timestamp offset in the high half
/// (the union's layout on a little-endian machine).
/// </summary>
public struct tcp_seq_and_ts_off
{
    public uint seq;
    public uint ts_off;

    /// <summary>Both words at once, as the union's hash64 member.</summary>
    public ulong hash64
    {
        [NotInLinux("the union's hash64 member: a C# struct cannot overlay it")]
        readonly get => (ulong)ts_off << 32 | seq;
        [NotInLinux("the union's hash64 member: a C# struct cannot overlay it")]
        set
        {
            seq = (uint)value;
            ts_off = (uint)(value >> 32);
        }
    }
}

public static class secure_seq_c
{
    // net/core/secure_seq.c: net_secret_init
    private static siphash_key_t net_secret_init(Vmlinux k)
    {
        // not ported: net_get_random_once — the key is drawn once, when it is still zero, with get_random_bytes
        var key = k.globals<secure_seq_globals>().net_secret;
        if (siphash_h.siphash_key_is_zero(key))
        {
            Drivers.Char.random_c.get_random_bytes(k, key);
        }

        return key;
    }

    // net/core/secure_seq.c: seq_scale
    /// <summary>The hash plus a clock ticking every 64 ns, so ISNs of a reused 4-tuple keep moving forward.</summary>
    private static uint seq_scale(Vmlinux k, uint seq) => unchecked(seq + (uint)(k.ktime_get_ns() >> 6));

    // net/core/secure_seq.c: secure_tcp_seq_and_ts_off
    /// <summary>
    /// A connection's initial sequence number and timestamp offset from one keyed
    /// hash of its 4-tuple: the ISN is the low half plus the clock, the offset the
    /// high half (zero unless net.ipv4.tcp_timestamps is 1).
    /// </summary>
    public static tcp_seq_and_ts_off secure_tcp_seq_and_ts_off(net net, uint saddr, uint daddr, ushort sport, ushort dport)
    {
        var ports = (uint)sport << 16 | dport;
        var st = new tcp_seq_and_ts_off { hash64 = siphash_3u32(saddr, daddr, ports, net_secret_init(net.k)) };
        if (Include.Net.Netns.netns_ipv4.of(net).sysctl_tcp_timestamps != 1)
        {
            st.ts_off = 0;
        }

        st.seq = seq_scale(net.k, st.seq);
        return st;
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
