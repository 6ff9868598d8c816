// Ports net/netfilter/nf_conntrack_proto_tcp.c: TCP state tracking. Each
// packet moves the connection through tcp_conntracks (indexed by direction,
// the packet's SYN/SYN-ACK/FIN/ACK/RST class and the old state) and is
// checked against both directions' windows (tcp_in_window, after Guido van
// Rooij's "Real Stateful TCP Packet Filtering"): a segment outside them is
// INVALID (no conntrack, ctstate INVALID), and the state's timeout is set.
//
// not ported: SYN proxy, NAT sequence adjustment (nf_ct_seq_offset is 0
// without helpers), the netlink and timeout-policy interfaces, the
// invalid-packet log (see nf_conntrack_proto.cs).
using System;
using System.Buffers.Binary;
using System.Collections.Immutable;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Linux.Netfilter;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Net.Netfilter;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.Linux.Netfilter;
using static KernelNet.Kernel.Include.Linux.netfilter_h;
using static KernelNet.Kernel.Include.Net.Netfilter.nf_conntrack_h;
using static KernelNet.Kernel.Include.Net.Netfilter.nf_conntrack_l4proto_h;
using static KernelNet.Kernel.Include.Net.tcp_h;
using static KernelNet.Kernel.Include.Uapi.Linux.Netfilter.nf_conntrack_common_h;
using static KernelNet.Kernel.Include.Uapi.Linux.Netfilter.nf_conntrack_tcp_h;
using static KernelNet.Kernel.Include.Uapi.Linux.Netfilter.nf_conntrack_tuple_common_h;
using static KernelNet.Kernel.Include.Uapi.Linux.Netfilter.tcp_conntrack;

namespace KernelNet.Kernel.Net.Netfilter;

public static class nf_conntrack_proto_tcp_c
{
    /// <summary>tcp_conntrack_names: what /proc/net/nf_conntrack prints for each state.</summary>
    public static readonly ImmutableArray<string> tcp_conntrack_names = ImmutableArray.Create(
        "NONE", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT", "CLOSE_WAIT", "LAST_ACK", "TIME_WAIT", "CLOSE", "SYN_SENT2");

    /// <summary>enum nf_ct_tcp_action.</summary>
    private enum nf_ct_tcp_action
    {
        NFCT_TCP_IGNORE,
        NFCT_TCP_INVALID,
        NFCT_TCP_ACCEPT,
    }

    /// <summary>enum tcp_bit_set: the packet's class for the state table.</summary>
    private const byte TCP_SYN_SET = 0;
    private const byte TCP_SYNACK_SET = 1;
    private const byte TCP_FIN_SET = 2;
    private const byte TCP_ACK_SET = 3;
    private const byte TCP_RST_SET = 4;
    private const byte TCP_NONE_SET = 5;

    /// <summary>tcp_timeouts, in seconds (times HZ when a namespace is set up).</summary>
    private static ReadOnlySpan<uint> tcp_timeouts_secs => new uint[]
    {
        0, 2 * 60, 60, 5 * 24 * 3600, 2 * 60, 60, 30, 2 * 60, 10, 2 * 60, 0, 0, 5 * 60, 5 * 60,
    };


    /// <summary>tcp_conntracks[dir][index][old state], flattened: the new state (sIV invalid, sIG ignored).</summary>
    private static ReadOnlySpan<byte> tcp_conntracks_flat => new byte[]
    {
        // ORIGINAL   sNO  sSS  sSR  sES  sFW  sCW  sLA  sTW  sCL  sS2
        /* syn    */ 1,   1,   11,  11,  11,  11,  11,  1,   1,   9,
        /* synack */ 10,  10,  2,   10,  10,  10,  10,  10,  10,  2,
        /* fin    */ 10,  10,  4,   4,   6,   6,   6,   7,   8,   10,
        /* ack    */ 3,   10,  3,   3,   5,   5,   7,   7,   8,   10,
        /* rst    */ 10,  8,   8,   8,   8,   8,   8,   8,   8,   8,
        /* none   */ 10,  10,  10,  10,  10,  10,  10,  10,  10,  10,

        // REPLY      sNO  sSS  sSR  sES  sFW  sCW  sLA  sTW  sCL  sS2
        /* syn    */ 10,  9,   10,  10,  10,  10,  10,  1,   10,  9,
        /* synack */ 10,  2,   11,  11,  11,  11,  11,  11,  11,  2,
        /* fin    */ 10,  10,  4,   4,   6,   6,   6,   7,   8,   10,
        /* ack    */ 10,  11,  2,   3,   5,   5,   7,   7,   8,   11,
        /* rst    */ 10,  8,   8,   8,   8,   8,   8,   8,   8,   8,
        /* none   */ 10,  10,  10,  10,  10,  10,  10,  10,  10,  10,
    };

    /// <summary>tcp_conntracks[dir][index][state].</summary>
    [KernelNet.Annotations.NotInLinux("C's three-dimensional table tcp_conntracks[dir][index][state], indexed here over a flat array")]
    private static tcp_conntrack tcp_conntracks(int dir, int index, tcp_conntrack state) =>
        (tcp_conntrack)tcp_conntracks_flat[(dir * 60) + (index * 10) + (int)state];

    private const byte TCPHDR_FIN = 0x01;
    private const byte TCPHDR_SYN = 0x02;
    private const byte TCPHDR_RST = 0x04;
    private const byte TCPHDR_PSH = 0x08;
    private const byte TCPHDR_ACK = 0x10;
    private const byte TCPHDR_URG = 0x20;
    private const byte TCPHDR_ECE = 0x40;
    private const byte TCPHDR_CWR = 0x80;

    /// <summary>The fields of the TCP header the tracker reads (struct tcphdr, host order).</summary>
    private readonly struct tcph_view
    {
        public tcph_view(ReadOnlySpan<byte> b)
        {
            seq = BinaryPrimitives.ReadUInt32BigEndian(b[4..]);
            ack_seq = BinaryPrimitives.ReadUInt32BigEndian(b[8..]);
            doff = b[12] >> 4;
            flags = b[13];
            window = BinaryPrimitives.ReadUInt16BigEndian(b[14..]);
        }

        public uint seq { get; }

        public uint ack_seq { get; }

        public int doff { get; }

        public byte flags { get; }

        public ushort window { get; }

        public bool syn => (flags & TCPHDR_SYN) != 0;

        public bool ack => (flags & TCPHDR_ACK) != 0;

        public bool fin => (flags & TCPHDR_FIN) != 0;

        public bool rst => (flags & TCPHDR_RST) != 0;
    }

    // net/netfilter/nf_conntrack_proto_tcp.c: tcp_print_conntrack
    /// <summary>The state word /proc/net/nf_conntrack prints after the timeout.</summary>
    public static string tcp_print_conntrack(nf_conn ct) =>
        (ct.status & IPS_OFFLOAD) != 0 ? "" : tcp_conntrack_names[(int)ct.tcp.state] + " ";

    // net/netfilter/nf_conntrack_proto_tcp.c: get_conntrack_index
    private static byte get_conntrack_index(in tcph_view tcph)
    {
        if (tcph.rst)
        {
            return TCP_RST_SET;
        }

        if (tcph.syn)
        {
            return tcph.ack ? TCP_SYNACK_SET : TCP_SYN_SET;
        }

        if (tcph.fin)
        {
            return TCP_FIN_SET;
        }

        return tcph.ack ? TCP_ACK_SET : TCP_NONE_SET;
    }

    // net/netfilter/nf_conntrack_proto_tcp.c: segment_seq_plus_len
    private static uint segment_seq_plus_len(uint seq, int len, int dataoff, in tcph_view tcph) =>
        (uint)(seq + len - dataoff - tcph.doff * 4 + (tcph.syn ? 1 : 0) + (tcph.fin ? 1 : 0));

    // net/netfilter/nf_conntrack_proto_tcp.c: MAXACKWINDOW
    /// <summary>MAXACKWINDOW(sender): at least 66000.</summary>
    private static uint MAXACKWINDOW(in ip_ct_tcp_state sender) => sender.td_maxwin > 66000 ? sender.td_maxwin : 66000;

    // net/netfilter/nf_conntrack_proto_tcp.c: tcp_options
    /// <summary>Reads window scale and SACK-permitted from a SYN's options into <paramref name="state"/>.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static void tcp_options(sk_buff skb, int dataoff, in tcph_view tcph, ref ip_ct_tcp_state state)
    {
        var length = tcph.doff * 4 - 20;
        if (length <= 0)
        {
            return;
        }

        Span<byte> buff = stackalloc byte[40];
        var ptr = skbuff_h.skb_header_pointer(skb, dataoff + 20, length, buff);
        if (ptr.IsEmpty)
        {
            return;
        }

        state.td_scale = 0;
        state.flags &= IP_CT_TCP_FLAG_BE_LIBERAL;
        var i = 0;
        while (length > 0)
        {
            var opcode = ptr[i++];
            switch (opcode)
            {
                case 0: // TCPOPT_EOL
                    return;
                case 1: // TCPOPT_NOP
                    length--;
                    continue;
                default:
                    if (length < 2)
                    {
                        return;
                    }

                    var opsize = ptr[i++];
                    if (opsize < 2 || opsize > length)
                    {
                        return;
                    }

                    if (opcode == 4 && opsize == 2)
                    {
                        state.flags |= IP_CT_TCP_FLAG_SACK_PERM;
                    }
                    else if (opcode == 3 && opsize == 3)
                    {
                        state.td_scale = Math.Min(ptr[i], (byte)14);
                        state.flags |= IP_CT_TCP_FLAG_WINDOW_SCALE;
                    }

                    i += opsize - 2;
                    length -= opsize;
                    break;
            }
        }
    }

    // net/netfilter/nf_conntrack_proto_tcp.c: tcp_sack
    /// <summary>The highest right edge among the packet's SACK blocks, when above <paramref name="sack"/>.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static void tcp_sack(sk_buff skb, int dataoff, in tcph_view tcph, ref uint sack)
    {
        var length = tcph.doff * 4 - 20;
        if (length <= 0)
        {
            return;
        }

        Span<byte> buff = stackalloc byte[40];
        var ptr = skbuff_h.skb_header_pointer(skb, dataoff + 20, length, buff);
        if (ptr.IsEmpty)
        {
            return;
        }

        // the timestamp-only fast path (NOP NOP TS)
        if (length == 12 && BinaryPrimitives.ReadUInt32BigEndian(ptr) == 0x0101080a)
        {
            return;
        }

        var i = 0;
        while (length > 0)
        {
            var opcode = ptr[i++];
            switch (opcode)
            {
                case 0:
                    return;
                case 1:
                    length--;
                    continue;
                default:
                    if (length < 2)
                    {
                        return;
                    }

                    var opsize = ptr[i++];
                    if (opsize < 2 || opsize > length)
                    {
                        return;
                    }

                    if (opcode == 5 && opsize >= 2 + 8 && (opsize - 2) % 8 == 0)
                    {
                        for (var j = 0; j < opsize - 2; j += 8)
                        {
                            var tmp = BinaryPrimitives.ReadUInt32BigEndian(ptr[(i + j + 4)..]);
                            if (after(tmp, sack))
                            {
                                sack = tmp;
                            }
                        }

                        return;
                    }

                    i += opsize - 2;
                    length -= opsize;
                    break;
            }
        }
    }

    // net/netfilter/nf_conntrack_proto_tcp.c: tcp_init_sender
    /// <summary>A SYN-ACK (or simultaneous SYN) sets up its sender's window data; scaling only when both sides offered it.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static void tcp_init_sender(ref ip_ct_tcp_state sender, ref ip_ct_tcp_state receiver, sk_buff skb, int dataoff, in tcph_view tcph, uint end, uint win, ip_conntrack_dir dir)
    {
        sender.td_end = sender.td_maxend = end;
        sender.td_maxwin = win == 0 ? 1 : win;
        tcp_options(skb, dataoff, tcph, ref sender);
        if (dir == ip_conntrack_dir.IP_CT_DIR_REPLY &&
            !((sender.flags & IP_CT_TCP_FLAG_WINDOW_SCALE) != 0 && (receiver.flags & IP_CT_TCP_FLAG_WINDOW_SCALE) != 0))
        {
            sender.td_scale = 0;
            receiver.td_scale = 0;
        }
    }

    // net/netfilter/nf_conntrack_proto_tcp.c: nf_tcp_log_invalid
    /// <summary>The verdict for a window violation: ACCEPT when the sender or the namespace is liberal.</summary>
    private static nf_ct_tcp_action nf_tcp_log_invalid(nf_conn ct, in ip_ct_tcp_state sender, nf_ct_tcp_action ret)
    {
        // not ported: nf_tcp_pernet — field accessors: the port reads or sets these fields directly
        var tn = netns_ct.of(nf_ct_net(ct)).tcp;
        if ((sender.flags & IP_CT_TCP_FLAG_BE_LIBERAL) != 0 || tn.tcp_be_liberal != 0)
        {
            return nf_ct_tcp_action.NFCT_TCP_ACCEPT;
        }

        // not ported: nf_ct_l4proto_log_invalid (see nf_conntrack_proto.cs)
        return ret;
    }

    // net/netfilter/nf_conntrack_proto_tcp.c: tcp_in_window
    /// <summary>
    /// Checks the segment against both directions' windows (seq within what
    /// the receiver allowed, ack not beyond what was sent) and updates them.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static nf_ct_tcp_action tcp_in_window(nf_conn ct, ip_conntrack_dir dir, byte index, sk_buff skb, int dataoff, in tcph_view tcph)
    {
        // not ported: tcp_flag_word — the flags are read from the header view's flags byte
        var state = ct.tcp;
        ref var sender = ref state.seen[(int)dir];
        ref var receiver = ref state.seen[1 - (int)dir];
        var seq = tcph.seq;
        uint ack, sack;
        ack = sack = tcph.ack_seq;
        var win_raw = tcph.window;
        uint win = win_raw;
        var end = segment_seq_plus_len(seq, skb.len, dataoff, tcph);

        if ((receiver.flags & IP_CT_TCP_FLAG_SACK_PERM) != 0)
        {
            tcp_sack(skb, dataoff, tcph, ref sack);
        }

        // nf_ct_seq_offset: 0 (no sequence adjustment without helpers)
        if (sender.td_maxwin == 0)
        {
            if (tcph.syn)
            {
                tcp_init_sender(ref sender, ref receiver, skb, dataoff, tcph, end, win, dir);
                if (!tcph.ack)
                {
                    // simultaneous open
                    return nf_ct_tcp_action.NFCT_TCP_ACCEPT;
                }
            }
            else
            {
                // picked up mid-connection: take what the packet says
                sender.td_end = end;
                var swin = win << sender.td_scale;
                sender.td_maxwin = swin == 0 ? 1 : swin;
                sender.td_maxend = end + sender.td_maxwin;
                if (receiver.td_maxwin == 0)
                {
                    receiver.td_end = receiver.td_maxend = sack;
                }
                else if (sack == receiver.td_end + 1)
                {
                    receiver.td_end++;
                }
            }
        }
        else if (tcph.syn && after(end, sender.td_end) &&
                 (state.state == TCP_CONNTRACK_SYN_SENT || state.state == TCP_CONNTRACK_SYN_RECV))
        {
            // a reinitialised SYN (RFC 793): start this direction again
            tcp_init_sender(ref sender, ref receiver, skb, dataoff, tcph, end, win, dir);
            if (dir == ip_conntrack_dir.IP_CT_DIR_REPLY && !tcph.ack)
            {
                return nf_ct_tcp_action.NFCT_TCP_ACCEPT;
            }
        }

        if (!tcph.ack)
        {
            ack = sack = receiver.td_end;
        }
        else if ((tcph.flags & (TCPHDR_ACK | TCPHDR_RST)) == (TCPHDR_ACK | TCPHDR_RST) && ack == 0)
        {
            // broken stacks: RST|ACK with ack 0
            ack = sack = receiver.td_end;
        }

        if (tcph.rst && seq == 0 && state.state == TCP_CONNTRACK_SYN_SENT)
        {
            // RST answering a SYN
            seq = end = sender.td_end;
        }

        var seq_ok = before(seq, sender.td_maxend + 1);
        bool in_recv_win;
        if (!seq_ok)
        {
            var overshot = end - sender.td_maxend + 1;
            var ack_ok = after(sack, receiver.td_end - MAXACKWINDOW(sender) - 1);
            in_recv_win = receiver.td_maxwin != 0 && after(end, sender.td_end - receiver.td_maxwin - 1);
            if (in_recv_win && ack_ok && overshot <= receiver.td_maxwin && before(sack, receiver.td_end + 1))
            {
                // a sender that overshot the window: note the data, let the ruleset decide
                sender.td_end = end;
                sender.flags |= IP_CT_TCP_FLAG_DATA_UNACKNOWLEDGED;
                return nf_tcp_log_invalid(ct, sender, nf_ct_tcp_action.NFCT_TCP_IGNORE);
            }

            // SEQ is over the upper bound (beyond the receiver's window)
            return nf_tcp_log_invalid(ct, sender, nf_ct_tcp_action.NFCT_TCP_INVALID);
        }

        if (!before(sack, receiver.td_end + 1))
        {
            // ACK is over the upper bound (ACKed data not seen yet)
            return nf_tcp_log_invalid(ct, sender, nf_ct_tcp_action.NFCT_TCP_INVALID);
        }

        in_recv_win = receiver.td_maxwin == 0 || after(end, sender.td_end - receiver.td_maxwin - 1);
        if (!in_recv_win)
        {
            // SEQ under the lower bound: already ACKed data retransmitted
            return nf_tcp_log_invalid(ct, sender, nf_ct_tcp_action.NFCT_TCP_IGNORE);
        }

        if (!after(sack, receiver.td_end - MAXACKWINDOW(sender) - 1))
        {
            return nf_tcp_log_invalid(ct, sender, nf_ct_tcp_action.NFCT_TCP_IGNORE);
        }

        if (!tcph.syn)
        {
            win <<= sender.td_scale;
        }

        var swin2 = win + (sack - ack);
        if (sender.td_maxwin < swin2)
        {
            sender.td_maxwin = swin2;
        }

        if (after(end, sender.td_end))
        {
            sender.td_end = end;
            sender.flags |= IP_CT_TCP_FLAG_DATA_UNACKNOWLEDGED;
        }

        if (tcph.ack)
        {
            if ((sender.flags & IP_CT_TCP_FLAG_MAXACK_SET) == 0)
            {
                sender.td_maxack = ack;
                sender.flags |= IP_CT_TCP_FLAG_MAXACK_SET;
            }
            else if (after(ack, sender.td_maxack))
            {
                sender.td_maxack = ack;
            }
        }

        if (receiver.td_maxwin != 0 && after(end, sender.td_maxend))
        {
            receiver.td_maxwin += end - sender.td_maxend;
        }

        if (after(sack + win, receiver.td_maxend - 1))
        {
            receiver.td_maxend = sack + win;
            if (win == 0)
            {
                receiver.td_maxend++;
            }
        }

        if (ack == receiver.td_end)
        {
            receiver.flags = (byte)(receiver.flags & ~IP_CT_TCP_FLAG_DATA_UNACKNOWLEDGED);
        }

        // retransmissions: the same ACK-class packet again
        if (index == TCP_ACK_SET)
        {
            if (state.last_dir == dir && state.last_seq == seq && state.last_ack == ack && state.last_end == end && state.last_win == win_raw)
            {
                state.retrans++;
            }
            else
            {
                state.last_dir = dir;
                state.last_seq = seq;
                state.last_ack = ack;
                state.last_end = end;
                state.last_win = win_raw;
                state.retrans = 0;
            }
        }

        return nf_ct_tcp_action.NFCT_TCP_ACCEPT;
    }

    // net/netfilter/nf_conntrack_proto_tcp.c: nf_tcp_handle_invalid
    /// <summary>An out-of-window FIN/RST answering the other side's FIN/RST shortens an assured entry's life to the unacked timeout.</summary>
    private static void nf_tcp_handle_invalid(nf_conn ct, ip_conntrack_dir dir, byte index)
    {
        // not ported: nf_ct_l4proto_log_invalid — it logs only when net.netfilter.nf_conntrack_log_invalid is set, and the port keeps it at its default 0 (sysctl_log_invalid, never written): nothing is logged
        // not ported: nf_ct_timeout_lookup — no conntrack extensions: helpers, expectations, events, zones, timeout policies, accounting, timestamps, labels, seqadj, synproxy
        // not ported: nf_tcp_pernet — field accessors: the port reads or sets these fields directly
        if ((ct.status & IPS_ASSURED) == 0 || (ct.status & IPS_FIXED_TIMEOUT) != 0)
        {
            return;
        }

        if (index != TCP_RST_SET && index != TCP_FIN_SET)
        {
            return;
        }

        if (ct.tcp.last_dir != dir && (ct.tcp.last_index == TCP_FIN_SET || ct.tcp.last_index == TCP_RST_SET))
        {
            var expires = nf_ct_expires(ct);
            if (expires < 120 * (uint)Vmlinux.HZ)
            {
                return;
            }

            var timeout = netns_ct.of(nf_ct_net(ct)).tcp.timeouts[(int)TCP_CONNTRACK_UNACK];
            if (expires > timeout)
            {
                ct.timeout = timeout + nfct_time_stamp(nf_ct_net(ct));
            }
        }
        else
        {
            ct.tcp.last_index = index;
            ct.tcp.last_dir = dir;
        }
    }

    /// <summary>tcp_valid_flags: the legal SYN/RST/FIN/ACK/URG combinations (PSH, ECE, CWR are always allowed).</summary>
    [KernelNet.Annotations.NotInLinux("C's table tcp_valid_flags[], written as a switch")]
    private static bool tcp_valid_flags(byte tcpflags) => tcpflags switch
    {
        TCPHDR_SYN or TCPHDR_SYN | TCPHDR_URG or TCPHDR_SYN | TCPHDR_ACK or TCPHDR_RST or TCPHDR_RST | TCPHDR_ACK
            or TCPHDR_FIN | TCPHDR_ACK or TCPHDR_FIN | TCPHDR_ACK | TCPHDR_URG or TCPHDR_ACK or TCPHDR_ACK | TCPHDR_URG => true,
        _ => false,
    };

    // net/netfilter/nf_conntrack_proto_tcp.c: tcp_error
    /// <summary>Truncated, corrupt (checked at PRE_ROUTING) or with an illegal flag combination: invalid.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static bool tcp_error(in tcph_view th, sk_buff skb, int dataoff, nf_hook_state state)
    {
        // not ported: tcp_error_log — it logs only when net.netfilter.nf_conntrack_log_invalid is set, and the port keeps it at its default 0 (sysctl_log_invalid, never written): nothing is logged
        // not ported: tcp_flag_byte — the flags are read from the header view's flags byte
        var tcplen = skb.len - dataoff;
        if (th.doff * 4 < 20 || tcplen < th.doff * 4)
        {
            return true;
        }

        if (netns_ct.of(state.net).sysctl_checksum != 0 && state.hook == nf_inet_hooks.NF_INET_PRE_ROUTING &&
            utils_c.nf_checksum(skb, state.hook, dataoff, Include.Uapi.Linux.in_h.IPPROTO_TCP, state.pf) != 0)
        {
            return true;
        }

        var tcpflags = (byte)(th.flags & ~(TCPHDR_ECE | TCPHDR_CWR | TCPHDR_PSH));
        return !tcp_valid_flags(tcpflags);
    }

    // net/netfilter/nf_conntrack_proto_tcp.c: tcp_new
    /// <summary>Sets up a new entry: a SYN starts SYN_SENT; anything else is picked up mid-connection when nf_conntrack_tcp_loose allows.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static bool tcp_new(nf_conn ct, sk_buff skb, int dataoff, in tcph_view th)
    {
        // not ported: nf_tcp_pernet — field accessors: the port reads or sets these fields directly
        // not ported: tcp_error_log — it logs only when net.netfilter.nf_conntrack_log_invalid is set, and the port keeps it at its default 0 (sysctl_log_invalid, never written): nothing is logged
        var tn = netns_ct.of(nf_ct_net(ct)).tcp;
        var new_state = tcp_conntracks(0, get_conntrack_index(th), TCP_CONNTRACK_NONE);
        if (new_state >= TCP_CONNTRACK_MAX)
        {
            return false;
        }

        if (new_state == TCP_CONNTRACK_SYN_SENT)
        {
            ct.tcp.clear();
            ref var s0 = ref ct.tcp.seen[0];
            s0.td_end = segment_seq_plus_len(th.seq, skb.len, dataoff, th);
            s0.td_maxwin = th.window;
            if (s0.td_maxwin == 0)
            {
                s0.td_maxwin = 1;
            }

            s0.td_maxend = s0.td_end;
            tcp_options(skb, dataoff, th, ref s0);
        }
        else if (tn.tcp_loose == 0)
        {
            return false;
        }
        else
        {
            ct.tcp.clear();
            ref var s0 = ref ct.tcp.seen[0];
            s0.td_end = segment_seq_plus_len(th.seq, skb.len, dataoff, th);
            s0.td_maxwin = th.window;
            if (s0.td_maxwin == 0)
            {
                s0.td_maxwin = 1;
            }

            s0.td_maxend = s0.td_end + s0.td_maxwin;

            // mid-connection: assume SACK and check the window liberally
            ct.tcp.seen[0].flags = ct.tcp.seen[1].flags = IP_CT_TCP_FLAG_SACK_PERM | IP_CT_TCP_FLAG_BE_LIBERAL;
        }

        ct.tcp.last_index = TCP_NONE_SET;
        return true;
    }

    // net/netfilter/nf_conntrack_proto_tcp.c: tcp_can_early_drop
    internal static bool tcp_can_early_drop(nf_conn ct) =>
        ct.tcp.state is TCP_CONNTRACK_FIN_WAIT or TCP_CONNTRACK_LAST_ACK or TCP_CONNTRACK_TIME_WAIT or TCP_CONNTRACK_CLOSE or TCP_CONNTRACK_CLOSE_WAIT;

    // net/netfilter/nf_conntrack_proto_tcp.c: nf_ct_tcp_state_reset
    private static void nf_ct_tcp_state_reset(ref ip_ct_tcp_state state)
    {
        state.td_end = 0;
        state.td_maxend = 0;
        state.td_maxwin = 0;
        state.td_maxack = 0;
        state.td_scale = 0;
        state.flags &= IP_CT_TCP_FLAG_BE_LIBERAL;
    }

    // net/netfilter/nf_conntrack_proto_tcp.c: nf_conntrack_tcp_packet
    /// <summary>
    /// Moves the connection's state for this packet and sets its timeout;
    /// -NF_ACCEPT marks the packet invalid, -NF_REPEAT asks the core to
    /// start a fresh entry (a closed connection reopened).
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static int nf_conntrack_tcp_packet(nf_conn ct, sk_buff skb, int dataoff, ip_conntrack_info ctinfo, nf_hook_state state)
    {
        // not ported: nf_conntrack_event_cache, nf_ct_timeout_lookup, nfct_synproxy — no conntrack extensions: helpers, expectations, events, zones, timeout policies, accounting, timestamps, labels, seqadj, synproxy
        // not ported: nf_ct_l4proto_log_invalid — it logs only when net.netfilter.nf_conntrack_log_invalid is set, and the port keeps it at its default 0 (sysctl_log_invalid, never written): nothing is logged
        // not ported: nf_tcp_pernet — field accessors: the port reads or sets these fields directly
        var tn = netns_ct.of(nf_ct_net(ct)).tcp;
        Span<byte> buf = stackalloc byte[20];
        var raw = skbuff_h.skb_header_pointer(skb, dataoff, 20, buf);
        if (raw.IsEmpty)
        {
            return -(int)NF_ACCEPT;
        }

        var th = new tcph_view(raw);
        if (tcp_error(th, skb, dataoff, state))
        {
            return -(int)NF_ACCEPT;
        }

        if (!nf_ct_is_confirmed(ct) && !tcp_new(ct, skb, dataoff, th))
        {
            return -(int)NF_ACCEPT;
        }

        // spin_lock_bh(&ct->lock): the tracker's state is per connection (one thread here)
        var old_state = ct.tcp.state;
        var dir = CTINFO2DIR(ctinfo);
        var index = get_conntrack_index(th);
        var new_state = tcp_conntracks((int)dir, index, old_state);

        switch (new_state)
        {
            case TCP_CONNTRACK_SYN_SENT:
                if (old_state < TCP_CONNTRACK_TIME_WAIT)
                {
                    break;
                }

                // reopening a closed or aborted connection: kill the old entry and look again
                if (((ct.tcp.seen[(int)dir].flags | ct.tcp.seen[1 - (int)dir].flags) & IP_CT_TCP_FLAG_CLOSE_INIT) != 0 ||
                    (ct.tcp.last_dir == dir && ct.tcp.last_index == TCP_RST_SET))
                {
                    if (nf_ct_kill(ct))
                    {
                        return -(int)NF_REPEAT;
                    }

                    return (int)NF_DROP;
                }

                goto case TCP_CONNTRACK_IGNORE;
            case TCP_CONNTRACK_IGNORE:
                if (index == TCP_SYNACK_SET && ct.tcp.last_index == TCP_SYN_SET && ct.tcp.last_dir != dir && th.ack_seq == ct.tcp.last_end)
                {
                    // b) a SYN/ACK answering a SYN we ignored: both ends agree, so resync from what we noted
                    old_state = TCP_CONNTRACK_SYN_SENT;
                    new_state = TCP_CONNTRACK_SYN_RECV;
                    ref var ld = ref ct.tcp.seen[(int)ct.tcp.last_dir];
                    ld.td_end = ct.tcp.last_end;
                    ld.td_maxend = ct.tcp.last_end;
                    ld.td_maxwin = ct.tcp.last_win == 0 ? 1u : ct.tcp.last_win;
                    ld.td_scale = ct.tcp.last_wscale;
                    ct.tcp.last_flags = (byte)(ct.tcp.last_flags & ~IP_CT_EXP_CHALLENGE_ACK);
                    ld.flags = ct.tcp.last_flags;
                    nf_ct_tcp_state_reset(ref ct.tcp.seen[(int)dir]);
                    break;
                }

                ct.tcp.last_index = index;
                ct.tcp.last_dir = dir;
                ct.tcp.last_seq = th.seq;
                ct.tcp.last_end = segment_seq_plus_len(th.seq, skb.len, dataoff, th);
                ct.tcp.last_win = th.window;

                // a) a SYN in the original direction: note its options in case the server answers it
                if (index == TCP_SYN_SET && dir == ip_conntrack_dir.IP_CT_DIR_ORIGINAL)
                {
                    var seen = default(ip_ct_tcp_state);
                    ct.tcp.last_flags = 0;
                    ct.tcp.last_wscale = 0;
                    tcp_options(skb, dataoff, th, ref seen);
                    if ((seen.flags & IP_CT_TCP_FLAG_WINDOW_SCALE) != 0)
                    {
                        ct.tcp.last_flags |= IP_CT_TCP_FLAG_WINDOW_SCALE;
                        ct.tcp.last_wscale = seen.td_scale;
                    }

                    if ((seen.flags & IP_CT_TCP_FLAG_SACK_PERM) != 0)
                    {
                        ct.tcp.last_flags |= IP_CT_TCP_FLAG_SACK_PERM;
                    }

                    if (old_state == TCP_CONNTRACK_LAST_ACK)
                    {
                        ct.tcp.last_flags |= IP_CT_EXP_CHALLENGE_ACK;
                    }
                }

                if (old_state == TCP_CONNTRACK_SYN_SENT && index == TCP_ACK_SET && dir == ip_conntrack_dir.IP_CT_DIR_REPLY)
                {
                    ct.tcp.last_ack = th.ack_seq;
                }

                return (int)NF_ACCEPT;
            case TCP_CONNTRACK_MAX:
                // not ported: the SYN proxy keep-alive exception (no synproxy)
                return -(int)NF_ACCEPT;
            case TCP_CONNTRACK_TIME_WAIT:
                // an RFC 5961 challenge ACK is not the last ACK of the close
                if (old_state == TCP_CONNTRACK_LAST_ACK && index == TCP_ACK_SET && ct.tcp.last_dir != dir &&
                    ct.tcp.last_index == TCP_SYN_SET && (ct.tcp.last_flags & IP_CT_EXP_CHALLENGE_ACK) != 0)
                {
                    ct.tcp.last_flags = (byte)(ct.tcp.last_flags & ~IP_CT_EXP_CHALLENGE_ACK);
                    return (int)NF_ACCEPT;
                }

                break;
            case TCP_CONNTRACK_SYN_SENT2:
                ct.tcp.last_flags |= IP_CT_TCP_SIMULTANEOUS_OPEN;
                break;
            case TCP_CONNTRACK_SYN_RECV:
                if (dir == ip_conntrack_dir.IP_CT_DIR_REPLY && index == TCP_ACK_SET && (ct.tcp.last_flags & IP_CT_TCP_SIMULTANEOUS_OPEN) != 0)
                {
                    new_state = TCP_CONNTRACK_ESTABLISHED;
                }

                break;
            case TCP_CONNTRACK_CLOSE:
                if (index != TCP_RST_SET)
                {
                    break;
                }

                if (tcp_can_early_drop(ct))
                {
                    goto in_window;
                }

                if ((ct.tcp.seen[1 - (int)dir].flags & IP_CT_TCP_FLAG_MAXACK_SET) != 0 && ct.tcp.last_index != TCP_SYN_SET)
                {
                    var seq = th.seq;
                    if (seq == 0 && !nf_conntrack_tcp_established(ct))
                    {
                        break;
                    }

                    if (before(seq, ct.tcp.seen[1 - (int)dir].td_maxack) && tn.tcp_ignore_invalid_rst == 0)
                    {
                        // invalid RST
                        return -(int)NF_ACCEPT;
                    }

                    if (!nf_conntrack_tcp_established(ct) || seq == ct.tcp.seen[1 - (int)dir].td_maxack)
                    {
                        break;
                    }

                    if (ct.tcp.last_index == TCP_ACK_SET && ct.tcp.last_dir == dir && seq == ct.tcp.last_end)
                    {
                        break;
                    }

                    // keep the state: the RST may draw a challenge ACK
                    new_state = old_state;
                }

                if ((((ct.status & IPS_SEEN_REPLY) != 0 && ct.tcp.last_index == TCP_SYN_SET) ||
                     ((ct.status & IPS_ASSURED) == 0 && ct.tcp.last_index == TCP_ACK_SET)) &&
                    th.ack_seq == ct.tcp.last_end)
                {
                    // a RST answering a SYN or ACK we let through: delete without window checks
                    goto in_window;
                }

                if (old_state == TCP_CONNTRACK_SYN_SENT && ct.tcp.last_index == TCP_ACK_SET &&
                    ct.tcp.last_dir == ip_conntrack_dir.IP_CT_DIR_REPLY && th.seq == ct.tcp.last_ack)
                {
                    goto in_window;
                }

                break;
            default:
                break;
        }

        var res = tcp_in_window(ct, dir, index, skb, dataoff, th);
        switch (res)
        {
            case nf_ct_tcp_action.NFCT_TCP_IGNORE:
                return (int)NF_ACCEPT;
            case nf_ct_tcp_action.NFCT_TCP_INVALID:
                nf_tcp_handle_invalid(ct, dir, index);
                return -(int)NF_ACCEPT;
            case nf_ct_tcp_action.NFCT_TCP_ACCEPT:
                break;
        }

    in_window:
        ct.tcp.last_index = index;
        ct.tcp.last_dir = dir;
        ct.tcp.state = new_state;
        if (old_state != new_state && new_state == TCP_CONNTRACK_FIN_WAIT)
        {
            ct.tcp.seen[(int)dir].flags |= IP_CT_TCP_FLAG_CLOSE_INIT;
        }

        var timeouts = tn.timeouts;
        uint timeout;
        if (ct.tcp.retrans >= tn.tcp_max_retrans && timeouts[(int)new_state] > timeouts[(int)TCP_CONNTRACK_RETRANS])
        {
            timeout = timeouts[(int)TCP_CONNTRACK_RETRANS];
        }
        else if (index == TCP_RST_SET)
        {
            timeout = timeouts[(int)TCP_CONNTRACK_CLOSE];
        }
        else if (((ct.tcp.seen[0].flags | ct.tcp.seen[1].flags) & IP_CT_TCP_FLAG_DATA_UNACKNOWLEDGED) != 0 &&
                 timeouts[(int)new_state] > timeouts[(int)TCP_CONNTRACK_UNACK])
        {
            timeout = timeouts[(int)TCP_CONNTRACK_UNACK];
        }
        else if (ct.tcp.last_win == 0 && timeouts[(int)new_state] > timeouts[(int)TCP_CONNTRACK_RETRANS])
        {
            timeout = timeouts[(int)TCP_CONNTRACK_RETRANS];
        }
        else
        {
            timeout = timeouts[(int)new_state];
        }

        // not ported: the IPCT_PROTOINFO event.
        if ((ct.status & IPS_SEEN_REPLY) == 0)
        {
            // only a RST answered: not a connection worth keeping
            if (th.rst)
            {
                nf_conntrack_core_c.nf_ct_kill_acct(ct, ctinfo, skb);
                return (int)NF_ACCEPT;
            }

            // a retransmitted SYN does not renew the timeout
            if (index == TCP_SYN_SET && old_state == TCP_CONNTRACK_SYN_SENT)
            {
                return (int)NF_ACCEPT;
            }

            if (new_state == TCP_CONNTRACK_ESTABLISHED && timeout > timeouts[(int)TCP_CONNTRACK_UNACK])
            {
                timeout = timeouts[(int)TCP_CONNTRACK_UNACK];
            }
        }
        else if ((ct.status & IPS_ASSURED) == 0 &&
                 (old_state == TCP_CONNTRACK_SYN_RECV || old_state == TCP_CONNTRACK_ESTABLISHED) &&
                 new_state == TCP_CONNTRACK_ESTABLISHED)
        {
            // a valid ACK in ESTABLISHED after SYN_RECV: ASSURED
            ct.status |= IPS_ASSURED;
        }

        nf_ct_refresh_acct(ct, ctinfo, skb, timeout);
        return (int)NF_ACCEPT;
    }

    // net/netfilter/nf_conntrack_proto_tcp.c: nf_conntrack_tcp_init_net
    /// <summary>The default timeouts (tcp_timeouts) and sysctls of a namespace.</summary>
    public static void nf_conntrack_tcp_init_net(net net, netns_ct ct)
    {
        // not ported: nf_tcp_pernet — field accessors: the port reads or sets these fields directly
        _ = net;
        for (var i = 0; i < tcp_timeouts_secs.Length; i++)
        {
            ct.tcp.timeouts[i] = tcp_timeouts_secs[i] * (uint)Vmlinux.HZ;
        }

        ct.tcp.tcp_loose = 1;
        ct.tcp.tcp_be_liberal = 0;
        ct.tcp.tcp_max_retrans = 3;
    }
}
