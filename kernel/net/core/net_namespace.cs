// Ports net/core/net_namespace.c: per-namespace initialization
// (pernet_operations) run for every namespace, existing and new.
using System;
using KernelNet.Kernel.Include.Net;

namespace KernelNet.Kernel.Net.Core;

/// <summary>net_namespace.c's globals: the registered pernet init functions (pernet_list).</summary>
public sealed class net_namespace_globals
{
    public System.Collections.Generic.List<Func<net, int>> pernet_list { get; } = new();
}

public static class net_namespace_c
{
    // net/core/net_namespace.c: register_pernet_subsys
    /// <summary>Registers a subsystem's per-namespace init and runs it for the namespaces that already exist.</summary>
    public static int register_pernet_subsys(Vmlinux k, Func<net, int> init)
    {
        // not ported: register_pernet_operations — the init is added to the list and run for every netns in place
        k.globals<net_namespace_globals>().pernet_list.Add(init);
        foreach (var n in k.nets)
        {
            init(n);
        }

        return 0;
    }

    // net/core/net_namespace.c: setup_net
    /// <summary>Runs every registered pernet init on a new namespace (copy_net_ns -> setup_net).</summary>
    public static int setup_net(net net)
    {
        // not ported: ops_init, ops_undo_list, rcu_barrier — each pernet init is called directly; none of them fails, so nothing is undone
        foreach (var init in net.k.globals<net_namespace_globals>().pernet_list)
        {
            var err = init(net);
            if (err != 0)
            {
                return err;
            }
        }

        return 0;
    }
}
