// Ports include/linux/netfilter/x_tables.h: struct xt_table, a named table
// (filter) with a chain per hook it is registered at.
using System.Collections.Generic;
using KernelNet.Kernel.Include.Uapi.Linux.NetfilterIpv4;

namespace KernelNet.Kernel.Include.Linux.Netfilter;

/// <summary>struct xt_table with its xt_table_info folded in: per hook, the rules and the policy (the underflow entry).</summary>
public sealed class xt_table
{
    public xt_table(string name, uint valid_hooks)
    {
        this.name = name;
        this.valid_hooks = valid_hooks;
        for (var h = 0; h < (int)nf_inet_hooks.NF_INET_NUMHOOKS; h++)
        {
            entries[h] = new List<ipt_entry>();
            policy[h] = new ipt_entry { verdict = netfilter_h.NF_ACCEPT };
        }
    }

    public string name { get; }

    /// <summary>Bit per nf_inet_hooks the table hooks into.</summary>
    public uint valid_hooks { get; }

    /// <summary>The chain of each hook (INPUT = NF_INET_LOCAL_IN, ...), in rule order.</summary>
    public List<ipt_entry>[] entries { get; } = new List<ipt_entry>[(int)nf_inet_hooks.NF_INET_NUMHOOKS];

    /// <summary>The chain's policy, as the entry the kernel falls to at the end (it counts too).</summary>
    public ipt_entry[] policy { get; } = new ipt_entry[(int)nf_inet_hooks.NF_INET_NUMHOOKS];

    /// <summary>The hooks this table registered (to unregister them).</summary>
    public List<nf_hook_ops> ops { get; } = new();
}
