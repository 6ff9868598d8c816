// Ports net/ipv4/tcp_metrics.c: the per-destination cache of what past
// connections learned (RTT, cwnd, ssthresh, fast open cookies) — so far only
// its question whether a peer is proven alive, which tcp_conn_request asks
// when the SYN queue is under pressure without cookies.
//
// not ported: the cache itself (tcp_update_metrics, tcp_init_metrics, the
// netlink interface): nothing ever stores a block, so no peer is proven.
using KernelNet.Kernel.Include.Net;

namespace KernelNet.Kernel.Net.Ipv4;

public static class tcp_metrics_c
{
    // net/ipv4/tcp_metrics.c: tcp_peer_is_proven
    /// <summary>
    /// Whether the cache holds an RTT for the request's peer (a connection to
    /// it completed before). The port keeps no metrics blocks: false.
    /// </summary>
    public static bool tcp_peer_is_proven(request_sock req, dst_entry? dst)
    {
        if (dst is null)
        {
            return false;
        }

        // not ported: __tcp_get_metrics_req, tcp_metric_get — no block is ever stored (tcp_update_metrics is not ported).
        _ = req;
        return false;
    }
}
