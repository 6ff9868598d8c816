using System.Collections.Generic;
using System.IO;
using System.Linq;
using KernelNet.Packetdrill;
using KernelNet.Packetdrill.Ast;
using KernelNet.Packetdrill.Resolution;
using Xunit;

namespace KernelNet.Tests.Packetdrill;

/// <summary>Every kernel selftest script in /work/shared parses, with and without the runner's defines, and so does every %{ }% block.</summary>
public sealed class KernelSelftestScriptsTests
{
    private const string ScriptsDirectory = "/work/shared/packetdrill/kernel-selftests";

    public static IEnumerable<object[]> Scripts()
    {
        // A theory needs at least one row; the placeholder row skips.
        if (!Directory.Exists(ScriptsDirectory))
        {
            return new[] { new object[] { "(absent)" } };
        }

        return Directory.GetFiles(ScriptsDirectory, "*.pkt").Order().Select(p => new object[] { Path.GetFileName(p) });
    }

    [SkippableTheory]
    [MemberData(nameof(Scripts))]
    public void selftest_script_parses_with_the_ipv4_defines(string name)
    {
        var path = RequireScript(name);

        var script = PacketdrillParser.ParseFile(path, ScriptDefines.KselftestIpv4);

        Assert.NotEmpty(script.Events);
        Assert.DoesNotContain(script.Events.OfType<TcpPacketEvent>().SelectMany(p => p.Options?.Items ?? System.Collections.Immutable.ImmutableArray<TcpOption>.Empty),
            o => o is TcpFastOpenOption { Cookie: "TFO_COOKIE" or "TFO_COOKIE_ZERO" });
    }

    [SkippableTheory]
    [MemberData(nameof(Scripts))]
    public void selftest_script_parses_without_defines_and_keeps_the_symbols(string name)
    {
        var path = RequireScript(name);

        var script = PacketdrillParser.ParseFile(path);

        Assert.NotEmpty(script.Events);
    }

    [SkippableTheory]
    [MemberData(nameof(Scripts))]
    public void every_code_block_of_a_selftest_script_parses(string name)
    {
        var path = RequireScript(name);
        var script = PacketdrillParser.ParseFile(path, ScriptDefines.KselftestIpv4);

        foreach (var code in script.Events.OfType<CodeEvent>())
        {
            var block = code.ParseCode();
            Assert.NotEmpty(block.Statements);
        }
    }

    [SkippableFact]
    public void all_86_selftest_scripts_are_present_and_parse()
    {
        Skip.IfNot(Directory.Exists(ScriptsDirectory), $"{ScriptsDirectory} is absent; the selftest scripts live in /work/shared");
        var paths = Directory.GetFiles(ScriptsDirectory, "*.pkt");

        var failures = paths.Order().Select(p => (Name: Path.GetFileName(p), Error: ParseError(p))).Where(f => f.Error != null).ToList();

        Assert.Equal(86, paths.Length);
        Assert.True(failures.Count == 0, $"{failures.Count} of {paths.Length} scripts do not parse: " + string.Join("; ", failures.Select(f => f.Name + ": " + f.Error)));
    }

    /// <summary>Why the script does not parse with the runner's defines into at least one event, or null when it does.</summary>
    private static string? ParseError(string path)
    {
        try
        {
            return PacketdrillParser.ParseFile(path, ScriptDefines.KselftestIpv4).Events.Length == 0 ? "no events" : null;
        }
        catch (System.Exception e)
        {
            return e.GetType().Name + ": " + e.Message;
        }
    }

    private static string RequireScript(string name)
    {
        Skip.IfNot(Directory.Exists(ScriptsDirectory), $"{ScriptsDirectory} is absent; the selftest scripts live in /work/shared");
        return Path.Combine(ScriptsDirectory, name);
    }
}
