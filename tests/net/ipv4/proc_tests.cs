using System.IO;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Net.Ipv4;
using KernelNet.Scenarios.Sim;
using Xunit;

namespace KernelNet.Tests.Net.Ipv4;

public sealed class proc_tests
{
    private static string Fresh(string name) => File.ReadAllText(Path.Combine("/work/shared/linux-6.18", name));

    // A new namespace renders /proc/net/snmp and /proc/net/netstat byte for
    // byte as 6.18 does (Forwarding 2, DefaultTTL 64, RtoAlgorithm 1, RtoMin
    // 200, RtoMax 120000, MaxConn -1; no IcmpMsg lines while all are zero).
    [SkippableFact]
    public void fresh_namespace_renders_snmp_and_netstat_like_6_18()
    {
        Skip.IfNot(
            File.Exists("/work/shared/linux-6.18/proc_net_snmp.fresh-netns.txt") && File.Exists("/work/shared/linux-6.18/proc_net_netstat.fresh-netns.txt"),
            "the 6.18 /proc renderings (shared/linux-6.18/proc_net_*.fresh-netns.txt) are not on this machine; skipped");

        var t = new Topology();
        var h = t.AddHost("A");
        var ipv4 = netns_ipv4.of(h.Net);
        Assert.Equal(Fresh("proc_net_snmp.fresh-netns.txt"), proc_c.snmp_seq_show(ipv4.mib, ipv4.devconf_all_forwarding, ipv4.sysctl_ip_default_ttl));
        Assert.Equal(Fresh("proc_net_netstat.fresh-netns.txt"), proc_c.netstat_seq_show(ipv4.mib));
    }
}
