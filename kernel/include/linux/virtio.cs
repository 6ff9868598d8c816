// Ports include/linux/virtio.h: what a virtio driver holds — the virtqueue
// it adds buffers to, the virtio_device it binds, and the virtio_driver it
// registers (its feature table and probe). The virtqueue_* functions it
// declares are defined in drivers/virtio/virtio_ring.cs, the device
// registration in drivers/virtio/virtio.cs.
//
// not ported: the driver core's struct device (dev_name is the device's
// "virtioN" name here), the virtio bus's id-table matching (a transport
// hands its device to the driver that was named), freeze/restore, the
// config-change work and its enable/disable bookkeeping.
using System;
using System.Collections.Generic;

namespace KernelNet.Kernel.Include.Linux;

/// <summary>
/// struct virtqueue: a queue the driver adds buffers to and takes used ones
/// from; the ring behind it is drivers/virtio/virtio_ring.c's
/// vring_virtqueue, which derives from it (to_vvq is a cast).
/// </summary>
public class virtqueue
{
    /// <summary>Called from vring_interrupt (hard IRQ) when the device used buffers.</summary>
    public Action<virtqueue>? callback { get; set; }

    public string name { get; set; } = "";

    public virtio_device vdev { get; set; } = null!;

    /// <summary>The queue's number on the device (0: receiveq1, 1: transmitq1 for a net device).</summary>
    public int index { get; set; }

    /// <summary>Descriptors not in use.</summary>
    public int num_free { get; set; }

    /// <summary>The largest size the device allows for this queue.</summary>
    public int num_max { get; set; }

    public bool reset { get; set; }

    /// <summary>The transport's cookie: for virtio-pci, where the queue's notify register lies.</summary>
    public object? priv { get; set; }
}

/// <summary>struct virtio_device: one device on the virtio bus, as its driver sees it.</summary>
public sealed class virtio_device
{
    public virtio_device(Vmlinux k)
    {
        this.k = k;
    }

    /// <summary>The kernel the device belongs to.</summary>
    public Vmlinux k { get; }

    /// <summary>The N of "virtioN" (a per-kernel ida).</summary>
    public int index { get; set; }

    /// <summary>The driver marked the device failed.</summary>
    public bool failed { get; set; }

    /// <summary>The transport's operations (virtio_pci_config_ops for a PCI device).</summary>
    public virtio_config_ops config { get; set; } = null!;

    /// <summary>The negotiated feature bits.</summary>
    public ulong features { get; set; }

    /// <summary>The driver's private state (virtnet_info for a net device).</summary>
    public object? priv { get; set; }

    /// <summary>The queues the transport created (vdev->vqs).</summary>
    public List<virtqueue> vqs { get; } = new();

    /// <summary>The driver bound to the device, once probed.</summary>
    public virtio_driver? driver { get; set; }

    /// <summary>The transport's own state (virtio_pci_device: container_of in C).</summary>
    public object? transport { get; set; }

    /// <summary>
    /// Where the driver's net device goes and what it is called. Simulation
    /// glue, not in Linux: a real netdev is created in init_net as eth%d and
    /// renamed or moved by udev and ip; the scenario names both.
    /// </summary>
    public (KernelNet.Kernel.Include.Net.net Ns, string IfName) netdev_target { get; set; }

    /// <summary>dev_name(&amp;vdev->dev): "virtioN" (dev_set_name in register_virtio_device), the prefix of the queues' interrupt names.</summary>
    public string dev_name => $"virtio{index}";
}

/// <summary>struct virtio_driver: a driver for one device class — the features it understands and its probe/remove.</summary>
public sealed class virtio_driver
{
    public string name { get; init; } = "";

    /// <summary>The feature bits the driver understands (negotiation keeps only these).</summary>
    public System.Collections.Immutable.ImmutableArray<int> feature_table { get; init; } = System.Collections.Immutable.ImmutableArray<int>.Empty;

    /// <summary>Binds the driver to a device whose features were negotiated; 0 or -errno.</summary>
    public Func<virtio_device, int>? probe { get; init; }

    /// <summary>Unbinds it.</summary>
    public Action<virtio_device>? remove { get; init; }
}

/// <summary>struct virtqueue_info: the name and callback of one queue a driver asks the transport for.</summary>
public readonly record struct virtqueue_info(string? name, Action<virtqueue>? callback, bool ctx);
