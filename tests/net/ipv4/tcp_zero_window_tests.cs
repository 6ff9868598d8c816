using System.Collections.Generic;
using KernelNet.Machine;
using KernelNet.Tests.Support;
using static KernelNet.Tests.Support.ProcNet;
using Xunit;

namespace KernelNet.Tests.Net.Ipv4;

/// <summary>
/// FIELD-4: a reader that stops reading stalls the connection. The
/// receiver's buffer fills, it advertises a zero window (tcp_select_window:
/// TCPToZeroWindowAdv), the sender stops sending data and only probes the
/// window from its probe timer (tcp_probe_timer, tcp_send_probe0:
/// TCPWinProbe), backing off; the data moves again only when the reader
/// reads and the receiver opens the window.
/// </summary>
public sealed class tcp_zero_window_tests
{
    private const long Second = 1_000_000_000;
    private const int Total = 1 << 20;

    // demonstrates FIELD-4
    [Fact]
    public void a_reader_that_stops_reading_stalls_the_sender_behind_a_zero_window_until_it_reads()
    {
        var net = TwoHosts.OnVeth();
        long sent = 0;
        long received = 0;
        long doneAt = 0;
        var samples = new List<long>();
        net.T.Spawn(net.B, "server", 1, async libc =>
        {
            var lfd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(lfd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.Listen(lfd, 1));
            var fd = (int)await libc.Accept(lfd);

            // the reader stops: nothing is read for 20 s
            await libc.Sleep(20 * Second);
            while (received < Total)
            {
                var r = await libc.RecvFrom(fd, 65536, 0);
                Assert.True(r.Ret > 0);
                received += r.Ret;
            }
        });
        net.T.Spawn(net.A, "client", 0, async libc =>
        {
            await libc.Sleep(Second / 100);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            var chunk = new byte[65536];
            while (sent < Total)
            {
                var n = await libc.SendTo(fd, chunk, 0, null);
                Assert.True(n > 0);
                sent += n;
            }

            doneAt = net.T.Machine.Now;
        });
        net.T.Spawn(net.A, "watch", 1, async libc =>
        {
            // how far the sender got at 5, 10 and 15 s: nowhere, once the window closed
            for (var i = 0; i < 3; i++)
            {
                await libc.Sleep(5 * Second);
                samples.Add(sent);
            }
        });
        net.T.Run(60 * Second);

        Assert.Equal(3, samples.Count);
        Assert.True(samples[0] < Total, "the sender is blocked before it sent everything");
        Assert.Equal(samples[0], samples[1]);
        Assert.Equal(samples[1], samples[2]);
        Assert.True(long.Parse(Netstat(net.B, "TcpExt", "TCPToZeroWindowAdv"), System.Globalization.CultureInfo.InvariantCulture) > 0);

        // probes at backed-off intervals over the 20 s stall: a handful, not a stream
        var probes = long.Parse(Netstat(net.A, "TcpExt", "TCPWinProbe"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(probes, 3, 12);

        // once the reader reads, everything arrives
        Assert.Equal(Total, received);
        Assert.Equal(Total, sent);
        Assert.True(doneAt > 20 * Second);
        Assert.Equal(0, net.T.K.leaked_skbs());
    }
}
