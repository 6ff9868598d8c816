using System.Linq;
using KernelNet.Machine;
using KernelNet.Scenarios.Output;
using KernelNet.Scenarios.Sim;
using KernelNet.Tests.Support;
using Xunit;

namespace KernelNet.Tests.Net.Ipv4;

/// <summary>
/// net/ipv4/tcp_diag.c's Recv-Q/Send-Q and the `ss -tan` listing built on it,
/// in the situation measured on the real 6.18 machine (a listener with one
/// connection waiting for accept, one accepted connection its peer closed).
/// </summary>
public sealed class tcp_diag_tests
{
    /// <summary>
    /// B listens on 10.0.0.2:9000 (backlog 8) and accepts once; A connects twice
    /// (the second waits on the accept queue) and closes the first at 100 ms.
    /// </summary>
    internal static TwoHosts ListenerWithQueueAndCloseWait()
    {
        var net = TwoHosts.OnVeth();
        net.T.Spawn(net.B, "server", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.Listen(fd, 8));
            Assert.True(await libc.Accept(fd) >= 0);
        });
        net.T.Spawn(net.A, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var c1 = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(c1, SockAddrIn.Parse("10.0.0.1:40000")));
            Assert.Equal(0, await libc.Connect(c1, SockAddrIn.Parse("10.0.0.2:9000")));
            await libc.Sleep(10_000_000);
            var c2 = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(c2, SockAddrIn.Parse("10.0.0.1:40002")));
            Assert.Equal(0, await libc.Connect(c2, SockAddrIn.Parse("10.0.0.2:9000")));
            await libc.Sleep(100_000_000);
            Assert.Equal(0, await libc.Close(c1));
        });
        net.T.Run(300_000_000);
        return net;
    }

    // As `ss -tan` on 6.18 showed it (docs/data/slabinfo-6.18.txt's session): LISTEN 1 8 (one connection waiting,
    // backlog 8); the accepted socket whose peer closed is CLOSE-WAIT 1 0 (the FIN occupies a sequence number nobody
    // reads); the one on the accept queue ESTAB 0 0.
    [Fact]
    public void ss_reports_a_listeners_accept_queue_and_a_close_waits_FIN_as_linux()
    {
        var net = ListenerWithQueueAndCloseWait();
        var rows = Ss.Rows(net.B.Net);

        Assert.Equal(new Ss.Row("LISTEN", 1, 8, "10.0.0.2:9000", "0.0.0.0:*"), rows[0]);
        Assert.Contains(new Ss.Row("CLOSE-WAIT", 1, 0, "10.0.0.2:9000", "10.0.0.1:40000"), rows);
        Assert.Contains(new Ss.Row("ESTAB", 0, 0, "10.0.0.2:9000", "10.0.0.1:40002"), rows);
        Assert.Equal(3, rows.Count);
    }

    // A's closed socket is an orphan in FIN_WAIT2, held by a timewait sock: ss shows its substate, with empty queues.
    [Fact]
    public void an_orphan_in_FIN_WAIT2_shows_as_FIN_WAIT_2_with_empty_queues()
    {
        var net = ListenerWithQueueAndCloseWait();
        var rows = Ss.Rows(net.A.Net);

        Assert.Contains(new Ss.Row("FIN-WAIT-2", 0, 0, "10.0.0.1:40000", "10.0.0.2:9000"), rows);
        Assert.Contains(new Ss.Row("ESTAB", 0, 0, "10.0.0.1:40002", "10.0.0.2:9000"), rows);
        Assert.Equal(2, rows.Count);
        Assert.StartsWith("State      Recv-Q Send-Q", Ss.Format(net.A.Net), System.StringComparison.Ordinal);
        Assert.Equal(3, Ss.Format(net.A.Net).Count(c => c == '\n'));
    }
}
