using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

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

/// <summary>The 6.18 facts shipped as additional files, parsed once per compilation.</summary>
internal sealed class KernelData
{
    private static readonly ConditionalWeakTable<AdditionalText, object> Cache = new();

    private KernelData(
        ImmutableDictionary<string, ImmutableHashSet<string>> functionFiles,
        ImmutableHashSet<string> files,
        ImmutableDictionary<string, ImmutableArray<string>> tracepoints)
    {
        FunctionFiles = functionFiles;
        Files = files;
        Tracepoints = tracepoints;
    }

    /// <summary>Function name to the files that define it.</summary>
    public ImmutableDictionary<string, ImmutableHashSet<string>> FunctionFiles { get; }

    /// <summary>Every file the function list knows (the files whose contents can be checked).</summary>
    public ImmutableHashSet<string> FunctionListFiles { get; private set; } = ImmutableHashSet<string>.Empty;

    /// <summary>Paths that exist in Linux 6.18.</summary>
    public ImmutableHashSet<string> Files { get; }

    /// <summary>"path:function" to the tracepoints its C body calls.</summary>
    public ImmutableDictionary<string, ImmutableArray<string>> Tracepoints { get; }

    public static KernelData? From(AnalyzerOptions options, CancellationToken ct)
    {
        AdditionalText? functions = null, files = null, traces = null;
        foreach (var t in options.AdditionalFiles)
        {
            switch (Path.GetFileName(t.Path))
            {
                case "functions.tsv": functions = t; break;
                case "linux-files.txt": files = t; break;
                case "tracepoint-calls.tsv": traces = t; break;
            }
        }

        if (functions == null || files == null || traces == null)
        {
            return null;
        }

        return (KernelData)Cache.GetValue(functions, _ => Parse(functions, files, traces, ct));
    }

    private static KernelData Parse(AdditionalText functions, AdditionalText files, AdditionalText traces, CancellationToken ct)
    {
        var fn = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var line in Lines(functions, ct))
        {
            var parts = line.Split('\t');
            if (parts.Length < 2)
            {
                continue;
            }

            if (!fn.TryGetValue(parts[1], out var set))
            {
                set = new HashSet<string>(StringComparer.Ordinal);
                fn.Add(parts[1], set);
            }

            set.Add(parts[0]);
        }

        var tp = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var line in Lines(traces, ct))
        {
            var parts = line.Split('\t');
            if (parts.Length < 3)
            {
                continue;
            }

            var key = parts[0] + ":" + parts[1];
            if (!tp.TryGetValue(key, out var list))
            {
                list = new List<string>();
                tp.Add(key, list);
            }

            list.Add(parts[2]);
        }

        var data = new KernelData(
            fn.ToImmutableDictionary(kv => kv.Key, kv => kv.Value.ToImmutableHashSet(StringComparer.Ordinal), StringComparer.Ordinal),
            Lines(files, ct).ToImmutableHashSet(StringComparer.Ordinal),
            tp.ToImmutableDictionary(kv => kv.Key, kv => kv.Value.ToImmutableArray(), StringComparer.Ordinal));
        data.FunctionListFiles = fn.Values.SelectMany(v => v).ToImmutableHashSet(StringComparer.Ordinal);
        return data;
    }

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
