// Ports net/ipv4/tcp_metrics.c: the host-wide cache of what TCP learned about
// a peer, keyed by (source, destination, namespace) — here only the part
// Fast Open uses: the client's cookie cache (tcp_fastopen_cache_get/set, the
// peer's MSS, SYN losses, whether to ask with the experimental option), the
// block lookup and creation (tcp_get_metrics, __tcp_get_metrics, tcpm_new,
// tcpm_suck_dst, tcpm_check_stamp) and the flush `ip tcp_metrics flush all`
// asks for (tcp_metrics_flush_all); and tcp_peer_is_proven, which
// tcp_conn_request asks when the SYN queue is under pressure without cookies.
//
// departure: a chain keeps
// growing instead of reclaiming its oldest block past
// TCP_METRICS_RECLAIM_DEPTH (tcp_get_encode's TCP_METRICS_RECLAIM_PTR).
// not ported: the RTT/RTTVAR/ssthresh/cwnd/reordering metrics and their
// users (tcp_update_metrics on close, tcp_init_metrics at connect, the
// route's locked metrics in tcpm_suck_dst: routes here carry no metrics),
// and so tcp_peer_is_proven's RTT test (no block ever holds an RTT: no peer
// is proven), IPv6 addresses, the
// generic-netlink interface (TCP_METRICS_CMD_GET/DEL) beyond the flush.
// not ported: addr_same, inetpeer_set_addr_v4, inetpeer_set_addr_v6, ipv6_addr_hash, ipv6_addr_v4mapped — IPv4
//   only: a block keeps plain __be32 addresses, compared with ==
// not ported: ipv4_addr_hash — the hash is of the address itself (ipv4_addr_hash is the identity), xor the
//   namespace's hash mix
// not ported: dst_dev_net_rcu, tm_net, net_eq — the namespace is read as dst.dev.nd_net or tcpm_net and
//   compared as a reference
// not ported: deref_locked — RCU on the chains: one simulated CPU reads and writes them directly
// not ported: tcp_get_encode, time_before — reclaiming a chain's oldest block past
//   TCP_METRICS_RECLAIM_DEPTH is not ported: the chain grows
// not ported: kzalloc — a block is a C# object
// not ported: __sk_dst_get — the route is read as the field sk.sk_dst_cache
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using static KernelNet.Kernel.Include.Linux.jiffies_h;

namespace KernelNet.Kernel.Net.Ipv4;

/// <summary>struct tcp_fastopen_metrics: what the client remembers about a server's Fast Open.</summary>
public sealed class tcp_fastopen_metrics
{
    public ushort mss { get; set; }

    /// <summary>syn_loss: Fast Open SYNs lost in a row (10 bits in C).</summary>
    public ushort syn_loss { get; set; }

    /// <summary>try_exp: 1, ask with the experimental option next time; 2, it has been tried (2 bits in C).</summary>
    public ushort try_exp { get; set; }

    /// <summary>last_syn_loss: jiffies of the last loss.</summary>
    public ulong last_syn_loss { get; set; }

    /// <summary>cookie: embedded by value, as in C.</summary>
    public tcp_fastopen_cookie cookie;
}

/// <summary>struct tcp_metrics_block: one (saddr, daddr, net)'s entry, on its hash chain (tcpm_next).</summary>
public sealed class tcp_metrics_block
{
    public tcp_metrics_block? tcpm_next { get; set; }

    public net? tcpm_net { get; set; }

    /// <summary>tcpm_saddr, tcpm_daddr: IPv4 addresses (inetpeer_addr's a4), host order as everywhere in the port.</summary>
    public uint tcpm_saddr { get; set; }

    public uint tcpm_daddr { get; set; }

    /// <summary>tcpm_stamp: jiffies when the block was (re)filled from the route.</summary>
    public ulong tcpm_stamp { get; set; }

    public tcp_fastopen_metrics tcpm_fastopen { get; } = new();
}

/// <summary>tcp_metrics.c's globals: tcp_metrics_hash and its size (tcp_metrics_hash_log).</summary>
public sealed class tcp_metrics_globals
{
    /// <summary>tcp_metrics_hash_log: tcp_metrics_init's 16K slots on a machine with at least 512 MB.</summary>
    public const int tcp_metrics_hash_log = 14;

    /// <summary>tcp_metrics_hash: the chains' heads.</summary>
    public tcp_metrics_block?[] tcp_metrics_hash { get; } = new tcp_metrics_block?[1 << tcp_metrics_hash_log];
}

public static class tcp_metrics_c
{
    /// <summary>TCP_METRICS_TIMEOUT: an hour, after which a block is refilled from the route.</summary>
    private const ulong TCP_METRICS_TIMEOUT = 60UL * 60 * Vmlinux.HZ;

    // net/ipv4/tcp_metrics.c: tcpm_suck_dst
    /// <summary>
    /// (Re)fills a block from the route: stamped now; with
    /// <paramref name="fastopen_clear"/> the Fast Open memory is forgotten.
    /// The route's RTT/cwnd metrics: not ported (none on the port's routes).
    /// </summary>
    private static void tcpm_suck_dst(tcp_metrics_block tm, dst_entry dst, bool fastopen_clear)
    {
        tm.tcpm_stamp = dst.dev!.nd_net.k.jiffies;

        // not ported: tcp_metric_set — with dst_metric_locked/dst_metric_raw, it takes RTT, RTTVAR, SSTHRESH, CWND
        //   and REORDERING from the route: routes carry no metrics here
        if (fastopen_clear)
        {
            // write_seqlock(&fastopen_seqlock): readers see all of it or none
            tm.tcpm_fastopen.mss = 0;
            tm.tcpm_fastopen.syn_loss = 0;
            tm.tcpm_fastopen.try_exp = 0;
            tm.tcpm_fastopen.cookie.exp = false;
            tm.tcpm_fastopen.cookie.len = 0;
        }
    }

    // net/ipv4/tcp_metrics.c: tcpm_check_stamp
    /// <summary>A block older than TCP_METRICS_TIMEOUT is refilled from the route (its Fast Open memory kept).</summary>
    private static void tcpm_check_stamp(tcp_metrics_block? tm, dst_entry dst)
    {
        if (tm is null)
        {
            return;
        }

        var limit = tm.tcpm_stamp + TCP_METRICS_TIMEOUT;
        if (time_after(dst.dev!.nd_net.k.jiffies, limit))
        {
            tcpm_suck_dst(tm, dst, false);
        }
    }

    // net/ipv4/tcp_metrics.c: tcpm_new
    /// <summary>A new block for (saddr, daddr) at the head of its chain, filled from the route; an existing one is returned instead.</summary>
    private static tcp_metrics_block tcpm_new(dst_entry dst, uint saddr, uint daddr, uint hash)
    {
        // spin_lock_bh(&tcp_metrics_lock): one writer at a time
        var net = dst.dev!.nd_net;
        var table = net.k.globals<tcp_metrics_globals>().tcp_metrics_hash;

        // While waiting for the lock another writer may have added it: look again.
        var tm = __tcp_get_metrics(saddr, daddr, net, hash);
        if (tm is not null)
        {
            tcpm_check_stamp(tm, dst);
            return tm;
        }

        // not ported: reclaiming the chain's oldest block past TCP_METRICS_RECLAIM_DEPTH — the chain grows
        tm = new tcp_metrics_block
        {
            tcpm_net = net,
            tcpm_saddr = saddr,
            tcpm_daddr = daddr,
        };
        tcpm_suck_dst(tm, dst, false);

        tm.tcpm_next = table[hash];
        table[hash] = tm;
        return tm;
    }

    // net/ipv4/tcp_metrics.c: __tcp_get_metrics
    /// <summary>The block for (saddr, daddr) in <paramref name="net"/> on chain <paramref name="hash"/>, or null.</summary>
    private static tcp_metrics_block? __tcp_get_metrics(uint saddr, uint daddr, net net, uint hash)
    {
        for (var tm = net.k.globals<tcp_metrics_globals>().tcp_metrics_hash[hash]; tm is not null; tm = tm.tcpm_next)
        {
            if (tm.tcpm_saddr == saddr && tm.tcpm_daddr == daddr && tm.tcpm_net == net)
            {
                return tm;
            }
        }

        // tcp_get_encode: no reclaim marker (the chain is never trimmed)
        return null;
    }

    // net/ipv4/tcp_metrics.c: tcp_get_metrics
    /// <summary>The block for a connected socket's addresses (created when <paramref name="create"/>), or null.</summary>
    private static tcp_metrics_block? tcp_get_metrics(sock sk, dst_entry dst, bool create)
    {
        var inet = inet_sock_h.inet_sk(sk);
        var saddr = inet.inet_saddr;
        var daddr = inet.inet_daddr;

        // ipv4_addr_hash is the address itself
        var hash = daddr;
        var net = dst.dev!.nd_net;
        hash ^= Include.Net.Netns.hash_h.net_hash_mix(net);
        hash = hash_h.hash_32(hash, tcp_metrics_globals.tcp_metrics_hash_log);

        var tm = __tcp_get_metrics(saddr, daddr, net, hash);
        if (tm is null && create)
        {
            tm = tcpm_new(dst, saddr, daddr, hash);
        }
        else
        {
            tcpm_check_stamp(tm, dst);
        }

        return tm;
    }

    // net/ipv4/tcp_metrics.c: tcp_peer_is_proven
    /// <summary>
    /// Whether the cache holds an RTT for the request's peer (a connection to
    /// it completed before). No block here holds an RTT: false.
    /// </summary>
    public static bool tcp_peer_is_proven(request_sock req, dst_entry? dst)
    {
        if (dst is null)
        {
            return false;
        }

        // not ported: __tcp_get_metrics_req and tcp_metric_get(tm, TCP_METRIC_RTT) — blocks carry no RTT (tcp_update_metrics is not ported), so even a found block would say 0.
        _ = req;
        return false;
    }

    // net/ipv4/tcp_metrics.c: tcp_fastopen_cache_get
    /// <summary>
    /// The client's memory of this server: its MSS (into <paramref name="mss"/>
    /// when known) and cookie (copied into <paramref name="cookie"/>; a cookie
    /// request switches to the experimental option when try_exp says so).
    /// </summary>
    public static void tcp_fastopen_cache_get(sock sk, ref ushort mss, ref tcp_fastopen_cookie cookie)
    {
        if (sk.sk_dst_cache is not dst_entry dst)
        {
            return;
        }

        var tm = tcp_get_metrics(sk, dst, false);
        if (tm is not null)
        {
            // read_seqbegin/read_seqretry(&fastopen_seqlock): a consistent copy
            var tfom = tm.tcpm_fastopen;
            if (tfom.mss != 0)
            {
                mss = tfom.mss;
            }

            cookie = tfom.cookie;
            if (cookie.len <= 0 && tfom.try_exp == 1)
            {
                cookie.exp = true;
            }
        }
    }

    // net/ipv4/tcp_metrics.c: tcp_fastopen_cache_set
    /// <summary>
    /// Remembers what a SYN-ACK taught: the server's MSS, a cookie it gave,
    /// whether to ask with the experimental option next (try_exp), and whether
    /// the Fast Open SYN was lost (syn_loss counts them in a row).
    /// </summary>
    public static void tcp_fastopen_cache_set(sock sk, ushort mss, ref tcp_fastopen_cookie cookie, bool syn_lost, ushort try_exp)
    {
        if (sk.sk_dst_cache is not dst_entry dst)
        {
            return;
        }

        var tm = tcp_get_metrics(sk, dst, true);
        if (tm is not null)
        {
            // write_seqlock_bh(&fastopen_seqlock)
            var tfom = tm.tcpm_fastopen;
            if (mss != 0)
            {
                tfom.mss = mss;
            }

            if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref cookie) && cookie.len > 0)
            {
                tfom.cookie = cookie;
            }
            else if (try_exp > tfom.try_exp && tfom.cookie.len <= 0 && !tfom.cookie.exp)
            {
                tfom.try_exp = try_exp;
            }

            if (syn_lost)
            {
                tfom.syn_loss = (ushort)((tfom.syn_loss + 1) & 0x3ff);
                tfom.last_syn_loss = sk.sk_net.k.jiffies;
            }
            else
            {
                tfom.syn_loss = 0;
            }
        }
    }

    // net/ipv4/tcp_metrics.c: tcp_metrics_flush_all
    /// <summary>Forgets every block of <paramref name="net"/> (`ip tcp_metrics flush all`: TCP_METRICS_CMD_DEL without an address).</summary>
    public static void tcp_metrics_flush_all(net net)
    {
        System.ArgumentNullException.ThrowIfNull(net);
        var table = net.k.globals<tcp_metrics_globals>().tcp_metrics_hash;

        // not ported: check_net — a NULL net (flush the blocks of dying namespaces) is never asked for: namespaces
        //   are not dismantled
        // not ported: cond_resched — kernel code runs each call to its end on the simulated CPU: no point to yield
        // spin_lock_bh(&tcp_metrics_lock) per chain
        for (var row = 0; row < table.Length; row++)
        {
            tcp_metrics_block? prev = null;
            for (var tm = table[row]; tm is not null; tm = tm.tcpm_next)
            {
                if (tm.tcpm_net == net)
                {
                    // unlinked; kfree_rcu: the collector frees it
                    if (prev is null)
                    {
                        table[row] = tm.tcpm_next;
                    }
                    else
                    {
                        prev.tcpm_next = tm.tcpm_next;
                    }
                }
                else
                {
                    prev = tm;
                }
            }
        }
    }
}
