using System;
using System.Collections.Generic;
using System.Collections.Immutable;

namespace KernelNet.Packetdrill.Resolution;

/// <summary>
/// The <c>-D NAME=VALUE</c> defines a run passes to packetdrill. The kernel's
/// ksft_runner.sh passes a fixed set per address family (README of the
/// selftests): the TFO cookies the fixed tcp_fastopen_key in defaults.sh
/// yields for the test addresses, and the cmsg level/type of IP_RECVERR.
/// </summary>
public static class ScriptDefines
{
    /// <summary>What ksft_runner.sh passes for the IPv4 run.</summary>
    public static ImmutableDictionary<string, string> KselftestIpv4 { get; } = ImmutableDictionary.CreateRange(new Dictionary<string, string>
    {
        ["TFO_COOKIE"] = "3021b9d889017eeb",
        ["TFO_COOKIE_ZERO"] = "b7c12350a90dc8f5",
        ["CMSG_LEVEL_IP"] = "SOL_IP",
        ["CMSG_TYPE_RECVERR"] = "IP_RECVERR",
    });

    /// <summary>What ksft_runner.sh passes for the IPv6 run.</summary>
    public static ImmutableDictionary<string, string> KselftestIpv6 { get; } = ImmutableDictionary.CreateRange(new Dictionary<string, string>
    {
        ["TFO_COOKIE"] = "c1d1e9742a47a9bc",
        ["TFO_COOKIE_ZERO"] = "82af1a8f9a205c34",
        ["CMSG_LEVEL_IP"] = "SOL_IPV6",
        ["CMSG_TYPE_RECVERR"] = "IPV6_RECVERR",
    });

    /// <summary>
    /// Collects defines from command-line words: <c>-D NAME=VALUE</c>,
    /// <c>-DNAME=VALUE</c> and <c>--define=NAME=VALUE</c>; other words are
    /// ignored. A later define of a name wins. Throws
    /// <see cref="ArgumentException"/> with a one-line message on a malformed define.
    /// </summary>
    public static ImmutableDictionary<string, string> FromArguments(IEnumerable<string> arguments)
    {
        var defines = ImmutableDictionary.CreateBuilder<string, string>();
        string? pendingFlag = null;
        foreach (var arg in arguments)
        {
            var spec = pendingFlag is not null ? arg : DefineSpec(arg, out pendingFlag);
            if (spec is null)
            {
                continue;
            }

            pendingFlag = null;
            var (name, value) = Split(spec);
            defines[name] = value;
        }

        if (pendingFlag is not null)
        {
            throw new ArgumentException($"define: expected NAME=VALUE after '{pendingFlag}', got end of arguments");
        }

        return defines.ToImmutable();
    }

    // The NAME=VALUE part of one word, or null; a bare "-D" leaves the flag pending for the next word.
    private static string? DefineSpec(string arg, out string? pendingFlag)
    {
        pendingFlag = null;
        if (arg == "-D")
        {
            pendingFlag = arg;
            return null;
        }

        if (arg.StartsWith("--define=", StringComparison.Ordinal))
        {
            return arg["--define=".Length..];
        }

        return arg.StartsWith("-D", StringComparison.Ordinal) ? arg[2..] : null;
    }

    private static (string Name, string Value) Split(string spec)
    {
        var eq = spec.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            throw new ArgumentException($"define: expected NAME=VALUE, got '{spec}'");
        }

        return (spec[..eq], spec[(eq + 1)..]);
    }
}
