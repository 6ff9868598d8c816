// Ports include/uapi/linux/virtio_config.h: the device status bits a driver
// sets as it binds (ACKNOWLEDGE, DRIVER, FEATURES_OK, DRIVER_OK) and the
// transport feature bits (VERSION_1 and the ones after it).
namespace KernelNet.Kernel.Include.Uapi.Linux;

public static class virtio_config_h
{
    /// <summary>VIRTIO_CONFIG_S_ACKNOWLEDGE: the guest found the device.</summary>
    public const byte VIRTIO_CONFIG_S_ACKNOWLEDGE = 1;

    /// <summary>VIRTIO_CONFIG_S_DRIVER: a driver was found for it.</summary>
    public const byte VIRTIO_CONFIG_S_DRIVER = 2;

    /// <summary>VIRTIO_CONFIG_S_DRIVER_OK: the driver is ready; the device may use the queues.</summary>
    public const byte VIRTIO_CONFIG_S_DRIVER_OK = 4;

    /// <summary>VIRTIO_CONFIG_S_FEATURES_OK: feature negotiation is over (the device clears it if it refuses).</summary>
    public const byte VIRTIO_CONFIG_S_FEATURES_OK = 8;

    /// <summary>VIRTIO_CONFIG_S_NEEDS_RESET: the device hit an error it cannot recover from.</summary>
    public const byte VIRTIO_CONFIG_S_NEEDS_RESET = 0x40;

    /// <summary>VIRTIO_CONFIG_S_FAILED: the driver gave up on the device.</summary>
    public const byte VIRTIO_CONFIG_S_FAILED = 0x80;

    /// <summary>VIRTIO_TRANSPORT_F_START: the first transport feature bit (the ring's bits start here).</summary>
    public const int VIRTIO_TRANSPORT_F_START = 28;

    /// <summary>VIRTIO_TRANSPORT_F_END: one past the last transport feature bit.</summary>
    public const int VIRTIO_TRANSPORT_F_END = 42;

    /// <summary>VIRTIO_F_VERSION_1: a virtio 1.x (modern, little-endian) device.</summary>
    public const int VIRTIO_F_VERSION_1 = 32;

    /// <summary>VIRTIO_F_ACCESS_PLATFORM: the device reaches memory through the platform's IOMMU (the DMA API).</summary>
    public const int VIRTIO_F_ACCESS_PLATFORM = 33;

    /// <summary>VIRTIO_F_RING_PACKED: the packed virtqueue layout.</summary>
    public const int VIRTIO_F_RING_PACKED = 34;
}
