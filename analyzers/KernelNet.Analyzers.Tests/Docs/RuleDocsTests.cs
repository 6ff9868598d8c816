using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using KernelNet.Analyzers.Tests.Support;
using Microsoft.CodeAnalysis;
using Xunit;

namespace KernelNet.Analyzers.Tests.Docs;

/// <summary>STYLE.md 21: every rule has its page and its row, and neither drifts from the descriptor.</summary>
public sealed class RuleDocsTests
{
    private static readonly string DocsDir = Path.Combine(RepositoryRoot.Path, "docs", "analyzers");

    public static IEnumerable<object[]> Rules() =>
        KernelProject.AllAnalyzers()
            .SelectMany(a => a.SupportedDiagnostics)
            .Select(d => new object[] { d.Id, d.Title.ToString() });

    [Theory]
    [MemberData(nameof(Rules))]
    public void every_rule_has_a_page_whose_first_line_is_its_id_and_title(string id, string title)
    {
        var page = Path.Combine(DocsDir, id + ".md");
        Assert.True(File.Exists(page), $"{id} has no page: create docs/analyzers/{id}.md");
        Assert.Equal($"# {id} - {title}", File.ReadLines(page).First());
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void every_rule_has_a_row_in_the_rules_table(string id, string title)
    {
        var readme = File.ReadAllLines(Path.Combine(DocsDir, "README.md"));
        Assert.Contains(readme, line => line.StartsWith($"| [{id}]({id}.md) | {title} |", StringComparison.Ordinal));
    }

    [Fact]
    public void every_help_link_points_at_the_rule_page()
    {
        foreach (var d in KernelProject.AllAnalyzers().SelectMany(a => a.SupportedDiagnostics))
        {
            Assert.EndsWith($"docs/analyzers/{d.Id}.md", d.HelpLinkUri, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void every_rule_identifier_has_one_analyzer_that_reports_errors()
    {
        var ids = typeof(RuleIdentifiers).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name != nameof(RuleIdentifiers.Category))
            .Select(f => (string)f.GetRawConstantValue()!)
            .OrderBy(i => i, StringComparer.Ordinal);
        var descriptors = KernelProject.AllAnalyzers().SelectMany(a => a.SupportedDiagnostics).ToList();
        Assert.Equal(ids, descriptors.Select(d => d.Id).OrderBy(i => i, StringComparer.Ordinal));
        Assert.All(descriptors, d => Assert.Equal(DiagnosticSeverity.Error, d.DefaultSeverity));
    }

    [Fact]
    public void every_page_belongs_to_a_rule()
    {
        var ids = KernelProject.AllAnalyzers().SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).ToHashSet();
        var pages = Directory.GetFiles(DocsDir, "KN*.md").Select(Path.GetFileNameWithoutExtension);
        Assert.All(pages, p => Assert.Contains(p!, ids));
    }

    [Fact]
    public void every_analyzer_is_sealed_and_has_its_tests_file()
    {
        var testsDir = Path.Combine(RepositoryRoot.Path, "analyzers", "KernelNet.Analyzers.Tests", "Rules");
        foreach (var analyzer in KernelProject.AllAnalyzers())
        {
            var type = analyzer.GetType();
            Assert.True(type.IsSealed, type.Name + " is not sealed");
            Assert.True(File.Exists(Path.Combine(testsDir, type.Name + "Tests.cs")), type.Name + " has no Rules/" + type.Name + "Tests.cs");
        }
    }
}
