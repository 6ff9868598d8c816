// Ports net/ipv4/ip_options.c: the IPv4 header options — checking a received
// packet's options (ip_options_compile, which records this host in record
// route and timestamp options as RFC 791 asks), echoing them back in a reply
// (__ip_options_echo), writing options into a header being built
// (ip_options_build), and a router's share of record route (ip_forward_options).
//
// Offsets in struct ip_options count from the start of the IP header, as in C;
// a received packet's options are read and changed in place in its header.
//
// not ported: options from user space (ip_options_get, ip_options_undo and the
// !skb path of __ip_options_compile: IP_OPTIONS / IP_RETOPTS are not ported),
// ip_options_fragment (no caller: ip_do_fragment copies the header of the first
// fragment, and the only packets built with options are ICMP replies of at most
// 576 bytes).
using System;
using System.Buffers.Binary;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.ip_h;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Include.Net.route_h;
using static KernelNet.Kernel.Include.Uapi.Linux.ip_h;

namespace KernelNet.Kernel.Net.Ipv4;

public static class ip_options_c
{
    // net/ipv4/ip_options.c: ip_options_build
    /// <summary>
    /// Copies <paramref name="opt"/> into the header of a packet being built
    /// (right after the 20 fixed bytes) and fills in what it asked for: the
    /// source route's final destination, this host's address in record route
    /// and timestamp, the time in a timestamp. Keeps the options in IPCB.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void ip_options_build(sk_buff skb, ip_options opt, uint daddr, rtable rt)
    {
        // not ported: skb_network_header — field accessors: the port reads or sets these fields directly
        var b = skb.head;
        var iph = skb.network_header;
        var cb = IPCB_opt_set(skb, opt);
        opt.__data.AsSpan(0, opt.optlen).CopyTo(b.AsSpan(iph + iphdr.Size));
        opt = cb;

        if (opt.srr != 0)
        {
            BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(iph + opt.srr + b[iph + opt.srr + 1] - 4), daddr);
        }

        if (opt.rr_needaddr)
        {
            route_c.ip_rt_get_source(b.AsSpan(iph + opt.rr + b[iph + opt.rr + 2] - 5), skb, rt);
        }

        if (opt.ts_needaddr)
        {
            route_c.ip_rt_get_source(b.AsSpan(iph + opt.ts + b[iph + opt.ts + 2] - 9), skb, rt);
        }

        if (opt.ts_needtime)
        {
            var midtime = af_inet_c.inet_current_timestamp(skb.k);
            BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(iph + opt.ts + b[iph + opt.ts + 2] - 5), midtime);
        }
    }

    /// <summary>The memcpy of opt into IPCB(skb)->opt: the skb's control block keeps its own copy.</summary>
    [KernelNet.Annotations.NotInLinux("C# write of IPCB(skb)->opt, which C writes through a cast of skb->cb")]
    [KernelNet.Annotations.Borrows("skb")]
    private static ip_options IPCB_opt_set(sk_buff skb, ip_options opt)
    {
        var cb = Include.Net.ip_h.IPCB(skb).opt;
        cb.faddr = opt.faddr;
        cb.nexthop = opt.nexthop;
        cb.optlen = opt.optlen;
        cb.srr = opt.srr;
        cb.rr = opt.rr;
        cb.ts = opt.ts;
        cb.is_strictroute = opt.is_strictroute;
        cb.srr_is_hit = opt.srr_is_hit;
        cb.is_changed = opt.is_changed;
        cb.rr_needaddr = opt.rr_needaddr;
        cb.ts_needtime = opt.ts_needtime;
        cb.ts_needaddr = opt.ts_needaddr;
        cb.router_alert = opt.router_alert;
        cb.cipso = opt.cipso;
        opt.__data.CopyTo(cb.__data, 0);
        return cb;
    }

    // net/ipv4/ip_options.c: __ip_options_echo
    /// <summary>
    /// Builds in <paramref name="dopt"/> the options a reply to
    /// <paramref name="skb"/> carries: record route and timestamp copied
    /// with room taken for this host's entry (if there is room left), a
    /// source route reversed, CIPSO copied; padded with EOL to 4 bytes.
    /// -EINVAL when an option has a slot too short for the entry it wants.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static int __ip_options_echo(net net, ip_options dopt, sk_buff skb, ip_options sopt)
    {
        // not ported: skb_network_header — field accessors: the port reads or sets these fields directly
        int soffset, doffset;
        int optlen;

        ip_options_clear(dopt);

        if (sopt.optlen == 0)
        {
            return 0;
        }

        var sptr = skb.head.AsSpan(skb.network_header);
        var dptr = dopt.__data.AsSpan();
        var d = 0;

        if (sopt.rr != 0)
        {
            optlen = sptr[sopt.rr + 1];
            soffset = sptr[sopt.rr + 2];
            dopt.rr = dopt.optlen + iphdr.Size;
            sptr.Slice(sopt.rr, optlen).CopyTo(dptr[d..]);
            if (sopt.rr_needaddr && soffset <= optlen)
            {
                if (soffset + 3 > optlen)
                {
                    return -Include.Uapi.AsmGeneric.errno_base_h.EINVAL;
                }

                dptr[d + 2] = (byte)(soffset + 4);
                dopt.rr_needaddr = true;
            }

            d += optlen;
            dopt.optlen += optlen;
        }

        if (sopt.ts != 0)
        {
            optlen = sptr[sopt.ts + 1];
            soffset = sptr[sopt.ts + 2];
            dopt.ts = dopt.optlen + iphdr.Size;
            sptr.Slice(sopt.ts, optlen).CopyTo(dptr[d..]);
            if (soffset <= optlen)
            {
                if (sopt.ts_needaddr)
                {
                    if (soffset + 3 > optlen)
                    {
                        return -Include.Uapi.AsmGeneric.errno_base_h.EINVAL;
                    }

                    dopt.ts_needaddr = true;
                    soffset += 4;
                }

                if (sopt.ts_needtime)
                {
                    if (soffset + 3 > optlen)
                    {
                        return -Include.Uapi.AsmGeneric.errno_base_h.EINVAL;
                    }

                    if ((dptr[d + 3] & 0xF) != IPOPT_TS_PRESPEC)
                    {
                        dopt.ts_needtime = true;
                        soffset += 4;
                    }
                    else
                    {
                        dopt.ts_needtime = false;

                        if (soffset + 7 <= optlen)
                        {
                            var addr = BinaryPrimitives.ReadUInt32BigEndian(dptr[(d + soffset - 1)..]);
                            if (fib_frontend_c.inet_addr_type(net, addr) != rtn_type.RTN_UNICAST)
                            {
                                dopt.ts_needtime = true;
                                soffset += 8;
                            }
                        }
                    }
                }

                dptr[d + 2] = (byte)soffset;
            }

            d += optlen;
            dopt.optlen += optlen;
        }

        if (sopt.srr != 0)
        {
            var start = sptr[sopt.srr..];
            uint faddr = 0;

            optlen = start[1];
            soffset = start[2];
            doffset = 0;
            if (soffset > optlen)
            {
                soffset = optlen + 1;
            }

            soffset -= 4;
            if (soffset > 3)
            {
                faddr = BinaryPrimitives.ReadUInt32BigEndian(start[(soffset - 1)..]);
                for (soffset -= 4, doffset = 4; soffset > 3; soffset -= 4, doffset += 4)
                {
                    start.Slice(soffset - 1, 4).CopyTo(dptr[(d + doffset - 1)..]);
                }

                // RFC 1812: a route that names the source itself is corrected.
                if (BinaryPrimitives.ReadUInt32BigEndian(start[(soffset + 3)..]) == ip_hdr(skb).saddr)
                {
                    doffset -= 4;
                }
            }

            if (doffset > 3)
            {
                dopt.faddr = faddr;
                dptr[d] = start[0];
                dptr[d + 1] = (byte)(doffset + 3);
                dptr[d + 2] = 4;
                d += doffset + 3;
                dopt.srr = dopt.optlen + iphdr.Size;
                dopt.optlen += doffset + 3;
                dopt.is_strictroute = sopt.is_strictroute;
            }
        }

        if (sopt.cipso != 0)
        {
            optlen = sptr[sopt.cipso + 1];
            dopt.cipso = dopt.optlen + iphdr.Size;
            sptr.Slice(sopt.cipso, optlen).CopyTo(dptr[d..]);
            d += optlen;
            dopt.optlen += optlen;
        }

        while ((dopt.optlen & 3) != 0)
        {
            dptr[d++] = IPOPT_END;
            dopt.optlen++;
        }

        return 0;
    }

    /// <summary>The memset(dopt, 0, sizeof(*dopt)) that starts __ip_options_echo.</summary>
    [KernelNet.Annotations.NotInLinux("memset(opt, 0, sizeof(*opt)) on ip_options")]
    private static void ip_options_clear(ip_options o)
    {
        o.faddr = 0;
        o.nexthop = 0;
        o.optlen = 0;
        o.srr = 0;
        o.rr = 0;
        o.ts = 0;
        o.is_strictroute = false;
        o.srr_is_hit = false;
        o.is_changed = false;
        o.rr_needaddr = false;
        o.ts_needtime = false;
        o.ts_needaddr = false;
        o.router_alert = 0;
        o.cipso = 0;
        Array.Clear(o.__data);
    }

    // net/ipv4/ip_options.c: spec_dst_fill
    /// <summary>Computes this host's address for the packet (fib_compute_spec_dst) once, on first need.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static void spec_dst_fill(ref uint spec_dst, sk_buff skb)
    {
        if (spec_dst == 0 /* INADDR_ANY */)
        {
            spec_dst = fib_frontend_c.fib_compute_spec_dst(skb);
        }
    }

    // net/ipv4/ip_options.c: __ip_options_compile
    /// <summary>
    /// Walks the options in a received packet's header (opt.optlen bytes
    /// after the fixed 20) and notes where each known one is. Record route
    /// and timestamp options with room left get this host's address and/or
    /// the time written into their next slot (or their overflow count
    /// raised), as a host on the path must. A malformed option — length
    /// below 2 or past the header, a pointer out of range, a second record
    /// route or timestamp or source route, a short router alert — gives
    /// -EINVAL with <paramref name="info"/> the ICMP parameter problem
    /// pointer (the offset of the bad byte in the header, in the top byte).
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static int __ip_options_compile(net net, ip_options opt, sk_buff skb, out uint info)
    {
        // not ported: ip_hdr — field accessors: the port reads or sets these fields directly
        uint spec_dst = 0;
        int pp_ptr = -1;
        var b = skb.head;
        var iph = skb.network_header;
        var rt = skb_rtable(skb);
        var optptr = iph + iphdr.Size;
        int optlen, l;

        info = 0;

        // not ported: the !skb path (options handed in by setsockopt IP_OPTIONS: not ported).
        for (l = opt.optlen; l > 0;)
        {
            switch (b[optptr])
            {
                case IPOPT_END:
                    for (optptr++, l--; l > 0; optptr++, l--)
                    {
                        if (b[optptr] != IPOPT_END)
                        {
                            b[optptr] = IPOPT_END;
                            opt.is_changed = true;
                        }
                    }

                    goto eol;
                case IPOPT_NOOP:
                    l--;
                    optptr++;
                    continue;
            }

            if (l < 2)
            {
                pp_ptr = optptr;
                goto error;
            }

            optlen = b[optptr + 1];
            if (optlen < 2 || optlen > l)
            {
                pp_ptr = optptr;
                goto error;
            }

            switch (b[optptr])
            {
                case IPOPT_SSRR:
                case IPOPT_LSRR:
                    if (optlen < 3)
                    {
                        pp_ptr = optptr + 1;
                        goto error;
                    }

                    if (b[optptr + 2] < 4)
                    {
                        pp_ptr = optptr + 2;
                        goto error;
                    }

                    // RFC 1812 5.2.4.1: one source route per packet.
                    if (opt.srr != 0)
                    {
                        pp_ptr = optptr;
                        goto error;
                    }

                    opt.is_strictroute = b[optptr] == IPOPT_SSRR;
                    opt.srr = optptr - iph;
                    break;
                case IPOPT_RR:
                    if (opt.rr != 0)
                    {
                        pp_ptr = optptr;
                        goto error;
                    }

                    if (optlen < 3)
                    {
                        pp_ptr = optptr + 1;
                        goto error;
                    }

                    if (b[optptr + 2] < 4)
                    {
                        pp_ptr = optptr + 2;
                        goto error;
                    }

                    if (b[optptr + 2] <= optlen)
                    {
                        if (b[optptr + 2] + 3 > optlen)
                        {
                            pp_ptr = optptr + 2;
                            goto error;
                        }

                        if (rt is not null)
                        {
                            spec_dst_fill(ref spec_dst, skb);
                            BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(optptr + b[optptr + 2] - 1), spec_dst);
                            opt.is_changed = true;
                        }

                        b[optptr + 2] += 4;
                        opt.rr_needaddr = true;
                    }

                    opt.rr = optptr - iph;
                    break;
                case IPOPT_TIMESTAMP:
                    if (opt.ts != 0)
                    {
                        pp_ptr = optptr;
                        goto error;
                    }

                    if (optlen < 4)
                    {
                        pp_ptr = optptr + 1;
                        goto error;
                    }

                    if (b[optptr + 2] < 5)
                    {
                        pp_ptr = optptr + 2;
                        goto error;
                    }

                    if (b[optptr + 2] <= optlen)
                    {
                        var timeptr = -1;
                        if (b[optptr + 2] + 3 > optlen)
                        {
                            pp_ptr = optptr + 2;
                            goto error;
                        }

                        switch (b[optptr + 3] & 0xF)
                        {
                            case IPOPT_TS_TSONLY:
                                timeptr = optptr + b[optptr + 2] - 1;
                                opt.ts_needtime = true;
                                b[optptr + 2] += 4;
                                break;
                            case IPOPT_TS_TSANDADDR:
                                if (b[optptr + 2] + 7 > optlen)
                                {
                                    pp_ptr = optptr + 2;
                                    goto error;
                                }

                                if (rt is not null)
                                {
                                    spec_dst_fill(ref spec_dst, skb);
                                    BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(optptr + b[optptr + 2] - 1), spec_dst);
                                    timeptr = optptr + b[optptr + 2] + 3;
                                }

                                opt.ts_needaddr = true;
                                opt.ts_needtime = true;
                                b[optptr + 2] += 8;
                                break;
                            case IPOPT_TS_PRESPEC:
                                if (b[optptr + 2] + 7 > optlen)
                                {
                                    pp_ptr = optptr + 2;
                                    goto error;
                                }

                                {
                                    var addr = BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(optptr + b[optptr + 2] - 1));
                                    if (fib_frontend_c.inet_addr_type(net, addr) == rtn_type.RTN_UNICAST)
                                    {
                                        break;
                                    }

                                    timeptr = optptr + b[optptr + 2] + 3;
                                }

                                opt.ts_needtime = true;
                                b[optptr + 2] += 8;
                                break;
                            default:
                                // an unknown flag is let through on a received packet
                                break;
                        }

                        if (timeptr >= 0)
                        {
                            var midtime = af_inet_c.inet_current_timestamp(skb.k);
                            BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(timeptr), midtime);
                            opt.is_changed = true;
                        }
                    }
                    else if ((b[optptr + 3] & 0xF) != IPOPT_TS_PRESPEC)
                    {
                        // No room left: count this hop in the overflow nibble.
                        var overflow = b[optptr + 3] >> 4;
                        if (overflow == 15)
                        {
                            pp_ptr = optptr + 3;
                            goto error;
                        }

                        b[optptr + 3] = (byte)((b[optptr + 3] & 0xF) | ((overflow + 1) << 4));
                        opt.is_changed = true;
                    }

                    opt.ts = optptr - iph;
                    break;
                case IPOPT_RA:
                    if (optlen < 4)
                    {
                        pp_ptr = optptr + 1;
                        goto error;
                    }

                    if (b[optptr + 2] == 0 && b[optptr + 3] == 0)
                    {
                        opt.router_alert = optptr - iph;
                    }

                    break;
                case IPOPT_CIPSO:
                    if (opt.cipso != 0)
                    {
                        pp_ptr = optptr;
                        goto error;
                    }

                    opt.cipso = optptr - iph;
                    var err_offset = cipso_ipv4_c.cipso_v4_validate(skb, b.AsSpan(optptr));
                    if (err_offset != 0)
                    {
                        pp_ptr = optptr + err_offset;
                        goto error;
                    }

                    break;
                default:
                    // IPOPT_SEC, IPOPT_SID and unknown options: passed over on a received packet.
                    break;
            }

            l -= optlen;
            optptr += optlen;
        }

    eol:
        if (pp_ptr < 0)
        {
            return 0;
        }

    error:
        info = (uint)(pp_ptr - iph) << 24;
        return -Include.Uapi.AsmGeneric.errno_base_h.EINVAL;
    }

    // net/ipv4/ip_options.c: ip_options_compile
    /// <summary>__ip_options_compile on a received packet; a malformed option is answered with ICMP parameter problem pointing at it.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static int ip_options_compile(net net, ip_options opt, sk_buff skb)
    {
        var ret = __ip_options_compile(net, opt, skb, out var info);
        if (ret != 0)
        {
            Include.Net.icmp_h.icmp_send(skb, Include.Uapi.Linux.icmp_h.ICMP_PARAMETERPROB, 0, info);
        }

        return ret;
    }

    // net/ipv4/ip_options.c: ip_forward_options
    /// <summary>
    /// A router's part of the options of a packet it forwards: its outgoing
    /// address into the record route slot ip_options_compile reserved, and
    /// the header checksum made right again if anything changed.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void ip_forward_options(sk_buff skb)
    {
        // not ported: net_crit_ratelimited — the 'Destination lost' message of a should-not-happen branch: the port has a kernel log (printk) but does not write this line
        // not ported: skb_network_header — field accessors: the port reads or sets these fields directly
        var opt = Include.Net.ip_h.IPCB(skb).opt;
        var rt = skb_rtable(skb)!;
        var raw = skb.head;
        var nh = skb.network_header;

        if (opt.rr_needaddr)
        {
            var optptr = nh + opt.rr;
            route_c.ip_rt_get_source(raw.AsSpan(optptr + raw[optptr + 2] - 5), skb, rt);
            opt.is_changed = true;
        }

        if (opt.srr_is_hit)
        {
            int srrptr, srrspace;
            var optptr = nh + opt.srr;

            // find the slot that names the next hop ip_options_rcv_srr chose
            for (srrptr = raw[optptr + 2], srrspace = raw[optptr + 1]; srrptr <= srrspace; srrptr += 4)
            {
                if (srrptr + 3 > srrspace)
                {
                    break;
                }

                if (BinaryPrimitives.ReadUInt32BigEndian(raw.AsSpan(optptr + srrptr - 1)) == opt.nexthop)
                {
                    break;
                }
            }

            if (srrptr + 3 <= srrspace)
            {
                // the hop becomes the destination; this router's outgoing address takes its slot
                opt.is_changed = true;
                ip_hdr(skb).daddr = opt.nexthop;
                route_c.ip_rt_get_source(raw.AsSpan(optptr + srrptr - 1), skb, rt);
                raw[optptr + 2] = (byte)(srrptr + 4);
            }

            // else: not ported: net_crit_ratelimited — the kernel log is not modelled (the route lost its hop).
            if (opt.ts_needaddr)
            {
                optptr = nh + opt.ts;
                route_c.ip_rt_get_source(raw.AsSpan(optptr + raw[optptr + 2] - 9), skb, rt);
                opt.is_changed = true;
            }
        }

        if (opt.is_changed)
        {
            opt.is_changed = false;
            ip_output_c.ip_send_check(ip_hdr(skb));
        }
    }

    // net/ipv4/ip_options.c: ip_options_rcv_srr
    /// <summary>
    /// An accepted source route in a received packet: when the packet is
    /// addressed to this host, the route's next listed hop is looked up
    /// (hops that are this host's own addresses are skipped, each becoming
    /// the destination) and the packet gets the route towards it, with
    /// srr_is_hit and nexthop set for ip_forward_options. A strict route
    /// on a packet that was only passing by is answered with parameter
    /// problem (pointer 16), as is a route with a partial slot. 0 to go on,
    /// -EINVAL to drop (the caller frees the skb).
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static int ip_options_rcv_srr(sk_buff skb, net_device dev)
    {
        var opt = Include.Net.ip_h.IPCB(skb).opt;
        int srrspace, srrptr;
        uint nexthop = 0;
        var iph = ip_hdr(skb);
        var raw = skb.head;
        var optptr = skb_network_header(skb) + opt.srr;
        var rt = skb_rtable(skb);
        rtable? rt2;
        Include.Net.dst_entry? orefdst;
        int err;

        if (rt is null)
        {
            return 0;
        }

        if (skb.pkt_type != PACKET_HOST)
        {
            return -Include.Uapi.AsmGeneric.errno_base_h.EINVAL;
        }

        if (rt.rt_type == rtn_type.RTN_UNICAST)
        {
            if (!opt.is_strictroute)
            {
                return 0;
            }

            Include.Net.icmp_h.icmp_send(skb, Include.Uapi.Linux.icmp_h.ICMP_PARAMETERPROB, 0, 16u << 24);
            return -Include.Uapi.AsmGeneric.errno_base_h.EINVAL;
        }

        if (rt.rt_type != rtn_type.RTN_LOCAL)
        {
            return -Include.Uapi.AsmGeneric.errno_base_h.EINVAL;
        }

        for (srrptr = raw[optptr + 2], srrspace = raw[optptr + 1]; srrptr <= srrspace; srrptr += 4)
        {
            if (srrptr + 3 > srrspace)
            {
                Include.Net.icmp_h.icmp_send(skb, Include.Uapi.Linux.icmp_h.ICMP_PARAMETERPROB, 0, (uint)(opt.srr + 2) << 24);
                return -Include.Uapi.AsmGeneric.errno_base_h.EINVAL;
            }

            nexthop = BinaryPrimitives.ReadUInt32BigEndian(raw.AsSpan(optptr + srrptr - 1));

            orefdst = skb_dstref_steal(skb);
            err = route_h.ip_route_input(skb, nexthop, iph.saddr, Include.Net.ip_h.ip4h_dscp(iph), dev) != Include.Net.skb_drop_reason.SKB_NOT_DROPPED_YET
                ? -Include.Uapi.AsmGeneric.errno_base_h.EINVAL
                : 0;
            rt2 = skb_rtable(skb);
            if (err != 0 || (rt2!.rt_type != rtn_type.RTN_UNICAST && rt2.rt_type != rtn_type.RTN_LOCAL))
            {
                Include.Net.dst_h.skb_dst_drop(skb);
                skb_dstref_restore(skb, orefdst);
                return -Include.Uapi.AsmGeneric.errno_base_h.EINVAL;
            }

            // not ported: refdst_drop — the old route is not reference counted in the port.
            if (rt2.rt_type != rtn_type.RTN_LOCAL)
            {
                break;
            }

            // the hop is this host: it becomes the destination, and the walk goes on
            iph.daddr = nexthop;
            opt.is_changed = true;
        }

        if (srrptr <= srrspace)
        {
            opt.srr_is_hit = true;
            opt.nexthop = nexthop;
            opt.is_changed = true;
        }

        return 0;
    }
}
