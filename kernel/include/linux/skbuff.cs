// Ports include/linux/skbuff.h: struct sk_buff, struct sk_buff_head and the
// inline helpers that move data/tail inside the linear buffer.
//
// Data lives in a linear head buffer, in up to MAX_SKB_FRAGS page frags
// (skb_shinfo(skb)->frags: TCP's write queue, large datagrams built on a
// scatter-gather device) and, for IP fragments being sent or reassembled, in
// the skbs chained on skb_shinfo(skb)->frag_list. departure: C pointers into
// the head (data, tail, end, mac/network/transport headers) are offsets into
// head. Zerocopy (MSG_ZEROCOPY) hangs a ubuf_info off skb_shinfo(skb)
// (destructor_arg, SKBFL_* flags) whose completion runs when the last skb
// holding the user's pages lets go of them. not ported: netmem other than
// pages (net_iov, devmem), page_pool recycling (pp_recycle is always false),
// the "nouarg" zerocopy of vhost/tun (skb_zcopy_set_nouarg), managed frag
// references (SKBFL_MANAGED_FRAG_REFS: io_uring), hardware timestamps
// (skb_hwtstamps: no NIC stamps), PHY timestamping (skb_clone_tx_timestamp).
using System;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Net;
using static KernelNet.Kernel.Net.Core.skbuff_c;
using static KernelNet.Kernel.Include.Linux.skbuff_ref_h;

namespace KernelNet.Kernel.Include.Linux;

/// <summary>
/// struct skb_shared_info: what clones of one skb share with it — the data
/// buffer, its reference count and the skbs chained behind it.
/// </summary>
public sealed class skb_shared_info
{
    /// <summary>References to the data buffer (one per skb that points at it).</summary>
    public int dataref { get; set; } = 1;

    /// <summary>
    /// The skbs whose data follows the head's (linked by next): IP fragments
    /// chained by reassembly or by ip_append_data. They belong to the data
    /// buffer, so the last reference to it frees them (skb_release_data).
    /// </summary>
    public sk_buff? frag_list { get; set; }

    public ushort gso_size { get; set; }

    public ushort gso_segs { get; set; }

    public uint gso_type { get; set; }

    /// <summary>How many of <see cref="frags"/> are in use.</summary>
    public byte nr_frags { get; set; }

    private skb_frag_t[]? _frags;

    /// <summary>frags[MAX_SKB_FRAGS]: the page pieces holding the data after the head, in order (allocated on first use).</summary>
    public skb_frag_t[] frags => _frags ??= new skb_frag_t[skbuff_h.MAX_SKB_FRAGS];

    public byte tx_flags { get; set; }

    /// <summary>flags: SKBFL_* — whether the frags are a zerocopy user's pages and how to treat them (SKBFL_SHARED_FRAG: a frag's page may be written by someone else, e.g. a spliced page-cache page).</summary>
    public byte flags { get; set; }

    /// <summary>tskey: the key a TX timestamp of this data reports (SOF_TIMESTAMPING_OPT_ID).</summary>
    public uint tskey { get; set; }

    /// <summary>destructor_arg: the ubuf_info whose completion the frags' release reports (zerocopy).</summary>
    public ubuf_info? destructor_arg { get; set; }

    /// <summary>
    /// The shared info of a new head, as __finalize_skb_around leaves it: every
    /// field before dataref zeroed, dataref 1. departure: the frags past
    /// nr_frags are cleared too (C leaves them stale): the port's code was
    /// written against fresh arrays.
    /// </summary>
    [KernelNet.Annotations.NotInLinux("the memset(shinfo, 0, offsetof(struct skb_shared_info, dataref)) and atomic_set(&shinfo->dataref, 1) of __finalize_skb_around")]
    internal void memset_to_dataref()
    {
        flags = 0;
        nr_frags = 0;
        tx_flags = 0;
        gso_size = 0;
        gso_segs = 0;
        frag_list = null;
        gso_type = 0;
        tskey = 0;
        destructor_arg = null;
        _frags?.AsSpan().Clear();
        dataref = 1;
    }
}

/// <summary>struct skb_shared_hwtstamps: a hardware timestamp. No NIC of the port stamps, so none is ever made; the type names what the timestamp calls take.</summary>
public sealed class skb_shared_hwtstamps
{
    /// <summary>hwtstamp: the hardware time, in ns.</summary>
    public long hwtstamp { get; set; }
}

/// <summary>struct ubuf_info_ops: how a kind of zerocopy buffer is told it is done with (complete) and linked to an skb (link_skb, optional).</summary>
public sealed class ubuf_info_ops
{
    /// <summary>complete(skb, uarg, zerocopy_success): one reference to uarg is dropped.</summary>
    public required Action<sk_buff?, ubuf_info, bool> complete { get; init; }

    public Func<sk_buff, ubuf_info, int>? link_skb { get; init; }
}

/// <summary>
/// struct ubuf_info: a zerocopy buffer's owner — the skbs that hold its pages,
/// and the sender while it appends, each hold a reference; the last one
/// completes it.
/// </summary>
public class ubuf_info
{
    public required ubuf_info_ops ops { get; init; }

    /// <summary>refcnt: the skbs (their shared info) and callers holding it.</summary>
    public int refcnt { get; set; }

    /// <summary>flags: the SKBFL_* an skb takes on when it is linked (skb_zcopy_init).</summary>
    public byte flags { get; set; }
}

/// <summary>struct mmpin: the locked-memory pages charged to a user for pinned zerocopy pages.</summary>
public sealed class mmpin
{
    /// <summary>user: set once the charge is taken (the port has one user, root).</summary>
    public bool user { get; set; }

    public uint num_pg { get; set; }
}

/// <summary>
/// struct ubuf_info_msgzc: MSG_ZEROCOPY's buffer — a range of send ids
/// [id, id + len) that completes as one notification, its byte count, and
/// whether every byte really left without a copy (zerocopy).
/// departure: C keeps it in the cb of an skb (sock_omalloc) and finds the skb
/// with container_of; here the skb is a field (skb_from_uarg).
/// </summary>
public sealed class ubuf_info_msgzc : ubuf_info
{
    public required sk_buff skb { get; init; }

    public uint id { get; set; }

    public ushort len { get; set; }

    public bool zerocopy { get; set; }

    public uint bytelen { get; set; }

    public mmpin mmp { get; } = new();
}

/// <summary>
/// skb_frag_t: a piece of a page holding data of an skb (netmem, len,
/// offset). A value: frags are copied between skbs as in C, with the page
/// reference taken or handed over explicitly (skb_frag_ref, __skb_frag_unref).
/// </summary>
public struct skb_frag_t
{
    /// <summary>netmem: the page (only pages are ported).</summary>
    public page? netmem;

    public int len;

    public int offset;
}

/// <summary>
/// A typed control block that lives in skb->cb in C: a clone gets its own
/// copy (the memcpy of cb in __copy_skb_header), not a shared object.
/// </summary>
public interface ISkbControlBlock
{
    /// <summary>
    /// Copies this control block into <paramref name="to"/>'s own block of the
    /// same type (sk_buff.cb_view) and returns that block, which becomes its
    /// cb_obj: no control block is allocated per clone.
    /// </summary>
    [KernelNet.Annotations.NotInLinux("C# copy of skb->cb: C copies the 48 bytes with memcpy")]
    [KernelNet.Annotations.Borrows("to")]
    ISkbControlBlock copy_to(sk_buff to);
}

/// <summary>
/// struct sk_buff: one packet's metadata and a view into its buffer. The same
/// object travels through every layer (RX-14): receive moves data forward
/// past each header (skb_pull), send writes headers into headroom (skb_push).
/// </summary>
public sealed class sk_buff
{
    public const int MAC_HEADER_UNSET = 0xffff;

    /// <summary>A new object for a slab of sk_buffs (a fresh slab's slot): allocators clear it with <see cref="memset_to_tail"/> before use.</summary>
    internal sk_buff(Vmlinux k)
    {
        this.k = k;
        alloc_site = string.Empty;
    }

    /// <summary>The kernel that allocated this skb (its slab), for tracing and accounting.</summary>
    public Vmlinux k { get; }

    /// <summary>
    /// The address traces print for this skb (skbaddr), stable while it lives.
    /// departure: a fresh address per allocation, not the slab slot's: the
    /// object is reused as the kernel reuses the slot, but the traces keep the
    /// addresses they had before skbs were pooled.
    /// </summary>
    public ulong addr { get; internal set; }

    /// <summary>Which function allocated it, for leak reports.</summary>
    public string alloc_site { get; internal set; }

    /// <summary>fclone: SKB_FCLONE_UNAVAILABLE, or which half of an sk_buff_fclones pair this is (SKB_FCLONE_ORIG, SKB_FCLONE_CLONE).</summary>
    public byte fclone { get; set; }

    /// <summary>departure: the pair this skb is half of (container_of(skb, struct sk_buff_fclones, skb1 or skb2) in C); null for a skbuff_cache skb.</summary>
    public sk_buff_fclones? fclones { get; internal set; }

    /// <summary>departure: the typed views of cb this object has made (see <see cref="cb_view{T}"/>); they stay with the object across slab reuse.</summary>
    private object?[]? _cb_views;

    /// <summary>
    /// The view of cb as a <typeparamref name="T"/> that this object owns,
    /// made once per object and reused for every packet the object carries:
    /// what casting skb->cb to a struct is in C, without a control block
    /// allocated per skb. The caller clears or fills it before making it
    /// <see cref="cb_obj"/>.
    /// </summary>
    [KernelNet.Annotations.NotInLinux("storage behind the cb casts (IPCB, TCP_SKB_CB, NAPI_GRO_CB...): C reinterprets the 48 bytes in place")]
    internal T cb_view<T>()
        where T : class, new()
    {
        var views = _cb_views ??= new object?[4];
        int i;
        for (i = 0; i < views.Length && views[i] is { } v; i++)
        {
            if (v.GetType() == typeof(T))
            {
                return (T)v;
            }
        }

        if (i == views.Length)
        {
            Array.Resize(ref _cb_views, views.Length * 2);
            views = _cb_views;
        }

        var view = new T();
        views[i] = view;
        return view;
    }

    /// <summary>
    /// The memset of __alloc_skb and __napi_build_skb (every field up to tail
    /// zeroed) together with what __finalize_skb_around sets before the head
    /// is attached: the object, new or reused from its slab, reads as a fresh
    /// sk_buff. Every field of the class is named here; the caller then gives
    /// it its address, head and shared info.
    /// </summary>
    [KernelNet.Annotations.NotInLinux("the memset(skb, 0, offsetof(struct sk_buff, tail)) of __alloc_skb/__napi_build_skb, field by field")]
    internal void memset_to_tail()
    {
        next = null;
        prev = null;
        list = null;
        tcp_tsorted_next = null;
        tcp_tsorted_prev = null;
        tcp_tsorted_linked = false;
        tstamp = 0;
        sk = null;
        dev = null;
        cb.AsSpan().Clear();
        cb_obj = null;
        dst = null;
        destructor = null;
        len = 0;
        data_len = 0;
        mac_len = 0;
        queue_mapping = 0;
        cloned = false;
        pkt_type = 0;
        ip_summed = 0;
        csum_start = 0;
        csum_offset = 0;
        l4_hash = false;
        sw_hash = false;
        sender_cpu = 0;
        ignore_df = false;
        hash = 0;
        skb_iif = 0;
        napi_id = 0;
        alloc_cpu = 0;
        mark = 0;
        _nfct = null;
        _nfctinfo = 0;
        priority = 0;
        protocol = 0;
        vlan_proto = 0;
        vlan_tci = 0;
        transport_header = 0xffff;
        network_header = 0;
        mac_header = MAC_HEADER_UNSET;
        fclone = 0;
        fclones = null;

        // after tail in C, set by __finalize_skb_around or the caller
        tail = 0;
        end = 0;
        head = Array.Empty<byte>();
        data = 0;
        head_frag = false;
        head_page = null;
        head_base = 0;
        truesize = 0;
        users = 1;
        freed = false;
    }

    // List linkage for sk_buff_head.
    public sk_buff? next { get; set; }

    public sk_buff? prev { get; set; }

    public sk_buff_head? list { get; set; }

    /// <summary>tcp_tsorted_anchor: TCP's link in tsorted_sent_queue while the skb is sent and neither SACKed nor marked lost by RACK (tcp_tsorted_linked).</summary>
    public sk_buff? tcp_tsorted_next { get; set; }

    public sk_buff? tcp_tsorted_prev { get; set; }

    public bool tcp_tsorted_linked { get; set; }

    public long tstamp { get; set; }

    public sock? sk { get; set; }

    public net_device? dev { get; set; }

    /// <summary>The 48-byte control buffer each layer uses for its own per-packet state (IPCB, UDP_SKB_CB...).</summary>
    public byte[] cb { get; } = new byte[48];

    /// <summary>
    /// Typed per-layer control block (what the layer's cb macro casts to),
    /// kept beside cb. One that implements <see cref="ISkbControlBlock"/> is
    /// copied by __copy_skb_header, as the memcpy of cb copies it in C.
    /// </summary>
    public object? cb_obj { get; set; }

    /// <summary>_skb_refdst: the route attached by ip_route_input/output.</summary>
    public dst_entry? dst { get; set; }

    public Action<sk_buff>? destructor { get; set; }

    public int len { get; set; }

    public int data_len { get; set; }

    public ushort mac_len { get; set; }

    public ushort queue_mapping { get; set; }

    public bool cloned { get; set; }

    public byte pkt_type { get; set; }

    public byte ip_summed { get; set; }

    /// <summary>
    /// csum_start: with CHECKSUM_PARTIAL, where the device (or skb_checksum_help)
    /// starts summing, as an index into <see cref="head"/> like the header
    /// offsets. In C it shares a union with csum, which the port does not keep.
    /// </summary>
    public ushort csum_start { get; set; }

    /// <summary>csum_offset: with CHECKSUM_PARTIAL, where from csum_start the folded sum is written (the L4 check field).</summary>
    public ushort csum_offset { get; set; }

    public bool l4_hash { get; set; }

    /// <summary>sw_hash: <see cref="hash"/> was computed by the stack (the flow dissector), not given by the NIC.</summary>
    public bool sw_hash { get; set; }

    /// <summary>sender_cpu: the sending CPU plus one (0: not yet known), which XPS picks a TX queue by; shares the slot of napi_id in C.</summary>
    public uint sender_cpu { get; set; }

    /// <summary>ignore_df: the sender allows this packet to be fragmented locally even with DF set (IP_PMTUDISC_WANT).</summary>
    public bool ignore_df { get; set; }

    public uint hash { get; set; }

    public int skb_iif { get; set; }

    public uint napi_id { get; set; }

    /// <summary>The CPU that allocated the skb: frees are deferred back to it (skb_attempt_defer_free).</summary>
    public int alloc_cpu { get; set; }

    public uint mark { get; set; }

    /// <summary>_nfct: the conntrack this packet belongs to (the pointer half of C's _nfct; null when none).</summary>
    public Netfilter.nf_conntrack? _nfct { get; set; }

    /// <summary>The ctinfo half of C's _nfct (its low three bits).</summary>
    public Uapi.Linux.Netfilter.ip_conntrack_info _nfctinfo { get; set; }

    public uint priority { get; set; }

    /// <summary>Ethertype in host order (C keeps __be16; traces print it in host order).</summary>
    public ushort protocol { get; set; }

    /// <summary>vlan_proto: the TPID of an 802.1Q/802.1ad tag held out of the data (host order; 0 with no tag).</summary>
    public ushort vlan_proto { get; set; }

    /// <summary>vlan_tci: that tag's PCP, DEI and VID (include/linux/if_vlan.h reads it).</summary>
    public ushort vlan_tci { get; set; }

    public ushort transport_header { get; set; } = 0xffff;

    public ushort network_header { get; set; }

    public ushort mac_header { get; set; } = MAC_HEADER_UNSET;

    public int tail { get; set; }

    public int end { get; set; }

    public byte[] head { get; set; } = Array.Empty<byte>();

    /// <summary>Offset of the first byte of data in head.</summary>
    public int data { get; set; }

    /// <summary>head_frag: the head is a piece of a page (build_skb around a driver's page buffer), freed by dropping the page reference.</summary>
    public bool head_frag { get; set; }

    /// <summary>
    /// departure: with head_frag, the page the head lies in (virt_to_head_page(skb->head) in C).
    /// head is then the page's whole array and <see cref="head_base"/> where C's head pointer
    /// points inside it, so data, tail, end and the header offsets are offsets in the page.
    /// </summary>
    public page? head_page { get; set; }

    /// <summary>departure: where the head starts in <see cref="head"/> (0 for a kmalloc'd head; the frag's offset in its page for head_frag).</summary>
    public int head_base { get; set; }

    public uint truesize { get; set; }

    /// <summary>users: references to this sk_buff struct (skb_get).</summary>
    public int users { get; set; } = 1;

    /// <summary>The shared info at the end of the data buffer (shared by clones); it comes and goes with the head (skb_shinfo_alloc, skb_free_head).</summary>
    public skb_shared_info shinfo { get; set; } = null!;

    /// <summary>Set once freed: using a freed skb is a bug (KASAN's use-after-free).</summary>
    public bool freed { get; set; }

    /// <summary>The linear data as a span (skb->data .. skb->tail): skb_headlen bytes; what lies in frags or on the frag_list is not in it.</summary>
    public Span<byte> data_span => head.AsSpan(data, len - data_len);
}

/// <summary>
/// struct sk_buff_fclones: an skb allocated together with the clone TCP will
/// make of it (skbuff_fclone_cache), and how many of the two are in use.
/// </summary>
public sealed class sk_buff_fclones
{
    internal sk_buff_fclones(Vmlinux k)
    {
        skb1 = new sk_buff(k);
        skb2 = new sk_buff(k);
    }

    /// <summary>skb1: the original (SKB_FCLONE_ORIG).</summary>
    public sk_buff skb1 { get; }

    /// <summary>skb2: its companion, handed out by skb_clone while skb1 lives (SKB_FCLONE_CLONE).</summary>
    public sk_buff skb2 { get; }

    /// <summary>fclone_ref: 1 while only skb1 is in use, 2 while skb2 is too.</summary>
    public int fclone_ref { get; set; }
}

/// <summary>struct sk_buff_head: a counted doubly linked queue of skbs.</summary>
public sealed class sk_buff_head
{
    public sk_buff? first { get; set; }

    public sk_buff? last { get; set; }

    public int qlen { get; set; }
}

public static class skbuff_h
{
    public const byte PACKET_HOST = 0;
    public const byte PACKET_BROADCAST = 1;
    public const byte PACKET_MULTICAST = 2;
    public const byte PACKET_OTHERHOST = 3;
    public const byte PACKET_OUTGOING = 4;
    public const byte PACKET_LOOPBACK = 5;

    public const byte CHECKSUM_NONE = 0;
    public const byte CHECKSUM_UNNECESSARY = 1;
    public const byte CHECKSUM_COMPLETE = 2;
    public const byte CHECKSUM_PARTIAL = 3;

    /// <summary>CHECKSUM_BREAK: a packet this short or shorter is checksummed at once on receive rather than at copy time.</summary>
    public const int CHECKSUM_BREAK = 76;

    /// <summary>SKB_GSO_TCPV4: gso_type of a TCP over IPv4 GSO skb.</summary>
    public const uint SKB_GSO_TCPV4 = 1 << 0;

    /// <summary>SKB_GSO_DODGY: the GSO header came from an untrusted source.</summary>
    public const uint SKB_GSO_DODGY = 1 << 1;

    /// <summary>SKB_GSO_TCP_ECN: a segment of it carries CWR.</summary>
    public const uint SKB_GSO_TCP_ECN = 1 << 2;

    /// <summary>SKB_GSO_TCP_FIXEDID: every segment keeps the IP ID of the first.</summary>
    public const uint SKB_GSO_TCP_FIXEDID = 1 << 3;

    /// <summary>SKB_GSO_TCPV6: gso_type of a TCP over IPv6 GSO skb.</summary>
    public const uint SKB_GSO_TCPV6 = 1 << 4;

    /// <summary>SKB_GSO_UDP: UDP fragmentation offload (UFO), as a virtio header can still name it.</summary>
    public const uint SKB_GSO_UDP = 1 << 16;

    /// <summary>SKB_GSO_UDP_L4: UDP segmentation offload (USO).</summary>
    public const uint SKB_GSO_UDP_L4 = 1 << 17;

    /// <summary>GSO_BY_FRAGS: a gso_size meaning "segment at the frag_list boundaries".</summary>
    public const ushort GSO_BY_FRAGS = 0xFFFF;

    // include/linux/skbuff.h: skb_is_gso
    /// <summary>Is this one skb standing for several segments?</summary>
    [Borrows("skb")]
    public static bool skb_is_gso(sk_buff skb) => skb.shinfo.gso_size != 0;

    /// <summary>NET_SKB_PAD: headroom reserved in receive buffers (max(32, L1_CACHE_BYTES) = 64 on x86).</summary>
    public const int NET_SKB_PAD = 64;

    /// <summary>NET_IP_ALIGN: 0 on x86 (unaligned access is cheap).</summary>
    public const int NET_IP_ALIGN = 0;

    /// <summary>MAX_SKB_FRAGS: CONFIG_MAX_SKB_FRAGS of the recorded kernel (17).</summary>
    public const int MAX_SKB_FRAGS = 17;

    /// <summary>SKB_DATA_ALIGN granularity (SMP_CACHE_BYTES).</summary>
    public const int SMP_CACHE_BYTES = 64;

    /// <summary>sizeof(struct skb_shared_info) on x86-64, rounded by SKB_DATA_ALIGN.</summary>
    public const int SKB_SHINFO_SIZE = 320;

    /// <summary>sizeof(struct sk_buff) rounded: what truesize charges for the metadata.</summary>
    public const int SKB_TRUESIZE_OVERHEAD = 256;

    // include/linux/skbuff.h: SKB_DATA_ALIGN
    public static int SKB_DATA_ALIGN(int x) => (x + SMP_CACHE_BYTES - 1) & ~(SMP_CACHE_BYTES - 1);

    // include/linux/skbuff.h: SKB_HEAD_ALIGN
    /// <summary>A head of <paramref name="x"/> bytes with its shared info after it, both cache-aligned.</summary>
    public static int SKB_HEAD_ALIGN(int x) => SKB_DATA_ALIGN(x) + SKB_SHINFO_SIZE;

    // include/linux/skbuff.h: SKB_WITH_OVERHEAD
    /// <summary>What a head of <paramref name="x"/> bytes leaves for data once its shared info is taken off the end.</summary>
    public static int SKB_WITH_OVERHEAD(int x) => x - SKB_SHINFO_SIZE;

    // include/linux/skbuff.h: SKB_MAX_ORDER
    /// <summary>The most data a head of an order-<paramref name="order"/> allocation holds once <paramref name="x"/> bytes and the shared info are taken off.</summary>
    public static int SKB_MAX_ORDER(int x, int order) => SKB_WITH_OVERHEAD((mm_h.PAGE_SIZE << order) - x);

    // include/linux/skbuff.h: SKB_MAX_HEAD
    /// <summary>The most data a single-page head holds besides <paramref name="x"/> bytes.</summary>
    public static int SKB_MAX_HEAD(int x) => SKB_MAX_ORDER(x, 0);

    /// <summary>SKB_MAX_ALLOC: the largest linear buffer worth asking for (an order-2 head less its shared info); __ip_append_data goes paged above it.</summary>
    public const int SKB_MAX_ALLOC = (mm_h.PAGE_SIZE << 2) - SKB_SHINFO_SIZE; // SKB_MAX_ORDER(0, 2)

    // TX timestamp requests in skb_shinfo(skb)->tx_flags
    public const byte SKBTX_HW_TSTAMP_NOBPF = 1 << 0;
    public const byte SKBTX_SW_TSTAMP = 1 << 1;
    public const byte SKBTX_IN_PROGRESS = 1 << 2;
    public const byte SKBTX_COMPLETION_TSTAMP = 1 << 3;
    public const byte SKBTX_HW_TSTAMP_NETDEV = 1 << 5;
    public const byte SKBTX_SCHED_TSTAMP = 1 << 6;
    public const byte SKBTX_BPF = 1 << 7;
    public const byte SKBTX_HW_TSTAMP = SKBTX_HW_TSTAMP_NOBPF | SKBTX_BPF;
    public const byte SKBTX_ANY_SW_TSTAMP = SKBTX_SW_TSTAMP | SKBTX_SCHED_TSTAMP | SKBTX_BPF | SKBTX_COMPLETION_TSTAMP;
    public const byte SKBTX_ANY_TSTAMP = SKBTX_HW_TSTAMP | SKBTX_ANY_SW_TSTAMP;

    // zerocopy state in skb_shinfo(skb)->flags
    public const byte SKBFL_ZEROCOPY_ENABLE = 1 << 0;
    public const byte SKBFL_SHARED_FRAG = 1 << 1;
    public const byte SKBFL_PURE_ZEROCOPY = 1 << 2;
    public const byte SKBFL_DONT_ORPHAN = 1 << 3;
    public const byte SKBFL_MANAGED_FRAG_REFS = 1 << 4;
    public const byte SKBFL_ZEROCOPY_FRAG = SKBFL_ZEROCOPY_ENABLE | SKBFL_SHARED_FRAG;
    public const byte SKBFL_ALL_ZEROCOPY = SKBFL_ZEROCOPY_FRAG | SKBFL_PURE_ZEROCOPY | SKBFL_DONT_ORPHAN | SKBFL_MANAGED_FRAG_REFS;

    // include/linux/skbuff.h: skb_uarg
    /// <summary>The zerocopy buffer the shared info points at (destructor_arg).</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static ubuf_info? skb_uarg(sk_buff skb) => skb.shinfo.destructor_arg;

    // include/linux/skbuff.h: uarg_to_msgzc
    /// <summary>The MSG_ZEROCOPY buffer around <paramref name="uarg"/> (container_of).</summary>
    public static ubuf_info_msgzc uarg_to_msgzc(ubuf_info uarg) => (ubuf_info_msgzc)uarg;

    // include/linux/skbuff.h: skb_zcopy_pure
    /// <summary>Is every frag of this skb a zerocopy user page (charged to the socket only for its head)?</summary>
    [KernelNet.Annotations.Borrows("skb")]
    [Borrows("skb")]
    public static bool skb_zcopy_pure(sk_buff skb) => (skb.shinfo.flags & SKBFL_PURE_ZEROCOPY) != 0;

    // include/linux/skbuff.h: skb_zcopy_managed
    /// <summary>Are the frags' page references held by the zerocopy buffer rather than the skb?</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static bool skb_zcopy_managed(sk_buff skb) => (skb.shinfo.flags & SKBFL_MANAGED_FRAG_REFS) != 0;

    // include/linux/skbuff.h: net_zcopy_get
    /// <summary>One more holder of the zerocopy buffer.</summary>
    public static void net_zcopy_get(ubuf_info uarg) => uarg.refcnt++;

    // include/linux/skbuff.h: skb_zcopy_init
    /// <summary>The skb's shared info points at <paramref name="uarg"/> and takes on its flags (the caller brings the reference).</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void skb_zcopy_init(sk_buff skb, ubuf_info uarg)
    {
        skb.shinfo.destructor_arg = uarg;
        skb.shinfo.flags |= uarg.flags;
    }

    // include/linux/skbuff.h: skb_zcopy_set
    /// <summary>Links an skb not yet zerocopy to <paramref name="uarg"/>, taking a reference unless the caller hands its own over (<paramref name="have_ref"/>).</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void skb_zcopy_set(sk_buff? skb, ubuf_info? uarg, ref bool have_ref)
    {
        if (skb is not null && uarg is not null && skb_zcopy(skb) is null)
        {
            if (have_ref)
            {
                have_ref = false;
            }
            else
            {
                net_zcopy_get(uarg);
            }

            skb_zcopy_init(skb, uarg);
        }
    }

    // include/linux/skbuff.h: skb_zcopy_set
    /// <summary>skb_zcopy_set with have_ref NULL: a reference is always taken.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void skb_zcopy_set(sk_buff? skb, ubuf_info? uarg)
    {
        // not ported: net_zcopy_get, skb_zcopy, skb_zcopy_init — forwards to the full form above, which calls them
        var have_ref = false;
        skb_zcopy_set(skb, uarg, ref have_ref);
    }

    // include/linux/skbuff.h: net_zcopy_put
    /// <summary>Drops a reference that is not an skb's (the sender's), as a successful completion.</summary>
    public static void net_zcopy_put(ubuf_info? uarg)
    {
        if (uarg is not null)
        {
            uarg.ops.complete(null, uarg, true);
        }
    }

    // include/linux/skbuff.h: net_zcopy_put_abort
    /// <summary>
    /// The send that made or extended <paramref name="uarg"/> failed: a
    /// MSG_ZEROCOPY buffer gives its id back (msg_zerocopy_put_abort); others
    /// just drop the caller's reference when it has one.
    /// </summary>
    public static void net_zcopy_put_abort(ubuf_info? uarg, bool have_uref)
    {
        if (uarg is not null)
        {
            if (uarg.ops == msg_zerocopy_ubuf_ops)
            {
                msg_zerocopy_put_abort(uarg, have_uref);
            }
            else if (have_uref)
            {
                net_zcopy_put(uarg);
            }
        }
    }

    // include/linux/skbuff.h: skb_zcopy_clear
    /// <summary>The skb lets go of its zerocopy buffer: the buffer's completion is told whether the bytes left uncopied, and the skb is zerocopy no more.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void skb_zcopy_clear(sk_buff skb, bool zerocopy_success)
    {
        // not ported: skb_zcopy_is_nouarg — the nouarg form (vhost) is not ported
        var uarg = skb_zcopy(skb);
        if (uarg is not null)
        {
            // skb_zcopy_is_nouarg: the nouarg form (vhost) is not ported
            uarg.ops.complete(skb, uarg, zerocopy_success);
            skb.shinfo.flags &= unchecked((byte)~SKBFL_ALL_ZEROCOPY);
        }
    }

    // include/linux/skbuff.h: SKB_TRUESIZE
    /// <summary>What an skb whose buffer ends at <paramref name="x"/> costs: the buffer, its shared info and the struct.</summary>
    public static int SKB_TRUESIZE(int x) => x + SKB_SHINFO_SIZE + SKB_TRUESIZE_OVERHEAD;

    // include/linux/skbuff.h: kfree_skb_reason
    /// <summary>Frees an skb that is dropped, recording why (the kfree_skb tracepoint).</summary>
    [Consumes("skb")]
    public static void kfree_skb_reason(sk_buff? skb, skb_drop_reason reason, [CallerMemberName] string location = "")
    {
        sk_skb_reason_drop(null, skb, reason, location);
    }

    // include/linux/skbuff.h: kfree_skb
    /// <summary>Drop without a reason (NOT_SPECIFIED): avoid in new code (KN0005).</summary>
    [Consumes("skb")]
    public static void kfree_skb(sk_buff? skb, [CallerMemberName] string location = "")
    {
        kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED, location);
    }

    // include/linux/skbuff.h: skb_data_unref
    /// <summary>
    /// Drops this skb's reference to the data buffer; true when it was the
    /// last, so the data (and its frag_list) is to be freed. An skb never
    /// cloned holds the only reference without counting it.
    /// </summary>
    [Borrows("skb")]
    public static bool skb_data_unref(sk_buff skb, skb_shared_info shinfo)
    {
        if (!skb.cloned)
        {
            return true;
        }

        if (shinfo.dataref == 1)
        {
            return true;
        }

        return --shinfo.dataref == 0;
    }

    // include/linux/skbuff.h: kfree_skb_list
    /// <summary>Frees a chain of skbs linked by next (a frag_list) without a reason. Inline: traces name the caller.</summary>
    [Consumes("segs")]
    public static void kfree_skb_list(sk_buff? segs, [CallerMemberName] string location = "")
    {
        kfree_skb_list_reason(segs, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED, location);
    }

    // include/linux/skbuff.h: alloc_skb
    public static sk_buff? alloc_skb(Vmlinux k, int size, [CallerMemberName] string site = "") => __alloc_skb(k, size, 0, site);

    /// <summary>SKB_FCLONE_UNAVAILABLE: an skb of skbuff_cache, with no companion.</summary>
    public const byte SKB_FCLONE_UNAVAILABLE = 0;

    /// <summary>SKB_FCLONE_ORIG: the original of an sk_buff_fclones pair.</summary>
    public const byte SKB_FCLONE_ORIG = 1;

    /// <summary>SKB_FCLONE_CLONE: the companion of an sk_buff_fclones pair.</summary>
    public const byte SKB_FCLONE_CLONE = 2;

    /// <summary>SKB_ALLOC_FCLONE: __alloc_skb takes the skb from skbuff_fclone_cache, with a companion for its clone.</summary>
    public const int SKB_ALLOC_FCLONE = 0x01;

    /// <summary>SKB_ALLOC_RX: a receive buffer (may dip into pfmemalloc reserves, not ported).</summary>
    public const int SKB_ALLOC_RX = 0x02;

    /// <summary>SKB_ALLOC_NAPI: allocated in NAPI context: the sk_buff may come from the CPU's NAPI skb cache.</summary>
    public const int SKB_ALLOC_NAPI = 0x04;

    // include/linux/skbuff.h: alloc_skb_fclone
    /// <summary>An skb from the fclone cache (TCP's write queue): the clone TCP sends of it is its companion, allocated with it.</summary>
    public static sk_buff? alloc_skb_fclone(Vmlinux k, int size, [CallerMemberName] string site = "") => __alloc_skb(k, size, SKB_ALLOC_FCLONE, site);

    // include/linux/skbuff.h: skb_dst
    [Borrows("skb")]
    public static dst_entry? skb_dst(sk_buff skb) => skb.dst;

    // include/linux/skbuff.h: skb_dstref_steal
    /// <summary>Takes the skb's route off it and returns it (to put back with skb_dstref_restore).</summary>
    [Borrows("skb")]
    public static dst_entry? skb_dstref_steal(sk_buff skb)
    {
        var refdst = skb.dst;
        skb.dst = null;
        return refdst;
    }

    // include/linux/skbuff.h: skb_dstref_restore
    /// <summary>Puts back a route skb_dstref_steal took off the skb.</summary>
    [Borrows("skb")]
    public static void skb_dstref_restore(sk_buff skb, dst_entry? refdst)
    {
        // not ported: skb_dst_check_unset — a debug warning that the skb has no route left, which the callers guarantee.
        skb.dst = refdst;
    }

    // not ported: skb_dst_check_unset — a debug check only
    // include/linux/skbuff.h: skb_dst_set
    [Borrows("skb")]
    public static void skb_dst_set(sk_buff skb, dst_entry? dst) => skb.dst = dst;

    // include/linux/skbuff.h: skb_dst_set_noref
    /// <summary>
    /// Attaches a route the skb takes no reference on (a next hop's cached
    /// input route, alive while the RCU read side lasts). The skb stays the caller's.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void skb_dst_set_noref(sk_buff skb, dst_entry dst)
    {
        // not ported: skb_dst_check_unset — a debug warning about a route already attached.
        // WARN_ON(!rcu_read_lock_held()): the receive path is the read side (one thread here).
        // SKB_DST_NOREF: no reference is held, and skb references are not counted in the port (dst_h.skb_dst_drop).
        skb.dst = dst;
    }

    // include/linux/skbuff.h: skb_headlen
    [Borrows("skb")]
    public static int skb_headlen(sk_buff skb) => skb.len - skb.data_len;

    // include/linux/skbuff.h: skb_headroom
    [Borrows("skb")]
    public static int skb_headroom(sk_buff skb) => skb.data - skb.head_base;

    // include/linux/skbuff.h: skb_tailroom
    /// <summary>Room after tail; none for a nonlinear skb, whose data goes on past the head.</summary>
    [Borrows("skb")]
    public static int skb_tailroom(sk_buff skb) => skb_is_nonlinear(skb) ? 0 : skb.end - skb.tail;

    // include/linux/skbuff.h: skb_end_offset
    [Borrows("skb")]
    public static int skb_end_offset(sk_buff skb) => skb.end - skb.head_base;

    // include/linux/skbuff.h: skb_is_nonlinear
    /// <summary>True when part of the data is outside the head (in page frags or on the frag_list).</summary>
    [Borrows("skb")]
    public static bool skb_is_nonlinear(sk_buff skb) => skb.data_len != 0;

    // include/linux/skbuff.h: skb_frag_size
    public static int skb_frag_size(in skb_frag_t frag) => frag.len;

    // include/linux/skbuff.h: skb_frag_size_set
    public static void skb_frag_size_set(ref skb_frag_t frag, int size) => frag.len = size;

    // include/linux/skbuff.h: skb_frag_size_add
    public static void skb_frag_size_add(ref skb_frag_t frag, int delta) => frag.len += delta;

    // include/linux/skbuff.h: skb_frag_size_sub
    public static void skb_frag_size_sub(ref skb_frag_t frag, int delta) => frag.len -= delta;

    // include/linux/skbuff.h: skb_frag_off
    public static int skb_frag_off(in skb_frag_t frag) => frag.offset;

    // include/linux/skbuff.h: skb_frag_off_add
    public static void skb_frag_off_add(ref skb_frag_t frag, int delta) => frag.offset += delta;

    // include/linux/skbuff.h: skb_frag_off_set
    public static void skb_frag_off_set(ref skb_frag_t frag, int offset) => frag.offset = offset;

    // not ported: netmem_to_page, skb_frag_is_net_iov — pages and netmem are one type here; no net_iov (devmem)
    // include/linux/skbuff.h: skb_frag_page
    public static page skb_frag_page(in skb_frag_t frag) => frag.netmem!;

    // not ported: page_address, skb_frag_off, skb_frag_page — the page is a byte array: the span is taken from frag.netmem.mem at its offset
    // include/linux/skbuff.h: skb_frag_address
    /// <summary>The frag's bytes (page_address + offset, len of them).</summary>
    public static Span<byte> skb_frag_address(in skb_frag_t frag) => frag.netmem!.mem.AsSpan(frag.offset, frag.len);

    // include/linux/skbuff.h: skb_frag_fill_page_desc
    /// <summary>Points <paramref name="frag"/> at <paramref name="size"/> bytes of <paramref name="page"/> from <paramref name="off"/>.</summary>
    public static void skb_frag_fill_page_desc(ref skb_frag_t frag, page page, int off, int size)
    {
        // not ported: page_to_netmem, skb_frag_fill_netmem_desc — pages and netmem are one type here
        frag.netmem = page;
        frag.offset = off;
        frag.len = size;
    }

    // not ported: __skb_fill_netmem_desc_noacc, page_to_netmem — pages and netmem are one type here: the page form is filled directly
    // include/linux/skbuff.h: __skb_fill_page_desc_noacc
    /// <summary>Fills frag <paramref name="i"/> without touching nr_frags or the lengths.</summary>
    public static void __skb_fill_page_desc_noacc(skb_shared_info shinfo, int i, page page, int off, int size) =>
        skb_frag_fill_page_desc(ref shinfo.frags[i], page, off, size);

    // not ported: __skb_fill_netmem_desc, page_to_netmem — pages and netmem are one type here: the page form is filled directly
    // include/linux/skbuff.h: __skb_fill_page_desc
    /// <summary>Fills frag <paramref name="i"/> without touching nr_frags or the lengths (page pfmemalloc tracking is not modelled: no memory reserves).</summary>
    [Borrows("skb")]
    public static void __skb_fill_page_desc(sk_buff skb, int i, page page, int off, int size) =>
        __skb_fill_page_desc_noacc(skb.shinfo, i, page, off, size);

    // include/linux/skbuff.h: skb_fill_page_desc
    /// <summary>Fills frag <paramref name="i"/> and makes it the last (nr_frags = i + 1); takes over the caller's page reference, and leaves len/data_len/truesize to the caller.</summary>
    [Borrows("skb")]
    public static void skb_fill_page_desc(sk_buff skb, int i, page page, int off, int size)
    {
        // not ported: page_to_netmem, skb_fill_netmem_desc — pages and netmem are one type here
        __skb_fill_page_desc_noacc(skb.shinfo, i, page, off, size);
        skb.shinfo.nr_frags = (byte)(i + 1);
    }

    // not ported: page_to_netmem — pages and netmem are one type here
    // include/linux/skbuff.h: skb_add_rx_frag
    /// <summary>A received page piece as frag <paramref name="i"/> (skb_add_rx_frag_netmem with a page).</summary>
    [Borrows("skb")]
    public static void skb_add_rx_frag(sk_buff skb, int i, page page, int off, int size, uint truesize) =>
        KernelNet.Kernel.Net.Core.skbuff_c.skb_add_rx_frag_netmem(skb, i, page, off, size, truesize);

    // include/linux/skbuff.h: skb_checksum_none_assert
    /// <summary>A fresh receive skb has not been summed (DEBUG_NET_WARN_ON_ONCE: an assertion in debug builds).</summary>
    [Borrows("skb")]
    public static void skb_checksum_none_assert(sk_buff skb) =>
        System.Diagnostics.Debug.Assert(skb.ip_summed == CHECKSUM_NONE, "skb_checksum_none_assert");

    // include/linux/skbuff.h: skb_checksum_start
    /// <summary>Where a CHECKSUM_PARTIAL sum starts, as an index into head (head + csum_start in C).</summary>
    [Borrows("skb")]
    public static int skb_checksum_start(sk_buff skb) => skb.csum_start;

    // include/linux/skbuff.h: skb_checksum_start_offset
    /// <summary>Where a CHECKSUM_PARTIAL sum starts, from skb->data (csum_start, like the header offsets, indexes the head array, so head_base comes off first).</summary>
    [Borrows("skb")]
    public static int skb_checksum_start_offset(sk_buff skb) => skb.csum_start - skb.head_base - skb_headroom(skb);

    // include/linux/skbuff.h: skb_csum_unnecessary
    /// <summary>
    /// The stack need not verify: the device did (CHECKSUM_UNNECESSARY), or the
    /// skb was built here and its sum is still to be filled in (CHECKSUM_PARTIAL
    /// whose start is not before data).
    /// </summary>
    [Borrows("skb")]
    public static bool skb_csum_unnecessary(sk_buff skb) =>
        skb.ip_summed == CHECKSUM_UNNECESSARY ||
        (skb.ip_summed == CHECKSUM_PARTIAL && skb_checksum_start_offset(skb) >= 0);

    // not ported: skb->csum_valid in skb_csum_unnecessary — the port keeps no csum_valid bit (no CHECKSUM_COMPLETE).

    // include/linux/skbuff.h: skb_has_shared_frag
    /// <summary>A paged skb whose frags someone else may still write (spliced page-cache pages).</summary>
    [Borrows("skb")]
    public static bool skb_has_shared_frag(sk_buff skb)
    {
        // not ported: skb_shinfo — the port's sk_buff holds its shared info as skb.shinfo.
        return skb_is_nonlinear(skb) && (skb.shinfo.flags & SKBFL_SHARED_FRAG) != 0;
    }

    // include/linux/skbuff.h: __skb_incr_checksum_unnecessary
    /// <summary>One more verified checksum level: an unverified skb becomes CHECKSUM_UNNECESSARY (csum_level is not kept: one level).</summary>
    [Borrows("skb")]
    public static void __skb_incr_checksum_unnecessary(sk_buff skb)
    {
        if (skb.ip_summed == CHECKSUM_NONE)
        {
            skb.ip_summed = CHECKSUM_UNNECESSARY;
        }
    }

    // include/linux/skbuff.h: skb_flow_dissect_flow_keys_basic
    /// <summary>A dissection that fills only the basic keys (transport offset, protocols), cleared first.</summary>
    [Borrows("skb")]
    public static bool skb_flow_dissect_flow_keys_basic(Include.Net.net? net, sk_buff? skb, Include.Net.flow_keys_basic flow, Span<byte> data, ushort proto, int nhoff, int hlen, uint flags)
    {
        flow.control.thoff = 0;
        flow.control.addr_type = 0;
        flow.control.flags = 0;
        flow.basic.n_proto = 0;
        flow.basic.ip_proto = 0;
        return KernelNet.Kernel.Net.Core.flow_dissector_c.__skb_flow_dissect(net, skb, flow, data, proto, nhoff, hlen, flags);
    }

    // include/linux/skbuff.h: dev_alloc_pages
    /// <summary>Pages for a driver's receive buffers (GFP_ATOMIC with __GFP_COMP and __GFP_MEMALLOC in C); <paramref name="k"/> as for alloc_pages.</summary>
    public static page? dev_alloc_pages(Vmlinux k, int order) => gfp_h.alloc_pages(k, 0, order);

    // not ported: page_is_pfmemalloc, page_to_nid — one NUMA node and no pfmemalloc pages: every page is reusable
    // include/linux/skbuff.h: dev_page_is_reusable
    /// <summary>May a driver keep recycling this page? Always here: one NUMA node, no pfmemalloc reserves.</summary>
    public static bool dev_page_is_reusable(page page) => true;

    // include/linux/skbuff.h: skb_fill_page_desc_noacc
    /// <summary>Fills frag <paramref name="i"/> and makes it the last, without the pfmemalloc check; the caller's page reference moves to the frag.</summary>
    [Borrows("skb")]
    public static void skb_fill_page_desc_noacc(sk_buff skb, int i, page page, int off, int size)
    {
        __skb_fill_page_desc_noacc(skb.shinfo, i, page, off, size);
        skb.shinfo.nr_frags = (byte)(i + 1);
    }

    // include/linux/skbuff.h: skb_len_add
    /// <summary>Bytes added to (or taken from) the paged part: len, data_len and truesize move together.</summary>
    [Borrows("skb")]
    public static void skb_len_add(sk_buff skb, int delta)
    {
        skb.len += delta;
        skb.data_len += delta;
        skb.truesize = (uint)(skb.truesize + delta);
    }

    // include/linux/skbuff.h: skb_zcopy
    /// <summary>The zerocopy buffer whose user pages the frags are, or null.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    [Borrows("skb")]
    public static ubuf_info? skb_zcopy(sk_buff? skb) =>
        skb is not null && (skb.shinfo.flags & SKBFL_ZEROCOPY_ENABLE) != 0 ? skb_uarg(skb) : null;

    // include/linux/skbuff.h: skb_can_coalesce
    /// <summary>Would <paramref name="off"/> in <paramref name="page"/> continue frag <paramref name="i"/> - 1 exactly (so the bytes extend it instead of taking a new frag)?</summary>
    [Borrows("skb")]
    public static bool skb_can_coalesce(sk_buff skb, int i, page page, int off)
    {
        // not ported: page_to_netmem, skb_can_coalesce_netmem — pages and netmem are one type here: the netmem test is written in place
        if (skb_zcopy(skb) is not null)
        {
            return false;
        }

        if (i != 0)
        {
            ref var frag = ref skb.shinfo.frags[i - 1];
            return page == frag.netmem && off == skb_frag_off(frag) + skb_frag_size(frag);
        }

        return false;
    }

    // include/linux/skbuff.h: __skb_pagelen
    /// <summary>The bytes in the page frags.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static int __skb_pagelen(sk_buff skb)
    {
        var len = 0;
        for (var i = skb.shinfo.nr_frags - 1; i >= 0; i--)
        {
            len += skb_frag_size(skb.shinfo.frags[i]);
        }

        return len;
    }

    // include/linux/skbuff.h: skb_pagelen
    /// <summary>The head's bytes plus the page frags': what the first IP fragment of a frag_list datagram carries.</summary>
    [Borrows("skb")]
    public static int skb_pagelen(sk_buff skb)
    {
        // not ported: __skb_pagelen — the frag sum is written in place
        var len = 0;
        for (var i = skb.shinfo.nr_frags - 1; i >= 0; i--)
        {
            len += skb_frag_size(skb.shinfo.frags[i]);
        }

        return len + skb_headlen(skb);
    }

    // include/linux/skbuff.h: __skb_linearize
    /// <summary>Pulls every paged and frag_list byte into the head; 0 or -ENOMEM.</summary>
    [Borrows("skb")]
    public static int __skb_linearize(sk_buff skb)
    {
        // the paged bytes are copied into the head by the CPU: counted (its time is not charged, as it was not before)
        skb.k.machine.CurrentCpu.CountCopy(skb.data_len);
        return __pskb_pull_tail(skb, skb.data_len) >= 0 ? 0 : -Uapi.AsmGeneric.errno_base_h.ENOMEM;
    }

    // include/linux/skbuff.h: skb_linearize
    /// <summary>Makes the skb linear (a device without scatter-gather); 0 or -ENOMEM.</summary>
    [Borrows("skb")]
    public static int skb_linearize(sk_buff skb) => skb_is_nonlinear(skb) ? __skb_linearize(skb) : 0;

    // include/linux/skbuff.h: skb_needs_linearize
    /// <summary>Must the skb be made linear for a device with <paramref name="features"/>: a frag_list without NETIF_F_FRAGLIST, or page frags without NETIF_F_SG.</summary>
    [Borrows("skb")]
    public static bool skb_needs_linearize(sk_buff skb, ulong features) =>
        skb_is_nonlinear(skb) &&
        ((skb_has_frag_list(skb) && (features & netdev_features_h.NETIF_F_FRAGLIST) == 0) ||
         (skb.shinfo.nr_frags != 0 && (features & netdev_features_h.NETIF_F_SG) == 0));

    // include/linux/skbuff.h: skb_header_pointer
    /// <summary>
    /// <paramref name="len"/> bytes at data+<paramref name="offset"/>: the head's own bytes when they
    /// are linear there, else a copy gathered into <paramref name="buffer"/> (from frags or the
    /// frag_list); empty (NULL in C) when the skb is too short.
    /// </summary>
    [Borrows("skb")]
    public static Span<byte> skb_header_pointer(sk_buff skb, int offset, int len, Span<byte> buffer)
    {
        // not ported: __skb_header_pointer — the two cases of __skb_header_pointer are written in place
        if (offset + len <= skb_headlen(skb))
        {
            return skb.head.AsSpan(skb.data + offset, len);
        }

        if (skb_copy_bits(skb, offset, buffer, len) < 0)
        {
            return Span<byte>.Empty;
        }

        return buffer[..len];
    }

    // include/linux/skbuff.h: skb_has_frag_list
    [Borrows("skb")]
    public static bool skb_has_frag_list(sk_buff skb) => skb.shinfo.frag_list is not null;

    // include/linux/skbuff.h: skb_frag_list_init
    [Borrows("skb")]
    public static void skb_frag_list_init(sk_buff skb) => skb.shinfo.frag_list = null;

    // include/linux/skbuff.h: skb_mark_not_on_list
    [Borrows("skb")]
    public static void skb_mark_not_on_list(sk_buff skb) => skb.next = null;

    // include/linux/skbuff.h: skb_head_is_locked
    /// <summary>A head that cannot be handed to another skb as a page frag: a kmalloc'd one, or one a clone shares.</summary>
    [Borrows("skb")]
    public static bool skb_head_is_locked(sk_buff skb) => !skb.head_frag || skb_cloned(skb);

    // include/linux/skbuff.h: skb_unclone
    /// <summary>Makes the data buffer this skb's alone (a private copy when a clone shares it); -ENOMEM on failure.</summary>
    [Borrows("skb")]
    public static int skb_unclone(sk_buff skb)
    {
        // not ported: gfpflags_allow_blocking — a might_sleep check only: no gfp flags
        if (skb_cloned(skb))
        {
            return pskb_expand_head(skb, 0, 0);
        }

        return 0;
    }

    // include/linux/skbuff.h: skb_unclone_keeptruesize
    /// <summary>skb_unclone that leaves truesize as it was (the socket's charge for the skb does not change); 0 or -ENOMEM.</summary>
    [Borrows("skb")]
    public static int skb_unclone_keeptruesize(sk_buff skb)
    {
        // not ported: __skb_unclone_keeptruesize, gfpflags_allow_blocking — the truesize save and restore is written in place; no gfp flags
        if (skb_cloned(skb))
        {
            var save = skb.truesize;
            var res = pskb_expand_head(skb, 0, 0);
            skb.truesize = save;
            return res;
        }

        return 0;
    }

    // not ported: __pskb_copy — __pskb_copy_fclone is called with fclone false, what __pskb_copy does
    // include/linux/skbuff.h: pskb_copy
    /// <summary>A private head with the same headroom, sharing the page frags: see __pskb_copy_fclone.</summary>
    [Borrows("skb")]
    public static sk_buff? pskb_copy(sk_buff skb, [CallerMemberName] string site = "") => __pskb_copy_fclone(skb, skb_headroom(skb), false, site);

    // include/linux/skbuff.h: __skb_cow
    /// <summary>Reallocates the head when it lacks <paramref name="headroom"/> or is shared with a clone; 0 or -ENOMEM.</summary>
    [Borrows("skb")]
    private static int __skb_cow(sk_buff skb, int headroom, bool cloned)
    {
        var delta = 0;
        if (headroom > skb_headroom(skb))
        {
            delta = headroom - skb_headroom(skb);
        }

        if (delta != 0 || cloned)
        {
            return pskb_expand_head(skb, (delta + NET_SKB_PAD - 1) & ~(NET_SKB_PAD - 1), 0);
        }

        return 0;
    }

    // include/linux/skbuff.h: skb_cow
    /// <summary>Makes the data writable by this skb alone, with at least <paramref name="headroom"/> bytes in front (forwarding rewrites the header).</summary>
    [Borrows("skb")]
    public static int skb_cow(sk_buff skb, int headroom) => __skb_cow(skb, headroom, skb_cloned(skb));

    // not ported: skb_header_cloned — any clone counts as header-cloned: no dataref split for header-only clones
    // include/linux/skbuff.h: skb_cow_head
    /// <summary>skb_cow for a caller that writes only the headers (a VLAN tag): headroom, and a head not shared with a clone (skb_header_cloned is skb_cloned here: no dataref split).</summary>
    [Borrows("skb")]
    public static int skb_cow_head(sk_buff skb, int headroom) => __skb_cow(skb, headroom, skb_cloned(skb));

    // not ported: skb_reset_tail_pointer — the tail is written in place
    // include/linux/skbuff.h: skb_set_tail_pointer
    [Borrows("skb")]
    public static void skb_set_tail_pointer(sk_buff skb, int offset) => skb.tail = skb.data + offset;

    // include/linux/skbuff.h: skb_reserve
    /// <summary>Makes headroom in an empty buffer: moves data and tail forward.</summary>
    [Borrows("skb")]
    public static void skb_reserve(sk_buff skb, int len)
    {
        skb.data += len;
        skb.tail += len;
    }

    // include/linux/skbuff.h: skb_put_padto
    /// <summary>Zero-pads the data to <paramref name="len"/> bytes (a driver's runt padding); 0, as the linear head always has the room here.</summary>
    [Consumes("skb", WhenReturnsNonZero = true)]
    public static int skb_put_padto(sk_buff skb, int len)
    {
        // not ported: __skb_put_padto — the pad is zeroed in place; the skb cannot be nonlinear here, so no skb_pad call
        if (skb.len >= len)
        {
            return 0;
        }

        var pad = len - skb.len;
        var at = KernelNet.Kernel.Net.Core.skbuff_c.skb_put(skb, pad);
        skb.head.AsSpan(at, pad).Clear();
        return 0;
    }

    // include/linux/skbuff.h: skb_record_rx_queue
    /// <summary>Remembers the receive queue (stored +1 so that 0 means "none").</summary>
    [Borrows("skb")]
    public static void skb_record_rx_queue(sk_buff skb, ushort rx_queue) => skb.queue_mapping = (ushort)(rx_queue + 1);

    // include/linux/skbuff.h: skb_get_rx_queue
    /// <summary>The receive queue skb_record_rx_queue stored.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static ushort skb_get_rx_queue(sk_buff skb) => (ushort)(skb.queue_mapping - 1);

    // include/linux/skbuff.h: skb_rx_queue_recorded
    /// <summary>Whether a driver recorded the receive queue (igb does; veth and loopback do not).</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static bool skb_rx_queue_recorded(sk_buff skb) => skb.queue_mapping != 0;

    // include/linux/skbuff.h: __skb_set_hash
    /// <summary>Sets the flow hash and who made it: the stack (<paramref name="is_sw"/>) or the NIC, over the 4-tuple (<paramref name="is_l4"/>) or not.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void __skb_set_hash(sk_buff skb, uint hash, bool is_sw, bool is_l4)
    {
        skb.l4_hash = is_l4;
        skb.sw_hash = is_sw;
        skb.hash = hash;
    }

    // include/linux/skbuff.h: __skb_set_sw_hash
    [KernelNet.Annotations.Borrows("skb")]
    public static void __skb_set_sw_hash(sk_buff skb, uint hash, bool is_l4) => __skb_set_hash(skb, hash, true, is_l4);

    // include/linux/skbuff.h: skb_clear_hash
    [KernelNet.Annotations.Borrows("skb")]
    public static void skb_clear_hash(sk_buff skb)
    {
        skb.hash = 0;
        skb.sw_hash = false;
        skb.l4_hash = false;
    }

    // include/linux/skbuff.h: skb_get_hash
    /// <summary>The flow hash: the NIC's or one already computed, else the flow dissector's now (RPS, XPS and skb_tx_hash read it).</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static uint skb_get_hash(sk_buff skb)
    {
        if (!skb.l4_hash && !skb.sw_hash)
        {
            KernelNet.Kernel.Net.Core.flow_dissector_c.__skb_get_hash_net(null, skb);
        }

        return skb.hash;
    }

    // include/linux/skbuff.h: __skb_put
    /// <summary>Extends the data at the tail, unchecked.</summary>
    [Borrows("skb")]
    public static int __skb_put(sk_buff skb, int len)
    {
        // not ported: SKB_LINEAR_ASSERT, skb_tail_pointer — the overflow check is a Debug.Assert; the tail is an offset
        var tmp = skb.tail;
        Debug.Assert(skb.tail + len <= skb.end);
        skb.tail += len;
        skb.len += len;
        return tmp;
    }

    // include/linux/skbuff.h: __skb_push
    [Borrows("skb")]
    public static int __skb_push(sk_buff skb, int len)
    {
        Debug.Assert(skb.data >= len);
        skb.data -= len;
        skb.len += len;
        return skb.data;
    }

    // include/linux/skbuff.h: __skb_pull
    [Borrows("skb")]
    public static int __skb_pull(sk_buff skb, int len)
    {
        // not ported: skb_dump — an underflow is a Debug.Assert, not a dump and BUG
        skb.len -= len;
        Debug.Assert(skb.len >= skb.data_len);
        skb.data += len;
        return skb.data;
    }

    // include/linux/skbuff.h: pskb_may_pull
    /// <summary>
    /// True if the first <paramref name="len"/> bytes are (or could be made,
    /// by pulling them from the frag_list into the head) linear.
    /// </summary>
    [Borrows("skb")]
    public static bool pskb_may_pull(sk_buff skb, int len)
    {
        // not ported: pskb_may_pull_reason — the reason is not needed by any caller: the bool form is written out
        if (len <= skb_headlen(skb))
        {
            return true;
        }

        return len <= skb.len && __pskb_pull_tail(skb, len - skb_headlen(skb)) >= 0;
    }

    // include/linux/skbuff.h: pskb_pull
    /// <summary>skb_pull that may first pull the bytes in from the frag_list; the new data offset, or -1 (NULL in C).</summary>
    [Borrows("skb")]
    public static int pskb_pull(sk_buff skb, int len)
    {
        if (!pskb_may_pull(skb, len))
        {
            return -1;
        }

        skb.len -= len;
        return skb.data += len;
    }

    // include/linux/skbuff.h: skb_reset_mac_header
    [Borrows("skb")]
    public static void skb_reset_mac_header(sk_buff skb) => skb.mac_header = (ushort)skb.data;

    // not ported: skb_mac_header_was_set — a DEBUG_NET_WARN only
    // include/linux/skbuff.h: skb_reset_mac_len
    /// <summary>mac_len: the bytes between the MAC and network headers.</summary>
    [Borrows("skb")]
    public static void skb_reset_mac_len(sk_buff skb) => skb.mac_len = (ushort)(skb.network_header - skb.mac_header);

    // include/linux/skbuff.h: skb_mac_header_was_set
    [Borrows("skb")]
    public static bool skb_mac_header_was_set(sk_buff skb) => skb.mac_header != sk_buff.MAC_HEADER_UNSET;

    // not ported: skb_mac_header_was_set — a DEBUG_NET_WARN only
    // include/linux/skbuff.h: skb_mac_header
    [Borrows("skb")]
    public static int skb_mac_header(sk_buff skb) => skb.mac_header;

    // include/linux/skbuff.h: skb_reset_network_header
    [Borrows("skb")]
    public static void skb_reset_network_header(sk_buff skb) => skb.network_header = (ushort)skb.data;

    // not ported: skb_reset_network_header — the header offset is written in place
    // include/linux/skbuff.h: skb_set_network_header
    [Borrows("skb")]
    public static void skb_set_network_header(sk_buff skb, int offset) => skb.network_header = (ushort)(skb.data + offset);

    // include/linux/skbuff.h: skb_network_header
    [Borrows("skb")]
    public static int skb_network_header(sk_buff skb) => skb.network_header;

    // include/linux/skbuff.h: skb_reset_transport_header
    [Borrows("skb")]
    public static void skb_reset_transport_header(sk_buff skb) => skb.transport_header = (ushort)skb.data;

    // not ported: skb_reset_transport_header — the header offset is written in place
    // include/linux/skbuff.h: skb_set_transport_header
    [Borrows("skb")]
    public static void skb_set_transport_header(sk_buff skb, int offset) => skb.transport_header = (ushort)(skb.data + offset);

    // not ported: skb_transport_header_was_set — a DEBUG_NET_WARN only
    // include/linux/skbuff.h: skb_transport_header
    [Borrows("skb")]
    public static int skb_transport_header(sk_buff skb) => skb.transport_header;

    // include/linux/skbuff.h: skb_transport_header_was_set
    [Borrows("skb")]
    public static bool skb_transport_header_was_set(sk_buff skb) => skb.transport_header != 0xffff;

    // not ported: skb_network_header — the offset is computed from the field directly
    // include/linux/skbuff.h: skb_network_offset
    [Borrows("skb")]
    public static int skb_network_offset(sk_buff skb) => skb.network_header - skb.data;

    // not ported: skb_transport_header — the offset is computed from the field directly
    // include/linux/skbuff.h: skb_transport_offset
    [Borrows("skb")]
    public static int skb_transport_offset(sk_buff skb) => skb.transport_header - skb.data;

    // not ported: skb_transport_header_was_set — a DEBUG_NET_WARN only
    // include/linux/skbuff.h: skb_network_header_len
    [Borrows("skb")]
    public static int skb_network_header_len(sk_buff skb) => skb.transport_header - skb.network_header;

    // include/linux/skbuff.h: skb_cloned
    /// <summary>True if the data buffer is shared with a clone.</summary>
    [Borrows("skb")]
    public static bool skb_cloned(sk_buff skb) => skb.cloned && skb.shinfo.dataref != 1;

    // include/linux/skbuff.h: skb_header_cloned
    /// <summary>Whether the header bytes are shared with a clone. The port keeps no header-only (nohdr) references, so this is skb_cloned.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static bool skb_header_cloned(sk_buff skb)
    {
        // not ported: skb_shinfo — the port's sk_buff holds its shared info as skb.shinfo
        return skb.cloned && skb.shinfo.dataref != 1;
    }

    // include/linux/skbuff.h: skb_shared
    /// <summary>True if more than one holder references this sk_buff struct.</summary>
    [Borrows("skb")]
    public static bool skb_shared(sk_buff skb) => skb.users != 1;

    // include/linux/skbuff.h: skb_get
    [Borrows("skb")]
    public static sk_buff skb_get(sk_buff skb)
    {
        skb.users++;
        return skb;
    }

    // include/linux/skbuff.h: skb_unref
    /// <summary>Drops one reference; true if it was the last (the caller frees).</summary>
    [Consumes("skb", WhenReturns = 0)]
    public static bool skb_unref(sk_buff? skb)
    {
        if (skb is null)
        {
            return false;
        }

        if (skb.users == 1)
        {
            return true;
        }

        skb.users--;
        return false;
    }

    // include/linux/skbuff.h: skb_share_check
    /// <summary>Returns an skb the caller owns alone: the same one, or a clone when it is shared (the original reference is dropped).</summary>
    [Consumes("skb")]
    public static sk_buff? skb_share_check(sk_buff skb)
    {
        // not ported: gfpflags_allow_blocking, might_sleep_if — no gfp flags: the clone never sleeps
        // not ported: kfree_skb — called as kfree_skb_reason with NOT_SPECIFIED, what the wrapper passes (KN0005)
        if (skb_shared(skb))
        {
            var nskb = skb_clone(skb);

            // A failed clone (skb_orphan_frags refusing a shared zerocopy skb) is a drop: kfree_skb, as 6.18 does.
            if (nskb is not null)
            {
                consume_skb(skb);
            }
            else
            {
                kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
            }

            return nskb;
        }

        return skb;
    }

    // include/linux/skbuff.h: nf_reset_ct
    /// <summary>Drops the packet's conntrack reference and forgets it.</summary>
    [Borrows("skb")]
    public static void nf_reset_ct(sk_buff skb)
    {
        // not ported: skb_nfct — the conntrack pointer is read as the _nfct field directly
        Netfilter.nf_conntrack_common_h.nf_conntrack_put(skb._nfct);
        skb._nfct = null;
        skb._nfctinfo = 0;
    }

    // include/linux/skbuff.h: __nf_copy
    /// <summary>A copy of the header shares the conntrack: one more reference.</summary>
    [Borrows("src")]
    [Borrows("dst")]
    public static void __nf_copy(sk_buff dst, sk_buff src)
    {
        // not ported: skb_nfct — the conntrack pointer is read as the _nfct field directly
        dst._nfct = src._nfct;
        dst._nfctinfo = src._nfctinfo;
        Netfilter.nf_conntrack_common_h.nf_conntrack_get(src._nfct);
    }

    // include/linux/skbuff.h: skb_orphan
    /// <summary>Detaches the skb from its owning socket, running the destructor (which uncharges the socket).</summary>
    [Borrows("skb")]
    public static void skb_orphan(sk_buff skb)
    {
        if (skb.destructor is not null)
        {
            var d = skb.destructor;
            skb.destructor = null;
            d(skb);
            skb.sk = null;
        }
        else
        {
            // departure: the kernel BUG_ONs an owner without a destructor; here
            // __ip_append_data's datagrams carry their socket uncharged (no
            // sock_wfree yet), so the owner is simply let go.
            skb.sk = null;
        }
    }

    // include/linux/skbuff.h: skb_orphan_frags
    /// <summary>Zerocopy frags whose owner does not allow them to linger (no SKBFL_DONT_ORPHAN) are copied to kernel pages; 0, or the copy's error.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static int skb_orphan_frags(sk_buff skb, int gfp_mask)
    {
        if (skb_zcopy(skb) is null)
        {
            return 0;
        }

        if ((skb.shinfo.flags & SKBFL_DONT_ORPHAN) != 0)
        {
            return 0;
        }

        return skb_copy_ubufs(skb, gfp_mask);
    }

    // include/linux/skbuff.h: skb_orphan_frags_rx
    /// <summary>An skb that may loop into a receive path (a tap, loopback, tun's reader) gives up user pages whatever its owner says: they are copied, the completion learns it (SO_EE_CODE_ZEROCOPY_COPIED).</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static int skb_orphan_frags_rx(sk_buff skb, int gfp_mask)
    {
        if (skb_zcopy(skb) is null)
        {
            return 0;
        }

        return skb_copy_ubufs(skb, gfp_mask);
    }

    // include/linux/skbuff.h: __net_timestamp
    /// <summary>Stamps the skb with the current time (ktime_get_real: the simulation has one clock, the virtual one).</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void __net_timestamp(sk_buff skb)
    {
        skb.tstamp = skb.k.ktime_get_ns();

        // skb->tstamp_type = SKB_CLOCK_REALTIME: the port keeps no clock type beside the stamp
    }

    // include/linux/skbuff.h: skb_tx_timestamp
    /// <summary>The driver's hook just before the packet goes to the hardware: the software TX timestamp (SCM_TSTAMP_SND) if one was asked for.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void skb_tx_timestamp(sk_buff skb)
    {
        // not ported: skb_clone_tx_timestamp — PHY timestamping is not ported (no PHY devices)
        // skb_clone_tx_timestamp: PHY timestamping is not ported (no PHY devices).
        if ((skb.shinfo.tx_flags & (SKBTX_SW_TSTAMP | SKBTX_BPF)) != 0)
        {
            skb_tstamp_tx(skb, null);
        }
    }

    // include/linux/skbuff.h: __skb_trim
    [Borrows("skb")]
    public static void __skb_trim(sk_buff skb, int len)
    {
        // not ported: __skb_set_length — the length and tail are set in place
        Debug.Assert(!skb_is_nonlinear(skb));
        skb.len = len;
        skb.tail = skb.data + len;
    }

    // include/linux/skbuff.h: __pskb_trim
    [Borrows("skb")]
    public static int __pskb_trim(sk_buff skb, int len)
    {
        if (skb.data_len != 0)
        {
            return ___pskb_trim(skb, len);
        }

        __skb_trim(skb, len);
        return 0;
    }

    // not ported: skb_might_realloc — a debug check only
    // include/linux/skbuff.h: pskb_trim
    /// <summary>Cuts the data to <paramref name="len"/> bytes, the frag_list included; 0 or -ENOMEM.</summary>
    [Borrows("skb")]
    public static int pskb_trim(sk_buff skb, int len) => len < skb.len ? __pskb_trim(skb, len) : 0;

    // include/linux/skbuff.h: pskb_trim_rcsum
    /// <summary>pskb_trim keeping a CHECKSUM_COMPLETE sum right (skb->csum is not modelled, see pskb_trim_rcsum_slow).</summary>
    [Borrows("skb")]
    public static int pskb_trim_rcsum(sk_buff skb, int len)
    {
        // not ported: skb_might_realloc — a debug check only
        if (len >= skb.len)
        {
            return 0;
        }

        return pskb_trim_rcsum_slow(skb, len);
    }

    // include/linux/skbuff.h: skb_queue_head_init
    public static void skb_queue_head_init(sk_buff_head list)
    {
        // not ported: __skb_queue_head_init — no spinlock to init: the list fields are reset in place
        list.first = list.last = null;
        list.qlen = 0;
    }

    // include/linux/skbuff.h: skb_queue_empty
    public static bool skb_queue_empty(sk_buff_head list) => list.qlen == 0;

    // include/linux/skbuff.h: skb_queue_empty_lockless
    /// <summary>skb_queue_empty without the queue's lock (poll methods): the same test in one thread.</summary>
    public static bool skb_queue_empty_lockless(sk_buff_head list) => list.qlen == 0;

    // include/linux/skbuff.h: skb_queue_len
    public static int skb_queue_len(sk_buff_head list) => list.qlen;

    // include/linux/skbuff.h: skb_peek
    public static sk_buff? skb_peek(sk_buff_head list) => list.first;

    // include/linux/skbuff.h: skb_peek_tail
    /// <summary>The last skb of the list, or null.</summary>
    public static sk_buff? skb_peek_tail(sk_buff_head list) => list.last;

    // include/linux/skbuff.h: __skb_queue_tail
    [Borrows("newsk")]
    public static void __skb_queue_tail(sk_buff_head list, sk_buff newsk)
    {
        // not ported: __skb_queue_before — the link writes are written in place
        newsk.next = null;
        newsk.prev = list.last;
        if (list.last is null)
        {
            list.first = newsk;
        }
        else
        {
            list.last.next = newsk;
        }

        list.last = newsk;
        newsk.list = list;
        list.qlen++;
    }

    // include/linux/skbuff.h: __skb_queue_after
    /// <summary>Inserts <paramref name="newsk"/> right after <paramref name="prev"/> on <paramref name="list"/>.</summary>
    [Borrows("prev")]
    [Borrows("newsk")]
    public static void __skb_queue_after(sk_buff_head list, sk_buff prev, sk_buff newsk)
    {
        // not ported: __skb_insert — the four link writes of __skb_insert are written in place
        newsk.prev = prev;
        newsk.next = prev.next;
        if (prev.next is null)
        {
            list.last = newsk;
        }
        else
        {
            prev.next.prev = newsk;
        }

        prev.next = newsk;
        newsk.list = list;
        list.qlen++;
    }

    // include/linux/skbuff.h: __skb_queue_head
    [Borrows("newsk")]
    public static void __skb_queue_head(sk_buff_head list, sk_buff newsk)
    {
        // not ported: __skb_queue_after — the link writes are written in place
        newsk.prev = null;
        newsk.next = list.first;
        if (list.first is null)
        {
            list.last = newsk;
        }
        else
        {
            list.first.prev = newsk;
        }

        list.first = newsk;
        newsk.list = list;
        list.qlen++;
    }

    // include/linux/skbuff.h: __skb_unlink
    [Borrows("skb")]
    public static void __skb_unlink(sk_buff skb, sk_buff_head list)
    {
        if (skb.prev is null)
        {
            list.first = skb.next;
        }
        else
        {
            skb.prev.next = skb.next;
        }

        if (skb.next is null)
        {
            list.last = skb.prev;
        }
        else
        {
            skb.next.prev = skb.prev;
        }

        skb.next = skb.prev = null;
        skb.list = null;
        list.qlen--;
    }

    // include/linux/skbuff.h: __skb_dequeue
    public static sk_buff? __skb_dequeue(sk_buff_head list)
    {
        // not ported: skb_peek — the head is read as list.first directly
        var skb = list.first;
        if (skb is not null)
        {
            __skb_unlink(skb, list);
        }

        return skb;
    }

    // include/linux/skbuff.h: __skb_dequeue_tail
    public static sk_buff? __skb_dequeue_tail(sk_buff_head list)
    {
        // not ported: skb_peek_tail — the tail is read as list.last directly
        var skb = list.last;
        if (skb is not null)
        {
            __skb_unlink(skb, list);
        }

        return skb;
    }

    // include/linux/skbuff.h: __skb_queue_purge_reason
    /// <summary>Frees everything queued with <paramref name="reason"/>; the caller holds the queue (no lock taken). Inline: traces name the caller.</summary>
    public static void __skb_queue_purge_reason(sk_buff_head list, skb_drop_reason reason, [CallerMemberName] string location = "")
    {
        while (__skb_dequeue(list) is { } skb)
        {
            kfree_skb_reason(skb, reason, location);
        }
    }

    // include/linux/skbuff.h: __skb_queue_purge
    /// <summary>A queue thrown away with its socket: QUEUE_PURGE.</summary>
    public static void __skb_queue_purge(sk_buff_head list, [CallerMemberName] string location = "") =>
        __skb_queue_purge_reason(list, skb_drop_reason.SKB_DROP_REASON_QUEUE_PURGE, location);

    // include/linux/skbuff.h: skb_queue_purge
    /// <summary>Frees everything queued as QUEUE_PURGE drops (a socket closed with unread data).</summary>
    public static void skb_queue_purge(sk_buff_head list) =>
        skb_queue_purge_reason(list, skb_drop_reason.SKB_DROP_REASON_QUEUE_PURGE, nameof(skb_queue_purge_reason));

    // include/linux/skbuff.h: skb_queue_splice_tail_init
    /// <summary>Moves all of <paramref name="list"/> to the tail of <paramref name="head"/>.</summary>
    public static void skb_queue_splice_tail_init(sk_buff_head list, sk_buff_head head)
    {
        // not ported: __skb_queue_head_init, __skb_queue_splice, skb_queue_empty — the skbs are moved one by one, leaving the source empty
        while (__skb_dequeue(list) is { } skb)
        {
            __skb_queue_tail(head, skb);
        }
    }

    // include/linux/skbuff.h: skb_copy_datagram_msg
    /// <summary>Copies <paramref name="size"/> bytes from data+<paramref name="offset"/> into the message's buffer (skb_copy_datagram_iovec traced).</summary>
    [Borrows("from")]
    public static int skb_copy_datagram_msg(sk_buff from, int offset, msghdr msg, int size) =>
        KernelNet.Kernel.Net.Core.datagram_c.skb_copy_datagram_iter(from, offset, msg, size);

    // include/linux/skbuff.h: memcpy_from_msg
    /// <summary>Takes the next <paramref name="len"/> bytes of the user's buffer (copy_from_iter_full): -EFAULT, and nothing taken, when fewer are left.</summary>
    public static int memcpy_from_msg(Span<byte> data, msghdr msg, int len)
    {
        // not ported: copy_from_iter_full — the iterator is a byte array (or a bvec), copied directly
        if (msg.msg_iter_bvec is { } bvec)
        {
            // bytes in pages (a bvec, or mapped user memory): copied piece by piece
            return memcpy_from_msg_pages(data, msg, bvec, len);
        }

        if (msg.iov_base is null || len > msg.iov_len - msg.iov_offset)
        {
            return -Uapi.AsmGeneric.errno_base_h.EFAULT;
        }

        msg.iov_base.AsSpan(msg.iov_offset, len).CopyTo(data);
        msg.iov_offset += len;
        return 0;
    }

    /// <summary>copy_from_iter over the pages of a msghdr's bvec: -EFAULT, and nothing taken, when fewer than <paramref name="len"/> bytes are left.</summary>
    [KernelNet.Annotations.NotInLinux("copy_from_iter's bvec walk over the port's msghdr, which carries its iterator inline")]
    private static int memcpy_from_msg_pages(Span<byte> data, msghdr msg, System.Collections.Generic.List<bio_vec> bvec, int len)
    {
        if (len > msg.iov_len - msg.iov_offset)
        {
            return -Uapi.AsmGeneric.errno_base_h.EFAULT;
        }

        var skip = msg.iov_offset;
        var done = 0;
        foreach (var bv in bvec)
        {
            if (done == len)
            {
                break;
            }

            if (skip >= bv.bv_len)
            {
                skip -= bv.bv_len;
                continue;
            }

            var n = Math.Min(bv.bv_len - skip, len - done);
            bv.bv_page.mem.AsSpan(bv.bv_offset + skip, n).CopyTo(data[done..]);
            done += n;
            skip = 0;
        }

        msg.iov_offset += done;
        return 0;
    }

    /// <summary>Reads a big-endian u16 at an offset of the head buffer.</summary>
    [KernelNet.Annotations.NotInLinux("C# read of a big-endian field: C reads it through a header struct pointer")]
    [Borrows("skb")]
    public static ushort get_be16(sk_buff skb, int offset) => BinaryPrimitives.ReadUInt16BigEndian(skb.head.AsSpan(offset, 2));
}
