// Ports net/ipv4/route.c: the input route of a received packet and the
// output route of a sent one, built from FIB lookups.
//
// Route caching is 6.18's: a FIB lookup on every packet, then the route
// cached in the next hop it found (nhc_rth_input for input, one
// nhc_pcpu_rth_output per CPU for output), valid while not obsolete and of
// the namespace's current rt_genid (rt_cache_flush bumps it).
//
// not ported: routes cached in next-hop exceptions (fnhe_rth_input/output:
// a destination with an exception gets a fresh route per lookup, carrying
// the exception), the uncached list (rt_add_uncached_list: device
// unregistration re-homing routes), multicast routing, multipath,
// sending and receiving redirects (ip_rt_send_redirect, ip_do_redirect: the
// scenarios' routers never forward out of the interface a packet came in
// on), the fnhe hash (a list per next hop: a handful of destinations).
using KernelNet.Kernel.Drivers.Char;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using KernelNet.Kernel.Lib;
using static KernelNet.Kernel.Include.Linux.inetdevice_h;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Include.Net.dst_h;
using static KernelNet.Kernel.Include.Net.ip_fib_h;
using static KernelNet.Kernel.Include.Net.net_namespace_h;
using static KernelNet.Kernel.Include.Net.route_h;
using static KernelNet.Kernel.Net.Ipv4.devinet_c;
using static KernelNet.Kernel.Net.Ipv4.fib_frontend_c;

namespace KernelNet.Kernel.Net.Ipv4;

/// <summary>route.c's IP ID state, one per kernel: counters and last-use stamps, hashed to by flow.</summary>
public sealed class route_globals
{
    public uint[] ip_idents { get; set; } = [];

    public uint[] ip_tstamps { get; set; } = [];

    public uint ip_idents_mask { get; set; }
}

public static class route_c
{
    /// <summary>
    /// alloc_large_system_hash's floor for "IP idents" (one bucket per 64 KB
    /// of memory, at least 2048): a simulated machine has little memory.
    /// </summary>
    private const int IP_IDENTS_BUCKETS = 2048;

    // net/ipv4/route.c: ip_rt_init
    /// <summary>Boot: the IP ID table, every counter starting at a random value.</summary>
    public static int ip_rt_init(Vmlinux k)
    {
        // not ported: KMEM_CACHE, dst_entries_init — the port creates no ip_dst_cache kmem_cache (mm/slab counts only the caches it creates) and keeps no dst entry count: a route is a new object the garbage collector frees
        // not ported: rtnl_register_many — no netlink messages or notifier chains
        // not ported: xfrm4_init — no IPsec (xfrm) or PSP
        var g = k.globals<route_globals>();
        g.ip_idents_mask = IP_IDENTS_BUCKETS - 1;
        g.ip_idents = new uint[IP_IDENTS_BUCKETS];
        g.ip_tstamps = new uint[IP_IDENTS_BUCKETS];
        var seed = new byte[IP_IDENTS_BUCKETS * sizeof(uint)];
        random_c.get_random_bytes(k, seed);
        for (var i = 0; i < IP_IDENTS_BUCKETS; i++)
        {
            g.ip_idents[i] = System.BitConverter.ToUInt32(seed, i * sizeof(uint));
        }

        devinet_init(k);
        ip_fib_init(k);

        // not ported: ip_rt_proc_init — /proc/net/rt_cache and /proc/net/stat/rt_cache are not rendered
        // not ported: register_pernet_subsys — the per-namespace route state (rt_genid, the route sysctls,
        //   the inetpeer base) is made with each namespace (netns_ipv4)
        return 0;
    }

    // net/ipv4/route.c: ip_idents_reserve
    /// <summary>
    /// Takes <paramref name="segs"/> IDs from the flow's bucket; a bucket idle
    /// since an earlier jiffy first jumps by a random amount below the idle
    /// time, so a counter cannot be read off by probing it.
    /// </summary>
    private static uint ip_idents_reserve(Vmlinux k, uint hash, int segs)
    {
        var g = k.globals<route_globals>();
        var bucket = hash & g.ip_idents_mask;
        var now = (uint)k.jiffies;
        var old = g.ip_tstamps[bucket];
        uint delta = 0;
        if (old != now)
        {
            g.ip_tstamps[bucket] = now;
            delta = random_c.__get_random_u32_below(k, now - old);
        }

        g.ip_idents[bucket] += (uint)segs + delta;
        return g.ip_idents[bucket] - (uint)segs;
    }

    // net/ipv4/route.c: __ip_select_ident
    /// <summary>The ID of a packet outside a connected socket: the counter its (daddr, saddr, protocol) hashes to.</summary>
    public static void __ip_select_ident(net net, Include.Uapi.Linux.iphdr iph, int segs)
    {
        var key = netns_ipv4.of(net).ip_id_key;
        if (siphash_h.siphash_key_is_zero(key))
        {
            random_c.get_random_bytes(net.k, key);
        }

        var hash = (uint)siphash_c.siphash_3u32(iph.daddr, iph.saddr, iph.protocol, key);
        iph.id = (ushort)ip_idents_reserve(net.k, hash, segs);
    }

    // net/ipv4/route.c: rt_is_expired
    /// <summary>The route was made before the namespace's last flush.</summary>
    private static bool rt_is_expired(rtable rth)
    {
        // not ported: dev_net_rcu — the device's namespace is rth.dev.nd_net.
        return rth.rt_genid != rt_genid_ipv4(rth.dev!.nd_net);
    }

    // net/ipv4/route.c: rt_cache_flush
    /// <summary>
    /// Invalidates every cached IPv4 route of the namespace (next hops'
    /// cached routes and sockets' sk_dst_cache alike) by starting a new
    /// generation; the routes are replaced as they are next looked up.
    /// </summary>
    public static void rt_cache_flush(net net)
    {
        rt_genid_bump_ipv4(net);
    }

    [KernelNet.Annotations.NotInLinux("stand-in for include/linux/in.h's ipv4_is_multicast in host order, a header not ported")]
    private static bool ipv4_is_multicast(uint a) => (a & 0xf0000000) == 0xe0000000;

    [KernelNet.Annotations.NotInLinux("stand-in for include/linux/in.h's ipv4_is_lbcast in host order, a header not ported")]
    private static bool ipv4_is_lbcast(uint a) => a == 0xffffffff;

    [KernelNet.Annotations.NotInLinux("stand-in for include/linux/in.h's ipv4_is_zeronet in host order, a header not ported")]
    private static bool ipv4_is_zeronet(uint a) => (a & 0xff000000) == 0;

    [KernelNet.Annotations.NotInLinux("stand-in for include/linux/in.h's ipv4_is_loopback in host order, a header not ported")]
    private static bool ipv4_is_loopback(uint a) => (a & 0xff000000) == 0x7f000000;

    // net/ipv4/route.c: ipv4_send_dest_unreach
    /// <summary>ICMP host unreachable about <paramref name="skb"/> to its sender (no IP options to echo here).</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static void ipv4_send_dest_unreach(sk_buff skb)
    {
        // not ported: __icmp_send — the port uses icmp_send
        // not ported: skb_rtable — field accessors: the port reads or sets these fields directly
        // not ported: __ip_options_compile — the options are not compiled afresh: icmp_send echoes what IPCB(skb).opt holds
        // pskb_network_may_pull: the header must be in the linear data.
        if (skb.network_header + Include.Uapi.Linux.iphdr.Size > skb.tail || Include.Linux.ip_h.ip_hdr(skb).version != 4 || Include.Linux.ip_h.ip_hdr(skb).ihl < 5)
        {
            return;
        }

        icmp_h.icmp_send(skb, Include.Uapi.Linux.icmp_h.ICMP_DEST_UNREACH, Include.Uapi.Linux.icmp_h.ICMP_HOST_UNREACH, 0);
    }

    // net/ipv4/route.c: ipv4_link_failure
    /// <summary>
    /// dst_ops.link_failure of IPv4 routes (neighbour resolution failed):
    /// the sender gets ICMP host unreachable, which its socket's err_handler
    /// turns into EHOSTUNREACH. The route's expiry is not ported (no cache).
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void ipv4_link_failure(sk_buff skb)
    {
        // not ported: skb_rtable — field accessors: the port reads or sets these fields directly
        // not ported: dst_set_expires — the route is not marked expired: its learned path MTU stays in force until the
        //   exception's own expiry, and TCP's negative advice keeps routes (tcp_timer.c)
        ipv4_send_dest_unreach(skb);
    }

    // net/ipv4/route.c: ip_rt_bug
    /// <summary>The output of an input route: sending on it is a kernel bug.</summary>
    [KernelNet.Annotations.Consumes("skb")]
    private static int ip_rt_bug(net net, sock? sk, sk_buff skb)
    {
        // not ported: ip_hdr — field accessors: the port reads or sets these fields directly
        // not ported: kfree_skb — output on an input route is a kernel bug: the port throws instead of freeing and warning
        throw new System.InvalidOperationException($"ip_rt_bug: output on an input route ({skb.dev?.name})");
    }

    // net/ipv4/route.c: ip_rt_get_source
    /// <summary>
    /// Writes into <paramref name="addr"/> this host's address on the way
    /// <paramref name="rt"/> takes (an option's record route or timestamp
    /// slot): the packet's own source on an output route; for a forwarded
    /// packet the preferred source of the route to its destination, or an
    /// address of the outgoing device.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void ip_rt_get_source(System.Span<byte> addr, sk_buff skb, rtable rt)
    {
        uint src;

        if (rt_is_output_route(rt))
        {
            src = Include.Linux.ip_h.ip_hdr(skb).saddr;
        }
        else
        {
            var res = new fib_result();
            var iph = Include.Linux.ip_h.ip_hdr(skb);
            var fl4 = new flowi4
            {
                daddr = iph.daddr,
                saddr = iph.saddr,
                flowi4_tos = Include.Net.ip_h.ip4h_dscp(iph),
                flowi4_oif = rt.dev!.ifindex,
                flowi4_iif = skb.dev!.ifindex,
                flowi4_mark = skb.mark,
            };

            if (fib_lookup(rt.dev.nd_net, fl4, ref res, 0) == 0)
            {
                // not ported: fib_result_prefsrc — written out: the route's prefsrc, else an address of its device for its gateway
                var fa = res.fa!;
                src = fa.fib_prefsrc != 0 ? fa.fib_prefsrc : inet_select_addr(fa.nh_dev!, fa.nh_gw4, fa.fa_scope);
            }
            else
            {
                src = inet_select_addr(rt.dev, rt_nexthop(rt, iph.daddr), RT_SCOPE_UNIVERSE);
            }
        }

        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(addr, src);
    }

    // net/ipv4/route.c: rt_dst_alloc
    /// <summary>
    /// A new route through <paramref name="dev"/>, stamped with the
    /// namespace's generation and due for ipv4_dst_check (FORCE_CHK); the
    /// caller holds its one reference. Local routes deliver, the rest transmit.
    /// </summary>
    private static rtable rt_dst_alloc(net_device dev, uint flags, rtn_type type)
    {
        // not ported: dst_alloc — the route is a C# object (new rtable) with the fields dst_alloc sets; no dst cache or refcount
        // dst_alloc(&ipv4_dst_ops, dev, DST_OBSOLETE_FORCE_CHK, ...): one reference, the caller's.
        // not ported: DST_NOXFRM — no xfrm.
        var rt = new rtable(dev)
        {
            obsolete = DST_OBSOLETE_FORCE_CHK,
            rt_genid = rt_genid_ipv4(dev.nd_net),
            rt_flags = flags,
            rt_type = type,
            output = ip_output_c.ip_output,
        };
        if ((flags & RTCF_LOCAL) != 0)
        {
            rt.input = ip_input_c.ip_local_deliver;
        }

        return rt;
    }

    // not ported: l3mdev_master_dev_rcu — no VRF (l3mdev) devices: the next hop's device, else loopback
    // net/ipv4/route.c: ip_rt_get_dev
    /// <summary>The route's device: its next hop's, or loopback when there is none (unreachable).</summary>
    private static net_device? ip_rt_get_dev(net net, in fib_result res) => res.fa?.nh_dev ?? net.loopback_dev;

    /// <summary>ip_rt_error_cost and ip_rt_error_burst: one ICMP error per second per source, a burst of five.</summary>
    private const ulong ip_rt_error_cost = Vmlinux.HZ;
    private const ulong ip_rt_error_burst = 5 * Vmlinux.HZ;

    // net/ipv4/route.c: ip_error
    /// <summary>
    /// The input of an unreachable route: a host counts and drops; a router
    /// also tells the source (ICMP host or net unreachable), at most as often
    /// as the source's token bucket allows.
    /// </summary>
    [KernelNet.Annotations.Consumes("skb")]
    private static int ip_error(sk_buff skb)
    {
        // not ported: l3mdev_master_ifindex_rcu — no VRF (l3mdev) devices in the simulation
        // not ported: IN_DEV_FORWARD — read as the field in_dev.forwarding; SKB_DR, SKB_DR_SET — the reason is a plain variable;
        //   __IP_INC_STATS — the port uses IP_INC_STATS; __dev_get_by_index — only for an l3mdev master (no VRFs);
        //   inet_getpeer_v4 — the port's inet_getpeer takes the namespace and address (vif 0: no VRFs)
        var rt = skb_rtable(skb)!;
        var dev = skb.dev!;
        var reason = skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED;
        byte code;

        // not ported: l3mdev masters (netif_is_l3_master) — no VRFs.
        var in_dev = __in_dev_get_rcu(dev);
        if (in_dev is null)
        {
            goto @out;
        }

        var net = rt.dev!.nd_net;
        if (!in_dev.forwarding)
        {
            switch (rt.error)
            {
                case errno_h.EHOSTUNREACH:
                    reason = skb_drop_reason.SKB_DROP_REASON_IP_INADDRERRORS;
                    Include.Net.ip_h.IP_INC_STATS(net, Include.Uapi.Linux.ipstats_mib_field.IPSTATS_MIB_INADDRERRORS);
                    break;
                case errno_h.ENETUNREACH:
                    reason = skb_drop_reason.SKB_DROP_REASON_IP_INNOROUTES;
                    Include.Net.ip_h.IP_INC_STATS(net, Include.Uapi.Linux.ipstats_mib_field.IPSTATS_MIB_INNOROUTES);
                    break;
            }

            goto @out;
        }

        switch (rt.error)
        {
            case errno_h.EHOSTUNREACH:
                code = Include.Uapi.Linux.icmp_h.ICMP_HOST_UNREACH;
                break;
            case errno_h.ENETUNREACH:
                code = Include.Uapi.Linux.icmp_h.ICMP_NET_UNREACH;
                reason = skb_drop_reason.SKB_DROP_REASON_IP_INNOROUTES;
                Include.Net.ip_h.IP_INC_STATS(net, Include.Uapi.Linux.ipstats_mib_field.IPSTATS_MIB_INNOROUTES);
                break;
            case errno_base_h.EACCES:
                code = Include.Uapi.Linux.icmp_h.ICMP_PKT_FILTERED;
                break;
            default:
                goto @out;
        }

        var peer = inetpeer_c.inet_getpeer(net, Include.Linux.ip_h.ip_hdr(skb).saddr);
        var send = true;
        var now = net.k.jiffies;
        peer.rate_tokens += now - peer.rate_last;
        if (peer.rate_tokens > ip_rt_error_burst)
        {
            peer.rate_tokens = ip_rt_error_burst;
        }

        peer.rate_last = now;
        if (peer.rate_tokens >= ip_rt_error_cost)
        {
            peer.rate_tokens -= ip_rt_error_cost;
        }
        else
        {
            send = false;
        }

        if (send)
        {
            icmp_h.icmp_send(skb, Include.Uapi.Linux.icmp_h.ICMP_DEST_UNREACH, code, 0);
        }

    @out:
        skbuff_h.kfree_skb_reason(skb, reason);
        return 0;
    }

    // net/ipv4/route.c: fill_route_from_fnhe
    /// <summary>Copies a next-hop exception into a route: its path MTU, lock and expiry, and a redirect's gateway.</summary>
    private static void fill_route_from_fnhe(rtable rt, fib_nh_exception fnhe)
    {
        rt.rt_pmtu = fnhe.fnhe_pmtu;
        rt.rt_mtu_locked = fnhe.fnhe_mtu_locked;
        rt.expires = fnhe.fnhe_expires;
        if (fnhe.fnhe_gw != 0)
        {
            rt.rt_flags |= RTCF_REDIRECTED;
            rt.rt_uses_gateway = true;
            rt.rt_gw4 = fnhe.fnhe_gw;
        }
    }

    // net/ipv4/route.c: update_or_create_fnhe
    /// <summary>
    /// Records what was learned about <paramref name="daddr"/> behind next
    /// hop <paramref name="nhc"/> (a path MTU, a gateway), updating the
    /// destination's exception or adding one.
    /// </summary>
    private static void update_or_create_fnhe(fib_alias nhc, uint daddr, uint gw, uint pmtu, bool @lock, ulong expires, ulong now)
    {
        // not ported: fill_route_from_fnhe — no routes cached in exceptions (see the header)
        // not ported: fnhe_hashfun — the fnhe hash is a list per next hop (see the header)
        // not ported: kcalloc, kzalloc — the .NET runtime allocates and frees memory: objects live while referenced, no refcounts or caches
        // not ported: fnhe_genid — exceptions are not flushed by generation (no fnhe_genid_bump: no `ip route flush cache`):
        //   an exception lives until it expires
        // fnhe_lock: serializes writers of the exception table (one thread here).
        nhc.nhc_exceptions ??= new System.Collections.Generic.List<fib_nh_exception>();
        fib_nh_exception? fnhe = null;
        foreach (var e in nhc.nhc_exceptions)
        {
            if (e.fnhe_daddr == daddr)
            {
                fnhe = e;
                break;
            }
        }

        if (fnhe is not null)
        {
            if (gw != 0)
            {
                fnhe.fnhe_gw = gw;
            }

            if (pmtu != 0)
            {
                fnhe.fnhe_pmtu = pmtu;
                fnhe.fnhe_mtu_locked = @lock;
            }

            fnhe.fnhe_expires = System.Math.Max(1UL, expires);
        }
        else
        {
            // not ported: fnhe_remove_oldest's reclaim beyond FNHE_RECLAIM_DEPTH — a scenario learns a few destinations.
            fnhe = new fib_nh_exception
            {
                fnhe_daddr = daddr,
                fnhe_gw = gw,
                fnhe_pmtu = pmtu,
                fnhe_mtu_locked = @lock,
                fnhe_expires = System.Math.Max(1UL, expires),
            };
            nhc.nhc_exceptions.Insert(0, fnhe);

            // A new exception: the next hop's cached routes do not carry it, so
            // they are marked stale and whoever holds one looks the route up again.
            if (nhc.nhc_rth_input is { } rt)
            {
                rt.obsolete = DST_OBSOLETE_KILL;
            }

            if (nhc.nhc_pcpu_rth_output is { } pcpu)
            {
                foreach (var prt in pcpu)
                {
                    if (prt is not null)
                    {
                        prt.obsolete = DST_OBSOLETE_KILL;
                    }
                }
            }
        }

        fnhe.fnhe_stamp = now;
    }

    // net/ipv4/route.c: ipv4_mtu
    /// <summary>dst_ops.mtu of IPv4 routes: a learned path MTU while it lasts, else the device's MTU.</summary>
    public static uint ipv4_mtu(rtable rt) => Include.Net.ip_h.ip_dst_mtu_maybe_forward(rt, false);

    // net/ipv4/route.c: __ip_rt_update_pmtu
    /// <summary>
    /// A smaller path MTU was reported for the flow: store it as an
    /// exception of the flow's next hop for ip_rt_mtu_expires (below
    /// ip_rt_min_pmtu it is held at the floor and locked).
    /// </summary>
    private static void __ip_rt_update_pmtu(rtable rt, ref flowi4 fl4, uint mtu)
    {
        // not ported: fib_info_num_path, fib_select_path — no multipath routes (see the header)
        // not ported: FIB_RES_NHC, fib_info_nhc — field accessors: the port reads or sets these fields directly
        // not ported: dst_dev_net_rcu — the port uses nd_net
        if (Include.Net.ip_h.ip_mtu_locked(rt))
        {
            return;
        }

        var old_mtu = ipv4_mtu(rt);
        if (old_mtu < mtu)
        {
            return;
        }

        var net = rt.dev!.nd_net;
        var ipv4 = netns_ipv4.of(net);
        var @lock = false;
        if (mtu < ipv4.ip_rt_min_pmtu)
        {
            @lock = true;
            mtu = System.Math.Min(old_mtu, ipv4.ip_rt_min_pmtu);
        }

        var now = net.k.jiffies;
        if (rt.rt_pmtu == mtu && !@lock && jiffies_h.time_before(now, rt.expires - (ipv4.ip_rt_mtu_expires / 2)))
        {
            return;
        }

        var res = new fib_result();
        if (fib_lookup(net, fl4, ref res, 0) == 0 && res.fa is { } nhc)
        {
            // fib_select_path: one next hop per route here.
            update_or_create_fnhe(nhc, fl4.daddr, 0, mtu, @lock, now + ipv4.ip_rt_mtu_expires, now);
        }
    }

    // net/ipv4/route.c: __build_flow_key
    /// <summary>The flow of the packet an ICMP error quotes, as we sent it (the socket's oif, mark, protocol when there is one).</summary>
    private static void __build_flow_key(net net, out flowi4 fl4, sock? sk, uint daddr, uint saddr, int oif, byte tos, byte prot, uint mark)
    {
        // not ported: flowi4_init_output — the flow is built with an initializer; sock_net_uid — flows carry no uid
        //   (no uid-based policy routing rules)
        // not ported: ip_sock_rt_tos — written out: the socket's TOS (masked to the DSCP below)
        var scope = RT_SCOPE_UNIVERSE;
        if (sk is not null)
        {
            var inet = (inet_sock)sk.proto_data!;
            oif = sk.sk_bound_dev_if;
            mark = sk.sk_mark;
            tos = inet.tos;

            // not ported: ip_sock_rt_scope — written out: SO_DONTROUTE (SOCK_LOCALROUTE) keeps the flow on the link
            scope = Include.Net.sock_h.sock_flag(sk, Include.Net.sock_flags.SOCK_LOCALROUTE) ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
            prot = inet.hdrincl ? (byte)Include.Uapi.Linux.in_h.IPPROTO_RAW : (byte)sk.sk_protocol;
        }

        fl4 = new flowi4
        {
            flowi4_oif = oif,
            flowi4_mark = mark,
            flowi4_tos = (byte)(tos & 0xfc),
            flowi4_scope = scope,
            flowi4_proto = prot,
            daddr = daddr,
            saddr = saddr,
        };
    }

    // net/ipv4/route.c: ip_rt_update_pmtu
    /// <summary>
    /// ipv4_dst_ops.update_pmtu: a smaller path MTU for the flow of the quoted
    /// packet (<paramref name="skb"/>) or, without one, of the socket's
    /// connection (ip_rt_build_flow_key: build_sk_flow_key).
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void ip_rt_update_pmtu(dst_entry dst, sock? sk, sk_buff? skb, uint mtu, bool confirm_neigh)
    {
        // not ported: dst_rtable — field accessors: the port reads or sets these fields directly
        // not ported: netif_is_any_bridge_port — no bridges
        // not ported: ip_rt_build_flow_key — written out: the quoted packet's flow (build_skb_flow_key), else the socket's
        //   (build_sk_flow_key)
        var rt = (rtable)dst;
        flowi4 fl4;
        if (skb is not null)
        {
            // build_skb_flow_key: the quoted header's addresses, the socket's settings where there is one.
            var iph = new Include.Uapi.Linux.iphdr(System.MemoryExtensions.AsSpan(skb.head, skb.data));
            __build_flow_key(rt.dev!.nd_net, out fl4, sk, iph.daddr, iph.saddr, skb.dev?.ifindex ?? 0, iph.tos, iph.protocol, skb.mark);
        }
        else if (sk is not null)
        {
            // build_sk_flow_key: the connection's own addresses (no IP options: faddr is inet_daddr).
            var inet = (inet_sock)sk.proto_data!;
            __build_flow_key(sk.sk_net, out fl4, sk, inet.inet_daddr, inet.inet_saddr, 0, 0, 0, 0);
        }
        else
        {
            return;
        }

        // netif_is_any_bridge_port: no bridges in the port. confirm_neigh: nothing to confirm here.
        __ip_rt_update_pmtu(rt, ref fl4, mtu);
    }

    // net/ipv4/route.c: ipv4_update_pmtu
    /// <summary>A path MTU learned without a socket (ping, raw): updates the output route of the quoted packet's flow.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void ipv4_update_pmtu(sk_buff skb, net net, uint mtu, int oif, byte protocol)
    {
        // not ported: ip_rt_put — route references are counted (dst.__rcuref, bookkeeping only: the garbage collector frees routes), but this take or put is not made here, so the count need not balance
        // not ported: __ip_route_output_key — the port calls ip_route_output_key_hash, which it wraps; IP4_REPLY_MARK —
        //   fwmark_reflect is not ported (0): the flow has no mark
        var iph = new Include.Uapi.Linux.iphdr(System.MemoryExtensions.AsSpan(skb.head, skb.data));
        __build_flow_key(net, out var fl4, null, iph.daddr, iph.saddr, oif, iph.tos, protocol, 0);
        var rt = ip_route_output_key_hash(net, ref fl4, out _);
        if (rt is not null)
        {
            __ip_rt_update_pmtu(rt, ref fl4, mtu);
        }
    }

    // net/ipv4/route.c: __ipv4_sk_update_pmtu
    [KernelNet.Annotations.Borrows("skb")]
    private static void __ipv4_sk_update_pmtu(sk_buff skb, sock sk, uint mtu)
    {
        // not ported: ip_rt_put — route references are counted (dst.__rcuref, bookkeeping only: the garbage collector frees routes), but this take or put is not made here, so the count need not balance
        // not ported: __ip_route_output_key — the port calls ip_route_output_key_hash, which it wraps; IP4_REPLY_MARK —
        //   fwmark_reflect is not ported (0): a socket without a mark looks up with none
        var iph = new Include.Uapi.Linux.iphdr(System.MemoryExtensions.AsSpan(skb.head, skb.data));
        __build_flow_key(sk.sk_net, out var fl4, sk, iph.daddr, iph.saddr, 0, 0, 0, 0);
        var rt = ip_route_output_key_hash(sk.sk_net, ref fl4, out _);
        if (rt is not null)
        {
            __ip_rt_update_pmtu(rt, ref fl4, mtu);
        }
    }

    // net/ipv4/route.c: ipv4_sk_update_pmtu
    /// <summary>
    /// ICMP frag-needed about a socket's datagram: lowers the path MTU of its
    /// flow; a socket that caches a route gets a fresh one carrying the
    /// exception (the kernel marks the next hop's cached routes obsolete, so
    /// dst_check fails and the route is looked up again).
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void ipv4_sk_update_pmtu(sk_buff skb, sock sk, uint mtu)
    {
        // not ported: bh_lock_sock, bh_unlock_sock, sock_owned_by_user — the socket spinlock, and the ownership test under it: a socket its owner holds gets the cached-route update too, where 6.18 takes the __ipv4_sk_update_pmtu path
        // not ported: dst_release — route references are counted (dst.__rcuref, bookkeeping only: the garbage collector frees routes), but this take or put is not made here, so the count need not balance
        // not ported: dst_rtable — field accessors: the port reads or sets these fields directly
        // not ported: xfrm_dst_path — no IPsec (xfrm) or PSP
        // not ported: sk_dst_get, sk_dst_set — the cached route is the field sk.sk_dst_cache
        // not ported: check — the socket's route is looked up afresh every time (below): routes are not stored in
        //   exceptions (the header), so one already carrying an exception would not see its new MTU in place
        // bh_lock_sock: the socket's state against process context (one thread here).
        if (!Include.Net.ip_h.ip_sk_accept_pmtu(sk))
        {
            return;
        }

        if (Include.Net.sock_h.sock_owned_by_user(sk) || sk.sk_dst_cache is not rtable odst)
        {
            __ipv4_sk_update_pmtu(skb, sk, mtu);
            return;
        }

        var iph = new Include.Uapi.Linux.iphdr(System.MemoryExtensions.AsSpan(skb.head, skb.data));
        __build_flow_key(sk.sk_net, out var fl4, sk, iph.daddr, iph.saddr, 0, 0, 0, 0);
        __ip_rt_update_pmtu(odst, ref fl4, mtu);

        // dst_check fails: the exception was created after the route was cached.
        var rt = ip_route_output_flow(sk.sk_net, ref fl4, sk, out _);
        if (rt is not null)
        {
            sk.sk_dst_cache = rt;
        }
    }

    // net/ipv4/route.c: ipv4_dst_check
    /// <summary>
    /// dst_ops.check of IPv4 routes: a route stays usable while it is not
    /// obsolete (FORCE_CHK, as made) and of the current generation; null
    /// tells the holder (a socket's sk_dst_cache) to look it up again.
    /// </summary>
    public static dst_entry? ipv4_dst_check(dst_entry dst, uint cookie)
    {
        // not ported: dst_rtable — container_of is a cast here.
        var rt = (rtable)dst;
        if (dst.obsolete != DST_OBSOLETE_FORCE_CHK || rt_is_expired(rt))
        {
            return null;
        }

        return dst;
    }

    // net/ipv4/route.c: find_exception
    /// <summary>The next hop's exception for <paramref name="daddr"/>; one that has lapsed is removed (ip_del_fnhe) and not returned.</summary>
    private static fib_nh_exception? find_exception(fib_alias nhc, uint daddr, ulong now)
    {
        // not ported: fnhe_hashfun — the fnhe hash is a list per next hop (see the header)
        if (nhc.nhc_exceptions is not { } list)
        {
            return null;
        }

        for (var i = 0; i < list.Count; i++)
        {
            var fnhe = list[i];
            if (fnhe.fnhe_daddr == daddr)
            {
                if (fnhe.fnhe_expires != 0 && jiffies_h.time_after(now, fnhe.fnhe_expires))
                {
                    // ip_del_fnhe
                    list.RemoveAt(i);
                    break;
                }

                return fnhe;
            }
        }

        return null;
    }

    // net/ipv4/route.c: rt_bind_exception
    /// <summary>
    /// A route to a destination with an exception takes its path MTU (and
    /// gateway). True when 6.18 would keep the route in the exception: the
    /// caching itself is not ported, so such a route is made afresh on every
    /// lookup (and always carries the exception's current values).
    /// </summary>
    private static bool rt_bind_exception(rtable rt, fib_nh_exception fnhe, uint daddr, bool do_cache)
    {
        // not ported: dst_hold, dst_release — route references are counted (dst.__rcuref, bookkeeping only: the garbage collector frees routes), but this take or put is not made here, so the count need not balance
        // not ported: fnhe_genid (a flush of exceptions), storing the route in fnhe_rth_input/fnhe_rth_output.
        // not ported: fnhe_flush_routes, dst_dev_put, rt_is_input_route — routes are not stored in exceptions (the
        //   header), so there is no old route to flush or re-home
        var ret = false;
        if (daddr == fnhe.fnhe_daddr)
        {
            fill_route_from_fnhe(rt, fnhe);
            ret = do_cache;
        }

        return ret;
    }

    // net/ipv4/route.c: rt_cache_route
    /// <summary>
    /// Keeps <paramref name="rt"/> as its next hop's cached route — the input
    /// one, or this CPU's output one — with a reference of its own; the route
    /// it replaces loses the cache's reference. The cmpxchg cannot lose a race
    /// on one thread, so this always succeeds.
    /// </summary>
    private static bool rt_cache_route(fib_alias nhc, rtable rt)
    {
        var ret = true;
        rtable? orig;
        if (rt_is_input_route(rt))
        {
            orig = nhc.nhc_rth_input;
        }
        else
        {
            var k = rt.dev!.nd_net.k;
            nhc.nhc_pcpu_rth_output ??= new rtable?[k.nr_cpu_ids];
            orig = nhc.nhc_pcpu_rth_output[k.smp_processor_id()];
        }

        // dst_hold before the cmpxchg, so the route is never published without the cache's reference.
        dst_hold(rt);

        // cmpxchg(p, orig, rt): nothing else writes *p between the read and here (one thread).
        if (rt_is_input_route(rt))
        {
            nhc.nhc_rth_input = rt;
        }
        else
        {
            nhc.nhc_pcpu_rth_output![rt.dev!.nd_net.k.smp_processor_id()] = rt;
        }

        if (orig is not null)
        {
            // not ported: rt_add_uncached_list(orig) — the uncached list only matters when a device goes away.
            Core.dst_c.dst_release(orig);
        }

        return ret;
    }

    // net/ipv4/route.c: rt_cache_valid
    /// <summary>A cached route still fit for use: present, not marked obsolete, and made in the current generation.</summary>
    private static bool rt_cache_valid(rtable? rt) => rt is not null && rt.obsolete == DST_OBSOLETE_FORCE_CHK && !rt_is_expired(rt);

    // net/ipv4/route.c: rt_set_nexthop
    /// <summary>
    /// The next hop's gateway (for a route through one on link) and its
    /// exception for the destination onto the route; then the route is cached
    /// in the next hop when <paramref name="do_cache"/>. A route not cached
    /// takes the destination as its gateway (it serves that one address only).
    /// </summary>
    private static void rt_set_nexthop(rtable rt, uint daddr, in fib_result res, fib_nh_exception? fnhe, fib_alias? fi, bool do_cache)
    {
        // not ported: FIB_RES_NHC — field accessors: the port reads or sets these fields directly
        // not ported: lwtstate_get — no lightweight tunnels, tunnel metadata or UDP encapsulation
        var cached = false;

        // fi and FIB_RES_NHC(*res) are one object here (a route has one next hop).
        if (fi is { } nhc)
        {
            if (nhc.nh_gw4 != 0 && nhc.fa_scope == RT_SCOPE_UNIVERSE)
            {
                rt.rt_uses_gateway = true;
                rt.rt_gw4 = nhc.nh_gw4;
            }

            // not ported: route metrics (ip_dst_init_metrics: no `ip route ... mtu`), classid, lwtunnel.
            if (fnhe is not null)
            {
                cached = rt_bind_exception(rt, fnhe, daddr, do_cache);
            }
            else if (do_cache)
            {
                cached = rt_cache_route(nhc, rt);
            }

            if (!cached)
            {
                if (rt.rt_gw4 == 0)
                {
                    rt.rt_gw4 = daddr;
                }

                // not ported: rt_add_uncached_list — see the file's header.
            }
        }

        // not ported: rt_add_uncached_list for a route without fib_info, set_class_tag (no classid).
    }

    // net/ipv4/route.c: __mkroute_input
    /// <summary>
    /// The route of a packet to forward: validates the source, notes when a
    /// redirect is due (out through the interface it came in on, to a
    /// source on that link), and builds a route whose input is ip_forward.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static skb_drop_reason __mkroute_input(sk_buff skb, in fib_result res, in_device in_dev, uint daddr, uint saddr, byte dscp)
    {
        // not ported: IN_DEV_TX_REDIRECTS, IN_DEV_SHARED_MEDIA — sending redirects is not ported (see the header), so IPSKB_DOREDIRECT is never set
        // not ported: RT_CACHE_STAT_INC — no /proc/net/stat/rt_cache counters
        // not ported: FIB_RES_NHC, FIB_RES_OIF — field accessors: the port reads or sets these fields directly
        // not ported: lwtunnel_set_redirect — no lightweight tunnels, tunnel metadata or UDP encapsulation
        // not ported: net_crit_ratelimited — the 'Bug in ip_route_input_slow()' message of a should-not-happen branch: the port has a kernel log (printk) but does not write this line
        // not ported: IN_DEV_ORCONF — NOPOLICY/NOXFRM (no xfrm); IN_DEV_PROXY_ARP_PVLAN — proxy ARP is not ported, so no
        //   non-IP packet is routed for forwarding; ip_handle_martian_source — a martian is only counted (rt_cache stat) and
        //   logged when log_martians is set: the port keeps no /proc/net/stat/rt_cache and log_martians stays 0
        var reason = skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED;
        var dev = res.fa!.nh_dev!;
        var out_dev = __in_dev_get_rcu(dev);
        if (out_dev is null)
        {
            return reason;
        }

        // fib_validate_source: with rp_filter off only a local source is refused.
        reason = fib_validate_source_reason(skb, saddr, daddr, in_dev.dev);
        if (reason != skb_drop_reason.SKB_NOT_DROPPED_YET)
        {
            return reason;
        }

        // fib_validate_source returns 1 when the source is on the link the
        // packet came in by (and the route goes back out there): a redirect is due.
        if (out_dev == in_dev && skb.protocol == Include.Uapi.Linux.if_ether_h.ETH_P_IP && out_dev.send_redirects)
        {
            var gw = res.fa.nh_gw4;
            if (inet_addr_onlink(out_dev, saddr, gw))
            {
                Include.Net.ip_h.IPCB(skb).flags |= Include.Net.ip_h.IPSKB_DOREDIRECT;
            }
        }

        // do_cache = res->fi && !itag: no classid, so every forwarded route through a next hop is cached.
        var do_cache = true;
        var fnhe = find_exception(res.fa, daddr, dev.nd_net.k.jiffies);
        rtable rth;
        if (do_cache)
        {
            // not ported: fnhe_rth_input — with an exception the route is made afresh (below).
            if (fnhe is null)
            {
                var cached = res.fa.nhc_rth_input;
                if (rt_cache_valid(cached))
                {
                    skb_dst_set_noref(skb, cached!);
                    return skb_drop_reason.SKB_NOT_DROPPED_YET;
                }
            }
        }

        rth = rt_dst_alloc(out_dev.dev, 0, res.type);
        rth.rt_is_input = true;
        rth.input = ip_forward_c.ip_forward;
        rt_set_nexthop(rth, daddr, res, fnhe, res.fa, do_cache);
        skb_dst_set(skb, rth);
        return skb_drop_reason.SKB_NOT_DROPPED_YET;
    }

    // not ported: fib_info_num_path, fib_multipath_hash, fib_select_multipath — no multipath routes (the header)
    // net/ipv4/route.c: ip_mkroute_input
    /// <summary>Forwarding's route (multipath hashing not ported: one next hop per route).</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static skb_drop_reason ip_mkroute_input(sk_buff skb, ref fib_result res, in_device in_dev, uint daddr, uint saddr, byte dscp) =>
        __mkroute_input(skb, res, in_dev, daddr, saddr, dscp);

    // net/ipv4/route.c: ip_route_input_slow
    /// <summary>
    /// Decides what a received packet is: ours (local input), broadcast, or
    /// to be forwarded — which a non-forwarding host turns into an
    /// unreachable route (ip_error). Martians are dropped with their reason.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static skb_drop_reason ip_route_input_slow(sk_buff skb, uint daddr, uint saddr, byte dscp, net_device dev, ref fib_result res)
    {
        // not ported: RT_CACHE_STAT_INC — no /proc/net/stat/rt_cache counters
        // not ported: FIB_RES_NHC — field accessors: the port reads or sets these fields directly
        // not ported: lwtstate_get, lwtunnel_input_redirect, skb_tunnel_info — no lightweight tunnels, tunnel metadata or UDP encapsulation
        // not ported: IN_DEV_FORWARD, IN_DEV_NET_ROUTE_LOCALNET — read as the device's fields forwarding and
        //   route_localnet (conf.all's route_localnet is not kept); IN_DEV_BFORWARD, IPV4_DEVCONF_ALL_RO — bc_forwarding is
        //   not kept (always 0): a directed broadcast is delivered locally; IN_DEV_ORCONF — NOPOLICY (no xfrm)
        // not ported: IN_DEV_LOG_MARTIANS, ip_handle_martian_source — a martian is only counted and logged: no kernel log;
        //   fib4_rules_early_flow_dissect — no policy routing rules; sock_net_uid — flows carry no uid
        var reason = skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED;
        var in_dev = __in_dev_get_rcu(dev);
        var net = dev.nd_net;
        var err = -errno_base_h.EINVAL;
        uint flags = 0;
        var do_cache = true;
        rtable rth;

        if (in_dev is null)
        {
            goto @out;
        }

        skb_dst_drop(skb);
        if (ipv4_is_multicast(saddr) || ipv4_is_lbcast(saddr))
        {
            reason = skb_drop_reason.SKB_DROP_REASON_IP_INVALID_SOURCE;
            goto martian_source;
        }

        if (ipv4_is_lbcast(daddr) || (saddr == 0 && daddr == 0))
        {
            goto brd_input;
        }

        if (ipv4_is_zeronet(saddr))
        {
            reason = skb_drop_reason.SKB_DROP_REASON_IP_INVALID_SOURCE;
            goto martian_source;
        }

        if (ipv4_is_zeronet(daddr))
        {
            reason = skb_drop_reason.SKB_DROP_REASON_IP_INVALID_DEST;
            goto martian_destination;
        }

        if (ipv4_is_loopback(daddr) || ipv4_is_loopback(saddr))
        {
            if (!in_dev.route_localnet && (dev.flags & net_device.IFF_LOOPBACK) == 0)
            {
                reason = skb_drop_reason.SKB_DROP_REASON_IP_LOCALNET;
                if (ipv4_is_loopback(daddr))
                {
                    goto martian_destination;
                }

                goto martian_source;
            }
        }

        var fl4 = new flowi4
        {
            flowi4_oif = 0,
            flowi4_iif = dev.ifindex,
            flowi4_mark = skb.mark,
            flowi4_tos = dscp,
            flowi4_scope = RT_SCOPE_UNIVERSE,
            daddr = daddr,
            saddr = saddr,
        };
        err = fib_lookup(net, fl4, ref res, 0);
        if (err != 0)
        {
            if (!in_dev.forwarding)
            {
                err = -errno_h.EHOSTUNREACH;
            }

            goto no_route;
        }

        if (res.type == rtn_type.RTN_BROADCAST)
        {
            goto brd_input;
        }

        err = -errno_base_h.EINVAL;
        if (res.type == rtn_type.RTN_LOCAL)
        {
            reason = fib_validate_source_reason(skb, saddr, daddr, dev);
            if (reason != skb_drop_reason.SKB_NOT_DROPPED_YET)
            {
                goto martian_source;
            }

            goto local_input;
        }

        if (!in_dev.forwarding)
        {
            err = -errno_h.EHOSTUNREACH;
            goto no_route;
        }

        if (res.type != rtn_type.RTN_UNICAST)
        {
            reason = skb_drop_reason.SKB_DROP_REASON_IP_INVALID_DEST;
            goto martian_destination;
        }

        reason = ip_mkroute_input(skb, ref res, in_dev, daddr, saddr, dscp);

    @out:
        return reason;

    brd_input:
        if (skb.protocol != Include.Uapi.Linux.if_ether_h.ETH_P_IP)
        {
            reason = skb_drop_reason.SKB_DROP_REASON_INVALID_PROTO;
            goto @out;
        }

        flags |= RTCF_BROADCAST;
        res.type = rtn_type.RTN_BROADCAST;

    local_input:
        // do_cache &= res->fi && !itag: cached when the lookup found a route (not for no_route or 255.255.255.255).
        do_cache &= res.fa is not null;
        if (do_cache)
        {
            var cached = res.fa!.nhc_rth_input;
            if (rt_cache_valid(cached))
            {
                skb_dst_set_noref(skb, cached!);
                reason = skb_drop_reason.SKB_NOT_DROPPED_YET;
                goto @out;
            }
        }

        rth = rt_dst_alloc(ip_rt_get_dev(net, res) ?? dev, flags | RTCF_LOCAL, res.type);
        rth.output = ip_rt_bug;
        rth.rt_is_input = true;
        if (res.type == rtn_type.RTN_UNREACHABLE)
        {
            rth.input = ip_error;
            rth.error = -err;
            rth.rt_flags &= ~RTCF_LOCAL;
        }

        if (do_cache)
        {
            // not ported: lwtunnel input redirection. rt_cache_route cannot fail on one thread (rt_add_uncached_list not reached).
            rt_cache_route(res.fa!, rth);
        }

        skb_dst_set(skb, rth);
        reason = skb_drop_reason.SKB_NOT_DROPPED_YET;
        goto @out;

    no_route:
        res.type = rtn_type.RTN_UNREACHABLE;
        res.fa = null;
        res.table = null;
        goto local_input;

    martian_destination:
        goto @out;

    martian_source:
        goto @out;
    }

    // net/ipv4/route.c: ip_route_input_rcu
    [KernelNet.Annotations.Borrows("skb")]
    private static skb_drop_reason ip_route_input_rcu(sk_buff skb, uint daddr, uint saddr, byte dscp, net_device dev, ref fib_result res)
    {
        // not ported: IN_DEV_MFORWARD, ip_check_mc_rcu, __in_dev_get_rcu — no multicast routing or memberships (see the header)
        // not ported: ip_hdr — field accessors: the port reads or sets these fields directly
        // not ported: ip_route_input_mc — no multicast routing
        // not ported: netif_is_l3_slave — no VRF (l3mdev) devices in the simulation
        // Multicast input (ip_check_mc_rcu / ip_route_input_mc) is not ported.
        return ip_route_input_slow(skb, daddr, saddr, dscp, dev, ref res);
    }

    // net/ipv4/route.c: ip_route_input_noref
    /// <summary>Attaches the input route to a received skb; SKB_NOT_DROPPED_YET on success, else why to drop.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static skb_drop_reason ip_route_input_noref(sk_buff skb, uint daddr, uint saddr, byte dscp, net_device dev)
    {
        var res = new fib_result();
        return ip_route_input_rcu(skb, daddr, saddr, dscp, dev, ref res);
    }

    // net/ipv4/route.c: ipv4_default_advmss
    /// <summary>The MSS a route advertises: its MTU minus the IP and TCP headers, at least ip_rt_min_advmss (256), at most 65535 - 40.</summary>
    public static uint ipv4_default_advmss(dst_entry dst)
    {
        // not ported: dst_dev_net_rcu — ip_rt_min_advmss is the constant 256 (its sysctl, min_adv_mss, is not ported)
        var header_size = 20u + 20u; // sizeof(struct tcphdr) + sizeof(struct iphdr)
        var advmss = System.Math.Max(ipv4_mtu((rtable)dst) - header_size, 256u);
        return System.Math.Min(advmss, 0xFFFFu - header_size);
    }

    // net/ipv4/route.c: __mkroute_output
    /// <summary>
    /// The output route for a FIB result (gateway, type, device): this CPU's
    /// route cached in the next hop while it is valid (the caller gets a
    /// reference on it), else a new one, cached there when 6.18 caches it —
    /// not for the limited broadcast, a local route bound to another device,
    /// a known-next-hop flow, or a lookup without a FIB route.
    /// </summary>
    private static rtable __mkroute_output(in fib_result res, in flowi4 fl4, int orig_oif, net_device dev_out, uint flags)
    {
        // not ported: IN_DEV_MFORWARD — no multicast routing (see the header)
        // not ported: RT_CACHE_STAT_INC — no /proc/net/stat/rt_cache counters
        // not ported: FIB_RES_NHC — field accessors: the port reads or sets these fields directly
        // not ported: lwtunnel_set_redirect — no lightweight tunnels, tunnel metadata or UDP encapsulation
        // not ported: netif_is_l3_master — no VRF (l3mdev) devices in the simulation
        // not ported: IN_DEV_ORCONF, IN_DEV_ROUTE_LOCALNET, __in_dev_get_rcu — the loopback-source and zeronet checks
        //   of route_localnet are left to the callers (see below)
        var fi = res.fa;
        var type = res.type;

        // not ported: the ROUTE_LOCALNET loopback-source and zeronet checks returning -EINVAL here (the callers check first).
        if (ipv4_is_lbcast(fl4.daddr))
        {
            type = rtn_type.RTN_BROADCAST;

            // no fib_info: a broadcast has no gateway to resolve
            fi = null;
        }

        if ((dev_out.flags & net_device.IFF_LOOPBACK) != 0)
        {
            flags |= RTCF_LOCAL;
        }

        var do_cache = true;
        if (type == rtn_type.RTN_BROADCAST)
        {
            flags |= RTCF_BROADCAST | RTCF_LOCAL;
        }
        else if (ipv4_is_multicast(fl4.daddr))
        {
            // not ported: multicast output routes (RTN_MULTICAST, ip_check_mc_rcu, ip_mc_output); such a route is not cached.
            do_cache = false;
        }
        else if (type == rtn_type.RTN_LOCAL && orig_oif != 0 && orig_oif != dev_out.ifindex)
        {
            // a local route asked for through a particular device: caching it would deliver through lo for everyone
            do_cache = false;
        }

        fib_nh_exception? fnhe = null;
        do_cache &= fi is not null;
        if (fi is not null)
        {
            fnhe = find_exception(fi, fl4.daddr, dev_out.nd_net.k.jiffies);
            if (do_cache && fnhe is null)
            {
                // FLOWI_FLAG_KNOWN_NH (IP_HDRINCL's flows) never reaches here in the port (ip_output.cs), so the per-CPU slot is always used.
                var k = dev_out.nd_net.k;
                var rth0 = fi.nhc_pcpu_rth_output?[k.smp_processor_id()];
                if (rt_cache_valid(rth0) && dst_hold_safe(rth0!))
                {
                    return rth0!;
                }
            }

            // not ported: fnhe_rth_output — with an exception the route is made afresh.
        }

        var rth = rt_dst_alloc(dev_out, flags, type);
        rth.rt_iif = orig_oif;

        // not ported: ip_mc_output for local broadcast on a real device, ip_mr_input/output (no multicast routing).
        rt_set_nexthop(rth, fl4.daddr, res, fnhe, fi, do_cache);
        return rth;
    }

    // net/ipv4/route.c: ip_route_output_key_hash_rcu
    /// <summary>The output lookup: picks the source address, the device (loopback for our own addresses, LO-2) and the gateway.</summary>
    private static rtable? ip_route_output_key_hash_rcu(net net, ref flowi4 fl4, ref fib_result res, out int err)
    {
        // not ported: FIB_RES_DEV, FIB_RES_OIF — field accessors: the port reads or sets these fields directly
        // not ported: dev_get_by_index_rcu — the port uses dev_get_by_index
        // not ported: l3mdev_master_dev_rcu — no VRF (l3mdev) devices in the simulation
        // not ported: __ip_dev_find, __in_dev_get_rcu — the flow's source address is taken as given
        //   (6.18 refuses one that is not local, -EINVAL, and consults the oif's in_device for multicast and
        //   link-local destinations); fib_select_path — one next hop per route (no multipath), no fib_select_default
        var orig_oif = fl4.flowi4_oif;
        net_device? dev_out = null;
        uint flags = 0;
        err = 0;

        if (fl4.flowi4_oif != 0)
        {
            dev_out = Core.dev_c.dev_get_by_index(net, fl4.flowi4_oif);
            if (dev_out is null)
            {
                err = -errno_base_h.ENODEV;
                return null;
            }
        }

        if (fl4.daddr == 0)
        {
            fl4.daddr = fl4.saddr;
            if (fl4.daddr == 0)
            {
                fl4.daddr = fl4.saddr = 0x7f000001;
            }

            dev_out = net.loopback_dev;
            res.type = rtn_type.RTN_LOCAL;
            flags |= RTCF_LOCAL;
            goto make_route;
        }

        err = fib_lookup(net, fl4, ref res, 0);
        if (err != 0)
        {
            res.fa = null;
            res.table = null;
            err = -errno_h.ENETUNREACH;
            return null;
        }

        if (res.type == rtn_type.RTN_LOCAL)
        {
            if (fl4.saddr == 0)
            {
                fl4.saddr = res.fa!.fib_prefsrc != 0 ? res.fa.fib_prefsrc : fl4.daddr;
            }

            // Our own address: the packet goes out, and comes back in, on lo.
            dev_out = net.loopback_dev;
            fl4.flowi4_oif = dev_out!.ifindex;
            flags |= RTCF_LOCAL;
            goto make_route;
        }

        dev_out = res.fa!.nh_dev;
        if (fl4.saddr == 0)
        {
            fl4.saddr = res.fa.fib_prefsrc != 0 ? res.fa.fib_prefsrc : inet_select_addr(dev_out!, res.fa.nh_gw4 != 0 ? res.fa.nh_gw4 : fl4.daddr, RT_SCOPE_LINK);
        }

        fl4.flowi4_oif = dev_out!.ifindex;

    make_route:
        return __mkroute_output(res, fl4, orig_oif, dev_out!, flags);
    }

    // net/ipv4/route.c: ip_route_output_key_hash
    private static rtable? ip_route_output_key_hash(net net, ref flowi4 flp, out int err)
    {
        var res = new fib_result();
        return ip_route_output_key_hash_rcu(net, ref flp, ref res, out err);
    }

    // net/ipv4/route.c: ip_route_output_flow
    /// <summary>The output route for a flow (fills flp.saddr); null with <paramref name="err"/> set when there is none.</summary>
    public static rtable? ip_route_output_flow(net net, ref flowi4 flp, sock? sk, out int err)
    {
        // not ported: dst_rtable — field accessors: the port reads or sets these fields directly
        // not ported: xfrm_lookup_route — no IPsec (xfrm) or PSP
        // not ported: __ip_route_output_key — the port calls ip_route_output_key_hash, which it wraps;
        //   flowi4_to_flowi — only for xfrm_lookup_route (no xfrm)
        return ip_route_output_key_hash(net, ref flp, out err);
    }
}
