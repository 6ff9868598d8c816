// Ports include/net/gso.h: skb_gso_segment, the transmit path's entry to
// software segmentation, and the SKB_GSO_CB checksum helpers that carry a
// segment's payload sum from skb_segment to the protocol that finishes it
// (gso_reset_checksum, gso_make_checksum).
// not ported: SKB_GSO_CB's mac_offset/encap_level and skb_tnl_header_len,
// gso_pskb_expand_head, skb_gso_error_unwind (no tunnels: no encapsulation
// levels or outer headers to track); remcsum_offload (no remote checksum
// offload: the skb never asks for it).
using System;
using System.Buffers.Binary;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;

namespace KernelNet.Kernel.Include.Net;

/// <summary>
/// struct skb_gso_cb: the part of skb->cb (from SKB_GSO_CB_OFFSET) software
/// segmentation uses, read and written in place in the skb's cb bytes: csum
/// is the sum of a segment's bytes from csum_start (an index into head, like
/// the port's header offsets) to its end.
/// </summary>
public readonly struct skb_gso_cb
{
    /// <summary>SKB_GSO_CB_OFFSET: where in cb the block starts (past IPCB and friends).</summary>
    public const int SKB_GSO_CB_OFFSET = 32;

    // mac_offset (4 bytes) and encap_level (4 bytes) come first in C's layout.
    private const int CsumOffset = SKB_GSO_CB_OFFSET + 8;
    private const int CsumStartOffset = SKB_GSO_CB_OFFSET + 12;

    private readonly byte[] _cb;

    internal skb_gso_cb(sk_buff skb) => _cb = skb.cb;

    /// <summary>csum: the partial sum of the bytes from csum_start on.</summary>
    public uint csum
    {
        [NotInLinux("C# accessor of SKB_GSO_CB(skb)->csum in the cb bytes")]
        get => BinaryPrimitives.ReadUInt32LittleEndian(_cb.AsSpan(CsumOffset));
        [NotInLinux("C# accessor of SKB_GSO_CB(skb)->csum in the cb bytes")]
        set => BinaryPrimitives.WriteUInt32LittleEndian(_cb.AsSpan(CsumOffset), value);
    }

    /// <summary>csum_start: where the sum in <see cref="csum"/> starts (an index into head).</summary>
    public ushort csum_start
    {
        [NotInLinux("C# accessor of SKB_GSO_CB(skb)->csum_start in the cb bytes")]
        get => BinaryPrimitives.ReadUInt16LittleEndian(_cb.AsSpan(CsumStartOffset));
        [NotInLinux("C# accessor of SKB_GSO_CB(skb)->csum_start in the cb bytes")]
        set => BinaryPrimitives.WriteUInt16LittleEndian(_cb.AsSpan(CsumStartOffset), value);
    }
}

public static class gso_h
{
    // include/net/gso.h: SKB_GSO_CB
    /// <summary>The segmentation control block in <paramref name="skb"/>'s cb.</summary>
    [Borrows("skb")]
    public static skb_gso_cb SKB_GSO_CB(sk_buff skb) => new(skb);

    // include/net/gso.h: gso_reset_checksum
    /// <summary>A CHECKSUM_PARTIAL segment: the block holds <paramref name="res"/> from where the device will start summing.</summary>
    [Borrows("skb")]
    public static void gso_reset_checksum(sk_buff skb, uint res)
    {
        // remcsum_offload: never set in the port.
        var cb = SKB_GSO_CB(skb);
        cb.csum = res;
        cb.csum_start = (ushort)skbuff_h.skb_checksum_start(skb); // less skb->head: the port's offsets index head
    }

    // include/net/gso.h: gso_make_checksum
    /// <summary>
    /// A segment summed in software: adds the bytes from the transport header
    /// up to where skb_segment's payload sum starts to that sum and folds it
    /// (the check field, holding the pseudo-header sum, is among those bytes);
    /// the block then holds <paramref name="res"/> from the transport header.
    /// </summary>
    [Borrows("skb")]
    public static ushort gso_make_checksum(sk_buff skb, uint res)
    {
        var csum_start = skbuff_h.skb_transport_header(skb);
        var cb = SKB_GSO_CB(skb);
        var plen = cb.csum_start - csum_start;
        var partial = cb.csum;

        cb.csum = res;
        cb.csum_start = (ushort)csum_start;

        return checksum_h.csum_fold(checksum_h.csum_partial(skb.head.AsSpan(csum_start, plen), partial));
    }

    // include/net/gso.h: skb_gso_segment
    /// <summary>Segments <paramref name="skb"/> on the transmit path for a device with <paramref name="features"/>.</summary>
    [Borrows("skb")]
    public static sk_buff? skb_gso_segment(sk_buff skb, ulong features) => global::KernelNet.Kernel.Net.Core.gso_c.__skb_gso_segment(skb, features, true);
}
