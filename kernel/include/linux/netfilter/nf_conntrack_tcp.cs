// Ports include/linux/netfilter/nf_conntrack_tcp.h: what the TCP tracker keeps
// per connection — each direction's window edges (struct ip_ct_tcp_state) and
// the last packet seen, for the retransmission and resync checks.
namespace KernelNet.Kernel.Include.Linux.Netfilter;

using KernelNet.Kernel.Include.Uapi.Linux.Netfilter;

/// <summary>struct ip_ct_tcp_state: one direction's sequence space as the tracker has seen it.</summary>
public struct ip_ct_tcp_state
{
    /// <summary>td_end: the highest seq + len sent.</summary>
    public uint td_end;

    /// <summary>td_maxend: the highest right edge of the window the other side allowed.</summary>
    public uint td_maxend;

    /// <summary>td_maxwin: the largest window seen (at least 1).</summary>
    public uint td_maxwin;

    /// <summary>td_maxack: the highest ACK this direction sent.</summary>
    public uint td_maxack;

    /// <summary>td_scale: the window scale this direction announced.</summary>
    public byte td_scale;

    /// <summary>flags: IP_CT_TCP_FLAG_*.</summary>
    public byte flags;
}

/// <summary>struct ip_ct_tcp: the TCP part of a conntrack.</summary>
public sealed class ip_ct_tcp
{
    /// <summary>seen[dir]: per direction.</summary>
    public ip_ct_tcp_state[] seen { get; } = new ip_ct_tcp_state[2];

    public tcp_conntrack state;

    /// <summary>last_dir, last_index, last_seq, last_ack, last_end, last_win, last_wscale, last_flags: the last packet checked.</summary>
    public ip_conntrack_dir last_dir;

    public byte retrans;

    public byte last_index;

    public uint last_seq;

    public uint last_ack;

    public uint last_end;

    public ushort last_win;

    public byte last_wscale;

    public byte last_flags;

    /// <summary>memset(&amp;ct->proto.tcp, 0, ...).</summary>
    [KernelNet.Annotations.NotInLinux("C clears the struct with memset; a C# class needs a method")]
    public void clear()
    {
        seen[0] = default;
        seen[1] = default;
        state = tcp_conntrack.TCP_CONNTRACK_NONE;
        last_dir = ip_conntrack_dir.IP_CT_DIR_ORIGINAL;
        retrans = 0;
        last_index = 0;
        last_seq = last_ack = last_end = 0;
        last_win = 0;
        last_wscale = 0;
        last_flags = 0;
    }
}
