using System;
using System.CommandLine;
using KernelNet.Cli.Commands;

namespace KernelNet.Cli;

/// <summary>The kernelnet command line: run a scenario in the simulation, record it on real Linux, compare the two.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("KernelNet: the Linux v6.18 network path, simulated and checked against the real kernel.");
        root.Subcommands.Add(RunCommand.Create());
        foreach (var extra in ExtraCommands.All())
        {
            root.Subcommands.Add(extra);
        }

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            Console.Error.WriteLine($"kernelnet: {parsed.Errors[0].Message} (see 'kernelnet --help')");
            return 2;
        }

        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"kernelnet: {e.Message}");
            return 2;
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("KERNELNET_DEBUG") != "1")
        {
            Console.Error.WriteLine($"kernelnet: internal error: {e.GetType().Name}: {e.Message} (KERNELNET_DEBUG=1 shows the stack)");
            return 70;
        }
    }
}
