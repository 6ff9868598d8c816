using System.Collections.Generic;
using System.CommandLine;

namespace KernelNet.Cli.Commands;

/// <summary>Commands beyond run (record, diff, ...), registered in one place.</summary>
internal static class ExtraCommands
{
    public static IEnumerable<Command> All()
    {
        yield return RecordCommand.Create();
        // No scenario simulator exists yet, so diff compares two recordings (--against DIR).
        yield return DiffCommand.Create(simulator: null);
    }
}
