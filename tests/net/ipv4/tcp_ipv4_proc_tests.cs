using System.Linq;
using KernelNet.Kernel.Net.Ipv4;
using Xunit;

namespace KernelNet.Tests.Net.Ipv4;

/// <summary>
/// /proc/net/tcp (net/ipv4/tcp_ipv4.c's tcp4_seq_show) in 6.18's format, over
/// the situation of <see cref="tcp_diag_tests"/>; the expected lines follow what
/// the real machine printed for the same situation on loopback.
/// </summary>
public sealed class tcp_ipv4_proc_tests
{
    // The header and every line are padded to 149 characters (seq_setwidth(TMPSZ - 1), seq_pad).
    [Fact]
    public void proc_net_tcp_has_linuxs_header_and_fixed_width_lines()
    {
        var net = tcp_diag_tests.ListenerWithQueueAndCloseWait();
        var lines = tcp_ipv4_c.tcp4_seq_show(net.B.Net).Split('\n')[..^1];

        Assert.Equal("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode", lines[0].TrimEnd());
        Assert.All(lines, l => Assert.Equal(149, l.Length));
        Assert.Equal(4, lines.Length);
    }

    // The listener comes first: 10.0.0.2:9000 as 0200000A:2328 (a __be32 read as a little-endian word), LISTEN (0A),
    // rx_queue its accept backlog (1), no timer, its inode, rto 1 s = 100 USER_HZ ticks, cwnd 10, fast open queue 0.
    // The CLOSE_WAIT child: rx_queue 1 (the FIN), rto 200 ms or more, ssthresh -1 (initial slow start).
    [Fact]
    public void proc_net_tcp_lines_carry_the_sockets_queues_and_timers()
    {
        var net = tcp_diag_tests.ListenerWithQueueAndCloseWait();
        var lines = tcp_ipv4_c.tcp4_seq_show(net.B.Net).Split('\n');

        Assert.Matches(@"^   0: 0200000A:2328 00000000:0000 0A 00000000:00000001 00:00000000 00000000     0        0 [1-9][0-9]* 2 0000000000000000 100 0 0 10 0 *$", lines[1]);
        var closeWait = lines.Single(l => l.Contains(" 0100000A:9C40 08 ", System.StringComparison.Ordinal));
        Assert.Matches(@"^   [12]: 0200000A:2328 0100000A:9C40 08 00000000:00000001 00:00000000 00000000     0        0 [1-9][0-9]* 1 0000000000000000 [0-9]+ [0-9]+ [01] 10 -1 *$", closeWait);
    }

    // A's orphan in FIN_WAIT2 is a timewait sock: substate 05, timer 3 with the time left in USER_HZ ticks, no inode, refcount 3.
    [Fact]
    public void proc_net_tcp_shows_a_timewait_sock_with_its_timer()
    {
        var net = tcp_diag_tests.ListenerWithQueueAndCloseWait();
        var lines = tcp_ipv4_c.tcp4_seq_show(net.A.Net).Split('\n');

        var tw = lines.Single(l => l.Contains("0100000A:9C40 0200000A:2328 05", System.StringComparison.Ordinal));
        Assert.Matches(@"^   [01]: 0100000A:9C40 0200000A:2328 05 00000000:00000000 03:0000[0-9A-F]{4} 00000000     0        0 0 3 0000000000000000 *$", tw);
        var left = System.Convert.ToInt32(tw.Substring(tw.IndexOf("03:", System.StringComparison.Ordinal) + 3, 8), 16);
        Assert.InRange(left, 5800, 6000); // 60 s of FIN_WAIT2 timeout from about 0.1 s, read at 0.3 s: about 59.8 s
    }
}
