using System;
using System.CommandLine;
using System.IO;
using KernelNet.Scenarios.Journey;
using KernelNet.Scenarios.Oracle;

namespace KernelNet.Cli.Commands;

/// <summary>
/// <c>kernelnet diff RECORDING [--against DIR] [--scenario FILE]</c>: compares a recording of real
/// Linux with a simulated run of the same scenario (or with another recording) at every level;
/// exit 0 only when every level the repository's scenario requires matches, 1 when one differs,
/// 2 (one line) when the recording was not made from that scenario (<see cref="OracleDiff"/>).
/// </summary>
internal static class DiffCommand
{
    public static Command Create(IScenarioSimulator simulator)
    {
        var recording = new Argument<DirectoryInfo>("recording") { Description = "Recording directory (from kernelnet record)" };
        var against = new Option<DirectoryInfo?>("--against") { Description = "Compare with this recording directory instead of running the simulation" };
        var scenario = new Option<FileInfo?>("--scenario") { Description = "The scenario file the recording must have been made from (default: scenarios/NAME.yaml or oracle-tests/scenarios/NAME.yaml above the recording)" };
        var timeline = Seeing.TimelineOption();
        var html = Seeing.HtmlOption();
        var progress = Seeing.ProgressOption();
        var cmd = new Command("diff", "Compare a recording with the simulation (or another recording) level by level") { recording, against, scenario, timeline, html, progress };
        cmd.SetAction(parse =>
        {
            var timelineFile = parse.GetValue(timeline);
            var htmlFile = parse.GetValue(html);
            Seeing.CheckWritable(timelineFile, htmlFile);
            var dir = parse.GetValue(recording)!.FullName;
            try
            {
                using var shown = new Progress($"diff {Path.GetFileName(dir)}", parse.GetValue(progress));
                return OracleDiff.Run(dir, parse.GetValue(against)?.FullName, parse.GetValue(scenario)?.FullName, simulator, Console.Out, (left, right) =>
                {
                    var a = JourneySet.FromRecording(left);
                    var b = JourneySet.FromRecording(right);
                    var labelled = a.Source == b.Source ? JourneySet.FromRecording(right, b.Source + "2") : b;
                    Seeing.WriteViews([a, labelled], $"kernelnet diff {Path.GetFileName(left)}", timelineFile, htmlFile);
                });
            }
            catch (DiffRefusedException e)
            {
                throw new UsageException(e.Message);
            }
        });
        return cmd;
    }
}
