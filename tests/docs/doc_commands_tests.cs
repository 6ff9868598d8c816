using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using KernelNet.Tests.Tools;
using Xunit;

namespace KernelNet.Tests.Docs;

/// <summary>
/// Every command README.md and docs/**/*.md show works: each `kernelnet` command is run (its
/// outputs redirected into a scratch directory) and must exit 0; one that needs root, or input
/// that an earlier command makes, is at least parsed by the CLI's own parser without an error;
/// a synopsis (`kernelnet record SCENARIO.yaml`) must name a command and options the CLI has;
/// `dotnet test`/`dotnet run`/`dotnet publish` of the repository must name a project, settings file and test
/// classes that exist (running the suite from inside itself is left to CI).
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class doc_commands_tests
{
    private const string Cli = "dotnet run --project tools/kernelnet -- ";

    [GeneratedRegex(@"`([^`\n]+)`")]
    private static partial Regex CodeSpan();

    /// <summary>An upper-case placeholder (SCENARIO, FILE.pkt, REC1, OUT/NAME-LEVEL/linux-1, N) or a synopsis's brackets and bars.</summary>
    [GeneratedRegex(@"(^|[\s/\[])[A-Z][A-Z0-9_-]*(\.\w+)?(\b|$)|\[|\||\.\.\.")]
    private static partial Regex Placeholder();

    /// <summary>The options whose value a command writes: redirected into the scratch directory.</summary>
    private static readonly HashSet<string> OutputOptions = new(StringComparer.Ordinal) { "-o", "--out", "--report", "--emit", "--keep-recordings" };

    public sealed record DocCommand(string Doc, string Text, bool Sudo, bool Inline = false);

    private static IEnumerable<string> Docs(string root) =>
        new[] { Path.Combine(root, "README.md") }.Concat(Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories));

    /// <summary>The shell commands of one markdown file: fenced shell blocks (continuations joined, comments cut), `$ ` lines of trace excerpts, inline commands.</summary>
    public static IEnumerable<DocCommand> Commands(string root, string file)
    {
        var doc = Path.GetRelativePath(root, file).Replace('\\', '/');
        var lines = File.ReadAllLines(file);
        var fence = (string?)null;
        var pending = "";
        foreach (var raw in lines)
        {
            if (raw.StartsWith("```", StringComparison.Ordinal))
            {
                fence = fence is null ? raw[3..].Trim() : null;
                continue;
            }

            if (fence is "sh" or "bash" or "shell" or "console")
            {
                var line = Regex.Replace(raw, @"\s+#.*$", "").TrimEnd();
                if (line.TrimStart().StartsWith('#'))
                {
                    continue;
                }

                if (line.EndsWith('\\'))
                {
                    pending += line[..^1] + " ";
                    continue;
                }

                line = (pending + line).Trim();
                pending = "";
                if (line.Length > 0)
                {
                    yield return Normalize(doc, line.StartsWith("$ ", StringComparison.Ordinal) ? line[2..] : line);
                }

                continue;
            }

            if (fence == "trace" && raw.StartsWith("$ ", StringComparison.Ordinal))
            {
                yield return Normalize(doc, raw[2..]);
                continue;
            }

            if (fence is not null)
            {
                continue;
            }

            foreach (Match m in CodeSpan().Matches(raw))
            {
                var span = m.Groups[1].Value.Trim();
                if (span.StartsWith("kernelnet ", StringComparison.Ordinal) || span.StartsWith("sudo kernelnet ", StringComparison.Ordinal)
                    || span.StartsWith("dotnet ", StringComparison.Ordinal))
                {
                    yield return Normalize(doc, span) with { Inline = true };
                }
            }
        }
    }

    private static DocCommand Normalize(string doc, string text)
    {
        var sudo = text.StartsWith("sudo ", StringComparison.Ordinal);
        text = sudo ? text[5..] : text;
        text = text.StartsWith("kernelnet ", StringComparison.Ordinal) ? Cli + text["kernelnet ".Length..] : text;
        // a report to a file (`> docs/port-status.md`) is the shell's, not the command's
        text = Regex.Replace(text, @"\s*>\s*\S+$", "");
        return new DocCommand(doc, text, sudo);
    }

    /// <summary>Splits like sh for what the docs use: spaces, and '...' or "..." quoting.</summary>
    private static List<string> Words(string text) =>
        Regex.Matches(text, @"'([^']*)'|""([^""]*)""|(\S+)").Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Success ? m.Groups[2].Value : m.Groups[3].Value).ToList();

    private static RootCommand Root()
    {
        var root = new RootCommand();
        root.Subcommands.Add(KernelNet.Cli.Commands.RunCommand.Create());
        foreach (var c in KernelNet.Cli.Commands.ExtraCommands.All())
        {
            root.Subcommands.Add(c);
        }

        return root;
    }

    /// <summary>Needs root: `sudo`, `record` (but --cleanup without root says so and exits 3), `explore` that records.</summary>
    private static bool NeedsRoot(DocCommand c, List<string> args) =>
        c.Sudo || args is ["record", ..] || (args is ["explore", ..] && !args.Any(a => a is "--simulation-only" or "--emit" or "--rejudge"));

    [SkippableFact]
    public void every_command_in_the_readme_and_docs_runs_or_parses()
    {
        var root = KernelNet.Tests.Support.Repository.TryFindRoot();
        Skip.If(root is null, "the docs are not above the test build; skipped");
        var scratch = Path.Combine(Path.GetTempPath(), $"kn-doc-commands-{Environment.ProcessId}");
        var cli = Root();
        var wrong = new List<string>();
        var (ran, parsed, synopses, dotnet) = (0, 0, 0, 0);
        try
        {
            foreach (var c in Docs(root!).SelectMany(f => Commands(root!, f)).Distinct())
            {
                var where = $"{c.Doc}: `{c.Text}`";
                if (!c.Text.StartsWith(Cli, StringComparison.Ordinal) && c.Text != Cli.TrimEnd())
                {
                    dotnet++;
                    CheckDotnet(root!, c, wrong);
                    continue;
                }

                var args = Words(c.Text.Length > Cli.Length ? c.Text[Cli.Length..] : "");
                // `kernelnet coverage` in a sentence names the command; a placeholder makes a synopsis
                if (Placeholder().IsMatch(string.Join(' ', args)) || (c.Inline && args.Count == 1 && !args[0].StartsWith('-')))
                {
                    synopses++;
                    CheckSynopsis(cli, args, where, wrong);
                    continue;
                }

                // outputs into the scratch directory; inputs relative to the repository
                for (var i = 0; i < args.Count; i++)
                {
                    if (i > 0 && OutputOptions.Contains(args[i - 1]))
                    {
                        args[i] = Path.Combine(scratch, $"{ran}-{Path.GetFileName(args[i].TrimEnd('/'))}");
                    }
                    else if (File.Exists(Path.Combine(root!, args[i])) || Directory.Exists(Path.Combine(root!, args[i])))
                    {
                        args[i] = Path.Combine(root!, args[i]);
                    }
                }

                // explore writes its reports into the repository's oracle-tests/explored unless told
                // otherwise: a test must not rewrite tracked files, so it writes into the scratch directory
                if (args is ["explore", ..] && !args.Contains("--out") && !args.Contains("--emit"))
                {
                    args.AddRange(["--out", Path.Combine(scratch, $"{ran}-explored")]);
                }

                var parse = cli.Parse(args);
                if (parse.Errors.Count > 0)
                {
                    wrong.Add($"{where}: {parse.Errors[0].Message}");
                    continue;
                }

                // an input outside the repository (/tmp/cov/suite) is what an earlier command of the page makes
                var missingInput = args.Where((a, i) => a.StartsWith('/') && !(i > 0 && OutputOptions.Contains(args[i - 1])) && !File.Exists(a) && !Directory.Exists(a)).ToList();
                if (NeedsRoot(c, args) || missingInput.Count > 0)
                {
                    parsed++;
                    continue;
                }

                Directory.CreateDirectory(scratch);
                var (code, output) = walkthrough_tests.RunKernelnet(root!, Cli + string.Join(' ', args.Select(a => a.Contains(' ', StringComparison.Ordinal) ? a : a)));
                ran++;
                if (code != 0)
                {
                    wrong.Add($"{where}: exit {code}: {output.Split('\n').LastOrDefault(l => l.Length > 0)}");
                }
            }
        }
        finally
        {
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        Console.Error.WriteLine($"doc commands: {ran} ran, {parsed} parsed only (root or an earlier command's output), {synopses} synopses, {dotnet} dotnet commands");
        Assert.True(ran >= 10, $"only {ran} commands ran");
        Assert.True(parsed >= 4, $"only {parsed} root-only commands parsed");
        Assert.True(synopses >= 10, $"only {synopses} synopses checked");
        Assert.True(dotnet >= 3, $"only {dotnet} dotnet commands checked");
    }

    /// <summary>A synopsis names a command of the CLI (or --help) and only options that command has.</summary>
    private static void CheckSynopsis(RootCommand cli, List<string> args, string where, List<string> wrong)
    {
        if (args.Count == 0 || args[0] is "--help" or "COMMAND")
        {
            return;
        }

        var command = cli.Subcommands.FirstOrDefault(s => s.Name == args[0]);
        if (command is null)
        {
            wrong.Add($"{where}: the CLI has no command {args[0]}");
            return;
        }

        var options = command.Options.SelectMany(o => o.Aliases.Append(o.Name)).Append("--help").ToHashSet(StringComparer.Ordinal);
        foreach (var option in args.Skip(1).Where(a => a.StartsWith('-')))
        {
            if (!options.Contains(option))
            {
                wrong.Add($"{where}: {args[0]} has no option {option}");
            }
        }
    }

    /// <summary>`dotnet test|build|run|publish` of this repository: the solution or project, the settings file and the filtered test classes exist.</summary>
    private static void CheckDotnet(string root, DocCommand c, List<string> wrong)
    {
        var where = $"{c.Doc}: `{c.Text}`";
        var args = Words(c.Text);
        if (args is ["dotnet", "publish", var project, ..])
        {
            // `dotnet publish PROJECT -c Release -r RID -o DIR`: the project exists (publishing is left to the reader)
            if (!Directory.Exists(Path.Combine(root, project)) && !File.Exists(Path.Combine(root, project)))
            {
                wrong.Add($"{where}: {project} does not exist");
            }

            return;
        }

        if (args is not ["dotnet", "test" or "build" or "run", ..])
        {
            wrong.Add($"{where}: not a command this test knows how to check");
            return;
        }

        for (var i = 2; i < args.Count; i++)
        {
            var a = args[i];
            if (a.EndsWith(".sln", StringComparison.Ordinal) || a.EndsWith(".runsettings", StringComparison.Ordinal) || (i > 0 && args[i - 1] == "--project"))
            {
                if (!File.Exists(Path.Combine(root, a)) && !Directory.Exists(Path.Combine(root, a)))
                {
                    wrong.Add($"{where}: {a} does not exist");
                }
            }
            else if (args[1] == "test" && i == 2 && !a.StartsWith('-') && !Directory.Exists(Path.Combine(root, a)))
            {
                wrong.Add($"{where}: {a} is not a test project directory");
            }
            else if (args[i - 1] == "--filter")
            {
                foreach (Match m in Regex.Matches(a, @"FullyQualifiedName~([\w.]+)"))
                {
                    var name = m.Groups[1].Value.Split('.').Last();
                    var declared = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
                        .Where(f => f.Contains($"{Path.DirectorySeparatorChar}tests{Path.DirectorySeparatorChar}", StringComparison.Ordinal) || f.Contains("oracle-tests", StringComparison.Ordinal))
                        .Any(f => File.ReadAllText(f).Contains($"class {name}", StringComparison.Ordinal));
                    if (!declared)
                    {
                        wrong.Add($"{where}: no test class {name}");
                    }
                }
            }
        }
    }
}
