// Ports drivers/net/tun.c for a single-queue IFF_TUN | IFF_NO_PI device: the
// character device /dev/net/tun (open, TUNSETIFF, read, write), the
// net_device it creates (L3 only: ARPHRD_NONE, no link header, IFF_POINTOPOINT
// | IFF_NOARP | IFF_MULTICAST, mtu 1500, txqueuelen 500, tun_net_init's
// features), transmit into the queue file's ring (tun_net_xmit, drop
// FULL_RING when the ring is full) and the reader woken, reading a packet out
// (tun_do_read/tun_put_user), and writing one in (tun_get_user: protocol from
// the IP version nibble, then tun_rx_batched with rx_batched == 0, which is
// netif_receive_skb under local_bh_disable in the writer's own context).
// Closing the fd (tun_chr_close -> tun_detach) purges the ring and, the
// device left with no queue, unregisters it (unregister_netdevice).
// With IFF_VNET_HDR every packet both ways carries a virtio_net_hdr of
// vnet_hdr_sz bytes (TUNSETVNETHDRSZ/TUNGETVNETHDRSZ) in front: a written
// one's GSO type and size make the skb a (DODGY) GSO skb, a read one's tell
// the reader the skb's GSO and checksum state (tun_vnet.h, virtio_net.h).
//
// not ported: IFF_TAP, packet information headers (IFF_NO_PI is required),
// TUNSETVNETLE/BE (the header is little-endian, as on x86), the tunnel-sized
// vnet header, multiqueue and flow steering (one tun_file, queue 0),
// NAPI and NAPI frags, XDP, BPF filters, the tx filter, zerocopy, persistent
// devices and ownership, the tun socket (tun_sendmsg/tun_recvmsg for vhost),
// poll, fasync. TUNSETOFFLOAD (set_offload) switches the user features; a
// new device has none of them on (tun_net_fix_features with set_features 0,
// as 6.18's register_netdevice leaves it), so it takes no GSO until asked.
// The file of a tun fd is the tun_file itself in task->files, as the port
// keeps a socket there.
// not ported: iov_iter_count, iov_iter_advance, iov_iter_npages, copy_from_iter_full, copy_to_iter, skb_copy_datagram_iter, skb_copy_datagram_from_iter, zerocopy_sg_from_iter — read and write hand the port a byte array and its length, not an iov_iter: the copies are Array.Copy and skb_copy_bits
// not ported: tun_get, tun_put — tfile.tun is read directly: one thread, so no RCU/refcount pinning of the device across the call
// not ported: preempt_disable, preempt_enable, dev_sw_netstats_rx_add, dev_sw_netstats_tx_add — the per-cpu sw netstats are dev.stats counters here (one counter set, the sums ip -s link shows)
using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.netdevice_h;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Kernel.Sched.wait_c;
using static KernelNet.Kernel.Net.Core.dev_c;
using static KernelNet.Kernel.Net.Core.skbuff_c;

namespace KernelNet.Kernel.Drivers.Net;

/// <summary>struct tun_struct: the device side of a tun interface (netdev_priv).</summary>
public sealed class tun_struct
{
    public tun_struct(net_device dev, uint flags)
    {
        this.dev = dev;
        this.flags = flags;
    }

    /// <summary>IFF_TUN | IFF_NO_PI ...: the TUNSETIFF flags kept.</summary>
    public uint flags { get; set; }

    public net_device dev { get; }

    /// <summary>tfiles[0]: the one attached queue file (null once detached).</summary>
    public tun_file? tfile { get; set; }

    public int numqueues { get; set; }

    /// <summary>rx_batched: 0, so every written packet goes up at once.</summary>
    public uint rx_batched { get; set; }

    /// <summary>set_features: the user features TUNSETOFFLOAD turned on (TUN_USER_FEATURES bits).</summary>
    public ulong set_features { get; set; }

    /// <summary>vnet_hdr_sz: bytes of virtio_net_hdr (and zero padding) before each packet under IFF_VNET_HDR; sizeof(struct virtio_net_hdr) to start.</summary>
    public int vnet_hdr_sz { get; set; } = virtio_net_hdr.Size;

    /// <summary>rx_frame_errors: writes tun could not make a packet of.</summary>
    public long rx_frame_errors { get; set; }
}

/// <summary>
/// struct tun_file: one open of /dev/net/tun — its queue of packets for the
/// reader (tx_ring, a ptr_ring of skbs sized txqueuelen), its wait queue
/// (the tun socket's sk_sleep), and the file's O_NONBLOCK.
/// </summary>
public sealed class tun_file
{
    public tun_struct? tun { get; set; }

    public Queue<sk_buff> tx_ring { get; } = new();

    /// <summary>The ring's size (ptr_ring_resize to dev->tx_queue_len at attach).</summary>
    public int tx_ring_size { get; set; }

    public wait_queue_head wq { get; } = new();

    /// <summary>file->f_flags & O_NONBLOCK.</summary>
    public bool nonblock { get; set; }

    public ushort queue_index { get; set; }
}

public static class tun_c
{
    public const uint IFF_TUN = 0x0001;
    public const uint IFF_TAP = 0x0002;
    public const uint IFF_NO_PI = 0x1000;

    /// <summary>IFF_VNET_HDR: a virtio_net_hdr goes before every packet written or read.</summary>
    public const uint IFF_VNET_HDR = 0x4000;

    /// <summary>TUNGETVNETHDRSZ: _IOR('T', 215, int).</summary>
    public const uint TUNGETVNETHDRSZ = 0x800454d7;

    /// <summary>TUNSETVNETHDRSZ: _IOW('T', 216, int).</summary>
    public const uint TUNSETVNETHDRSZ = 0x400454d8;
    private const uint TUN_TYPE_MASK = 0x000f;

    /// <summary>TUNSETIFF: _IOW('T', 202, int).</summary>
    public const uint TUNSETIFF = 0x400454ca;

    /// <summary>TUNSETOFFLOAD: _IOW('T', 208, unsigned int); the argument is the TUN_F_* bits themselves.</summary>
    public const uint TUNSETOFFLOAD = 0x400454d0;

    /// <summary>TUN_F_*: the offloads the reader can take (include/uapi/linux/if_tun.h).</summary>
    public const uint TUN_F_CSUM = 0x01;
    public const uint TUN_F_TSO4 = 0x02;
    public const uint TUN_F_TSO6 = 0x04;
    public const uint TUN_F_TSO_ECN = 0x08;
    public const uint TUN_F_UFO = 0x10;
    public const uint TUN_F_USO4 = 0x20;
    public const uint TUN_F_USO6 = 0x40;
    public const uint TUN_F_UDP_TUNNEL_GSO = 0x080;
    public const uint TUN_F_UDP_TUNNEL_GSO_CSUM = 0x100;

    /// <summary>PLAIN_GSO: the offloads that tunnel GSO builds on.</summary>
    private const ulong PLAIN_GSO = netdev_features_h.NETIF_F_GSO_UDP_L4 | netdev_features_h.NETIF_F_TSO | netdev_features_h.NETIF_F_TSO6;

    /// <summary>ARPHRD_NONE: no link-layer header.</summary>
    public const ushort ARPHRD_NONE = 0xFFFE;

    public const uint IFF_POINTOPOINT = 1 << 4;

    /// <summary>EBADFD: the file is in a bad state (no device attached).</summary>
    private const int EBADFD = 77;

    private const int MIN_MTU = 68;
    private const int MAX_MTU = 65535;

    /// <summary>The txqueuelen a new tun device gets (TUN_READQ_SIZE).</summary>
    private const uint TUN_READQ_SIZE = 500;

    /// <summary>TUN_USER_FEATURES: the offloads the user may switch (TUNSETOFFLOAD, ethtool -K).</summary>
    public const ulong TUN_USER_FEATURES = netdev_features_h.NETIF_F_HW_CSUM | netdev_features_h.NETIF_F_TSO_ECN | netdev_features_h.NETIF_F_TSO |
        netdev_features_h.NETIF_F_TSO6 | netdev_features_h.NETIF_F_GSO_UDP_L4 | netdev_features_h.NETIF_F_GSO_UDP_TUNNEL | netdev_features_h.NETIF_F_GSO_UDP_TUNNEL_CSUM;

    // not ported: xdp_return_frame — no XDP, the ring holds only skbs.
    // drivers/net/tun.c: tun_ptr_free
    /// <summary>Frees one entry of a queue file's ring: an skb (__skb_array_destroy_skb, a plain kfree_skb).</summary>
    [Consumes("skb")]
    private static void tun_ptr_free(sk_buff skb)
    {
        // __skb_array_destroy_skb (include/linux/skb_array.h): kfree_skb, no reason given
        kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
    }

    // not ported: skb_queue_purge of the tun socket's write and error queues — the port has no tun socket
    // (tun_sendmsg/vhost), so nothing is ever queued there.
    // drivers/net/tun.c: tun_queue_purge
    /// <summary>Drops every packet still waiting in the file's ring for a reader.</summary>
    private static void tun_queue_purge(tun_file tfile)
    {
        // ptr_ring_consume until empty
        while (tfile.tx_ring.TryDequeue(out var ptr))
        {
            tun_ptr_free(ptr);
        }
    }

    // not ported: tun_napi_disable, tun_napi_del — no NAPI (IFF_NAPI); tun_disable_queue, tun_enable_queue — no
    // TUNSETQUEUE, so a file is never detached without closing; sock_put — no tun socket to hold;
    // synchronize_net — no RCU readers of tfiles; tun_flow_delete_by_queue — no flow steering;
    // tun_set_real_num_queues — one queue; xdp_rxq_info_unreg — no XDP; netif_carrier_off — the port keeps no
    // carrier state beyond IFF_LOWER_UP, which the unregistration clears; IFF_PERSIST devices do not exist here
    // (TUNSETPERSIST is not ported), so the last queue's close always unregisters.
    // drivers/net/tun.c: __tun_detach
    /// <summary>
    /// The file leaves its device: its queue slot is freed (the last queue
    /// moves into it), its ring is purged, and with <paramref name="clean"/>
    /// (the file is closing) a device left with no queue is unregistered.
    /// </summary>
    private static void __tun_detach(tun_file tfile, bool clean)
    {
        var tun = tfile.tun;
        if (tun is not null)
        {
            // tfiles[index] = tfiles[numqueues - 1]: with one queue the slot just empties
            tun.tfile = null;
            --tun.numqueues;
            if (clean)
            {
                tfile.tun = null;
            }

            // Drop read queue
            tun_queue_purge(tfile);
        }

        if (clean)
        {
            if (tun is not null && tun.numqueues == 0 && tun.dev.reg_state == NETREG_REGISTERED)
            {
                unregister_netdevice(tun.dev);
            }

            // ptr_ring_cleanup(&tfile->tx_ring, tun_ptr_free): the purge above left it empty
            tun_queue_purge(tfile);
        }
    }

    // not ported: rtnl_lock, rtnl_unlock — one thread; netdev_state_change — no rtnetlink listeners or
    // NETDEV_CHANGE notifier users in the port; sock_put — no tun socket.
    // drivers/net/tun.c: tun_detach
    /// <summary>__tun_detach under RTNL, then the device's state change announced (while it is still there).</summary>
    private static void tun_detach(tun_file tfile, bool clean)
    {
        __tun_detach(tfile, clean);
    }

    // drivers/net/tun.c: tun_net_xmit
    /// <summary>
    /// ndo_start_xmit: the packet goes into the attached file's ring for the
    /// reader, who is woken; no file, or a full ring, drops it (DEV_READY,
    /// FULL_RING) and counts tx_dropped. Consumes skb on every path.
    /// </summary>
    [Consumes("skb")]
    private static netdev_tx_t tun_net_xmit(sk_buff skb, net_device dev)
    {
        // not ported: nf_reset_ct — no conntrack in the port: the skb carries no ct to drop
        // not ported: check_filter, run_ebpf_filter, pskb_trim, skb_tx_error — no tx filter and no eBPF filter (see the file header)
        // not ported: tun_automq_xmit, netdev_get_tx_queue, txq_trans_cond_update — one queue: no automq steering, and the tx watchdog is not modelled for tun
        var drop_reason = skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED;
        var tun = (tun_struct)dev.priv!;

        // rcu_read_lock(): tfiles is read under RCU; one thread here.
        var tfile = tun.tfile;
        if (tfile is null)
        {
            drop_reason = skb_drop_reason.SKB_DROP_REASON_DEV_READY;
            goto drop;
        }

        // user pages (MSG_ZEROCOPY) must not wait in the ring for a reader: copied now
        if (skb_orphan_frags_rx(skb, 0) != 0)
        {
            drop_reason = skb_drop_reason.SKB_DROP_REASON_SKB_UCOPY_FAULT;
            goto drop;
        }

        skb_tx_timestamp(skb);

        // Held for as long as the reader takes: the sending socket must not wait on it.
        skb_orphan(skb);

        if (tfile.tx_ring.Count >= tfile.tx_ring_size)
        {
            drop_reason = skb_drop_reason.SKB_DROP_REASON_FULL_RING;
            goto drop;
        }

        tfile.tx_ring.Enqueue(skb);

        // sk_data_ready of the tun socket: wake the reader.
        __wake_up(dev.nd_net.k, tfile.wq, sched_h.TASK_INTERRUPTIBLE, 1);
        return netdev_tx_t.NETDEV_TX_OK;

    drop:
        dev.core_stats.tx_dropped++;
        kfree_skb_reason(skb, drop_reason);
        return netdev_tx_t.NETDEV_TX_OK;
    }

    // drivers/net/tun.c: tun_net_init
    /// <summary>ndo_init: the offloads a tun device starts with (all of hw_features on).</summary>
    private static int tun_net_init(net_device dev)
    {
        // not ported: tun_attach — the file is attached by tun_set_iff before registration, not from ndo_init
        // not ported: tun_flow_init, tun_flow_uninit — no flow steering (one queue)
        dev.hw_features = netdev_features_h.NETIF_F_SG | netdev_features_h.NETIF_F_FRAGLIST | TUN_USER_FEATURES |
            netdev_features_h.NETIF_F_HW_VLAN_CTAG_TX | netdev_features_h.NETIF_F_HW_VLAN_STAG_TX;
        dev.features = dev.hw_features;
        return 0;
    }

    // drivers/net/tun.c: tun_net_fix_features
    /// <summary>ndo_fix_features: of the user features, only those TUNSETOFFLOAD asked for stay.</summary>
    private static ulong tun_net_fix_features(net_device dev, ulong features)
    {
        var tun = (tun_struct)dev.priv!;
        return (features & tun.set_features) | (features & ~TUN_USER_FEATURES);
    }

    // drivers/net/tun.c: tun_net_initialize
    /// <summary>IFF_TUN: a point-to-point device with no link header and no ARP.</summary>
    private static void tun_net_initialize(net_device dev)
    {
        // not ported: ether_setup, eth_hw_addr_random — IFF_TAP only: a tun device has no link header
        dev.netdev_ops = new net_device_ops { ndo_start_xmit = tun_net_xmit };
        dev.hard_header_len = 0;
        dev.addr_len = 0;
        dev.dev_addr = Array.Empty<byte>();
        dev.mtu = 1500;
        dev.type = ARPHRD_NONE;
        dev.flags = IFF_POINTOPOINT | net_device.IFF_NOARP | net_device.IFF_MULTICAST;
        dev.min_mtu = MIN_MTU;
        dev.max_mtu = (uint)(MAX_MTU - dev.hard_header_len);
    }

    // drivers/net/tun.c: tun_setup
    private static void tun_setup(net_device dev)
    {
        // not ported: tun_default_link_ksettings — no ethtool link settings
        dev.tx_queue_len = TUN_READQ_SIZE;
        dev.driver_name = "tun";
    }

    // drivers/net/tun.c: tun_attach
    /// <summary>Joins the file to the device as queue 0; the ring takes the device's txqueuelen.</summary>
    private static int tun_attach(tun_struct tun, tun_file tfile)
    {
        // not ported: xdp_rxq_info_is_reg, xdp_rxq_info_reg, xdp_rxq_info_reg_mem_model, xdp_rxq_info_unreg — no XDP
        // not ported: tun_enable_queue, tun_set_real_num_queues, tun_napi_init, tun_napi_enable — one queue, no NAPI: the single tfile becomes queue 0 and the device keeps one tx/rx queue
        // not ported: sk_attach_filter — no BPF filters
        // not ported: lock_sock, release_sock, sock_hold, sock_set_flag — the tun file has no struct sock here (see the file header: no tun socket)
        if (tfile.tun is not null)
        {
            return -errno_base_h.EINVAL;
        }

        if (tun.numqueues == 1)
        {
            return -errno_base_h.EBUSY;
        }

        tfile.tx_ring_size = (int)tun.dev.tx_queue_len;
        tfile.queue_index = (ushort)tun.numqueues;
        tfile.tun = tun;
        tun.tfile = tfile;
        tun.numqueues++;
        return 0;
    }

    // drivers/net/tun.c: tun_set_iff
    /// <summary>
    /// TUNSETIFF: makes the device <paramref name="name"/> in the caller's
    /// namespace and attaches the file to it. Only IFF_TUN with IFF_NO_PI is
    /// modelled (-EINVAL otherwise); an existing name is -EBUSY here (no
    /// persistent devices to re-attach to).
    /// </summary>
    private static int tun_set_iff(net net, tun_file tfile, string name, uint flags)
    {
        // not ported: netif_carrier_on, netif_carrier_off, netif_tx_wake_all_queues, netdev_state_change — the new device keeps the carrier and queue state register_netdevice gives it: no TUNSETCARRIER and no persistent device to re-attach and wake
        // not ported: alloc_netdev_mqs, dev_net_set, free_netdev — the net_device is constructed in the namespace directly; failures before registration leave nothing to free
        // not ported: tun_not_capable, netif_running — no capabilities or persistent devices to re-attach to
        // not ported: __dev_get_by_name — the port's dev_get_by_name does the same lookup (no reference counting)
        if ((flags & TUN_TYPE_MASK) != IFF_TUN || (flags & IFF_NO_PI) == 0)
        {
            return -errno_base_h.EINVAL;
        }

        if (dev_get_by_name(net, name) is not null)
        {
            return -errno_base_h.EBUSY;
        }

        // alloc_netdev_mqs(..., tun_setup, 1, 1)
        var dev = new net_device(net, name, 1, 1);
        tun_setup(dev);
        var tun = new tun_struct(dev, flags);
        dev.priv = tun;
        tun_net_initialize(dev);
        var err = tun_net_init(dev);
        if (err < 0)
        {
            return err;
        }

        err = tun_attach(tun, tfile);
        if (err < 0)
        {
            return err;
        }

        err = register_netdevice(dev);
        if (err < 0)
        {
            tun.tfile = null;
            tfile.tun = null;
            return err;
        }

        // register_netdevice's __netdev_update_features: ndo_fix_features trims what nobody asked for yet
        dev.features = tun_net_fix_features(dev, dev.features);
        return 0;
    }

    // drivers/net/tun.c: set_offload
    /// <summary>
    /// TUNSETOFFLOAD: the reader says which offloads it can take — checksum
    /// (TUN_F_CSUM), and with it TSO for IPv4/IPv6 (and ECN), UDP
    /// segmentation, UDP tunnel GSO; the device's features follow
    /// (netdev_update_features). An unknown bit is -EINVAL.
    /// </summary>
    private static int set_offload(tun_struct tun, ulong arg)
    {
        // not ported: netdev_update_features — the port recomputes dev.features from tun_net_fix_features inline (no ethtool features notifier chain)
        ulong features = 0;

        if ((arg & TUN_F_CSUM) != 0)
        {
            features |= netdev_features_h.NETIF_F_HW_CSUM;
            arg &= ~(ulong)TUN_F_CSUM;

            if ((arg & (TUN_F_TSO4 | TUN_F_TSO6)) != 0)
            {
                if ((arg & TUN_F_TSO_ECN) != 0)
                {
                    features |= netdev_features_h.NETIF_F_TSO_ECN;
                    arg &= ~(ulong)TUN_F_TSO_ECN;
                }

                if ((arg & TUN_F_TSO4) != 0)
                {
                    features |= netdev_features_h.NETIF_F_TSO;
                }

                if ((arg & TUN_F_TSO6) != 0)
                {
                    features |= netdev_features_h.NETIF_F_TSO6;
                }

                arg &= ~(ulong)(TUN_F_TSO4 | TUN_F_TSO6);
            }

            arg &= ~(ulong)TUN_F_UFO;

            // USO only with both families at once
            if ((arg & TUN_F_USO4) != 0 && (arg & TUN_F_USO6) != 0)
            {
                features |= netdev_features_h.NETIF_F_GSO_UDP_L4;
                arg &= ~(ulong)(TUN_F_USO4 | TUN_F_USO6);
            }

            // tunnel GSO needs some plain GSO to build on
            if ((features & PLAIN_GSO) != 0 && (arg & TUN_F_UDP_TUNNEL_GSO) != 0)
            {
                features |= netdev_features_h.NETIF_F_GSO_UDP_TUNNEL;
                if ((arg & TUN_F_UDP_TUNNEL_GSO_CSUM) != 0)
                {
                    features |= netdev_features_h.NETIF_F_GSO_UDP_TUNNEL_CSUM;
                }

                arg &= ~(ulong)(TUN_F_UDP_TUNNEL_GSO | TUN_F_UDP_TUNNEL_GSO_CSUM);
            }
        }

        // a bit left over is one this kernel does not know: how a reader probes for new offloads
        if (arg != 0)
        {
            return -errno_base_h.EINVAL;
        }

        tun.set_features = features;

        // wanted_features: the user features become exactly these; netdev_update_features applies them
        var dev = tun.dev;
        var wanted = (dev.features & ~TUN_USER_FEATURES) | features;
        dev.features = tun_net_fix_features(dev, wanted);
        return 0;
    }

    // drivers/net/tun.c: tun_chr_open
    /// <summary>open("/dev/net/tun"): a new, unattached queue file at the lowest free descriptor.</summary>
    public static int tun_chr_open(task_struct task, bool nonblock)
    {
        // not ported: init_waitqueue_head, sk_alloc, sk_free, sock_init_data_uid, sock_set_flag — the tun_file holds its wait queue itself and has no struct sock (see the file header)
        ArgumentNullException.ThrowIfNull(task);
        for (var fd = 3; fd < task.rlimit_nofile; fd++)
        {
            if (!task.files.ContainsKey(fd))
            {
                task.files.Add(fd, new tun_file { nonblock = nonblock });
                return fd;
            }
        }

        return -errno_base_h.EMFILE;
    }

    // drivers/net/tun.c: __tun_chr_ioctl
    /// <summary>
    /// The file's ioctls: TUNSETIFF (ifr_name, ifr_flags) on an unattached
    /// file; on an attached one (-EBADFD before) TUNSETOFFLOAD
    /// (<paramref name="arg"/>) and the vnet header ioctls, whose int lies at
    /// <paramref name="argp"/> (tun_vnet_ioctl); others -EINVAL.
    /// </summary>
    public static int __tun_chr_ioctl(net net, tun_file tfile, uint cmd, string ifr_name, uint ifr_flags, ulong arg = 0, byte[]? argp = null)
    {
        // not ported: tun_get_iff, tun_get_addr_len, netif_get_mac_address, dev_set_mac_address_user, call_netdevice_notifiers, netdev_state_change, tun_net_change_carrier, tun_set_sndbuf, tun_set_queue, tun_attach_filter, tun_detach_filter, update_filter, tun_set_ebpf — only TUNSETIFF, TUNSETOFFLOAD and the vnet-header ioctls are modelled; the other commands (TUNGETIFF, SIOCSIFHWADDR, TUNSETCARRIER, TUNSETSNDBUF, TUNSETQUEUE, filters, eBPF) return -EINVAL
        // not ported: rtnl_lock, rtnl_unlock — one thread: the RTNL has nothing to exclude
        ArgumentNullException.ThrowIfNull(tfile);
        if (cmd == TUNSETOFFLOAD)
        {
            // tun_get: only a file attached to a device has offloads to set
            if (tfile.tun is not { } tun)
            {
                return -EBADFD;
            }

            return set_offload(tun, arg);
        }

        if (cmd == TUNSETVNETHDRSZ || cmd == TUNGETVNETHDRSZ)
        {
            if (tfile.tun is not { } tun)
            {
                return -EBADFD;
            }

            return tun_vnet_h.tun_vnet_ioctl(tun, cmd, argp);
        }

        if (cmd != TUNSETIFF)
        {
            return -errno_base_h.EINVAL;
        }

        if (tfile.tun is not null)
        {
            return -errno_base_h.EINVAL;
        }

        return tun_set_iff(net, tfile, ifr_name, ifr_flags);
    }

    // drivers/net/tun.c: tun_ring_recv
    /// <summary>The next packet of the ring; sleeps for one unless <paramref name="noblock"/> (-EAGAIN).</summary>
    [MightSleep]
    private static async Task<(sk_buff? Skb, int Err)> tun_ring_recv(Vmlinux k, tun_file tfile, bool noblock)
    {
        // not ported: DECLARE_WAITQUEUE — the wait is the port's awaitable wait queue entry (wait_event-style)
        if (tfile.tx_ring.TryDequeue(out var ptr))
        {
            return (ptr, 0);
        }

        if (noblock)
        {
            return (null, -errno_base_h.EAGAIN);
        }

        var wait = new wait_queue_entry(k.current, autoremove_wake_function);
        add_wait_queue(tfile.wq, wait);
        var error = 0;
        while (true)
        {
            sched_h.set_current_state(k, sched_h.TASK_INTERRUPTIBLE);
            if (tfile.tx_ring.TryDequeue(out ptr))
            {
                break;
            }

            if (sched_h.signal_pending(k.current))
            {
                error = -Include.Net.sock_h.ERESTARTSYS;
                break;
            }

            if (tfile.tun is null)
            {
                error = -errno_base_h.EFAULT;
                break;
            }

            await Kernel.Sched.core_c.schedule(k);
            if (!waitqueue_is_on(tfile.wq, wait))
            {
                add_wait_queue(tfile.wq, wait);
            }
        }

        sched_h.__set_current_state(k, sched_h.TASK_RUNNING);
        remove_wait_queue(tfile.wq, wait);
        return (ptr, error);
    }

    [KernelNet.Annotations.NotInLinux("C# test of list membership: C checks the entry's list_head in place")]
    private static bool waitqueue_is_on(wait_queue_head wq, wait_queue_entry wait) => wait.head == wq;

    // drivers/net/tun.c: tun_put_user
    /// <summary>
    /// No packet information: under IFF_VNET_HDR the virtio header first
    /// (vnet_hdr_sz bytes, -EINVAL if the buffer cannot hold them), then the
    /// IP packet as it is, cut to the user's buffer. Returns the bytes the
    /// whole packet would take.
    /// </summary>
    [Borrows("skb")]
    private static int tun_put_user(tun_struct tun, sk_buff skb, byte[]? ubuf, int count)
    {
        // not ported: skb_vlan_tag_present, skb_vlan_tag_get — no VLANs: a tun device has no VLAN offload in the port
        // not ported: __tun_vnet_hdr_put — its steps (the header, zeroes up to vnet_hdr_sz) are written out below
        var vnet_hdr_sz = 0;
        if ((tun.flags & IFF_VNET_HDR) != 0)
        {
            vnet_hdr_sz = tun.vnet_hdr_sz;
        }

        var total = skb.len + vnet_hdr_sz;
        var at = 0;
        if (vnet_hdr_sz != 0)
        {
            var hdr = new virtio_net_hdr();
            var ret = tun_vnet_h.tun_vnet_hdr_tnl_from_skb(tun, skb, hdr);
            if (ret != 0)
            {
                return ret;
            }

            // __tun_vnet_hdr_put: the header, then zeroes up to vnet_hdr_sz
            if (count < vnet_hdr_sz)
            {
                return -errno_base_h.EINVAL;
            }

            if (ubuf is null || ubuf.Length < vnet_hdr_sz)
            {
                return -errno_base_h.EFAULT;
            }

            hdr.WriteTo(ubuf);
            Array.Clear(ubuf, virtio_net_hdr.Size, vnet_hdr_sz - virtio_net_hdr.Size);
            at = vnet_hdr_sz;
        }

        var n = Math.Min(skb.len, count - at);
        if (ubuf is null && n > 0)
        {
            return -errno_base_h.EFAULT;
        }

        if (n > 0)
        {
            skb_copy_bits(skb, 0, ubuf.AsSpan(at, n), n);
        }

        // dev_sw_netstats_tx_add: a tun device counts what it sent when the reader takes it.
        tun.dev.stats.tx_packets++;
        tun.dev.stats.tx_bytes += (ulong)skb.len;
        return total;
    }

    // drivers/net/tun.c: tun_do_read
    [MightSleep]
    private static async Task<int> tun_do_read(Vmlinux k, tun_struct tun, tun_file tfile, byte[]? ubuf, int count, bool noblock)
    {
        // not ported: kfree_skb — the error path frees through kfree_skb_reason, as the port requires
        // not ported: tun_put_user_xdp, xdp_return_frame, tun_ptr_free — no XDP frames in the ring: only skbs, freed with kfree_skb_reason/consume_skb
        if (count == 0)
        {
            return 0;
        }

        var (skb, err) = await tun_ring_recv(k, tfile, noblock);
        if (skb is null)
        {
            return err;
        }

        var ret = tun_put_user(tun, skb, ubuf, count);
        if (ret < 0)
        {
            kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
        }
        else
        {
            consume_skb(skb);
        }

        return ret;
    }

    // drivers/net/tun.c: tun_chr_read_iter
    /// <summary>read(2) on a tun fd: one packet per call, sleeping for it unless O_NONBLOCK.</summary>
    [MightSleep]
    public static async Task<int> tun_chr_read_iter(Vmlinux k, tun_file tfile, byte[]? ubuf, int count)
    {
        ArgumentNullException.ThrowIfNull(k);
        ArgumentNullException.ThrowIfNull(tfile);
        var tun = tfile.tun;
        if (tun is null)
        {
            return -EBADFD;
        }

        return await tun_do_read(k, tun, tfile, ubuf, count, tfile.nonblock);
    }

    // drivers/net/tun.c: tun_alloc_skb
    /// <summary>
    /// The skb for a packet of <paramref name="len"/> bytes: <paramref name="prepad"/>
    /// reserved in front, <paramref name="linear"/> bytes in the head (all of
    /// them under a page) and the rest in page chunks (alloc_skb_with_frags,
    /// up to PAGE_ALLOC_COSTLY_ORDER), which is what its truesize charges.
    /// </summary>
    private static sk_buff? tun_alloc_skb(Vmlinux k, int prepad, int len, int linear)
    {
        // not ported: sock_alloc_send_pskb, skb_put — the skb comes from alloc_skb_with_frags without charging the tun socket (orphaned on receive anyway); tun_get_user puts the length
        if (prepad + len < PAGE_SIZE)
        {
            linear = len;
        }

        if (len - linear > MAX_SKB_FRAGS * (PAGE_SIZE << PAGE_ALLOC_COSTLY_ORDER))
        {
            linear = len - MAX_SKB_FRAGS * (PAGE_SIZE << PAGE_ALLOC_COSTLY_ORDER);
        }

        // sock_alloc_send_pskb: the tun file's socket is not charged here (it is orphaned on receive).
        var skb = alloc_skb_with_frags(k, prepad + linear, len - linear, PAGE_ALLOC_COSTLY_ORDER, out _);
        if (skb is not null)
        {
            skb_reserve(skb, prepad);
        }

        return skb;
    }

    private const int NET_SKB_PAD = 64;

    private const int PAGE_SIZE = 4096;

    /// <summary>tun->align: the headroom TUNSETIFF gives a new device (NET_SKB_PAD; TUNSETVNETHDRSZ-less setups keep it).</summary>
    private const int tun_align = NET_SKB_PAD;

    // drivers/net/tun.c: tun_rx_batched
    /// <summary>rx_batched is 0: straight up the stack, in this (process) context, bottom halves off.</summary>
    [Consumes("skb")]
    private static void tun_rx_batched(Vmlinux k, tun_struct tun, tun_file tfile, sk_buff skb)
    {
        // not ported: __skb_queue_head_init, __skb_queue_tail, __skb_dequeue, skb_queue_empty, skb_queue_len, skb_queue_splice_tail_init — rx_batched is 0 (the default): the batching queue is never used
        bottom_half_h.local_bh_disable(k);
        skb_record_rx_queue(skb, tfile.queue_index);
        netif_receive_skb(skb);
        bottom_half_h.local_bh_enable(k);
    }

    // drivers/net/tun.c: tun_get_user
    /// <summary>
    /// Builds an skb from the user's packet: under IFF_VNET_HDR the virtio
    /// header first (__tun_vnet_hdr_get; its GSO fields applied to the skb by
    /// virtio_net_hdr_to_skb, a header it refuses counted in rx_frame_errors
    /// and -EINVAL), the protocol from the IP version (4: ETH_P_IP, 6:
    /// ETH_P_IPV6, else -EINVAL), the mac and network headers at the start,
    /// and hands it up (tun_rx_batched). A device that is down refuses it
    /// (-EIO, DEV_READY). Returns the bytes taken or -errno.
    /// </summary>
    private static int tun_get_user(Vmlinux k, tun_struct tun, tun_file tfile, byte[]? ubuf, int total_len)
    {
        // not ported: netif_rx, local_bh_disable, local_bh_enable — the generic-XDP and IFF_NAPI branches, and netif_rx only under CONFIG_4KSTACKS (not x86_64); tun_rx_batched does the bh-off receive
        // not ported: skb_record_rx_queue — tun_rx_batched records the same queue index just before the receive
        // not ported: __skb_get_hash_symmetric, tun_flow_update — no flow steering (one queue)
        // not ported: skb_probe_transport_header — the transport header is set where the stack needs it (GSO from the vnet header, IP input); the flow-dissector probe is not ported
        // not ported: eth_type_trans, eth_get_headlen, pskb_may_pull, skb_headlen, skb_push — IFF_TAP only (the Ethernet header and its pull); IFF_TUN takes the protocol from the IP version
        // not ported: tun_vnet_hdr_guest_features — the tunnel-sized vnet header is not ported (see the comment below)
        // not ported: skb_zcopy_init — no zerocopy (msg_control from vhost)
        // not ported: SKB_MAX_HEAD — written out as SKB_WITH_OVERHEAD(PAGE_SIZE - align), which is its definition
        // not ported: tun_napi_frags_enabled, tun_napi_alloc_frags, napi_gro_frags, napi_free_frags, napi_schedule, napi_schedule_prep, napi_complete, __skb_queue_tail, skb_queue_len — no IFF_NAPI/IFF_NAPI_FRAGS
        // not ported: tun_can_build_skb, tun_build_skb, do_xdp_generic — IFF_TUN never builds from a page frag (no XDP, see the comment below)
        var drop_reason = skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED;
        int err;
        var len = total_len;
        var hdr_len = 0;
        var from = 0;
        virtio_net_hdr? gso = null;
        sk_buff? skb = null;

        if ((tun.flags & IFF_VNET_HDR) != 0)
        {
            var vnet_hdr_sz = tun.vnet_hdr_sz;
            if (ubuf is null || ubuf.Length < Math.Min(total_len, vnet_hdr_sz))
            {
                return -errno_base_h.EFAULT;
            }

            // tun_vnet_hdr_guest_features: no tunnel offload for a header smaller than the tunnel one (not ported)
            hdr_len = tun_vnet_h.__tun_vnet_hdr_get(vnet_hdr_sz, ubuf.AsSpan(0, Math.Min(total_len, ubuf.Length)), out var hdr);
            if (hdr_len < 0)
            {
                return hdr_len;
            }

            gso = hdr;
            len -= vnet_hdr_sz;
            from = vnet_hdr_sz;
        }

        // Not IFF_TAP, so never tun_build_skb: the head takes the writer's
        // hdr_len, or else what fits in a page (SKB_MAX_HEAD(align)), page
        // chunks the rest.
        var good_linear = SKB_WITH_OVERHEAD(PAGE_SIZE - tun_align);
        var linear = Math.Min(hdr_len, good_linear);
        if (linear == 0)
        {
            linear = Math.Min(good_linear, len);
        }

        skb = tun_alloc_skb(k, tun_align, len, linear);
        if (skb is null)
        {
            err = -errno_base_h.ENOMEM;
            goto drop;
        }

        if (len > 0 && (ubuf is null || ubuf.Length < from + len))
        {
            err = -errno_base_h.EFAULT;
            drop_reason = skb_drop_reason.SKB_DROP_REASON_SKB_UCOPY_FAULT;
            goto drop;
        }

        // skb_copy_datagram_from_iter (the port's skbs keep the page chunks' bytes in the head too)
        var off = skb_put(skb, len);
        if (len > 0)
        {
            Array.Copy(ubuf!, from, skb.head, off, len);
        }

        if (gso is not null && tun_vnet_h.tun_vnet_hdr_tnl_to_skb(tun, 0, skb, gso) != 0)
        {
            tun.rx_frame_errors++;
            err = -errno_base_h.EINVAL;
            goto free_skb;
        }

        ushort proto;
        var ip_version = skb.len != 0 ? skb.head[skb.data] >> 4 : 0;
        switch (ip_version)
        {
            case 4:
                proto = Include.Uapi.Linux.if_ether_h.ETH_P_IP;
                break;
            case 6:
                proto = Include.Uapi.Linux.if_ether_h.ETH_P_IPV6;
                break;
            default:
                err = -errno_base_h.EINVAL;
                goto drop;
        }

        skb_reset_mac_header(skb);
        skb.protocol = proto;
        skb.dev = tun.dev;
        skb_reset_network_header(skb);

        if ((tun.dev.flags & net_device.IFF_UP) == 0)
        {
            err = -errno_base_h.EIO;
            drop_reason = skb_drop_reason.SKB_DROP_REASON_DEV_READY;
            goto drop;
        }

        tun_rx_batched(k, tun, tfile, skb);

        // dev_sw_netstats_rx_add
        tun.dev.stats.rx_packets++;
        tun.dev.stats.rx_bytes += (ulong)len;
        return total_len;

    drop:
        if (err != -errno_base_h.EAGAIN)
        {
            tun.dev.core_stats.rx_dropped++;
        }

    free_skb:
        if (skb is not null)
        {
            kfree_skb_reason(skb, drop_reason);
        }

        return err;
    }

    // drivers/net/tun.c: tun_chr_write_iter
    /// <summary>write(2) on a tun fd: one IP packet into the stack.</summary>
    public static int tun_chr_write_iter(Vmlinux k, tun_file tfile, byte[]? ubuf, int count)
    {
        ArgumentNullException.ThrowIfNull(k);
        ArgumentNullException.ThrowIfNull(tfile);
        var tun = tfile.tun;
        if (tun is null)
        {
            return -EBADFD;
        }

        return tun_get_user(k, tun, tfile, ubuf, count);
    }

    // drivers/net/tun.c: tun_chr_close
    /// <summary>
    /// The file's release (the last close of the fd): the file detaches from
    /// its device, whose ring is purged and which, left with no queue, is
    /// unregistered. Always 0.
    /// </summary>
    public static int tun_chr_close(tun_file tfile)
    {
        ArgumentNullException.ThrowIfNull(tfile);
        tun_detach(tfile, true);
        return 0;
    }
}
