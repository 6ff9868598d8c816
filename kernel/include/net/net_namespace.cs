// Ports include/net/net_namespace.h: struct net, one network namespace — its
// devices, its protocol state and its counters. Hosts in a scenario are
// namespaces of one kernel, as the recordings on real Linux are.
using System.Collections.Generic;
using KernelNet.Kernel.Include.Linux;

namespace KernelNet.Kernel.Include.Net;

/// <summary>struct net.</summary>
public sealed class net
{
    private int _ifindex;

    public net(Vmlinux k, string name)
    {
        this.k = k;
        this.name = name;

        // preinit_net: ns_tree_gen_id hands out ids in creation order from one kernel-wide counter.
        net_cookie = ++k.globals<net_cookie_gen>().last;

        // preinit_net: the hash mix is drawn from the kernel's (seeded) random stream.
        hash_mix = Drivers.Char.random_c.get_random_u32(k);
    }

    /// <summary>hash_mix: mixed into the keys of the hash tables every namespace shares (net_hash_mix).</summary>
    public uint hash_mix { get; }

    /// <summary>net_cookie: the namespace's id, unique for the kernel's life (the tcp_hash_* events print it).</summary>
    public ulong net_cookie { get; }

    /// <summary>The kernel this namespace lives in.</summary>
    public Vmlinux k { get; }

    /// <summary>The namespace's name (what `ip netns` calls it; "init_net" for the first).</summary>
    public string name { get; }

    /// <summary>Devices in registration order (dev_base_head).</summary>
    public List<net_device> dev_base_head { get; } = new();

    public net_device? loopback_dev { get; set; }

    /// <summary>AF_PACKET taps on every device of this namespace (ptype_all).</summary>
    public List<packet_type> ptype_all { get; } = new();

    public List<packet_type> ptype_specific { get; } = new();

    /// <summary>Packet sockets of this namespace (struct netns_packet). Owned by net/packet.</summary>
    public Netns.netns_packet packet { get; } = new();

    /// <summary>Netfilter hook heads of this namespace (struct netns_nf). Owned by net/netfilter/core.</summary>
    public Netns.netns_nf nf { get; } = new();

    /// <summary>IPv4 state (struct netns_ipv4): routes, sysctls, MIBs, sockets. Owned by net/ipv4.</summary>
    public object? ipv4 { get; set; }

    /// <summary>net.core per-namespace sysctls (netns_core).</summary>
    public Dictionary<string, long> core_sysctl { get; } = new()
    {
        ["somaxconn"] = 4096,
        ["rmem_default"] = 212992,
        ["rmem_max"] = 212992,
        ["wmem_default"] = 212992,
        ["wmem_max"] = 212992,
        ["optmem_max"] = 131072,
        ["tstamp_allow_data"] = 1,
    };

    /// <summary>The sysctl tables registered in this namespace (register_net_sysctl_sz: net->sysctls).</summary>
    public List<Include.Linux.ctl_table_header> sysctls { get; } = new();

    /// <summary>Per-namespace protocol state other subsystems hang here (net_generic).</summary>
    public Dictionary<string, object> gen { get; } = new();

    /// <summary>dev_new_index: the next ifindex.</summary>
    [KernelNet.Annotations.NotInLinux("stand-in for net/core/dev.c's dev_index_reserve: the next free ifindex of the namespace")]
    public int dev_new_index() => ++_ifindex;

    public override string ToString() => name;
}

/// <summary>The counter behind ns_tree_gen_id (kernel/nstree.c): the last namespace id handed out.</summary>
public sealed class net_cookie_gen
{
    public ulong last { get; set; }
}

public static class net_namespace_h
{
    // include/net/net_namespace.h: rt_genid_ipv4
    /// <summary>The namespace's route generation: routes stamped with an older one are expired.</summary>
    public static int rt_genid_ipv4(net net) => Netns.netns_ipv4.of(net).rt_genid;

    // include/net/net_namespace.h: rt_genid_bump_ipv4
    /// <summary>Starts a new route generation, invalidating every cached IPv4 route of the namespace.</summary>
    public static void rt_genid_bump_ipv4(net net) => Netns.netns_ipv4.of(net).rt_genid++;
}
