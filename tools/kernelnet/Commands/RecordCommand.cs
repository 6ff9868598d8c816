using System.CommandLine;
using System.IO;
using System.Threading;
using KernelNet.Scenarios.Oracle;

namespace KernelNet.Cli.Commands;

/// <summary>
/// <c>kernelnet record SCENARIO [--out DIR]</c>: runs a scenario on the real kernel (root, tracefs)
/// and writes a recording; <c>kernelnet record --cleanup</c> removes what killed recorders left.
/// </summary>
internal static class RecordCommand
{
    public static Command Create()
    {
        var scenario = new Argument<FileInfo?>("scenario") { Description = "Scenario file (.yaml); see docs/scenarios.md", Arity = ArgumentArity.ZeroOrOne };
        var cleanup = new Option<bool>("--cleanup") { Description = "Record nothing: remove the namespaces and tracefs instances of recorders that were killed (every record also does this first)" };
        var output = new Option<DirectoryInfo?>("--out", "-o") { Description = "Recording directory to write (default ./NAME.recording)" };
        var cmd = new Command("record", "Run a scenario on this machine's kernel in fresh network namespaces and record trace, frames and counters")
        {
            scenario,
            output,
            cleanup,
        };
        cmd.SetAction(parse =>
        {
            var file = parse.GetValue(scenario);
            if (parse.GetValue(cleanup))
            {
                return file is null && parse.GetValue(output) is null
                    ? Recorder.Cleanup()
                    : throw new UsageException("record --cleanup takes no scenario and no --out: it only removes what killed recorders left");
            }

            return file is null
                ? throw new UsageException("record: no scenario given (kernelnet record SCENARIO.yaml, or --cleanup)")
                : Recorder.Run(file.FullName, parse.GetValue(output)?.FullName, CancellationToken.None);
        });
        return cmd;
    }
}
