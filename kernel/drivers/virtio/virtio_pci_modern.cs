// Ports drivers/virtio/virtio_pci_modern.c: the modern (virtio 1.x) PCI
// transport's config ops — features (VERSION_1 required), device config
// reads, status and reset, creating a queue (size, ring addresses, MSI-X
// vector, notify address) and enabling every queue once all exist.
//
// not ported: the admin virtqueue and its commands, shared memory regions,
// queue reset and re-enable, notification data, extended features, and
// config writes (vp_set: virtio_net writes no config here).
// not ported: vp_modern_get_extended_features, vp_modern_set_extended_features
// — the feature words beyond 64 bits (VIRTIO_FEATURES_DWORDS > 2) are not
// modelled; the 64-bit vp_modern_get_features/vp_modern_set_features are used.
// not ported: __virtio_set_bit, __virtio_test_bit, to_vp_device — the 64-bit
// feature mask is set and tested with plain bit operations on the device's
// features field, which the caller already holds.
// not ported: msleep — the model completes a reset immediately, so the
// status read after the write is already 0 and the poll never sleeps.

using System;
using KernelNet.Kernel.Include.Linux;
using static KernelNet.Kernel.Drivers.Virtio.virtio_pci_common_c;
using static KernelNet.Kernel.Drivers.Virtio.virtio_pci_modern_dev_c;
using static KernelNet.Kernel.Include.Linux.virtio_pci_modern_h;
using static KernelNet.Kernel.Drivers.Virtio.virtio_ring_c;
using static KernelNet.Kernel.Include.Linux.virtio_config_h;
using static KernelNet.Kernel.Include.Uapi.Linux.virtio_config_h;
using static KernelNet.Kernel.Include.Uapi.Linux.virtio_pci_h;

namespace KernelNet.Kernel.Drivers.Virtio;

public static class virtio_pci_modern_c
{
    private const int EINVAL = 22, ENOENT = 2, ENOMEM = 12, EBUSY = 16;

    /// <summary>SMP_CACHE_BYTES: the used ring's alignment.</summary>
    private const int SMP_CACHE_BYTES = 64;

    // drivers/virtio/virtio_pci_modern.c: vp_get_features
    private static ulong vp_get_features(virtio_device vdev) => vp_modern_get_features(to_vp_device(vdev).mdev);

    // drivers/virtio/virtio_pci_modern.c: vp_transport_features
    private static void vp_transport_features(virtio_device vdev, ulong features)
    {
        // not ported: VIRTIO_F_SR_IOV (no PF/VF) and VIRTIO_F_RING_RESET (queue reset not ported) — neither is kept
        _ = features;
    }

    // drivers/virtio/virtio_pci_modern.c: vp_finalize_features
    /// <summary>Lets the ring and the transport drop what they do not do, insists on VERSION_1, and writes the features.</summary>
    private static int vp_finalize_features(virtio_device vdev)
    {
        var vp_dev = to_vp_device(vdev);
        var features = vdev.features;

        // The ring, then the transport, judge the transport bits.
        vring_transport_features(vdev);
        vp_transport_features(vdev, features);

        if (!__virtio_test_bit(vdev, VIRTIO_F_VERSION_1))
        {
            // dev_err: a modern device without VIRTIO_F_VERSION_1
            return -EINVAL;
        }

        // not ported: vp_check_common_size — the model's common configuration has every field
        vp_modern_set_features(vp_dev.mdev, vdev.features);
        return 0;
    }

    // drivers/virtio/virtio_pci_modern.c: vp_get
    /// <summary>The config op get: device configuration bytes, one ioread8 each (what vp_get does for odd sizes).</summary>
    private static void vp_get(virtio_device vdev, int offset, Span<byte> buf)
    {
        var vp_dev = to_vp_device(vdev);
        var mdev = vp_dev.mdev;
        for (var i = 0; i < buf.Length; i++)
        {
            buf[i] = mdev.bar.ioread8(mdev.device + offset + i);
        }
    }

    // drivers/virtio/virtio_pci_modern.c: vp_generation
    private static uint vp_generation(virtio_device vdev) => vp_modern_generation(to_vp_device(vdev).mdev);

    // drivers/virtio/virtio_pci_modern.c: vp_get_status
    private static byte vp_get_status(virtio_device vdev) => vp_modern_get_status(to_vp_device(vdev).mdev);

    // drivers/virtio/virtio_pci_modern.c: vp_set_status
    private static void vp_set_status(virtio_device vdev, byte status)
    {
        // Never 0 here: that is a reset (vp_reset).
        System.Diagnostics.Debug.Assert(status != 0, "status 0 is a reset");
        vp_modern_set_status(to_vp_device(vdev).mdev, status);
        // not ported: vp_modern_avq_activate — no admin queue
    }

    // drivers/virtio/virtio_pci_modern.c: vp_reset
    /// <summary>Status 0, then wait until the device reads back 0 (flushing its writes and interrupts).</summary>
    private static void vp_reset(virtio_device vdev)
    {
        var mdev = to_vp_device(vdev).mdev;
        vp_modern_set_status(mdev, 0);

        // The model resets at once; the kernel would msleep(1) while it reads non-zero.
        while (vp_modern_get_status(mdev) != 0)
        {
        }

        // not ported: vp_modern_avq_cleanup (no admin queue), vp_synchronize_vectors (one thread, no handler in flight)
    }

    // drivers/virtio/virtio_pci_modern.c: vp_active_vq
    /// <summary>Tells the device the queue's size and ring addresses, and its MSI-X entry; -EBUSY if the device refuses the vector.</summary>
    private static int vp_active_vq(virtqueue vq, ushort msix_vec)
    {
        var vp_dev = to_vp_device(vq.vdev);
        var mdev = vp_dev.mdev;
        var index = vq.index;

        vp_modern_set_queue_size(mdev, index, virtqueue_get_vring_size(vq));
        vp_modern_queue_address(mdev, index, virtqueue_get_desc_addr(vq), virtqueue_get_avail_addr(vq), virtqueue_get_used_addr(vq));

        if (msix_vec != VIRTIO_MSI_NO_VECTOR)
        {
            msix_vec = vp_modern_queue_vector(mdev, index, msix_vec);
            if (msix_vec == VIRTIO_MSI_NO_VECTOR)
            {
                return -EBUSY;
            }
        }

        return 0;
    }

    // drivers/virtio/virtio_pci_modern.c: vp_config_vector
    private static ushort vp_config_vector(virtio_pci_device vp_dev, ushort vector) => vp_modern_config_vector(vp_dev.mdev, vector);

    // drivers/virtio/virtio_pci_modern.c: setup_vq
    /// <summary>
    /// Queue <paramref name="index"/> at the size the device offers: a split
    /// ring (used ring cache-aligned), activated on the device, with its
    /// notify register's address as vq->priv. The queue is enabled later, by
    /// vp_modern_find_vqs.
    /// </summary>
    private static (virtqueue? vq, int err) setup_vq(virtio_pci_device vp_dev, virtio_pci_vq_info info, int index, Action<virtqueue>? callback, string name, bool ctx, ushort msix_vec)
    {
        var mdev = vp_dev.mdev;

        // not ported: vp_notify_with_data (VIRTIO_F_NOTIFICATION_DATA is not negotiated), vp_is_avq (no admin queue)
        Func<virtqueue, bool> notify = vp_notify;
        if (index >= vp_modern_get_num_queues(mdev))
        {
            return (null, -EINVAL);
        }

        var num = vp_modern_get_queue_size(mdev, index);

        // Not there, or already active.
        if (num == 0 || vp_modern_get_queue_enable(mdev, index))
        {
            return (null, -ENOENT);
        }

        info.msix_vector = msix_vec;

        // The ring.
        var vq = vring_create_virtqueue(index, num, SMP_CACHE_BYTES, vp_dev.vdev, true, true, ctx, notify, callback, name);
        if (vq is null)
        {
            return (null, -ENOMEM);
        }

        vq.num_max = num;

        var err = vp_active_vq(vq, msix_vec);
        if (err != 0)
        {
            goto err;
        }

        vq.priv = vp_modern_map_vq_notify(mdev, index);
        return (vq, 0);

    err:
        vring_del_virtqueue(vq);
        return (null, err);
    }

    // drivers/virtio/virtio_pci_modern.c: vp_modern_find_vqs
    /// <summary>All queues (vp_find_vqs), then each enabled: there is no way back from here but a reset.</summary>
    private static int vp_modern_find_vqs(virtio_device vdev, int nvqs, virtqueue[] vqs, virtqueue_info[] vqs_info)
    {
        var vp_dev = to_vp_device(vdev);
        var rc = vp_find_vqs(vdev, nvqs, vqs, vqs_info);
        if (rc != 0)
        {
            return rc;
        }

        foreach (var vq in vdev.vqs)
        {
            vp_modern_set_queue_enable(vp_dev.mdev, vq.index, true);
        }

        return 0;
    }

    // drivers/virtio/virtio_pci_modern.c: del_vq
    private static void del_vq(virtio_pci_vq_info info)
    {
        var vq = info.vq;
        var vp_dev = to_vp_device(vq.vdev);
        if (vp_dev.msix_enabled)
        {
            vp_modern_queue_vector(vp_dev.mdev, vq.index, VIRTIO_MSI_NO_VECTOR);
        }

        // not ported: pci_iounmap of a per-queue notify mapping — the notify area is mapped once
        vring_del_virtqueue(vq);
    }

    // drivers/virtio/virtio_pci_modern.c: virtio_pci_modern_probe
    /// <summary>Finds the device's regions and installs the modern config ops and queue set-up.</summary>
    public static int virtio_pci_modern_probe(virtio_pci_device vp_dev)
    {
        var mdev = vp_dev.mdev;
        var err = vp_modern_probe(mdev);
        if (err != 0)
        {
            return err;
        }

        // virtio_pci_config_ops (the device has no shared memory: virtio_pci_config_nodev_ops differs only there).
        vp_dev.vdev.config = new virtio_config_ops
        {
            get = vp_get,
            generation = vp_generation,
            get_status = vp_get_status,
            set_status = vp_set_status,
            reset = vp_reset,
            find_vqs = vp_modern_find_vqs,
            del_vqs = vp_del_vqs,
            get_features = vp_get_features,
            finalize_features = vp_finalize_features,
            bus_name = vp_bus_name,
            set_vq_affinity = vp_set_vq_affinity,
        };
        vp_dev.config_vector = vp_config_vector;
        vp_dev.setup_vq = setup_vq;
        vp_dev.del_vq = del_vq;
        return 0;
    }
}
