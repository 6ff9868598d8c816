using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace KernelNet.Cli.Commands;

/// <summary>
/// <c>kernelnet status [FILE|FUNCTION]</c>: the port-status map. Without an
/// argument it prints <c>docs/port-status.md</c>; with a C file
/// (<c>net/ipv4/udp.c</c>) or a function name it prints those rows.
/// </summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var what = new Argument<string?>("what") { Description = "A C file of the ported tree (net/core/dev.c) or a 6.18 function name", Arity = ArgumentArity.ZeroOrOne };
        var cmd = new Command("status", "What of Linux 6.18 is ported: per C file, each function ported, ported with named omissions, or not ported") { what };
        cmd.SetAction(parse =>
        {
            var root = PortStatus.FindRoot(AppContext.BaseDirectory) ?? PortStatus.FindRoot(Directory.GetCurrentDirectory())
                ?? throw new UsageException("run kernelnet inside the repository: its analyzers/ data and kernel/ are read");
            var status = PortStatus.Read(root);
            var arg = parse.GetValue(what);
            Console.Out.Write(arg == null ? status.Markdown() : status.Lookup(arg) ?? throw new UsageException($"'{arg}' is neither a C file of the ported tree nor a 6.18 function of one"));
            return 0;
        });
        return cmd;
    }
}

/// <summary>
/// The port-status map, from the analyzers' 6.18 data (functions.tsv,
/// callees.tsv, callees-baseline.tsv, callees-ignored.tsv) and the
/// provenance lines of kernel/. A function is ported when a method carries
/// its line; of its 6.18 callees (KN0011), those the method's code does not
/// mention (comments, not-ported lines among them, do not count) are its
/// omissions, named in a not-ported line or still in the baseline.
/// </summary>
public sealed partial class PortStatus
{
    // generated at build time: a Regex constructed with RegexOptions.Compiled costs its compilation at run time
    private static Regex Marker { get; } = MarkerPattern();

    private static Regex Identifier { get; } = IdentifierPattern();

    /// <summary>A // comment to the end of its line: a name in a comment (a not-ported line above all) is not a call.</summary>
    private static Regex LineComment { get; } = LineCommentPattern();

    private readonly SortedDictionary<string, SortedDictionary<string, Row>> _files;

    private PortStatus(SortedDictionary<string, SortedDictionary<string, Row>> files)
    {
        _files = files;
    }

    /// <summary>One 6.18 function of a ported C file.</summary>
    public sealed record Row(string Function, string? Port, IReadOnlyList<string> Named, IReadOnlyList<string> Baseline)
    {
        public string State => Port == null ? "not ported" : Named.Count + Baseline.Count == 0 ? "ported" : "ported with omissions";
    }

    /// <summary>The repository root above <paramref name="from"/> (the directory holding KernelNet.sln), or null.</summary>
    public static string? FindRoot(string from)
    {
        for (var d = new DirectoryInfo(from); d != null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "KernelNet.sln")) && Directory.Exists(Path.Combine(d.FullName, "kernel")))
            {
                return d.FullName;
            }
        }

        return null;
    }

    public static PortStatus Read(string root)
    {
        var data = Path.Combine(root, "analyzers", "KernelNet.Analyzers", "data");
        IEnumerable<string[]> Rows(string name) => File.ReadLines(Path.Combine(data, name)).Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split('\t'));
        var ignored = Rows("callees-ignored.tsv").Select(r => r[0]).ToHashSet(StringComparer.Ordinal);
        var callees = Rows("callees.tsv").GroupBy(r => r[0] + ":" + r[1], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(r => r[2]).Where(c => !ignored.Contains(c)).Distinct(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        var baseline = Rows("callees-baseline.tsv").Select(r => r[0] + ":" + r[1] + ":" + r[2]).ToHashSet(StringComparer.Ordinal);

        // The ported functions: every provenance line of kernel/, with the method text below it.
        var ports = new Dictionary<string, (string Cs, string Text)>(StringComparer.Ordinal);
        var kernel = Path.Combine(root, "kernel");
        foreach (var cs in Directory.EnumerateFiles(kernel, "*.cs", SearchOption.AllDirectories).OrderBy(p => p, StringComparer.Ordinal))
        {
            var rel = Path.GetRelativePath(root, cs).Replace('\\', '/');
            if (rel.StartsWith("kernel/sim/", StringComparison.Ordinal) || rel.Contains("/bin/", StringComparison.Ordinal) || rel.Contains("/obj/", StringComparison.Ordinal))
            {
                continue;
            }

            var lines = File.ReadAllLines(cs);
            for (var i = 0; i < lines.Length; i++)
            {
                var m = Marker.Match(lines[i]);
                if (m.Success)
                {
                    ports.TryAdd(m.Groups[1].Value + ":" + m.Groups[2].Value, (rel, MethodText(lines, i)));
                }
            }
        }

        var files = new SortedDictionary<string, SortedDictionary<string, Row>>(StringComparer.Ordinal);
        var portedFiles = ports.Keys.Select(k => k.Substring(0, k.IndexOf(':', StringComparison.Ordinal))).ToHashSet(StringComparer.Ordinal);
        foreach (var r in Rows("functions.tsv").Where(r => portedFiles.Contains(r[0])))
        {
            var key = r[0] + ":" + r[1];
            if (!files.TryGetValue(r[0], out var rows))
            {
                files[r[0]] = rows = new SortedDictionary<string, Row>(StringComparer.Ordinal);
            }

            if (rows.ContainsKey(r[1]))
            {
                continue;
            }

            if (!ports.TryGetValue(key, out var port))
            {
                rows[r[1]] = new Row(r[1], null, Array.Empty<string>(), Array.Empty<string>());
                continue;
            }

            var mentioned = Identifier.Matches(LineComment.Replace(port.Text, "")).Select(x => x.Value).ToHashSet(StringComparer.Ordinal);
            var left = (callees.TryGetValue(key, out var c) ? c : new List<string>()).Where(x => !mentioned.Contains(x)).OrderBy(x => x, StringComparer.Ordinal).ToList();
            var inBaseline = left.Where(x => baseline.Contains(key + ":" + x)).ToList();
            var named = left.Except(inBaseline).ToList();
            rows[r[1]] = new Row(r[1], port.Cs, named, inBaseline);
        }

        return new PortStatus(files);
    }

    /// <summary>The method below a provenance line: up to its closing brace (or the ; of an expression body).</summary>
    private static string MethodText(string[] lines, int marker)
    {
        var text = new StringBuilder();
        var depth = 0;
        var opened = false;
        for (var i = marker + 1; i < lines.Length && i < marker + 2000; i++)
        {
            var line = lines[i];
            text.AppendLine(line);
            foreach (var ch in line)
            {
                if (ch == '{')
                {
                    depth++;
                    opened = true;
                }
                else if (ch == '}')
                {
                    depth--;
                }
            }

            var trimmed = line.TrimStart();
            if ((opened && depth <= 0) || (!opened && !trimmed.StartsWith("//", StringComparison.Ordinal) && !trimmed.StartsWith("[", StringComparison.Ordinal) && trimmed.EndsWith(';')))
            {
                break;
            }
        }

        return text.ToString();
    }

    /// <summary>Ported, with omissions, not ported: the functions of the C files under <paramref name="prefix"/>.</summary>
    public (int Ported, int WithOmissions, int NotPorted) Totals(string prefix)
    {
        var rows = _files.Where(f => f.Key.StartsWith(prefix, StringComparison.Ordinal)).SelectMany(f => f.Value.Values).ToList();
        return (rows.Count(r => r.State == "ported"), rows.Count(r => r.State == "ported with omissions"), rows.Count(r => r.Port == null));
    }

    public string Markdown()
    {
        var s = new StringBuilder();
        s.Append("# Port status\n\n");
        s.Append("Generated by `kernelnet status` from the analyzers' Linux 6.18 data\n");
        s.Append("(`analyzers/KernelNet.Analyzers/data/`) and the provenance lines of `kernel/`;\n");
        s.Append("`tests/tools/port_status_tests.cs` fails when this file is out of date\n");
        s.Append("(regenerate: `dotnet run --project tools/kernelnet -- status > docs/port-status.md`).\n\n");
        s.Append("A function is *ported* when a method carries its `// path: function` line and\n");
        s.Append("mentions every 6.18 callee; *ported with omissions* when some callees are left\n");
        s.Append("out — named in a `// not ported:` line, or still in KN0011's baseline (marked *b*);\n");
        s.Append("*not ported* otherwise. Only the C files the port has at least one function of\n");
        s.Append("are listed.\n\n");
        s.Append("| tree | ported | with omissions | not ported |\n|---|---|---|---|\n");
        foreach (var prefix in new[] { "net/core/", "net/ipv4/", "net/", "drivers/net/", "include/", "kernel/", "fs/", "mm/", "" })
        {
            var (p, o, n) = Totals(prefix);
            s.Append(CultureInfo.InvariantCulture, $"| {(prefix.Length == 0 ? "all" : "`" + prefix + "`")} | {p} | {o} | {n} |\n");
        }

        foreach (var (file, rows) in _files)
        {
            s.Append(FileSection(file, rows));
        }

        return s.ToString();
    }

    private static string FileSection(string file, SortedDictionary<string, Row> rows)
    {
        var s = new StringBuilder();
        var ported = rows.Values.Where(r => r.Port != null).ToList();
        var cs = ported.Select(r => r.Port!).Distinct(StringComparer.Ordinal).OrderBy(p => p, StringComparer.Ordinal);
        s.Append(CultureInfo.InvariantCulture, $"\n## `{file}`\n\n");
        s.Append(CultureInfo.InvariantCulture, $"{ported.Count} of {rows.Count} functions ported, in {string.Join(", ", cs.Select(p => $"[{p}](../{p})"))}.\n\n");
        s.Append("| function | state | left out |\n|---|---|---|\n");
        foreach (var r in ported)
        {
            var left = r.Named.Concat(r.Baseline.Select(b => b + " *b*"));
            s.Append(CultureInfo.InvariantCulture, $"| `{r.Function}` | {r.State} | {string.Join(", ", left)} |\n");
        }

        var missing = rows.Values.Where(r => r.Port == null).Select(r => r.Function).ToList();
        if (missing.Count > 0)
        {
            s.Append(CultureInfo.InvariantCulture, $"\nNot ported ({missing.Count}): {string.Join(", ", missing.Select(m => "`" + m + "`"))}.\n");
        }

        return s.ToString();
    }

    /// <summary>The section of a C file, or the row of a function (in every file that defines it), or null.</summary>
    public string? Lookup(string what)
    {
        if (_files.TryGetValue(what, out var rows))
        {
            return FileSection(what, rows);
        }

        var hits = _files.Where(f => f.Value.ContainsKey(what)).Select(f => (File: f.Key, Row: f.Value[what])).ToList();
        if (hits.Count == 0)
        {
            return null;
        }

        var s = new StringBuilder();
        foreach (var (file, row) in hits)
        {
            var left = row.Named.Concat(row.Baseline.Select(b => b + " (baseline)")).ToList();
            s.Append(CultureInfo.InvariantCulture, $"{file}: {row.Function}: {row.State}{(row.Port != null ? " in " + row.Port : string.Empty)}{(left.Count > 0 ? "; left out: " + string.Join(", ", left) : string.Empty)}\n");
        }

        return s.ToString();
    }

    [GeneratedRegex(@"^\s*//\s*([\w./\-]+\.[ch]):\s*(\w+)\s*$")]
    private static partial Regex MarkerPattern();

    [GeneratedRegex(@"[A-Za-z_]\w*")]
    private static partial Regex IdentifierPattern();

    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex LineCommentPattern();
}
