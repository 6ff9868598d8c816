using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace KernelNet.Tests.Tools;

/// <summary>The documentation stands on its own: every link in it resolves inside the repository.</summary>
public sealed partial class DocsLinkTests
{
    // [text](target) and [text](target#anchor); images too.
    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    private static IEnumerable<string> MarkdownFiles(string root)
    {
        foreach (var top in new[] { "README.md", "CONTRIBUTING.md" })
        {
            var p = Path.Combine(root, top);
            if (File.Exists(p))
            {
                yield return p;
            }
        }

        foreach (var dir in new[] { "docs", "tools", "bench", "oracle-tests" })
        {
            var d = Path.Combine(root, dir);
            if (!Directory.Exists(d))
            {
                continue;
            }

            foreach (var p in Directory.EnumerateFiles(d, "*.md", SearchOption.AllDirectories)
                         .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                                  && !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
            {
                yield return p;
            }
        }
    }

    [SkippableFact]
    public void every_relative_link_in_the_docs_names_a_file_of_the_repository()
    {
        var root = KernelNet.Tests.Support.Repository.TryFindRoot();
        Skip.If(root is null, "the docs are not above the test build; skipped");
        var fullRoot = Path.GetFullPath(root!) + Path.DirectorySeparatorChar;
        var broken = new List<string>();
        var checkedLinks = 0;
        foreach (var file in MarkdownFiles(root!))
        {
            foreach (Match m in MarkdownLink().Matches(File.ReadAllText(file)))
            {
                var target = m.Groups[1].Value;
                if (target.StartsWith('#') || target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
                {
                    continue;
                }

                var path = target.Split('#')[0];
                var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, path));
                checkedLinks++;
                if (!resolved.StartsWith(fullRoot, StringComparison.Ordinal) && resolved != fullRoot.TrimEnd(Path.DirectorySeparatorChar))
                {
                    broken.Add($"{Path.GetRelativePath(root!, file)}: '{target}' leaves the repository");
                }
                else if (!File.Exists(resolved) && !Directory.Exists(resolved))
                {
                    broken.Add($"{Path.GetRelativePath(root!, file)}: '{target}' does not exist");
                }
            }
        }

        Assert.True(checkedLinks > 10, $"only {checkedLinks} links found: is the link pattern still right?");
        Assert.True(broken.Count == 0, string.Join("\n", broken));
    }

    [SkippableFact]
    public void the_repository_carries_its_license_and_contributing_guide()
    {
        var root = KernelNet.Tests.Support.Repository.TryFindRoot();
        Skip.If(root is null, "the repository is not above the test build; skipped");
        Assert.Contains("GNU GENERAL PUBLIC LICENSE", File.ReadAllText(Path.Combine(root!, "LICENSE")), StringComparison.Ordinal);
        Assert.Contains("Version 2", File.ReadAllText(Path.Combine(root!, "LICENSE")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(root!, "CONTRIBUTING.md")));
    }
}
