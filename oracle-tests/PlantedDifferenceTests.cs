using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using KernelNet.Scenarios.Oracle;
using KernelNet.Scenarios.Sim;
using Xunit;

namespace KernelNet.OracleTests;

/// <summary>
/// For every level, one difference planted in a copy of a checked-in recording: <c>kernelnet diff
/// RECORDING --against COPY</c> (<see cref="OracleDiff.Run"/>) must exit 1 and name that level.
/// And a recording made from another version of its scenario is refused (exit 2).
/// </summary>
public class PlantedDifferenceTests
{
    private const int PcapHeader = 24;
    private const int RecordHeader = 16;

    [Fact]
    public void The_copy_without_a_plant_matches_at_every_level()
    {
        var (rc, report) = Diff("tcp-echo", _ => { });
        Assert.True(rc == 0, report);
        Assert.DoesNotContain("DIFFER", report, StringComparison.Ordinal);
    }

    [Fact]
    public void A_recv_that_returns_EAGAIN_instead_of_the_bytes_differs_at_the_steps_level()
    {
        var (rc, report) = Diff("tcp-echo", dir => Replace(dir, RecordingLayout.Manifest, "\"outcome\": \"5 bytes\",\n      \"matched\": true,\n      \"data\": \"68656c6c6f\"", "\"outcome\": \"EAGAIN\",\n      \"matched\": true,\n      \"data\": null"));
        AssertDiffersAt("steps", rc, report);
    }

    [Fact]
    public void A_read_that_returns_other_bytes_differs_at_the_steps_level()
    {
        var (rc, report) = Diff("tcp-echo", dir => Replace(dir, RecordingLayout.Manifest, "\"data\": \"68656c6c6f\"", "\"data\": \"68656c6c70\""));
        AssertDiffersAt("steps", rc, report);
    }

    [Fact]
    public void A_changed_counter_differs_at_the_counters_level()
    {
        var (rc, report) = Diff("tcp-echo", dir =>
        {
            var path = Path.Combine(dir, RecordingLayout.Counters);
            var lines = File.ReadAllLines(path);
            var i = Array.FindIndex(lines, l => l.Length > 0 && l[0] != '#');
            lines[i] += "0";
            File.WriteAllLines(path, lines);
        });
        AssertDiffersAt("counters", rc, report);
    }

    [Fact]
    public void A_changed_payload_byte_differs_at_the_wire_level()
    {
        var (rc, report) = Diff("tcp-echo", dir => EditFrame(dir, "l0", f => IndexOf(f, "hello"u8) >= 0, f => f[IndexOf(f, "hello"u8)] ^= 0x20));
        AssertDiffersAt("wire", rc, report);
        Assert.Contains("data=5/", report, StringComparison.Ordinal);
    }

    [Fact]
    public void An_IP_ID_out_of_its_sockets_sequence_differs_at_the_wire_level()
    {
        // the client's third segment: its ID is its socket's inet_id, one more than the last
        var (rc, report) = Diff("tcp-echo", dir => EditFrame(dir, "l0", f => IsTcp(f) && (f[14 + 20 + 13] & 0x02) == 0, f =>
        {
            var id = BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(18));
            BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(18), (ushort)(id + 7));
            FixIpChecksum(f);
        }));
        AssertDiffersAt("wire", rc, report);
    }

    [Fact]
    public void A_timestamp_echo_of_another_segment_differs_at_the_wire_level()
    {
        var (rc, report) = Diff("tcp-echo", dir => EditFrame(dir, "l0", f => IsTcp(f) && (f[14 + 20 + 13] & 0x02) == 0 && TimestampOption(f) > 0, f =>
        {
            var at = TimestampOption(f) + 6;
            BinaryPrimitives.WriteUInt32BigEndian(f.AsSpan(at), BinaryPrimitives.ReadUInt32BigEndian(f.AsSpan(at)) + 1_000_000);
        }));
        AssertDiffersAt("wire", rc, report);
        Assert.Contains("ecr=?", report, StringComparison.Ordinal);
    }

    [Fact]
    public void A_different_state_change_differs_at_the_sockets_level()
    {
        var (rc, report) = Diff("tcp-echo", dir => Replace(dir, RecordingLayout.Trace, "newstate=TCP_FIN_WAIT2", "newstate=TCP_CLOSING"));
        AssertDiffersAt("sockets", rc, report);
    }

    [Fact]
    public void A_different_drop_reason_differs_at_the_journeys_level()
    {
        var (rc, report) = Diff("udp-closed-port", dir => Replace(dir, RecordingLayout.Trace, "reason: NO_SOCKET", "reason: SOCKET_RCVBUFF"));
        AssertDiffersAt("journeys", rc, report);
    }

    [Fact]
    public void A_timer_five_seconds_late_differs_at_the_timing_level()
    {
        // neigh-failed: ARP retries (neigh's retrans_time) are timer gaps; from the second retry
        // on, every frame is shifted by 5 s
        var (rc, report) = Diff("neigh-failed", dir =>
        {
            var path = RecordingLayout.CaptureFile(dir, "l0");
            var frames = Pcap.ReadFrames(path);
            var arps = frames.Select((f, i) => (f, i)).Where(x => WireDecoder.Flow(x.f.Bytes) is { } flow && flow.StartsWith("ARP", StringComparison.Ordinal)).ToList();
            Assert.True(arps.Count >= 3, "neigh-failed should show ARP retries");
            var from = arps[2].i;
            Pcap.Write(path, frames.Select((f, i) => i >= from ? f with { TimestampMicros = f.TimestampMicros + 5_000_000 } : f));
        });
        AssertDiffersAt("timing", rc, report);
    }

    [Fact]
    public void A_delayed_ACK_sent_at_once_differs_at_the_timing_level()
    {
        // any timer gap of the recording closed to 0.1 ms, the frames after it moved with it
        var (rc, report) = Diff("neigh-failed", dir =>
        {
            var path = RecordingLayout.CaptureFile(dir, "l0");
            var frames = Pcap.ReadFrames(path);
            var timing = Normalizer.Timing(frames, WireDecoder.DecodeAll(frames.Select(f => f.Bytes)), RecordingLayout.ReadManifest(dir).Steps.Select(s => s.StartMicros).ToList());
            var at = timing.ToList().FindIndex(t => t.IsTimerGap);
            Assert.True(at > 0, "the recording has a timer gap");
            var shift = timing[at].GapMicros!.Value - 100;
            Pcap.Write(path, frames.Select((f, i) => i >= at ? f with { TimestampMicros = f.TimestampMicros - shift } : f));
        });
        AssertDiffersAt("timing", rc, report);
    }

    [Fact]
    public void Two_events_swapped_differ_at_the_order_level()
    {
        var (rc, report) = Diff("udp-oneway", dir =>
        {
            var path = Path.Combine(dir, RecordingLayout.Trace);
            var lines = File.ReadAllLines(path).ToList();
            var first = lines.FindIndex(l => !l.StartsWith('#') && l.Contains("net_dev_queue", StringComparison.Ordinal));
            var second = lines.FindIndex(first + 1, l => l.Contains("net_dev_xmit", StringComparison.Ordinal));
            (lines[first], lines[second]) = (lines[second], lines[first]);
            File.WriteAllLines(path, lines);
        }, allRequired: true);
        Assert.Equal(1, rc);
        Assert.Contains("order     DIFFER", report, StringComparison.Ordinal);
    }

    [Fact]
    public void A_recording_of_another_version_of_the_scenario_is_refused()
    {
        var copy = Copy("udp-oneway");
        try
        {
            File.WriteAllText(Path.Combine(copy, RecordingLayout.ScenarioHash), new string('0', 64) + "  udp-oneway.yaml\n");
            var e = Assert.Throws<DiffRefusedException>(() => OracleDiff.Run(copy, null, ScenarioPath("udp-oneway"), new ScenarioSimulator(), new StringWriter()));
            Assert.Contains("re-record it", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', e.Message);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public void The_required_levels_are_the_repositorys_not_the_recordings_copy()
    {
        // a recording's own scenario.yaml that marks every level informative changes nothing
        var (rc, report) = Diff("tcp-echo", dir =>
        {
            Replace(dir, RecordingLayout.ScenarioCopy, "steps:", "levels:\n  wire: { informative: \"a copy that would excuse everything\" }\nsteps:");
            Replace(dir, RecordingLayout.Trace, "newstate=TCP_FIN_WAIT2", "newstate=TCP_CLOSING");
        });
        AssertDiffersAt("sockets", rc, report);
    }

    private static void AssertDiffersAt(string level, int rc, string report)
    {
        Assert.True(rc == 1, $"diff exited {rc}, expected 1:\n{report}");
        Assert.Contains($"{level,-9} DIFFER (required)", report, StringComparison.Ordinal);
    }

    private static string ScenarioPath(string name) => Path.Combine(OracleFiles.Scenarios, name + ".yaml");

    /// <summary>Diffs a recording against a copy with <paramref name="plant"/> applied; with <paramref name="allRequired"/>, straight through the comparer with every level required.</summary>
    private static (int Rc, string Report) Diff(string name, Action<string> plant, bool allRequired = false)
    {
        var original = Path.Combine(OracleFiles.Recordings, name);
        var copy = Copy(name);
        try
        {
            plant(copy);
            if (allRequired)
            {
                var report = Comparer.Compare(Normalizer.Load(original), Normalizer.Load(copy), KernelNet.Scenarios.Scenario.ScenarioSpec.AllLevels);
                return (report.Passed ? 0 : 1, report.Render(original, copy));
            }

            var output = new StringWriter();
            var rc = OracleDiff.Run(original, copy, ScenarioPath(name), new ScenarioSimulator(), output);
            return (rc, output.ToString());
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    private static string Copy(string name)
    {
        var from = Path.Combine(OracleFiles.Recordings, name);
        var to = Path.Combine(Path.GetTempPath(), $"kn-planted-{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        return to;
    }

    private static void Replace(string dir, string file, string from, string to)
    {
        var path = Path.Combine(dir, file);
        var text = File.ReadAllText(path);
        var at = text.IndexOf(from, StringComparison.Ordinal);
        Assert.True(at >= 0, $"{file} has no '{from}' to plant a difference in");
        File.WriteAllText(path, string.Concat(text.AsSpan(0, at), to, text.AsSpan(at + from.Length)));
    }

    /// <summary>Changes the first frame of a link's capture that <paramref name="which"/> picks.</summary>
    private static void EditFrame(string dir, string link, Func<byte[], bool> which, Action<byte[]> edit)
    {
        var path = RecordingLayout.CaptureFile(dir, link);
        var frames = Pcap.ReadFrames(path);
        var i = frames.FindIndex(f => which(f.Bytes));
        Assert.True(i >= 0, $"{link}.pcap has no frame to plant a difference in");
        edit(frames[i].Bytes);
        Pcap.Write(path, frames);
    }

    private static bool IsTcp(byte[] f) => f.Length >= 14 + 20 + 20 && f[12] == 0x08 && f[13] == 0x00 && f[14 + 9] == 6 && (f[14] & 0xf) == 5;

    /// <summary>Offset of the TCP timestamp option's kind byte in the frame, or -1.</summary>
    private static int TimestampOption(byte[] f)
    {
        var tcp = 14 + 20;
        var end = tcp + ((f[tcp + 12] >> 4) * 4);
        for (var i = tcp + 20; i < end && i < f.Length;)
        {
            if (f[i] == 0)
            {
                break;
            }

            if (f[i] == 1)
            {
                i++;
                continue;
            }

            if (f[i] == 8)
            {
                return i;
            }

            i += Math.Max(2, (int)f[i + 1]);
        }

        return -1;
    }

    private static void FixIpChecksum(byte[] f)
    {
        f[24] = 0;
        f[25] = 0;
        var sum = 0u;
        for (var i = 14; i < 34; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(i));
        }

        while (sum > 0xffff)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(24), (ushort)~sum);
    }

    private static int IndexOf(byte[] haystack, ReadOnlySpan<byte> needle) => haystack.AsSpan().IndexOf(needle);
}
