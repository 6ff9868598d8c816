// Ports net/ipv4/syncookies.c: SYN cookies — a listener whose SYN queue is
// full answers a SYN without keeping a request sock, encoding what it must
// remember in the SYN-ACK's sequence number (a keyed hash of the 4-tuple,
// the peer's ISN, a minute counter and an index into msstab) and, when the
// peer uses timestamps, the window scale, SACK and ECN bits in the low bits
// of the SYN-ACK's TSval. The ACK that echoes the cookie rebuilds the request
// (cookie_v4_check) and the child is made from it.
//
// departures: syncookie_secret is drawn from the simulation's seeded
// get_random_bytes (net_get_random_once), one pair per simulated kernel as
// 6.18 keeps one pair per boot, so a run is reproducible; the addresses and
// ports are hashed in host order (as secure_seq.cs does): the cookie values
// differ from Linux's, the construction does not.
// not ported: the BPF cookie path (cookie_bpf_ok, cookie_bpf_check), MPTCP,
// TCP-AO (tcp_ao_syncookie), IP options saved from the ACK
// (tcp_v4_save_options: the port keeps no IP options), AccECN.
// not ported: mptcp_subflow_init_cookie_req, mptcp_subflow_reqsk_alloc, sk_is_mptcp — no MPTCP: IPPROTO_MPTCP
//   is not ported, every socket is plain TCP
// not ported: cookie_accecn_ok — AccECN (RFC 9768) negotiation is not ported: a connection is RFC 3168 ECN or
//   none
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.ip_h;
using static KernelNet.Kernel.Include.Linux.tcp_h;
using static KernelNet.Kernel.Include.Net.inet_connection_sock_h;
using static KernelNet.Kernel.Include.Net.sock_h;
using static KernelNet.Kernel.Include.Net.tcp_h;
using static KernelNet.Kernel.Net.Core.skbuff_c;

namespace KernelNet.Kernel.Net.Ipv4;

/// <summary>syncookies.c's globals: syncookie_secret, the two SipHash keys of the cookie, drawn on first use.</summary>
public sealed class syncookies_globals
{
    public siphash_key_t[] syncookie_secret { get; } = [new(), new()];
}

public static class syncookies_c
{
    /// <summary>COOKIEBITS: the low 24 bits carry the second hash plus the MSS index; the top 8 the minute counter.</summary>
    private const int COOKIEBITS = 24;

    private const uint COOKIEMASK = (1U << COOKIEBITS) - 1;

    /// <summary>TS_OPT_*: the option bits in the low TSBITS of a cookie SYN-ACK's TSval. A window scale of 0xf: none offered.</summary>
    private const uint TS_OPT_WSCALE_MASK = 0xf;

    private const uint TS_OPT_SACK = 1 << 4;

    private const uint TS_OPT_ECN = 1 << 5;

    private const int TSBITS = 6;

    /// <summary>msstab: the four MSS values a cookie can encode (sorted; 1460 is the common one).</summary>
    private static System.ReadOnlySpan<ushort> msstab => [536, 1300, 1440, 1460];

    // net/ipv4/syncookies.c: cookie_hash
    /// <summary>SipHash of the 4-tuple and <paramref name="count"/> under secret <paramref name="c"/>.</summary>
    private static uint cookie_hash(Vmlinux k, uint saddr, uint daddr, ushort sport, ushort dport, uint count, int c)
    {
        var secret = k.globals<syncookies_globals>().syncookie_secret;

        // not ported: net_get_random_once — written out: both keys the first time a cookie is made or checked
        if (siphash_h.siphash_key_is_zero(secret[0]))
        {
            Drivers.Char.random_c.get_random_bytes(k, secret[0]);
            Drivers.Char.random_c.get_random_bytes(k, secret[1]);
        }

        return (uint)siphash_h.siphash_4u32(saddr, daddr, (uint)sport << 16 | dport, count, secret[c]);
    }

    // net/ipv4/syncookies.c: cookie_init_timestamp
    /// <summary>
    /// The send time of a cookie SYN-ACK (ns) whose TSval's low TSBITS carry
    /// the SYN's options (window scale or 0xf, SACK, ECN); never later than
    /// now, so the connection's later timestamps do not go backwards.
    /// </summary>
    public static ulong cookie_init_timestamp(request_sock req, ulong now)
    {
        ulong ts_now = tcp_ns_to_ts(false, now);
        uint options = req.wscale_ok ? req.snd_wscale : TS_OPT_WSCALE_MASK;
        if (req.sack_ok)
        {
            options |= TS_OPT_SACK;
        }

        if (req.ecn_ok)
        {
            options |= TS_OPT_ECN;
        }

        var ts = (ts_now >> TSBITS) << TSBITS;
        ts |= options;
        if (ts > ts_now)
        {
            ts -= 1UL << TSBITS;
        }

        if (req.req_usec_ts)
        {
            return ts * 1000; // NSEC_PER_USEC
        }

        return ts * 1_000_000; // NSEC_PER_MSEC
    }

    // net/ipv4/syncookies.c: secure_tcp_syn_cookie
    /// <summary>
    /// The cookie: hash one plus the peer's ISN plus the minute counter in the
    /// top 8 bits, plus (hash two of the counter + data) in the low 24.
    /// </summary>
    private static uint secure_tcp_syn_cookie(Vmlinux k, uint saddr, uint daddr, ushort sport, ushort dport, uint sseq, uint data)
    {
        var count = tcp_cookie_time(k);
        return unchecked(cookie_hash(k, saddr, daddr, sport, dport, 0, 0) +
            sseq + (count << COOKIEBITS) +
            ((cookie_hash(k, saddr, daddr, sport, dport, count, 1) + data) & COOKIEMASK));
    }

    // net/ipv4/syncookies.c: check_tcp_syn_cookie
    /// <summary>
    /// The data a cookie carries (the MSS index), or a value out of range when
    /// it is forged or older than MAX_SYNCOOKIE_AGE minutes ((uint)-1).
    /// </summary>
    private static uint check_tcp_syn_cookie(Vmlinux k, uint cookie, uint saddr, uint daddr, ushort sport, ushort dport, uint sseq)
    {
        var count = tcp_cookie_time(k);

        // take off the parts that do not depend on the counter
        cookie = unchecked(cookie - (cookie_hash(k, saddr, daddr, sport, dport, 0, 0) + sseq));

        // what is left: the counter in the top bits over the second hash plus the data
        var diff = unchecked(count - (cookie >> COOKIEBITS)) & (uint.MaxValue >> COOKIEBITS);
        if (diff >= MAX_SYNCOOKIE_AGE)
        {
            return uint.MaxValue;
        }

        return unchecked(cookie - cookie_hash(k, saddr, daddr, sport, dport, count - diff, 1)) & COOKIEMASK;
    }

    // net/ipv4/syncookies.c: __cookie_v4_init_sequence
    /// <summary>The cookie for a SYN; <paramref name="mssp"/> comes back rounded down to the msstab value it encodes.</summary>
    public static uint __cookie_v4_init_sequence(Vmlinux k, iphdr iph, tcphdr th, ref ushort mssp)
    {
        var mss = mssp;
        int mssind;
        for (mssind = msstab.Length - 1; mssind != 0; mssind--)
        {
            if (mss >= msstab[mssind])
            {
                break;
            }
        }

        mssp = msstab[mssind];
        return secure_tcp_syn_cookie(k, iph.saddr, iph.daddr, th.source, th.dest, th.seq, (uint)mssind);
    }

    // net/ipv4/syncookies.c: cookie_v4_init_sequence
    /// <summary>tcp_request_sock_ipv4_ops.cookie_init_seq: the cookie for the SYN in <paramref name="skb"/>.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static uint cookie_v4_init_sequence(sk_buff skb, ref ushort mssp) =>
        __cookie_v4_init_sequence(skb.k, ip_hdr(skb), tcp_hdr(skb), ref mssp);

    // net/ipv4/syncookies.c: __cookie_v4_check
    /// <summary>The MSS an ACK's cookie (its ack_seq - 1, against its seq - 1) encodes, or 0 if it is no valid cookie.</summary>
    public static int __cookie_v4_check(Vmlinux k, iphdr iph, tcphdr th)
    {
        var cookie = unchecked(th.ack_seq - 1);
        var seq = unchecked(th.seq - 1);

        var mssind = check_tcp_syn_cookie(k, cookie, iph.saddr, iph.daddr, th.source, th.dest, seq);

        return mssind < msstab.Length ? msstab[(int)mssind] : 0;
    }

    // not ported: sock_put — the port does not count socket references: the GC keeps a socket alive while
    //   anything reaches it
    // not ported: bh_unlock_sock — the socket spinlock: one simulated CPU, and process context holds the
    //   socket only with bottom halves off (lock_sock to release_sock), so softirq or timer code never finds it
    //   held
    // net/ipv4/syncookies.c: tcp_get_cookie_sock
    /// <summary>
    /// The child of a cookie ACK (syn_recv_sock on the route already found),
    /// queued for accept() with its rebuilt request; null (the request freed)
    /// when the accept queue is full or the 4-tuple is taken.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static sock? tcp_get_cookie_sock(sock sk, sk_buff skb, request_sock req, dst_entry dst)
    {
        var child = tcp_ipv4_c.tcp_v4_syn_recv_sock(sk, skb, req, dst, null, out _);
        if (child is not null)
        {
            // refcount_set(&req->rsk_refcnt, 1): request references are not counted
            // RFS learns the flow's hash for the child
            Include.Net.sock_h.sock_rps_save_rxhash(child, skb);

            // not ported: rsk_drop_req, reqsk_put — only an MPTCP request is dropped here once it has its child:
            //   MPTCP is not ported
            if (inet_connection_sock_c.inet_csk_reqsk_queue_add(sk, req, child) is not null)
            {
                return child;
            }

            // bh_unlock_sock(child), sock_put(child): inet_csk_reqsk_queue_add disposed of it.
        }

        request_sock_h.__reqsk_free(req);
        return null;
    }

    // net/ipv4/syncookies.c: cookie_timestamp_decode
    /// <summary>
    /// The options of a cookie connection, from the low bits of the TSecr the
    /// ACK echoes (no timestamp: none at all). False when they name an option
    /// this host has since turned off (timestamps, SACK, window scaling).
    /// </summary>
    public static bool cookie_timestamp_decode(net net, ref tcp_options_received tcp_opt)
    {
        // echoed timestamp, lowest bits contain options
        var options = tcp_opt.rcv_tsecr;
        var ipv4 = Include.Net.Netns.netns_ipv4.of(net);

        if (!tcp_opt.saw_tstamp)
        {
            tcp_clear_options(ref tcp_opt);
            return true;
        }

        if (ipv4.sysctl_tcp_timestamps == 0)
        {
            return false;
        }

        tcp_opt.sack_ok = (byte)((options & TS_OPT_SACK) != 0 ? Include.Linux.tcp_h.TCP_SACK_SEEN : 0);

        if (tcp_opt.sack_ok != 0 && !ipv4.sysctl_tcp_sack)
        {
            return false;
        }

        if ((options & TS_OPT_WSCALE_MASK) == TS_OPT_WSCALE_MASK)
        {
            return true; // no window scaling
        }

        tcp_opt.wscale_ok = true;
        tcp_opt.snd_wscale = (byte)(options & TS_OPT_WSCALE_MASK);

        return ipv4.sysctl_tcp_window_scaling;
    }

    // not ported: net_tx_rndhash — flow hashes (sk_txhash) are not ported: there is no txhash to re-roll
    // not ported: inet_request_mark — SO_MARK / fwmark_reflect is not ported: requests carry no mark
    // net/ipv4/syncookies.c: cookie_tcp_reqsk_init
    /// <summary>The rebuilt request's ports and sequence numbers: the peer's ISN is seq - 1, ours ack_seq - 1. Always 0 (MPTCP: not ported).</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static int cookie_tcp_reqsk_init(sock sk, sk_buff skb, request_sock req)
    {
        var th = tcp_hdr(skb);

        req.num_retrans = 0;

        req.ir_num = th.dest;
        req.ir_rmt_port = th.source;
        // not ported: inet_request_bound_dev_if — written out without l3mdev (no VRF): the ACK's input device, as
        //   tcp_conn_request keeps it
        req.ir_iif = skb.skb_iif;

        // ir_mark (inet_request_mark: no fwmark_accept), SMC, txhash, syn_tos: not kept.
        req.snt_synack = 0;
        req.tfo_listener = false;
        req.rcv_isn = unchecked(th.seq - 1);
        req.snt_isn = unchecked(th.ack_seq - 1);
        req.req_usec_ts = false;

        // MPTCP: not ported.
        _ = sk;
        return 0;
    }

    // net/ipv4/syncookies.c: cookie_tcp_reqsk_alloc
    /// <summary>A request sock rebuilt from a cookie ACK: not attached to the listener, with the decoded MSS and options.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static request_sock? cookie_tcp_reqsk_alloc(sock sk, sk_buff skb, in tcp_options_received tcp_opt, int mss, uint tsoff)
    {
        // sk_is_mptcp: MPTCP is not ported.
        var req = inet_connection_sock_c.inet_reqsk_alloc(sk, false);

        if (cookie_tcp_reqsk_init(sk, skb, req) != 0)
        {
            request_sock_h.reqsk_free(req);
            return null;
        }

        req.mss = (ushort)mss;
        req.ts_recent = tcp_opt.saw_tstamp ? tcp_opt.rcv_tsval : 0;

        req.snd_wscale = tcp_opt.snd_wscale;
        req.tstamp_ok = tcp_opt.saw_tstamp;
        req.sack_ok = tcp_opt.sack_ok != 0;
        req.wscale_ok = tcp_opt.wscale_ok;
        req.ecn_ok = (tcp_opt.rcv_tsecr & TS_OPT_ECN) != 0;

        req.ts_off = tsoff;

        return req;
    }

    // not ported: __NET_INC_STATS — counted with the port's NET_INC_STATS (LINUX_MIB_SYNCOOKIESFAILED,
    //   LINUX_MIB_SYNCOOKIESRECV): with one simulated CPU the non-preemptible variant is the same
    // net/ipv4/syncookies.c: cookie_tcp_check
    /// <summary>
    /// Is the ACK's ack_seq a cookie of ours? Only looked at within
    /// TCP_SYNCOOKIE_VALID of the listener's last overflow. A bad one counts
    /// SyncookiesFailed, a good one SyncookiesRecv; its request is rebuilt
    /// from the cookie and the echoed timestamp. Null with <paramref name="err"/>
    /// set when there is no valid cookie (ERR_PTR(-EINVAL)).
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static request_sock? cookie_tcp_check(net net, sock sk, sk_buff skb, out bool err)
    {
        var tcp_opt = new tcp_options_received();
        uint tsoff = 0;
        err = true;

        if (tcp_synq_no_recent_overflow(sk))
        {
            goto @out;
        }

        var mss = __cookie_v4_check(net.k, ip_hdr(skb), tcp_hdr(skb));
        if (mss == 0)
        {
            Include.Net.ip_h.NET_INC_STATS(net, linux_mib_field.LINUX_MIB_SYNCOOKIESFAILED);
            goto @out;
        }

        Include.Net.ip_h.NET_INC_STATS(net, linux_mib_field.LINUX_MIB_SYNCOOKIESRECV);

        // check for timestamp cookie support
        tcp_input_c.tcp_parse_options(net, skb, ref tcp_opt, false, ref System.Runtime.CompilerServices.Unsafe.NullRef<tcp_fastopen_cookie>());

        if (tcp_opt.saw_tstamp && tcp_opt.rcv_tsecr != 0)
        {
            tsoff = Core.secure_seq_c.secure_tcp_seq_and_ts_off(net, ip_hdr(skb).daddr, ip_hdr(skb).saddr, tcp_hdr(skb).dest, tcp_hdr(skb).source).ts_off;
            tcp_opt.rcv_tsecr = unchecked(tcp_opt.rcv_tsecr - tsoff);
        }

        if (!cookie_timestamp_decode(net, ref tcp_opt))
        {
            goto @out;
        }

        err = false;
        return cookie_tcp_reqsk_alloc(sk, skb, in tcp_opt, mss, tsoff);

    @out:
        return null;
    }

    // not ported: sk_uid — socket owners: the simulation has no users, every socket is uid 0
    // not ported: sk_rcv_saddr_set — written as the field inet_rcv_saddr
    // not ported: sk_daddr_set — written as the field inet_daddr
    // not ported: dst_metric — routes carry no RTAX_ metrics (no "ip route ... initcwnd/window"), so the
    //   per-route value is always 0
    // not ported: SKB_DR_SET — the drop reason is assigned directly to a local
    // not ported: SKB_DR — the drop reason is a plain local set where the kernel would SKB_DR_SET it
    // net/ipv4/syncookies.c: cookie_v4_check
    /// <summary>
    /// An ACK (no SYN) for a listener, with cookies on: if it carries a valid
    /// cookie, the request it encodes is rebuilt, routed, its window chosen as
    /// the SYN-ACK's was, and the child made (tcp_get_cookie_sock) and returned.
    /// The listener comes back when the ACK is no cookie's (it goes on to
    /// tcp_rcv_state_process); null when the skb was dropped here.
    /// </summary>
    [KernelNet.Annotations.Consumes("skb", WhenReturns = 0)]
    public static sock? cookie_v4_check(sock sk, sk_buff skb)
    {
        var th = tcp_hdr(skb);
        var tp = tcp_sk(sk);
        var net = sk.sk_net;
        sock? ret = sk;
        var reason = skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED;
        request_sock? req;

        if (Include.Net.Netns.netns_ipv4.of(net).sysctl_tcp_syncookies == 0 || !th.ack || th.rst)
        {
            goto @out;
        }

        // cookie_bpf_ok: no BPF.
        req = cookie_tcp_check(net, sk, skb, out var err);
        if (err)
        {
            goto @out;
        }

        if (req is null)
        {
            reason = skb_drop_reason.SKB_DROP_REASON_NO_SOCKET;
            goto out_drop;
        }

        // not ported: req_to_sk — the addresses are the request's own fields (ir_loc_addr, ir_rmt_addr)
        req.ir_loc_addr = ip_hdr(skb).daddr;
        req.ir_rmt_addr = ip_hdr(skb).saddr;

        // tcp_v4_save_options: no IP options kept. security_inet_conn_request: no LSM. tcp_ao_syncookie: no TCP-AO.

        // the route, for the window the SYN-ACK offered
        // not ported: flowi4_init_output — the flow is written field by field
        // not ported: ip_sock_rt_tos, ip_sock_rt_scope — tos 0 and universe scope: the port's FIB matches no TOS
        // not ported: inet_sk_flowi_flags — no transparent or freebind listeners (FLOWI_FLAG_ANYSRC never set)
        // not ported: flowi4_to_flowi_common — it only feeds security_req_classify_flow: no LSM
        var fl4 = new flowi4
        {
            flowi4_oif = req.ir_iif,
            flowi4_proto = (byte)in_h.IPPROTO_TCP,
            daddr = req.ir_rmt_addr, // no source route option
            saddr = req.ir_loc_addr,
            fl4_dport = th.source,
            fl4_sport = th.dest,
        };
        var rt = Include.Net.route_h.ip_route_output_key(net, ref fl4, out _);
        if (rt is null)
        {
            reason = skb_drop_reason.SKB_DROP_REASON_IP_OUTNOROUTES;
            goto out_free;
        }

        // Try to redo what tcp_v4_send_synack did. dst_metric(RTAX_WINDOW): no route metrics.
        req.rsk_window_clamp = tp.window_clamp;

        // a receive buffer the user set bounds the window
        var full_space = tcp_full_space(sk);
        if ((sk.sk_userlocks & SOCK_RCVBUF_LOCK) != 0 && (req.rsk_window_clamp > full_space || req.rsk_window_clamp == 0))
        {
            req.rsk_window_clamp = (uint)full_space;
        }

        var wc = req.rsk_window_clamp;
        tcp_output_c.tcp_select_initial_window(sk, full_space, req.mss, out var rcv_wnd, ref wc, req.wscale_ok, out var rcv_wscale, 0);
        req.rsk_rcv_wnd = rcv_wnd;
        req.rsk_window_clamp = wc;

        // req->syncookie is set only by the BPF kfunc (not ported): the window scale is ours to choose
        if (!req.syncookie)
        {
            req.rcv_wscale = rcv_wscale;
        }

        // not ported: cookie_ecn_ok — written out: the cookie's ECN bit counts only while net.ipv4.tcp_ecn is on
        //   (no route carries RTAX_FEATURE_ECN here)
        // AccECN (cookie_accecn_ok): not ported.
        req.ecn_ok &= Include.Net.Netns.netns_ipv4.of(net).sysctl_tcp_ecn != 0;

        ret = tcp_get_cookie_sock(sk, skb, req, rt);
        if (ret is null)
        {
            reason = skb_drop_reason.SKB_DROP_REASON_NO_SOCKET;
            goto out_drop;
        }

        // ip_queue_xmit depends on the child's flow (normal children get it from inet_csk_route_child_sock)
        ref var cork = ref Include.Net.inet_sock_h.inet_sk(ret).cork_fl;
        cork.flowi4_oif = fl4.flowi4_oif;
        cork.flowi4_proto = fl4.flowi4_proto;
        cork.saddr = fl4.saddr;
        cork.daddr = fl4.daddr;
        cork.fl4_sport = fl4.fl4_sport;
        cork.fl4_dport = fl4.fl4_dport;
    @out:
        return ret;
    out_free:
        request_sock_h.reqsk_free(req);
    out_drop:
        sk_skb_reason_drop(sk, skb, reason);
        return null;
    }
}
