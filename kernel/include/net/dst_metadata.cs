// Ports include/net/dst_metadata.h: skb_valid_dst.
using KernelNet.Kernel.Include.Linux;

namespace KernelNet.Kernel.Include.Net;

public static class dst_metadata_h
{
    // not ported: skb_dst — the dst is the skb's field; no metadata dsts exist
    // include/net/dst_metadata.h: skb_valid_dst
    /// <summary>The skb carries a real route (not tunnel metadata).</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static bool skb_valid_dst(sk_buff skb) => skb.dst is dst_entry;
}
