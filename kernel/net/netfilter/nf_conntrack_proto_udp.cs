// Ports net/netfilter/nf_conntrack_proto_udp.c: UDP "connections" — a flow is
// UNREPLIED (30 s) until an answer comes back, then, once still active two
// seconds later, a stream: ASSURED with the 120 s timeout.
//
// not ported: UDP-Lite, the timeout netlink interface.
using System;
using System.Buffers.Binary;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Net.Netfilter;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.Linux.Netfilter;
using static KernelNet.Kernel.Include.Linux.netfilter_h;
using static KernelNet.Kernel.Include.Net.Netfilter.nf_conntrack_h;
using static KernelNet.Kernel.Include.Uapi.Linux.Netfilter.nf_conntrack_common_h;

namespace KernelNet.Kernel.Net.Netfilter;

public static class nf_conntrack_proto_udp_c
{
    /// <summary>UDP_CT_UNREPLIED / UDP_CT_REPLIED indices of the timeouts.</summary>
    public const int UDP_CT_UNREPLIED = 0;
    public const int UDP_CT_REPLIED = 1;

    // net/netfilter/nf_conntrack_proto_udp.c: udp_error
    /// <summary>A short, truncated or (at PRE_ROUTING, when checksums are checked) corrupt datagram is invalid.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static bool udp_error(sk_buff skb, int dataoff, nf_hook_state state)
    {
        // not ported: udp_error_log — it logs only when net.netfilter.nf_conntrack_log_invalid is set, and the port keeps it at its default 0 (sysctl_log_invalid, never written): nothing is logged
        var udplen = skb.len - dataoff;
        Span<byte> buf = stackalloc byte[8];
        var hdr = skbuff_h.skb_header_pointer(skb, dataoff, 8, buf);
        if (hdr.IsEmpty)
        {
            return true;
        }

        var len = BinaryPrimitives.ReadUInt16BigEndian(hdr[4..]);
        if (len > udplen || len < 8)
        {
            return true;
        }

        if (BinaryPrimitives.ReadUInt16BigEndian(hdr[6..]) == 0)
        {
            return false;
        }

        if (state.hook == nf_inet_hooks.NF_INET_PRE_ROUTING && netns_ct.of(state.net).sysctl_checksum != 0 &&
            utils_c.nf_checksum(skb, state.hook, dataoff, Include.Uapi.Linux.in_h.IPPROTO_UDP, state.pf) != 0)
        {
            return true;
        }

        return false;
    }

    // net/netfilter/nf_conntrack_proto_udp.c: nf_conntrack_udp_packet
    /// <summary>Refreshes the flow's timeout: 30 s until answered, 120 s (and ASSURED) for a stream.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static int nf_conntrack_udp_packet(nf_conn ct, sk_buff skb, int dataoff, ip_conntrack_info ctinfo, nf_hook_state state)
    {
        // not ported: nf_conntrack_event_cache, nf_ct_timeout_lookup, udp_get_timeouts — no conntrack extensions: helpers, expectations, events, zones, timeout policies, accounting, timestamps, labels, seqadj, synproxy
        if (udp_error(skb, dataoff, state))
        {
            return -(int)NF_ACCEPT;
        }

        var timeouts = netns_ct.of(nf_ct_net(ct)).udp_timeouts;
        var status = ct.status;
        if ((status & IPS_CONFIRMED) == 0)
        {
            ct.udp_stream_ts = 2 * (ulong)Vmlinux.HZ + state.net.k.jiffies;
        }

        if ((status & IPS_SEEN_REPLY) != 0)
        {
            var extra = timeouts[UDP_CT_UNREPLIED];
            var stream = false;

            // still going two seconds after the answer: a stream
            if (jiffies_h.time_after(state.net.k.jiffies, ct.udp_stream_ts))
            {
                extra = timeouts[UDP_CT_REPLIED];
                stream = (status & IPS_ASSURED) == 0;
            }

            nf_ct_refresh_acct(ct, ctinfo, skb, extra);
            if ((status & IPS_NAT_CLASH) != 0)
            {
                return (int)NF_ACCEPT;
            }

            if (stream && (ct.status & IPS_ASSURED) == 0)
            {
                ct.status |= IPS_ASSURED;
            }
        }
        else
        {
            nf_ct_refresh_acct(ct, ctinfo, skb, timeouts[UDP_CT_UNREPLIED]);
        }

        return (int)NF_ACCEPT;
    }

    // net/netfilter/nf_conntrack_proto_udp.c: nf_conntrack_udp_init_net
    /// <summary>udp_timeouts: 30 s unreplied, 120 s replied.</summary>
    public static void nf_conntrack_udp_init_net(net net, netns_ct ct)
    {
        // not ported: nf_udp_pernet — field accessors: the port reads or sets these fields directly
        _ = net;
        ct.udp_timeouts[UDP_CT_UNREPLIED] = 30 * (uint)Vmlinux.HZ;
        ct.udp_timeouts[UDP_CT_REPLIED] = 120 * (uint)Vmlinux.HZ;
    }
}
