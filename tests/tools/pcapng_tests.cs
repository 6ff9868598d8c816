using System;
using System.Buffers.Binary;
using System.Diagnostics;
using System.IO;
using System.Linq;
using KernelNet.Scenarios.Oracle;
using KernelNet.Scenarios.Scenario;
using KernelNet.Scenarios.Sim;
using KernelNet.Tests.Support;
using Xunit;

namespace KernelNet.Tests.Tools;

/// <summary>Recordings' captures are pcapng: one interface per captured host end, each frame at its capture time.</summary>
public sealed class PcapngTests
{
    [SkippableFact]
    public void a_simulated_recording_writes_pcapng_with_one_interface_per_captured_end_and_virtual_capture_times()
    {
        var dir = Simulate("neigh-failed");
        try
        {
            var manifest = RecordingLayout.ReadManifest(dir);
            Assert.NotEmpty(manifest.Captures);
            foreach (var (link, end) in manifest.Captures)
            {
                var path = Path.Combine(dir, link + ".pcapng");
                Assert.True(File.Exists(path), $"{link}.pcapng");
                AssertBlocksWellFormed(File.ReadAllBytes(path));
                var capture = Pcap.ReadCapture(path);
                var idb = Assert.Single(capture.Interfaces);
                Assert.Equal(end, idb.Name);
                Assert.Equal(Pcap.LinkTypeEthernet, idb.LinkType);
                Assert.Equal(1_000_000, idb.TicksPerSecond);
                var times = capture.Records.Select(r => r.Frame.TimestampMicros).ToList();
                Assert.Equal(times.Order().ToList(), times);
                if (link != "l0")
                {
                    continue;
                }

                Assert.True(capture.Records.Count >= 3, $"{link}: {capture.Records.Count} frames");

                // the virtual clock's capture times, not the read-out time: the unanswered ARP
                // requests go out a retrans_time (1 s) apart
                Assert.True(times[^1] - times[0] >= 1_000_000, $"frames span {times[^1] - times[0]} us");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void pcapng_written_for_two_interfaces_reads_back_with_both_and_every_frame_on_its_own()
    {
        var path = Path.GetTempFileName();
        try
        {
            var frames = new[]
            {
                new CaptureRecord(0, new CapturedFrame(1_000_001, 0, Enumerable.Repeat((byte)0xab, 61).ToArray())),
                new CaptureRecord(1, new CapturedFrame(1_000_002, 0, Enumerable.Repeat((byte)0xcd, 64).ToArray())),
                new CaptureRecord(0, new CapturedFrame(5_000_000_000_123, 0, [1, 2, 3])),
            };
            Pcap.Write(path, [new CaptureInterface("a:eth0", "l0", Pcap.LinkTypeEthernet, 1_000_000), new CaptureInterface("b:eth0", "l0", Pcap.LinkTypeEthernet, 1_000_000)], frames);

            var bytes = File.ReadAllBytes(path);
            Assert.Equal(1 + 2 + 3, AssertBlocksWellFormed(bytes));
            var back = Pcap.ReadCapture(path);
            Assert.Equal(["a:eth0", "b:eth0"], back.Interfaces.Select(i => i.Name));
            Assert.Equal(frames.Select(f => (f.Interface, f.Frame.TimestampMicros, Convert.ToHexString(f.Frame.Bytes))), back.Records.Select(f => (f.Interface, f.Frame.TimestampMicros, Convert.ToHexString(f.Frame.Bytes))));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [SkippableFact]
    public void recordings_made_before_pcapng_still_read_as_classic_pcap()
    {
        var root = Repository.TryFindRoot();
        Skip.If(root is null, "oracle-tests/ is not above the test build; skipped");
        var dir = Path.Combine(root, "oracle-tests", "recordings", "udp-closed-port");
        var path = RecordingLayout.CaptureFile(dir, "l0");
        Assert.EndsWith("l0.pcap", path, StringComparison.Ordinal);
        Assert.NotEmpty(Pcap.ReadFrames(path));
    }

    [SkippableFact]
    public void tshark_reads_a_recordings_pcapng_with_no_warnings()
    {
        var tshark = Environment.GetEnvironmentVariable("PATH")?.Split(':').Select(p => Path.Combine(p, "tshark")).FirstOrDefault(File.Exists);
        Skip.If(tshark is null, "tshark is not installed (apt-get install -y tshark); skipped");
        var dir = Simulate("udp-closed-port");
        try
        {
            var path = Path.Combine(dir, "l0.pcapng");
            var psi = new ProcessStartInfo(tshark, ["-r", path]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEndAsync();
            var error = p.StandardError.ReadToEnd();
            Assert.True(p.WaitForExit(60_000), "tshark did not finish");

            Assert.Equal(0, p.ExitCode);
            // tshark's own notice that it runs as root says nothing about the file
            var warnings = error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("Running as user \"root\"", StringComparison.Ordinal));
            Assert.Empty(warnings);
            var lines = output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(Pcap.ReadFrames(path).Count, lines.Length);
            Assert.Contains(lines, l => l.Contains("ICMP", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Walks the blocks: each block's leading and trailing lengths agree, are multiples of 4, and tile the file; returns the block count.</summary>
    private static int AssertBlocksWellFormed(byte[] data)
    {
        Assert.Equal(0x0A0D0D0Au, BinaryPrimitives.ReadUInt32LittleEndian(data));
        var offset = 0;
        var count = 0;
        while (offset < data.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(offset + 4));
            Assert.Equal(0, length % 4);
            Assert.True(offset + length <= data.Length, $"block at {offset} overruns the file");
            Assert.Equal((uint)length, BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(offset + length - 4)));
            offset += length;
            count++;
        }

        Assert.Equal(data.Length, offset);
        return count;
    }

    /// <summary>Runs an oracle scenario in the simulation into a fresh directory (the caller removes it).</summary>
    internal static string Simulate(string scenario)
    {
        var root = Repository.TryFindRoot();
        Skip.If(root is null, "oracle-tests/ is not above the test build; skipped");
        var dir = Path.Combine(Path.GetTempPath(), $"kn-seeing-test-{scenario}-{Guid.NewGuid():N}");
        new ScenarioSimulator().RunAndCheckLedger(ScenarioLoader.Load(Path.Combine(root, "oracle-tests", "scenarios", scenario + ".yaml")), dir);
        return dir;
    }
}
