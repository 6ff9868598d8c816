// Ports net/ipv4/tcp_ipv4.c: TCP over IPv4 — tcp_prot, the active open
// (tcp_v4_connect), the passive open (tcp_v4_conn_request, the SYN-ACK of
// tcp_v4_send_synack, the child of tcp_v4_syn_recv_sock, request socks
// found in the established table), the receive entry (tcp_v4_rcv and tcp_v4_do_rcv), the
// reset a segment for no socket earns (tcp_v4_send_reset, sent from the
// namespace's control socket, with the tcp_send_reset tracepoint and its
// rstreason.h reason), the checksum, tcp_v4_destroy_sock (tcp_destroy_sock),
// and the per-namespace and boot-time set-up.
//
// tcp_prot's recvmsg (tcp_recvmsg) and ioctl (tcp_ioctl) are wired; an
// ESTABLISHED socket's segments go to tcp_rcv_established.
//
// SYN cookies: tcp_v4_cookie_check hands a listener's ACK to syncookies.cs.
//
// ICMP errors: tcp_v4_err (the err_handler of tcp_protocol), with path MTU
// discovery (tcp_v4_mtu_reduced) and RFC 6069's RTO revert.
//
// not ported yet: MD5/AO signing (tcp_inbound_hash
// only drops unexpected or malformed signatures: the port has no keys), the
// TCP_MINTTL check, xfrm policy checks. /proc/net/tcp (tcp4_seq_show) is
// ported; its seq_file iterator is a walk of the port's tables.
// not ported: snd_other_key, tcp_ao_copy_all_matching, tcp_ao_hash_hdr, tcp_ao_ignore_icmp, tcp_ao_len,
//   tcp_ao_len_aligned, tcp_key_is_ao, tcp_rsk_used_ao, tcp_v4_ao_sign_reset — no TCP-AO (RFC 5925):
//   TCP_AO_ADD_KEY is not ported, so no socket or request has an AO key
// not ported: static_branch_tcp_md5, tcp_key_is_md5, tcp_md5_do_lookup, tcp_md5_key_copy,
//   tcp_parse_auth_options, tcp_twsk_md5_key, tcp_v4_md5_hash_hdr, tcp_v4_md5_hash_skb — no TCP-MD5 (RFC 2385):
//   TCP_MD5SIG is not ported, so no key is ever found
// not ported: bpf_iter_register, tcp_bpf_ca_needs_ecn — no BPF sock_ops programs can be attached in the
//   simulation
// not ported: psp_sk_overhead, psp_sk_rx_policy_check, psp_skb_coalesce_diff — no PSP encryption (no PSP
//   device is simulated): every skb is plaintext
// not ported: mptcp_reset_option — no MPTCP: IPPROTO_MPTCP is not ported, every socket is plain TCP
using System;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.ip_h;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Include.Linux.tcp_h;
using static KernelNet.Kernel.Include.Net.inet_connection_sock_h;
using static KernelNet.Kernel.Include.Net.inet_sock_h;
using static KernelNet.Kernel.Include.Net.route_h;
using static KernelNet.Kernel.Include.Net.rstreason_h;
using static KernelNet.Kernel.Include.Net.sock_h;
using static KernelNet.Kernel.Include.Net.tcp_h;
using static KernelNet.Kernel.Include.Net.tcp_states_h;
using static KernelNet.Kernel.Net.Core.skbuff_c;

namespace KernelNet.Kernel.Net.Ipv4;

/// <summary>tcp_ipv4.c's globals: tcp_hashinfo, the one set of TCP socket tables every namespace shares.</summary>
public sealed class tcp_ipv4_globals
{
    public inet_hashinfo tcp_hashinfo { get; } = new();
}

public static class tcp_ipv4_c
{
    /// <summary>tcp_hashinfo.</summary>
    [KernelNet.Annotations.NotInLinux("C# accessor of the global tcp_hashinfo, which the port hangs off Vmlinux")]
    public static inet_hashinfo tcp_hashinfo(Vmlinux k) => k.globals<tcp_ipv4_globals>().tcp_hashinfo;

    // not ported: ipv6_addr_loopback, ipv6_addr_v4mapped_loopback — IPv4 only: the port has no AF_INET6
    //   sockets, so no v4-mapped loopback pair
    // net/ipv4/tcp_ipv4.c: tcp_twsk_unique
    /// <summary>
    /// May connect() take over the 4-tuple a TIME_WAIT entry holds? Only if the
    /// old connection used timestamps (PAWS tells the old segments apart) and,
    /// from the ephemeral search (<paramref name="twp"/>), net.ipv4.tcp_tw_reuse
    /// allows it (2, the default: only on loopback) and tcp_tw_reuse_delay has
    /// passed since the entry was made. A bound port needs only the timestamps.
    /// The new connection starts its sequence past the old one's window, with its
    /// timestamps. 1: reuse; 0: the tuple is busy.
    /// </summary>
    public static int tcp_twsk_unique(sock sk, sock sktw, bool twp)
    {
        var reuse = netns_ipv4.of(sk.sk_net).sysctl_tcp_tw_reuse;
        var tw = inet_timewait_sock_h.inet_twsk(sktw);
        var tp = tcp_sk(sk);

        if (tw.tw_substate == TCP_FIN_WAIT2)
        {
            reuse = 0;
        }

        if (reuse == 2)
        {
            // Loopback only: a loopback address on either side, or bound to lo.
            // ipv4_is_loopback: 127.0.0.0/8; LOOPBACK_IFINDEX is 1.
            var loopback = sktw.sk_bound_dev_if == 1 ||
                (tw.inet_daddr & 0xff000000) == 0x7f000000 || (tw.inet_rcv_saddr & 0xff000000) == 0x7f000000;
            if (!loopback)
            {
                reuse = 0;
            }
        }

        var ts_recent_stamp = tw.tw_ts_recent_stamp;
        var reuse_thresh = unchecked(tw.tw_entry_stamp + (uint)netns_ipv4.of(sk.sk_net).sysctl_tcp_tw_reuse_delay);

        // the virtual clock's first second stamps 0: tw_ts_recent also says a timestamp was seen (as tcp_timewait_state_process reads it).
        var saw_ts = ts_recent_stamp != 0 || tw.tw_ts_recent != 0;

        // not ported: time_after32 — written out as the signed 32-bit difference it is
        if (saw_ts && (!twp || (reuse != 0 && (int)(uint)(tcp_clock_ms(sk.sk_net.k) - reuse_thresh) > 0)))
        {
            // sk_refcnt of the timewait sock: it cannot be going away under us (one thread).
            var seq = unchecked(tw.tw_snd_nxt + 65535 + 2);
            if (seq == 0)
            {
                seq = 1;
            }

            tp.write_seq = seq;
            tp.rx_opt.ts_recent = tw.tw_ts_recent;
            tp.rx_opt.ts_recent_stamp = ts_recent_stamp;
            return 1;
        }

        return 0;
    }

    // not ported: sk_rcv_saddr_set — written as the field inet_rcv_saddr
    // not ported: sk_daddr_set — written as the field inet_daddr
    // not ported: ip_rt_put — route references are counted (dst.__rcuref, bookkeeping only: the garbage collector frees routes), but this take or put is not made here, so the count need not balance
    // not ported: dst_tcp_usec_ts — per-route usec TCP timestamps (RTAX_FEATURE_TCP_USEC_TS) are not ported:
    //   timestamps tick in ms
    // net/ipv4/tcp_ipv4.c: tcp_v4_connect
    /// <summary>
    /// connect() of a TCP socket: route to the peer, take the route's source
    /// address unless bound, record the peer, SYN_SENT, enter the established
    /// table (inet_hash_connect), pick the ISN and timestamp offset from keyed
    /// hashes, a random IP ID start, and send the SYN (tcp_connect). On
    /// failure the socket goes back to CLOSE.
    /// </summary>
    public static int tcp_v4_connect(sock sk, byte[] uaddr, int addr_len)
    {
        var inet = inet_sk(sk);
        var tp = tcp_sk(sk);
        var net = sk.sk_net;
        int err;

        if (addr_len < in_h.SOCKADDR_IN_SIZE)
        {
            return -errno_base_h.EINVAL;
        }

        var usin = new sockaddr_in(uaddr);
        if (usin.sin_family != socket_h.AF_INET)
        {
            return -errno_h.EAFNOSUPPORT;
        }

        // No IP options: no source route, the next hop is the destination.
        var nexthop = usin.sin_addr;
        var daddr = nexthop;
        var orig_sport = inet.inet_sport;
        var orig_dport = usin.sin_port;
        ref var fl4 = ref inet.cork_fl;
        var rt = ip_route_connect(ref fl4, nexthop, inet.inet_saddr, sk.sk_bound_dev_if, (byte)in_h.IPPROTO_TCP, orig_sport, orig_dport, sk, out err);
        if (rt is null)
        {
            if (err == -errno_h.ENETUNREACH)
            {
                Include.Net.ip_h.IP_INC_STATS(net, ipstats_mib_field.IPSTATS_MIB_OUTNOROUTES);
            }

            return err;
        }

        if ((rt.rt_flags & (RTCF_MULTICAST | RTCF_BROADCAST)) != 0)
        {
            return -errno_h.ENETUNREACH;
        }

        daddr = fl4.daddr;

        if (inet.inet_saddr == 0)
        {
            // not ported: inet_bhash2_update_saddr — bhash2 is not ported: what is left is its inet_update_saddr,
            //   written out: the route's source becomes ours
            inet.inet_saddr = fl4.saddr;
            inet.inet_rcv_saddr = fl4.saddr;
        }
        else
        {
            inet.inet_rcv_saddr = inet.inet_saddr; // sk_rcv_saddr_set
        }

        if (tp.rx_opt.ts_recent_stamp != 0 && inet.inet_daddr != daddr)
        {
            // Reset inherited state
            tp.rx_opt.ts_recent = 0;
            tp.rx_opt.ts_recent_stamp = 0;
            tp.write_seq = 0;
        }

        inet.inet_dport = usin.sin_port;
        inet.inet_daddr = daddr; // sk_daddr_set

        inet_csk(sk).icsk_ext_hdr_len = 0; // psp_sk_overhead: no PSP; no IP options
        tp.rx_opt.mss_clamp = TCP_MSS_DEFAULT;

        tcp_c.tcp_set_state(sk, TCP_SYN_SENT);
        err = inet_hashtables_c.inet_hash_connect(sk);
        if (err != 0)
        {
            goto failure;
        }

        sk_set_txhash(sk);

        // not ported: ip_route_newports — the port's route lookups match no ports (no port-based policy
        //   routing), so a new source port needs no new lookup: the route stands
        tp.tcp_usec_ts = false; // dst_tcp_usec_ts: no RTAX_FEATURE_TCP_USEC_TS route

        sk.sk_gso_type = SKB_GSO_TCPV4;
        Core.sock_c.sk_setup_caps(sk, rt);

        // not ported: tp->repair — TCP_REPAIR is not ported, so the hash is always taken.
        var st = Core.secure_seq_c.secure_tcp_seq_and_ts_off(net, inet.inet_saddr, inet.inet_daddr, inet.inet_sport, usin.sin_port);
        if (tp.write_seq == 0)
        {
            tp.write_seq = st.seq;
        }

        tp.tsoffset = st.ts_off;
        inet.inet_id = (ushort)Drivers.Char.random_c.get_random_u32(net.k); // get_random_u16

        if (tcp_fastopen_c.tcp_fastopen_defer_connect(sk, ref err))
        {
            return err;
        }

        err = tcp_output_c.tcp_connect(sk);
        if (err != 0)
        {
            goto failure;
        }

        return 0;

    failure:
        tcp_c.tcp_set_state(sk, TCP_CLOSE);
        if ((sk.sk_userlocks & SOCK_BINDADDR_LOCK) == 0)
        {
            inet.inet_saddr = 0; // inet_bhash2_reset_saddr
            inet.inet_rcv_saddr = 0;
        }

        sk.sk_dst_cache = null;
        inet.inet_dport = 0;
        return err;
    }

    // net/ipv4/tcp_ipv4.c: tcp_v4_mtu_reduced
    /// <summary>
    /// Acts on the path MTU a frag-needed left in tp.mtu_info: the route takes
    /// it (inet_csk_update_pmtu); if it is below what the MSS was synced to,
    /// the MSS shrinks and what no longer fits is sent again at once
    /// (tcp_simple_retransmit) rather than waiting for the RTO. A reported MTU
    /// below the route's floor leaves EMSGSIZE as the soft error.
    /// </summary>
    public static void tcp_v4_mtu_reduced(sock sk)
    {
        var inet = inet_sk(sk);
        if (((1 << sk.sk_state) & (TCPF_LISTEN | TCPF_CLOSE)) != 0)
        {
            return;
        }

        var mtu = tcp_sk(sk).mtu_info;
        var dst = inet_connection_sock_c.inet_csk_update_pmtu(sk, mtu);
        if (dst is null)
        {
            return;
        }

        // The path is worse than the route allows: keep the reason in case the connection cannot recover.
        if (mtu < Include.Net.dst_h.dst_mtu(dst) && Include.Net.ip_h.ip_dont_fragment(sk, dst))
        {
            sk.sk_err_soft = errno_h.EMSGSIZE;
        }

        mtu = Include.Net.dst_h.dst_mtu(dst);

        if (inet.pmtudisc != in_h.IP_PMTUDISC_DONT &&
            Include.Net.ip_h.ip_sk_accept_pmtu(sk) &&
            inet_csk(sk).icsk_pmtu_cookie > mtu)
        {
            tcp_output_c.tcp_sync_mss(sk, mtu);

            // The segment that drew the error was dropped on the way: resend now at the new size.
            tcp_input_c.tcp_simple_retransmit(sk);
        }

        // Otherwise the retransmit timer deals with it.
    }

    // not ported: do_redirect — ICMP redirects are not ported (icmp.cs); tcp_v4_err ignores them.

    // not ported: inet_reqsk — the request sock is read from sk.proto_data, where the port's request mini
    //   socket keeps it
    // not ported: __NET_INC_STATS — counted with the port's NET_INC_STATS (LINUX_MIB_OUTOFWINDOWICMPS): with
    //   one simulated CPU the non-preemptible variant is the same
    // net/ipv4/tcp_ipv4.c: tcp_req_err
    /// <summary>
    /// An ICMP error about a SYN-ACK of a request sock (TCP_NEW_SYN_RECV): one
    /// that does not quote our ISN is counted OutOfWindowIcmps; a fatal one
    /// (<paramref name="abort"/>) removes the request quietly, since accept()
    /// has no way to report network errors.
    /// </summary>
    public static void tcp_req_err(sock sk, uint seq, bool abort)
    {
        var req = (request_sock)sk.proto_data!; // inet_reqsk
        var net = sk.sk_net;

        // ICMP is never backlogged, so the request cannot have become a full socket here.
        if (seq != req.snt_isn)
        {
            Include.Net.ip_h.NET_INC_STATS(net, linux_mib_field.LINUX_MIB_OUTOFWINDOWICMPS);
        }
        else if (abort)
        {
            inet_connection_sock_c.inet_csk_reqsk_queue_drop(req.rsk_listener!, req);
            tcp_listendrop(req.rsk_listener!);
        }

        request_sock_h.reqsk_put(req);
    }

    // net/ipv4/tcp_ipv4.c: tcp_ld_RTO_revert
    /// <summary>
    /// TCP-LD (RFC 6069): a net or host unreachable about the head of the
    /// retransmit queue while the RTO is backed off means the loss was the
    /// path's, not congestion: undo one backoff step and rearm the timer for
    /// what is left of the shorter RTO, or retransmit now if it has run out.
    /// </summary>
    public static void tcp_ld_RTO_revert(sock sk, uint seq)
    {
        var icsk = inet_csk(sk);
        var tp = tcp_sk(sk);

        if (sock_owned_by_user(sk))
        {
            return;
        }

        if (seq != tp.snd_una || icsk.icsk_retransmits == 0 || icsk.icsk_backoff == 0)
        {
            return;
        }

        var skb = tcp_rtx_queue_head(sk);
        if (skb is null)
        {
            // WARN_ON_ONCE: a backed-off RTO with nothing to retransmit.
            return;
        }

        icsk.icsk_backoff--;
        icsk.icsk_rto = tp.srtt_us != 0 ? __tcp_set_rto(tp) : TCP_TIMEOUT_INIT;
        icsk.icsk_rto = (uint)inet_csk_rto_backoff(icsk, tcp_rto_max(sk));

        tcp_output_c.tcp_mstamp_refresh(tp);
        var delta_us = (uint)(tp.tcp_mstamp - tcp_skb_timestamp_us(skb));
        var remaining = (int)(icsk.icsk_rto - (uint)jiffies_h.usecs_to_jiffies(delta_us));

        if (remaining > 0)
        {
            tcp_reset_xmit_timer(sk, ICSK_TIME_RETRANS, (ulong)remaining, false);
        }
        else
        {
            // The reverted RTO has already expired: retransmit now.
            tcp_timer_c.tcp_retransmit_timer(sk);
        }
    }

    // not ported: dev_net_rcu — one network namespace per simulated host: the netns is the socket's own, so
    //   the RCU device lookup of it is a field read
    // not ported: bh_lock_sock — the socket spinlock: one simulated CPU, and process context holds the socket
    //   only with bottom halves off (lock_sock to release_sock), so softirq or timer code never finds it held
    // not ported: __NET_INC_STATS — counted with the port's NET_INC_STATS (LINUX_MIB_LOCKDROPPEDICMPS,
    //   LINUX_MIB_OUTOFWINDOWICMPS, LINUX_MIB_TCPMINTTLDROP): with one simulated CPU the non-preemptible
    //   variant is the same
    // net/ipv4/tcp_ipv4.c: tcp_v4_err
    /// <summary>
    /// tcp_protocol.err_handler: an ICMP error quoting a segment we sent
    /// (skb.data at the quoted IP header, at least 8 bytes of TCP behind it).
    /// Finds the connection (none: InErrors); a request sock goes to
    /// tcp_req_err, TIME_WAIT ignores it. The quoted sequence must lie in
    /// snd_una..snd_nxt (a Fast Open child's: from its ISN) or the error is
    /// only counted (OutOfWindowIcmps). Frag-needed lowers the path MTU
    /// (tcp_v4_mtu_reduced); source quench and redirects are ignored; a net or
    /// host unreachable may revert the RTO backoff (RFC 6069). In SYN_SENT or
    /// SYN_RECV the error ends the connection (tcp_done_with_error); once
    /// established it is reported at once only with IP_RECVERR, else kept as
    /// the soft error the timeout reports. Runs in softirq; always returns 0
    /// once a socket is found.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static int tcp_v4_err(sk_buff skb, uint info)
    {
        var iph = new iphdr(skb.head.AsSpan(skb.data));
        var th = new tcphdr(skb.head.AsSpan(skb.data + (iph.ihl << 2)));
        var net = skb.dev!.nd_net;
        var icmph = new icmphdr(skb.head.AsSpan(skb.transport_header)); // icmp_hdr
        int type = icmph.type;
        int code = icmph.code;
        int err;

        // not ported: inet_iif — written out: the skb's skb_iif, else its device's index (the ICMP's input route
        //   carries no rt_iif here)
        var iif = skb.skb_iif != 0 ? skb.skb_iif : skb.dev.ifindex;
        var sk = inet_hashtables_c.__inet_lookup_established(net, tcp_hashinfo(net.k), iph.daddr, th.dest, iph.saddr, th.source, iif, 0);
        if (sk is null)
        {
            // not ported: __ICMP_INC_STATS — the ICMP MIB's field is counted in place
            netns_ipv4.of(net).mib.icmp_statistics[(int)icmp_mib_field.ICMP_MIB_INERRORS]++;
            return -errno_base_h.ENOENT;
        }

        if (sk.sk_state == TCP_TIME_WAIT)
        {
            // tcp_ao_ignore_icmp: no TCP-AO keys in the port.
            // not ported: inet_twsk_put — timewait socks are not refcounted
            return 0;
        }

        var seq = th.seq;
        if (sk.sk_state == TCP_NEW_SYN_RECV)
        {
            tcp_req_err(sk, seq, type == Include.Uapi.Linux.icmp_h.ICMP_PARAMETERPROB ||
                                 type == Include.Uapi.Linux.icmp_h.ICMP_TIME_EXCEEDED ||
                                 (type == Include.Uapi.Linux.icmp_h.ICMP_DEST_UNREACH &&
                                  (code == Include.Uapi.Linux.icmp_h.ICMP_NET_UNREACH || code == Include.Uapi.Linux.icmp_h.ICMP_HOST_UNREACH)));
            return 0;
        }

        // tcp_ao_ignore_icmp: no TCP-AO keys. sock_put: no refcounts.

        // bh_lock_sock: against the socket's owner in process context (one thread here).
        // An ICMP that finds the socket owned is handled anyway, as in 6.18, and counted;
        // frag-needed is exempt since we may get our own while holding the socket.
        if (sock_owned_by_user(sk))
        {
            if (!(type == Include.Uapi.Linux.icmp_h.ICMP_DEST_UNREACH && code == Include.Uapi.Linux.icmp_h.ICMP_FRAG_NEEDED))
            {
                Include.Net.ip_h.NET_INC_STATS(net, linux_mib_field.LINUX_MIB_LOCKDROPPEDICMPS);
            }
        }

        if (sk.sk_state == TCP_CLOSE)
        {
            goto @out;
        }

        // not ported: the IP_MINTTL check (TCPMinTTLDrop) — IP_MINTTL is not ported.

        var tp = tcp_sk(sk);

        // A Fast Open child's snd_una is past its ISN already (tcp_create_openreq_child): the SYN-ACK quotes the ISN.
        var fastopen = tp.fastopen_rsk;
        var snd_una = fastopen is not null ? fastopen.snt_isn : tp.snd_una;
        if (sk.sk_state != TCP_LISTEN && !between(seq, snd_una, tp.snd_nxt))
        {
            Include.Net.ip_h.NET_INC_STATS(net, linux_mib_field.LINUX_MIB_OUTOFWINDOWICMPS);
            goto @out;
        }

        switch (type)
        {
            case Include.Uapi.Linux.icmp_h.ICMP_REDIRECT:
                // do_redirect: redirects are not ported.
                goto @out;
            case Include.Uapi.Linux.icmp_h.ICMP_SOURCE_QUENCH:
                // Ignored (RFC 6633).
                goto @out;
            case Include.Uapi.Linux.icmp_h.ICMP_PARAMETERPROB:
                err = errno_h.EPROTO;
                break;
            case Include.Uapi.Linux.icmp_h.ICMP_DEST_UNREACH:
                if (code > Include.Uapi.Linux.icmp_h.NR_ICMP_UNREACH)
                {
                    goto @out;
                }

                if (code == Include.Uapi.Linux.icmp_h.ICMP_FRAG_NEEDED)
                {
                    // Path MTU discovery (RFC 1191). Not for a listener: SYN-ACKs are small enough never to need it.
                    if (sk.sk_state == TCP_LISTEN)
                    {
                        goto @out;
                    }

                    tp.mtu_info = info;
                    if (!sock_owned_by_user(sk))
                    {
                        tcp_v4_mtu_reduced(sk);
                    }
                    else
                    {
                        // The owner's release_sock runs it (tcp_release_cb). test_and_set_bit; sock_hold: no refcounts.
                        sk.sk_tsq_flags |= TCPF_MTU_REDUCED_DEFERRED;
                    }

                    goto @out;
                }

                err = icmp_c.icmp_err_convert((byte)code).errno;

                // RFC 6069: a net or host unreachable may undo the backoff (not for a Fast Open child's SYN-ACK).
                if (fastopen is null && (code == Include.Uapi.Linux.icmp_h.ICMP_NET_UNREACH || code == Include.Uapi.Linux.icmp_h.ICMP_HOST_UNREACH))
                {
                    tcp_ld_RTO_revert(sk, seq);
                }

                break;
            case Include.Uapi.Linux.icmp_h.ICMP_TIME_EXCEEDED:
                err = errno_h.EHOSTUNREACH;
                break;
            default:
                goto @out;
        }

        switch (sk.sk_state)
        {
            case TCP_SYN_SENT:
            case TCP_SYN_RECV:
                // Only an active or simultaneous open, or a Fast Open child not yet accepted:
                // an accepted one (its request has no child any more) counts as connected below.
                if (fastopen is not null && fastopen.child is null)
                {
                    break;
                }

                // not ported: ip_icmp_error — the error queue (IP_RECVERR's MSG_ERRQUEUE) is not ported.
                if (!sock_owned_by_user(sk))
                {
                    tcp_input_c.tcp_done_with_error(sk, err);
                }
                else
                {
                    sk.sk_err_soft = err;
                }

                goto @out;
        }

        // Once connected, keep trying until the timeout or the user gives up: RFC 1122 4.2.3.9 would
        // allow protocol and port unreachable as hard errors, but only IP_RECVERR reports at once.
        if (!sock_owned_by_user(sk) && inet_sk(sk).recverr)
        {
            sk.sk_err = err;
            Core.sock_c.sk_error_report(sk);
        }
        else
        {
            // Reported when the connection times out.
            sk.sk_err_soft = err;
        }

    @out:
        // bh_unlock_sock, sock_put
        return 0;
    }

    // not ported: skb_transport_header — the header is read through the port's parsed tcphdr
    // net/ipv4/tcp_ipv4.c: __tcp_v4_send_check
    /// <summary>
    /// Prepares the checksum for offload (the skb is CHECKSUM_PARTIAL): the
    /// check field gets the folded pseudo-header sum over skb->len bytes
    /// (data is at the TCP header), csum_start/csum_offset tell the device,
    /// or skb_checksum_help, where to sum the segment and where to write it.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    [KernelNet.Annotations.Borrows("skb")]
    public static void __tcp_v4_send_check(sk_buff skb, uint saddr, uint daddr)
    {
        var th = tcp_hdr(skb);

        th.check = (ushort)~tcp_v4_check(skb.len, saddr, daddr, 0);
        skb.csum_start = skb.transport_header; // skb_transport_header(skb) - skb->head
        skb.csum_offset = TCP_CHECK_OFFSET;
    }

    /// <summary>offsetof(struct tcphdr, check).</summary>
    internal const ushort TCP_CHECK_OFFSET = 16;

    // net/ipv4/tcp_ipv4.c: tcp_v4_send_check
    /// <summary>The TCP checksum over the IPv4 pseudo-header.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void tcp_v4_send_check(sock sk, sk_buff skb)
    {
        var inet = inet_sk(sk);
        __tcp_v4_send_check(skb, inet.inet_saddr, inet.inet_daddr);
    }

    /// <summary>The namespace's TCP control socket (ipv4_tcp_sk: per CPU in C, bound to the namespace with sock_net_set).</summary>
    [KernelNet.Annotations.NotInLinux("C# accessor of this_cpu_read(ipv4_tcp_sk), a per-cpu control socket")]
    private static sock tcp_ctl_sk(net net)
    {
        var ipv4 = netns_ipv4.of(net);
        if (!ipv4.priv.TryGetValue(typeof(tcp_ipv4_globals), out var o))
        {
            // inet_ctl_sock_create(SOCK_RAW, IPPROTO_TCP) with IP_PMTUDISC_DO (tcp_v4_init).
            var sk = new sock(net, socket_h.AF_INET, 3 /* SOCK_RAW */, in_h.IPPROTO_TCP);
            sk.proto_data = new inet_sock(sk) { pmtudisc = 2 /* IP_PMTUDISC_DO */, uc_ttl = -1 };
            o = sk;
            ipv4.priv[typeof(tcp_ipv4_globals)] = o;
        }

        return (sock)o;
    }

    // not ported: xfrm_sk_clone_policy, xfrm_sk_free_policy — no IPsec: xfrm policies are not ported, so the
    //   control socket has none to take or drop
    // not ported: tcp_v4_sdif — no VRF (l3mdev) devices are simulated: sdif is always 0
    // not ported: sock_net_uid — socket owners: the simulation has no users, every socket is uid 0
    // not ported: skb_dst_dev_net_rcu — one network namespace per simulated host: the netns is the socket's
    //   own, so the RCU device lookup of it is a field read
    // not ported: inet_sk_transparent — IP_TRANSPARENT is not ported
    // net/ipv4/tcp_ipv4.c: tcp_v4_send_reset
    /// <summary>
    /// Answers a segment nobody wants with a RST: to an ACK, seq = its ack;
    /// otherwise ACK|RST acknowledging everything it occupied (SYN, FIN and
    /// data). Never to a RST, and with no socket only for a packet addressed
    /// to us. Sent from the control socket (ip_send_unicast_reply); counts
    /// OutSegs and OutRsts.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static void tcp_v4_send_reset(sock? sk, sk_buff skb, sk_rst_reason reason)
    {
        var th = tcp_hdr(skb);

        if (th.rst)
        {
            return;
        }

        if (sk is null && skb_rtable(skb)!.rt_type != rtn_type.RTN_LOCAL)
        {
            return;
        }

        var rep = new byte[tcphdr.Size];
        var rth = new tcphdr(rep);
        rth.dest = th.source;
        rth.source = th.dest;
        rth.doff = tcphdr.Size / 4;
        byte flags = TCPHDR_RST;
        if (th.ack)
        {
            rth.seq = th.ack_seq;
        }
        else
        {
            flags |= TCPHDR_ACK;
            rth.ack_seq = (uint)(th.seq + (th.syn ? 1 : 0) + (th.fin ? 1 : 0) + skb.len - (th.doff << 2));
        }

        rth.flags = flags;

        var net = sk is not null ? sk.sk_net : skb.dst!.dev!.nd_net;

        // tcp_parse_auth_options, MD5/AO signatures, MPTCP reset option: not ported.
        // not ported: __inet_lookup_listener, inet_iif — the listener lookup finds an MD5 key for a reset with no
        //   socket: TCP-MD5 is not ported
        // not ported: sk_fullsock, sock_net_set, tcp_transmit_time — no socket uids (arg.uid), the control socket
        //   is the namespace's own (nothing to switch), and no socket has a transmit time (SO_TXTIME, EDT pacing
        //   of replies is not ported)
        // not ported: __TCP_INC_STATS — counted with the port's TCP_INC_STATS (one copy of the MIB per netns)
        var iph = ip_hdr(skb);
        var arg = new ip_reply_arg
        {
            iov = rep,
            csum = Include.Net.checksum_h.csum_tcpudp_nofold(iph.daddr, iph.saddr, tcphdr.Size, (byte)in_h.IPPROTO_TCP, 0),
            csumoffset = 16 / 2,
            bound_dev_if = sk?.sk_bound_dev_if ?? 0,
            tos = (byte)(iph.tos & ~3), // ~INET_ECN_MASK
        };

        Include.Trace.Events.tcp_h.trace_tcp_send_reset(sk, skb, reason);

        // bottom halves off around the use of the control socket (per CPU in 6.18)
        bottom_half_h.local_bh_disable(net.k);
        var ctl_sk = tcp_ctl_sk(net);
        ctl_sk.sk_mark = sk?.sk_mark ?? 0;
        ctl_sk.sk_priority = sk?.sk_priority ?? 0;
        ip_output_c.ip_send_unicast_reply(ctl_sk, sk, skb, iph.saddr, iph.daddr, arg, (uint)arg.iov.Length);

        TCP_INC_STATS(net, tcp_mib_field.TCP_MIB_OUTSEGS);
        TCP_INC_STATS(net, tcp_mib_field.TCP_MIB_OUTRSTS);
        bottom_half_h.local_bh_enable(net.k);
    }

    // net/ipv4/tcp_ipv4.c: tcp_v4_cookie_check
    /// <summary>A listener's segment that is no SYN may be the ACK of a SYN cookie: cookie_v4_check (the listener itself when it is not).</summary>
    [KernelNet.Annotations.Consumes("skb", WhenReturns = 0)]
    private static sock? tcp_v4_cookie_check(sock sk, sk_buff skb)
    {
        var th = tcp_hdr(skb);

        if (!th.syn)
        {
            return syncookies_c.cookie_v4_check(sk, skb);
        }

        return sk;
    }

    // not ported: sk_mark_napi_id — busy polling (SO_BUSY_POLL, napi ids) is not ported
    // not ported: dst_release — route references are counted (dst.__rcuref, bookkeeping only: the garbage collector frees routes), but this take or put is not made here, so the count need not balance
    // net/ipv4/tcp_ipv4.c: tcp_v4_do_rcv
    /// <summary>
    /// The socket's part of receiving, under its lock: ESTABLISHED goes to
    /// tcp_rcv_established; a LISTEN socket's ACK may complete a SYN cookie
    /// (tcp_v4_cookie_check: the child takes it, tcp_child_process); every
    /// other state goes through tcp_rcv_state_process, whose nonzero reason
    /// earns the sender a RST. Outside ESTABLISHED a bad checksum is traced
    /// here (tcp_bad_csum) and counted (CsumErrors, InErrs). Consumes the skb.
    /// </summary>
    [KernelNet.Annotations.Consumes("skb")]
    public static int tcp_v4_do_rcv(sock sk, sk_buff skb)
    {
        skb_drop_reason reason;
        sock rsk;

        // psp_sk_rx_policy_check: no PSP.
        if (sk.sk_state == TCP_ESTABLISHED)
        {
            // Fast path: sk_rx_dst and busy polling are not modelled. An ESTABLISHED
            // socket's segment has its checksum checked in tcp_rcv_established.
            Include.Net.sock_h.sock_rps_save_rxhash(sk, skb);
            tcp_input_c.tcp_rcv_established(sk, skb);
            return 0;
        }

        if (tcp_checksum_complete(skb))
        {
            goto csum_err;
        }

        if (sk.sk_state == TCP_LISTEN)
        {
            var nsk = tcp_v4_cookie_check(sk, skb);

            if (nsk is null)
            {
                return 0;
            }

            if (nsk != sk)
            {
                reason = tcp_minisocks_c.tcp_child_process(sk, nsk, skb);
                if (reason != 0)
                {
                    rsk = nsk;
                    goto reset;
                }

                return 0;
            }
        }
        else
        {
            Include.Net.sock_h.sock_rps_save_rxhash(sk, skb);
        }

        reason = tcp_input_c.tcp_rcv_state_process(sk, skb);
        if (reason != 0)
        {
            rsk = sk;
            goto reset;
        }

        return 0;

    reset:
        tcp_v4_send_reset(rsk, skb, sk_rst_convert_drop_reason(reason));

        // discard:
        sk_skb_reason_drop(sk, skb, reason);
        return 0;

    csum_err:
        reason = skb_drop_reason.SKB_DROP_REASON_TCP_CSUM;
        Include.Trace.Events.tcp_h.trace_tcp_bad_csum(skb);
        TCP_INC_STATS(sk.sk_net, tcp_mib_field.TCP_MIB_CSUMERRORS);

        // err_discard:
        TCP_INC_STATS(sk.sk_net, tcp_mib_field.TCP_MIB_INERRS);
        sk_skb_reason_drop(sk, skb, reason);
        return 0;
    }

    // not ported: tcp_cleanup_skb — the skb's dst and secpath: the port keeps no dst reference on received
    //   skbs and has no IPsec
    // not ported: skb_hwtstamps — hardware timestamps: no simulated NIC stamps packets
    // not ported: bh_unlock_sock — the socket spinlock: one simulated CPU, and process context holds the
    //   socket only with bottom halves off (lock_sock to release_sock), so softirq or timer code never finds it
    //   held
    // not ported: before — the sequence comparison is written out with after()/signed arithmetic
    // not ported: __NET_INC_STATS — TCPBackLogDrop is counted with the port's NET_INC_STATS (one simulated
    //   CPU: the non-preemptible variant is the same); PFMemallocDrop is not: no pfmemalloc skbs exist here
    // net/ipv4/tcp_ipv4.c: tcp_add_backlog
    /// <summary>
    /// Queues a segment for the task that owns the socket, within the
    /// receive and send buffers plus 64 KB; beyond that it is dropped
    /// (TCPBacklogDrop, SOCKET_BACKLOG) and true is returned; so is a segment
    /// whose checksum is bad (tcp_bad_csum, TCP_CSUM, CsumErrors, InErrs).
    /// Coalescing with the backlog's tail is not ported.
    /// </summary>
    [KernelNet.Annotations.Consumes("skb", WhenReturns = 0)]
    private static bool tcp_add_backlog(sock sk, sk_buff skb, ref skb_drop_reason reason)
    {
        var limit = (uint)(sk.sk_rcvbuf + sk.sk_sndbuf + 64 * 1024);

        // not ported: skb_condense — a backlogged skb keeps its frags and truesize (6.18 pulls a short paged tail
        //   into the head's tailroom first)
        // not ported: tcp_skb_can_collapse_rx, __skb_pull, __skb_push, kfree_skb_partial — coalescing with the
        //   backlog's tail (TCPBackLogCoalesce) is not ported
        // not ported: __TCP_INC_STATS — counted with the port's TCP_INC_STATS (one copy of the MIB per netns)
        // tcp_cleanup_skb: the route is not needed any more.
        skb.dst = null;

        // A segment with a bad sum is not queued for the owner: traced and counted here, in softirq.
        if (tcp_checksum_complete(skb))
        {
            // bh_unlock_sock
            Include.Trace.Events.tcp_h.trace_tcp_bad_csum(skb);
            reason = skb_drop_reason.SKB_DROP_REASON_TCP_CSUM;
            TCP_INC_STATS(sk.sk_net, tcp_mib_field.TCP_MIB_CSUMERRORS);
            TCP_INC_STATS(sk.sk_net, tcp_mib_field.TCP_MIB_INERRS);
            return true;
        }

        // not ported: coalescing with the backlog's tail (skb_try_coalesce, TCPBackLogCoalesce).
        if (sk_add_backlog(sk, skb, limit) != 0)
        {
            reason = skb_drop_reason.SKB_DROP_REASON_SOCKET_BACKLOG;
            Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPBACKLOGDROP);
            return true;
        }

        return false;
    }

    // net/ipv4/tcp_ipv4.c: tcp_filter
    /// <summary>The socket filter for a segment, which may not trim below the TCP header: nonzero (with the reason) when it refuses it.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static int tcp_filter(sock sk, sk_buff skb, ref skb_drop_reason reason)
    {
        var th = tcp_hdr(skb);
        var err = Core.filter_c.sk_filter_trim_cap(sk, skb, (uint)(th.doff * 4), out var r);
        if (err != 0)
        {
            reason = r;
        }

        return err;
    }

    // not ported: skb_hwtstamps — hardware timestamps: no simulated NIC stamps packets
    // net/ipv4/tcp_ipv4.c: tcp_v4_fill_cb
    /// <summary>TCP_SKB_CB from the header: the sequence range (SYN and FIN count), ack, flags; IPCB moves into its h4 part.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static void tcp_v4_fill_cb(sk_buff skb, iphdr iph, tcphdr th)
    {
        var cb = TCP_SKB_CB(skb);
        cb.seq = th.seq;
        cb.end_seq = (uint)(cb.seq + (th.syn ? 1 : 0) + (th.fin ? 1 : 0) + skb.len - th.doff * 4);
        cb.ack_seq = th.ack_seq;
        // not ported: tcp_flags_ntohs, ipv4_get_dsfield — the parsed headers' flags and tos fields are read
        cb.tcp_flags = th.flags;
        cb.tcp_tw_isn = 0;
        cb.ip_dsfield = iph.tos;
        cb.sacked = 0;
        cb.has_rxtstamp = skb.tstamp != 0;
    }

    // not ported: sock_hold, sock_put — the port does not count socket references: the GC keeps a socket
    //   alive while anything reaches it
    // not ported: sk_drops_skbadd — the per-socket drop counter (sk_drops, shown by ss -m) is not kept
    // not ported: reuseport_migrate_sock — SO_REUSEPORT socket migration (net.ipv4.tcp_migrate_req) is not
    //   ported
    // not ported: inet_sdif — no VRF (l3mdev) devices are simulated: sdif is always 0
    // not ported: inet_reqsk — the request sock is read from sk.proto_data, where the port's request mini
    //   socket keeps it
    // not ported: dev_net_rcu — one network namespace per simulated host: the netns is the socket's own, so
    //   the RCU device lookup of it is a field read
    // not ported: bh_unlock_sock — the socket spinlock: one simulated CPU, and process context holds the
    //   socket only with bottom halves off (lock_sock to release_sock), so softirq or timer code never finds it
    //   held
    // not ported: __NET_INC_STATS — counted with the port's NET_INC_STATS (LINUX_MIB_TCPMINTTLDROP): with one
    //   simulated CPU the non-preemptible variant is the same
    // net/ipv4/tcp_ipv4.c: tcp_v4_rcv
    /// <summary>
    /// IPPROTO_TCP's handler (softirq): counts InSegs, checks the header
    /// (PKT_TOO_SMALL), finds the socket by 4-tuple then listener. A request
    /// sock's segment has its checksum checked (a bad one makes no child)
    /// and goes to tcp_check_req under its listener; a request whose listener
    /// stopped listening is dropped and the lookup runs again. A timewait
    /// sock answers (tcp_timewait_state_process), or hands a SYN that may
    /// reuse its 4-tuple to the listener. With no socket, a RST goes back
    /// (tcp_v4_send_reset) and the segment is dropped NO_SOCKET. Otherwise
    /// the socket takes it (tcp_v4_do_rcv). A bad checksum is traced
    /// (tcp_bad_csum) and counted (CsumErrors, InErrs). Consumes the skb.
    /// </summary>
    [KernelNet.Annotations.Consumes("skb")]
    public static int tcp_v4_rcv(sk_buff skb)
    {
        var net = skb.dev!.nd_net;
        // not ported: inet_iif — written out: the skb's skb_iif, else its device's index (the port's input
        //   routes carry no rt_iif for a locally delivered segment)
        // not ported: __TCP_INC_STATS — counted with the port's TCP_INC_STATS (one copy of the MIB per netns)
        // not ported: req_to_sk — it feeds reuseport_migrate_sock: SO_REUSEPORT is not ported
        var dif = skb.skb_iif != 0 ? skb.skb_iif : skb.dev.ifindex;
        var sdif = 0; // inet_sdif: no VRF
        sock? sk = null;
        var drop_reason = skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED;
        tcphdr th;
        iphdr iph;

        if (skb.pkt_type != PACKET_HOST)
        {
            goto discard_it;
        }

        // counted before the checksum is known
        TCP_INC_STATS(net, tcp_mib_field.TCP_MIB_INSEGS);

        if (!pskb_may_pull(skb, tcphdr.Size))
        {
            goto discard_it;
        }

        skb.transport_header = (ushort)skb.data; // th = skb->data
        th = tcp_hdr(skb);
        if (th.doff < tcphdr.Size / 4)
        {
            drop_reason = skb_drop_reason.SKB_DROP_REASON_PKT_TOO_SMALL;
            goto bad_packet;
        }

        if (!pskb_may_pull(skb, th.doff * 4))
        {
            goto discard_it;
        }

        // not ported: skb_checksum_init — written out (no zero_okay): a segment of CHECKSUM_BREAK (76) bytes or less is
        // summed now and a bad one goes to csum_error before any lookup (no rx_sk); a longer
        // one's sum is left to tcp_checksum_complete on the path it takes.
        // departure: skb->csum/csum_valid are not modelled, so the later checks sum again (same answer).
        if (skb.len <= CHECKSUM_BREAK && tcp_checksum_complete(skb))
        {
            goto csum_error;
        }

        th = tcp_hdr(skb);
        iph = ip_hdr(skb);

    lookup:
        // not ported: __inet_lookup_skb — its two lookups, established then listener, are called: there is no
        //   TCP early demux, so no skb arrives with a socket to steal
        sk = inet_hashtables_c.__inet_lookup_established(net, tcp_hashinfo(net.k), iph.saddr, th.source, iph.daddr, th.dest, dif, sdif)
            ?? inet_hashtables_c.__inet_lookup_listener(net, tcp_hashinfo(net.k), skb, __tcp_hdrlen(th), iph.saddr, th.source, iph.daddr, th.dest, dif, sdif);
        if (sk is null)
        {
            goto no_tcp_socket;
        }

        if (sk.sk_state == TCP_TIME_WAIT)
        {
            goto do_time_wait;
        }

        if (sk.sk_state == TCP_NEW_SYN_RECV)
        {
            var req = (request_sock)sk.proto_data!; // inet_reqsk
            sk = req.rsk_listener!;

            // xfrm4_policy_check: no IPsec.
            drop_reason = tcp_c.tcp_inbound_hash(sk, req, skb);
            if (drop_reason != skb_drop_reason.SKB_NOT_DROPPED_YET)
            {
                sk_drops_inc(sk); // sk_drops_skbadd
                request_sock_h.reqsk_put(req);
                goto discard_it;
            }

            // the handshake's ACK must be whole before it makes a child
            if (tcp_checksum_complete(skb))
            {
                request_sock_h.reqsk_put(req);
                goto csum_error;
            }

            if (sk.sk_state != TCP_LISTEN)
            {
                // reuseport_migrate_sock: no reuseport groups, so no listener to move the request to.
                inet_connection_sock_c.inet_csk_reqsk_queue_drop_and_put(sk, req);
                goto lookup;
            }

            // sock_hold(sk): no refcounts.
            sock? nsk = null;
            var req_stolen = false;
            if (tcp_filter(sk, skb, ref drop_reason) == 0)
            {
                th = tcp_hdr(skb);
                iph = ip_hdr(skb);
                tcp_v4_fill_cb(skb, iph, th);
                nsk = tcp_minisocks_c.tcp_check_req(sk, skb, req, false, out req_stolen, ref drop_reason);
            }

            if (nsk is null)
            {
                request_sock_h.reqsk_put(req);
                if (req_stolen)
                {
                    // another child took the request: this segment is for it (tcp_v4_restore_cb)
                    goto lookup;
                }

                goto discard_and_relse;
            }

            // nf_reset_ct: conntrack is not ported.
            if (nsk == sk)
            {
                request_sock_h.reqsk_put(req);

                // tcp_v4_restore_cb: the listener processes it (a reset for an ACK it did not expect).
            }
            else
            {
                drop_reason = tcp_minisocks_c.tcp_child_process(sk, nsk, skb);
                if (drop_reason != 0)
                {
                    tcp_v4_send_reset(nsk, skb, sk_rst_convert_drop_reason(drop_reason));
                    goto discard_and_relse;
                }

                return 0;
            }
        }

    process:
        // not ported: the IP_MINTTL check (ip4_min_ttl) — IP_MINTTL is not settable; xfrm4_policy_check — no IPsec.
        drop_reason = tcp_c.tcp_inbound_hash(sk, null, skb);
        if (drop_reason != skb_drop_reason.SKB_NOT_DROPPED_YET)
        {
            goto discard_and_relse;
        }

        // nf_reset_ct: conntrack is not ported.
        if (tcp_filter(sk, skb, ref drop_reason) != 0)
        {
            goto discard_and_relse;
        }

        th = tcp_hdr(skb);
        iph = ip_hdr(skb);
        tcp_v4_fill_cb(skb, iph, th);
        skb.dev = null;

        if (sk.sk_state == TCP_LISTEN)
        {
            return tcp_v4_do_rcv(sk, skb);
        }

        sk_incoming_cpu_update(sk);

        // bh_lock_sock_nested
        tcp_segs_in(tcp_sk(sk), skb);
        if (!sock_owned_by_user(sk))
        {
            return tcp_v4_do_rcv(sk, skb);
        }

        // A task holds the socket (connect, between lock_sock and release_sock): it processes this later.
        if (tcp_add_backlog(sk, skb, ref drop_reason))
        {
            goto discard_and_relse;
        }

        return 0;

    no_tcp_socket:
        drop_reason = skb_drop_reason.SKB_DROP_REASON_NO_SOCKET;
        tcp_v4_fill_cb(skb, iph, th);
        if (!tcp_checksum_complete(skb))
        {
            tcp_v4_send_reset(null, skb, sk_rst_convert_drop_reason(drop_reason));
            goto discard_it;
        }

    // restructured: C# cannot jump into a block; 6.18's csum_error and bad_packet labels sit inside the checksum test.
    csum_error:
        drop_reason = skb_drop_reason.SKB_DROP_REASON_TCP_CSUM;
        Include.Trace.Events.tcp_h.trace_tcp_bad_csum(skb);
        TCP_INC_STATS(net, tcp_mib_field.TCP_MIB_CSUMERRORS);

    bad_packet:
        TCP_INC_STATS(net, tcp_mib_field.TCP_MIB_INERRS);

    discard_it:
        // SKB_DR_OR: a path that set no reason drops NOT_SPECIFIED.
        if (drop_reason == skb_drop_reason.SKB_NOT_DROPPED_YET)
        {
            drop_reason = skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED;
        }

        // Discard frame.
        sk_skb_reason_drop(sk, skb, drop_reason);
        return 0;

    discard_and_relse:
        sk_drops_inc(sk!);
        goto discard_it;

    do_time_wait:
        // xfrm4_policy_check: no IPsec.
        tcp_v4_fill_cb(skb, iph, th);
        if (tcp_checksum_complete(skb))
        {
            // inet_twsk_put: timewait socks are not refcounted.
            goto csum_error;
        }

        var tw_status = tcp_minisocks_c.tcp_timewait_state_process(Include.Net.inet_timewait_sock_h.inet_twsk(sk), skb, th, out var isn, ref drop_reason);
        switch (tw_status)
        {
            case tcp_tw_status.TCP_TW_SYN:
                {
                    var sk2 = inet_hashtables_c.__inet_lookup_listener(net, tcp_hashinfo(net.k), skb, __tcp_hdrlen(th), iph.saddr, th.source, iph.daddr, th.dest, dif, sdif); // inet_lookup_listener
                    if (sk2 is not null)
                    {
                        // the listener takes the SYN: the timewait sock goes, and tcp_conn_request starts past its sequence space
                        inet_timewait_sock_c.inet_twsk_deschedule_put(Include.Net.inet_timewait_sock_h.inet_twsk(sk));
                        sk = sk2;

                        // tcp_v4_restore_cb: process fills the control block again.
                        net.k.this_cpu().tcp_tw_isn = isn; // __this_cpu_write(tcp_tw_isn, isn)
                        goto process;
                    }

                    // psp_twsk_rx_policy_check: no PSP. No listener: the SYN is answered with the timewait ACK.
                    tcp_v4_timewait_ack(sk, skb, tw_status);
                    break;
                }

            case tcp_tw_status.TCP_TW_ACK:
            case tcp_tw_status.TCP_TW_ACK_OOW:
                tcp_v4_timewait_ack(sk, skb, tw_status);
                break;
            case tcp_tw_status.TCP_TW_RST:
                tcp_v4_send_reset(sk, skb, sk_rst_reason.SK_RST_REASON_TCP_TIMEWAIT_SOCKET);
                inet_timewait_sock_c.inet_twsk_deschedule_put(Include.Net.inet_timewait_sock_h.inet_twsk(sk));
                goto discard_it;
            case tcp_tw_status.TCP_TW_SUCCESS:
                break;
        }

        goto discard_it;
    }

    // not ported: sock_net_uid — socket owners: the simulation has no users, every socket is uid 0
    // net/ipv4/tcp_ipv4.c: tcp_v4_send_ack
    /// <summary>
    /// An ACK sent without a full socket (for a timewait or request sock):
    /// the given sequence numbers, window and, with tsecr, the timestamp
    /// option, from the control socket (ip_send_unicast_reply); counts OutSegs.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static void tcp_v4_send_ack(sock sk, sk_buff skb, uint seq, uint ack, uint win, uint tsval, uint tsecr, int oif, byte tos)
    {
        var th = tcp_hdr(skb);
        var len = tcphdr.Size + (tsecr != 0 ? TCPOLEN_TSTAMP_ALIGNED : 0);
        var rep = new byte[len];
        var rth = new tcphdr(rep);
        if (tsecr != 0)
        {
            rep[tcphdr.Size] = TCPOPT_NOP;
            rep[tcphdr.Size + 1] = TCPOPT_NOP;
            rep[tcphdr.Size + 2] = TCPOPT_TIMESTAMP;
            rep[tcphdr.Size + 3] = TCPOLEN_TIMESTAMP;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(System.MemoryExtensions.AsSpan(rep, tcphdr.Size + 4), tsval);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(System.MemoryExtensions.AsSpan(rep, tcphdr.Size + 8), tsecr);
        }

        rth.dest = th.source;
        rth.source = th.dest;
        rth.doff = len / 4;
        rth.seq = seq;
        rth.ack_seq = ack;
        rth.flags = TCPHDR_ACK;
        rth.window = (ushort)win;

        // MD5/AO signatures: not ported.
        var net = sk.sk_net;
        var iph = ip_hdr(skb);
        var arg = new ip_reply_arg
        {
            iov = rep,
            csum = Include.Net.checksum_h.csum_tcpudp_nofold(iph.daddr, iph.saddr, len, (byte)in_h.IPPROTO_TCP, 0),
            csumoffset = 16 / 2,
            bound_dev_if = oif,
            tos = tos,
        };

        // not ported: sk_fullsock, sock_net_set, tcp_transmit_time — no socket uids (arg.uid), the control socket
        //   is the namespace's own (nothing to switch), and no socket has a transmit time (SO_TXTIME, EDT pacing
        //   of replies is not ported)
        // not ported: __TCP_INC_STATS — counted with the port's TCP_INC_STATS (one copy of the MIB per netns)
        // bottom halves off around the use of the control socket (per CPU in 6.18)
        bottom_half_h.local_bh_disable(net.k);
        var ctl_sk = tcp_ctl_sk(net);
        var tw = Include.Net.inet_timewait_sock_h.inet_twsk(sk);
        ctl_sk.sk_mark = tw.tw_mark;
        ctl_sk.sk_priority = tw.tw_priority;
        ip_output_c.ip_send_unicast_reply(ctl_sk, sk, skb, iph.saddr, iph.daddr, arg, (uint)arg.iov.Length);

        TCP_INC_STATS(net, tcp_mib_field.TCP_MIB_OUTSEGS);
        bottom_half_h.local_bh_enable(net.k);
    }

    // not ported: tcp_hdr — the header is read through the port's parsed tcphdr (skb.tcp_header / a local th)
    // net/ipv4/tcp_ipv4.c: tcp_v4_timewait_ack
    /// <summary>A timewait sock's ACK: its sequence numbers, its last window, our clock plus its timestamp offset, and the peer's timestamp echoed.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static void tcp_v4_timewait_ack(sock sk, sk_buff skb, tcp_tw_status tw_status)
    {
        var tw = Include.Net.inet_timewait_sock_h.inet_twsk(sk);
        var tos = tw.tw_tos;

        // The ACK of out-of-window data (or a PAWS reject) leaves the ECN bits clear; other
        // timewait ACKs keep them, so they stay in the same (L4S or classic) queue.
        if (tw_status == tcp_tw_status.TCP_TW_ACK_OOW)
        {
            tos &= unchecked((byte)~Include.Net.inet_ecn_h.INET_ECN_MASK);
        }

        // not ported: the TCP-AO key of the timewait sock (tcp_ao_established_key) — no TCP-AO.
        var tsval = unchecked(tcp_ns_to_ts(false, tcp_clock_ns(sk.sk_net.k)) + tw.tw_ts_offset); // tcp_tw_tsval
        tcp_v4_send_ack(sk, skb, tw.tw_snd_nxt, tw.tw_rcv_nxt, tw.tw_rcv_wnd >> tw.tw_rcv_wscale, tsval, tw.tw_ts_recent, sk.sk_bound_dev_if, tos);

        // inet_twsk_put
    }

    // net/ipv4/tcp_ipv4.c: tcp_v4_init_seq_and_ts_off
    /// <summary>The ISN and timestamp offset of a passive open: the keyed hash of the SYN's 4-tuple, seen from our side.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static Core.tcp_seq_and_ts_off tcp_v4_init_seq_and_ts_off(net net, sk_buff skb) =>
        Core.secure_seq_c.secure_tcp_seq_and_ts_off(net, ip_hdr(skb).daddr, ip_hdr(skb).saddr, tcp_hdr(skb).dest, tcp_hdr(skb).source);

    // not ported: sk_rcv_saddr_set — written as the field inet_rcv_saddr
    // not ported: sk_daddr_set — written as the field inet_daddr
    // net/ipv4/tcp_ipv4.c: tcp_v4_init_req
    /// <summary>The request's addresses: ours is the SYN's destination, the peer's its source (IP options are not ported).</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static void tcp_v4_init_req(request_sock req, sock sk_listener, sk_buff skb)
    {
        // not ported: req_to_sk — the addresses are the request's own fields (ir_loc_addr, ir_rmt_addr)
        req.ir_loc_addr = ip_hdr(skb).daddr;
        req.ir_rmt_addr = ip_hdr(skb).saddr;

        // not ported: tcp_v4_save_options — IP options of a SYN are not kept on the request (no ireq_opt)
    }

    // net/ipv4/tcp_ipv4.c: tcp_v4_route_req
    /// <summary>tcp_request_sock_ipv4_ops.route_req: the request's addresses, then the route back (inet_csk_route_req).</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static dst_entry? tcp_v4_route_req(sock sk, sk_buff skb, ref flowi4 fl4, request_sock req)
    {
        tcp_v4_init_req(req, sk, skb);

        // security_inet_conn_request: no LSM.
        return inet_connection_sock_c.inet_csk_route_req(sk, ref fl4, req);
    }

    // not ported: net_xmit_eval — written out: NET_XMIT_CN is turned into success in place
    // net/ipv4/tcp_ipv4.c: tcp_v4_send_synack
    /// <summary>
    /// The answer to a SYN: a SYN-ACK built by tcp_make_synack (a queued
    /// request's, a SYN cookie's, or a Fast Open child's — then
    /// <paramref name="sk"/> is the child — with <paramref name="foc"/>, the
    /// cookie it carries), checksummed, sent from the listener (ip_build_and_send_pkt).
    /// </summary>
    [KernelNet.Annotations.Borrows("syn_skb")]
    public static int tcp_v4_send_synack(sock sk, dst_entry? dst, ref flowi4 fl, request_sock req, ref tcp_fastopen_cookie foc, tcp_synack_type synack_type, sk_buff? syn_skb)
    {
        var err = -1;

        // First, grab a route.
        if (dst is null && (dst = inet_connection_sock_c.inet_csk_route_req(sk, ref fl, req)) is null)
        {
            return -1;
        }

        var skb = tcp_output_c.tcp_make_synack(sk, dst, req, ref foc, synack_type, syn_skb);
        if (skb is not null)
        {
            __tcp_v4_send_check(skb, req.ir_loc_addr, req.ir_rmt_addr);

            // net.ipv4.tcp_reflect_tos 0: the listener's TOS.
            // not ported: INET_ECN_is_capable — it only gates tcp_bpf_ca_needs_ecn: no BPF congestion control
            var tos = inet_sk(sk).tos;
            err = ip_output_c.ip_build_and_send_pkt(skb, sk, req.ir_loc_addr, req.ir_rmt_addr, tos);
            if (err > 0)
            {
                err = err == netdevice_h.NET_XMIT_CN ? 0 : err; // net_xmit_eval
            }
        }

        return err;
    }

    // net/ipv4/tcp_ipv4.c: tcp_v4_conn_request
    /// <summary>icsk_af_ops->conn_request: never accept SYNs sent to broadcast or multicast; otherwise tcp_conn_request.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static int tcp_v4_conn_request(sock sk, sk_buff skb)
    {
        if ((skb_rtable(skb)!.rt_flags & (RTCF_BROADCAST | RTCF_MULTICAST)) != 0)
        {
            tcp_listendrop(sk);
            return 0;
        }

        return tcp_input_c.tcp_conn_request(sk, skb);
    }

    // not ported: tcp_move_syn — TCP_SAVE_SYN / TCP_SAVED_SYN is not ported: no socket keeps its SYN
    // not ported: sock_put — the port does not count socket references: the GC keeps a socket alive while
    //   anything reaches it
    // not ported: sk_gso_disable — only taken for a TCP-MD5/AO socket, which the port never has
    // not ported: l3mdev_master_ifindex_by_index — no VRF (l3mdev) devices are simulated
    // not ported: dst_release — route references are counted (dst.__rcuref, bookkeeping only: the garbage collector frees routes), but this take or put is not made here, so the count need not balance
    // not ported: dst_metric_advmss — routes carry no RTAX_ADVMSS metric: the advertised MSS comes from the
    //   device MTU
    // not ported: bh_unlock_sock — the socket spinlock: one simulated CPU, and process context holds the
    //   socket only with bottom halves off (lock_sock to release_sock), so softirq or timer code never finds it
    //   held
    // net/ipv4/tcp_ipv4.c: tcp_v4_syn_recv_sock
    /// <summary>
    /// The handshake's final ACK arrived for a request: make the full socket.
    /// Unless the accept queue is full (ListenOverflows, ListenDrops), the
    /// child of tcp_create_openreq_child with the request's addresses and a
    /// route (its own, or a cookie's <paramref name="dst"/>), sharing the
    /// listener's port, enters the established table in place of
    /// <paramref name="req_unhash"/> (<paramref name="own_req"/>: it did). A
    /// cookie's child (no request to replace) whose 4-tuple is taken already is
    /// freed: null. A Fast Open child, made at SYN time, replaces nothing
    /// (<paramref name="req_unhash"/> null: its request was never hashed).
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static sock? tcp_v4_syn_recv_sock(sock sk, sk_buff skb, request_sock req, dst_entry? dst, request_sock? req_unhash, out bool own_req)
    {
        own_req = false;
        if (sk_acceptq_is_full(sk))
        {
            goto exit_overflow;
        }

        var newsk = tcp_minisocks_c.tcp_create_openreq_child(sk, req, skb);

        newsk.sk_gso_type = SKB_GSO_TCPV4;

        // not ported: inet_sk_rx_dst_set — the early-demux input route cache (sk_rx_dst) is not ported
        // not ported: inet_iif, ip_hdr — they fill mc_index, mc_ttl and rcv_tos from the SYN: a TCP child joins
        //   no multicast group and IP_RECVTOS is not ported
        var newtp = tcp_sk(newsk);
        var newinet = inet_sk(newsk);
        newinet.inet_daddr = req.ir_rmt_addr; // sk_daddr_set
        newinet.inet_rcv_saddr = req.ir_loc_addr; // sk_rcv_saddr_set
        newinet.inet_saddr = req.ir_loc_addr;
        newinet.uc_ttl = inet_sk(sk).uc_ttl;
        newinet.tos = inet_sk(sk).tos;
        newinet.pmtudisc = inet_sk(sk).pmtudisc;
        inet_csk(newsk).icsk_ext_hdr_len = 0; // no IP options
        newinet.inet_id = (ushort)Drivers.Char.random_c.get_random_u32(sk.sk_net.k); // get_random_u16

        // net.ipv4.tcp_reflect_tos 0: the listener's TOS stands.
        if (dst is null)
        {
            // not ported: inet_csk_route_child_sock — its lookup is inet_csk_route_req's (no IP options), called
            //   with the child's flow
            ref var fl4 = ref newinet.cork_fl;
            dst = inet_connection_sock_c.inet_csk_route_req(sk, ref fl4, req);
            if (dst is null)
            {
                goto put_and_exit;
            }
        }

        // else: a cookie's route, found by cookie_v4_check
        Core.sock_c.sk_setup_caps(newsk, dst);

        // not ported: tcp_ca_openreq_child — per-route congestion control (RTAX_CC_ALGO) is not ported: the
        //   child keeps the listener's algorithm
        tcp_output_c.tcp_sync_mss(newsk, Include.Net.dst_h.dst_mtu(dst));
        newtp.advmss = tcp_mss_clamp(tcp_sk(sk), (ushort)route_c.ipv4_default_advmss(dst));

        tcp_input_c.tcp_initialize_rcv_mss(newsk);

        // MD5/AO keys: none.
        if (inet_hashtables_c.__inet_inherit_port(sk, newsk) < 0)
        {
            goto put_and_exit;
        }

        own_req = inet_hashtables_c.inet_ehash_nolisten(newsk, req_unhash is null ? null : request_sock_h.req_to_sk(req_unhash), out var found_dup_sk);

        // tcp_move_syn: no saved SYN.
        if (!own_req && req_unhash is null && found_dup_sk)
        {
            // only a cookie's child gets here: the 4-tuple has its socket already. 6.18's inet_ehash_nolisten
            // destroys the loser; the port's leaves it to the caller, so it goes here.
            newsk.sk_prot!.disconnect!(newsk, 0);
            sock_orphan(newsk);
            inet_connection_sock_c.inet_csk_destroy_sock(newsk);
            return null;
        }

        return newsk;

    exit_overflow:
        Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_LISTENOVERFLOWS);

        // exit: dst_release — routes are not refcounted.
        tcp_listendrop(sk);
        return null;

    put_and_exit:
        // not ported: inet_csk_prepare_forced_close, tcp_done — written out: the child is disconnected, orphaned
        //   and destroyed
        newsk.sk_prot!.disconnect!(newsk, 0);
        sock_orphan(newsk);
        inet_connection_sock_c.inet_csk_destroy_sock(newsk);
        tcp_listendrop(sk);
        return null;
    }

    // net/ipv4/tcp_ipv4.c: tcp_v4_init_sock
    /// <summary>tcp_prot's init: tcp_init_sock (icsk_af_ops = ipv4_specific is implicit: IPv4 only).</summary>
    private static int tcp_v4_init_sock(sock sk)
    {
        tcp_c.tcp_init_sock(sk);
        return 0;
    }

    // not ported: tcp_saved_syn_free — TCP_SAVE_SYN / TCP_SAVED_SYN is not ported: no socket keeps its SYN
    // not ported: tcp_release_user_frags — devmem TCP (SO_DEVMEM_*, dmabuf frags) is not ported
    // not ported: tcp_cleanup_ulp — upper layer protocols (TCP_ULP: kTLS, espintcp) are not ported
    // not ported: sk_sockets_allocated_dec — the protocol-wide socket count (sockets_allocated,
    //   /proc/net/protocols) is not kept
    // net/ipv4/tcp_ipv4.c: tcp_v4_destroy_sock
    /// <summary>A closed TCP socket's last rites: timers, queues, the local port.</summary>
    public static void tcp_v4_destroy_sock(sock sk)
    {
        Include.Trace.Events.tcp_h.trace_tcp_destroy_sock(sk);

        tcp_clear_xmit_timers(sk);

        // not ported: tcp_cleanup_congestion_control — no algorithm keeps state to release (no ->release, no
        //   module references)
        // Cleanup up the write buffer.
        tcp_c.tcp_write_queue_purge(sk);

        // Check if we want to disable active TFO. What still waits out of order goes.
        tcp_fastopen_c.tcp_fastopen_active_disable_ofo_check(sk);
        Core.skbuff_c.skb_rbtree_purge(tcp_sk(sk).out_of_order_queue);
        tcp_sk(sk).ooo_last_skb = null;

        if (inet_csk(sk).icsk_bind_hash is not null)
        {
            inet_hashtables_c.inet_put_port(sk);
        }

        // BUG_ON(fastopen_rsk): every path that ends a Fast Open child let its request go first
        System.Diagnostics.Debug.Assert(tcp_sk(sk).fastopen_rsk is null, "a destroyed socket still holds its Fast Open request");

        // If socket is aborted during connect operation
        tcp_c.tcp_free_fastopen_req(tcp_sk(sk));
        tcp_fastopen_c.tcp_fastopen_destroy_cipher(sk);
    }

    // net/ipv4/tcp_ipv4.c: tcp_stream_memory_free
    /// <summary>tcp_prot's stream_memory_free: the unsent bytes (shifted by <paramref name="wake"/>) stay under tcp_notsent_lowat.</summary>
    public static bool tcp_stream_memory_free(sock sk, int wake)
    {
        var tp = tcp_sk(sk);
        var notsent_bytes = tp.write_seq - tp.snd_nxt;

        return ((ulong)notsent_bytes << wake) < tcp_notsent_lowat(tp);
    }

    /// <summary>tcp_prot: the TCP socket operations (struct proto).</summary>
    public static proto tcp_prot { get; } = new()
    {
        name = "TCP",
        close = tcp_c.tcp_close,
        connect = tcp_v4_connect,
        disconnect = tcp_c.tcp_disconnect,
        shutdown = tcp_c.tcp_shutdown,
        init = tcp_v4_init_sock,
        destroy = tcp_v4_destroy_sock,
        release_cb = tcp_output_c.tcp_release_cb,
        setsockopt = tcp_c.tcp_setsockopt,
        setsockopt_buf = tcp_c.tcp_setsockopt,
        keepalive = tcp_timer_c.tcp_set_keepalive,
        recvmsg = tcp_c.tcp_recvmsg,
        ioctl = tcp_c.tcp_ioctl,
        sendmsg = tcp_c.tcp_sendmsg,
        stream_memory_free = tcp_stream_memory_free,
        getsockopt_buf = tcp_c.tcp_getsockopt,
        hash = inet_hashtables_c.inet_hash,
        unhash = inet_hashtables_c.inet_unhash,
        backlog_rcv = tcp_v4_do_rcv,
        get_port = inet_connection_sock_c.inet_csk_get_port,
        accept = inet_connection_sock_c.inet_csk_accept,
        slab = sk => new tcp_sock(sk),

        // The sizes of 6.18's structs on x86-64, as this machine's /sys/kernel/slab/*/object_size report them
        // (docs/data/slabinfo-6.18.txt): tcp_sock 2304, tcp_timewait_sock 248, tcp_request_sock 312.
        obj_size = 2304,
        slab_flags = Include.Linux.slab_h.SLAB_TYPESAFE_BY_RCU,
        twsk_obj_size = 248,
        rsk_obj_size = 312,
    };

    // not ported: net_eq — one network namespace per simulated host: every comparison with init_net is of the
    //   host's own
    // net/ipv4/tcp_ipv4.c: tcp_sk_init
    /// <summary>
    /// A namespace's TCP: its control socket (made on first use) and the
    /// default congestion control — init_net's (CONFIG_DEFAULT_TCP_CONG once
    /// booted: tcp_congestion_default) for a new namespace; Reno, which is
    /// always built in, for init_net itself until then.
    /// </summary>
    private static int tcp_sk_init(net net)
    {
        var ipv4 = netns_ipv4.of(net);

        // not ported: tcp_set_hashinfo — the simulated kernel has one TCP hashinfo (tcp_child_ehash_entries is
        //   not ported)
        // not ported: jiffies_to_usecs — the sysctl defaults are the netns_ipv4 initialisers (tcp_rto_min_us
        //   is not ported)

        // bpf_try_module_get: built-in algorithms are never unloaded
        ipv4.tcp_congestion_control = net != net.k.init_net && netns_ipv4.of(net.k.init_net).tcp_congestion_control is tcp_congestion_ops ca
            ? ca
            : tcp_cong_c.tcp_reno;
        return 0;
    }

    // net/ipv4/tcp_ipv4.c: tcp_v4_init
    /// <summary>Boot-time TCP/IPv4: the per-namespace set-up.</summary>
    public static void tcp_v4_init(Vmlinux k)
    {
        // not ported: inet_ctl_sock_create, sock_set_flag — the per-CPU control sockets: the port makes one per
        //   namespace on first use (tcp_ctl_sk)
        Core.net_namespace_c.register_pernet_subsys(k, tcp_sk_init);
    }

    /// <summary>%08X of a __be32 address on a little-endian machine: the bytes in wire order read as a host word.</summary>
    [KernelNet.Annotations.NotInLinux("C# byte swap: C's ntohl on a __be32")]
    private static uint be32_as_host(uint addr) => System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(addr);

    // not ported: sk_uid — socket owners: the simulation has no users, every socket is uid 0
    // net/ipv4/tcp_ipv4.c: get_openreq4
    /// <summary>A request sock's line: SYN_RECV, its SYN-ACK timer (not ported: 0), no inode.</summary>
    private static void get_openreq4(request_sock req, System.Text.StringBuilder f, int i)
    {
        // not ported: jiffies_delta_to_clock_t — the request's SYN-ACK timer is shown as expiring now (0)
        f.Append(System.FormattableString.Invariant($"{i,4}: {be32_as_host(req.ir_loc_addr):X8}:{req.ir_num:X4} {be32_as_host(req.ir_rmt_addr):X8}:{req.ir_rmt_port:X4}"));
        f.Append(System.FormattableString.Invariant($" {TCP_SYN_RECV:X2} {0:X8}:{0:X8} {1:X2}:{0:X8} {req.num_retrans:X8} {0,5} {0,8} {0} {0} 0000000000000000"));
    }

    // not ported: tcp_snd_cwnd — read as the field snd_cwnd
    // not ported: sock_i_ino — read as the socket's i_ino field
    // not ported: sk_uid — socket owners: the simulation has no users, every socket is uid 0
    // not ported: inet_sk_state_load — the state is read as the field sk_state (one CPU, no torn reads)
    // net/ipv4/tcp_ipv4.c: get_tcp4_sock
    /// <summary>
    /// A full socket's line: queues (tx: sent and unacknowledged or unsent,
    /// write_seq - snd_una; rx: unread, rcv_nxt - copied_seq, or a listener's
    /// accept backlog), the pending timer, rto and ato in USER_HZ ticks, cwnd, and
    /// ssthresh (-1 in the initial slow start; a listener's fast open queue, 0).
    /// sk_refcnt is not kept: 2 for a listener, 1 otherwise (as a quiet socket
    /// shows on 6.18); the kernel pointer prints as with kptr_restrict.
    /// </summary>
    private static void get_tcp4_sock(sock sk, System.Text.StringBuilder f, int i)
    {
        var tp = tcp_sk(sk);
        var icsk = inet_csk(sk);
        var inet = inet_sk(sk);
        var jiffies = (long)sk.sk_net.k.jiffies;
        int timer_active;
        long timer_expires;

        var icsk_pending = icsk.icsk_pending;
        if (icsk_pending is ICSK_TIME_RETRANS or ICSK_TIME_REO_TIMEOUT or ICSK_TIME_LOSS_PROBE)
        {
            timer_active = 1;
            timer_expires = (long)icsk.icsk_timeout;
        }
        else if (icsk_pending == ICSK_TIME_PROBE0)
        {
            timer_active = 4;
            timer_expires = (long)icsk.icsk_timeout;
        }
        else
        {
            // not ported: timer_pending — the keepalive timer (sk_timer, timer 2) is not shown: 0
            timer_active = 0;
            timer_expires = jiffies;
        }

        var state = sk.sk_state;
        var rx_queue = state == TCP_LISTEN ? (int)sk.sk_ack_backlog : System.Math.Max((int)unchecked(tp.rcv_nxt - tp.copied_seq), 0);
        var pingpong = inet_csk_in_pingpong_mode(sk) ? 1 : 0; // icsk_ack.quick is not kept
        var last = state == TCP_LISTEN ? 0 : (tcp_in_initial_slowstart(tp) ? -1 : (long)tp.snd_ssthresh);
        var ino = (sk.sk_socket as socket)?.i_ino ?? 0; // sock_i_ino

        f.Append(System.FormattableString.Invariant($"{i,4}: {be32_as_host(inet.inet_rcv_saddr):X8}:{inet.inet_sport:X4} {be32_as_host(inet.inet_daddr):X8}:{inet.inet_dport:X4} {state:X2} {unchecked(tp.write_seq - tp.snd_una):X8}:{rx_queue:X8} {timer_active:X2}:{jiffies_h.jiffies_delta_to_clock_t(timer_expires - jiffies):X8}"));
        f.Append(System.FormattableString.Invariant($" {icsk.icsk_retransmits:X8} {0,5} {0,8} {ino} {(state == TCP_LISTEN ? 2 : 1)} 0000000000000000 {Kernel.Time.time_c.jiffies_to_clock_t(icsk.icsk_rto)} {Kernel.Time.time_c.jiffies_to_clock_t(icsk.icsk_ack_ato)} {pingpong} {tp.snd_cwnd} {last}"));
    }

    // net/ipv4/tcp_ipv4.c: get_timewait4_sock
    /// <summary>A timewait sock's line: its substate, timer 3 with the time left, refcount 3 (bind hash, established table, timer).</summary>
    private static void get_timewait4_sock(inet_timewait_sock tw, System.Text.StringBuilder f, int i)
    {
        var delta = (long)tw.tw_timer!.expires - (long)tw.sk.sk_net.k.jiffies;
        f.Append(System.FormattableString.Invariant($"{i,4}: {be32_as_host(tw.inet_rcv_saddr):X8}:{tw.inet_sport:X4} {be32_as_host(tw.inet_daddr):X8}:{tw.inet_dport:X4}"));
        f.Append(System.FormattableString.Invariant($" {tw.tw_substate:X2} {0:X8}:{0:X8} {3:X2}:{jiffies_h.jiffies_delta_to_clock_t(delta):X8} {0:X8} {0,5} {0,8} {0} {3} 0000000000000000"));
    }

    /// <summary>TMPSZ: a /proc/net/tcp line is padded to TMPSZ - 1 characters.</summary>
    private const int TMPSZ = 150;

    // net/ipv4/tcp_ipv4.c: tcp4_seq_show
    /// <summary>
    /// /proc/net/tcp as <paramref name="net"/> shows it: the header, then the
    /// listeners, lhash2 bucket by bucket in index order, each chain first to
    /// last (listening_get_first/next), then the established table the same way
    /// (established_get_first/next): full sockets, requests and timewait socks of
    /// this namespace; each line padded to 149 characters (seq_setwidth, seq_pad).
    /// </summary>
    public static string tcp4_seq_show(net net)
    {
        var seq = new System.Text.StringBuilder();
        void pad(int start)
        {
            seq.Append(' ', System.Math.Max(0, TMPSZ - 1 - (seq.Length - start)));
            seq.Append('\n');
        }

        var start = seq.Length;
        seq.Append("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode");
        pad(start);

        // tcp_seq_start/tcp_seq_next: the listening buckets, then the established ones (seq_sk_match: this namespace).
        var hinfo = tcp_hashinfo(net.k);
        var num = 0;
        for (var bucket = 0; bucket < hinfo.lhash2.Length; bucket++) // st->bucket <= lhash2_mask
        {
            foreach (var sk in sock_h.sk_nulls_for_each(hinfo.lhash2[bucket].nulls_head))
            {
                if (sk.sk_net == net)
                {
                    start = seq.Length;
                    get_tcp4_sock(sk, seq, num++);
                    pad(start);
                }
            }
        }

        for (var bucket = 0; bucket < hinfo.ehash.Length; bucket++) // st->bucket <= ehash_mask
        {
            foreach (var sk in sock_h.sk_nulls_for_each(hinfo.ehash[bucket].chain))
            {
                if (sk.sk_net != net)
                {
                    continue;
                }

                start = seq.Length;
                if (sk.sk_state == TCP_TIME_WAIT)
                {
                    get_timewait4_sock(inet_timewait_sock_h.inet_twsk(sk), seq, num++);
                }
                else if (sk.sk_state == TCP_NEW_SYN_RECV)
                {
                    get_openreq4((request_sock)sk.proto_data!, seq, num++);
                }
                else
                {
                    get_tcp4_sock(sk, seq, num++);
                }

                pad(start);
            }
        }

        return seq.ToString();
    }
}
