using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KernelNet.Analyzers;

/// <summary>Where a source file sits in the repository: kernel/ (the port), machine/, or elsewhere.</summary>
internal readonly struct TreePath
{
    public TreePath(string? relative)
    {
        Relative = relative;
    }

    /// <summary>The path relative to the repository root with '/' separators, or null when unknown.</summary>
    public string? Relative { get; }

    public bool IsKernel => Relative != null && Relative.StartsWith("kernel/", StringComparison.Ordinal);

    public bool IsMachine => Relative != null && Relative.StartsWith("machine/", StringComparison.Ordinal);

    /// <summary>Non-port glue under kernel/: the root state (Vmlinux.cs) and kernel/sim/.</summary>
    public bool IsKernelGlue => Relative == "kernel/Vmlinux.cs" || (Relative != null && Relative.StartsWith("kernel/sim/", StringComparison.Ordinal));

    public bool IsKernelPort => IsKernel && !IsKernelGlue && Relative!.EndsWith(".cs", StringComparison.Ordinal);

    /// <summary>The kernel path a port file stands for, without extension: kernel/net/core/dev.cs -> net/core/dev.</summary>
    public string? PortStem => IsKernelPort ? Relative!.Substring("kernel/".Length, Relative.Length - "kernel/".Length - ".cs".Length) : null;

    public static TreePath Of(SyntaxTree tree, AnalyzerOptions options)
    {
        var path = tree.FilePath.Replace('\\', '/');
        options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue("build_property.KernelNetTreeRoot", out var root);
        if (!string.IsNullOrEmpty(root))
        {
            var r = root!.Replace('\\', '/');
            if (!r.EndsWith("/", StringComparison.Ordinal))
            {
                r += "/";
            }

            if (path.StartsWith(r, StringComparison.Ordinal))
            {
                return new TreePath(path.Substring(r.Length));
            }
        }

        return new TreePath(null);
    }
}

/// <summary>
/// A port file under kernel/ together with the 6.18 facts to check it
/// against: the common start of the rules that compare the port with Linux
/// (KN0001, KN0002, KN0009).
/// </summary>
internal readonly struct PortFile
{
    private PortFile(TreePath where, KernelData data)
    {
        Where = where;
        Data = data;
    }

    public TreePath Where { get; }

    public KernelData Data { get; }

    /// <summary>The kernel path the file stands for, without extension: net/core/dev.</summary>
    public string Stem => Where.PortStem!;

    /// <summary>The C files the .cs may port: stem.c and stem.h, whether or not Linux has them.</summary>
    public ImmutableArray<string> Candidates => ImmutableArray.Create(Stem + ".c", Stem + ".h");

    /// <summary>Whether <paramref name="path"/> is one of the files this .cs ports.</summary>
    public bool Ports(string path) => path == Stem + ".c" || path == Stem + ".h";

    /// <summary>The port file <paramref name="tree"/> is, or false when it is not one (outside kernel/, glue) or the data files are missing.</summary>
    public static bool TryOf(SyntaxTree tree, AnalyzerOptions options, CancellationToken ct, out PortFile port)
    {
        port = default;
        var where = TreePath.Of(tree, options);
        if (!where.IsKernelPort)
        {
            return false;
        }

        var data = KernelData.From(options, ct);
        if (data == null)
        {
            return false;
        }

        port = new PortFile(where, data);
        return true;
    }
}

/// <summary>The 6.18 facts shipped as additional files (data/README.md), parsed once per set of files.</summary>
internal sealed class KernelData
{
    private static readonly ConditionalWeakTable<AdditionalText, KernelData> Cache = new();

    private KernelData(
        ImmutableDictionary<string, ImmutableHashSet<string>> functionFiles,
        ImmutableDictionary<string, ImmutableHashSet<string>> macroFiles,
        ImmutableHashSet<string> files,
        ImmutableDictionary<string, ImmutableArray<(string Tracepoint, bool Always)>> tracepoints,
        ImmutableHashSet<string> scanned,
        ImmutableDictionary<string, ImmutableHashSet<string>> tracepointFiles,
        ImmutableDictionary<string, ImmutableArray<string>> notSpecified,
        ImmutableDictionary<string, ImmutableArray<string>> callees,
        ImmutableHashSet<string> calleeBaseline,
        ImmutableDictionary<string, string> calleesIgnored,
        ImmutableHashSet<string> ownershipBaseline)
    {
        OwnershipBaseline = ownershipBaseline;
        Callees = callees;
        CalleeBaseline = calleeBaseline;
        CalleesIgnored = calleesIgnored;
        FunctionFiles = functionFiles;
        MacroFiles = macroFiles;
        Files = files;
        TracepointCalls = tracepoints;
        Tracepoints = tracepoints.ToImmutableDictionary(kv => kv.Key, kv => kv.Value.Select(t => t.Tracepoint).ToImmutableArray(), StringComparer.Ordinal);
        TracepointFiles = tracepointFiles;
        NotSpecified = notSpecified;
        ListedFiles = functionFiles.Values.Concat(macroFiles.Values).SelectMany(v => v).Concat(scanned).ToImmutableHashSet(StringComparer.Ordinal);
    }

    /// <summary>Function name to the files that define it (functions.tsv).</summary>
    public ImmutableDictionary<string, ImmutableHashSet<string>> FunctionFiles { get; }

    /// <summary>Function-like macro name to the files that define it (macros.tsv).</summary>
    public ImmutableDictionary<string, ImmutableHashSet<string>> MacroFiles { get; }

    /// <summary>trace_X to the include/trace/events headers that define tracepoint X (tracepoint-events.tsv).</summary>
    public ImmutableDictionary<string, ImmutableHashSet<string>> TracepointFiles { get; }

    /// <summary>Every file whose functions and macros are listed (scanned-files.txt): the files whose contents can be checked.</summary>
    public ImmutableHashSet<string> ListedFiles { get; }

    /// <summary>Paths that exist in Linux 6.18 (linux-files.txt).</summary>
    public ImmutableHashSet<string> Files { get; }

    /// <summary>"path:function" to the tracepoints its C body calls (tracepoint-calls.tsv).</summary>
    public ImmutableDictionary<string, ImmutableArray<string>> Tracepoints { get; }

    /// <summary>"path:function" to the tracepoints its C body calls, each with whether the call is unconditional in the body.</summary>
    public ImmutableDictionary<string, ImmutableArray<(string Tracepoint, bool Always)>> TracepointCalls { get; }

    /// <summary>"path:function" to how its 6.18 body drops without a reason: SKB_DROP_REASON_NOT_SPECIFIED, kfree_skb, dev_kfree_skb_any ... (drop-not-specified.tsv).</summary>
    public ImmutableDictionary<string, ImmutableArray<string>> NotSpecified { get; }

    /// <summary>"path:function" to the functions and function-like macros its 6.18 body calls (callees.tsv).</summary>
    public ImmutableDictionary<string, ImmutableArray<string>> Callees { get; }

    /// <summary>"path:function:callee" omissions the port had when the callee rule came (callees-baseline.tsv).</summary>
    public ImmutableHashSet<string> CalleeBaseline { get; }

    /// <summary>"file.cs:method:parameter" of the methods that took an skb without [Consumes]/[Borrows] when KN0012 came (skb-ownership-baseline.tsv).</summary>
    public ImmutableHashSet<string> OwnershipBaseline { get; }

    /// <summary>Callees no port needs to call or name, with why (callees-ignored.tsv): compiler hints, barriers, lockdep.</summary>
    public ImmutableDictionary<string, string> CalleesIgnored { get; }

    /// <summary>Whether Linux 6.18's <paramref name="path"/> defines <paramref name="name"/> as a function, function-like macro or (in include/trace/events) tracepoint.</summary>
    public bool Defines(string path, string name) =>
        (FunctionFiles.TryGetValue(name, out var f) && f.Contains(path)) ||
        (MacroFiles.TryGetValue(name, out var m) && m.Contains(path)) ||
        (TracepointFiles.TryGetValue(name, out var t) && t.Contains(path));

    /// <summary>Every file of 6.18 that defines <paramref name="name"/> as a function, function-like macro or tracepoint.</summary>
    public IEnumerable<string> DefiningFiles(string name) =>
        (FunctionFiles.TryGetValue(name, out var f) ? f : Enumerable.Empty<string>())
            .Concat(MacroFiles.TryGetValue(name, out var m) ? m : Enumerable.Empty<string>())
            .Concat(TracepointFiles.TryGetValue(name, out var t) ? t : Enumerable.Empty<string>())
            .Distinct(StringComparer.Ordinal)
            .OrderBy(p => p, StringComparer.Ordinal);

    public static KernelData? From(AnalyzerOptions options, CancellationToken ct)
    {
        AdditionalText? functions = null, macros = null, files = null, traces = null, scanned = null, events = null, notSpecified = null, callees = null, baseline = null, ignored = null, ownership = null;
        foreach (var t in options.AdditionalFiles)
        {
            switch (Path.GetFileName(t.Path))
            {
                case "functions.tsv": functions = t; break;
                case "macros.tsv": macros = t; break;
                case "linux-files.txt": files = t; break;
                case "tracepoint-calls.tsv": traces = t; break;
                case "scanned-files.txt": scanned = t; break;
                case "tracepoint-events.tsv": events = t; break;
                case "drop-not-specified.tsv": notSpecified = t; break;
                case "callees.tsv": callees = t; break;
                case "callees-baseline.tsv": baseline = t; break;
                case "callees-ignored.tsv": ignored = t; break;
                case "skb-ownership-baseline.tsv": ownership = t; break;
            }
        }

        if (functions == null || files == null || traces == null)
        {
            return null;
        }

        return Cache.GetValue(functions, _ => new KernelData(
            NameToFiles(Rows(functions, ct)),
            NameToFiles(Optional(macros, ct)),
            Lines(files, ct).ToImmutableHashSet(StringComparer.Ordinal),
            TracepointsOf(Rows(traces, ct)),
            (scanned == null ? Enumerable.Empty<string>() : Lines(scanned, ct)).ToImmutableHashSet(StringComparer.Ordinal),
            NameToFiles(Optional(events, ct)),
            Optional(notSpecified, ct).Where(r => r.Length >= 3)
                .GroupBy(r => r[0] + ":" + r[1], StringComparer.Ordinal)
                .ToImmutableDictionary(g => g.Key, g => g.Select(r => r[2]).ToImmutableArray(), StringComparer.Ordinal),
            Optional(callees, ct).Where(r => r.Length >= 3)
                .GroupBy(r => r[0] + ":" + r[1], StringComparer.Ordinal)
                .ToImmutableDictionary(g => g.Key, g => g.Select(r => r[2]).Distinct(StringComparer.Ordinal).ToImmutableArray(), StringComparer.Ordinal),
            Optional(baseline, ct).Where(r => r.Length >= 3).Select(r => r[0] + ":" + r[1] + ":" + r[2]).ToImmutableHashSet(StringComparer.Ordinal),
            Optional(ignored, ct).Where(r => r.Length >= 2 && !r[0].StartsWith("#", StringComparison.Ordinal))
                .GroupBy(r => r[0], StringComparer.Ordinal)
                .ToImmutableDictionary(g => g.Key, g => g.First()[1], StringComparer.Ordinal),
            Optional(ownership, ct).Where(r => r.Length >= 3).Select(r => r[0] + ":" + r[1] + ":" + r[2]).ToImmutableHashSet(StringComparer.Ordinal)));
    }

    private static IEnumerable<string[]> Optional(AdditionalText? text, CancellationToken ct) =>
        text == null ? Enumerable.Empty<string[]>() : Rows(text, ct);

    /// <summary>path, name[, line] rows to name -> the paths that define it.</summary>
    private static ImmutableDictionary<string, ImmutableHashSet<string>> NameToFiles(IEnumerable<string[]> rows) =>
        rows.Where(r => r.Length >= 2)
            .GroupBy(r => r[1], StringComparer.Ordinal)
            .ToImmutableDictionary(g => g.Key, g => g.Select(r => r[0]).ToImmutableHashSet(StringComparer.Ordinal), StringComparer.Ordinal);

    /// <summary>path, function, tracepoint[, always|conditional] rows to "path:function" -> tracepoints.</summary>
    private static ImmutableDictionary<string, ImmutableArray<(string, bool)>> TracepointsOf(IEnumerable<string[]> rows) =>
        rows.Where(r => r.Length >= 3)
            .GroupBy(r => r[0] + ":" + r[1], StringComparer.Ordinal)
            .ToImmutableDictionary(
                g => g.Key,
                g => g.GroupBy(r => r[2], StringComparer.Ordinal).Select(t => (t.Key, t.Any(r => r.Length >= 4 && r[3] == "always"))).ToImmutableArray(),
                StringComparer.Ordinal);

    private static IEnumerable<string[]> Rows(AdditionalText text, CancellationToken ct) =>
        Lines(text, ct).Select(l => l.Split('\t'));

    private static IEnumerable<string> Lines(AdditionalText text, CancellationToken ct)
    {
        var source = text.GetText(ct);
        if (source == null)
        {
            yield break;
        }

        foreach (var line in source.Lines)
        {
            var s = line.ToString().Trim();
            if (s.Length > 0 && s[0] != '#')
            {
                yield return s;
            }
        }
    }
}
