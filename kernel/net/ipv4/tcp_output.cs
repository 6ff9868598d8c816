// Ports net/ipv4/tcp_output.c: building and sending TCP segments — the SYN
// of an active open (tcp_connect and tcp_connect_init), the options it
// carries (tcp_syn_options, tcp_options_write), the initial window
// (tcp_select_initial_window), the SYN-ACK of a passive open
// (tcp_make_synack, tcp_synack_options), a bare ACK (tcp_send_ack with the
// timestamp option, tcp_established_options, and the window it announces,
// tcp_select_window), and __tcp_transmit_skb, which clones a queued skb
// (TX-2), writes the header and hands it to IP. Data: tcp_write_xmit with
// tcp_cwnd_test, tcp_snd_wnd_test, tcp_nagle_test (tcp_nagle_check,
// Minshall's tcp_minshall_check/update), tcp_set_skb_tso_segs, tso_fragment
// for an skb longer than the MSS, tcp_event_new_data_sent (the retransmit
// queue, packets_out, the RTO, TCPOrigDataSent), tcp_event_data_sent,
// tcp_cwnd_validate/tcp_cwnd_application_limited, tcp_cwnd_restart,
// __tcp_push_pending_frames, tcp_push_one, tcp_current_mss, tcp_trim_head;
// retransmission: __tcp_retransmit_skb (the tcp_retransmit_skb tracepoint,
// RetransSegs), tcp_retransmit_skb, tcp_xmit_retransmit_queue (prr_out for
// PRR), the tail loss probe (tcp_schedule_loss_probe, tcp_send_loss_probe);
// the send-time order RACK walks (tsorted_sent_queue, in
// __tcp_transmit_skb's tcp_update_skb_after_send and tcp_fragment); the FIN
// (tcp_send_fin, on the last unsent skb or its own), sk_forced_mem_schedule,
// tcp_wfree, zero-window probes (tcp_send_probe0, tcp_write_wakeup,
// tcp_xmit_probe_skb), and the delayed ACK's timer (tcp_send_delayed_ack).
// For the receiver: the SACK and D-SACK blocks of an ACK, window selection
// by the peer's MSS guess (icsk_ack.rcv_mss) with the zero-window rules
// (ICSK_ACK_NOMEM, TCPToZeroWindowAdv/TCPFromZeroWindowAdv, pred_flags off),
// quick-ACK accounting (tcp_event_ack_sent), the abort's RST
// (tcp_send_active_reset, with its tcp_send_reset tracepoint), and the
// request timer's SYN-ACK (tcp_rtx_synack).
//
// GSO/TSO: TCP always builds GSO skbs (sk_setup_caps gives it NETIF_F_GSO):
// tcp_tso_segs/tcp_tso_autosize size them, tcp_mss_split_point and
// tcp_tso_should_defer (tcp_tso_win_divisor) decide how much goes now,
// __tcp_transmit_skb describes them in skb_shinfo (gso_size/segs/type), and
// the device layer cuts them for a device without TSO (validate_xmit_skb);
// tcp_fragment splits a sent skb for retransmission. Data skbs hold their
// payload in page frags: tcp_fragment/tso_fragment split them (skb_split),
// tcp_trim_head drops acked frags, tcp_grow_skb moves frags (skb_shift).
// TCP Small Queues: tcp_small_queue_check limits a flow's bytes below TCP,
// tcp_wfree queues a throttled socket on its CPU's tsq_work when TX
// completion frees them, and the BH work item (tcp_tsq_workfn) or
// tcp_release_cb writes more.
// Pacing: every skb carries its earliest departure time (tcp_wstamp_ns,
// advanced by tcp_update_skb_after_send at sk_pacing_rate); a flow that
// must pace itself (SO_MAX_PACING_RATE sets SK_PACING_NEEDED) waits in
// tcp_pacing_check for the pacing hrtimer (tcp_pace_kick).
// MTU probing: tcp_mtu_probe sends a probe built from the write queue's
// frags (tcp_clone_payload).
// not ported yet: skb_still_in_host_queue
// (skb_fclone_busy over the fclone pair), retransmit collapsing, window shrinking,
// MD5/AO, AccECN (classic ECN's tcp_ecn_send is ported). Every segment is
// CHECKSUM_PARTIAL: tcp_v4_send_check puts the pseudo-header sum in, and the
// device (lo, veth) or skb_checksum_help/GSO (a device without the feature)
// sums the rest.
// not ported: kfree, tcp_clear_md5_list, tcp_get_current_key, tcp_key_is_md5 — no TCP-MD5 (RFC 2385):
//   TCP_MD5SIG is not ported, so no key is ever found
// not ported: process_tcp_ao_options, tcp_ao_connect_init, tcp_ao_destroy_sock, tcp_ao_len_aligned,
//   tcp_ao_transmit_skb, tcp_key_is_ao, tcp_rsk_used_ao — no TCP-AO (RFC 5925): TCP_AO_ADD_KEY is not ported,
//   so no socket or request has an AO key
// not ported: BPF_SOCK_OPS_TEST_FLAG, bpf_skops_hdr_opt_len, bpf_skops_write_hdr_opt, tcp_call_bpf,
//   tcp_call_bpf_3arg, tcp_rwnd_init_bpf — no BPF sock_ops programs can be attached in the simulation
// not ported: mptcp_established_options, mptcp_options_write, mptcp_set_option_cond, mptcp_skb_ext_copy,
//   mptcp_space, mptcp_syn_options, sk_is_mptcp — no MPTCP: IPPROTO_MPTCP is not ported, every socket is plain
//   TCP
// not ported: tcp_accecn_ace_fail_recv, tcp_accecn_opt_fail_send, tcp_accecn_option_beacon_check,
//   tcp_accecn_set_ace, tcp_current_mss, tcp_ecn_mode_accecn, tcp_options_fit_accecn — AccECN (RFC 9768)
//   negotiation is not ported: a connection is RFC 3168 ECN or none
// not ported: smc_options_write, smc_set_option, smc_set_option_cond — no SMC (AF_SMC is not ported): the SMC
//   experimental option is never sent or looked for
// not ported: psp_enqueue_set_decrypted — no PSP encryption (no PSP device is simulated): every skb is
//   plaintext
using System;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Include.Linux.skbuff_ref_h;
using static KernelNet.Kernel.Include.Linux.tcp_h;
using static KernelNet.Kernel.Include.Net.dst_h;
using static KernelNet.Kernel.Include.Net.inet_connection_sock_h;
using static KernelNet.Kernel.Include.Net.sock_h;
using static KernelNet.Kernel.Include.Net.tcp_h;
using static KernelNet.Kernel.Include.Net.tcp_states_h;
using static KernelNet.Kernel.Net.Core.skbuff_c;
using static KernelNet.Kernel.Include.Trace.Events.tcp_h;

namespace KernelNet.Kernel.Net.Ipv4;

/// <summary>struct tcp_out_options: what the options of one segment say (on the sender's stack, passed by ref).</summary>
public struct tcp_out_options
{
    public ushort options;

    public byte ws;

    public ushort mss;

    public uint tsval;

    public uint tsecr;

    /// <summary>num_sack_blocks: SACK (and D-SACK) blocks this segment reports.</summary>
    public int num_sack_blocks;

    /// <summary>
    /// fastopen_cookie: the Fast Open option's cookie (OPTION_FAST_OPEN_COOKIE).
    /// departure: a copy of the cookie where C keeps a pointer to it (a struct
    /// field cannot point at a caller's stack struct); nothing changes the
    /// cookie between tcp_*_options and tcp_options_write.
    /// </summary>
    public tcp_fastopen_cookie fastopen_cookie;
}

/// <summary>
/// struct tsq_work: one per CPU — the TCP sockets TX completion found
/// throttled, and the BH work item that writes them (tcp_tsq_workfn).
/// </summary>
public sealed class tsq_work
{
    public work_struct work { get; } = new();

    /// <summary>head: the queued sockets, the most recently queued first (list_add).</summary>
    public System.Collections.Generic.LinkedList<tcp_sock> head { get; } = new();
}

public static class tcp_output_c
{
    /// <summary>OPTION_* bits of tcp_out_options.options.</summary>
    private const ushort OPTION_SACK_ADVERTISE = 1 << 0;
    private const ushort OPTION_TS = 1 << 1;
    private const ushort OPTION_WSCALE = 1 << 3;
    private const ushort OPTION_FAST_OPEN_COOKIE = 1 << 8;

    /// <summary>
    /// MAX_TCP_HEADER: room for the TCP header, options and everything below
    /// (L1_CACHE_ALIGN(128 + MAX_HEADER)). MAX_HEADER depends on the kernel's
    /// config: the recorded 6.18.44 kernel has no IP tunnels, WLAN or Hyper-V,
    /// so MAX_HEADER is LL_MAX_HEADER (32) and this is 192 — its
    /// skbuff_small_head cache holds 576-byte objects and a fresh veth
    /// connection's sk_sndbuf is 3 x 10 x 2304, both of which follow from 192.
    /// </summary>
    public const int MAX_TCP_HEADER = 192;

    // net/ipv4/tcp_output.c: tcp_mstamp_refresh
    /// <summary>tcp_clock_cache (ns) and tcp_mstamp (µs): now.</summary>
    public static void tcp_mstamp_refresh(tcp_sock tp)
    {
        var val = tcp_clock_ns(tp.sk.sk_net.k);
        tp.tcp_clock_cache = val;
        tp.tcp_mstamp = val / 1000;
    }

    // net/ipv4/tcp_output.c: tcp_select_initial_window
    /// <summary>
    /// The first receive window and its scale: the buffer's window space,
    /// clamped and rounded down to whole MSS; the scale is what the largest
    /// buffer the socket could grow to (tcp_rmem[2], rmem_max) needs.
    /// </summary>
    public static void tcp_select_initial_window(sock sk, int __space, uint mss, out uint rcv_wnd, ref uint __window_clamp, bool wscale_ok, out byte rcv_wscale, uint init_rcv_wnd)
    {
        var space = (uint)(__space < 0 ? 0 : __space);
        var window_clamp = __window_clamp;
        var ipv4 = Include.Net.Netns.netns_ipv4.of(sk.sk_net);

        if (window_clamp == 0)
        {
            window_clamp = 65535U << TCP_MAX_WSCALE;
        }

        space = Math.Min(window_clamp, space);

        if (space > mss)
        {
            space = space / mss * mss;
        }

        // Offering more than 32767 breaks stacks that read the window as signed, if the admin says so.
        rcv_wnd = ipv4.sysctl_tcp_workaround_signed_windows ? Math.Min(space, MAX_TCP_WINDOW) : space;
        if (init_rcv_wnd != 0)
        {
            rcv_wnd = Math.Min(rcv_wnd, init_rcv_wnd * mss);
        }

        rcv_wscale = 0;
        if (wscale_ok)
        {
            space = Math.Max(space, (uint)ipv4.sysctl_tcp_rmem[2]);
            space = Math.Max(space, (uint)sk.sk_net.core_sysctl["rmem_max"]);
            space = Math.Min(space, window_clamp);
            rcv_wscale = (byte)Math.Clamp(System.Numerics.BitOperations.Log2(space) - 15, 0, TCP_MAX_WSCALE);
        }

        __window_clamp = Math.Min(65535U << rcv_wscale, window_clamp);
    }

    // net/ipv4/tcp_output.c: tcp_options_write
    /// <summary>Writes the options in the kernel's order and padding: MSS; SACK-permitted folded with timestamps; timestamps; window scale after a NOP.</summary>
    private static void tcp_options_write(Span<byte> ptr, tcp_sock tp, ref tcp_out_options opts)
    {
        var options = opts.options;
        var p = 0;

        if (opts.mss != 0)
        {
            ptr[p++] = TCPOPT_MSS;
            ptr[p++] = TCPOLEN_MSS;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(ptr[p..], opts.mss);
            p += 2;
        }

        if ((OPTION_TS & options) != 0)
        {
            if ((OPTION_SACK_ADVERTISE & options) != 0)
            {
                ptr[p++] = TCPOPT_SACK_PERM;
                ptr[p++] = TCPOLEN_SACK_PERM;
                options &= unchecked((ushort)~OPTION_SACK_ADVERTISE);
            }
            else
            {
                ptr[p++] = TCPOPT_NOP;
                ptr[p++] = TCPOPT_NOP;
            }

            ptr[p++] = TCPOPT_TIMESTAMP;
            ptr[p++] = TCPOLEN_TIMESTAMP;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(ptr[p..], opts.tsval);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(ptr[(p + 4)..], opts.tsecr);
            p += 8;
        }

        if ((OPTION_SACK_ADVERTISE & options) != 0)
        {
            ptr[p++] = TCPOPT_NOP;
            ptr[p++] = TCPOPT_NOP;
            ptr[p++] = TCPOPT_SACK_PERM;
            ptr[p++] = TCPOLEN_SACK_PERM;
        }

        if ((OPTION_WSCALE & options) != 0)
        {
            ptr[p++] = TCPOPT_NOP;
            ptr[p++] = TCPOPT_WINDOW;
            ptr[p++] = TCPOLEN_WINDOW;
            ptr[p++] = opts.ws;
        }

        if (opts.num_sack_blocks != 0)
        {
            // the D-SACK block, when owed, goes first; the SACK blocks follow it (in C, duplicate_sack sits just before selective_acks)
            var dsack = tp.rx_opt.dsack;

            ptr[p++] = TCPOPT_NOP;
            ptr[p++] = TCPOPT_NOP;
            ptr[p++] = TCPOPT_SACK;
            ptr[p++] = (byte)(TCPOLEN_SACK_BASE + opts.num_sack_blocks * TCPOLEN_SACK_PERBLOCK);

            for (var this_sack = 0; this_sack < opts.num_sack_blocks; ++this_sack)
            {
                var sp = dsack != 0 && this_sack == 0 ? tp.duplicate_sack[0] : tp.selective_acks[this_sack - dsack];
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(ptr[p..], sp.start_seq);
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(ptr[(p + 4)..], sp.end_seq);
                p += 8;
            }

            tp.rx_opt.dsack = 0;
        }

        if ((OPTION_FAST_OPEN_COOKIE & options) != 0)
        {
            ref var foc = ref opts.fastopen_cookie;
            int len; // Fast Open option length
            if (foc.exp)
            {
                len = TCPOLEN_EXP_FASTOPEN_BASE + foc.len;
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(ptr[p..], ((uint)TCPOPT_EXP << 24) | ((uint)len << 16) | TCPOPT_FASTOPEN_MAGIC);
                p += TCPOLEN_EXP_FASTOPEN_BASE;
            }
            else
            {
                len = TCPOLEN_FASTOPEN_BASE + foc.len;
                ptr[p++] = TCPOPT_FASTOPEN;
                ptr[p++] = (byte)len;
            }

            ((ReadOnlySpan<byte>)foc.val)[..foc.len].CopyTo(ptr[p..]);
            if ((len & 3) == 2)
            {
                ptr[p + foc.len] = TCPOPT_NOP;
                ptr[p + foc.len + 1] = TCPOPT_NOP;
            }
        }
    }

    // not ported: dst_metric_advmss — routes carry no RTAX_ADVMSS metric: the advertised MSS comes from the
    //   device MTU
    // not ported: __sk_dst_get — reads the route as the field sk.sk_dst_cache
    // net/ipv4/tcp_output.c: tcp_advertise_mss
    /// <summary>The MSS a SYN offers: advmss, lowered to the route's advmss if that is smaller.</summary>
    private static ushort tcp_advertise_mss(sock sk)
    {
        var tp = tcp_sk(sk);
        var mss = (int)tp.advmss;
        if (sk.sk_dst_cache is dst_entry dst)
        {
            var metric = route_c.ipv4_default_advmss(dst);
            if (metric < mss)
            {
                mss = (int)metric;
                tp.advmss = (ushort)mss;
            }
        }

        return (ushort)mss;
    }

    // net/ipv4/tcp_output.c: tcp_syn_options
    /// <summary>The options of a SYN: MSS always; timestamps, window scale and SACK-permitted as the sysctls allow. Returns their length.</summary>
    [Borrows("skb")]
    private static int tcp_syn_options(sock sk, sk_buff skb, ref tcp_out_options opts)
    {
        var tp = tcp_sk(sk);
        var ipv4 = Include.Net.Netns.netns_ipv4.of(sk.sk_net);
        var remaining = MAX_TCP_OPTION_SPACE;

        // No MD5 or AO keys.
        var timestamps = ipv4.sysctl_tcp_timestamps != 0;

        // The SYN always carries MSS; the timestamp bytes of data segments are
        // in the advertised MSS, not in mss_cache.
        opts.mss = tcp_advertise_mss(sk);
        remaining -= TCPOLEN_MSS_ALIGNED;

        if (timestamps)
        {
            opts.options |= OPTION_TS;
            opts.tsval = unchecked(tcp_skb_timestamp_ts(tp.tcp_usec_ts, skb) + tp.tsoffset);
            opts.tsecr = tp.rx_opt.ts_recent;
            remaining -= TCPOLEN_TSTAMP_ALIGNED;
        }

        if (ipv4.sysctl_tcp_window_scaling)
        {
            opts.ws = tp.rx_opt.rcv_wscale;
            opts.options |= OPTION_WSCALE;
            remaining -= TCPOLEN_WSCALE_ALIGNED;
        }

        if (ipv4.sysctl_tcp_sack)
        {
            opts.options |= OPTION_SACK_ADVERTISE;
            if ((OPTION_TS & opts.options) == 0)
            {
                remaining -= TCPOLEN_SACKPERM_ALIGNED;
            }
        }

        var fastopen = tp.fastopen_req;
        if (fastopen is not null && fastopen.cookie.len >= 0)
        {
            var need = fastopen.cookie.len + (fastopen.cookie.exp ? TCPOLEN_EXP_FASTOPEN_BASE : TCPOLEN_FASTOPEN_BASE);
            need = (need + 3) & ~3; // Align to 32 bits
            if (remaining >= need)
            {
                opts.options |= OPTION_FAST_OPEN_COOKIE;
                opts.fastopen_cookie = fastopen.cookie;
                remaining -= need;
                tp.syn_fastopen = true;
                tp.syn_fastopen_exp = fastopen.cookie.exp;
            }
        }

        // SMC, MPTCP, AccECN, BPF header options: not ported.
        return MAX_TCP_OPTION_SPACE - remaining;
    }

    // not ported: tcp_urg_mode — urgent data (MSG_OOB sends) is not ported: snd_up never moves, so urgent
    //   mode is never on
    // not ported: tcp_skb_tsorted_save — the port keeps the send-time order on its own links (tcp_tsorted_*),
    //   which a copy or clone does not share, so there is nothing to save across it
    // not ported: tcp_skb_tsorted_restore — the port keeps the send-time order on its own links
    //   (tcp_tsorted_*), which a copy or clone does not share, so there is nothing to restore
    // not ported: tcp_add_tx_delay — TCP_TX_DELAY (tcp_tx_delay_enabled) is not ported: no socket has a tx
    //   delay
    // not ported: skb_set_hash_from_sk — flow hashes (sk_txhash) are not ported: no skb carries a hash,
    //   RPS/XPS are not simulated
    // not ported: skb_set_dst_pending_confirm — TCP's neighbour confirmation (sk_dst_pending_confirm,
    //   dst_confirm_neigh on the next send) is not ported: ARP entries age on the neighbour timers alone
    // not ported: skb_set_delivery_time — the delivery time is written as the field skb.tstamp (one clock
    //   base, so the tstamp_type it also sets has one value)
    // not ported: sk_skb_reason_drop — the clone is never dropped before ip_queue_xmit (TCP-MD5/AO signing,
    //   the only failing step, is not ported)
    // not ported: sk_gso_disable — only taken for a TCP-MD5/AO socket, which the port never has
    // not ported: net_xmit_eval — written out: NET_XMIT_CN is turned into success in place
    // not ported: before — urgent data (MSG_OOB sends) is not ported: snd_up never moves, so no segment
    //   carries URG
    // not ported: SKB_TRUESIZE, sk_wmem_alloc_get, tcp_rtx_queue_empty — skb->ooo_okay (whether XPS may move
    //   the flow to another tx queue): multi-queue devices and XPS are not simulated
    // net/ipv4/tcp_output.c: __tcp_transmit_skb
    /// <summary>
    /// Sends <paramref name="oskb"/>: a clone of it (the original stays queued
    /// for retransmission) gets the TCP header and options, charged to the
    /// socket, counted in OutSegs if it carries new sequence space or none, and
    /// goes to ip_queue_xmit. Data segments stamp lsndtime and count in
    /// data_segs_out/bytes_sent. The original keeps the send time (its tstamp)
    /// for RTT samples.
    /// </summary>
    [Consumes("oskb", UnlessArgument = nameof(clone_it))]
    private static int __tcp_transmit_skb(sock sk, sk_buff oskb, bool clone_it, uint rcv_nxt)
    {
        var inet = inet_sock_h.inet_sk(sk);
        var tp = tcp_sk(sk);
        var opts = new tcp_out_options();
        sk_buff skb;

        // skb_mstamp_ns: the earliest departure time (EDT), which the timestamp option carries
        var prior_wstamp = tp.tcp_wstamp_ns;
        tp.tcp_wstamp_ns = Math.Max(tp.tcp_wstamp_ns, tp.tcp_clock_cache);
        oskb.tstamp = (long)tp.tcp_wstamp_ns;
        if (clone_it)
        {
            // TX-2: the clone shares the data; an skb whose earlier clone still holds the data is copied instead
            var clone = skb_cloned(oskb) ? pskb_copy(oskb) : skb_clone(oskb);
            if (clone is null)
            {
                return -errno_h.ENOBUFS;
            }

            skb = clone;
            skb.dev = null;
        }
        else
        {
            skb = oskb;
        }

        var tcb = TCP_SKB_CB(skb);
        int tcp_options_size;
        if ((tcb.tcp_flags & TCPHDR_SYN) != 0)
        {
            tcp_options_size = tcp_syn_options(sk, skb, ref opts);
        }
        else
        {
            tcp_options_size = tcp_established_options(sk, skb, ref opts);

            // a GSO skb (more than one segment) always carries PSH, so the
            // receiver's GRO flushes it at once; a single segment keeps the
            // PSH the write gave it (under congestion its ACK may wait)
            if (tcp_skb_pcount(skb) > 1)
            {
                tcb.tcp_flags |= TCPHDR_PSH;
            }
        }

        var tcp_header_size = tcp_options_size + tcphdr.Size;

        skb_push(skb, tcp_header_size);
        skb_reset_transport_header(skb);

        skb_orphan(skb);
        skb.sk = sk;
        skb.destructor = skb_is_tcp_pure_ack(skb) ? Core.sock_c.__sock_wfree : tcp_wfree;
        sk.sk_wmem_alloc += (int)skb.truesize;

        var th = tcp_hdr(skb);
        th.source = inet.inet_sport;
        th.dest = inet.inet_dport;
        th.seq = tcb.seq;
        th.ack_seq = rcv_nxt;
        th.doff = tcp_header_size >> 2;
        th.flags = tcb.tcp_flags;
        th.check = 0;
        th.urg_ptr = 0;

        skb.shinfo.gso_type = sk.sk_gso_type;

        if ((tcb.tcp_flags & TCPHDR_SYN) != 0)
        {
            th.window = (ushort)Math.Min(tp.rcv_wnd, 65535U);
        }
        else
        {
            th.window = (ushort)tcp_select_window(sk);
            tcp_ecn_send(sk, skb, th, tcp_header_size);
        }

        tcp_options_write(skb.head.AsSpan(skb.transport_header + tcphdr.Size, tcp_options_size), tp, ref opts);

        // icsk_af_ops->send_check: tcp_v4_send_check.
        tcp_ipv4_c.tcp_v4_send_check(sk, skb);

        if ((tcb.tcp_flags & TCPHDR_ACK) != 0)
        {
            tcp_event_ack_sent(sk, rcv_nxt);
        }

        if (skb.len != tcp_header_size)
        {
            tcp_event_data_sent(tp, sk);
            tp.data_segs_out += (uint)tcp_skb_pcount(skb);
            tp.bytes_sent += (ulong)(skb.len - tcp_header_size);
        }

        if (after(tcb.end_seq, tp.snd_nxt) || tcb.seq == tcb.end_seq)
        {
            TCP_ADD_STATS(sk.sk_net, tcp_mib_field.TCP_MIB_OUTSEGS, tcp_skb_pcount(skb));
        }

        tp.segs_out += (uint)tcp_skb_pcount(skb);

        // the device (or software GSO) learns from skb_shinfo how to cut a multi-segment skb
        skb.shinfo.gso_segs = (ushort)tcp_skb_pcount(skb);
        skb.shinfo.gso_size = (ushort)tcp_skb_mss(skb);

        // below TCP the skb's control block is IP's (IPCB): clear TCP's from it
        Include.Net.ip_h.IPCB_memset(skb);
        skb.tstamp = 0;

        var err = ip_output_c.ip_queue_xmit(sk, skb, ref inet.cork_fl);
        if (err > 0)
        {
            // a qdisc that dropped or marked the segment is local congestion: CWR
            tcp_input_c.tcp_enter_cwr(sk);
            // net_xmit_eval: congestion notification is not an error.
            err = err == netdevice_h.NET_XMIT_CN ? 0 : err;
        }

        if (err == 0 && clone_it)
        {
            tcp_update_skb_after_send(sk, oskb, prior_wstamp);
            tcp_rate_c.tcp_rate_skb_sent(sk, oskb);
        }

        return err;
    }

    // not ported: sock_put — the port does not count socket references: the GC keeps a socket alive while
    //   anything reaches it
    // net/ipv4/tcp_output.c: tcp_pace_kick
    /// <summary>
    /// The pacing hrtimer fired (HRTIMER_SOFTIRQ): the flow may send again —
    /// now, or through tcp_release_cb when a task owns the socket.
    /// </summary>
    public static hrtimer_restart tcp_pace_kick(hrtimer timer)
    {
        var tp = (tcp_sock)timer.owner!;

        // sock_put: the port does not count socket references.
        tcp_tsq_handler(tp.sk);
        return hrtimer_restart.HRTIMER_NORESTART;
    }

    // net/ipv4/tcp_output.c: tcp_update_skb_after_send
    /// <summary>
    /// After a send: when the flow is paced, the next departure time moves
    /// on by the skb's length at the pacing rate (not for the first ten
    /// segments, as sch_fq does; less the credit an idle gap earned, up to
    /// half); the sent skb joins the tail of the send-time order RACK walks.
    /// </summary>
    [Borrows("skb")]
    private static void tcp_update_skb_after_send(sock sk, sk_buff skb, ulong prior_wstamp)
    {
        var tp = tcp_sk(sk);

        if (sk.sk_pacing_status != SK_PACING_NONE)
        {
            var rate = sk.sk_pacing_rate;

            if (rate != ulong.MaxValue && rate != 0 && tp.data_segs_out >= 10)
            {
                var len_ns = (ulong)skb.len * 1_000_000_000UL / rate;
                var credit = tp.tcp_wstamp_ns - prior_wstamp;

                // take OS jitter into account
                len_ns -= Math.Min(len_ns / 2, credit);
                tp.tcp_wstamp_ns += len_ns;
            }
        }

        tcp_tsorted_move_tail(tp, skb);
    }

    // net/ipv4/tcp_output.c: tcp_transmit_skb
    [Consumes("skb", UnlessArgument = nameof(clone_it))]
    private static int tcp_transmit_skb(sock sk, sk_buff skb, bool clone_it) => __tcp_transmit_skb(sk, skb, clone_it, tcp_sk(sk).rcv_nxt);

    // net/ipv4/tcp_output.c: __tcp_mtu_to_mss
    /// <summary>The MSS of a path MTU before the options every segment carries are taken off (at least 48).</summary>
    private static int __tcp_mtu_to_mss(sock sk, int pmtu)
    {
        var tp = tcp_sk(sk);
        var icsk = inet_csk(sk);

        // Calculate base mss without TCP options: It is MMS_S - sizeof(tcphdr) of rfc1122
        var mss_now = pmtu - iphdr_size - tcphdr.Size;
        if (mss_now > tp.rx_opt.mss_clamp)
        {
            mss_now = tp.rx_opt.mss_clamp;
        }

        mss_now -= icsk.icsk_ext_hdr_len;
        return Math.Max(mss_now, 48); // net.ipv4.tcp_min_snd_mss
    }

    // net/ipv4/tcp_output.c: tcp_mtu_to_mss
    /// <summary>The MSS of a path MTU: minus the IP and TCP headers (and the TCP options every segment carries), at least 48.</summary>
    public static int tcp_mtu_to_mss(sock sk, int pmtu)
    {
        var tp = tcp_sk(sk);
        return __tcp_mtu_to_mss(sk, pmtu) - ((int)tp.tcp_header_len - tcphdr.Size);
    }

    // net/ipv4/tcp_output.c: tcp_mss_to_mtu
    /// <summary>The MTU a segment of <paramref name="mss"/> payload bytes needs: the TCP header with the options every segment carries, IP options, the IP header.</summary>
    public static int tcp_mss_to_mtu(sock sk, int mss)
    {
        var tp = tcp_sk(sk);
        var icsk = inet_csk(sk);

        // icsk_af_ops->net_header_len: IPv4's header
        return mss + (int)tp.tcp_header_len + icsk.icsk_ext_hdr_len + iphdr_size;
    }

    private const int iphdr_size = 20;

    // net/ipv4/tcp_output.c: tcp_tsq_write
    /// <summary>
    /// What a throttled socket does once TX completion freed room: lost
    /// segments first when cwnd allows, then new data — in the states that
    /// send data.
    /// </summary>
    private static void tcp_tsq_write(sock sk)
    {
        if (((1 << sk.sk_state) & (TCPF_ESTABLISHED | TCPF_FIN_WAIT1 | TCPF_CLOSING | TCPF_CLOSE_WAIT | TCPF_LAST_ACK)) != 0)
        {
            var tp = tcp_sk(sk);

            if (tp.lost_out > tp.retrans_out && tcp_snd_cwnd(tp) > tcp_packets_in_flight(tp))
            {
                tcp_mstamp_refresh(tp);
                tcp_xmit_retransmit_queue(sk);
            }

            tcp_write_xmit(sk, tcp_current_mss(sk), tp.nonagle, 0, 0);
        }
    }

    // not ported: sock_hold — the port does not count socket references: the GC keeps a socket alive while
    //   anything reaches it
    // not ported: bh_lock_sock, bh_unlock_sock — the socket spinlock: one simulated CPU, and process context
    //   holds the socket only with bottom halves off (lock_sock to release_sock), so softirq or timer code
    //   never finds it held
    // net/ipv4/tcp_output.c: tcp_tsq_handler
    /// <summary>
    /// Softirq's turn for a throttled socket: it writes now, or, when a task
    /// owns the socket, leaves TCP_TSQ_DEFERRED for tcp_release_cb.
    /// </summary>
    private static void tcp_tsq_handler(sock sk)
    {
        // bh_lock_sock: against the owner in process context (one thread here).
        if (!sock_owned_by_user(sk))
        {
            tcp_tsq_write(sk);
        }
        else if ((sk.sk_tsq_flags & TCPF_TSQ_DEFERRED) == 0)
        {
            // test_and_set_bit; sock_hold: the port does not count socket references.
            sk.sk_tsq_flags |= TCPF_TSQ_DEFERRED;
        }
    }

    // not ported: sk_free — the port does not count socket references: the last reference going away is the
    //   GC's business
    // not ported: local_irq_restore, local_irq_save — the simulated CPU takes no hard interrupts in the
    //   middle of kernel code, so there is nothing to mask
    // net/ipv4/tcp_output.c: tcp_tsq_workfn
    /// <summary>
    /// The per-CPU TSQ work item (system_bh_wq, so TASKLET_SOFTIRQ): takes
    /// the whole list of sockets tcp_wfree queued, and for each clears
    /// TSQ_QUEUED, writes (tcp_tsq_handler) and drops the sk_wmem_alloc
    /// reference tcp_wfree kept.
    /// </summary>
    private static void tcp_tsq_workfn(work_struct work)
    {
        var tsq = (tsq_work)work.owner!;
        var sk0 = tsq.head.First;
        if (sk0 is null)
        {
            return;
        }

        // local_irq_save; list_splice_init: tcp_wfree may add to tsq->head from a hard IRQ.
        var list = new System.Collections.Generic.List<tcp_sock>(tsq.head.Count);
        foreach (var t in tsq.head)
        {
            list.Add(t);
        }

        tsq.head.Clear();

        foreach (var tp in list)
        {
            tp.tsq_node = null;
            var sk = tp.sk;

            // smp_mb__before_atomic: the list removal is seen before TSQ_QUEUED clears.
            sk.sk_tsq_flags &= ~TSQF_QUEUED;

            tcp_tsq_handler(sk);

            // sk_free: the reference tcp_wfree kept on sk_wmem_alloc (the socket's lifetime is not counted there here).
            sk.sk_wmem_alloc -= 1;
        }
    }

    /// <summary>TCP_DEFERRED_ALL: the tsq_flags bits tcp_release_cb acts on (the ones the port sets).</summary>
    private const ulong TCP_DEFERRED_ALL = TCPF_TSQ_DEFERRED | TCPF_MTU_REDUCED_DEFERRED;

    // not ported: inet_csk_ack_scheduled — written out as a test of icsk_ack_pending
    // net/ipv4/tcp_output.c: tcp_release_cb
    /// <summary>
    /// tcp_prot.release_cb: work softirq deferred while a task owned the
    /// socket, run as release_sock gives it back — TSQ's write
    /// (TCP_TSQ_DEFERRED) and a frag-needed's tcp_v4_mtu_reduced
    /// (icsk_af_ops->mtu_reduced, IPv4 only).
    /// </summary>
    public static void tcp_release_cb(sock sk)
    {
        // not ported: tcp_write_timer_handler, tcp_delack_timer_handler, tcp_send_ack (TCP_WRITE_TIMER_DEFERRED, TCP_DELACK_TIMER_DEFERRED, TCP_ACK_DEFERRED) — the port never defers these: its timers and ACKs run on an owned socket directly.
        var flags = sk.sk_tsq_flags;
        if ((flags & TCP_DEFERRED_ALL) == 0)
        {
            return;
        }

        // try_cmpxchg: one thread, so a plain clear. __sock_put: no refcounts.
        sk.sk_tsq_flags = flags & ~TCP_DEFERRED_ALL;

        if ((flags & TCPF_TSQ_DEFERRED) != 0)
        {
            tcp_tsq_write(sk);
        }

        if ((flags & TCPF_MTU_REDUCED_DEFERRED) != 0)
        {
            tcp_ipv4_c.tcp_v4_mtu_reduced(sk);
        }
    }

    // net/ipv4/tcp_output.c: tcp_tsq_work_init
    /// <summary>Boot (tcp_init): each CPU's TSQ list starts empty, its work item runs tcp_tsq_workfn.</summary>
    public static void tcp_tsq_work_init(Vmlinux k)
    {
        for (var i = 0; i < k.nr_cpu_ids; i++)
        {
            var tsq = k.per_cpu(i).tsq_work;
            tsq.head.Clear();
            tsq.work.owner = tsq;
            workqueue_h.INIT_WORK(tsq.work, tcp_tsq_workfn);
        }
    }

    // net/ipv4/tcp_output.c: tcp_mtup_init
    /// <summary>
    /// Packetization-layer path MTU discovery (RFC 4821) starts over: the
    /// search runs from the MTU of net.ipv4.tcp_base_mss up to the largest
    /// the peer's MSS allows; it is on from the start only with
    /// net.ipv4.tcp_mtu_probing 2 (1 waits for tcp_mtu_probing's black-hole
    /// suspicion on a retransmission timeout).
    /// </summary>
    public static void tcp_mtup_init(sock sk)
    {
        var tp = tcp_sk(sk);
        var icsk = inet_csk(sk);
        var ipv4 = Include.Net.Netns.netns_ipv4.of(sk.sk_net);

        icsk.icsk_mtup_enabled = ipv4.sysctl_tcp_mtu_probing > 1;

        // icsk_af_ops->net_header_len: IPv4's header
        icsk.icsk_mtup_search_high = tp.rx_opt.mss_clamp + tcphdr.Size + iphdr_size;
        icsk.icsk_mtup_search_low = tcp_mss_to_mtu(sk, ipv4.sysctl_tcp_base_mss);
        icsk.icsk_mtup_probe_size = 0;
        if (icsk.icsk_mtup_enabled)
        {
            icsk.icsk_mtup_probe_timestamp = tcp_jiffies32(sk);
        }
    }

    // net/ipv4/tcp_output.c: tcp_sync_mss
    /// <summary>
    /// mss_cache from the path MTU, never above half the largest window the
    /// peer offered (tcp_bound_to_half_wnd): over loopback (MTU 65536) a
    /// peer's first window of 65483 makes the MSS 32741. Called again
    /// whenever max_window grows (tcp_ack_update_window).
    /// </summary>
    public static uint tcp_sync_mss(sock sk, uint pmtu)
    {
        var tp = tcp_sk(sk);
        var icsk = inet_csk(sk);

        // MTU probing never searches above the path MTU the route reports
        if (icsk.icsk_mtup_search_high > (int)pmtu)
        {
            icsk.icsk_mtup_search_high = (int)pmtu;
        }

        var mss_now = tcp_mtu_to_mss(sk, (int)pmtu);

        // max_window is 0 before the handshake: no bound then
        mss_now = tcp_bound_to_half_wnd(tp, mss_now);

        icsk.icsk_pmtu_cookie = pmtu;

        // while probing, segments stay at the size known to get through (search_low)
        if (icsk.icsk_mtup_enabled)
        {
            mss_now = Math.Min(mss_now, tcp_mtu_to_mss(sk, icsk.icsk_mtup_search_low));
        }

        tp.mss_cache = (uint)mss_now;
        return (uint)mss_now;
    }

    // not ported: tcp_ca_dst_init — per-route congestion control (RTAX_CC_ALGO, "ip route ... congctl") is
    //   not ported: the socket keeps its own algorithm
    // not ported: dst_metric_advmss — routes carry no RTAX_ADVMSS metric: the advertised MSS comes from the
    //   device MTU
    // not ported: dst_metric — routes carry no RTAX_ metrics (no "ip route ... initcwnd/window"), so the
    //   per-route value is always 0
    // not ported: __sk_dst_get — reads the route as the field sk.sk_dst_cache
    // net/ipv4/tcp_output.c: tcp_connect_init
    /// <summary>Everything a SYN needs: header length, MSS, initial window and scale, sequence numbers from write_seq, the initial RTO.</summary>
    private static void tcp_connect_init(sock sk)
    {
        var dst = (dst_entry)sk.sk_dst_cache!;
        var tp = tcp_sk(sk);
        var ipv4 = Include.Net.Netns.netns_ipv4.of(sk.sk_net);

        tp.tcp_header_len = tcphdr.Size;
        if (ipv4.sysctl_tcp_timestamps != 0)
        {
            tp.tcp_header_len += TCPOLEN_TSTAMP_ALIGNED;
        }

        var user_mss = tp.rx_opt.user_mss;
        if (user_mss != 0)
        {
            tp.rx_opt.mss_clamp = user_mss;
        }

        tp.max_window = 0;
        tcp_mtup_init(sk);
        tcp_sync_mss(sk, dst_mtu(dst));

        // tcp_ca_dst_init: no per-route congestion control.
        // dst_metric(dst, RTAX_WINDOW) is 0: no route metrics.
        tp.advmss = tcp_mss_clamp(tp, (ushort)route_c.ipv4_default_advmss(dst));

        // the receiver's MSS guess (icsk_ack.rcv_mss) starts small (rcv_wnd is still 0: TCP_MIN_MSS), so that
        // window selection never divides by zero before the SYN-ACK sets it again
        tcp_input_c.tcp_initialize_rcv_mss(sk);

        // a receive buffer the user fixed (SO_RCVBUF) caps the window we offer
        if ((sk.sk_userlocks & sock_h.SOCK_RCVBUF_LOCK) != 0 && (tp.window_clamp > tcp_full_space(sk) || tp.window_clamp == 0))
        {
            tp.window_clamp = (uint)tcp_full_space(sk);
        }

        // tcp_rwnd_init_bpf: no BPF; dst_metric(dst, RTAX_INITRWND): 0.
        uint rcv_wnd = 0;
        var window_clamp = tp.window_clamp;
        tcp_select_initial_window(sk, tcp_full_space(sk), tp.advmss - (tp.rx_opt.ts_recent_stamp != 0 ? tp.tcp_header_len - tcphdr.Size : 0), out var wnd, ref window_clamp, ipv4.sysctl_tcp_window_scaling, out var rcv_wscale, rcv_wnd);
        tp.rcv_wnd = wnd;
        tp.window_clamp = window_clamp;
        tp.rx_opt.rcv_wscale = rcv_wscale;
        tp.rcv_ssthresh = tp.rcv_wnd;

        sk.sk_err = 0;
        sock_h.sock_reset_flag(sk, sock_flags.SOCK_DONE);
        tp.snd_wnd = 0;
        tcp_init_wl(tp, 0);
        tcp_c.tcp_write_queue_purge(sk);
        tp.snd_una = tp.write_seq;
        tp.snd_sml = tp.write_seq;
        tp.snd_up = tp.write_seq;
        tp.snd_nxt = tp.write_seq;
        tp.rcv_nxt = 0;
        tp.rcv_wup = tp.rcv_nxt;
        tp.copied_seq = tp.rcv_nxt;

        inet_csk(sk).icsk_rto = tcp_timeout_init(sk);
        inet_csk(sk).icsk_retransmits = 0;
        tcp_input_c.tcp_clear_retrans(tp);
    }

    // not ported: __skb_header_release — the port's clones share one buffer object and keep no nohdr/dataref
    //   split, so there is no header reference to drop
    // net/ipv4/tcp_output.c: tcp_connect_queue_skb
    /// <summary>The SYN takes its sequence number: write_seq moves past it, and it counts as in flight.</summary>
    [Borrows("skb")]
    private static void tcp_connect_queue_skb(sock sk, sk_buff skb)
    {
        var tp = tcp_sk(sk);
        var tcb = TCP_SKB_CB(skb);
        tcb.end_seq += (uint)skb.len;

        // __skb_header_release: nothing to do here.
        Include.Net.sock_h.sk_wmem_queued_add(sk, (int)skb.truesize);
        Include.Net.sock_h.sk_mem_charge(sk, (int)skb.truesize);
        tp.write_seq = tcb.end_seq;
        tp.packets_out += (uint)tcp_skb_pcount(skb);
    }

    // net/ipv4/tcp_output.c: tcp_init_nondata_skb
    /// <summary>A segment without data: its flags and sequence range (SYN and FIN take one number).</summary>
    [Borrows("skb")]
    private static void tcp_init_nondata_skb(sk_buff skb, sock sk, uint seq, byte flags)
    {
        skb.ip_summed = CHECKSUM_PARTIAL;
        var cb = TCP_SKB_CB(skb);
        cb.tcp_flags = flags;
        tcp_skb_pcount_set(skb, 1);
        cb.seq = seq;
        if ((flags & (TCPHDR_SYN | TCPHDR_FIN)) != 0)
        {
            seq++;
        }

        cb.end_seq = seq;
    }

    // not ported: net_tx_rndhash — flow hashes (sk_txhash) are not ported: there is no txhash to re-roll
    // net/ipv4/tcp_output.c: tcp_rtx_synack
    /// <summary>
    /// The request timer's SYN-ACK, sent again (send_synack with no route
    /// and no SYN: it routes the request itself); a sent one counts
    /// RetransSegs and TCPSynRetrans and req.num_retrans. Returns 0 or the
    /// send's error. No txhash rehash.
    /// </summary>
    public static int tcp_rtx_synack(sock sk, request_sock req)
    {
        var fl = new flowi4();
        var res = tcp_ipv4_c.tcp_v4_send_synack(sk, null, ref fl, req, ref System.Runtime.CompilerServices.Unsafe.NullRef<tcp_fastopen_cookie>(), tcp_synack_type.TCP_SYNACK_NORMAL, null);
        if (res == 0)
        {
            TCP_INC_STATS(sk.sk_net, tcp_mib_field.TCP_MIB_RETRANSSEGS);
            Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPSYNRETRANS);

            // a passive Fast Open child (sk is the child, not the listener) counts its SYN-ACK retransmissions
            // not ported: tcp_sk_rw — the const-dropping accessor: tcp_sk
            if (Include.Linux.tcp_h.tcp_passive_fastopen(sk))
            {
                tcp_sk(sk).total_retrans++;
            }

            trace_tcp_retransmit_synack(sk, req);
            req.num_retrans++;
        }

        return res;
    }

    // not ported: tcp_skb_tsorted_anchor_cleanup — the port keeps the send-time order on its own links, not
    //   in a union with skb->_skb_refdst, so there is no anchor to clear before the skb is freed
    // not ported: tcp_rbtree_insert — the retransmit queue is an ordered sk_buff_head in the port (appended
    //   in sequence order), not an rbtree
    // not ported: skb_set_delivery_time — the delivery time is written as the field skb.tstamp (one clock
    //   base, so the tstamp_type it also sets has one value)
    // not ported: copy_page_from_iter — the SYN data is copied from the message with the port's own iterator
    //   copy
    // net/ipv4/tcp_output.c: tcp_send_syn_data
    /// <summary>
    /// An active Fast Open's SYN: with a cookie (or none needed) the SYN goes
    /// with as much of the user's data as fits (a copy of the SYN with the
    /// data; the retransmit queue keeps the SYN and the data as two skbs, so a
    /// retransmitted SYN carries no data and the data goes again after the
    /// handshake). Without a cookie, or if the data cannot be taken, a plain
    /// SYN asking for a cookie goes instead. Later SYNs carry no Fast Open option.
    /// The data goes into a page frag, as every TCP payload.
    /// </summary>
    [Borrows("syn")]
    private static int tcp_send_syn_data(sock sk, sk_buff syn)
    {
        var icsk = inet_csk(sk);
        var tp = tcp_sk(sk);
        var fo = tp.fastopen_req!;
        sk_buff? syn_data;
        int space, err;

        tp.rx_opt.mss_clamp = tp.advmss; // If MSS is not cached
        var mss_clamp = tp.rx_opt.mss_clamp;
        var usable = tcp_fastopen_c.tcp_fastopen_cookie_check(sk, ref mss_clamp, ref fo.cookie);
        tp.rx_opt.mss_clamp = mss_clamp;
        if (!usable)
        {
            goto fallback;
        }

        // The SYN's data is bounded by the cached MSS, the path MTU and TCP_MAXSEG, with the whole option space kept free.
        tp.rx_opt.mss_clamp = tcp_mss_clamp(tp, tp.rx_opt.mss_clamp);

        // Sync mss_cache after updating the mss_clamp
        tcp_sync_mss(sk, icsk.icsk_pmtu_cookie);

        space = __tcp_mtu_to_mss(sk, (int)icsk.icsk_pmtu_cookie) - MAX_TCP_OPTION_SPACE;
        space = Math.Min(space, fo.size);

        var pfrag = Include.Net.sock_h.sk_page_frag(sk);
        if (space > 0 && !Core.sock_c.skb_page_frag_refill(Include.Net.sock_h.sock_net(sk).k, Math.Min(space, Include.Linux.mm_h.PAGE_SIZE), pfrag, 0))
        {
            goto fallback;
        }

        syn_data = tcp_c.tcp_stream_alloc_skb(sk, 0, false);
        if (syn_data is null)
        {
            goto fallback;
        }

        // memcpy(syn_data->cb, syn->cb, sizeof(syn->cb))
        var cb = TCP_SKB_CB(syn_data);
        cb.seq = TCP_SKB_CB(syn).seq;
        cb.end_seq = TCP_SKB_CB(syn).end_seq;
        cb.tcp_flags = TCP_SKB_CB(syn).tcp_flags;
        cb.sacked = TCP_SKB_CB(syn).sacked;
        tcp_skb_pcount_set(syn_data, tcp_skb_pcount(syn));

        if (space > 0)
        {
            space = Math.Min(space, pfrag.size - pfrag.offset);
            space = tcp_c.tcp_wmem_schedule(sk, space);
        }

        if (space > 0)
        {
            // copy_page_from_iter: a faulting user buffer copies nothing
            var data = fo.data!;
            if (data.iov_base is null || data.iov_offset + space > data.iov_len)
            {
                // tcp_skb_tsorted_anchor_cleanup: no tsorted list.
                skbuff_h.kfree_skb(syn_data);
                goto fallback;
            }

            skbuff_h.memcpy_from_msg(Include.Linux.mm_h.page_address(pfrag.page!, pfrag.offset, space), data, space);
            skbuff_h.skb_fill_page_desc(syn_data, 0, pfrag.page!, pfrag.offset, space);
            Include.Linux.page_ref_h.page_ref_inc(pfrag.page!);
            pfrag.offset += space;

            // the data counts in truesize (tcp_connect_queue_skb charges it)
            skbuff_h.skb_len_add(syn_data, space);

            skbuff_h.skb_zcopy_set(syn_data, fo.uarg);
        }
        else
        {
            space = 0;
        }

        // No more data pending in inet_wait_for_connect()
        if (space == fo.size)
        {
            fo.data = null;
        }

        fo.copied = space;

        tcp_connect_queue_skb(sk, syn_data);

        if (syn_data.len != 0)
        {
            tcp_chrono_start(sk, TCP_CHRONO_BUSY);
        }

        err = tcp_transmit_skb(sk, syn_data, true);

        // skb_set_delivery_time(syn, syn_data->skb_mstamp_ns): the SYN's send time (tstamp here) is the SYN-data's
        syn.tstamp = syn_data.tstamp;

        // The SYN with data was sent (or not): the queued copy keeps only the data, after
        // the SYN that stays queued for a retransmission of its own.
        TCP_SKB_CB(syn_data).seq++;
        TCP_SKB_CB(syn_data).tcp_flags = TCPHDR_ACK | TCPHDR_PSH;
        if (err == 0)
        {
            tp.syn_data = fo.copied > 0;
            __skb_queue_tail(tp.tcp_rtx_queue, syn_data); // tcp_rbtree_insert
            Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPORIGDATASENT);
            goto done;
        }

        // data was not sent, put it in write_queue
        __skb_queue_tail(sk.sk_write_queue, syn_data);
        tp.packets_out -= (uint)tcp_skb_pcount(syn_data);

    fallback:
        // Send a regular SYN with Fast Open cookie request option
        if (fo.cookie.len > 0)
        {
            fo.cookie.len = 0;
        }

        err = tcp_transmit_skb(sk, syn, true);
        if (err != 0)
        {
            tp.syn_fastopen = false;
        }

    done:
        fo.cookie.len = -1; // Exclude Fast Open option for SYN retries
        return err;
    }

    // not ported: tcp_stream_alloc_skb — the SYN is allocated with alloc_skb and charged with
    //   sk_forced_mem_schedule, as the port's tcp_stream_alloc_skb would do the same for a non-stream skb
    // not ported: tcp_rbtree_insert — the retransmit queue is an ordered sk_buff_head in the port (appended
    //   in sequence order), not an rbtree
    // not ported: tcp_finish_connect — TCP repair mode (TCP_REPAIR) is not ported: a connect never completes
    //   without the handshake
    // net/ipv4/tcp_output.c: tcp_connect
    /// <summary>
    /// Builds the SYN, puts it on the retransmit queue, sends a clone of it,
    /// counts ActiveOpens and arms the retransmit timer for the initial RTO.
    /// </summary>
    public static int tcp_connect(sock sk)
    {
        var tp = tcp_sk(sk);

        // tcp_call_bpf(BPF_SOCK_OPS_TCP_CONNECT_CB), MD5/AO key checks: not ported.
        // icsk_af_ops->rebuild_header (inet_sk_rebuild_header): the route from connect is still cached.
        if (sk.sk_dst_cache is null)
        {
            return -errno_h.EHOSTUNREACH;
        }

        tcp_connect_init(sk);

        // tcp_stream_alloc_skb: header room for every layer, no data.
        var buff = alloc_skb(sk.sk_net.k, MAX_TCP_HEADER);
        if (buff is null)
        {
            return -errno_h.ENOBUFS;
        }

        skb_reserve(buff, MAX_TCP_HEADER);

        tcp_init_nondata_skb(buff, sk, tp.write_seq, TCPHDR_SYN);
        tcp_mstamp_refresh(tp);
        tp.retrans_stamp = tcp_time_stamp_ts(tp);
        tcp_connect_queue_skb(sk, buff);

        tcp_ecn_h.tcp_ecn_send_syn(sk, buff);
        __skb_queue_tail(tp.tcp_rtx_queue, buff); // tcp_rbtree_insert

        // Send off SYN; include data in Fast Open.
        var err = tp.fastopen_req is not null ? tcp_send_syn_data(sk, buff) : tcp_transmit_skb(sk, buff, true);
        if (err == -errno_h.ECONNREFUSED)
        {
            return err;
        }

        tp.snd_nxt = tp.write_seq;
        tp.pushed_seq = tp.write_seq;
        if (tcp_send_head(sk) is { } head)
        {
            tp.snd_nxt = TCP_SKB_CB(head).seq;
            tp.pushed_seq = TCP_SKB_CB(head).seq;
        }

        TCP_INC_STATS(sk.sk_net, tcp_mib_field.TCP_MIB_ACTIVEOPENS);

        tcp_reset_xmit_timer(sk, ICSK_TIME_RETRANS, inet_csk(sk).icsk_rto, false);
        return 0;
    }

    // net/ipv4/tcp_output.c: tcp_established_options
    /// <summary>The options of a segment on a connection: the timestamp when both sides use them (SACK blocks, MD5/AO, MPTCP: not ported).</summary>
    [Borrows("skb")]
    private static int tcp_established_options(sock sk, sk_buff? skb, ref tcp_out_options opts)
    {
        var tp = tcp_sk(sk);
        var size = 0;
        opts.options = 0;
        if (tp.rx_opt.tstamp_ok)
        {
            opts.options |= OPTION_TS;
            opts.tsval = skb is not null ? unchecked(tcp_skb_timestamp_ts(tp.tcp_usec_ts, skb) + tp.tsoffset) : 0;
            opts.tsecr = tp.rx_opt.ts_recent;
            size += TCPOLEN_TSTAMP_ALIGNED;
        }

        // MPTCP: none. The SACK blocks, as many as the option space holds.
        var eff_sacks = tp.rx_opt.num_sacks + tp.rx_opt.dsack;
        opts.num_sack_blocks = 0;
        if (eff_sacks != 0)
        {
            var remaining = MAX_TCP_OPTION_SPACE - size;
            if (remaining < TCPOLEN_SACK_BASE_ALIGNED + TCPOLEN_SACK_PERBLOCK)
            {
                return size;
            }

            opts.num_sack_blocks = Math.Min(eff_sacks, (remaining - TCPOLEN_SACK_BASE_ALIGNED) / TCPOLEN_SACK_PERBLOCK);

            size += TCPOLEN_SACK_BASE_ALIGNED + opts.num_sack_blocks * TCPOLEN_SACK_PERBLOCK;
        }

        return size;
    }

    // net/ipv4/tcp_output.c: tcp_synack_options
    /// <summary>The options of a SYN-ACK: MSS; window scale, timestamps and SACK-permitted as the SYN offered them. Returns their length.</summary>
    [Borrows("skb")]
    private static int tcp_synack_options(sock sk, request_sock req, uint mss, sk_buff skb, ref tcp_out_options opts, ref tcp_fastopen_cookie foc)
    {
        var remaining = MAX_TCP_OPTION_SPACE;

        // every SYN-ACK carries MSS
        opts.mss = (ushort)mss;
        remaining -= TCPOLEN_MSS_ALIGNED;

        if (req.wscale_ok)
        {
            opts.ws = req.rcv_wscale;
            opts.options |= OPTION_WSCALE;
            remaining -= TCPOLEN_WSCALE_ALIGNED;
        }

        if (req.tstamp_ok)
        {
            opts.options |= OPTION_TS;
            opts.tsval = unchecked(tcp_skb_timestamp_ts(req.req_usec_ts, skb) + req.ts_off);
            opts.tsecr = req.ts_recent;
            remaining -= TCPOLEN_TSTAMP_ALIGNED;
        }

        if (req.sack_ok)
        {
            opts.options |= OPTION_SACK_ADVERTISE;
            if (!req.tstamp_ok)
            {
                remaining -= TCPOLEN_SACKPERM_ALIGNED;
            }
        }

        if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref foc) && foc.len >= 0)
        {
            var need = foc.len + (foc.exp ? TCPOLEN_EXP_FASTOPEN_BASE : TCPOLEN_FASTOPEN_BASE);
            need = (need + 3) & ~3; // Align to 32 bits
            if (remaining >= need)
            {
                opts.options |= OPTION_FAST_OPEN_COOKIE;
                opts.fastopen_cookie = foc;
                remaining -= need;
            }
        }

        // SMC, MPTCP, AccECN, BPF: not ported.
        return MAX_TCP_OPTION_SPACE - remaining;
    }

    // not ported: tcp_skb_timestamp_us — written as the stamp in ns divided by 1000
    // not ported: tcp_add_tx_delay — TCP_TX_DELAY (tcp_tx_delay_enabled) is not ported: no socket has a tx
    //   delay
    // not ported: skb_set_owner_edemux — early demux of a SYN-ACK owner (sock_edemux) is not ported: the
    //   SYN-ACK is charged to the listener
    // not ported: skb_set_hash — flow hashes (sk_txhash) are not ported: no skb carries a hash, RPS/XPS are
    //   not simulated
    // not ported: skb_set_delivery_time — the delivery time is written as the field skb.tstamp (one clock
    //   base, so the tstamp_type it also sets has one value)
    // not ported: skb_dst_set — written as the field assignment skb.dst
    // not ported: kfree_skb — only when a TCP-MD5/AO signature fails, and the port signs nothing
    // not ported: dst_release — route references are counted (dst.__rcuref, bookkeeping only: the garbage collector frees routes), but this take or put is not made here, so the count need not balance
    // not ported: dst_metric_advmss — routes carry no RTAX_ADVMSS metric: the advertised MSS comes from the
    //   device MTU
    // net/ipv4/tcp_output.c: tcp_make_synack
    /// <summary>
    /// The SYN-ACK for a request sock, on its route: our ISN, acknowledging
    /// the SYN, the request's window (never scaled) and options (with
    /// <paramref name="foc"/>, the Fast Open cookie it carries), stamped now
    /// (a cookie's SYN-ACK: with the cookie's TSval). Owned by the request
    /// (TCP_SYNACK_NORMAL), by nothing (TCP_SYNACK_COOKIE), or charged to the
    /// Fast Open child <paramref name="sk"/> (TCP_SYNACK_FASTOPEN).
    /// Counts OutSegs. The caller checksums and sends it.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "tcp_ao_synack_no_key: TCP-AO is not ported (no keys, so the tracepoint's condition never holds)")]
    [Borrows("syn_skb")]
    public static sk_buff? tcp_make_synack(sock sk, dst_entry dst, request_sock req, ref tcp_fastopen_cookie foc, tcp_synack_type synack_type, sk_buff? syn_skb)
    {
        var opts = new tcp_out_options();
        var skb = alloc_skb(sk.sk_net.k, MAX_TCP_HEADER);
        if (skb is null)
        {
            return null;
        }

        skb_reserve(skb, MAX_TCP_HEADER);

        switch (synack_type)
        {
            case tcp_synack_type.TCP_SYNACK_NORMAL:
                // skb_set_owner_edemux — the request sock owns it without charging memory.
                skb.sk = request_sock_h.req_to_sk(req);
                break;
            case tcp_synack_type.TCP_SYNACK_COOKIE:
                // under a SYN flood the SYN-ACK belongs to no socket
                break;
            case tcp_synack_type.TCP_SYNACK_FASTOPEN:
                // the Fast Open child owns it, charged to its send memory
                Core.sock_c.skb_set_owner_w(skb, sk);
                break;
        }

        skb.dst = dst; // skb_dst_set

        var mss = tcp_mss_clamp(tcp_sk(sk), (ushort)route_c.ipv4_default_advmss(dst));

        var now = tcp_clock_ns(sk.sk_net.k);
        if (synack_type == tcp_synack_type.TCP_SYNACK_COOKIE && req.tstamp_ok)
        {
            // a cookie's TSval carries the SYN's options in its low bits (syncookies.c)
            skb.tstamp = (long)syncookies_c.cookie_init_timestamp(req, now);
        }
        else
        {
            skb.tstamp = (long)now; // skb_set_delivery_time: the SYN-ACK's send time
            if (req.snt_synack == 0)
            {
                // Timestamp first SYNACK
                req.snt_synack = now / 1000; // tcp_skb_timestamp_us
            }
        }

        // MD5/AO keys: none.
        var tcp_header_size = tcp_synack_options(sk, req, mss, skb, ref opts, ref foc) + tcphdr.Size;

        skb_push(skb, tcp_header_size);
        skb_reset_transport_header(skb);

        var th = tcp_hdr(skb);
        th.flags = TCPHDR_SYN | TCPHDR_ACK;
        tcp_ecn_h.tcp_ecn_make_synack(req, th);
        th.source = req.ir_num;
        th.dest = req.ir_rmt_port;
        skb.mark = sk.sk_mark; // ireq->ir_mark
        skb.ip_summed = CHECKSUM_PARTIAL;
        th.seq = req.snt_isn;

        th.ack_seq = req.rcv_nxt;

        th.window = (ushort)Math.Min(req.rsk_rcv_wnd, 65535U);
        tcp_options_write(skb.head.AsSpan(skb.transport_header + tcphdr.Size, tcp_header_size - tcphdr.Size), tcp_sk(sk), ref opts);
        th.doff = tcp_header_size >> 2;
        TCP_INC_STATS(sk.sk_net, tcp_mib_field.TCP_MIB_OUTSEGS);

        // IP reads the control block as IPCB from here on: clear TCP's so a tap does not see stale fields
        Include.Net.ip_h.IPCB_memset(skb);
        skb.tstamp = 0;
        return skb;
    }

    // not ported: tcp_under_memory_pressure — the simulation never enters TCP memory pressure
    //   (tcp_memory_pressure stays 0), so the branch it guards never runs
    // not ported: tcp_adjust_rcv_ssthresh — the receiver-side ssthresh clamp under memory pressure: the
    //   simulation never enters TCP memory pressure
    // net/ipv4/tcp_output.c: __tcp_select_window
    /// <summary>
    /// The window to offer: the free receive space, no more than
    /// rcv_ssthresh, rounded up to the window scale's unit (without
    /// scaling, to whole MSS). Window shrinking and memory pressure are not ported.
    /// </summary>
    public static uint __tcp_select_window(sock sk)
    {
        var tp = tcp_sk(sk);
        var icsk = inet_csk(sk);

        // the window is counted in the peer's segments, as we guess their size
        var mss = (int)icsk.icsk_ack_rcv_mss;
        var free_space = tcp_space(sk);
        var allowed_space = tcp_full_space(sk);
        var full_space = (int)Math.Min(tp.window_clamp, (uint)allowed_space);
        int window;

        if (mss > full_space)
        {
            mss = full_space;
            if (mss <= 0)
            {
                return 0;
            }
        }

        // the offered window never moves its right edge back
        // net.ipv4.tcp_shrink_window is 0: the window never shrinks (shrink_window_allowed is not ported)
        if (free_space < (full_space >> 1))
        {
            icsk.icsk_ack_quick = 0;

            // tcp_under_memory_pressure, tcp_adjust_rcv_ssthresh: not ported.
            // rounded down, so the window scale cannot make it grow
            free_space = free_space >> tp.rx_opt.rcv_wscale << tp.rx_opt.rcv_wscale;

            // under a sixteenth of the buffer, or a segment: better a zero window than drops at the memory limit
            if (free_space < (allowed_space >> 4) || free_space < mss)
            {
                return 0;
            }
        }

        if (free_space > tp.rcv_ssthresh)
        {
            free_space = (int)tp.rcv_ssthresh;
        }

        if (tp.rx_opt.rcv_wscale != 0)
        {
            window = free_space;

            var unit = 1 << tp.rx_opt.rcv_wscale;
            window = (window + unit - 1) & ~(unit - 1);
        }
        else
        {
            window = (int)tp.rcv_wnd;

            if (window <= free_space - mss || window > free_space)
            {
                window = free_space / mss * mss;
            }
            else if (mss == full_space && free_space > window + (full_space >> 1))
            {
                window = free_space;
            }
        }

        return (uint)window;
    }

    // net/ipv4/tcp_output.c: tcp_select_window
    /// <summary>The window field of a segment: never less than what was offered, remembered in rcv_wnd/rcv_wup, scaled.</summary>
    private static uint tcp_select_window(sock sk)
    {
        var tp = tcp_sk(sk);
        var old_win = tp.rcv_wnd;

        // the data could not be queued for lack of memory: a zero window, and no fast path
        if ((inet_csk(sk).icsk_ack_pending & ICSK_ACK_NOMEM) != 0)
        {
            tp.pred_flags = 0;
            tp.rcv_wnd = 0;
            tp.rcv_wup = tp.rcv_nxt;
            return 0;
        }

        var cur_win = tcp_receive_window(tp);
        var new_win = __tcp_select_window(sk);
        if (new_win < cur_win)
        {
            // Danger Will Robinson! Don't update the window if we would shrink it (net.ipv4.tcp_shrink_window 0).
            if (new_win == 0)
            {
                Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPWANTZEROWINDOWADV);
            }

            var unit = 1U << tp.rx_opt.rcv_wscale;
            new_win = (cur_win + unit - 1) & ~(unit - 1);
        }

        tp.rcv_wnd = new_win;
        tp.rcv_wup = tp.rcv_nxt;

        var ipv4 = Include.Net.Netns.netns_ipv4.of(sk.sk_net);
        new_win = tp.rx_opt.rcv_wscale == 0 && ipv4.sysctl_tcp_workaround_signed_windows ? Math.Min(new_win, MAX_TCP_WINDOW) : Math.Min(new_win, 65535U << tp.rx_opt.rcv_wscale);

        // RFC1323 scaling applied
        new_win >>= tp.rx_opt.rcv_wscale;

        // a zero window turns header prediction off
        if (new_win == 0)
        {
            tp.pred_flags = 0;
            if (old_win != 0)
            {
                Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPTOZEROWINDOWADV);
            }
        }
        else if (old_win == 0)
        {
            Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPFROMZEROWINDOWADV);
        }

        return new_win;
    }

    // not ported: hrtimer_try_to_cancel — compressed SACK ACKs (the compressed_ack_timer) are not ported, so
    //   there is no hrtimer to cancel
    // not ported: __sock_put — the port does not count socket references: the GC keeps a socket alive while
    //   anything reaches it
    // not ported: NET_ADD_STATS — compressed SACK ACKs are not ported, so TCPAckCompressed has nothing to
    //   count
    // net/ipv4/tcp_output.c: tcp_event_ack_sent
    /// <summary>An ACK went out: the delayed ACK it carried is no longer owed.</summary>
    private static void tcp_event_ack_sent(sock sk, uint rcv_nxt)
    {
        var tp = tcp_sk(sk);

        // compressed ACKs (TCPAckCompressed): not ported.
        if (tp.rcv_nxt != rcv_nxt)
        {
            return;
        }

        tcp_dec_quickack_mode(sk);

        inet_csk_clear_xmit_timer(sk, ICSK_TIME_DACK);
    }

    // not ported: tcp_wnd_end — written out as snd_una + snd_wnd
    // net/ipv4/tcp_output.c: tcp_acceptable_seq
    /// <summary>The sequence number of a segment without data: snd_nxt if it is within the window, else its right edge.</summary>
    private static uint tcp_acceptable_seq(sock sk)
    {
        var tp = tcp_sk(sk);
        var wnd_end = tp.snd_una + tp.snd_wnd; // tcp_wnd_end
        if (!before(wnd_end, tp.snd_nxt) || (tp.rx_opt.wscale_ok && ((tp.snd_nxt - wnd_end) < (1U << tp.rx_opt.rcv_wscale))))
        {
            return tp.snd_nxt;
        }

        return wnd_end;
    }

    // not ported: tcp_rto_max — TCP_RTO_MAX_MS is not ported: the cap is the constant TCP_RTO_MAX
    // not ported: tcp_reset_xmit_timer — the ACK-allocation-failure path: the port's alloc_skb does not fail
    //   here, so the delack timer is never re-armed
    // not ported: sk_gfp_mask — allocations in the simulation take no GFP flags
    // not ported: inet_csk_schedule_ack — the ACK-allocation-failure path: the port's alloc_skb does not fail
    //   here, so the ACK is never rescheduled
    // net/ipv4/tcp_output.c: __tcp_send_ack
    /// <summary>Sends an ACK now (carrying the current window): a segment without data, sent at once (no retransmission).</summary>
    private static void __tcp_send_ack(sock sk, uint rcv_nxt)
    {
        if (sk.sk_state == sock_h.TCP_CLOSE)
        {
            return;
        }

        var buff = alloc_skb(sk.sk_net.k, MAX_TCP_HEADER);
        if (buff is null)
        {
            // tcp_schedule_delack: not ported.
            return;
        }

        skb_reserve(buff, MAX_TCP_HEADER);
        tcp_init_nondata_skb(buff, sk, tcp_acceptable_seq(sk), TCPHDR_ACK);

        // a pure ACK barely counts for TSQ and pacing (truesize 2)
        skb_set_tcp_pure_ack(buff);

        // transmitting it cancels any delayed ACK
        __tcp_transmit_skb(sk, buff, false, rcv_nxt);
    }

    // net/ipv4/tcp_output.c: tcp_send_ack
    public static void tcp_send_ack(sock sk) => __tcp_send_ack(sk, tcp_sk(sk).rcv_nxt);

    // not ported: tcp_rbtree_insert — the retransmit queue is an ordered sk_buff_head in the port (appended
    //   in sequence order), not an rbtree
    // net/ipv4/tcp_output.c: tcp_event_new_data_sent
    /// <summary>
    /// A segment left for the first time: snd_nxt moves past it, it moves to
    /// the retransmit queue (TX-2: the original stays there until acked),
    /// counts as in flight and in TCPOrigDataSent; the first in flight arms
    /// the retransmit timer; a writer waiting for room may be woken.
    /// </summary>
    [Borrows("skb")]
    private static void tcp_event_new_data_sent(sock sk, sk_buff skb)
    {
        var icsk = inet_csk(sk);
        var tp = tcp_sk(sk);
        var prior_packets = tp.packets_out;

        tp.snd_nxt = TCP_SKB_CB(skb).end_seq;

        Include.Linux.skbuff_h.__skb_unlink(skb, sk.sk_write_queue);
        __skb_queue_tail(tp.tcp_rtx_queue, skb); // tcp_rbtree_insert: sent in sequence order, so at the tail

        tp.highest_sack ??= skb;

        tp.packets_out += (uint)tcp_skb_pcount(skb);
        if (prior_packets == 0 || icsk.icsk_pending == ICSK_TIME_LOSS_PROBE)
        {
            tcp_input_c.tcp_rearm_rto(sk);
        }

        Include.Net.ip_h.NET_ADD_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPORIGDATASENT, tcp_skb_pcount(skb));
        tcp_input_c.tcp_check_space(sk);
    }

    // not ported: __sk_dst_get — reads the route as the field sk.sk_dst_cache
    // net/ipv4/tcp_output.c: tcp_cwnd_restart
    /// <summary>After an idle spell, cwnd is halved per RTO of idleness, down to the initial window (RFC 5681 4.1).</summary>
    public static void tcp_cwnd_restart(sock sk, int delta)
    {
        var tp = tcp_sk(sk);
        var restart_cwnd = tcp_input_c.tcp_init_cwnd(tp, sk.sk_dst_cache as dst_entry);
        var cwnd = tcp_snd_cwnd(tp);

        tcp_ca_event(sk, CA_EVENT_CWND_RESTART);

        tp.snd_ssthresh = tcp_current_ssthresh(sk);
        restart_cwnd = Math.Min(restart_cwnd, cwnd);

        while ((delta -= (int)inet_csk(sk).icsk_rto) > 0 && cwnd > restart_cwnd)
        {
            cwnd >>= 1;
        }

        tcp_snd_cwnd_set(tp, Math.Max(cwnd, restart_cwnd));
        tp.snd_cwnd_stamp = tcp_jiffies32(sk);
        tp.snd_cwnd_used = 0;
    }

    // net/ipv4/tcp_output.c: tcp_event_data_sent
    /// <summary>A data segment is going out: the first after an idle spell tells the congestion control (CA_EVENT_TX_START), and lsndtime is stamped.</summary>
    private static void tcp_event_data_sent(tcp_sock tp, sock sk)
    {
        var now = tcp_jiffies32(sk);

        if (tcp_packets_in_flight(tp) == 0)
        {
            tcp_ca_event(sk, CA_EVENT_TX_START);
        }

        tp.lsndtime = now;

        // not ported: inet_csk_inc_pingpong_cnt — a reply within ato of the last receive does not raise the
        //   pingpong count: only TCP_QUICKACK 0 enters pingpong mode, so interactive flows keep quick ACKs
    }

    // not ported: tcp_ca_needs_ecn — no ported congestion control sets TCP_CONG_NEEDS_ECN (no DCTCP), so ECT
    //   comes only from the tcp_ecn negotiation
    // net/ipv4/tcp_output.c: tcp_ecn_send
    /// <summary>
    /// Classic ECN on a non-SYN segment: new data goes out ECT(0) (and
    /// carries a queued CWR); a pure ACK or a retransmission goes out Not-ECT;
    /// ECE echoes while a CE mark awaits the sender's CWR. AccECN is not ported.
    /// </summary>
    [Borrows("skb")]
    private static void tcp_ecn_send(sock sk, sk_buff skb, tcphdr th, int tcp_header_len)
    {
        var tp = tcp_sk(sk);

        if (!tcp_ecn_mode_any(tp))
        {
            return;
        }

        if (skb.len != tcp_header_len && !before(TCP_SKB_CB(skb).seq, tp.snd_nxt))
        {
            inet_ecn_h.INET_ECN_xmit(sk);
            if ((tp.ecn_flags & TCP_ECN_QUEUE_CWR) != 0)
            {
                tp.ecn_flags = (byte)(tp.ecn_flags & ~TCP_ECN_QUEUE_CWR);
                th.flags |= TCPHDR_CWR;
            }
        }
        else
        {
            // tcp_ca_needs_ecn: no congestion control here needs ECT on everything
            inet_ecn_h.INET_ECN_dontxmit(sk);
        }

        if ((tp.ecn_flags & TCP_ECN_DEMAND_CWR) != 0)
        {
            th.flags |= TCPHDR_ECE;
        }
    }

    // not ported: this_cpu_ksoftirqd — the simulation has no ksoftirqd threads: softirqs run at the simulated
    //   irq exit
    // not ported: sk_free — the port does not count socket references: the last reference going away is the
    //   GC's business
    // not ported: local_irq_restore, local_irq_save — the simulated CPU takes no hard interrupts in the
    //   middle of kernel code, so there is nothing to mask
    // net/ipv4/tcp_output.c: tcp_wfree
    /// <summary>
    /// The destructor of a transmitted data skb (TX completion, or an orphan
    /// at the device): its truesize leaves sk_wmem_alloc, and a socket TSQ
    /// or autocorking throttled (TSQ_THROTTLED) is queued, once
    /// (TSQ_QUEUED), on this CPU's tsq_work list, whose BH work item writes
    /// more. Sending from here is not allowed: the qdisc lock may be held.
    /// One unit of sk_wmem_alloc stays until the socket is off the list.
    /// </summary>
    [Borrows("skb")]
    public static void tcp_wfree(sk_buff skb)
    {
        var sk = skb.sk!;
        var tp = tcp_sk(sk);
        var k = sk.sk_net.k;

        // refcount_sub_and_test(truesize - 1): keep one unit for the list or for sk_free below.
        sk.sk_wmem_alloc -= (int)skb.truesize - 1;

        // Run by ksoftirqd, the CPU is loaded: wait until the queues drain (fewer, bigger writes).
        if (sk.sk_wmem_alloc >= SKB_TRUESIZE(1) && k.this_cpu().ksoftirqd == k.current)
        {
            goto @out;
        }

        // try_cmpxchg loop: one thread, so a plain read-modify-write.
        var oval = sk.sk_tsq_flags;
        if ((oval & TSQF_THROTTLED) == 0 || (oval & TSQF_QUEUED) != 0)
        {
            goto @out;
        }

        sk.sk_tsq_flags = (oval & ~TSQF_THROTTLED) | TSQF_QUEUED;

        // local_irq_save: the list is shared with hard-IRQ TX completion (non-NAPI drivers).
        var tsq = k.this_cpu().tsq_work;
        var empty = tsq.head.First is null;
        tp.tsq_node = tsq.head.AddFirst(tp); // list_add: at the head
        if (empty)
        {
            workqueue_h.queue_work(k, KernelNet.Kernel.Kernel.workqueue_c.system_bh_wq(k), tsq.work);
        }

        return;

    @out:
        // sk_free: drops the unit kept above (the socket's lifetime is not counted on sk_wmem_alloc here).
        sk.sk_wmem_alloc -= 1;
    }

    // net/ipv4/tcp_output.c: tcp_set_skb_tso_segs
    /// <summary>How many MSS segments the skb makes (1 when it fits one).</summary>
    [Borrows("skb")]
    private static int tcp_set_skb_tso_segs(sk_buff skb, uint mss_now)
    {
        if (skb.len <= mss_now)
        {
            TCP_SKB_CB(skb).tcp_gso_size = 0;
            tcp_skb_pcount_set(skb, 1);
            return 1;
        }

        TCP_SKB_CB(skb).tcp_gso_size = (ushort)mss_now;
        var tso_segs = (int)((skb.len + mss_now - 1) / mss_now);
        tcp_skb_pcount_set(skb, tso_segs);
        return tso_segs;
    }

    // not ported: tcp_verify_left_out — a WARN_ON-only consistency check of sacked_out+lost_out against
    //   packets_out
    // net/ipv4/tcp_output.c: tcp_adjust_pcount
    /// <summary>A sent skb whose segment count changed by <paramref name="decr"/> (resized at a new MSS): the in-flight counters follow.</summary>
    [Borrows("skb")]
    private static void tcp_adjust_pcount(sock sk, sk_buff skb, int decr)
    {
        var tp = tcp_sk(sk);

        tp.packets_out = (uint)((int)tp.packets_out - decr);

        if ((TCP_SKB_CB(skb).sacked & TCPCB_SACKED_ACKED) != 0)
        {
            tp.sacked_out = (uint)((int)tp.sacked_out - decr);
        }

        if ((TCP_SKB_CB(skb).sacked & TCPCB_SACKED_RETRANS) != 0)
        {
            tp.retrans_out = (uint)((int)tp.retrans_out - decr);
        }

        if ((TCP_SKB_CB(skb).sacked & TCPCB_LOST) != 0)
        {
            tp.lost_out = (uint)((int)tp.lost_out - decr);
        }

        // without SACK the dupack count stands in for sacked_out
        if (tcp_is_reno(tp) && decr > 0)
        {
            tp.sacked_out -= Math.Min(tp.sacked_out, (uint)decr);
        }
    }

    // net/ipv4/tcp_output.c: tcp_has_tx_tstamp
    /// <summary>Does the skb carry a TX timestamp request (for its ACK, or any TX stamp)?</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static bool tcp_has_tx_tstamp(sk_buff skb) =>
        TCP_SKB_CB(skb).txstamp_ack != 0 || (skb.shinfo.tx_flags & skbuff_h.SKBTX_ANY_TSTAMP) != 0;

    // net/ipv4/tcp_output.c: tcp_fragment_tstamp
    /// <summary>
    /// Splitting an skb whose timestamp key lies in the new tail
    /// <paramref name="skb2"/>: the request and the key move there (the
    /// stamp is of the last byte).
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    [KernelNet.Annotations.Borrows("skb2")]
    private static void tcp_fragment_tstamp(sk_buff skb, sk_buff skb2)
    {
        var shinfo = skb.shinfo;

        if (tcp_has_tx_tstamp(skb) && !before(shinfo.tskey, TCP_SKB_CB(skb2).seq))
        {
            var shinfo2 = skb2.shinfo;
            var tsflags = (byte)(shinfo.tx_flags & skbuff_h.SKBTX_ANY_TSTAMP);

            shinfo.tx_flags &= (byte)~tsflags;
            shinfo2.tx_flags |= tsflags;
            (shinfo.tskey, shinfo2.tskey) = (shinfo2.tskey, shinfo.tskey);
            TCP_SKB_CB(skb2).txstamp_ack = TCP_SKB_CB(skb).txstamp_ack;
            TCP_SKB_CB(skb).txstamp_ack = 0;
        }
    }

    // not ported: tcp_skb_fragment_eor — written out: the EOR bit moves to the new tail in place
    // not ported: tcp_insert_write_queue_after — written out as __skb_queue_after on the queue the skb is on
    // not ported: skb_set_delivery_time — the delivery time is written as the field skb.tstamp (one clock
    //   base, so the tstamp_type it also sets has one value)
    // not ported: skb_copy_decrypted — no TLS device offload or PSP: no skb is ever marked decrypted
    // not ported: __skb_header_release — the port's clones share one buffer object and keep no nohdr/dataref
    //   split, so there is no header reference to drop
    // not ported: NET_INC_STATS, SKB_TRUESIZE, tcp_rtx_queue_head, tcp_rtx_queue_tail — the TCPWQueueTooBig
    //   guard (write queues over twice sk_sndbuf plus two 64K skbs): the port's senders stop at sk_sndbuf, far
    //   below it
    // net/ipv4/tcp_output.c: tcp_fragment
    /// <summary>
    /// Cuts a sent skb of the retransmit queue at <paramref name="len"/> so a
    /// retransmission can send its head alone: the tail moves to a new skb
    /// right after it, with the same SACK state and send time; PSH, FIN and
    /// EOR move to the tail. A clone still in flight keeps the old data
    /// (skb_unclone_keeptruesize); the page frags past len go to the new skb
    /// (skb_split), one cut through shared by both.
    /// </summary>
    [Borrows("skb")]
    internal static int tcp_fragment(sock sk, sk_buff skb, uint len, uint mss_now, int gfp)
    {
        // not ported: skb_headlen — only in a DEBUG_NET_WARN_ON_ONCE (the payload is all in frags)
        var tp = tcp_sk(sk);

        if (len > skb.len)
        {
            return -errno_base_h.EINVAL;
        }

        // the TCPWQueueTooBig limit: the port's queues stay far below it
        if (skb_unclone_keeptruesize(skb) != 0)
        {
            return -errno_base_h.ENOMEM;
        }

        var buff = Ipv4.tcp_c.tcp_stream_alloc_skb(sk, gfp, true);
        if (buff is null)
        {
            return -errno_base_h.ENOMEM;
        }

        var nlen = (int)skb.len - (int)len;
        Include.Net.sock_h.sk_wmem_queued_add(sk, (int)buff.truesize);
        Include.Net.sock_h.sk_mem_charge(sk, (int)buff.truesize);
        buff.truesize += (uint)nlen;
        skb.truesize -= (uint)nlen;

        TCP_SKB_CB(buff).seq = TCP_SKB_CB(skb).seq + len;
        TCP_SKB_CB(buff).end_seq = TCP_SKB_CB(skb).end_seq;
        TCP_SKB_CB(skb).end_seq = TCP_SKB_CB(buff).seq;

        var flags = TCP_SKB_CB(skb).tcp_flags;
        TCP_SKB_CB(skb).tcp_flags = (byte)(flags & ~(TCPHDR_FIN | TCPHDR_PSH));
        TCP_SKB_CB(buff).tcp_flags = flags;
        TCP_SKB_CB(buff).sacked = TCP_SKB_CB(skb).sacked;
        TCP_SKB_CB(buff).tx = TCP_SKB_CB(skb).tx;

        // tcp_skb_fragment_eor
        TCP_SKB_CB(buff).eor = TCP_SKB_CB(skb).eor;
        TCP_SKB_CB(skb).eor = false;

        skb_split(skb, buff, (int)len);

        // both halves left at the same time (skb_set_delivery_time)
        buff.tstamp = skb.tstamp;
        tcp_fragment_tstamp(skb, buff);

        var old_factor = tcp_skb_pcount(skb);
        tcp_set_skb_tso_segs(skb, mss_now);
        tcp_set_skb_tso_segs(buff, mss_now);

        // already sent: the counters of what is in flight follow the new segment counts
        if (!before(tp.snd_nxt, TCP_SKB_CB(buff).end_seq))
        {
            var diff = old_factor - tcp_skb_pcount(skb) - tcp_skb_pcount(buff);
            if (diff != 0)
            {
                tcp_adjust_pcount(sk, skb, diff);
            }
        }

        // tcp_insert_write_queue_after(TCP_FRAG_IN_RTX_QUEUE), and the same place in send-time order
        __skb_queue_after(tp.tcp_rtx_queue, skb, buff);
        tcp_tsorted_add_after(tp, skb, buff);
        return 0;
    }

    // net/ipv4/tcp_output.c: __pskb_trim_head
    /// <summary>
    /// Discards the first <paramref name="len"/> bytes of an skb whose data
    /// is all in page frags (__pskb_pull_tail without the copy): whole frags
    /// unreferenced, a partly eaten one advanced. Returns len.
    /// </summary>
    [Borrows("skb")]
    private static int __pskb_trim_head(sk_buff skb, int len)
    {
        System.Diagnostics.Debug.Assert(skb_headlen(skb) == 0, "__pskb_trim_head: linear data (DEBUG_NET_WARN_ON_ONCE)");
        var eat = len;
        var k = 0;
        var shinfo = skb.shinfo;
        for (var i = 0; i < shinfo.nr_frags; i++)
        {
            var size = skb_frag_size(shinfo.frags[i]);
            if (size <= eat)
            {
                skb_frag_unref(skb, i);
                eat -= size;
            }
            else
            {
                shinfo.frags[k] = shinfo.frags[i];
                if (eat != 0)
                {
                    skb_frag_off_add(ref shinfo.frags[k], eat);
                    skb_frag_size_sub(ref shinfo.frags[k], eat);
                    eat = 0;
                }

                k++;
            }
        }

        shinfo.nr_frags = (byte)k;
        skb.data_len -= len;
        skb.len = skb.data_len;
        return len;
    }

    // net/ipv4/tcp_output.c: tcp_trim_head
    /// <summary>
    /// Drops the first <paramref name="len"/> bytes of a partly acknowledged
    /// skb (its sequence moves up); the truesize they stood for is given back.
    /// A clone still in flight keeps the old frags (skb_unclone_keeptruesize).
    /// </summary>
    [Borrows("skb")]
    public static int tcp_trim_head(sock sk, sk_buff skb, uint len)
    {
        if (skb_unclone_keeptruesize(skb) != 0)
        {
            return -errno_base_h.ENOMEM;
        }

        var delta_truesize = __pskb_trim_head(skb, (int)len);

        TCP_SKB_CB(skb).seq += len;
        skb.truesize -= (uint)delta_truesize;
        Include.Net.sock_h.sk_wmem_queued_add(sk, -delta_truesize);
        if (!skb_zcopy_pure(skb))
        {
            Include.Net.sock_h.sk_mem_uncharge(sk, delta_truesize);
        }

        // a new length means a new segment count (tso factor).
        if (tcp_skb_pcount(skb) > 1)
        {
            tcp_set_skb_tso_segs(skb, (uint)tcp_skb_mss(skb));
        }

        return 0;
    }

    // not ported: __sk_dst_get — reads the route as the field sk.sk_dst_cache
    // net/ipv4/tcp_output.c: tcp_current_mss
    /// <summary>The MSS for the next segment: mss_cache, re-synced if the route's MTU changed, adjusted for the options this segment carries.</summary>
    public static uint tcp_current_mss(sock sk)
    {
        var tp = tcp_sk(sk);
        var mss_now = tp.mss_cache;

        if (sk.sk_dst_cache is dst_entry dst)
        {
            var mtu = dst_mtu(dst);
            if (mtu != inet_csk(sk).icsk_pmtu_cookie)
            {
                mss_now = tcp_sync_mss(sk, mtu);
            }
        }

        var opts = new tcp_out_options();
        var header_len = (uint)(tcp_established_options(sk, null, ref opts) + tcphdr.Size);

        // mss_cache assumed tcp_header_len's options; a segment with others (SACK blocks) differs
        if (header_len != tp.tcp_header_len)
        {
            var delta = (int)header_len - (int)tp.tcp_header_len;
            mss_now = (uint)((int)mss_now - delta);
        }

        return mss_now;
    }

    // not ported: __sk_dst_get — reads the route as the field sk.sk_dst_cache
    // net/ipv4/tcp_output.c: tcp_cwnd_application_limited
    /// <summary>RFC 2861: a cwnd the sender did not use for an RTO shrinks halfway to what it used.</summary>
    private static void tcp_cwnd_application_limited(sock sk)
    {
        var tp = tcp_sk(sk);

        if (inet_csk(sk).icsk_ca_state == TCP_CA_Open && sk.sk_socket is socket s && (s.flags & (1UL << net_h.SOCK_NOSPACE)) == 0)
        {
            // limited by the application or the receiver's window
            var init_win = tcp_input_c.tcp_init_cwnd(tp, sk.sk_dst_cache as dst_entry);
            var win_used = Math.Max(tp.snd_cwnd_used, init_win);
            if (win_used < tcp_snd_cwnd(tp))
            {
                tp.snd_ssthresh = tcp_current_ssthresh(sk);
                tcp_snd_cwnd_set(tp, (tcp_snd_cwnd(tp) + win_used) >> 1);
            }

            tp.snd_cwnd_used = 0;
        }

        tp.snd_cwnd_stamp = tcp_jiffies32(sk);
    }

    // net/ipv4/tcp_output.c: tcp_cwnd_validate
    /// <summary>Remembers whether this window was cwnd-limited (only then may cwnd grow) and, when it was not, how much of it was used.</summary>
    private static void tcp_cwnd_validate(sock sk, bool is_cwnd_limited)
    {
        var tp = tcp_sk(sk);

        if (!before(tp.snd_una, tp.cwnd_usage_seq) || is_cwnd_limited || (!tp.is_cwnd_limited && tp.packets_out > tp.max_packets_out))
        {
            tp.is_cwnd_limited = is_cwnd_limited;
            tp.max_packets_out = tp.packets_out;
            tp.cwnd_usage_seq = tp.snd_nxt;
        }

        if (tcp_is_cwnd_limited(sk))
        {
            // the network is fed fully
            tp.snd_cwnd_used = 0;
            tp.snd_cwnd_stamp = tcp_jiffies32(sk);
        }
        else
        {
            // the network starves
            if (tp.packets_out > tp.snd_cwnd_used)
            {
                tp.snd_cwnd_used = tp.packets_out;
            }

            if (Include.Net.Netns.netns_ipv4.of(sk.sk_net).sysctl_tcp_slow_start_after_idle &&
                (int)(tcp_jiffies32(sk) - tp.snd_cwnd_stamp) >= inet_csk(sk).icsk_rto &&
                inet_csk(sk).icsk_ca_ops?.cong_control is null)
            {
                tcp_cwnd_application_limited(sk);
            }

            // data just sent, cwnd not the limit, nothing left to send and a
            // writer out of send buffer: the sender starves for want of sndbuf
            if (tcp_write_queue_empty(sk) && sk.sk_socket is socket s &&
                (s.flags & (1UL << net_h.SOCK_NOSPACE)) != 0 &&
                ((1 << sk.sk_state) & (tcp_states_h.TCPF_ESTABLISHED | tcp_states_h.TCPF_CLOSE_WAIT)) != 0)
            {
                tcp_chrono_start(sk, TCP_CHRONO_SNDBUF_LIMITED);
            }
        }
    }

    // net/ipv4/tcp_output.c: tcp_minshall_check
    /// <summary>Is a small segment still unacknowledged?</summary>
    private static bool tcp_minshall_check(tcp_sock tp) => after(tp.snd_sml, tp.snd_una) && !after(tp.snd_sml, tp.snd_nxt);

    // net/ipv4/tcp_output.c: tcp_minshall_update
    /// <summary>Remembers the end of the last segment shorter than the MSS.</summary>
    [Borrows("skb")]
    private static void tcp_minshall_update(tcp_sock tp, uint mss_now, sk_buff skb)
    {
        if (skb.len < tcp_skb_pcount(skb) * mss_now)
        {
            tp.snd_sml = TCP_SKB_CB(skb).end_seq;
        }
    }

    // net/ipv4/tcp_output.c: tcp_nagle_check
    /// <summary>
    /// Must a partial segment wait? When corked, or with Nagle on while a
    /// small segment is unacknowledged (Minshall's variant of RFC 896).
    /// </summary>
    private static bool tcp_nagle_check(bool partial, tcp_sock tp, int nonagle) =>
        partial && ((nonagle & TCP_NAGLE_CORK) != 0 || (nonagle == 0 && tp.packets_out != 0 && tcp_minshall_check(tp)));

    // net/ipv4/tcp_output.c: tcp_tso_autosize
    /// <summary>
    /// Segments per TSO skb for the current pacing rate: about a millisecond
    /// of it (1/2^sk_pacing_shift of a second), plus a bonus for a short
    /// minimum RTT, capped at the GSO size and at least <paramref name="min_tso_segs"/>.
    /// </summary>
    private static uint tcp_tso_autosize(sock sk, uint mss_now, int min_tso_segs)
    {
        var bytes = sk.sk_pacing_rate >> sk.sk_pacing_shift;

        var r = tcp_min_rtt(tcp_sk(sk)) >> Include.Net.Netns.netns_ipv4.of(sk.sk_net).sysctl_tcp_tso_rtt_log;
        if (r < 32)
        {
            bytes += sk.sk_gso_max_size >> (int)r;
        }

        bytes = Math.Min(bytes, sk.sk_gso_max_size);
        return (uint)Math.Max(bytes / mss_now, (ulong)min_tso_segs);
    }

    // net/ipv4/tcp_output.c: tcp_tso_segs
    /// <summary>Segments per skb the sender aims at: tcp_tso_autosize with the algorithm's min_tso_segs (else net.ipv4.tcp_min_tso_segs), within sk_gso_max_segs.</summary>
    private static uint tcp_tso_segs(sock sk, uint mss_now)
    {
        var ca_ops = inet_csk(sk).icsk_ca_ops;
        var min_tso = ca_ops?.min_tso_segs is not null ? (int)ca_ops.min_tso_segs(sk) : Include.Net.Netns.netns_ipv4.of(sk.sk_net).sysctl_tcp_min_tso_segs;
        var tso_segs = tcp_tso_autosize(sk, mss_now, min_tso);
        return Math.Min(tso_segs, sk.sk_gso_max_segs);
    }

    // net/ipv4/tcp_output.c: tcp_mss_split_point
    /// <summary>
    /// How much of a multi-segment skb goes now: up to <paramref name="max_segs"/>
    /// full segments within the peer's window; for the last skb, a partial
    /// tail segment only when Nagle would let it go.
    /// </summary>
    [Borrows("skb")]
    private static uint tcp_mss_split_point(sock sk, sk_buff skb, uint mss_now, uint max_segs, int nonagle)
    {
        var tp = tcp_sk(sk);

        var window = tcp_wnd_end(tp) - TCP_SKB_CB(skb).seq;
        var max_len = mss_now * max_segs;

        if (max_len <= window && skb != tcp_write_queue_tail(sk))
        {
            return max_len;
        }

        var needed = Math.Min((uint)skb.len, window);

        if (max_len <= needed)
        {
            return max_len;
        }

        var partial = needed % mss_now;

        // a short last segment waits if Nagle says so: cut at the last full MSS
        if (tcp_nagle_check(partial != 0, tp, nonagle))
        {
            return needed - partial;
        }

        return needed;
    }

    // net/ipv4/tcp_output.c: tcp_cwnd_test
    /// <summary>How many segments cwnd lets out now (0: none); at most half of cwnd at a time.</summary>
    private static uint tcp_cwnd_test(tcp_sock tp)
    {
        var in_flight = tcp_packets_in_flight(tp);
        var cwnd = tcp_snd_cwnd(tp);
        if (in_flight >= cwnd)
        {
            return 0;
        }

        // keep two GSO packets' worth in flight so the pipe never drains between them
        var halfcwnd = Math.Max(cwnd >> 1, 1U);
        return Math.Min(halfcwnd, cwnd - in_flight);
    }

    // not ported: tcp_urg_mode — urgent data (MSG_OOB sends) is not ported: snd_up never moves, so urgent
    //   mode is never on
    // net/ipv4/tcp_output.c: tcp_nagle_test
    /// <summary>May the skb go now as far as Nagle is concerned? Always when pushed, for a FIN, or a full segment.</summary>
    [Borrows("skb")]
    private static bool tcp_nagle_test(tcp_sock tp, sk_buff skb, uint cur_mss, int nonagle)
    {
        // skbs in the middle of the queue are pushed by the caller (TCP_NAGLE_PUSH)
        if ((nonagle & TCP_NAGLE_PUSH) != 0)
        {
            return true;
        }

        // tcp_urg_mode: no urgent data; the FIN is never held back
        if ((TCP_SKB_CB(skb).tcp_flags & TCPHDR_FIN) != 0)
        {
            return true;
        }

        return !tcp_nagle_check(skb.len < cur_mss, tp, nonagle);
    }

    // net/ipv4/tcp_output.c: tcp_snd_wnd_test
    /// <summary>Does the skb's first segment fit in the peer's window?</summary>
    [Borrows("skb")]
    private static bool tcp_snd_wnd_test(tcp_sock tp, sk_buff skb, uint cur_mss)
    {
        var end_seq = TCP_SKB_CB(skb).end_seq;

        if (skb.len > cur_mss)
        {
            end_seq = TCP_SKB_CB(skb).seq + cur_mss;
        }

        return !after(end_seq, tcp_wnd_end(tp));
    }

    // not ported: tcp_skb_fragment_eor — written out: the EOR bit moves to the new tail in place
    // not ported: tcp_insert_write_queue_after — written out as __skb_queue_after on the queue the skb is on
    // not ported: skb_copy_decrypted — no TLS device offload or PSP: no skb is ever marked decrypted
    // not ported: __skb_header_release — the port's clones share one buffer object and keep no nohdr/dataref
    //   split, so there is no header reference to drop
    // net/ipv4/tcp_output.c: tso_fragment
    /// <summary>
    /// Cuts an unsent skb at <paramref name="len"/>: the page frags past it
    /// go to a new skb queued right after it (skb_split; PSH, FIN and EOR
    /// move to the second part), which is charged its head.
    /// </summary>
    [Borrows("skb")]
    private static int tso_fragment(sock sk, sk_buff skb, uint len, uint mss_now, int gfp)
    {
        var nlen = (int)skb.len - (int)len;

        // All of a TSO frame must be composed of paged data.
        System.Diagnostics.Debug.Assert(skb.len == skb.data_len, "tso_fragment: linear data (DEBUG_NET_WARN_ON_ONCE)");

        var buff = Ipv4.tcp_c.tcp_stream_alloc_skb(sk, gfp, true);
        if (buff is null)
        {
            return -errno_base_h.ENOMEM;
        }

        Include.Net.sock_h.sk_wmem_queued_add(sk, (int)buff.truesize);
        Include.Net.sock_h.sk_mem_charge(sk, (int)buff.truesize);
        buff.truesize += (uint)nlen;
        skb.truesize -= (uint)nlen;

        // the packet's sequence numbers and flags are split
        TCP_SKB_CB(buff).seq = TCP_SKB_CB(skb).seq + len;
        TCP_SKB_CB(buff).end_seq = TCP_SKB_CB(skb).end_seq;
        TCP_SKB_CB(skb).end_seq = TCP_SKB_CB(buff).seq;

        var flags = TCP_SKB_CB(skb).tcp_flags;
        TCP_SKB_CB(skb).tcp_flags = (byte)(flags & ~(TCPHDR_FIN | TCPHDR_PSH));
        TCP_SKB_CB(buff).tcp_flags = flags;

        // tcp_skb_fragment_eor
        TCP_SKB_CB(buff).eor = TCP_SKB_CB(skb).eor;
        TCP_SKB_CB(skb).eor = false;

        skb_split(skb, buff, (int)len);
        tcp_fragment_tstamp(skb, buff);

        tcp_set_skb_tso_segs(skb, mss_now);
        tcp_set_skb_tso_segs(buff, mss_now);

        // tcp_insert_write_queue_after: right behind skb, still unsent
        __skb_queue_after(sk.sk_write_queue, skb, buff);
        return 0;
    }

    // not ported: tcp_skb_pcount — read only in a BUG_ON assertion
    // not ported: tcp_max_tso_deferred_mss — written out as the constant 3 it returns
    // net/ipv4/tcp_output.c: tcp_tso_should_defer
    /// <summary>
    /// Should a multi-segment skb that cannot go out full-sized wait for an
    /// ACK to open more window, so it leaves as one bigger TSO packet? Not in
    /// recovery, not after an idle millisecond, not when a full-sized skb or
    /// a tcp_tso_win_divisor share of the window fits, not when the next ACK
    /// is due later than min(1 ms, srtt/2), and never for the skb of a FIN
    /// or end of record.
    /// </summary>
    [Borrows("skb")]
    private static bool tcp_tso_should_defer(sock sk, sk_buff skb, ref bool is_cwnd_limited, ref bool is_rwnd_limited, uint max_segs)
    {
        var icsk = inet_csk(sk);
        var tp = tcp_sk(sk);
        const long NSEC_PER_MSEC = 1000000;
        const ulong NSEC_PER_USEC = 1000;

        if (icsk.icsk_ca_state >= TCP_CA_Recovery)
        {
            goto send_now;
        }

        var clock_ns = (long)tp.tcp_clock_cache;

        // bursts only right after a send: a write a millisecond old goes now
        var delta = clock_ns - (long)tp.tcp_wstamp_ns - NSEC_PER_MSEC;
        if (delta > 0)
        {
            goto send_now;
        }

        var in_flight = tcp_packets_in_flight(tp);

        var send_win = tcp_wnd_end(tp) - TCP_SKB_CB(skb).seq;

        // cwnd > in_flight here: tcp_cwnd_test passed
        var cong_win = (tcp_snd_cwnd(tp) - in_flight) * tp.mss_cache;

        var limit = Math.Min(send_win, cong_win);

        if (limit >= max_segs * tp.mss_cache)
        {
            goto send_now;
        }

        // an skb in the middle of the queue grows no more
        if (skb != tcp_write_queue_tail(sk) && limit >= skb.len)
        {
            goto send_now;
        }

        var win_divisor = Include.Net.Netns.netns_ipv4.of(sk.sk_net).sysctl_tcp_tso_win_divisor;
        if (win_divisor != 0)
        {
            var chunk = Math.Min(tp.snd_wnd, tcp_snd_cwnd(tp) * tp.mss_cache);

            chunk /= (uint)win_divisor;
            if (limit >= chunk)
            {
                goto send_now;
            }
        }
        else
        {
            // tcp_max_tso_deferred_mss: more than three segments' room is worth using now
            if (limit > 3 * tp.mss_cache)
            {
                goto send_now;
            }
        }

        var head = tcp_rtx_queue_head(sk);
        if (head is null)
        {
            goto send_now;
        }

        var srtt_in_ns = (NSEC_PER_USEC >> 3) * tp.srtt_us;

        // the ACK of the oldest segment in flight is due at its send time plus srtt
        var expected_ack = (ulong)head.tstamp + srtt_in_ns;
        var how_far_is_the_ack = expected_ack - (ulong)clock_ns;

        // too late to wait for: more than min(1 ms, srtt/2) away
        var threshold = Math.Min(srtt_in_ns >> 1, (ulong)NSEC_PER_MSEC);

        if ((long)(how_far_is_the_ack - threshold) > 0)
        {
            goto send_now;
        }

        if (cong_win < send_win)
        {
            if (cong_win <= skb.len)
            {
                is_cwnd_limited = true;
                return true;
            }
        }
        else
        {
            if (send_win <= skb.len)
            {
                is_rwnd_limited = true;
                return true;
            }
        }

        // nothing more will join an skb that ends the stream or a record
        if ((TCP_SKB_CB(skb).tcp_flags & TCPHDR_FIN) != 0 || TCP_SKB_CB(skb).eor)
        {
            goto send_now;
        }

        return true;

    send_now:
        return false;
    }

    // not ported: sock_hold — the port does not count socket references: the GC keeps a socket alive while
    //   anything reaches it
    // net/ipv4/tcp_output.c: tcp_pacing_check
    /// <summary>
    /// Internal pacing (SK_PACING_NEEDED): while the next departure time is
    /// still ahead, nothing is sent; the pacing hrtimer is armed for it.
    /// </summary>
    private static bool tcp_pacing_check(sock sk)
    {
        var tp = tcp_sk(sk);

        if (!tcp_needs_internal_pacing(sk))
        {
            return false;
        }

        if (tp.tcp_wstamp_ns <= tp.tcp_clock_cache)
        {
            return false;
        }

        if (tp.pacing_timer is null)
        {
            // departure: tcp_init_xmit_timers' hrtimer_setup, done when pacing first holds a segment back
            tp.pacing_timer = new hrtimer { owner = tp };
            Kernel.Time.hrtimer_c.hrtimer_setup(tp.pacing_timer, tcp_pace_kick, hrtimer_h.HRTIMER_MODE_ABS_PINNED_SOFT);
        }

        if (!hrtimer_h.hrtimer_is_queued(tp.pacing_timer))
        {
            // sock_hold: the port does not count socket references.
            hrtimer_h.hrtimer_start(sk.sk_net.k, tp.pacing_timer, (long)tp.tcp_wstamp_ns, hrtimer_h.HRTIMER_MODE_ABS_PINNED_SOFT);
        }

        return true;
    }

    // net/ipv4/tcp_output.c: tcp_rtx_queue_empty_or_single_skb
    /// <summary>True when at most one skb is sent and unacknowledged.</summary>
    private static bool tcp_rtx_queue_empty_or_single_skb(sock sk)
    {
        var head = tcp_rtx_queue_head(sk);
        return head is null || head.next is null;
    }

    // net/ipv4/tcp_output.c: tcp_small_queue_check
    /// <summary>
    /// TCP Small Queues: may this flow put more in the qdisc and device?
    /// Its bytes there (sk_wmem_alloc) may be up to two of these skbs or
    /// about a millisecond of the pacing rate (sk_pacing_rate &gt;&gt;
    /// sk_pacing_shift), never above net.ipv4.tcp_limit_output_bytes,
    /// doubled per <paramref name="factor"/> (retransmits). Over the limit,
    /// TSQ_THROTTLED asks TX completion (tcp_wfree) to call back — unless at
    /// most one skb is in flight, when waiting could stall.
    /// </summary>
    [Borrows("skb")]
    private static bool tcp_small_queue_check(sock sk, sk_buff skb, int factor)
    {
        var limit = Math.Max(2UL * skb.truesize, sk.sk_pacing_rate >> sk.sk_pacing_shift);
        limit = Math.Min(limit, (ulong)Include.Net.Netns.netns_ipv4.of(sk.sk_net).sysctl_tcp_limit_output_bytes);
        limit <<= factor;

        // not ported: tcp_tx_delay's extra bytes (TCP_TX_DELAY is not ported).
        if ((ulong)sk.sk_wmem_alloc > limit)
        {
            if (tcp_rtx_queue_empty_or_single_skb(sk))
            {
                return false;
            }

            sk.sk_tsq_flags |= TSQF_THROTTLED;

            // smp_mb__after_atomic: TX completion may have come before the flag; test again.
            if ((ulong)sk.sk_wmem_alloc > limit)
            {
                return true;
            }
        }

        return false;
    }

    // net/ipv4/tcp_output.c: tcp_chrono_set
    /// <summary>Charges the time since chrono_start to the chronograph that ran, and starts <paramref name="new"/>.</summary>
    private static void tcp_chrono_set(tcp_sock tp, int @new)
    {
        var now = tcp_jiffies32(tp.sk);
        var old = tp.chrono_type;

        if (old > TCP_CHRONO_UNSPEC)
        {
            tp.chrono_stat[old - 1] += now - tp.chrono_start;
        }

        tp.chrono_start = now;
        tp.chrono_type = (byte)@new;
    }

    // net/ipv4/tcp_output.c: tcp_chrono_start
    /// <summary>Starts a chronograph unless one of higher precedence runs (sndbuf-limited over rwnd-limited over busy).</summary>
    public static void tcp_chrono_start(sock sk, int type)
    {
        var tp = tcp_sk(sk);

        if (type > tp.chrono_type)
        {
            tcp_chrono_set(tp, type);
        }
    }

    // net/ipv4/tcp_output.c: tcp_chrono_stop
    /// <summary>
    /// A condition ended: with both queues empty all timing stops; if it was
    /// the running chronograph, time goes back to busy.
    /// </summary>
    public static void tcp_chrono_stop(sock sk, int type)
    {
        var tp = tcp_sk(sk);

        if (tcp_rtx_and_write_queues_empty(sk))
        {
            tcp_chrono_set(tp, TCP_CHRONO_UNSPEC);
        }
        else if (type == tp.chrono_type)
        {
            tcp_chrono_set(tp, TCP_CHRONO_BUSY);
        }
    }

    // net/ipv4/tcp_output.c: tcp_mtu_check_reprobe
    /// <summary>
    /// A search that has finished (or cannot go on) starts again from the
    /// current MSS once net.ipv4.tcp_probe_interval seconds (600) have gone
    /// by since it began.
    /// </summary>
    private static void tcp_mtu_check_reprobe(sock sk)
    {
        var icsk = inet_csk(sk);
        var tp = tcp_sk(sk);
        var interval = Include.Net.Netns.netns_ipv4.of(sk.sk_net).sysctl_tcp_probe_interval;
        var delta = (int)(tcp_jiffies32(sk) - icsk.icsk_mtup_probe_timestamp);
        if (delta >= (long)interval * Vmlinux.HZ)
        {
            var mss = (int)tcp_current_mss(sk);

            // the search range is the whole of it again, from what works now
            icsk.icsk_mtup_probe_size = 0;
            icsk.icsk_mtup_search_high = tp.rx_opt.mss_clamp + tcphdr.Size + iphdr_size;
            icsk.icsk_mtup_search_low = tcp_mss_to_mtu(sk, mss);

            icsk.icsk_mtup_probe_timestamp = tcp_jiffies32(sk);
        }
    }

    // not ported: tcp_for_write_queue_from_safe — the write queue is walked by an explicit loop over .next
    // net/ipv4/tcp_output.c: tcp_can_coalesce_send_queue_head
    /// <summary>Whether the first <paramref name="len"/> unsent bytes may be merged into one skb (no skb on the way is marked end-of-record).</summary>
    private static bool tcp_can_coalesce_send_queue_head(sock sk, int len)
    {
        sk_buff? next;
        for (var skb = tcp_send_head(sk); skb is not null; skb = next)
        {
            next = skb.next;
            if (len <= skb.len)
            {
                break;
            }

            // the caller made sure the queue holds len bytes, so an skb short of them has a next
            if (tcp_has_tx_tstamp(skb) || !tcp_skb_can_collapse(skb, next!))
            {
                return false;
            }

            len -= (int)skb.len;
        }

        return true;
    }

    // not ported: skb_queue_walk — the queue is walked by an explicit loop over its links
    // not ported: skb_frag_off_copy, skb_frag_page_copy — the frag is copied whole (page and offset) by the
    //   port's frag assignment
    // not ported: __skb_header_release — the port's clones share one buffer object and keep no nohdr/dataref
    //   split, so there is no header reference to drop
    // net/ipv4/tcp_output.c: tcp_clone_payload
    /// <summary>
    /// Gives the probe <paramref name="to"/> the first <paramref name="probe_size"/>
    /// bytes of the write queue by sharing the queued skbs' page frags (a
    /// frag that continues the previous one in the same page widens it),
    /// each shared frag taking a page reference. -EINVAL when a queued skb
    /// has linear data, -E2BIG past MAX_SKB_FRAGS, -ENOMEM without memory.
    /// </summary>
    [Borrows("to")]
    private static int tcp_clone_payload(sock sk, sk_buff to, int probe_size)
    {
        if (!sk_wmem_schedule(sk, (int)to.truesize + probe_size))
        {
            return -errno_base_h.ENOMEM;
        }

        var fragto = to.shinfo.frags;
        int len = 0, nr_frags = 0, last = -1;

        // skb_queue_walk(&sk->sk_write_queue)
        for (var skb = sk.sk_write_queue.first; skb is not null && len < probe_size; skb = skb.next)
        {
            if (skb_headlen(skb) != 0)
            {
                return -errno_base_h.EINVAL;
            }

            var fragfrom = skb.shinfo.frags;
            for (var i = 0; i < skb.shinfo.nr_frags && len < probe_size; i++)
            {
                var todo = Math.Min(skb_frag_size(fragfrom[i]), probe_size - len);
                len += todo;
                if (last >= 0 &&
                    skb_frag_page(fragfrom[i]) == skb_frag_page(fragto[last]) &&
                    skb_frag_off(fragfrom[i]) == skb_frag_off(fragto[last]) + skb_frag_size(fragto[last]))
                {
                    skb_frag_size_add(ref fragto[last], todo);
                    continue;
                }

                if (nr_frags == MAX_SKB_FRAGS)
                {
                    return -errno_base_h.E2BIG;
                }

                // skb_frag_page_copy, skb_frag_off_copy, skb_frag_size_set
                fragto[nr_frags] = fragfrom[i];
                skb_frag_size_set(ref fragto[nr_frags], todo);
                last = nr_frags++;
            }
        }

        // WARN_ON_ONCE(len != probe_size): the caller checked write_seq - snd_nxt
        for (var i = 0; i < nr_frags; i++)
        {
            skb_frag_ref(to, i);
        }

        to.shinfo.nr_frags = (byte)nr_frags;
        to.truesize += (uint)probe_size;
        to.len += probe_size;
        to.data_len += probe_size;

        // __skb_header_release: nothing to do here.
        return 0;
    }

    // net/ipv4/tcp_output.c: tcp_eat_one_skb
    /// <summary>The probe <paramref name="dst"/> took all of <paramref name="src"/>'s bytes: its flags and end-of-record mark pass on, and src leaves the write queue, freed.</summary>
    [Borrows("dst")]
    [Consumes("src")]
    private static void tcp_eat_one_skb(sock sk, sk_buff dst, sk_buff src)
    {
        TCP_SKB_CB(dst).tcp_flags |= TCP_SKB_CB(src).tcp_flags;
        TCP_SKB_CB(dst).eor = TCP_SKB_CB(src).eor;

        tcp_skb_collapse_tstamp(dst, src);
        tcp_unlink_write_queue(src, sk);
        tcp_wmem_free_skb(sk, src);
    }

    // not ported: tcp_skb_tsorted_anchor_cleanup — the port keeps the send-time order on its own links, not
    //   in a union with skb->_skb_refdst, so there is no anchor to clear before the skb is freed
    // not ported: tcp_init_tso_segs — written as tcp_set_skb_tso_segs on the probe, whose pcount is fresh
    // not ported: tcp_for_write_queue_from_safe — the write queue is walked by an explicit loop over .next
    // not ported: skb_copy_decrypted — no TLS device offload or PSP: no skb is ever marked decrypted
    // net/ipv4/tcp_output.c: tcp_mtu_probe
    /// <summary>
    /// Sends one MTU probe (RFC 4821) when the search has room left: a
    /// segment of the MSS halfway between search_low and search_high, built
    /// from the head of the write queue, with enough data behind it (and
    /// cwnd for it plus two) that its loss shows as ordinary duplicate ACKs.
    /// 1: the probe went out (it costs one cwnd); 0: wait for the window or
    /// for cwnd to drain; -1: no probe now, send as usual.
    /// </summary>
    private static int tcp_mtu_probe(sock sk)
    {
        var icsk = inet_csk(sk);
        var tp = tcp_sk(sk);
        var ipv4 = Include.Net.Netns.netns_ipv4.of(sk.sk_net);

        // not searching, a probe already out, not in Open, a small cwnd, or SACK blocks to send (their option length would change the MSS)
        if (!icsk.icsk_mtup_enabled ||
            icsk.icsk_mtup_probe_size != 0 ||
            icsk.icsk_ca_state != TCP_CA_Open ||
            tcp_snd_cwnd(tp) < 11 ||
            tp.rx_opt.num_sacks != 0 || tp.rx_opt.dsack != 0)
        {
            return -1;
        }

        // binary search between search_low and search_high
        var mss_now = (int)tcp_current_mss(sk);
        var probe_size = tcp_mtu_to_mss(sk, (icsk.icsk_mtup_search_high + icsk.icsk_mtup_search_low) >> 1);
        var size_needed = probe_size + (((int)tp.reordering + 1) * (int)tp.mss_cache);
        var interval = icsk.icsk_mtup_search_high - icsk.icsk_mtup_search_low;

        // the range is narrow enough (or the probe would exceed it): done, until the reprobe interval has passed
        if (probe_size > tcp_mtu_to_mss(sk, icsk.icsk_mtup_search_high) ||
            interval < ipv4.sysctl_tcp_probe_threshold)
        {
            tcp_mtu_check_reprobe(sk);
            return -1;
        }

        // enough unsent data for the probe and the segments that would reveal its loss?
        if (tp.write_seq - tp.snd_nxt < (uint)size_needed)
        {
            return -1;
        }

        if (tp.snd_wnd < (uint)size_needed)
        {
            return -1;
        }

        if (after(tp.snd_nxt + (uint)size_needed, tcp_wnd_end(tp)))
        {
            return 0;
        }

        // room in cwnd for the probe and two more? with nothing in flight, do not stall
        if (tcp_packets_in_flight(tp) + 2 > tcp_snd_cwnd(tp))
        {
            return tcp_packets_in_flight(tp) == 0 ? -1 : 0;
        }

        if (!tcp_can_coalesce_send_queue_head(sk, probe_size))
        {
            return -1;
        }

        // the probe: a new skb whose frags will be the queued data's
        var nskb = tcp_c.tcp_stream_alloc_skb(sk, 0, false);
        if (nskb is null)
        {
            return -1;
        }

        if (tcp_clone_payload(sk, nskb, probe_size) != 0)
        {
            // tcp_skb_tsorted_anchor_cleanup: a fresh skb is on no tsorted list.
            consume_skb(nskb);
            return -1;
        }

        sk_wmem_queued_add(sk, (int)nskb.truesize);
        sk_mem_charge(sk, (int)nskb.truesize);

        var skb = tcp_send_head(sk)!;

        // skb_copy_decrypted, mptcp_skb_ext_copy: no TLS offload, no MPTCP.
        TCP_SKB_CB(nskb).seq = TCP_SKB_CB(skb).seq;
        TCP_SKB_CB(nskb).end_seq = TCP_SKB_CB(skb).seq + (uint)probe_size;
        TCP_SKB_CB(nskb).tcp_flags = TCPHDR_ACK;

        tcp_insert_write_queue_before(nskb, skb, sk);
        tcp_highest_sack_replace(sk, skb, nskb);

        // the skbs whose bytes the probe carries leave the queue; the last one loses its head
        var len = 0;
        sk_buff? next;
        for (sk_buff? cur = skb; cur is not null; cur = next)
        {
            next = cur.next;
            var copy = Math.Min((int)cur.len, probe_size - len);
            if (cur.len <= copy)
            {
                tcp_eat_one_skb(sk, nskb, cur);
            }
            else
            {
                TCP_SKB_CB(nskb).tcp_flags |= (byte)(TCP_SKB_CB(cur).tcp_flags & ~(TCPHDR_FIN | TCPHDR_PSH));

                // truesize stays with the trimmed skb, as in 6.18
                __pskb_trim_head(cur, copy);
                tcp_set_skb_tso_segs(cur, (uint)mss_now);
                TCP_SKB_CB(cur).seq += (uint)copy;
            }

            len += copy;
            if (len >= probe_size)
            {
                break;
            }
        }

        // tcp_init_tso_segs: a fresh skb has no segment count yet
        tcp_set_skb_tso_segs(nskb, (uint)nskb.len);

        // if this fails, tcp_write_xmit cuts the probe into MSS-sized pieces
        if (tcp_transmit_skb(sk, nskb, true) == 0)
        {
            // the probe counts twice against cwnd: it is about two segments' worth
            tcp_snd_cwnd_set(tp, tcp_snd_cwnd(tp) - 1);
            tcp_event_new_data_sent(sk, nskb);

            icsk.icsk_mtup_probe_size = tcp_mss_to_mtu(sk, (int)nskb.len);
            tp.mtu_probe_probe_seq_start = TCP_SKB_CB(nskb).seq;
            tp.mtu_probe_probe_seq_end = TCP_SKB_CB(nskb).end_seq;

            return 1;
        }

        return -1;
    }

    // net/ipv4/tcp_output.c: tcp_grow_skb
    /// <summary>
    /// Tops up a short head skb with up to <paramref name="amount"/> bytes of
    /// the next one when cwnd allows more: its page frags move over
    /// (skb_shift), and a next skb left empty is eaten.
    /// </summary>
    [Borrows("skb")]
    private static void tcp_grow_skb(sock sk, sk_buff skb, int amount)
    {
        var next_skb = skb.next;

        if (tcp_skb_is_last(sk, skb))
        {
            return;
        }

        if (!tcp_skb_can_collapse(skb, next_skb!))
        {
            return;
        }

        var nlen = Math.Min(amount, next_skb!.len);
        if (nlen == 0 || skb_shift(skb, next_skb, nlen) == 0)
        {
            return;
        }

        TCP_SKB_CB(skb).end_seq += (uint)nlen;
        TCP_SKB_CB(next_skb).seq += (uint)nlen;

        if (next_skb.len == 0)
        {
            // a FIN carried by next_skb moves over with its sequence number
            TCP_SKB_CB(skb).end_seq = TCP_SKB_CB(next_skb).end_seq;
            tcp_eat_one_skb(sk, skb, next_skb);
        }
    }

    // not ported: tcp_urg_mode — urgent data (MSG_OOB sends) is not ported: snd_up never moves, so the split
    //   point is always computed
    // not ported: skb_set_delivery_time, tcp_init_tso_segs — TCP repair mode's send-queue branch: TCP_REPAIR
    //   is not ported
    // net/ipv4/tcp_output.c: tcp_write_xmit
    /// <summary>
    /// Sends what the write queue holds, from its head, as far as cwnd
    /// (tcp_cwnd_test), the peer's window (tcp_snd_wnd_test) and Nagle
    /// (tcp_nagle_test, for the last skb) allow; each skb goes out as a clone
    /// (tcp_transmit_skb) and moves to the retransmit queue
    /// (tcp_event_new_data_sent). <paramref name="push_one"/> sends at most
    /// one. Returns true when nothing is in flight, data waits, and none
    /// could be sent (the caller arms the probe timer).
    /// A multi-segment skb may wait for more window (tcp_tso_should_defer)
    /// and is cut to what may go now (tcp_mss_split_point, tso_fragment).
    /// TCP Small Queues (tcp_small_queue_check) stops it while the flow's
    /// earlier skbs still sit in the qdisc or device.
    /// Internal pacing (tcp_pacing_check) holds what is not yet due, and an
    /// MTU probe (tcp_mtu_probe) may go first.
    /// </summary>
    private static bool tcp_write_xmit(sock sk, uint mss_now, int nonagle, int push_one, int gfp)
    {
        var tp = tcp_sk(sk);
        uint tso_segs, sent_pkts = 0;
        uint cwnd_quota, max_segs;
        bool is_cwnd_limited = false, is_rwnd_limited = false;

        tcp_mstamp_refresh(tp);

        if (push_one == 0)
        {
            // MTU probing (RFC 4821): the probe, if one goes, is the first segment sent
            var result = tcp_mtu_probe(sk);
            if (result == 0)
            {
                return false;
            }
            else if (result > 0)
            {
                sent_pkts = 1;
            }
        }

        max_segs = tcp_tso_segs(sk, mss_now);
        while (tcp_send_head(sk) is { } skb)
        {
            // repair mode: not ported.
            if (tcp_pacing_check(sk))
            {
                break;
            }

            cwnd_quota = tcp_cwnd_test(tp);
            if (cwnd_quota == 0)
            {
                if (push_one == 2)
                {
                    // force out a loss probe
                    cwnd_quota = 1;
                }
                else
                {
                    break;
                }
            }

            cwnd_quota = Math.Min(cwnd_quota, max_segs);
            var missing_bytes = (int)(cwnd_quota * mss_now) - (int)skb.len;
            if (missing_bytes > 0)
            {
                tcp_grow_skb(sk, skb, missing_bytes);
            }

            tso_segs = (uint)tcp_set_skb_tso_segs(skb, mss_now);

            if (!tcp_snd_wnd_test(tp, skb, mss_now))
            {
                is_rwnd_limited = true;
                break;
            }

            if (tso_segs == 1)
            {
                if (!tcp_nagle_test(tp, skb, mss_now, tcp_skb_is_last(sk, skb) ? nonagle : TCP_NAGLE_PUSH))
                {
                    break;
                }
            }
            else
            {
                if (push_one == 0 && tcp_tso_should_defer(sk, skb, ref is_cwnd_limited, ref is_rwnd_limited, max_segs))
                {
                    break;
                }
            }

            var limit = mss_now;

            // tcp_urg_mode: no urgent data in the port
            if (tso_segs > 1)
            {
                limit = tcp_mss_split_point(sk, skb, mss_now, cwnd_quota, nonagle);
            }

            if (skb.len > limit && tso_fragment(sk, skb, limit, mss_now, gfp) != 0)
            {
                break;
            }

            if (tcp_small_queue_check(sk, skb, 0))
            {
                break;
            }

            // an empty skb means a writer sleeps in sendmsg: no pure ACKs from the rtx queue
            if (TCP_SKB_CB(skb).end_seq == TCP_SKB_CB(skb).seq)
            {
                break;
            }

            if (tcp_transmit_skb(sk, skb, true) != 0)
            {
                break;
            }

            // the skb is sent: move it to the retransmit queue (packets_out grows).
            tcp_event_new_data_sent(sk, skb);

            tcp_minshall_update(tp, mss_now, skb);
            sent_pkts += (uint)tcp_skb_pcount(skb);

            if (push_one != 0)
            {
                break;
            }
        }

        if (is_rwnd_limited)
        {
            tcp_chrono_start(sk, TCP_CHRONO_RWND_LIMITED);
        }
        else
        {
            tcp_chrono_stop(sk, TCP_CHRONO_RWND_LIMITED);
        }

        is_cwnd_limited |= tcp_packets_in_flight(tp) >= tcp_snd_cwnd(tp);
        if (sent_pkts != 0 || is_cwnd_limited)
        {
            tcp_cwnd_validate(sk, is_cwnd_limited);
        }

        if (sent_pkts != 0)
        {
            if (tcp_in_cwnd_reduction(sk))
            {
                tp.prr_out += sent_pkts;
            }

            // one loss probe per tail loss episode
            if (push_one != 2)
            {
                tcp_schedule_loss_probe(sk, false);
            }

            return false;
        }

        return tp.packets_out == 0 && !tcp_write_queue_empty(sk);
    }

    // net/ipv4/tcp_output.c: tcp_schedule_loss_probe
    /// <summary>
    /// Arms the tail loss probe (RFC 8985 TLP) instead of the RTO, for a SACK
    /// connection in Open or CWR with data out: two smoothed RTTs, plus the
    /// minimum RTO when a single segment is out (the peer may be delaying
    /// its ACK) or TCP_TIMEOUT_MIN otherwise; TCP_TIMEOUT_INIT without an RTT
    /// sample; never later than the RTO would fire.
    /// </summary>
    public static bool tcp_schedule_loss_probe(sock sk, bool advancing_rto)
    {
        var icsk = inet_csk(sk);
        var tp = tcp_sk(sk);
        uint timeout;

        // no loss probe for a Fast Open child before its handshake completes: the retransmit timer is the SYN-ACK's
        if (tp.fastopen_rsk is not null)
        {
            return false;
        }

        var early_retrans = Include.Net.Netns.netns_ipv4.of(sk.sk_net).sysctl_tcp_early_retrans;
        if ((early_retrans != 3 && early_retrans != 4) || tp.packets_out == 0 || !tcp_is_sack(tp) ||
            (icsk.icsk_ca_state != TCP_CA_Open && icsk.icsk_ca_state != TCP_CA_CWR))
        {
            return false;
        }

        if (tp.srtt_us != 0)
        {
            var timeout_us = tp.srtt_us >> 2;
            if (tp.packets_out == 1)
            {
                timeout_us += tcp_rto_min_us(sk);
            }
            else
            {
                timeout_us += TCP_TIMEOUT_MIN_US;
            }

            timeout = (uint)Include.Linux.jiffies_h.usecs_to_jiffies(timeout_us);
        }
        else
        {
            timeout = TCP_TIMEOUT_INIT;
        }

        // the RTO, if it comes first
        var rto_delta_us = advancing_rto ? (long)KernelNet.Kernel.Kernel.Time.time_c.jiffies_to_usecs(icsk.icsk_rto) : tcp_rto_delta_us(sk);
        if (rto_delta_us > 0)
        {
            timeout = Math.Min(timeout, (uint)Include.Linux.jiffies_h.usecs_to_jiffies((uint)rto_delta_us));
        }

        tcp_reset_xmit_timer(sk, ICSK_TIME_LOSS_PROBE, timeout, true);
        return true;
    }

    // not ported: tcp_warn_once — a WARN-only printk
    // not ported: skb_rb_next — the queue is an ordered list in the port, walked by .next instead of rb_next
    // not ported: skb_rb_last — the retransmit queue is an ordered list in the port: its .last stands for
    //   rb_last
    // net/ipv4/tcp_output.c: tcp_send_loss_probe
    /// <summary>
    /// The loss probe timer fired: one new segment if the window takes it,
    /// else the last segment of the retransmit queue again (its last MSS, cut
    /// off a multi-segment skb). tlp_high_seq remembers snd_nxt so the ACK
    /// that follows tells whether a loss was repaired (TCPLossProbes counts
    /// the probe). The RTO is re-armed from now.
    /// not ported: skb_still_in_host_queue — TCP's skbs are fclone pairs now, so skb_fclone_busy could be asked; not
    /// yet ported (it would count TCPSpuriousRtxHostQueues and needs an oracle check).
    /// </summary>
    public static void tcp_send_loss_probe(sock sk)
    {
        var tp = tcp_sk(sk);
        var mss = tcp_current_mss(sk);
        sk_buff? skb;
        int pcount;

        // at most one probe out
        if (tp.tlp_high_seq != 0)
        {
            goto rearm_timer;
        }

        tp.tlp_retrans = false;
        skb = tcp_send_head(sk);
        if (skb is not null && tcp_snd_wnd_test(tp, skb, mss))
        {
            pcount = (int)tp.packets_out;
            tcp_write_xmit(sk, mss, TCP_NAGLE_OFF, 2, 0);
            if (tp.packets_out > pcount)
            {
                goto probe_sent;
            }

            goto rearm_timer;
        }

        skb = tp.tcp_rtx_queue.last;
        if (skb is null)
        {
            // tcp_warn_once: packets_out with an empty queue
            inet_csk(sk).icsk_pending = 0;
            return;
        }

        pcount = tcp_skb_pcount(skb);
        if (pcount == 0)
        {
            goto rearm_timer;
        }

        if (pcount > 1 && skb.len > (pcount - 1) * mss)
        {
            if (tcp_fragment(sk, skb, (uint)((pcount - 1) * mss), mss, 0) != 0)
            {
                goto rearm_timer;
            }

            skb = skb.next;
        }

        if (skb is null || tcp_skb_pcount(skb) == 0)
        {
            goto rearm_timer;
        }

        if (__tcp_retransmit_skb(sk, skb, 1) != 0)
        {
            goto rearm_timer;
        }

        tp.tlp_retrans = true;

    probe_sent:
        // snd_nxt at the probe, for the loss detection of tcp_process_tlp_ack
        tp.tlp_high_seq = tp.snd_nxt;
        Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPLOSSPROBES);

        // tcp_rearm_rto restarts the timer from now
        inet_csk(sk).icsk_pending = 0;

    rearm_timer:
        tcp_input_c.tcp_rearm_rto(sk);
    }

    // not ported: sk_gfp_mask — allocations in the simulation take no GFP flags
    // net/ipv4/tcp_output.c: __tcp_push_pending_frames
    /// <summary>Pushes the write queue; a stall with nothing in flight arms the zero-window probe timer. A closed socket keeps its bytes.</summary>
    public static void __tcp_push_pending_frames(sock sk, uint cur_mss, int nonagle)
    {
        if (sk.sk_state == sock_h.TCP_CLOSE)
        {
            return;
        }

        if (tcp_write_xmit(sk, cur_mss, nonagle, 0, 0))
        {
            tcp_check_probe_timer(sk);
        }
    }

    // net/ipv4/tcp_output.c: tcp_push_one
    /// <summary>Sends the single full-sized skb at the send head, Nagle aside.</summary>
    public static void tcp_push_one(sock sk, uint mss_now)
    {
        System.Diagnostics.Debug.Assert(tcp_send_head(sk) is { } skb && skb.len >= mss_now, "tcp_push_one: a full skb at the head");
        tcp_write_xmit(sk, mss_now, TCP_NAGLE_PUSH, 1, 0);
    }

    // not ported: tcp_skb_tsorted_save — the port keeps the send-time order on its own links (tcp_tsorted_*),
    //   which a copy or clone does not share, so there is nothing to save across it
    // not ported: tcp_skb_tsorted_restore — the port keeps the send-time order on its own links
    //   (tcp_tsorted_*), which a copy or clone does not share, so there is nothing to restore
    // not ported: tcp_retrans_try_collapse — collapsing small retransmits into one
    //   (sysctl_tcp_retrans_collapse) is not ported: each skb is resent on its own
    // not ported: tcp_rate_skb_sent, tcp_update_skb_after_send — only on the copy branch for a misaligned or
    //   >64K-headroom skb, which never runs on x86 here; the clone branch does it in __tcp_transmit_skb
    // not ported: tcp_ecn_clear_syn — ECN on SYN retransmission: the port's SYNs carry ECE|CWR only when
    //   tcp_ecn asks, and a SYN is not retransmitted through this path with the fallback
    // not ported: skb_unclone_keeptruesize — only TCP's control block is written before the send, and the
    //   port's clones carry their own cb, so the skb needs no unclone
    // not ported: __pskb_copy, skb_headroom — the copy for a misaligned or >64K-headroom skb: NET_IP_ALIGN is
    //   0 on x86 and the port's headroom never reaches 64K, so the clone branch is the only one
    // not ported: __NET_INC_STATS — counted with the port's NET_INC_STATS (LINUX_MIB_TCPSYNRETRANS): with one
    //   simulated CPU the non-preemptible variant is the same
    // net/ipv4/tcp_output.c: __tcp_retransmit_skb
    /// <summary>
    /// Sends an skb of the retransmit queue again: what was acked of it is
    /// trimmed off (tcp_trim_head), it is cut to the window and MSS, and a
    /// clone goes out (a private copy if an earlier clone still shares the
    /// data); RetransSegs counts it (TCPSynRetrans for a SYN). The
    /// tcp_retransmit_skb tracepoint reports the result.
    /// Not ported: the busy-clone check (skb_still_in_host_queue needs fclones),
    /// retransmit collapsing, ECN fallback.
    /// </summary>
    [Borrows("skb")]
    public static int __tcp_retransmit_skb(sock sk, sk_buff skb, int segs)
    {
        var tp = tcp_sk(sk);
        int err;

        // a retransmission makes an MTU probe in flight inconclusive
        if (inet_csk(sk).icsk_mtup_probe_size != 0)
        {
            inet_csk(sk).icsk_mtup_probe_size = 0;
        }

    start:
        if (before(TCP_SKB_CB(skb).seq, tp.snd_una))
        {
            if ((TCP_SKB_CB(skb).tcp_flags & TCPHDR_SYN) != 0)
            {
                TCP_SKB_CB(skb).tcp_flags &= unchecked((byte)~TCPHDR_SYN);
                TCP_SKB_CB(skb).seq++;
                goto start;
            }

            if (before(TCP_SKB_CB(skb).end_seq, tp.snd_una))
            {
                err = -errno_base_h.EINVAL;
                goto @out;
            }

            if (tcp_trim_head(sk, skb, tp.snd_una - TCP_SKB_CB(skb).seq) != 0)
            {
                err = -errno_base_h.ENOMEM;
                goto @out;
            }
        }

        // icsk_af_ops->rebuild_header: the cached route stands.
        var cur_mss = tcp_current_mss(sk);
        var avail_wnd = (int)(tcp_wnd_end(tp) - TCP_SKB_CB(skb).seq);

        // A segment beyond a shrunk window is not resent, unless the window is
        // zero: then the head's retransmission is the zero-window probe.
        if (avail_wnd <= 0)
        {
            if (TCP_SKB_CB(skb).seq != tp.snd_una)
            {
                err = -errno_base_h.EAGAIN;
                goto @out;
            }

            avail_wnd = (int)cur_mss;
        }

        var len = (int)cur_mss * segs;
        if (len > avail_wnd)
        {
            len = avail_wnd / (int)cur_mss * (int)cur_mss;
            if (len == 0)
            {
                len = avail_wnd;
            }
        }

        if (skb.len > len)
        {
            if (tcp_fragment(sk, skb, (uint)len, cur_mss, 0) != 0)
            {
                // try again later
                err = -errno_base_h.ENOMEM;
                goto @out;
            }
        }
        else
        {
            // skb_unclone_keeptruesize: tcp_set_skb_tso_segs only writes TCP's control block here
            var diff = tcp_skb_pcount(skb);
            tcp_set_skb_tso_segs(skb, cur_mss);
            diff -= tcp_skb_pcount(skb);
            if (diff != 0)
            {
                tcp_adjust_pcount(sk, skb, diff);
            }
        }

        // tcp_retrans_try_collapse, tcp_ecn_clear_syn: not ported.
        segs = tcp_skb_pcount(skb);
        TCP_ADD_STATS(sk.sk_net, tcp_mib_field.TCP_MIB_RETRANSSEGS, segs);
        if ((TCP_SKB_CB(skb).tcp_flags & TCPHDR_SYN) != 0)
        {
            Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPSYNRETRANS);
        }

        tp.total_retrans += (uint)segs;
        tp.bytes_retrans += (ulong)skb.len;

        err = tcp_transmit_skb(sk, skb, true);

        if (err != 0 && err != -errno_base_h.EBUSY)
        {
            Include.Net.ip_h.NET_ADD_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPRETRANSFAIL, segs);
        }

        // no RTT sample may come from a send that never happened
        TCP_SKB_CB(skb).sacked |= TCPCB_EVER_RETRANS;

    @out:
        trace_tcp_retransmit_skb(sk, skb, err);
        return err;
    }

    // not ported: net_dbg_ratelimited — a debug-only printk
    // net/ipv4/tcp_output.c: tcp_retransmit_skb
    /// <summary>__tcp_retransmit_skb, then the bookkeeping of a successful retransmission (retrans_out, TCPCB_RETRANS) and the first retransmission's stamp.</summary>
    [Borrows("skb")]
    public static int tcp_retransmit_skb(sock sk, sk_buff skb, int segs)
    {
        var tp = tcp_sk(sk);
        var err = __tcp_retransmit_skb(sk, skb, segs);

        if (err == 0)
        {
            TCP_SKB_CB(skb).sacked |= TCPCB_RETRANS;
            tp.retrans_out += (uint)tcp_skb_pcount(skb);
        }

        // the stamp of the first (attempted) retransmission
        if (tp.retrans_stamp == 0)
        {
            tp.retrans_stamp = tcp_skb_timestamp_ts(tp.tcp_usec_ts, skb);
        }

        // a retransmission that may yet draw a D-SACK (undo_retrans -1 means none was out)
        if (tp.undo_retrans < 0)
        {
            tp.undo_retrans = 0;
        }

        tp.undo_retrans += tcp_skb_pcount(skb);
        return err;
    }

    // not ported: skb_rbtree_walk_from — the queue is an ordered list in the port, walked by a loop over
    //   .next
    // net/ipv4/tcp_output.c: tcp_xmit_retransmit_queue
    /// <summary>
    /// After an RTO, once the first retransmission is acked: the segments
    /// marked lost go out again from the head of the retransmit queue, as
    /// far as cwnd allows (TCPSlowStartRetrans in the Loss state,
    /// TCPFastRetrans otherwise). The RTO restarts if the head was resent.
    /// </summary>
    public static void tcp_xmit_retransmit_queue(sock sk)
    {
        var icsk = inet_csk(sk);
        var tp = tcp_sk(sk);
        var rearm_timer = false;

        if (tp.packets_out == 0)
        {
            return;
        }

        var rtx_head = tcp_rtx_queue_head(sk);
        var max_segs = tcp_tso_segs(sk, tcp_current_mss(sk));

        // retransmit_skb_hint: no scoreboard hints, the walk starts at the head
        for (var skb = rtx_head; skb is not null; skb = skb.next)
        {
            if (tcp_pacing_check(sk))
            {
                break;
            }

            var segs = (int)tcp_snd_cwnd(tp) - (int)tcp_packets_in_flight(tp);
            if (segs <= 0)
            {
                break;
            }

            var sacked = TCP_SKB_CB(skb).sacked;

            // tcp_shift_skb_data may have made large skbs: no TSO packets larger than allowed
            segs = Math.Min(segs, (int)max_segs);

            linux_mib_field mib_idx;
            if (tp.retrans_out >= tp.lost_out)
            {
                break;
            }
            else if ((sacked & TCPCB_LOST) == 0)
            {
                continue;
            }
            else
            {
                mib_idx = icsk.icsk_ca_state != TCP_CA_Loss ? linux_mib_field.LINUX_MIB_TCPFASTRETRANS : linux_mib_field.LINUX_MIB_TCPSLOWSTARTRETRANS;
            }

            if ((sacked & (TCPCB_SACKED_ACKED | TCPCB_SACKED_RETRANS)) != 0)
            {
                continue;
            }

            if (tcp_small_queue_check(sk, skb, 1))
            {
                break;
            }

            if (tcp_retransmit_skb(sk, skb, segs) != 0)
            {
                break;
            }

            Include.Net.ip_h.NET_ADD_STATS(sk.sk_net, mib_idx, tcp_skb_pcount(skb));

            if (tcp_in_cwnd_reduction(sk))
            {
                tp.prr_out += (uint)tcp_skb_pcount(skb);
            }

            if (skb == rtx_head && icsk.icsk_pending != ICSK_TIME_REO_TIMEOUT)
            {
                rearm_timer = true;
            }
        }

        if (rearm_timer)
        {
            tcp_reset_xmit_timer(sk, ICSK_TIME_RETRANS, inet_csk(sk).icsk_rto, true);
        }
    }

    // not ported: sk_gfp_mask — allocations in the simulation take no GFP flags
    // net/ipv4/tcp_output.c: tcp_xmit_probe_skb
    /// <summary>A bare ACK with an old sequence number (snd_una - 1 unless urgent): the peer must answer with its window. Not queued.</summary>
    private static int tcp_xmit_probe_skb(sock sk, int urgent, linux_mib_field mib)
    {
        var tp = tcp_sk(sk);

        // not queued: tcp_transmit_skb makes it the socket's
        var skb = alloc_skb(sk.sk_net.k, MAX_TCP_HEADER);
        if (skb is null)
        {
            return -1;
        }

        skb_reserve(skb, MAX_TCP_HEADER);

        // a sequence number already acked makes the peer ACK
        tcp_init_nondata_skb(skb, sk, tp.snd_una - (urgent == 0 ? 1U : 0U), TCPHDR_ACK);
        Include.Net.ip_h.NET_INC_STATS(sk.sk_net, mib);
        return tcp_transmit_skb(sk, skb, false);
    }

    // not ported: tcp_fragment — the head is unsent, on the write queue, where the port cuts with
    //   tso_fragment; both split at seg_size
    // not ported: between — written out as two sequence comparisons
    // net/ipv4/tcp_output.c: tcp_write_wakeup
    /// <summary>
    /// A probe: if the window takes some of the head skb, as much of it as
    /// fits goes out (PSH) as new data; otherwise an old-sequence ACK
    /// (tcp_xmit_probe_skb). Returns the send's result (-1: closed or no skb).
    /// </summary>
    public static int tcp_write_wakeup(sock sk, linux_mib_field mib)
    {
        var tp = tcp_sk(sk);

        if (sk.sk_state == sock_h.TCP_CLOSE)
        {
            return -1;
        }

        var skb = tcp_send_head(sk);
        if (skb is not null && before(TCP_SKB_CB(skb).seq, tcp_wnd_end(tp)))
        {
            var mss = tcp_current_mss(sk);
            var seg_size = tcp_wnd_end(tp) - TCP_SKB_CB(skb).seq;

            if (before(tp.pushed_seq, TCP_SKB_CB(skb).end_seq))
            {
                tp.pushed_seq = TCP_SKB_CB(skb).end_seq;
            }

            // a window that is open but smaller than the skb: the sender's silly-window avoidance held it
            if (seg_size < TCP_SKB_CB(skb).end_seq - TCP_SKB_CB(skb).seq || skb.len > mss)
            {
                seg_size = Math.Min(seg_size, mss);
                TCP_SKB_CB(skb).tcp_flags |= TCPHDR_PSH;

                // tcp_fragment of the write queue's head: tso_fragment does the same for an unsent skb here
                if (tso_fragment(sk, skb, seg_size, mss, 0) != 0)
                {
                    return -1;
                }
            }
            else if (tcp_skb_pcount(skb) == 0)
            {
                tcp_set_skb_tso_segs(skb, mss);
            }

            TCP_SKB_CB(skb).tcp_flags |= TCPHDR_PSH;
            var err = tcp_transmit_skb(sk, skb, true);
            if (err == 0)
            {
                tcp_event_new_data_sent(sk, skb);
            }

            return err;
        }

        // urgent data (snd_up) would get its own probe: MSG_OOB is not ported
        return tcp_xmit_probe_skb(sk, 0, mib);
    }

    // net/ipv4/tcp_output.c: tcp_send_probe0
    /// <summary>
    /// The zero-window probe timer's send: a probe (tcp_write_wakeup); while
    /// data still waits with nothing in flight, the next probe is scheduled
    /// with the backoff doubled (tcp_probe0_when), else probing stops.
    /// </summary>
    public static void tcp_send_probe0(sock sk)
    {
        var icsk = inet_csk(sk);
        var tp = tcp_sk(sk);
        var net = sk.sk_net;
        ulong timeout;

        var err = tcp_write_wakeup(sk, linux_mib_field.LINUX_MIB_TCPWINPROBE);

        if (tp.packets_out != 0 || tcp_write_queue_empty(sk))
        {
            // the probe timer is no longer needed
            icsk.icsk_probes_out = 0;
            icsk.icsk_backoff = 0;
            icsk.icsk_probes_tstamp = 0;
            return;
        }

        icsk.icsk_probes_out++;
        if (err <= 0)
        {
            if (icsk.icsk_backoff < Include.Net.Netns.netns_ipv4.of(net).sysctl_tcp_retries2)
            {
                icsk.icsk_backoff++;
            }

            timeout = tcp_probe0_when(sk, tcp_rto_max(sk));
        }
        else
        {
            // a local congestion refused it: retry at the resource probe interval
            timeout = TCP_RESOURCE_PROBE_INTERVAL;
        }

        timeout = tcp_timer_c.tcp_clamp_probe0_to_user_timeout(sk, timeout);
        tcp_reset_xmit_timer(sk, ICSK_TIME_PROBE0, timeout, true);
    }

    // not ported: sk_memory_allocated_add — protocol-wide memory accounting (tcp_memory_allocated) is not
    //   kept: only the socket's forward allocation is
    // not ported: gfp_memcg_charge, mem_cgroup_sk_enabled — no memory cgroups
    // net/ipv4/tcp_output.c: sk_forced_mem_schedule
    /// <summary>Charges <paramref name="size"/> to the forward allocation even over the limits (a FIN, or the first skb of a write, must go).</summary>
    public static void sk_forced_mem_schedule(sock sk, int size)
    {
        var delta = size - sk.sk_forward_alloc;
        if (delta <= 0)
        {
            return;
        }

        var amt = Include.Net.sock_h.sk_mem_pages(delta);
        Include.Net.sock_h.sk_forward_alloc_add(sk, amt * Include.Net.sock_h.SK_MEM_QUANTUM);

        // sk_memory_allocated_add: tcp_mem is not ported.
    }

    // not ported: __skb_header_release — the port's clones share one buffer object and keep no nohdr/dataref
    //   split, so there is no header reference to drop
    // net/ipv4/tcp_output.c: tcp_queue_skb
    /// <summary>Queues a segment at the tail of the write queue; write_seq moves past it.</summary>
    [Borrows("skb")]
    private static void tcp_queue_skb(sock sk, sk_buff skb)
    {
        var tp = tcp_sk(sk);

        tp.write_seq = TCP_SKB_CB(skb).end_seq;
        tcp_add_write_queue_tail(sk, skb);
        Include.Net.sock_h.sk_wmem_queued_add(sk, (int)skb.truesize);
        Include.Net.sock_h.sk_mem_charge(sk, (int)skb.truesize);
    }

    // net/ipv4/tcp_output.c: tcp_send_active_reset
    /// <summary>
    /// Aborts the connection to the peer: a RST|ACK at an acceptable
    /// sequence, with the connection's options (timestamps), sent once and
    /// never retransmitted; OutRsts counts it. The reason (rstreason.h)
    /// only feeds the tcp_send_reset tracepoint, which gets no skb: the RST
    /// built here is not the segment that provoked it.
    /// </summary>
    public static void tcp_send_active_reset(sock sk, sk_rst_reason reason)
    {
        TCP_INC_STATS(sk.sk_net, tcp_mib_field.TCP_MIB_OUTRSTS);

        var skb = alloc_skb(sk.sk_net.k, MAX_TCP_HEADER);
        if (skb is null)
        {
            Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPABORTFAILED);
            return;
        }

        // room for the headers, then the control bits
        skb_reserve(skb, MAX_TCP_HEADER);
        tcp_init_nondata_skb(skb, sk, tcp_acceptable_seq(sk), TCPHDR_ACK | TCPHDR_RST);
        tcp_mstamp_refresh(tcp_sk(sk));

        if (tcp_transmit_skb(sk, skb, false) != 0)
        {
            Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPABORTFAILED);
        }

        trace_tcp_send_reset(sk, null, reason);
    }

    // not ported: tcp_skb_tsorted_save — the port keeps the send-time order on its own links (tcp_tsorted_*),
    //   which a copy or clone does not share, so there is nothing to save across it
    // not ported: tcp_skb_tsorted_restore — the port keeps the send-time order on its own links
    //   (tcp_tsorted_*), which a copy or clone does not share, so there is nothing to restore
    // not ported: tcp_rbtree_insert — the retransmit queue is an ordered sk_buff_head in the port (appended
    //   in sequence order), not an rbtree
    // not ported: __skb_header_release — the port's clones share one buffer object and keep no nohdr/dataref
    //   split, so there is no header reference to drop
    // net/ipv4/tcp_output.c: tcp_send_synack
    /// <summary>
    /// Simultaneous open (SYN_SENT met a SYN): the SYN at the head of the
    /// retransmit queue becomes a SYN-ACK with the original ISN and is sent
    /// again. A SYN still shared with a clone in flight is first replaced by
    /// a private copy, so that the ACK flag does not reach the clone. -EFAULT
    /// when the head is not a SYN.
    /// </summary>
    public static int tcp_send_synack(sock sk)
    {
        var skb = tcp_rtx_queue_head(sk);
        if (skb is null || (TCP_SKB_CB(skb).tcp_flags & TCPHDR_SYN) == 0)
        {
            // pr_err("wrong queue state"): no kernel log in the port.
            return -errno_base_h.EFAULT;
        }

        if ((TCP_SKB_CB(skb).tcp_flags & TCPHDR_ACK) == 0)
        {
            if (Include.Linux.skbuff_h.skb_cloned(skb))
            {
                // tcp_skb_tsorted_save/restore: skb_copy does not carry the tsorted links, the copy starts off the list
                var nskb = skb_copy(skb);
                if (nskb is null)
                {
                    return -errno_base_h.ENOMEM;
                }

                tcp_highest_sack_replace(sk, skb, nskb);
                tcp_rtx_queue_unlink_and_free(skb, sk);

                // __skb_header_release: nothing to do here.
                __skb_queue_head(tcp_sk(sk).tcp_rtx_queue, nskb); // tcp_rbtree_insert: the SYN holds the lowest sequence
                Include.Net.sock_h.sk_wmem_queued_add(sk, (int)nskb.truesize);
                Include.Net.sock_h.sk_mem_charge(sk, (int)nskb.truesize);
                skb = nskb;
            }

            TCP_SKB_CB(skb).tcp_flags |= TCPHDR_ACK;
            tcp_ecn_h.tcp_ecn_send_synack(sk, skb);
        }

        return tcp_transmit_skb(sk, skb, true);
    }

    // not ported: tcp_under_memory_pressure — the simulation never enters TCP memory pressure
    //   (tcp_memory_pressure stays 0), so the branch it guards never runs
    // not ported: skb_rb_last — the retransmit queue is an ordered list in the port: its .last stands for
    //   rb_last
    // not ported: sk_gfp_mask — allocations in the simulation take no GFP flags
    // net/ipv4/tcp_output.c: tcp_send_fin
    /// <summary>
    /// Queues and sends a FIN (the socket is locked by the caller): on the
    /// last unsent skb if there is one, else as a segment of its own (ACK|FIN);
    /// either way it takes a sequence number and is pushed without Nagle.
    /// </summary>
    public static void tcp_send_fin(sock sk)
    {
        var tail = tcp_write_queue_tail(sk);
        var tp = tcp_sk(sk);

        // under memory pressure the FIN could also ride on the last sent skb: no memory pressure here
        var tskb = tail;
        if (tskb is not null)
        {
            TCP_SKB_CB(tskb).tcp_flags |= TCPHDR_FIN;
            TCP_SKB_CB(tskb).end_seq++;
            tp.write_seq++;
        }
        else
        {
            var skb = alloc_skb_fclone(sk.sk_net.k, MAX_TCP_HEADER);
            if (skb is null)
            {
                return;
            }

            skb_reserve(skb, MAX_TCP_HEADER);
            sk_forced_mem_schedule(sk, (int)skb.truesize);

            tcp_init_nondata_skb(skb, sk, tp.write_seq, TCPHDR_ACK | TCPHDR_FIN);
            tcp_queue_skb(sk, skb);
        }

        __tcp_push_pending_frames(sk, tcp_current_mss(sk), TCP_NAGLE_OFF);
    }

    // not ported: time_before, time_before_eq — the jiffies comparison is written out as a signed difference
    // not ported: tcp_delack_max — the per-socket/route delack max (TCP_BPF_DELACK_MAX, RTAX_RTO_MIN) is not
    //   ported: it is the constant TCP_DELACK_MAX
    // not ported: sk_reset_timer — the timer is armed with mod_timer directly; the socket reference
    //   sk_reset_timer takes is not counted in the port
    // not ported: icsk_delack_timeout — the deadline is read as the field icsk_ack_timeout
    // net/ipv4/tcp_output.c: tcp_send_delayed_ack
    /// <summary>
    /// Arms the delayed-ACK timer (the caller decided an ACK may wait): ato jiffies from now (ato
    /// bounded by TCP_DELACK_MAX and the RTT when it is over TCP_DELACK_MIN),
    /// unless one already armed fires sooner.
    /// </summary>
    public static void tcp_send_delayed_ack(sock sk)
    {
        var icsk = inet_csk(sk);
        var tp = tcp_sk(sk);
        var k = sk.sk_net.k;
        var ato = icsk.icsk_ack_ato;

        if (ato > TCP_DELACK_MIN)
        {
            var max_ato = (uint)(Vmlinux.HZ / 2);
            if (inet_csk_in_pingpong_mode(sk))
            {
                max_ato = TCP_DELACK_MAX;
            }

            if (tp.srtt_us != 0)
            {
                var rtt = Math.Max((uint)Include.Linux.jiffies_h.usecs_to_jiffies(tp.srtt_us >> 3), TCP_DELACK_MIN);
                if (rtt < max_ato)
                {
                    max_ato = rtt;
                }
            }

            ato = Math.Min(ato, max_ato);
        }

        ato = Math.Min(ato, TCP_DELACK_MAX); // tcp_delack_max

        var timeout = k.jiffies + ato;

        if ((icsk.icsk_ack_pending & ICSK_ACK_TIMER) != 0)
        {
            if ((long)(icsk.icsk_ack_timeout - (k.jiffies + (ato >> 2))) <= 0)
            {
                tcp_send_ack(sk);
                return;
            }

            if ((long)(timeout - icsk.icsk_ack_timeout) >= 0)
            {
                timeout = icsk.icsk_ack_timeout;
            }
        }

        icsk.icsk_ack_pending |= ICSK_ACK_SCHED | ICSK_ACK_TIMER;
        icsk.icsk_ack_timeout = timeout;
        Kernel.Time.timer_c.mod_timer(k, Include.Net.inet_connection_sock_h.inet_csk_delack_timer(sk), timeout); // sk_reset_timer
    }

    // net/ipv4/tcp_output.c: tcp_skb_collapse_tstamp
    /// <summary>Merging <paramref name="next_skb"/> into <paramref name="skb"/>: its timestamp request and key (the later last byte) come along.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    [KernelNet.Annotations.Borrows("next_skb")]
    public static void tcp_skb_collapse_tstamp(sk_buff skb, sk_buff next_skb)
    {
        if (tcp_has_tx_tstamp(next_skb))
        {
            var next_shinfo = next_skb.shinfo;
            var shinfo = skb.shinfo;

            shinfo.tx_flags |= (byte)(next_shinfo.tx_flags & skbuff_h.SKBTX_ANY_TSTAMP);
            shinfo.tskey = next_shinfo.tskey;
            TCP_SKB_CB(skb).txstamp_ack |= TCP_SKB_CB(next_skb).txstamp_ack;
        }
    }
}
