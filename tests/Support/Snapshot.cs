using System;
using System.IO;
using System.Runtime.CompilerServices;
using Xunit;

namespace KernelNet.Tests.Support;

/// <summary>
/// Snapshot assertions in the spirit of Verify: the expected text lives in
/// <c>Name.verified.txt</c> beside the test file; a mismatch writes
/// <c>Name.received.txt</c> next to it and fails. Set
/// <c>KERNELNET_ACCEPT_SNAPSHOTS=1</c> to accept the received text instead.
/// </summary>
public static class Snapshot
{
    public const string AcceptVariable = "KERNELNET_ACCEPT_SNAPSHOTS";

    public static void Match(string actual, string name, [CallerFilePath] string callerFile = "")
    {
        var dir = Path.GetDirectoryName(callerFile)!;
        var verified = Path.Combine(dir, name + ".verified.txt");
        var received = Path.Combine(dir, name + ".received.txt");
        actual = actual.Replace("\r\n", "\n", StringComparison.Ordinal);

        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            File.WriteAllText(verified, actual);
            File.Delete(received);
            return;
        }

        if (!File.Exists(verified))
        {
            File.WriteAllText(received, actual);
            Assert.Fail($"no snapshot {verified}; wrote {received}. Review it and rerun with {AcceptVariable}=1 to accept.");
        }

        var expected = File.ReadAllText(verified).Replace("\r\n", "\n", StringComparison.Ordinal);
        if (expected != actual)
        {
            File.WriteAllText(received, actual);
            Assert.Fail($"snapshot {name} differs at {FirstDifference(expected, actual)}; wrote {received}. Diff it against the .verified.txt; rerun with {AcceptVariable}=1 to accept.");
        }

        File.Delete(received);
    }

    private static string FirstDifference(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (var i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            var el = i < e.Length ? e[i] : "<end>";
            var al = i < a.Length ? a[i] : "<end>";
            if (el != al)
            {
                return $"line {i + 1}:\n  expected: {el}\n  actual:   {al}";
            }
        }

        return "end";
    }
}
