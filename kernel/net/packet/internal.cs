// Ports net/packet/internal.h: struct packet_sock, the AF_PACKET side of a
// sock, and its flag helpers.
//
// not ported: fanout, rings (rx_ring/tx_ring, pg_vec, tp_version), rollover,
// the multicast list, vnet headers, copy_thresh — af_packet.cs says why.
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;

namespace KernelNet.Kernel.Net.Packet;

/// <summary>enum packet_sock_flags: bit numbers in packet_sock.flags.</summary>
public enum packet_sock_flags
{
    PACKET_SOCK_ORIGDEV,
    PACKET_SOCK_AUXDATA,
    PACKET_SOCK_TX_HAS_OFF,
    PACKET_SOCK_TP_LOSS,
    PACKET_SOCK_RUNNING,
    PACKET_SOCK_PRESSURE,
    PACKET_SOCK_QDISC_BYPASS,
}

/// <summary>
/// struct packet_sock: a packet socket's sock and what it adds — the tap it
/// registers (prot_hook), the device it is bound to, and its counters.
/// </summary>
public sealed class packet_sock
{
    public packet_sock(sock sk, packet_type prot_hook)
    {
        this.sk = sk;
        this.prot_hook = prot_hook;
    }

    /// <summary>The embedded struct sock (the first member in C: pkt_sk is a cast).</summary>
    public sock sk { get; }

    /// <summary>stats.stats1.tp_packets: frames queued to the socket (PACKET_STATISTICS).</summary>
    public uint tp_packets { get; set; }

    /// <summary>flags: bits of enum packet_sock_flags.</summary>
    public ulong flags { get; set; }

    /// <summary>The bound device's ifindex: 0 for every device, -1 once it went away.</summary>
    public int ifindex { get; set; }

    /// <summary>num: the protocol the socket listens for, host order here (0: none, the tap is not registered).</summary>
    public ushort num { get; set; }

    /// <summary>cached_dev: the bound device, where packet_snd sends when no address is given.</summary>
    public net_device? cached_dev { get; set; }

    /// <summary>prot_hook: the tap in ptype_all (ETH_P_ALL) or ptype_specific; func is packet_rcv.</summary>
    public packet_type prot_hook { get; }

    /// <summary>tp_drops: frames the socket could not take (PACKET_STATISTICS).</summary>
    public uint tp_drops { get; set; }
}

public static class internal_h
{
    // net/packet/internal.h: pkt_sk
    /// <summary>The packet_sock around a packet socket's sock.</summary>
    public static packet_sock pkt_sk(sock sk) => (packet_sock)sk.proto_data!;

    // net/packet/internal.h: packet_sock_flag_set
    public static void packet_sock_flag_set(packet_sock po, packet_sock_flags flag, bool val)
    {
        // set_bit/clear_bit: atomic in C, readers test without the bind lock.
        if (val)
        {
            po.flags |= 1UL << (int)flag;
        }
        else
        {
            po.flags &= ~(1UL << (int)flag);
        }
    }

    // net/packet/internal.h: packet_sock_flag
    public static bool packet_sock_flag(packet_sock po, packet_sock_flags flag) => (po.flags & (1UL << (int)flag)) != 0;
}
