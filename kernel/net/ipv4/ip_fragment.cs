// Ports net/ipv4/ip_fragment.c (with the queue handling of
// net/ipv4/inet_fragment.c folded in where the C splits it): reassembling
// IPv4 datagrams from fragments, with the reassembly timeout (TX-11).
//
// departure: fragments are kept in a list sorted by offset rather than an
// rbtree, and the reassembled datagram is copied into one linear buffer in
// the skb that completed it (the kernel chains the others on its
// frag_list); the others are consumed at reassembly. Counters, timeout and
// drop reasons follow the kernel.
using System;
using System.Collections.Generic;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.Linux;
using KernelNet.Kernel.Kernel.Time;
using static KernelNet.Kernel.Include.Linux.ip_h;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Include.Net.ip_h;
using static KernelNet.Kernel.Kernel.Time.timer_c;
using static KernelNet.Kernel.Net.Core.skbuff_c;

namespace KernelNet.Kernel.Net.Ipv4;

/// <summary>struct ipq: one datagram being reassembled.</summary>
public sealed class ipq
{
    public required (uint Saddr, uint Daddr, ushort Id, byte Protocol, uint User) key { get; init; }

    /// <summary>Fragments by offset (the rbtree in C).</summary>
    public List<(int Offset, int End, sk_buff Skb)> fragments { get; } = new();

    /// <summary>Total length once the last fragment (MF clear) has been seen.</summary>
    public int len { get; set; }

    /// <summary>Bytes received so far.</summary>
    public int meat { get; set; }

    public bool first_in { get; set; }

    public bool last_in { get; set; }

    public timer_list? timer { get; set; }

    public net_device? dev { get; set; }
}

public static class ip_fragment_c
{
    public const uint IP_DEFRAG_LOCAL_DELIVER = 0;

    private static Dictionary<(uint, uint, ushort, byte, uint), ipq> fqdir(net net)
    {
        var ipv4 = netns_ipv4.of(net);
        if (!ipv4.priv.TryGetValue(typeof(ipq), out var o))
        {
            o = new Dictionary<(uint, uint, ushort, byte, uint), ipq>();
            ipv4.priv[typeof(ipq)] = o;
        }

        return (Dictionary<(uint, uint, ushort, byte, uint), ipq>)o;
    }

    // net/ipv4/ip_fragment.c: ip_expire
    /// <summary>Reassembly timed out (ipfrag_time, 30 s): ReasmFails, ReasmTimeout, ICMP time exceeded if we had the first fragment.</summary>
    [SoftirqContext]
    private static void ip_expire(net net, ipq qp)
    {
        if (!fqdir(net).Remove(qp.key))
        {
            return;
        }

        IP_INC_STATS(net, ipstats_mib_field.IPSTATS_MIB_REASMFAILS);
        IP_INC_STATS(net, ipstats_mib_field.IPSTATS_MIB_REASMTIMEOUT);
        if (qp.first_in && qp.fragments.Count > 0 && qp.fragments[0].Offset == 0)
        {
            var head = qp.fragments[0].Skb;
            qp.fragments.RemoveAt(0);
            if (head.dst is not null)
            {
                Include.Net.icmp_h.icmp_send(head, Include.Uapi.Linux.icmp_h.ICMP_TIME_EXCEEDED, Include.Uapi.Linux.icmp_h.ICMP_EXC_FRAGTIME, 0);
            }

            kfree_skb_reason(head, skb_drop_reason.SKB_DROP_REASON_FRAG_REASM_TIMEOUT);
        }

        foreach (var (_, _, skb) in qp.fragments)
        {
            kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_FRAG_REASM_TIMEOUT);
        }

        qp.fragments.Clear();
    }

    // net/ipv4/ip_fragment.c: ip_find
    private static ipq ip_find(net net, iphdr iph, uint user)
    {
        var key = (iph.saddr, iph.daddr, iph.id, iph.protocol, user);
        var dir = fqdir(net);
        if (!dir.TryGetValue(key, out var qp))
        {
            qp = new ipq { key = key };
            qp.timer = new timer_list(_ => ip_expire(net, qp)) { owner = qp };
            mod_timer(net.k, qp.timer, net.k.jiffies + (ulong)(netns_ipv4.of(net).ipfrag_time * Vmlinux.HZ));
            dir.Add(key, qp);
        }

        return qp;
    }

    // net/ipv4/ip_fragment.c: ip_frag_queue
    /// <summary>
    /// Adds a fragment in offset order; an overlapping one is dropped
    /// (DUP_FRAG, as RFC 5722 asks for IPv6 and Linux does for IPv4 too).
    /// Returns the reassembled skb when the datagram is complete.
    /// </summary>
    [Consumes("skb")]
    private static sk_buff? ip_frag_queue(net net, ipq qp, sk_buff skb)
    {
        var iph = ip_hdr(skb);
        var flags = iph.frag_off;
        var offset = (flags & Include.Uapi.Linux.ip_h.IP_OFFSET) << 3;
        var ihl = iph.ihl * 4;
        var end = offset + iph.tot_len - ihl;

        if ((flags & Include.Uapi.Linux.ip_h.IP_MF) == 0)
        {
            if (end < qp.len || (qp.last_in && end != qp.len))
            {
                goto discard_qp;
            }

            qp.last_in = true;
            qp.len = end;
        }
        else
        {
            if ((end & 7) != 0)
            {
                end &= ~7;
            }

            if (end > qp.len)
            {
                if (qp.last_in)
                {
                    goto discard_qp;
                }

                qp.len = end;
            }
        }

        if (end == offset)
        {
            goto discard_qp;
        }

        foreach (var (o, e, _) in qp.fragments)
        {
            if (offset < e && end > o)
            {
                IP_INC_STATS(net, ipstats_mib_field.IPSTATS_MIB_REASM_OVERLAPS);
                kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_DUP_FRAG);
                return null;
            }
        }

        var at = qp.fragments.FindIndex(f => f.Offset > offset);
        qp.fragments.Insert(at < 0 ? qp.fragments.Count : at, (offset, end, skb));
        qp.meat += end - offset;
        qp.dev = skb.dev;
        if (offset == 0)
        {
            qp.first_in = true;
        }

        if (qp.first_in && qp.last_in && qp.meat == qp.len)
        {
            return ip_frag_reasm(net, qp, skb);
        }

        return null;

    discard_qp:
        IP_INC_STATS(net, ipstats_mib_field.IPSTATS_MIB_REASMFAILS);
        kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_IP_INHDR);
        return null;
    }

    // net/ipv4/ip_fragment.c: ip_frag_reasm
    /// <summary>Builds the datagram in the skb that completed it: the first fragment's header, all payloads in order.</summary>
    private static sk_buff ip_frag_reasm(net net, ipq qp, sk_buff skb)
    {
        fqdir(net).Remove(qp.key);
        timer_delete(qp.timer!);
        var first = qp.fragments[0].Skb;
        var ihl = ip_hdr(first).ihl * 4;
        var head = new byte[skb_headroom(skb) + ihl + qp.len];
        var nh = skb_headroom(skb);
        first.head.AsSpan(first.network_header, ihl).CopyTo(head.AsSpan(nh));
        foreach (var (o, e, frag) in qp.fragments)
        {
            var fih = ip_hdr(frag).ihl * 4;
            frag.head.AsSpan(frag.network_header + fih, e - o).CopyTo(head.AsSpan(nh + ihl + o));
        }

        foreach (var (_, _, frag) in qp.fragments)
        {
            if (!ReferenceEquals(frag, skb))
            {
                consume_skb(frag);
            }
        }

        skb.head = head;
        skb.data = nh;
        skb.network_header = (ushort)nh;
        skb.transport_header = (ushort)(nh + ihl);
        skb.tail = nh + ihl + qp.len;
        skb.end = head.Length;
        skb.len = ihl + qp.len;
        var iph = ip_hdr(skb);
        iph.tot_len = (ushort)skb.len;
        iph.frag_off = 0;
        ip_output_c.ip_send_check(iph);
        IPCB(skb).frag_max_size = (ushort)qp.fragments[0].End;
        IP_INC_STATS(net, ipstats_mib_field.IPSTATS_MIB_REASMOKS);
        return skb;
    }

    // net/ipv4/ip_fragment.c: ip_defrag
    /// <summary>
    /// Takes a fragment (ReasmReqds): returns the whole datagram when this
    /// fragment completed it, or null when it was queued or dropped.
    /// </summary>
    [Consumes("skb")]
    public static sk_buff? ip_defrag(net net, sk_buff skb, uint user)
    {
        IP_INC_STATS(net, ipstats_mib_field.IPSTATS_MIB_REASMREQDS);
        var qp = ip_find(net, ip_hdr(skb), user);
        return ip_frag_queue(net, qp, skb);
    }
}
