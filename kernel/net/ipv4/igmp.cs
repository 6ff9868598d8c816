// Ports net/ipv4/igmp.c: the receive side of IGMP (RFC 1112, 2236, 3376) and
// the per-device group list it acts on: igmp_rcv validates a message and hands
// queries to igmp_heard_query and multicast/broadcast reports to
// igmp_heard_report, which (re)arm or stop the report timers of the groups the
// device joined; the message is consumed when they took it, freed (kfree_skb,
// NOT_SPECIFIED) otherwise.
//
// not ported: sending reports and leaves (igmp_send_report, igmpv3_send_report,
// igmpv3_send_cr, igmp_group_added/dropped) — the port has no IGMP transmit path,
// so the timers' expiry updates the group's state but puts nothing on the wire;
// source filters (ip_sf_list, ip_mc_add_src, the INCLUDE mode) — no socket option
// sets them, so every group is (EXCLUDE, no sources); the interface-change timer
// (mr_ifc_timer, mr_ifc_count) and deleted-record tomb (igmpv3_clear_delrec) —
// only source-filter changes and leaves fill them; ip_mc_join_group and the
// socket side; net.ipv4.conf.*.force_igmp_version (0, its default, is assumed);
// PIMv1 (CONFIG_IP_PIMSM_V1); l3mdev.
// not ported: ip_ma_put, in_dev_hold, in_dev_put, __in_dev_put, kzalloc — the
// garbage collector owns ip_mc_list and in_device; hash_32, ip_mc_hash_add — the
// mc_hash lookup aid (a device of the port joins few groups, the list suffices);
// for_each_pmc_rcu, for_each_pmc_rtnl — a foreach over mc_list;
// timer_container_of — timer_list.owner; timer_setup — new timer_list(function).
using System;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Kernel.Time;
using static KernelNet.Kernel.Include.Linux.igmp_h;
using static KernelNet.Kernel.Include.Linux.jiffies_h;
using static KernelNet.Kernel.Include.Linux.netdevice_h;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Net.Core.skbuff_c;

namespace KernelNet.Kernel.Net.Ipv4;

public static class igmp_c
{
    /// <summary>sizeof(struct igmphdr): type, max response code, checksum, group.</summary>
    private const int IGMPHDR_SIZE = 8;

    /// <summary>sizeof(struct igmpv3_query) without its sources: igmphdr, resv/s/qrv, qqic, nsrcs.</summary>
    private const int IGMPV3_QUERY_SIZE = 12;

    public const byte IGMP_HOST_MEMBERSHIP_QUERY = 0x11;
    public const byte IGMP_HOST_MEMBERSHIP_REPORT = 0x12;
    public const byte IGMPV2_HOST_MEMBERSHIP_REPORT = 0x16;
    public const byte IGMP_HOST_LEAVE_MESSAGE = 0x17;
    public const byte IGMPV3_HOST_MEMBERSHIP_REPORT = 0x22;

    /// <summary>224.0.0.1, host order.</summary>
    public const uint IGMP_ALL_HOSTS = 0xe0000001;

    /// <summary>IGMP_TIMER_SCALE: the max response code counts tenths of a second.</summary>
    private const int IGMP_TIMER_SCALE = 10;

    private const int IGMP_QUERY_INTERVAL = 125 * Vmlinux.HZ;
    private const int IGMP_QUERY_RESPONSE_INTERVAL = 10 * Vmlinux.HZ;

    [NotInLinux("include/linux/in.h's ipv4_is_local_multicast (224.0.0.0/24) on a host-order address; in.h is not ported as a file")]
    private static bool ipv4_is_local_multicast(uint addr) => (addr & 0xffffff00) == 0xe0000000;

    // net/ipv4/igmp.c: IGMP_V1_SEEN
    /// <summary>An IGMPv1 querier was heard within its presence timeout (force_igmp_version not ported: 0, its default).</summary>
    private static bool IGMP_V1_SEEN(in_device in_dev)
        => in_dev.mr_v1_seen != 0 && time_before(jiffies(in_dev), in_dev.mr_v1_seen);

    // net/ipv4/igmp.c: IGMP_V2_SEEN
    /// <summary>An IGMPv2 querier was heard within its presence timeout (force_igmp_version not ported: 0, its default).</summary>
    private static bool IGMP_V2_SEEN(in_device in_dev)
        => in_dev.mr_v2_seen != 0 && time_before(jiffies(in_dev), in_dev.mr_v2_seen);

    [NotInLinux("jiffies of the machine the device's namespace runs on")]
    private static ulong jiffies(in_device in_dev) => in_dev.dev.nd_net.k.jiffies;

    // net/ipv4/igmp.c: igmp_stop_timer
    /// <summary>Cancels a group's pending report and forgets that we reported it.</summary>
    private static void igmp_stop_timer(ip_mc_list im)
    {
        // im->lock: no concurrency in the simulation; refcnt: the GC holds im.
        if (im.timer is not null)
        {
            timer_c.timer_delete(im.timer);
        }

        im.tm_running = false;
        im.reporter = false;
        im.unsolicit_count = 0;
    }

    // net/ipv4/igmp.c: igmp_start_timer
    /// <summary>Arms the group's report timer at a random point within max_delay jiffies (plus 2).</summary>
    private static void igmp_start_timer(ip_mc_list im, int max_delay)
    {
        var k = im.@interface.dev.nd_net.k;
        var tv = Drivers.Char.random_c.__get_random_u32_below(k, (uint)max_delay);
        im.tm_running = true;
        timer_c.mod_timer(k, im.timer!, k.jiffies + tv + 2);
    }

    // net/ipv4/igmp.c: igmp_gq_start_timer
    /// <summary>Arms the general-query response timer unless it already fires no later than the new draw.</summary>
    private static void igmp_gq_start_timer(in_device in_dev)
    {
        var k = in_dev.dev.nd_net.k;
        var tv = Drivers.Char.random_c.__get_random_u32_below(k, (uint)in_dev.mr_maxdelay);
        var exp = k.jiffies + tv + 2;

        if (in_dev.mr_gq_running && time_after_eq(exp, in_dev.mr_gq_timer!.expires))
        {
            return;
        }

        in_dev.mr_gq_running = true;
        // in_dev_hold: the GC holds in_dev.
        timer_c.mod_timer(k, in_dev.mr_gq_timer!, exp);
    }

    // net/ipv4/igmp.c: igmp_mod_timer
    /// <summary>A query asks for a report within max_delay: keep a pending timer that fires sooner, else redraw.</summary>
    private static void igmp_mod_timer(ip_mc_list im, int max_delay)
    {
        var k = im.@interface.dev.nd_net.k;
        im.unsolicit_count = 0;
        if (timer_c.timer_delete(im.timer!))
        {
            if ((long)(im.timer!.expires - k.jiffies) < max_delay)
            {
                timer_c.add_timer(k, im.timer);
                im.tm_running = true;
                return;
            }
        }

        igmp_start_timer(im, max_delay);
    }

    // net/ipv4/igmp.c: igmp_gq_timer_expire
    /// <summary>The general-query response is due.</summary>
    private static void igmp_gq_timer_expire(timer_list t)
    {
        var in_dev = (in_device)t.owner!;
        in_dev.mr_gq_running = false;
        // not ported: igmpv3_send_report — no IGMP transmit path (see the file header)
    }

    // net/ipv4/igmp.c: igmp_timer_expire
    /// <summary>A group's report is due: the group becomes the one we reported.</summary>
    private static void igmp_timer_expire(timer_list t)
    {
        var im = (ip_mc_list)t.owner!;
        im.tm_running = false;
        if (im.unsolicit_count != 0 && --im.unsolicit_count != 0)
        {
            // not ported: unsolicited_report_interval — unsolicit_count is only set by
            // igmp_group_added, not ported, so this branch is never taken
            igmp_start_timer(im, IGMP_QUERY_RESPONSE_INTERVAL);
        }

        im.reporter = true;
        // not ported: igmp_send_report (v1, v2 or v3 by IGMP_V1_SEEN/IGMP_V2_SEEN) — no IGMP transmit path
    }

    // net/ipv4/igmp.c: igmp_xmarksources
    /// <summary>
    /// EXCLUDE-mode source marking. With no source filters ported the group
    /// excludes no source, so none of the query's sources is counted.
    /// </summary>
    private static bool igmp_xmarksources(ip_mc_list pmc, int nsrcs)
    {
        var scount = 0; // the walk over pmc->sources: none (source filters not ported)
        pmc.gsquery = false;
        return scount != nsrcs;
    }

    // net/ipv4/igmp.c: igmp_marksources
    /// <summary>Every group is (EXCLUDE, no sources) in the port, so this is the EXCLUDE branch.</summary>
    private static bool igmp_marksources(ip_mc_list pmc, int nsrcs)
    {
        // not ported: the INCLUDE-mode walk — no source filters (see the file header)
        return igmp_xmarksources(pmc, nsrcs);
    }

    // net/ipv4/igmp.c: igmp_heard_report
    /// <summary>
    /// Another member reported group: our pending report for it is cancelled
    /// (report suppression). Returns false (the message is consumed) on every path.
    /// </summary>
    private static bool igmp_heard_report(in_device in_dev, uint group)
    {
        var ipv4 = netns_ipv4.of(dev_net(in_dev.dev));

        // only non-local groups have timers
        if (group == IGMP_ALL_HOSTS)
        {
            return false;
        }

        if (ipv4_is_local_multicast(group) && !ipv4.sysctl_igmp_llm_reports)
        {
            return false;
        }

        foreach (var im in in_dev.mc_list)
        {
            if (im.multiaddr == group)
            {
                igmp_stop_timer(im);
                break;
            }
        }

        return false;
    }

    // net/ipv4/igmp.c: igmp_heard_query
    /// <summary>
    /// A query (v1: 8 bytes, code 0; v2: 8 bytes; v3: 12 bytes and more) records
    /// the querier's version and parameters and arms the report timers of the
    /// groups it asks about. Returns true (freed by the caller as dropped) for a
    /// bogus length, a truncated v3 query, or a v3 general query with sources.
    /// </summary>
    [Borrows("skb")]
    private static bool igmp_heard_query(in_device in_dev, sk_buff skb, int len)
    {
        // not ported: igmp_hdr, igmpv3_query_hdr — field accessors: the port reads or sets these fields directly
        var ih = skb.head.AsSpan(skb.transport_header);
        var group = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(ih[4..]);
        int max_delay;
        var mark = false;
        var nsrcs = 0;
        var ipv4 = netns_ipv4.of(dev_net(in_dev.dev));
        var now = jiffies(in_dev);

        if (len == 8)
        {
            if (ih[1] == 0)
            {
                // an IGMPv1 querier
                max_delay = IGMP_QUERY_RESPONSE_INTERVAL;
                in_dev.mr_v1_seen = now + (ulong)(in_dev.mr_qrv * in_dev.mr_qi) + (ulong)in_dev.mr_qri;
                group = 0;
            }
            else
            {
                // an IGMPv2 querier
                max_delay = ih[1] * (Vmlinux.HZ / IGMP_TIMER_SCALE);
                in_dev.mr_v2_seen = now + (ulong)(in_dev.mr_qrv * in_dev.mr_qi) + (ulong)in_dev.mr_qri;
            }

            // not ported: timer_delete — of mr_ifc_timer, which is not ported (see the file header)
            // not ported: igmpv3_clear_delrec — no deleted records are kept (see the file header)
        }
        else if (len < 12)
        {
            return true;
        }
        else if (IGMP_V1_SEEN(in_dev))
        {
            // a v3 query while a v1 querier is present
            max_delay = IGMP_QUERY_RESPONSE_INTERVAL;
            group = 0;
        }
        else if (IGMP_V2_SEEN(in_dev))
        {
            // a v3 query while a v2 querier is present: the code is read in the v3 encoding
            max_delay = IGMPV3_MRC(ih[1]) * (Vmlinux.HZ / IGMP_TIMER_SCALE);
            if (max_delay == 0)
            {
                max_delay = 1;
            }
        }
        else
        {
            if (!pskb_may_pull(skb, IGMPV3_QUERY_SIZE))
            {
                return true;
            }

            ih = skb.head.AsSpan(skb.transport_header);
            nsrcs = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(ih[10..]);
            if (nsrcs != 0)
            {
                if (!pskb_may_pull(skb, IGMPV3_QUERY_SIZE + (nsrcs * 4)))
                {
                    return true;
                }

                ih = skb.head.AsSpan(skb.transport_header);
            }

            max_delay = IGMPV3_MRC(ih[1]) * (Vmlinux.HZ / IGMP_TIMER_SCALE);
            if (max_delay == 0)
            {
                max_delay = 1;
            }

            in_dev.mr_maxdelay = max_delay;

            // RFC 3376 4.1.6/4.1.7: a zero QRV or QQIC means the configured default.
            var qrv = ih[8] & 0x07;
            in_dev.mr_qrv = qrv != 0 ? qrv : ipv4.sysctl_igmp_qrv;
            var qi = IGMPV3_QQIC(ih[9]) * Vmlinux.HZ;
            in_dev.mr_qi = qi != 0 ? qi : IGMP_QUERY_INTERVAL;

            // RFC 3376 8.3: the response interval stays below the query interval.
            if (in_dev.mr_qri >= in_dev.mr_qi)
            {
                in_dev.mr_qri = ((in_dev.mr_qi / Vmlinux.HZ) - 1) * Vmlinux.HZ;
            }

            if (group == 0)
            {
                // a general query
                if (nsrcs != 0)
                {
                    return true;
                }

                igmp_gq_start_timer(in_dev);
                return false;
            }

            mark = nsrcs != 0;
        }

        // Arm (or shorten) the timers of the groups the query is about, leaving
        // out 224.0.0.1 and, unless llm reports are on, 224.0.0.0/24.
        foreach (var im in in_dev.mc_list)
        {
            if (group != 0 && group != im.multiaddr)
            {
                continue;
            }

            if (im.multiaddr == IGMP_ALL_HOSTS)
            {
                continue;
            }

            if (ipv4_is_local_multicast(im.multiaddr) && !ipv4.sysctl_igmp_llm_reports)
            {
                continue;
            }

            im.gsquery = im.tm_running ? im.gsquery && mark : mark;
            var changed = !im.gsquery || igmp_marksources(im, nsrcs);
            if (changed)
            {
                igmp_mod_timer(im, max_delay);
            }
        }

        return false;
    }

    // net/ipv4/igmp.c: igmp_rcv
    /// <summary>
    /// IPPROTO_IGMP's handler (NET_RX softirq): a datagram shorter than an
    /// IGMP header or with a wrong checksum is freed (kfree_skb); a query, or a
    /// report received as multicast or broadcast, is consumed once
    /// igmp_heard_query / igmp_heard_report took it; every other message
    /// (our own looped report, a unicast report, v3 reports, leaves, DVMRP,
    /// PIM, trace) is freed. Consumes skb; returns 0.
    /// </summary>
    [Consumes("skb")]
    public static int igmp_rcv(sk_buff skb)
    {
        // not ported: igmp_hdr, skb_rtable — field accessors: the port reads or sets these fields directly
        // not ported: kfree_skb — the port uses kfree_skb_reason with the drop's reason
        // not ported: netif_is_l3_master — no VRF (l3mdev) devices in the simulation
        // not ported: dev_get_by_index_rcu — only to find an l3mdev master's slave (no VRFs)
        var dev = skb.dev!;
        var len = skb.len;
        var dropped = true;

        // not ported: the l3mdev (VRF master) lookup of the ingress device — no l3mdev
        var in_dev = Include.Linux.inetdevice_h.__in_dev_get_rcu(dev);
        if (in_dev is null)
        {
            goto drop;
        }

        if (!pskb_may_pull(skb, IGMPHDR_SIZE))
        {
            goto drop;
        }

        // skb_checksum_simple_validate: the message's own sum, no pseudo header.
        if (checksum_h.csum_fold(skb_checksum(skb, 0, skb.len, 0)) != 0)
        {
            goto drop;
        }

        var ih = skb.head.AsSpan(skb.transport_header);
        switch (ih[0])
        {
            case IGMP_HOST_MEMBERSHIP_QUERY:
                dropped = igmp_heard_query(in_dev, skb, len);
                break;
            case IGMP_HOST_MEMBERSHIP_REPORT:
            case IGMPV2_HOST_MEMBERSHIP_REPORT:
                // our own report, looped back
                if (skb.dst is rtable rt && Include.Net.route_h.rt_is_output_route(rt))
                {
                    break;
                }

                // a unicast report is not relied on
                if (skb.pkt_type == PACKET_MULTICAST || skb.pkt_type == PACKET_BROADCAST)
                {
                    dropped = igmp_heard_report(in_dev, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(ih[4..]));
                }

                break;
            default:
                // IGMPv3 reports, DVMRP, PIM (pim_rcv_v1 not ported), trace, leave: nothing to do
                break;
        }

    drop:
        if (dropped)
        {
            kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
        }
        else
        {
            consume_skb(skb);
        }

        return 0;
    }

    // net/ipv4/igmp.c: ____ip_mc_inc_group
    /// <summary>
    /// Joins addr on the device, or counts one more user of a group already
    /// joined; a new group gets its report timer and goes to the head of mc_list.
    /// </summary>
    private static void ____ip_mc_inc_group(in_device in_dev, uint addr)
    {
        // no mc_hash: the port keeps the list only (ip_mc_hash_add not ported — a lookup aid)
        foreach (var existing in in_dev.mc_list)
        {
            if (existing.multiaddr == addr)
            {
                existing.users++;
                // not ported: ip_mc_add_src — no source filters
                return;
            }
        }

        var im = new ip_mc_list(in_dev, addr) { users = 1 };
        im.timer = new timer_list(igmp_timer_expire) { owner = im };
        in_dev.mc_list.Insert(0, im);

        // not ported: igmpv3_del_delrec, igmp_group_added (the unsolicited reports),
        // inet_ifmcaddr_notify, ip_rt_multicast_event — no IGMP transmit, rtnetlink
        // multicast notifications or multicast routes in the port
    }

    // net/ipv4/igmp.c: ip_mc_inc_group
    /// <summary>Joins addr in EXCLUDE mode with no sources (RTNL).</summary>
    public static void ip_mc_inc_group(in_device in_dev, uint addr) => __ip_mc_inc_group(in_dev, addr);

    // net/ipv4/igmp.c: __ip_mc_inc_group
    /// <summary>Joins addr in EXCLUDE mode (the gfp argument has no meaning in the port).</summary>
    public static void __ip_mc_inc_group(in_device in_dev, uint addr) => ____ip_mc_inc_group(in_dev, addr);

    // not ported: igmp_group_dropped's leave report and delrec (no IGMP transmit of group changes) — its timer
    // stop is igmp_stop_timer here; mr_ifc_timer, mr_ifc_count — see the file header; __in_dev_put — the garbage
    // collector holds the in_device; ip_mc_dec_group(IGMP_ALL_HOSTS) — ip_mc_up never joins all-hosts here;
    // for_each_pmc_rtnl — the device's mc_list is walked.
    // net/ipv4/igmp.c: ip_mc_down
    /// <summary>The device goes down: every group's report timer and the general-query timer are stopped.</summary>
    private static void ip_mc_down(in_device in_dev)
    {
        foreach (var pmc in in_dev.mc_list)
        {
            igmp_stop_timer(pmc);
        }

        in_dev.mr_gq_running = false;
        if (in_dev.mr_gq_timer is not null)
        {
            timer_c.timer_delete(in_dev.mr_gq_timer);
        }
    }

    // not ported: igmpv3_clear_delrec — no delrec list; ip_mc_clear_src — no source filters; ip_ma_put — the
    // garbage collector frees the groups.
    // net/ipv4/igmp.c: ip_mc_destroy_dev
    /// <summary>The device leaves IPv4: its timers stop (ip_mc_down) and it forgets every group.</summary>
    public static void ip_mc_destroy_dev(in_device in_dev)
    {
        // Deactivate timers
        ip_mc_down(in_dev);

        in_dev.mc_list.Clear();
    }

    // net/ipv4/igmp.c: ip_mc_reset
    /// <summary>The querier parameters back to their defaults.</summary>
    private static void ip_mc_reset(in_device in_dev)
    {
        in_dev.mr_qi = IGMP_QUERY_INTERVAL;
        in_dev.mr_qri = IGMP_QUERY_RESPONSE_INTERVAL;
        in_dev.mr_qrv = netns_ipv4.of(dev_net(in_dev.dev)).sysctl_igmp_qrv;
    }

    // net/ipv4/igmp.c: ip_mc_init_dev
    /// <summary>A new in_device's IGMP state: the general-query timer and the default querier parameters.</summary>
    public static void ip_mc_init_dev(in_device in_dev)
    {
        in_dev.mr_gq_timer = new timer_list(igmp_gq_timer_expire) { owner = in_dev };
        // not ported: mr_ifc_timer — see the file header
        ip_mc_reset(in_dev);
    }
}
