// Ports include/net/sock.h: struct sock (the network-layer half of a socket),
// struct proto (a transport protocol's socket operations) and the inline
// helpers around them: flags, memory accounting of owned skbs (with the
// receive side's forward allocation: sk_rmem_schedule, sk_mem_reclaim on
// uncharge), timeouts (sock_rcvlowat too), pending errors.
//
// The socket lock keeps only its owner/backlog split (sk_lock.owned,
// sk_backlog): while a task holds the socket, softirq queues segments on
// the backlog and release_sock processes them (TCP).
// Stream sockets' send-buffer accounting: sk_wmem_queued and the
// sk_stream_* tests of free room.
// not ported: the spinlock half of sk_lock (one thread), memory cgroups, BPF filters,
// RPS flow tables, the busy-poll fields, sk_peek_off.
using System;
using System.Threading.Tasks;
using KernelNet.Kernel.Include.Linux;

namespace KernelNet.Kernel.Include.Net;

/// <summary>
/// struct sockcm_cookie: what a send's control messages (or the socket's
/// defaults) ask of it. Only the TX timestamp flags are ported: sock_cmsg_send
/// is not, so tsflags is always the socket's sk_tsflags. On the sender's
/// stack, as in C, passed by ref or in where C passes a pointer.
/// </summary>
public struct sockcm_cookie
{
    public uint tsflags;
}

/// <summary>enum sock_flags, 6.18 order: bit numbers in sk_flags.</summary>
public enum sock_flags
{
    SOCK_DEAD,
    SOCK_DONE,
    SOCK_URGINLINE,
    SOCK_KEEPOPEN,
    SOCK_LINGER,
    SOCK_DESTROY,
    SOCK_BROADCAST,
    SOCK_TIMESTAMP,
    SOCK_ZAPPED,
    SOCK_USE_WRITE_QUEUE,
    SOCK_DBG,
    SOCK_RCVTSTAMP,
    SOCK_RCVTSTAMPNS,
    SOCK_LOCALROUTE,
    SOCK_MEMALLOC,
    SOCK_TIMESTAMPING_RX_SOFTWARE,
    SOCK_FASYNC,
    SOCK_RXQ_OVFL,
    SOCK_ZEROCOPY,
    SOCK_WIFI_STATUS,
    SOCK_NOFCS,
    SOCK_FILTER_LOCKED,
    SOCK_SELECT_ERR_QUEUE,
    SOCK_RCU_FREE,
    SOCK_TXTIME,
    SOCK_XDP,
    SOCK_TSTAMP_NEW,
    SOCK_RCVMARK,
    SOCK_RCVPRIORITY,
    SOCK_TIMESTAMPING_ANY,
}

/// <summary>
/// struct proto: what a transport protocol does for its socks (udp_prot).
/// Entries the port does not use are left out; a null entry is a NULL pointer.
/// </summary>
public sealed class proto
{
    public required string name { get; init; }

    /// <summary>close(sk, timeout): the protocol's close; may sleep up to timeout jiffies (tcp_close with SO_LINGER).</summary>
    public Func<sock, long, System.Threading.Tasks.Task>? close { get; init; }

    public Func<sock, byte[], int, int>? connect { get; init; }

    public Func<sock, int, int>? disconnect { get; init; }

    /// <summary>shutdown: the protocol's half of shutdown(2), with the SHUTDOWN_MASK bits (tcp_shutdown).</summary>
    public Action<sock, int>? shutdown { get; init; }

    public Func<sock, int>? init { get; init; }

    public Action<sock>? destroy { get; init; }

    /// <summary>release_cb: work deferred while the socket was owned, run by release_sock (tcp_release_cb).</summary>
    public Action<sock>? release_cb { get; init; }

    public Func<sock, int, int, long, int>? setsockopt { get; init; }

    /// <summary>keepalive: SO_KEEPALIVE turned on or off (tcp_set_keepalive), before SOCK_KEEPOPEN changes.</summary>
    public Action<sock, int>? keepalive { get; init; }

    /// <summary>setsockopt with the value as a buffer (sockptr_t and optlen): options that are not an int, TCP_CONGESTION's name.</summary>
    public Func<sock, int, int, byte[], int, int>? setsockopt_buf { get; init; }

    public Func<sock, int, int, (int Err, long Val)>? getsockopt { get; init; }

    /// <summary>
    /// getsockopt into a user buffer (optval and optlen): options whose value
    /// is a struct (TCP_INFO). Returns 0 or -errno and the bytes written.
    /// </summary>
    public Func<sock, int, int, byte[], (int Err, int Len)>? getsockopt_buf { get; init; }

    /// <summary>ioctl: the protocol's requests (tcp_ioctl's SIOCINQ/SIOCOUTQ) as 0 or -errno with the int it reports.</summary>
    public Func<sock, int, (int Err, int Karg)>? ioctl { get; init; }

    /// <summary>sendmsg: may sleep waiting for send buffer space (sock_alloc_send_pskb).</summary>
    public Func<sock, msghdr, int, ValueTask<int>>? sendmsg { get; init; }

    /// <summary>stream_memory_free: a stream protocol's extra test for send buffer room (tcp_stream_memory_free).</summary>
    public Func<sock, int, bool>? stream_memory_free { get; init; }

    /// <summary>recvmsg: may sleep waiting for data.</summary>
    public Func<sock, msghdr, int, int, ValueTask<int>>? recvmsg { get; init; }

    /// <summary>bind: a protocol that binds on its own (raw_bind); inet_bind_sk uses it instead of __inet_bind.</summary>
    public Func<sock, byte[], int, int>? bind { get; init; }

    /// <summary>hash: enter the protocol's lookup table (raw_hash_sk); 0 or -errno.</summary>
    public Func<sock, int>? hash { get; init; }

    public Action<sock>? unhash { get; init; }

    /// <summary>backlog_rcv: processes a segment queued while the socket was owned (tcp_v4_do_rcv).</summary>
    public Func<sock, sk_buff, int>? backlog_rcv { get; init; }

    public Func<sock, ushort, int>? get_port { get; init; }

    /// <summary>accept: the next completed connection of a listener (inet_csk_accept); may sleep.</summary>
    public Func<sock, int, ValueTask<(sock? Sk, int Err)>>? accept { get; init; }

    /// <summary>
    /// slab/obj_size: makes the protocol's socket struct (raw_sock) that
    /// sk_prot_alloc allocates together with the sock. Null for protocols
    /// whose init makes it (udp_init_sock makes the udp_sock).
    /// </summary>
    public Func<sock, object>? slab { get; init; }

    /// <summary>obj_size: sizeof the protocol's socket struct, what proto_register sizes its slab cache for (0: no cache).</summary>
    public uint obj_size { get; init; }

    /// <summary>slab_flags: added to the cache's flags (TCP: SLAB_TYPESAFE_BY_RCU).</summary>
    public ulong slab_flags { get; init; }

    /// <summary>twsk_prot's twsk_obj_size (sizeof the timewait sock; 0: none).</summary>
    public uint twsk_obj_size { get; init; }

    /// <summary>rsk_prot's obj_size (sizeof the request sock; 0: none).</summary>
    public uint rsk_obj_size { get; init; }
}

/// <summary>struct sock (with struct sock_common folded in).</summary>
public sealed class sock
{
    /// <summary>The slab cache the socket struct came from (sk_prot_creator->slab), until sk_prot_free gives it back.</summary>
    public Mm.kmem_cache? sk_slab { get; set; }

    public sock(net sk_net, ushort family, int type, int protocol)
    {
        this.sk_net = sk_net;
        sk_family = family;
        sk_type = type;
        sk_protocol = protocol;
        addr = sk_net.k.alloc_address(1024);
    }

    /// <summary>sk_rcu: the head a SOCK_RCU_FREE socket waits on for its grace period before __sk_destruct; made when the socket is freed (the kernel embeds it).</summary>
    public rcu_head sk_rcu => _sk_rcu ??= new rcu_head(this);

    private rcu_head? _sk_rcu;

    /// <summary>The address traces print for this socket (skaddr, rx_sk): from its slab cache when it has one (sk_prot_alloc), so a freed socket's memory comes back.</summary>
    public ulong addr { get; internal set; }

    public net sk_net { get; }

    public ushort sk_family { get; }

    public int sk_type { get; }

    public int sk_protocol { get; }

    public int sk_state { get; set; }

    /// <summary>sk_prot: the transport protocol's operations (udp_prot).</summary>
    public proto? sk_prot { get; set; }

    /// <summary>sk_flags: bits of enum sock_flags (sock_flag/sock_set_flag).</summary>
    public ulong sk_flags { get; set; }

    /// <summary>sk_stamp: the time of the last packet read (SIOCGSTAMP), SK_DEFAULT_STAMP before any.</summary>
    public long sk_stamp { get; set; } = sock_h.SK_DEFAULT_STAMP;

    /// <summary>sk_userlocks: SOCK_SNDBUF_LOCK, SOCK_RCVBUF_LOCK, SOCK_BINDADDR_LOCK, SOCK_BINDPORT_LOCK.</summary>
    public byte sk_userlocks { get; set; }

    /// <summary>sk_node is on a hash chain (sk_hashed).</summary>
    public bool sk_hashed { get; set; }

    /// <summary>skc_hash: the hash the socket is chained under (TCP: inet_ehashfn of its 4-tuple).</summary>
    public uint sk_hash { get; set; }

    /// <summary>skc_nulls_node: the socket's link in a TCP established or listening hash chain.</summary>
    public Linux.hlist_nulls_node<sock> sk_nulls_node;

    /// <summary>skc_bind_node: the socket's link in its bind bucket's owners.</summary>
    public Linux.hlist_node<sock> sk_bind_node;

    /// <summary>
    /// skc_node (sk_node): the socket's link in a plain hash chain (UDP's
    /// primary slots). C overlays it on skc_nulls_node (a union): a socket
    /// sits on one main chain, so the two share the storage here too.
    /// </summary>
    public ref Linux.hlist_node<sock> sk_node => ref System.Runtime.CompilerServices.Unsafe.As<Linux.hlist_nulls_node<sock>, Linux.hlist_node<sock>>(ref sk_nulls_node);

    /// <summary>skc_portaddr_node: UDP's secondary hash link, overlaid on skc_bind_node (a union in C: a UDP socket has no bind bucket).</summary>
    public ref Linux.hlist_node<sock> skc_portaddr_node => ref sk_bind_node;

    public int sk_bound_dev_if { get; set; }

    /// <summary>sk_receive_queue: made when first used; the kernel embeds the head (an idle socket that was never read from or queued to keeps none).</summary>
    public sk_buff_head sk_receive_queue => _sk_receive_queue ??= new();

    private sk_buff_head? _sk_receive_queue;

    /// <summary>sk_write_queue: made when first used, as sk_receive_queue.</summary>
    public sk_buff_head sk_write_queue => _sk_write_queue ??= new();

    private sk_buff_head? _sk_write_queue;

    /// <summary>sk_write_queue if it was ever made: null reads as empty, for peeks (tcp_send_head) that must not make it.</summary>
    public sk_buff_head? sk_write_queue_made => _sk_write_queue;

    /// <summary>sk_error_queue: made when first used (timestamps, zerocopy completions, ICMP errors); an idle socket keeps none. The kernel embeds the head.</summary>
    public sk_buff_head sk_error_queue => _sk_error_queue ??= new();

    private sk_buff_head? _sk_error_queue;

    /// <summary>sk_omem_alloc: option memory charged to the socket (sock_omalloc: MSG_ZEROCOPY's notifications).</summary>
    public int sk_omem_alloc { get; set; }

    /// <summary>sk_tsflags: the SO_TIMESTAMPING flags (SOF_TIMESTAMPING_*).</summary>
    public uint sk_tsflags { get; set; }

    /// <summary>sk_tskey: the counter OPT_ID keys start from (for TCP, the sequence number the option was set at).</summary>
    public uint sk_tskey { get; set; }

    /// <summary>sk_zckey: the id of the next MSG_ZEROCOPY send.</summary>
    public uint sk_zckey { get; set; }

    /// <summary>sk_rmem_alloc: bytes (truesize) charged to the receive side.</summary>
    public int sk_rmem_alloc { get; set; }

    /// <summary>sk_wmem_alloc: bytes charged to the send side, plus the 1 sk_alloc starts it at (sk_wmem_alloc_get subtracts it).</summary>
    public int sk_wmem_alloc { get; set; } = 1;

    /// <summary>sk_forward_alloc: memory scheduled from the protocol's pool but not yet charged.</summary>
    public int sk_forward_alloc { get; set; }

    public int sk_rcvbuf { get; set; }

    public int sk_sndbuf { get; set; }

    /// <summary>sk_frag: the socket's own page being filled with data, when it does not use its task's (sk_use_task_frag).</summary>
    public Linux.page_frag sk_frag => _sk_frag ??= new();

    private Linux.page_frag? _sk_frag;

    /// <summary>sk_use_task_frag: data is copied into the sending task's page frag (sk_page_frag), as for every socket a user creates.</summary>
    public bool sk_use_task_frag { get; set; } = true;

    /// <summary>sk_wmem_queued: truesize of the skbs a stream socket keeps queued (write and retransmit queues).</summary>
    public int sk_wmem_queued { get; set; }

    /// <summary>sk_write_pending: writers sleeping for the connection or for send buffer space.</summary>
    public int sk_write_pending { get; set; }

    public int sk_err { get; set; }

    public int sk_err_soft { get; set; }

    /// <summary>sk_drops (sk_drop_counters in 6.18): datagrams the socket dropped, shown by ss -m.</summary>
    public int sk_drops { get; set; }

    public long sk_rcvtimeo { get; set; } = sched_h.MAX_SCHEDULE_TIMEOUT;

    public long sk_sndtimeo { get; set; } = sched_h.MAX_SCHEDULE_TIMEOUT;

    /// <summary>sk_lingertime: how long close() waits for unsent data with SOCK_LINGER set (jiffies; 0: abort at once).</summary>
    public long sk_lingertime { get; set; }

    public int sk_rcvlowat { get; set; } = 1;

    public byte sk_shutdown { get; set; }

    public uint sk_mark { get; set; }

    /// <summary>sk_timer: TCP's keepalive timer (also the FIN_WAIT2 timer of an orphan). The kernel embeds it; here it is made when first armed (tcp_reset_keepalive_timer), from the function inet_csk_init_xmit_timers set up: an idle socket without SO_KEEPALIVE holds none.</summary>
    public Kernel.Time.timer_list? sk_timer { get; set; }

    /// <summary>sk_timer.function, as timer_setup left it until the timer is made.</summary>
    public System.Action<Kernel.Time.timer_list>? sk_timer_function { get; set; }

    /// <summary>sk_txhash: the flow's transmit hash (random, never 0 once set); sk_txrehash: whether a timeout may draw a new one (SOCK_TXREHASH_*).</summary>
    public uint sk_txhash { get; set; }

    public byte sk_txrehash { get; set; }

    public uint sk_priority { get; set; }

    /// <summary>
    /// sk_wq: who sleeps on this socket (socket_wq.wait; sk_sleep returns it).
    /// The kernel points it at the socket_wq embedded in the struct socket; here
    /// the head is made when someone first waits (prepare_to_wait, poll_wait,
    /// add_wait_queue through sk_sleep), so a socket nobody ever waited on (an
    /// idle accepted child) holds none. Wakers read sk_wq_made.
    /// </summary>
    public wait_queue_head sk_wq => _sk_wq ??= new();

    private wait_queue_head? _sk_wq;

    /// <summary>sk_wq if it was ever made, for wakers (skwq_has_sleeper): null, as the kernel's NULL sk_wq, has no sleeper.</summary>
    public wait_queue_head? sk_wq_made => _sk_wq;

    public Action<sock>? sk_data_ready { get; set; }

    public Action<sock>? sk_write_space { get; set; }

    public Action<sock>? sk_error_report { get; set; }

    public Action<sock>? sk_state_change { get; set; }

    /// <summary>The protocol's own socket struct (inet_sock, udp_sock, tcp_sock) that embeds this sock.</summary>
    public object? proto_data { get; set; }

    /// <summary>The struct socket (BSD side) this sock belongs to; null once orphaned.</summary>
    public object? sk_socket { get; set; }

    /// <summary>The route cached for this socket (sk_dst_cache).</summary>
    public object? sk_dst_cache { get; set; }

    /// <summary>sk_route_caps: the offloads of the route's device (NETIF_F_*), as sk_setup_caps left them.</summary>
    public ulong sk_route_caps { get; set; }

    /// <summary>sk_gso_type: the SKB_GSO_* type of the GSO skbs this socket builds (SKB_GSO_TCPV4 for TCP over IPv4).</summary>
    public uint sk_gso_type { get; set; }

    /// <summary>sk_gso_max_size: the largest GSO packet the route takes, less room for headers (sk_setup_caps).</summary>
    public uint sk_gso_max_size { get; set; }

    /// <summary>sk_gso_max_segs: the most segments one GSO packet may carry (1 without GSO).</summary>
    public ushort sk_gso_max_segs { get; set; }

    /// <summary>sk_pacing_rate: bytes per second TCP estimates it may send (~0: unlimited until the first estimate).</summary>
    public ulong sk_pacing_rate { get; set; } = ulong.MaxValue;

    /// <summary>sk_max_pacing_rate: SO_MAX_PACING_RATE's cap (~0: none).</summary>
    public ulong sk_max_pacing_rate { get; set; } = ulong.MaxValue;

    /// <summary>sk_pacing_shift: the share of the pacing rate one TSO packet may take (1/2^shift of a second).</summary>
    public byte sk_pacing_shift { get; set; } = 10;

    /// <summary>sk_pacing_status (enum sk_pacing): who paces the flow — nobody, TCP itself (SK_PACING_NEEDED), or sch_fq.</summary>
    public int sk_pacing_status { get; set; }

    /// <summary>SOCK_DEAD: orphaned, nobody will read again.</summary>
    public bool sock_flag_dead
    {
        get => sock_h.sock_flag(this, sock_flags.SOCK_DEAD);
        set => sock_h.sock_valbool_flag(this, sock_flags.SOCK_DEAD, value);
    }

    /// <summary>SOCK_BROADCAST (SO_BROADCAST).</summary>
    public bool sock_flag_broadcast
    {
        get => sock_h.sock_flag(this, sock_flags.SOCK_BROADCAST);
        set => sock_h.sock_valbool_flag(this, sock_flags.SOCK_BROADCAST, value);
    }

    /// <summary>sk->sk_prot->unhash: leave the protocol's lookup table.</summary>
    public Action<sock>? sk_prot_unhash { get; set; }

    /// <summary>sk_destruct: free what the protocol still holds when the last reference goes.</summary>
    public Action<sock>? sk_destruct { get; set; }

    /// <summary>sk_reuse (SO_REUSEADDR).</summary>
    public bool sk_reuse { get; set; }

    /// <summary>sk_reuseport (SO_REUSEPORT): accepted, but reuseport groups are not ported.</summary>
    public bool sk_reuseport { get; set; }

    /// <summary>sk_lock.owned: a task holds the socket (lock_sock); softirq must use the backlog.</summary>
    public bool sk_lock_owned { get; set; }

    /// <summary>sk_tsq_flags: work softirq found the socket owned for and left to release_cb (TCP_MTU_REDUCED_DEFERRED).</summary>
    public ulong sk_tsq_flags { get; set; }

    /// <summary>sk_backlog.head: segments that arrived while the socket was owned, processed by release_sock (a chain through skb.next, not an sk_buff_head: the kernel's sk_backlog holds head, tail and len).</summary>
    public sk_buff? sk_backlog_head { get; set; }

    /// <summary>sk_backlog.tail: the last of them; non-null while the backlog has any.</summary>
    public sk_buff? sk_backlog_tail { get; set; }

    /// <summary>sk_ack_backlog: connections on a listener's accept queue.</summary>
    public uint sk_ack_backlog { get; set; }

    /// <summary>sk_max_ack_backlog: listen()'s backlog, capped by net.core.somaxconn.</summary>
    public uint sk_max_ack_backlog { get; set; }

    /// <summary>sk_backlog.len: bytes (truesize) on the backlog.</summary>
    public int sk_backlog_len { get; set; }

    /// <summary>The CPU that last queued data for this socket (sk_incoming_cpu).</summary>
    public int sk_incoming_cpu { get; set; } = -1;

    /// <summary>sk_rxhash: the flow hash of the packets last received, which RFS records with the reader's CPU.</summary>
    public uint sk_rxhash { get; set; }

    /// <summary>sk_tx_queue_mapping: the TX queue the socket's packets last took (NO_QUEUE_MAPPING when none).</summary>
    public ushort sk_tx_queue_mapping { get; set; } = sock_h.NO_QUEUE_MAPPING;

    /// <summary>The sock ledger's links (kernel/sim/SockLedger.cs: kmemleak's view of live socks), not a kernel field.</summary>
    internal sock? ledger_prev { get; set; }

    internal sock? ledger_next { get; set; }

    internal bool ledger_live { get; set; }

    public override string ToString() => $"sock@{addr:x16}";
}

public static class sock_h
{
    /// <summary>_SK_MEM_PACKETS: how many small packets the default buffer sizes are made for.</summary>
    public const int _SK_MEM_PACKETS = 256;

    /// <summary>_SK_MEM_OVERHEAD: SKB_TRUESIZE(256), one small packet's cost.</summary>
    public const int _SK_MEM_OVERHEAD = 256 + skbuff_h.SKB_SHINFO_SIZE + skbuff_h.SKB_TRUESIZE_OVERHEAD;

    /// <summary>SK_WMEM_DEFAULT: 212992 on x86-64 (also the ARP queue's default unres_qlen_bytes).</summary>
    public const int SK_WMEM_DEFAULT = _SK_MEM_OVERHEAD * _SK_MEM_PACKETS;

    /// <summary>SK_PACING_NONE (enum sk_pacing): nobody paces the flow.</summary>
    public const int SK_PACING_NONE = 0;

    /// <summary>SK_PACING_NEEDED (enum sk_pacing): TCP paces itself (SO_MAX_PACING_RATE, or a module such as BBR asked).</summary>
    public const int SK_PACING_NEEDED = 1;

    /// <summary>SK_PACING_FQ (enum sk_pacing): sch_fq paces the flow.</summary>
    public const int SK_PACING_FQ = 2;

    // not ported: sk_is_inet — the protocol and type test alone decides: no non-inet sock of the port is SOCK_STREAM with IPPROTO_TCP
    // include/net/sock.h: sk_is_tcp
    /// <summary>A TCP stream socket (not a raw socket of protocol TCP)?</summary>
    public static bool sk_is_tcp(sock sk) => sk.sk_protocol == Uapi.Linux.in_h.IPPROTO_TCP && sk.sk_type == 1 /* SOCK_STREAM */;

    // include/net/sock.h: sk_can_gso
    /// <summary>Does the socket's route segment for it (any GSO bit of the type it builds)?</summary>
    public static bool sk_can_gso(sock sk) => netdevice_h.net_gso_ok(sk.sk_route_caps, sk.sk_gso_type);

    public const int TCP_ESTABLISHED = 1;
    public const int TCP_CLOSE = 7;

    /// <summary>NO_QUEUE_MAPPING: sk_tx_queue_mapping when no TX queue is recorded.</summary>
    public const ushort NO_QUEUE_MAPPING = 0xffff;

    // include/net/sock.h: sock_rps_save_rxhash
    /// <summary>Keeps the flow hash of a packet the socket received, for RFS (sock_rps_record_flow).</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void sock_rps_save_rxhash(sock sk, sk_buff skb)
    {
        if (sk.sk_rxhash != skb.hash)
        {
            sk.sk_rxhash = skb.hash;
        }
    }

    // include/net/sock.h: sock_rps_reset_rxhash
    public static void sock_rps_reset_rxhash(sock sk) => sk.sk_rxhash = 0;

    // include/net/sock.h: sk_fullsock
    /// <summary>A full socket, not a request or TIME_WAIT minisock.</summary>
    public static bool sk_fullsock(sock sk) => ((1 << sk.sk_state) & (tcp_states_h.TCPF_TIME_WAIT | tcp_states_h.TCPF_NEW_SYN_RECV)) == 0;

    // include/net/sock.h: sk_tx_queue_set
    /// <summary>Remembers the TX queue the socket's flow uses (netdev_pick_tx), so that later packets stay on it.</summary>
    public static void sk_tx_queue_set(sock sk, int tx_queue)
    {
        if (tx_queue >= NO_QUEUE_MAPPING)
        {
            return;
        }

        sk.sk_tx_queue_mapping = (ushort)tx_queue;
    }

    // include/net/sock.h: sk_tx_queue_clear
    public static void sk_tx_queue_clear(sock sk) => sk.sk_tx_queue_mapping = NO_QUEUE_MAPPING;

    // include/net/sock.h: sk_tx_queue_get
    /// <summary>The recorded TX queue, or -1 (no socket, or none recorded).</summary>
    public static int sk_tx_queue_get(sock? sk)
    {
        if (sk is not null && sk.sk_tx_queue_mapping != NO_QUEUE_MAPPING)
        {
            return sk.sk_tx_queue_mapping;
        }

        return -1;
    }

    public const byte RCV_SHUTDOWN = 1;
    public const byte SEND_SHUTDOWN = 2;
    public const byte SHUTDOWN_MASK = 3;

    public const byte SOCK_SNDBUF_LOCK = 1;
    public const byte SOCK_RCVBUF_LOCK = 2;
    public const byte SOCK_BINDADDR_LOCK = 4;
    public const byte SOCK_BINDPORT_LOCK = 8;

    /// <summary>SOCK_CONNECT_BIND: the port was picked by connect(), not bind().</summary>
    public const byte SOCK_CONNECT_BIND = 16;

    /// <summary>TCP_SKB_MIN_TRUESIZE: 2048 + SKB_DATA_ALIGN(sizeof(struct sk_buff)).</summary>
    public const int TCP_SKB_MIN_TRUESIZE = 2048 + 256;

    public const int SOCK_MIN_SNDBUF = TCP_SKB_MIN_TRUESIZE * 2;

    public const int SOCK_MIN_RCVBUF = TCP_SKB_MIN_TRUESIZE;

    /// <summary>SK_MEM_QUANTUM: memory is scheduled from the protocol's pool in pages.</summary>
    public const int SK_MEM_QUANTUM = 4096;

    /// <summary>ERESTARTSYS (include/linux/errno.h): restart the call after the signal handler.</summary>
    public const int ERESTARTSYS = 512;

    // not ported: read_pnet — one field: no CONFIG_NET_NS indirection
    // include/net/sock.h: sock_net
    public static net sock_net(sock sk) => sk.sk_net;

    /// <summary>SK_DEFAULT_STAMP: sk_stamp before a packet was read (-1 s).</summary>
    public const long SK_DEFAULT_STAMP = -1L * 1_000_000_000;

    // include/net/sock.h: sock_write_timestamp
    public static void sock_write_timestamp(sock sk, long kt) => sk.sk_stamp = kt;

    // include/net/sock.h: sock_read_timestamp
    public static long sock_read_timestamp(sock sk) => sk.sk_stamp;

    // include/net/sock.h: sock_recv_cmsgs
    /// <summary>After a read: control messages a socket asked for, else the packet's time kept for SIOCGSTAMP.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void sock_recv_cmsgs(msghdr msg, sock sk, sk_buff skb)
    {
        const ulong FLAGS_RECV_CMSGS = (1UL << (int)sock_flags.SOCK_RXQ_OVFL) | (1UL << (int)sock_flags.SOCK_RCVTSTAMP)
            | (1UL << (int)sock_flags.SOCK_RCVMARK) | (1UL << (int)sock_flags.SOCK_RCVPRIORITY);

        // not ported: SOCK_TIMESTAMPING_ANY's bit — __sock_recv_cmsgs is not ported (a datagram socket's SO_TIMESTAMPING gets no receive cmsg)
        if ((sk.sk_flags & FLAGS_RECV_CMSGS) != 0)
        {
            // not ported: __sock_recv_cmsgs — no socket of the port asks for receive control messages
            _ = msg;
        }
        else if (sock_flag(sk, sock_flags.SOCK_TIMESTAMP))
        {
            sock_write_timestamp(sk, skb.tstamp);
        }
        else if (sock_read_timestamp(sk) == SK_DEFAULT_STAMP)
        {
            sock_write_timestamp(sk, 0);
        }
    }

    // include/net/sock.h: sock_recv_timestamp
    /// <summary>
    /// The timestamp cmsgs of <paramref name="skb"/> when the socket asked for
    /// them (SO_TIMESTAMP, or SO_TIMESTAMPING with a software stamp present),
    /// else the stamp kept for SIOCGSTAMP.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void sock_recv_timestamp(msghdr msg, sock sk, sk_buff skb)
    {
        // not ported: __sock_recv_wifi_status, skb_wifi_acked_valid — no wireless devices
        var tsflags = sk.sk_tsflags;
        var kt = skb.tstamp;

        // not ported: skb_hwtstamps and SOF_TIMESTAMPING_RAW_HARDWARE — no hardware stamps; SOCK_WIFI_STATUS — no wireless
        if (sock_flag(sk, sock_flags.SOCK_RCVTSTAMP) ||
            (tsflags & Uapi.Linux.net_tstamp_h.SOF_TIMESTAMPING_RX_SOFTWARE) != 0 ||
            (kt != 0 && (tsflags & Uapi.Linux.net_tstamp_h.SOF_TIMESTAMPING_SOFTWARE) != 0))
        {
            KernelNet.Kernel.Net.socket_c.__sock_recv_timestamp(msg, sk, skb);
        }
        else
        {
            sock_write_timestamp(sk, kt);
        }
    }

    // include/net/sock.h: _sock_tx_timestamp
    /// <summary>
    /// The TX timestamps a send asks for (<paramref name="sockc"/>'s flags)
    /// become the skb's tx_flags; with OPT_ID, a datagram takes the socket's
    /// next key (TCP passes no <paramref name="tskey"/>: its key is a sequence number).
    /// </summary>
    public static void _sock_tx_timestamp(sock sk, in sockcm_cookie sockc, ref byte tx_flags, skb_shared_info? tskey)
    {
        var tsflags = sockc.tsflags;

        if (tsflags != 0)
        {
            KernelNet.Kernel.Net.socket_c.__sock_tx_timestamp(tsflags, ref tx_flags);
            if ((tsflags & Uapi.Linux.net_tstamp_h.SOF_TIMESTAMPING_OPT_ID) != 0 && tskey is not null &&
                (tsflags & Uapi.Linux.net_tstamp_h.SOF_TIMESTAMPING_TX_RECORD_MASK) != 0)
            {
                // not ported: SOCKCM_FLAG_TS_OPT_ID (SCM_TS_OPT_ID's key from a cmsg) — sock_cmsg_send is not ported
                tskey.tskey = sk.sk_tskey++;
            }
        }
    }

    // include/net/sock.h: sock_tx_timestamp
    /// <summary>_sock_tx_timestamp without a key (TCP's).</summary>
    public static void sock_tx_timestamp(sock sk, in sockcm_cookie sockc, ref byte tx_flags) =>
        _sock_tx_timestamp(sk, in sockc, ref tx_flags, null);

    // include/net/sock.h: sock_flag
    public static bool sock_flag(sock sk, sock_flags flag) => (sk.sk_flags & (1UL << (int)flag)) != 0;

    // include/net/sock.h: sock_set_flag
    public static void sock_set_flag(sock sk, sock_flags flag) => sk.sk_flags |= 1UL << (int)flag;

    // include/net/sock.h: sock_reset_flag
    public static void sock_reset_flag(sock sk, sock_flags flag) => sk.sk_flags &= ~(1UL << (int)flag);

    // include/net/sock.h: sock_valbool_flag
    public static void sock_valbool_flag(sock sk, sock_flags bit, bool valbool)
    {
        if (valbool)
        {
            sock_set_flag(sk, bit);
        }
        else
        {
            sock_reset_flag(sk, bit);
        }
    }

    // not ported: hlist_entry_safe — the node names the next socket itself (types.cs)
    // include/net/sock.h: sk_next
    /// <summary>The socket after <paramref name="sk"/> on its plain chain (sk_node), or null at the chain's end.</summary>
    public static sock? sk_next(sock sk) => sk.sk_node.next;

    // include/net/sock.h: sk_unhashed
    public static bool sk_unhashed(sock sk) => !sk.sk_hashed;

    // not ported: sk_unhashed — the hashed state is a flag on the sock
    // include/net/sock.h: sk_hashed
    public static bool sk_hashed(sock sk) => sk.sk_hashed;

    // not ported: __hlist_del — types_h.hlist_del_entry on the socket's sk_node (the chain's head, for its first, the
    //   caller names: types.cs)
    // include/net/sock.h: __sk_del_node
    /// <summary>Unlinks <paramref name="sk"/> from the plain chain <paramref name="list"/> it is on.</summary>
    public static void __sk_del_node(sock sk, ref Linux.hlist_head<sock> list) => Linux.types_h.hlist_del_entry(sk, ref list, sk_node_member);

    /// <summary>The chain member of a plain socket chain: sk_node.</summary>
    private static readonly Linux.hlist_member<sock> sk_node_member = static s => ref s.sk_node;

    /// <summary>The chain member of a bind bucket's owners: sk_bind_node.</summary>
    private static readonly Linux.hlist_member<sock> sk_bind_node_member = static s => ref s.sk_bind_node;

    // not ported: sk_node_init — the node is cleared and the hashed flag dropped (the flag is the port's sk_hashed)
    // include/net/sock.h: __sk_del_node_init
    /// <summary>Takes a hashed <paramref name="sk"/> off its plain chain <paramref name="list"/>; false if it was not hashed.</summary>
    public static bool __sk_del_node_init(sock sk, ref Linux.hlist_head<sock> list)
    {
        if (sk_hashed(sk))
        {
            __sk_del_node(sk, ref list);
            sk.sk_node = default;
            sk.sk_hashed = false;
            return true;
        }

        return false;
    }

    // not ported: WARN_ON, refcount_read, __sock_put — socket references are not counted: the chain's reference is the
    //   link itself
    // include/net/sock.h: sk_del_node_init
    /// <summary>Takes a hashed <paramref name="sk"/> off its plain chain; false if it was not hashed.</summary>
    public static bool sk_del_node_init(sock sk, ref Linux.hlist_head<sock> list) => __sk_del_node_init(sk, ref list);

    // include/net/sock.h: sk_del_node_init_rcu
    /// <summary>A macro for sk_del_node_init in C.</summary>
    public static bool sk_del_node_init_rcu(sock sk, ref Linux.hlist_head<sock> list) => sk_del_node_init(sk, ref list);

    // not ported: hlist_nulls_del_init_rcu — written out on the socket's node: the previous socket (or, for the
    //   chain's first, the chain's head, which the caller names: list_nulls.cs) is linked to the next
    // include/net/sock.h: __sk_nulls_del_node_init_rcu
    /// <summary>Unlinks a hashed <paramref name="sk"/> from its nulls chain <paramref name="list"/>; false if it was not hashed.</summary>
    public static bool __sk_nulls_del_node_init_rcu(sock sk, ref Linux.hlist_nulls_head<sock> list)
    {
        if (sk_hashed(sk))
        {
            ref var n = ref sk.sk_nulls_node;
            if (n.pprev is { } prev)
            {
                prev.sk_nulls_node.next = n.next;
            }
            else if (list.first == sk)
            {
                list.first = n.next;
            }

            if (n.next is { } next)
            {
                next.sk_nulls_node.pprev = n.pprev;
            }

            n = default;
            sk.sk_hashed = false;
            return true;
        }

        return false;
    }

    // not ported: __sock_put — socket references are not counted: the chain's reference is the link itself
    // include/net/sock.h: sk_nulls_del_node_init_rcu
    public static bool sk_nulls_del_node_init_rcu(sock sk, ref Linux.hlist_nulls_head<sock> list) => __sk_nulls_del_node_init_rcu(sk, ref list);

    // not ported: hlist_nulls_add_head_rcu — written out on the socket's node: it becomes the chain's first
    // include/net/sock.h: __sk_nulls_add_node_rcu
    /// <summary>Puts <paramref name="sk"/> first on the nulls chain <paramref name="list"/> and marks it hashed.</summary>
    public static void __sk_nulls_add_node_rcu(sock sk, ref Linux.hlist_nulls_head<sock> list)
    {
        var first = list.first;
        sk.sk_nulls_node.next = first;
        sk.sk_nulls_node.pprev = null;
        if (first is not null)
        {
            first.sk_nulls_node.pprev = sk;
        }

        list.first = sk;
        sk.sk_hashed = true;
    }

    // not ported: sock_hold — socket references are not counted; hlist_add_tail_rcu — for AF_INET6 reuseport sockets
    //   only: no IPv6 sockets; hlist_add_head_rcu — types_h.hlist_add_entry_head on the socket's sk_node
    // include/net/sock.h: sk_add_node_rcu
    /// <summary>Puts <paramref name="sk"/> first on the plain chain <paramref name="list"/> and marks it hashed.</summary>
    public static void sk_add_node_rcu(sock sk, ref Linux.hlist_head<sock> list)
    {
        Linux.types_h.hlist_add_entry_head(sk, ref list, sk_node_member);
        sk.sk_hashed = true;
    }

    // not ported: __hlist_del — types_h.hlist_del_entry on the socket's bind node (the owners' head, for the first
    //   owner, is the caller's: types.cs)
    // include/net/sock.h: __sk_del_bind_node
    /// <summary>Takes <paramref name="sk"/> off its bind bucket's owners <paramref name="list"/>.</summary>
    public static void __sk_del_bind_node(sock sk, ref Linux.hlist_head<sock> list)
    {
        Linux.types_h.hlist_del_entry(sk, ref list, sk_bind_node_member);
        sk.sk_bind_node = default;
    }

    // not ported: hlist_add_head — types_h.hlist_add_entry_head on the socket's bind node
    // include/net/sock.h: sk_add_bind_node
    /// <summary>Makes <paramref name="sk"/> the first of the owners <paramref name="list"/>.</summary>
    public static void sk_add_bind_node(sock sk, ref Linux.hlist_head<sock> list) => Linux.types_h.hlist_add_entry_head(sk, ref list, sk_bind_node_member);

    // not ported: hlist_for_each_entry — the walk follows each socket's sk_node.next to the chain's end
    // include/net/sock.h: sk_for_each
    /// <summary>The sockets of a plain chain, first to last (a macro in C; sk_for_each_rcu is the same walk here).</summary>
    public static sk_chain<sk_node_link> sk_for_each(in Linux.hlist_head<sock> list) => new(list.first);

    // not ported: hlist_nulls_for_each_entry, is_a_nulls — the walk follows each socket's sk_nulls_node.next to the
    //   chain's end (a chain ends in null here, list_nulls.cs)
    // include/net/sock.h: sk_nulls_for_each
    /// <summary>The sockets of a nulls chain, first to last (a macro in C: a for loop over the chain).</summary>
    public static sk_chain<sk_node_link> sk_nulls_for_each(in Linux.hlist_nulls_head<sock> list) => new(list.first);

    // not ported: hlist_for_each_entry — the walk follows each owner's sk_bind_node.next to the list's end
    // include/net/sock.h: sk_for_each_bound
    /// <summary>The owners of a bind bucket, first to last (a macro in C).</summary>
    public static sk_chain<sk_bind_link> sk_for_each_bound(in Linux.hlist_head<sock> list) => new(list.first);

    // include/net/sock.h: sk_rmem_alloc_get
    /// <summary>Bytes charged to the receive queue (ss's Recv-Q for a UDP socket, OBS-5).</summary>
    public static int sk_rmem_alloc_get(sock sk) => sk.sk_rmem_alloc;

    // include/net/sock.h: sk_wmem_alloc_get
    /// <summary>Bytes of sent skbs not yet freed (ss's Send-Q for a UDP socket, OBS-5).</summary>
    public static int sk_wmem_alloc_get(sock sk) => sk.sk_wmem_alloc - 1;

    // include/net/sock.h: sk_sleep
    /// <summary>The wait queue readers and writers of this socket sleep on.</summary>
    public static wait_queue_head sk_sleep(sock sk) => sk.sk_wq;

    // not ported: sk_drops_add — one drop counter field, bumped in place (no NUMA split)
    // include/net/sock.h: sk_drops_inc
    public static void sk_drops_inc(sock sk) => sk.sk_drops++;

    // not ported: numa_drop_read — one drop counter field (no NUMA split)
    // include/net/sock.h: sk_drops_read
    public static int sk_drops_read(sock sk) => sk.sk_drops;

    // include/net/sock.h: sk_forward_alloc_add
    public static void sk_forward_alloc_add(sock sk, int val) => sk.sk_forward_alloc += val;

    /// <summary>SOCK_TXREHASH_DISABLED/ENABLED (uapi/asm-generic/socket.h): sk_txrehash's values.</summary>
    public const byte SOCK_TXREHASH_DISABLED = 0;

    public const byte SOCK_TXREHASH_ENABLED = 1;

    // include/net/sock.h: net_tx_rndhash
    /// <summary>A random transmit hash, never 0 (0 means "no hash").</summary>
    public static uint net_tx_rndhash(Vmlinux k)
    {
        var v = Drivers.Char.random_c.get_random_u32(k);
        return v != 0 ? v : 1;
    }

    // include/net/sock.h: sk_set_txhash
    /// <summary>The socket's flow gets a fresh random transmit hash.</summary>
    public static void sk_set_txhash(sock sk) => sk.sk_txhash = net_tx_rndhash(sk.sk_net.k);

    // include/net/sock.h: sk_rethink_txhash
    /// <summary>
    /// After a timeout: a socket with a hash, allowed to rehash, draws a new
    /// one, so its packets may take another path (ECMP, another TX queue).
    /// Returns whether it did.
    /// </summary>
    public static bool sk_rethink_txhash(sock sk)
    {
        if (sk.sk_txhash != 0 && sk.sk_txrehash == SOCK_TXREHASH_ENABLED)
        {
            sk_set_txhash(sk);
            return true;
        }

        return false;
    }

    // include/net/sock.h: sk_stream_min_wspace
    /// <summary>The free space a stream socket must have before writers are woken: half of what is queued.</summary>
    public static int sk_stream_min_wspace(sock sk) => sk.sk_wmem_queued >> 1;

    // include/net/sock.h: sk_stream_wspace
    public static int sk_stream_wspace(sock sk) => sk.sk_sndbuf - sk.sk_wmem_queued;

    // include/net/sock.h: sk_wmem_queued_add
    public static void sk_wmem_queued_add(sock sk, int val) => sk.sk_wmem_queued += val;

    // include/net/sock.h: __sk_stream_memory_free
    /// <summary>Room under sk_sndbuf, and the protocol's own limit on unsent bytes (tcp_stream_memory_free).</summary>
    public static bool __sk_stream_memory_free(sock sk, int wake)
    {
        if (sk.sk_wmem_queued >= sk.sk_sndbuf)
        {
            return false;
        }

        return sk.sk_prot?.stream_memory_free is not { } f || f(sk, wake);
    }

    // include/net/sock.h: sk_stream_memory_free
    public static bool sk_stream_memory_free(sock sk) => __sk_stream_memory_free(sk, 0);

    // include/net/sock.h: __sk_stream_is_writeable
    public static bool __sk_stream_is_writeable(sock sk, int wake) =>
        sk_stream_wspace(sk) >= sk_stream_min_wspace(sk) && __sk_stream_memory_free(sk, wake);

    // include/net/sock.h: sk_stream_is_writeable
    public static bool sk_stream_is_writeable(sock sk) => __sk_stream_is_writeable(sk, 0);

    // include/net/sock.h: sk_wmem_schedule
    /// <summary>
    /// Makes sure <paramref name="size"/> bytes can be charged to the send
    /// side: what sk_forward_alloc lacks is taken in whole pages. The
    /// protocol-wide limits (tcp_mem and memory pressure) are not ported, so
    /// the request is always granted.
    /// </summary>
    public static bool sk_wmem_schedule(sock sk, int size)
    {
        // not ported: __sk_mem_schedule, sk_has_account — no protocol memory pressure: the pages are always granted inline (net/core/sock.cs header)
        var delta = size - sk.sk_forward_alloc;
        if (delta > 0)
        {
            // __sk_mem_schedule: whole pages, no global accounting.
            sk_forward_alloc_add(sk, sk_mem_pages(delta) * SK_MEM_QUANTUM);
        }

        return true;
    }

    // include/net/sock.h: sk_page_frag
    /// <summary>The page frag a socket copies sent data into: its task's (sk_use_task_frag), else its own.</summary>
    public static Linux.page_frag sk_page_frag(sock sk)
    {
        if (sk.sk_use_task_frag)
        {
            return sk.sk_net.k.current.task_frag;
        }

        return sk.sk_frag;
    }

    // include/net/sock.h: skb_copy_to_page_nocache
    /// <summary>
    /// Copies the next <paramref name="copy"/> bytes of the user's buffer
    /// into <paramref name="page"/> at <paramref name="off"/> (the caller
    /// makes them a frag of <paramref name="skb"/>) and charges them: len,
    /// data_len and truesize (skb_len_add), sk_wmem_queued, the forward
    /// allocation. -EFAULT when the user buffer faults (nothing is taken).
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static int skb_copy_to_page_nocache(sock sk, msghdr from, sk_buff skb, Linux.page page, int off, int copy)
    {
        // not ported: skb_do_copy_data_nocache — a plain copy through memcpy_from_msg: no checksum is folded in
        // skb_do_copy_data_nocache: a plain copy (no checksum is folded in)
        var err = skbuff_h.memcpy_from_msg(Linux.mm_h.page_address(page, off, copy), from, copy);
        if (err != 0)
        {
            return err;
        }

        // the user-to-kernel copy, charged at the CPU's copy rate like datagram sends
        skb.k.machine.CurrentCpu.ChargeCopy(copy);
        skbuff_h.skb_len_add(skb, copy);
        sk_wmem_queued_add(sk, copy);
        sk_mem_charge(sk, copy);
        return 0;
    }

    // include/net/sock.h: sk_mem_pages
    /// <summary>Pages needed for <paramref name="amt"/> bytes (SK_MEM_QUANTUM is the page).</summary>
    public static int sk_mem_pages(int amt) => (amt + SK_MEM_QUANTUM - 1) / SK_MEM_QUANTUM;

    // not ported: sk_has_account — every protocol here accounts memory (TCP, UDP)
    // include/net/sock.h: sk_mem_charge
    /// <summary>Takes <paramref name="size"/> from the forward allocation (no memory accounting pressure is modelled).</summary>
    public static void sk_mem_charge(sock sk, int size) => sk_forward_alloc_add(sk, -size);

    // include/net/sock.h: sk_mem_uncharge
    /// <summary>Gives <paramref name="size"/> back to the forward allocation, and whole pages of it back to the protocol.</summary>
    public static void sk_mem_uncharge(sock sk, int size)
    {
        // not ported: sk_has_account — every protocol here accounts memory (TCP, UDP)
        sk_forward_alloc_add(sk, size);
        sk_mem_reclaim(sk);
    }

    // include/net/sock.h: __sk_rmem_schedule
    /// <summary>Whether <paramref name="size"/> more bytes may be charged to receiving: the forward allocation, topped up in pages.</summary>
    public static bool __sk_rmem_schedule(sock sk, int size, bool pfmemalloc)
    {
        // not ported: sk_has_account — every protocol here accounts memory (TCP, UDP)
        var delta = size - sk.sk_forward_alloc;
        return delta <= 0 || KernelNet.Kernel.Net.Core.sock_c.__sk_mem_schedule(sk, delta, SK_MEM_RECV) != 0 || pfmemalloc;
    }

    // not ported: skb_pfmemalloc — no pfmemalloc skbs
    // include/net/sock.h: sk_rmem_schedule
    [KernelNet.Annotations.Borrows("skb")]
    public static bool sk_rmem_schedule(sock sk, sk_buff skb, int size) => __sk_rmem_schedule(sk, size, false);

    // include/net/sock.h: sk_mem_reclaim
    /// <summary>Returns whole pages of an unused forward allocation (no SO_RESERVE_MEM reserve is kept).</summary>
    public static void sk_mem_reclaim(sock sk)
    {
        // not ported: sk_has_account, sk_unused_reserved_mem — every protocol here accounts memory; no SO_RESERVE_MEM, so nothing is held back
        var reclaimable = sk.sk_forward_alloc;
        if (reclaimable >= SK_MEM_QUANTUM)
        {
            KernelNet.Kernel.Net.Core.sock_c.__sk_mem_reclaim(sk, reclaimable);
        }
    }

    /// <summary>SK_MEM_SEND / SK_MEM_RECV: which side __sk_mem_schedule charges.</summary>
    public const int SK_MEM_SEND = 0;
    public const int SK_MEM_RECV = 1;

    // include/net/sock.h: skb_set_owner_r
    /// <summary>Charges a received skb to <paramref name="sk"/> (sk_rmem_alloc += truesize); sock_rfree gives it back when the skb is freed.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void skb_set_owner_r(sk_buff skb, sock sk)
    {
        skbuff_h.skb_orphan(skb);
        skb.sk = sk;
        skb.destructor = KernelNet.Kernel.Net.Core.sock_c.sock_rfree;
        sk.sk_rmem_alloc += (int)skb.truesize;
        sk_mem_charge(sk, (int)skb.truesize);
    }

    // include/net/sock.h: sk_wake_async
    /// <summary>SIGIO to an O_ASYNC owner: no fasync users in the simulation, so only the flag test remains.</summary>
    public static void sk_wake_async(sock sk, int how, int band)
    {
        // not ported: sock_wake_async — fasync is not ported (no signals to user programs)
        if (sock_flag(sk, sock_flags.SOCK_FASYNC))
        {
            // sock_wake_async: fasync is not ported (no signals to user programs).
        }
    }

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

    // include/net/sock.h: sock_rcvlowat
    /// <summary>How much a read waits for: everything with MSG_WAITALL, else SO_RCVLOWAT (at most <paramref name="len"/>, at least 1).</summary>
    public static int sock_rcvlowat(sock sk, bool waitall, int len)
    {
        var v = waitall ? len : System.Math.Min(sk.sk_rcvlowat, len);
        return v != 0 ? v : 1;
    }

    // include/net/sock.h: sock_rcvtimeo
    /// <summary>How long a receive may block: 0 when non-blocking.</summary>
    public static long sock_rcvtimeo(sock sk, bool noblock) => noblock ? 0 : sk.sk_rcvtimeo;

    // include/net/sock.h: sock_sndtimeo
    /// <summary>How long a send may block for buffer space: 0 when non-blocking.</summary>
    public static long sock_sndtimeo(sock sk, bool noblock) => noblock ? 0 : sk.sk_sndtimeo;

    // include/net/sock.h: sock_intr_errno
    /// <summary>The error for an interrupted wait: -ERESTARTSYS without a timeout, -EINTR with one.</summary>
    public static int sock_intr_errno(long timeo) => timeo == sched_h.MAX_SCHEDULE_TIMEOUT ? -ERESTARTSYS : -Uapi.AsmGeneric.errno_base_h.EINTR;

    // include/net/sock.h: sk_incoming_cpu_update
    /// <summary>Records the CPU that delivered the last packet (compute_score prefers it).</summary>
    public static void sk_incoming_cpu_update(sock sk)
    {
        // not ported: raw_smp_processor_id — the CPU comes from k.smp_processor_id()
        var cpu = sk.sk_net.k.smp_processor_id();
        if (sk.sk_incoming_cpu != cpu)
        {
            sk.sk_incoming_cpu = cpu;
        }
    }

    // include/net/sock.h: sock_orphan
    /// <summary>Detaches the sock from its BSD socket and marks it dead: no wakeups after this.</summary>
    public static void sock_orphan(sock sk)
    {
        // not ported: sk_set_socket — the socket pointer is cleared in place
        sock_set_flag(sk, sock_flags.SOCK_DEAD);
        sk.sk_socket = null;
    }

    // include/net/sock.h: sock_graft
    /// <summary>Joins the sock to its BSD socket.</summary>
    public static void sock_graft(sock sk, socket parent)
    {
        // not ported: sk_set_socket — the socket pointer is written in place
        parent.sk = sk;
        sk.sk_socket = parent;
    }

    // include/net/sock.h: sk_acceptq_removed
    public static void sk_acceptq_removed(sock sk) => sk.sk_ack_backlog--;

    // include/net/sock.h: sk_acceptq_added
    public static void sk_acceptq_added(sock sk) => sk.sk_ack_backlog++;

    // include/net/sock.h: sk_acceptq_is_full
    /// <summary>Is the accept queue full? (Beyond the backlog: one more than asked is allowed, as 6.18 compares with &gt;.)</summary>
    public static bool sk_acceptq_is_full(sock sk) => sk.sk_ack_backlog > sk.sk_max_ack_backlog;

    // include/net/sock.h: sock_owned_by_user
    public static bool sock_owned_by_user(sock sk) => sk.sk_lock_owned;

    // include/net/sock.h: lock_sock
    /// <summary>Takes the socket for a task (softirq then queues on the backlog).</summary>
    [KernelNet.Annotations.MightSleep]
    public static void lock_sock(sock sk) => KernelNet.Kernel.Net.Core.sock_c.lock_sock_nested(sk, 0);

    // include/net/sock.h: sk_rcvqueues_full
    /// <summary>Would the backlog and receive queue together pass <paramref name="limit"/>?</summary>
    public static bool sk_rcvqueues_full(sock sk, uint limit) => (uint)(sk.sk_backlog_len + sk.sk_rmem_alloc) > limit;

    // include/net/sock.h: __sk_add_backlog
    /// <summary>Queues a segment for release_sock.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void __sk_add_backlog(sock sk, sk_buff skb)
    {
        // not ported: skb_dst_force — the skb holds its dst by a managed reference that stays valid past the RCU read section: no noref dst to upgrade
        if (sk.sk_backlog_tail is null)
        {
            sk.sk_backlog_head = skb;
        }
        else
        {
            sk.sk_backlog_tail.next = skb;
        }

        sk.sk_backlog_tail = skb;
        skb.next = null;
    }

    // include/net/sock.h: sk_add_backlog
    /// <summary>The backlog, unless it is full (ENOBUFS).</summary>
    [KernelNet.Annotations.Consumes("skb", WhenReturns = 0)]
    public static int sk_add_backlog(sock sk, sk_buff skb, uint limit)
    {
        // not ported: skb_pfmemalloc, sock_flag — no pfmemalloc skbs, so the SOCK_MEMALLOC exception never applies
        if (sk_rcvqueues_full(sk, limit))
        {
            return -Uapi.AsmGeneric.errno_h.ENOBUFS;
        }

        __sk_add_backlog(sk, skb);
        sk.sk_backlog_len += (int)skb.truesize;
        return 0;
    }

    // include/net/sock.h: sk_flush_backlog
    /// <summary>Processes the backlog in the middle of a long operation (a big write), so ACKs are not held back; true if there was any.</summary>
    public static bool sk_flush_backlog(sock sk) => sk.sk_backlog_tail is not null && KernelNet.Kernel.Net.Core.sock_c.__sk_flush_backlog(sk);

    // not ported: __sk_backlog_rcv, sk_memalloc_socks, skb_pfmemalloc — no pfmemalloc skbs: the protocol's backlog_rcv is called directly
    // include/net/sock.h: sk_backlog_rcv
    [KernelNet.Annotations.Consumes("skb")]
    public static int sk_backlog_rcv(sock sk, sk_buff skb) => sk.sk_prot!.backlog_rcv!(sk, skb);

    // not ported: sk_dst_set — the cached dst is cleared in place: dst refs are not counted
    // include/net/sock.h: sk_dst_reset
    public static void sk_dst_reset(sock sk) => sk.sk_dst_cache = null;

    // include/net/sock.h: skwq_has_sleeper
    /// <summary>Does anyone sleep on <paramref name="wq"/> (null: a socket whose wait queue was never made has no sleeper)?</summary>
    public static bool skwq_has_sleeper([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] wait_queue_head? wq) => wq is not null && Linux.wait_h.wq_has_sleeper(wq);

    // include/net/sock.h: sock_poll_wait
    /// <summary>A socket's poll method hooks the poller onto the socket's wait queue (the one sk_sleep names) through the table's _qproc.</summary>
    public static void sock_poll_wait(object filp, Linux.socket sock, poll_table_struct? p)
    {
        // the barrier pairs with wq_has_sleeper on the waking side (one thread: nothing to order)
        Linux.poll_h.poll_wait(filp, sk_sleep(sock.sk!), p);
    }

    // include/net/sock.h: sock_writeable
    /// <summary>A datagram socket may write: the bytes of its sent skbs not yet freed are under half of sk_sndbuf.</summary>
    public static bool sock_writeable(sock sk) => sk.sk_wmem_alloc < (sk.sk_sndbuf >> 1);

    // include/net/sock.h: sk_is_readable
    /// <summary>The protocol's own readability test (sock_is_readable: a BPF sockmap's psock); false without one.</summary>
    public static bool sk_is_readable(sock sk) => false; // no proto here has sock_is_readable: sockmap (BPF) is not ported
}

/// <summary>
/// The link of a sock a chain runs through: the hlist_node member C's for_each
/// macros name. A struct type argument, so <see cref="sk_chain{TLink}"/>'s step
/// is compiled for each link with the field read inlined (no delegate call).
/// </summary>
public interface sk_link
{
    /// <summary>The socket after <paramref name="sk"/> on this link's chain, or null at the end.</summary>
    [KernelNet.Annotations.NotInLinux("the member a for_each macro of C names, read through container_of; a type argument here")]
    static abstract sock? next(sock sk);
}

/// <summary>sk_node, and skc_nulls_node that C overlays on it (a union): the socket's main hash chain.</summary>
public struct sk_node_link : sk_link
{
    [KernelNet.Annotations.NotInLinux("sk_node's step of the for_each macros (sk_next, sk_nulls_next)")]
    public static sock? next(sock sk) => sk.sk_nulls_node.next;
}

/// <summary>skc_bind_node, and UDP's skc_portaddr_node that C overlays on it: a bind bucket's owners or a UDP secondary slot.</summary>
public struct sk_bind_link : sk_link
{
    [KernelNet.Annotations.NotInLinux("skc_bind_node's step of sk_for_each_bound and udp_portaddr_for_each_entry")]
    public static sock? next(sock sk) => sk.sk_bind_node.next;
}

/// <summary>The walk sk_for_each, sk_nulls_for_each and sk_for_each_bound make: a chain's sockets through <typeparamref name="TLink"/>, allocation-free.</summary>
public struct sk_chain<TLink>
    where TLink : struct, sk_link
{
    private sock? _next;

    public sk_chain(sock? first)
    {
        _next = first;
        Current = null!;
    }

    public sock Current { get; private set; }

    [KernelNet.Annotations.NotInLinux("C# foreach pattern: the walk is its own enumerator")]
    public readonly sk_chain<TLink> GetEnumerator() => this;

    [KernelNet.Annotations.NotInLinux("C# foreach pattern: one step along the chain")]
    public bool MoveNext()
    {
        if (_next is not { } sk)
        {
            return false;
        }

        Current = sk;
        _next = TLink.next(sk);
        return true;
    }
}
