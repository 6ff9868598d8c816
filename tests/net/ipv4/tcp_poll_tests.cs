using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using Xunit;

namespace KernelNet.Tests.Net.Ipv4;

/// <summary>net/ipv4/tcp.c's tcp_poll (and udp_poll, datagram_poll) seen through poll(2) and epoll.</summary>
public sealed class tcp_poll_tests
{
    private const short POLLIN = 0x1;
    private const short POLLOUT = 0x4;
    private const short POLLHUP = 0x10;
    private const short POLLNVAL = 0x20;
    private const short POLLRDNORM = 0x40;
    private const short POLLWRNORM = 0x100;
    private const short POLLWRBAND = 0x200;
    private const short POLLRDHUP = 0x2000;
    private const uint EPOLLIN = 0x1;
    private const uint EPOLLOUT = 0x4;
    private const uint EPOLLRDHUP = 0x2000;
    private const uint EPOLLET = 1U << 31;
    private const int EPOLL_CTL_ADD = 1;
    private const int O_NONBLOCK = 0x800;
    private const int F_SETFL = 4;

    private static Topology RunOne(Func<Libc, Task> program)
    {
        var t = new Topology();
        var h = t.AddHost("H");
        t.Spawn(h, "app", 0, program);
        t.Run(20_000_000_000);
        Assert.Equal(0, t.K.leaked_skbs());
        return t;
    }

    private static async Task<short> PollOnce(Libc libc, int fd, short events)
    {
        var p = new[] { new PollFd(fd, events) };
        await libc.Poll(p, 0);
        return p[0].Revents;
    }

    // A TCP socket that was never connected is TCP_CLOSE: tcp_poll gives EPOLLHUP (so poll does not block on it) and,
    // the send buffer being empty, EPOLLOUT|EPOLLWRNORM — poll(2) on a fresh socket is POLLOUT|POLLHUP on Linux.
    [Fact]
    public void a_fresh_tcp_socket_polls_as_writable_and_hung_up()
    {
        short revents = 0;
        RunOne(async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            revents = await PollOnce(libc, fd, POLLIN | POLLOUT);
        });

        Assert.Equal(POLLOUT | POLLHUP, revents);
    }

    // A listener is readable exactly while a connection waits in its accept queue (inet_csk_listen_poll); poll(2)
    // reports the POLLIN asked for (EPOLLRDNORM is masked off by do_pollfd's filter).
    [Fact]
    public void a_listener_is_readable_while_a_connection_waits_to_be_accepted()
    {
        var seen = new List<short>();
        RunOne(async libc =>
        {
            var lfd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(lfd, SockAddrIn.Parse("127.0.0.1:9200")));
            Assert.Equal(0, await libc.Listen(lfd, 8));
            seen.Add(await PollOnce(libc, lfd, POLLIN | POLLOUT));
            var c = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Connect(c, SockAddrIn.Parse("127.0.0.1:9200")));
            seen.Add(await PollOnce(libc, lfd, POLLIN | POLLOUT));
            Assert.True(await libc.Accept(lfd) >= 0);
            seen.Add(await PollOnce(libc, lfd, POLLIN | POLLOUT));
        });

        Assert.Equal(new short[] { 0, POLLIN, 0 }, seen);
    }

    // The peer's FIN (RCV_SHUTDOWN) makes tcp_poll report EPOLLIN|EPOLLRDNORM|EPOLLRDHUP; the FIN's wakeup reaches the
    // epoll item, so a sleeping epoll_wait returns EPOLLIN|EPOLLRDHUP (and poll adds the still-open send side's POLLOUT).
    [Fact]
    public void the_peers_FIN_wakes_epoll_with_EPOLLRDHUP()
    {
        long n = -1, slept = -1;
        var ev = new (uint Events, ulong Data)[2];
        short revents = 0;
        var t = new Topology();
        var h = t.AddHost("H");
        var c = -1;
        var server = t.Spawn(h, "server", 0, async libc =>
        {
            int s;
            (c, s) = await Fs.eventpoll_tests.Pair(libc, 9201);
            var ep = (int)await libc.EpollCreate1(0);
            Assert.Equal(0, await libc.EpollCtl(ep, EPOLL_CTL_ADD, s, EPOLLIN | EPOLLRDHUP, 5));
            var before = libc.Task.Nvcsw;
            n = await libc.EpollWait(ep, ev, 1000);
            slept = libc.Task.Nvcsw - before;
            revents = await PollOnce(libc, s, POLLIN | POLLRDHUP | POLLOUT);
        });
        t.Syscalls.SpawnThread(server, "peer", 1, async libc =>
        {
            await libc.Sleep(5_000_000);
            Assert.Equal(0, await libc.Shutdown(c, Libc.SHUT_WR));
        });

        t.Run(2_000_000_000);

        Assert.Equal(1, n);
        Assert.Equal(1, slept);
        Assert.Equal((EPOLLIN | EPOLLRDHUP, 5UL), ev[0]);
        Assert.Equal(POLLIN | POLLRDHUP | POLLOUT, revents);
    }

    // A sender that filled its send buffer (the peer does not read, its window closed) is not writable: tcp_poll
    // sets SOCK_NOSPACE. Once the peer reads, the window opens, the queued data is sent and ACKed, and the ACK's
    // tcp_check_space -> sk_stream_write_space wakes the epoll item with EPOLLOUT: the sleeping writer returns.
    [Fact]
    public void EPOLLOUT_comes_back_when_the_send_buffer_drains()
    {
        long n = -1, slept = -1, queued = 0;
        short full = -1;
        var ev = new (uint Events, ulong Data)[2];
        var t = new Topology();
        var h = t.AddHost("H");
        var s = -1;
        var writer = t.Spawn(h, "writer", 0, async libc =>
        {
            int c;
            (c, s) = await Fs.eventpoll_tests.Pair(libc, 9202);
            Assert.Equal(0, await libc.Fcntl(c, F_SETFL, O_NONBLOCK));
            var chunk = new byte[16384];
            while (true)
            {
                var r = await libc.Write(c, chunk, chunk.Length);
                if (r < 0)
                {
                    Assert.Equal(-Libc.EAGAIN, r);
                    break;
                }

                queued += r;
            }

            full = await PollOnce(libc, c, POLLOUT);
            var ep = (int)await libc.EpollCreate1(0);
            Assert.Equal(0, await libc.EpollCtl(ep, EPOLL_CTL_ADD, c, EPOLLOUT | EPOLLET, 9));
            var before = libc.Task.Nvcsw;
            n = await libc.EpollWait(ep, ev, 5000);
            slept = libc.Task.Nvcsw - before;
        });
        t.Syscalls.SpawnThread(writer, "reader", 1, async libc =>
        {
            await libc.Sleep(20_000_000);
            var buf = new byte[65536];
            for (var i = 0; i < 200; i++)
            {
                if (await libc.RecvFrom(s, buf, buf.Length, Libc.MSG_DONTWAIT) <= 0)
                {
                    await libc.Sleep(1_000_000);
                }
            }
        });

        t.Run(10_000_000_000);

        Assert.True(queued > 0);
        Assert.Equal(0, full);
        Assert.Equal(1, n);
        Assert.Equal(1, slept);
        Assert.Equal((EPOLLOUT, 9UL), ev[0]);
    }

    // UDP: an idle socket is writable (sock_writeable: POLLOUT|POLLWRNORM|POLLWRBAND), a queued datagram makes it
    // readable (udp_poll) — poll(2) reports only the bits asked for, plus ERR and HUP — and poll sleeps until the datagram's sock_def_readable wakes it through pollwake.
    [Fact]
    public void udp_poll_reports_writable_then_readable_and_poll_sleeps_until_a_datagram()
    {
        short idle = -1, after = -1, wide = -1;
        long ret = -1, slept = -1, waited = 0;
        var t = new Topology();
        var h = t.AddHost("H");
        var rx = t.Spawn(h, "rx", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("127.0.0.1:9203")));
            idle = await PollOnce(libc, fd, POLLIN | POLLOUT);
            wide = await PollOnce(libc, fd, POLLOUT | POLLWRNORM | POLLWRBAND | POLLRDNORM);
            var p = new[] { new PollFd(fd, POLLIN) };
            var before = libc.Task.Nvcsw;
            var t0 = libc.Now;
            ret = await libc.Poll(p, 1000);
            waited = libc.Now - t0;
            slept = libc.Task.Nvcsw - before;
            after = p[0].Revents;
        });
        t.Spawn(h, "tx", 1, async libc =>
        {
            await libc.Sleep(3_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.SendTo(fd, new byte[] { 1, 2, 3 }, 0, SockAddrIn.Parse("127.0.0.1:9203"));
        });

        t.Run(2_000_000_000);

        Assert.Equal(POLLOUT, idle);
        Assert.Equal(POLLOUT | POLLWRNORM | POLLWRBAND, wide);
        Assert.Equal(1, ret);
        Assert.Equal(POLLIN, after);
        Assert.Equal(1, slept);
        Assert.InRange(waited, 2_000_000, 10_000_000);
        Assert.Equal(TaskState.Dead, rx.State);
    }

    // poll(2) on a descriptor that is not open reports POLLNVAL for it (and counts it), without sleeping.
    [Fact]
    public void poll_reports_POLLNVAL_for_a_closed_descriptor()
    {
        long ret = -1;
        short revents = 0;
        RunOne(async libc =>
        {
            var p = new[] { new PollFd(42, POLLIN) };
            ret = await libc.Poll(p, -1);
            revents = p[0].Revents;
        });

        Assert.Equal(1, ret);
        Assert.Equal(POLLNVAL, revents);
    }
}
