using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace KernelNet.Scenarios.Oracle;

/// <summary>Named network namespaces (<c>ip netns</c>) made by recorders: <c>kn-PID-HOST</c>.</summary>
internal static class Netns
{
    public static void Add(string name) => Shell.Run("ip", ["netns", "add", name]);

    public static void Delete(string name) => Shell.Run("ip", ["netns", "delete", name], check: false);

    public static void Exec(string name, string file, params string[] args) => Shell.Run("ip", ["netns", "exec", name, file, .. args]);

    public static void Ip(string name, params string[] args) => Shell.Run("ip", ["-n", name, .. args]);

    public static bool Exists(string name) => File.Exists($"/run/netns/{name}");

    /// <summary>kn-PID-* namespaces whose recorder process is gone.</summary>
    public static IEnumerable<string> Stale() =>
        Directory.Exists("/run/netns")
            ? Directory.EnumerateFiles("/run/netns", "kn-*")
                .Select(Path.GetFileName)
                .OfType<string>()
                .Where(n => n.Split('-') is [_, var pid, ..] && int.TryParse(pid, out var p) && !Directory.Exists($"/proc/{p}"))
                .ToList()
            : [];
}
