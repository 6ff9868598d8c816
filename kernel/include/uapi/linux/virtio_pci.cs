// Ports include/uapi/linux/virtio_pci.h: where the fields of a modern
// device's common configuration structure lie (struct
// virtio_pci_common_cfg), and VIRTIO_MSI_NO_VECTOR.
//
// not ported: the legacy (0.9) I/O port layout and the capability
// structures (the port's transport is handed the regions' offsets, see
// drivers/virtio/virtio_pci_modern_dev.cs).
namespace KernelNet.Kernel.Include.Uapi.Linux;

public static class virtio_pci_h
{
    /// <summary>VIRTIO_MSI_NO_VECTOR: no MSI-X entry for this queue or for configuration changes.</summary>
    public const ushort VIRTIO_MSI_NO_VECTOR = 0xffff;

    public const int VIRTIO_PCI_COMMON_DFSELECT = 0;
    public const int VIRTIO_PCI_COMMON_DF = 4;
    public const int VIRTIO_PCI_COMMON_GFSELECT = 8;
    public const int VIRTIO_PCI_COMMON_GF = 12;
    public const int VIRTIO_PCI_COMMON_MSIX = 16;
    public const int VIRTIO_PCI_COMMON_NUMQ = 18;
    public const int VIRTIO_PCI_COMMON_STATUS = 20;
    public const int VIRTIO_PCI_COMMON_CFGGENERATION = 21;
    public const int VIRTIO_PCI_COMMON_Q_SELECT = 22;
    public const int VIRTIO_PCI_COMMON_Q_SIZE = 24;
    public const int VIRTIO_PCI_COMMON_Q_MSIX = 26;
    public const int VIRTIO_PCI_COMMON_Q_ENABLE = 28;
    public const int VIRTIO_PCI_COMMON_Q_NOFF = 30;
    public const int VIRTIO_PCI_COMMON_Q_DESCLO = 32;
    public const int VIRTIO_PCI_COMMON_Q_DESCHI = 36;
    public const int VIRTIO_PCI_COMMON_Q_AVAILLO = 40;
    public const int VIRTIO_PCI_COMMON_Q_AVAILHI = 44;
    public const int VIRTIO_PCI_COMMON_Q_USEDLO = 48;
    public const int VIRTIO_PCI_COMMON_Q_USEDHI = 52;
}
