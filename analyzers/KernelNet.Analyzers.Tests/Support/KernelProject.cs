using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using KernelNet.Annotations;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit.Sdk;

namespace KernelNet.Analyzers.Tests.Support;

/// <summary>
/// A small in-memory project laid out like the repository (files at
/// <c>kernel/...</c>, <c>machine/...</c>), compiled with the analyzers and
/// the shipped 6.18 data, whose diagnostics are checked against the inline
/// markup of its files.
/// </summary>
public sealed class KernelProject
{
    /// <summary>Where the project "lives": KernelNetTreeRoot, as the props file passes it.</summary>
    public const string Root = "/repo/";

    private readonly List<(string Path, Markup Markup)> _files = new();

    public KernelProject()
    {
        File("stubs/KernelStubs.cs", KernelStubs.Source);
    }

    /// <summary>Adds a file at <paramref name="path"/> (relative to the repository root) written in markup.</summary>
    public KernelProject File(string path, string markup)
    {
        _files.Add((path, Markup.Parse(markup)));
        return this;
    }

    /// <summary>
    /// Adds the port file at <paramref name="path"/> in its conventional shape
    /// around <paramref name="members"/> (markup): the stubs' usings, the
    /// namespace of its folder and the static class named after it —
    /// kernel/net/core/dev.cs is <c>KernelNet.Kernel.Net.Core</c>, <c>dev_c</c>;
    /// kernel/include/linux/skbuff.cs is <c>KernelNet.Kernel.Include.Linux</c>, <c>skbuff_h</c>.
    /// </summary>
    public KernelProject Port(string path, string members)
    {
        var folders = path.Split('/');
        var ns = string.Join(".", folders.Take(folders.Length - 1).Select(Pascal));
        var stem = System.IO.Path.GetFileNameWithoutExtension(path).Replace('-', '_').Replace('.', '_');
        var kind = path.StartsWith("kernel/include/", StringComparison.Ordinal) ? "_h" : "_c";
        return File(path, KernelStubs.Usings + $"namespace KernelNet.{ns};\npublic static partial class {stem}{kind}\n{{\n{members}\n}}\n");
    }

    /// <summary>A folder as a namespace segment (STYLE.md 2): net -> Net, asm-generic -> AsmGeneric.</summary>
    private static string Pascal(string folder) =>
        string.Concat(folder.Split('-').Select(w => char.ToUpperInvariant(w[0]) + w.Substring(1)));

    /// <summary>Runs <typeparamref name="TAnalyzer"/> and checks its diagnostics against the markup.</summary>
    public void Verify<TAnalyzer>()
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        var analyzer = new TAnalyzer();
        Check(Run(analyzer), analyzer.SupportedDiagnostics.Single().Id);
    }

    /// <summary>Runs every rule; the markup names each expected rule (<c>{|KN0003:...|}</c>).</summary>
    public void VerifyAll() => Check(Run(AllAnalyzers()), ruleUnderTest: null);

    public static ImmutableArray<DiagnosticAnalyzer> AllAnalyzers() =>
        typeof(RuleIdentifiers).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();

    /// <summary>Compiles the files (which must compile) and returns the analyzers' diagnostics.</summary>
    public ImmutableArray<Diagnostic> Run(params DiagnosticAnalyzer[] analyzers) => Run(analyzers.ToImmutableArray());

    private ImmutableArray<Diagnostic> Run(ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        var compilation = Compile();
        var options = new AnalyzerOptions(DataFiles.All, new TreeRootOptions());
        return compilation.WithAnalyzers(analyzers, options)
            .GetAnalyzerDiagnosticsAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    private CSharpCompilation Compile()
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.Parse);
        var trees = _files.Select(f => CSharpSyntaxTree.ParseText(f.Markup.Source, parse, Root + f.Path));
        var compilation = CSharpCompilation.Create(
            "KernelNet.Analyzers.TestProject",
            trees,
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new XunitException("test source does not compile:\n" + string.Join("\n", errors));
        }

        return compilation;
    }

    private void Check(ImmutableArray<Diagnostic> diagnostics, string? ruleUnderTest)
    {
        var expected = _files
            .SelectMany(f => f.Markup.Expected.Select(e => Describe(f.Path, f.Markup.Source, e.Id ?? ruleUnderTest ?? throw new ArgumentException("[| |] needs a rule under test: use {|KN000N:...|}"), e.Span)))
            .OrderBy(s => s, StringComparer.Ordinal)
            .ToList();
        var actual = diagnostics
            .Select(d => Describe(d.Location.SourceTree!.FilePath.Substring(Root.Length), d.Location.SourceTree.GetText().ToString(), d.Id, d.Location.SourceSpan) + " -- " + d.GetMessage())
            .OrderBy(s => s, StringComparer.Ordinal)
            .ToList();
        var actualWithoutMessages = actual.Select(a => a.Substring(0, a.IndexOf(" -- ", StringComparison.Ordinal))).ToList();
        if (!expected.SequenceEqual(actualWithoutMessages))
        {
            throw new XunitException(
                "diagnostics differ from the markup\nexpected:\n  " + string.Join("\n  ", expected) +
                "\nactual:\n  " + string.Join("\n  ", actual));
        }
    }

    private static string Describe(string path, string source, string id, TextSpan span)
    {
        var line = SourceText.From(source).Lines.GetLinePosition(span.Start).Line + 1;
        return $"{id} {path}:{line} '{source.Substring(span.Start, span.Length)}'";
    }

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Append(typeof(ConsumesAttribute).Assembly.Location)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray());

    /// <summary>The global options the props file gives the compiler.</summary>
    private sealed class TreeRootOptions : AnalyzerConfigOptionsProvider
    {
        private static readonly AnalyzerConfigOptions Empty = new Options(ImmutableDictionary<string, string>.Empty);

        public override AnalyzerConfigOptions GlobalOptions { get; } =
            new Options(ImmutableDictionary<string, string>.Empty.Add("build_property.KernelNetTreeRoot", Root));

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Empty;
    }

    private sealed class Options(ImmutableDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
    }
}
