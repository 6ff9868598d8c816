using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using KernelNet.Analyzers.Tests.Support;
using Xunit;

namespace KernelNet.Analyzers.Tests.EndToEnd;

/// <summary>
/// The repository's own kernel/ and machine/ projects import the rules
/// (docs/analyzers/README.md, Wiring), so a violation there fails their
/// <c>dotnet build</c> as it fails <see cref="ViolatingProject"/>'s.
/// </summary>
public sealed class RepositoryWiringTests
{
    [Theory]
    [InlineData("kernel/KernelNet.Kernel.csproj")]
    [InlineData("machine/KernelNet.Machine.csproj")]
    public void the_port_project_imports_the_analyzers_props_unconditionally(string project)
    {
        var path = Path.Combine(RepositoryRoot.Path, project);
        var props = Path.GetFullPath(Path.Combine(RepositoryRoot.Path, "analyzers", "KernelNet.Analyzers.props"));
        var imports = XDocument.Load(path).Descendants()
            .Where(e => e.Name.LocalName == "Import" && e.Attribute("Condition") is null)
            .Select(e => (string?)e.Attribute("Project"))
            .Where(p => p is not null)
            .Select(p => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, p!)))
            .ToList();
        Assert.True(imports.Contains(props, StringComparer.Ordinal), $"{project} does not import {props}; its imports: {string.Join(", ", imports)}");
    }
}
