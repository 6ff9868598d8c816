using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using KernelNet.Scenarios.Explore;
using KernelNet.Scenarios.Oracle;

namespace KernelNet.Cli.Commands;

/// <summary>
/// <c>kernelnet explore --seed S --count N</c>: generates scenarios from a seed, records each twice
/// on the real kernel, simulates it, compares, shrinks what diverges into OUT/NAME, and prints the
/// match rate per level and the divergences grouped by their first differing line (docs/explore.md).
/// Exit 0: no divergence; 1: divergences; 3: cannot record here; 130: interrupted.
/// </summary>
internal static class ExploreCommand
{
    public static Command Create()
    {
        var seed = new Option<int>("--seed") { Description = "Seed of the generator (the same seed gives the same scenarios)", DefaultValueFactory = _ => 1 };
        var count = new Option<int>("--count", "-n") { Description = "Number of scenarios to generate and run", DefaultValueFactory = _ => 20 };
        var start = new Option<int>("--start") { Description = "Index of the first scenario (to continue a seed)", DefaultValueFactory = _ => 0 };
        var timeLimit = new Option<string?>("--time-limit") { Description = "Stop starting scenarios after this long (90s, 20m, 1h)" };
        var simOnly = new Option<bool>("--simulation-only") { Description = "Run only the simulation (no root needed): reports what it refuses or where it fails" };
        var noShrink = new Option<bool>("--no-shrink") { Description = "Write divergences as generated, without shrinking" };
        var budget = new Option<int>("--shrink-budget") { Description = "Variants recorded at most while shrinking one divergence", DefaultValueFactory = _ => 12 };
        var output = new Option<DirectoryInfo?>("--out", "-o") { Description = "Where divergences and the report are written (default oracle-tests/explored of the repository)" };
        var topologies = new Option<string?>("--topologies") { Description = "Comma-separated topologies to draw from: " + string.Join(", ", Topologies.All.Select(t => t.Name)) + $" (default {string.Join(",", Topologies.Default)})" };
        var keep = new Option<DirectoryInfo?>("--keep-recordings") { Description = "Keep every scenario's two real recordings here (also of scenarios the simulation refuses), for --rejudge" };
        var rejudge = new Option<DirectoryInfo?>("--rejudge") { Description = "Judge the recordings an earlier --keep-recordings run kept against the simulation as it is now (no root needed)" };
        var focus = new Option<string?>("--focus") { Description = "Comma-separated kinds every scenario gets: " + string.Join(", ", ScenarioGenerator.FocusKinds) + " (default: each now and then)" };
        var emit = new Option<DirectoryInfo?>("--emit") { Description = "Only write the generated scenarios to this directory (NAME.yaml) and exit" };
        var cmd = new Command("explore", "Generate scenarios from a seed, run each on real Linux (twice) and in the simulation, compare, shrink divergences")
        {
            seed, count, start, timeLimit, simOnly, noShrink, budget, output, topologies, focus, emit, keep, rejudge,
        };
        cmd.SetAction(parse =>
        {
            var n = parse.GetValue(count);
            if (n < 1 || parse.GetValue(seed) < 0 || parse.GetValue(start) < 0 || parse.GetValue(budget) < 0)
            {
                throw new UsageException("--count must be at least 1; --seed, --start and --shrink-budget must not be negative");
            }

            var settings = ScenarioGenerator.Settings.Default;
            if (parse.GetValue(topologies) is { } list)
            {
                var names = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                foreach (var name in names)
                {
                    if (Topologies.All.All(t => t.Name != name))
                    {
                        throw new UsageException($"--topologies: unknown topology '{name}' (known: {string.Join(", ", Topologies.All.Select(t => t.Name))})");
                    }
                }

                settings = new ScenarioGenerator.Settings(names);
            }

            if (parse.GetValue(focus) is { } kinds)
            {
                var names = kinds.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                foreach (var name in names)
                {
                    if (!ScenarioGenerator.FocusKinds.Contains(name))
                    {
                        throw new UsageException($"--focus: unknown kind '{name}' (known: {string.Join(", ", ScenarioGenerator.FocusKinds)})");
                    }
                }

                settings = settings with { Focus = names };
            }

            if (parse.GetValue(emit) is { } emitDir)
            {
                Directory.CreateDirectory(emitDir.FullName);
                for (var i = parse.GetValue(start); i < parse.GetValue(start) + n; i++)
                {
                    var g = ScenarioGenerator.Generate(parse.GetValue(seed), i, settings);
                    File.WriteAllText(Path.Combine(emitDir.FullName, g.Name + ".yaml"), g.Yaml);
                    Console.Out.WriteLine($"{g.Name}.yaml  {g.Summary}, {g.Spec.Steps.Count} steps");
                }

                return 0;
            }

            var simulationOnly = parse.GetValue(simOnly);
            var rejudgeDir = parse.GetValue(rejudge)?.FullName;
            if (rejudgeDir is not null && (simulationOnly || parse.GetValue(keep) is not null))
            {
                throw new UsageException("--rejudge judges kept recordings: it takes neither --simulation-only nor --keep-recordings");
            }

            if (rejudgeDir is not null && !Directory.Exists(rejudgeDir))
            {
                throw new UsageException($"--rejudge: no such directory '{rejudgeDir}'");
            }

            if (!simulationOnly && rejudgeDir is null && Recorder.CannotRecordReason() is { } why)
            {
                Console.Error.WriteLine($"kernelnet explore: {why} (or run the simulation side alone with --simulation-only)");
                return Recorder.ExitEnvironment;
            }

            var options = new ExploreOptions
            {
                Seed = parse.GetValue(seed),
                Count = n,
                StartIndex = parse.GetValue(start),
                TimeLimit = parse.GetValue(timeLimit) is { } t ? Duration(t) : null,
                SimulationOnly = simulationOnly,
                Shrink = !parse.GetValue(noShrink),
                ShrinkBudget = parse.GetValue(budget),
                OutDir = parse.GetValue(output)?.FullName ?? DefaultOut(),
                Generator = settings,
                KeepRecordings = parse.GetValue(keep)?.FullName,
                RejudgeDir = rejudgeDir,
            };
            using var cts = new CancellationTokenSource();
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Interrupt(c, cts));
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Interrupt(c, cts));
            var explorer = new Explorer(options, new KernelNet.Scenarios.Sim.ScenarioSimulator(),
                (path, outDir, cancel, log) => Recorder.Run(path, outDir, cancel, log), Console.Out);
            var report = explorer.Run(cts.Token);
            Console.Out.WriteLine();
            Console.Out.Write(report.Render());
            if (report.Interrupted)
            {
                Console.Error.WriteLine("kernelnet explore: interrupted; the recorder removed its namespaces and tracefs instance, the scratch directory is gone");
                return Recorder.ExitInterrupted;
            }

            return report.Groups.Count == 0 ? 0 : 1;
        });
        return cmd;
    }

    private static void Interrupt(PosixSignalContext context, CancellationTokenSource cts)
    {
        context.Cancel = true;
        cts.Cancel();
    }

    /// <summary>90s, 20m, 1h or plain seconds.</summary>
    private static TimeSpan Duration(string text)
    {
        var unit = text.Length > 0 && char.IsLetter(text[^1]) ? text[^1] : 's';
        var number = char.IsLetter(text[^1]) ? text[..^1] : text;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            throw new UsageException($"--time-limit: expected a duration like 90s, 20m or 1h, got '{text}'");
        }

        return unit switch
        {
            's' => TimeSpan.FromSeconds(value),
            'm' => TimeSpan.FromMinutes(value),
            'h' => TimeSpan.FromHours(value),
            _ => throw new UsageException($"--time-limit: expected a duration like 90s, 20m or 1h, got '{text}'"),
        };
    }

    /// <summary>oracle-tests/explored of the repository the current directory is in, else ./explored.</summary>
    private static string DefaultOut()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KernelNet.sln")))
            {
                return Path.Combine(dir.FullName, "oracle-tests", "explored");
            }
        }

        return Path.Combine(Directory.GetCurrentDirectory(), "explored");
    }
}
