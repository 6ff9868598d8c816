using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using KernelNet.Tests.Support;
using Xunit;

namespace KernelNet.Tests.Tools;

/// <summary>--timeline writes the Chrome trace-event format (JSON Object Format), checked field by field.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class TimelineTests
{
    [Fact]
    public void the_demos_timeline_follows_the_trace_event_format_with_cpu_tracks_per_host_and_a_flow_per_skb()
    {
        var events = Timeline("run");

        var names = Validate(events);

        Assert.Contains("A", names.Values);
        Assert.Contains("B", names.Values);
        var slices = events.Where(e => e.GetProperty("ph").GetString() == "X").ToList();
        Assert.Contains(slices, s => s.GetProperty("cat").GetString() == "hardirq" && s.GetProperty("name").GetString()!.StartsWith("irq 43", StringComparison.Ordinal));
        Assert.Contains(slices, s => s.GetProperty("cat").GetString() == "softirq" && s.GetProperty("name").GetString() == "softirq NET_RX");
        Assert.Contains(slices, s => s.GetProperty("cat").GetString() == "process" && s.GetProperty("name").GetString() == "udp-server-3");

        // the demo's nine skbs: each with two or more steps is one flow
        var flows = events.Where(e => e.GetProperty("ph").GetString() == "s").Count();
        Assert.InRange(flows, 5, 9);

        // B's interrupt and its NET_RX softirq on CPU 0 are on B's track
        var b = names.Single(kv => kv.Value == "B").Key;
        Assert.Contains(slices, s => s.GetProperty("pid").GetInt32() == b && s.GetProperty("tid").GetInt32() == 0 && s.GetProperty("cat").GetString() == "hardirq");
    }

    [SkippableFact]
    public void a_recordings_timeline_without_sched_switch_has_task_slices_from_runs_of_events()
    {
        var root = Repository.TryFindRoot();
        Skip.If(root is null, "oracle-tests/ is not above the test build; skipped");

        var events = Timeline("journey", Path.Combine(root, "oracle-tests", "recordings", "tcp-echo"));

        var names = Validate(events);
        Assert.Contains("a", names.Values);
        Assert.Contains("b", names.Values);
        Assert.Contains(events, e => e.GetProperty("ph").GetString() == "X" && e.GetProperty("cat").GetString() == "process");
        Assert.Contains(events, e => e.GetProperty("ph").GetString() == "f");
    }

    [SkippableFact]
    public void diff_draws_the_recording_and_the_simulation_side_by_side()
    {
        var root = Repository.TryFindRoot();
        Skip.If(root is null, "oracle-tests/ is not above the test build; skipped");

        var events = Timeline("diff", Path.Combine(root, "oracle-tests", "recordings", "udp-closed-port"));

        var names = Validate(events);
        Assert.Contains("linux:a", names.Values);
        Assert.Contains("simulation:b", names.Values);
    }

    private static List<JsonElement> Timeline(params string[] args)
    {
        var path = Path.Combine(Path.GetTempPath(), $"kn-seeing-{Guid.NewGuid():N}.json");
        try
        {
            var (code, _, err) = Cli.Run([.. args, "--timeline", path]);
            Assert.True(code is 0, $"exit {code}: {err}");
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            Assert.Equal(JsonValueKind.Object, doc.RootElement.ValueKind);
            return doc.RootElement.GetProperty("traceEvents").EnumerateArray().Select(e => e.Clone()).ToList();
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// The format's rules as chrome://tracing and Perfetto read them: every event has ph, pid, tid;
    /// X has name, ts and dur ≥ 0; i has name, ts and a scope; s/t/f have name, cat, id and ts,
    /// each id one s and one f with every step between them; M names processes and threads (every
    /// pid and pid/tid used is named); the X slices of one track nest. Returns pid → host name.
    /// </summary>
    private static Dictionary<int, string> Validate(List<JsonElement> events)
    {
        Assert.NotEmpty(events);
        var processNames = new Dictionary<int, string>();
        var threadNames = new HashSet<(int, int)>();
        var flows = new Dictionary<long, List<(string Ph, long Ts)>>();
        var tracks = new Dictionary<(int, int), List<(long Ts, long Dur)>>();
        foreach (var e in events)
        {
            var ph = e.GetProperty("ph").GetString();
            var pid = e.GetProperty("pid").GetInt32();
            var tid = e.GetProperty("tid").GetInt32();
            Assert.False(string.IsNullOrEmpty(e.GetProperty("name").GetString()));
            switch (ph)
            {
                case "M":
                    var what = e.GetProperty("name").GetString();
                    var name = e.GetProperty("args").GetProperty("name").GetString()!;
                    if (what == "process_name")
                    {
                        processNames.Add(pid, name);
                    }
                    else
                    {
                        Assert.Equal("thread_name", what);
                        Assert.Equal($"CPU {tid}", name);
                        threadNames.Add((pid, tid));
                    }

                    break;
                case "X":
                    var dur = e.GetProperty("dur").GetInt64();
                    Assert.True(dur >= 0);
                    var ts = e.GetProperty("ts").GetInt64();
                    Assert.True(ts >= 0);
                    Assert.False(string.IsNullOrEmpty(e.GetProperty("cat").GetString()));
                    if (!tracks.TryGetValue((pid, tid), out var list))
                    {
                        tracks[(pid, tid)] = list = [];
                    }

                    list.Add((ts, dur));
                    break;
                case "i":
                    e.GetProperty("ts").GetInt64();
                    Assert.Contains(e.GetProperty("s").GetString(), new[] { "t", "p", "g" });
                    break;
                case "s" or "t" or "f":
                    Assert.False(string.IsNullOrEmpty(e.GetProperty("cat").GetString()));
                    var id = e.GetProperty("id").GetInt64();
                    if (!flows.TryGetValue(id, out var steps))
                    {
                        flows[id] = steps = [];
                    }

                    steps.Add((ph, e.GetProperty("ts").GetInt64()));
                    break;
                default:
                    Assert.Fail($"unexpected phase {ph}");
                    break;
            }
        }

        foreach (var e in events.Where(e => e.GetProperty("ph").GetString() != "M"))
        {
            var pid = e.GetProperty("pid").GetInt32();
            Assert.True(processNames.ContainsKey(pid), $"pid {pid} has no process_name");
            Assert.Contains((pid, e.GetProperty("tid").GetInt32()), threadNames);
        }

        foreach (var (id, steps) in flows)
        {
            Assert.Equal(1, steps.Count(s => s.Ph == "s"));
            Assert.Equal(1, steps.Count(s => s.Ph == "f"));
            Assert.Equal("s", steps[0].Ph);
            Assert.Equal("f", steps[^1].Ph);
            Assert.True(steps.Zip(steps.Skip(1)).All(p => p.First.Ts <= p.Second.Ts), $"flow {id} goes back in time");
        }

        foreach (var (track, slices) in tracks)
        {
            var stack = new Stack<(long Start, long End)>();
            foreach (var (ts, dur) in slices.OrderBy(s => s.Ts).ThenByDescending(s => s.Dur))
            {
                while (stack.Count > 0 && stack.Peek().End <= ts && stack.Peek().Start != ts)
                {
                    stack.Pop();
                }

                if (stack.Count > 0)
                {
                    Assert.True(ts + dur <= stack.Peek().End, $"track {track}: slice at {ts}+{dur} crosses its parent's end {stack.Peek().End}");
                }

                stack.Push((ts, ts + dur));
            }
        }

        return processNames;
    }
}
