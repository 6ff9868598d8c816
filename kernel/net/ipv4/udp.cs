// Ports net/ipv4/udp.c: UDP over IPv4 — binding ports (udp_lib_get_port),
// finding the socket of a datagram (__udp4_lib_lookup, compute_score),
// sending (udp_sendmsg -> ip_make_skb -> udp_send_skb -> ip_send_skb),
// receiving (udp_rcv -> __udp4_lib_rcv -> udp_unicast_rcv_skb ->
// udp_queue_rcv_skb -> __udp_queue_rcv_skb -> __udp_enqueue_schedule_skb ->
// sk_data_ready, RX-12), reading (udp_recvmsg, RX-13) and ICMP errors.
//
// The socket tables are the kernel's (include/net/udp.h): a socket sits on
// the primary slot of its port (udp_hashfn: the port plus the namespace's
// hash mix, under the mask) and on the secondary slot of its bound address
// and port (ipv4_portaddr_hash under the mask); slots are shared by whatever
// hashes to them, so every walk compares the full key. /proc/net/udp
// (udp4_seq_show) walks the primary slots in index order (udp_get_first,
// udp_get_next).
//
// not ported: UDP-Lite, GSO (UDP_SEGMENT; segmenting a GRO skb, udp_rcv_segment), encapsulation, socket filters, multicast
// memberships (ip_mc_sf_allow), SO_REUSEPORT groups, the 4-tuple hash
// (udp_lib_hash4: lookup2's scoring finds the same socket), early demux,
// busy polling, corking (UDP_CORK, MSG_MORE), the per-NUMA producer queues
// (one producer list: the skb goes straight to sk_receive_queue), BPF.
// One udp_table serves every namespace, as 6.18 has it by default (no
// net.ipv4.udp_child_hash_entries): 16384 slots ("UDP hash table entries:
// 16384" on the recording machine), made on first use.
// departure: the ephemeral port search starts from a seeded xorshift
// generator kept per namespace instead of get_random_u32, so runs repeat and
// one namespace's binds do not move another's picks.
using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.ip_h;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Include.Linux.udp_h;
using static KernelNet.Kernel.Include.Linux.socket_h;
using static KernelNet.Kernel.Include.Net.ip_h;
using static KernelNet.Kernel.Include.Net.udp_h;
using static KernelNet.Kernel.Include.Uapi.Linux.icmp_h;
using static KernelNet.Kernel.Include.Net.route_h;
using static KernelNet.Kernel.Include.Net.sock_h;
using static KernelNet.Kernel.Include.Net.dst_h;
using static KernelNet.Kernel.Include.Trace.Events.udp_h;
using static KernelNet.Kernel.Net.Core.datagram_c;
using static KernelNet.Kernel.Net.Core.skbuff_c;
using static KernelNet.Kernel.Net.Ipv4.inet_connection_sock_c;
using static KernelNet.Kernel.Net.Ipv4.ip_output_c;
using static KernelNet.Kernel.Net.Ipv4.ip_sockglue_c;

namespace KernelNet.Kernel.Net.Ipv4;

/// <summary>udp.c's globals: the udp_encap_needed_key static key (a count) and udp_table, which every namespace shares.</summary>
public sealed class udp_globals
{
    /// <summary>udp_table: the one UDP table (net->ipv4.udp_table of every namespace); its slot arrays are made on first use.</summary>
    public udp_table udp_table { get; } = new();

    /// <summary>udp_encap_needed_key: how many sockets want GRO or encap handling; non-zero makes GRO look UDP sockets up.</summary>
    public int udp_encap_needed_key { get; set; }
}

/// <summary>Not in the kernel: a namespace's seeded state for the ephemeral port search (see the file header).</summary>
public sealed class udp_port_search
{
    /// <summary>The xorshift32 state udp_lib_get_port draws its start from.</summary>
    public uint rand_state { get; set; } = 0x2545F491;
}

public static class udp_c
{
    /// <summary>MAX_UDP_PORTS: the port space.</summary>
    private const int MAX_UDP_PORTS = 65536;

    /// <summary>PORTS_PER_CHAIN: the most ports one primary slot can hold, in the smallest table (the ephemeral search's bitmap).</summary>
    private const int PORTS_PER_CHAIN = MAX_UDP_PORTS / UDP_HTABLE_SIZE_MIN_PERNET;

    /// <summary>"UDP hash table entries: 16384": what alloc_large_system_hash gave udp_table on the recording machine.</summary>
    public const uint UDP_HTABLE_ENTRIES = 16384;

    /// <summary>udp_prot: UDP's struct proto.</summary>
    public static proto udp_prot { get; } = new()
    {
        name = "UDP",
        close = (sk, timeout) => { udp_lib_close(sk, timeout); return System.Threading.Tasks.Task.CompletedTask; }, // never sleeps: SO_LINGER means nothing to UDP
        connect = udp_connect,
        disconnect = udp_disconnect,
        init = udp_init_sock,
        destroy = udp_destroy_sock,
        setsockopt = udp_setsockopt,
        setsockopt_buf = udp_setsockopt,
        getsockopt = udp_getsockopt,
        sendmsg = (sk, msg, len) => new ValueTask<int>(udp_sendmsg(sk, msg, len)),
        recvmsg = udp_recvmsg,
        unhash = udp_lib_unhash,
        get_port = udp_v4_get_port,
    };

    /// <summary>net->ipv4.udp_table: the kernel's udp_table, shared by every namespace (udp_set_table's default).</summary>
    [KernelNet.Annotations.NotInLinux("C# accessor of net->ipv4.udp_table")]
    private static udp_table udp_get_table(net net)
    {
        var table = net.k.globals<udp_globals>().udp_table;
        if (table.hash.Length == 0)
        {
            // udp_init makes it at boot (udp_table_init); here on first use.
            udp_table_init(table, "UDP");
        }

        return table;
    }

    [KernelNet.Annotations.NotInLinux("stand-in for the udp_sk macro of include/linux/udp.h, whose port there is not written yet")]
    private static udp_sock udp_sk(sock sk) => (udp_sock)sk.proto_data!;

    [KernelNet.Annotations.NotInLinux("stand-in for the inet_sk macro of include/net/inet_sock.h, whose port there is not written yet")]
    private static inet_sock inet_sk(sock sk) => (inet_sock)sk.proto_data!;

    /// <summary>UDP_INC_STATS / __UDP_INC_STATS: one MIB per namespace (per-CPU in C).</summary>
    [KernelNet.Annotations.NotInLinux("stand-in for the UDP_INC_STATS macro of include/net/udp.h, whose port there is not written yet")]
    private static void UDP_INC_STATS(net net, udp_mib_field field) => netns_ipv4.of(net).mib.udp_statistics[(int)field]++;

    /// <summary>What C draws with get_random_u32, deterministic: xorshift32 on the namespace's seed (drivers/char/random.cs could serve it now).</summary>
    [KernelNet.Annotations.NotInLinux("the seeded port-search start of udp_lib_get_port (get_random_u32 in C)")]
    private static uint next_random_u32(net net)
    {
        var ipv4 = netns_ipv4.of(net);
        if (!ipv4.priv.TryGetValue(typeof(udp_port_search), out var o))
        {
            o = new udp_port_search();
            ipv4.priv[typeof(udp_port_search)] = o;
        }

        var t = (udp_port_search)o;
        var x = t.rand_state;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        t.rand_state = x;
        return x;
    }

    // net/ipv4/udp.c: udp_lib_lport_inuse
    /// <summary>
    /// Is <paramref name="num"/> taken for <paramref name="sk"/>: another
    /// socket of the slot on the port whose address overlaps (wildcards
    /// overlap everything), unless both set SO_REUSEADDR or are on different
    /// devices. With a <paramref name="bitmap"/> (the ephemeral search) every
    /// port of the slot is checked at once: each conflicting socket's port,
    /// shifted right by <paramref name="log"/>, is marked, and the result is 0.
    /// </summary>
    private static int udp_lib_lport_inuse(net net, ushort num, in udp_hslot hslot, Span<ulong> bitmap, sock sk, uint log)
    {
        // not ported: net_eq — namespaces are compared by reference (==)
        // not ported: sk_uid, uid_eq, rcu_access_pointer — the SO_REUSEPORT sharing test: reuseport groups are not
        //   ported, so two SO_REUSEPORT sockets conflict as any two others do
        // not ported: __set_bit — written out on the bitmap's words
        var withBitmap = !bitmap.IsEmpty;
        foreach (var sk2 in sk_for_each(hslot.head))
        {
            if (sk2.sk_net == net &&
                sk2 != sk &&
                (withBitmap || udp_sk(sk2).udp_port_hash == num) &&
                (!sk2.sk_reuse || !sk.sk_reuse) &&
                (sk2.sk_bound_dev_if == 0 || sk.sk_bound_dev_if == 0 || sk2.sk_bound_dev_if == sk.sk_bound_dev_if) &&
                inet_rcv_saddr_equal(sk, sk2, true))
            {
                if (!withBitmap)
                {
                    return 1;
                }

                var bit = udp_sk(sk2).udp_port_hash >> (int)log;
                bitmap[bit / 64] |= 1UL << (bit % 64);
            }
        }

        return 0;
    }

    // net/ipv4/udp.c: udp_lib_lport_inuse2
    /// <summary>
    /// The same test on a secondary slot (the sockets of one bound address
    /// and port class): 1 as soon as one socket of the port conflicts.
    /// </summary>
    private static int udp_lib_lport_inuse2(net net, ushort num, in udp_hslot hslot2, sock sk)
    {
        // not ported: net_eq — namespaces are compared by reference (==)
        // not ported: sk_uid, uid_eq, rcu_access_pointer — the SO_REUSEPORT sharing test: reuseport groups are not
        //   ported (as in udp_lib_lport_inuse)
        // not ported: spin_lock, spin_unlock — the slot's lock: one simulated CPU runs each call to its end
        var res = 0;
        foreach (var sk2 in udp_portaddr_for_each_entry(hslot2.head))
        {
            if (sk2.sk_net == net &&
                sk2 != sk &&
                udp_sk(sk2).udp_port_hash == num &&
                (!sk2.sk_reuse || !sk.sk_reuse) &&
                (sk2.sk_bound_dev_if == 0 || sk.sk_bound_dev_if == 0 || sk2.sk_bound_dev_if == sk.sk_bound_dev_if) &&
                inet_rcv_saddr_equal(sk, sk2, true))
            {
                res = 1;
                break;
            }
        }

        return res;
    }

    // net/ipv4/udp.c: udp_lib_get_port
    /// <summary>
    /// Binds <paramref name="snum"/>, or with 0 an ephemeral port from
    /// ip_local_port_range (32768-60999): the search starts at a random port
    /// and walks the primary slots one after another; within a slot it steps
    /// by an odd multiple of the table size, so every port it tries lands in
    /// that slot, whose conflicts were gathered into a bitmap first. A given
    /// port is checked on its primary slot, or, when that holds more than 10
    /// sockets and the socket is bound to an address, on the (smaller)
    /// secondary slots of its address and of INADDR_ANY. -EADDRINUSE when
    /// taken or exhausted.
    /// </summary>
    public static int udp_lib_get_port(sock sk, ushort snum, uint hash2_nulladdr)
    {
        // not ported: cond_resched — a task gives way only on its return to user space in the port: one that needs to reschedule keeps the CPU through this loop
        // not ported: udp_get_table_prot — field accessors: the port reads or sets these fields directly
        // not ported: udp_reuseport_add_sock — no SO_REUSEPORT groups
        // not ported: bitmap_zero — a new stack bitmap is zero; test_bit — written out on the bitmap's words;
        //   inet_is_local_reserved_port — ip_local_reserved_ports is not ported (empty)
        // not ported: spin_lock_bh, spin_unlock_bh, spin_lock, spin_unlock — the slots' locks: one simulated CPU runs
        //   each call to its end
        // not ported: hlist_add_tail_rcu — for AF_INET6 reuseport sockets only: no IPv6 sockets; hlist_add_head_rcu —
        //   written out on the socket's udp_portaddr_node; sock_prot_inuse_add — /proc/net/sockstat's counts are not kept
        var net = sk.sk_net;
        var udptable = udp_get_table(net);
        var error = -errno_h.EADDRINUSE;
        ref var hslot = ref System.Runtime.CompilerServices.Unsafe.NullRef<udp_hslot>();

        if (snum == 0)
        {
            // DECLARE_BITMAP(bitmap, PORTS_PER_CHAIN): one bit per port a slot can hold (65536 / UDP_HTABLE_SIZE_MIN_PERNET).
            Span<ulong> bitmap = stackalloc ulong[PORTS_PER_CHAIN / 64];
            inet_sk_get_local_port_range(sk, out var low, out var high);
            var remaining = (uint)(high - low) + 1;
            var rand = next_random_u32(net);
            var first = (ushort)(((ulong)rand * remaining >> 32) + (uint)low);

            // Force rand to be an odd multiple of UDP_HTABLE_SIZE.
            rand = unchecked((rand | 1) * (udptable.mask + 1));
            var last = (ushort)(first + udptable.mask + 1);
            do
            {
                hslot = ref udp_hashslot(udptable, net, first);
                bitmap.Clear();
                udp_lib_lport_inuse(net, snum, hslot, bitmap, sk, udptable.log);

                // Every port first + k * rand falls in this slot, and the walk covers them all.
                snum = first;
                do
                {
                    var bit = snum >> (int)udptable.log;
                    if (low <= snum && snum <= high && (bitmap[bit / 64] & (1UL << (bit % 64))) == 0)
                    {
                        goto found;
                    }

                    snum = unchecked((ushort)(snum + rand));
                }
                while (snum != first);

                // cond_resched(): nothing to yield to between slots.
            }
            while (++first != last);

            goto fail;
        }
        else
        {
            hslot = ref udp_hashslot(udptable, net, snum);
            if (inet_hashtables_h.inet_use_hash2_on_bind(sk) && hslot.count > 10)
            {
                var slot2 = (uint)(udp_sk(sk).udp_portaddr_hash ^ snum);
                slot2 &= udptable.mask;
                hash2_nulladdr &= udptable.mask;

                ref var hslot2 = ref udp_hashslot2(udptable, slot2);
                if (hslot.count < hslot2.count)
                {
                    goto scan_primary_hash;
                }

                var exist = udp_lib_lport_inuse2(net, snum, hslot2, sk);
                if (exist == 0 && hash2_nulladdr != slot2)
                {
                    exist = udp_lib_lport_inuse2(net, snum, udp_hashslot2(udptable, hash2_nulladdr), sk);
                }

                if (exist != 0)
                {
                    goto fail_unlock;
                }
                else
                {
                    goto found;
                }
            }

        scan_primary_hash:
            if (udp_lib_lport_inuse(net, snum, hslot, default, sk, 0) != 0)
            {
                goto fail_unlock;
            }
        }

    found:
        var up = udp_sk(sk);
        inet_sk(sk).inet_num = snum;
        up.udp_port_hash = snum;
        up.udp_portaddr_hash ^= snum;
        if (sk_unhashed(sk))
        {
            sock_set_flag(sk, sock_flags.SOCK_RCU_FREE);

            sk_add_node_rcu(sk, ref hslot.head);
            hslot.count++;

            ref var hslot2 = ref udp_hashslot2(udptable, up.udp_portaddr_hash);
            udp_portaddr_add_head(sk, ref hslot2.head);
            hslot2.count++;
        }

        error = 0;
    fail_unlock:
    fail:
        return error;
    }

    // net/ipv4/udp.c: udp_v4_get_port
    /// <summary>get_port of udp_prot: precomputes the secondary hash's address half (and INADDR_ANY's for the port), then udp_lib_get_port.</summary>
    public static int udp_v4_get_port(sock sk, ushort snum)
    {
        // not ported: htonl — INADDR_ANY is 0 in either byte order
        var hash2_nulladdr = ipv4_portaddr_hash(sk.sk_net, in_h.INADDR_ANY, snum);
        var hash2_partial = ipv4_portaddr_hash(sk.sk_net, inet_sk(sk).inet_rcv_saddr, 0);

        // precompute partial secondary hash
        udp_sk(sk).udp_portaddr_hash = (ushort)hash2_partial;
        return udp_lib_get_port(sk, snum, hash2_nulladdr);
    }

    // net/ipv4/udp.c: compute_score
    /// <summary>
    /// How well a socket matches the packet (6.18): the bound address must
    /// equal daddr exactly (the wildcard pass looks up INADDR_ANY); a
    /// connected peer address or port adds 4 each, a bound device 4, the
    /// CPU that last fed the socket 1. -1 for no match.
    /// </summary>
    private static int compute_score(sock sk, net net, uint saddr, ushort sport, uint daddr, ushort hnum, int dif, int sdif)
    {
        // not ported: net_eq — namespaces are compared by reference (==)
        // not ported: raw_smp_processor_id — the incoming-CPU bonus below reads the CPU with smp_processor_id
        if (sk.sk_net != net || udp_sk(sk).udp_port_hash != hnum)
        {
            return -1;
        }

        var inet = inet_sk(sk);
        if (inet.inet_rcv_saddr != daddr)
        {
            return -1;
        }

        var score = sk.sk_family == AF_INET ? 2 : 1;
        if (inet.inet_daddr != 0)
        {
            if (inet.inet_daddr != saddr)
            {
                return -1;
            }

            score += 4;
        }

        if (inet.inet_dport != 0)
        {
            if (inet.inet_dport != sport)
            {
                return -1;
            }

            score += 4;
        }

        if (!udp_sk_bound_dev_eq(net, sk.sk_bound_dev_if, dif, sdif))
        {
            return -1;
        }

        if (sk.sk_bound_dev_if != 0)
        {
            score += 4;
        }

        if (sk.sk_incoming_cpu == net.k.smp_processor_id())
        {
            score++;
        }

        return score;
    }

    // net/ipv4/udp.c: udp4_lib_lookup1
    /// <summary>The primary slot of the port, scored: the fallback for a socket whose secondary hash is being moved.</summary>
    private static sock? udp4_lib_lookup1(net net, uint saddr, ushort sport, uint daddr, ushort hnum, int dif, int sdif, udp_table udptable)
    {
        // not ported: sk_for_each_rcu — the walk is sk_for_each (no RCU: one thread)
        var slot = udp_hashfn(net, hnum, udptable.mask);
        ref var hslot = ref udptable.hash[slot];
        sock? result = null;
        var badness = 0;
        foreach (var sk in sk_for_each(hslot.head))
        {
            var score = compute_score(sk, net, saddr, sport, daddr, hnum, dif, sdif);
            if (score > badness)
            {
                result = sk;
                badness = score;
            }
        }

        return result;
    }

    // net/ipv4/udp.c: udp4_lib_lookup2
    /// <summary>The best-scoring socket of one secondary slot; compute_score rejects the slot's sockets of other addresses, ports or namespaces (reuseport groups not ported).</summary>
    private static sock? udp4_lib_lookup2(net net, uint saddr, ushort sport, uint daddr, ushort hnum, int dif, int sdif, in udp_hslot hslot2)
    {
        // not ported: inet_lookup_reuseport, reuseport_has_conns, IS_ERR — no SO_REUSEPORT groups: a socket that scores
        //   higher is the result, as when the group lookup finds none
        // not ported: udp_portaddr_for_each_entry_rcu — the walk is udp_portaddr_for_each_entry (no RCU: one thread)
        sock? result = null;
        var badness = 0;
        foreach (var sk in udp_portaddr_for_each_entry(hslot2.head))
        {
            var score = compute_score(sk, net, saddr, sport, daddr, hnum, dif, sdif);
            if (score > badness)
            {
                badness = score;
                result = sk;
            }
        }

        return result;
    }

    // net/ipv4/udp.c: __udp4_lib_lookup
    /// <summary>
    /// The socket a datagram belongs to (RX-12): first the secondary slot of
    /// (daddr, port) for sockets bound to the destination address itself (a
    /// connected one wins), then the slot of (INADDR_ANY, port), then the
    /// port's primary slot as a fallback.
    /// </summary>
    public static sock? __udp4_lib_lookup(net net, uint saddr, ushort sport, uint daddr, ushort dport, int dif, int sdif = 0)
    {
        // not ported: inet_lookup_run_sk_lookup — no BPF programs
        // not ported: udp_has_hash4, udp4_lib_lookup4 — no 4-tuple hash (udp_lib_hash4): lookup2 finds the same socket
        // not ported: IS_ERR_OR_NULL, IS_ERR — no SO_REUSEPORT groups, so no lookup returns an error pointer
        // not ported: ntohs, htonl — ports are host-order here; INADDR_ANY is 0 in either order
        var udptable = udp_get_table(net);
        var hnum = dport;

        var hash2 = ipv4_portaddr_hash(net, daddr, hnum);
        ref var hslot2 = ref udp_hashslot2(udptable, hash2);

        // Lookup connected or non-wildcard socket.
        var result = udp4_lib_lookup2(net, saddr, sport, daddr, hnum, dif, sdif, hslot2);
        if (result is not null && result.sk_state == TCP_ESTABLISHED)
        {
            goto done;
        }

        // Got non-wildcard socket on first lookup.
        if (result is not null)
        {
            goto done;
        }

        // Lookup wildcard sockets.
        hash2 = ipv4_portaddr_hash(net, in_h.INADDR_ANY, hnum);
        hslot2 = ref udp_hashslot2(udptable, hash2);
        result = udp4_lib_lookup2(net, saddr, sport, in_h.INADDR_ANY, hnum, dif, sdif, hslot2);
        if (result is not null)
        {
            goto done;
        }

        // Primary hash fallback (the connect()/rehash race).
        result = udp4_lib_lookup1(net, saddr, sport, daddr, hnum, dif, sdif, udptable);

    done:
        return result;
    }

    // net/ipv4/udp.c: __udp4_lib_lookup_skb
    [Borrows("skb")]
    private static sock? __udp4_lib_lookup_skb(sk_buff skb, ushort sport, ushort dport)
    {
        // not ported: inet_iif — the input device is skb.skb_iif (a looped-back packet's output route rt_iif, which
        //   6.18 prefers, is not consulted); inet_sdif — no L3 master devices: 0
        var iph = ip_hdr(skb);
        return __udp4_lib_lookup(skb.dev!.nd_net, iph.saddr, sport, iph.daddr, dport, skb.skb_iif, 0);
    }

    // net/ipv4/udp.c: udp4_hwcsum
    /// <summary>
    /// Leaves the payload sum to the device (CHECKSUM_PARTIAL): the check field
    /// gets the pseudo-header sum, csum_start/csum_offset say where to sum and
    /// write. A datagram in several skbs (a frag_list) cannot be offloaded:
    /// it is summed here and goes out CHECKSUM_NONE.
    /// </summary>
    [Borrows("skb")]
    [Borrows("skb")]
    public static void udp4_hwcsum(sk_buff skb, uint src, uint dst)
    {
        // not ported: skb_transport_header — field accessors: the port reads or sets these fields directly
        // not ported: skb_walk_frags — the frag_list skbs' sums are not added one by one: skb_checksum walks them
        var uh = udp_hdr(skb);
        var offset = skb_transport_offset(skb);
        var len = skb.len - offset;
        if (!skb_has_frag_list(skb))
        {
            // One skb: the device sums from the UDP header and writes at its check field.
            skb.csum_start = skb.transport_header;
            skb.csum_offset = UDP_CHECK_OFFSET;
            uh.check = (ushort)~checksum_h.csum_tcpudp_magic(src, dst, len, (byte)in_h.IPPROTO_UDP, 0);
        }
        else
        {
            // departure: C adds up each frag_list skb's skb->csum (filled in by getfrag)
            // with csum_add; the port keeps no skb->csum, so skb_checksum walks them all.
            var csum = skb_checksum(skb, offset, len, 0);
            skb.ip_summed = CHECKSUM_NONE;
            uh.check = checksum_h.csum_tcpudp_magic(src, dst, len, (byte)in_h.IPPROTO_UDP, csum);
            if (uh.check == 0)
            {
                uh.check = checksum_h.CSUM_MANGLED_0;
            }
        }
    }

    /// <summary>offsetof(struct udphdr, check).</summary>
    private const ushort UDP_CHECK_OFFSET = 6;

    // net/ipv4/udp.c: udp_send_skb
    /// <summary>Writes the UDP header and checksum in front of the payload and sends (OutDatagrams).</summary>
    [Consumes("skb")]
    private static int udp_send_skb(sk_buff skb, ref flowi4 fl4)
    {
        // not ported: IS_UDPLITE, udplite_csum — no UDP-Lite
        // not ported: dst_xfrm — no IPsec (xfrm) or PSP
        // not ported: skb_dst, skb_network_header_len — field accessors: the port reads or sets these fields directly
        // not ported: kfree_skb — only a refused UDP_SEGMENT (GSO) send is freed here: UDP_SEGMENT is not ported
        var sk = skb.sk!;
        var inet = (inet_sock)sk.proto_data!;
        var len = skb.len - skb_transport_offset(skb);
        var uh = udp_hdr(skb);
        uh.source = inet.inet_sport;
        uh.dest = fl4.fl4_dport;
        uh.len = (ushort)len;
        uh.check = 0;
        if (skb.ip_summed == CHECKSUM_PARTIAL)
        {
            // UDP hardware csum.
            udp4_hwcsum(skb, fl4.saddr, fl4.daddr);
            goto send;
        }

        // udp_csum: header and payload, in software (the frag_list's too).
        var csum = skb_checksum(skb, skb_transport_offset(skb), len, 0);
        uh.check = checksum_h.csum_tcpudp_magic(fl4.saddr, fl4.daddr, len, (byte)sk.sk_protocol, csum);
        if (uh.check == 0)
        {
            uh.check = 0xffff; // CSUM_MANGLED_0
        }

    send:
        var err = ip_send_skb(sk.sk_net, skb);
        if (err != 0)
        {
            if (err == -errno_h.ENOBUFS && !inet.recverr)
            {
                UDP_INC_STATS(sk.sk_net, udp_mib_field.UDP_MIB_SNDBUFERRORS);
                err = 0;
            }
        }
        else
        {
            UDP_INC_STATS(sk.sk_net, udp_mib_field.UDP_MIB_OUTDATAGRAMS);
        }

        return err;
    }

    // net/ipv4/udp.c: udp_sendmsg
    /// <summary>
    /// sendto() on a UDP socket: pick the destination (msg_name or the
    /// connected peer), route it, copy the user's data into a new skb
    /// (ip_make_skb: the only copy), add the header and send. Returns the
    /// length sent or -errno.
    /// </summary>
    public static int udp_sendmsg(sock sk, msghdr msg, int len)
    {
        // not ported: dst_confirm_neigh — MSG_CONFIRM is not ported
        // not ported: flowi4_init_output, ipcm_init_sk — the flowi4 and ipcm_cookie are built with object initializers from the socket
        // not ported: flowi4_to_flowi_common — it only feeds security_sk_classify_flow: no LSM
        // not ported: ip_cmsg_send, udp_cmsg_send — no control messages on send (IP_PKTINFO, UDP_SEGMENT cmsgs)
        // not ported: sk_dst_check — the port calls __sk_dst_check (the route's reference is not counted)
        // not ported: sk_dst_set — the connected socket's route is stored in sk_dst_cache directly
        // not ported: ip_append_data, udp_push_pending_frames, udp_flush_pending_frames, skb_queue_empty — no corking (UDP_CORK, MSG_MORE): every datagram is built whole by ip_make_skb
        // not ported: DECLARE_SOCKADDR — no user memory: messages and addresses are C# objects, nothing to copy or check from user space
        // not ported: IS_UDPLITE — no UDP-Lite
        // not ported: kfree — the .NET runtime allocates and frees memory: objects live while referenced, no refcounts or caches
        // not ported: dst_clone, ip_rt_put — route references are counted (dst.__rcuref, bookkeeping only: the garbage collector frees routes), but this take or put is not made here, so the count need not balance
        // not ported: dst_rtable, sk_uid, sock_flag, udp_test_bit — field accessors: the port reads or sets these fields directly
        // not ported: l3mdev_master_ifindex_by_index, netif_index_is_l3_master — no VRF (l3mdev) devices in the simulation
        // not ported: lock_sock, release_sock — a departure: this path does not take socket ownership, so a softirq arriving meanwhile processes its packet at once instead of leaving it on the backlog
        // not ported: net_dbg_ratelimited — a debug-level message, off unless dynamic debug enables it: nothing is logged
        // not ported: inet_sk_flowi_flags — no IP_TRANSPARENT and a UDP socket is never HDRINCL: the flow's flags are 0
        var inet = (inet_sock)sk.proto_data!;
        var net = sk.sk_net;
        uint daddr;
        ushort dport;
        var connected = false;
        int err;

        if (len > 0xFFFF)
        {
            return -errno_h.EMSGSIZE;
        }

        if ((msg.msg_flags & MSG_OOB) != 0)
        {
            return -errno_h.EOPNOTSUPP;
        }

        var ulen = len + udphdr.Size;
        if (msg.msg_name is { } name)
        {
            if (msg.msg_namelen < in_h.SOCKADDR_IN_SIZE)
            {
                return -errno_base_h.EINVAL;
            }

            var usin = new sockaddr_in(name);
            if (usin.sin_family != AF_INET && usin.sin_family != AF_UNSPEC)
            {
                return -errno_h.EAFNOSUPPORT;
            }

            daddr = usin.sin_addr;
            dport = usin.sin_port;
            if (dport == 0)
            {
                return -errno_base_h.EINVAL;
            }
        }
        else
        {
            if (sk.sk_state != TCP_ESTABLISHED)
            {
                return -errno_h.EDESTADDRREQ;
            }

            daddr = inet.inet_daddr;
            dport = inet.inet_dport;
            connected = true;
        }

        var ipc = new ipcm_cookie { addr = inet.inet_saddr, oif = inet.inet_bound_dev_if, tos = inet.tos, ttl = (short)inet.uc_ttl };
        var saddr = ipc.addr;

        // ip_sendmsg_scope: SO_DONTROUTE or MSG_DONTROUTE keep the datagram on the link, past the connected route
        // (the strict source route option is not reached: no IP options from the socket or cmsgs)
        var scope = ip_sendmsg_scope(inet, ipc, msg);
        if (scope == RT_SCOPE_LINK)
        {
            connected = false;
        }

        var fl4 = new flowi4
        {
            flowi4_oif = ipc.oif,
            flowi4_mark = sk.sk_mark,
            flowi4_tos = (byte)(inet.tos & 0xfc),
            flowi4_scope = scope,
            flowi4_proto = (byte)sk.sk_protocol,
            daddr = daddr,
            saddr = saddr,
            fl4_dport = dport,
            fl4_sport = inet.inet_sport,
        };

        // sk_dst_check: the reference it takes for this send is not counted (nor is ip_rt_put's release).
        var rt = connected ? Core.sock_c.__sk_dst_check(sk, 0) as rtable : null;
        if (rt is null)
        {
            rt = route_c.ip_route_output_flow(net, ref fl4, sk, out err);
            if (rt is null)
            {
                if (err == -errno_h.ENETUNREACH)
                {
                    IP_INC_STATS(net, ipstats_mib_field.IPSTATS_MIB_OUTNOROUTES);
                }

                goto @out;
            }

            err = -errno_base_h.EACCES;
            if ((rt.rt_flags & RTCF_BROADCAST) != 0 && !sk.sock_flag_broadcast)
            {
                goto @out;
            }

            if (connected)
            {
                sk.sk_dst_cache = rt;
            }
        }

        var skb = ip_make_skb(sk, ref fl4, ip_generic_getfrag, msg.iov_base, ulen, udphdr.Size, ref ipc, rt, (uint)msg.msg_flags, out err);
        if (skb is not null)
        {
            err = udp_send_skb(skb, ref fl4);
        }

    @out:
        if (err == 0)
        {
            return len;
        }

        if (err == -errno_h.ENOBUFS)
        {
            UDP_INC_STATS(net, udp_mib_field.UDP_MIB_SNDBUFERRORS);
        }

        return err;
    }

    // net/ipv4/udp.c: udp_set_dev_scratch
    /// <summary>Records truesize, length and checksum state for the reader, so it need not touch the skb's cold fields.</summary>
    [Borrows("skb")]
    private static void udp_set_dev_scratch(sk_buff skb)
    {
        // not ported: udp_try_make_stateless — no skb extensions (no secpath): every skb is stateless
        // not ported: skb_csum_unnecessary — written out: CHECKSUM_UNNECESSARY or PARTIAL, or the scratch bit
        //   udp4_csum_init set (the port's stand-in for csum_valid)
        var csum_unnecessary = skb.ip_summed == CHECKSUM_UNNECESSARY || skb.ip_summed == CHECKSUM_PARTIAL || udp_skb_scratch(skb).csum_unnecessary;
        udp_skb_scratch_set(skb, new udp_dev_scratch(skb.truesize | UDP_SKB_IS_STATELESS, (ushort)skb.len, !skb_is_nonlinear(skb), csum_unnecessary));
    }

    // net/ipv4/udp.c: udp_skb_csum_unnecessary_set
    /// <summary>After a good full checksum, remember it (only on an unshared skb, as 6.18 does on 64-bit).</summary>
    [Borrows("skb")]
    private static void udp_skb_csum_unnecessary_set(sk_buff skb)
    {
        if (!skb_shared(skb))
        {
            udp_skb_scratch_set(skb, udp_skb_scratch(skb) with { csum_unnecessary = true });
        }
    }

    // net/ipv4/udp.c: udp_skb_truesize
    [Borrows("skb")]
    private static int udp_skb_truesize(sk_buff skb) => (int)(udp_skb_scratch(skb)._tsize_state & ~UDP_SKB_IS_STATELESS);

    // net/ipv4/udp.c: udp_rmem_release
    /// <summary>
    /// Gives read memory back to the receive budget. The reader batches it
    /// (partial): while less than forward_threshold (sk_rcvbuf/4) has been
    /// freed and more datagrams wait in the reader queue, sk_rmem_alloc is
    /// left as it is — so a full socket frees room in steps, as in the kernel.
    /// </summary>
    private static void udp_rmem_release(sock sk, int size, int partial, bool rx_queue_lock_held)
    {
        // not ported: __sk_mem_reduce_allocated — no protocol-wide memory accounting (memory_allocated, udp_mem): only
        //   the socket's forward allocation shrinks
        var up = udp_sk(sk);
        if (partial != 0)
        {
            up.forward_deficit += size;
            size = up.forward_deficit;
            if (size < up.forward_threshold && !skb_queue_empty(up.reader_queue))
            {
                return;
            }
        }
        else
        {
            size += up.forward_deficit;
        }

        up.forward_deficit = 0;

        // spin_lock(&sk_queue->lock) unless held: forward memory is scheduled under it.
        var amt = (size + sk.sk_forward_alloc - partial) & ~(SK_MEM_QUANTUM - 1);
        sk_forward_alloc_add(sk, size - amt);
        sk.sk_rmem_alloc -= size;

        // This can save the next receive the rx queue lock.
        skb_queue_splice_tail_init(sk.sk_receive_queue, up.reader_queue);
    }

    // net/ipv4/udp.c: udp_skb_destructor
    /// <summary>A datagram leaves the reader queue: release its memory (batched).</summary>
    [Borrows("skb")]
    public static void udp_skb_destructor(sock sk, sk_buff skb) => udp_rmem_release(sk, udp_skb_truesize(skb), 1, false);

    // net/ipv4/udp.c: udp_skb_dtor_locked
    [Borrows("skb")]
    private static void udp_skb_dtor_locked(sock sk, sk_buff skb) => udp_rmem_release(sk, udp_skb_truesize(skb), 1, true);

    // net/ipv4/udp.c: udp_rmem_schedule
    /// <summary>Forward-allocates whole pages for <paramref name="size"/> (no protocol memory pressure: always granted).</summary>
    private static int udp_rmem_schedule(sock sk, int size)
    {
        var delta = size - sk.sk_forward_alloc;
        if (delta > 0 && Core.sock_c.__sk_mem_schedule(sk, delta, SK_MEM_RECV) == 0)
        {
            return -errno_h.ENOBUFS;
        }

        return 0;
    }

    // net/ipv4/udp.c: __udp_enqueue_schedule_skb
    /// <summary>
    /// Charges the datagram to the socket and queues it, then sk_data_ready
    /// (RX-12). Refused with -ENOMEM when sk_rmem_alloc + truesize would
    /// pass sk_rcvbuf — unless the socket holds nothing yet. Softirq context.
    /// </summary>
    [Consumes("skb", WhenReturns = 0)]
    public static int __udp_enqueue_schedule_skb(sock sk, sk_buff skb)
    {
        // not ported: SOCK_SKB_CB — field accessors: the port reads or sets these fields directly
        // not ported: numa_drop_add — the port keeps one copy of these counters or stats per namespace or object, not one per CPU or NUMA node: nothing to pick or fold
        // not ported: sk_drops_read — SO_RXQ_OVFL is not ported: no drop count rides with the skb
        var list = sk.sk_receive_queue;
        var rmem = sk.sk_rmem_alloc;
        var rcvbuf = sk.sk_rcvbuf;
        var size = (int)skb.truesize;
        var err = -errno_base_h.ENOMEM;

        // Immediately drop when the receive queue is full.
        if ((long)rmem + size > rcvbuf)
        {
            if (rcvbuf > int.MaxValue >> 1)
            {
                goto drop;
            }

            // Accept the packet if queue is empty.
            if (rmem != 0)
            {
                goto drop;
            }
        }

        // Under memory pressure a small frag_list is pulled into the head,
        // its skbs freed now: less memory held, a linear copy at read time.
        if (rmem > (rcvbuf >> 1))
        {
            skb_condense(skb);
            size = (int)skb.truesize;
        }

        udp_set_dev_scratch(skb);

        // spin_lock(&list->lock): the producer side of the receive queue.
        size = udp_skb_truesize(skb);
        err = udp_rmem_schedule(sk, size);
        if (err != 0)
        {
            // 6.18 drops it here without an SNMP count (a TODO there), as one of the socket's drops.
            skb_mark_not_on_list(skb);
            sk_skb_reason_drop(sk, skb, skb_drop_reason.SKB_DROP_REASON_PROTO_MEM);
            udp_drops_inc(sk);
            return 0;
        }

        sk_forward_alloc_add(sk, -size);
        __skb_queue_tail(list, skb);
        sk.sk_rmem_alloc += size;

        if (!sock_flag(sk, sock_flags.SOCK_DEAD))
        {
            // Several readers may sleep in recvmsg (prepare_to_wait_exclusive): one wakeup per datagram.
            sk.sk_data_ready?.Invoke(sk);
        }

        return 0;

    drop:
        udp_drops_inc(sk);
        return err;
    }

    // net/ipv4/udp.c: udp_destruct_common
    /// <summary>The last reference went: what was never read is freed, and all its memory returned.</summary>
    public static void udp_destruct_common(sock sk)
    {
        // not ported: kfree — the .NET runtime allocates and frees memory: objects live while referenced, no refcounts or caches
        // not ported: kfree_skb — the port uses kfree_skb_reason with the drop's reason
        var up = udp_sk(sk);
        var total = 0;
        skb_queue_splice_tail_init(sk.sk_receive_queue, up.reader_queue);
        while (__skb_dequeue(up.reader_queue) is { } skb)
        {
            total += (int)skb.truesize;

            // 6.18 frees the unread ones with plain kfree_skb: NOT_SPECIFIED
            kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
        }

        udp_rmem_release(sk, total, 0, true);
    }

    // net/ipv4/udp.c: udp_destruct_sock
    private static void udp_destruct_sock(sock sk)
    {
        udp_destruct_common(sk);
        af_inet_c.inet_sock_destruct(sk);
    }

    // net/ipv4/udp.c: udp_init_sock
    /// <summary>init of udp_prot: the udp_sock, its reader queue and forward threshold (udp_lib_init_sock), the destructor.</summary>
    public static int udp_init_sock(sock sk)
    {
        // not ported: udp_lib_init_sock — written out below (include/net/udp.h's inline): the reader queue comes with
        //   udp_sock, no per-NUMA producer queues, no tunnel list
        var up = new udp_sock(sk);
        sk.proto_data = up;

        // udp_lib_init_sock
        up.forward_threshold = sk.sk_rcvbuf >> 2;
        if (sk.sk_socket is socket s)
        {
            s.flags |= 1UL << net_h.SOCK_CUSTOM_SOCKOPT;
            s.flags |= 1UL << net_h.SOCK_SUPPORT_ZC;
        }

        sk.sk_destruct = udp_destruct_sock;
        sk.sk_prot_unhash = udp_lib_unhash;
        return 0;
    }

    // net/ipv4/udp.c: skb_consume_udp
    /// <summary>Frees a read datagram (a consume, not a drop): deferred to the CPU that allocated it, as the 6.18 trace shows (skb_defer_free_flush).</summary>
    [Consumes("skb")]
    public static void skb_consume_udp(sock sk, sk_buff skb, int len)
    {
        // not ported: sk_peek_offset_bwd — SO_PEEK_OFF is not ported (no udp peeking_with_offset)
        if (!skb_shared(skb))
        {
            // As of 6.18.26 the skb drops any owner before it may wait on another
            // CPU's defer list. No owned skb reaches a UDP queue here (loopback and
            // veth orphan on transmit, no early demux or sk_assign), so it changes nothing seen.
            skb_orphan(skb);
            skb_attempt_defer_free(skb);
            return;
        }

        // Peeked: drop the peeker's reference.
        if (!skb_unref(skb))
        {
            return;
        }

        // not ported: udp_skb_has_head_state, skb_release_head_state, __consume_stateless_skb — consume_skb
        //   releases whatever head state is left and emits the same consume_skb event
        consume_skb(skb);
    }

    // net/ipv4/udp.c: __first_packet_length
    /// <summary>
    /// The first datagram of <paramref name="rcvq"/> whose checksum is good;
    /// the bad ones before it are dropped (UDP_CSUM, InCsumErrors and
    /// InErrors), their truesize added to <paramref name="total"/>.
    /// </summary>
    private static sk_buff? __first_packet_length(sock sk, sk_buff_head rcvq, ref int total)
    {
        // not ported: IS_UDPLITE — no UDP-Lite
        // not ported: __UDP_INC_STATS — the port uses UDP_INC_STATS
        sk_buff? skb;
        while ((skb = skb_peek(rcvq)) is not null)
        {
            if (udp_lib_checksum_complete(skb))
            {
                var net = sock_net(sk);
                UDP_INC_STATS(net, udp_mib_field.UDP_MIB_CSUMERRORS);
                UDP_INC_STATS(net, udp_mib_field.UDP_MIB_INERRORS);
                udp_drops_inc(sk);
                __skb_unlink(skb, rcvq);
                total += (int)skb.truesize;
                kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_UDP_CSUM);
            }
            else
            {
                udp_skb_csum_unnecessary_set(skb);
                break;
            }
        }

        return skb;
    }

    // net/ipv4/udp.c: first_packet_length
    /// <summary>The length of the first good datagram waiting (refilling the reader queue from sk_receive_queue), or -1; bad-checksum ones are dropped on the way.</summary>
    private static int first_packet_length(sock sk)
    {
        var rcvq = udp_sk(sk).reader_queue;
        var sk_queue = sk.sk_receive_queue;
        var total = 0;

        // spin_lock_bh(&rcvq->lock)
        var skb = __first_packet_length(sk, rcvq, ref total);
        if (skb is null && !skb_queue_empty_lockless(sk_queue))
        {
            skb_queue_splice_tail_init(sk_queue, rcvq);
            skb = __first_packet_length(sk, rcvq, ref total);
        }

        var res = skb is not null ? (int)skb.len : -1;
        if (total != 0)
        {
            udp_rmem_release(sk, total, 1, false);
        }

        return res;
    }

    // net/ipv4/udp.c: __skb_recv_udp
    /// <summary>
    /// Takes the next datagram: from the reader queue, refilled from
    /// sk_receive_queue; if both are empty, sleeps in
    /// __skb_wait_for_more_packets until one arrives, the timeout
    /// (SO_RCVTIMEO) runs out (-EAGAIN) or an error is posted (sk_err:
    /// ECONNREFUSED after a port unreachable).
    /// </summary>
    [MightSleep]
    public static async ValueTask<(sk_buff? Skb, int Err)> __skb_recv_udp(sock sk, int flags)
    {
        // not ported: sk_busy_loop, sk_can_busy_loop — no busy polling (no NAPI ids)
        var sk_queue = sk.sk_receive_queue;
        var queue = udp_sk(sk).reader_queue;
        var timeo = sock_rcvtimeo(sk, (flags & MSG_DONTWAIT) != 0);
        int error;

        while (true)
        {
            error = sock_error(sk);
            if (error != 0)
            {
                break;
            }

            error = -errno_base_h.EAGAIN;

            // spin_lock_bh(&queue->lock)
            var skb = __skb_try_recv_from_queue(queue, flags, out _);
            if (skb is not null)
            {
                if ((flags & MSG_PEEK) == 0)
                {
                    udp_skb_destructor(sk, skb);
                }

                return (skb, 0);
            }

            if (!skb_queue_empty_lockless(sk_queue))
            {
                // Refill the reader queue and walk it again, both queues locked.
                skb_queue_splice_tail_init(sk_queue, queue);
                skb = __skb_try_recv_from_queue(queue, flags, out _);
                if (skb is not null && (flags & MSG_PEEK) == 0)
                {
                    udp_skb_dtor_locked(sk, skb);
                }

                if (skb is not null)
                {
                    return (skb, 0);
                }
            }

            // sk_queue is empty; reader_queue may hold peeked packets.
            if (timeo == 0)
            {
                break;
            }

            var w = await __skb_wait_for_more_packets(sk, sk_queue, timeo, sk_queue.last);
            timeo = w.timeo;
            if (w.error != 0)
            {
                error = w.err;
                break;
            }
        }

        return (null, error);
    }

    /// <summary>
    /// __udp_lib_checksum_complete / skb_copy_and_csum_datagram_msg's
    /// inputs: where the UDP checksum coverage starts (the pulled header) and
    /// the pseudo-header sum (skb->csum after udp4_csum_init in C).
    /// </summary>
    [KernelNet.Annotations.NotInLinux("the coverage half of udp4_csum_init (UDP-Lite coverage, skb->csum start), split out")]
    [Borrows("skb")]
    private static (int Start, uint Pseudo) udp_csum_coverage(sk_buff skb)
    {
        var iph = ip_hdr(skb);
        var ulen = skb.data + skb.len - skb.transport_header;
        return (skb.transport_header, checksum_h.csum_tcpudp_nofold(iph.saddr, iph.daddr, ulen, (byte)in_h.IPPROTO_UDP, 0));
    }

    // net/ipv4/udp.c: udp_recvmsg
    /// <summary>
    /// recvfrom() on a UDP socket (RX-13): take a datagram (sleeping if none),
    /// copy it to the user — copy_linear_skb when its checksum needs no work
    /// (no skb_copy_datagram_iovec tracepoint, as 6.18 chooses), else
    /// skb_copy_and_csum_datagram_msg, which verifies the checksum only now:
    /// a bad one is dropped here (UDP_CSUM, InCsumErrors + InErrors) and the
    /// next datagram read instead. Fills in the sender, counts InDatagrams,
    /// frees the skb. MSG_TRUNC returns the datagram's full length.
    /// </summary>
    [MightSleep]
    public static async ValueTask<int> udp_recvmsg(sock sk, msghdr msg, int len, int flags)
    {
        // not ported: inet_cmsg_flags — only IP_PKTINFO is tested, inline
        // not ported: DECLARE_SOCKADDR — no user memory: messages and addresses are C# objects, nothing to copy or check from user space
        // not ported: IS_UDPLITE — no UDP-Lite
        // not ported: UDP_SKB_CB, udp_test_bit — field accessors: the port reads or sets these fields directly
        // not ported: cond_resched — a task gives way only on its return to user space in the port: one that needs to reschedule keeps the CPU through this retry
        // not ported: kfree_skb — the port uses kfree_skb_reason with the drop's reason
        // not ported: __udp_lib_checksum_complete — written out: __skb_checksum_bad over the datagram with the
        //   pseudo-header sum; sk_peek_offset — SO_PEEK_OFF is not ported: reads start at 0
        var net = sk.sk_net;
        var peeking = flags & MSG_PEEK;
        int err;

        if ((flags & MSG_ERRQUEUE) != 0)
        {
            // UDP queues no ICMP errors or timestamps there yet (ip_icmp_error, SO_TIMESTAMPING on datagrams are not ported)
            return ip_sockglue_c.ip_recv_error(sk, msg, len);
        }

    try_again:
        var off = 0;
        var (skb, rerr) = await __skb_recv_udp(sk, flags);
        if (skb is null)
        {
            return rerr;
        }

        var ulen = udp_skb_len(skb);
        var copied = len;
        var checksum_valid = false;
        if (copied > ulen - off)
        {
            copied = ulen - off;
        }
        else if (copied < ulen)
        {
            msg.msg_flags |= MSG_TRUNC;
        }

        // Checksum while copying if we can; a truncated or peeked read checks first.
        var (csum_start, pseudo) = udp_csum_coverage(skb);
        if (copied < ulen || peeking != 0)
        {
            checksum_valid = udp_skb_csum_unnecessary(skb) || !__skb_checksum_bad(skb, csum_start, pseudo);
            if (!checksum_valid)
            {
                goto csum_copy_err;
            }
        }

        if (checksum_valid || udp_skb_csum_unnecessary(skb))
        {
            if (udp_skb_is_linear(skb))
            {
                err = copy_linear_skb(skb, copied, off, msg);
            }
            else
            {
                // skb_copy_datagram_msg
                err = skb_copy_datagram_iter(skb, off, msg, copied);
            }
        }
        else
        {
            err = skb_copy_and_csum_datagram_msg(skb, off, msg, csum_start, pseudo);
            if (err == -errno_base_h.EINVAL)
            {
                goto csum_copy_err;
            }
        }

        if (err != 0)
        {
            if (peeking == 0)
            {
                udp_drops_inc(sk);
                UDP_INC_STATS(net, udp_mib_field.UDP_MIB_INERRORS);
            }

            // 6.18 uses plain kfree_skb for a failed copy: NOT_SPECIFIED
            kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
            return err;
        }

        if (peeking == 0)
        {
            UDP_INC_STATS(net, udp_mib_field.UDP_MIB_INDATAGRAMS);
        }

        sock_recv_cmsgs(msg, sk, skb);

        // Copy the address.
        if (msg.msg_name is { } name && name.Length >= in_h.SOCKADDR_IN_SIZE)
        {
            var sin = new sockaddr_in(name);
            sin.sin_family = AF_INET;
            sin.sin_port = udp_hdr(skb).source;
            sin.sin_addr = ip_hdr(skb).saddr;
            name.AsSpan(8, 8).Clear();
            msg.msg_namelen = in_h.SOCKADDR_IN_SIZE;
        }

        if (udp_sk(sk).gro_enabled)
        {
            Include.Linux.udp_h.udp_cmsg_recv(msg, sk, skb);
        }

        if (inet_sk(sk).pktinfo) // inet_cmsg_flags(inet)
        {
            ip_cmsg_recv_offset(msg, sk, skb, udphdr.Size, off);
        }

        err = copied;
        if ((flags & MSG_TRUNC) != 0)
        {
            err = ulen;
        }

        skb_consume_udp(sk, skb, peeking != 0 ? -err : err);
        return err;

    csum_copy_err:
        if (__sk_queue_drop_skb(sk, udp_sk(sk).reader_queue, skb, flags, udp_skb_destructor) == 0)
        {
            UDP_INC_STATS(net, udp_mib_field.UDP_MIB_CSUMERRORS);
            UDP_INC_STATS(net, udp_mib_field.UDP_MIB_INERRORS);
        }

        kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_UDP_CSUM);

        // Starting over for a new packet (cond_resched: nothing to yield to).
        msg.msg_flags &= ~MSG_TRUNC;
        msg.iov_offset = 0;
        goto try_again;
    }

    // net/ipv4/udp.c: udp_connect
    /// <summary>connect of udp_prot: __ip4_datagram_connect (udp4_hash4 not ported).</summary>
    private static int udp_connect(sock sk, byte[] uaddr, int addr_len)
    {
        // not ported: __ip4_datagram_connect — the port uses ip4_datagram_connect
        // not ported: lock_sock, release_sock — a departure: this path does not take socket ownership, so a softirq arriving meanwhile processes its packet at once instead of leaving it on the backlog
        // not ported: udp4_hash4 — no 4-tuple hash (udp_lib_hash4): lookup2 finds the same socket
        // lock_sock(sk)
        var rcv_saddr = inet_sk(sk).inet_rcv_saddr;
        var res = datagram_c.ip4_datagram_connect(sk, uaddr, addr_len);

        // __ip4_datagram_connect calls sk_prot->rehash once it sets inet_rcv_saddr;
        // net/ipv4/datagram.cs does not yet, so the new secondary slot is taken here.
        if (res == 0 && rcv_saddr != inet_sk(sk).inet_rcv_saddr)
        {
            udp_v4_rehash(sk);
        }

        return res;
    }

    // net/ipv4/udp.c: __udp_disconnect
    /// <summary>connect(AF_UNSPEC): forget the peer; an address or port the user did not bind is given up too.</summary>
    public static int __udp_disconnect(sock sk, int flags)
    {
        // not ported: inet_reset_saddr — written out: both source addresses cleared (no IPv6 half)
        var inet = inet_sk(sk);
        sk.sk_state = TCP_CLOSE;
        inet.inet_daddr = 0;
        inet.inet_dport = 0;
        sock_rps_reset_rxhash(sk);
        sk.sk_bound_dev_if = 0;
        if ((sk.sk_userlocks & SOCK_BINDADDR_LOCK) == 0)
        {
            // inet_reset_saddr
            inet.inet_rcv_saddr = inet.inet_saddr = 0;
            if ((sk.sk_userlocks & SOCK_BINDPORT_LOCK) != 0)
            {
                udp_v4_rehash(sk);
            }
        }

        if ((sk.sk_userlocks & SOCK_BINDPORT_LOCK) == 0)
        {
            // Through the proto: raw sockets disconnect here too (raw_unhash_sk).
            sk.sk_prot!.unhash!(sk);
            inet.inet_sport = 0;
        }

        sk_dst_reset(sk);
        return 0;
    }

    // not ported: lock_sock, release_sock — a departure: no socket ownership is taken, so a softirq arriving meanwhile
    //   is processed at once instead of waiting on the backlog (as in udp_sendmsg)
    // net/ipv4/udp.c: udp_disconnect
    public static int udp_disconnect(sock sk, int flags) => __udp_disconnect(sk, flags);

    // net/ipv4/udp.c: udp_lib_unhash
    /// <summary>unhash of udp_prot: leave the primary and the secondary slot; the port is free again.</summary>
    public static void udp_lib_unhash(sock sk)
    {
        // not ported: reuseport_detach_sock, rcu_access_pointer — no SO_REUSEPORT groups
        // not ported: udp_get_table_prot — field accessors: the port reads or sets these fields directly
        // not ported: udp_unhash4 — no 4-tuple hash (udp_lib_hash4): lookup2 finds the same socket
        // not ported: spin_lock_bh, spin_unlock_bh, spin_lock, spin_unlock — the slots' locks: one simulated CPU runs
        //   each call to its end
        // not ported: hlist_del_init_rcu — written out on the socket's udp_portaddr_node; sock_prot_inuse_add —
        //   /proc/net/sockstat's counts are not kept
        if (sk_hashed(sk))
        {
            var udptable = udp_get_table(sk.sk_net);
            KernelNet.Kernel.Include.Net.rps_h.sock_rps_delete_flow(sk);
            ref var hslot = ref udp_hashslot(udptable, sk.sk_net, udp_sk(sk).udp_port_hash);
            ref var hslot2 = ref udp_hashslot2(udptable, udp_sk(sk).udp_portaddr_hash);

            if (sk_del_node_init_rcu(sk, ref hslot.head))
            {
                hslot.count--;
                inet_sk(sk).inet_num = 0;

                udp_portaddr_del_init(sk, ref hslot2.head);
                hslot2.count--;
            }
        }
    }

    // net/ipv4/udp.c: udp_lib_rehash
    /// <summary>The bound address changed (connect picked a source): move the socket to the secondary slot of <paramref name="newhash"/> if that is another slot.</summary>
    public static void udp_lib_rehash(sock sk, ushort newhash, ushort newhash4)
    {
        // not ported: reuseport_detach_sock, rcu_access_pointer — no SO_REUSEPORT groups
        // not ported: udp_get_table_prot — field accessors: the port reads or sets these fields directly
        // not ported: udp_hashed4, inet_rcv_saddr_any, udp_unhash4, udp_rehash4, udp_hash4_dec, udp_hash4_inc — no
        //   4-tuple hash (udp_lib_hash4): lookup2 finds the same socket, so newhash4 is not used
        // not ported: spin_lock_bh, spin_unlock_bh, spin_lock, spin_unlock — the slots' locks: one simulated CPU runs
        //   each call to its end
        // not ported: hlist_del_init_rcu, hlist_add_head_rcu — written out on the socket's udp_portaddr_node
        _ = newhash4;
        if (sk_hashed(sk))
        {
            var udptable = udp_get_table(sk.sk_net);
            var up = udp_sk(sk);

            // The primary slot (udp_hashslot) is the one the kernel locks around the move; the port takes no lock.
            ref var hslot2 = ref udp_hashslot2(udptable, up.udp_portaddr_hash);
            ref var nhslot2 = ref udp_hashslot2(udptable, newhash);

            if (!System.Runtime.CompilerServices.Unsafe.AreSame(ref hslot2, ref nhslot2))
            {
                udp_portaddr_del_init(sk, ref hslot2.head);
                hslot2.count--;

                udp_portaddr_add_head(sk, ref nhslot2.head);
                nhslot2.count++;
            }

            up.udp_portaddr_hash = newhash;
        }
    }

    // net/ipv4/udp.c: udp_v4_rehash
    /// <summary>rehash of udp_prot (called by __ip4_datagram_connect once it set inet_rcv_saddr).</summary>
    public static void udp_v4_rehash(sock sk)
    {
        // not ported: udp_ehashfn — no 4-tuple hash (udp_lib_hash4): udp_lib_rehash does not use new_hash4
        var new_hash = (ushort)ipv4_portaddr_hash(sk.sk_net, inet_sk(sk).inet_rcv_saddr, inet_sk(sk).inet_num);
        udp_lib_rehash(sk, new_hash, 0);
    }

    /// <summary>Puts <paramref name="sk"/> first on a secondary chain through its udp_portaddr_node.</summary>
    [KernelNet.Annotations.NotInLinux("hlist_add_head_rcu(&udp_sk(sk)->udp_portaddr_node, head) on the embedded node (types.cs)")]
    private static void udp_portaddr_add_head(sock sk, ref hlist_head<sock> head) => types_h.hlist_add_entry_head(sk, ref head, udp_portaddr_member);

    /// <summary>The chain member of a secondary slot: udp_portaddr_node.</summary>
    private static readonly hlist_member<sock> udp_portaddr_member = static s => ref s.skc_portaddr_node;

    /// <summary>Takes <paramref name="sk"/> off the secondary chain <paramref name="head"/> and clears its udp_portaddr_node.</summary>
    [KernelNet.Annotations.NotInLinux("hlist_del_init_rcu(&udp_sk(sk)->udp_portaddr_node) on the embedded node (types.cs)")]
    private static void udp_portaddr_del_init(sock sk, ref hlist_head<sock> head)
    {
        types_h.hlist_del_entry(sk, ref head, udp_portaddr_member);
        udp_sk(sk).udp_portaddr_node = default;
    }

    // net/ipv4/udp.c: __udp_queue_rcv_skb
    /// <summary>
    /// Queues to the socket; a full receive buffer drops SOCKET_RCVBUFF and
    /// counts RcvbufErrors and InErrors (udp_fail_queue_rcv_skb traced; UDP
    /// emits no sock_rcvqueue_full). Consumes the skb on every path.
    /// </summary>
    [Consumes("skb")]
    private static int __udp_queue_rcv_skb(sock sk, sk_buff skb)
    {
        // not ported: IS_UDPLITE — no UDP-Lite
        // not ported: sk_mark_napi_id, sk_mark_napi_id_once — no busy polling (no NAPI ids)
        if (inet_sk(sk).inet_daddr != 0)
        {
            // sk_mark_napi_id: no busy polling.
            sock_rps_save_rxhash(sk, skb);
            sk_incoming_cpu_update(sk);
        }

        var rc = __udp_enqueue_schedule_skb(sk, skb);
        if (rc < 0)
        {
            var net = sk.sk_net;
            skb_drop_reason drop_reason;

            // Note that an ENOMEM error is charged twice.
            if (rc == -errno_base_h.ENOMEM)
            {
                UDP_INC_STATS(net, udp_mib_field.UDP_MIB_RCVBUFERRORS);
                drop_reason = skb_drop_reason.SKB_DROP_REASON_SOCKET_RCVBUFF;
            }
            else
            {
                UDP_INC_STATS(net, udp_mib_field.UDP_MIB_MEMERRORS);
                drop_reason = skb_drop_reason.SKB_DROP_REASON_PROTO_MEM;
            }

            UDP_INC_STATS(net, udp_mib_field.UDP_MIB_INERRORS);
            trace_udp_fail_queue_rcv_skb(rc, sk, skb);
            sk_skb_reason_drop(sk, skb, drop_reason);
            return -1;
        }

        return 0;
    }

    // net/ipv4/udp.c: udp_queue_rcv_one_skb
    /// <summary>
    /// Charges one datagram to the socket: the socket filter (with its
    /// checksum check first) may refuse or trim it, the UDP header is pulled,
    /// the route let go (ipv4_pktinfo_prepare), and the payload queued. A
    /// refused datagram counts InErrors (and InCsumErrors for a bad sum) and
    /// the socket's sk_drops. Returns 0 when queued, -1 when dropped; consumes
    /// the skb either way.
    /// </summary>
    [Consumes("skb")]
    private static int udp_queue_rcv_one_skb(sock sk, sk_buff skb)
    {
        // not ported: IS_UDPLITE — no UDP-Lite
        // not ported: UDP_SKB_CB, udp_test_bit — field accessors: the port reads or sets these fields directly
        // not ported: __UDP_INC_STATS — the port uses UDP_INC_STATS
        // not ported: net_dbg_ratelimited — a debug-level message, off unless dynamic debug enables it: nothing is logged
        var drop_reason = skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED;
        var net = sk.sk_net;

        // not ported: xfrm4_policy_check — no IPsec policies: every datagram passes.
        // nf_reset_ct: conntrack is not ported.

        // not ported: the encap_rcv hook (udp_encap_needed_key, up->encap_type) — no
        // encapsulation socket (ESP-in-UDP, L2TP, VXLAN, GUE) is ported, so every datagram
        // falls through to plain UDP.

        // not ported: the UDPLITE_RECV_CC coverage checks — no UDP-Lite.

        // A socket filter looks at the payload: the checksum must be right before it runs.
        // sk->sk_filter is always NULL (SO_ATTACH_FILTER is not ported), so the
        // udp_lib_checksum_complete that 6.18 runs here with a filter attached never runs.
        if (Core.filter_c.sk_filter_trim_cap(sk, skb, (uint)udphdr.Size, out drop_reason) != 0)
        {
            goto drop;
        }

        udp_csum_pull_header(skb);

        ipv4_pktinfo_prepare(sk, skb, true);
        return __udp_queue_rcv_skb(sk, skb);

    drop:
        UDP_INC_STATS(net, udp_mib_field.UDP_MIB_INERRORS);
        udp_drops_inc(sk);
        sk_skb_reason_drop(sk, skb, drop_reason);
        return -1;
    }

    // net/ipv4/udp.c: udp_queue_rcv_skb
    /// <summary>udp_queue_rcv_one_skb for the skb — a GRO-merged one whole (only a UDP_GRO socket, which accepts it, gets one). -1 dropped, 0 queued.</summary>
    [Consumes("skb")]
    private static int udp_queue_rcv_skb(sock sk, sk_buff skb)
    {
        // not ported: ip_protocol_deliver_rcu — no encap_rcv, so nothing is resubmitted
        // not ported: udp_post_segment_fix_csum, skb_list_walk_safe, __skb_pull, __skb_push — no segmenting of GRO skbs (udp_rcv_segment): the skb is queued as one datagram
        // not ported: skb_mac_offset, skb_transport_offset — field accessors: the port reads or sets these fields directly
        // not ported: udp_unexpected_gso, udp_rcv_segment — GRO merges UDP only for a socket that asked
        // for UDP_GRO (ACCEPT_L4 set with it), so the one GSO skb that reaches a socket is one it accepts;
        // segmenting (__udp_gso_segment) for a socket that turned UDP_GRO off meanwhile is not ported.
        return udp_queue_rcv_one_skb(sk, skb);
    }

    // net/ipv4/udp.c: __udp_is_mcast_sock
    /// <summary>
    /// Does this socket take a broadcast/multicast datagram to
    /// <paramref name="loc_addr"/>:<paramref name="hnum"/> from rmt: its port
    /// matches, and its bound address, connected peer and bound device, where
    /// set, match too.
    /// </summary>
    private static bool __udp_is_mcast_sock(net net, sock sk, ushort loc_port, uint loc_addr, ushort rmt_port, uint rmt_addr, int dif, int sdif, ushort hnum)
    {
        // not ported: net_eq — namespaces are compared by reference (==)
        _ = loc_port;
        var inet = inet_sk(sk);

        // ipv6_only_sock: no IPv6 sockets.
        if (sk.sk_net != net ||
            udp_sk(sk).udp_port_hash != hnum ||
            (inet.inet_daddr != 0 && inet.inet_daddr != rmt_addr) ||
            (inet.inet_dport != rmt_port && inet.inet_dport != 0) ||
            (inet.inet_rcv_saddr != 0 && inet.inet_rcv_saddr != loc_addr) ||
            !udp_sk_bound_dev_eq(net, sk.sk_bound_dev_if, dif, sdif))
        {
            return false;
        }

        // not ported: ip_mc_sf_allow — no multicast memberships or source filters (igmp.c); it
        // allows every broadcast, and a multicast to a socket with no memberships (IP_MULTICAST_ALL
        // is 1 by default), so it would allow every datagram that reaches here.
        return true;
    }

    // net/ipv4/udp.c: __udp4_lib_mcast_deliver
    /// <summary>
    /// A broadcast or multicast datagram goes to every socket of its port
    /// that matches (__udp_is_mcast_sock): each but the first gets a clone,
    /// the first the skb itself. With no match the skb is freed
    /// (NOT_SPECIFIED) and IgnoredMulti counted — no ICMP error for a
    /// broadcast. Consumes the skb. Softirq.
    /// </summary>
    [Consumes("skb")]
    private static int __udp4_lib_mcast_deliver(net net, sk_buff skb, udphdr uh, uint saddr, uint daddr, udp_table udptable, int proto)
    {
        // not ported: IS_UDPLITE — no UDP-Lite
        // not ported: __UDP_INC_STATS — the port uses UDP_INC_STATS
        // not ported: ntohs, htonl — ports are host-order here; INADDR_ANY is 0 in either order
        // not ported: sk_for_each_entry_offset_rcu — written out: the chain through sk_node (primary slot) or
        //   udp_portaddr_node (secondary), each socket's successor read before the socket is fed, as an RCU walk
        //   would still see it
        _ = proto;
        sock? first = null;
        var hnum = uh.dest;
        ref var hslot = ref udp_hashslot(udptable, net, hnum);
        uint hash2 = 0, hash2_any = 0;
        var use_hash2 = hslot.count > 10;
        var portaddr = false; // offset: sk_node, or skc_portaddr_node on the secondary slots
        var dif = skb.dev!.ifindex;
        var sdif = 0; // inet_sdif: no L3 master devices

        if (use_hash2)
        {
            hash2_any = ipv4_portaddr_hash(net, in_h.INADDR_ANY, hnum) & udptable.mask;
            hash2 = ipv4_portaddr_hash(net, daddr, hnum) & udptable.mask;
        }

    // restructured: C# cannot jump into a block: the label is hoisted out of the use_hash2 branch
    start_lookup:
        if (use_hash2)
        {
            hslot = ref udptable.hash2[hash2];
            portaddr = true;
        }

        sock? next;
        for (var sk = hslot.head.first; sk is not null; sk = next)
        {
            next = portaddr ? sk.skc_portaddr_node.next : sk.sk_node.next;
            if (!__udp_is_mcast_sock(net, sk, uh.dest, daddr, uh.source, saddr, dif, sdif, hnum))
            {
                continue;
            }

            if (first is null)
            {
                first = sk;
                continue;
            }

            var nskb = skb_clone(skb);
            if (nskb is null)
            {
                udp_drops_inc(sk);
                UDP_INC_STATS(net, udp_mib_field.UDP_MIB_RCVBUFERRORS);
                UDP_INC_STATS(net, udp_mib_field.UDP_MIB_INERRORS);
                continue;
            }

            // Only an encapsulation socket's resubmission returns > 0, to be consumed here;
            // encap_rcv is not ported, so the result is -1 (dropped) or 0 (queued).
            // not ported: consume_skb of a resubmitted clone — no encap_rcv.
            _ = udp_queue_rcv_skb(sk, nskb);
        }

        // Also lookup *:port if we are using hash2 and haven't done so yet.
        if (use_hash2 && hash2 != hash2_any)
        {
            hash2 = hash2_any;
            goto start_lookup;
        }

        if (first is not null)
        {
            // As for the clones: never > 0 without encap_rcv.
            _ = udp_queue_rcv_skb(first, skb);
        }
        else
        {
            // 6.18 frees it with plain kfree_skb: NOT_SPECIFIED
            kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
            UDP_INC_STATS(net, udp_mib_field.UDP_MIB_IGNOREDMULTI);
        }

        return 0;
    }

    // net/ipv4/udp.c: udp4_csum_init
    /// <summary>
    /// Sets up the checksum state (skb_checksum_init_zero_check): a zero
    /// check field means "no checksum" and is good; an skb whose sum is
    /// known (CHECKSUM_UNNECESSARY/PARTIAL) needs nothing; otherwise a
    /// datagram of CHECKSUM_BREAK (76) bytes or less is summed now — nonzero
    /// (bad) sends __udp4_lib_rcv to csum_error before any socket is looked
    /// up — and a longer one is left to the reader (udp_recvmsg,
    /// first_packet_length) or to the no-socket path.
    /// </summary>
    /// <remarks>
    /// departure: skb->csum and skb->csum_valid are not modelled; a sum found
    /// good here is kept as the scratch's csum_unnecessary (the flag 6.18
    /// derives from csum_valid at enqueue), and only on an unshared skb, as
    /// __skb_checksum_complete records it.
    /// </remarks>
    [Borrows("skb")]
    [Borrows("skb")]
    private static int udp4_csum_init(sk_buff skb, udphdr uh, int proto)
    {
        // not ported: UDP_SKB_CB — field accessors: the port reads or sets these fields directly
        // not ported: inet_compute_pseudo, skb_checksum_complete_unset — no CHECKSUM_COMPLETE (skb->csum is not kept): the
        //   pseudo-header is summed when the datagram is verified (udp_lib_checksum_complete)
        _ = proto;
        UDP_SKB_CB_set(skb, (ushort)skb.len, false);

        // not ported: udplite_checksum_init — no UDP-Lite.

        // skb_checksum_init_zero_check -> __skb_checksum_validate(zero_okay).
        if (skb.ip_summed == CHECKSUM_UNNECESSARY || skb.ip_summed == CHECKSUM_PARTIAL)
        {
            return 0;
        }

        if (uh.check == 0)
        {
            // zero_okay: the sender computed no checksum.
            udp_skb_scratch_set(skb, udp_skb_scratch(skb) with { csum_unnecessary = true });
            return 0;
        }

        udp_skb_scratch_set(skb, udp_skb_scratch(skb) with { csum_unnecessary = false });

        // __skb_checksum_validate_complete: short packets are summed at once.
        if (skb.len <= CHECKSUM_BREAK)
        {
            if (udp_lib_checksum_complete(skb))
            {
                return 1;
            }

            if (!skb_shared(skb))
            {
                udp_skb_scratch_set(skb, udp_skb_scratch(skb) with { csum_unnecessary = true }); // csum_valid
            }
        }

        // The CHECKSUM_COMPLETE branch (hardware sum found bad) cannot arise: no ported device
        // delivers CHECKSUM_COMPLETE.
        return 0;
    }

    // net/ipv4/udp.c: udp_unicast_rcv_skb
    /// <summary>udp_queue_rcv_skb for a unicast datagram, turning its result into ip_protocol_deliver_rcu's (0, or -protocol to resubmit).</summary>
    [Consumes("skb")]
    private static int udp_unicast_rcv_skb(sock sk, sk_buff skb, udphdr uh)
    {
        // not ported: IS_UDPLITE — no UDP-Lite
        _ = uh;

        // not ported: skb_checksum_try_convert under inet_get_convert_csum — the convert-to-
        // CHECKSUM_COMPLETE option (UDP_NO_CHECK6_RX's sibling for GRO) is not ported.
        var ret = udp_queue_rcv_skb(sk, skb);
        return ret > 0 ? -ret : 0;
    }

    // net/ipv4/udp.c: __udp4_lib_rcv
    /// <summary>
    /// Validates the length and, for a short datagram, the checksum (a bad
    /// one is dropped here, UDP_CSUM, and never wakes a reader); hands a
    /// broadcast or multicast to every matching socket; otherwise finds the
    /// socket by the 4-tuple and queues the datagram (a longer one's checksum
    /// is checked when read). With no socket: a bad checksum is dropped
    /// silently (UDP_CSUM), otherwise NoPorts, ICMP port unreachable and
    /// NO_SOCKET. Consumes the skb on every path. Softirq.
    /// </summary>
    [Consumes("skb")]
    private static int __udp4_lib_rcv(sk_buff skb, int proto)
    {
        // not ported: __UDP_INC_STATS — the port uses UDP_INC_STATS
        // not ported: net_dbg_ratelimited — a debug-level message, off unless dynamic debug enables it: nothing is logged
        // not ported: skb_dst — field accessors: the port reads or sets these fields directly
        // not ported: sock_put — the .NET runtime allocates and frees memory: objects live while referenced, no refcounts or caches
        sock? sk = null;
        var rt = skb_rtable(skb);
        var net = skb.dev!.nd_net;
        var drop_reason = skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED;

        // Validate the packet.
        if (!pskb_may_pull(skb, udphdr.Size))
        {
            goto drop; // No space for header.
        }

        var uh = udp_hdr(skb);
        var ulen = uh.len;
        var saddr = ip_hdr(skb).saddr;
        var daddr = ip_hdr(skb).daddr;

        if (ulen > skb.len)
        {
            goto short_packet;
        }

        // UDP validates ulen.
        if (ulen < udphdr.Size || pskb_trim_rcsum(skb, ulen) != 0)
        {
            goto short_packet;
        }

        uh = udp_hdr(skb);
        if (udp4_csum_init(skb, uh, proto) != 0)
        {
            goto csum_error;
        }

        // not ported: inet_steal_sock — no BPF sk_assign; udp_sk_rx_dst_set — no early demux.
        if (rt is not null && (rt.rt_flags & (RTCF_BROADCAST | RTCF_MULTICAST)) != 0)
        {
            return __udp4_lib_mcast_deliver(net, skb, uh, saddr, daddr, udp_get_table(net), proto);
        }

        sk = __udp4_lib_lookup_skb(skb, uh.source, uh.dest);
        if (sk is not null)
        {
            return udp_unicast_rcv_skb(sk, skb, uh);
        }

        // not ported: xfrm4_policy_check — no IPsec policies.
        // nf_reset_ct: conntrack is not ported.

        // No socket. Drop packet silently, if checksum is wrong.
        if (udp_lib_checksum_complete(skb))
        {
            goto csum_error;
        }

        drop_reason = skb_drop_reason.SKB_DROP_REASON_NO_SOCKET;
        UDP_INC_STATS(net, udp_mib_field.UDP_MIB_NOPORTS);
        Include.Net.icmp_h.icmp_send(skb, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0);

        // A datagram to a port nobody listens on.
        sk_skb_reason_drop(sk, skb, drop_reason);
        return 0;

    short_packet:
        drop_reason = skb_drop_reason.SKB_DROP_REASON_PKT_TOO_SMALL;
        goto drop;

    csum_error:
        // RFC1122 4.1.3.4: discard bad packets silently (MUST).
        drop_reason = skb_drop_reason.SKB_DROP_REASON_UDP_CSUM;
        UDP_INC_STATS(net, udp_mib_field.UDP_MIB_CSUMERRORS);
    drop:
        UDP_INC_STATS(net, udp_mib_field.UDP_MIB_INERRORS);
        sk_skb_reason_drop(sk, skb, drop_reason);
        return 0;
    }

    // net/ipv4/udp.c: udp_rcv
    /// <summary>IPPROTO_UDP's handler (net_protocol), from ip_local_deliver_finish in the NET_RX softirq.</summary>
    [Consumes("skb")]
    public static int udp_rcv(sk_buff skb) => __udp4_lib_rcv(skb, in_h.IPPROTO_UDP);

    // net/ipv4/udp.c: __udp4_lib_err
    /// <summary>
    /// An ICMP error about a datagram we sent: find its socket; port
    /// unreachable becomes ECONNREFUSED, host unreachable EHOSTUNREACH —
    /// reported (sk_err) only on a connected socket or with IP_RECVERR.
    /// </summary>
    [Borrows("skb")]
    private static int __udp4_lib_err(sk_buff skb, uint info)
    {
        // not ported: __udp4_lib_err_encap — no lightweight tunnels, tunnel metadata or UDP encapsulation
        // not ported: __ICMP_INC_STATS — ICMP_MIB_INERRORS counted directly; inet_sdif — no L3 master devices: 0;
        //   ipv4_sk_redirect — ICMP redirects are not followed (route.c's header); ip_icmp_error — IP_RECVERR's error
        //   queue report of ICMP errors is not ported (the error only sets sk_err)
        var iph = new iphdr(skb.head.AsSpan(skb.data));
        var uh = new udphdr(skb.head.AsSpan(skb.data + (iph.ihl * 4)));
        var icmph = new icmphdr(skb.head.AsSpan(skb.transport_header));
        var type = icmph.type;
        var code = icmph.code;
        var net = skb.dev!.nd_net;

        var sk = __udp4_lib_lookup(net, iph.daddr, uh.dest, iph.saddr, uh.source, skb.dev.ifindex, 0);
        if (sk is null)
        {
            netns_ipv4.of(net).mib.icmp_statistics[(int)icmp_mib_field.ICMP_MIB_INERRORS]++;
            return 0;
        }

        var err = 0;
        var harderr = false;
        var inet = (inet_sock)sk.proto_data!;
        switch (type)
        {
            default:
            case ICMP_TIME_EXCEEDED:
                err = errno_h.EHOSTUNREACH;
                break;
            case ICMP_SOURCE_QUENCH:
                goto @out;
            case ICMP_PARAMETERPROB:
                err = errno_h.EPROTO;
                harderr = true;
                break;
            case ICMP_DEST_UNREACH:
                if (code == ICMP_FRAG_NEEDED)
                {
                    // Path MTU discovery
                    route_c.ipv4_sk_update_pmtu(skb, sk, info);
                    if (inet.pmtudisc != 0 /* IP_PMTUDISC_DONT */)
                    {
                        err = errno_h.EMSGSIZE;
                        harderr = true;
                        break;
                    }

                    goto @out;
                }

                err = errno_h.EHOSTUNREACH;
                if (code <= NR_ICMP_UNREACH)
                {
                    (err, harderr) = icmp_c.icmp_err_convert(code);
                }

                break;
            case ICMP_REDIRECT:
                // ipv4_sk_redirect: the route's business.
                goto @out;
        }

        // RFC1122 4.1.3.3: pass ICMP errors back to the application — on an
        // unconnected socket only with IP_RECVERR, and only hard errors otherwise.
        if (!inet.recverr)
        {
            if (!harderr || sk.sk_state != TCP_ESTABLISHED)
            {
                goto @out;
            }
        }
        else
        {
            // ip_icmp_error: the error queue (MSG_ERRQUEUE) is not ported; sk_err is still set.
        }

        sk.sk_err = err;
        Core.sock_c.sk_error_report(sk);
    @out:
        return 0;
    }

    // net/ipv4/udp.c: udp_err
    [Borrows("skb")]
    public static int udp_err(sk_buff skb, uint info) => __udp4_lib_err(skb, info);

    // net/ipv4/udp.c: udp_destroy_sock
    /// <summary>destroy of udp_prot: mark the socket dead (no more wakeups), drop any corked frames.</summary>
    public static void udp_destroy_sock(sock sk)
    {
        // not ported: udp_flush_pending_frames — no corking: no pending frames to flush
        // not ported: lock_sock_fast, unlock_sock_fast — a departure: this path does not take socket ownership, so a softirq arriving meanwhile processes its packet at once instead of leaving it on the backlog
        // not ported: udp_test_bit — field accessors: the port reads or sets these fields directly
        // not ported: udp_tunnel_cleanup_gro — no lightweight tunnels, tunnel metadata or UDP encapsulation
        // lock_sock_fast: protects from races with udp_abort().
        sock_set_flag(sk, sock_flags.SOCK_DEAD);

        // udp_flush_pending_frames: corking is not ported, so nothing is pending.

        // An encap socket gives its count in udp_encap_needed_key back.
        // not ported: the encap_destroy hook — no tunnel sockets.
        if (udp_sk(sk).encap_enabled)
        {
            udp_encap_disable(sk.sk_net.k);
        }
    }

    // net/ipv4/udp.c: udp_setsockopt
    /// <summary>
    /// setsockopt of udp_prot (udp_lib_setsockopt): SOL_SOCKET goes to
    /// sk_setsockopt — and SO_RCVBUF also resets forward_threshold to a
    /// quarter of the new buffer; SOL_UDP options are not ported; other
    /// levels are IP's (ip_setsockopt).
    /// </summary>
    public static int udp_setsockopt(sock sk, int level, int optname, long val)
    {
        if (level == SOL_SOCKET)
        {
            var err = Core.sock_c.sk_setsockopt(sk, level, optname, val);
            if (optname == SO_RCVBUF || optname == SO_RCVBUFFORCE)
            {
                // Paired with the read in udp_rmem_release().
                udp_sk(sk).forward_threshold = sk.sk_rcvbuf >> 2;
            }

            return err;
        }

        if (level == SOL_UDP)
        {
            // udp_lib_setsockopt: UDP_GRO turns GRO_ENABLED and ACCEPT_L4 on or off together; turning it
            // on counts the socket (once) in udp_encap_needed_key, so GRO starts looking UDP sockets up.
            // not ported: UDP_CORK, UDP_ENCAP, UDP_NO_CHECK6_TX/RX, UDP_SEGMENT, UDPLITE_*_CSCOV.
            if (optname != Include.Linux.udp_h.UDP_GRO)
            {
                return -errno_h.ENOPROTOOPT;
            }

            // sockopt_lock_sock: the simulation runs one syscall at a time.
            if (val != 0)
            {
                Include.Net.udp_tunnel_h.udp_tunnel_encap_enable(sk);
            }

            udp_sk(sk).gro_enabled = val != 0;
            udp_sk(sk).accept_l4 = val != 0;

            // set_xfrm_gro_udp_encap_rcv: no IPsec (encap_type is never set).
            return 0;
        }

        return ip_setsockopt(sk, level, optname, val);
    }

    // net/ipv4/udp.c: udp_setsockopt
    /// <summary>
    /// The same with the value as a buffer (sockptr_t): SOL_SOCKET reads it
    /// in sk_setsockopt (struct linger is two ints); any other level takes
    /// an int from it.
    /// </summary>
    public static int udp_setsockopt(sock sk, int level, int optname, byte[] optval, int optlen)
    {
        // not ported: ip_setsockopt — reached through the int overload above, which takes the int read here
        if (level == SOL_SOCKET)
        {
            var err = Core.sock_c.sk_setsockopt(sk, level, optname, optval, optlen);
            if (optname == SO_RCVBUF || optname == SO_RCVBUFFORCE)
            {
                // Paired with the read in udp_rmem_release().
                udp_sk(sk).forward_threshold = sk.sk_rcvbuf >> 2;
            }

            return err;
        }

        if (optlen < sizeof(int))
        {
            return -errno_base_h.EINVAL;
        }

        return udp_setsockopt(sk, level, optname, System.BitConverter.ToInt32(optval, 0));
    }

    // net/ipv4/udp.c: udp_encap_enable
    /// <summary>static_branch_inc(&amp;udp_encap_needed_key).</summary>
    public static void udp_encap_enable(Vmlinux k) => k.globals<udp_globals>().udp_encap_needed_key++;

    // net/ipv4/udp.c: udp_encap_disable
    /// <summary>static_branch_dec(&amp;udp_encap_needed_key).</summary>
    public static void udp_encap_disable(Vmlinux k) => k.globals<udp_globals>().udp_encap_needed_key--;

    // net/ipv4/udp.c: udp_getsockopt
    /// <summary>getsockopt of udp_prot: SOL_SOCKET from sk_getsockopt, IP levels from ip_getsockopt.</summary>
    public static (int Err, long Val) udp_getsockopt(sock sk, int level, int optname)
    {
        // not ported: ip_getsockopt, udp_lib_getsockopt — written out: the few options read back (UDP_GRO, IP_RECVERR, IP_TTL,
        //   IP_TOS, IP_MTU_DISCOVER) are answered here
        if (level == SOL_SOCKET)
        {
            var err = Core.sock_c.sk_getsockopt(sk, level, optname, out var v);
            return (err, v);
        }

        if (level == SOL_UDP)
        {
            // udp_lib_getsockopt: UDP_GRO reads GRO_ENABLED back.
            // not ported: UDP_CORK, UDP_ENCAP, UDP_NO_CHECK6_*, UDP_SEGMENT, UDPLITE_*_CSCOV — none ported on the set side.
            return optname == Include.Linux.udp_h.UDP_GRO ? (0, udp_sk(sk).gro_enabled ? 1 : 0) : (-errno_h.ENOPROTOOPT, 0);
        }

        var inet = inet_sk(sk);
        return optname switch
        {
            in_h.IP_RECVERR when level == SOL_IP => (0, inet.recverr ? 1 : 0),
            in_h.IP_TTL when level == SOL_IP => (0, inet.uc_ttl < 0 ? netns_ipv4.of(sk.sk_net).sysctl_ip_default_ttl : inet.uc_ttl),
            in_h.IP_TOS when level == SOL_IP => (0, inet.tos),
            in_h.IP_MTU_DISCOVER when level == SOL_IP => (0, inet.pmtudisc),
            _ => (-errno_h.ENOPROTOOPT, 0),
        };
    }

    // net/ipv4/udp.c: udp_poll
    /// <summary>
    /// poll of a UDP socket: datagram_poll, plus EPOLLIN for datagrams already
    /// moved to the reader queue; a blocking socket whose only datagrams have
    /// bad checksums is not readable (they are dropped here, so a read would
    /// not block forever on a poll that lied).
    /// </summary>
    public static uint udp_poll(object file, socket sock, poll_table_struct? wait)
    {
        var mask = Core.datagram_c.datagram_poll(file, sock, wait);
        var sk = sock.sk!;

        if (!skb_queue_empty_lockless(udp_sk(sk).reader_queue))
        {
            mask |= Include.Uapi.Linux.eventpoll_h.EPOLLIN | Include.Uapi.Linux.eventpoll_h.EPOLLRDNORM;
        }

        // false positives from checksum errors (file->f_flags & O_NONBLOCK: the port keeps it on the socket)
        if ((mask & Include.Uapi.Linux.eventpoll_h.EPOLLRDNORM) != 0 && !sock.nonblock &&
            (sk.sk_shutdown & RCV_SHUTDOWN) == 0 && first_packet_length(sk) == -1)
        {
            mask &= ~(Include.Uapi.Linux.eventpoll_h.EPOLLIN | Include.Uapi.Linux.eventpoll_h.EPOLLRDNORM);
        }

        // a psock's ingress queue (sk_is_readable): BPF sockmap is not ported
        if (sk_is_readable(sk))
        {
            mask |= Include.Uapi.Linux.eventpoll_h.EPOLLIN | Include.Uapi.Linux.eventpoll_h.EPOLLRDNORM;
        }

        return mask;
    }

    // net/ipv4/udp.c: udp_get_first
    /// <summary>The first socket of <paramref name="net"/> on a primary slot from <paramref name="start"/> on; <paramref name="bucket"/> is left at its slot (past the mask when none).</summary>
    private static sock? udp_get_first(net net, udp_table udptable, ref int bucket, int start)
    {
        // not ported: udp_get_table_seq — the namespace's table is given (no BPF iterator with a table of its own)
        // not ported: seq_file_net — the namespace is given
        // not ported: spin_lock_bh, spin_unlock_bh — the slot's lock, held in C from here until the walk leaves the slot
        // not ported: seq_sk_match — written out: the socket's namespace is the reader's (AF_INET is the only family)
        // not ported: hlist_empty — written out: a chain is empty when it has no first socket
        for (bucket = start; bucket <= udptable.mask; ++bucket)
        {
            ref var hslot = ref udptable.hash[bucket];
            if (hslot.head.first is null)
            {
                continue;
            }

            foreach (var sk in sk_for_each(hslot.head))
            {
                if (sk.sk_net == net)
                {
                    return sk;
                }
            }
        }

        return null;
    }

    // net/ipv4/udp.c: udp_get_next
    /// <summary>The socket of <paramref name="net"/> after <paramref name="sk"/>: on along its chain, then on from the next slot.</summary>
    private static sock? udp_get_next(net net, udp_table udptable, ref int bucket, sock sk)
    {
        // not ported: seq_file_net, udp_get_table_seq — the namespace and its table are given
        // not ported: spin_unlock_bh — the slot's lock (see udp_get_first)
        // not ported: seq_sk_match — written out: the socket's namespace is the reader's
        sock? next = sk;
        do
        {
            next = sk_next(next);
        }
        while (next is not null && next.sk_net != net);

        if (next is null)
        {
            return udp_get_first(net, udptable, ref bucket, bucket + 1);
        }

        return next;
    }

    // net/ipv4/udp.c: udp4_format_sock
    /// <summary>
    /// One /proc/net/udp line: the slot, addresses (network order printed as
    /// a host number, as the kernel's %08X of a __be32 shows on x86), state,
    /// the send and receive queues (udp_rqueue_get: sk_rmem_alloc less the
    /// forward deficit), uid 0 (the simulation's tasks are root), the inode,
    /// the reference count, the pointer as kptr_restrict prints it, and the
    /// socket's drops. sk_refcnt is not kept: 2, as a bound socket shows.
    /// </summary>
    private static void udp4_format_sock(sock sp, System.Text.StringBuilder f, int bucket)
    {
        // not ported: sk_uid — field accessors: the port reads or sets these fields directly
        var inet = inet_sk(sp);
        var dest = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(inet.inet_daddr);
        var src = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(inet.inet_rcv_saddr);
        var ino = (sp.sk_socket as socket)?.i_ino ?? 0; // sock_i_ino
        var rqueue = sk_rmem_alloc_get(sp) - udp_sk(sp).forward_deficit; // udp_rqueue_get

        f.Append(System.FormattableString.Invariant($"{bucket,5}: {src:X8}:{inet.inet_sport:X4} {dest:X8}:{inet.inet_dport:X4} {sp.sk_state:X2} {sk_wmem_alloc_get(sp):X8}:{rqueue:X8} {0:X2}:{0L:X8} {0:X8} {0,5} {0,8} {ino} {2} 0000000000000000 {sk_drops_read(sp)}"));
    }

    // net/ipv4/udp.c: udp4_seq_show
    /// <summary>
    /// /proc/net/udp as <paramref name="net"/> shows it: the header, then
    /// each bound socket as udp_get_first and udp_get_next meet them, the
    /// primary slots in index order (slot = (port + the namespace's hash
    /// mix) &amp; mask, printed as "sl") and each slot newest first; every
    /// line padded to 127 characters (seq_setwidth, seq_pad).
    /// </summary>
    public static string udp4_seq_show(net net)
    {
        // not ported: udp_seq_start, udp_seq_next, udp_get_idx, udp_seq_stop — the seq_file is rendered in one pass:
        //   the walk is udp_get_first then udp_get_next to the end
        var seq = new System.Text.StringBuilder();
        void pad(int start)
        {
            seq.Append(' ', Math.Max(0, 127 - (seq.Length - start)));
            seq.Append('\n');
        }

        var start = seq.Length;
        seq.Append("   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops");
        pad(start);

        var udptable = udp_get_table(net);
        var bucket = 0;
        for (var sk = udp_get_first(net, udptable, ref bucket, 0); sk is not null; sk = udp_get_next(net, udptable, ref bucket, sk))
        {
            start = seq.Length;
            udp4_format_sock(sk, seq, bucket);
            pad(start);
        }

        return seq.ToString();
    }

    // not ported: alloc_large_system_hash — the table takes the size 6.18 chose on the recording machine
    //   (UDP_HTABLE_ENTRIES: "UDP hash table entries: 16384"), with its log
    // not ported: udp_hash4_slot_size, udp_table_hash4_init — no 4-tuple hash (include/net/udp.cs)
    // not ported: INIT_HLIST_HEAD, spin_lock_init — a new array's chains are empty and need no lock
    // net/ipv4/udp.c: udp_table_init
    /// <summary>Makes <paramref name="table"/>'s primary and secondary slot arrays, empty, and sets mask and log.</summary>
    public static void udp_table_init(udp_table table, string name)
    {
        _ = name; // the name alloc_large_system_hash prints
        table.hash = new udp_hslot[UDP_HTABLE_ENTRIES];
        table.hash2 = new udp_hslot[UDP_HTABLE_ENTRIES];
        table.mask = UDP_HTABLE_ENTRIES - 1;
        table.log = (uint)System.Numerics.BitOperations.Log2(UDP_HTABLE_ENTRIES);
    }
}
