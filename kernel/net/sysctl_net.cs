// Ports net/sysctl_net.c: registering a table of sysctl files under
// /proc/sys/net in one network namespace (a namespace sees its own tables).
//
// not ported: the ctl_table_root with its permission and ownership hooks —
// the simulation writes as root — and the checks for tables that must be
// per-namespace (ensure_safe_net_sysctl).
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;

namespace KernelNet.Kernel.Net;

public static class sysctl_net_c
{
    // net/sysctl_net.c: register_net_sysctl_sz
    /// <summary>Registers the first <paramref name="table_size"/> files of <paramref name="table"/> under <paramref name="path"/> ("net/ipv4/neigh/eth0") in <paramref name="net"/>.</summary>
    public static ctl_table_header register_net_sysctl_sz(net net, string path, ctl_table[] table, int table_size)
    {
        // not ported: net_eq — the init_net check belongs to ensure_safe_net_sysctl (see the header)
        // not ported: __register_sysctl_table — no sysctl tree of directories and inodes: the header goes on
        //   the namespace's sysctls list
        var header = new ctl_table_header { path = path, ctl_table_arg = table[..table_size] };
        net.sysctls.Add(header);
        return header;
    }

    // net/sysctl_net.c: unregister_net_sysctl_table
    /// <summary>The table's files disappear from its namespace.</summary>
    public static void unregister_net_sysctl_table(net net, ctl_table_header header)
    {
        // not ported: unregister_sysctl_table — written out: the header leaves the namespace's list
        net.sysctls.Remove(header);
    }
}
