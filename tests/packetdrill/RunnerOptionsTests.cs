using System;
using System.IO;
using System.Linq;
using KernelNet.Packetdrill.Run;
using Xunit;

namespace KernelNet.Tests.Packetdrill;

/// <summary>
/// packetdrill's options given to the runner as on packetdrill's command line
/// (the same names and meaning as a script's header lines), helper scripts
/// found by relative path, and what the runner reports when the limit is its own.
/// </summary>
public sealed class RunnerOptionsTests
{
    private const string Listener = """
    `sysctl -q net.ipv4.tcp_rmem="4096 540000 15728640"`
        0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
       +0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0
       +0 bind(3, ..., ...) = 0
       +0 listen(3, 1) = 0

    """;

    // The SYN-ACK leaves at once; the script expects it 10 ms later, beyond the default 4 ms tolerance.
    private const string LateSynAck = """
       +0 < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>
     +.01 > S. 0:0(0) ack 1 <mss 1460,nop,wscale 8>
    """;

    // Two GSO packets of 2000 bytes (RunnerScriptTests): one script line of 4000 matches them aggregated.
    private const string Write4000 = """
       +0 < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>
       +0 > S. 0:0(0) ack 1 <mss 1460,nop,wscale 8>
      +.1 < . 1:1(0) ack 1 win 257
       +0 accept(3, ..., ...) = 4
       +0 write(4, ..., 4000) = 4000
       +0 > P. 1:4001(4000) ack 1
    """;

    private static ScriptResult Run(string text, params (string Name, string Value)[] options) =>
        PacketdrillRunner.Run(Pd.Parse(text), Path.GetTempPath(), options);

    [Fact]
    public void tolerance_usecs_on_the_command_line_is_the_header_option()
    {
        var strict = Run(Listener + LateSynAck);
        var flag = Run(Listener + LateSynAck, ("tolerance_usecs", "14000"));
        var header = Run("--tolerance_usecs=14000\n" + Listener + LateSynAck);

        Assert.False(strict.Passed);
        Assert.Contains("timing error", strict.Detail, StringComparison.Ordinal);
        Assert.True(flag.Passed, flag.ToString());
        Assert.True(header.Passed, header.ToString());
    }

    // packetdrill applies its command line first and the script's header after it: the script has the last word.
    [Fact]
    public void a_header_option_overrides_the_command_line()
    {
        var r = Run("--tolerance_usecs=4000\n" + Listener + LateSynAck, ("tolerance_usecs", "14000"));

        Assert.False(r.Passed);
        Assert.Contains("timing error", r.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void strict_segments_turns_off_the_aggregation_of_GSO_packets()
    {
        var aggregated = Run(Listener + Write4000);
        var strict = Run(Listener + Write4000, ("strict_segments", string.Empty));

        Assert.True(aggregated.Passed, aggregated.ToString());
        Assert.False(strict.Passed);
        Assert.Contains("1:2001(2000)", strict.Detail, StringComparison.Ordinal);
    }

    // The handshake's ACK echoes 205, a TS val the kernel never sent (its SYN-ACK's is 200 in script space).
    private const string EcrNotSent = """
       +0 < S 0:0(0) win 32792 <mss 1000,sackOK,TS val 100 ecr 0,nop,wscale 7>
       +0 > S. 0:0(0) ack 1 <mss 1460,sackOK,TS val 200 ecr 100,nop,wscale 8>
      +.1 < . 1:1(0) ack 1 win 257 <nop,nop,TS val 110 ecr 205>
       +0 accept(3, ..., ...) = 4
    """;

    [Fact]
    public void tcp_ts_ecr_scaled_shifts_an_inbound_ecr_no_outbound_val_carried()
    {
        var exact = Run(Listener + EcrNotSent);
        var scaled = Run(Listener + EcrNotSent, ("tcp_ts_ecr_scaled", string.Empty));
        var header = Run("--tcp_ts_ecr_scaled\n" + Listener + EcrNotSent);

        Assert.False(exact.Passed);
        Assert.Contains("unable to infer live TS ecr for script TS ecr 205", exact.Detail, StringComparison.Ordinal);
        Assert.True(scaled.Passed, scaled.ToString());
        Assert.True(header.Passed, header.ToString());
    }

    [Fact]
    public void an_option_the_runner_does_not_model_is_an_error_before_the_script_runs()
    {
        var r = Run(Listener, ("no_such_option", "1"));

        Assert.False(r.Passed);
        Assert.Equal("--no_such_option: option not modelled by the runner", r.Detail);
    }

    // The helper is found from the script's directory by any relative path, as the shell finds it from the
    // directory packetdrill runs in; here it turns TCP timestamps off, so the SYN-ACK has no TS option.
    [Fact]
    public void a_helper_script_is_found_by_a_relative_path()
    {
        var root = Directory.CreateTempSubdirectory("pd-rel-");
        try
        {
            Directory.CreateDirectory(Path.Combine(root.FullName, "common"));
            Directory.CreateDirectory(Path.Combine(root.FullName, "tests"));
            File.WriteAllText(Path.Combine(root.FullName, "common", "defaults.sh"), "sysctl -q net.ipv4.tcp_timestamps=0\n");
            var script = """
            `../common/defaults.sh`
            `sysctl -q net.ipv4.tcp_rmem="4096 540000 15728640"`
                0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
               +0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0
               +0 bind(3, ..., ...) = 0
               +0 listen(3, 1) = 0
               +0 < S 0:0(0) win 32792 <mss 1000,sackOK,TS val 100 ecr 0,nop,wscale 7>
               +0 > S. 0:0(0) ack 1 <mss 1460,nop,nop,sackOK,nop,wscale 8>
            """;
            var path = Path.Combine(root.FullName, "tests", "rel.pkt");
            File.WriteAllText(path, script);

            var r = PacketdrillRunner.RunFile(path);

            Assert.True(r.Passed, r.ToString());
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    // A 4 GiB write is a buffer the runner cannot hold: that is the runner's limit, reported as a runner error,
    // never as something the simulated kernel did.
    [Fact]
    public void a_buffer_beyond_the_runners_limit_is_a_runner_error_not_a_kernel_fault()
    {
        var r = Run("""
            0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
           +0 write(3, ..., 4294967296) = 4294967296
        """);

        Assert.False(r.Passed);
        Assert.StartsWith("runner error: ", r.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("simulated kernel fault", r.Detail, StringComparison.Ordinal);
        Assert.Equal(2, r.Line);
    }
}
