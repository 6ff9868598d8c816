using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace KernelNet.OracleTests;

/// <summary>Finds the checked-in scenarios and recordings from the test's output directory.</summary>
internal static class OracleFiles
{
    public static string Root { get; } = FindRoot();

    public static string Scenarios => Path.Combine(Root, "scenarios");

    public static string Recordings => Path.Combine(Root, "recordings");

    public static IEnumerable<object[]> ScenarioNames() =>
        Directory.EnumerateFiles(Path.Combine(FindRoot(), "scenarios"), "*.yaml")
            .Select(f => new object[] { Path.GetFileNameWithoutExtension(f) })
            .OrderBy(a => (string)a[0], StringComparer.Ordinal);

    private static string FindRoot()
    {
        if (Environment.GetEnvironmentVariable("KERNELNET_ORACLE_TESTS") is { Length: > 0 } fromEnv)
        {
            return fromEnv;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "scenarios");
            if (Directory.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "KernelNet.OracleTests.csproj")))
            {
                return dir.FullName;
            }

            var nested = Path.Combine(dir.FullName, "oracle-tests");
            if (File.Exists(Path.Combine(nested, "KernelNet.OracleTests.csproj")))
            {
                return nested;
            }
        }

        throw new DirectoryNotFoundException("oracle-tests/ not found above " + AppContext.BaseDirectory);
    }
}
