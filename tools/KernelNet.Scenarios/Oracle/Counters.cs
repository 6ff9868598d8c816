using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace KernelNet.Scenarios.Oracle;

/// <summary>
/// SNMP MIB counters as /proc/net/snmp and /proc/net/netstat print them (a header line of names,
/// then a line of values, per section), and their per-host deltas as a recording stores them.
/// </summary>
public static class Counters
{
    /// <summary>Parses the snmp/netstat layout into "Section:Field" -> value.</summary>
    public static Dictionary<string, long> Parse(string text)
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i + 1 < lines.Length; i += 2)
        {
            var names = lines[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var numbers = lines[i + 1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (names.Length != numbers.Length || names.Length == 0 || names[0] != numbers[0])
            {
                throw new FormatException($"unexpected counter layout near '{lines[i]}'");
            }

            var section = names[0].TrimEnd(':');
            for (var j = 1; j < names.Length; j++)
            {
                values[$"{section}:{names[j]}"] = long.Parse(numbers[j], CultureInfo.InvariantCulture);
            }
        }

        return values;
    }

    /// <summary>Non-zero differences after - before, in the files' own order.</summary>
    public static List<(string Name, long Delta)> Delta(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after)
        => after.Select(kv => (kv.Key, kv.Value - (before.TryGetValue(kv.Key, out var b) ? b : 0)))
            .Where(d => d.Item2 != 0)
            .ToList();

    /// <summary>Renders deltas as the recording's counters.txt: one "host Section:Field delta" line each.</summary>
    public static string Render(IEnumerable<(string Host, string Name, long Delta)> deltas)
    {
        var sb = new StringBuilder("# host section:field delta (non-zero deltas of /proc/net/snmp and /proc/net/netstat)\n");
        foreach (var (host, name, delta) in deltas)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{host} {name} {delta}\n");
        }

        return sb.ToString();
    }

    /// <summary>Reads counters.txt back as (host, name) -> delta.</summary>
    public static Dictionary<(string Host, string Name), long> ReadDeltas(string path)
    {
        var result = new Dictionary<(string, string), long>();
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var f = line.Split(' ');
            if (f.Length != 3)
            {
                throw new FormatException($"{path}: expected 'host section:field delta', got '{line}'");
            }

            result[(f[0], f[1])] = long.Parse(f[2], CultureInfo.InvariantCulture);
        }

        return result;
    }
}
