// Ports net/ipv4/arp.c: resolving IPv4 next hops to Ethernet addresses —
// the neighbour constructor and ops for arp_tbl, soliciting, and answering
// and learning from ARP packets (TX-4).
//
// not ported: proxy ARP, arp_filter/arp_ignore/arp_announce other than
// their defaults, gratuitous ARP acceptance (arp_accept=0 default),
// /proc/net/arp, NF_ARP hooks (no arptables: the hook points are empty).
using System;
using System.Buffers.Binary;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.inetdevice_h;
using static KernelNet.Kernel.Include.Linux.netdevice_h;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Include.Net.neighbour_h;
using static KernelNet.Kernel.Include.Net.route_h;
using static KernelNet.Kernel.Include.Uapi.Linux.if_arp_h;
using static KernelNet.Kernel.Net.Core.dev_c;
using static KernelNet.Kernel.Net.Core.neighbour_c;
using static KernelNet.Kernel.Net.Core.skbuff_c;
using static KernelNet.Kernel.Net.Ipv4.devinet_c;
using static KernelNet.Kernel.Net.Ipv4.fib_frontend_c;

namespace KernelNet.Kernel.Net.Ipv4;

/// <summary>arp.c's globals: arp_tbl and the ARP packet_type.</summary>
public sealed class arp_globals
{
    public neigh_table arp_tbl { get; set; } = null!;
}

public static class arp_c
{
    private static neigh_ops arp_hh_ops => new()
    {
        solicit = arp_solicit,
        error_report = arp_error_report,
        output = neigh_resolve_output,
        connected_output = neigh_resolve_output,
    };

    private static neigh_ops arp_direct_ops => new()
    {
        solicit = (_, _) => { },
        error_report = (_, _) => { },
        output = neigh_direct_output,
        connected_output = neigh_direct_output,
    };

    /// <summary>arp_hdr_len(dev): the fixed header plus two hardware and two IPv4 addresses.</summary>
    [KernelNet.Annotations.NotInLinux("stand-in for include/linux/if_arp.h's arp_hdr_len, a header not ported")]
    private static int arp_hdr_len(net_device dev) => arphdr.Size + ((dev.addr_len + 4) * 2);

    // net/ipv4/arp.c: arp_constructor
    /// <summary>
    /// Sets up a new arp_tbl entry: its type (a local-table lookup), and
    /// NOARP with a fixed address for loopback/broadcast, else resolution.
    /// </summary>
    private static int arp_constructor(neighbour neigh)
    {
        // not ported: __neigh_parms_put — the .NET runtime allocates and frees memory: objects live while referenced, no refcounts or caches
        // not ported: arp_mc_map — a multicast neighbour gets no mapped hardware address: multicast output routes are not
        //   ported (route.c), so no multicast packet is resolved here
        // Loopback and point-to-point devices need no per-address entry: one, under INADDR_ANY, serves all.
        if ((neigh.dev.flags & (net_device.IFF_LOOPBACK | net_device.IFF_POINTOPOINT)) != 0)
        {
            neigh.primary_key = 0;
        }

        var addr = neigh.primary_key;
        var dev = neigh.dev;
        neigh.type = (byte)inet_addr_type_dev_table(dev.nd_net, dev, addr);
        if (__in_dev_get_rcu(dev) is not { } in_dev)
        {
            return -Include.Uapi.AsmGeneric.errno_base_h.EINVAL;
        }

        // The entry takes its device's parms in place of the table's defaults.
        if (in_dev.arp_parms is { } parms)
        {
            neigh.parms = neigh_parms_clone(parms);
        }

        if (dev.header_ops_create is null)
        {
            neigh.nud_state = NUD_NOARP;
            neigh.ops = arp_direct_ops;
            neigh.output = neigh_direct_output;
            return 0;
        }

        if (neigh.type == (byte)rtn_type.RTN_MULTICAST)
        {
            neigh.nud_state = NUD_NOARP;
        }
        else if ((dev.flags & (net_device.IFF_NOARP | net_device.IFF_LOOPBACK)) != 0)
        {
            neigh.nud_state = NUD_NOARP;
            dev.dev_addr.AsSpan(0, dev.addr_len).CopyTo(neigh.ha);
        }
        else if (neigh.type == (byte)rtn_type.RTN_BROADCAST)
        {
            neigh.nud_state = NUD_NOARP;
            dev.broadcast.AsSpan(0, dev.addr_len).CopyTo(neigh.ha);
        }

        neigh.ops = arp_hh_ops;
        neigh.output = (neigh.nud_state & NUD_VALID) != 0 ? neigh.ops.connected_output : neigh.ops.output;
        return 0;
    }

    // net/ipv4/arp.c: arp_error_report
    /// <summary>A queued packet whose next hop failed: ICMP host unreachable back to its sender, then NEIGH_FAILED.</summary>
    [Consumes("skb")]
    private static void arp_error_report(neighbour neigh, sk_buff skb)
    {
        dst_h.dst_link_failure(skb);
        kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NEIGH_FAILED);
    }

    // net/ipv4/arp.c: arp_solicit
    /// <summary>
    /// Sends a request for the entry's address: broadcast while resolving,
    /// unicast to the known address when re-probing; the source is the
    /// waiting packet's, if local.
    /// </summary>
    [Borrows("skb")]
    private static void arp_solicit(neighbour neigh, sk_buff? skb)
    {
        // not ported: IN_DEV_ARP_ANNOUNCE, inet_addr_onlink — arp_announce only at its default (see the header)
        // not ported: skb_dst — field accessors: the port reads or sets these fields directly
        // not ported: neigh_ha_snapshot — written out: a copy of neigh.ha (no seqlock: one thread); neigh_app_ns — app_solicit
        //   (resolution by a user daemon) is not ported: app_probes is 0
        var dev = neigh.dev;
        var target = neigh.primary_key;
        var probes = neigh.probes;
        uint saddr = 0;
        byte[]? dst_hw = null;
        if (__in_dev_get_rcu(dev) is null)
        {
            return;
        }

        if (skb is not null && inet_addr_type_dev_table(dev.nd_net, dev, Include.Linux.ip_h.ip_hdr(skb).saddr) == rtn_type.RTN_LOCAL)
        {
            saddr = Include.Linux.ip_h.ip_hdr(skb).saddr;
        }

        if (saddr == 0)
        {
            saddr = inet_select_addr(dev, target, RT_SCOPE_LINK);
        }

        probes -= NEIGH_VAR(neigh.parms, NEIGH_VAR_UCAST_PROBES);
        if (probes < 0)
        {
            dst_hw = (byte[])neigh.ha.Clone();
        }
        else
        {
            probes -= NEIGH_VAR(neigh.parms, NEIGH_VAR_APP_PROBES);
            if (probes < 0)
            {
                return;
            }
        }

        arp_send_dst(ARPOP_REQUEST, if_ether_h.ETH_P_ARP, target, dev, saddr, dst_hw, dev.dev_addr, null, skb?.dst as dst_entry);
    }

    // net/ipv4/arp.c: arp_create
    /// <summary>Builds an ARP packet with its Ethernet header (42 bytes on Ethernet).</summary>
    private static sk_buff? arp_create(ushort type, ushort ptype, uint dest_ip, net_device dev, uint src_ip, byte[]? dest_hw, byte[]? src_hw, byte[]? target_hw)
    {
        // not ported: kfree_skb — the port uses kfree_skb_reason with the drop's reason
        // not ported: LL_RESERVED_SPACE — written out as the aligned hard_header_len
        var hlen = (dev.hard_header_len + 15) & ~15;
        var skb = alloc_skb(dev.nd_net.k, arp_hdr_len(dev) + hlen);
        if (skb is null)
        {
            return null;
        }

        skb_reserve(skb, hlen);
        skb_reset_network_header(skb);
        var at = skb_put(skb, arp_hdr_len(dev));
        skb.dev = dev;
        skb.protocol = if_ether_h.ETH_P_ARP;
        src_hw ??= dev.dev_addr;
        dest_hw ??= dev.broadcast;

        if (dev_hard_header(skb, dev, ptype, dest_hw, src_hw, skb.len) < 0)
        {
            kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
            return null;
        }

        var arp = new arphdr(skb.head.AsSpan(at, arp_hdr_len(dev)));
        arp.ar_hrd = dev.type;
        arp.ar_pro = if_ether_h.ETH_P_IP;
        arp.ar_hln = dev.addr_len;
        arp.ar_pln = 4;
        arp.ar_op = type;

        var p = arp.addrs;
        src_hw.AsSpan(0, dev.addr_len).CopyTo(p);
        p = p[dev.addr_len..];
        BinaryPrimitives.WriteUInt32BigEndian(p, src_ip);
        p = p[4..];
        if (target_hw is not null)
        {
            target_hw.AsSpan(0, dev.addr_len).CopyTo(p);
        }
        else
        {
            p[..dev.addr_len].Clear();
        }

        p = p[dev.addr_len..];
        BinaryPrimitives.WriteUInt32BigEndian(p, dest_ip);
        return skb;
    }

    // net/ipv4/arp.c: arp_xmit_finish
    [Consumes("skb")]
    private static int arp_xmit_finish(net net, sock? sk, sk_buff skb) => dev_queue_xmit(skb);

    // not ported: NF_HOOK — no NFPROTO_ARP hooks (no arptables, see the header): arp_xmit_finish is called directly;
    //   dev_net_rcu — the device's nd_net
    // net/ipv4/arp.c: arp_xmit
    /// <summary>Sends an ARP packet through NF_ARP_OUT (no arptables hooks) to dev_queue_xmit.</summary>
    [Consumes("skb")]
    public static void arp_xmit(sk_buff skb) => arp_xmit_finish(skb.dev!.nd_net, null, skb);

    // net/ipv4/arp.c: arp_send_dst
    private static void arp_send_dst(ushort type, ushort ptype, uint dest_ip, net_device dev, uint src_ip, byte[]? dest_hw, byte[]? src_hw, byte[]? target_hw, dst_entry? dst)
    {
        // not ported: dst_clone — route references are counted (dst.__rcuref, bookkeeping only: the garbage collector frees routes), but this take or put is not made here, so the count need not balance
        if ((dev.flags & net_device.IFF_NOARP) != 0)
        {
            return;
        }

        var skb = arp_create(type, ptype, dest_ip, dev, src_ip, dest_hw, src_hw, target_hw);
        if (skb is null)
        {
            return;
        }

        skb_dst_set(skb, dst);
        arp_xmit(skb);
    }

    // net/ipv4/arp.c: arp_process
    /// <summary>
    /// Handles a request or reply: answers requests for our addresses
    /// (learning the asker as STALE), and on a reply moves the entry we
    /// asked for to REACHABLE, which releases its queued packets.
    /// </summary>
    [Consumes("skb")]
    private static int arp_process(net net, sock? sk, sk_buff skb)
    {
        // not ported: IN_DEV_ARPFILTER — arp_filter only at its default (see the header)
        // not ported: arp_is_garp — gratuitous ARP acceptance is not ported (arp_accept=0, see the header)
        // not ported: pneigh_lookup, pneigh_enqueue, arp_fwd_proxy, arp_fwd_pvlan — no proxy ARP (see the header)
        // not ported: NEIGH_CB — field accessors: the port reads or sets these fields directly
        // not ported: dst_release — route references are counted (dst.__rcuref, bookkeeping only: the garbage collector frees routes), but this take or put is not made here, so the count need not balance
        // not ported: iptunnel_metadata_reply, skb_metadata_dst — no lightweight tunnels, tunnel metadata or UDP encapsulation
        // not ported: kfree_skb — the port uses kfree_skb_reason with the drop's reason
        // not ported: IN_DEV_ROUTE_LOCALNET — read as the device's field route_localnet (conf.all's is not kept);
        //   IN_DEV_ORCONF — drop_gratuitous_arp is not a knob here (0); IN_DEV_FORWARD — only in the proxy ARP branch (no proxy
        //   ARP, see the header)
        var dev = skb.dev!;
        var in_dev = __in_dev_get_rcu(dev);
        var arp_tbl = net.k.globals<arp_globals>().arp_tbl;
        if (in_dev is null)
        {
            goto out_free_skb;
        }

        var arp = new arphdr(skb.head.AsSpan(skb.network_header, arp_hdr_len(dev)));
        if ((arp.ar_hrd != ARPHRD_ETHER && arp.ar_hrd != ARPHRD_IEEE802) || arp.ar_pro != if_ether_h.ETH_P_IP)
        {
            goto out_free_skb;
        }

        var op = arp.ar_op;
        if (op != ARPOP_REPLY && op != ARPOP_REQUEST)
        {
            goto out_free_skb;
        }

        var a = arp.addrs;
        var sha = a[..dev.addr_len].ToArray();
        var sip = BinaryPrimitives.ReadUInt32BigEndian(a[dev.addr_len..]);
        var tip = BinaryPrimitives.ReadUInt32BigEndian(a[((dev.addr_len * 2) + 4)..]);

        if ((tip & 0xf0000000) == 0xe0000000 || (!in_dev.route_localnet && (tip & 0xff000000) == 0x7f000000))
        {
            goto out_free_skb;
        }

        if (sip == 0)
        {
            if (op == ARPOP_REQUEST && inet_addr_type_dev_table(net, dev, tip) == rtn_type.RTN_LOCAL)
            {
                arp_send_dst(ARPOP_REPLY, if_ether_h.ETH_P_ARP, sip, dev, tip, sha, dev.dev_addr, sha, null);
            }

            goto out_consume_skb;
        }

        if (op == ARPOP_REQUEST && route_c.ip_route_input_noref(skb, tip, sip, 0, dev) == skb_drop_reason.SKB_NOT_DROPPED_YET)
        {
            var rt = skb_rtable(skb)!;
            if (rt.rt_type == rtn_type.RTN_LOCAL)
            {
                var n = neigh_event_ns(arp_tbl, sha, sip, dev);
                if (n is not null)
                {
                    arp_send_dst(ARPOP_REPLY, if_ether_h.ETH_P_ARP, sip, dev, tip, sha, dev.dev_addr, sha, null);
                    neigh_release(n);
                }

                goto out_consume_skb;
            }
        }

        var entry = __neigh_lookup(arp_tbl, sip, dev, false);
        if (entry is not null)
        {
            var state = NUD_REACHABLE;
            var k = net.k;
            // not ported: is_garp's override — gratuitous ARP is not told apart (arp_accept=0, see the header)
            var @override = jiffies_h.time_after(k.jiffies, entry.updated + (ulong)NEIGH_VAR(entry.parms, NEIGH_VAR_LOCKTIME));
            if (op != ARPOP_REPLY || skb.pkt_type != PACKET_HOST)
            {
                state = NUD_STALE;
            }

            neigh_update(entry, sha, state, @override ? NEIGH_UPDATE_F_OVERRIDE : 0, 0);
            neigh_release(entry);
        }

    out_consume_skb:
        consume_skb(skb);
        return NET_RX_SUCCESS;

    out_free_skb:
        kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
        return NET_RX_DROP;
    }

    // net/ipv4/arp.c: arp_rcv
    /// <summary>ETH_P_ARP's packet_type handler: sanity checks, then (NF_ARP_IN, empty) arp_process.</summary>
    [Consumes("skb")]
    private static int arp_rcv(sk_buff skb, net_device dev, packet_type pt, net_device orig_dev)
    {
        // not ported: NF_HOOK — no NF_ARP hooks (no arptables, see the header)
        // not ported: NEIGH_CB — field accessors: the port reads or sets these fields directly
        // not ported: pskb_may_pull_reason — pskb_may_pull with PKT_TOO_SMALL: a pull cannot fail for memory here
        skb_drop_reason drop_reason;
        if ((dev.flags & net_device.IFF_NOARP) != 0 || skb.pkt_type == PACKET_OTHERHOST || skb.pkt_type == PACKET_LOOPBACK)
        {
            goto consumeskb;
        }

        var shared = skb_share_check(skb);
        if (shared is null)
        {
            goto out_of_mem;
        }

        skb = shared;
        if (!pskb_may_pull(skb, arp_hdr_len(dev)))
        {
            drop_reason = skb_drop_reason.SKB_DROP_REASON_PKT_TOO_SMALL;
            goto freeskb;
        }

        var arp = new arphdr(skb.head.AsSpan(skb.network_header, arp_hdr_len(dev)));
        if (arp.ar_hln != dev.addr_len || arp.ar_pln != 4)
        {
            drop_reason = skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED;
            goto freeskb;
        }

        return arp_process(dev.nd_net, null, skb);

    consumeskb:
        consume_skb(skb);
        return NET_RX_SUCCESS;

    freeskb:
        kfree_skb_reason(skb, drop_reason);
    out_of_mem:
        return NET_RX_DROP;
    }

    // net/ipv4/arp.c: arp_ifdown
    /// <summary>The device is going down or away: its ARP entries are flushed (neigh_ifdown), their queued packets dropped.</summary>
    public static void arp_ifdown(net_device dev)
    {
        Core.neighbour_c.neigh_ifdown(dev.nd_net.k.globals<arp_globals>().arp_tbl, dev);
    }

    // net/ipv4/arp.c: arp_init
    /// <summary>
    /// Creates arp_tbl with 6.18's defaults (one table for the whole kernel:
    /// its parms are the defaults every device's parms start from), registers
    /// the ARP packet_type, and makes net.ipv4.neigh.default — in the initial
    /// namespace only, as 6.18 registers it once at boot.
    /// </summary>
    public static void arp_init(Vmlinux k)
    {
        // not ported: neigh_table_init — written out above: arp_tbl with its defaults, its parms the initial namespace's;
        //   register_netdevice_notifier — arp_netdev_event is not ported: a changed MAC address or a lost carrier does not
        //   flush the device's entries (neigh_changeaddr, neigh_carrier_down); register_pernet_subsys — /proc/net/arp is
        //   not ported (the header)
        var arp_tbl = new neigh_table
        {
            family = 2,
            protocol = if_ether_h.ETH_P_IP,
            id = "arp_cache",
            constructor = arp_constructor,
            gc_interval = 30 * Vmlinux.HZ,
            gc_thresh1 = 128,
            gc_thresh2 = 512,
            gc_thresh3 = 1024,
        };
        var p = arp_tbl.parms;
        p.tbl = arp_tbl;
        p.reachable_time = 30 * Vmlinux.HZ;
        p.data[NEIGH_VAR_MCAST_PROBES] = 3;
        p.data[NEIGH_VAR_UCAST_PROBES] = 3;
        p.data[NEIGH_VAR_RETRANS_TIME] = 1 * Vmlinux.HZ;
        p.data[NEIGH_VAR_BASE_REACHABLE_TIME] = 30 * Vmlinux.HZ;
        p.data[NEIGH_VAR_DELAY_PROBE_TIME] = 5 * Vmlinux.HZ;
        p.data[NEIGH_VAR_INTERVAL_PROBE_TIME_MS] = 5 * Vmlinux.HZ;
        p.data[NEIGH_VAR_GC_STALETIME] = 60 * Vmlinux.HZ;
        p.data[NEIGH_VAR_QUEUE_LEN_BYTES] = sock_h.SK_WMEM_DEFAULT;
        p.data[NEIGH_VAR_PROXY_QLEN] = 64;
        p.data[NEIGH_VAR_ANYCAST_DELAY] = 1 * Vmlinux.HZ;
        p.data[NEIGH_VAR_PROXY_DELAY] = 8 * Vmlinux.HZ / 10;
        p.data[NEIGH_VAR_LOCKTIME] = 1 * Vmlinux.HZ;

        // neigh_table_init: the defaults belong to the initial namespace.
        p.net = k.init_net;
        k.globals<arp_globals>().arp_tbl = arp_tbl;
        dev_add_pack(k, new packet_type(if_ether_h.ETH_P_ARP, arp_rcv));
        neigh_sysctl_register(null, arp_tbl.parms, null);
    }
}
