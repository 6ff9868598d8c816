using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;

namespace KernelNet.Scenarios.Coverage;

/// <summary>
/// Line and branch coverage of the port (<c>kernel/</c>), per C file it ports,
/// read from the Cobertura XML that coverlet writes for each test assembly.
/// Several files are merged: a line counts as covered when any run hit it, a
/// branch when any run took it.
/// </summary>
public sealed class CoberturaReport
{
    private readonly SortedDictionary<string, FileCoverage> _files = new(StringComparer.Ordinal);

    /// <summary>The port's files, keyed by the kernel path they port (<c>net/ipv4/udp.c</c>), in path order.</summary>
    public IReadOnlyDictionary<string, FileCoverage> Files => _files;

    /// <summary>Reads each Cobertura file; only sources under <c>kernel/</c> (outside <c>kernel/sim/</c>) count.</summary>
    public static CoberturaReport Read(IEnumerable<string> paths)
    {
        var report = new CoberturaReport();
        foreach (var path in paths)
        {
            report.Add(path);
        }

        return report;
    }

    /// <summary>Lines covered / lines, over every file.</summary>
    public (int Covered, int Total) Lines => (_files.Values.Sum(f => f.CoveredLines), _files.Values.Sum(f => f.TotalLines));

    /// <summary>Branches taken / branches, over every file.</summary>
    public (int Covered, int Total) Branches => (_files.Values.Sum(f => f.CoveredBranches), _files.Values.Sum(f => f.TotalBranches));

    /// <summary>One line: <c>LABEL: lines 61.2% (12034/19660), branches 48.0% (...)</c>.</summary>
    public string Totals(string label) =>
        $"{label}: lines {Percent(Lines)} ({Lines.Covered}/{Lines.Total}), branches {Percent(Branches)} ({Branches.Covered}/{Branches.Total})";

    /// <summary>A table, one row per C file: its lines and branches covered.</summary>
    public string Table()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{"C file",-48} {"lines",18} {"branches",18}\n");
        foreach (var (c, f) in _files)
        {
            var lines = (f.CoveredLines, f.TotalLines);
            var branches = (f.CoveredBranches, f.TotalBranches);
            sb.Append(CultureInfo.InvariantCulture, $"{c,-48} {Percent(lines),7} {lines.CoveredLines,5}/{lines.TotalLines,-5} {Percent(branches),7} {branches.CoveredBranches,5}/{branches.TotalBranches,-5}\n");
        }

        return sb.ToString();
    }

    private static string Percent((int Covered, int Total) x) =>
        x.Total == 0 ? "-" : ((100.0 * x.Covered) / x.Total).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    /// <summary>
    /// The kernel path a port file stands for: <c>kernel/net/ipv4/udp.cs</c>
    /// is <c>net/ipv4/udp.c</c>, a header's port keeps <c>.h</c>. The port's
    /// root is the folder of KernelNet.Kernel.csproj above the file (so a
    /// checkout under a folder named kernel still maps right), else the first
    /// <c>kernel/</c> in the path. Null for anything that ports no C file.
    /// </summary>
    public static string? KernelPathOf(string sourcePath)
    {
        var rel = RelativeToPortRoot(sourcePath.Replace('\\', '/'));
        if (rel is null || !rel.EndsWith(".cs", StringComparison.Ordinal) || rel.StartsWith("sim/", StringComparison.Ordinal) || rel == "Vmlinux.cs")
        {
            return null;
        }

        var stem = rel[..^3];
        return stem.StartsWith("include/", StringComparison.Ordinal) ? stem + ".h" : stem + ".c";
    }

    private static string? RelativeToPortRoot(string path)
    {
        for (var dir = Path.GetDirectoryName(path); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "KernelNet.Kernel.csproj")))
            {
                return Path.GetRelativePath(dir, path).Replace('\\', '/');
            }
        }

        var p = "/" + path;
        var at = p.IndexOf("/kernel/", StringComparison.Ordinal);
        return at < 0 ? null : p[(at + "/kernel/".Length)..];
    }

    private void Add(string path)
    {
        var doc = new XmlDocument { XmlResolver = null };
        using (var reader = XmlReader.Create(path, new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore }))
        {
            doc.Load(reader);
        }

        var sources = doc.SelectNodes("/coverage/sources/source")?.Cast<XmlNode>().Select(n => n.InnerText.Trim()).ToList() ?? new List<string>();
        foreach (XmlNode cls in doc.SelectNodes("//class")!)
        {
            var filename = cls.Attributes?["filename"]?.Value;
            if (filename is null)
            {
                continue;
            }

            var full = Path.IsPathRooted(filename) ? filename : Path.Combine(sources.FirstOrDefault() ?? string.Empty, filename);
            var c = KernelPathOf(full);
            if (c is null)
            {
                continue;
            }

            if (!_files.TryGetValue(c, out var file))
            {
                file = new FileCoverage();
                _files[c] = file;
            }

            foreach (XmlNode line in cls.SelectNodes("lines/line")!)
            {
                var number = int.Parse(line.Attributes!["number"]!.Value, CultureInfo.InvariantCulture);
                var hits = long.Parse(line.Attributes!["hits"]!.Value, CultureInfo.InvariantCulture);
                var (taken, total) = ParseCondition(line.Attributes?["condition-coverage"]?.Value);
                file.Merge(number, hits > 0, taken, total);
            }
        }
    }

    /// <summary>coverlet writes <c>condition-coverage="50% (1/2)"</c> on a line with branches.</summary>
    private static (int Taken, int Total) ParseCondition(string? value)
    {
        if (value is null)
        {
            return (0, 0);
        }

        var open = value.IndexOf('(', StringComparison.Ordinal);
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        var close = value.IndexOf(')', StringComparison.Ordinal);
        if (open < 0 || slash < open || close < slash)
        {
            return (0, 0);
        }

        return (int.Parse(value[(open + 1)..slash], CultureInfo.InvariantCulture), int.Parse(value[(slash + 1)..close], CultureInfo.InvariantCulture));
    }
}

/// <summary>One port file's lines (covered or not) and branches (taken of total), by line number.</summary>
public sealed class FileCoverage
{
    private readonly Dictionary<int, (bool Hit, int Taken, int Total)> _lines = new();

    public int TotalLines => _lines.Count;

    public int CoveredLines => _lines.Values.Count(l => l.Hit);

    public int TotalBranches => _lines.Values.Sum(l => l.Total);

    public int CoveredBranches => _lines.Values.Sum(l => l.Taken);

    /// <summary>Adds one run's view of a line: hit if any run hit it; of its branches, the most any run took (coverlet does not say which).</summary>
    public void Merge(int line, bool hit, int taken, int total)
    {
        if (_lines.TryGetValue(line, out var old))
        {
            _lines[line] = (old.Hit || hit, Math.Max(old.Taken, taken), Math.Max(old.Total, total));
        }
        else
        {
            _lines[line] = (hit, taken, total);
        }
    }
}
