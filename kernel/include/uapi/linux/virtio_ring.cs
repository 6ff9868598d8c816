// Ports include/uapi/linux/virtio_ring.h: the split virtqueue's layout in
// memory — the descriptor table, the available ring the driver writes, the
// used ring the device writes — its flag values, the event-index feature and
// vring_need_event, the test both sides use to suppress notifications.
//
// not ported: the C structs themselves (struct vring_desc, vring_avail,
// vring_used): the port reads and writes the ring's bytes at the offsets
// below (little-endian, as virtio 1.x defines them), through the accessors
// in drivers/virtio/virtio_ring.cs.
namespace KernelNet.Kernel.Include.Uapi.Linux;

public static class virtio_ring_h
{
    /// <summary>VRING_DESC_F_NEXT: the buffer continues in the descriptor named by next.</summary>
    public const ushort VRING_DESC_F_NEXT = 1;

    /// <summary>VRING_DESC_F_WRITE: the device writes this buffer (otherwise it reads it).</summary>
    public const ushort VRING_DESC_F_WRITE = 2;

    /// <summary>VRING_DESC_F_INDIRECT: the buffer holds a table of descriptors.</summary>
    public const ushort VRING_DESC_F_INDIRECT = 4;

    /// <summary>VRING_USED_F_NO_NOTIFY: the device asks not to be kicked when buffers are added.</summary>
    public const ushort VRING_USED_F_NO_NOTIFY = 1;

    /// <summary>VRING_AVAIL_F_NO_INTERRUPT: the driver asks not to be interrupted when buffers are used.</summary>
    public const ushort VRING_AVAIL_F_NO_INTERRUPT = 1;

    /// <summary>VIRTIO_RING_F_INDIRECT_DESC: indirect descriptor tables are supported.</summary>
    public const int VIRTIO_RING_F_INDIRECT_DESC = 28;

    /// <summary>VIRTIO_RING_F_EVENT_IDX: used_event and avail_event replace the two flags.</summary>
    public const int VIRTIO_RING_F_EVENT_IDX = 29;

    /// <summary>sizeof(struct vring_desc): addr (le64), len (le32), flags (le16), next (le16).</summary>
    public const int VRING_DESC_SIZE = 16;

    /// <summary>sizeof(struct vring_used_elem): id (le32), len (le32).</summary>
    public const int VRING_USED_ELEM_SIZE = 8;

    // include/uapi/linux/virtio_ring.h: vring_size
    /// <summary>Bytes of one split ring of <paramref name="num"/> entries: the descriptors and the available ring, then the used ring on the next <paramref name="align"/> boundary.</summary>
    public static int vring_size(int num, int align) =>
        ((((VRING_DESC_SIZE * num) + (2 * (3 + num))) + align - 1) & ~(align - 1)) + (2 * 3) + (VRING_USED_ELEM_SIZE * num);

    // include/uapi/linux/virtio_ring.h: vring_init
    /// <summary>Where the three parts of a ring of <paramref name="num"/> entries start in its memory: (desc, avail, used) offsets.</summary>
    public static (int desc, int avail, int used) vring_init(int num, int align)
    {
        var avail = num * VRING_DESC_SIZE;
        var used = (avail + (2 * (2 + num)) + 2 + align - 1) & ~(align - 1);
        return (0, avail, used);
    }

    // include/uapi/linux/virtio_ring.h: vring_need_event
    /// <summary>
    /// Whether moving an index from <paramref name="old"/> to <paramref name="new_idx"/>
    /// passes the other side's event index <paramref name="event_idx"/> (all
    /// three 16-bit, so it works across wrap-around): then it wants to hear.
    /// </summary>
    public static bool vring_need_event(ushort event_idx, ushort new_idx, ushort old) =>
        (ushort)(new_idx - event_idx - 1) < (ushort)(new_idx - old);
}
