// Ports include/linux/virtio_pci_modern.h: the 64-bit feature accessors of
// the modern virtio PCI transport.
//
// not ported: vp_modern_get_extended_features, vp_modern_set_extended_features
// — feature words beyond 64 bits are not modelled: the two 32-bit words are
// read and written here directly through the select registers.

using KernelNet.Kernel.Drivers.Virtio;
using static KernelNet.Kernel.Include.Uapi.Linux.virtio_pci_h;

namespace KernelNet.Kernel.Include.Linux;

/// <summary>include/linux/virtio_pci_modern.h.</summary>
public static class virtio_pci_modern_h
{
    // include/linux/virtio_pci_modern.h: vp_modern_get_features
    /// <summary>The device's 64 feature bits, read as two 32-bit words through device_feature_select.</summary>
    public static ulong vp_modern_get_features(virtio_pci_modern_device mdev)
    {
        var bar = mdev.bar;
        bar.iowrite32(0, mdev.common + VIRTIO_PCI_COMMON_DFSELECT);
        ulong features = bar.ioread32(mdev.common + VIRTIO_PCI_COMMON_DF);
        bar.iowrite32(1, mdev.common + VIRTIO_PCI_COMMON_DFSELECT);
        features |= (ulong)bar.ioread32(mdev.common + VIRTIO_PCI_COMMON_DF) << 32;
        return features;
    }

    // include/linux/virtio_pci_modern.h: vp_modern_set_features
    /// <summary>Writes the driver's 64 feature bits as two words through driver_feature_select.</summary>
    public static void vp_modern_set_features(virtio_pci_modern_device mdev, ulong features)
    {
        var bar = mdev.bar;
        bar.iowrite32(0, mdev.common + VIRTIO_PCI_COMMON_GFSELECT);
        bar.iowrite32((uint)features, mdev.common + VIRTIO_PCI_COMMON_GF);
        bar.iowrite32(1, mdev.common + VIRTIO_PCI_COMMON_GFSELECT);
        bar.iowrite32((uint)(features >> 32), mdev.common + VIRTIO_PCI_COMMON_GF);
    }
}
