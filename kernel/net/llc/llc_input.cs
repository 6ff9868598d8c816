// Ports net/llc/llc_input.c: where an 802.2 frame enters LLC (llc_rcv, the
// ETH_P_802_2 packet handler): the LLC header is checked and pulled, the
// frame trimmed to its 802.3 length, and the PDU handed to the SAP its DSAP
// names.
//
// not ported: the station handler (llc_set_station_handler: LLC2's
// llc_station, not built on the machine recorded: CONFIG_LLC2 unset) and
// the SAP/connection type handlers (llc_add_pack: LLC2), so a DSAP of 0 is
// dropped, as it is there; no SAP user is ported (see llc_core.cs).
using System;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Net.Core.skbuff_c;

namespace KernelNet.Kernel.Net.Llc;

public static class llc_input_c
{
    /// <summary>LLC_PDU_TYPE_MASK (include/net/llc_pdu.h): the two low bits of the first control byte.</summary>
    private const byte LLC_PDU_TYPE_MASK = 0x03;

    /// <summary>LLC_PDU_TYPE_U: an unnumbered PDU (one control byte; I and S PDUs have two).</summary>
    private const byte LLC_PDU_TYPE_U = 3;

    /// <summary>sizeof(struct llc_pdu_un): DSAP, SSAP, one control byte.</summary>
    private const int llc_pdu_un_size = 3;

    // net/llc/llc_input.c: llc_fixup_skb
    /// <summary>
    /// Pulls the LLC header (DSAP, SSAP and one control byte for a U PDU,
    /// two for I/S) and, for an 802.3 frame, trims the skb to the length the
    /// Ethernet header gives (dropping the padding). False when the frame is
    /// too short for either.
    /// </summary>
    [Borrows("skb")]
    private static bool llc_fixup_skb(sk_buff skb)
    {
        // not ported: eth_hdr — field accessors: the port reads or sets these fields directly
        var llc_len = 2;

        if (!pskb_may_pull(skb, llc_pdu_un_size))
        {
            return false;
        }

        var ctrl_1 = skb.head[skb.data + 2];
        if ((ctrl_1 & LLC_PDU_TYPE_MASK) == LLC_PDU_TYPE_U)
        {
            llc_len = 1;
        }

        llc_len += 2;

        if (!pskb_may_pull(skb, llc_len))
        {
            return false;
        }

        skb_pull(skb, llc_len);
        skb_reset_transport_header(skb);
        if (skb.protocol == if_ether_h.ETH_P_802_2)
        {
            if (skb.mac_len < if_ether_h.ETH_HLEN)
            {
                return false;
            }

            // eth_hdr(skb)->h_proto: the 802.3 length field.
            var pdulen = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(skb.head.AsSpan(skb_mac_header(skb) + 2 * if_ether_h.ETH_ALEN, 2));
            var data_size = pdulen - llc_len;

            if (data_size < 0 || !pskb_may_pull(skb, data_size))
            {
                return false;
            }

            if (pskb_trim_rcsum(skb, data_size) != 0)
            {
                return false;
            }
        }

        return true;
    }

    // net/llc/llc_input.c: llc_rcv
    /// <summary>
    /// ETH_P_802_2's packet handler: a frame not for this host is dropped
    /// unread; otherwise the LLC header is fixed up and the PDU goes to the
    /// SAP of its DSAP. With no such SAP (or a malformed header, or DSAP 0
    /// with no station handler) the skb is freed with plain kfree_skb
    /// (NOT_SPECIFIED), as 6.18 does. Always 0. Softirq.
    /// </summary>
    [Consumes("skb")]
    public static int llc_rcv(sk_buff skb, net_device dev, packet_type pt, net_device orig_dev)
    {
        // not ported: dprintk — compiled out in 6.18 (llc_input.c defines it empty under #if 0)
        // Promiscuous catch: do not even parse a frame for another host.
        if (skb.pkt_type == PACKET_OTHERHOST)
        {
            goto drop;
        }

        var s = skb_share_check(skb);
        if (s is null)
        {
            goto @out;
        }

        skb = s;
        if (!llc_fixup_skb(skb))
        {
            goto drop;
        }

        // not ported: llc_pdu_sn_hdr — written out: the LLC header is read at the network header
        var dsap = skb.head[skb.network_header];
        if (dsap == 0)
        {
            goto handle_station; // The null DSAP addresses the station.
        }

        var sap = llc_core_c.llc_sap_find(skb.k, dsap);
        if (sap is null)
        {
            goto drop; // Unknown SAP.
        }

        // No type handler is registered (llc_add_pack is LLC2's): the SAP's own receive, or a drop.
        // not ported: llc_pdu_type, llc_type_handlers, skb_clone for both — no LLC2.
        if (sap.rcv_func is not null)
        {
            sap.rcv_func(skb, dev, pt, orig_dev);
        }
        else
        {
            // 6.18 frees it with plain kfree_skb: NOT_SPECIFIED
            kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
        }

        // llc_sap_put: SAPs are not reference counted here.
    @out:
        return 0;

    drop:
        // 6.18 frees it with plain kfree_skb: NOT_SPECIFIED
        kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
        goto @out;

    handle_station:
        // not ported: llc_station_handler — LLC2's, unset on the machine recorded: the frame is dropped.
        goto drop;
    }
}
