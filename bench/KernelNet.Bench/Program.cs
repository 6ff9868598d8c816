using BenchmarkDotNet.Running;

namespace KernelNet.Bench;

public static class Program
{
    /// <summary>`dotnet run -c Release --project bench/KernelNet.Bench -- --filter '*'`.</summary>
    public static void Main(string[] args)
    {
        if (args.Length == 1 && args[0] == "--measure")
        {
            QuickMeasure.Run();
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
