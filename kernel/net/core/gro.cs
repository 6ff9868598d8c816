// Ports net/core/gro.c: generic receive offload. A driver hands each
// received skb to gro_receive_skb (napi_gro_receive); skbs of one TCP flow
// that follow each other are merged into the skb GRO holds for the flow
// (its page frags take the others' data), and what cannot be merged goes up
// in batches (gro_normal_one). Held flows are completed (the protocols fix
// up the headers, gso_size/gso_segs are set) when a packet flushes them, when
// a bucket is full, and at the end of the NAPI poll.
//
// departure: the offload_base list is not kept: IPv4 is the one
// packet_offload with GRO callbacks (inet_gro_receive/inet_gro_complete),
// so dev_gro_receive and gro_complete call them directly for ETH_P_IP.
// not ported: dev_add_offload/dev_remove_offload (nothing registers),
// napi_gro_frags/napi_get_frags/napi_reuse_skb (no driver of the port
// builds skbs that way), skb_gro_receive_list (fraglist GRO: no device
// offers NETIF_F_GRO_FRAGLIST), gro_find_receive_by_type/
// gro_find_complete_by_type (tunnels), the slow_gro comparisons (no skb
// extensions, metadata dsts or conntrack on a packet this early), BIG TCP
// (gro_max_size is GRO_LEGACY_MAX_SIZE), gro_init/gro_cleanup (the lists are
// created with the napi_struct and never torn down while holding skbs).
using System;
using System.Collections.Generic;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Include.Net.gro_h;
using static KernelNet.Kernel.Include.Trace.Events.net_h;
using static KernelNet.Kernel.Net.Core.skbuff_c;

namespace KernelNet.Kernel.Net.Core;

public static class gro_c
{
    /// <summary>MAX_GRO_SKBS: flows one bucket holds; the oldest is completed to make room.</summary>
    public const int MAX_GRO_SKBS = 8;

    // net/core/gro.c: skb_gro_receive
    /// <summary>
    /// Merges <paramref name="skb"/>'s payload (past the headers GRO pulled)
    /// into the held <paramref name="p"/>: its page frags move over, or its
    /// page-frag head is stolen as one more frag; when the frags would not
    /// fit, the whole skb goes on p's frag_list. -E2BIG when p would grow
    /// past 64 KiB or the skb must be flushed.
    /// </summary>
    [Borrows("p")]
    [Borrows("skb")]
    public static int skb_gro_receive(sk_buff p, sk_buff skb)
    {
        // not ported: __skb_header_release, netif_get_gro_max_size, page_address, skb_headroom, virt_to_head_page — the limit is GRO_LEGACY_MAX_SIZE (no BIG TCP); the head_frag branch (a linear head turned into a frag) is not ported, such skbs take the frag_list merge; no header-only clones
        var skbinfo = skb.shinfo;
        var offset = skb_gro_offset(skb);
        var headlen = skb_headlen(skb);
        var len = skb_gro_len(skb);
        uint delta_truesize;
        uint new_truesize;
        sk_buff lp;
        int segs;

        // pp_recycle: no page_pool pages here.
        if (p.len + len >= GRO_LEGACY_MAX_SIZE || NAPI_GRO_CB(skb).flush != 0)
        {
            return -Include.Uapi.AsmGeneric.errno_base_h.E2BIG;
        }

        segs = NAPI_GRO_CB(skb).count;
        lp = NAPI_GRO_CB(p).last!;
        var pinfo = lp.shinfo;

        if (headlen <= offset)
        {
            // The headers end in the frags: hand the frags over and trim the headers off the first.
            var i = skbinfo.nr_frags;
            var nr_frags = pinfo.nr_frags + i;
            if (nr_frags > MAX_SKB_FRAGS)
            {
                goto merge;
            }

            offset -= headlen;
            pinfo.nr_frags = (byte)nr_frags;
            skbinfo.nr_frags = 0;
            var f = nr_frags;
            var f2 = i;
            do
            {
                pinfo.frags[--f] = skbinfo.frags[--f2];
            }
            while (--i != 0);

            skb_frag_off_add(ref pinfo.frags[f], offset);
            skb_frag_size_sub(ref pinfo.frags[f], offset);

            // The frags' truesize goes over; the head and the struct stay with skb.
            new_truesize = (uint)SKB_TRUESIZE(skb_end_offset(skb));
            delta_truesize = skb.truesize - new_truesize;
            skb.truesize = new_truesize;
            skb.len -= skb.data_len;
            skb.data_len = 0;
            NAPI_GRO_CB(skb).free = NAPI_GRO_FREE;
            goto done;
        }
        else if (skb.head_frag)
        {
            // The head is a page frag: its payload part becomes p's next frag, then skb's own frags.
            var nr_frags = pinfo.nr_frags;
            var page = skb.head_page!;
            var first_size = headlen - offset;
            if (nr_frags + 1 + skbinfo.nr_frags > MAX_SKB_FRAGS)
            {
                goto merge;
            }

            // skb->data - page_address(page): data is already an offset in the page here.
            var first_offset = skb.data + offset;
            pinfo.nr_frags = (byte)(nr_frags + 1 + skbinfo.nr_frags);
            skb_frag_fill_page_desc(ref pinfo.frags[nr_frags], page, first_offset, first_size);
            skbinfo.frags.AsSpan(0, skbinfo.nr_frags).CopyTo(pinfo.frags.AsSpan(nr_frags + 1));

            // skbinfo.nr_frags is left as it is: the struct is freed without its data.
            new_truesize = (uint)SKB_DATA_ALIGN(SKB_TRUESIZE_OVERHEAD);
            delta_truesize = skb.truesize - new_truesize;
            skb.truesize = new_truesize;
            NAPI_GRO_CB(skb).free = NAPI_GRO_FREE_STOLEN_HEAD;
            goto done;
        }

    merge:
        // The skb goes on p's frag_list whole; its owner, if any, becomes p's.
        skb.destructor = null;
        skb.sk = null;
        delta_truesize = skb.truesize;
        if (offset > headlen)
        {
            var eat = offset - headlen;
            skb_frag_off_add(ref skbinfo.frags[0], eat);
            skb_frag_size_sub(ref skbinfo.frags[0], eat);
            skb.data_len -= eat;
            skb.len -= eat;
            offset = headlen;
        }

        __skb_pull(skb, offset);
        if (NAPI_GRO_CB(p).last == p)
        {
            p.shinfo.frag_list = skb;
        }
        else
        {
            NAPI_GRO_CB(p).last!.next = skb;
        }

        NAPI_GRO_CB(p).last = skb;

        // __skb_header_release: nohdr is not modelled.
        lp = p;

    done:
        NAPI_GRO_CB(p).count += (ushort)segs;
        p.data_len += len;
        p.truesize += delta_truesize;
        p.len += len;
        if (lp != p)
        {
            lp.data_len += len;
            lp.truesize += delta_truesize;
            lp.len += len;
        }

        NAPI_GRO_CB(skb).same_flow = true;
        return 0;
    }

    // net/core/gro.c: gro_complete
    /// <summary>
    /// A held skb leaves GRO: alone (count 1) it goes up as it came, gso_size
    /// cleared; merged, the protocols fix the headers (inet_gro_complete) and
    /// it goes up standing for count segments.
    /// </summary>
    [Consumes("skb")]
    private static void gro_complete(napi_struct gro, sk_buff skb)
    {
        // not ported: kfree_skb — freed with kfree_skb_reason(NOT_SPECIFIED), what kfree_skb expands to
        var err = -Include.Uapi.AsmGeneric.errno_base_h.ENOENT;
        if (NAPI_GRO_CB(skb).count == 1)
        {
            skb.shinfo.gso_size = 0;
            goto @out;
        }

        // The offload_base walk: IPv4 is the one packet_offload with gro_complete.
        if (skb.protocol == if_ether_h.ETH_P_IP)
        {
            err = Ipv4.af_inet_c.inet_gro_complete(skb, 0);
        }

        if (err != 0)
        {
            kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
            return;
        }

    @out:
        gro_normal_one(gro, skb, NAPI_GRO_CB(skb).count);
    }

    // net/core/gro.c: __gro_flush_chain
    /// <summary>Completes a bucket's skbs, oldest first; with <paramref name="flush_old"/> it stops at one held this jiffy.</summary>
    private static void __gro_flush_chain(napi_struct gro, int index, bool flush_old)
    {
        // not ported: skb_list_del_init — the GRO list is a C# List: the skb is removed from it
        var bucket = gro.gro_hash[index];
        var head = bucket.list;
        var jiffies = gro.k.jiffies;
        for (var i = head.Count - 1; i >= 0; i--)
        {
            var skb = head[i];
            if (flush_old && NAPI_GRO_CB(skb).age == jiffies)
            {
                return;
            }

            head.RemoveAt(i);
            skb.next = null;
            gro_complete(gro, skb);
            bucket.count--;
        }

        if (bucket.count == 0)
        {
            gro.gro_bitmask &= ~(1UL << index);
        }
    }

    // net/core/gro.c: __gro_flush
    /// <summary>
    /// Completes the held skbs of every bucket in use (NAPI poll end,
    /// napi_complete_done); <paramref name="flush_old"/> leaves those held
    /// within the current jiffy.
    /// </summary>
    public static void __gro_flush(napi_struct gro, bool flush_old)
    {
        var bitmask = gro.gro_bitmask;
        for (var index = 0; index < GRO_HASH_BUCKETS; index++)
        {
            if ((bitmask & (1UL << index)) != 0)
            {
                __gro_flush_chain(gro, index, flush_old);
            }
        }
    }

    // net/core/gro.c: gro_list_prepare
    /// <summary>
    /// Marks each held skb that could be of the received skb's flow
    /// (same_flow): same RX hash, same device, same Ethernet header.
    /// </summary>
    [Borrows("skb")]
    private static void gro_list_prepare(List<sk_buff> head, sk_buff skb)
    {
        // not ported: skb_get_hash_raw, skb_mac_header, compare_ether_header, skb_metadata_dst_cmp, skb_metadata_differs, skb_get_nfct, gro_list_prepare_tc_ext, __psp_skb_coalesce_diff — the flow compare is written over the fields; no metadata dsts, XDP metadata, conntrack compare, tc extensions or PSP
        var maclen = skb.dev!.hard_header_len;
        var hash = skb.hash;
        foreach (var p in head)
        {
            if (hash != p.hash)
            {
                NAPI_GRO_CB(p).same_flow = false;
                continue;
            }

            // vlan_all, skb_metadata_differs: no VLAN acceleration or XDP metadata here.
            var diffs = p.dev != skb.dev;
            if (!diffs)
            {
                diffs = !p.head.AsSpan(p.mac_header, maclen).SequenceEqual(skb.head.AsSpan(skb.mac_header, maclen));
            }

            NAPI_GRO_CB(p).same_flow = !diffs;
        }
    }

    // net/core/gro.c: skb_gro_reset_offset
    /// <summary>Headers are read from the linear data, or from the first page frag when the head is empty.</summary>
    [Borrows("skb")]
    private static void skb_gro_reset_offset(sk_buff skb, int nhoff)
    {
        // not ported: skb_frag_address, skb_frag_off, skb_frag_page — the first frag's bytes are reached through frag.netmem directly
        var cb = NAPI_GRO_CB(skb);
        cb.network_offset = 0;
        cb.data_offset = 0;
        var headlen = skb_headlen(skb);
        cb.frag0 = skb.head;
        cb.frag0_off = skb.data;
        cb.frag0_len = headlen;
        if (headlen != 0)
        {
            return;
        }

        var pinfo = skb.shinfo;
        if (pinfo.nr_frags != 0 && pinfo.frags[0].netmem is not null)
        {
            // PageHighMem: never on x86-64; NET_IP_ALIGN is 0.
            cb.frag0 = pinfo.frags[0].netmem!.mem;
            cb.frag0_off = pinfo.frags[0].offset;
            cb.frag0_len = Math.Min(skb_frag_size(pinfo.frags[0]), skb.end - skb.tail);
        }
    }

    // net/core/gro.c: gro_pull_from_frag0
    /// <summary>Copies <paramref name="grow"/> header bytes from the first frag into the head (a held skb must have its headers there).</summary>
    [Borrows("skb")]
    private static void gro_pull_from_frag0(sk_buff skb, int grow)
    {
        // not ported: skb_tail_pointer — the tail is an offset
        var pinfo = skb.shinfo;
        if (skb.end - skb.tail < grow)
        {
            throw new InvalidOperationException("gro_pull_from_frag0: no room in the head (BUG)");
        }

        var cb = NAPI_GRO_CB(skb);
        cb.frag0.AsSpan(cb.frag0_off, grow).CopyTo(skb.head.AsSpan(skb.tail));
        skb.data_len -= grow;
        skb.tail += grow;
        skb_frag_off_add(ref pinfo.frags[0], grow);
        skb_frag_size_sub(ref pinfo.frags[0], grow);
        if (skb_frag_size(pinfo.frags[0]) == 0)
        {
            skbuff_ref_h.skb_frag_unref(skb, 0);
            pinfo.nr_frags--;
            pinfo.frags.AsSpan(1, pinfo.nr_frags).CopyTo(pinfo.frags);
        }
    }

    // net/core/gro.c: gro_try_pull_from_frag0
    [Borrows("skb")]
    private static void gro_try_pull_from_frag0(sk_buff skb)
    {
        var grow = skb_gro_offset(skb) - skb_headlen(skb);
        if (grow > 0)
        {
            gro_pull_from_frag0(skb, grow);
        }
    }

    // net/core/gro.c: gro_flush_oldest
    /// <summary>A full bucket completes its oldest skb to make room (its count is left: the caller adds one).</summary>
    private static void gro_flush_oldest(napi_struct gro, List<sk_buff> head)
    {
        // not ported: skb_list_del_init — the GRO list is a C# List: the skb is removed from it
        var oldest = head[^1];
        head.RemoveAt(head.Count - 1);
        oldest.next = null;
        gro_complete(gro, oldest);
    }

    // net/core/gro.c: dev_gro_receive
    /// <summary>
    /// Offers the skb to the held flows of its bucket: merged
    /// (GRO_MERGED/GRO_MERGED_FREE), held as a new flow (GRO_HELD), or to go
    /// up as it is (GRO_NORMAL). A held skb the protocols say must leave
    /// (pp) is completed on the way.
    /// </summary>
    [Borrows("skb")]
    private static gro_result_t dev_gro_receive(napi_struct gro, sk_buff skb)
    {
        // not ported: netif_elide_gro, skb_get_hash_raw, skb_is_gso_tcp, skb_list_del_init — GRO is on and no XDP is attached; the bucket comes from skb.hash; the gso_type test is written inline; the GRO list is a C# List
        var bucket = (int)(skb.hash & (GRO_HASH_BUCKETS - 1));
        var gro_list = gro.gro_hash[bucket];
        sk_buff? pp;
        gro_result_t ret;

        // netif_elide_gro: GRO off, or an XDP program (none here).
        if ((skb.dev!.features & netdev_features_h.NETIF_F_GRO) == 0)
        {
            goto normal;
        }

        gro_list_prepare(gro_list.list, skb);

        // The offload_base walk: only ETH_P_IP has gro_receive.
        if (skb.protocol != if_ether_h.ETH_P_IP)
        {
            goto normal;
        }

        skb_set_network_header(skb, skb_gro_offset(skb));
        skb_reset_mac_len(skb);
        var cb = NAPI_GRO_CB(skb);
        cb.clear_zeroed();
        cb.flush = skb_has_frag_list(skb) ? 1 : 0;
        cb.count = 1;
        if (skb_is_gso(skb))
        {
            cb.count = skb.shinfo.gso_segs;

            // Only TCP, and not from an untrusted source.
            if ((skb.shinfo.gso_type & (SKB_GSO_TCPV4 | SKB_GSO_TCPV6)) == 0 || (skb.shinfo.gso_type & SKB_GSO_DODGY) != 0)
            {
                cb.flush = 1;
            }
        }

        // Set up for the checksum validation (CHECKSUM_COMPLETE is not produced by any device here).
        if (skb.ip_summed == CHECKSUM_UNNECESSARY)
        {
            cb.csum_cnt = 1;
        }

        pp = Ipv4.af_inet_c.inet_gro_receive(gro_list.list, skb);

        // -EINPROGRESS (GRO_CONSUMED) comes only from tunnels and ESP: not here.
        var same_flow = cb.same_flow;
        ret = cb.free != 0 ? gro_result_t.GRO_MERGED_FREE : gro_result_t.GRO_MERGED;

        if (pp is not null)
        {
            gro_list.list.Remove(pp);
            pp.next = null;
            gro_complete(gro, pp);
            gro_list.count--;
        }

        if (same_flow)
        {
            goto ok;
        }

        if (cb.flush != 0)
        {
            goto normal;
        }

        if (gro_list.count >= MAX_GRO_SKBS)
        {
            gro_flush_oldest(gro, gro_list.list);
        }
        else
        {
            gro_list.count++;
        }

        // Before age and last take frag0's place in the union.
        gro_try_pull_from_frag0(skb);
        cb.age = gro.k.jiffies;
        cb.last = skb;
        if (!skb_is_gso(skb))
        {
            skb.shinfo.gso_size = (ushort)skb_gro_len(skb);
        }

        gro_list.list.Insert(0, skb);
        ret = gro_result_t.GRO_HELD;

    ok:
        if (gro_list.count != 0)
        {
            gro.gro_bitmask |= 1UL << bucket;
        }
        else
        {
            gro.gro_bitmask &= ~(1UL << bucket);
        }

        return ret;

    normal:
        ret = gro_result_t.GRO_NORMAL;
        gro_try_pull_from_frag0(skb);
        goto ok;
    }

    // net/core/gro.c: gro_skb_finish
    /// <summary>What becomes of the skb: up in the batch (GRO_NORMAL), or its leftover freed when merged (GRO_MERGED_FREE: only the struct when its head was stolen).</summary>
    [Consumes("skb")]
    private static gro_result_t gro_skb_finish(napi_struct gro, sk_buff skb, gro_result_t ret)
    {
        // not ported: __kfree_skb — a merged GRO skb is never an fclone here, so __napi_kfree_skb(CONSUMED) is always the path
        switch (ret)
        {
            case gro_result_t.GRO_NORMAL:
                gro_normal_one(gro, skb, 1);
                break;

            case gro_result_t.GRO_MERGED_FREE:
                // No fclones: every skb here is SKB_FCLONE_UNAVAILABLE.
                if (NAPI_GRO_CB(skb).free == NAPI_GRO_FREE_STOLEN_HEAD)
                {
                    napi_skb_free_stolen_head(skb);
                }
                else
                {
                    __napi_kfree_skb(skb, skb_drop_reason.SKB_CONSUMED);
                }

                break;

            case gro_result_t.GRO_HELD:
            case gro_result_t.GRO_MERGED:
            case gro_result_t.GRO_CONSUMED:
                break;
        }

        return ret;
    }

    // net/core/gro.c: gro_receive_skb
    /// <summary>
    /// The driver's entry (napi_gro_receive, NET_RX softirq): marks the skb
    /// with the NAPI id and offers it to GRO, between the
    /// napi_gro_receive_entry and napi_gro_receive_exit tracepoints.
    /// </summary>
    [Consumes("skb")]
    public static gro_result_t gro_receive_skb(napi_struct gro, sk_buff skb)
    {
        // not ported: __skb_mark_napi_id — napi_id is written into the skb inline
        skb.napi_id = gro.napi_id;
        trace_napi_gro_receive_entry(skb);
        skb_gro_reset_offset(skb, 0);
        var ret = gro_skb_finish(gro, skb, dev_gro_receive(gro, skb));
        trace_napi_gro_receive_exit(gro.k, (int)ret);
        return ret;
    }

    // net/core/gro.c: __skb_gro_checksum_complete
    /// <summary>Sums the payload from the GRO offset; with the pseudo-header in csum, 0 means the checksum is good.</summary>
    [Borrows("skb")]
    public static ushort __skb_gro_checksum_complete(sk_buff skb)
    {
        var cb = NAPI_GRO_CB(skb);
        var wsum = skb_checksum(skb, skb_gro_offset(skb), skb_gro_len(skb), 0);
        var sum = Include.Net.checksum_h.csum_fold(Include.Net.checksum_h.csum_add(cb.csum, wsum));

        // not ported: netdev_rx_csum_fault — no device in the port hands up CHECKSUM_COMPLETE, so a good sum
        //   found here never blames one
        cb.csum = wsum;
        cb.csum_valid = true;
        return sum;
    }
}
