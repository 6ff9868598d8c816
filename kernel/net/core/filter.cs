// Ports net/core/filter.c as far as the receive path reaches it: the socket
// filter check every datagram passes before it is queued (sk_filter_trim_cap).
//
// not ported: BPF itself — classic and extended programs, SO_ATTACH_FILTER /
// SO_ATTACH_BPF (sk->sk_filter stays NULL), cgroup inet-ingress programs, the
// rest of the file (helpers, verifier glue, XDP, tc, sockmap).
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;

namespace KernelNet.Kernel.Net.Core;

public static class filter_c
{
    // net/core/filter.c: sk_filter_trim_cap
    /// <summary>
    /// May this socket take the skb? Refuses (with a drop reason and a
    /// negative errno) what a pfmemalloc reserve, a cgroup program, an LSM or
    /// the socket's own filter refuses; a filter may also trim the skb, to no
    /// less than <paramref name="cap"/> bytes. With none of those ported,
    /// every skb passes untrimmed: 0.
    /// </summary>
    [Borrows("skb")]
    public static int sk_filter_trim_cap(sock sk, sk_buff skb, uint cap, out skb_drop_reason reason)
    {
        // not ported: NET_INC_STATS, sock_flag — no pfmemalloc skbs: the PFMEMALLOCDROP branch they serve is not ported
        _ = sk;
        _ = skb;
        _ = cap;
        // C leaves *reason alone when the skb passes; an out parameter must be set: "not dropped".
        reason = skb_drop_reason.SKB_NOT_DROPPED_YET;

        // not ported: skb_pfmemalloc — no memory reserves: no skb is a pfmemalloc one.
        // not ported: BPF_CGROUP_RUN_PROG_INET_INGRESS — no cgroup BPF.
        // not ported: security_sock_rcv_skb — no LSM.
        // not ported: bpf_prog_run_save_cb, pskb_trim — sk->sk_filter is always NULL (no SO_ATTACH_FILTER).
        return 0;
    }
}
