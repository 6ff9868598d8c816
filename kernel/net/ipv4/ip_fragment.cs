// Ports net/ipv4/ip_fragment.c: reassembling IPv4 datagrams from their
// fragments on the queues of net/ipv4/inet_fragment.c, with the reassembly
// timeout (TX-11). The fragment that completes a datagram becomes the
// datagram (ip_local_deliver goes on with the same skb): the first
// fragment's data in its head, the others chained on its frag_list. (The
// queue's rbtree of runs is a sorted list: see inet_fragment.cs.)
//
// not ported: ip_frag_too_far/ip_frag_reinit (ipfrag_max_dist needs the
// inet_peer's fragment counter), the AF_PACKET fanout and bridge defrag users
// (ip_check_defrag: no fanout, no bridges), the ipfrag sysctl table, l3mdev
// (vif is always 0).
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using KernelNet.Kernel.Include.Uapi.Linux;
using KernelNet.Kernel.Kernel.Time;
using static KernelNet.Kernel.Include.Linux.ip_h;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Include.Net.dst_h;
using static KernelNet.Kernel.Include.Net.inet_frag_h;
using static KernelNet.Kernel.Include.Net.ip_h;
using static KernelNet.Kernel.Net.Core.skbuff_c;
using static KernelNet.Kernel.Net.Ipv4.inet_fragment_c;

namespace KernelNet.Kernel.Net.Ipv4;

/// <summary>struct ipq: an IPv4 datagram being reassembled (struct inet_frag_queue q first, as in C).</summary>
public sealed class ipq : inet_frag_queue
{
    /// <summary>The common queue: this object itself, so that the C spelling qp->q.len reads qp.q.len.</summary>
    public inet_frag_queue q => this;

    /// <summary>RFC 3168: the ECN codepoints of the fragments, ORed (IPFRAG_ECN_*).</summary>
    public byte ecn { get; set; }

    /// <summary>The largest fragment seen with DF set.</summary>
    public ushort max_df_size { get; set; }

    /// <summary>The interface the fragments came in on (the last one's).</summary>
    public int iif { get; set; }
}

public static class ip_fragment_c
{
    /// <summary>enum ip_defrag_users: reassembly for local delivery (ip_local_deliver).</summary>
    public const uint IP_DEFRAG_LOCAL_DELIVER = 0;

    /// <summary>enum ip_defrag_users: conntrack's PRE_ROUTING gathering (nf_defrag_ipv4), one per zone up to __IP_DEFRAG_CONNTRACK_IN_END.</summary>
    public const uint IP_DEFRAG_CONNTRACK_IN = 2;

    /// <summary>__IP_DEFRAG_CONNTRACK_IN_END: IP_DEFRAG_CONNTRACK_IN + USHRT_MAX.</summary>
    public const uint __IP_DEFRAG_CONNTRACK_IN_END = IP_DEFRAG_CONNTRACK_IN + ushort.MaxValue;

    /// <summary>enum ip_defrag_users: conntrack's LOCAL_OUT gathering.</summary>
    public const uint IP_DEFRAG_CONNTRACK_OUT = __IP_DEFRAG_CONNTRACK_IN_END + 1;

    // net/ipv4/ip_fragment.c: frag_expire_skip_icmp
    /// <summary>Whether a queue's owner is one that only passes datagrams by (conntrack's PRE_ROUTING gathering): no ICMP error when it times out on a router.</summary>
    private static bool frag_expire_skip_icmp(uint user)
    {
        // not ported: IP_DEFRAG_AF_PACKET and the bridge range — no fanout, no bridges (see the file header).
        return Include.Net.ip_h.ip_defrag_user_in_between(user, IP_DEFRAG_CONNTRACK_IN, __IP_DEFRAG_CONNTRACK_IN_END);
    }

    /// <summary>sizeof(struct ipq), charged to the namespace's fragment memory per queue (the figure ip_fragment.c's own comment gives).</summary>
    private const int IPQ_SIZE = 200;

    /// <summary>ip4_frags: IPv4's hooks into inet_fragment.c (set up by ipfrag_init in C).</summary>
    private static readonly inet_frags ip4_frags = new()
    {
        constructor = ip4_frag_init,
        qsize = IPQ_SIZE,
        frag_expire = ip_expire,
        frags_cachep = () => new ipq(),
    };

    // net/ipv4/ip_fragment.c: ip4_frag_ecn
    private static byte ip4_frag_ecn(byte tos) => (byte)(1 << (tos & 3 /* INET_ECN_MASK */));

    // net/ipv4/ip_fragment.c: ip4_frag_init
    /// <summary>A new queue's key; no inet_peer is taken (ip_frag_too_far is not ported).</summary>
    private static void ip4_frag_init(inet_frag_queue q, frag_v4_compare_key key)
    {
        // not ported: inet_getpeer_v4 — the peer only feeds ip_frag_too_far's ipfrag_max_dist check, not ported (the header)
        var qp = (ipq)q;
        q.key = key;
        qp.ecn = 0;
    }

    // net/ipv4/ip_fragment.c: ip_expire
    /// <summary>
    /// A queue timed out (ipfrag_time, 30 s): ReasmFails and ReasmTimeout,
    /// then, if the first fragment came, ICMP time exceeded (fragment
    /// reassembly time) quoting it, routed afresh. Every fragment is dropped
    /// as FRAG_REASM_TIMEOUT. Timer (softirq) context.
    /// </summary>
    [KernelNet.Annotations.SoftirqContext]
    private static void ip_expire(timer_list t)
    {
        // not ported: __IP_INC_STATS — the port uses IP_INC_STATS
        // not ported: dev_get_by_index_rcu — the port uses dev_get_by_index
        // not ported: timer_container_of — field accessors: the port reads or sets these fields directly
        var reason = skb_drop_reason.SKB_DROP_REASON_FRAG_REASM_TIMEOUT;
        var qp = (ipq)t.owner!;
        sk_buff? head = null;
        var refs = 1;
        var net = qp.q.fqdir.net;

        // rcu_read_lock; spin_lock(&qp->q.lock)
        if ((qp.q.flags & INET_FRAG_COMPLETE) != 0)
        {
            goto @out;
        }

        qp.q.flags |= INET_FRAG_DROP;
        inet_frag_kill(qp.q, ref refs);

        // As of 6.18.26: a queue of a namespace going away (fqdir_pre_exit
        // set dead) gives its fragments back at once, uncounted and without
        // an ICMP error; 6.18.2 left them to the namespace's teardown.
        if (qp.q.fqdir.dead)
        {
            inet_frag_queue_flush(qp.q, skb_drop_reason.SKB_NOT_DROPPED_YET);
            goto @out;
        }

        IP_INC_STATS(net, ipstats_mib_field.IPSTATS_MIB_REASMFAILS);
        IP_INC_STATS(net, ipstats_mib_field.IPSTATS_MIB_REASMTIMEOUT);

        if ((qp.q.flags & INET_FRAG_FIRST_IN) == 0)
        {
            goto @out;
        }

        // The head leaves the queue to carry the ICMP error's quote.
        head = inet_frag_pull_head(qp.q);
        if (head is null)
        {
            goto @out;
        }

        head.dev = Core.dev_c.dev_get_by_index(net, qp.iif);
        if (head.dev is null)
        {
            goto @out;
        }

        // skb has no dst, perform route lookup again.
        var iph = ip_hdr(head);
        reason = route_c.ip_route_input_noref(head, iph.daddr, iph.saddr, ip4h_dscp(iph), head.dev);
        if (reason != skb_drop_reason.SKB_NOT_DROPPED_YET)
        {
            goto @out;
        }

        // the time-exceeded error (RFC 792) is the reassembling end host's to send, not a router's conntrack
        reason = skb_drop_reason.SKB_DROP_REASON_FRAG_REASM_TIMEOUT;
        if (frag_expire_skip_icmp(qp.q.key.user) && route_h.skb_rtable(head)!.rt_type != rtn_type.RTN_LOCAL)
        {
            goto @out;
        }

        Include.Net.icmp_h.icmp_send(head, Include.Uapi.Linux.icmp_h.ICMP_TIME_EXCEEDED, Include.Uapi.Linux.icmp_h.ICMP_EXC_FRAGTIME, 0);
        goto out_rcu_unlock;

    @out:
    out_rcu_unlock:
        kfree_skb_reason(head, reason);
        inet_frag_putn(qp.q, refs);
    }

    // net/ipv4/ip_fragment.c: ip_find
    /// <summary>The queue of the datagram <paramref name="iph"/> belongs to, made if new; null when fragment memory is full.</summary>
    private static ipq? ip_find(net net, iphdr iph, uint user, int vif)
    {
        var key = new frag_v4_compare_key(iph.saddr, iph.daddr, user, (uint)vif, iph.id, iph.protocol);
        var q = inet_frag_find(ipv4_fqdir(net), key);
        return (ipq?)q;
    }

    // net/ipv4/ip_fragment.c: ip_frag_queue
    /// <summary>
    /// Queues a fragment: trims it to its payload, places it among the others
    /// and, if it completed the datagram, reassembles (0: skb is now the
    /// datagram). -EINPROGRESS when it waits for more; otherwise it is freed
    /// and an error returned — a duplicate (DUP_FRAG) leaves the queue be, a
    /// corrupt or overlapping one (RFC 5722) kills it. References the queue
    /// gave up are added to <paramref name="refs"/>.
    /// </summary>
    [KernelNet.Annotations.Consumes("skb", WhenReturnsNonZero = true)]
    private static int ip_frag_queue(ipq qp, sk_buff skb, ref int refs)
    {
        // not ported: SKB_DR, SKB_DR_SET — the drop reason is assigned to reason directly
        // not ported: __IP_INC_STATS — the port uses IP_INC_STATS
        var net = qp.q.fqdir.net;
        var err = -errno_base_h.ENOENT;
        var reason = skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED;

        // a queue already complete can only be receiving a duplicate
        if ((qp.q.flags & INET_FRAG_COMPLETE) != 0)
        {
            reason = skb_drop_reason.SKB_DROP_REASON_DUP_FRAG;
            goto err;
        }

        var ecn = ip4_frag_ecn(ip_hdr(skb).tos);
        int offset = ip_hdr(skb).frag_off;
        var flags = offset & ~Include.Uapi.Linux.ip_h.IP_OFFSET;
        offset &= Include.Uapi.Linux.ip_h.IP_OFFSET;
        offset <<= 3; // offset is in 8-byte chunks
        var ihl = ip_hdrlen(skb);

        var end = offset + skb.len - skb_network_offset(skb) - ihl;
        err = -errno_base_h.EINVAL;

        // Is this the final fragment?
        if ((flags & Include.Uapi.Linux.ip_h.IP_MF) == 0)
        {
            // a last fragment that ends before bytes already held, or disagrees with an earlier last one, is corrupt
            if (end < qp.q.len || ((qp.q.flags & INET_FRAG_LAST_IN) != 0 && end != qp.q.len))
            {
                goto discard_qp;
            }

            qp.q.flags |= INET_FRAG_LAST_IN;
            qp.q.len = end;
        }
        else
        {
            if ((end & 7) != 0)
            {
                end &= ~7;
                if (skb.ip_summed != CHECKSUM_UNNECESSARY)
                {
                    skb.ip_summed = CHECKSUM_NONE;
                }
            }

            if (end > qp.q.len)
            {
                if ((qp.q.flags & INET_FRAG_LAST_IN) != 0)
                {
                    goto discard_qp;
                }

                qp.q.len = end;
            }
        }

        if (end == offset)
        {
            goto discard_qp;
        }

        err = -errno_base_h.ENOMEM;
        if (pskb_pull(skb, skb_network_offset(skb) + ihl) < 0)
        {
            goto discard_qp;
        }

        err = pskb_trim_rcsum(skb, end - offset);
        if (err != 0)
        {
            goto discard_qp;
        }

        var dev = skb.dev;
        var prev_tail = qp.q.fragments_tail;
        err = inet_frag_queue_insert(qp.q, skb, offset, end);
        if (err != 0)
        {
            goto insert_error;
        }

        if (dev is not null)
        {
            qp.iif = dev.ifindex;
        }

        qp.q.stamp = skb.tstamp;
        qp.q.meat += skb.len;
        qp.ecn |= ecn;
        add_frag_mem_limit(qp.q.fqdir, skb.truesize);
        if (offset == 0)
        {
            qp.q.flags |= INET_FRAG_FIRST_IN;
        }

        var fragsize = skb.len + ihl;
        if (fragsize > qp.q.max_size)
        {
            qp.q.max_size = (ushort)fragsize;
        }

        if ((ip_hdr(skb).frag_off & Include.Uapi.Linux.ip_h.IP_DF) != 0 && fragsize > qp.max_df_size)
        {
            qp.max_df_size = (ushort)fragsize;
        }

        if (qp.q.flags == (INET_FRAG_FIRST_IN | INET_FRAG_LAST_IN) && qp.q.meat == qp.q.len)
        {
            // The route stays with skb through the morph (skb_release_all would drop it).
            var orefdst = skb.dst;
            skb.dst = null;
            err = ip_frag_reasm(qp, skb, prev_tail, dev, ref refs);
            skb.dst = orefdst;
            if (err != 0)
            {
                inet_frag_kill(qp.q, ref refs);
            }

            return err;
        }

        skb_dst_drop(skb);
        skb_orphan(skb);
        return -errno_h.EINPROGRESS;

    insert_error:
        if (err == IPFRAG_DUP)
        {
            reason = skb_drop_reason.SKB_DROP_REASON_DUP_FRAG;
            err = -errno_base_h.EINVAL;
            goto err;
        }

        err = -errno_base_h.EINVAL;
        IP_INC_STATS(net, ipstats_mib_field.IPSTATS_MIB_REASM_OVERLAPS);
    discard_qp:
        inet_frag_kill(qp.q, ref refs);
        IP_INC_STATS(net, ipstats_mib_field.IPSTATS_MIB_REASMFAILS);
    err:
        kfree_skb_reason(skb, reason);
        return err;
    }

    // net/ipv4/ip_fragment.c: ip_frag_coalesce_ok
    /// <summary>Fragments for local delivery may be copied into the head's tailroom; others (conntrack) must keep their geometry.</summary>
    private static bool ip_frag_coalesce_ok(ipq qp) => qp.q.key.user == IP_DEFRAG_LOCAL_DELIVER;

    // net/ipv4/ip_fragment.c: ip_frag_reasm
    /// <summary>
    /// Builds the datagram in <paramref name="skb"/>, the fragment that
    /// completed it: inet_frag_reasm_prepare makes it the head (first
    /// fragment's data), inet_frag_reasm_finish chains the others on its
    /// frag_list; then the IP header says the whole length (ReasmOKs).
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    [KernelNet.Annotations.Borrows("prev_tail")]
    private static int ip_frag_reasm(ipq qp, sk_buff skb, sk_buff? prev_tail, net_device? dev, ref int refs)
    {
        // not ported: __IP_INC_STATS — the port uses IP_INC_STATS
        // not ported: net_dbg_ratelimited, net_info_ratelimited — the debug line is off by default; the info line 'Oversized IP packet from ...' is not written, though the port has a kernel log (printk)
        var net = qp.q.fqdir.net;
        int err;

        inet_frag_kill(qp.q, ref refs);

        var ecn = ip_frag_ecn_table[qp.ecn];
        if (ecn == 0xff)
        {
            err = -errno_base_h.EINVAL;
            goto out_fail;
        }

        var reasm_data = inet_frag_reasm_prepare(qp.q, skb, prev_tail);
        if (reasm_data is null)
        {
            goto out_nomem;
        }

        var len = ip_hdrlen(skb) + qp.q.len;
        err = -errno_base_h.E2BIG;
        if (len > 65535)
        {
            goto out_oversize;
        }

        inet_frag_reasm_finish(qp.q, skb, reasm_data, ip_frag_coalesce_ok(qp));

        skb.dev = dev;
        IPCB(skb).frag_max_size = System.Math.Max(qp.max_df_size, qp.q.max_size);

        var iph = ip_hdr(skb);
        iph.tot_len = (ushort)len;
        iph.tos |= ecn;

        // DF goes back on only if the largest fragment had it: refragmenting
        // must not send bigger DF fragments than the sender did.
        if (qp.max_df_size == qp.q.max_size)
        {
            IPCB(skb).flags |= IPSKB_FRAG_PMTU;
            iph.frag_off = Include.Uapi.Linux.ip_h.IP_DF;
        }
        else
        {
            iph.frag_off = 0;
        }

        ip_output_c.ip_send_check(iph);

        IP_INC_STATS(net, ipstats_mib_field.IPSTATS_MIB_REASMOKS);
        qp.q.rb_fragments.Clear();
        qp.q.fragments_tail = null;
        qp.q.last_run_head = null;
        return 0;

    out_nomem:
        err = -errno_base_h.ENOMEM;
        goto out_fail;
    out_oversize:
        // net_info_ratelimited("Oversized IP packet"): no kernel log here.
    out_fail:
        IP_INC_STATS(net, ipstats_mib_field.IPSTATS_MIB_REASMFAILS);
        return err;
    }

    // net/ipv4/ip_fragment.c: ip_defrag
    /// <summary>
    /// Takes a fragment (ReasmReqds). 0 when it completed its datagram:
    /// <paramref name="skb"/> is then the whole datagram, its caller's to go
    /// on with. Otherwise the skb is queued or freed and the caller must not
    /// touch it (-EINPROGRESS, or the error).
    /// </summary>
    [KernelNet.Annotations.Consumes("skb", WhenReturnsNonZero = true)]
    public static int ip_defrag(net net, sk_buff skb, uint user)
    {
        // not ported: __IP_INC_STATS — the port uses IP_INC_STATS
        // not ported: kfree_skb — the port uses kfree_skb_reason with the drop's reason
        // not ported: l3mdev_master_ifindex_rcu — no VRF (l3mdev) devices in the simulation
        // not ported: skb_dst_dev_rcu — only to find the device's l3mdev master (no VRFs: vif 0)
        IP_INC_STATS(net, ipstats_mib_field.IPSTATS_MIB_REASMREQDS);

        // Lookup (or create) queue header. l3mdev_master_ifindex_rcu: no VRF, vif 0.
        var qp = ip_find(net, ip_hdr(skb), user, 0);
        if (qp is not null)
        {
            var refs = 0;

            // spin_lock(&qp->q.lock)
            var ret = ip_frag_queue(qp, skb, ref refs);
            inet_frag_putn(qp.q, refs);
            return ret;
        }

        IP_INC_STATS(net, ipstats_mib_field.IPSTATS_MIB_REASMFAILS);
        kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
        return -errno_base_h.ENOMEM;
    }

    // net/ipv4/ip_fragment.c: ipv4_frags_init_net
    /// <summary>
    /// The namespace's fragment queues and their defaults: 4 MB high and
    /// 3 MB low thresholds, ipfrag_time 30 s, ipfrag_max_dist 64. C runs it
    /// when the namespace is made; here on its first fragment.
    /// </summary>
    private static int ipv4_frags_init_net(net net)
    {
        // not ported: ip4_frags_ns_ctl_register — the sysctls find this fqdir through ip4_frags_ns_ctl_register
        //   (below) when written; fqdir_exit — its failure path: nothing here can fail
        var res = fqdir_init(out var fqdir, ip4_frags, net);
        if (res < 0)
        {
            return res;
        }

        fqdir.high_thresh = 4 * 1024 * 1024;
        fqdir.low_thresh = 3 * 1024 * 1024;
        fqdir.timeout = IP_FRAG_TIME;
        fqdir.max_dist = 64;
        netns_ipv4.of(net).fqdir = fqdir;
        return 0;
    }

    // not ported: register_net_sysctl_sz, net_eq, kfree — no sysctl tree: the namespace's ipfrag_*
    //   sysctls are its fqdir's fields, handed to the writer (no per-namespace table copy to make or free)
    // net/ipv4/ip_fragment.c: ip4_frags_ns_ctl_register
    /// <summary>
    /// The namespace's ipfrag_* sysctls point into its fqdir (timeout in
    /// jiffies, thresholds in bytes, max_dist): the fqdir they write, made
    /// here if the namespace has not fragmented yet.
    /// </summary>
    public static fqdir ip4_frags_ns_ctl_register(net net) => ipv4_fqdir(net);

    /// <summary>net->ipv4.fqdir, made on first use (see ipv4_frags_init_net).</summary>
    [KernelNet.Annotations.NotInLinux("C# accessor of net->ipv4.fqdir")]
    private static fqdir ipv4_fqdir(net net)
    {
        if (netns_ipv4.of(net).fqdir is null)
        {
            ipv4_frags_init_net(net);
        }

        return netns_ipv4.of(net).fqdir!;
    }
}
