// Ports include/net/udp.h: the UDP control block (UDP_SKB_CB), the copy of
// skb state UDP keeps for the reader (udp_skb_scratch), the receive-side
// checksum and read-side helpers udp_rcv and udp_recvmsg use, and
// udp_lib_close.
//
// The socket tables (struct udp_table) are the kernel's: a primary array of
// slots by local port (udp_hashslot: udp_hashfn, the port plus the
// namespace's hash mix, under the mask) chaining sockets through sk_node, and
// a secondary array by (local address, port) (udp_hashslot2: ipv4_portaddr_hash
// under the mask) chaining them through udp_portaddr_node.
// not ported: udp_hslot_main, udp_table.hash4 and its helpers (udp_table_hash4_init, udp_hashslot4, udp_hashed4,
//   udp_hash4_slot_size, udp_has_hash4, udp_hash4_inc, udp_hash4_dec) — the 4-tuple hash for connected sockets is not
//   ported: udp4_lib_lookup2's scoring finds the same connected socket in the secondary slot
// not ported: udp_hslot.lock, udp_hslot.nulls_head — the slot spinlock (one simulated CPU runs each call to its end)
//   and the nulls head, which only hash4 uses
//
// departure: the kernel keeps udp_dev_scratch in skb->dev_scratch, a field
// the port's sk_buff does not have; it lives here in the bytes of skb->cb
// after UDP_SKB_CB (both are UDP's while the skb sits on a UDP socket).
using System;
using System.Buffers.Binary;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using static KernelNet.Kernel.Include.Linux.skbuff_h;

namespace KernelNet.Kernel.Include.Net;

/// <summary>struct udp_dev_scratch: truesize, length and checksum state recorded at enqueue (64-bit layout).</summary>
public readonly record struct udp_dev_scratch(uint _tsize_state, ushort len, bool is_linear, bool csum_unnecessary);

/// <summary>struct udp_hslot: one slot of a UDP hash table, its sockets chained through the socks themselves, newest first.</summary>
public struct udp_hslot
{
    /// <summary>head: the slot's first socket (sk_node for the primary table, udp_portaddr_node for the secondary).</summary>
    public hlist_head<sock> head;

    /// <summary>count: how many sockets the chain holds.</summary>
    public int count;
}

/// <summary>struct udp_table: the primary slots (by local port) and the secondary (by local address and port), mask + 1 of each.</summary>
public sealed class udp_table
{
    /// <summary>hash: sockets by local port (udp_hashfn).</summary>
    public udp_hslot[] hash { get; set; } = [];

    /// <summary>hash2: sockets by local address and port (ipv4_portaddr_hash); udp_hslot_main is not ported (see the header).</summary>
    public udp_hslot[] hash2 { get; set; } = [];

    /// <summary>mask: the number of slots of each table, minus one.</summary>
    public uint mask { get; set; }

    /// <summary>log: log2 of the number of slots.</summary>
    public uint log { get; set; }
}

public static class udp_h
{
    // include/net/udp.h: udp_hashslot
    /// <summary>The primary slot of local port <paramref name="num"/> in <paramref name="net"/> (udp_hashfn: the port plus the namespace's mix).</summary>
    public static ref udp_hslot udp_hashslot(udp_table table, net net, uint num) =>
        ref table.hash[Linux.udp_h.udp_hashfn(net, num, table.mask)];

    // include/net/udp.h: udp_hashslot2
    /// <summary>The secondary slot of <paramref name="hash"/>, an ipv4_portaddr_hash that already holds the namespace's mix.</summary>
    public static ref udp_hslot udp_hashslot2(udp_table table, uint hash) => ref table.hash2[hash & table.mask];

    // include/net/udp.h: udp_v4_check
    /// <summary>The UDP checksum folded over the IPv4 pseudo-header and <paramref name="base"/>.</summary>
    public static ushort udp_v4_check(int len, uint saddr, uint daddr, uint @base) =>
        checksum_h.csum_tcpudp_magic(saddr, daddr, len, (byte)Uapi.Linux.in_h.IPPROTO_UDP, @base);

    /// <summary>UDP_SKB_IS_STATELESS: the skb carries no dst/ct/extension state.</summary>
    public const uint UDP_SKB_IS_STATELESS = 0x80000000;

    /// <summary>Offsets in skb->cb: struct inet_skb_parm (IPCB, kept in cb_obj by the port) takes the first 24 bytes.</summary>
    private const int CB_CSCOV = 24;
    private const int CB_PARTIAL_COV = 26;
    private const int CB_SCRATCH = 32;

    /// <summary>UDP_SKB_CB(skb)->cscov: how much of the datagram the checksum covers (all of it for UDP).</summary>
    [KernelNet.Annotations.NotInLinux("C# accessor of UDP_SKB_CB(skb)->cscov, which C reads through a cast of skb->cb")]
    [KernelNet.Annotations.Borrows("skb")]
    public static ushort UDP_SKB_CB_cscov(sk_buff skb) => BinaryPrimitives.ReadUInt16LittleEndian(skb.cb.AsSpan(CB_CSCOV));

    /// <summary>Fills UDP_SKB_CB(skb): coverage, and whether it is partial (UDP-Lite only).</summary>
    [KernelNet.Annotations.NotInLinux("C# accessor of UDP_SKB_CB(skb)'s fields, which C writes through a cast of skb->cb")]
    [KernelNet.Annotations.Borrows("skb")]
    public static void UDP_SKB_CB_set(sk_buff skb, ushort cscov, bool partial_cov)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(skb.cb.AsSpan(CB_CSCOV), cscov);
        skb.cb[CB_PARTIAL_COV] = partial_cov ? (byte)1 : (byte)0;
    }

    // include/net/udp.h: udp_skb_scratch
    /// <summary>The reader's copy of the skb state (see the departure note above).</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static udp_dev_scratch udp_skb_scratch(sk_buff skb)
    {
        var b = skb.cb.AsSpan(CB_SCRATCH);
        return new udp_dev_scratch(BinaryPrimitives.ReadUInt32LittleEndian(b), BinaryPrimitives.ReadUInt16LittleEndian(b[4..]), b[6] != 0, b[7] != 0);
    }

    [KernelNet.Annotations.NotInLinux("C# accessor: C writes udp_skb_scratch(skb)'s fields through a cast of skb->dev_scratch")]
    [KernelNet.Annotations.Borrows("skb")]
    public static void udp_skb_scratch_set(sk_buff skb, udp_dev_scratch s)
    {
        var b = skb.cb.AsSpan(CB_SCRATCH);
        BinaryPrimitives.WriteUInt32LittleEndian(b, s._tsize_state);
        BinaryPrimitives.WriteUInt16LittleEndian(b[4..], s.len);
        b[6] = s.is_linear ? (byte)1 : (byte)0;
        b[7] = s.csum_unnecessary ? (byte)1 : (byte)0;
    }

    // not ported: skb_csum_unnecessary — the 32-bit branch: the scratch bit is read, as on 64-bit
    // include/net/udp.h: udp_skb_csum_unnecessary
    /// <summary>The checksum is known good (offload, CHECKSUM_PARTIAL from a local sender, or verified).</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static bool udp_skb_csum_unnecessary(sk_buff skb) => udp_skb_scratch(skb).csum_unnecessary;

    // include/net/udp.h: udp_skb_len
    [KernelNet.Annotations.Borrows("skb")]
    public static int udp_skb_len(sk_buff skb) => udp_skb_scratch(skb).len;

    // not ported: skb_is_nonlinear — the flag recorded in the UDP scratch area is read, as the kernel does on 64-bit
    // include/net/udp.h: udp_skb_is_linear
    [KernelNet.Annotations.Borrows("skb")]
    public static bool udp_skb_is_linear(sk_buff skb) => udp_skb_scratch(skb).is_linear;

    // include/net/udp.h: udp_lib_checksum_complete
    /// <summary>
    /// Verifies the checksum now unless it is already known good: true when
    /// it is bad. The pseudo-header is IPv4's (the port has no UDPv6), folded
    /// in here rather than kept in skb->csum since udp4_csum_init; the sum
    /// covers a reassembled datagram's frag_list too (skb_checksum).
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static bool udp_lib_checksum_complete(sk_buff skb)
    {
        // not ported: skb_csum_unnecessary, __udp_lib_checksum_complete — written out: UNNECESSARY or PARTIAL
        //   or the scratch bit, else the sum over the datagram with the IPv4 pseudo-header (skb_checksum)
        if (skb.ip_summed == CHECKSUM_UNNECESSARY || skb.ip_summed == CHECKSUM_PARTIAL || udp_skb_scratch(skb).csum_unnecessary)
        {
            return false;
        }

        var iph = Linux.ip_h.ip_hdr(skb);
        var ulen = skb.data + skb.len - skb.transport_header;
        var sum = KernelNet.Kernel.Net.Core.skbuff_c.skb_checksum(skb, skb.transport_header - skb.data, ulen, checksum_h.csum_tcpudp_nofold(iph.saddr, iph.daddr, ulen, (byte)Uapi.Linux.in_h.IPPROTO_UDP, 0));
        return checksum_h.csum_fold(sum) != 0;
    }

    // include/net/udp.h: udp_csum_pull_header
    /// <summary>Moves data past the UDP header: the reader gets the payload (RX-14). skb->csum is not modelled (see udp_recvmsg).</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void udp_csum_pull_header(sk_buff skb)
    {
        // not ported: skb_pull_rcsum — __skb_pull: skb->csum is not kept (no CHECKSUM_COMPLETE); UDP_SKB_CB —
        //   the cb's cscov is written through UDP_SKB_CB_set
        __skb_pull(skb, Uapi.Linux.udphdr.Size);
        UDP_SKB_CB_set(skb, (ushort)(UDP_SKB_CB_cscov(skb) - Uapi.Linux.udphdr.Size), false);
    }

    // include/net/udp.h: copy_linear_skb
    /// <summary>
    /// UDP's copy of a linear datagram whose checksum needs no work: straight
    /// to the user buffer (copy_to_iter), without skb_copy_datagram_iter and
    /// so without the skb_copy_datagram_iovec tracepoint — as the 6.18 trace
    /// of a UDP read shows.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static int copy_linear_skb(sk_buff skb, int len, int off, msghdr to)
    {
        // not ported: copy_to_iter_full — the bytes go out through copy_to_msg
        var n = Math.Min(len, Math.Max(0, to.iov_len - to.iov_offset));
        if (KernelNet.Kernel.Net.Core.datagram_c.copy_to_msg(skb, off, to, n) < 0)
        {
            return -errno_base_h.EFAULT;
        }

        return n == len ? 0 : -errno_base_h.EFAULT;
    }

    // not ported: numa_drop_add — one drop counter: sk_drops_inc
    // include/net/udp.h: udp_drops_inc
    public static void udp_drops_inc(sock sk) => sock_h.sk_drops_inc(sk);

    // not ported: inet_bound_dev_eq — no l3mdev (VRF): the three-way test is written inline
    // include/net/udp.h: udp_sk_bound_dev_eq
    /// <summary>A socket bound to a device matches only packets from it (udp_l3mdev_accept not modelled).</summary>
    public static bool udp_sk_bound_dev_eq(net net, int bound_dev_if, int dif, int sdif) =>
        bound_dev_if == 0 || bound_dev_if == dif || bound_dev_if == sdif;

    // include/net/udp.h: udp_lib_close
    /// <summary>close() of a UDP socket: the common release (destroy, unhash, orphan, destruct).</summary>
    public static void udp_lib_close(sock sk, long timeout) => KernelNet.Kernel.Net.Core.sock_c.sk_common_release(sk);
}
