using System;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using KernelNet.Scenarios.Fuzz;

namespace KernelNet.Cli.Commands;

/// <summary>
/// <c>kernelnet fuzz --seed S --frames N</c>: the receive-path fuzzer (docs in
/// <see cref="ReceiveFuzzer"/>) on demand: progress per epoch with frames per second, then the
/// frame kinds and the drop-reason histogram. Exit 0: no crash and no leak; 1: a crash or leak,
/// named by seed and frame on one line; <c>--replay S:I</c> runs frame I of seed S again and
/// prints its bytes and what dropped it.
/// </summary>
internal static class FuzzCommand
{
    public static Command Create()
    {
        var seed = new Option<ulong>("--seed") { Description = "Seed of the frame generator (the same seed gives the same frames)", DefaultValueFactory = _ => 1 };
        var frames = new Option<long>("--frames", "-n") { Description = "Frames to inject", DefaultValueFactory = _ => 10_000_000 };
        var epoch = new Option<int>("--epoch") { Description = "Frames per epoch: after each, every socket is closed, the machine runs idle, and the skb ledger and slab caches are checked", DefaultValueFactory = _ => 1000 };
        var replay = new Option<string?>("--replay") { Description = "SEED:FRAME: run that frame again (with its epoch up to it) and print it and its drops" };
        var cmd = new Command("fuzz", "Fuzz the receive path with mutated frames into a host with live sockets; check for crashes and leaks") { seed, frames, epoch, replay };
        cmd.SetAction(parse =>
        {
            var epochFrames = parse.GetValue(epoch);
            if (epochFrames < 1 || parse.GetValue(frames) < 1)
            {
                throw new UsageException("--frames and --epoch must be at least 1");
            }

            if (parse.GetValue(replay) is { } r)
            {
                var parts = r.Split(':');
                if (parts.Length != 2 || !ulong.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var s) ||
                    !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var i))
                {
                    throw new UsageException($"--replay takes SEED:FRAME (two non-negative numbers), not '{r}'");
                }

                var f = new ReceiveFuzzer(s, epochFrames).Replay(i, Console.Out);
                if (f is not null)
                {
                    Console.Error.WriteLine($"kernelnet fuzz: {f}");
                    return 1;
                }

                Console.Out.WriteLine("no crash, no leak");
                return 0;
            }

            var fuzzer = new ReceiveFuzzer(parse.GetValue(seed), epochFrames);
            var total = parse.GetValue(frames);
            var clock = Stopwatch.StartNew();
            var lastReport = TimeSpan.Zero;
            var failure = fuzzer.Run(total, st =>
            {
                if (clock.Elapsed - lastReport >= TimeSpan.FromSeconds(5) || st.Frames >= total)
                {
                    lastReport = clock.Elapsed;
                    Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{st.Frames,10} frames  {st.Frames / Math.Max(clock.Elapsed.TotalSeconds, 1e-3),8:F0} frames/s  {st.DropReasons.Values.Sum(),10} drops  {clock.Elapsed.TotalSeconds,7:F1} s"));
                }
            });

            var stats = fuzzer.Stats;
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{stats.Frames} frames in {clock.Elapsed.TotalSeconds:F1} s ({stats.Frames / Math.Max(clock.Elapsed.TotalSeconds, 1e-3):F0} frames/s), {stats.Epochs} epochs"));
            Console.Out.WriteLine("frame kinds:");
            foreach (var (k, n) in stats.Kinds.OrderByDescending(p => p.Value))
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {n,10}  {k}"));
            }

            Console.Out.WriteLine($"drop reasons ({stats.DropReasons.Count} distinct):");
            foreach (var (k, n) in stats.DropReasons.OrderByDescending(p => p.Value))
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {n,10}  {k}"));
            }

            if (failure is not null)
            {
                Console.Error.WriteLine($"kernelnet fuzz: {failure}");
                return 1;
            }

            return 0;
        });
        return cmd;
    }
}
