// Ports include/net/netns/netfilter.h: struct netns_nf, the namespace's
// netfilter hook heads.
//
// not ported: the proc directory, nf_loggers, the arp/bridge/ipv6 hook heads
// (the port registers IPv4 hooks only), defrag users.
using KernelNet.Kernel.Include.Linux;

namespace KernelNet.Kernel.Include.Net.Netns;

/// <summary>struct netns_nf.</summary>
public sealed class netns_nf
{
    /// <summary>
    /// hooks_ipv4: one published hook blob per NF_INET hook; null while nothing
    /// is registered there, which is all nf_hook tests on the packet path.
    /// </summary>
    public nf_hook_entries?[] hooks_ipv4 { get; } = new nf_hook_entries?[(int)nf_inet_hooks.NF_INET_NUMHOOKS];
}
