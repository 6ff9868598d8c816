// Ports include/net/netfilter/nf_conntrack.h: struct nf_conn, one tracked
// connection with its two tuples, status, timeout and protocol state, the
// per-namespace struct nf_conntrack_net, and the inline helpers around them
// (nf_ct_get/nf_ct_set on the skb, expiry, refresh, kill).
//
// not ported: the extension area as a separate blob (acct, timestamp, labels,
// ecache, helper, seqadj are off or not ported; the NAT extension is a field),
// zones (every conntrack is in the default zone), templates.
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Linux.Netfilter;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.Linux.Netfilter;
using static KernelNet.Kernel.Include.Uapi.Linux.Netfilter.nf_conntrack_common_h;

namespace KernelNet.Kernel.Include.Net.Netfilter;

/// <summary>struct nf_conn.</summary>
public sealed class nf_conn : nf_conntrack
{
    public nf_conn(net ct_net)
    {
        this.ct_net = ct_net;
        tuplehash = new[] { new nf_conntrack_tuple_hash(this), new nf_conntrack_tuple_hash(this) };
    }

    /// <summary>tuplehash[IP_CT_DIR_ORIGINAL] and [IP_CT_DIR_REPLY].</summary>
    public nf_conntrack_tuple_hash[] tuplehash { get; }

    /// <summary>status: IPS_* bits.</summary>
    public uint status;

    /// <summary>timeout: jiffies (32 bits) at which the entry expires once confirmed; relative until then.</summary>
    public uint timeout;

    /// <summary>ct_net: the namespace the connection belongs to.</summary>
    public net ct_net { get; }

    /// <summary>mark (CONFIG_NF_CONNTRACK_MARK).</summary>
    public uint mark;

    /// <summary>proto.tcp.</summary>
    public ip_ct_tcp tcp { get; } = new();

    /// <summary>proto.udp.stream_ts: when an answered UDP flow becomes a stream.</summary>
    public ulong udp_stream_ts;

    /// <summary>The NAT extension (nfct_nat), once NAT set up a binding.</summary>
    public nf_conn_nat? nat;

    /// <summary>nat_bysource: the bucket of nf_nat_bysource this entry is on, or -1.</summary>
    public long nat_bysource = -1;

    /// <summary>A stable id for /proc output and tests (nf_ct_get_id uses a keyed hash of the address).</summary>
    public ulong id;
}

/// <summary>struct nf_conn_nat: NAT's extension (the masquerading device).</summary>
public sealed class nf_conn_nat
{
    /// <summary>masq_index: the ifindex MASQUERADE picked the address from.</summary>
    public int masq_index;
}

/// <summary>struct nf_conntrack_net: per-namespace conntrack state of nf_conntrack_core.c.</summary>
public sealed class nf_conntrack_net
{
    /// <summary>count: conntracks allocated in this namespace (confirmed or not).</summary>
    public int count;

    public int expect_count;

    /// <summary>users4: how many rules/tables need IPv4 conntrack (nf_ct_netns_get).</summary>
    public int users4;
}

public static class nf_conntrack_h
{
    // include/net/netfilter/nf_conntrack.h: nf_ct_tuplehash_to_ctrack
    public static nf_conn nf_ct_tuplehash_to_ctrack(nf_conntrack_tuple_hash hash) => hash.ct;

    // include/net/netfilter/nf_conntrack.h: nf_ct_l3num
    public static ushort nf_ct_l3num(nf_conn ct) => ct.tuplehash[0].tuple.src.l3num;

    // include/net/netfilter/nf_conntrack.h: nf_ct_protonum
    public static byte nf_ct_protonum(nf_conn ct) => ct.tuplehash[0].tuple.dst.protonum;

    // not ported: read_pnet — one field: no CONFIG_NET_NS indirection
    // include/net/netfilter/nf_conntrack.h: nf_ct_net
    public static net nf_ct_net(nf_conn ct) => ct.ct_net;

    // include/net/netfilter/nf_conntrack.h: nf_ct_get
    /// <summary>The packet's conntrack and its ctinfo (null when untracked or not seen by conntrack).</summary>
    [Borrows("skb")]
    public static nf_conn? nf_ct_get(sk_buff skb, out ip_conntrack_info ctinfo)
    {
        // not ported: skb_get_nfct — the _nfct and _nfctinfo fields are read directly
        ctinfo = skb._nfctinfo;
        return skb._nfct as nf_conn;
    }

    // not ported: nf_ct_destroy — nf_conntrack_put drops the reference; destruction is the GC's
    // include/net/netfilter/nf_conntrack.h: nf_ct_put
    public static void nf_ct_put(nf_conn? ct) => Linux.Netfilter.nf_conntrack_common_h.nf_conntrack_put(ct);

    // include/net/netfilter/nf_conntrack.h: nf_ct_set
    /// <summary>Attaches <paramref name="ct"/> (the caller's reference) to the packet.</summary>
    [Borrows("skb")]
    public static void nf_ct_set(sk_buff skb, nf_conn? ct, ip_conntrack_info info)
    {
        // not ported: skb_set_nfct — the _nfct and _nfctinfo fields are written directly
        skb._nfct = ct;
        skb._nfctinfo = info;
    }

    // include/net/netfilter/nf_conntrack.h: nf_ct_is_template
    public static bool nf_ct_is_template(nf_conn ct) => (ct.status & IPS_TEMPLATE) != 0;

    // include/net/netfilter/nf_conntrack.h: nf_ct_is_confirmed
    public static bool nf_ct_is_confirmed(nf_conn ct) => (ct.status & IPS_CONFIRMED) != 0;

    // include/net/netfilter/nf_conntrack.h: nf_ct_is_dying
    public static bool nf_ct_is_dying(nf_conn ct) => (ct.status & IPS_DYING) != 0;

    /// <summary>nfct_time_stamp, an object-like macro of nf_conntrack.h: the 32-bit jiffies conntrack timeouts count in.</summary>
    [NotInLinux("nfct_time_stamp is an object-like macro (jiffies as u32); C# needs the namespace to reach the clock")]
    public static uint nfct_time_stamp(net net) => (uint)net.k.jiffies;

    // include/net/netfilter/nf_conntrack.h: nf_ct_expires
    /// <summary>Jiffies left before the entry times out (0 when already expired).</summary>
    public static uint nf_ct_expires(nf_conn ct)
    {
        var timeout = (int)(ct.timeout - nfct_time_stamp(ct.ct_net));
        return timeout > 0 ? (uint)timeout : 0;
    }

    // include/net/netfilter/nf_conntrack.h: nf_ct_is_expired
    public static bool nf_ct_is_expired(nf_conn ct) => (int)(ct.timeout - nfct_time_stamp(ct.ct_net)) <= 0;

    // include/net/netfilter/nf_conntrack.h: nf_ct_should_gc
    /// <summary>Expired, confirmed and not already dying: the entry is garbage.</summary>
    public static bool nf_ct_should_gc(nf_conn ct) => nf_ct_is_expired(ct) && nf_ct_is_confirmed(ct) && !nf_ct_is_dying(ct);

    // include/net/netfilter/nf_conntrack.h: nf_ct_kill
    /// <summary>Removes the entry from the table now; false when someone else already did.</summary>
    public static bool nf_ct_kill(nf_conn ct) => global::KernelNet.Kernel.Net.Netfilter.nf_conntrack_core_c.nf_ct_delete(ct, 0, 0);

    // include/net/netfilter/nf_conntrack.h: nf_ct_refresh_acct
    [Borrows("skb")]
    public static void nf_ct_refresh_acct(nf_conn ct, ip_conntrack_info ctinfo, sk_buff skb, uint extra_jiffies) =>
        global::KernelNet.Kernel.Net.Netfilter.nf_conntrack_core_c.__nf_ct_refresh_acct(ct, ctinfo, extra_jiffies, (uint)skb.len);

    // include/net/netfilter/nf_conntrack.h: nf_ct_refresh
    public static void nf_ct_refresh(nf_conn ct, uint extra_jiffies) =>
        global::KernelNet.Kernel.Net.Netfilter.nf_conntrack_core_c.__nf_ct_refresh_acct(ct, 0, extra_jiffies, 0);

    // include/net/netfilter/nf_conntrack.h: nf_conntrack_alter_reply
    /// <summary>NAT rewrote the expected reply: only allowed before the entry is confirmed.</summary>
    public static void nf_conntrack_alter_reply(nf_conn ct, in nf_conntrack_tuple newreply)
    {
        System.Diagnostics.Debug.Assert(!nf_ct_is_confirmed(ct), "altering the reply of a confirmed conntrack");
        ct.tuplehash[(int)ip_conntrack_dir.IP_CT_DIR_REPLY].tuple = newreply;
    }

    // include/net/netfilter/nf_conntrack.h: nf_ct_pernet
    /// <summary>The namespace's struct nf_conntrack_net (net_generic(net, nf_conntrack_net_id)).</summary>
    public static nf_conntrack_net nf_ct_pernet(net net)
    {
        // not ported: net_generic — the per-netns object lives in net.gen under its name
        if (!net.gen.TryGetValue("nf_conntrack_net", out var o))
        {
            o = new nf_conntrack_net();
            net.gen["nf_conntrack_net"] = o;
        }

        return (nf_conntrack_net)o;
    }

    /// <summary>
    /// NF_CT_STAT_INC(net, field) and friends: this CPU's counters of the
    /// namespace (net->ct.stat); callers bump the field they name.
    /// </summary>
    [KernelNet.Annotations.NotInLinux("the per-CPU lookup NF_CT_STAT_INC and its siblings share: the field is the caller's")]
    public static ip_conntrack_stat NF_CT_STAT(net net) => netns_ct.of(net).stat[net.k.smp_processor_id()];
}
