// Ports include/net/tcp_ecn.h: classic ECN (RFC 3168) for an active open —
// the SYN asks for it with ECE|CWR when net.ipv4.tcp_ecn is 1 (tcp_ecn_send_syn)
// and a SYN-ACK with ECE alone keeps it (tcp_ecn_rcv_synack); for a passive
// open, the SYN-ACK to an ECN-setup SYN carries ECE (tcp_ecn_make_synack; the
// request's ecn_ok is decided in tcp_input.c's tcp_ecn_create_request).
// not ported: Accurate ECN (tcp_ecn 3..5, the AE flag, ACE counters and the
// AccECN option) — its negotiation answers classic ECN here (a simultaneous
// open's tcp_ecn_rcv_syn and tcp_ecn_send_synack keep only their RFC 3168 half), CE marks received (tcp_ecn_check_ce), congestion
// controls that need ECN (tcp_ca_needs_ecn: none here), RTAX_FEATURE_ECN routes.
using KernelNet.Kernel.Include.Linux;
using static KernelNet.Kernel.Include.Linux.tcp_h;
using static KernelNet.Kernel.Include.Net.tcp_h;

namespace KernelNet.Kernel.Include.Net;

/// <summary>include/net/tcp_ecn.h.</summary>
public static class tcp_ecn_h
{
    public const int TCP_ECN_IN_NOECN_OUT_NOECN = 0;
    public const int TCP_ECN_IN_ECN_OUT_ECN = 1;
    public const int TCP_ECN_IN_ECN_OUT_NOECN = 2;
    public const int TCP_ECN_IN_ACCECN_OUT_ACCECN = 3;
    public const int TCP_ECN_IN_ACCECN_OUT_ECN = 4;

    // include/net/tcp_ecn.h: tcp_ecn_rcv_synack
    /// <summary>
    /// The SYN-ACK answers our ECN request: ECE alone (the classic answer)
    /// keeps RFC 3168 mode; no ECN bits, or all of them (a broken peer), turn
    /// ECN off. The AccECN answers are not ported and turn it off too.
    /// </summary>
    public static void tcp_ecn_rcv_synack(sock sk, Uapi.Linux.tcphdr th)
    {
        // not ported: INET_ECN_is_ce, tcp_accecn_ace, tcp_accecn_validate_syn_feedback, tcp_ecn_rcv_synack_accecn, tcp_ca_no_fallback_rfc3168 — AccECN is not ported; no congestion module refuses RFC 3168 fallback (as of 6.18.26)
        var tp = tcp_sk(sk);
        var flags = th.flags;
        var ace = ((flags & 0x80) != 0 ? 2 : 0) | ((flags & 0x40) != 0 ? 1 : 0); // CWR, ECE; the AE bit is not parsed

        switch (ace)
        {
            case 0x1:
                if (tcp_ecn_mode_pending(tp))
                {
                    tcp_ecn_mode_set(tp, TCP_ECN_MODE_RFC3168);
                }

                break;
            default:
                tcp_ecn_mode_set(tp, TCP_ECN_DISABLED);
                break;
        }
    }

    // include/net/tcp_ecn.h: tcp_ecn_rcv_syn
    /// <summary>
    /// Simultaneous open: the crossing SYN must itself ask for ECN (ECE and
    /// CWR both set), or the ECN our SYN asked for is off.
    /// </summary>
    public static void tcp_ecn_rcv_syn(tcp_sock tp, Uapi.Linux.tcphdr th)
    {
        // not ported: tcp_accecn_syn_requested, tcp_ecn_mode_pending, tcp_ca_no_fallback_rfc3168 — AccECN is not ported and no congestion module refuses RFC 3168 fallback (tcp_ca_no_fallback_rfc3168, as of 6.18.26)
        // not ported: the pending-AccECN branch (syn_ect_rcv, TCP_ECN_MODE_ACCECN) — AccECN is not ported, so the mode is never pending.
        var ece = (th.flags & TCPHDR_ECE) != 0;
        var cwr = (th.flags & TCPHDR_CWR) != 0;
        if (tcp_ecn_mode_rfc3168(tp) && (!ece || !cwr))
        {
            tcp_ecn_mode_set(tp, TCP_ECN_DISABLED);
        }
    }

    // include/net/tcp_ecn.h: tcp_ecn_send_synack
    /// <summary>
    /// The SYN-ACK a simultaneous open sends from its queued SYN: CWR goes,
    /// and ECE stays only while ECN is still on (the classic reply is ECE alone).
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void tcp_ecn_send_synack(sock sk, sk_buff skb)
    {
        // not ported: INET_ECN_xmit_ect_1_negotiation, tcp_accecn_reflector_flags, tcp_bpf_ca_needs_ecn — no AccECN, no congestion module needing ECN, no BPF
        var tp = tcp_sk(sk);
        TCP_SKB_CB(skb).tcp_flags = (byte)(TCP_SKB_CB(skb).tcp_flags & ~TCPHDR_CWR);
        if (tcp_ecn_disabled(tp))
        {
            TCP_SKB_CB(skb).tcp_flags = (byte)(TCP_SKB_CB(skb).tcp_flags & ~TCPHDR_ECE);
        }

        // not ported: INET_ECN_xmit for tcp_ca_needs_ecn (no congestion module of the port needs ECN); the AccECN reflector flags.
    }

    // include/net/tcp_ecn.h: tcp_ecn_send_syn
    /// <summary>
    /// An active open asks for ECN with ECE|CWR on the SYN when
    /// net.ipv4.tcp_ecn says so (1, or 4: classic ECN out); the default 2
    /// uses it only when the peer asks. The SYN itself is sent Not-ECT.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void tcp_ecn_send_syn(sock sk, sk_buff skb)
    {
        // not ported: tcp_ca_needs_accecn, INET_ECN_xmit_ect_1_negotiation, tcp_bpf_ca_needs_ecn, __sk_dst_get, dst_feature — no congestion module needs ECN or AccECN (the 6.18.26 ECT(1) negotiation never applies), no BPF, no route features
        var tp = tcp_sk(sk);
        var tcp_ecn = Netns.netns_ipv4.of(sk.sk_net).sysctl_tcp_ecn;

        // TCP_ECN_IN_ACCECN_OUT_ACCECN (3) asks for AccECN, which is not ported: it sends no ECN request here.
        var use_ecn = tcp_ecn == TCP_ECN_IN_ECN_OUT_ECN || tcp_ecn == TCP_ECN_IN_ACCECN_OUT_ECN;

        // tcp_ca_needs_ecn, tcp_bpf_ca_needs_ecn, dst_feature(RTAX_FEATURE_ECN): none in the port.
        tp.ecn_flags = 0;

        if (use_ecn)
        {
            TCP_SKB_CB(skb).tcp_flags |= TCPHDR_ECE | TCPHDR_CWR;
            tcp_ecn_mode_set(tp, TCP_ECN_MODE_RFC3168);
        }
    }

    // include/net/tcp_ecn.h: tcp_ecn_make_synack
    /// <summary>
    /// The SYN-ACK of a request whose SYN asked for ECN (ecn_ok) answers with
    /// ECE alone, the classic RFC 3168 reply. The header is being built.
    /// </summary>
    public static void tcp_ecn_make_synack(request_sock req, Uapi.Linux.tcphdr th)
    {
        // not ported: the AccECN reply (tcp_accecn_echo_syn_ect for accecn_ok) — AccECN is not ported.
        if (req.ecn_ok)
        {
            th.flags |= TCPHDR_ECE; // th->ece = 1
        }
    }
}
