// Ports include/linux/netfilter/x_tables.h: struct xt_table, a named table
// (filter, raw, mangle, nat) with a chain per hook it is registered at and
// its user-defined chains, and the extension target interface (struct
// xt_target, struct xt_action_param) the rules' targets use.
using System;
using System.Collections.Generic;
using KernelNet.Kernel.Include.Net;
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

    /// <summary>User-defined chains (iptables -N), by name.</summary>
    public Dictionary<string, List<ipt_entry>> chains { get; } = new(StringComparer.Ordinal);

    /// <summary>stacksize: how deep jumps may nest (the number of jump rules, as translate_table counts them).</summary>
    public int stacksize { get; set; }

    /// <summary>The namespace the table belongs to (what checkentry's par->net is).</summary>
    public net? net { get; set; }

    /// <summary>The hooks this table registered (to unregister them).</summary>
    public List<nf_hook_ops> ops { get; } = new();
}

/// <summary>struct xt_action_param: what a match or target sees of the packet's context.</summary>
public sealed class xt_action_param
{
    public required nf_hook_state state { get; init; }

    /// <summary>targinfo: the target's own data.</summary>
    public object? targinfo { get; init; }

    public int fragoff { get; init; }

    public int thoff { get; init; }

    public bool hotdrop { get; set; }

    public nf_inet_hooks hooknum => state.hook;

    public net net => state.net;
}

/// <summary>struct xt_tgchk_param: a target being checked as its rule goes in.</summary>
public sealed class xt_tgchk_param
{
    public required net net { get; init; }

    public required string table { get; init; }

    /// <summary>hook_mask: the hooks the rule can be reached from.</summary>
    public required uint hook_mask { get; init; }

    public object? targinfo { get; init; }

    public byte family { get; init; } = netfilter_h.NFPROTO_IPV4;
}

/// <summary>struct xt_target: an extension target's functions.</summary>
public sealed class xt_target
{
    public required string name { get; init; }

    /// <summary>target: returns a verdict, or XT_CONTINUE to go on with the next rule.</summary>
    public required Func<sk_buff, xt_action_param, uint> target { get; init; }

    /// <summary>checkentry: 0, or a negative errno refusing the rule.</summary>
    public Func<xt_tgchk_param, int>? checkentry { get; init; }

    /// <summary>destroy: undoes checkentry when the rule goes.</summary>
    public Action<xt_tgchk_param>? destroy { get; init; }

    /// <summary>table: the only table the target may be used in (null: any).</summary>
    public string? table { get; init; }

    /// <summary>hooks: the hooks it may be used at (0: any).</summary>
    public uint hooks { get; init; }
}

/// <summary>struct xt_entry_target as the kernel holds it: the target and its data.</summary>
public sealed class xt_entry_target
{
    public required xt_target target { get; init; }

    public object? targinfo { get; init; }
}

public static class x_tables_h
{
    /// <summary>XT_CONTINUE: a target's "go on with the next rule" (0xFFFFFFFF).</summary>
    public const uint XT_CONTINUE = 0xFFFFFFFF;
}
