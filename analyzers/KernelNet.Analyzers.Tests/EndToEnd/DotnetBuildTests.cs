using System.Linq;
using Xunit;

namespace KernelNet.Analyzers.Tests.EndToEnd;

/// <summary>The analyzers, wired through KernelNet.Analyzers.props, fail a real <c>dotnet build</c>.</summary>
[Trait("Category", "EndToEnd")]
public sealed class DotnetBuildTests : IClassFixture<ViolatingProject>
{
    private readonly ViolatingProject _project;

    public DotnetBuildTests(ViolatingProject project)
    {
        _project = project;
    }

    [Fact]
    public void datetime_now_in_a_kernel_file_fails_the_build_with_KN0004()
    {
        Assert.NotEqual(0, _project.ExitCode);
        Assert.Contains(new BuildError("KN0004", "kernel/net/core/dev.cs", ViolatingProject.DateTimeNowLine), _project.Errors);
    }

    [Theory]
    [InlineData("KN0001", "kernel/net/core/packet_helpers.cs")]
    [InlineData("KN0002", "kernel/net/ipv4/ip_input.cs")]
    [InlineData("KN0003", "machine/Clock.cs")]
    [InlineData("KN0004", "kernel/net/core/dev.cs")]
    [InlineData("KN0005", "kernel/net/ipv4/udp.cs")]
    [InlineData("KN0006", "kernel/net/core/skbuff.cs")]
    [InlineData("KN0007", "machine/Wire.cs")]
    [InlineData("KN0008", "kernel/net/socket.cs")]
    [InlineData("KN0009", "kernel/net/core/dev.cs")]
    [InlineData("KN0010", "kernel/net/core/gro.cs")]
    [InlineData("KN0011", "kernel/net/core/dev.cs")]
    [InlineData("KN0012", "kernel/net/ipv4/ip_input.cs")]
    public void each_rule_fails_the_build_in_its_file(string id, string file)
    {
        Assert.True(
            _project.Errors.Any(e => e.Id == id && e.File == file),
            $"no {id} in {file}; build output:\n{_project.Output}");
    }

    [Fact]
    public void the_build_fails_only_for_the_planted_violations()
    {
        var unexpected = _project.Errors.Where(e => !e.Id.StartsWith("KN", System.StringComparison.Ordinal)).ToList();
        Assert.True(unexpected.Count == 0, "errors other than the rules': " + string.Join(", ", unexpected) + "\n" + _project.Output);
        Assert.Equal(12, _project.Errors.Select(e => e.Id).Distinct().Count());
    }
}
