using System.Collections.Generic;
using System.CommandLine;

namespace KernelNet.Cli.Commands;

/// <summary>Commands beyond run (record, diff, ...), registered in one place.</summary>
internal static class ExtraCommands
{
    public static IEnumerable<Command> All()
    {
        yield return RecordCommand.Create();
        yield return DiffCommand.Create(new KernelNet.Scenarios.Sim.ScenarioSimulator());
        yield return JourneyCommand.Create();
        yield return PacketdrillCommand.Create();
        yield return CoverageCommand.Create();
        yield return ExploreCommand.Create();
        yield return StatusCommand.Create();
        yield return FuzzCommand.Create();
    }
}
