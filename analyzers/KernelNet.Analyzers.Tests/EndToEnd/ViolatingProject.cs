using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using KernelNet.Analyzers.Tests.Support;

namespace KernelNet.Analyzers.Tests.EndToEnd;

/// <summary>
/// A small project laid out like the repository, with one file breaking each
/// rule, built once with <c>dotnet build</c> importing
/// analyzers/KernelNet.Analyzers.props exactly as kernel/ and machine/ will.
/// </summary>
public sealed class ViolatingProject : IDisposable
{
    /// <summary>The line of <c>var t = DateTime.Now;</c> in kernel/net/core/dev.cs.</summary>
    public const int DateTimeNowLine = 7;

    private static readonly Regex ErrorLine = new(@"(?<file>[^\s(]+)\((?<line>\d+),\d+\): error (?<id>[A-Z]+\d+):", RegexOptions.Compiled);

    public ViolatingProject()
    {
        Directory = Path.Combine(Path.GetTempPath(), "kernelnet-analyzers-e2e-" + Guid.NewGuid().ToString("N"));
        foreach (var (path, text) in Files())
        {
            var full = Path.Combine(Directory, path);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }

        (ExitCode, Output) = Build(Path.Combine(Directory, "Violations.csproj"));
        Errors = ErrorLine.Matches(Output)
            .Select(m => new BuildError(m.Groups["id"].Value, Relative(m.Groups["file"].Value), int.Parse(m.Groups["line"].Value)))
            .Distinct()
            .ToList();
    }

    public string Directory { get; }

    public int ExitCode { get; }

    public string Output { get; }

    public IReadOnlyList<BuildError> Errors { get; }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // a leftover temp folder is harmless
        }
    }

    private string Relative(string file) =>
        file.StartsWith(Directory, StringComparison.Ordinal) ? file.Substring(Directory.Length + 1).Replace('\\', '/') : file;

    private static (int ExitCode, string Output) Build(string project)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "build", project, "-nologo", "--disable-build-servers", "-clp:NoSummary" })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
        }

        return (process.ExitCode, stdout + stderr.Result);
    }

    private static IEnumerable<(string Path, string Text)> Files()
    {
        var repo = RepositoryRoot.Path;
        yield return ("Violations.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>disable</ImplicitUsings>
                <NoWarn>$(NoWarn);CS8981</NoWarn>
                <KernelNetTreeRoot>$(MSBuildProjectDirectory)/</KernelNetTreeRoot>
              </PropertyGroup>
              <Import Project="{repo}/analyzers/KernelNet.Analyzers.props" />
              <ItemGroup>
                <ProjectReference Include="{repo}/analyzers/KernelNet.Annotations/KernelNet.Annotations.csproj" />
              </ItemGroup>
            </Project>
            """);
        yield return ("stubs/KernelStubs.cs", KernelStubs.Source);

        // KN0004 at line DateTimeNowLine; KN0009: __napi_poll does not emit trace_napi_poll.
        yield return ("kernel/net/core/dev.cs", """
            using System;
            namespace KernelNet.Kernel.Net.Core;
            public static partial class dev_c
            {
                private static long Stamp()
                {
                    var t = DateTime.Now;
                    return t.Ticks;
                }

                // net/core/dev.c: __napi_poll
                private static int __napi_poll(int weight) => weight;
            }
            """);

        // KN0001: no such file in Linux 6.18.
        yield return ("kernel/net/core/packet_helpers.cs", """
            namespace KernelNet.Kernel.Net.Core;
            public static class packet_helpers_c
            {
            }
            """);

        // KN0002: ip_rcv without its provenance line.
        yield return ("kernel/net/ipv4/ip_input.cs", KernelStubs.Usings + """
            namespace KernelNet.Kernel.Net.Ipv4;
            public static class ip_input_c
            {
                public static int ip_rcv(sk_buff skb) => 0;
            }
            """);

        // KN0003: a static mutable field in the machine.
        yield return ("machine/Clock.cs", """
            namespace KernelNet.Machine;
            public sealed class Clock
            {
                private static long _now;

                public long Now => _now;
            }
            """);

        // KN0005: kfree_skb without a reason.
        yield return ("kernel/net/ipv4/udp.cs", KernelStubs.Usings + """
            namespace KernelNet.Kernel.Net.Ipv4;
            public static class udp_c
            {
                private static void Drop(sk_buff skb) => kfree_skb(skb);
            }
            """);

        // KN0006: skb read after consume_skb.
        yield return ("kernel/net/core/skbuff.cs", KernelStubs.Usings + """
            namespace KernelNet.Kernel.Net.Core;
            public static class skbuff_c
            {
                private static uint Done(sk_buff skb)
                {
                    consume_skb(skb);
                    return skb.len;
                }
            }
            """);

        // KN0007: the machine names a kernel type.
        yield return ("machine/Wire.cs", """
            namespace KernelNet.Machine;
            public sealed class Wire
            {
                public void Deliver(KernelNet.Kernel.Include.Linux.sk_buff skb) { }
            }
            """);

        // KN0010: a suppression of KN0009 on a function that emits no tracepoint in 6.18.
        // (KN0011: dev.cs's __napi_poll leaves out its 6.18 callees; KN0012: ip_rcv and
        // udp.cs's Drop take an skb without [Consumes]/[Borrows].)
        yield return ("kernel/net/core/gro.cs", KernelStubs.Usings + """
            namespace KernelNet.Kernel.Net.Core;
            public static class gro_c
            {
                // net/core/gro.c: gro_normal_one
                [System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "napi_gro_receive: the gro tracepoints are not ported")]
                private static void gro_normal_one() { }
            }
            """);

        // KN0008: a softirq handler that reaches a sleeper.
        yield return ("kernel/net/socket.cs", KernelStubs.Usings + """
            namespace KernelNet.Kernel.Net;
            public static class socket_c
            {
                [MightSleep]
                private static void WaitForData() { }

                [SoftirqContext]
                private static void Poll() => WaitForData();
            }
            """);
    }
}

public readonly record struct BuildError(string Id, string File, int Line);
