using System.IO;
using KernelNet.Scenarios.Coverage;
using Xunit;

namespace KernelNet.Tests.Tools;

/// <summary>kernelnet coverage: coverlet's Cobertura XML read back per C file of the port.</summary>
public sealed class coverage_report_tests
{
    private const string Cobertura = """
        <?xml version="1.0" encoding="utf-8"?>
        <coverage line-rate="0.5" branch-rate="0.5" version="1.9" timestamp="0">
          <sources><source>/nowhere/repo/kernel/</source></sources>
          <packages><package name="KernelNet.Kernel"><classes>
            <class name="udp_c" filename="net/ipv4/udp.cs" line-rate="0.5" branch-rate="0.5">
              <lines>
                <line number="10" hits="3" branch="True" condition-coverage="50% (1/2)" />
                <line number="11" hits="0" branch="False" />
              </lines>
            </class>
            <class name="skbuff_h" filename="include/linux/skbuff.cs" line-rate="1" branch-rate="1">
              <lines><line number="5" hits="1" branch="False" /></lines>
            </class>
            <class name="Boot" filename="sim/Initcalls.cs" line-rate="1" branch-rate="1">
              <lines><line number="1" hits="1" branch="False" /></lines>
            </class>
          </classes></package></packages>
        </coverage>
        """;

    [Theory]
    [InlineData("/x/kernel/net/ipv4/udp.cs", "net/ipv4/udp.c")]
    [InlineData("/x/kernel/kernel/softirq.cs", "kernel/softirq.c")]
    [InlineData("/x/kernel/include/linux/skbuff.cs", "include/linux/skbuff.h")]
    [InlineData("/x/kernel/sim/Initcalls.cs", null)]
    [InlineData("/x/kernel/Vmlinux.cs", null)]
    [InlineData("/x/tools/kernelnet/Program.cs", null)]
    public void a_port_file_maps_to_the_C_file_it_ports(string path, string? expected)
    {
        Assert.Equal(expected, CoberturaReport.KernelPathOf(path));
    }

    [Fact]
    public void two_runs_merge_a_line_hit_by_either_and_the_branches_taken_by_the_better()
    {
        var dir = Directory.CreateTempSubdirectory("kn-cov-");
        try
        {
            var first = Path.Combine(dir.FullName, "a.xml");
            var second = Path.Combine(dir.FullName, "b.xml");
            File.WriteAllText(first, Cobertura);
            File.WriteAllText(second, Cobertura.Replace("number=\"11\" hits=\"0\"", "number=\"11\" hits=\"2\"").Replace("50% (1/2)", "100% (2/2)"));

            var one = CoberturaReport.Read(new[] { first });
            var both = CoberturaReport.Read(new[] { first, second });

            Assert.Equal(new[] { "include/linux/skbuff.h", "net/ipv4/udp.c" }, one.Files.Keys);
            Assert.Equal((2, 3), one.Lines);
            Assert.Equal((1, 2), one.Branches);
            Assert.Equal((3, 3), both.Lines);
            Assert.Equal((2, 2), both.Branches);
            Assert.Equal("oracle: lines 66.7% (2/3), branches 50.0% (1/2)", one.Totals("oracle"));
        }
        finally
        {
            dir.Delete(true);
        }
    }
}
