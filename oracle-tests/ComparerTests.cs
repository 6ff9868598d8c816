using System.Collections.Generic;
using KernelNet.Scenarios.Oracle;
using KernelNet.Scenarios.Scenario;
using Xunit;

namespace KernelNet.OracleTests;

public class ComparerTests
{
    private static NormalizedRecording Recording(string journey, string orderTail) => new(
        ["a Udp:OutDatagrams 1"],
        new Dictionary<string, IReadOnlyList<string>> { ["l0"] = ["ARP request", "UDP 7000 > 9000"] },
        new Dictionary<string, IReadOnlyList<string>>(),
        ["skb1: net_dev_queue@a:eth0[a] > consume_skb[softirq]", journey],
        ["one", orderTail]);

    [Fact]
    public void Equal_recordings_match_at_every_level()
    {
        var r = Comparer.Compare(Recording("j", "x"), Recording("j", "x"), [ComparisonLevel.Counters, ComparisonLevel.Journeys]);
        Assert.True(r.Passed);
        Assert.All(r.Levels, l => Assert.True(l.Match));
    }

    [Fact]
    public void A_difference_at_an_informative_level_does_not_fail_the_comparison()
    {
        var r = Comparer.Compare(Recording("j", "x"), Recording("j", "y"), [ComparisonLevel.Journeys]);
        Assert.True(r.Passed);
        Assert.False(r.Levels[(int)ComparisonLevel.Order].Match);
    }

    [Fact]
    public void A_difference_at_a_required_level_fails_and_shows_the_first_differing_line_side_by_side()
    {
        var r = Comparer.Compare(
            Recording("skb2: kfree_skb(NO_SOCKET)[softirq]", "x"),
            Recording("skb2: kfree_skb(SOCKET_RCVBUFF)[softirq]", "x"),
            [ComparisonLevel.Journeys]);
        Assert.False(r.Passed);
        var diff = r.Levels[(int)ComparisonLevel.Journeys].Differences;
        Assert.Contains("first difference at line 2", diff);
        Assert.Contains("left:  skb2: kfree_skb(NO_SOCKET)[softirq]", diff);
        Assert.Contains("right: skb2: kfree_skb(SOCKET_RCVBUFF)[softirq]", diff);
        Assert.Contains("journeys  DIFFER (required)", r.Render("rec", "sim"));
    }

    [Fact]
    public void A_missing_tail_is_shown_as_none()
    {
        var diff = Comparer.FirstDifference(["a", "b"], ["a"]);
        Assert.Contains("right: (none)", diff);
    }
}
