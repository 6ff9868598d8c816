// Ports include/linux/virtio_config.h: the transport operations a driver
// calls through its device (config reads, status, reset, features, finding
// queues) and the inline helpers over them (virtio_has_feature,
// virtio_find_vqs, virtio_device_ready, virtio_cread*).
//
// not ported: the endianness helpers for legacy devices (the port's devices
// are VERSION_1: little-endian), shared memory regions, the per-vq reset
// and the config-change notification helpers.
// not ported: virtio_check_driver_offered_feature — a debug check that the
// driver listed the feature it tests; the simulation's drivers are fixed.
// not ported: __virtio_unbreak_device — the port has no "broken" state to
// clear before the device goes live.
// not ported: __virtio_cread_many — config bytes are read one by one through
// the transport's get operation.
// not ported: virtio16_to_cpu — virtio 1.x config fields are little-endian
// and read as such.

using System;
using static KernelNet.Kernel.Include.Uapi.Linux.virtio_config_h;

namespace KernelNet.Kernel.Include.Linux;

/// <summary>struct virtio_config_ops: what a transport (virtio-pci here) provides to drivers.</summary>
public sealed class virtio_config_ops
{
    /// <summary>Reads device configuration bytes at an offset.</summary>
    public required Action<virtio_device, int, Span<byte>> get { get; init; }

    public required Func<virtio_device, uint> generation { get; init; }

    public required Func<virtio_device, byte> get_status { get; init; }

    public required Action<virtio_device, byte> set_status { get; init; }

    public required Action<virtio_device> reset { get; init; }

    /// <summary>Creates the queues (find_vqs(vdev, nvqs, vqs, vqs_info, desc)); 0 or -errno.</summary>
    public required Func<virtio_device, int, virtqueue[], virtqueue_info[], int> find_vqs { get; init; }

    public required Action<virtio_device> del_vqs { get; init; }

    /// <summary>The device's feature bits.</summary>
    public required Func<virtio_device, ulong> get_features { get; init; }

    /// <summary>Writes the negotiated features to the device; 0 or -errno.</summary>
    public required Func<virtio_device, int> finalize_features { get; init; }

    public required Func<virtio_device, string> bus_name { get; init; }

    /// <summary>Gives a queue's interrupt an affinity hint; 0 or -errno.</summary>
    public Func<virtqueue, ulong, int>? set_vq_affinity { get; init; }
}

public static class virtio_config_h
{
    // include/linux/virtio_config.h: __virtio_test_bit
    public static bool __virtio_test_bit(virtio_device vdev, int fbit) => (vdev.features & (1UL << fbit)) != 0;

    // include/linux/virtio_config.h: __virtio_set_bit
    public static void __virtio_set_bit(virtio_device vdev, int fbit) => vdev.features |= 1UL << fbit;

    // include/linux/virtio_config.h: __virtio_clear_bit
    public static void __virtio_clear_bit(virtio_device vdev, int fbit) => vdev.features &= ~(1UL << fbit);

    // include/linux/virtio_config.h: virtio_has_feature
    /// <summary>Whether feature <paramref name="fbit"/> was negotiated.</summary>
    public static bool virtio_has_feature(virtio_device vdev, int fbit) => __virtio_test_bit(vdev, fbit);

    // include/linux/virtio_config.h: virtio_is_little_endian
    /// <summary>A VERSION_1 device is little-endian (a modern PCI device must offer VERSION_1: vp_finalize_features).</summary>
    public static bool virtio_is_little_endian(virtio_device vdev) => virtio_has_feature(vdev, VIRTIO_F_VERSION_1);

    // include/linux/virtio_config.h: virtio_find_vqs
    /// <summary>Asks the transport for <paramref name="nvqs"/> queues; 0 or -errno.</summary>
    public static int virtio_find_vqs(virtio_device vdev, int nvqs, virtqueue[] vqs, virtqueue_info[] vqs_info) =>
        vdev.config.find_vqs(vdev, nvqs, vqs, vqs_info);

    // include/linux/virtio_config.h: virtio_device_ready
    /// <summary>Sets DRIVER_OK: from here on the device may use the queues and interrupt.</summary>
    public static void virtio_device_ready(virtio_device dev)
    {
        var status = dev.config.get_status(dev);
        // not ported: virtio_synchronize_cbs — the simulation has no interrupt racing on another CPU here
        dev.config.set_status(dev, (byte)(status | VIRTIO_CONFIG_S_DRIVER_OK));
    }

    // include/linux/virtio_config.h: virtio_bus_name
    public static string virtio_bus_name(virtio_device vdev) => vdev.config.bus_name(vdev);

    // include/linux/virtio_config.h: virtqueue_set_affinity
    /// <summary>Hints the queue's interrupt to the CPUs in <paramref name="cpu_mask"/> (virtnet_set_affinity).</summary>
    public static int virtqueue_set_affinity(virtqueue vq, ulong cpu_mask) =>
        vq.vdev.config.set_vq_affinity is { } f ? f(vq, cpu_mask) : 0;

    // include/linux/virtio_config.h: virtio_cread8
    public static byte virtio_cread8(virtio_device vdev, int offset)
    {
        Span<byte> b = stackalloc byte[1];
        vdev.config.get(vdev, offset, b);
        return b[0];
    }

    // include/linux/virtio_config.h: virtio_cread16
    public static ushort virtio_cread16(virtio_device vdev, int offset)
    {
        Span<byte> b = stackalloc byte[2];
        vdev.config.get(vdev, offset, b);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(b);
    }

    // include/linux/virtio_config.h: virtio_cread_bytes
    /// <summary>Reads <paramref name="buf"/>.Length bytes of config space, retrying while the generation changes under it.</summary>
    public static void virtio_cread_bytes(virtio_device vdev, int offset, Span<byte> buf)
    {
        uint old, gen;
        gen = vdev.config.generation(vdev);
        do
        {
            old = gen;
            for (var i = 0; i < buf.Length; i++)
            {
                vdev.config.get(vdev, offset + i, buf.Slice(i, 1));
            }

            gen = vdev.config.generation(vdev);
        }
        while (gen != old);
    }
}
