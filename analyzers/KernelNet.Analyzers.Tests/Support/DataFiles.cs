using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace KernelNet.Analyzers.Tests.Support;

/// <summary>The analyzer's data files (copied next to the tests), as the compiler's additional files.</summary>
public static class DataFiles
{
    private static readonly Lazy<ImmutableArray<AdditionalText>> Files = new(() =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "data"))
            .Where(p => p.EndsWith(".tsv", StringComparison.Ordinal) || p.EndsWith(".txt", StringComparison.Ordinal))
            .OrderBy(p => p, StringComparer.Ordinal)
            .Select(p => (AdditionalText)new DataFile(p))
            .ToImmutableArray());

    /// <summary>One instance per file for the whole run, so the analyzers parse the data once.</summary>
    public static ImmutableArray<AdditionalText> All => Files.Value;

    private sealed class DataFile(string path) : AdditionalText
    {
        private readonly Lazy<SourceText> _text = new(() => SourceText.From(File.ReadAllText(path)));

        public override string Path => path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text.Value;
    }
}
