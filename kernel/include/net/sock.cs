// Ports include/net/sock.h: struct sock, the network-layer representation of
// a socket, and its inline helpers.
using System;
using KernelNet.Kernel.Include.Linux;

namespace KernelNet.Kernel.Include.Net;

/// <summary>struct sock (with struct sock_common folded in).</summary>
public sealed class sock
{
    public sock(net sk_net, ushort family, int type, int protocol)
    {
        this.sk_net = sk_net;
        sk_family = family;
        sk_type = type;
        sk_protocol = protocol;
        addr = sk_net.k.alloc_address(1024);
    }

    /// <summary>The address traces print for this socket (skaddr, rx_sk).</summary>
    public ulong addr { get; }

    public net sk_net { get; }

    public ushort sk_family { get; }

    public int sk_type { get; }

    public int sk_protocol { get; }

    public int sk_state { get; set; }

    public sk_buff_head sk_receive_queue { get; } = new();

    public sk_buff_head sk_write_queue { get; } = new();

    public sk_buff_head sk_error_queue { get; } = new();

    /// <summary>sk_rmem_alloc: bytes (truesize) charged to the receive side.</summary>
    public int sk_rmem_alloc { get; set; }

    /// <summary>sk_wmem_alloc: bytes charged to the send side (starts at 1 in C).</summary>
    public int sk_wmem_alloc { get; set; } = 1;

    public int sk_rcvbuf { get; set; }

    public int sk_sndbuf { get; set; }

    public int sk_err { get; set; }

    public int sk_drops { get; set; }

    public long sk_rcvtimeo { get; set; } = sched_h.MAX_SCHEDULE_TIMEOUT;

    public long sk_sndtimeo { get; set; } = sched_h.MAX_SCHEDULE_TIMEOUT;

    public byte sk_shutdown { get; set; }

    public uint sk_mark { get; set; }

    public uint sk_priority { get; set; }

    /// <summary>sk_wq: who sleeps on this socket.</summary>
    public wait_queue_head sk_wq { get; } = new();

    public Action<sock>? sk_data_ready { get; set; }

    public Action<sock>? sk_write_space { get; set; }

    public Action<sock>? sk_error_report { get; set; }

    public Action<sock>? sk_state_change { get; set; }

    /// <summary>The protocol's own socket struct (inet_sock, udp_sock, tcp_sock) that embeds this sock.</summary>
    public object? proto_data { get; set; }

    /// <summary>The struct socket (BSD side) this sock belongs to.</summary>
    public object? sk_socket { get; set; }

    /// <summary>The route cached for this socket (sk_dst_cache).</summary>
    public object? sk_dst_cache { get; set; }

    public bool sock_flag_dead { get; set; }

    /// <summary>sk->sk_prot->unhash: leave the protocol's lookup table.</summary>
    public Action<sock>? sk_prot_unhash { get; set; }

    /// <summary>sk_destruct: free what the protocol still holds when the last reference goes.</summary>
    public Action<sock>? sk_destruct { get; set; }

    /// <summary>SOCK_BROADCAST (SO_BROADCAST).</summary>
    public bool sock_flag_broadcast { get; set; }

    /// <summary>sk_reuse (SO_REUSEADDR).</summary>
    public bool sk_reuse { get; set; }

    /// <summary>The CPU that last queued data for this socket (sk_incoming_cpu).</summary>
    public int sk_incoming_cpu { get; set; } = -1;
}

public static class sock_h
{
    public const int TCP_ESTABLISHED = 1;
    public const int TCP_CLOSE = 7;

    // include/net/sock.h: sock_error
    /// <summary>Takes and clears the pending error: returns -sk_err (0 if none).</summary>
    public static int sock_error(sock sk)
    {
        var err = sk.sk_err;
        if (err == 0)
        {
            return 0;
        }

        sk.sk_err = 0;
        return -err;
    }

    // include/net/sock.h: sock_rcvtimeo
    /// <summary>How long a receive may block: 0 when non-blocking.</summary>
    public static long sock_rcvtimeo(sock sk, bool noblock) => noblock ? 0 : sk.sk_rcvtimeo;

    // include/net/sock.h: sock_intr_errno
    /// <summary>The error for an interrupted wait: -EAGAIN if the timeout ran out, -EINTR otherwise.</summary>
    public static int sock_intr_errno(long timeo) => timeo == sched_h.MAX_SCHEDULE_TIMEOUT ? -ERESTARTSYS : -Uapi.AsmGeneric.errno_base_h.EINTR;

    /// <summary>ERESTARTSYS (include/linux/errno.h): restart the call after the signal handler.</summary>
    public const int ERESTARTSYS = 512;
}
