// Ports drivers/virtio/virtio.c: the virtio bus's side of binding a driver
// to a device — the device index ("virtioN"), the status handshake
// (ACKNOWLEDGE, DRIVER, FEATURES_OK, DRIVER_OK, FAILED), feature
// negotiation (what the device offers and the driver's table both have,
// plus the transport bits), and reset.
//
// not ported: the driver core (bus_type, device_add and id-table matching:
// register_virtio_device binds the driver it is given), sysfs attributes,
// the config-change machinery (no device here changes its configuration),
// debugfs feature filtering, freeze/restore, OF nodes.
// not ported: dev_to_virtio, drv_to_virtio — container_of in C; the port
// holds the virtio_device and virtio_driver objects directly.
// not ported: virtio_config_core_disable — the config-change interrupt is
// not modelled, so there is nothing to disable before remove.
// not ported: virtio_debug_device_init, virtio_debug_device_exit,
// virtio_device_of_init — debugfs and device-tree nodes are not simulated.
// not ported: virtio_synchronize_cbs — one thread: no callback can be running
// on another CPU while the device is reset.
// not ported: virtio_get_features — probe reads the device's features
// through the transport's get_features operation directly.

using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using static KernelNet.Kernel.Include.Linux.virtio_config_h;
using static KernelNet.Kernel.Include.Uapi.Linux.virtio_config_h;

namespace KernelNet.Kernel.Drivers.Virtio;

public static class virtio_c
{
    private const int ENODEV = 19;

    // drivers/virtio/virtio.c: virtio_add_status
    /// <summary>ORs <paramref name="status"/> into the device status (the handshake only ever adds bits until reset).</summary>
    public static void virtio_add_status(virtio_device dev, byte status)
    {
        dev.config.set_status(dev, (byte)(dev.config.get_status(dev) | status));
    }

    // drivers/virtio/virtio.c: virtio_features_ok
    /// <summary>Sets FEATURES_OK and reads it back: a device that refuses the features clears it; -ENODEV then.</summary>
    private static int virtio_features_ok(virtio_device dev)
    {
        // not ported: virtio_check_mem_acc_cb and the ACCESS_PLATFORM warnings — the device always sits behind the IOMMU model
        if (!virtio_has_feature(dev, VIRTIO_F_VERSION_1))
        {
            return 0;
        }

        virtio_add_status(dev, VIRTIO_CONFIG_S_FEATURES_OK);
        var status = dev.config.get_status(dev);
        if ((status & VIRTIO_CONFIG_S_FEATURES_OK) == 0)
        {
            // dev_warn: the device did not accept the features
            return -ENODEV;
        }

        return 0;
    }

    // drivers/virtio/virtio.c: virtio_reset_device
    /// <summary>Resets the device through its transport: status 0, queues forgotten, no more interrupts.</summary>
    public static void virtio_reset_device(virtio_device dev)
    {
        // not ported: virtio_break_device before the reset (CONFIG_VIRTIO_HARDEN_NOTIFICATION is off)
        dev.config.reset(dev);
    }

    // drivers/virtio/virtio.c: virtio_dev_probe
    /// <summary>
    /// DRIVER, then the features both sides have (the transport bits kept for
    /// the transport to judge), finalize_features, FEATURES_OK, the driver's
    /// probe, and DRIVER_OK if the probe did not set it. FAILED on any error.
    /// </summary>
    private static int virtio_dev_probe(virtio_device dev, virtio_driver drv)
    {
        int err;

        // A driver was found.
        virtio_add_status(dev, VIRTIO_CONFIG_S_DRIVER);

        var device_features = dev.config.get_features(dev);
        ulong driver_features = 0;
        foreach (var f in drv.feature_table)
        {
            driver_features |= 1UL << f;
        }

        // not ported: feature_table_legacy — no legacy devices
        dev.features = driver_features & device_features;

        // not ported: virtio_debug_device_filter_features — no debugfs
        // The transport features go on, for finalize_features to accept or clear.
        for (var i = VIRTIO_TRANSPORT_F_START; i < VIRTIO_TRANSPORT_F_END; i++)
        {
            if ((device_features & (1UL << i)) != 0)
            {
                __virtio_set_bit(dev, i);
            }
        }

        err = dev.config.finalize_features(dev);
        if (err != 0)
        {
            goto err;
        }

        // not ported: drv->validate — virtio_net's virtnet_validate only checks features the model does not offer
        err = virtio_features_ok(dev);
        if (err != 0)
        {
            goto err;
        }

        dev.driver = drv;
        err = drv.probe!(dev);
        if (err != 0)
        {
            dev.driver = null;
            goto err;
        }

        // The driver did not say DRIVER_OK itself: say it.
        if ((dev.config.get_status(dev) & VIRTIO_CONFIG_S_DRIVER_OK) == 0)
        {
            virtio_device_ready(dev);
        }

        // not ported: drv->scan, virtio_config_core_enable — no config changes are delivered
        return 0;

    err:
        virtio_add_status(dev, VIRTIO_CONFIG_S_FAILED);
        return err;
    }

    // drivers/virtio/virtio.c: virtio_dev_remove
    /// <summary>The driver's remove (which resets the device), then ACKNOWLEDGE again: the device is known but unbound.</summary>
    private static void virtio_dev_remove(virtio_device dev)
    {
        var drv = dev.driver!;
        drv.remove!(dev);
        dev.driver = null;

        // Acknowledge the device's existence again.
        virtio_add_status(dev, VIRTIO_CONFIG_S_ACKNOWLEDGE);
    }

    // drivers/virtio/virtio.c: register_virtio_device
    /// <summary>
    /// Names the device "virtioN" (the lowest free N), resets it,
    /// acknowledges it, and binds <paramref name="drv"/> (device_add's match
    /// and probe); 0 or the probe's -errno.
    /// </summary>
    public static int register_virtio_device(virtio_device dev, virtio_driver drv)
    {
        // ida_alloc: the lowest index not in use.
        var index = 0;
        while (dev.k.virtio_index_ida.Contains(index))
        {
            index++;
        }

        dev.k.virtio_index_ida.Add(index);
        dev.index = index;

        // Start from a reset, whatever a previous driver left.
        virtio_reset_device(dev);

        // We have seen the device.
        virtio_add_status(dev, VIRTIO_CONFIG_S_ACKNOWLEDGE);

        // device_add: the bus matches the driver and probes it.
        return virtio_dev_probe(dev, drv);
    }

    // drivers/virtio/virtio.c: unregister_virtio_device
    /// <summary>Unbinds the driver (device_unregister) and frees the index.</summary>
    public static void unregister_virtio_device(virtio_device dev)
    {
        if (dev.driver is not null)
        {
            virtio_dev_remove(dev);
        }

        dev.k.virtio_index_ida.Remove(dev.index);
    }
}
