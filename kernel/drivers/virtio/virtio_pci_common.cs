// Ports drivers/virtio/virtio_pci_common.c (and the structs of its .h): the
// part of the virtio-pci transport that does not depend on legacy or modern
// register layout — the doorbell (vp_notify), MSI-X vectors and their
// handlers (one for configuration changes, "virtioN-config", then one per
// queue running vring_interrupt, "virtioN-<queue name>" as /proc/interrupts
// shows them: virtio2-input.0, virtio2-output.0), finding and deleting the
// queues, and the PCI probe that hands the device to the virtio bus.
//
// not ported: the shared-vector and INTx fallbacks (vp_find_vqs_intx,
// vp_interrupt, vp_vring_interrupt: the model has one MSI-X entry per
// queue), the admin queue, PCI power management, SR-IOV, error recovery,
// legacy devices (force_legacy, virtio_pci_legacy_probe).
// not ported: kfree, kcalloc, kzalloc, kmalloc, kmalloc_array — memory is
// managed by the runtime: arrays and objects are collected, nothing is freed.
// not ported: vp_is_avq — the admin virtqueue (VIRTIO_F_ADMIN_VQ) is not
// negotiated by the model, so no queue is an admin queue.
// not ported: irq_set_affinity_and_hint, irq_update_affinity_hint — the
// simulated interrupt controller delivers each MSI-X vector to the CPU the
// model is configured with; the affinity hint is recorded on the queue only.
// not ported: virtio_pci_legacy_remove, virtio_pci_modern_remove — probe's
// error unwind: only the modern transport is modelled and probe does not fail.
// not ported: to_vp_device — where the caller already holds the
// virtio_pci_device (the transport object) it is used directly.

using System;
using System.Collections.Generic;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Machine.Nic;
using static KernelNet.Kernel.Include.Linux.interrupt_h;
using static KernelNet.Kernel.Include.Uapi.Linux.virtio_pci_h;

namespace KernelNet.Kernel.Drivers.Virtio;

/// <summary>struct virtio_pci_vq_info: a queue and the MSI-X entry it interrupts on.</summary>
public sealed class virtio_pci_vq_info
{
    public virtqueue vq = null!;

    public ushort msix_vector;
}

/// <summary>struct virtio_pci_device: the virtio device a PCI function carries, with its transport state.</summary>
public sealed class virtio_pci_device
{
    public virtio_pci_device(Vmlinux k, VirtioNetPci pci_dev)
    {
        vdev = new virtio_device(k) { transport = this };
        this.pci_dev = pci_dev;
        mdev = new virtio_pci_modern_device(pci_dev);
    }

    public virtio_device vdev { get; }

    /// <summary>The PCI function (its MSI-X table: pci_irq_vector).</summary>
    public VirtioNetPci pci_dev { get; }

    public virtio_pci_modern_device mdev { get; }

    /// <summary>MSI-X vectors allocated, and how many of them have handlers.</summary>
    public int msix_vectors;

    public int msix_used_vectors;

    public bool msix_enabled;

    /// <summary>The handlers' names ("virtio2-config", "virtio2-input.0").</summary>
    public string[] msix_names = Array.Empty<string>();

    public bool per_vq_vectors;

    /// <summary>The queues, by the driver's index.</summary>
    public virtio_pci_vq_info?[] vqs = Array.Empty<virtio_pci_vq_info?>();

    /// <summary>Queues with callbacks (the list vp_vring_interrupt would walk on a shared vector).</summary>
    public List<virtio_pci_vq_info> virtqueues { get; } = new();

    /// <summary>The layout's queue set-up (setup_vq of virtio_pci_modern.c).</summary>
    public Func<virtio_pci_device, virtio_pci_vq_info, int, Action<virtqueue>?, string, bool, ushort, (virtqueue? vq, int err)> setup_vq = null!;

    public Action<virtio_pci_vq_info> del_vq = null!;

    /// <summary>Points configuration changes at an MSI-X entry; returns what the device took.</summary>
    public Func<virtio_pci_device, ushort, ushort> config_vector = null!;
}

public static class virtio_pci_common_c
{
    private const int ENOMEM = 12, EBUSY = 16;

    /// <summary>VP_MSIX_CONFIG_VECTOR: MSI-X entry 0 is the configuration vector.</summary>
    private const ushort VP_MSIX_CONFIG_VECTOR = 0;

    // drivers/virtio/virtio_pci_common.h: to_vp_device
    /// <summary>The PCI transport device behind a virtio device (container_of in C, the transport slot here).</summary>
    internal static virtio_pci_device to_vp_device(virtio_device vdev) => (virtio_pci_device)vdev.transport!;

    [NotInLinux("pci_irq_vector: the interrupt number behind MSI-X entry nr (the PCI core's table, here the model's)")]
    private static int pci_irq_vector(VirtioNetPci dev, int nr) => dev.MsixVectors[nr];

    // drivers/virtio/virtio_pci_common.c: vp_notify
    /// <summary>The doorbell: the queue's index written to its notify register.</summary>
    public static bool vp_notify(virtqueue vq)
    {
        var vp_dev = to_vp_device(vq.vdev);
        vp_dev.pci_dev.iowrite16((ushort)vq.index, (int)vq.priv!);
        return true;
    }

    // drivers/virtio/virtio_pci_common.c: vp_config_changed
    /// <summary>The configuration vector's handler (hard IRQ).</summary>
    [HardIrqContext]
    private static irqreturn_t vp_config_changed(int irq, object? opaque)
    {
        // not ported: virtio_config_changed, vp_vring_slow_path_interrupt — the model never changes its configuration
        return irqreturn_t.IRQ_HANDLED;
    }

    // drivers/virtio/virtio_pci_common.c: vp_request_msix_vectors
    /// <summary>Takes <paramref name="nvectors"/> MSI-X vectors and puts vp_config_changed on the first ("virtioN-config").</summary>
    private static int vp_request_msix_vectors(virtio_device vdev, int nvectors, bool per_vq_vectors)
    {
        var vp_dev = to_vp_device(vdev);
        var name = vdev.dev_name;

        vp_dev.msix_vectors = nvectors;
        vp_dev.msix_names = new string[nvectors];

        // pci_alloc_irq_vectors_affinity: the function's table has them or it does not.
        if (nvectors > vp_dev.pci_dev.MsixVectors.Count)
        {
            return -ENOMEM;
        }

        // not ported: PCI_IRQ_AFFINITY spreading (desc is NULL for virtio_net) and the affinity masks
        vp_dev.msix_enabled = true;

        // The configuration vector.
        var v = vp_dev.msix_used_vectors;
        vp_dev.msix_names[v] = $"{name}-config";
        var err = request_irq(vdev.k, pci_irq_vector(vp_dev.pci_dev, v), vp_config_changed, vp_dev.msix_names[v], vp_dev);
        if (err != 0)
        {
            return err;
        }

        ++vp_dev.msix_used_vectors;

        v = vp_dev.config_vector(vp_dev, (ushort)v);
        // The device must have taken it.
        if (v == VIRTIO_MSI_NO_VECTOR)
        {
            return -EBUSY;
        }

        // not ported: the shared "virtioN-virtqueues" vector (vp_vring_interrupt) — per-vq vectors only
        return per_vq_vectors ? 0 : -EBUSY;
    }

    // drivers/virtio/virtio_pci_common.c: vp_is_slow_path_vector
    private static bool vp_is_slow_path_vector(ushort msix_vec) => msix_vec == VP_MSIX_CONFIG_VECTOR;

    // drivers/virtio/virtio_pci_common.c: vp_setup_vq
    private static (virtqueue? vq, int err) vp_setup_vq(virtio_device vdev, int index, Action<virtqueue>? callback, string name, bool ctx, ushort msix_vec, out virtio_pci_vq_info? p_info)
    {
        var vp_dev = to_vp_device(vdev);
        var info = new virtio_pci_vq_info();
        p_info = null;

        var (vq, err) = vp_dev.setup_vq(vp_dev, info, index, callback, name, ctx, msix_vec);
        if (vq is null)
        {
            return (null, err);
        }

        info.vq = vq;
        if (callback is not null && !vp_is_slow_path_vector(msix_vec))
        {
            // vp_dev->lock protects the list the shared-vector handler walks.
            vp_dev.virtqueues.Add(info);
        }

        p_info = info;
        return (vq, 0);
    }

    // drivers/virtio/virtio_pci_common.c: vp_del_vq
    private static void vp_del_vq(virtqueue vq, virtio_pci_vq_info info)
    {
        var vp_dev = to_vp_device(vq.vdev);
        if (!vq.reset)
        {
            vp_dev.virtqueues.Remove(info);
        }

        vp_dev.del_vq(info);
    }

    // drivers/virtio/virtio_pci_common.c: vp_del_vqs
    /// <summary>Frees every queue and its handler, then the configuration handler and the vectors.</summary>
    public static void vp_del_vqs(virtio_device vdev)
    {
        var vp_dev = to_vp_device(vdev);
        foreach (var vq in vdev.vqs.ToArray())
        {
            var info = vp_dev.vqs[vq.index]!;
            if (vp_dev.per_vq_vectors)
            {
                int v = info.msix_vector;
                if (v != VIRTIO_MSI_NO_VECTOR && !vp_is_slow_path_vector((ushort)v))
                {
                    var irq = pci_irq_vector(vp_dev.pci_dev, v);
                    // not ported: irq_update_affinity_hint — hints are not kept
                    Kernel.Irq.manage_c.free_irq(vdev.k, irq, vq);
                }
            }

            vp_del_vq(vq, info);
        }

        vp_dev.per_vq_vectors = false;

        for (var i = 0; i < vp_dev.msix_used_vectors; ++i)
        {
            Kernel.Irq.manage_c.free_irq(vdev.k, pci_irq_vector(vp_dev.pci_dev, i), vp_dev);
        }

        if (vp_dev.msix_enabled)
        {
            // The configuration vector goes too.
            vp_dev.config_vector(vp_dev, VIRTIO_MSI_NO_VECTOR);
            // not ported: pci_free_irq_vectors — the model's table is fixed
            vp_dev.msix_enabled = false;
        }

        vp_dev.msix_vectors = 0;
        vp_dev.msix_used_vectors = 0;
        vp_dev.msix_names = Array.Empty<string>();
        vp_dev.vqs = Array.Empty<virtio_pci_vq_info?>();
    }

    // drivers/virtio/virtio_pci_common.c: vp_find_one_vq_msix
    /// <summary>One queue on the next MSI-X entry, its handler vring_interrupt named "virtioN-NAME".</summary>
    private static (virtqueue? vq, int err) vp_find_one_vq_msix(virtio_device vdev, int queue_idx, Action<virtqueue>? callback, string name, bool ctx, ref int allocated_vectors, out virtio_pci_vq_info? p_info)
    {
        var vp_dev = to_vp_device(vdev);

        // not ported: VP_VQ_VECTOR_POLICY_SHARED_SLOW and _SHARED — every queue with a callback gets its own vector
        var msix_vec = callback is null ? VIRTIO_MSI_NO_VECTOR : (ushort)allocated_vectors++;
        var (vq, err) = vp_setup_vq(vdev, queue_idx, callback, name, ctx, msix_vec, out p_info);
        if (vq is null)
        {
            return (null, err);
        }

        if (msix_vec == VIRTIO_MSI_NO_VECTOR || vp_is_slow_path_vector(msix_vec))
        {
            return (vq, 0);
        }

        // The queue's own interrupt.
        vp_dev.msix_names[msix_vec] = $"{vdev.dev_name}-{name}";
        err = request_irq(vdev.k, pci_irq_vector(vp_dev.pci_dev, msix_vec), virtio_ring_c.vring_interrupt, vp_dev.msix_names[msix_vec], vq);
        if (err != 0)
        {
            vp_del_vq(vq, p_info!);
            return (null, err);
        }

        return (vq, 0);
    }

    // drivers/virtio/virtio_pci_common.c: vp_find_vqs_msix
    /// <summary>One vector for configuration changes and one per queue with a callback; the queues in <paramref name="vqs"/>.</summary>
    private static int vp_find_vqs_msix(virtio_device vdev, int nvqs, virtqueue?[] vqs, virtqueue_info[] vqs_info)
    {
        var vp_dev = to_vp_device(vdev);
        vp_dev.vqs = new virtio_pci_vq_info?[nvqs];
        int err;

        // not ported: vp_dev->avq_index — no admin queue
        // Best option: one for configuration changes, one per queue.
        var nvectors = 1;
        for (var i = 0; i < nvqs; ++i)
        {
            if (vqs_info[i].name is not null && vqs_info[i].callback is not null)
            {
                ++nvectors;
            }
        }

        err = vp_request_msix_vectors(vdev, nvectors, per_vq_vectors: true);
        if (err != 0)
        {
            goto error_find;
        }

        vp_dev.per_vq_vectors = true;
        var allocated_vectors = vp_dev.msix_used_vectors;
        var queue_idx = 0;
        for (var i = 0; i < nvqs; ++i)
        {
            var vqi = vqs_info[i];
            if (vqi.name is null)
            {
                vqs[i] = null;
                continue;
            }

            var (vq, e) = vp_find_one_vq_msix(vdev, queue_idx++, vqi.callback, vqi.name, vqi.ctx, ref allocated_vectors, out var info);
            vp_dev.vqs[i] = info;
            vqs[i] = vq;
            if (vq is null)
            {
                err = e;
                goto error_find;
            }
        }

        return 0;

    error_find:
        vp_del_vqs(vdev);
        return err;
    }

    // drivers/virtio/virtio_pci_common.c: vp_find_vqs
    /// <summary>The config op find_vqs: MSI-X with one vector per queue.</summary>
    public static int vp_find_vqs(virtio_device vdev, int nvqs, virtqueue?[] vqs, virtqueue_info[] vqs_info)
    {
        // not ported: the fallbacks after per-vq MSI-X (shared-slow, shared, INTx via vp_find_vqs_intx) — the model always has the vectors
        return vp_find_vqs_msix(vdev, nvqs, vqs, vqs_info);
    }

    // drivers/virtio/virtio_pci_common.c: vp_bus_name
    /// <summary>pci_name of the function: the model sits where this machine's eth0 does.</summary>
    public static string vp_bus_name(virtio_device vdev) => "0000:00:03.0";

    // drivers/virtio/virtio_pci_common.c: vp_set_vq_affinity
    /// <summary>With a vector per queue: the queue's interrupt goes to the CPUs in <paramref name="cpu_mask"/> (irq_update_affinity_hint, applied as irqbalance would).</summary>
    public static int vp_set_vq_affinity(virtqueue vq, ulong cpu_mask)
    {
        var vdev = vq.vdev;
        var vp_dev = to_vp_device(vdev);
        var info = vp_dev.vqs[vq.index];
        if (vq.callback is not null && vp_dev.msix_enabled && info is not null && info.msix_vector != VIRTIO_MSI_NO_VECTOR)
        {
            var irq = pci_irq_vector(vp_dev.pci_dev, info.msix_vector);
            if (cpu_mask != 0)
            {
                // irq_update_affinity_hint; the hint becomes the affinity at once (irqbalance honours it).
                Kernel.Irq.manage_c.irq_set_affinity(vdev.k, irq, cpu_mask);
            }
        }

        return 0;
    }

    // drivers/virtio/virtio_pci_common.c: virtio_pci_probe
    /// <summary>
    /// Binds virtio-pci to a PCI function: the modern transport, then the
    /// virtio bus registration that probes <paramref name="drv"/> on it.
    /// Returns the virtio device, or null if the probe failed.
    /// </summary>
    public static virtio_device? virtio_pci_probe(Vmlinux k, VirtioNetPci pci_dev, virtio_driver drv, KernelNet.Kernel.Include.Net.net ns, string ifname)
    {
        var vp_dev = new virtio_pci_device(k, pci_dev);
        vp_dev.vdev.netdev_target = (ns, ifname);

        // not ported: pci_enable_device, pci_set_master, the legacy fallback — the modelled function is enabled and modern
        var rc = virtio_pci_modern_c.virtio_pci_modern_probe(vp_dev);
        if (rc != 0)
        {
            return null;
        }

        rc = virtio_c.register_virtio_device(vp_dev.vdev, drv);
        return rc == 0 ? vp_dev.vdev : null;
    }
}
