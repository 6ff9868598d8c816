using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using KernelNet.Tests.Tools;
using Xunit;

namespace KernelNet.Tests.Docs;

/// <summary>
/// docs/walkthrough-rx.md and docs/walkthrough-tx.md stay true: every trace excerpt is printed
/// by the command above it, every `file.c:line` `function` is where 6.18.2 defines that
/// function, and every port cited is a C# method under that function's provenance marker.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class walkthrough_tests
{
    public static readonly string[] Walkthroughs = ["docs/walkthrough-rx.md", "docs/walkthrough-tx.md"];

    /// <summary>`path.c:123` `function` (also .h).</summary>
    [GeneratedRegex(@"`([\w./-]+\.[ch]):(\d+)` `(\w+)`")]
    private static partial Regex Citation();

    [GeneratedRegex(@"`([^`]+)`")]
    private static partial Regex CodeSpan();

    /// <summary>A fenced ```trace block: its `$ command` line and the excerpt lines under it.</summary>
    public sealed record Excerpt(string Doc, int Line, string Command, IReadOnlyList<string> Lines);

    public static IEnumerable<Excerpt> Excerpts(string root, string doc)
    {
        var lines = File.ReadAllLines(Path.Combine(root, doc));
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i] != "```trace")
            {
                continue;
            }

            var start = i + 1;
            Assert.True(lines[start].StartsWith("$ ", StringComparison.Ordinal), $"{doc}:{start + 1}: a trace excerpt opens with the `$ command` that prints it");
            var body = new List<string>();
            for (i = start + 1; i < lines.Length && lines[i] != "```"; i++)
            {
                body.Add(lines[i]);
            }

            yield return new Excerpt(doc, start + 1, lines[start][2..], body);
        }
    }

    /// <summary>Runs `dotnet run --project tools/kernelnet -- ARGS` in this process; paths relative to the repository made absolute.</summary>
    public static (int Code, string Output) RunKernelnet(string root, string command)
    {
        const string prefix = "dotnet run --project tools/kernelnet -- ";
        Assert.True(command.StartsWith(prefix, StringComparison.Ordinal), $"not a kernelnet command: {command}");
        var args = command[prefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(a => File.Exists(Path.Combine(root, a)) || Directory.Exists(Path.Combine(root, a)) ? Path.Combine(root, a) : a)
            .ToArray();
        var oldOut = Console.Out;
        var oldErr = Console.Error;
        using var o = new StringWriter();
        using var e = new StringWriter();
        Console.SetOut(o);
        Console.SetError(e);
        try
        {
            var code = KernelNet.Cli.Program.Main(args);
            return (code, o + e.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }

    [SkippableFact]
    public void every_trace_excerpt_is_printed_by_its_command_in_the_same_order()
    {
        var root = KernelNet.Tests.Support.Repository.TryFindRoot();
        Skip.If(root is null, "the docs are not above the test build; skipped");
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        var excerpts = 0;
        var checkedLines = 0;
        foreach (var doc in Walkthroughs)
        {
            foreach (var x in Excerpts(root!, doc))
            {
                excerpts++;
                if (!outputs.TryGetValue(x.Command, out var output))
                {
                    var (code, text) = RunKernelnet(root!, x.Command);
                    Assert.True(code == 0, $"{x.Doc}:{x.Line}: `{x.Command}` exited {code}: {text}");
                    outputs[x.Command] = output = text;
                }

                var printed = output.Split('\n').Select(l => l.TrimEnd()).ToList();
                var at = 0;
                foreach (var line in x.Lines.Where(l => l != "..."))
                {
                    var found = printed.IndexOf(line.TrimEnd(), at);
                    Assert.True(found >= 0, $"{x.Doc} (excerpt at line {x.Line}): not printed by `{x.Command}` after line {at} of its output:\n{line}");
                    at = found + 1;
                    checkedLines++;
                }
            }
        }

        Assert.True(excerpts >= 4, $"only {excerpts} excerpts: RX and TX, UDP and TCP each need one");
        Assert.True(checkedLines >= 40, $"only {checkedLines} excerpt lines checked");
    }

    /// <summary>(path, function) -> the lines 6.18.2 defines it at (a static function may be defined in several places).</summary>
    private static Dictionary<(string Path, string Function), HashSet<int>> Functions(string root)
    {
        var map = new Dictionary<(string, string), HashSet<int>>();
        foreach (var row in File.ReadLines(Path.Combine(root, "analyzers/KernelNet.Analyzers/data/functions.tsv")))
        {
            var f = row.Split('\t');
            if (f.Length >= 3 && int.TryParse(f[2], out var line))
            {
                if (!map.TryGetValue((f[0], f[1]), out var lines))
                {
                    map[(f[0], f[1])] = lines = [];
                }

                lines.Add(line);
            }
        }

        return map;
    }

    [SkippableFact]
    public void every_file_and_line_cited_is_where_6_18_defines_that_function()
    {
        var root = KernelNet.Tests.Support.Repository.TryFindRoot();
        Skip.If(root is null, "the docs are not above the test build; skipped");
        var functions = Functions(root!);
        var wrong = new List<string>();
        var cited = 0;
        foreach (var doc in Walkthroughs)
        {
            foreach (Match m in Citation().Matches(File.ReadAllText(Path.Combine(root!, doc))))
            {
                cited++;
                var (path, line, function) = (m.Groups[1].Value, int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups[3].Value);
                if (!functions.TryGetValue((path, function), out var lines))
                {
                    wrong.Add($"{doc}: {path} has no function {function} in 6.18.2");
                }
                else if (!lines.Contains(line))
                {
                    wrong.Add($"{doc}: {function} is at {path}:{string.Join(",", lines)}, not {line}");
                }
            }
        }

        Assert.True(cited >= 60, $"only {cited} citations found: is the citation pattern still right?");
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [SkippableFact]
    public void every_port_cited_is_a_method_under_its_provenance_marker()
    {
        var root = KernelNet.Tests.Support.Repository.TryFindRoot();
        Skip.If(root is null, "the docs are not above the test build; skipped");
        var wrong = new List<string>();
        var cited = 0;
        foreach (var doc in Walkthroughs)
        {
            foreach (var row in File.ReadLines(Path.Combine(root!, doc)).Where(l => l.StartsWith("| ", StringComparison.Ordinal)))
            {
                var cells = row.Split('|');
                if (cells.Length < 6 || !cells[4].Contains(".cs`", StringComparison.Ordinal))
                {
                    continue;
                }

                string? file = null;
                foreach (Match m in CodeSpan().Matches(cells[4]))
                {
                    var span = m.Groups[1].Value;
                    if (span.EndsWith(".cs", StringComparison.Ordinal))
                    {
                        file = span;
                        Assert.True(File.Exists(Path.Combine(root!, file)), $"{doc}: {file} does not exist");
                        continue;
                    }

                    Assert.True(file is not null, $"{doc}: `{span}` names no file before it");
                    cited++;
                    var dot = span.IndexOf('.', StringComparison.Ordinal);
                    var (cls, method) = (span[..dot], span[(dot + 1)..]);
                    var text = File.ReadAllLines(Path.Combine(root!, file!));
                    if (!text.Any(l => Regex.IsMatch(l, $@"\b(class|struct) {Regex.Escape(cls)}\b")))
                    {
                        wrong.Add($"{doc}: {file} has no class {cls}");
                        continue;
                    }

                    var declaration = new Regex($@"\s{Regex.Escape(method)}\s*[<(]");
                    if (file!.StartsWith("machine/", StringComparison.Ordinal))
                    {
                        // the hardware model ports no C: its method needs no provenance marker
                        if (!text.Any(l => declaration.IsMatch(l) && (l.Contains("private ", StringComparison.Ordinal) || l.Contains("public ", StringComparison.Ordinal))))
                        {
                            wrong.Add($"{doc}: {file} declares no {method}");
                        }

                        continue;
                    }

                    // the marker `// net/core/dev.c: net_rx_action`, then (after its summary and attributes) the declaration
                    var marker = Array.FindIndex(text, l => Regex.IsMatch(l, $@"^\s*// [\w./-]+\.[ch]: {Regex.Escape(method)}\s*$"));
                    if (marker < 0)
                    {
                        wrong.Add($"{doc}: {file} has no provenance marker for {method}");
                    }
                    else if (!text.Skip(marker + 1).SkipWhile(l => l.TrimStart().StartsWith("//", StringComparison.Ordinal) || l.TrimStart().StartsWith('[')).Take(1).Any(declaration.IsMatch))
                    {
                        wrong.Add($"{doc}: {file}: the marker for {method} is not above its declaration");
                    }
                }
            }
        }

        Assert.True(cited >= 30, $"only {cited} ports cited");
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }
}
