using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using KernelNet.Scenarios.Scenario;

namespace KernelNet.Scenarios.Oracle;

/// <summary>
/// A host's filter rules as an nft ruleset: one table, one filter base chain per hook used
/// (priority 0, policy accept), and for NAT rules a nat chain at prerouting (dstnat) or
/// postrouting (srcnat). <c>device</c> maps a scenario interface name to the recorder's device.
/// </summary>
internal static class NftRuleset
{
    public static string Render(IReadOnlyList<FilterRule> rules, Func<string, string>? device = null)
    {
        var sb = new StringBuilder("table ip kernelnet {\n");
        foreach (var chain in rules.Where(r => !IsNat(r)).Select(r => r.Chain).Distinct())
        {
            var hook = chain.ToString().ToLowerInvariant();
            sb.Append($"  chain {hook} {{\n    type filter hook {hook} priority 0; policy accept;\n");
            foreach (var rule in rules.Where(r => r.Chain == chain && !IsNat(r)))
            {
                sb.Append("    ").Append(Rule(rule, device)).Append('\n');
            }

            sb.Append("  }\n");
        }

        foreach (var chain in rules.Where(IsNat).Select(r => r.Chain).Distinct())
        {
            var hook = chain.ToString().ToLowerInvariant();
            var priority = chain == FilterChain.Prerouting ? "dstnat" : "srcnat";
            sb.Append($"  chain nat_{hook} {{\n    type nat hook {hook} priority {priority}; policy accept;\n");
            foreach (var rule in rules.Where(r => r.Chain == chain && IsNat(r)))
            {
                sb.Append("    ").Append(Rule(rule, device)).Append('\n');
            }

            sb.Append("  }\n");
        }

        return sb.Append("}\n").ToString();
    }

    private static bool IsNat(FilterRule r) => r.Action is FilterAction.Masquerade or FilterAction.Dnat;

    public static string Rule(FilterRule r, Func<string, string>? device = null)
    {
        var parts = new List<string>();
        device ??= d => d;
        if (r.InInterface is { } iif)
        {
            parts.Add($"iifname \"{device(iif)}\"");
        }

        if (r.OutInterface is { } oif)
        {
            parts.Add($"oifname \"{device(oif)}\"");
        }

        if (r.Source is { } s)
        {
            parts.Add($"ip saddr {s}");
        }

        if (r.Destination is { } d)
        {
            parts.Add($"ip daddr {d}");
        }

        var proto = r.Protocol.ToString().ToLowerInvariant();
        if (r.Protocol != FilterProtocol.Any && r.SourcePort is null && r.DestinationPort is null)
        {
            parts.Add($"ip protocol {proto}");
        }

        if (r.SourcePort is { } sp)
        {
            parts.Add($"{proto} sport {sp}");
        }

        if (r.DestinationPort is { } dp)
        {
            parts.Add($"{proto} dport {dp}");
        }

        if (r.CtState != CtState.None)
        {
            var states = new[] { (CtState.New, "new"), (CtState.Established, "established"), (CtState.Related, "related"), (CtState.Invalid, "invalid") };
            parts.Add("ct state " + string.Join(',', states.Where(st => (r.CtState & st.Item1) != 0).Select(st => st.Item2)));
        }

        if (r.Length is { } len)
        {
            parts.Add($"ip length {len.Min}-{len.Max}");
        }

        // last, so that only packets every other match let through advance the counter
        if (r.Nth is { } nth)
        {
            parts.Add($"numgen inc mod {nth.Every} == {nth.Packet}");
        }

        parts.Add(r.Action switch
        {
            FilterAction.Drop => "drop",
            FilterAction.Masquerade => "masquerade",
            FilterAction.Dnat => $"dnat to {r.To}",
            _ => "accept",
        });
        return string.Join(' ', parts);
    }
}
