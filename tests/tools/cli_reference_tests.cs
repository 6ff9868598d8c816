using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace KernelNet.Tests.Tools;

/// <summary>docs/cli.md says what --help says: every command has its section and every option its row.</summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class CliReferenceTests
{
    [GeneratedRegex(@"^\s{2}(?:(-\w), )?(--?[\w-]+)", RegexOptions.Multiline)]
    private static partial Regex OptionLine();

    [GeneratedRegex(@"^\s{2}([a-z]+)\b", RegexOptions.Multiline)]
    private static partial Regex CommandLine();

    private static string Help(params string[] args)
    {
        var old = Console.Out;
        using var o = new StringWriter();
        Console.SetOut(o);
        try
        {
            KernelNet.Cli.Program.Main([.. args, "--help"]);
            return o.ToString();
        }
        finally
        {
            Console.SetOut(old);
        }
    }

    private static string Section(string help, string heading)
    {
        var at = help.IndexOf(heading + ":", StringComparison.Ordinal);
        if (at < 0)
        {
            return string.Empty;
        }

        var end = help.IndexOf("\n\n", at, StringComparison.Ordinal);
        return end < 0 ? help[at..] : help[at..end];
    }

    [SkippableFact]
    public void every_command_and_option_of_the_help_is_in_docs_cli_md()
    {
        var root = KernelNet.Tests.Support.Repository.TryFindRoot();
        Skip.If(root is null, "docs/ is not above the test build; skipped");
        var doc = File.ReadAllText(Path.Combine(root!, "docs", "cli.md"));
        var commands = CommandLine().Matches(Section(Help(), "Commands")).Select(m => m.Groups[1].Value).ToList();
        Assert.Contains("run", commands);
        foreach (var command in commands)
        {
            Assert.Contains($"## `kernelnet {command}", doc, StringComparison.Ordinal);
            var section = doc[doc.IndexOf($"## `kernelnet {command}", StringComparison.Ordinal)..];
            var next = section.IndexOf("\n## ", 3, StringComparison.Ordinal);
            section = next < 0 ? section : section[..next];
            foreach (Match m in OptionLine().Matches(Section(Help(command), "Options")))
            {
                var name = m.Groups[2].Value;
                if (name is "-?" or "--help" or "--version")
                {
                    continue;
                }

                Assert.True(section.Contains($"`{name}", StringComparison.Ordinal), $"docs/cli.md: kernelnet {command} lacks {name}");
            }

            Assert.True(section.Contains("Exit", StringComparison.Ordinal), $"docs/cli.md: kernelnet {command} does not say its exit codes");
        }
    }
}
