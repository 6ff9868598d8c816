// Ports net/core/skbuff.c: allocating, cloning, copying and freeing sk_buffs,
// and walking data that goes on past the head into page frags and the
// frag_list (skb_copy_bits, skb_checksum, __pskb_pull_tail, ___pskb_trim),
// moving frags between skbs (skb_split, skb_shift, skb_try_coalesce), and
// skb_rbtree_purge for TCP's out-of-order queue (a list here).
//
// Heads are kmalloc'd, except a driver's build_skb head (head_frag: a
// piece of a page, stolen as a frag by skb_try_coalesce and GRO). sk_buffs
// come from skbuff_head_cache, TCP's from skbuff_fclone_cache with the
// companion skb_clone hands out, and NAPI's through the per-CPU
// napi_alloc_cache; freed ones go back there and are reused (kmem_cache's
// object freelist, mm/slub.cs).
// not ported: the skbuff_small_head cache (small heads are kmalloc'd like
// the rest), bulk free (kfree_skb_add_bulk frees one by one),
// napi_skb_cache_get_bulk (only XDP's veth path uses it), skb_segment's sg and frag_list cases (segments are
// built linear, by copy), skb->csum (checksums are recomputed where they
// are verified), page_pool recycling, managed zerocopy frags (io_uring) and
// the nouarg zerocopy of vhost. MSG_ZEROCOPY's buffer (msg_zerocopy_*), its
// completion on the error queue, copying user frags away (skb_copy_ubufs),
// the error queue itself and TX timestamps (__skb_tstamp_tx) are here.
// departure: a head's skb_shared_info is a C# object that travels with it:
// taken at allocation (skb_shinfo_alloc) and handed back when the head is
// freed (skb_free_head), to a per-kernel freelist beside kmalloc's.
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

/// <summary>
/// struct napi_alloc_cache: sk_buffs that NAPI freed on this CPU, handed out
/// again by its next NAPI allocations without a trip to the slab.
/// not ported: the page frag cache (page) and bh_lock (one thread).
/// </summary>
public sealed class napi_alloc_cache
{
    /// <summary>skb_count: how many of <see cref="skb_cache"/> hold an sk_buff.</summary>
    public int skb_count { get; set; }

    /// <summary>skb_cache[NAPI_SKB_CACHE_SIZE]: a stack, the most recently freed on top.</summary>
    public sk_buff?[] skb_cache { get; } = new sk_buff?[skbuff_c.NAPI_SKB_CACHE_SIZE];
}

public static class skbuff_c
{
    /// <summary>NAPI_SKB_CACHE_SIZE: the sk_buffs a CPU's napi_alloc_cache holds.</summary>
    public const int NAPI_SKB_CACHE_SIZE = 64;

    /// <summary>NAPI_SKB_CACHE_BULK: how many an empty cache takes from the slab at once.</summary>
    public const int NAPI_SKB_CACHE_BULK = 16;

    /// <summary>NAPI_SKB_CACHE_HALF: what a full cache keeps when it gives the rest back to the slab.</summary>
    public const int NAPI_SKB_CACHE_HALF = NAPI_SKB_CACHE_SIZE / 2;

    /// <summary>
    /// The freed objects each skb slab keeps in quarantine before handing
    /// them out again (see kmem_cache.quarantine): a double free or a use of a
    /// freed skb within this many frees is still caught by the skb ledger.
    /// </summary>
    public const int SKB_QUARANTINE = 64;

    /// <summary>
    /// The skb's allocation is recorded: a fresh address for the traces, the
    /// allocating function for leak reports, and the ledger's entry.
    /// </summary>
    [NotInLinux("the simulation's accounting of skbs (kmemleak/KASAN in a debug kernel) and its trace address")]
    [Borrows("skb")]
    private static void skb_ledger_alloc(Vmlinux k, sk_buff skb, string site)
    {
        skb.addr = k.alloc_address(SKB_TRUESIZE_OVERHEAD);
        skb.alloc_site = site;
        k.skb_ledger.OnAlloc(skb);
    }

    /// <summary>The skb's free is recorded; a second free, or a free of an skb never allocated, is a bug the ledger reports.</summary>
    [NotInLinux("the simulation's accounting of skbs (kmemleak/KASAN in a debug kernel)")]
    [Borrows("skb")]
    private static void skb_ledger_free(sk_buff skb, string where)
    {
        skb.k.skb_ledger.OnFree(skb, where);
        skb.freed = true;
    }

    /// <summary>A shared info for a new head: one a freed head left, or a new one; cleared as __finalize_skb_around clears it.</summary>
    [NotInLinux("the shared info lives in the head's last bytes in C: it comes with the head")]
    private static skb_shared_info skb_shinfo_alloc(Vmlinux k)
    {
        var freelist = k.net_hotdata.skb_shinfo_freelist;
        var shinfo = freelist.Count > 0 ? freelist.Pop() : new skb_shared_info();
        shinfo.memset_to_dataref();
        return shinfo;
    }

    /// <summary>A head's shared info goes with it: back on the freelist for the next head, holding no skb or argument meanwhile.</summary>
    [NotInLinux("the shared info lives in the head's last bytes in C: it goes with the head")]
    private static void skb_shinfo_free(Vmlinux k, skb_shared_info shinfo)
    {
        shinfo.frag_list = null;
        shinfo.destructor_arg = null;
        k.net_hotdata.skb_shinfo_freelist.Push(shinfo);
    }

    // net/core/skbuff.c: napi_skb_cache_get
    /// <summary>
    /// An sk_buff from this CPU's NAPI cache, refilled from skbuff_head_cache
    /// when empty (NAPI_SKB_CACHE_BULK at once). Not cleared: the caller's
    /// memset does that. NAPI (softirq) context.
    /// </summary>
    private static sk_buff napi_skb_cache_get(Vmlinux k)
    {
        // not ported: kmem_cache_alloc_bulk — the refill is NAPI_SKB_CACHE_BULK single kmem_cache_alloc_noprof calls (SLUB's bulk path is that loop over the freelist); it does not fail here
        // not ported: kmem_cache_size — it sizes kasan_mempool_unpoison_object, not ported: the ledger and the slab's quarantine stand for KASAN
        // local_lock_nested_bh: one thread, nothing else touches this CPU's cache.
        var nc = k.this_cpu().napi_alloc_cache;
        if (nc.skb_count == 0)
        {
            var cache = k.net_hotdata.skbuff_cache;
            for (; nc.skb_count < NAPI_SKB_CACHE_BULK; nc.skb_count++)
            {
                nc.skb_cache[nc.skb_count] = Mm.slub_c.kmem_cache_alloc_noprof<sk_buff>(cache) ?? new sk_buff(k);
            }
        }

        var skb = nc.skb_cache[--nc.skb_count]!;
        nc.skb_cache[nc.skb_count] = null;
        return skb;
    }

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
        // not ported: kmalloc_node_track_caller, kmem_cache_alloc_node — only the size kmalloc would round to is computed here; __alloc_skb takes the head from kmalloc's freelist of that size (mm/slub.cs)
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
        // not ported: kmem_cache_alloc_node — kmem_cache_alloc_noprof of the chosen cache (one node); kmem_cache_free — neither allocation fails here, so nothing is given back
        // not ported: sk_memalloc_socks — no pfmemalloc reserves
        // not ported: __build_skb_around — __finalize_skb_around is called directly (kmalloc's head is never a frag)
        var cache = (flags & SKB_ALLOC_FCLONE) != 0 ? k.net_hotdata.skbuff_fclone_cache : k.net_hotdata.skbuff_cache;
        sk_buff skb;
        sk_buff_fclones? fclones = null;
        if ((flags & (SKB_ALLOC_FCLONE | SKB_ALLOC_NAPI)) == SKB_ALLOC_NAPI)
        {
            skb = napi_skb_cache_get(k);
        }
        else if ((flags & SKB_ALLOC_FCLONE) != 0)
        {
            fclones = Mm.slub_c.kmem_cache_alloc_noprof<sk_buff_fclones>(cache) ?? new sk_buff_fclones(k);
            skb = fclones.skb1;
        }
        else
        {
            skb = Mm.slub_c.kmem_cache_alloc_noprof<sk_buff>(cache) ?? new sk_buff(k);
        }

        var data_size = SKB_WITH_OVERHEAD(kmalloc_reserve(size));
        skb.memset_to_tail();
        __finalize_skb_around(k, skb, Mm.slub_c.__do_kmalloc_node(k, data_size), 0, data_size);
        if (fclones is not null)
        {
            // container_of(skb, struct sk_buff_fclones, skb1)
            skb.fclone = SKB_FCLONE_ORIG;
            skb.fclones = fclones;
            fclones.fclone_ref = 1;
        }

        skb_ledger_alloc(k, skb, site);
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
        // not ported: alloc_page, alloc_pages, alloc_skb, kfree_skb, skb_fill_page_desc — no pages are allocated: the data goes to the head and only the truesize the page frags would add is charged
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
        // not ported: in_hardirq, irqs_disabled, local_bh_disable, local_bh_enable — they guard the per-CPU page frag cache, which is not ported
        // not ported: SKB_HEAD_ALIGN, SKB_WITH_OVERHEAD, __build_skb, skb_free_frag, sk_memalloc_socks — the head is not carved from a page frag cache; no pfmemalloc reserves
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
        // not ported: SKB_HEAD_ALIGN, SKB_WITH_OVERHEAD, __alloc_skb, __napi_build_skb, in_softirq, sk_memalloc_socks, skb_free_frag — the head is not carved from the NAPI page frag cache; no pfmemalloc reserves
        var skb = __netdev_alloc_skb(napi.dev, len + NET_IP_ALIGN, site);
        if (skb is not null)
        {
            skb_reserve(skb, NET_IP_ALIGN);
        }

        return skb;
    }

    // net/core/skbuff.c: __napi_build_skb
    /// <summary>
    /// Builds an skb whose head is <paramref name="frag_size"/> bytes of
    /// <paramref name="page"/> from <paramref name="offset"/> (a page frag a
    /// driver's device already wrote): no copy. The frag's last
    /// SKB_SHINFO_SIZE bytes are the shared info's room, so end stops before
    /// them. truesize is SKB_TRUESIZE of what is left.
    /// </summary>
    public static sk_buff? __napi_build_skb(Vmlinux k, page page, int offset, int frag_size, [CallerMemberName] string site = "")
    {
        // not ported: __build_skb_around — __finalize_skb_around is called directly over the page frag
        var skb = napi_skb_cache_get(k);
        skb.memset_to_tail();
        __finalize_skb_around(k, skb, page.mem, offset, frag_size - SKB_DATA_ALIGN(SKB_SHINFO_SIZE));
        skb.head_page = page;
        skb_ledger_alloc(k, skb, site);
        return skb;
    }

    // net/core/skbuff.c: __finalize_skb_around
    /// <summary>
    /// Puts a head under an skb its caller's memset cleared: <paramref name="size"/> bytes of
    /// <paramref name="head"/> from <paramref name="offset"/> for data (the shared info's room
    /// already taken off, which C does here), data and tail at their start, truesize for them, and a
    /// cleared shared info.
    /// </summary>
    [Borrows("skb")]
    private static void __finalize_skb_around(Vmlinux k, sk_buff skb, byte[] head, int offset, int size)
    {
        // not ported: refcount_set — users is 1 from the memset (memset_to_tail); skb_reset_tail_pointer, skb_set_end_offset —
        //   written out on tail and end; mac_header and transport_header ~0 come from the memset; skb_shinfo — the
        //   shared info is an object that comes with the head (skb_shinfo_alloc clears it as the memset to dataref);
        //   skb_set_kcov_handle — no kcov; SKB_DATA_ALIGN — the callers take the shared info's room off (a kmalloc'd head
        //   holds none here); raw_smp_processor_id — smp_processor_id, the same CPU on one thread
        skb.head = head;
        skb.head_base = offset;
        skb.data = offset;
        skb.tail = offset;
        skb.end = offset + size;
        skb.truesize = (uint)SKB_TRUESIZE(size);
        skb.alloc_cpu = k.smp_processor_id();
        skb.shinfo = skb_shinfo_alloc(k);
    }

    // net/core/skbuff.c: napi_build_skb
    /// <summary>An skb around a page frag in NAPI context; head_frag set, so freeing the head drops the page reference the caller handed over.</summary>
    public static sk_buff? napi_build_skb(Vmlinux k, page page, int offset, int frag_size, [CallerMemberName] string site = "")
    {
        // not ported: skb_propagate_pfmemalloc, virt_to_head_page — no pages under the head: no pfmemalloc to propagate
        var skb = __napi_build_skb(k, page, offset, frag_size, site);
        if (skb is not null && frag_size != 0)
        {
            skb.head_frag = true;
        }

        return skb;
    }

    // net/core/skbuff.c: skb_add_rx_frag_netmem
    /// <summary>Appends <paramref name="size"/> bytes of <paramref name="page"/> as frag <paramref name="i"/>; the caller's page reference goes with it, and truesize grows by <paramref name="truesize"/>.</summary>
    [Borrows("skb")]
    public static void skb_add_rx_frag_netmem(sk_buff skb, int i, page page, int off, int size, uint truesize)
    {
        // not ported: skb_fill_netmem_desc — the frag is filled by its fields directly
        System.Diagnostics.Debug.Assert(size <= truesize);
        skb_fill_page_desc(skb, i, page, off, size);
        skb.len += size;
        skb.data_len += size;
        skb.truesize += truesize;
    }

    // net/core/skbuff.c: skb_coalesce_rx_frag
    /// <summary>Grows frag <paramref name="i"/> by <paramref name="size"/> bytes that follow it in the same page (the caller dropped its extra page reference); truesize grows by <paramref name="truesize"/>.</summary>
    [Borrows("skb")]
    public static void skb_coalesce_rx_frag(sk_buff skb, int i, int size, uint truesize)
    {
        // not ported: skb_shinfo — the port's sk_buff holds its shared info as skb.shinfo
        skb_frag_size_add(ref skb.shinfo.frags[i], size);
        skb.len += size;
        skb.data_len += size;
        skb.truesize += truesize;
        System.Diagnostics.Debug.Assert(skb.len >= skb.data_len, "more paged bytes than bytes");
    }

    // net/core/skbuff.c: skb_panic
    /// <summary>A push past the headroom or a put past the end: a kernel BUG (skb_over_panic/skb_under_panic).</summary>
    [DoesNotReturn]
    [Borrows("skb")]
    private static void skb_panic(sk_buff skb, int sz, string msg)
    {
        throw new InvalidOperationException($"skbuff: {msg}: len:{sz} put:{skb.len} head:{skb.head.Length} data:{skb.data} tail:{skb.tail} end:{skb.end}");
    }

    // net/core/skbuff.c: skb_drop_list
    /// <summary>Frees a chain of skbs cut off a frag_list; the caller clears the link that held it (*listp = NULL in C). Inlined in C: traces name the caller.</summary>
    [Consumes("list")]
    private static void skb_drop_list(sk_buff? list, [CallerMemberName] string location = "")
    {
        kfree_skb_list(list, location);
    }

    // net/core/skbuff.c: skb_drop_fraglist
    [Borrows("skb")]
    private static void skb_drop_fraglist(sk_buff skb, [CallerMemberName] string location = "")
    {
        skb_drop_list(skb.shinfo.frag_list, location);
        skb.shinfo.frag_list = null;
    }

    // net/core/skbuff.c: skb_clone_fraglist
    /// <summary>A reference on each frag_list member for a second owner of the list (pskb_expand_head of a cloned skb).</summary>
    [Borrows("skb")]
    private static void skb_clone_fraglist(sk_buff skb)
    {
        // not ported: skb_walk_frags — the frag_list is a C# list walked directly
        for (var list = skb.shinfo.frag_list; list is not null; list = list.next)
        {
            skb_get(list);
        }
    }

    // net/core/skbuff.c: skb_free_head
    /// <summary>A page-frag head gives back its page reference (skb_free_frag); a kmalloc'd one goes back to kmalloc's freelist (kfree).</summary>
    [Borrows("skb")]
    private static void skb_free_head(sk_buff skb)
    {
        // not ported: skb_end_offset, skb_free_frag, skb_kfree_head, skb_pp_recycle — a page-frag head drops its page with put_page, otherwise the byte array goes back through kfree (skb_kfree_head's two caches are one freelist per size here); no page pool
        if (skb.head_frag && skb.head_page is { } page)
        {
            mm_h.put_page(page);
        }
        else if (!skb.head_frag)
        {
            Mm.slub_c.kfree(skb.k, skb.head);
        }

        // the shared info lies in the head's last bytes: it goes with it
        skb_shinfo_free(skb.k, skb.shinfo);

        skb.head = Array.Empty<byte>();
        skb.head_page = null;
        skb.head_frag = false;
        skb.head_base = 0;
    }

    // net/core/skbuff.c: skb_release_data
    /// <summary>
    /// Drops this skb's reference to the data buffer; the last one drops the
    /// page frags' references and frees the buffer and the skbs on its
    /// frag_list, each with <paramref name="reason"/>
    /// (kfree_skb_list_reason: consume_skb or kfree_skb traced from here).
    /// </summary>
    [Borrows("skb")]
    private static void skb_release_data(sk_buff skb, skb_drop_reason reason)
    {
        var shinfo = skb.shinfo;
        if (!skb_data_unref(skb, shinfo))
        {
            goto exit;
        }

        if (skb_zcopy(skb) is not null)
        {
            var skip_unref = (shinfo.flags & SKBFL_MANAGED_FRAG_REFS) != 0;

            // the last holder of the user's pages: the zerocopy buffer learns they left uncopied
            skb_zcopy_clear(skb, true);
            if (skip_unref)
            {
                goto free_head;
            }
        }

        for (var i = 0; i < shinfo.nr_frags; i++)
        {
            __skb_frag_unref(shinfo.frags[i], false);
        }

    free_head:

        if (shinfo.frag_list is { } list)
        {
            shinfo.frag_list = null;
            kfree_skb_list_reason(list, reason);
        }

        skb_free_head(skb);

    exit:
        // Freed, or left to the clones that still share it: not this skb's any more.
        skb.head = Array.Empty<byte>();
        skb.head_page = null;
        skb.head_frag = false;
        skb.head_base = 0;
    }

    // net/core/skbuff.c: kfree_skbmem
    /// <summary>
    /// The sk_buff goes back to its slab: skbuff_head_cache, or, for half of
    /// an fclone pair, the pair goes back to skbuff_fclone_cache once both
    /// halves are free (the original with no clone out frees it at once).
    /// </summary>
    [Consumes("skb")]
    private static void kfree_skbmem(sk_buff skb, string where)
    {
        skb_ledger_free(skb, where);
        var hot = skb.k.net_hotdata;
        sk_buff_fclones fclones;
        switch (skb.fclone)
        {
            case SKB_FCLONE_UNAVAILABLE:
                Mm.slub_c.kmem_cache_free(hot.skbuff_cache, skb);
                return;

            case SKB_FCLONE_ORIG:
                fclones = skb.fclones!;

                // the clone usually goes first (TX completion): the original then holds the last reference
                if (fclones.fclone_ref == 1)
                {
                    goto fastpath;
                }

                break;

            default: // SKB_FCLONE_CLONE
                fclones = skb.fclones!;
                break;
        }

        if (--fclones.fclone_ref != 0)
        {
            return;
        }

    fastpath:
        Mm.slub_c.kmem_cache_free(hot.skbuff_fclone_cache, fclones);
    }

    // net/core/skbuff.c: skb_release_head_state
    /// <summary>Drops the route and runs the destructor (uncharging the owning socket).</summary>
    [Borrows("skb")]
    private static void skb_release_head_state(sk_buff skb)
    {
        // not ported: in_hardirq, nf_conntrack_put, skb_dst_drop, skb_ext_put, skb_nfct — the dst field is cleared without dst_release, so the reference a route counts for the skb (dst.__rcuref) is never given back (a known drift, not yet mended); the conntrack reference goes through nf_reset_ct; no skb extensions; in_hardirq only feeds a WARN
        skb.dst = null;
        if (skb.destructor is not null)
        {
            var d = skb.destructor;
            skb.destructor = null;
            d(skb);
        }

        // nf_reset_ct: the packet's reference on its conntrack goes with it.
        Include.Linux.skbuff_h.nf_reset_ct(skb);
    }

    // net/core/skbuff.c: skb_release_all
    /// <summary>Frees everything but the sk_buff itself; frag_list members go with <paramref name="reason"/>.</summary>
    [Borrows("skb")]
    private static void skb_release_all(sk_buff skb, skb_drop_reason reason)
    {
        skb.k.skb_ledger.OnRelease(skb, nameof(skb_release_all)); // KASAN: a freed skb released again is reported here, before it touches what it no longer owns
        skb_release_head_state(skb);
        skb_release_data(skb, reason);
    }

    // net/core/skbuff.c: __kfree_skb
    /// <summary>
    /// Frees the skb now, whatever its users count says (the caller dropped
    /// the last reference). As in 6.18, the frag_list goes as NOT_SPECIFIED
    /// even when the skb itself was consumed.
    /// </summary>
    [Consumes("skb")]
    public static void __kfree_skb(sk_buff skb, [CallerMemberName] string where = "")
    {
        skb_release_all(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
        kfree_skbmem(skb, where);
    }

    // net/core/skbuff.c: __sk_skb_reason_drop
    /// <summary>Drops a reference; on the last one traces consume_skb or kfree_skb (with the reason) and says "free it".</summary>
    [Consumes("skb", WhenReturns = 0)]
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
    /// <summary>Releases an skb of a list being freed (an fclone half by __kfree_skb); the bulk array that batches the slab frees is not modelled.</summary>
    [Consumes("skb")]
    private static void kfree_skb_add_bulk(sk_buff skb, skb_drop_reason reason, string where)
    {
        // not ported: kmem_cache_free_bulk — each sk_buff goes back to skbuff_head_cache by itself (kfree_skbmem), not batched
        if (skb.fclone != SKB_FCLONE_UNAVAILABLE)
        {
            __kfree_skb(skb, where);
            return;
        }

        skb_release_all(skb, reason);
        kfree_skbmem(skb, where);
    }

    // net/core/skbuff.c: kfree_skb_list_reason
    /// <summary>
    /// Drops a reference on each skb of a chain linked by next, tracing each
    /// one freed with <paramref name="reason"/> (consume_skb for SKB_CONSUMED).
    /// The location is the caller: skb_release_data for a frag_list.
    /// </summary>
    [Consumes("segs")]
    public static void kfree_skb_list_reason(sk_buff? segs, skb_drop_reason reason, [CallerMemberName] string location = "")
    {
        // not ported: kmem_cache_free_bulk, skb_poison_list — no bulk array to flush (kfree_skb_add_bulk frees each sk_buff at once); no list poisoning
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
    [Borrows("skb")]
    public static void skb_scrub_packet(sk_buff skb, bool xnet)
    {
        // not ported: ipvs_reset, nf_reset_trace, skb_clear_tstamp, skb_dst_drop, skb_ext_reset — no IPVS, nftrace or skb extensions; the xnet tstamp and dst are cleared as fields
        skb.pkt_type = PACKET_HOST;
        skb.skb_iif = 0;
        skb.ignore_df = false;
        skb.dst = null;
        Include.Linux.skbuff_h.nf_reset_ct(skb);
        if (!xnet)
        {
            return;
        }

        skb.mark = 0;
        skb.tstamp = 0;
    }

    // net/core/skbuff.c: napi_skb_cache_put
    /// <summary>
    /// The sk_buff (released already) goes to this CPU's NAPI cache; a full
    /// cache gives its upper half back to skbuff_head_cache. NAPI context.
    /// </summary>
    [Consumes("skb")]
    private static void napi_skb_cache_put(sk_buff skb, string where)
    {
        // not ported: kmem_cache_free_bulk — the upper half goes back by single kmem_cache_free calls (SLUB's bulk free is that loop)
        // not ported: kmem_cache_size — it sizes kasan_mempool_unpoison_object, not ported: the ledger and the slab's quarantine stand for KASAN
        // local_lock_nested_bh: one thread, nothing else touches this CPU's cache.
        System.Diagnostics.Debug.Assert(skb.fclone == SKB_FCLONE_UNAVAILABLE, "an fclone half in the NAPI skb cache");
        skb_ledger_free(skb, where);
        var nc = skb.k.this_cpu().napi_alloc_cache;
        nc.skb_cache[nc.skb_count++] = skb;
        if (nc.skb_count == NAPI_SKB_CACHE_SIZE)
        {
            var cache = skb.k.net_hotdata.skbuff_cache;
            for (var i = NAPI_SKB_CACHE_HALF; i < NAPI_SKB_CACHE_SIZE; i++)
            {
                Mm.slub_c.kmem_cache_free(cache, nc.skb_cache[i]!);
                nc.skb_cache[i] = null;
            }

            nc.skb_count = NAPI_SKB_CACHE_HALF;
        }
    }

    // net/core/skbuff.c: __napi_kfree_skb
    /// <summary>Frees into the per-CPU NAPI skb cache: no tracepoint; the frag_list goes with <paramref name="reason"/>. Not for an fclone.</summary>
    [Consumes("skb")]
    public static void __napi_kfree_skb(sk_buff skb, skb_drop_reason reason, [CallerMemberName] string where = "")
    {
        skb_release_all(skb, reason);
        napi_skb_cache_put(skb, where);
    }

    // net/core/skbuff.c: napi_skb_free_stolen_head
    /// <summary>
    /// Frees the sk_buff of an skb whose head GRO stole as a frag: its data
    /// now belongs to the skb it merged into, so only the struct goes back
    /// (to the NAPI cache in C); no tracepoint.
    /// </summary>
    [Consumes("skb")]
    public static void napi_skb_free_stolen_head(sk_buff skb, [CallerMemberName] string where = "")
    {
        // not ported: nf_reset_ct, skb_dst_drop, skb_ext_put, skb_orphan — the slow_gro clean-up (conntrack, dst, extensions, owner): no such skb reaches GRO here
        skb_shinfo_free(skb.k, skb.shinfo); // its frags went over with the head: the object serves the next head
        napi_skb_cache_put(skb, where);
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
        // not ported: dev_consume_skb_any, in_softirq — budget 0 (netpoll) uses consume_skb, what dev_consume_skb_any does outside hard IRQ; in_softirq feeds a DEBUG_NET_WARN only
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

        // a clone or original of an fclone pair goes back through the fclone slab
        if (skb!.fclone != SKB_FCLONE_UNAVAILABLE)
        {
            __kfree_skb(skb, location);
            return;
        }

        skb_release_all(skb, skb_drop_reason.SKB_CONSUMED);
        napi_skb_cache_put(skb, location);
    }

    // net/core/skbuff.c: __copy_skb_header
    [Borrows("old")]
    [Borrows("new")]
    private static void __copy_skb_header(sk_buff @new, sk_buff old)
    {
        // not ported: CHECK_SKB_FIELD, __skb_ext_copy, skb_dst_copy — CHECK_SKB_FIELD is a build-time layout check; no skb extensions; the dst reference is copied as a field
        @new.tstamp = old.tstamp;
        @new.dev = old.dev;
        @new.dst = old.dst;
        old.cb.AsSpan().CopyTo(@new.cb);
        @new.cb_obj = old.cb_obj is ISkbControlBlock cb ? cb.copy_to(@new) : old.cb_obj;
        @new.pkt_type = old.pkt_type;
        @new.ip_summed = old.ip_summed;
        @new.csum_start = old.csum_start; // the headers group's csum union
        @new.csum_offset = old.csum_offset;
        @new.priority = old.priority;
        @new.protocol = old.protocol;
        @new.vlan_proto = old.vlan_proto; // vlan_all
        @new.vlan_tci = old.vlan_tci;
        @new.mark = old.mark;
        Include.Linux.skbuff_h.__nf_copy(@new, old);
        @new.skb_iif = old.skb_iif;
        @new.queue_mapping = old.queue_mapping;
        @new.hash = old.hash;
        @new.l4_hash = old.l4_hash;
        @new.sw_hash = old.sw_hash;
        @new.ignore_df = old.ignore_df;
        @new.napi_id = old.napi_id;
        @new.sender_cpu = old.sender_cpu;
        @new.alloc_cpu = old.alloc_cpu;
        @new.transport_header = old.transport_header;
        @new.network_header = old.network_header;
        @new.mac_header = old.mac_header;
        @new.mac_len = old.mac_len;
    }

    // net/core/skbuff.c: __skb_clone
    /// <summary>Makes <paramref name="n"/> a second sk_buff over <paramref name="skb"/>'s data (one more dataref).</summary>
    [Borrows("skb")]
    [Borrows("n")]
    private static sk_buff __skb_clone(sk_buff n, sk_buff skb)
    {
        // not ported: C, skb_headroom — the C() field-copy macro is written out field by field
        n.next = n.prev = null;
        n.list = null;
        n.sk = null;
        __copy_skb_header(n, skb);
        n.len = skb.len;
        n.data_len = skb.data_len;
        n.cloned = true;
        n.destructor = null;
        n.head = skb.head;
        n.head_frag = skb.head_frag;
        n.head_page = skb.head_page;
        n.head_base = skb.head_base;
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
    [Borrows("src")]
    [Borrows("dst")]
    public static sk_buff skb_morph(sk_buff dst, sk_buff src)
    {
        skb_release_all(dst, skb_drop_reason.SKB_CONSUMED);
        return __skb_clone(dst, src);
    }

    // net/core/skbuff.c: mm_account_pinned_pages
    /// <summary>
    /// Charges the pages a zerocopy send pins to the user's locked-memory
    /// limit (RLIMIT_MEMLOCK). The simulation's tasks run as root, and
    /// capable(CAP_IPC_LOCK) skips the charge: 0, nothing taken.
    /// </summary>
    public static int mm_account_pinned_pages(mmpin mmp, int size)
    {
        // capable(CAP_IPC_LOCK): true for root, which is every simulated task.
        // not ported: rlimit, current_user, user->locked_vm, get_uid — no charge is taken for a task with CAP_IPC_LOCK
        _ = mmp;
        _ = size;
        return 0;
    }

    // net/core/skbuff.c: mm_unaccount_pinned_pages
    /// <summary>Gives back the locked-memory charge, if one was taken (never, for root: see mm_account_pinned_pages).</summary>
    public static void mm_unaccount_pinned_pages(mmpin mmp)
    {
        if (mmp.user)
        {
            // not ported: atomic_long_sub of user->locked_vm, free_uid — no charge is ever taken
            mmp.user = false;
        }
    }

    // net/core/skbuff.c: msg_zerocopy_alloc
    /// <summary>
    /// A new MSG_ZEROCOPY buffer for one send of <paramref name="size"/> bytes:
    /// it lives in an skb charged to the socket's option memory (that skb is
    /// the notification later queued on the error queue), takes the socket's
    /// next send id (sk_zckey), starts as "no copy" with one reference (the
    /// sender's). Null when the option memory is exhausted. Process context.
    /// </summary>
    private static ubuf_info? msg_zerocopy_alloc(sock sk, int size, bool devmem)
    {
        // not ported: in_task, sock_hold — socket refcounts are not kept; only task context calls it here
        // WARN_ON_ONCE(!in_task()): called from sendmsg only.
        var skb = sock_c.sock_omalloc(sk, 0);
        if (skb is null)
        {
            return null;
        }

        // BUILD_BUG_ON(sizeof(*uarg) > sizeof(skb->cb)): the buffer lives in the skb's cb.
        var uarg = new ubuf_info_msgzc { ops = msg_zerocopy_ubuf_ops, skb = skb };
        skb.cb_obj = uarg;
        uarg.mmp.user = false;

        if (!devmem && mm_account_pinned_pages(uarg.mmp, size) != 0)
        {
            // 6.18 frees with plain kfree_skb here
            kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
            return null;
        }

        uarg.id = sk.sk_zckey++;
        uarg.len = 1;
        uarg.bytelen = (uint)size;
        uarg.zerocopy = true;
        uarg.flags = SKBFL_ZEROCOPY_FRAG | SKBFL_DONT_ORPHAN;
        uarg.refcnt = 1;

        // sock_hold(sk): not ported — the port keeps no socket reference count (the socket outlives its queued notifications by construction).
        return uarg;
    }

    // net/core/skbuff.c: skb_from_uarg
    /// <summary>The skb whose cb holds the MSG_ZEROCOPY buffer (container_of; here a back-reference).</summary>
    private static sk_buff skb_from_uarg(ubuf_info_msgzc uarg) => uarg.skb;

    // net/core/skbuff.c: msg_zerocopy_realloc
    /// <summary>
    /// The buffer a MSG_ZEROCOPY send uses. When the write queue's tail skb
    /// already carries a MSG_ZEROCOPY buffer (<paramref name="uarg"/>) whose
    /// range ends at the socket's next id, this send joins it (len + 1, one
    /// more reference for a stream) so that both complete as one range; a
    /// buffer past 512 KiB or 65534 sends, or one not ending at the next id,
    /// gives way to a new one (streams), or fails (datagrams). Null on failure.
    /// </summary>
    public static ubuf_info? msg_zerocopy_realloc(sock sk, int size, ubuf_info? uarg, bool devmem)
    {
        if (uarg is not null)
        {
            const uint byte_limit = 1 << 19; // a few TSO frames
            uint bytelen, next;

            // another kind of zerocopy buffer (not MSG_ZEROCOPY's) cannot be extended
            if (uarg.ops != msg_zerocopy_ubuf_ops)
            {
                return null;
            }

            // only under the socket lock (TCP, a corked UDP socket): len and sk_zckey are serialised by it
            if (!sock_h.sock_owned_by_user(sk))
            {
                // WARN_ON_ONCE(1)
                return null;
            }

            var uarg_zc = uarg_to_msgzc(uarg);
            bytelen = uarg_zc.bytelen + (uint)size;
            if (uarg_zc.len == ushort.MaxValue - 1 || bytelen > byte_limit)
            {
                // TCP can start a new skb for a new buffer
                if (sk.sk_type == socket_h.SOCK_STREAM)
                {
                    goto new_alloc;
                }

                return null;
            }

            next = sk.sk_zckey;
            if (uarg_zc.id + uarg_zc.len == next)
            {
                if (!devmem && mm_account_pinned_pages(uarg_zc.mmp, size) != 0)
                {
                    return null;
                }

                uarg_zc.len++;
                uarg_zc.bytelen = bytelen;
                sk.sk_zckey = ++next;

                // a datagram appended to (MSG_MORE) takes no extra reference
                if (sk.sk_type == socket_h.SOCK_STREAM)
                {
                    net_zcopy_get(uarg);
                }

                return uarg;
            }
        }

    new_alloc:
        return msg_zerocopy_alloc(sk, size, devmem);
    }

    // net/core/skbuff.c: skb_zerocopy_notify_extend
    /// <summary>
    /// A completed range [lo, lo + len) that directly follows the range of the
    /// notification <paramref name="skb"/> already queued is merged into it
    /// (ee_data grows), unless the merged count would not fit 32 bits.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static bool skb_zerocopy_notify_extend(sk_buff skb, uint lo, ushort len)
    {
        var serr = errqueue_h.SKB_EXT_ERR(skb);
        var old_lo = serr.ee.ee_info;
        var old_hi = serr.ee.ee_data;
        var sum_len = (ulong)(old_hi - old_lo) + 1UL + len;

        if (sum_len >= (1UL << 32))
        {
            return false;
        }

        if (lo != old_hi + 1)
        {
            return false;
        }

        serr.ee.ee_data += len;
        return true;
    }

    // net/core/skbuff.c: __msg_zerocopy_callback
    /// <summary>
    /// The last reference to a MSG_ZEROCOPY buffer is gone: its skb becomes
    /// the notification of the range [id, id + len - 1] (SO_EE_ORIGIN_ZEROCOPY,
    /// ee_info = lo, ee_data = hi, SO_EE_CODE_ZEROCOPY_COPIED if any byte was
    /// copied after all), queued on the error queue — or merged into the
    /// queue's tail notification when the ranges touch — and the owner is
    /// told (sk_error_report). Nothing is queued for an aborted single send
    /// (len 0) or a dead socket. May run in softirq (the ACK that frees the
    /// last skb).
    /// </summary>
    private static void __msg_zerocopy_callback(ubuf_info_msgzc uarg)
    {
        // not ported: sock_put — socket refcounts are not kept
        sk_buff? skb = skb_from_uarg(uarg);
        var sk = skb.sk!;
        sk_buff_head q;
        sk_buff? tail;
        bool is_zerocopy;
        uint lo, hi;
        ushort len;

        mm_unaccount_pinned_pages(uarg.mmp);

        // len 0: there was one send and it was aborted, nothing to notify
        if (uarg.len == 0 || sock_h.sock_flag(sk, sock_flags.SOCK_DEAD))
        {
            goto release;
        }

        len = uarg.len;
        lo = uarg.id;
        hi = uarg.id + len - 1u;
        is_zerocopy = uarg.zerocopy;

        // memset(serr, 0, sizeof(*serr)): the cb now holds the extended error instead of the buffer
        var serr = errqueue_h.SKB_EXT_ERR(skb);
        serr.memset();
        serr.ee.ee_errno = 0;
        serr.ee.ee_origin = Include.Uapi.Linux.errqueue_h.SO_EE_ORIGIN_ZEROCOPY;
        serr.ee.ee_data = hi;
        serr.ee.ee_info = lo;
        if (!is_zerocopy)
        {
            serr.ee.ee_code |= Include.Uapi.Linux.errqueue_h.SO_EE_CODE_ZEROCOPY_COPIED;
        }

        q = sk.sk_error_queue;

        // spin_lock_irqsave(&q->lock): orders this with recvmsg's dequeue (one thread here)
        tail = skb_peek_tail(q);
        if (tail is null || errqueue_h.SKB_EXT_ERR(tail).ee.ee_origin != Include.Uapi.Linux.errqueue_h.SO_EE_ORIGIN_ZEROCOPY ||
            !skb_zerocopy_notify_extend(tail, lo, len))
        {
            __skb_queue_tail(q, skb);
            skb = null;
        }

        // spin_unlock_irqrestore(&q->lock)
        sock_c.sk_error_report(sk);

    release:
        if (skb is not null)
        {
            consume_skb(skb);
        }

        // sock_put(sk): not ported — no socket reference count (see msg_zerocopy_alloc)
    }

    // net/core/skbuff.c: msg_zerocopy_complete
    /// <summary>ubuf_info_ops.complete of MSG_ZEROCOPY: a copy anywhere clears zerocopy for the whole range; the last reference notifies.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static void msg_zerocopy_complete(sk_buff? skb, ubuf_info uarg, bool success)
    {
        var uarg_zc = uarg_to_msgzc(uarg);

        uarg_zc.zerocopy = uarg_zc.zerocopy & success;

        // refcount_dec_and_test
        if (--uarg.refcnt == 0)
        {
            __msg_zerocopy_callback(uarg_zc);
        }
    }

    // net/core/skbuff.c: msg_zerocopy_put_abort
    /// <summary>A send that took an id failed: the id is given back (sk_zckey, len), and the sender's reference dropped when it holds one.</summary>
    public static void msg_zerocopy_put_abort(ubuf_info uarg, bool have_uref)
    {
        var sk = skb_from_uarg(uarg_to_msgzc(uarg)).sk!;

        sk.sk_zckey--;
        uarg_to_msgzc(uarg).len--;

        if (have_uref)
        {
            msg_zerocopy_complete(null, uarg, true);
        }
    }

    /// <summary>msg_zerocopy_ubuf_ops: MSG_ZEROCOPY's completion.</summary>
    public static readonly ubuf_info_ops msg_zerocopy_ubuf_ops = new() { complete = msg_zerocopy_complete };

    // net/core/skbuff.c: skb_zerocopy_iter_stream
    /// <summary>
    /// Appends up to <paramref name="len"/> bytes of the user's iovecs to a
    /// stream skb as frags of the pinned user pages (no copy) and links the skb
    /// to <paramref name="uarg"/>. Returns the bytes added; -EEXIST when the
    /// skb already belongs to another buffer, -EMSGSIZE when it has no frag
    /// slot left and took nothing, -EFAULT on a bad buffer (the skb is put back
    /// as it was).
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static int skb_zerocopy_iter_stream(sock sk, sk_buff skb, msghdr msg, int len, ubuf_info uarg)
    {
        int err, orig_len = skb.len;

        if (uarg.ops.link_skb is { } link_skb)
        {
            err = link_skb(skb, uarg);
            if (err != 0)
            {
                return err;
            }
        }
        else
        {
            var orig_uarg = skb_zcopy(skb);

            // an skb points to one buffer: TCP appending to an skb after msg_zerocopy_realloc had to start a new one
            if (orig_uarg is not null && uarg != orig_uarg)
            {
                return -errno_base_h.EEXIST;
            }
        }

        // not ported: devmem bindings (net_devmem_dmabuf_binding) — no dma-buf devices
        err = datagram_c.__zerocopy_sg_from_iter(msg, sk, skb, msg, len);
        if (err == -errno_base_h.EFAULT || (err == -errno_h.EMSGSIZE && skb.len == orig_len))
        {
            var save_sk = skb.sk;

            // streams keep the skb on error: back to how it was
            msg.iov_offset -= skb.len - orig_len; // iov_iter_revert
            skb.sk = sk;
            ___pskb_trim(skb, orig_len);
            skb.sk = save_sk;
            return err;
        }

        skb_zcopy_set(skb, uarg);
        return skb.len - orig_len;
    }

    // net/core/skbuff.c: skb_zerocopy_clone
    /// <summary>
    /// A copy or split-off part <paramref name="nskb"/> of a zerocopy skb gets a
    /// reference to the same buffer; if it already belongs to a different one,
    /// its frags are copied first (skb_copy_ubufs). 0, -ENOMEM or -EIO.
    /// </summary>
    [KernelNet.Annotations.Borrows("nskb")]
    [KernelNet.Annotations.Borrows("orig")]
    private static int skb_zerocopy_clone(sk_buff nskb, sk_buff orig, int gfp_mask)
    {
        if (skb_zcopy(orig) is not null)
        {
            if (skb_zcopy(nskb) is not null)
            {
                // callers without gfp_mask are known to pass a non-zerocopy nskb
                if (gfp_mask == 0)
                {
                    // WARN_ON_ONCE(1)
                    return -errno_base_h.ENOMEM;
                }

                if (skb_uarg(nskb) == skb_uarg(orig))
                {
                    return 0;
                }

                if (skb_copy_ubufs(nskb, gfp_mask) != 0)
                {
                    return -errno_base_h.EIO;
                }
            }

            skb_zcopy_set(nskb, skb_uarg(orig));
        }

        return 0;
    }

    // net/core/skbuff.c: skb_copy_ubufs
    /// <summary>
    /// The zerocopy frags' bytes move into kernel pages (the smallest order
    /// that holds them in MAX_SKB_FRAGS pages), the user pages are let go, and
    /// the buffer is completed with "copied" (skb_zcopy_clear(false)). The skb
    /// must not be shared; a clone first takes a private head (skb_unclone).
    /// 0, or -EINVAL/-ENOMEM.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static int skb_copy_ubufs(sk_buff skb, int gfp_mask)
    {
        // not ported: __skb_fill_netmem_desc, page_address, page_private, page_to_netmem, put_page, set_page_private, skb_frag_foreach_page, skb_frags_readable — user pages are byte arrays: the copy is an array copy with no page chaining or refcounts
        int num_frags = skb.shinfo.nr_frags;
        int i, order, psize, new_frags;

        if (skb_shared(skb) || skb_unclone(skb) != 0)
        {
            return -errno_base_h.EINVAL;
        }

        // skb_frags_readable: unreadable (devmem) frags are not ported, every frag is readable.
        if (num_frags == 0)
        {
            goto release;
        }

        // the smallest page order that holds the bytes in MAX_SKB_FRAGS pages
        order = 0;
        while ((mm_h.PAGE_SIZE << order) * MAX_SKB_FRAGS < __skb_pagelen(skb))
        {
            order++;
        }

        psize = mm_h.PAGE_SIZE << order;

        new_frags = (__skb_pagelen(skb) + psize - 1) >> (mm_h.PAGE_SHIFT + order);
        var pages = new page[new_frags]; // the page_private chain of the new pages
        for (i = 0; i < new_frags; i++)
        {
            // alloc_pages(gfp_mask | __GFP_COMP, order): the allocator does not fail here
            pages[i] = gfp_h.alloc_pages(skb.k, gfp_mask, order)!;
        }

        var pi = 0;
        var d_off = 0;
        for (i = 0; i < num_frags; i++)
        {
            var f = skb.shinfo.frags[i];
            var done = 0;
            var p_len = skb_frag_size(f);

            // skb_frag_foreach_page, kmap_atomic: the frag's bytes are one span of its (compound) page here
            while (done < p_len)
            {
                if (d_off == psize)
                {
                    d_off = 0;
                    pi++;
                }

                var copy = Math.Min(psize - d_off, p_len - done);
                f.netmem!.mem.AsSpan(skb_frag_off(f) + done, copy).CopyTo(pages[pi].mem.AsSpan(d_off, copy));
                done += copy;
                d_off += copy;
            }
        }

        // the frags let go of the user's pages
        for (i = 0; i < num_frags; i++)
        {
            skb_frag_unref(skb, i);
        }

        // and point at the kernel's
        for (i = 0; i < new_frags - 1; i++)
        {
            __skb_fill_page_desc_noacc(skb.shinfo, i, pages[i], 0, psize);
        }

        __skb_fill_page_desc_noacc(skb.shinfo, new_frags - 1, pages[new_frags - 1], 0, d_off);
        skb.shinfo.nr_frags = (byte)new_frags;

    release:
        skb_zcopy_clear(skb, false);
        return 0;
    }

    // net/core/skbuff.c: skb_clone
    /// <summary>
    /// A new sk_buff that shares the data buffer (TX-2: descriptor only, the
    /// payload is not copied, nor the frag_list); both must be freed.
    /// </summary>
    [Borrows("skb")]
    public static sk_buff? skb_clone(sk_buff skb, [CallerMemberName] string site = "")
    {
        // not ported: skb_pfmemalloc — no pfmemalloc skbs
        var k = skb.k;
        var fclones = skb.fclones; // container_of(skb, struct sk_buff_fclones, skb1)
        sk_buff n;
        if (skb_orphan_frags(skb, 0) != 0)
        {
            return null;
        }

        if (skb.fclone == SKB_FCLONE_ORIG && fclones!.fclone_ref == 1)
        {
            n = fclones.skb2;
            fclones.fclone_ref = 2;
            n.memset_to_tail(); // departure: __skb_clone then sets what C's sets; the rest reads as a fresh object's, as it did before pooling
            n.fclone = SKB_FCLONE_CLONE;
            n.fclones = fclones;
        }
        else
        {
            n = Mm.slub_c.kmem_cache_alloc_noprof<sk_buff>(k.net_hotdata.skbuff_cache) ?? new sk_buff(k); // kmem_cache_alloc
            n.memset_to_tail(); // departure: as above
            n.fclone = SKB_FCLONE_UNAVAILABLE;
        }

        skb_ledger_alloc(k, n, site);
        return __skb_clone(n, skb);
    }

    // net/core/skbuff.c: skb_headers_offset_update
    /// <summary>The header offsets follow the data to a new position in a new head.</summary>
    [Borrows("skb")]
    private static void skb_headers_offset_update(sk_buff skb, int off)
    {
        // csum_start is an offset only under CHECKSUM_PARTIAL (a csum otherwise, in C's union).
        if (skb.ip_summed == CHECKSUM_PARTIAL)
        {
            skb.csum_start = (ushort)(skb.csum_start + off);
        }

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
    [Borrows("skb")]
    public static sk_buff? skb_copy(sk_buff skb, [CallerMemberName] string site = "")
    {
        // not ported: skb_alloc_rx_flag, skb_frags_readable — no pfmemalloc flag; no unreadable frags
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
    [Borrows("old")]
    [Borrows("new")]
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
    [Borrows("skb")]
    public static sk_buff? __pskb_copy_fclone(sk_buff skb, int headroom, bool fclone, [CallerMemberName] string site = "")
    {
        // not ported: kfree_skb, skb_alloc_rx_flag, skb_copy_from_linear_data — allocation does not fail here, so the error free is absent; no pfmemalloc flag; the linear part is copied by array copy
        var size = skb_headlen(skb) + headroom;
        var n = __alloc_skb(skb.k, size, fclone ? SKB_ALLOC_FCLONE : 0, site);
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
            if (skb_orphan_frags(skb, 0) != 0 || skb_zerocopy_clone(n, skb, 1) != 0)
            {
                // 6.18 frees with plain kfree_skb here
                kfree_skb_reason(n, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);

                // restructured: goto out with n = NULL is this return
                return null;
            }

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
    [Borrows("skb")]
    public static int pskb_expand_head(sk_buff skb, int nhead, int ntail)
    {
        // not ported: skb_kfree_head, skb_metadata_clear, skb_pfmemalloc, skb_set_end_offset, skb_tail_pointer, skb_uarg, skb_zcopy_downgrade_managed — the head is a byte array reallocated in place; no XDP metadata, pfmemalloc or managed zerocopy frags
        System.Diagnostics.Debug.Assert(nhead >= 0 && !skb_shared(skb));
        var osize = skb_end_offset(skb);
        var size = SKB_WITH_OVERHEAD(kmalloc_reserve(osize + nhead + ntail));
        var data = Mm.slub_c.__do_kmalloc_node(skb.k, size);

        var obase = skb.head_base;
        skb.head.AsSpan(obase, skb.tail - obase).CopyTo(data.AsSpan(nhead));
        var old = skb.shinfo;
        var shinfo = skb_shinfo_alloc(skb.k); // the new head's own
        shinfo.frag_list = old.frag_list;
        shinfo.gso_size = old.gso_size;
        shinfo.gso_segs = old.gso_segs;
        shinfo.gso_type = old.gso_type;
        shinfo.tx_flags = old.tx_flags;
        shinfo.nr_frags = old.nr_frags;
        shinfo.flags = old.flags;
        shinfo.tskey = old.tskey;
        shinfo.destructor_arg = old.destructor_arg;
        if (old.nr_frags != 0)
        {
            old.frags.AsSpan(0, old.nr_frags).CopyTo(shinfo.frags);
        }

        // A shared buffer stays with its other users: this skb gives up its
        // reference, and each page frag and the frag_list get one for each
        // of the two owners.
        if (skb_cloned(skb))
        {
            // not ported: the nofrags unwind — skb_orphan_frags only copies frags of a buffer that allows it, and the copy does not fail here
            _ = skb_orphan_frags(skb, 0);
            if (skb_zcopy(skb) is { } uarg)
            {
                uarg.refcnt++; // refcount_inc: the new shared info is one more holder of the buffer
            }

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
        skb.head_frag = false;
        skb.head_page = null;
        skb.head_base = 0;
        skb.data += nhead - obase;
        skb.end = size;
        skb.tail += nhead - obase;
        skb_headers_offset_update(skb, nhead - obase);
        skb.cloned = false;
        skb.shinfo = shinfo;

        // Only the receive path (no owning socket) may change truesize.
        if (skb.sk is null)
        {
            skb.truesize += (uint)(size - osize);
        }

        return 0;
    }

    // net/core/skbuff.c: skb_ensure_writable
    /// <summary>
    /// Makes the first <paramref name="write_len"/> bytes linear and the
    /// skb's own, copying the head when it is shared with a clone (the port
    /// keeps no hdr_len, so a clone's header never counts as writable). 0 or -ENOMEM.
    /// </summary>
    [Borrows("skb")]
    public static int skb_ensure_writable(sk_buff skb, int write_len)
    {
        // not ported: skb_clone_writable — a clone is always made private with pskb_expand_head, even when its header part is writable
        if (!pskb_may_pull(skb, write_len))
        {
            return -Include.Uapi.AsmGeneric.errno_base_h.ENOMEM;
        }

        if (!skb_cloned(skb))
        {
            return 0;
        }

        return pskb_expand_head(skb, 0, 0);
    }

    // net/core/skbuff.c: skb_put
    /// <summary>Extends the data area at the tail; returns the offset of the new bytes. Panics past end.</summary>
    [Borrows("skb")]
    public static int skb_put(sk_buff skb, int len)
    {
        // not ported: SKB_LINEAR_ASSERT, skb_over_panic, skb_tail_pointer — the linear check is a Debug.Assert, skb_panic carries the over-panic name; the tail is an offset
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
    [Borrows("skb")]
    public static int skb_push(sk_buff skb, int len)
    {
        // not ported: skb_under_panic — skb_panic is called with its name, as the C helper prints it
        skb.data -= len;
        skb.len += len;
        if (skb.data < skb.head_base)
        {
            skb_panic(skb, len, "skb_under_panic");
        }

        return skb.data;
    }

    // net/core/skbuff.c: skb_pull
    /// <summary>Removes <paramref name="len"/> bytes from the start (a header consumed, RX-14); returns the new data offset, or -1 if too short.</summary>
    [Borrows("skb")]
    public static int skb_pull(sk_buff skb, int len)
    {
        // not ported: skb_pull_inline — the inline's checks and __skb_pull are written in place
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
    [Borrows("skb")]
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
    /// <summary>
    /// The trim behind pskb_trim_rcsum. A CHECKSUM_PARTIAL skb whose checksum
    /// field would not lie whole in the linear part that is left is refused
    /// (-EINVAL, untrimmed).
    /// </summary>
    [Borrows("skb")]
    public static int pskb_trim_rcsum_slow(sk_buff skb, int len)
    {
        // not ported: csum_block_sub, skb_checksum — no skb->csum: no device in the port hands up
        //   CHECKSUM_COMPLETE, so there is no sum to take the trimmed bytes out of
        if (skb.ip_summed == CHECKSUM_PARTIAL)
        {
            var hdlen = len > skb_headlen(skb) ? skb_headlen(skb) : len;
            var offset = skb_checksum_start_offset(skb) + skb.csum_offset;
            if (offset + sizeof(ushort) > hdlen)
            {
                return -errno_base_h.EINVAL;
            }
        }

        return __pskb_trim(skb, len);
    }

    // net/core/skbuff.c: __pskb_pull_tail
    /// <summary>
    /// Makes <paramref name="delta"/> more bytes linear: copies them from the
    /// page frags and the frag_list to the end of the head (a bigger head if
    /// it lacks the room or is shared), then drops what was eaten — whole
    /// frags unreferenced, a partly eaten one advanced; whole frag_list
    /// members consumed, a partly eaten one pulled (a clone, if shared).
    /// Returns the new tail, or -1 (NULL in C) and the skb unchanged.
    /// </summary>
    [Borrows("skb")]
    public static int __pskb_pull_tail(sk_buff skb, int delta)
    {
        // not ported: kfree_skb, skb_frags_readable, skb_is_gso, skb_tail_pointer — no unreadable (devmem) frags; the frag_list clone path frees through kfree_skb_reason as the inline does
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

        // nothing left in frags: no user page is held any more
        if (skb.data_len == 0)
        {
            skb_zcopy_clear(skb, false);
        }

        return skb.tail;
    }

    // net/core/skbuff.c: skb_init
    /// <summary>
    /// Boot: the slabs sk_buffs come from — skbuff_head_cache (sizeof(struct
    /// sk_buff), 224 bytes on the recorded kernel) and skbuff_fclone_cache
    /// (struct sk_buff_fclones: two of them and fclone_ref).
    /// </summary>
    public static void skb_init(Vmlinux k)
    {
        // not ported: kmem_cache_create_usercopy, kmem_cache_create — written out: __kmem_cache_create_args, which both expand to (no usercopy region is modelled)
        // not ported: skb_extensions_init — no skb extensions; the skbuff_small_head cache is not made: small heads are kmalloc'd (see the file header)
        const uint sizeof_sk_buff = 224;
        const uint sizeof_sk_buff_fclones = (2 * sizeof_sk_buff) + 4;
        var hot = k.net_hotdata;
        hot.skbuff_cache = Mm.slab_common_c.__kmem_cache_create_args(k, "skbuff_head_cache", sizeof_sk_buff, 0, Include.Linux.slab_h.SLAB_HWCACHE_ALIGN | Include.Linux.slab_h.SLAB_PANIC);
        hot.skbuff_fclone_cache = Mm.slab_common_c.__kmem_cache_create_args(k, "skbuff_fclone_cache", sizeof_sk_buff_fclones, 0, Include.Linux.slab_h.SLAB_HWCACHE_ALIGN | Include.Linux.slab_h.SLAB_PANIC);

        // the skb ledger's KASAN: freed skbs wait before they are reused
        hot.skbuff_cache.quarantine_max = SKB_QUARANTINE;
        hot.skbuff_fclone_cache.quarantine_max = SKB_QUARANTINE;
    }

    // net/core/skbuff.c: __skb_to_sgvec
    /// <summary>
    /// Fills <paramref name="sg"/> with the pieces holding <paramref name="len"/> bytes of the
    /// skb's data from <paramref name="offset"/>: the linear head, then each page frag;
    /// returns the entries used, or -EMSGSIZE when the table is too short.
    /// </summary>
    [Borrows("skb")]
    private static int __skb_to_sgvec(sk_buff skb, Include.Linux.scatterlist[] sg, int sgStart, int offset, int len, int recursion_level)
    {
        // not ported: sg_is_last — the scatterlist is a C# list: no end marker to check
        // not ported: the frag_list walk (skb_walk_frags recursion) and its recursion limit — the
        // drivers that call this (virtio_net without SG) hand over linear skbs or paged ones without a frag_list
        _ = recursion_level;
        var start = skb_headlen(skb);
        var copy = start - offset;
        var elt = 0;

        if (copy > 0)
        {
            if (copy > len)
            {
                copy = len;
            }

            if (sgStart + elt >= sg.Length)
            {
                return -errno_h.EMSGSIZE;
            }

            Include.Linux.scatterlist_h.sg_set_buf(sg[sgStart + elt], skb.head, skb.data + offset, copy);
            elt++;
            len -= copy;
            if (len == 0)
            {
                return elt;
            }

            offset += copy;
        }

        // not ported: skb_shinfo — the port's sk_buff holds its shared info as skb.shinfo
        var shinfo = skb.shinfo;
        for (var i = 0; i < shinfo.nr_frags; i++)
        {
            var frag = shinfo.frags[i];
            var end = start + skb_frag_size(frag);
            if ((copy = end - offset) > 0)
            {
                if (copy > len)
                {
                    copy = len;
                }

                if (sgStart + elt >= sg.Length)
                {
                    return -errno_h.EMSGSIZE;
                }

                Include.Linux.scatterlist_h.sg_set_page(sg[sgStart + elt], skb_frag_page(frag), copy, skb_frag_off(frag) + offset - start);
                elt++;
                if ((len -= copy) == 0)
                {
                    return elt;
                }

                offset += copy;
            }

            start = end;
        }

        return len == 0 ? elt : -errno_h.EMSGSIZE;
    }

    // net/core/skbuff.c: skb_to_sgvec
    /// <summary>__skb_to_sgvec, then the end mark on the last entry used; the count or -EMSGSIZE.</summary>
    [Borrows("skb")]
    public static int skb_to_sgvec(sk_buff skb, Include.Linux.scatterlist[] sg, int sgStart, int offset, int len)
    {
        var nsg = __skb_to_sgvec(skb, sg, sgStart, offset, len, 0);
        if (nsg <= 0)
        {
            return nsg;
        }

        Include.Linux.scatterlist_h.sg_mark_end(sg[sgStart + nsg - 1]);
        return nsg;
    }

    // net/core/skbuff.c: skb_copy_bits
    /// <summary>
    /// Copies <paramref name="len"/> bytes from data+<paramref name="offset"/>
    /// into <paramref name="to"/>: the head's part, then each page frag's,
    /// then each frag_list member's in turn. -EFAULT outside the data. A negative offset reads
    /// headers in front of data (an ICMP error quoting the IP header).
    /// </summary>
    [Borrows("skb")]
    public static int skb_copy_bits(sk_buff skb, int offset, Span<byte> to, int len)
    {
        // not ported: skb_copy_from_linear_data_offset, skb_frag_foreach_page, skb_frags_readable, skb_walk_frags — frags are byte arrays copied directly (no highmem pages to map); no unreadable frags
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
    [Borrows("skb")]
    public static uint skb_checksum(sk_buff skb, int offset, int len, uint csum)
    {
        // not ported: skb_frag_foreach_page — a frag's bytes are one slice of its page's array: summed at once,
        //   with no per-page mapping
        // not ported: skb_frags_readable — no unreadable (devmem) frags
        // not ported: skb_walk_frags — written out as the loop over frag_list
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
    [Borrows("skb1")]
    [Borrows("skb")]
    private static void skb_split_inside_header(sk_buff skb, sk_buff skb1, int len, int pos)
    {
        // not ported: skb_copy_from_linear_data_offset — the bytes are copied with an array copy
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
    [Borrows("skb1")]
    [Borrows("skb")]
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
    [Borrows("skb1")]
    [Borrows("skb")]
    public static void skb_split(sk_buff skb, sk_buff skb1, int len)
    {
        // not ported: skb_zcopy_downgrade_managed — no managed zerocopy frags (io_uring)
        var pos = skb_headlen(skb);
        const byte zc_flags = SKBFL_SHARED_FRAG | SKBFL_PURE_ZEROCOPY;

        // skb_zcopy_downgrade_managed: managed frag references (io_uring) are not ported.
        skb1.shinfo.flags |= (byte)(skb.shinfo.flags & zc_flags);
        skb_zerocopy_clone(skb1, skb, 0);
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
    [Borrows("skb")]
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
    [Borrows("tgt")]
    [Borrows("skb")]
    public static int skb_shift(sk_buff tgt, sk_buff skb, int shiftlen)
    {
        // not ported: skb_cmp_decrypted, skb_frag_off_copy, skb_frag_page_copy — no TLS device offload; frags are copied by their fields
        int from, to, merge, todo;

        if (shiftlen > skb.len)
        {
            throw new InvalidOperationException("skb_shift: more than the skb holds (BUG)");
        }

        if (skb_headlen(skb) != 0)
        {
            return 0;
        }

        if (skb_zcopy(tgt) is not null || skb_zcopy(skb) is not null)
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
    [Consumes("newsk")]
    public static void skb_queue_tail(sk_buff_head list, sk_buff newsk) => __skb_queue_tail(list, newsk);

    // net/core/skbuff.c: skb_queue_purge_reason
    /// <summary>Frees everything queued, each with <paramref name="reason"/>.</summary>
    public static void skb_queue_purge_reason(sk_buff_head list, skb_drop_reason reason, [CallerMemberName] string location = "")
    {
        // not ported: __skb_queue_head_init, __skb_queue_purge_reason, skb_queue_empty_lockless, skb_queue_splice_init — single-threaded: the queue is drained in place under its lock, not spliced out first
        while (__skb_dequeue(list) is { } skb)
        {
            sk_skb_reason_drop(null, skb, reason, location);
        }
    }

    // net/core/skbuff.c: skb_rbtree_purge
    /// <summary>Frees every skb of an ordered queue (TCP's out-of-order queue: a list here, an rbtree in C) with kfree_skb; returns their truesize.</summary>
    public static uint skb_rbtree_purge(System.Collections.Generic.List<sk_buff>? root)
    {
        // not ported: kfree_skb — frees through sk_skb_reason_drop(NOT_SPECIFIED), which is what kfree_skb does
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
        // not ported: kmem_cache_free — kfree_skbmem gives the sk_buff back to skbuff_head_cache (a stolen head is never an fclone's)
        if (head_stolen)
        {
            skb_release_head_state(skb);
            skb_shinfo_free(skb.k, skb.shinfo); // its frags went over with the head: the object serves the next head
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
    /// goes over as a frag too when it is a page frag nobody else shares
    /// (fragstolen; skb_head_is_locked otherwise: a kmalloc'd head is not
    /// coalesced that way). <paramref name="delta_truesize"/> is the truesize
    /// to took on; false when nothing was done.
    /// </summary>
    [Borrows("to")]
    [Borrows("from")]
    public static bool skb_try_coalesce(sk_buff to, sk_buff from, out bool fragstolen, out int delta_truesize)
    {
        // not ported: page_address, skb_frags_readable, skb_pp_frag_ref, virt_to_head_page — the head is a byte array, not a page; no page pool or unreadable frags
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

        if (skb_zcopy(to) is not null || skb_zcopy(from) is not null)
        {
            return false;
        }

        if (skb_headlen(from) != 0)
        {
            if (to_shinfo.nr_frags + from_shinfo.nr_frags >= MAX_SKB_FRAGS)
            {
                return false;
            }

            if (skb_head_is_locked(from))
            {
                return false;
            }

            // from's page-frag head becomes to's next frag: its page reference goes over with it.
            delta = (int)from.truesize - SKB_DATA_ALIGN(SKB_TRUESIZE_OVERHEAD);
            var page = from.head_page!;
            var offset = from.data;
            skb_fill_page_desc(to, to_shinfo.nr_frags, page, offset, skb_headlen(from));
            fragstolen = true;
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
    [Borrows("skb")]
    public static void skb_condense(sk_buff skb)
    {
        // not ported: SKB_TRUESIZE, skb_frags_readable — no unreadable frags; SKB_TRUESIZE is written out (SKB_DATA_ALIGN plus SKB_TRUESIZE_OVERHEAD)
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
    /// Cuts a GSO skb into gso_size pieces. Every segment gets a new head holding a copy
    /// of the headers in front of <paramref name="head_skb"/>'s data (from the MAC header
    /// on). With NETIF_F_SG the payload is not copied: what lies in head_skb's linear part
    /// is copied into the new head, and each segment's share of the page frags is
    /// described by frags of its own that reference the same pages (__skb_frag_ref), offset
    /// and trimmed to the segment. Without SG each segment's payload is copied into a linear
    /// head (a CPU copy, counted). The segments are chained by next (the last one
    /// reachable as segs.prev); the protocol handlers fix their headers afterwards. Null
    /// when an allocation fails (the kernel's ERR_PTR(-ENOMEM)) or a segment would need more
    /// than MAX_SKB_FRAGS frags (-EINVAL).
    /// departure: head_skb is not __skb_push'ed to its MAC header (offsets count from its
    /// data instead), so it is left as it was for the port's callers.
    /// </summary>
    [Borrows("head_skb")]
    [Borrows("head_skb")]
    public static sk_buff? skb_segment(sk_buff head_skb, ulong features)
    {
        // not ported: __skb_push, kfree_skb, net_gso_ok, pskb_trim, skb_alloc_rx_flag, skb_cow_head, skb_end_offset, skb_has_shared_frag, skb_release_head_state, skb_walk_frags — only used by the frag_list, GSO_PARTIAL and checksum branches named above
        // not ported: the SKB_GSO_DODGY check of frag_list members and the frag_list cases (skb_clone of a
        // list member, the walk on into list_skb's frags, skb_head_frag_to_page_desc, GSO_BY_FRAGS) — no GSO
        // skb of the port carries a frag_list (UDP GSO and fraglist GRO are not ported); one that does is
        // segmented as without NETIF_F_SG (skb_copy_bits walks the frag_list), a departure
        // not ported: skb_network_protocol's walk past in-data VLAN tags — the port's GSO skbs carry the
        // network type in skb->protocol.
        // not ported: NETIF_F_GSO_PARTIAL (partial_segs): no device of the port offers it
        // not ported: skb_tnl_header_len — no tunnels
        var mss = (int)head_skb.shinfo.gso_size;
        var doffset = head_skb.data - skb_mac_header(head_skb);
        var headroom = skb_headroom(head_skb) - doffset;
        var proto = head_skb.protocol;
        var sg = (features & Include.Linux.netdev_features_h.NETIF_F_SG) != 0 && head_skb.shinfo.frag_list is null;

        // A device that cannot sum the segments gets them summed here, their payload sums left in SKB_GSO_CB.
        var csum = Include.Linux.netdevice_h.can_checksum_protocol(features, proto);
        var offset = 0;
        var pos = skb_headlen(head_skb);
        sk_buff? segs = null, tail = null;

        if (skb_orphan_frags(head_skb, 0) != 0)
        {
            return null;
        }

        var nfrags = (int)head_skb.shinfo.nr_frags;
        var frags = head_skb.shinfo.frags;
        var i = 0;
        int len;

        do
        {
            len = head_skb.len - offset;
            if (len > mss)
            {
                len = mss;
            }

            var hsize = skb_headlen(head_skb) - offset;
            if (hsize < 0)
            {
                hsize = 0;
            }

            if (hsize > len || !sg)
            {
                hsize = len;
            }

            var nskb = __alloc_skb(head_skb.k, hsize + doffset + headroom, 0);
            if (nskb is null)
            {
                goto err;
            }

            skb_reserve(nskb, headroom);
            __skb_put(nskb, doffset);

            if (segs is null)
            {
                segs = nskb;
            }
            else
            {
                tail!.next = nskb;
            }

            tail = nskb;

            __copy_skb_header(nskb, head_skb);

            // skb_headers_offset_update over the pushed head: the header offsets keep their distance from the MAC header
            nskb.mac_header = (ushort)nskb.data;
            nskb.network_header = (ushort)(nskb.data + (head_skb.network_header - skb_mac_header(head_skb)));
            nskb.transport_header = (ushort)(nskb.data + (head_skb.transport_header - skb_mac_header(head_skb)));
            if (nskb.ip_summed == CHECKSUM_PARTIAL)
            {
                nskb.csum_start = (ushort)(nskb.data + (head_skb.csum_start - skb_mac_header(head_skb)));
            }

            skb_reset_mac_len(nskb);

            // skb_copy_from_linear_data_offset: the headers, from the MAC header on
            head_skb.head.AsSpan(skb_mac_header(head_skb), doffset).CopyTo(nskb.head.AsSpan(nskb.data, doffset));

            if (!sg)
            {
                var pdst = skb_put(nskb, len);
                if (!csum)
                {
                    // skb_copy_and_csum_bits: the payload copied and summed; the segment is summed in software.
                    // departure: copied by skb_copy_bits, then summed over the copy (the same sum in one pass in C).
                    nskb.ip_summed = CHECKSUM_NONE;
                    if (skb_copy_bits(head_skb, offset, nskb.head.AsSpan(pdst, len), len) != 0)
                    {
                        goto err;
                    }

                    var gcb = Include.Net.gso_h.SKB_GSO_CB(nskb);
                    gcb.csum = Include.Net.checksum_h.csum_partial(nskb.head.AsSpan(pdst, len), 0);
                    gcb.csum_start = (ushort)(nskb.data + doffset); // skb_headroom(nskb) + doffset, from head
                }
                else if (skb_copy_bits(head_skb, offset, nskb.head.AsSpan(pdst, len), len) != 0)
                {
                    goto err;
                }

                // a CPU copy of the payload (counted, its time not charged, as before the frags were shared)
                head_skb.k.machine.CurrentCpu.CountCopy(len);
                continue;
            }

            // the part of this segment still in head_skb's linear data
            var hdst = skb_put(nskb, hsize);
            if (hsize > 0)
            {
                head_skb.head.AsSpan(head_skb.data + offset, hsize).CopyTo(nskb.head.AsSpan(hdst, hsize));
                head_skb.k.machine.CurrentCpu.CountCopy(hsize);
            }

            nskb.shinfo.flags |= (byte)(head_skb.shinfo.flags & SKBFL_SHARED_FRAG);

            if (skb_zerocopy_clone(nskb, head_skb, 0) != 0)
            {
                goto err;
            }

            while (pos < offset + len)
            {
                if (i >= nfrags)
                {
                    // BUG_ON in C: the frags end before head_skb's length (no frag_list here)
                    goto err;
                }

                if (nskb.shinfo.nr_frags >= MAX_SKB_FRAGS)
                {
                    net_h.net_warn_ratelimited(head_skb.k, $"skb_segment: too many frags: {pos} {mss}");
                    goto err;
                }

                ref var nskb_frag = ref nskb.shinfo.frags[nskb.shinfo.nr_frags];
                nskb_frag = frags[i];
                __skb_frag_ref(nskb_frag);
                var size = skb_frag_size(nskb_frag);

                if (pos < offset)
                {
                    skb_frag_off_add(ref nskb_frag, offset - pos);
                    skb_frag_size_sub(ref nskb_frag, offset - pos);
                }

                nskb.shinfo.nr_frags++;

                if (pos + size <= offset + len)
                {
                    i++;
                    pos += size;
                }
                else
                {
                    skb_frag_size_sub(ref nskb_frag, pos + size - (offset + len));
                    break; // goto skip_fraglist
                }
            }

            // skip_fraglist:
            nskb.data_len = len - hsize;
            nskb.len += nskb.data_len;
            nskb.truesize += (uint)nskb.data_len;

            // perform_csum_check:
            if (!csum)
            {
                // a frag someone else may write would make the sum stale: copied in first
                if (skb_has_shared_frag(nskb) && __skb_linearize(nskb) != 0)
                {
                    goto err;
                }

                nskb.ip_summed = CHECKSUM_NONE;
                var gcb = Include.Net.gso_h.SKB_GSO_CB(nskb);
                gcb.csum = skb_checksum(nskb, doffset, nskb.len - doffset, 0);
                gcb.csum_start = (ushort)(nskb.data + doffset); // skb_headroom(nskb) + doffset, from head
            }
        }
        while ((offset += len) < head_skb.len);

        segs!.prev = tail;

        // the socket's write-memory charge moves to the last segment (sock_wfree's backpressure); TCP's
        // tcp_wfree is handled by tcp_gso_segment itself
        if (head_skb.destructor == sock_c.sock_wfree)
        {
            (tail!.truesize, head_skb.truesize) = (head_skb.truesize, tail!.truesize);
            (tail.destructor, head_skb.destructor) = (head_skb.destructor, tail.destructor);
            (tail.sk, head_skb.sk) = (head_skb.sk, tail.sk);
        }

        return segs;

    err:
        kfree_skb_list(segs);
        return null;
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

        // an fclone half goes back through its pair, not the NAPI cache
        if (skb.fclone != SKB_FCLONE_UNAVAILABLE)
        {
            __kfree_skb(skb, where);
            return;
        }

        bottom_half_h.local_bh_disable(k);
        __napi_kfree_skb(skb, skb_drop_reason.SKB_CONSUMED, where);
        bottom_half_h.local_bh_enable(k);
    }

    // net/core/skbuff.c: skb_pull_rcsum
    /// <summary>skb_pull keeping a CHECKSUM_COMPLETE sum right (skb->csum is not modelled, so only the pull remains). Returns the new data offset.</summary>
    [Borrows("skb")]
    public static int skb_pull_rcsum(sk_buff skb, int len)
    {
        System.Diagnostics.Debug.Assert(len <= skb.len, "skb_pull_rcsum past the end");

        // not ported: skb_postpull_rcsum — no skb->csum to adjust (no device hands up CHECKSUM_COMPLETE); its
        //   CHECKSUM_PARTIAL case (a pull past csum_start turns the skb CHECKSUM_NONE) cannot arise: the one
        //   caller, skb_vlan_untag, pulls a VLAN tag, before any csum_start
        return __skb_pull(skb, len);
    }

    // net/core/skbuff.c: skb_reorder_vlan_header
    /// <summary>
    /// After the tag was pulled, moves the MAC addresses forward over it so
    /// the MAC header ends where the network header starts again (the frame
    /// reads as untagged). Frees the skb and returns null when the head
    /// cannot be made private.
    /// </summary>
    [Consumes("skb")]
    private static sk_buff? skb_reorder_vlan_header(sk_buff skb)
    {
        // not ported: kfree_skb, skb_metadata_end, skb_metadata_len — no XDP metadata; the free is kfree_skb_reason(NOT_SPECIFIED), what kfree_skb expands to
        if (skb_cow(skb, skb_headroom(skb)) < 0)
        {
            // 6.18 frees it with plain kfree_skb: NOT_SPECIFIED
            kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
            return null;
        }

        var mac_len = skb.data - skb_mac_header(skb);
        if (mac_len > if_vlan_h.VLAN_HLEN + Include.Uapi.Linux.if_ether_h.ETH_TLEN)
        {
            var n = mac_len - if_vlan_h.VLAN_HLEN - Include.Uapi.Linux.if_ether_h.ETH_TLEN;
            skb.head.AsSpan(skb_mac_header(skb), n).CopyTo(skb.head.AsSpan(skb_mac_header(skb) + if_vlan_h.VLAN_HLEN, n));
        }

        // skb_metadata_len: no XDP metadata in front of the frame.
        skb.mac_header += if_vlan_h.VLAN_HLEN;
        return skb;
    }

    // net/core/skbuff.c: skb_vlan_untag
    /// <summary>
    /// A frame with its 802.1Q tag in the data (a NIC or veth that did not
    /// strip it): the tag moves beside the data (skb->vlan_proto/vlan_tci),
    /// the frame is shifted to read as untagged and skb->protocol becomes the
    /// encapsulated type. An skb already carrying a tag beside its data is
    /// left alone. A frame too short for the tag is freed (kfree_skb:
    /// NOT_SPECIFIED) and null returned. Softirq.
    /// </summary>
    [Consumes("skb")]
    public static sk_buff? skb_vlan_untag(sk_buff skb)
    {
        // not ported: kfree_skb — the free is kfree_skb_reason(NOT_SPECIFIED), what kfree_skb expands to
        if (if_vlan_h.skb_vlan_tag_present(skb))
        {
            // The tag was taken off already; this is for another round.
            return skb;
        }

        sk_buff? r = skb_share_check(skb);
        if (r is null)
        {
            return null;
        }

        skb = r;

        // Two bytes past the tag are read by vlan_set_encap_proto.
        if (!pskb_may_pull(skb, if_vlan_h.VLAN_HLEN + sizeof(ushort)))
        {
            goto err_free;
        }

        var vhdr_off = skb.data;
        var vhdr = new vlan_hdr(skb.head.AsSpan(vhdr_off, if_vlan_h.VLAN_HLEN));
        var vlan_tci = vhdr.h_vlan_TCI;
        var encap = vhdr.h_vlan_encapsulated_proto;
        if_vlan_h.__vlan_hwaccel_put_tag(skb, skb.protocol, vlan_tci);

        skb_pull_rcsum(skb, if_vlan_h.VLAN_HLEN);
        if_vlan_h.vlan_set_encap_proto(skb, encap, vhdr_off + if_vlan_h.VLAN_HLEN);

        r = skb_reorder_vlan_header(skb);
        if (r is null)
        {
            return null;
        }

        skb = r;
        skb_reset_network_header(skb);
        if (!skb_transport_header_was_set(skb))
        {
            skb_reset_transport_header(skb);
        }

        skb_reset_mac_len(skb);
        return skb;

    err_free:
        // 6.18 frees it with plain kfree_skb: NOT_SPECIFIED
        kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
        return null;
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
        // not ported: kick_defer_list_purge, raw_smp_processor_id, skb_dst, skb_nfct — no remote kick: the owner CPU's next net_rx_action flushes the list; skb_dst and skb_nfct feed only a DEBUG_NET_WARN; the CPU id is k.smp_processor_id()
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

    // net/core/skbuff.c: linear_to_page
    /// <summary>
    /// The head's bytes can't be handed to a pipe by reference (a kmalloc'd
    /// head is no page of its own): they are copied by the CPU into the
    /// socket's page frag, whose page then goes to the pipe. The page, or null
    /// when no page could be had; *len shrinks to what fit, *offset is where in the page.
    /// </summary>
    [Borrows("skb")]
    private static page? linear_to_page(sk_buff skb, ref int len, ref int offset, sock sk)
    {
        // not ported: page_address — the page is a byte array (page.mem), copied into directly
        var pfrag = Include.Net.sock_h.sk_page_frag(sk);
        if (!sock_c.sk_page_frag_refill(sk, pfrag))
        {
            return null;
        }

        len = Math.Min(len, pfrag.size - pfrag.offset);
        skb.head.AsSpan(offset, len).CopyTo(pfrag.page!.mem.AsSpan(pfrag.offset, len));
        skb.k.machine.CurrentCpu.ChargeCopy(len);
        offset = pfrag.offset;
        pfrag.offset += len;
        return pfrag.page;
    }

    // net/core/skbuff.c: spd_fill_page
    /// <summary>Adds a piece of a page (of the head: copied first) to the splice descriptor with a reference; true when the descriptor is full.</summary>
    [Borrows("skb")]
    private static bool spd_fill_page(Fs.splice_pipe_desc spd, sk_buff skb, page? page, ref int len, int offset, bool linear, sock sk)
    {
        // not ported: spd_can_coalesce — each piece goes to the pipe on its own: no page to merge with
        if (spd.nr_pages == MAX_SKB_FRAGS)
        {
            return true;
        }

        if (linear)
        {
            page = linear_to_page(skb, ref len, ref offset, sk);
            if (page is null)
            {
                return true;
            }
        }

        // spd_can_coalesce: the same page, right after the last piece
        if (spd.nr_pages > 0 && spd.pages[spd.nr_pages - 1] == page)
        {
            var last = spd.partial[spd.nr_pages - 1];
            if (last.offset + last.len == offset)
            {
                spd.partial[spd.nr_pages - 1] = (last.offset, last.len + len);
                return false;
            }
        }

        mm_h.get_page(page!);
        spd.pages.Add(page!);
        spd.partial.Add((offset, len));
        return false;
    }

    // net/core/skbuff.c: __splice_segment
    /// <summary>Splices what is wanted of one segment (the head, or a frag) past *off; true when done or full.</summary>
    [Borrows("skb")]
    private static bool __splice_segment(sk_buff skb, page? page, int poff, int plen, ref int off, ref int len, Fs.splice_pipe_desc spd, bool linear, sock sk)
    {
        if (len == 0)
        {
            return true;
        }

        if (off >= plen)
        {
            off -= plen;
            return false;
        }

        poff += off;
        plen -= off;
        off = 0;

        do
        {
            var flen = Math.Min(len, plen);
            if (spd_fill_page(spd, skb, page, ref flen, poff, linear, sk))
            {
                return true;
            }

            poff += flen;
            plen -= flen;
            len -= flen;
            if (len == 0)
            {
                return true;
            }
        }
        while (plen != 0);

        return false;
    }

    // net/core/skbuff.c: __skb_splice_bits
    /// <summary>The head (copied, as the head is locked), then the page frags by reference, then the frag_list.</summary>
    [Borrows("skb")]
    private static bool __skb_splice_bits(sk_buff skb, ref int offset, ref int len, Fs.splice_pipe_desc spd, sock sk)
    {
        // not ported: skb_frags_readable, skb_walk_frags — no unreadable frags; no frag_list skbs reach splice
        // the head: "page" is the head buffer, poff its data offset (linear_to_page copies from it)
        if (__splice_segment(skb, null, skb.data, skb_headlen(skb), ref offset, ref len, spd, skb_head_is_locked(skb), sk))
        {
            return true;
        }

        for (var seg = 0; seg < skb.shinfo.nr_frags; seg++)
        {
            ref var f = ref skb.shinfo.frags[seg];
            if (__splice_segment(skb, skb_frag_page(f), skb_frag_off(f), skb_frag_size(f), ref offset, ref len, spd, false, sk))
            {
                return true;
            }
        }

        for (var iter = skb.shinfo.frag_list; iter is not null; iter = iter.next)
        {
            if (offset >= iter.len)
            {
                offset -= iter.len;
                continue;
            }

            if (__skb_splice_bits(iter, ref offset, ref len, spd, sk))
            {
                return true;
            }
        }

        return false;
    }

    // net/core/skbuff.c: skb_splice_bits
    /// <summary>
    /// Splices <paramref name="tlen"/> bytes of <paramref name="skb"/> from
    /// <paramref name="offset"/> into the pipe (tcp_splice_read's actor): the
    /// pages go in with nosteal_pipe_buf_ops. The bytes spliced, or -errno.
    /// </summary>
    [Borrows("skb")]
    public static int skb_splice_bits(sk_buff skb, sock sk, int offset, pipe_inode_info pipe, int tlen, uint flags)
    {
        var spd = new Fs.splice_pipe_desc
        {
            nr_pages_max = MAX_SKB_FRAGS,
            ops = Fs.splice_c.nosteal_pipe_buf_ops,
        };
        var ret = 0;
        _ = flags;

        __skb_splice_bits(skb, ref offset, ref tlen, spd, sk);

        if (spd.nr_pages != 0)
        {
            ret = (int)Fs.splice_c.splice_to_pipe(pipe, spd);
        }

        return ret;
    }

    // net/core/skbuff.c: skb_append_pagefrags
    /// <summary>A piece of a page added as a frag (merged into the last when it continues it) with a page reference; -EMSGSIZE when the frags are used up.</summary>
    [Borrows("skb")]
    public static int skb_append_pagefrags(sk_buff skb, page page, int offset, int size, int max_frags)
    {
        // not ported: skb_zcopy_downgrade_managed — no managed zerocopy frags (io_uring)
        int i = skb.shinfo.nr_frags;

        if (skb_can_coalesce(skb, i, page, offset))
        {
            skb_frag_size_add(ref skb.shinfo.frags[i - 1], size);
        }
        else if (i < max_frags)
        {
            // skb_zcopy_downgrade_managed: no managed frags (io_uring's; not ported)
            mm_h.get_page(page);
            skb_fill_page_desc_noacc(skb, i, page, offset, size);
        }
        else
        {
            return -errno_h.EMSGSIZE;
        }

        return 0;
    }

    // net/core/skbuff.c: skb_splice_from_iter
    /// <summary>
    /// MSG_SPLICE_PAGES: up to <paramref name="maxsize"/> bytes of the
    /// message's bvec pages attached to the skb as frags (page references, no
    /// copy). The bytes spliced, or -EMSGSIZE when not one more frag fits.
    /// </summary>
    [Borrows("skb")]
    public static int skb_splice_from_iter(sk_buff skb, msghdr msg, int maxsize)
    {
        // not ported: iov_iter_extract_pages, iov_iter_revert, sendpage_ok, skb_splice_csum_page — user data is copied from the iterator's arrays: no pinned pages
        var frag_limit = skb.k.net_hotdata.sysctl_max_skb_frags;
        var spliced = 0;
        var ret = 0;

        while (msg.iov_len - msg.iov_offset > 0)
        {
            ret = -errno_h.EMSGSIZE;
            var space = frag_limit - skb.shinfo.nr_frags;
            if (space < 0)
            {
                break;
            }

            // iov_iter_extract_pages over the bvec: the page under the cursor, no reference taken (the pipe holds one)
            var (page, off, len) = msg_bvec_extract(msg, maxsize);
            if (len <= 0)
            {
                ret = len != 0 ? len : -errno_base_h.EIO;
                break;
            }

            // one compound page is one object here: the run within a bvec is one piece
            var part = len;
            ret = skb_append_pagefrags(skb, page!, off, part, frag_limit);
            if (ret < 0)
            {
                msg.iov_offset -= len; // iov_iter_revert
                goto @out;
            }

            // skb_splice_csum_page: the protocol checksums (CHECKSUM_PARTIAL), not CHECKSUM_NONE
            spliced += part;
            maxsize -= part;

            if (maxsize <= 0)
            {
                break;
            }
        }

    @out:
        skb_len_add(skb, spliced);
        return spliced != 0 ? spliced : ret;
    }

    /// <summary>The bvec piece under a msghdr's cursor, cut to <paramref name="maxsize"/>; the cursor advanced past it.</summary>
    [NotInLinux("iov_iter_extract_bvec_pages over the port's msghdr, which carries its iterator inline")]
    private static (page? Page, int Off, int Len) msg_bvec_extract(msghdr msg, int maxsize)
    {
        if (msg.msg_iter_bvec is null)
        {
            return (null, 0, -errno_base_h.EFAULT);
        }

        var skip = msg.iov_offset;
        foreach (var bv in msg.msg_iter_bvec)
        {
            if (skip >= bv.bv_len)
            {
                skip -= bv.bv_len;
                continue;
            }

            var len = Math.Min(bv.bv_len - skip, Math.Min(maxsize, msg.iov_len - msg.iov_offset));
            msg.iov_offset += len;
            return (bv.bv_page, bv.bv_offset + skip, len);
        }

        return (null, 0, 0);
    }

    // net/core/skbuff.c: sock_rmem_free
    /// <summary>The destructor of an error-queue skb: its truesize leaves the receive charge.</summary>
    [Borrows("skb")]
    private static void sock_rmem_free(sk_buff skb)
    {
        var sk = skb.sk!;

        sk.sk_rmem_alloc -= (int)skb.truesize;
    }

    // net/core/skbuff.c: skb_set_err_queue
    /// <summary>Marks an skb as an error-queue one: PACKET_OUTGOING, a type no skb received by a local socket carries.</summary>
    [Borrows("skb")]
    private static void skb_set_err_queue(sk_buff skb)
    {
        skb.pkt_type = PACKET_OUTGOING;
    }

    // net/core/skbuff.c: sock_queue_err_skb
    /// <summary>
    /// Queues <paramref name="skb"/> on the socket's error queue, charged to
    /// the receive side (-ENOMEM, skb still the caller's, when sk_rcvbuf is
    /// full), and tells the owner (sk_error_report) unless the socket is dead.
    /// Contract: queued (the queue owns it) on 0, still the caller's on
    /// -ENOMEM.
    /// </summary>
    [Consumes("skb", WhenReturns = 0)]
    public static int sock_queue_err_skb(sock sk, sk_buff skb)
    {
        // not ported: skb_dst_force — the skb holds its dst by a managed reference that stays valid past the RCU read section: no noref dst to upgrade
        if (sk.sk_rmem_alloc + skb.truesize >= (uint)sk.sk_rcvbuf)
        {
            return -errno_base_h.ENOMEM;
        }

        skb_orphan(skb);
        skb.sk = sk;
        skb.destructor = sock_rmem_free;
        sk.sk_rmem_alloc += (int)skb.truesize;
        skb_set_err_queue(skb);

        // skb_dst_force: no RCU here, the dst reference is already a plain one
        skb_queue_tail(sk.sk_error_queue, skb);
        if (!sock_h.sock_flag(sk, sock_flags.SOCK_DEAD))
        {
            sock_c.sk_error_report(sk);
        }

        return 0;
    }

    // net/core/skbuff.c: is_icmp_err_skb
    /// <summary>Is this an ICMP error (origin ICMP or ICMP6), whose errno sk_err mirrors?</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static bool is_icmp_err_skb(sk_buff? skb) =>
        skb is not null && (errqueue_h.SKB_EXT_ERR(skb).ee.ee_origin == Include.Uapi.Linux.errqueue_h.SO_EE_ORIGIN_ICMP ||
                            errqueue_h.SKB_EXT_ERR(skb).ee.ee_origin == Include.Uapi.Linux.errqueue_h.SO_EE_ORIGIN_ICMP6);

    // net/core/skbuff.c: sock_dequeue_err_skb
    /// <summary>
    /// Takes the head of the error queue (null when empty). sk_err follows an
    /// ICMP error next in line, or is cleared when an ICMP one left and none
    /// follows; if more remain the owner is told again (a new EPOLLERR).
    /// </summary>
    public static sk_buff? sock_dequeue_err_skb(sock sk)
    {
        var q = sk.sk_error_queue;
        sk_buff? skb, skb_next = null;
        var icmp_next = false;

        if (skb_queue_empty_lockless(q))
        {
            return null;
        }

        // spin_lock_irqsave(&q->lock): against the softirq that queues (one thread here)
        skb = __skb_dequeue(q);
        if (skb is not null && (skb_next = skb_peek(q)) is not null)
        {
            icmp_next = is_icmp_err_skb(skb_next);
            if (icmp_next)
            {
                sk.sk_err = (int)errqueue_h.SKB_EXT_ERR(skb_next).ee.ee_errno;
            }
        }

        // spin_unlock_irqrestore
        if (is_icmp_err_skb(skb) && !icmp_next)
        {
            sk.sk_err = 0;
        }

        if (skb_next is not null)
        {
            sock_c.sk_error_report(sk);
        }

        return skb;
    }

    // net/core/skbuff.c: __skb_complete_tx_timestamp
    /// <summary>
    /// Turns <paramref name="skb"/> into a timestamp report (ENOMSG,
    /// SO_EE_ORIGIN_TIMESTAMPING, ee_info the stamp type; with OPT_ID ee_data
    /// the key, for TCP relative to sk_tskey) and queues it on the error
    /// queue, or frees it when the queue is full.
    /// </summary>
    [Consumes("skb")]
    private static void __skb_complete_tx_timestamp(sk_buff skb, sock sk, int tstype, bool opt_stats)
    {
        // not ported: kfree_skb — the free is kfree_skb_reason(NOT_SPECIFIED), what kfree_skb expands to
        int err;

        // memset(serr, 0, sizeof(*serr)): the extended error replaces what the cb held
        var serr = errqueue_h.SKB_EXT_ERR(skb);
        serr.memset();
        serr.ee.ee_errno = (uint)errno_h.ENOMSG;
        serr.ee.ee_origin = Include.Uapi.Linux.errqueue_h.SO_EE_ORIGIN_TIMESTAMPING;
        serr.ee.ee_info = (uint)tstype;
        serr.opt_stats = opt_stats;
        serr.h4.iif = skb.dev is not null ? skb.dev.ifindex : 0;
        if ((sk.sk_tsflags & Include.Uapi.Linux.net_tstamp_h.SOF_TIMESTAMPING_OPT_ID) != 0)
        {
            serr.ee.ee_data = skb.shinfo.tskey;
            if (sock_h.sk_is_tcp(sk))
            {
                serr.ee.ee_data -= sk.sk_tskey;
            }
        }

        err = sock_queue_err_skb(sk, skb);

        if (err != 0)
        {
            // 6.18 frees with plain kfree_skb here
            kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
        }
    }

    // net/core/skbuff.c: skb_may_tx_timestamp
    /// <summary>
    /// May the report carry the packet's bytes? Always with OPT_TSONLY or
    /// net.core.tstamp_allow_data (default 1); otherwise only for a socket
    /// whose opener had CAP_NET_RAW — every simulated task runs as root.
    /// </summary>
    private static bool skb_may_tx_timestamp(sock sk, bool tsonly)
    {
        if (tsonly || sk.sk_net.core_sysctl["tstamp_allow_data"] != 0)
        {
            return true;
        }

        // read_lock_bh(&sk->sk_callback_lock); file_ns_capable(CAP_NET_RAW): root, when the socket has a file
        return sk.sk_socket is not null;
    }

    // net/core/skbuff.c: skb_complete_tx_timestamp
    /// <summary>
    /// A driver's deferred TX timestamp (a clone it kept from skb_clone_sk)
    /// is reported as SCM_TSTAMP_SND. Consumes skb on every path.
    /// </summary>
    [Consumes("skb")]
    public static void skb_complete_tx_timestamp(sk_buff skb, skb_shared_hwtstamps? hwtstamps)
    {
        // not ported: kfree_skb, skb_hwtstamps, sock_put — no NIC hardware stamps; no socket refcounts; the free is kfree_skb_reason(NOT_SPECIFIED), what kfree_skb expands to
        var sk = skb.sk;

        if (sk is null || !skb_may_tx_timestamp(sk, false))
        {
            goto err;
        }

        // refcount_inc_not_zero(&sk->sk_refcnt), sock_put: the port keeps no socket reference count
        // *skb_hwtstamps(skb) = *hwtstamps: not ported — no NIC stamps (hwtstamps is always null here)
        _ = hwtstamps;
        __skb_complete_tx_timestamp(skb, sk, Include.Uapi.Linux.errqueue_h.SCM_TSTAMP_SND, false);
        return;

    err:
        // 6.18 frees with plain kfree_skb here
        kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
    }

    // net/core/skbuff.c: skb_tstamp_tx_report_so_timestamping
    /// <summary>Did the send ask (through SO_TIMESTAMPING) for a stamp of this type?</summary>
    [Borrows("skb")]
    private static bool skb_tstamp_tx_report_so_timestamping(sk_buff skb, skb_shared_hwtstamps? hwtstamps, int tstype)
    {
        switch (tstype)
        {
            case Include.Uapi.Linux.errqueue_h.SCM_TSTAMP_SCHED:
                return (skb.shinfo.tx_flags & SKBTX_SCHED_TSTAMP) != 0;
            case Include.Uapi.Linux.errqueue_h.SCM_TSTAMP_SND:
                return (skb.shinfo.tx_flags & (hwtstamps is not null ? SKBTX_HW_TSTAMP_NOBPF : SKBTX_SW_TSTAMP)) != 0;
            case Include.Uapi.Linux.errqueue_h.SCM_TSTAMP_ACK:
                return skb.cb_obj is tcp_skb_cb tcb && (tcb.txstamp_ack & Include.Net.tcp_h.TSTAMP_ACK_SK) != 0;
            case Include.Uapi.Linux.errqueue_h.SCM_TSTAMP_COMPLETION:
                return (skb.shinfo.tx_flags & SKBTX_COMPLETION_TSTAMP) != 0;
        }

        return false;
    }

    // net/core/skbuff.c: __skb_tstamp_tx
    /// <summary>
    /// Reports a TX timestamp of type <paramref name="tstype"/> for
    /// <paramref name="orig_skb"/> on <paramref name="sk"/>'s error queue, if
    /// the send asked for it: a clone of the packet (its zerocopy frags copied)
    /// or, with OPT_TSONLY, an empty skb carrying the flags and key, stamped
    /// now. The skb stays the caller's.
    /// </summary>
    [Borrows("orig_skb")]
    [Borrows("ack_skb")]
    public static void __skb_tstamp_tx(sk_buff orig_skb, sk_buff? ack_skb, skb_shared_hwtstamps? hwtstamps, sock? sk, int tstype)
    {
        // not ported: sk_is_tcp — it only gates the OPT_STATS report of TCP sockets, not ported below
        sk_buff? skb;
        bool tsonly, opt_stats = false;
        uint tsflags;

        if (sk is null)
        {
            return;
        }

        // not ported: skb_tstamp_tx_report_bpf_timestamping (SKBTX_BPF) — no BPF programs
        if (!skb_tstamp_tx_report_so_timestamping(orig_skb, hwtstamps, tstype))
        {
            return;
        }

        tsflags = sk.sk_tsflags;
        if (hwtstamps is null && (tsflags & Include.Uapi.Linux.net_tstamp_h.SOF_TIMESTAMPING_OPT_TX_SWHW) == 0 &&
            (orig_skb.shinfo.tx_flags & SKBTX_IN_PROGRESS) != 0)
        {
            return;
        }

        tsonly = (tsflags & Include.Uapi.Linux.net_tstamp_h.SOF_TIMESTAMPING_OPT_TSONLY) != 0;
        if (!skb_may_tx_timestamp(sk, tsonly))
        {
            return;
        }

        if (tsonly)
        {
            // not ported: tcp_get_timestamping_opt_stats (OPT_STATS) — the report is an empty skb either way
            _ = ack_skb;
            skb = alloc_skb(orig_skb.k, 0);
        }
        else
        {
            skb = skb_clone(orig_skb);

            if (skb is not null && skb_orphan_frags_rx(skb, 0) != 0)
            {
                // 6.18 frees with plain kfree_skb here
                kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
                return;
            }
        }

        if (skb is null)
        {
            return;
        }

        if (tsonly)
        {
            skb.shinfo.tx_flags |= (byte)(orig_skb.shinfo.tx_flags & SKBTX_ANY_TSTAMP);
            skb.shinfo.tskey = orig_skb.shinfo.tskey;
        }

        // *skb_hwtstamps(skb) = *hwtstamps: not ported — no NIC stamps
        __net_timestamp(skb);

        __skb_complete_tx_timestamp(skb, sk, tstype, opt_stats);
    }

    // net/core/skbuff.c: skb_tstamp_tx
    /// <summary>The SCM_TSTAMP_SND report of a packet leaving through a driver (skb_tx_timestamp).</summary>
    [Borrows("orig_skb")]
    public static void skb_tstamp_tx(sk_buff orig_skb, skb_shared_hwtstamps? hwtstamps) =>
        __skb_tstamp_tx(orig_skb, null, hwtstamps, orig_skb.sk, Include.Uapi.Linux.errqueue_h.SCM_TSTAMP_SND);
}
