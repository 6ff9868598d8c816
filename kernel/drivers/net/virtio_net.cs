// Ports drivers/net/virtio_net.c: the virtio network driver on one queue
// pair, as it runs on this machine's eth0 — receive into mergeable buffers
// carved from 32 KiB page frags that the driver maps once per page
// (premapped: virtnet_rq_alloc), the skb built around or copied out of the
// first buffer (page_to_skb) and the rest added as page frags, then GRO;
// NAPI per receive queue (virtnet_poll, which also cleans the transmit
// queue) and per transmit queue (virtnet_poll_tx: napi_tx is on because the
// driver set the queues' affinity hints); transmit pushes the 12-byte
// header in front of the frame and exposes head and frags as one chain,
// kicking the device unless it said it needs no kick (EVENT_IDX); the queue
// stops when fewer than MAX_SKB_FRAGS + 2 descriptors are free.
//
// not ported: the control virtqueue and everything behind it (MQ, RSS and
// hash reports, MAC/VLAN/promisc filters, link announce, coalescing
// commands, device stats), XDP and AF_XDP (receive_*_xdp, xsk), small and
// big receive buffers (the device offers MRG_RXBUF, so mergeable buffers
// are all that runs), checksum and segmentation offload (the device offers
// neither CSUM/GUEST_CSUM nor TSO: the stack checksums and segments in
// software), dim (adaptive interrupt moderation), the refill work (the
// page allocator of the simulation never fails), config-change work and
// VIRTIO_NET_F_STATUS (the link is up from open), the napi_tx=N path
// (VIRTNET_XMIT_TYPE_SKB_ORPHAN, skb_orphan in start_xmit), byte queue
// limits (__netdev_tx_sent_queue is taken as "kick"), suspend/resume,
// sysfs, the per-queue stats of the netdev qstats API, ethtool's
// coalescing/ring resize/channel changes.
// departure: napi_enable/napi_disable are not in the port's core yet; the
// driver clears and sets NAPI_STATE_DISABLE itself at those points, as igb
// does. No carrier state exists in the port (netif_carrier_on/off).
// not ported: virtnet_xdp_get_sq, virtnet_xdp_put_sq, virtqueue_kick_prepare,
// virtqueue_notify, xdp_rxq_info_unreg, xdp_return_frame, xdp_get_frame_len,
// xsk_tx_completed, virtnet_ptr_to_xsk_buff_len — XDP and AF_XDP are not
// ported: no XDP_TX queue to kick after a poll, no xdp_rxq to register, no xdp
// or xsk frames among the transmit tokens (every token is an skb).
// not ported: virtnet_xmit_ptr_unpack — the transmit token is the sk_buff
// object itself, not a pointer tagged with its kind.
// not ported: cancel_delayed_work_sync, disable_delayed_refill,
// enable_delayed_refill, schedule_delayed_work, INIT_DELAYED_WORK — the
// refill work: the simulated page allocator never fails, so no refill is
// ever deferred to a work item.
// not ported: INIT_WORK, cancel_work_sync, enable_rx_mode_work,
// disable_rx_mode_work, virtio_config_changed, virtio_config_driver_disable,
// virtnet_update_settings, virtnet_init_settings — config-change and rx-mode
// work items and link/speed settings from the config space: the link is up
// from open and no config change is ever signalled.
// not ported: virtio_has_feature — where open and find_vqs test STATUS or the
// control queue's features (neither is negotiated by the model).
// not ported: virtnet_cancel_dim, virtnet_init_irq_moder, virtnet_free_irq_moder
// — dim (adaptive interrupt moderation) is not ported.
// not ported: virtnet_disable_queue_pair — open's unwind when enabling a pair
// fails; enabling cannot fail without the xdp_rxq registration.
// not ported: raw_smp_processor_id — the tx queue lock's owner CPU: one
// thread, the lock is not taken.
// not ported: skb_shinfo, skb_vnet_common_hdr, virtio_net_hdr_tnl_from_skb —
// the 12-byte header is filled in place without offloads (no GSO, no checksum
// offload, no tunnel fields), and the skb's shared info is read through the
// port's own accessors where frags are walked.
// not ported: virtnet_add_outbuf — the sg chain goes to virtqueue_add_outbuf
// directly with the skb as its token (no token tagging).
// not ported: DEV_STATS_INC, DEV_STATS_READ — the netdev error counters are
// plain fields incremented and read directly (one thread, no atomics).
// not ported: netif_xmit_stopped, skb_get_queue_mapping,
// netdev_get_tx_queue, netdev_tx_reset_queue — one queue pair, and byte queue
// limits are not ported (the kick decision does not consult BQL state).
// not ported: netdev_priv, virtnet_send_rx_ctrl_coal_vq_cmd,
// virtnet_send_tx_ctrl_coal_vq_cmd, virtqueue_get_vring_size,
// netif_set_real_num_rx_queues, netif_set_real_num_tx_queues,
// virtnet_set_affinity, virtnet_clean_affinity, virtnet_fill_stats,
// virtnet_fill_total_fields, virtnet_get_hw_stats, virtnet_stats_ctx_init —
// ethtool ring resize, channel changes, coalescing commands and the detailed
// per-queue/device statistics need the control queue or a resize of the ring;
// the private area is the virtnet_info object reached through the device.
// not ported: kfree, kcalloc, kzalloc, kmalloc, free_netdev,
// free_receive_page_frags — memory is managed by the runtime (objects and
// arrays are collected, nothing is freed by hand).
// not ported: synchronize_net, cond_resched — no concurrent RCU readers and
// no preemption in the single-threaded simulation.
// not ported: netif_napi_add_config — no persistent per-NAPI config; the
// NAPIs are added with netif_napi_add_weight.
// not ported: netif_queue_set_napi, vq2rxq, vq2txq — the netdev-genl link
// from a queue to its NAPI is not ported, so its queue index is not computed.
// not ported: SET_NETDEV_DEV, alloc_etherdev_mq, eth_hw_addr_set,
// netif_carrier_off, unregister_netdev, rtnl_lock, rtnl_unlock,
// virtio_cread8, virtio_cread16, virtio_cread32, virtio_offload_to_feature,
// virtio_reset_device, virtnet_commit_rss_command, virtnet_cpu_notif_add,
// virtnet_del_vqs, virtnet_init_default_rss, virtnet_rss_hdr_size,
// virtnet_send_command, virtnet_send_command_reply, virtnet_set_big_packets,
// virtnet_set_queues — probe's sysfs parent, its config-space reads of
// MTU/MQ/RSS sizes, the control-queue commands, big packets and CPU hotplug
// notifiers, and its error unwind: the model offers a fixed MAC and one
// queue pair, the device is created with alloc_etherdev_mqs and the address
// stored in dev_addr, and probe does not fail.
// not ported: build_skb — napi_build_skb is what it amounts to in NAPI context.
// not ported: SKB_DATA_ALIGN, skb_put_data, page_address, virt_to_head_page —
// receive buffers are a page and an offset, not kernel virtual addresses, and
// the copied head is written through the port's skb data helpers.
// not ported: sg_fill_dma, virtqueue_map_mapping_error, virtqueue_map_need_sync
// — the premapped DMA address is the page's simulated address; mapping cannot
// fail and there is no cache to sync.
// not ported: virtio16_to_cpu — num_buffers is read as a little-endian field
// (virtio 1.x, a little-endian device).
// not ported: netif_wake_subqueue — without TX NAPI the queue is woken with
// netif_tx_wake_queue on its netdev_queue, which is what netif_wake_subqueue
// does for a queue index.

using System;
using System.Collections.Generic;
using KernelNet.Annotations;
using KernelNet.Kernel.Drivers.Virtio;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Drivers.Virtio.virtio_ring_c;
using static KernelNet.Kernel.Include.Linux.mm_h;
using static KernelNet.Kernel.Include.Linux.netdevice_h;
using static KernelNet.Kernel.Include.Linux.scatterlist_h;
using static KernelNet.Kernel.Include.Linux.virtio_net_h;
using static KernelNet.Kernel.Lib.scatterlist_c;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Include.Linux.virtio_config_h;
using static KernelNet.Kernel.Include.Uapi.Linux.virtio_net_h;
using static KernelNet.Kernel.Net.Core.dev_c;
using static KernelNet.Kernel.Net.Core.skbuff_c;
using static KernelNet.Kernel.Net.Ethernet.eth_c;
using virtio_config_h_uapi = KernelNet.Kernel.Include.Uapi.Linux.virtio_config_h;
using virtio_net_h_linux = KernelNet.Kernel.Include.Linux.virtio_net_h;

namespace KernelNet.Kernel.Drivers.Net;

/// <summary>struct virtnet_rq_dma: the one mapping of a receive page frag, kept in front of the buffers carved from it.</summary>
public sealed class virtnet_rq_dma
{
    /// <summary>sizeof(struct virtnet_rq_dma): addr, len, ref, need_sync.</summary>
    public const int Size = 16;

    /// <summary>Bus address of the page's bytes after this header.</summary>
    public ulong addr;

    public int len;

    /// <summary>Buffers of the page still with the device, plus one while the page is the frag being carved.</summary>
    public int @ref;

    public bool need_sync;

    /// <summary>The page this header heads (page_address(page) == dma in C).</summary>
    public page page = null!;
}

/// <summary>
/// A receive buffer as the ring hands it back: where it lies in its page (a
/// pointer into the page in C, from which virt_to_head_page finds the page
/// and page_address the virtnet_rq_dma in front).
/// </summary>
public sealed class virtnet_rx_buf
{
    public virtnet_rq_dma dma = null!;

    /// <summary>Offset of the buffer in the page.</summary>
    public int offset;
}

/// <summary>struct virtnet_rq_stats / virtnet_sq_stats: the u64_stats of one queue.</summary>
public sealed class virtnet_queue_stats
{
    public ulong packets, bytes, drops, kicks, xdp_packets, xdp_tx, xdp_redirects, xdp_drops, xdp_tx_drops, tx_timeouts, stop, wake;
}

/// <summary>struct receive_queue.</summary>
public sealed class receive_queue
{
    public virtqueue vq = null!;

    public napi_struct napi = null!;

    public virtnet_queue_stats stats { get; } = new();

    /// <summary>Packets received since the last dim sample.</summary>
    public int packets_in_napi;

    /// <summary>Interrupts taken (skb_recv_done).</summary>
    public ulong calls;

    /// <summary>ewma_pkt_len: the average packet length buffers are sized for (weight 1/64, no fraction bits).</summary>
    public ulong mrg_avg_pkt_len;

    /// <summary>The page frag the buffers are carved from.</summary>
    public page_frag alloc_frag { get; } = new();

    /// <summary>The scatterlist handed to the ring (one entry per buffer).</summary>
    public scatterlist[] sg { get; } = NewSg();

    public int min_buf_len;

    public string name = "";

    /// <summary>The mapping of the page last carved from (released when its last buffer returns).</summary>
    public virtnet_rq_dma? last_dma;

    [NotInLinux("allocates the fixed scatterlist array of the struct")]
    internal static scatterlist[] NewSg()
    {
        var sg = new scatterlist[skbuff_h.MAX_SKB_FRAGS + 2];
        for (var i = 0; i < sg.Length; i++)
        {
            sg[i] = new scatterlist();
        }

        return sg;
    }
}

/// <summary>struct send_queue.</summary>
public sealed class send_queue
{
    public virtqueue vq = null!;

    public napi_struct napi = null!;

    public virtnet_queue_stats stats { get; } = new();

    public scatterlist[] sg { get; } = receive_queue.NewSg();

    public string name = "";

    public bool reset;
}

/// <summary>struct virtnet_info: the driver's state for one device.</summary>
public sealed class virtnet_info
{
    public virtio_device vdev = null!;

    public net_device dev = null!;

    public send_queue[] sq = Array.Empty<send_queue>();

    public receive_queue[] rq = Array.Empty<receive_queue>();

    public ushort status;

    public int max_queue_pairs;

    public int curr_queue_pairs;

    public bool big_packets;

    public bool mergeable_rx_bufs;

    /// <summary>The header may share a descriptor with the frame (VERSION_1 or ANY_LAYOUT).</summary>
    public bool any_header_sg;

    public int hdr_len;

    public bool affinity_hint_set;

    public bool refill_enabled;

    /// <summary>The header of the packet being received (skb->cb holds it in C between page_to_skb and virtnet_receive_done).</summary>
    public virtio_net_hdr rx_hdr { get; } = new();

    /// <summary>The header being built for a transmit (written into the pushed headroom).</summary>
    public virtio_net_hdr tx_hdr { get; } = new();
}

public static class virtio_net_c
{
    private const int ENOMEM = 12, ENOSPC = 28, EPROTO = 71, EINVAL = 22, EOPNOTSUPP = 95;

    /// <summary>napi_weight (a module parameter): NAPI_POLL_WEIGHT.</summary>
    private const int napi_weight = 64;

    /// <summary>napi_tx (a module parameter): transmit completions in NAPI. On (Y) on this machine.</summary>
    private const bool napi_tx = true;

    /// <summary>GOOD_PACKET_LEN: an Ethernet frame with a VLAN tag and a 1500-byte payload.</summary>
    private const int GOOD_PACKET_LEN = if_ether_h.ETH_HLEN + if_vlan_h.VLAN_HLEN + if_ether_h.ETH_DATA_LEN;

    /// <summary>GOOD_COPY_LEN: at most this much of a frame is copied into a fresh skb's head.</summary>
    private const int GOOD_COPY_LEN = 128;

    /// <summary>L1_CACHE_BYTES on x86-64.</summary>
    private const int L1_CACHE_BYTES = 64;

    /// <summary>MRG_CTX_HEADER_SHIFT: a mergeable buffer's context is (headroom &lt;&lt; 22) | truesize.</summary>
    private const int MRG_CTX_HEADER_SHIFT = 22;

    /// <summary>SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) on x86-64.</summary>
    private const int SHINFO_SIZE = 320;

    /// <summary>The features the driver understands (features[] of virtio_net.c, those this port acts on).</summary>
    private static readonly System.Collections.Immutable.ImmutableArray<int> features =
    [
        VIRTIO_NET_F_MAC, VIRTIO_NET_F_MRG_RXBUF, Include.Uapi.Linux.virtio_ring_h.VIRTIO_RING_F_EVENT_IDX, virtio_config_h_uapi.VIRTIO_F_VERSION_1,
    ];

    /// <summary>The virtio_net driver as it registers with the virtio bus.</summary>
    public static readonly virtio_driver virtio_net_driver = new()
    {
        name = "virtio_net",
        feature_table = features,
        probe = virtnet_probe,
        remove = virtnet_remove,
    };

    // drivers/net/virtio_net.c: vq2txq
    private static int vq2txq(virtqueue vq) => (vq.index - 1) / 2;

    // drivers/net/virtio_net.c: txq2vq
    private static int txq2vq(int txq) => (txq * 2) + 1;

    // drivers/net/virtio_net.c: vq2rxq
    private static int vq2rxq(virtqueue vq) => vq.index / 2;

    // drivers/net/virtio_net.c: rxq2vq
    private static int rxq2vq(int rxq) => rxq * 2;

    // drivers/net/virtio_net.c: __free_old_xmit
    /// <summary>Takes every transmitted skb back from the ring and frees it (napi_consume_skb: bulk-freed in NAPI).</summary>
    private static void __free_old_xmit(send_queue sq, netdev_queue txq, bool in_napi, virtnet_queue_stats stats)
    {
        object? ptr;
        while ((ptr = virtqueue_get_buf(sq.vq, out _)) is not null)
        {
            // not ported: virtnet_xmit_ptr_unpack's ORPHAN, XDP and XSK types — only NAPI-completed skbs are queued
            var skb = (sk_buff)ptr;
            stats.packets++;
            stats.bytes += (ulong)skb.len;
            napi_consume_skb(skb, in_napi ? 1 : 0);
        }

        // not ported: netdev_tx_completed_queue — byte queue limits
        _ = txq;
    }

    // drivers/net/virtio_net.c: virtnet_free_old_xmit
    private static void virtnet_free_old_xmit(send_queue sq, netdev_queue txq, bool in_napi, virtnet_queue_stats stats)
    {
        __free_old_xmit(sq, txq, in_napi, stats);
        // not ported: virtnet_xsk_completed — no AF_XDP
    }

    // drivers/net/virtio_net.c: virtqueue_napi_schedule
    /// <summary>Schedules the queue's NAPI and, if it was not already, silences the queue's interrupts until the poll re-enables them.</summary>
    private static void virtqueue_napi_schedule(napi_struct napi, virtqueue vq)
    {
        if (napi_schedule_prep(napi))
        {
            virtqueue_disable_cb(vq);
            __napi_schedule(napi);
        }
    }

    // drivers/net/virtio_net.c: virtqueue_napi_complete
    /// <summary>Re-enables the queue's interrupts and completes NAPI; if buffers were used meanwhile, schedules again. True when done.</summary>
    private static bool virtqueue_napi_complete(napi_struct napi, virtqueue vq, int processed)
    {
        var opaque = virtqueue_enable_cb_prepare(vq);
        if (napi_complete_done(napi, processed))
        {
            if (virtqueue_poll(vq, opaque))
            {
                virtqueue_napi_schedule(napi, vq);
            }
            else
            {
                return true;
            }
        }
        else
        {
            virtqueue_disable_cb(vq);
        }

        return false;
    }

    // drivers/net/virtio_net.c: skb_xmit_done
    /// <summary>The transmit queue's interrupt callback (hard IRQ, from vring_interrupt): silence it and schedule the TX NAPI.</summary>
    [HardIrqContext]
    private static void skb_xmit_done(virtqueue vq)
    {
        var vi = (virtnet_info)vq.vdev.priv!;
        var napi = vi.sq[vq2txq(vq)].napi;

        // Suppress further interrupts.
        virtqueue_disable_cb(vq);

        if (napi.weight != 0)
        {
            virtqueue_napi_schedule(napi, vq);
        }
        else
        {
            // Without TX NAPI: a stopped queue may go again.
            netif_tx_wake_queue(netdev_get_tx_queue(vi.dev, vq2txq(vq)));
        }
    }

    // drivers/net/virtio_net.c: mergeable_len_to_ctx
    private static uint mergeable_len_to_ctx(uint truesize, uint headroom) => (headroom << MRG_CTX_HEADER_SHIFT) | truesize;

    // drivers/net/virtio_net.c: mergeable_ctx_to_headroom
    private static uint mergeable_ctx_to_headroom(uint mrg_ctx) => mrg_ctx >> MRG_CTX_HEADER_SHIFT;

    // drivers/net/virtio_net.c: mergeable_ctx_to_truesize
    private static uint mergeable_ctx_to_truesize(uint mrg_ctx) => mrg_ctx & ((1u << MRG_CTX_HEADER_SHIFT) - 1);

    // drivers/net/virtio_net.c: check_mergeable_len
    /// <summary>A buffer the device claims to have filled beyond its room is an error (rx_length_errors); -1 then.</summary>
    private static int check_mergeable_len(net_device dev, uint mrg_ctx, uint len)
    {
        var truesize = mergeable_ctx_to_truesize(mrg_ctx);
        var headroom = mergeable_ctx_to_headroom(mrg_ctx);
        var tailroom = headroom != 0 ? (uint)SHINFO_SIZE : 0;
        var room = SKB_DATA_ALIGN(headroom + tailroom);
        if (len > truesize - room)
        {
            // pr_debug: rx error, len exceeds truesize
            dev.stats.rx_length_errors++;
            return -1;
        }

        return 0;
    }

    [NotInLinux("SKB_DATA_ALIGN: the cache-line round-up macro of skbuff.h")]
    private static uint SKB_DATA_ALIGN(uint x) => (x + (L1_CACHE_BYTES - 1)) & ~(uint)(L1_CACHE_BYTES - 1);

    // drivers/net/virtio_net.c: virtnet_build_skb
    /// <summary>An skb whose head is the receive buffer itself (no copy): data at <paramref name="headroom"/>, <paramref name="len"/> bytes.</summary>
    private static sk_buff? virtnet_build_skb(receive_queue rq, page page, int buf, int buflen, int headroom, int len)
    {
        // build_skb: the port's core has napi_build_skb, which is what build_skb amounts to in NAPI context.
        var skb = napi_build_skb(rq.napi.k, page, buf, buflen);
        if (skb is null)
        {
            return null;
        }

        skb_reserve(skb, headroom);
        skb_put(skb, len);
        return skb;
    }

    // drivers/net/virtio_net.c: page_to_skb
    /// <summary>
    /// The skb for the first buffer of a packet: built around the buffer when
    /// the packet is larger than GOOD_COPY_LEN and the buffer has room for
    /// skb_shared_info behind it; otherwise a 128-byte head gets the whole
    /// packet (or just the Ethernet header) copied and the rest stays in the
    /// page as frag 0. The header in front is kept for virtnet_receive_done.
    /// Takes over the buffer's page reference.
    /// </summary>
    private static sk_buff? page_to_skb(virtnet_info vi, receive_queue rq, page page, int offset, int len, int truesize, int headroom)
    {
        page? page_to_free = null;
        var p = offset;
        var hdr_p = p;
        var hdr_len = vi.hdr_len;

        // not ported: the padded_vnet_hdr of small/big buffers — mergeable only
        var hdr_padded_len = hdr_len;

        var buf = p - headroom;
        len -= hdr_len;
        offset += hdr_padded_len;
        p += hdr_padded_len;
        var tailroom = truesize - headroom - hdr_padded_len - len;
        var shinfo_size = SHINFO_SIZE;

        sk_buff? skb;

        // NET_IP_ALIGN is 0 on x86.
        if (len > GOOD_COPY_LEN && tailroom >= shinfo_size)
        {
            skb = virtnet_build_skb(rq, page, buf, truesize, p - buf, len);
            if (skb is null)
            {
                return null;
            }

            // not ported: give_pages of a big-packet chain (page->private) — mergeable buffers have none
            goto ok;
        }

        // Copy a small packet, so the page can be reused for small data.
        skb = napi_alloc_skb(rq.napi, GOOD_COPY_LEN);
        if (skb is null)
        {
            return null;
        }

        // All of it if it fits the head, else only the Ethernet header (GRO pulls the rest as needed).
        var copy = len <= skb_tailroom(skb) ? len : if_ether_h.ETH_HLEN;
        var at = skb_put(skb, copy);
        page.mem.AsSpan(p, copy).CopyTo(skb.head.AsSpan(at));
        len -= copy;
        offset += copy;

        if (vi.mergeable_rx_bufs)
        {
            if (len != 0)
            {
                skb_add_rx_frag(skb, 0, page, offset, len, (uint)truesize);
            }
            else
            {
                page_to_free = page;
            }

            goto ok;
        }

        // not ported: the big-packet page chain walk — mergeable only
    ok:
        // skb_vnet_common_hdr: the header goes with the skb (vi->rx_hdr stands in for skb->cb).
        var h = virtio_net_hdr.FromBytes(page.mem.AsSpan(hdr_p, virtio_net_hdr.Size));
        vi.rx_hdr.flags = h.flags;
        vi.rx_hdr.gso_type = h.gso_type;
        vi.rx_hdr.hdr_len = h.hdr_len;
        vi.rx_hdr.gso_size = h.gso_size;
        vi.rx_hdr.csum_start = h.csum_start;
        vi.rx_hdr.csum_offset = h.csum_offset;
        if (page_to_free is not null)
        {
            put_page(page_to_free);
        }

        return skb;
    }

    // drivers/net/virtio_net.c: virtnet_rq_unmap
    /// <summary>A buffer is back from the device: drop its hold on the page's mapping; the last buffer of a page unmaps it and puts the page.</summary>
    private static void virtnet_rq_unmap(receive_queue rq, virtnet_rx_buf buf, uint len)
    {
        var dma = buf.dma;
        --dma.@ref;

        // not ported: virtqueue_map_sync_single_range_for_cpu — the model's DMA is coherent (need_sync is false)
        if (dma.@ref != 0)
        {
            return;
        }

        virtqueue_unmap_single_attrs(rq.vq, dma.addr);
        put_page(dma.page);
    }

    // drivers/net/virtio_net.c: virtnet_rq_get_buf
    /// <summary>The next used receive buffer (and its length and context), unmapped; null if none.</summary>
    private static virtnet_rx_buf? virtnet_rq_get_buf(receive_queue rq, out uint len, out object? ctx)
    {
        var buf = (virtnet_rx_buf?)virtqueue_get_buf_ctx(rq.vq, out len, out ctx);
        if (buf is not null)
        {
            virtnet_rq_unmap(rq, buf, len);
        }

        return buf;
    }

    // drivers/net/virtio_net.c: virtnet_rq_init_one_sg
    /// <summary>One premapped entry for the buffer: its bus address inside the page's mapping.</summary>
    private static void virtnet_rq_init_one_sg(receive_queue rq, virtnet_rx_buf buf, int len)
    {
        var dma = buf.dma;
        var addr = dma.addr - virtnet_rq_dma.Size + (ulong)buf.offset;
        sg_init_table(rq.sg, 1);
        // sg_fill_dma
        rq.sg[0].dma_address = addr;
        rq.sg[0].dma_length = len;
    }

    // drivers/net/virtio_net.c: virtnet_rq_alloc
    /// <summary>
    /// Carves <paramref name="size"/> bytes from the receive page frag. A
    /// fresh page is mapped once, whole, behind a virtnet_rq_dma header (and
    /// the previous page's mapping let go if nothing of it is out); each
    /// buffer takes a page reference and a hold on the mapping.
    /// </summary>
    private static virtnet_rx_buf? virtnet_rq_alloc(receive_queue rq, int size)
    {
        var alloc_frag = rq.alloc_frag;
        var page = alloc_frag.page!;

        // A new page.
        if (alloc_frag.offset == 0)
        {
            if (rq.last_dma is not null)
            {
                // The old page's mapping is released once its buffers are all back.
                var last = rq.last_dma;
                virtnet_rq_unmap(rq, new virtnet_rx_buf { dma = last }, 0);
                rq.last_dma = null;
            }

            var fresh = new virtnet_rq_dma
            {
                page = page,
                len = alloc_frag.size - virtnet_rq_dma.Size,
            };
            fresh.addr = virtqueue_map_single_attrs(rq.vq, page.mem, virtnet_rq_dma.Size, fresh.len);
            fresh.need_sync = false;

            // A reference for the mapping itself, so error paths cannot free it under us.
            get_page(page);
            fresh.@ref = 1;
            alloc_frag.offset = virtnet_rq_dma.Size;
            rq.last_dma = fresh;
        }

        var dma = rq.last_dma!;
        ++dma.@ref;

        var buf = new virtnet_rx_buf { dma = dma, offset = alloc_frag.offset };
        get_page(page);
        alloc_frag.offset += size;
        return buf;
    }

    // drivers/net/virtio_net.c: virtnet_rq_unmap_free_buf
    /// <summary>A receive buffer the device never used (teardown): release its mapping hold and its page reference.</summary>
    private static void virtnet_rq_unmap_free_buf(virtqueue vq, object buf)
    {
        var vi = (virtnet_info)vq.vdev.priv!;
        var rq = vi.rq[vq2rxq(vq)];
        var b = (virtnet_rx_buf)buf;

        // not ported: xsk_buff_free — no AF_XDP
        virtnet_rq_unmap(rq, b, 0);
        virtnet_rq_free_buf(vi, rq, b);
    }

    // drivers/net/virtio_net.c: free_old_xmit
    /// <summary>Completed transmits freed and counted in the queue's stats.</summary>
    private static void free_old_xmit(send_queue sq, netdev_queue txq, bool in_napi)
    {
        var stats = new virtnet_queue_stats();
        virtnet_free_old_xmit(sq, txq, in_napi, stats);

        // Called speculatively too: nothing done, nothing to count.
        if (stats.packets == 0)
        {
            return;
        }

        // u64_stats_update_begin/end: the queue's stats are written by this CPU only.
        sq.stats.bytes += stats.bytes;
        sq.stats.packets += stats.packets;
    }

    // drivers/net/virtio_net.c: tx_may_stop
    /// <summary>Stops the queue while fewer than MAX_SKB_FRAGS + 2 descriptors are free (the next skb might not fit); true if it did.</summary>
    private static bool tx_may_stop(virtnet_info vi, net_device dev, send_queue sq)
    {
        var qnum = Array.IndexOf(vi.sq, sq);
        if (sq.vq.num_free < MAX_SKB_FRAGS + 2)
        {
            var txq = netdev_get_tx_queue(dev, qnum);
            netif_tx_stop_queue(txq);
            sq.stats.stop++;
            return true;
        }

        return false;
    }

    // drivers/net/virtio_net.c: virtnet_skb_append_frag
    /// <summary>A further buffer of a packet as a frag of the head skb (merged into the previous frag when it continues it in the same page).</summary>
    [Borrows("head_skb")]
    [Borrows("curr_skb")]
    private static sk_buff? virtnet_skb_append_frag(sk_buff head_skb, sk_buff curr_skb, page page, virtnet_rx_buf buf, int len, int truesize)
    {
        int num_skb_frags = curr_skb.shinfo.nr_frags;
        if (num_skb_frags == MAX_SKB_FRAGS)
        {
            // not ported: chaining a fresh skb on the frag_list (alloc_skb) past MAX_SKB_FRAGS buffers — the model's
            // frames (at most 1514 bytes in 1536-byte buffers) never span more than two
            return null;
        }

        if (curr_skb != head_skb)
        {
            head_skb.data_len += len;
            head_skb.len += len;
            head_skb.truesize += (uint)truesize;
        }

        var offset = buf.offset;
        if (skb_can_coalesce(curr_skb, num_skb_frags, page, offset))
        {
            put_page(page);
            skb_coalesce_rx_frag(curr_skb, num_skb_frags - 1, len, (uint)truesize);
        }
        else
        {
            skb_add_rx_frag(curr_skb, num_skb_frags, page, offset, len, (uint)truesize);
        }

        return curr_skb;
    }

    // drivers/net/virtio_net.c: mergeable_buf_free
    /// <summary>Throws away the remaining <paramref name="num_buf"/> - 1 buffers of a packet that could not be built.</summary>
    private static void mergeable_buf_free(receive_queue rq, int num_buf, net_device dev, virtnet_queue_stats stats)
    {
        while (num_buf-- > 1)
        {
            var buf = virtnet_rq_get_buf(rq, out var len, out _);
            if (buf is null)
            {
                // pr_debug: buffers missing
                dev.stats.rx_length_errors++;
                break;
            }

            stats.bytes += len;
            put_page(buf.dma.page);
        }
    }

    // drivers/net/virtio_net.c: receive_mergeable
    /// <summary>
    /// One packet from <c>num_buffers</c> buffers: the first becomes the skb
    /// (page_to_skb), the others its frags. Null (the packet dropped and
    /// counted) if a buffer is missing or too long.
    /// </summary>
    private static sk_buff? receive_mergeable(net_device dev, virtnet_info vi, receive_queue rq, virtnet_rx_buf buf, uint ctx, uint len, virtnet_queue_stats stats)
    {
        var page = buf.dma.page;
        int num_buf = BitConverterLe16(page.mem, buf.offset + VIRTIO_NET_HDR_NUM_BUFFERS);
        var offset = buf.offset;
        sk_buff? head_skb = null;
        sk_buff? curr_skb;
        var truesize = mergeable_ctx_to_truesize(ctx);
        var headroom = mergeable_ctx_to_headroom(ctx);

        stats.bytes += len - (uint)vi.hdr_len;

        if (check_mergeable_len(dev, ctx, len) != 0)
        {
            goto err_skb;
        }

        // not ported: receive_mergeable_xdp — no XDP programs
        head_skb = page_to_skb(vi, rq, page, offset, (int)len, (int)truesize, (int)headroom);
        curr_skb = head_skb;
        if (curr_skb is null)
        {
            goto err_skb;
        }

        while (--num_buf > 0)
        {
            var next = virtnet_rq_get_buf(rq, out len, out var c);
            if (next is null)
            {
                // pr_debug: buffers out of num_buffers missing
                dev.stats.rx_length_errors++;
                goto err_buf;
            }

            stats.bytes += len;
            page = next.dma.page;
            ctx = (uint)c!;

            if (check_mergeable_len(dev, ctx, len) != 0)
            {
                goto err_skb;
            }

            truesize = mergeable_ctx_to_truesize(ctx);
            curr_skb = virtnet_skb_append_frag(head_skb!, curr_skb, page, next, (int)len, (int)truesize);
            if (curr_skb is null)
            {
                goto err_skb;
            }
        }

        ewma_pkt_len_add(rq, (ulong)head_skb!.len);
        return head_skb;

    err_skb:
        put_page(page);
        mergeable_buf_free(rq, num_buf, dev, stats);

    err_buf:
        stats.drops++;
        if (head_skb is not null)
        {
            // dev_kfree_skb is consume_skb.
            consume_skb(head_skb);
        }

        return null;
    }

    [NotInLinux("virtio16_to_cpu of hdr->num_buffers read in place (a little-endian load)")]
    private static int BitConverterLe16(byte[] mem, int at) => System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(mem.AsSpan(at));

    [NotInLinux("ewma_pkt_len_add, generated by DECLARE_EWMA(pkt_len, 0, 64) in virtio_net.c")]
    private static void ewma_pkt_len_add(receive_queue rq, ulong val)
    {
        // weight_rcp 64: new = (old * 63 + val) / 64, and the first sample is taken as is.
        var internal_ = rq.mrg_avg_pkt_len;
        rq.mrg_avg_pkt_len = internal_ != 0 ? ((internal_ << 6) - internal_ + val) >> 6 : val;
    }

    // drivers/net/virtio_net.c: virtnet_receive_done
    /// <summary>The header's checksum and GSO information onto the skb, the queue recorded, the protocol found, then GRO.</summary>
    [Consumes("skb")]
    private static void virtnet_receive_done(virtnet_info vi, receive_queue rq, sk_buff skb, byte flags)
    {
        var dev = vi.dev;
        var hdr = vi.rx_hdr;

        // not ported: virtio_skb_set_hash — no hash reports (RSS is not negotiated)
        hdr.flags = flags;
        if (virtio_net_handle_csum_offload(skb, hdr) != 0)
        {
            // net_warn_ratelimited: bad csum
            goto frame_err;
        }

        if (virtio_net_h_linux.virtio_net_hdr_tnl_to_skb(skb, hdr, false, false, virtio_is_little_endian(vi.vdev)) != 0)
        {
            // net_warn_ratelimited: bad gso
            goto frame_err;
        }

        skb_record_rx_queue(skb, (ushort)vq2rxq(rq.vq));
        skb.protocol = eth_type_trans(skb, dev);
        // pr_debug: receiving skb

        napi_gro_receive(rq.napi, skb);
        return;

    frame_err:
        dev.stats.rx_frame_errors++;
        // dev_kfree_skb is consume_skb.
        consume_skb(skb);
    }

    // drivers/net/virtio_net.c: receive_buf
    /// <summary>One received packet: too short for header and Ethernet header is an error; else receive_mergeable, then virtnet_receive_done.</summary>
    private static void receive_buf(virtnet_info vi, receive_queue rq, virtnet_rx_buf buf, uint len, object? ctx, virtnet_queue_stats stats)
    {
        var dev = vi.dev;
        if (len < vi.hdr_len + if_ether_h.ETH_HLEN)
        {
            // pr_debug: short packet
            dev.stats.rx_length_errors++;
            virtnet_rq_free_buf(vi, rq, buf);
            return;
        }

        // The flags first: XDP could overwrite the header.
        var flags = buf.dma.page.mem[buf.offset];

        // not ported: receive_big and receive_small — the device offers MRG_RXBUF, so buffers are mergeable
        var skb = receive_mergeable(dev, vi, rq, buf, (uint)ctx!, len, stats);
        if (skb is null)
        {
            return;
        }

        virtnet_receive_done(vi, rq, skb, flags);
    }

    // drivers/net/virtio_net.c: virtnet_rq_free_buf
    /// <summary>Puts a receive buffer's page reference (a mergeable buffer holds one).</summary>
    private static void virtnet_rq_free_buf(virtnet_info vi, receive_queue rq, virtnet_rx_buf buf)
    {
        // not ported: give_pages for big packets and the small buffers' own path — mergeable only
        _ = vi;
        _ = rq;
        put_page(buf.dma.page);
    }

    // drivers/net/virtio_net.c: get_mergeable_buf_len
    /// <summary>How big the next buffer is: the average packet (at least min_buf_len, at most a page less the header) plus the header, cache-line aligned.</summary>
    private static int get_mergeable_buf_len(receive_queue rq, ulong avg_pkt_len, int room)
    {
        var vi = (virtnet_info)rq.vq.vdev.priv!;
        var hdr_len = vi.hdr_len;
        if (room != 0)
        {
            return PAGE_SIZE - room;
        }

        var len = hdr_len + (int)Math.Clamp(avg_pkt_len, (ulong)rq.min_buf_len, (ulong)(PAGE_SIZE - hdr_len));
        return (len + L1_CACHE_BYTES - 1) & ~(L1_CACHE_BYTES - 1);
    }

    // drivers/net/virtio_net.c: add_recvbuf_mergeable
    /// <summary>
    /// One receive buffer from the page frag (the rest of the page goes with
    /// it when too little would be left), premapped, its truesize as context;
    /// -ENOMEM when no page can be had, -ENOSPC when the ring is full.
    /// </summary>
    private static int add_recvbuf_mergeable(virtnet_info vi, receive_queue rq)
    {
        var alloc_frag = rq.alloc_frag;
        // not ported: virtnet_get_headroom's XDP headroom — no XDP, so headroom and tailroom are 0
        var headroom = 0;
        var tailroom = 0;
        var room = (int)SKB_DATA_ALIGN((uint)(headroom + tailroom));

        // Extra tailroom would be needed for XDP.
        var len = get_mergeable_buf_len(rq, rq.mrg_avg_pkt_len, room);

        if (!KernelNet.Kernel.Net.Core.sock_c.skb_page_frag_refill(vi.vdev.k, len + room, alloc_frag, 0))
        {
            return -ENOMEM;
        }

        if (alloc_frag.offset == 0 && len + room + virtnet_rq_dma.Size > alloc_frag.size)
        {
            len -= virtnet_rq_dma.Size;
        }

        var buf = virtnet_rq_alloc(rq, len + room);
        if (buf is null)
        {
            return -ENOMEM;
        }

        // Leave a hole at the front of the packet (none without XDP).
        buf.offset += headroom;
        var hole = alloc_frag.size - alloc_frag.offset;
        if (hole < len + room)
        {
            // Too little left for another buffer: this one takes the rest of the page.
            if (headroom == 0)
            {
                len += hole;
            }

            alloc_frag.offset += hole;
        }

        virtnet_rq_init_one_sg(rq, buf, len);

        var ctx = mergeable_len_to_ctx((uint)(len + room), (uint)headroom);
        var err = virtqueue_add_inbuf_premapped(rq.vq, rq.sg, 1, buf, ctx);
        if (err < 0)
        {
            virtnet_rq_unmap(rq, buf, 0);
            put_page(buf.dma.page);
        }

        return err;
    }

    // drivers/net/virtio_net.c: try_fill_recv
    /// <summary>
    /// Adds receive buffers until the ring is full (or memory runs out), then
    /// kicks the device if it wants to hear. False if it ran out of memory.
    /// </summary>
    private static bool try_fill_recv(virtnet_info vi, receive_queue rq)
    {
        int err;

        // not ported: virtnet_add_recvbuf_xsk (no AF_XDP), add_recvbuf_big and add_recvbuf_small (mergeable only)
        do
        {
            err = add_recvbuf_mergeable(vi, rq);
            if (err != 0)
            {
                break;
            }
        }
        while (rq.vq.num_free != 0);

        if (virtqueue_kick_prepare(rq.vq) && virtqueue_notify(rq.vq))
        {
            // u64_stats_update_begin_irqsave/end_irqrestore around the count.
            rq.stats.kicks++;
        }

        return err != -ENOMEM;
    }

    // drivers/net/virtio_net.c: skb_recv_done
    /// <summary>The receive queue's interrupt callback (hard IRQ, from vring_interrupt): count it and schedule NAPI with the queue silenced.</summary>
    [HardIrqContext]
    private static void skb_recv_done(virtqueue rvq)
    {
        var vi = (virtnet_info)rvq.vdev.priv!;
        var rq = vi.rq[vq2rxq(rvq)];
        rq.calls++;
        virtqueue_napi_schedule(rq.napi, rvq);
    }

    // drivers/net/virtio_net.c: virtnet_napi_do_enable
    /// <summary>Enables NAPI and schedules one poll at once (buffers the device filled before now raised no interrupt we saw).</summary>
    private static void virtnet_napi_do_enable(virtqueue vq, napi_struct napi)
    {
        // departure: napi_enable — not in the port's core: the DISABLE bit is cleared here (see the file head)
        napi.state &= ~napi_struct.NAPIF_STATE_DISABLE;

        // local_bh_disable/enable around it: the softirq runs when bottom halves are enabled again.
        var k = napi.k;
        Include.Linux.bottom_half_h.local_bh_disable(k);
        virtqueue_napi_schedule(napi, vq);
        Include.Linux.bottom_half_h.local_bh_enable(k);
    }

    // drivers/net/virtio_net.c: virtnet_napi_enable
    private static void virtnet_napi_enable(receive_queue rq)
    {
        virtnet_napi_do_enable(rq.vq, rq.napi);
        // not ported: netif_queue_set_napi — the netdev-genl queue/NAPI association is not kept
    }

    // drivers/net/virtio_net.c: virtnet_napi_tx_enable
    /// <summary>TX NAPI runs only when the queues' interrupts were given affinity hints (virtnet_set_affinity); otherwise weight 0 turns it off.</summary>
    private static void virtnet_napi_tx_enable(send_queue sq)
    {
        var vi = (virtnet_info)sq.vq.vdev.priv!;
        var napi = sq.napi;
        if (napi.weight == 0)
        {
            return;
        }

        // TX NAPI touches cache lines on the CPU that takes TX interrupts: only when that is likely the sending CPU.
        if (!vi.affinity_hint_set)
        {
            napi.weight = 0;
            return;
        }

        virtnet_napi_do_enable(sq.vq, napi);
        // not ported: netif_queue_set_napi — the netdev-genl association is not kept
    }

    // drivers/net/virtio_net.c: virtnet_napi_tx_disable
    private static void virtnet_napi_tx_disable(send_queue sq)
    {
        if (sq.napi.weight != 0)
        {
            // departure: napi_disable — sets DISABLE; a poll already scheduled finds it set (see the file head)
            sq.napi.state |= napi_struct.NAPIF_STATE_DISABLE;
        }
    }

    // drivers/net/virtio_net.c: virtnet_napi_disable
    private static void virtnet_napi_disable(receive_queue rq)
    {
        // departure: napi_disable — sets DISABLE (see the file head); not ported: netif_queue_set_napi
        rq.napi.state |= napi_struct.NAPIF_STATE_DISABLE;
    }

    // drivers/net/virtio_net.c: virtnet_receive_packets
    /// <summary>Up to <paramref name="budget"/> used receive buffers, each a packet through receive_buf.</summary>
    private static int virtnet_receive_packets(virtnet_info vi, receive_queue rq, int budget, virtnet_queue_stats stats)
    {
        var packets = 0;
        virtnet_rx_buf? buf;

        // not ported: the big-packets branch (virtqueue_get_buf without context)
        while (packets < budget && (buf = virtnet_rq_get_buf(rq, out var len, out var ctx)) is not null)
        {
            receive_buf(vi, rq, buf, len, ctx, stats);
            packets++;
        }

        return packets;
    }

    // drivers/net/virtio_net.c: virtnet_receive
    /// <summary>Receives up to <paramref name="budget"/> packets; refills the ring when more than half of min(budget, ring) slots are free.</summary>
    private static int virtnet_receive(receive_queue rq, int budget)
    {
        var vi = (virtnet_info)rq.vq.vdev.priv!;
        var stats = new virtnet_queue_stats();

        // not ported: virtnet_receive_xsk_bufs — no AF_XDP
        var packets = virtnet_receive_packets(vi, rq, budget, stats);

        if (rq.vq.num_free > Math.Min(budget, virtqueue_get_vring_size(rq.vq)) / 2)
        {
            // not ported: schedule_delayed_work of the refill work when this fails — allocation never fails here
            try_fill_recv(vi, rq);
        }

        stats.packets = (ulong)packets;

        // u64_stats_update_begin/end around the sums.
        rq.stats.drops += stats.drops;
        rq.stats.xdp_packets += stats.xdp_packets;
        rq.stats.xdp_tx += stats.xdp_tx;
        rq.stats.xdp_redirects += stats.xdp_redirects;
        rq.stats.xdp_drops += stats.xdp_drops;
        rq.stats.kicks += stats.kicks;
        rq.stats.packets += stats.packets;
        rq.stats.bytes += stats.bytes;
        for (var i = 0; i < packets; i++)
        {
            CostHooks.ChargeRxPacket(vi.vdev.k);
        }
        return packets;
    }

    // drivers/net/virtio_net.c: virtnet_poll_cleantx
    /// <summary>From the receive poll: free what the paired transmit queue completed (if its lock is free), and wake it if it was stopped.</summary>
    private static void virtnet_poll_cleantx(receive_queue rq, int budget)
    {
        var vi = (virtnet_info)rq.vq.vdev.priv!;
        var index = vq2rxq(rq.vq);
        var sq = vi.sq[index];
        var txq = netdev_get_tx_queue(vi.dev, index);

        // not ported: is_xdp_raw_buffer_queue — no XDP queues
        if (sq.napi.weight == 0)
        {
            return;
        }

        // __netif_tx_trylock: one thread, the lock is always had.
        if (sq.reset)
        {
            return;
        }

        do
        {
            virtqueue_disable_cb(sq.vq);
            free_old_xmit(sq, txq, budget != 0);
        }
        while (!virtqueue_enable_cb_delayed(sq.vq));

        if (sq.vq.num_free >= MAX_SKB_FRAGS + 2 && netif_tx_queue_stopped(txq))
        {
            sq.stats.wake++;
            netif_tx_wake_queue(txq);
        }

        // __netif_tx_unlock
    }

    // drivers/net/virtio_net.c: virtnet_poll
    /// <summary>
    /// The receive queue's NAPI poll (NET_RX softirq): clean the paired
    /// transmit queue, receive up to <paramref name="budget"/> packets, and
    /// when fewer came, re-enable the queue's interrupt and complete.
    /// </summary>
    [SoftirqContext]
    private static int virtnet_poll(napi_struct napi, int budget)
    {
        var rq = (receive_queue)napi.priv!;

        virtnet_poll_cleantx(rq, budget);

        var received = virtnet_receive(rq, budget);
        rq.packets_in_napi += received;

        // not ported: xdp_do_flush and the XDP_TX kick — no XDP
        // Out of packets?
        if (received < budget)
        {
            // not ported: virtnet_rx_dim_update — no dim
            virtqueue_napi_complete(napi, rq.vq, received);
        }

        return received;
    }

    // drivers/net/virtio_net.c: virtnet_disable_queue_pair
    private static void virtnet_disable_queue_pair(virtnet_info vi, int qp_index)
    {
        virtnet_napi_tx_disable(vi.sq[qp_index]);
        virtnet_napi_disable(vi.rq[qp_index]);
        // not ported: xdp_rxq_info_unreg — no XDP
    }

    // drivers/net/virtio_net.c: virtnet_enable_queue_pair
    private static int virtnet_enable_queue_pair(virtnet_info vi, int qp_index)
    {
        // not ported: xdp_rxq_info_reg and xdp_rxq_info_reg_mem_model — no XDP
        virtnet_napi_enable(vi.rq[qp_index]);
        virtnet_napi_tx_enable(vi.sq[qp_index]);
        return 0;
    }

    // drivers/net/virtio_net.c: virtnet_open
    /// <summary>ndo_open: fill every active receive queue, enable the NAPIs (each polls once at once), link up.</summary>
    public static int virtnet_open(net_device dev)
    {
        var vi = netdev_priv<virtnet_info>(dev);

        // enable_delayed_refill
        vi.refill_enabled = true;

        for (var i = 0; i < vi.max_queue_pairs; i++)
        {
            if (i < vi.curr_queue_pairs)
            {
                // Some buffers at least; not ported: the refill work if memory ran out
                try_fill_recv(vi, vi.rq[i]);
            }

            var err = virtnet_enable_queue_pair(vi, i);
            if (err < 0)
            {
                return err;
            }
        }

        // not ported: VIRTIO_NET_F_STATUS and virtio_config_driver_enable — the link is up; no carrier state in the port
        vi.status = VIRTIO_NET_S_LINK_UP;
        netif_tx_start_all_queues(dev);
        return 0;
    }

    // drivers/net/virtio_net.c: virtnet_poll_tx
    /// <summary>
    /// The transmit queue's NAPI poll: free what the device sent, wake the
    /// queue if there is room again, re-enable the interrupt and complete —
    /// and poll once more if the device used buffers meanwhile. Returns 0:
    /// transmit completion is not counted against the budget.
    /// </summary>
    [SoftirqContext]
    private static int virtnet_poll_tx(napi_struct napi, int budget)
    {
        var sq = (send_queue)napi.priv!;
        var vi = (virtnet_info)sq.vq.vdev.priv!;
        var index = vq2txq(sq.vq);

        // not ported: is_xdp_raw_buffer_queue and virtnet_xsk_xmit — no XDP, no AF_XDP
        var txq = netdev_get_tx_queue(vi.dev, index);

        // __netif_tx_lock: serializes with start_xmit (one thread here).
        virtqueue_disable_cb(sq.vq);
        free_old_xmit(sq, txq, budget != 0);

        if (sq.vq.num_free >= MAX_SKB_FRAGS + 2 && netif_tx_queue_stopped(txq))
        {
            sq.stats.wake++;
            netif_tx_wake_queue(txq);
        }

        var opaque = virtqueue_enable_cb_prepare(sq.vq);
        var done = napi_complete_done(napi, 0);
        if (!done)
        {
            virtqueue_disable_cb(sq.vq);
        }

        // __netif_tx_unlock
        if (done && virtqueue_poll(sq.vq, opaque) && napi_schedule_prep(napi))
        {
            virtqueue_disable_cb(sq.vq);
            __napi_schedule(napi);
        }

        return 0;
    }

    // drivers/net/virtio_net.c: xmit_skb
    /// <summary>
    /// The header (no checksum or GSO: neither is negotiated) pushed into the
    /// skb's headroom when it may be, then the whole packet as one chain of
    /// readable descriptors whose token is the skb. 0, or -ENOSPC/-EIO from
    /// the ring, or -EPROTO for an skb the header cannot describe.
    /// </summary>
    [Borrows("skb")]
    private static int xmit_skb(send_queue sq, sk_buff skb, bool orphan)
    {
        var vi = (virtnet_info)sq.vq.vdev.priv!;
        var hdr_len = vi.hdr_len;

        // pr_debug: xmit
        var can_push = vi.any_header_sg && (skb.data & 3) == 0 && !skb_header_cloned(skb) && skb_headroom(skb) >= hdr_len;

        // The header is written where it will go, without pushing yet (the checksum offsets would skew).
        var hdr = vi.tx_hdr;
        if (virtio_net_h_linux.virtio_net_hdr_from_skb(skb, hdr, virtio_is_little_endian(vi.vdev), false, 0) != 0)
        {
            return -EPROTO;
        }

        byte[] hdr_mem;
        int hdr_off;
        if (can_push)
        {
            hdr_mem = skb.head;
            hdr_off = skb.data - hdr_len;
        }
        else
        {
            // skb_vnet_common_hdr: C keeps it in skb->cb; the port's skb has no cb bytes, so it gets its own 12 bytes.
            hdr_mem = new byte[hdr_len];
            hdr_off = 0;
        }

        hdr.WriteTo(hdr_mem.AsSpan(hdr_off, virtio_net_hdr.Size));

        // num_buffers is the device's to fill on receive; zero on transmit.
        if (vi.mergeable_rx_bufs)
        {
            hdr_mem[hdr_off + VIRTIO_NET_HDR_NUM_BUFFERS] = 0;
            hdr_mem[hdr_off + VIRTIO_NET_HDR_NUM_BUFFERS + 1] = 0;
        }

        int num_sg;
        sg_init_table(sq.sg, skb.shinfo.nr_frags + (can_push ? 1 : 2));
        if (can_push)
        {
            __skb_push(skb, hdr_len);
            num_sg = skb_to_sgvec(skb, sq.sg, 0, 0, skb.len);
            if (num_sg < 0)
            {
                __skb_pull(skb, hdr_len);
                return num_sg;
            }

            // The header back out, so tx bytes are not skewed.
            __skb_pull(skb, hdr_len);
        }
        else
        {
            sg_set_buf(sq.sg[0], hdr_mem, 0, hdr_len);
            num_sg = skb_to_sgvec(skb, sq.sg, 1, 0, skb.len);
            if (num_sg < 0)
            {
                return num_sg;
            }

            num_sg++;
        }

        // not ported: virtnet_xmit_ptr_pack's ORPHAN tag — the napi_tx=N path is not ported
        _ = orphan;
        return virtqueue_add_outbuf(sq.vq, sq.sg, num_sg, skb);
    }

    // drivers/net/virtio_net.c: start_xmit
    /// <summary>
    /// ndo_start_xmit (NET_TX or process context, txq lock held): the TX
    /// interrupt off while the packet goes on the ring, the queue stopped if
    /// the next might not fit, the device kicked if it wants to hear, and the
    /// interrupt back on for when three quarters of what is out completes
    /// (or TX NAPI scheduled at once if that many already did).
    /// </summary>
    [Consumes("skb")]
    public static netdev_tx_t start_xmit(sk_buff skb, net_device dev)
    {
        // not ported: skb_dst_drop — the napi_tx=N branch (orphan, dst drop, conntrack reset) is not taken: napi_tx is on (see the file header)
        var vi = netdev_priv<virtnet_info>(dev);
        int qnum = skb.queue_mapping;
        var sq = vi.sq[qnum];
        var txq = netdev_get_tx_queue(dev, qnum);
        var use_napi = sq.napi.weight != 0;

        // not ported: netdev_xmit_more — the port never batches, so xmit_more is false
        if (!use_napi)
        {
            free_old_xmit(sq, txq, false);
        }
        else
        {
            virtqueue_disable_cb(sq.vq);
        }

        // The software timestamp.
        skb_tx_timestamp(skb);

        var err = xmit_skb(sq, skb, !use_napi);

        // Should not happen.
        if (err != 0)
        {
            dev.stats.tx_fifo_errors++;
            // dev_warn when net_ratelimit: unexpected TXQ failure
            dev.stats.tx_dropped++;
            dev_kfree_skb_any(skb);
            return netdev_tx_t.NETDEV_TX_OK;
        }

        // not ported: skb_orphan and nf_reset_ct without TX NAPI; check_sq_full_and_disable — napi_tx is on
        if (use_napi)
        {
            tx_may_stop(vi, dev, sq);
        }

        // __netdev_tx_sent_queue without xmit_more: kick.
        var kick = true;
        if (kick && virtqueue_kick_prepare(sq.vq) && virtqueue_notify(sq.vq))
        {
            sq.stats.kicks++;
        }

        if (use_napi && kick && !virtqueue_enable_cb_delayed(sq.vq))
        {
            virtqueue_napi_schedule(sq.napi, sq.vq);
        }

        CostHooks.ChargeTxPacket(vi.vdev.k);
        return netdev_tx_t.NETDEV_TX_OK;
    }

    // drivers/net/virtio_net.c: virtnet_stats
    /// <summary>ndo_get_stats64: the queues' packets, bytes and drops, and the device's error counters.</summary>
    private static void virtnet_stats(net_device dev, rtnl_link_stats64 tot)
    {
        var vi = netdev_priv<virtnet_info>(dev);
        for (var i = 0; i < vi.max_queue_pairs; i++)
        {
            var rq = vi.rq[i];
            var sq = vi.sq[i];

            // u64_stats_fetch_begin/retry: consistent snapshots (one thread here).
            tot.rx_packets += rq.stats.packets;
            tot.tx_packets += sq.stats.packets;
            tot.rx_bytes += rq.stats.bytes;
            tot.tx_bytes += sq.stats.bytes;
            tot.rx_dropped += rq.stats.drops;
            tot.tx_errors += sq.stats.tx_timeouts;
        }

        tot.tx_dropped = dev.stats.tx_dropped;
        tot.tx_fifo_errors = dev.stats.tx_fifo_errors;
        tot.rx_length_errors = dev.stats.rx_length_errors;
        tot.rx_frame_errors = dev.stats.rx_frame_errors;
    }

    // drivers/net/virtio_net.c: virtnet_close
    /// <summary>ndo_stop: NAPI off on every queue pair. The buffers stay posted (they go at remove).</summary>
    public static int virtnet_close(net_device dev)
    {
        var vi = netdev_priv<virtnet_info>(dev);

        // disable_delayed_refill; not ported: cancel_delayed_work_sync (no refill work), virtnet_cancel_dim (no dim)
        vi.refill_enabled = false;
        for (var i = 0; i < vi.max_queue_pairs; i++)
        {
            virtnet_disable_queue_pair(vi, i);
        }

        // not ported: netif_carrier_off — no carrier state in the port
        return 0;
    }

    // drivers/net/virtio_net.c: virtnet_get_drvinfo
    private static ethtool_drvinfo virtnet_get_drvinfo(net_device dev)
    {
        var vi = netdev_priv<virtnet_info>(dev);
        return new ethtool_drvinfo("virtio_net", "1.0.0", "", virtio_bus_name(vi.vdev));
    }

    // drivers/net/virtio_net.c: virtnet_get_ringparam
    private static ethtool_ringparam virtnet_get_ringparam(net_device dev)
    {
        var vi = netdev_priv<virtnet_info>(dev);
        return new ethtool_ringparam((uint)vi.rq[0].vq.num_max, (uint)vi.sq[0].vq.num_max,
            (uint)virtqueue_get_vring_size(vi.rq[0].vq), (uint)virtqueue_get_vring_size(vi.sq[0].vq));
    }

    // drivers/net/virtio_net.c: virtnet_set_ringparam
    private static int virtnet_set_ringparam(net_device dev, uint rx, uint tx)
    {
        // not ported: virtqueue_resize (virtnet_rx_resize/virtnet_tx_resize) — VIRTIO_F_RING_RESET is not negotiated
        _ = dev;
        _ = rx;
        _ = tx;
        return -EOPNOTSUPP;
    }

    // drivers/net/virtio_net.c: virtnet_get_channels
    private static ethtool_channels virtnet_get_channels(net_device dev)
    {
        var vi = netdev_priv<virtnet_info>(dev);
        return new ethtool_channels((uint)vi.max_queue_pairs, (uint)vi.curr_queue_pairs);
    }

    // drivers/net/virtio_net.c: virtnet_set_channels
    private static int virtnet_set_channels(net_device dev, uint combined)
    {
        var vi = netdev_priv<virtnet_info>(dev);

        // not ported: virtnet_set_queues — without the control queue only the pairs there are can be asked for
        return combined == 0 || combined > vi.max_queue_pairs ? -EINVAL : combined == vi.curr_queue_pairs ? 0 : -EOPNOTSUPP;
    }

    // drivers/net/virtio_net.c: virtnet_get_ethtool_stats
    /// <summary>`ethtool -S`: rx_*, tx_* totals, then rx0_*, tx0_* per queue (virtnet_get_strings' order).</summary>
    private static IReadOnlyList<(string Name, ulong Value)> virtnet_get_ethtool_stats(net_device dev)
    {
        var vi = netdev_priv<virtnet_info>(dev);
        var list = new List<(string, ulong)>();
        var rxTot = new virtnet_queue_stats();
        var txTot = new virtnet_queue_stats();
        for (var i = 0; i < vi.curr_queue_pairs; i++)
        {
            Sum(rxTot, vi.rq[i].stats);
            Sum(txTot, vi.sq[i].stats);
        }

        RxStrings(list, "rx_", rxTot);
        TxStrings(list, "tx_", txTot);
        for (var i = 0; i < vi.curr_queue_pairs; i++)
        {
            RxStrings(list, $"rx{i}_", vi.rq[i].stats);
        }

        for (var i = 0; i < vi.curr_queue_pairs; i++)
        {
            TxStrings(list, $"tx{i}_", vi.sq[i].stats);
        }

        return list;
    }

    [NotInLinux("virtnet_rq_stats_desc: the receive queue's ethtool -S names and fields")]
    private static void RxStrings(List<(string, ulong)> list, string prefix, virtnet_queue_stats s)
    {
        list.Add((prefix + "drops", s.drops));
        list.Add((prefix + "xdp_packets", s.xdp_packets));
        list.Add((prefix + "xdp_tx", s.xdp_tx));
        list.Add((prefix + "xdp_redirects", s.xdp_redirects));
        list.Add((prefix + "xdp_drops", s.xdp_drops));
        list.Add((prefix + "kicks", s.kicks));
    }

    [NotInLinux("virtnet_sq_stats_desc: the send queue's ethtool -S names and fields")]
    private static void TxStrings(List<(string, ulong)> list, string prefix, virtnet_queue_stats s)
    {
        list.Add((prefix + "xdp_tx", s.xdp_tx));
        list.Add((prefix + "xdp_tx_drops", s.xdp_tx_drops));
        list.Add((prefix + "kicks", s.kicks));
        list.Add((prefix + "tx_timeouts", s.tx_timeouts));
    }

    [NotInLinux("the totals virtnet_fill_total_fields adds up over the queues")]
    private static void Sum(virtnet_queue_stats tot, virtnet_queue_stats s)
    {
        tot.drops += s.drops;
        tot.xdp_packets += s.xdp_packets;
        tot.xdp_tx += s.xdp_tx;
        tot.xdp_redirects += s.xdp_redirects;
        tot.xdp_drops += s.xdp_drops;
        tot.kicks += s.kicks;
        tot.xdp_tx_drops += s.xdp_tx_drops;
        tot.tx_timeouts += s.tx_timeouts;
    }

    /// <summary>virtnet_ethtool_ops (the subset the port's ethtool_ops has).</summary>
    private static readonly ethtool_ops virtnet_ethtool_ops = new()
    {
        get_drvinfo = virtnet_get_drvinfo,
        get_ringparam = virtnet_get_ringparam,
        set_ringparam = virtnet_set_ringparam,
        get_channels = virtnet_get_channels,
        set_channels = virtnet_set_channels,
        get_ethtool_stats = virtnet_get_ethtool_stats,
    };

    // drivers/net/virtio_net.c: virtnet_clean_affinity
    private static void virtnet_clean_affinity(virtnet_info vi)
    {
        if (vi.affinity_hint_set)
        {
            for (var i = 0; i < vi.max_queue_pairs; i++)
            {
                virtqueue_set_affinity(vi.rq[i].vq, 0);
                virtqueue_set_affinity(vi.sq[i].vq, 0);
            }

            vi.affinity_hint_set = false;
        }
    }

    // drivers/net/virtio_net.c: virtnet_set_affinity
    /// <summary>Spreads the online CPUs over the queue pairs (stride CPUs each, the stragglers to the first), hinting each pair's two interrupts there; TX NAPI needs this.</summary>
    private static void virtnet_set_affinity(virtnet_info vi)
    {
        var num_cpu = vi.vdev.k.nr_cpu_ids;
        var stride = Math.Max(num_cpu / vi.curr_queue_pairs, 1);
        var stragglers = num_cpu >= vi.curr_queue_pairs ? num_cpu % vi.curr_queue_pairs : 0;
        var start = 0;

        for (var i = 0; i < vi.curr_queue_pairs; i++)
        {
            var group_size = stride + (i < stragglers ? 1 : 0);
            ulong mask = 0;

            // for_each_online_cpu_wrap from start
            for (var n = 0; n < num_cpu; n++)
            {
                var cpu = (start + n) % num_cpu;
                if (group_size-- == 0)
                {
                    start = cpu;
                    break;
                }

                mask |= 1UL << cpu;
            }

            virtqueue_set_affinity(vi.rq[i].vq, mask);
            virtqueue_set_affinity(vi.sq[i].vq, mask);
            // not ported: __netif_set_xps_queue — the port has no XPS maps
        }

        vi.affinity_hint_set = true;
    }

    // drivers/net/virtio_net.c: virtnet_free_queues
    private static void virtnet_free_queues(virtnet_info vi)
    {
        // not ported: __netif_napi_del and the RCU-deferred free — the NAPIs go with the netdev's list
        foreach (var rq in vi.rq)
        {
            vi.dev.napi_list.Remove(rq.napi);
        }

        foreach (var sq in vi.sq)
        {
            vi.dev.napi_list.Remove(sq.napi);
        }

        vi.rq = Array.Empty<receive_queue>();
        vi.sq = Array.Empty<send_queue>();
    }

    // drivers/net/virtio_net.c: free_receive_page_frags
    /// <summary>Lets go of each receive queue's page frag (and the mapping of the page last carved from).</summary>
    private static void free_receive_page_frags(virtnet_info vi)
    {
        for (var i = 0; i < vi.max_queue_pairs; i++)
        {
            var rq = vi.rq[i];
            if (rq.alloc_frag.page is { } page)
            {
                if (rq.last_dma is not null)
                {
                    virtnet_rq_unmap(rq, new virtnet_rx_buf { dma = rq.last_dma }, 0);
                }

                put_page(page);
            }
        }
    }

    // drivers/net/virtio_net.c: virtnet_sq_free_unused_buf
    /// <summary>A transmit the device never took: freed (teardown).</summary>
    private static void virtnet_sq_free_unused_buf(virtqueue vq, object buf)
    {
        _ = vq;
        // not ported: the XDP frame and XSK cases — skbs only
        // dev_kfree_skb is consume_skb.
        consume_skb((sk_buff)buf);
    }

    // drivers/net/virtio_net.c: free_unused_bufs
    /// <summary>Everything still on the rings comes back and is freed (after reset, the device touches nothing).</summary>
    private static void free_unused_bufs(virtnet_info vi)
    {
        for (var i = 0; i < vi.max_queue_pairs; i++)
        {
            var vq = vi.sq[i].vq;
            object? buf;
            while ((buf = virtqueue_detach_unused_buf(vq)) is not null)
            {
                virtnet_sq_free_unused_buf(vq, buf);
            }
        }

        for (var i = 0; i < vi.max_queue_pairs; i++)
        {
            var vq = vi.rq[i].vq;
            object? buf;
            while ((buf = virtqueue_detach_unused_buf(vq)) is not null)
            {
                virtnet_rq_unmap_free_buf(vq, buf);
            }
        }
    }

    // drivers/net/virtio_net.c: virtnet_del_vqs
    private static void virtnet_del_vqs(virtnet_info vi)
    {
        var vdev = vi.vdev;
        virtnet_clean_affinity(vi);
        vdev.config.del_vqs(vdev);
        virtnet_free_queues(vi);
    }

    // drivers/net/virtio_net.c: mergeable_min_buf_len
    /// <summary>The smallest buffer that still lets a ring full of them hold a packet of the largest MTU (GOOD_PACKET_LEN at least).</summary>
    private static int mergeable_min_buf_len(virtnet_info vi, virtqueue vq)
    {
        var hdr_len = vi.hdr_len;
        var rq_size = virtqueue_get_vring_size(vq);
        var packet_len = vi.big_packets ? 65535 : (int)vi.dev.max_mtu;
        var buf_len = hdr_len + if_ether_h.ETH_HLEN + if_vlan_h.VLAN_HLEN + packet_len;
        var min_buf_len = (buf_len + rq_size - 1) / rq_size;
        return Math.Max(Math.Max(min_buf_len, hdr_len) - hdr_len, GOOD_PACKET_LEN);
    }

    // drivers/net/virtio_net.c: virtnet_find_vqs
    /// <summary>Asks the transport for "input.N" (skb_recv_done, with context) and "output.N" (skb_xmit_done) per pair.</summary>
    private static int virtnet_find_vqs(virtnet_info vi)
    {
        // not ported: the control queue ("control", no callback) — VIRTIO_NET_F_CTRL_VQ is not negotiated
        var total_vqs = vi.max_queue_pairs * 2;
        var vqs = new virtqueue[total_vqs];
        var vqs_info = new virtqueue_info[total_vqs];

        // Mergeable (or small) buffers carry their truesize as context.
        var ctx = !vi.big_packets || vi.mergeable_rx_bufs;
        for (var i = 0; i < vi.max_queue_pairs; i++)
        {
            vi.rq[i].name = $"input.{i}";
            vi.sq[i].name = $"output.{i}";
            vqs_info[rxq2vq(i)] = new virtqueue_info(vi.rq[i].name, skb_recv_done, ctx);
            vqs_info[txq2vq(i)] = new virtqueue_info(vi.sq[i].name, skb_xmit_done, false);
        }

        var ret = virtio_find_vqs(vi.vdev, total_vqs, vqs, vqs_info);
        if (ret != 0)
        {
            return ret;
        }

        for (var i = 0; i < vi.max_queue_pairs; i++)
        {
            vi.rq[i].vq = vqs[rxq2vq(i)];
            vi.rq[i].min_buf_len = mergeable_min_buf_len(vi, vi.rq[i].vq);
            vi.sq[i].vq = vqs[txq2vq(i)];
        }

        return 0;
    }

    // drivers/net/virtio_net.c: virtnet_alloc_queues
    /// <summary>The queue pairs, each with a receive NAPI (virtnet_poll) and a transmit NAPI (virtnet_poll_tx, weight 0 without napi_tx).</summary>
    private static int virtnet_alloc_queues(virtnet_info vi)
    {
        var k = vi.vdev.k;
        vi.sq = new send_queue[vi.max_queue_pairs];
        vi.rq = new receive_queue[vi.max_queue_pairs];

        // not ported: the control queue's buffers (vi->ctrl) — no control queue
        for (var i = 0; i < vi.max_queue_pairs; i++)
        {
            var rq = new receive_queue();
            rq.napi = new napi_struct(k, vi.dev, virtnet_poll, napi_weight) { priv = rq };
            netif_napi_add_weight(vi.dev, rq.napi);

            var sq = new send_queue();
            sq.napi = new napi_struct(k, vi.dev, virtnet_poll_tx, napi_tx ? napi_weight : 0) { priv = sq };
            // netif_napi_add_tx_weight: a TX NAPI is not busy-polled
            netif_napi_add_weight(vi.dev, sq.napi);

            sg_init_table(rq.sg, rq.sg.Length);
            // ewma_pkt_len_init: zero
            rq.mrg_avg_pkt_len = 0;
            sg_init_table(sq.sg, sq.sg.Length);
            vi.rq[i] = rq;
            vi.sq[i] = sq;
        }

        return 0;
    }

    // drivers/net/virtio_net.c: init_vqs
    private static int init_vqs(virtnet_info vi)
    {
        var ret = virtnet_alloc_queues(vi);
        if (ret != 0)
        {
            return ret;
        }

        ret = virtnet_find_vqs(vi);
        if (ret != 0)
        {
            virtnet_free_queues(vi);
            return ret;
        }

        // cpus_read_lock: the set of online CPUs holds still while affinity is set.
        virtnet_set_affinity(vi);
        return 0;
    }

    // drivers/net/virtio_net.c: virtnet_probe
    /// <summary>
    /// Binds to a virtio network device: a netdev with the device's MAC
    /// (VIRTIO_NET_F_MAC), mergeable buffers and the 12-byte header of a
    /// VERSION_1 device, one queue pair (no MQ), its queues and NAPIs,
    /// DRIVER_OK, then registration. Process context.
    /// </summary>
    private static int virtnet_probe(virtio_device vdev)
    {
        // not ported: sg_init_one — its two uses send control-queue commands (set the MAC, query stats capabilities); the control virtqueue is not ported (see the file header)
        // not ported: virtnet_validate_features/virtnet_check_guest_gso — the device offers no feature that needs them
        // Find out how many queue pairs the device has (MQ not negotiated: one).
        var max_queue_pairs = 1;

        var (ns, ifname) = vdev.netdev_target;
        var dev = alloc_etherdev_mqs(ns, ifname, max_queue_pairs, max_queue_pairs);
        var vi = new virtnet_info { vdev = vdev, dev = dev };
        dev.priv = vi;
        dev.netdev_ops = new net_device_ops
        {
            ndo_open = virtnet_open,
            ndo_stop = virtnet_close,
            ndo_start_xmit = start_xmit,
            ndo_get_stats64 = virtnet_stats,
        };
        dev.ethtool_ops = virtnet_ethtool_ops;
        dev.driver_name = "virtio_net";

        // not ported: IFF_UNICAST_FLT/IFF_LIVE_ADDR_CHANGE/IFF_TX_SKB_NO_LINEAR priv flags, NETIF_F_HIGHDMA, and the CSUM/GSO
        // features with their hw_features — the device offers no offload, so the stack checksums, segments and linearizes

        dev.min_mtu = (uint)if_ether_h.ETH_MIN_MTU;
        dev.max_mtu = (uint)if_ether_h.ETH_MAX_MTU;

        // Configuration may specify what MAC to use. Otherwise random.
        if (virtio_has_feature(vdev, VIRTIO_NET_F_MAC))
        {
            var addr = new byte[6];
            virtio_cread_bytes(vdev, VIRTIO_NET_CONFIG_MAC, addr);
            dev.dev_addr = addr;
        }
        else
        {
            // not ported: eth_hw_addr_random and VIRTIO_NET_CTRL_MAC_ADDR_SET — the model always offers its MAC
            return -EINVAL;
        }

        vi.vdev = vdev;
        vdev.priv = vi;

        // not ported: GUEST_TSO/GUEST_UFO big packets and big_packets_num_skbfrags — not offered
        if (virtio_has_feature(vdev, VIRTIO_NET_F_MRG_RXBUF))
        {
            vi.mergeable_rx_bufs = true;
        }

        // not ported: HASH_REPORT and tunnel headers — the header is virtio_net_hdr_mrg_rxbuf
        if (virtio_has_feature(vdev, VIRTIO_NET_F_MRG_RXBUF) || virtio_has_feature(vdev, virtio_config_h_uapi.VIRTIO_F_VERSION_1))
        {
            vi.hdr_len = VIRTIO_NET_HDR_MRG_RXBUF_SIZE;
        }
        else
        {
            vi.hdr_len = virtio_net_hdr.Size;
        }

        // The header may sit right in front of the frame in one descriptor.
        if (virtio_has_feature(vdev, virtio_config_h_uapi.VIRTIO_F_VERSION_1))
        {
            vi.any_header_sg = true;
        }

        // not ported: CTRL_VQ, VIRTIO_NET_F_MTU — not offered
        if (vi.any_header_sg)
        {
            dev.needed_headroom = (ushort)vi.hdr_len;
        }

        // Use single tx/rx queue pair as default.
        vi.curr_queue_pairs = 1;
        vi.max_queue_pairs = max_queue_pairs;

        // Allocate/initialize the rx/tx queues, and invoke find_vqs.
        var err = init_vqs(vi);
        if (err != 0)
        {
            return err;
        }

        dev.real_num_tx_queues = vi.curr_queue_pairs;
        dev.real_num_rx_queues = vi.curr_queue_pairs;

        // DRIVER_OK before register_netdev: ndo_open may run right after and use the queues.
        virtio_device_ready(vdev);

        register_netdevice(dev);

        // not ported: the CPU hotplug notifier, virtnet_config_changed_work (no STATUS), the NAPI defer/dim set-up
        vi.status = VIRTIO_NET_S_LINK_UP;
        return 0;
    }

    // drivers/net/virtio_net.c: remove_vq_common
    /// <summary>Reset the device, then take back and free every buffer and page frag, and delete the queues.</summary>
    private static void remove_vq_common(virtnet_info vi)
    {
        // The device stops touching the rings.
        Virtio.virtio_c.virtio_reset_device(vi.vdev);

        // Free unused buffers in both send and recv, if any.
        free_unused_bufs(vi);

        // not ported: free_receive_bufs' per-queue page chains — big packets only
        free_receive_page_frags(vi);
        virtnet_del_vqs(vi);
    }

    // drivers/net/virtio_net.c: virtnet_remove
    /// <summary>Unbinding: the netdev unregistered (closing it), then the device reset and every buffer returned.</summary>
    private static void virtnet_remove(virtio_device vdev)
    {
        var vi = (virtnet_info)vdev.priv!;

        // not ported: virtnet_cpu_notif_remove, flush_work of config work (no CPU hotplug, no config work);
        // unregister_netdev — the port's core cannot unregister a device: an up one is stopped, as unregistering closes it
        if (netif_running(vi.dev))
        {
            vi.dev.netdev_ops!.ndo_stop!(vi.dev);
        }

        remove_vq_common(vi);
    }

    [NotInLinux("the simulation's accessor from a bound virtio device to the netdev its driver registered (dev_get_drvdata)")]
    public static net_device virtnet_netdev(virtio_device vdev) => ((virtnet_info)vdev.priv!).dev;
}
