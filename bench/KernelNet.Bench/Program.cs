using System;
using BenchmarkDotNet.Running;

namespace KernelNet.Bench;

public static class Program
{
    /// <summary>`dotnet run -c Release --project bench/KernelNet.Bench -- --filter '*'`; `-- --measure` (TCP scale) and `-- --full-path` (the packet path, both ends) print their figures once without BenchmarkDotNet; `-- --compare` prints the sim/real ratios of issue 16 (bench/README.md).</summary>
    public static void Main(string[] args)
    {
        if (args.Length >= 1 && args[0] == "--compare")
        {
            Environment.Exit(Compare.Run(args[1..]));
        }

        if (args.Length == 1 && args[0] == "--measure")
        {
            QuickMeasure.Run();
            return;
        }

        if (args.Length == 1 && args[0] == "--segment-memory")
        {
            TcpSegmentMemoryBench.Print();
            return;
        }

        if (args.Length == 1 && args[0] == "--full-path")
        {
            FullPath.Measure();
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
