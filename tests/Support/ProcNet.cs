using System;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Net.Ipv4;
using KernelNet.Scenarios.Sim;

namespace KernelNet.Tests.Support;

/// <summary>Reading a namespace's /proc/net files as a user would.</summary>
public static class ProcNet
{
    /// <summary>One field of /proc/net/snmp as the namespace renders it ("Tcp", "ActiveOpens").</summary>
    public static string Snmp(Host h, string group, string field)
    {
        var ipv4 = netns_ipv4.of(h.Net);
        var lines = proc_c.snmp_seq_show(ipv4.mib, ipv4.devconf_all_forwarding, ipv4.sysctl_ip_default_ttl).Split('\n');
        var i = Array.FindIndex(lines, l => l.StartsWith(group + ": ", StringComparison.Ordinal));
        var names = lines[i].Split(' ');
        return lines[i + 1].Split(' ')[Array.IndexOf(names, field)];
    }

    /// <summary>One field of /proc/net/netstat ("TcpExt", "TCPTimeouts").</summary>
    public static string Netstat(Host h, string group, string field)
    {
        var ipv4 = netns_ipv4.of(h.Net);
        var lines = proc_c.netstat_seq_show(ipv4.mib).Split('\n');
        var i = Array.FindIndex(lines, l => l.StartsWith(group + ": ", StringComparison.Ordinal));
        var names = lines[i].Split(' ');
        return lines[i + 1].Split(' ')[Array.IndexOf(names, field)];
    }
}
