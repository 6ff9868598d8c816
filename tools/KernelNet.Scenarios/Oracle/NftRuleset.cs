using System.Collections.Generic;
using System.Linq;
using System.Text;
using KernelNet.Scenarios.Scenario;

namespace KernelNet.Scenarios.Oracle;

/// <summary>A host's filter rules as an nft ruleset: one table, one base chain per hook used, policy accept.</summary>
internal static class NftRuleset
{
    public static string Render(IReadOnlyList<FilterRule> rules)
    {
        var sb = new StringBuilder("table ip kernelnet {\n");
        foreach (var chain in rules.Select(r => r.Chain).Distinct())
        {
            var hook = chain.ToString().ToLowerInvariant();
            sb.Append($"  chain {hook} {{\n    type filter hook {hook} priority 0; policy accept;\n");
            foreach (var rule in rules.Where(r => r.Chain == chain))
            {
                sb.Append("    ").Append(Rule(rule)).Append('\n');
            }

            sb.Append("  }\n");
        }

        return sb.Append("}\n").ToString();
    }

    public static string Rule(FilterRule r)
    {
        var parts = new List<string>();
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

        if (r.Length is { } len)
        {
            parts.Add($"ip length {len.Min}-{len.Max}");
        }

        // last, so that only packets every other match let through advance the counter
        if (r.Nth is { } nth)
        {
            parts.Add($"numgen inc mod {nth.Every} == {nth.Packet}");
        }

        parts.Add(r.Action == FilterAction.Drop ? "drop" : "accept");
        return string.Join(' ', parts);
    }
}
