// Ports net/ipv4/tcp_output.c: building and sending TCP segments — the SYN
// of an active open (tcp_connect and tcp_connect_init), the options it
// carries (tcp_syn_options, tcp_options_write), the initial window
// (tcp_select_initial_window), the SYN-ACK of a passive open
// (tcp_make_synack, tcp_synack_options), a bare ACK (tcp_send_ack with the
// timestamp option, tcp_established_options, and the window it announces,
// tcp_select_window), and __tcp_transmit_skb, which clones a queued skb,
// writes the header and hands it to IP; the FIN (tcp_send_fin, queued and
// sent by a tcp_write_xmit that only walks the write queue, counted by
// tcp_event_new_data_sent) and the delayed ACK's timer (tcp_send_delayed_ack).
// For the receiver: the SACK and D-SACK blocks of an ACK, window selection
// by the peer's MSS guess (icsk_ack.rcv_mss) with the zero-window rules
// (ICSK_ACK_NOMEM, TCPToZeroWindowAdv/TCPFromZeroWindowAdv, pred_flags off),
// quick-ACK accounting (tcp_event_ack_sent), the abort's RST
// (tcp_send_active_reset), sk_forced_mem_schedule.
//
// not ported yet: data (tcp_write_xmit's window, Nagle, TSO/GSO, pacing,
// TSQ: tcp_wfree is sock_wfree's accounting here), a FIN tacked onto an
// unsent segment, retransmission (__tcp_retransmit_skb), window shrinking (tcp_shrink_window), SYN-ACK
// retransmission, SYN cookies, fast open, MD5/AO, ECN, MTU probing,
// compressed SACKs. The checksum is
// computed in software (CHECKSUM_NONE) rather than left to the device.
using System;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Include.Linux.tcp_h;
using static KernelNet.Kernel.Include.Net.dst_h;
using static KernelNet.Kernel.Include.Net.inet_connection_sock_h;
using static KernelNet.Kernel.Include.Net.sock_h;
using static KernelNet.Kernel.Include.Net.tcp_h;
using static KernelNet.Kernel.Net.Core.skbuff_c;

namespace KernelNet.Kernel.Net.Ipv4;

/// <summary>struct tcp_out_options: what the options of one segment say.</summary>
public sealed class tcp_out_options
{
    public ushort options { get; set; }

    public byte ws { get; set; }

    public ushort mss { get; set; }

    public uint tsval { get; set; }

    public uint tsecr { get; set; }

    /// <summary>num_sack_blocks: SACK (and D-SACK) blocks this segment reports.</summary>
    public int num_sack_blocks { get; set; }
}

public static class tcp_output_c
{
    /// <summary>OPTION_* bits of tcp_out_options.options.</summary>
    private const ushort OPTION_SACK_ADVERTISE = 1 << 0;
    private const ushort OPTION_TS = 1 << 1;
    private const ushort OPTION_WSCALE = 1 << 3;

    /// <summary>MAX_TCP_HEADER: room for the TCP header, options and everything below (L1_CACHE_ALIGN(128 + MAX_HEADER)).</summary>
    public const int MAX_TCP_HEADER = 320;

    // net/ipv4/tcp_output.c: tcp_mstamp_refresh
    /// <summary>tcp_mstamp: now, in µs (tcp_clock_cache is not kept apart).</summary>
    public static void tcp_mstamp_refresh(tcp_sock tp)
    {
        var val = tcp_clock_us(tp.sk.sk_net.k);
        if (val > tp.tcp_mstamp)
        {
            tp.tcp_mstamp = val;
        }
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
    private static void tcp_options_write(Span<byte> ptr, tcp_sock tp, tcp_out_options opts)
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
    }

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
    private static int tcp_syn_options(sock sk, sk_buff skb, tcp_out_options opts)
    {
        var tp = tcp_sk(sk);
        var ipv4 = Include.Net.Netns.netns_ipv4.of(sk.sk_net);
        var remaining = MAX_TCP_OPTION_SPACE;

        // No MD5 or AO keys.
        var timestamps = ipv4.sysctl_tcp_timestamps != 0;

        // We always get an MSS option; the timestamp bytes of data segments are
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

        // Fast open, SMC, MPTCP, AccECN, BPF header options: not ported.
        return MAX_TCP_OPTION_SPACE - remaining;
    }

    // net/ipv4/tcp_output.c: __tcp_transmit_skb
    /// <summary>
    /// Sends <paramref name="oskb"/>: a clone of it (the original stays queued
    /// for retransmission) gets the TCP header and options, charged to the
    /// socket, counted in OutSegs if it carries new sequence space or none, and
    /// goes to ip_queue_xmit. Only SYNs are sent yet.
    /// </summary>
    private static int __tcp_transmit_skb(sock sk, sk_buff oskb, bool clone_it, uint rcv_nxt)
    {
        var inet = inet_sock_h.inet_sk(sk);
        var tp = tcp_sk(sk);
        var opts = new tcp_out_options();
        sk_buff skb;

        // skb_mstamp_ns: the send time, which the timestamp option carries.
        oskb.tstamp = (long)(tp.tcp_mstamp * 1000);
        if (clone_it)
        {
            var clone = skb_clone(oskb);
            if (clone is null)
            {
                return -errno_h.ENOBUFS;
            }

            skb = clone;
        }
        else
        {
            skb = oskb;
        }

        var tcb = TCP_SKB_CB(skb);
        int tcp_options_size;
        if ((tcb.tcp_flags & TCPHDR_SYN) != 0)
        {
            tcp_options_size = tcp_syn_options(sk, skb, opts);
        }
        else
        {
            tcp_options_size = tcp_established_options(sk, skb, opts);
        }

        var tcp_header_size = tcp_options_size + tcphdr.Size;

        skb_push(skb, tcp_header_size);
        skb_reset_transport_header(skb);

        skb_orphan(skb);
        Core.sock_c.skb_set_owner_w(skb, sk); // tcp_wfree's accounting (TSQ is not ported)

        var th = tcp_hdr(skb);
        th.source = inet.inet_sport;
        th.dest = inet.inet_dport;
        th.seq = tcb.seq;
        th.ack_seq = rcv_nxt;
        th.doff = tcp_header_size >> 2;
        th.flags = tcb.tcp_flags;
        th.check = 0;
        th.urg_ptr = 0;

        if ((tcb.tcp_flags & TCPHDR_SYN) != 0)
        {
            th.window = (ushort)Math.Min(tp.rcv_wnd, 65535U);
        }
        else
        {
            th.window = (ushort)tcp_select_window(sk);
        }

        tcp_options_write(skb.head.AsSpan(skb.transport_header + tcphdr.Size, tcp_options_size), tp, opts);

        // icsk_af_ops->send_check: tcp_v4_send_check.
        tcp_ipv4_c.tcp_v4_send_check(sk, skb);

        if ((tcb.tcp_flags & TCPHDR_ACK) != 0)
        {
            tcp_event_ack_sent(sk, rcv_nxt);
        }

        // Data: tcp_event_data_sent (none).
        if (after(tcb.end_seq, tp.snd_nxt) || tcb.seq == tcb.end_seq)
        {
            TCP_ADD_STATS(sk.sk_net, tcp_mib_field.TCP_MIB_OUTSEGS, 1);
        }

        tp.segs_out++;

        // below TCP the skb's control block is IP's (IPCB): clear TCP's from it
        skb.cb_obj = new inet_skb_parm();
        skb.tstamp = 0;

        var err = ip_output_c.ip_queue_xmit(sk, skb, inet.cork_fl);
        if (err > 0)
        {
            // net_xmit_eval: congestion notification is not an error.
            err = err == netdevice_h.NET_XMIT_CN ? 0 : err;
        }

        return err;
    }

    // net/ipv4/tcp_output.c: tcp_transmit_skb
    private static int tcp_transmit_skb(sock sk, sk_buff skb, bool clone_it) => __tcp_transmit_skb(sk, skb, clone_it, tcp_sk(sk).rcv_nxt);

    // net/ipv4/tcp_output.c: tcp_mtu_to_mss
    /// <summary>The MSS of a path MTU: minus the IP and TCP headers (and the TCP options every segment carries), at least 48.</summary>
    private static int tcp_mtu_to_mss(sock sk, int pmtu)
    {
        var tp = tcp_sk(sk);
        var icsk = inet_csk(sk);
        var mss_now = pmtu - iphdr_size - tcphdr.Size;
        if (mss_now > tp.rx_opt.mss_clamp)
        {
            mss_now = tp.rx_opt.mss_clamp;
        }

        mss_now -= icsk.icsk_ext_hdr_len;
        mss_now = Math.Max(mss_now, 48); // net.ipv4.tcp_min_snd_mss
        return mss_now - ((int)tp.tcp_header_len - tcphdr.Size);
    }

    private const int iphdr_size = 20;

    // net/ipv4/tcp_output.c: tcp_mtup_init
    /// <summary>MTU probing (net.ipv4.tcp_mtu_probing 0): nothing to set up.</summary>
    private static void tcp_mtup_init(sock sk)
    {
    }

    // net/ipv4/tcp_output.c: tcp_sync_mss
    /// <summary>mss_cache from the path MTU.</summary>
    public static uint tcp_sync_mss(sock sk, uint pmtu)
    {
        var tp = tcp_sk(sk);
        var mss_now = tcp_mtu_to_mss(sk, (int)pmtu);

        // tcp_bound_to_half_wnd: max_window is 0 before the handshake.
        inet_csk(sk).icsk_pmtu_cookie = pmtu;
        tp.mss_cache = (uint)mss_now;
        return (uint)mss_now;
    }

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

        // tcp_initialize_rcv_mss: rcv_mss is not modelled until data arrives.
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

    // net/ipv4/tcp_output.c: tcp_connect_queue_skb
    /// <summary>The SYN takes its sequence number: write_seq moves past it, and it counts as in flight.</summary>
    private static void tcp_connect_queue_skb(sock sk, sk_buff skb)
    {
        var tp = tcp_sk(sk);
        var tcb = TCP_SKB_CB(skb);
        tcb.end_seq += (uint)skb.len;

        // __skb_header_release; sk_wmem_queued_add and sk_mem_charge: TCP memory accounting is not ported.
        tp.write_seq = tcb.end_seq;
        tp.packets_out += 1;
    }

    // net/ipv4/tcp_output.c: tcp_init_nondata_skb
    /// <summary>A segment without data: its flags and sequence range (SYN and FIN take one number).</summary>
    private static void tcp_init_nondata_skb(sk_buff skb, sock sk, uint seq, byte flags)
    {
        skb.ip_summed = CHECKSUM_NONE; // CHECKSUM_PARTIAL in C: no offload here
        var cb = TCP_SKB_CB(skb);
        cb.tcp_flags = flags;
        cb.seq = seq;
        if ((flags & (TCPHDR_SYN | TCPHDR_FIN)) != 0)
        {
            seq++;
        }

        cb.end_seq = seq;
    }

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

        // tcp_ecn_send_syn: net.ipv4.tcp_ecn 2 asks for ECN only when the peer does.
        __skb_queue_tail(tp.tcp_rtx_queue, buff); // tcp_rbtree_insert

        // Send off SYN; include data in Fast Open (not ported).
        var err = tcp_transmit_skb(sk, buff, true);
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
    private static int tcp_established_options(sock sk, sk_buff? skb, tcp_out_options opts)
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
    private static int tcp_synack_options(sock sk, request_sock req, uint mss, sk_buff skb, tcp_out_options opts)
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

        // Fast open, SMC, MPTCP, AccECN, BPF: not ported.
        return MAX_TCP_OPTION_SPACE - remaining;
    }

    // net/ipv4/tcp_output.c: tcp_make_synack
    /// <summary>
    /// The SYN-ACK for a request sock, on its route: our ISN, acknowledging
    /// the SYN, the request's window (never scaled) and options, stamped now.
    /// Counts OutSegs. The caller checksums and sends it.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "tcp_ao_synack_no_key: TCP-AO is not ported (no keys, so the tracepoint's condition never holds)")]
    public static sk_buff? tcp_make_synack(sock sk, dst_entry dst, request_sock req, sk_buff syn_skb)
    {
        var opts = new tcp_out_options();
        var skb = alloc_skb(sk.sk_net.k, MAX_TCP_HEADER);
        if (skb is null)
        {
            return null;
        }

        skb_reserve(skb, MAX_TCP_HEADER);

        // TCP_SYNACK_NORMAL: skb_set_owner_edemux — the request sock owns it without charging memory.
        skb.sk = request_sock_h.req_to_sk(req);
        skb.dst = dst; // skb_dst_set

        var mss = tcp_mss_clamp(tcp_sk(sk), (ushort)route_c.ipv4_default_advmss(dst));

        var now = tcp_clock_ns(sk.sk_net.k);
        skb.tstamp = (long)now; // skb_set_delivery_time: the SYN-ACK's send time
        req.snt_synack = now / 1000; // tcp_skb_timestamp_us

        // MD5/AO keys: none.
        skb.tstamp = (long)now;
        var tcp_header_size = tcp_synack_options(sk, req, mss, skb, opts) + tcphdr.Size;

        skb_push(skb, tcp_header_size);
        skb_reset_transport_header(skb);

        var th = tcp_hdr(skb);
        th.flags = TCPHDR_SYN | TCPHDR_ACK; // tcp_ecn_make_synack: no ECN
        th.source = req.ir_num;
        th.dest = req.ir_rmt_port;
        skb.mark = sk.sk_mark; // ireq->ir_mark
        skb.ip_summed = CHECKSUM_NONE; // CHECKSUM_PARTIAL in C: the checksum is computed in software here
        th.seq = req.snt_isn;

        th.ack_seq = req.rcv_nxt;

        th.window = (ushort)Math.Min(req.rsk_rcv_wnd, 65535U);
        tcp_options_write(skb.head.AsSpan(skb.transport_header + tcphdr.Size, tcp_header_size - tcphdr.Size), tcp_sk(sk), opts);
        th.doff = tcp_header_size >> 2;
        TCP_INC_STATS(sk.sk_net, tcp_mib_field.TCP_MIB_OUTSEGS);

        // IP reads the control block as IPCB from here on: clear TCP's so a tap does not see stale fields
        skb.cb_obj = new inet_skb_parm();
        skb.tstamp = 0;
        return skb;
    }

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

        // a pure ACK is kept out of small-queue and pacing accounting (skb_set_tcp_pure_ack, not modelled);
        // transmitting it cancels any delayed ACK
        __tcp_transmit_skb(sk, buff, false, rcv_nxt);
    }

    // net/ipv4/tcp_output.c: tcp_send_ack
    public static void tcp_send_ack(sock sk) => __tcp_send_ack(sk, tcp_sk(sk).rcv_nxt);

    // net/ipv4/tcp_output.c: tcp_event_new_data_sent
    /// <summary>A segment left for the first time: it moves to the retransmit queue, snd_nxt past it, counts as in flight and in TCPOrigDataSent; the first in flight arms the retransmit timer.</summary>
    private static void tcp_event_new_data_sent(sock sk, sk_buff skb)
    {
        var tp = tcp_sk(sk);
        var prior_packets = tp.packets_out;
        tp.snd_nxt = TCP_SKB_CB(skb).end_seq;

        // __skb_unlink + tcp_rbtree_insert
        Include.Linux.skbuff_h.__skb_unlink(skb, sk.sk_write_queue);
        __skb_queue_tail(tp.tcp_rtx_queue, skb);
        tp.packets_out += 1; // tcp_skb_pcount
        if (prior_packets == 0)
        {
            // tcp_rearm_rto
            tcp_reset_xmit_timer(sk, ICSK_TIME_RETRANS, inet_csk(sk).icsk_rto, false);
        }

        Include.Net.ip_h.NET_ADD_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPORIGDATASENT, 1);
        // tcp_check_space... no data: nothing else.
    }

    // net/ipv4/tcp_output.c: tcp_write_xmit
    /// <summary>Sends what the write queue holds (only FINs get there yet): no congestion window, Nagle, TSO or pacing checks.</summary>
    private static bool tcp_write_xmit(sock sk, uint mss_now, int nonagle, int push_one, int gfp)
    {
        var tp = tcp_sk(sk);
        tcp_mstamp_refresh(tp);
        while (tcp_send_head(sk) is { } skb)
        {
            if (tcp_transmit_skb(sk, skb, true) != 0)
            {
                break;
            }

            tcp_event_new_data_sent(sk, skb);
        }

        _ = mss_now;
        _ = nonagle;
        _ = push_one;
        _ = gfp;
        return false;
    }

    // net/ipv4/tcp_output.c: tcp_queue_skb
    /// <summary>Queues a segment at the tail of the write queue; write_seq moves past it.</summary>
    private static void tcp_queue_skb(sock sk, sk_buff skb)
    {
        var tp = tcp_sk(sk);

        tp.write_seq = TCP_SKB_CB(skb).end_seq;
        __skb_queue_tail(sk.sk_write_queue, skb); // tcp_add_write_queue_tail
    }

    // net/ipv4/tcp_output.c: tcp_send_active_reset
    /// <summary>
    /// Aborts the connection to the peer: a RST|ACK at an acceptable
    /// sequence, with the connection's options (timestamps), sent once and
    /// never retransmitted; OutRsts counts it. The reason (rstreason.h)
    /// only feeds the tcp_send_reset tracepoint, which is not ported.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "tcp_send_reset: the tcp: reset tracepoints are not ported yet (the recordings do not enable them)")]
    public static void tcp_send_active_reset(sock sk)
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
    }

    // net/ipv4/tcp_output.c: sk_forced_mem_schedule
    /// <summary>Charges <paramref name="size"/> to the forward allocation whatever the limits: a FIN, or the one segment a socket may always queue.</summary>
    public static void sk_forced_mem_schedule(sock sk, int size)
    {
        var delta = size - sk.sk_forward_alloc;
        if (delta <= 0)
        {
            return;
        }

        var amt = sk_mem_pages(delta);
        sk_forward_alloc_add(sk, amt * SK_MEM_QUANTUM);

        // sk_memory_allocated_add: no protocol-wide accounting.
    }

    // net/ipv4/tcp_output.c: tcp_send_fin
    /// <summary>
    /// Queues and sends a FIN (the socket is locked by the caller). With nothing unsent to
    /// tack it onto, a segment of its own (ACK|FIN), taking a sequence number,
    /// queued and pushed at once.
    /// </summary>
    public static void tcp_send_fin(sock sk)
    {
        var tp = tcp_sk(sk);

        // the FIN could ride on an unsent data segment, but no data is queued yet
        var skb = alloc_skb(sk.sk_net.k, MAX_TCP_HEADER); // alloc_skb_fclone
        if (skb is null)
        {
            return;
        }

        skb_reserve(skb, MAX_TCP_HEADER);

        tcp_init_nondata_skb(skb, sk, tp.write_seq, TCPHDR_ACK | TCPHDR_FIN);
        tcp_queue_skb(sk, skb);

        tcp_write_xmit(sk, tp.mss_cache, 0, 0, 0);
    }

    // net/ipv4/tcp_output.c: tcp_send_active_reset
    /// <summary>
    /// Aborts the connection on the wire: a bare RST|ACK at the acceptable
    /// sequence, never retransmitted (tcp_disconnect of a synchronized socket,
    /// a listener's close resetting its unaccepted children). Counts OutRsts.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "tcp_send_reset: the tcp: tracepoints are not ported yet (the recordings do not enable them)")]
    public static void tcp_send_active_reset(sock sk)
    {
        Include.Net.tcp_h.TCP_INC_STATS(sk.sk_net, tcp_mib_field.TCP_MIB_OUTRSTS);

        var skb = alloc_skb(sk.sk_net.k, MAX_TCP_HEADER);
        if (skb is null)
        {
            Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPABORTFAILED);
            return;
        }

        skb_reserve(skb, MAX_TCP_HEADER);
        tcp_init_nondata_skb(skb, sk, tcp_acceptable_seq(sk), TCPHDR_ACK | TCPHDR_RST);
        tcp_mstamp_refresh(tcp_sk(sk));
        if (tcp_transmit_skb(sk, skb, false) != 0)
        {
            Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPABORTFAILED);
        }
    }

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
        Kernel.Time.timer_c.mod_timer(k, icsk.icsk_delack_timer!, timeout); // sk_reset_timer
    }
}
