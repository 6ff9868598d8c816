// Ports net/ipv4/icmp.c: receiving ICMP (echo -> reply, errors -> the
// transport's err_handler) and sending ICMP errors (port and host
// unreachable) and replies, with the kernel's rate limits and counters.
//
// departure: the kernel sends from a per-CPU raw socket re-pointed at each
// namespace; here each namespace has its own, made on first use.
// not ported: timestamps, address masks, ICMP_EXT_ECHO (PROBE), redirects,
// the global icmp_msgs_per_sec credit (loopback and first messages pass it
// anyway), IP options echo.
using System;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.bottom_half_h;
using static KernelNet.Kernel.Include.Linux.ip_h;
using static KernelNet.Kernel.Include.Linux.netdevice_h;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Include.Net.ip_h;
using static KernelNet.Kernel.Include.Net.route_h;
using static KernelNet.Kernel.Include.Uapi.Linux.icmp_h;
using static KernelNet.Kernel.Net.Core.skbuff_c;
using static KernelNet.Kernel.Net.Ipv4.ip_output_c;

namespace KernelNet.Kernel.Net.Ipv4;

/// <summary>struct icmp_bxm: what to send — the header, and which bytes of which skb follow it.</summary>
public sealed class icmp_bxm
{
    public required sk_buff skb { get; init; }

    public int offset { get; init; }

    public int data_len { get; set; }

    public int head_len { get; init; }

    public byte type { get; set; }

    public byte code { get; set; }

    public uint un { get; set; }

    /// <summary>replyopts: the options the reply carries (__ip_options_echo of the packet's).</summary>
    public ip_options replyopts { get; } = new();
}

public static class icmp_c
{
    private const int SOCK_RAW = 3;
    private const byte IPPROTO_ICMP = 1;
    private const uint INADDR_DUMMY = 0xc0000008;

    /// <summary>The namespace's ICMP sending socket (icmp_sk), SOCK_RAW with PMTU discovery off.</summary>
    [KernelNet.Annotations.NotInLinux("C# accessor of the per-net ICMP control socket (net->ipv4.icmp_sk in C)")]
    private static sock icmp_sk(net net)
    {
        var ipv4 = netns_ipv4.of(net);
        if (!ipv4.priv.TryGetValue(typeof(icmp_bxm), out var o))
        {
            var sk = new sock(net, 2, SOCK_RAW, IPPROTO_ICMP);
            sk.proto_data = new inet_sock(sk) { pmtudisc = 0 /* IP_PMTUDISC_DONT */ };
            o = sk;
            ipv4.priv[typeof(icmp_bxm)] = o;
        }

        return (sock)o;
    }

    [KernelNet.Annotations.NotInLinux("stand-in for include/linux/icmp.h's icmp_is_err, a header not ported")]
    private static bool icmp_is_error(byte type) => type is ICMP_DEST_UNREACH or ICMP_SOURCE_QUENCH or ICMP_REDIRECT or ICMP_TIME_EXCEEDED or ICMP_PARAMETERPROB;

    [KernelNet.Annotations.NotInLinux("stand-in for include/linux/icmp.h's icmp_hdr, a header not ported")]
    [Borrows("skb")]
    private static icmphdr icmp_hdr(sk_buff skb) => new(skb.head.AsSpan(skb.transport_header, icmphdr.Size));

    /// <summary>
    /// icmp_err_convert[] (net/ipv4/icmp.c: a table, not a function; indexed by a destination-unreachable
    /// code up to NR_ICMP_UNREACH): the errno a socket reports and whether the
    /// error is fatal (a hard error under RFC 1122 4.2.3.9).
    /// </summary>
    [KernelNet.Annotations.NotInLinux("the icmp_err_convert[] table of icmp.c as a switch")]
    public static (int errno, bool fatal) icmp_err_convert(byte code) => code switch
    {
        ICMP_NET_UNREACH => (errno_h.ENETUNREACH, false),
        ICMP_HOST_UNREACH => (errno_h.EHOSTUNREACH, false),
        ICMP_PROT_UNREACH => (errno_h.ENOPROTOOPT, true),
        ICMP_PORT_UNREACH => (errno_h.ECONNREFUSED, true),
        ICMP_FRAG_NEEDED => (errno_h.EMSGSIZE, false),
        ICMP_SR_FAILED => (errno_h.EOPNOTSUPP, false),
        6 /* ICMP_NET_UNKNOWN */ => (errno_h.ENETUNREACH, true),
        7 /* ICMP_HOST_UNKNOWN */ => (errno_h.EHOSTDOWN, true),
        8 /* ICMP_HOST_ISOLATED */ => (errno_h.ENONET, true),
        9 /* ICMP_NET_ANO */ => (errno_h.ENETUNREACH, true),
        10 /* ICMP_HOST_ANO */ => (errno_h.EHOSTUNREACH, true),
        11 /* ICMP_NET_UNR_TOS */ => (errno_h.ENETUNREACH, false),
        12 /* ICMP_HOST_UNR_TOS */ => (errno_h.EHOSTUNREACH, false),
        _ /* ICMP_PKT_FILTERED, ICMP_PREC_VIOLATION, ICMP_PREC_CUTOFF */ => (errno_h.EHOSTUNREACH, true),
    };

    [KernelNet.Annotations.NotInLinux("stand-in for the ICMP_INC_STATS macro of include/net/icmp.h, whose port there is not written yet")]
    private static void ICMP_INC_STATS(net net, icmp_mib_field f) => netns_ipv4.of(net).mib.icmp_statistics[(int)f]++;

    // net/ipv4/icmp.c: icmp_out_count
    /// <summary>OutMsgs and IcmpMsg OutTypeN.</summary>
    public static void icmp_out_count(net net, byte type)
    {
        // not ported: ICMPMSGOUT_INC_STATS — written out: the IcmpMsg OutType counter (type | 0x100)
        netns_ipv4.of(net).mib.icmpmsg_statistics[type | 0x100]++;
        ICMP_INC_STATS(net, icmp_mib_field.ICMP_MIB_OUTMSGS);
    }

    // net/ipv4/icmp.c: icmpv4_xrlim_allow
    /// <summary>Per-destination rate limit (icmp_ratelimit, icmp_ratemask); never on loopback.</summary>
    private static bool icmpv4_xrlim_allow(net net, rtable rt, ref flowi4 fl4, byte type, byte code)
    {
        // not ported: __ICMP_INC_STATS — the port uses ICMP_INC_STATS
        // not ported: l3mdev_master_ifindex_rcu — no VRF (l3mdev) devices in the simulation
        // not ported: icmp_global_consume — the global icmp_msgs_per_sec credit is not ported (the header);
        //   inet_getpeer_v4 — the port's inet_getpeer takes the namespace and address (vif 0: no VRFs); dst_dev_rcu — the route's
        //   device is the field rt.dev
        var ipv4 = netns_ipv4.of(net);
        if (type > NR_ICMP_TYPES)
        {
            return true;
        }

        if (type == ICMP_DEST_UNREACH && code == ICMP_FRAG_NEEDED)
        {
            return true;
        }

        if (rt.dev is { } dev && (dev.flags & net_device.IFF_LOOPBACK) != 0)
        {
            return true;
        }

        if (((1 << type) & ipv4.sysctl_icmp_ratemask) == 0)
        {
            return true;
        }

        var peer = inetpeer_c.inet_getpeer(net, fl4.daddr);
        var rc = inetpeer_c.inet_peer_xrlim_allow(net.k, peer, (ulong)jiffies_h.msecs_to_jiffies(ipv4.sysctl_icmp_ratelimit));
        if (!rc)
        {
            ICMP_INC_STATS(net, icmp_mib_field.ICMP_MIB_RATELIMITHOST);
        }

        return rc;
    }

    // net/ipv4/icmp.c: icmp_glue_bits
    /// <summary>getfrag for ICMP: copies the quoted or echoed bytes from the original skb.</summary>
    [Borrows("skb")]
    private static int icmp_glue_bits(object? from, Span<byte> to, int offset, int len, int odd, sk_buff skb)
    {
        // not ported: skb_copy_and_csum_bits, csum_block_add — the bytes are copied with skb_copy_bits: no running sum is
        //   kept (icmp_push_reply sums the message); nf_ct_attach — the error does not take the quoted packet's conntrack here:
        //   conntrack finds it RELATED at LOCAL_OUT (nf_conntrack_inet_error)
        var p = (icmp_bxm)from!;
        return skb_copy_bits(p.skb, p.offset + offset, to, len);
    }

    // net/ipv4/icmp.c: icmp_push_reply
    /// <summary>Appends header and data to the ICMP socket, computes the checksum over both, and sends.</summary>
    private static void icmp_push_reply(sock sk, icmp_bxm icmp_param, ref flowi4 fl4, ref ipcm_cookie ipc, rtable rt)
    {
        // not ported: __ICMP_INC_STATS — the port uses ICMP_INC_STATS
        // not ported: csum_partial_copy_nocheck, csum_add — the sum is taken over the queued skbs with skb_checksum (no
        //   running skb->csum); skb_queue_walk — the queue's skbs are walked by their next links
        var net = sk.sk_net;
        if (ip_append_data(sk, ref fl4, icmp_glue_bits, icmp_param, icmp_param.data_len + icmp_param.head_len, icmp_param.head_len, ref ipc, rt, 0) < 0)
        {
            ICMP_INC_STATS(net, icmp_mib_field.ICMP_MIB_OUTERRORS);
            ip_flush_pending_frames(sk);
            return;
        }

        var skb = skb_peek(sk.sk_write_queue);
        if (skb is not null)
        {
            var icmph = icmp_hdr(skb);
            icmph.type = icmp_param.type;
            icmph.code = icmp_param.code;
            icmph.checksum = 0;
            icmph.un = icmp_param.un;

            // The sum covers the message in every skb queued: a reply above
            // the MTU is built as several (skb1->csum is not modelled: summed here).
            uint csum = 0;
            var pos = 0;
            for (var skb1 = skb; skb1 is not null; skb1 = skb1.next)
            {
                // skb_checksum: a reply too big for SKB_MAX_ALLOC is paged (__ip_append_data).
                var toff = skb1.transport_header - skb1.data;
                var len = skb1.len - toff;
                csum = checksum_h.csum_block_add(csum, skb_checksum(skb1, toff, len, 0), pos);
                pos += len;
            }

            icmph.checksum = checksum_h.csum_fold(csum);
            skb.ip_summed = CHECKSUM_NONE;
            ip_push_pending_frames(sk, ref fl4);
        }
    }

    // net/ipv4/icmp.c: icmp_reply
    /// <summary>Answers an ICMP request (echo) to its sender, from the address it was sent to.</summary>
    [Borrows("skb")]
    private static void icmp_reply(icmp_bxm icmp_param, sk_buff skb)
    {
        // not ported: dev_net_rcu — the port uses nd_net
        // not ported: icmp_xmit_lock, icmp_xmit_unlock — one thread: no locks, RCU grace periods, BH or preemption to guard against
        // not ported: ip_rt_put — route references are counted (dst.__rcuref, bookkeeping only: the garbage collector frees routes), but this take or put is not made here, so the count need not balance
        // not ported: l3mdev_master_ifindex — no VRF (l3mdev) devices in the simulation
        // not ported: ip_options_echo — written out: __ip_options_echo with the request's IPCB options; icmpv4_global_allow —
        //   the global icmp_msgs_per_sec credit is not ported (the header); ipcm_init — the cookie is made with new
        // not ported: flowi4_to_flowi_common — only for the LSM's security_skb_classify_flow (no LSM); sock_net_uid —
        //   flows carry no uid
        var rt = skb_rtable(skb)!;
        var net = rt.dev!.nd_net;

        // The request's options come back: record route and timestamp with our entry, a source route reversed.
        if (ip_options_c.__ip_options_echo(net, icmp_param.replyopts, skb, IPCB(skb).opt) != 0)
        {
            return;
        }

        var iph = ip_hdr(skb);
        local_bh_disable(net.k);
        var sk = icmp_sk(net);
        var daddr = iph.saddr;
        // IP4_REPLY_MARK: fwmark_reflect is not ported (0), so the reply carries no mark
        var ipc = new ipcm_cookie { tos = iph.tos, addr = iph.saddr, mark = 0 };
        if (icmp_param.replyopts.optlen != 0)
        {
            ipc.opt = icmp_param.replyopts;
            if (ipc.opt.srr != 0)
            {
                daddr = icmp_param.replyopts.faddr;
            }
        }

        var fl4 = new flowi4
        {
            daddr = daddr,
            saddr = fib_frontend_c.fib_compute_spec_dst(skb),
            flowi4_mark = ipc.mark,
            flowi4_tos = ip4h_dscp(iph),
            flowi4_proto = IPPROTO_ICMP,

            // fl4_icmp_type stays 0, as 6.18 leaves it: the echo reply's type, which __ip_make_skb counts.
        };
        var rtOut = ip_route_output_key(net, ref fl4, out _);
        if (rtOut is not null && icmpv4_xrlim_allow(net, rtOut, ref fl4, icmp_param.type, icmp_param.code))
        {
            icmp_push_reply(sk, icmp_param, ref fl4, ref ipc, rtOut);
        }

        local_bh_enable(net.k);
    }

    // net/ipv4/icmp.c: __icmp_send
    /// <summary>
    /// Sends an ICMP error about <paramref name="skb_in"/> to its source: the
    /// original IP header and as much of its data as fits in 576 bytes.
    /// Never about an ICMP error, a fragment tail, or a packet not for us.
    /// </summary>
    [Borrows("skb_in")]
    public static void __icmp_send(sk_buff skb_in, byte type, byte code, uint info)
    {
        // not ported: dev_net_rcu — the port uses nd_net
        // not ported: icmp_xmit_lock, icmp_xmit_unlock — one thread: no locks, RCU grace periods, BH or preemption to guard against
        // not ported: ip_rt_put — route references are counted (dst.__rcuref, bookkeeping only: the garbage collector frees routes), but this take or put is not made here, so the count need not balance
        // not ported: skb_network_header, skb_network_offset, skb_tail_pointer — field accessors: the port reads or sets these fields directly
        // not ported: rt_is_input_route, dev_get_by_index_rcu, inet_iif, inet_select_addr — icmp_errors_use_inbound_ifaddr
        //   is not a knob here (0, the default): an error about a packet not for us takes its source from the route (saddr 0)
        // not ported: RT_TOS, inet_dsfield_to_dscp — written out (& IPTOS_TOS_MASK, & INET_DSCP_MASK); skb_header_pointer —
        //   the quoted ICMP type is read from the linear head after a bounds check; icmpv4_global_allow — the global
        //   icmp_msgs_per_sec credit is not ported (the header); ipcm_init — the cookie is made with new
        var rt = skb_rtable(skb_in);
        if (rt is null || skb_in.network_header == 0xffff)
        {
            return;
        }

        var net = (rt.dev ?? skb_in.dev)!.nd_net;
        var iph = ip_hdr(skb_in);
        if (skb_in.network_header + iphdr.Size > skb_in.tail)
        {
            return;
        }

        if (skb_in.pkt_type != PACKET_HOST)
        {
            return;
        }

        if ((rt.rt_flags & (RTCF_BROADCAST | RTCF_MULTICAST)) != 0)
        {
            return;
        }

        if ((iph.frag_off & Include.Uapi.Linux.ip_h.IP_OFFSET) != 0)
        {
            return;
        }

        if (icmp_is_error(type) && iph.protocol == IPPROTO_ICMP)
        {
            // Only informational ICMP may be answered with an error; a type
            // past NR_ICMP_TYPES is taken for an error too.
            var inner = skb_in.network_header + (iph.ihl * 4);
            if (inner + 1 > skb_in.tail || skb_in.head[inner] > NR_ICMP_TYPES || icmp_is_error(skb_in.head[inner]))
            {
                return;
            }
        }

        local_bh_disable(net.k);
        var saddr = iph.daddr;
        if ((rt.rt_flags & RTCF_LOCAL) == 0)
        {
            saddr = 0;
        }

        var tos = icmp_is_error(type) ? (byte)((iph.tos & 0x1e) | 0xc0) : iph.tos;
        var icmp_param = new icmp_bxm
        {
            skb = skb_in,
            offset = skb_in.network_header - skb_in.data,
            head_len = icmphdr.Size,
            type = type,
            code = code,
            un = info,
        };
        // The options a reply carries back (record route, timestamp, a reversed source route).
        if (ip_options_c.__ip_options_echo(net, icmp_param.replyopts, skb_in, IPCB(skb_in).opt) != 0)
        {
            goto out_bh_enable;
        }

        var sk = icmp_sk(net);
        // IP4_REPLY_MARK: fwmark_reflect is not ported (0), so the error carries no mark
        var ipc = new ipcm_cookie { tos = tos, addr = iph.saddr, mark = 0, opt = icmp_param.replyopts };
        var fl4 = new flowi4
        {
            daddr = icmp_param.replyopts.srr != 0 ? icmp_param.replyopts.faddr : iph.saddr,
            saddr = saddr,
            flowi4_mark = ipc.mark,
            flowi4_tos = (byte)(tos & 0xfc),
            flowi4_proto = IPPROTO_ICMP,

            // icmp_route_lookup: the flow names the error (__ip_make_skb counts OutType by it).
            fl4_icmp_type = type,
            fl4_icmp_code = code,
        };
        var rtOut = ip_route_output_key(net, ref fl4, out _);
        if (rtOut is null)
        {
            goto out_bh_enable;
        }

        if (!icmpv4_xrlim_allow(net, rtOut, ref fl4, type, code))
        {
            goto out_bh_enable;
        }

        var room = (int)Math.Min(dst_h.dst_mtu(rtOut), 576u);
        room -= iphdr.Size + icmp_param.replyopts.optlen;
        room -= icmphdr.Size;
        if (room <= iphdr.Size)
        {
            goto out_bh_enable;
        }

        icmp_param.data_len = Math.Min(skb_in.len - icmp_param.offset, room);
        if (fl4.saddr == 0)
        {
            fl4.saddr = INADDR_DUMMY;
        }

        Include.Trace.Events.icmp_h.trace_icmp_send(skb_in, type, code);

        icmp_push_reply(sk, icmp_param, ref fl4, ref ipc, rtOut);

    out_bh_enable:
        local_bh_enable(net.k);
    }

    // net/ipv4/icmp.c: icmp_socket_deliver
    /// <summary>Hands an ICMP error to the protocol of the quoted packet (udp_err for UDP).</summary>
    [Borrows("skb")]
    private static void icmp_socket_deliver(sk_buff skb, uint info)
    {
        // not ported: raw_icmp_error — ICMP errors about a raw socket's own packets are not ported (see raw.cs's header)
        // not ported: __ICMP_INC_STATS — the port uses ICMP_INC_STATS
        // not ported: dev_net_rcu — the port uses nd_net
        var iph = new iphdr(skb.head.AsSpan(skb.data));
        var protocol = iph.protocol;
        if (!pskb_may_pull(skb, (iph.ihl * 4) + 8))
        {
            ICMP_INC_STATS(skb.dev!.nd_net, icmp_mib_field.ICMP_MIB_INERRORS);
            return;
        }

        var ipprot = skb.k.globals<protocol_globals>().inet_protos[protocol];
        ipprot?.err_handler?.Invoke(skb, info);
    }

    // net/ipv4/icmp.c: icmp_unreach
    /// <summary>Destination unreachable, time exceeded, parameter problem: counted and delivered to the socket.</summary>
    [Borrows("skb")]
    private static skb_drop_reason icmp_unreach(sk_buff skb)
    {
        // not ported: __ICMP_INC_STATS — the port uses ICMP_INC_STATS
        // not ported: ip_hdr — field accessors: the port reads or sets these fields directly
        // not ported: net_dbg_ratelimited — a debug-level message, off unless dynamic debug enables it: nothing is logged
        // not ported: skb_dst_dev_net_rcu — the port uses nd_net
        // not ported: inet_addr_type_dev_table — icmp_ignore_bogus_error_responses is not a knob here (1, the default): an
        //   error quoting a broadcast is not singled out
        var reason = skb_drop_reason.SKB_NOT_DROPPED_YET;
        var net = skb_rtable(skb)!.dev!.nd_net;
        uint info = 0;
        if (!pskb_may_pull(skb, iphdr.Size))
        {
            goto out_err;
        }

        var icmph = icmp_hdr(skb);
        var iph = new iphdr(skb.head.AsSpan(skb.data));
        if (iph.ihl < 5)
        {
            reason = skb_drop_reason.SKB_DROP_REASON_IP_INHDR;
            goto out_err;
        }

        switch (icmph.type)
        {
            case ICMP_DEST_UNREACH:
                if ((icmph.code & 15) == ICMP_FRAG_NEEDED)
                {
                    // ip_no_pmtu_disc: 0 learns the next hop's MTU, 1 only
                    // logs, 2 refuses the message; 3 (learn only for
                    // protocols that validate it, icmp_tag_validation) is not
                    // ported: no protocol here sets icmp_strict_tag_validation.
                    switch (netns_ipv4.of(net).sysctl_ip_no_pmtu_disc)
                    {
                        case 0:
                            info = icmph.un & 0xffff;
                            break;
                        case 2:
                            goto out_err;
                        case 3:
                            goto out_err;
                        default:
                            break;
                    }
                }

                if (icmph.code > NR_ICMP_UNREACH)
                {
                    goto @out;
                }

                break;
            case ICMP_PARAMETERPROB:
                info = icmph.un >> 24;
                break;
            case ICMP_TIME_EXCEEDED:
                ICMP_INC_STATS(net, icmp_mib_field.ICMP_MIB_INTIMEEXCDS);
                if (icmph.code == ICMP_EXC_FRAGTIME)
                {
                    goto @out;
                }

                break;
        }

        icmp_socket_deliver(skb, info);
    @out:
        return reason;
    out_err:
        ICMP_INC_STATS(net, icmp_mib_field.ICMP_MIB_INERRORS);
        return reason != skb_drop_reason.SKB_NOT_DROPPED_YET ? reason : skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED;
    }

    // net/ipv4/icmp.c: icmp_echo
    /// <summary>An echo request: reply with the same identifier, sequence and data (unless icmp_echo_ignore_all).</summary>
    [Borrows("skb")]
    private static skb_drop_reason icmp_echo(sk_buff skb)
    {
        // not ported: icmp_build_probe — extended echo (RFC 8335 PROBE) is not ported
        // not ported: skb_dst_dev_net_rcu — the port uses nd_net
        var net = skb_rtable(skb)!.dev!.nd_net;
        if (netns_ipv4.of(net).sysctl_icmp_echo_ignore_all)
        {
            return skb_drop_reason.SKB_NOT_DROPPED_YET;
        }

        var icmph = icmp_hdr(skb);
        var icmp_param = new icmp_bxm
        {
            skb = skb,
            offset = 0,
            data_len = skb.len,
            head_len = icmphdr.Size,
            type = ICMP_ECHOREPLY,
            code = icmph.code,
            un = icmph.un,
        };
        icmp_reply(icmp_param, skb);
        return skb_drop_reason.SKB_NOT_DROPPED_YET;
    }

    // net/ipv4/icmp.c: icmp_discard
    [Borrows("skb")]
    private static skb_drop_reason icmp_discard(sk_buff skb) => skb_drop_reason.SKB_NOT_DROPPED_YET;

    /// <summary>icmp_pointers[type].handler.</summary>
    [KernelNet.Annotations.NotInLinux("the icmp_pointers[] table of icmp.c as a switch")]
    private static Func<sk_buff, skb_drop_reason> icmp_handler(byte type) => type switch
    {
        ICMP_DEST_UNREACH or ICMP_TIME_EXCEEDED or ICMP_PARAMETERPROB or ICMP_SOURCE_QUENCH => icmp_unreach,
        ICMP_ECHO => icmp_echo,
        _ => icmp_discard,
    };

    // net/ipv4/icmp.c: icmp_rcv
    /// <summary>
    /// IPPROTO_ICMP's handler: InMsgs, checksum (ICMP_CSUM), per-type
    /// counter, then the type's handler; echo replies go to ping sockets.
    /// </summary>
    [Consumes("skb")]
    public static int icmp_rcv(sk_buff skb)
    {
        // not ported: icmp_echo — extended echo (RFC 8335 PROBE) is not ported; plain echo goes through the icmp_pointers table
        // not ported: __ICMP_INC_STATS — the port uses ICMP_INC_STATS
        // not ported: dev_net_rcu — the port uses nd_net
        // not ported: skb_network_offset — field accessors: the port reads or sets these fields directly
        // not ported: skb_sec_path, xfrm4_policy_check, xfrm4_policy_check_reverse — no IPsec (xfrm) or PSP
        // not ported: ICMPMSGIN_INC_STATS — written out: the IcmpMsg InType counter; pskb_pull — pskb_may_pull, then skb_pull;
        //   skb_set_network_header — only for xfrm's reverse policy check (no xfrm)
        var reason = skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED;
        var rt = skb_rtable(skb)!;
        var net = rt.dev!.nd_net;

        ICMP_INC_STATS(net, icmp_mib_field.ICMP_MIB_INMSGS);
        // skb_checksum_simple_validate: the whole message, a reassembled one's frag_list too.
        if (checksum_h.csum_fold(skb_checksum(skb, 0, skb.len, 0)) != 0)
        {
            goto csum_error;
        }

        if (!pskb_may_pull(skb, icmphdr.Size))
        {
            goto error;
        }

        var type = icmp_hdr(skb).type;
        skb_pull(skb, icmphdr.Size);
        netns_ipv4.of(net).mib.icmpmsg_statistics[type]++;

        if ((rt.rt_flags & (RTCF_BROADCAST | RTCF_MULTICAST)) != 0 && type != ICMP_ECHO && type != ICMP_TIMESTAMP && type != ICMP_ADDRESS && type != ICMP_ADDRESSREPLY)
        {
            reason = skb_drop_reason.SKB_DROP_REASON_INVALID_PROTO;
            goto error;
        }

        if (type == ICMP_ECHOREPLY)
        {
            reason = ping_c.ping_rcv(skb);
            return reason != skb_drop_reason.SKB_NOT_DROPPED_YET ? NET_RX_DROP : NET_RX_SUCCESS;
        }

        if (type > NR_ICMP_TYPES)
        {
            reason = skb_drop_reason.SKB_DROP_REASON_UNHANDLED_PROTO;
            goto error;
        }

        reason = icmp_handler(type)(skb);
        if (reason == skb_drop_reason.SKB_NOT_DROPPED_YET)
        {
            consume_skb(skb);
            return NET_RX_SUCCESS;
        }

    drop:
        kfree_skb_reason(skb, reason);
        return NET_RX_DROP;

    csum_error:
        reason = skb_drop_reason.SKB_DROP_REASON_ICMP_CSUM;
        ICMP_INC_STATS(net, icmp_mib_field.ICMP_MIB_CSUMERRORS);
    error:
        ICMP_INC_STATS(net, icmp_mib_field.ICMP_MIB_INERRORS);
        goto drop;
    }

    // not ported: inet_ctl_sock_create, sock_set_flag, SKB_TRUESIZE — the ICMP socket is made per namespace on first use
    //   (icmp_sk, the header's departure), pmtudisc DONT; its sk_sndbuf is not raised: sends are not charged to a socket's
    //   wmem here (ip_output.c's header); register_pernet_subsys — the ICMP sysctls come with netns_ipv4
    // net/ipv4/icmp.c: icmp_init
    /// <summary>Registers IPPROTO_ICMP's handler.</summary>
    public static int icmp_init(Vmlinux k) => protocol_c.inet_add_protocol(k, new net_protocol { handler = icmp_rcv }, IPPROTO_ICMP);
}
