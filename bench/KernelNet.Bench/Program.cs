using BenchmarkDotNet.Running;

namespace KernelNet.Bench;

public static class Program
{
    /// <summary>`dotnet run -c Release --project bench/KernelNet.Bench -- --filter '*'`.</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
