// Ports include/net/gso.h: skb_gso_segment, the transmit path's entry to
// software segmentation.
// not ported: the SKB_GSO_CB control block (no tunnels: no encapsulation
// levels or outer checksums to track), skb_gso_error_unwind.
using KernelNet.Kernel.Include.Linux;

namespace KernelNet.Kernel.Include.Net;

public static class gso_h
{
    // include/net/gso.h: skb_gso_segment
    /// <summary>Segments <paramref name="skb"/> on the transmit path for a device with <paramref name="features"/>.</summary>
    public static sk_buff? skb_gso_segment(sk_buff skb, ulong features) => global::KernelNet.Kernel.Net.Core.gso_c.__skb_gso_segment(skb, features, true);
}
