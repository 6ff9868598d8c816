// Ports net/core/skbuff.c: allocating, cloning, copying and freeing sk_buffs.
//
// not ported: page frags and frag_list (the head is linear), fclones (a
// clone is a separate allocation), the per-CPU skb caches and bulk free,
// GSO segmentation. departure: skbs are not pooled yet.
using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using static KernelNet.Kernel.Include.Trace.Events.skb_h;

namespace KernelNet.Kernel.Net.Core;

public static class skbuff_c
{
    // net/core/skbuff.c: __alloc_skb
    /// <summary>
    /// Allocates an skb with a linear buffer of at least <paramref name="size"/>
    /// bytes (rounded to a cache line, with the shared info after it); data,
    /// tail and len start at zero. truesize charges the buffer and the struct.
    /// </summary>
    public static sk_buff? __alloc_skb(Vmlinux k, int size, int flags, [CallerMemberName] string site = "")
    {
        var data_size = SKB_DATA_ALIGN(size);
        var skb = new sk_buff(k, k.alloc_address(SKB_TRUESIZE_OVERHEAD), site)
        {
            head = new byte[data_size],
            data = 0,
            tail = 0,
            end = data_size,
            truesize = (uint)(SKB_DATA_ALIGN(data_size + SKB_SHINFO_SIZE) + SKB_TRUESIZE_OVERHEAD),
            mac_header = sk_buff.MAC_HEADER_UNSET,
            transport_header = 0xffff,
            alloc_cpu = k.smp_processor_id(),
        };
        k.skb_ledger.OnAlloc(skb);
        return skb;
    }

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

    // net/core/skbuff.c: skb_put
    /// <summary>Extends the data area at the tail; returns the offset of the new bytes. Panics past end.</summary>
    public static int skb_put(sk_buff skb, int len)
    {
        var tmp = skb.tail;
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

    // net/core/skbuff.c: __pskb_pull_tail
    /// <summary>Would pull paged data into the head; the head is always linear here, so nothing is left to pull.</summary>
    public static int __pskb_pull_tail(sk_buff skb, int delta)
    {
        return delta <= skb.data_len ? skb.tail : -1;
    }

    // net/core/skbuff.c: skb_copy_bits
    /// <summary>Copies <paramref name="len"/> bytes from data+<paramref name="offset"/> into <paramref name="to"/>; -EFAULT outside the buffer.</summary>
    public static int skb_copy_bits(sk_buff skb, int offset, Span<byte> to, int len)
    {
        // A negative offset reads headers in front of data (an ICMP error quoting the IP header).
        if (offset > skb.len - len || skb.data + offset < 0)
        {
            return -errno_base_h.EFAULT;
        }

        skb.head.AsSpan(skb.data + offset, len).CopyTo(to);
        return 0;
    }

    // net/core/skbuff.c: __copy_skb_header
    private static void __copy_skb_header(sk_buff @new, sk_buff old)
    {
        @new.tstamp = old.tstamp;
        @new.dev = old.dev;
        @new.dst = old.dst;
        old.cb.AsSpan().CopyTo(@new.cb);
        @new.cb_obj = old.cb_obj;
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
        @new.transport_header = old.transport_header;
        @new.network_header = old.network_header;
        @new.mac_header = old.mac_header;
        @new.mac_len = old.mac_len;
    }

    // net/core/skbuff.c: __skb_clone
    private static sk_buff __skb_clone(sk_buff n, sk_buff skb)
    {
        __copy_skb_header(n, skb);
        n.len = skb.len;
        n.data_len = skb.data_len;
        n.cloned = true;
        n.sk = null;
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

    // net/core/skbuff.c: skb_clone
    /// <summary>
    /// A new sk_buff that shares the data buffer (TX-2: descriptor only, the
    /// payload is not copied); both must be freed.
    /// </summary>
    public static sk_buff? skb_clone(sk_buff skb, [CallerMemberName] string site = "")
    {
        var n = new sk_buff(skb.k, skb.k.alloc_address(SKB_TRUESIZE_OVERHEAD), site);
        skb.k.skb_ledger.OnAlloc(n);
        return __skb_clone(n, skb);
    }

    // net/core/skbuff.c: skb_copy
    /// <summary>A private copy of header and data (a real copy of the payload).</summary>
    public static sk_buff? skb_copy(sk_buff skb, [CallerMemberName] string site = "")
    {
        var headerlen = skb_headroom(skb);
        var size = skb.end;
        var n = __alloc_skb(skb.k, size, 0, site);
        if (n is null)
        {
            return null;
        }

        skb_reserve(n, headerlen);
        skb_put(n, skb.len);
        skb.head.AsSpan(0, skb.tail).CopyTo(n.head);
        __copy_skb_header(n, skb);
        return n;
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

    // net/core/skbuff.c: skb_release_data
    /// <summary>Drops this skb's reference to the data buffer; the last one frees it.</summary>
    private static void skb_release_data(sk_buff skb)
    {
        if (skb.cloned || skb.shinfo.dataref > 1)
        {
            skb.shinfo.dataref--;
        }

        skb.head = Array.Empty<byte>();
    }

    // net/core/skbuff.c: skb_release_all
    private static void skb_release_all(sk_buff skb)
    {
        skb_release_head_state(skb);
        skb_release_data(skb);
    }

    // net/core/skbuff.c: kfree_skbmem
    private static void kfree_skbmem(sk_buff skb, string where)
    {
        skb.freed = true;
        skb.k.skb_ledger.OnFree(skb, where);
    }

    // net/core/skbuff.c: __kfree_skb
    /// <summary>Frees the skb now, whatever its users count says (the caller dropped the last reference).</summary>
    public static void __kfree_skb(sk_buff skb, [CallerMemberName] string where = "")
    {
        skb_release_all(skb);
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

    // net/core/skbuff.c: napi_consume_skb
    /// <summary>
    /// TX completion's free from NAPI: a consume. The per-CPU NAPI skb cache
    /// it feeds is not modelled, so the skb is freed outright.
    /// </summary>
    [Consumes("skb")]
    public static void napi_consume_skb(sk_buff? skb, int budget, [CallerMemberName] string location = "")
    {
        if (budget == 0)
        {
            // a zero budget means the caller is not NAPI (netpoll), whatever its context
            if (skb is not null)
            {
                Include.Linux.netdevice_h.dev_consume_skb_any(skb);
            }

            return;
        }

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
    /// <summary>Frees into the per-CPU NAPI skb cache (the cache itself is not modelled): no tracepoint.</summary>
    [Consumes("skb")]
    public static void __napi_kfree_skb(sk_buff skb, skb_drop_reason reason, [CallerMemberName] string where = "")
    {
        _ = reason;
        __kfree_skb(skb, where);
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
}
