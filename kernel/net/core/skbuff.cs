// Ports net/core/skbuff.c: allocating, cloning, copying and freeing sk_buffs,
// and walking data that goes on past the head into page frags and the
// frag_list (skb_copy_bits, skb_checksum, __pskb_pull_tail, ___pskb_trim),
// moving frags between skbs (skb_split, skb_shift, skb_try_coalesce), and
// skb_rbtree_purge for TCP's out-of-order queue (a list here).
//
// not ported: page-frag heads (head_frag: every head is kmalloc'd, so no
// head is ever stolen as a frag), fclones (a clone is a separate
// allocation), the per-CPU skb caches and bulk free (kfree_skb_add_bulk
// frees one by one), skb_segment's sg and frag_list cases (segments are
// built linear, by copy), skb->csum (checksums are recomputed where they
// are verified), page_pool recycling and zerocopy. departure: skbs are not
// pooled yet.
using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Include.Linux.skbuff_ref_h;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using static KernelNet.Kernel.Include.Trace.Events.skb_h;

namespace KernelNet.Kernel.Net.Core;

public static class skbuff_c
{
    /// <summary>
    /// GRO_MAX_HEAD_PAD: the head GRO pulls into a small skb (GRO_MAX_HEAD,
    /// MAX_HEADER + 128 = 160 on the recorded kernel) plus NET_SKB_PAD and NET_IP_ALIGN.
    /// </summary>
    private const int GRO_MAX_HEAD_PAD = 160 + NET_SKB_PAD + NET_IP_ALIGN;

    /// <summary>SKB_SMALL_HEAD_SIZE: a head big enough for any TCP header or GRO head, with its shared info.</summary>
    private static int SKB_SMALL_HEAD_SIZE => SKB_HEAD_ALIGN(Math.Max(Ipv4.tcp_output_c.MAX_TCP_HEADER, GRO_MAX_HEAD_PAD));

    /// <summary>
    /// SKB_SMALL_HEAD_CACHE_SIZE: the object size of skbuff_small_head, kept
    /// off powers of two so its heads are told from kmalloc's by size (576 on
    /// the recorded kernel, as its /proc/slabinfo shows).
    /// </summary>
    private static int SKB_SMALL_HEAD_CACHE_SIZE =>
        System.Numerics.BitOperations.IsPow2(SKB_SMALL_HEAD_SIZE) ? SKB_SMALL_HEAD_SIZE + SMP_CACHE_BYTES : SKB_SMALL_HEAD_SIZE;

    // net/core/skbuff.c: kmalloc_reserve
    /// <summary>
    /// The size of the head an skb of <paramref name="size"/> bytes really
    /// gets, shared info included: the small-head cache's object when it
    /// fits, else the kmalloc bucket (or whole pages) that holds it. What the
    /// allocator rounds up to is the skb's to use, and truesize charges it.
    /// </summary>
    private static int kmalloc_reserve(int size)
    {
        var obj_size = SKB_HEAD_ALIGN(size);
        if (obj_size <= SKB_SMALL_HEAD_CACHE_SIZE)
        {
            return SKB_SMALL_HEAD_CACHE_SIZE;
        }

        return (int)Mm.slab_common_c.kmalloc_size_roundup((uint)obj_size);
    }

    // net/core/skbuff.c: __alloc_skb
    /// <summary>
    /// Allocates an skb with a linear buffer of at least <paramref name="size"/>
    /// bytes: the head comes from kmalloc_reserve, the shared info sits at its
    /// very end and the buffer keeps whatever the rounding gave (so end may
    /// lie beyond size); data, tail and len start at zero. truesize charges
    /// the whole head and the struct (__finalize_skb_around).
    /// </summary>
    public static sk_buff? __alloc_skb(Vmlinux k, int size, int flags, [CallerMemberName] string site = "")
    {
        var data_size = SKB_WITH_OVERHEAD(kmalloc_reserve(size));
        var skb = new sk_buff(k, k.alloc_address(SKB_TRUESIZE_OVERHEAD), site)
        {
            head = new byte[data_size],
            data = 0,
            tail = 0,
            end = data_size,
            truesize = (uint)SKB_TRUESIZE(data_size),
            mac_header = sk_buff.MAC_HEADER_UNSET,
            transport_header = 0xffff,
            alloc_cpu = k.smp_processor_id(),
        };
        k.skb_ledger.OnAlloc(skb);
        return skb;
    }

    /// <summary>PAGE_ALLOC_COSTLY_ORDER: the largest page order the allocator hands out without trying hard (32 KiB chunks).</summary>
    public const int PAGE_ALLOC_COSTLY_ORDER = 3;

    private const int PAGE_SIZE = 4096;

    // net/core/skbuff.c: alloc_skb_with_frags
    /// <summary>
    /// An skb of <paramref name="header_len"/> bytes of head and
    /// <paramref name="data_len"/> bytes in page chunks of at most
    /// 2^<paramref name="order"/> pages, each chunk charged whole to truesize;
    /// null when the data would need more than MAX_SKB_FRAGS chunks (-EMSGSIZE).
    /// departure: the chunks are not allocated as page frags yet — their
    /// bytes live in the head after header_len (the caller skb_puts them
    /// there, __ip_append_data's paged branch is not ported); only truesize
    /// is the paged skb's.
    /// </summary>
    public static sk_buff? alloc_skb_with_frags(Vmlinux k, int header_len, int data_len, int order, out int errcode, [CallerMemberName] string site = "")
    {
        errcode = -Include.Uapi.AsmGeneric.errno_h.EMSGSIZE;
        if ((long)data_len > (long)MAX_SKB_FRAGS * (PAGE_SIZE << order))
        {
            return null;
        }

        errcode = -Include.Uapi.AsmGeneric.errno_h.ENOBUFS;
        var skb = __alloc_skb(k, header_len + data_len, 0, site);
        if (skb is null)
        {
            return null;
        }

        var truesize = SKB_TRUESIZE(SKB_WITH_OVERHEAD(kmalloc_reserve(header_len)));
        while (data_len > 0)
        {
            while (order > 0 && PAGE_ALIGN(data_len) < (PAGE_SIZE << order))
            {
                order--;
            }

            var chunk = Math.Min(data_len, PAGE_SIZE << order);
            truesize += PAGE_SIZE << order;
            data_len -= chunk;
        }

        skb.truesize = (uint)truesize;
        return skb;
    }

    [KernelNet.Annotations.NotInLinux("stand-in for the PAGE_ALIGN macro of include/linux/mm.h, whose port there is not written yet")]
    private static int PAGE_ALIGN(int x) => (x + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);

    // net/core/skbuff.c: __netdev_alloc_skb
    /// <summary>An RX buffer for a device: NET_SKB_PAD of headroom already reserved, dev set.</summary>
    public static sk_buff? __netdev_alloc_skb(net_device? dev, int len, [CallerMemberName] string site = "")
    {
        var k = dev!.nd_net.k;
        var skb = __alloc_skb(k, len + NET_SKB_PAD, 0, site);
        if (skb is null)
        {
            return null;
        }

        skb_reserve(skb, NET_SKB_PAD);
        skb.dev = dev;
        return skb;
    }

    // net/core/skbuff.c: napi_alloc_skb
    /// <summary>An RX buffer allocated from NAPI (softirq) context, NET_SKB_PAD + NET_IP_ALIGN of headroom.</summary>
    public static sk_buff? napi_alloc_skb(napi_struct napi, int len, [CallerMemberName] string site = "")
    {
        var skb = __netdev_alloc_skb(napi.dev, len + NET_IP_ALIGN, site);
        if (skb is not null)
        {
            skb_reserve(skb, NET_IP_ALIGN);
        }

        return skb;
    }

    // net/core/skbuff.c: napi_build_skb
    /// <summary>
    /// Builds an skb around <paramref name="data"/>, a buffer a driver's
    /// device already wrote (NAPI context): no copy. The buffer's last
    /// SKB_SHINFO_SIZE bytes are the shared info, so end stops before them;
    /// truesize charges the whole <paramref name="frag_size"/>.
    /// </summary>
    public static sk_buff? napi_build_skb(Vmlinux k, byte[] data, int frag_size, [CallerMemberName] string site = "")
    {
        var size = frag_size - SKB_DATA_ALIGN(SKB_SHINFO_SIZE);
        var skb = new sk_buff(k, k.alloc_address(SKB_TRUESIZE_OVERHEAD), site)
        {
            head = data,
            data = 0,
            tail = 0,
            end = size,
            truesize = (uint)(frag_size + SKB_TRUESIZE_OVERHEAD),
            mac_header = sk_buff.MAC_HEADER_UNSET,
            transport_header = 0xffff,
            alloc_cpu = k.smp_processor_id(),
        };
        k.skb_ledger.OnAlloc(skb);
        return skb;
    }

    // net/core/skbuff.c: skb_panic
    /// <summary>A push past the headroom or a put past the end: a kernel BUG (skb_over_panic/skb_under_panic).</summary>
    [DoesNotReturn]
    private static void skb_panic(sk_buff skb, int sz, string msg)
    {
        throw new InvalidOperationException($"skbuff: {msg}: len:{sz} put:{skb.len} head:{skb.head.Length} data:{skb.data} tail:{skb.tail} end:{skb.end}");
    }

    // net/core/skbuff.c: skb_drop_list
    /// <summary>Frees a chain of skbs cut off a frag_list; the caller clears the link that held it (*listp = NULL in C). Inlined in C: traces name the caller.</summary>
    private static void skb_drop_list(sk_buff? list, [CallerMemberName] string location = "")
    {
        kfree_skb_list(list, location);
    }

    // net/core/skbuff.c: skb_drop_fraglist
    private static void skb_drop_fraglist(sk_buff skb, [CallerMemberName] string location = "")
    {
        skb_drop_list(skb.shinfo.frag_list, location);
        skb.shinfo.frag_list = null;
    }

    // net/core/skbuff.c: skb_clone_fraglist
    /// <summary>A reference on each frag_list member for a second owner of the list (pskb_expand_head of a cloned skb).</summary>
    private static void skb_clone_fraglist(sk_buff skb)
    {
        for (var list = skb.shinfo.frag_list; list is not null; list = list.next)
        {
            skb_get(list);
        }
    }

    // net/core/skbuff.c: skb_free_head
    /// <summary>The head buffer goes back to kmalloc (the garbage collector here).</summary>
    private static void skb_free_head(sk_buff skb)
    {
        skb.head = Array.Empty<byte>();
    }

    // net/core/skbuff.c: skb_release_data
    /// <summary>
    /// Drops this skb's reference to the data buffer; the last one drops the
    /// page frags' references and frees the buffer and the skbs on its
    /// frag_list, each with <paramref name="reason"/>
    /// (kfree_skb_list_reason: consume_skb or kfree_skb traced from here).
    /// </summary>
    private static void skb_release_data(sk_buff skb, skb_drop_reason reason)
    {
        var shinfo = skb.shinfo;
        if (!skb_data_unref(skb, shinfo))
        {
            goto exit;
        }

        // skb_zcopy: zerocopy is not ported.
        for (var i = 0; i < shinfo.nr_frags; i++)
        {
            __skb_frag_unref(shinfo.frags[i], false);
        }

        if (shinfo.frag_list is { } list)
        {
            shinfo.frag_list = null;
            kfree_skb_list_reason(list, reason);
        }

        skb_free_head(skb);

    exit:
        // Freed, or left to the clones that still share it: not this skb's any more.
        skb.head = Array.Empty<byte>();
    }

    // net/core/skbuff.c: kfree_skbmem
    private static void kfree_skbmem(sk_buff skb, string where)
    {
        skb.freed = true;
        skb.k.skb_ledger.OnFree(skb, where);
    }

    // net/core/skbuff.c: skb_release_head_state
    /// <summary>Drops the route and runs the destructor (uncharging the owning socket).</summary>
    private static void skb_release_head_state(sk_buff skb)
    {
        skb.dst = null;
        if (skb.destructor is not null)
        {
            var d = skb.destructor;
            skb.destructor = null;
            d(skb);
        }
    }

    // net/core/skbuff.c: skb_release_all
    /// <summary>Frees everything but the sk_buff itself; frag_list members go with <paramref name="reason"/>.</summary>
    private static void skb_release_all(sk_buff skb, skb_drop_reason reason)
    {
        skb_release_head_state(skb);
        skb_release_data(skb, reason);
    }

    // net/core/skbuff.c: __kfree_skb
    /// <summary>
    /// Frees the skb now, whatever its users count says (the caller dropped
    /// the last reference). As in 6.18, the frag_list goes as NOT_SPECIFIED
    /// even when the skb itself was consumed.
    /// </summary>
    public static void __kfree_skb(sk_buff skb, [CallerMemberName] string where = "")
    {
        skb_release_all(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
        kfree_skbmem(skb, where);
    }

    // net/core/skbuff.c: __sk_skb_reason_drop
    /// <summary>Drops a reference; on the last one traces consume_skb or kfree_skb (with the reason) and says "free it".</summary>
    private static bool __sk_skb_reason_drop(sock? sk, sk_buff skb, skb_drop_reason reason, string location)
    {
        if (!skb_unref(skb))
        {
            return false;
        }

        if (reason == skb_drop_reason.SKB_CONSUMED)
        {
            trace_consume_skb(skb, location);
        }
        else
        {
            trace_kfree_skb(skb, location, reason, sk);
        }

        return true;
    }

    // net/core/skbuff.c: sk_skb_reason_drop
    /// <summary>
    /// The one place drops end: the kfree_skb tracepoint with the reason and
    /// the dropping function, then the free. <paramref name="location"/> is
    /// the caller, as __builtin_return_address(0) is in C.
    /// </summary>
    [Consumes("skb")]
    public static void sk_skb_reason_drop(sock? sk, sk_buff? skb, skb_drop_reason reason, [CallerMemberName] string location = "")
    {
        if (skb is null)
        {
            return;
        }

        if (__sk_skb_reason_drop(sk, skb, reason, location))
        {
            __kfree_skb(skb, location);
        }
    }

    // net/core/skbuff.c: kfree_skb_add_bulk
    /// <summary>Releases an skb of a list being freed; the bulk array that batches the slab frees is not modelled.</summary>
    private static void kfree_skb_add_bulk(sk_buff skb, skb_drop_reason reason, string where)
    {
        skb_release_all(skb, reason);
        kfree_skbmem(skb, where);
    }

    // net/core/skbuff.c: kfree_skb_list_reason
    /// <summary>
    /// Drops a reference on each skb of a chain linked by next, tracing each
    /// one freed with <paramref name="reason"/> (consume_skb for SKB_CONSUMED).
    /// The location is the caller: skb_release_data for a frag_list.
    /// </summary>
    public static void kfree_skb_list_reason(sk_buff? segs, skb_drop_reason reason, [CallerMemberName] string location = "")
    {
        while (segs is not null)
        {
            var next = segs.next;
            if (__sk_skb_reason_drop(null, segs, reason, location))
            {
                segs.next = null;
                kfree_skb_add_bulk(segs, reason, location);
            }

            segs = next;
        }
    }

    // net/core/skbuff.c: consume_skb
    /// <summary>Frees an skb whose job is done (not a drop): traces consume_skb.</summary>
    [Consumes("skb")]
    public static void consume_skb(sk_buff? skb, [CallerMemberName] string location = "")
    {
        if (!skb_unref(skb))
        {
            return;
        }

        trace_consume_skb(skb!, location);
        __kfree_skb(skb!, location);
    }

    // net/core/skbuff.c: skb_scrub_packet
    /// <summary>
    /// Forgets what the sending side attached (route, packet type, input
    /// interface); crossing into another namespace (<paramref name="xnet"/>)
    /// also drops the mark and the timestamp. The owning socket stays: the
    /// receiver's ip_rcv orphans it.
    /// </summary>
    public static void skb_scrub_packet(sk_buff skb, bool xnet)
    {
        skb.pkt_type = PACKET_HOST;
        skb.skb_iif = 0;
        skb.ignore_df = false;
        skb.dst = null;
        if (!xnet)
        {
            return;
        }

        skb.mark = 0;
        skb.tstamp = 0;
    }

    // net/core/skbuff.c: __napi_kfree_skb
    /// <summary>Frees into the per-CPU NAPI skb cache (the cache itself is not modelled): no tracepoint; the frag_list goes with <paramref name="reason"/>.</summary>
    [Consumes("skb")]
    public static void __napi_kfree_skb(sk_buff skb, skb_drop_reason reason, [CallerMemberName] string where = "")
    {
        skb_release_all(skb, reason);
        kfree_skbmem(skb, where);
    }

    // net/core/skbuff.c: napi_consume_skb
    /// <summary>
    /// A consume from NAPI (TX completion, the defer list): consume_skb's
    /// tracepoint, but the frag_list is consumed too, not dropped. Budget 0
    /// (not NAPI) takes dev_consume_skb_any: outside hard irq, consume_skb.
    /// </summary>
    [Consumes("skb")]
    public static void napi_consume_skb(sk_buff? skb, int budget, [CallerMemberName] string location = "")
    {
        if (budget == 0)
        {
            consume_skb(skb, location);
            return;
        }

        if (!skb_unref(skb))
        {
            return;
        }

        trace_consume_skb(skb!, location);
        skb_release_all(skb!, skb_drop_reason.SKB_CONSUMED);
        kfree_skbmem(skb!, location);
    }

    // net/core/skbuff.c: __copy_skb_header
    private static void __copy_skb_header(sk_buff @new, sk_buff old)
    {
        @new.tstamp = old.tstamp;
        @new.dev = old.dev;
        @new.dst = old.dst;
        old.cb.AsSpan().CopyTo(@new.cb);
        @new.cb_obj = old.cb_obj is ISkbControlBlock cb ? cb.Copy() : old.cb_obj;
        @new.pkt_type = old.pkt_type;
        @new.ip_summed = old.ip_summed;
        @new.priority = old.priority;
        @new.protocol = old.protocol;
        @new.mark = old.mark;
        @new.skb_iif = old.skb_iif;
        @new.queue_mapping = old.queue_mapping;
        @new.hash = old.hash;
        @new.l4_hash = old.l4_hash;
        @new.ignore_df = old.ignore_df;
        @new.napi_id = old.napi_id;
        @new.alloc_cpu = old.alloc_cpu;
        @new.transport_header = old.transport_header;
        @new.network_header = old.network_header;
        @new.mac_header = old.mac_header;
        @new.mac_len = old.mac_len;
    }

    // net/core/skbuff.c: __skb_clone
    /// <summary>Makes <paramref name="n"/> a second sk_buff over <paramref name="skb"/>'s data (one more dataref).</summary>
    private static sk_buff __skb_clone(sk_buff n, sk_buff skb)
    {
        n.next = n.prev = null;
        n.list = null;
        n.sk = null;
        __copy_skb_header(n, skb);
        n.len = skb.len;
        n.data_len = skb.data_len;
        n.cloned = true;
        n.destructor = null;
        n.head = skb.head;
        n.data = skb.data;
        n.tail = skb.tail;
        n.end = skb.end;
        n.truesize = skb.truesize;
        n.shinfo = skb.shinfo;
        n.users = 1;
        skb.shinfo.dataref++;
        skb.cloned = true;
        return n;
    }

    // net/core/skbuff.c: skb_morph
    /// <summary>
    /// Turns <paramref name="dst"/> into a clone of <paramref name="src"/>:
    /// dst lets go of its own data (a consume of its frag_list, if any) and
    /// shares src's. The sk_buff keeps its identity (address).
    /// </summary>
    public static sk_buff skb_morph(sk_buff dst, sk_buff src)
    {
        skb_release_all(dst, skb_drop_reason.SKB_CONSUMED);
        return __skb_clone(dst, src);
    }

    // net/core/skbuff.c: skb_clone
    /// <summary>
    /// A new sk_buff that shares the data buffer (TX-2: descriptor only, the
    /// payload is not copied, nor the frag_list); both must be freed.
    /// </summary>
    public static sk_buff? skb_clone(sk_buff skb, [CallerMemberName] string site = "")
    {
        var n = new sk_buff(skb.k, skb.k.alloc_address(SKB_TRUESIZE_OVERHEAD), site);
        skb.k.skb_ledger.OnAlloc(n);
        return __skb_clone(n, skb);
    }

    // net/core/skbuff.c: skb_headers_offset_update
    /// <summary>The header offsets follow the data to a new position in a new head.</summary>
    private static void skb_headers_offset_update(sk_buff skb, int off)
    {
        // An unset header (~0) stays unset here; C lets it wrap, harmlessly.
        if (skb_transport_header_was_set(skb))
        {
            skb.transport_header = (ushort)(skb.transport_header + off);
        }

        skb.network_header = (ushort)(skb.network_header + off);
        if (skb_mac_header_was_set(skb))
        {
            skb.mac_header = (ushort)(skb.mac_header + off);
        }
    }

    // net/core/skbuff.c: skb_copy
    /// <summary>A private, linear copy of header and data (the frag_list's bytes included).</summary>
    public static sk_buff? skb_copy(sk_buff skb, [CallerMemberName] string site = "")
    {
        var headerlen = skb_headroom(skb);
        var size = skb_end_offset(skb) + skb.data_len;
        var n = __alloc_skb(skb.k, size, 0, site);
        if (n is null)
        {
            return null;
        }

        skb_reserve(n, headerlen);
        skb_put(n, skb.len);
        if (skb_copy_bits(skb, -headerlen, n.head.AsSpan(0, headerlen + skb.len), headerlen + skb.len) != 0)
        {
            throw new InvalidOperationException("skb_copy: skb_copy_bits failed (BUG)");
        }

        skb_copy_header(n, skb);
        return n;
    }

    // net/core/skbuff.c: skb_copy_header
    /// <summary>The header fields and the GSO description of <paramref name="old"/>, onto a private copy.</summary>
    public static void skb_copy_header(sk_buff @new, sk_buff old)
    {
        __copy_skb_header(@new, old);
        @new.shinfo.gso_size = old.shinfo.gso_size;
        @new.shinfo.gso_segs = old.shinfo.gso_segs;
        @new.shinfo.gso_type = old.shinfo.gso_type;
    }

    // net/core/skbuff.c: __pskb_copy_fclone
    /// <summary>
    /// A copy with a private head (the linear bytes copied, <paramref name="headroom"/>
    /// in front) that shares the page frags (a reference on each) and the
    /// frag_list (a reference on each member): what TCP sends when an earlier
    /// clone of the skb still holds its head. Null when the allocation fails.
    /// </summary>
    public static sk_buff? __pskb_copy_fclone(sk_buff skb, int headroom, bool fclone, [CallerMemberName] string site = "")
    {
        var size = skb_headlen(skb) + headroom;
        _ = fclone; // SKB_ALLOC_FCLONE: no fclone pairs
        var n = __alloc_skb(skb.k, size, 0, site);
        if (n is null)
        {
            return null;
        }

        skb_reserve(n, headroom);
        skb_put(n, skb_headlen(skb));
        skb.head.AsSpan(skb.data, n.len).CopyTo(n.head.AsSpan(n.data, n.len));

        n.truesize = (uint)(n.truesize + skb.data_len);
        n.data_len = skb.data_len;
        n.len = skb.len;

        if (skb.shinfo.nr_frags != 0)
        {
            // skb_orphan_frags, skb_zerocopy_clone: zerocopy is not ported.
            int i;
            for (i = 0; i < skb.shinfo.nr_frags; i++)
            {
                n.shinfo.frags[i] = skb.shinfo.frags[i];
                skb_frag_ref(skb, i);
            }

            n.shinfo.nr_frags = (byte)i;
        }

        if (skb_has_frag_list(skb))
        {
            n.shinfo.frag_list = skb.shinfo.frag_list;
            skb_clone_fraglist(n);
        }

        skb_copy_header(n, skb);
        return n;
    }

    // net/core/skbuff.c: pskb_expand_head
    /// <summary>
    /// Moves the data to a new head with <paramref name="nhead"/> more bytes
    /// in front and <paramref name="ntail"/> behind; the skb then owns its
    /// buffer alone (a clone keeps the old one, and both now hold the
    /// frag_list). 0, or -ENOMEM.
    /// </summary>
    public static int pskb_expand_head(sk_buff skb, int nhead, int ntail)
    {
        System.Diagnostics.Debug.Assert(nhead >= 0 && !skb_shared(skb));
        var osize = skb_end_offset(skb);
        var size = SKB_WITH_OVERHEAD(kmalloc_reserve(osize + nhead + ntail));
        var data = new byte[size];

        skb.head.AsSpan(0, skb.tail).CopyTo(data.AsSpan(nhead));
        var old = skb.shinfo;
        var shinfo = new skb_shared_info
        {
            frag_list = old.frag_list,
            gso_size = old.gso_size,
            gso_segs = old.gso_segs,
            gso_type = old.gso_type,
            tx_flags = old.tx_flags,
            nr_frags = old.nr_frags,
        };
        if (old.nr_frags != 0)
        {
            old.frags.AsSpan(0, old.nr_frags).CopyTo(shinfo.frags);
        }

        // A shared buffer stays with its other users: this skb gives up its
        // reference, and each page frag and the frag_list get one for each
        // of the two owners.
        if (skb_cloned(skb))
        {
            // skb_orphan_frags, skb_zcopy: zerocopy is not ported.
            for (var i = 0; i < old.nr_frags; i++)
            {
                skb_frag_ref(skb, i);
            }

            if (skb_has_frag_list(skb))
            {
                skb_clone_fraglist(skb);
            }

            skb_release_data(skb, skb_drop_reason.SKB_CONSUMED);
        }
        else
        {
            skb_free_head(skb);
        }

        skb.head = data;
        skb.data += nhead;
        skb.end = size;
        skb.tail += nhead;
        skb_headers_offset_update(skb, nhead);
        skb.cloned = false;
        skb.shinfo = shinfo;

        // Only the receive path (no owning socket) may change truesize.
        if (skb.sk is null)
        {
            skb.truesize += (uint)(size - osize);
        }

        return 0;
    }

    // net/core/skbuff.c: skb_put
    /// <summary>Extends the data area at the tail; returns the offset of the new bytes. Panics past end.</summary>
    public static int skb_put(sk_buff skb, int len)
    {
        var tmp = skb.tail;
        System.Diagnostics.Debug.Assert(!skb_is_nonlinear(skb));
        skb.tail += len;
        skb.len += len;
        if (skb.tail > skb.end)
        {
            skb_panic(skb, len, "skb_over_panic");
        }

        return tmp;
    }

    // net/core/skbuff.c: skb_push
    /// <summary>Extends the data area at the head into headroom (a header being added, RX-14); panics without headroom.</summary>
    public static int skb_push(sk_buff skb, int len)
    {
        skb.data -= len;
        skb.len += len;
        if (skb.data < 0)
        {
            skb_panic(skb, len, "skb_under_panic");
        }

        return skb.data;
    }

    // net/core/skbuff.c: skb_pull
    /// <summary>Removes <paramref name="len"/> bytes from the start (a header consumed, RX-14); returns the new data offset, or -1 if too short.</summary>
    public static int skb_pull(sk_buff skb, int len)
    {
        if (len > skb.len)
        {
            return -1;
        }

        return __skb_pull(skb, len);
    }

    // net/core/skbuff.c: ___pskb_trim
    /// <summary>
    /// Trims a nonlinear skb to <paramref name="len"/>: the page frag holding
    /// the new end is shortened and the ones after it unreferenced (the whole
    /// frag_list dropped with them); or, when the end lies on the frag_list,
    /// the member holding it is trimmed (a clone of it first, if shared) and
    /// the ones after it freed. 0, or -ENOMEM.
    /// </summary>
    public static int ___pskb_trim(sk_buff skb, int len)
    {
        var offset = skb_headlen(skb);
        var nfrags = (int)skb.shinfo.nr_frags;
        int err;
        var i = 0;

        if (skb_cloned(skb) && (err = pskb_expand_head(skb, 0, 0)) != 0)
        {
            return err;
        }

        if (offset >= len)
        {
            goto drop_pages;
        }

        for (; i < nfrags; i++)
        {
            var end = offset + skb_frag_size(skb.shinfo.frags[i]);
            if (end < len)
            {
                offset = end;
                continue;
            }

            skb_frag_size_set(ref skb.shinfo.frags[i++], len - offset);
            goto drop_pages;
        }

        sk_buff? prev = null;
        for (var frag = skb.shinfo.frag_list; frag is not null; prev = frag, frag = frag.next)
        {
            var end = offset + frag.len;
            if (skb_shared(frag))
            {
                var nfrag = skb_clone(frag);
                if (nfrag is null)
                {
                    return -errno_base_h.ENOMEM;
                }

                nfrag.next = frag.next;
                consume_skb(frag);
                frag = nfrag;
                if (prev is null)
                {
                    skb.shinfo.frag_list = frag;
                }
                else
                {
                    prev.next = frag;
                }
            }

            if (end < len)
            {
                offset = end;
                continue;
            }

            if (end > len && (err = pskb_trim(frag, len - offset)) != 0)
            {
                return err;
            }

            if (frag.next is not null)
            {
                skb_drop_list(frag.next);
                frag.next = null;
            }

            break;
        }

        goto done;

    // restructured: C jumps into the frag loop's body; the label is hoisted out of it
    drop_pages:
        skb.shinfo.nr_frags = (byte)i;
        for (; i < nfrags; i++)
        {
            skb_frag_unref(skb, i);
        }

        if (skb_has_frag_list(skb))
        {
            skb_drop_fraglist(skb);
        }

    done:
        if (len > skb_headlen(skb))
        {
            skb.data_len -= skb.len - len;
            skb.len = len;
        }
        else
        {
            skb.len = len;
            skb.data_len = 0;
            skb_set_tail_pointer(skb, len);
        }

        if (skb.sk is null)
        {
            skb_condense(skb);
        }

        return 0;
    }

    // net/core/skbuff.c: pskb_trim_rcsum_slow
    /// <summary>The trim behind pskb_trim_rcsum; the CHECKSUM_COMPLETE adjustment of skb->csum has nothing to adjust here.</summary>
    public static int pskb_trim_rcsum_slow(sk_buff skb, int len) => __pskb_trim(skb, len);

    // net/core/skbuff.c: __pskb_pull_tail
    /// <summary>
    /// Makes <paramref name="delta"/> more bytes linear: copies them from the
    /// page frags and the frag_list to the end of the head (a bigger head if
    /// it lacks the room or is shared), then drops what was eaten — whole
    /// frags unreferenced, a partly eaten one advanced; whole frag_list
    /// members consumed, a partly eaten one pulled (a clone, if shared).
    /// Returns the new tail, or -1 (NULL in C) and the skb unchanged.
    /// </summary>
    public static int __pskb_pull_tail(sk_buff skb, int delta)
    {
        // Not enough room at the tail: a new head, with 128 bytes to spare.
        var eat = skb.tail + delta - skb.end;
        if (eat > 0 || skb_cloned(skb))
        {
            if (pskb_expand_head(skb, 0, eat > 0 ? eat + 128 : 0) != 0)
            {
                return -1;
            }
        }

        if (skb_copy_bits(skb, skb_headlen(skb), skb.head.AsSpan(skb.tail, delta), delta) != 0)
        {
            throw new InvalidOperationException("__pskb_pull_tail: skb_copy_bits failed (BUG)");
        }

        if (!skb_has_frag_list(skb))
        {
            goto pull_pages;
        }

        // Estimate size of pulled pages.
        eat = delta;
        for (var i = 0; i < skb.shinfo.nr_frags; i++)
        {
            var size = skb_frag_size(skb.shinfo.frags[i]);
            if (size >= eat)
            {
                goto pull_pages;
            }

            eat -= size;
        }

        if (eat == 0)
        {
            goto pull_pages;
        }

        // What the frags do not cover comes off the frag_list.
        sk_buff? list = skb.shinfo.frag_list;
        sk_buff? clone = null;
        sk_buff? insp = null;
        do
        {
            if (list!.len <= eat)
            {
                // Eaten as whole.
                eat -= list.len;
                list = list.next;
                insp = list;
            }
            else
            {
                // Eaten partially.
                if (skb_shared(list))
                {
                    clone = skb_clone(list);
                    if (clone is null)
                    {
                        return -1;
                    }

                    insp = list.next;
                    list = clone;
                }
                else
                {
                    insp = list;
                }

                if (pskb_pull(list, eat) < 0)
                {
                    kfree_skb_reason(clone, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
                    return -1;
                }

                break;
            }
        }
        while (eat != 0);

        // Free pulled out fragments.
        while ((list = skb.shinfo.frag_list) != insp)
        {
            skb.shinfo.frag_list = list!.next;
            list.next = null;
            consume_skb(list);
        }

        // the clone takes the original's place at the head
        if (clone is not null)
        {
            clone.next = list;
            skb.shinfo.frag_list = clone;
        }

    pull_pages:
        eat = delta;
        var k = 0;
        var shinfo = skb.shinfo;
        for (var i = 0; i < shinfo.nr_frags; i++)
        {
            var size = skb_frag_size(shinfo.frags[i]);
            if (size <= eat)
            {
                skb_frag_unref(skb, i);
                eat -= size;
            }
            else
            {
                shinfo.frags[k] = shinfo.frags[i];
                if (eat != 0)
                {
                    skb_frag_off_add(ref shinfo.frags[k], eat);
                    skb_frag_size_sub(ref shinfo.frags[k], eat);
                    if (i == 0)
                    {
                        goto end;
                    }

                    eat = 0;
                }

                k++;
            }
        }

        shinfo.nr_frags = (byte)k;

    end:
        skb.tail += delta;
        skb.data_len -= delta;
        return skb.tail;
    }

    // net/core/skbuff.c: skb_copy_bits
    /// <summary>
    /// Copies <paramref name="len"/> bytes from data+<paramref name="offset"/>
    /// into <paramref name="to"/>: the head's part, then each page frag's,
    /// then each frag_list member's in turn. -EFAULT outside the data. A negative offset reads
    /// headers in front of data (an ICMP error quoting the IP header).
    /// </summary>
    public static int skb_copy_bits(sk_buff skb, int offset, Span<byte> to, int len)
    {
        var start = skb_headlen(skb);
        int copy;

        if (offset > skb.len - len || skb.data + offset < 0)
        {
            goto fault;
        }

        // Copy header.
        if ((copy = start - offset) > 0)
        {
            if (copy > len)
            {
                copy = len;
            }

            skb.head.AsSpan(skb.data + offset, copy).CopyTo(to);
            if ((len -= copy) == 0)
            {
                return 0;
            }

            offset += copy;
            to = to[copy..];
        }

        for (var i = 0; i < skb.shinfo.nr_frags; i++)
        {
            ref var f = ref skb.shinfo.frags[i];
            var end = start + skb_frag_size(f);
            if ((copy = end - offset) > 0)
            {
                if (copy > len)
                {
                    copy = len;
                }

                // skb_frag_foreach_page: a compound page is one array here.
                mm_h.page_address(skb_frag_page(f), skb_frag_off(f) + offset - start, copy).CopyTo(to);
                if ((len -= copy) == 0)
                {
                    return 0;
                }

                offset += copy;
                to = to[copy..];
            }

            start = end;
        }

        for (var frag_iter = skb.shinfo.frag_list; frag_iter is not null; frag_iter = frag_iter.next)
        {
            var end = start + frag_iter.len;
            if ((copy = end - offset) > 0)
            {
                if (copy > len)
                {
                    copy = len;
                }

                if (skb_copy_bits(frag_iter, offset - start, to, copy) != 0)
                {
                    goto fault;
                }

                if ((len -= copy) == 0)
                {
                    return 0;
                }

                offset += copy;
                to = to[copy..];
            }

            start = end;
        }

        if (len == 0)
        {
            return 0;
        }

    fault:
        return -errno_base_h.EFAULT;
    }

    // net/core/skbuff.c: skb_checksum
    /// <summary>
    /// The 32-bit partial checksum of <paramref name="len"/> bytes from
    /// data+<paramref name="offset"/>, added to <paramref name="csum"/>: the
    /// head's part, then each page frag's and each frag_list member's, each block added at its
    /// byte position. A negative offset starts in the headers before data.
    /// </summary>
    public static uint skb_checksum(sk_buff skb, int offset, int len, uint csum)
    {
        var start = skb_headlen(skb);
        var copy = start - offset;
        var pos = 0;

        // Checksum header.
        if (copy > 0)
        {
            if (copy > len)
            {
                copy = len;
            }

            csum = checksum_h.csum_partial(skb.head.AsSpan(skb.data + offset, copy), csum);
            if ((len -= copy) == 0)
            {
                return csum;
            }

            offset += copy;
            pos = copy;
        }

        for (var i = 0; i < skb.shinfo.nr_frags; i++)
        {
            ref var f = ref skb.shinfo.frags[i];
            var end = start + skb_frag_size(f);
            if ((copy = end - offset) > 0)
            {
                if (copy > len)
                {
                    copy = len;
                }

                var csum2 = checksum_h.csum_partial(mm_h.page_address(skb_frag_page(f), skb_frag_off(f) + offset - start, copy), 0);
                csum = checksum_h.csum_block_add(csum, csum2, pos);
                if ((len -= copy) == 0)
                {
                    return csum;
                }

                offset += copy;
                pos += copy;
            }

            start = end;
        }

        for (var frag_iter = skb.shinfo.frag_list; frag_iter is not null; frag_iter = frag_iter.next)
        {
            var end = start + frag_iter.len;
            if ((copy = end - offset) > 0)
            {
                if (copy > len)
                {
                    copy = len;
                }

                var csum2 = skb_checksum(frag_iter, offset - start, copy, 0);
                csum = checksum_h.csum_block_add(csum, csum2, pos);
                if ((len -= copy) == 0)
                {
                    return csum;
                }

                offset += copy;
                pos += copy;
            }

            start = end;
        }

        if (len != 0)
        {
            throw new InvalidOperationException("skb_checksum: length beyond the data (BUG)");
        }

        return csum;
    }

    // net/core/skbuff.c: skb_split_inside_header
    /// <summary>The split point lies in the head: its bytes past <paramref name="len"/> are copied to skb1's head, and every frag moves to skb1.</summary>
    private static void skb_split_inside_header(sk_buff skb, sk_buff skb1, int len, int pos)
    {
        var at = skb_put(skb1, pos - len);
        skb.head.AsSpan(skb.data + len, pos - len).CopyTo(skb1.head.AsSpan(at, pos - len));

        // the paged part goes over as it is
        for (var i = 0; i < skb.shinfo.nr_frags; i++)
        {
            skb1.shinfo.frags[i] = skb.shinfo.frags[i];
        }

        skb1.shinfo.nr_frags = skb.shinfo.nr_frags;
        skb.shinfo.nr_frags = 0;
        skb1.data_len = skb.data_len;
        skb1.len += skb1.data_len;
        skb.data_len = 0;
        skb.len = len;
        skb_set_tail_pointer(skb, len);
    }

    // net/core/skbuff.c: skb_split_no_header
    /// <summary>The split point lies in the frags: the frags after it move to skb1, and one it cuts through is shared by both (a second page reference), each holding its side.</summary>
    private static void skb_split_no_header(sk_buff skb, sk_buff skb1, int len, int pos)
    {
        var k = 0;
        var nfrags = (int)skb.shinfo.nr_frags;

        skb.shinfo.nr_frags = 0;
        skb1.len = skb1.data_len = skb.len - len;
        skb.len = len;
        skb.data_len = len - pos;

        for (var i = 0; i < nfrags; i++)
        {
            var size = skb_frag_size(skb.shinfo.frags[i]);

            if (pos + size > len)
            {
                skb1.shinfo.frags[k] = skb.shinfo.frags[i];

                if (pos < len)
                {
                    // the frag is cut in two: each skb keeps its side
                    skb_frag_ref(skb, i);
                    skb_frag_off_add(ref skb1.shinfo.frags[0], len - pos);
                    skb_frag_size_sub(ref skb1.shinfo.frags[0], len - pos);
                    skb_frag_size_set(ref skb.shinfo.frags[i], len - pos);
                    skb.shinfo.nr_frags++;
                }

                k++;
            }
            else
            {
                skb.shinfo.nr_frags++;
            }

            pos += size;
        }

        skb1.shinfo.nr_frags = (byte)k;
    }

    // net/core/skbuff.c: skb_split
    /// <summary>
    /// Cuts <paramref name="skb"/> at <paramref name="len"/>: what lies after
    /// goes to <paramref name="skb1"/> (an empty skb of the caller's) — frags
    /// moved or shared, head bytes copied. Lengths only: truesize is the
    /// caller's to move.
    /// </summary>
    public static void skb_split(sk_buff skb, sk_buff skb1, int len)
    {
        var pos = skb_headlen(skb);

        // skb_zcopy_downgrade_managed, skb_zerocopy_clone: zerocopy is not ported.
        if (len < pos)
        {
            skb_split_inside_header(skb, skb1, len, pos);
        }
        else
        {
            skb_split_no_header(skb, skb1, len, pos);
        }
    }

    // net/core/skbuff.c: skb_prepare_for_shift
    /// <summary>Frags cannot move between skbs whose shared info a clone still sees: a private copy first (truesize kept).</summary>
    private static int skb_prepare_for_shift(sk_buff skb) => skb_unclone_keeptruesize(skb);

    // net/core/skbuff.c: skb_shift
    /// <summary>
    /// Moves up to <paramref name="shiftlen"/> bytes of <paramref name="skb"/>'s
    /// page frags to the end of <paramref name="tgt"/>'s: its first frag
    /// merged into tgt's last when they continue each other in one page,
    /// whole frags handed over, the last one cut (shared by both). Returns the
    /// bytes shifted: 0, and nothing changed, when skb has linear data, tgt
    /// runs out of frags or an unclone fails. An skb left empty is the
    /// caller's to free.
    /// </summary>
    public static int skb_shift(sk_buff tgt, sk_buff skb, int shiftlen)
    {
        int from, to, merge, todo;

        if (shiftlen > skb.len)
        {
            throw new InvalidOperationException("skb_shift: more than the skb holds (BUG)");
        }

        if (skb_headlen(skb) != 0)
        {
            return 0;
        }

        if (skb_zcopy(tgt) || skb_zcopy(skb))
        {
            return 0;
        }

        todo = shiftlen;
        from = 0;
        to = tgt.shinfo.nr_frags;

        // The merge is done last, once the whole shift is known to succeed.
        if (!skb_can_coalesce(tgt, to, skb_frag_page(skb.shinfo.frags[from]), skb_frag_off(skb.shinfo.frags[from])))
        {
            merge = -1;
        }
        else
        {
            merge = to - 1;

            todo -= skb_frag_size(skb.shinfo.frags[from]);
            if (todo < 0)
            {
                if (skb_prepare_for_shift(skb) != 0 || skb_prepare_for_shift(tgt) != 0)
                {
                    return 0;
                }

                // the shared infos may be new ones: index afresh
                skb_frag_size_add(ref tgt.shinfo.frags[merge], shiftlen);
                skb_frag_size_sub(ref skb.shinfo.frags[from], shiftlen);
                skb_frag_off_add(ref skb.shinfo.frags[from], shiftlen);

                goto onlymerged;
            }

            from++;
        }

        // Skip a whole skb that cannot fit, before doing anything costly.
        if (shiftlen == skb.len && (skb.shinfo.nr_frags - from) > (MAX_SKB_FRAGS - to))
        {
            return 0;
        }

        if (skb_prepare_for_shift(skb) != 0 || skb_prepare_for_shift(tgt) != 0)
        {
            return 0;
        }

        while (todo > 0 && from < skb.shinfo.nr_frags)
        {
            if (to == MAX_SKB_FRAGS)
            {
                return 0;
            }

            ref var fragfrom = ref skb.shinfo.frags[from];
            ref var fragto = ref tgt.shinfo.frags[to];

            if (todo >= skb_frag_size(fragfrom))
            {
                fragto = fragfrom;
                todo -= skb_frag_size(fragfrom);
                from++;
                to++;
            }
            else
            {
                __skb_frag_ref(fragfrom);
                fragto.netmem = fragfrom.netmem;
                fragto.offset = fragfrom.offset;
                skb_frag_size_set(ref fragto, todo);

                skb_frag_off_add(ref fragfrom, todo);
                skb_frag_size_sub(ref fragfrom, todo);
                todo = 0;

                to++;
                break;
            }
        }

        // Commit to tgt.
        tgt.shinfo.nr_frags = (byte)to;

        if (merge >= 0)
        {
            ref var fragfrom = ref skb.shinfo.frags[0];
            skb_frag_size_add(ref tgt.shinfo.frags[merge], skb_frag_size(fragfrom));
            __skb_frag_unref(fragfrom, false);
        }

        // What is left of skb moves to the front of its array.
        to = 0;
        while (from < skb.shinfo.nr_frags)
        {
            skb.shinfo.frags[to++] = skb.shinfo.frags[from++];
        }

        skb.shinfo.nr_frags = (byte)to;

        if (todo > 0 && skb.shinfo.nr_frags == 0)
        {
            throw new InvalidOperationException("skb_shift: frags ran out before the length (BUG)");
        }

    onlymerged:
        // the checksum is left to whoever sends the bytes again
        tgt.ip_summed = CHECKSUM_PARTIAL;
        skb.ip_summed = CHECKSUM_PARTIAL;

        skb_len_add(skb, -shiftlen);
        skb_len_add(tgt, shiftlen);

        return shiftlen;
    }

    // net/core/skbuff.c: skb_dequeue
    public static sk_buff? skb_dequeue(sk_buff_head list) => __skb_dequeue(list);

    // net/core/skbuff.c: skb_queue_tail
    public static void skb_queue_tail(sk_buff_head list, sk_buff newsk) => __skb_queue_tail(list, newsk);

    // net/core/skbuff.c: skb_queue_purge_reason
    /// <summary>Frees everything queued, each with <paramref name="reason"/>.</summary>
    public static void skb_queue_purge_reason(sk_buff_head list, skb_drop_reason reason, [CallerMemberName] string location = "")
    {
        while (__skb_dequeue(list) is { } skb)
        {
            sk_skb_reason_drop(null, skb, reason, location);
        }
    }

    // net/core/skbuff.c: skb_rbtree_purge
    /// <summary>Frees every skb of an ordered queue (TCP's out-of-order queue: a list here, an rbtree in C) with kfree_skb; returns their truesize.</summary>
    public static uint skb_rbtree_purge(System.Collections.Generic.List<sk_buff>? root)
    {
        uint sum = 0;
        if (root is null)
        {
            return 0;
        }

        foreach (var skb in root)
        {
            sum += skb.truesize;
            sk_skb_reason_drop(null, skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED, nameof(skb_rbtree_purge));
        }

        root.Clear();
        return sum;
    }

    // net/core/skbuff.c: kfree_skb_partial
    /// <summary>Frees an skb whose data was taken by skb_try_coalesce: no tracepoint (it is not a drop, nor a consume).</summary>
    [Consumes("skb")]
    public static void kfree_skb_partial(sk_buff skb, bool head_stolen, [CallerMemberName] string where = "")
    {
        if (head_stolen)
        {
            skb_release_head_state(skb);
            kfree_skbmem(skb, where);
        }
        else
        {
            __kfree_skb(skb, where);
        }
    }

    // net/core/skbuff.c: skb_try_coalesce
    /// <summary>
    /// Appends <paramref name="from"/>'s data to <paramref name="to"/>: by a
    /// copy when it fits in to's tailroom, else by handing from's page frags
    /// over to the end of to's frags (references taken if from is a clone,
    /// moved otherwise), when the two frag arrays fit in one. from's head
    /// could go over as a frag too if it were a page frag; every head here is
    /// kmalloc'd (skb_head_is_locked), so an skb with linear data is not
    /// coalesced that way. <paramref name="delta_truesize"/> is the truesize
    /// to took on; false when nothing was done.
    /// </summary>
    public static bool skb_try_coalesce(sk_buff to, sk_buff from, out bool fragstolen, out int delta_truesize)
    {
        var len = from.len;
        int delta;
        fragstolen = false;
        delta_truesize = 0;

        if (skb_cloned(to))
        {
            return false;
        }

        // pp_recycle and skb_frags_readable: no page_pool, no unreadable (devmem) frags.
        if (len <= skb_tailroom(to))
        {
            if (len != 0 && skb_copy_bits(from, 0, to.head.AsSpan(skb_put(to, len), len), len) != 0)
            {
                throw new InvalidOperationException("skb_try_coalesce: skb_copy_bits failed (BUG)");
            }

            delta_truesize = 0;
            return true;
        }

        var to_shinfo = to.shinfo;
        var from_shinfo = from.shinfo;
        if (to_shinfo.frag_list is not null || from_shinfo.frag_list is not null)
        {
            return false;
        }

        if (skb_zcopy(to) || skb_zcopy(from))
        {
            return false;
        }

        if (skb_headlen(from) != 0)
        {
            if (to_shinfo.nr_frags + from_shinfo.nr_frags >= MAX_SKB_FRAGS)
            {
                return false;
            }

            // skb_head_is_locked: from's head would become a frag of to
            // (fragstolen) if it were a page frag; every head here is kmalloc'd.
            // not ported: stealing a page-frag head (virt_to_head_page) — no head is one.
            return false;
        }
        else
        {
            if (to_shinfo.nr_frags + from_shinfo.nr_frags > MAX_SKB_FRAGS)
            {
                return false;
            }

            delta = (int)from.truesize - SKB_TRUESIZE(skb_end_offset(from));
        }

        System.Diagnostics.Debug.Assert(delta >= len, "skb_try_coalesce: truesize below the data (WARN_ON_ONCE)");

        from_shinfo.frags.AsSpan(0, from_shinfo.nr_frags).CopyTo(to_shinfo.frags.AsSpan(to_shinfo.nr_frags));
        to_shinfo.nr_frags += from_shinfo.nr_frags;

        if (!skb_cloned(from))
        {
            from_shinfo.nr_frags = 0;
        }

        // skb_pp_frag_ref: not a page_pool skb, so each frag still held by a
        // clone of from takes a plain page reference (none when moved above).
        for (var i = 0; i < from_shinfo.nr_frags; i++)
        {
            __skb_frag_ref(from_shinfo.frags[i]);
        }

        to.truesize = (uint)(to.truesize + delta);
        to.len += len;
        to.data_len += len;

        delta_truesize = delta;
        return true;
    }

    // net/core/skbuff.c: skb_condense
    /// <summary>
    /// Before queueing on a busy socket: pulls a small frag_list into the
    /// head's tailroom (its members consumed) and charges only the head.
    /// </summary>
    public static void skb_condense(sk_buff skb)
    {
        if (skb.data_len != 0)
        {
            if (skb.data_len > skb.end - skb.tail || skb_cloned(skb))
            {
                return;
            }

            __pskb_pull_tail(skb, skb.data_len);
        }

        skb.truesize = (uint)(SKB_DATA_ALIGN(skb_end_offset(skb) + SKB_SHINFO_SIZE) + SKB_TRUESIZE_OVERHEAD);
    }

    // net/core/skbuff.c: skb_segment
    /// <summary>
    /// Cuts a GSO skb into gso_size pieces: each segment is a new linear skb
    /// holding a copy of every header in front of <paramref name="head_skb"/>'s
    /// data (from the MAC header on) followed by its share of the payload, and
    /// starts at its MAC header. The segments are chained by next (the last
    /// one reachable as segs.prev); the protocol handlers fix their headers
    /// afterwards. <paramref name="head_skb"/> is left as it was. Null when an
    /// allocation fails (the kernel's ERR_PTR(-ENOMEM)).
    /// departure: only the linear case — the port's GSO skbs (TCP's) have no
    /// page frags and no frag_list, so sg and fraglist segmentation never arise.
    /// </summary>
    public static sk_buff? skb_segment(sk_buff head_skb, ulong features)
    {
        var mss = (int)head_skb.shinfo.gso_size;
        var doffset = head_skb.data - skb_mac_header(head_skb);
        var headroom = skb_headroom(head_skb) - doffset;
        var len = head_skb.len;
        sk_buff? segs = null, tail = null;
        _ = features;

        for (var offset = 0; offset < len; offset += mss)
        {
            var seg_len = Math.Min(mss, len - offset);
            var nskb = __alloc_skb(head_skb.k, headroom + doffset + seg_len, 0);
            if (nskb is null)
            {
                kfree_skb_list(segs);
                return null;
            }

            skb_reserve(nskb, headroom);
            __copy_skb_header(nskb, head_skb);
            skb_put(nskb, doffset + seg_len);

            // the header offsets keep their distance from the data start
            nskb.mac_header = (ushort)nskb.data;
            nskb.network_header = (ushort)(nskb.data + (head_skb.network_header - skb_mac_header(head_skb)));
            nskb.transport_header = (ushort)(nskb.data + (head_skb.transport_header - skb_mac_header(head_skb)));
            nskb.mac_len = (ushort)(nskb.network_header - nskb.mac_header);

            head_skb.head.AsSpan(skb_mac_header(head_skb), doffset).CopyTo(nskb.head.AsSpan(nskb.data, doffset));
            if (skb_copy_bits(head_skb, offset, nskb.head.AsSpan(nskb.data + doffset, seg_len), seg_len) != 0)
            {
                throw new InvalidOperationException("skb_segment: skb_copy_bits failed (BUG)");
            }

            if (segs is null)
            {
                segs = nskb;
            }
            else
            {
                tail!.next = nskb;
            }

            tail = nskb;
        }

        segs!.prev = tail;
        return segs;
    }

    // net/core/skbuff.c: kfree_skb_napi_cache
    /// <summary>
    /// The in-place end of a deferred free: straight back to the NAPI cache with
    /// bottom halves off. It passes no tracepoint, which is why a UDP datagram
    /// read on the CPU that received it shows no consume_skb in a 6.18 trace.
    /// </summary>
    [Consumes("skb")]
    private static void kfree_skb_napi_cache(sk_buff skb, string where)
    {
        var k = skb.k;
        bottom_half_h.local_bh_disable(k);
        __napi_kfree_skb(skb, skb_drop_reason.SKB_CONSUMED, where);
        bottom_half_h.local_bh_enable(k);
    }

    // net/core/skbuff.c: skb_attempt_defer_free
    /// <summary>
    /// Frees a consumed skb on the CPU that allocated it: on that CPU now
    /// (kfree_skb_napi_cache), from another one by queueing it on the owner's
    /// defer list, freed at its next NET_RX (skb_defer_free_flush) — unless
    /// that list already holds net.core.skb_defer_max skbs.
    /// </summary>
    [Consumes("skb")]
    public static void skb_attempt_defer_free(sk_buff skb, [CallerMemberName] string location = "")
    {
        var k = skb.k;
        var cpu = skb.alloc_cpu;
        if (cpu == k.smp_processor_id() || cpu >= k.nr_cpu_ids)
        {
            kfree_skb_napi_cache(skb, location);
            return;
        }

        var sd = k.per_cpu(cpu).softnet_data;
        if (++sd.defer_count >= k.net_hotdata.sysctl_skb_defer_max)
        {
            kfree_skb_napi_cache(skb, location);
            return;
        }

        skb_release_head_state(skb);
        __skb_queue_tail(sd.defer_list, skb);
        // The kernel kicks the owner CPU with an IPI when the list is half
        // full (kick_defer_list_purge); here its next net_rx_action flushes it.
    }
}
