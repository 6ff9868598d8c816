using System.CommandLine;
using System.IO;
using System.Threading;
using KernelNet.Scenarios.Oracle;

namespace KernelNet.Cli.Commands;

/// <summary><c>kernelnet record SCENARIO [--out DIR]</c>: runs a scenario on the real kernel (root, tracefs) and writes a recording.</summary>
internal static class RecordCommand
{
    public static Command Create()
    {
        var scenario = new Argument<FileInfo>("scenario") { Description = "Scenario file (.yaml); see docs/scenarios.md" };
        var output = new Option<DirectoryInfo?>("--out", "-o") { Description = "Recording directory to write (default ./NAME.recording)" };
        var cmd = new Command("record", "Run a scenario on this machine's kernel in fresh network namespaces and record trace, frames and counters")
        {
            scenario,
            output,
        };
        cmd.SetAction(parse => Recorder.Run(parse.GetValue(scenario)!.FullName, parse.GetValue(output)?.FullName, CancellationToken.None));
        return cmd;
    }
}
