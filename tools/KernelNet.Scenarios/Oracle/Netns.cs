using System.Collections.Generic;
using System.Linq;

namespace KernelNet.Scenarios.Oracle;

/// <summary>Named network namespaces (<c>ip netns</c>) made by recorders: <c>kn-PID-HOST</c>.</summary>
internal static class Netns
{
    public static void Add(IRecorderSystem sys, string name) => sys.Run("ip", ["netns", "add", name]);

    public static void Delete(IRecorderSystem sys, string name) => sys.Run("ip", ["netns", "delete", name], check: false);

    public static void Exec(IRecorderSystem sys, string name, string file, params string[] args) => sys.Run("ip", ["netns", "exec", name, file, .. args]);

    public static void Ip(IRecorderSystem sys, string name, params string[] args) => sys.Run("ip", ["-n", name, .. args]);

    /// <summary>kn-PID-* namespaces whose recorder process is gone.</summary>
    public static IEnumerable<string> Stale(IRecorderSystem sys) =>
        sys.ListNamespaces()
            .Where(n => n.StartsWith("kn-", System.StringComparison.Ordinal)
                        && n.Split('-') is [_, var pid, ..] && int.TryParse(pid, out var p) && !sys.ProcessExists(p))
            .ToList();
}
