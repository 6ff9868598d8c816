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

        if (args.Length >= 1 && args[0] == "--idle")
        {
            // `--idle N [--hold S]`: N idle connections opened, open time and retained bytes printed;
            // --hold keeps them open S seconds for a heap snapshot.
            var inv = System.Globalization.CultureInfo.InvariantCulture;
            var hold = 0;
            if (args.Length is not (2 or 4) || !int.TryParse(args[1], inv, out var n) || n < 1 || n > 2_000_000
                || (args.Length == 4 && (args[2] != "--hold" || !int.TryParse(args[3], inv, out hold) || hold < 0 || hold > 600)))
            {
                Console.Error.WriteLine("kernelnet-bench --idle: usage: --idle N [--hold SECONDS] (N in 1..2000000, SECONDS in 0..600)");
                Environment.Exit(2);
                return;
            }

            Compare.IdleConnections(n, 1, hold);
            return;
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
