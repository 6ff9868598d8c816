// Ports include/linux/netfilter/nf_conntrack_common.h: the reference-counted
// head of a conntrack that an skb points at (struct nf_conntrack) and the
// per-CPU statistics (struct ip_conntrack_stat) behind
// /proc/net/stat/nf_conntrack and `conntrack -S`.
namespace KernelNet.Kernel.Include.Linux.Netfilter;

/// <summary>struct nf_conntrack: the refcount (ct_general.use) every holder of a conntrack takes.</summary>
public class nf_conntrack
{
    /// <summary>use: references from skbs, the hash table (through the timeout) and lookups.</summary>
    public int use { get; set; }
}

/// <summary>struct ip_conntrack_stat: one CPU's counters.</summary>
public sealed class ip_conntrack_stat
{
    public uint found;
    public uint invalid;
    public uint insert;
    public uint insert_failed;
    public uint clash_resolve;
    public uint drop;
    public uint early_drop;
    public uint error;
    public uint expect_new;
    public uint expect_create;
    public uint expect_delete;
    public uint search_restart;
    public uint chaintoolong;
}

public static class nf_conntrack_common_h
{
    // include/linux/netfilter/nf_conntrack_common.h: nf_conntrack_put
    /// <summary>Drops a reference; the last one destroys the conntrack (nf_conntrack_destroy).</summary>
    public static void nf_conntrack_put(nf_conntrack? nfct)
    {
        if (nfct is not null && --nfct.use == 0)
        {
            global::KernelNet.Kernel.Net.Netfilter.core_c.nf_conntrack_destroy(nfct);
        }
    }

    // include/linux/netfilter/nf_conntrack_common.h: nf_conntrack_get
    /// <summary>Takes a reference.</summary>
    public static void nf_conntrack_get(nf_conntrack? nfct)
    {
        if (nfct is not null)
        {
            nfct.use++;
        }
    }
}
