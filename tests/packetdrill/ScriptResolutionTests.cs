using System;
using System.IO;
using KernelNet.Packetdrill.Ast;
using KernelNet.Packetdrill.Resolution;
using Xunit;

namespace KernelNet.Tests.Packetdrill;

public sealed class ScriptResolutionTests
{
    [Fact]
    public void defines_are_read_in_all_three_spellings()
    {
        var defines = ScriptDefines.FromArguments(new[]
        {
            "--ip_version=ipv4", "-D", "TFO_COOKIE=3021b9d889017eeb", "-DCMSG_LEVEL_IP=SOL_IP",
            "--define=CMSG_TYPE_RECVERR=IP_RECVERR", "script.pkt",
        });

        Assert.Equal(3, defines.Count);
        Assert.Equal("3021b9d889017eeb", defines["TFO_COOKIE"]);
        Assert.Equal("SOL_IP", defines["CMSG_LEVEL_IP"]);
        Assert.Equal("IP_RECVERR", defines["CMSG_TYPE_RECVERR"]);
    }

    [Fact]
    public void later_define_wins_and_values_may_hold_equals()
    {
        var defines = ScriptDefines.FromArguments(new[] { "-DX=1", "-DX=a=b" });

        Assert.Equal("a=b", defines["X"]);
    }

    [Theory]
    [InlineData(new[] { "-D" }, "define: expected NAME=VALUE after '-D', got end of arguments")]
    [InlineData(new[] { "-DNOVALUE" }, "define: expected NAME=VALUE, got 'NOVALUE'")]
    [InlineData(new[] { "--define==1" }, "define: expected NAME=VALUE, got '=1'")]
    public void malformed_defines_give_one_line(string[] args, string message)
    {
        var ex = Assert.Throws<ArgumentException>(() => ScriptDefines.FromArguments(args));

        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void kselftest_defines_match_ksft_runner()
    {
        Assert.Equal("3021b9d889017eeb", ScriptDefines.KselftestIpv4["TFO_COOKIE"]);
        Assert.Equal("b7c12350a90dc8f5", ScriptDefines.KselftestIpv4["TFO_COOKIE_ZERO"]);
        Assert.Equal("SOL_IP", ScriptDefines.KselftestIpv4["CMSG_LEVEL_IP"]);
        Assert.Equal("IP_RECVERR", ScriptDefines.KselftestIpv4["CMSG_TYPE_RECVERR"]);
        Assert.Equal("c1d1e9742a47a9bc", ScriptDefines.KselftestIpv6["TFO_COOKIE"]);
        Assert.Equal("82af1a8f9a205c34", ScriptDefines.KselftestIpv6["TFO_COOKIE_ZERO"]);
        Assert.Equal("SOL_IPV6", ScriptDefines.KselftestIpv6["CMSG_LEVEL_IP"]);
        Assert.Equal("IPV6_RECVERR", ScriptDefines.KselftestIpv6["CMSG_TYPE_RECVERR"]);
    }

    [Fact]
    public void defaults_sh_is_found_next_to_the_script()
    {
        var dir = Directory.CreateTempSubdirectory("pd-resolve-");
        try
        {
            var script = Path.Combine(dir.FullName, "a.pkt");
            Assert.Null(ScriptFiles.FindDefaults(script));

            File.WriteAllText(Path.Combine(dir.FullName, "defaults.sh"), "#!/bin/bash\n");

            Assert.Equal(Path.Combine(dir.FullName, "defaults.sh"), ScriptFiles.FindDefaults(script));
            Assert.Equal(dir.FullName, ScriptFiles.WorkingDirectory(script));
            Assert.Equal(Path.Combine(dir.FullName, "set_sysctls.py"), ScriptFiles.Resolve(script, "./set_sysctls.py"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void local_helpers_are_the_relative_paths_a_command_runs()
    {
        var script = Pd.Parse("""
            `./defaults.sh
            ./set_sysctls.py /proc/sys/net/ipv4/tcp_timestamps=0`
            0 close(3) = 0
            `/tmp/sysctl_restore_${PPID}.sh`
            +0 `./defaults.sh`
            """);

        Assert.Equal(new[] { "./defaults.sh", "./set_sysctls.py" }, ScriptFiles.LocalHelpers(script));
        Assert.Empty(ScriptFiles.LocalHelpers(Assert.IsType<CommandEvent>(script.Events[2])));
    }
}
