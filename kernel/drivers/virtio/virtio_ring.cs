// Ports drivers/virtio/virtio_ring.c for split virtqueues: the ring memory
// a driver allocates coherent for its device (descriptor table, available
// ring, used ring), adding a buffer as a chain of descriptors (mapped by the
// ring, or premapped by the driver), publishing it in the available ring,
// deciding whether the device must be kicked (VRING_USED_F_NO_NOTIFY, or
// avail_event with EVENT_IDX), taking used buffers back, and the interrupt
// suppression a driver turns on and off around NAPI (avail flags, or
// used_event with EVENT_IDX). vring_interrupt is the hard-IRQ handler each
// queue's MSI-X vector runs.
//
// not ported: packed virtqueues (VIRTIO_F_RING_PACKED is not negotiated),
// indirect descriptor tables (VIRTIO_RING_F_INDIRECT_DESC is not offered),
// queue resize and reset, the map API of vDPA/VDUSE (use_map_api is the
// DMA API of a PCI device here), DEBUG's in_use/last_add_time checks, and
// the hardening that keeps a queue broken until DRIVER_OK
// (CONFIG_VIRTIO_HARDEN_NOTIFICATION is off in the distribution kernel).
// not ported: kfree, kmalloc, kmalloc_array — memory is managed by the
// runtime: desc_state/desc_extra arrays are allocated with new and collected.
// not ported: PAGE_ALIGN, alloc_pages_exact, virtqueue_map_alloc_coherent,
// virtqueue_map_free_coherent, vring_use_map_api — the ring lives in the
// model's simulated memory, allocated by the port's allocator; there is no
// DMA API choice to make.
// not ported: sg_dma_address, sg_dma_len, sg_page, sg_phys,
// virtqueue_map_page_attrs, virtqueue_unmap_page_attrs, vring_mapping_error,
// is_vmalloc_addr, offset_in_page — a buffer's device address is its
// simulated physical address; mapping is the identity and cannot fail.
// not ported: cpu_to_virtio16, cpu_to_virtio32, cpu_to_virtio64,
// virtio16_to_cpu, virtio32_to_cpu, vring_used_event, vring_avail_event —
// ring fields are little-endian loads/stores of the simulated memory
// (virtio 1.x, no legacy big-endian), and the event words are addressed at
// their offsets directly.
// not ported: START_USE, END_USE, LAST_ADD_TIME_UPDATE, LAST_ADD_TIME_CHECK,
// LAST_ADD_TIME_INVALID, BAD_RING — DEBUG-only checks of virtio_ring.c
// (concurrent use, slow kicks); BAD_RING's dev_err and broken flag are raised
// through the port's own error path.
// not ported: sg_next — the scatterlist is an array walked by index.
// not ported: to_vvq — where vring_virtqueue derives from virtqueue the
// callers cast or already hold the derived object.
// not ported: virtqueue_enable_cb_prepare_packed, virtqueue_poll_packed,
// virtqueue_enable_cb_delayed_packed, virtqueue_detach_unused_buf_packed,
// more_used_packed — packed virtqueues (VIRTIO_F_RING_PACKED) are not
// negotiated by the model; only split rings are ported.
// not ported: virtio_has_feature — vring_create_virtqueue's choice of a
// packed ring: the model never offers RING_PACKED.

using System;
using System.Buffers.Binary;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using static KernelNet.Kernel.Include.Linux.virtio_config_h;
using static KernelNet.Kernel.Include.Uapi.Linux.virtio_ring_h;

namespace KernelNet.Kernel.Drivers.Virtio;

/// <summary>struct vring_desc_state_split: the token a driver added with a chain, and its context.</summary>
public struct vring_desc_state_split
{
    /// <summary>The driver's token (an skb, a receive buffer); null while the descriptor is free.</summary>
    public object? data;

    /// <summary>The indirect table or, with ctx, the driver's context (the mergeable buffer's truesize and headroom).</summary>
    public object? indir_desc;
}

/// <summary>struct vring_desc_extra: what the driver keeps of each descriptor (to unmap it, and the free list).</summary>
public struct vring_desc_extra
{
    /// <summary>The mapped address, or DMA_MAPPING_ERROR for a premapped buffer the ring must not unmap.</summary>
    public ulong addr;

    public uint len;

    public ushort flags;

    /// <summary>The next descriptor of a chain, or of the free list.</summary>
    public ushort next;
}

/// <summary>struct vring_virtqueue_split: the ring's memory and the driver's shadows of what it wrote there.</summary>
public sealed class vring_virtqueue_split
{
    /// <summary>The ring's memory as the CPU sees it (vring.desc points at its start).</summary>
    public byte[] queue = Array.Empty<byte>();

    /// <summary>vring.num: entries in the ring.</summary>
    public int num;

    /// <summary>Where vring.desc, vring.avail and vring.used start in <see cref="queue"/>.</summary>
    public int desc, avail, used;

    /// <summary>The last avail->flags written (it is never read back from the ring).</summary>
    public ushort avail_flags_shadow;

    /// <summary>The last avail->idx written.</summary>
    public ushort avail_idx_shadow;

    public vring_desc_state_split[] desc_state = Array.Empty<vring_desc_state_split>();

    public vring_desc_extra[] desc_extra = Array.Empty<vring_desc_extra>();

    /// <summary>The ring's bus address (what the transport writes to queue_desc).</summary>
    public ulong queue_dma_addr;

    public int queue_size_in_bytes;

    public int vring_align;

    public bool may_reduce_num;
}

/// <summary>struct vring_virtqueue: a virtqueue with its ring (to_vvq is the cast from <see cref="virtqueue"/>).</summary>
public sealed class vring_virtqueue : virtqueue
{
    public vring_virtqueue_split split = new();

    /// <summary>The ring memory is ours (vring_create_virtqueue allocated it).</summary>
    public bool we_own_ring;

    /// <summary>Buffers are mapped through the DMA API (VIRTIO_F_ACCESS_PLATFORM, or Xen).</summary>
    public bool use_map_api;

    /// <summary>Something went wrong: the queue refuses buffers.</summary>
    public bool broken;

    /// <summary>Indirect tables may be used.</summary>
    public bool indirect;

    /// <summary>VIRTIO_RING_F_EVENT_IDX was negotiated.</summary>
    public bool @event;

    /// <summary>The device interrupted since callbacks were last enabled (a hint).</summary>
    public bool event_triggered;

    /// <summary>Head of the free descriptor list.</summary>
    public int free_head;

    /// <summary>Buffers added since the last kick_prepare.</summary>
    public int num_added;

    /// <summary>The used ring entry the driver reads next.</summary>
    public ushort last_used_idx;

    /// <summary>The transport's doorbell (vp_notify): false if the device is gone.</summary>
    public Func<virtqueue, bool> notify = null!;

    public bool weak_barriers;
}

public static class virtio_ring_c
{
    /// <summary>DMA_MAPPING_ERROR: the marker of a premapped descriptor (the ring does not unmap it).</summary>
    private const ulong DMA_MAPPING_ERROR = ulong.MaxValue;

    private const int ENOSPC = 28, ENOMEM = 12, EIO = 5, EINVAL = 22;

    // drivers/virtio/virtio_ring.c: to_vvq
    /// <summary>The vring_virtqueue around a virtqueue (container_of in C; here the derived class, so a cast).</summary>
    private static vring_virtqueue to_vvq(virtqueue vq) => (vring_virtqueue)vq;

    [NotInLinux("reads a le16 of the ring (virtio16_to_cpu of a field of struct vring_*)")]
    private static ushort ring_u16(vring_virtqueue vq, int off) => BinaryPrimitives.ReadUInt16LittleEndian(vq.split.queue.AsSpan(off));

    [NotInLinux("writes a le16 of the ring (cpu_to_virtio16 into a field of struct vring_*)")]
    private static void ring_set_u16(vring_virtqueue vq, int off, ushort v) => BinaryPrimitives.WriteUInt16LittleEndian(vq.split.queue.AsSpan(off), v);

    /// <summary>Offset of avail->flags, avail->idx, avail->ring[i], and used_event (avail->ring[num]).</summary>
    [NotInLinux("field offsets of struct vring_avail in the ring memory")]
    private static int avail_ring(vring_virtqueue vq, int i) => vq.split.avail + 4 + (2 * i);

    /// <summary>Offset of used->ring[i] (id, len) and, for i == num, avail_event.</summary>
    [NotInLinux("field offsets of struct vring_used in the ring memory")]
    private static int used_ring(vring_virtqueue vq, int i) => vq.split.used + 4 + (VRING_USED_ELEM_SIZE * i);

    // drivers/virtio/virtio_ring.c: vring_use_map_api
    /// <summary>Whether the ring maps buffers through the DMA API: with VIRTIO_F_ACCESS_PLATFORM (behind an IOMMU), as the port's devices always are.</summary>
    private static bool vring_use_map_api(virtio_device vdev)
    {
        // not ported: virtio_has_dma_quirk and xen_domain — the model sits behind the machine's IOMMU (DmaMemory) always
        return true;
    }

    // drivers/virtio/virtio_ring.c: vring_need_unmap_buffer
    private static bool vring_need_unmap_buffer(vring_virtqueue vring, in vring_desc_extra extra) =>
        vring.use_map_api && extra.addr != DMA_MAPPING_ERROR;

    // drivers/virtio/virtio_ring.c: vring_alloc_queue
    /// <summary>The ring's memory: coherent DMA memory of the device (dma_alloc_coherent).</summary>
    private static (byte[] Cpu, ulong Bus) vring_alloc_queue(virtio_device vdev, int size) =>
        vdev.k.machine.Dma.AllocCoherent(size);

    // drivers/virtio/virtio_ring.c: vring_free_queue
    private static void vring_free_queue(virtio_device vdev, ulong dma_handle) =>
        vdev.k.machine.Dma.Unmap(dma_handle);

    // drivers/virtio/virtio_ring.c: vring_map_one_sg
    /// <summary>The bus address and length of one entry: its own for a premapped entry, else a fresh streaming mapping.</summary>
    private static int vring_map_one_sg(vring_virtqueue vq, scatterlist sg, out ulong addr, out uint len, bool premapped)
    {
        if (premapped)
        {
            addr = sg.dma_address;
            len = (uint)sg.dma_length;
            return 0;
        }

        len = (uint)sg.length;
        // virtqueue_map_page_attrs: dma_map_page; the IOMMU of the model cannot fail a mapping
        addr = vq.vdev.k.machine.Dma.Map(sg.mem!, sg.offset, sg.length);
        return 0;
    }

    // drivers/virtio/virtio_ring.c: virtqueue_init
    private static void virtqueue_init(vring_virtqueue vq, int num)
    {
        vq.num_free = num;
        vq.last_used_idx = 0;
        vq.event_triggered = false;
        vq.num_added = 0;
    }

    // drivers/virtio/virtio_ring.c: vring_unmap_one_split
    /// <summary>Unmaps one descriptor's buffer unless it was premapped; returns the next descriptor.</summary>
    private static int vring_unmap_one_split(vring_virtqueue vq, ref vring_desc_extra extra)
    {
        if (vring_need_unmap_buffer(vq, extra))
        {
            // virtqueue_unmap_page_attrs
            vq.vdev.k.machine.Dma.Unmap(extra.addr);
        }

        return extra.next;
    }

    // drivers/virtio/virtio_ring.c: virtqueue_add_desc_split
    /// <summary>Writes descriptor <paramref name="i"/> (and its extra); returns the next free one.</summary>
    private static int virtqueue_add_desc_split(vring_virtqueue vq, int i, ulong addr, uint len, ushort flags, bool premapped)
    {
        var d = vq.split.queue.AsSpan(vq.split.desc + (VRING_DESC_SIZE * i), VRING_DESC_SIZE);
        BinaryPrimitives.WriteUInt16LittleEndian(d[12..], flags);
        BinaryPrimitives.WriteUInt64LittleEndian(d, addr);
        BinaryPrimitives.WriteUInt32LittleEndian(d[8..], len);

        ref var extra = ref vq.split.desc_extra[i];
        extra.addr = premapped ? DMA_MAPPING_ERROR : addr;
        extra.len = len;
        extra.flags = flags;

        var next = extra.next;
        BinaryPrimitives.WriteUInt16LittleEndian(d[14..], next);
        return next;
    }

    // drivers/virtio/virtio_ring.c: virtqueue_add_split
    /// <summary>
    /// Puts the <paramref name="out_sgs"/> readable then <paramref name="in_sgs"/>
    /// writable entries of <paramref name="sgs"/> on a chain of free
    /// descriptors, remembers <paramref name="data"/> (and <paramref name="ctx"/>)
    /// for the chain's head, and publishes the head in the available ring:
    /// the device may use it from here on. -ENOSPC when too few descriptors are
    /// free (kicking first if the buffer is outgoing), -EIO on a broken queue.
    /// </summary>
    private static int virtqueue_add_split(virtqueue _vq, scatterlist[][] sgs, int total_sg, int out_sgs, int in_sgs, object data, object? ctx, bool premapped)
    {
        var vq = to_vvq(_vq);
        ArgumentNullException.ThrowIfNull(data);

        if (vq.broken)
        {
            return -EIO;
        }

        var head = vq.free_head;

        // not ported: virtqueue_use_indirect, alloc_indirect_split, vring_map_single, kfree — no indirect tables
        // not ported: WARN_ON_ONCE on a chain longer than the ring
        var i = head;
        var descs_used = total_sg;
        var prev = i;

        if (vq.num_free < descs_used)
        {
            // For historical reasons the device is kicked here if the buffer has outgoing parts.
            if (out_sgs != 0)
            {
                vq.notify(vq);
            }

            return -ENOSPC;
        }

        for (var n = 0; n < out_sgs + in_sgs; n++)
        {
            var table = sgs[n];
            for (var k = 0; k < table.Length; k++)
            {
                var sg = table[k];
                if (vring_map_one_sg(vq, sg, out var addr, out var len, premapped) != 0)
                {
                    goto unmap_release;
                }

                prev = i;
                var flags = n < out_sgs ? VRING_DESC_F_NEXT : (ushort)(VRING_DESC_F_NEXT | VRING_DESC_F_WRITE);
                i = virtqueue_add_desc_split(vq, i, addr, len, flags, premapped);
                if (scatterlist_h.sg_is_last(sg))
                {
                    break;
                }
            }
        }

        // The last one does not continue.
        var lastFlags = vq.split.desc + (VRING_DESC_SIZE * prev) + 12;
        ring_set_u16(vq, lastFlags, (ushort)(ring_u16(vq, lastFlags) & ~VRING_DESC_F_NEXT));
        if (vring_need_unmap_buffer(vq, vq.split.desc_extra[prev]))
        {
            vq.split.desc_extra[prev & (vq.split.num - 1)].flags &= unchecked((ushort)~VRING_DESC_F_NEXT);
        }

        // These descriptors leave the free list.
        vq.num_free -= descs_used;
        vq.free_head = i;

        // The token, and the context for the one who gets the buffer back.
        vq.split.desc_state[head].data = data;
        vq.split.desc_state[head].indir_desc = ctx;

        // The head goes in the available ring; avail->idx moves only after it (virtio_wmb: the
        // descriptors and the ring entry are in memory before the index that exposes them).
        var avail = vq.split.avail_idx_shadow & (vq.split.num - 1);
        ring_set_u16(vq, avail_ring(vq, avail), (ushort)head);
        vq.split.avail_idx_shadow++;
        ring_set_u16(vq, vq.split.avail + 2, vq.split.avail_idx_shadow);
        vq.num_added++;

        // Unlikely, but 65535 buffers without a kick would wrap the index the device compares.
        if (vq.num_added == (1 << 16) - 1)
        {
            virtqueue_kick(_vq);
        }

        return 0;

    unmap_release:
        var err_idx = i;
        i = head;
        for (var n = 0; n < total_sg; n++)
        {
            if (i == err_idx)
            {
                break;
            }

            i = vring_unmap_one_split(vq, ref vq.split.desc_extra[i]);
        }

        return -ENOMEM;
    }

    // drivers/virtio/virtio_ring.c: virtqueue_kick_prepare_split
    /// <summary>Whether the device wants a kick for the buffers added since the last call: avail_event passed (EVENT_IDX), else unless VRING_USED_F_NO_NOTIFY.</summary>
    private static bool virtqueue_kick_prepare_split(virtqueue _vq)
    {
        var vq = to_vvq(_vq);

        // virtio_mb: the new available entries are visible before avail_event is read.
        var old = (ushort)(vq.split.avail_idx_shadow - vq.num_added);
        var @new = vq.split.avail_idx_shadow;
        vq.num_added = 0;

        bool needs_kick;
        if (vq.@event)
        {
            needs_kick = vring_need_event(ring_u16(vq, used_ring(vq, vq.split.num)), @new, old);
        }
        else
        {
            needs_kick = (ring_u16(vq, vq.split.used) & VRING_USED_F_NO_NOTIFY) == 0;
        }

        return needs_kick;
    }

    // drivers/virtio/virtio_ring.c: detach_buf_split
    /// <summary>Returns the chain at <paramref name="head"/> to the free list, unmapping what the ring mapped; hands back the context.</summary>
    private static void detach_buf_split(vring_virtqueue vq, int head, out object? ctx)
    {
        // Clear the token.
        vq.split.desc_state[head].data = null;

        // Back on the free list: unmap each first-level descriptor and find the end.
        var i = head;
        while ((ring_u16(vq, vq.split.desc + (VRING_DESC_SIZE * i) + 12) & VRING_DESC_F_NEXT) != 0)
        {
            vring_unmap_one_split(vq, ref vq.split.desc_extra[i]);
            i = vq.split.desc_extra[i].next;
            vq.num_free++;
        }

        vring_unmap_one_split(vq, ref vq.split.desc_extra[i]);
        vq.split.desc_extra[i].next = (ushort)vq.free_head;
        vq.free_head = head;

        // And the last descriptor.
        vq.num_free++;

        // not ported: freeing an indirect table (kfree of indir_desc) — no indirect tables
        ctx = vq.split.desc_state[head].indir_desc;
    }

    // drivers/virtio/virtio_ring.c: more_used_split
    private static bool more_used_split(vring_virtqueue vq) => vq.last_used_idx != ring_u16(vq, vq.split.used + 2);

    // drivers/virtio/virtio_ring.c: virtqueue_get_buf_ctx_split
    /// <summary>
    /// The next used buffer's token, its length as the device wrote it and its
    /// context, or null when the device used none since. Tells the device, by
    /// used_event, to interrupt at the next one while callbacks are enabled.
    /// </summary>
    private static object? virtqueue_get_buf_ctx_split(virtqueue _vq, out uint len, out object? ctx)
    {
        var vq = to_vvq(_vq);
        len = 0;
        ctx = null;

        if (vq.broken)
        {
            return null;
        }

        if (!more_used_split(vq))
        {
            return null;
        }

        // virtio_rmb: the used entries only after the index that exposed them.
        var last_used = vq.last_used_idx & (vq.split.num - 1);
        var e = used_ring(vq, last_used);
        var i = (int)BinaryPrimitives.ReadUInt32LittleEndian(vq.split.queue.AsSpan(e));
        len = BinaryPrimitives.ReadUInt32LittleEndian(vq.split.queue.AsSpan(e + 4));

        if (i >= vq.split.num || vq.split.desc_state[i].data is null)
        {
            // BAD_RING: the device named a descriptor that is not an outstanding head
            vq.broken = true;
            return null;
        }

        // detach_buf_split clears data: take it first.
        var ret = vq.split.desc_state[i].data;
        detach_buf_split(vq, i, out ctx);
        vq.last_used_idx++;

        // Interrupts wanted for the next entry: say so by used_event (virtio_store_mb).
        if ((vq.split.avail_flags_shadow & VRING_AVAIL_F_NO_INTERRUPT) == 0)
        {
            ring_set_u16(vq, avail_ring(vq, vq.split.num), vq.last_used_idx);
        }

        return ret;
    }

    // drivers/virtio/virtio_ring.c: virtqueue_disable_cb_split
    /// <summary>Asks the device not to interrupt (avail flags, or a used_event far behind with EVENT_IDX); a hint the device may ignore.</summary>
    private static void virtqueue_disable_cb_split(virtqueue _vq)
    {
        var vq = to_vvq(_vq);
        if ((vq.split.avail_flags_shadow & VRING_AVAIL_F_NO_INTERRUPT) != 0)
        {
            return;
        }

        vq.split.avail_flags_shadow |= VRING_AVAIL_F_NO_INTERRUPT;

        // A device that already triggered an event will not trigger another: nothing to write.
        if (vq.event_triggered)
        {
            return;
        }

        if (vq.@event)
        {
            // 6.18 writes 0: an index the device will not reach for a long while.
            ring_set_u16(vq, avail_ring(vq, vq.split.num), 0);
        }
        else
        {
            ring_set_u16(vq, vq.split.avail, vq.split.avail_flags_shadow);
        }
    }

    // drivers/virtio/virtio_ring.c: virtqueue_enable_cb_prepare_split
    /// <summary>Re-enables interrupts at the next used entry; returns the index to check with virtqueue_poll.</summary>
    private static ushort virtqueue_enable_cb_prepare_split(virtqueue _vq)
    {
        var vq = to_vvq(_vq);

        // Both mechanisms are written, to keep it simple: the flag, and used_event at the next entry.
        if ((vq.split.avail_flags_shadow & VRING_AVAIL_F_NO_INTERRUPT) != 0)
        {
            vq.split.avail_flags_shadow &= unchecked((ushort)~VRING_AVAIL_F_NO_INTERRUPT);
            if (!vq.@event)
            {
                ring_set_u16(vq, vq.split.avail, vq.split.avail_flags_shadow);
            }
        }

        var last_used_idx = vq.last_used_idx;
        ring_set_u16(vq, avail_ring(vq, vq.split.num), last_used_idx);
        return last_used_idx;
    }

    // drivers/virtio/virtio_ring.c: virtqueue_poll_split
    private static bool virtqueue_poll_split(virtqueue _vq, ushort last_used_idx) =>
        last_used_idx != ring_u16(to_vvq(_vq), to_vvq(_vq).split.used + 2);

    // drivers/virtio/virtio_ring.c: virtqueue_enable_cb_delayed_split
    /// <summary>
    /// Re-enables interrupts, but (with EVENT_IDX) only once three quarters of
    /// the outstanding buffers are used; false if that many already are (the
    /// caller should process them now).
    /// </summary>
    private static bool virtqueue_enable_cb_delayed_split(virtqueue _vq)
    {
        var vq = to_vvq(_vq);
        if ((vq.split.avail_flags_shadow & VRING_AVAIL_F_NO_INTERRUPT) != 0)
        {
            vq.split.avail_flags_shadow &= unchecked((ushort)~VRING_AVAIL_F_NO_INTERRUPT);
            if (!vq.@event)
            {
                ring_set_u16(vq, vq.split.avail, vq.split.avail_flags_shadow);
            }
        }

        var bufs = (ushort)((ushort)(vq.split.avail_idx_shadow - vq.last_used_idx) * 3 / 4);

        // virtio_store_mb: used_event is in memory before used->idx is read.
        ring_set_u16(vq, avail_ring(vq, vq.split.num), (ushort)(vq.last_used_idx + bufs));

        return (ushort)(ring_u16(vq, vq.split.used + 2) - vq.last_used_idx) <= bufs;
    }

    // drivers/virtio/virtio_ring.c: virtqueue_detach_unused_buf_split
    /// <summary>Takes back a buffer the device never used (on teardown), or null when none is left.</summary>
    private static object? virtqueue_detach_unused_buf_split(virtqueue _vq)
    {
        var vq = to_vvq(_vq);
        for (var i = 0; i < vq.split.num; i++)
        {
            if (vq.split.desc_state[i].data is not { } buf)
            {
                continue;
            }

            detach_buf_split(vq, i, out _);
            vq.split.avail_idx_shadow--;
            ring_set_u16(vq, vq.split.avail + 2, vq.split.avail_idx_shadow);
            return buf;
        }

        // Everything must be free by now (BUG_ON).
        System.Diagnostics.Debug.Assert(vq.num_free == vq.split.num, "descriptors lost");
        return null;
    }

    // drivers/virtio/virtio_ring.c: virtqueue_vring_init_split
    /// <summary>Fresh shadows; a queue without a callback asks never to be interrupted.</summary>
    private static void virtqueue_vring_init_split(vring_virtqueue_split vring_split, vring_virtqueue vq)
    {
        vring_split.avail_flags_shadow = 0;
        vring_split.avail_idx_shadow = 0;

        if (vq.callback is null)
        {
            vring_split.avail_flags_shadow |= VRING_AVAIL_F_NO_INTERRUPT;
            if (!vq.@event)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(vring_split.queue.AsSpan(vring_split.avail), vring_split.avail_flags_shadow);
            }
        }
    }

    // drivers/virtio/virtio_ring.c: virtqueue_vring_attach_split
    private static void virtqueue_vring_attach_split(vring_virtqueue vq, vring_virtqueue_split vring_split)
    {
        vq.split = vring_split;

        // Everything on the free list.
        vq.free_head = 0;
    }

    // drivers/virtio/virtio_ring.c: vring_alloc_state_extra_split
    private static int vring_alloc_state_extra_split(vring_virtqueue_split vring_split)
    {
        var num = vring_split.num;
        vring_split.desc_state = new vring_desc_state_split[num];
        vring_split.desc_extra = vring_alloc_desc_extra(num);
        return 0;
    }

    // drivers/virtio/virtio_ring.c: vring_free_split
    private static void vring_free_split(vring_virtqueue_split vring_split, virtio_device vdev)
    {
        vring_free_queue(vdev, vring_split.queue_dma_addr);
        vring_split.desc_state = Array.Empty<vring_desc_state_split>();
        vring_split.desc_extra = Array.Empty<vring_desc_extra>();
    }

    // drivers/virtio/virtio_ring.c: vring_alloc_queue_split
    /// <summary>The ring's memory for <paramref name="num"/> entries (a power of two), laid out by vring_init.</summary>
    private static int vring_alloc_queue_split(vring_virtqueue_split vring_split, virtio_device vdev, int num, int vring_align, bool may_reduce_num)
    {
        if ((num & (num - 1)) != 0 || num == 0)
        {
            // dev_warn: bad virtqueue length
            return -EINVAL;
        }

        // not ported: halving num while the allocation fails — coherent memory of the model never runs out
        var (queue, dma_addr) = vring_alloc_queue(vdev, vring_size(num, vring_align));
        var (desc, avail, used) = vring_init(num, vring_align);
        vring_split.queue = queue;
        vring_split.num = num;
        vring_split.desc = desc;
        vring_split.avail = avail;
        vring_split.used = used;
        vring_split.queue_dma_addr = dma_addr;
        vring_split.queue_size_in_bytes = vring_size(num, vring_align);
        vring_split.vring_align = vring_align;
        vring_split.may_reduce_num = may_reduce_num;
        return 0;
    }

    // drivers/virtio/virtio_ring.c: __vring_new_virtqueue_split
    private static vring_virtqueue? __vring_new_virtqueue_split(int index, vring_virtqueue_split vring_split, virtio_device vdev, bool weak_barriers, bool context,
        Func<virtqueue, bool> notify, Action<virtqueue>? callback, string name)
    {
        var vq = new vring_virtqueue
        {
            callback = callback,
            vdev = vdev,
            name = name,
            index = index,
            reset = false,
            we_own_ring = false,
            notify = notify,
            weak_barriers = weak_barriers,
            broken = false,
        };
        vq.use_map_api = vring_use_map_api(vdev);
        vq.indirect = virtio_has_feature(vdev, VIRTIO_RING_F_INDIRECT_DESC) && !context;
        vq.@event = virtio_has_feature(vdev, VIRTIO_RING_F_EVENT_IDX);

        // not ported: VIRTIO_F_ORDER_PLATFORM's strong barriers — barriers are no-ops here
        if (vring_alloc_state_extra_split(vring_split) != 0)
        {
            return null;
        }

        virtqueue_vring_init_split(vring_split, vq);
        virtqueue_init(vq, vring_split.num);
        virtqueue_vring_attach_split(vq, vring_split);

        // vqs_list_lock protects the device's list of queues.
        vdev.vqs.Add(vq);
        return vq;
    }

    // drivers/virtio/virtio_ring.c: vring_create_virtqueue_split
    private static virtqueue? vring_create_virtqueue_split(int index, int num, int vring_align, virtio_device vdev, bool weak_barriers, bool may_reduce_num, bool context,
        Func<virtqueue, bool> notify, Action<virtqueue>? callback, string name)
    {
        var vring_split = new vring_virtqueue_split();
        if (vring_alloc_queue_split(vring_split, vdev, num, vring_align, may_reduce_num) != 0)
        {
            return null;
        }

        var vq = __vring_new_virtqueue_split(index, vring_split, vdev, weak_barriers, context, notify, callback, name);
        if (vq is null)
        {
            vring_free_split(vring_split, vdev);
            return null;
        }

        vq.we_own_ring = true;
        return vq;
    }

    // drivers/virtio/virtio_ring.c: vring_alloc_desc_extra
    /// <summary>The extras of <paramref name="num"/> descriptors, chained into one free list.</summary>
    private static vring_desc_extra[] vring_alloc_desc_extra(int num)
    {
        var desc_extra = new vring_desc_extra[num];
        for (var i = 0; i < num - 1; i++)
        {
            desc_extra[i].next = (ushort)(i + 1);
        }

        return desc_extra;
    }

    // drivers/virtio/virtio_ring.c: virtqueue_add
    private static int virtqueue_add(virtqueue _vq, scatterlist[][] sgs, int total_sg, int out_sgs, int in_sgs, object data, object? ctx, bool premapped) =>
        // not ported: virtqueue_add_packed — split rings only
        virtqueue_add_split(_vq, sgs, total_sg, out_sgs, in_sgs, data, ctx, premapped);

    // drivers/virtio/virtio_ring.c: virtqueue_add_outbuf
    /// <summary>Exposes <paramref name="num"/> entries of <paramref name="sg"/> for the device to read; <paramref name="data"/> comes back from virtqueue_get_buf once it has. 0 or -ENOSPC/-ENOMEM/-EIO.</summary>
    public static int virtqueue_add_outbuf(virtqueue vq, scatterlist[] sg, int num, object data) =>
        virtqueue_add(vq, [sg], num, 1, 0, data, null, false);

    // drivers/virtio/virtio_ring.c: virtqueue_add_inbuf
    /// <summary>Exposes <paramref name="num"/> entries of <paramref name="sg"/> for the device to write.</summary>
    public static int virtqueue_add_inbuf(virtqueue vq, scatterlist[] sg, int num, object data) =>
        virtqueue_add(vq, [sg], num, 0, 1, data, null, false);

    // drivers/virtio/virtio_ring.c: virtqueue_add_inbuf_ctx
    /// <summary>virtqueue_add_inbuf with a context that comes back with the buffer (virtqueue_get_buf_ctx).</summary>
    public static int virtqueue_add_inbuf_ctx(virtqueue vq, scatterlist[] sg, int num, object data, object? ctx) =>
        virtqueue_add(vq, [sg], num, 0, 1, data, ctx, false);

    // drivers/virtio/virtio_ring.c: virtqueue_add_inbuf_premapped
    /// <summary>virtqueue_add_inbuf_ctx for entries the driver mapped itself (sg_dma_address): the ring neither maps nor unmaps them.</summary>
    public static int virtqueue_add_inbuf_premapped(virtqueue vq, scatterlist[] sg, int num, object data, object? ctx) =>
        virtqueue_add(vq, [sg], num, 0, 1, data, ctx, true);

    // drivers/virtio/virtio_ring.c: virtqueue_kick_prepare
    /// <summary>Whether the device needs a kick for what was added; call virtqueue_notify if so.</summary>
    public static bool virtqueue_kick_prepare(virtqueue _vq) =>
        // not ported: virtqueue_kick_prepare_packed — split rings only
        virtqueue_kick_prepare_split(_vq);

    // drivers/virtio/virtio_ring.c: virtqueue_notify
    /// <summary>Rings the device's doorbell for this queue; false (and the queue broken) if the transport failed.</summary>
    public static bool virtqueue_notify(virtqueue _vq)
    {
        var vq = to_vvq(_vq);
        if (vq.broken)
        {
            return false;
        }

        // The transport's notify: a register write that exits to the device.
        if (!vq.notify(_vq))
        {
            vq.broken = true;
            return false;
        }

        return true;
    }

    // drivers/virtio/virtio_ring.c: virtqueue_kick
    public static bool virtqueue_kick(virtqueue vq)
    {
        if (virtqueue_kick_prepare(vq))
        {
            return virtqueue_notify(vq);
        }

        return true;
    }

    // drivers/virtio/virtio_ring.c: virtqueue_get_buf_ctx
    /// <summary>The next used buffer's token, with the length the device wrote and the context; null if none.</summary>
    public static object? virtqueue_get_buf_ctx(virtqueue _vq, out uint len, out object? ctx) =>
        // not ported: virtqueue_get_buf_ctx_packed — split rings only
        virtqueue_get_buf_ctx_split(_vq, out len, out ctx);

    // drivers/virtio/virtio_ring.c: virtqueue_get_buf
    public static object? virtqueue_get_buf(virtqueue _vq, out uint len) => virtqueue_get_buf_ctx(_vq, out len, out _);

    // drivers/virtio/virtio_ring.c: virtqueue_disable_cb
    /// <summary>Asks the device not to interrupt for this queue (NAPI is about to poll it).</summary>
    public static void virtqueue_disable_cb(virtqueue _vq) =>
        // not ported: virtqueue_disable_cb_packed — split rings only
        virtqueue_disable_cb_split(_vq);

    // drivers/virtio/virtio_ring.c: virtqueue_enable_cb_prepare
    /// <summary>Re-enables interrupts; returns what virtqueue_poll compares to see whether buffers were used meanwhile.</summary>
    public static ushort virtqueue_enable_cb_prepare(virtqueue _vq)
    {
        var vq = to_vvq(_vq);
        if (vq.@event)
        {
            vq.event_triggered = false;
        }

        return virtqueue_enable_cb_prepare_split(_vq);
    }

    // drivers/virtio/virtio_ring.c: virtqueue_poll
    /// <summary>Whether the device used buffers since virtqueue_enable_cb_prepare returned <paramref name="last_used_idx"/>.</summary>
    public static bool virtqueue_poll(virtqueue _vq, ushort last_used_idx)
    {
        var vq = to_vvq(_vq);
        if (vq.broken)
        {
            return false;
        }

        // virtio_mb: the enabling write is visible before used->idx is read.
        return virtqueue_poll_split(_vq, last_used_idx);
    }

    // drivers/virtio/virtio_ring.c: virtqueue_enable_cb
    /// <summary>Re-enables interrupts; false if buffers are pending already (process them).</summary>
    public static bool virtqueue_enable_cb(virtqueue _vq)
    {
        var last_used_idx = virtqueue_enable_cb_prepare(_vq);
        return !virtqueue_poll(_vq, last_used_idx);
    }

    // drivers/virtio/virtio_ring.c: virtqueue_enable_cb_delayed
    /// <summary>Re-enables interrupts after most outstanding buffers are used (TX completion); false if they already are.</summary>
    public static bool virtqueue_enable_cb_delayed(virtqueue _vq)
    {
        var vq = to_vvq(_vq);
        if (vq.@event)
        {
            vq.event_triggered = false;
        }

        return virtqueue_enable_cb_delayed_split(_vq);
    }

    // drivers/virtio/virtio_ring.c: virtqueue_detach_unused_buf
    public static object? virtqueue_detach_unused_buf(virtqueue _vq) => virtqueue_detach_unused_buf_split(_vq);

    // drivers/virtio/virtio_ring.c: more_used
    private static bool more_used(vring_virtqueue vq) => more_used_split(vq);

    // drivers/virtio/virtio_ring.c: vring_interrupt
    /// <summary>
    /// A queue's hard-IRQ handler (its MSI-X vector): IRQ_NONE if the device
    /// used nothing, else the driver's callback (skb_recv_done, skb_xmit_done).
    /// </summary>
    [HardIrqContext]
    public static irqreturn_t vring_interrupt(int irq, object? _vq)
    {
        var vq = to_vvq((virtqueue)_vq!);
        if (!more_used(vq))
        {
            return irqreturn_t.IRQ_NONE;
        }

        if (vq.broken)
        {
            return irqreturn_t.IRQ_HANDLED;
        }

        // A hint, racy by design: the device triggered an event.
        if (vq.@event)
        {
            vq.event_triggered = true;
        }

        vq.callback?.Invoke(vq);
        return irqreturn_t.IRQ_HANDLED;
    }

    // drivers/virtio/virtio_ring.c: vring_create_virtqueue
    /// <summary>A split virtqueue of <paramref name="num"/> entries in fresh coherent memory.</summary>
    public static virtqueue? vring_create_virtqueue(int index, int num, int vring_align, virtio_device vdev, bool weak_barriers, bool may_reduce_num, bool context,
        Func<virtqueue, bool> notify, Action<virtqueue>? callback, string name) =>
        // not ported: vring_create_virtqueue_packed — VIRTIO_F_RING_PACKED is not negotiated
        vring_create_virtqueue_split(index, num, vring_align, vdev, weak_barriers, may_reduce_num, context, notify, callback, name);

    // drivers/virtio/virtio_ring.c: vring_free
    private static void vring_free(virtqueue _vq)
    {
        var vq = to_vvq(_vq);
        if (vq.we_own_ring)
        {
            vring_free_queue(vq.vdev, vq.split.queue_dma_addr);
        }

        vq.split.desc_state = Array.Empty<vring_desc_state_split>();
        vq.split.desc_extra = Array.Empty<vring_desc_extra>();
    }

    // drivers/virtio/virtio_ring.c: vring_del_virtqueue
    /// <summary>Removes the queue from its device and frees its ring.</summary>
    public static void vring_del_virtqueue(virtqueue _vq)
    {
        _vq.vdev.vqs.Remove(_vq);
        vring_free(_vq);
    }

    // drivers/virtio/virtio_ring.c: vring_transport_features
    /// <summary>Clears the transport feature bits the ring does not implement (indirect, packed, ...), keeping EVENT_IDX, VERSION_1 and ACCESS_PLATFORM.</summary>
    public static void vring_transport_features(virtio_device vdev)
    {
        for (var i = Include.Uapi.Linux.virtio_config_h.VIRTIO_TRANSPORT_F_START; i < Include.Uapi.Linux.virtio_config_h.VIRTIO_TRANSPORT_F_END; i++)
        {
            switch (i)
            {
                case VIRTIO_RING_F_EVENT_IDX:
                case Include.Uapi.Linux.virtio_config_h.VIRTIO_F_VERSION_1:
                case Include.Uapi.Linux.virtio_config_h.VIRTIO_F_ACCESS_PLATFORM:
                    break;
                default:
                    // not ported: indirect descriptors, packed rings, ORDER_PLATFORM, SR_IOV, NOTIFICATION_DATA,
                    // NOTIF_CONFIG_DATA, RING_RESET, IN_ORDER — the ring here does none of them, so it clears them
                    __virtio_clear_bit(vdev, i);
                    break;
            }
        }
    }

    // drivers/virtio/virtio_ring.c: virtqueue_get_vring_size
    public static int virtqueue_get_vring_size(virtqueue _vq) => to_vvq(_vq).split.num;

    // drivers/virtio/virtio_ring.c: virtqueue_get_desc_addr
    public static ulong virtqueue_get_desc_addr(virtqueue _vq) => to_vvq(_vq).split.queue_dma_addr + (ulong)to_vvq(_vq).split.desc;

    // drivers/virtio/virtio_ring.c: virtqueue_get_avail_addr
    public static ulong virtqueue_get_avail_addr(virtqueue _vq) => to_vvq(_vq).split.queue_dma_addr + (ulong)to_vvq(_vq).split.avail;

    // drivers/virtio/virtio_ring.c: virtqueue_get_used_addr
    public static ulong virtqueue_get_used_addr(virtqueue _vq) => to_vvq(_vq).split.queue_dma_addr + (ulong)to_vvq(_vq).split.used;

    // drivers/virtio/virtio_ring.c: virtqueue_map_single_attrs
    /// <summary>Maps <paramref name="size"/> bytes of <paramref name="mem"/> for the device (dma_map_single): a premapping driver's own mapping.</summary>
    public static ulong virtqueue_map_single_attrs(virtqueue _vq, byte[] mem, int offset, int size) =>
        _vq.vdev.k.machine.Dma.Map(mem, offset, size);

    // drivers/virtio/virtio_ring.c: virtqueue_unmap_single_attrs
    public static void virtqueue_unmap_single_attrs(virtqueue _vq, ulong addr) =>
        _vq.vdev.k.machine.Dma.Unmap(addr);
}
