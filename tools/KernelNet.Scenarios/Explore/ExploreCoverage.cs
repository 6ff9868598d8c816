using System;
using System.Collections.Generic;
using KernelNet.Scenarios.Oracle;
using KernelNet.Scenarios.Scenario;

namespace KernelNet.Scenarios.Explore;

/// <summary>
/// What a scenario exercises, as tags (<c>step:connect</c>, <c>option:TCP_NODELAY</c>,
/// <c>mode:nonblocking</c>, <c>chain:prerouting</c>, <c>payload:64k-1m</c>, ...), read off the
/// model so that the generator's coverage over many seeds can be measured and tested.
/// </summary>
public static class ExploreCoverage
{
    public static IReadOnlySet<string> Of(ScenarioSpec s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var tags = new SortedSet<string>(StringComparer.Ordinal) { $"hosts:{s.Hosts.Count}" };
        foreach (var h in s.Hosts)
        {
            foreach (var key in h.Sysctls.Keys)
            {
                tags.Add("sysctl:" + key);
            }

            if (h.Routes.Count > 0)
            {
                tags.Add("routes");
            }

            foreach (var f in h.Filters)
            {
                tags.Add("chain:" + Lower(f.Chain));
                tags.Add("action:" + Lower(f.Action));
                tags.Add("filter-protocol:" + Lower(f.Protocol));
                if (f.SourcePort is not null || f.DestinationPort is not null)
                {
                    tags.Add("filter-port");
                }

                foreach (var state in new[] { CtState.New, CtState.Established, CtState.Related, CtState.Invalid })
                {
                    if ((f.CtState & state) != 0)
                    {
                        tags.Add("ctstate:" + Lower(state));
                    }
                }

                if (f.InInterface is not null || f.OutInterface is not null)
                {
                    tags.Add("filter-interface");
                }
            }
        }

        foreach (var l in s.Links)
        {
            tags.Add("link:" + Lower(l.Kind));
            tags.Add("mtu:" + (l.Mtu switch { < 1500 => "below-1500", 1500 => "1500", <= 9000 => "1501-9000", _ => "above-9000" }));
        }

        foreach (var step in s.Steps)
        {
            tags.Add("step:" + StepOutcome.Verb(step));
            tags.Add("expect:" + Lower(step.Expect.Kind));
            switch (step)
            {
                case CreateSocketStep c:
                    tags.Add("socket:" + Lower(c.Kind));
                    foreach (var o in c.Options)
                    {
                        tags.Add("option:" + o.Name);
                    }

                    break;
                case SetSockOptStep o:
                    tags.Add("option:" + o.Option.Name);
                    break;
                case AcceptStep a:
                    tags.Add("mode:" + Lower(a.Mode));
                    break;
                case ConnectStep c:
                    tags.Add("mode:" + Lower(c.Mode));
                    break;
                case SendStep snd:
                    tags.Add("mode:" + Lower(snd.Mode));
                    tags.Add("payload:" + Bucket(snd.Payload.Bytes.Length));
                    break;
                case RecvStep rcv:
                    tags.Add("mode:" + Lower(rcv.Mode));
                    break;
                case ShutdownStep sh:
                    tags.Add("shutdown:" + Lower(sh.How));
                    break;
                case PingStep p:
                    tags.Add("ping-size:" + Bucket(p.Size));
                    break;
                default:
                    break;
            }
        }

        return tags;
    }

    /// <summary>Payload size classes: 0, 1-99, 100-1500, 1501-9000, 9001-65507, 64k-1m.</summary>
    public static string Bucket(int size) => size switch
    {
        0 => "0",
        < 100 => "1-99",
        <= 1500 => "100-1500",
        <= 9000 => "1501-9000",
        <= 65507 => "9001-65507",
        _ => "64k-1m",
    };

    private static string Lower<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();
}
