using System.IO;
using KernelNet.Cli.Commands;
using Xunit;

namespace KernelNet.Tests.Tools;

/// <summary>docs/port-status.md is what kernelnet status generates from the data and kernel/ as they are.</summary>
public sealed class port_status_tests
{
    private static readonly string Root = PortStatus.FindRoot(System.AppContext.BaseDirectory)!;

    [Fact]
    public void the_checked_in_map_is_up_to_date()
    {
        var generated = PortStatus.Read(Root).Markdown();
        var checkedIn = File.ReadAllText(Path.Combine(Root, "docs", "port-status.md"));
        Assert.True(generated == checkedIn, "docs/port-status.md is out of date: dotnet run --project tools/kernelnet -- status > docs/port-status.md");
    }

    [Fact]
    public void a_ported_function_lists_what_it_leaves_out_and_an_unported_one_says_so()
    {
        var status = PortStatus.Read(Root);
        Assert.Contains("net/ipv4/ip_input.c: ip_rcv: ported", status.Lookup("ip_rcv"));
        Assert.Contains("not ported", status.Lookup("ip_sublist_rcv"));
        Assert.Null(status.Lookup("no_such_function_anywhere"));

        // a callee named only in a not-ported line inside the body is an omission, not a call
        Assert.Contains("ipv4_sk_update_pmtu: ported with omissions", status.Lookup("ipv4_sk_update_pmtu"));
        Assert.Contains("xfrm_dst_path", status.Lookup("ipv4_sk_update_pmtu"));
        var (ported, withOmissions, notPorted) = status.Totals("net/ipv4/");
        Assert.True(ported + withOmissions > 0 && notPorted > 0);
    }
}
