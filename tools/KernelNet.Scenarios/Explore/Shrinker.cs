using System;
using System.Collections.Generic;
using System.Linq;
using KernelNet.Scenarios.Scenario;

namespace KernelNet.Scenarios.Explore;

/// <summary>
/// The smaller variants of a scenario, smallest change last: chunks of steps (halves, quarters,
/// ... single steps), filter rules, sysctls, socket options, then sizes (payloads and pings
/// halved, MTUs back to 1500). The explorer tries them in order and keeps the first that still
/// diverges at the same level in the same group, then starts over from the smaller scenario.
/// Variants the loader rejects (a step left using a socket whose creation was removed) are
/// skipped without being run.
/// </summary>
public static class Shrinker
{
    public static IEnumerable<ScenarioSpec> Candidates(ScenarioSpec s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var n = s.Steps.Count;
        for (var chunk = Math.Max(1, n / 2); ; chunk /= 2)
        {
            for (var start = n - chunk; start >= 0; start -= chunk)
            {
                if (n - chunk >= 1)
                {
                    var steps = s.Steps.Take(start).Concat(s.Steps.Skip(start + chunk)).ToList();
                    yield return s with { Steps = steps };
                }
            }

            if (chunk == 1)
            {
                break;
            }
        }

        for (var h = 0; h < s.Hosts.Count; h++)
        {
            var host = s.Hosts[h];
            for (var f = 0; f < host.Filters.Count; f++)
            {
                yield return WithHost(s, h, host with { Filters = host.Filters.Where((_, i) => i != f).ToList() });
            }

            foreach (var key in host.Sysctls.Keys)
            {
                yield return WithHost(s, h, host with { Sysctls = host.Sysctls.Where(kv => kv.Key != key).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal) });
            }
        }

        for (var i = 0; i < s.Steps.Count; i++)
        {
            if (s.Steps[i] is CreateSocketStep { Options.Count: > 0 } c)
            {
                for (var o = 0; o < c.Options.Count; o++)
                {
                    yield return WithStep(s, i, c with { Options = c.Options.Where((_, k) => k != o).ToList() });
                }
            }
        }

        for (var i = 0; i < s.Steps.Count; i++)
        {
            switch (s.Steps[i])
            {
                case SendStep { Payload.Bytes.Length: > 1 } snd:
                    yield return WithStep(s, i, snd with { Payload = Smaller(snd.Payload), Expect = Expectation.Ok });
                    break;
                case PingStep { Size: > 0 } p:
                    yield return WithStep(s, i, p with { Size = p.Size / 2, Expect = Expectation.Ok });
                    break;
                default:
                    break;
            }
        }

        for (var l = 0; l < s.Links.Count; l++)
        {
            if (s.Links[l] is { Kind: LinkKind.Veth, Mtu: not 1500 } link)
            {
                var links = s.Links.ToList();
                links[l] = link with { Mtu = 1500 };
                yield return s with { Links = links };
            }
        }
    }

    /// <summary>Half the payload: the pattern stays a pattern, anything else is cut.</summary>
    private static Payload Smaller(Payload p)
    {
        var half = p.Bytes.Length / 2;
        return p.Bytes.AsSpan().SequenceEqual(Payload.Pattern(p.Bytes.Length).Bytes) ? Payload.Pattern(half) : new Payload(p.Bytes[..half]);
    }

    private static ScenarioSpec WithHost(ScenarioSpec s, int index, HostSpec host)
    {
        var hosts = s.Hosts.ToList();
        hosts[index] = host;
        return s with { Hosts = hosts };
    }

    private static ScenarioSpec WithStep(ScenarioSpec s, int index, Step step)
    {
        var steps = s.Steps.ToList();
        steps[index] = step;
        return s with { Steps = steps };
    }
}
