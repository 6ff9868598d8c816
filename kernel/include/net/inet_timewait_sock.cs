// Ports include/net/inet_timewait_sock.h: struct inet_timewait_sock, the
// minisock that stands for a connection in TIME_WAIT (or an orphaned
// FIN_WAIT2) after its full socket is gone, and struct tcp_timewait_sock
// (include/linux/tcp.h), TCP's part of it.
//
// not ported: the death row's refcount and its limit (tw_max_buckets),
// bhash2 (tw_tb2), IPv6.
using KernelNet.Kernel.Kernel.Time;

namespace KernelNet.Kernel.Include.Net;

/// <summary>struct inet_timewait_sock with struct tcp_timewait_sock's fields; its sock has sk_state TCP_TIME_WAIT (tw_state).</summary>
public sealed class inet_timewait_sock : inet_sock
{
    public inet_timewait_sock(sock sk)
        : base(sk)
    {
    }

    /// <summary>tw_substate: TCP_FIN_WAIT2 or TCP_TIME_WAIT.</summary>
    public int tw_substate { get; set; }

    public byte tw_rcv_wscale { get; set; }

    public uint tw_mark { get; set; }

    public uint tw_priority { get; set; }

    public byte tw_tos { get; set; }

    /// <summary>tw_reuse: the socket's SO_REUSEADDR, which a later bind of the port may share.</summary>
    public bool tw_reuse { get; set; }

    /// <summary>tw_tb: the bind bucket of the port this entry still holds (null once unhashed from it).</summary>
    public inet_bind_bucket? tw_tb { get; set; }

    /// <summary>Whether the timewait sock went back to its cache (tw_refcnt reached 0).</summary>
    public bool tw_freed { get; set; }

    /// <summary>tw_entry_stamp: when the connection entered TIME_WAIT, in ms of tcp_clock (tcp_tw_reuse_delay counts from it).</summary>
    public uint tw_entry_stamp { get; set; }

    /// <summary>tw_timer: the end of TIME_WAIT (tw_timer_handler).</summary>
    public timer_list? tw_timer { get; set; }

    /// <summary>tcp_timewait_sock.tw_rcv_nxt.</summary>
    public uint tw_rcv_nxt { get; set; }

    public uint tw_snd_nxt { get; set; }

    public uint tw_rcv_wnd { get; set; }

    public uint tw_ts_offset { get; set; }

    public uint tw_ts_recent { get; set; }

    public long tw_ts_recent_stamp { get; set; }
}

public static class inet_timewait_sock_h
{
    // include/net/inet_timewait_sock.h: inet_twsk
    public static inet_timewait_sock inet_twsk(sock sk) => (inet_timewait_sock)sk.proto_data!;
}
