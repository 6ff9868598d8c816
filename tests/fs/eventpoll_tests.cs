using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using KernelNet.Kernel.Fs;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Kernel.Sched;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using Xunit;

namespace KernelNet.Tests.Fs;

/// <summary>fs/eventpoll.c: epoll over TCP and UDP sockets on one simulated host (loopback).</summary>
public sealed class eventpoll_tests
{
    private const uint EPOLLIN = 0x1;
    private const uint EPOLLOUT = 0x4;
    private const uint EPOLLERR = 0x8;
    private const uint EPOLLHUP = 0x10;
    private const uint EPOLLET = 1U << 31;
    private const uint EPOLLONESHOT = 1U << 30;
    private const uint EPOLLEXCLUSIVE = 1U << 28;
    private const int EPOLL_CTL_ADD = 1;
    private const int EPOLL_CTL_DEL = 2;
    private const int EPOLL_CTL_MOD = 3;
    private const int ENOENT = 2;
    private const int EEXIST = 17;
    private const int EPERM = 1;

    /// <summary>Active objects of one slab cache, as /proc/slabinfo counts them.</summary>
    private static long Active(KernelNet.Kernel.Mm.kmem_cache? c) => KernelNet.Kernel.Mm.slub_c.get_slabinfo(c!).active_objs;

    // demonstrates IO-2: one task epoll-waits on 10,000 accepted TCP connections. Data arriving on one of them wakes
    // the socket's wait queue in the NET_RX softirq with the key EPOLLIN|EPOLLPRI|EPOLLRDNORM|EPOLLRDBAND; ep_poll_callback
    // puts exactly that connection's epitem on the ready list and wakes the one waiter (it left the CPU once), which
    // returns one event naming the connection. Each connection costs an epitem and an eppoll_entry (10,000 of each in
    // the eventpoll_epi and eventpoll_pwq slabs), not a task: two tasks run in all.
    [Fact]
    public void one_task_epoll_waits_on_ten_thousand_connections_and_one_arrival_wakes_it_with_one_event()
    {
        const int N = 10_000;
        const int Target = 7_777;
        var t = new Topology();
        var h = t.AddHost("H");
        var serverFds = new List<int>();
        var epfd = -1;
        long got = -1, slept = -1;
        var events = new (uint Events, ulong Data)[16];
        var probes = new List<(bool Softirq, uint Key, int Ready, int ReadyFd)>();
        SimTask? server = null;
        server = t.Spawn(h, "server", 0, async libc =>
        {
            var lfd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(lfd, SockAddrIn.Parse("127.0.0.1:9000")));
            Assert.Equal(0, await libc.Listen(lfd, 4096));
            epfd = (int)await libc.EpollCreate1(0);
            for (var i = 0; i < N; i++)
            {
                var fd = (int)await libc.Accept(lfd);
                Assert.True(fd >= 0, $"accept {i}: {fd}");
                Assert.Equal(0, await libc.EpollCtl(epfd, EPOLL_CTL_ADD, fd, EPOLLIN, (ulong)fd));
                serverFds.Add(fd);
            }

            var before = libc.Task.Nvcsw;
            got = await libc.EpollWait(epfd, events, -1);
            slept = libc.Task.Nvcsw - before;
        });
        t.K.task_of(server).rlimit_nofile = N + 100;
        var client = t.Spawn(h, "client", 1, async libc =>
        {
            var fds = new int[N];
            for (var i = 0; i < N; i++)
            {
                fds[i] = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
                Assert.Equal(0, await libc.Connect(fds[i], SockAddrIn.Parse("127.0.0.1:9000")));
            }

            // the server has accepted and added everything and sleeps in epoll_wait by now
            await libc.Sleep(50_000_000);
            Assert.Equal(N, serverFds.Count);
            var files = t.K.task_of(server!).files;
            var ep = (eventpoll)files[epfd];
            var target = (socket)files[serverFds[Target]];

            // probes, each queued ahead of what it watches: on the socket's wait queue (ahead of the epitem's
            // entry: the waker's context and key) and on ep->wq (ahead of the waiter: what ep_poll_callback left ready)
            var onSocket = new wait_queue_entry(null, (k, e, mode, sync, key) =>
            {
                probes.Add((preempt_h.in_serving_softirq(k), key, ep.rdllist.Count, -1));
                return 0;
            });
            var onEp = new wait_queue_entry(null, (k, e, mode, sync, key) =>
            {
                probes.Add((preempt_h.in_serving_softirq(k), key, ep.rdllist.Count, ep.rdllist.First?.Value.ffd_fd ?? -1));
                return 0;
            });
            wait_c.add_wait_queue(target.sk!.sk_wq, onSocket);
            wait_c.add_wait_queue(ep.wq, onEp);
            Assert.Equal(1, ep.wq.Count - 1); // one task sleeps on ep->wq: the server

            await libc.Write(fds[Target], Encoding.ASCII.GetBytes("x"), 1);
            await libc.Sleep(10_000_000);
        });
        t.K.task_of(client).rlimit_nofile = N + 100;

        t.Run(120_000_000_000);

        Assert.Equal(1, got);
        Assert.Equal((ulong)serverFds[Target], events[0].Data);
        Assert.Equal(EPOLLIN, events[0].Events);
        Assert.Equal(1, slept);

        // the socket's wakeup: in the softirq that delivered, keyed EPOLLIN|EPOLLPRI|EPOLLRDNORM|EPOLLRDBAND, nothing ready yet;
        // then ep_poll_callback's wake of ep->wq, still in that softirq, with exactly the target's epitem on the ready list
        // (and a third time when epoll_wait's ep_done_scan, in the server's own context, finds the level-triggered item
        // back on the ready list and wakes ep->wq, where only the probe still waits)
        Assert.Equal(3, probes.Count);
        Assert.Equal((true, 0x1u | 0x2u | 0x40u | 0x80u, 0, -1), probes[0]);
        Assert.Equal((true, 0u, 1, serverFds[Target]), probes[1]);
        Assert.Equal((false, 0u, 1, serverFds[Target]), probes[2]);

        // the per-connection cost: one epitem and one eppoll_entry each, and two tasks in all
        var g = t.K.globals<eventpoll_globals>();
        Assert.Equal(N, Active(g.epi_cache));
        Assert.Equal(N, Active(g.pwq_cache));
        Assert.Equal(128u, g.epi_cache!.size);
        Assert.Equal(2, t.Machine.Tasks.Count(x => x.Comm is "server" or "client"));
    }

    /// <summary>A TCP connection on loopback made by one task: (client fd, accepted fd).</summary>
    internal static async Task<(int Client, int Server)> Pair(Libc libc, int port)
    {
        var lfd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
        Assert.Equal(0, await libc.Bind(lfd, SockAddrIn.Parse($"127.0.0.1:{port}")));
        Assert.Equal(0, await libc.Listen(lfd, 8));
        var c = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
        Assert.Equal(0, await libc.Connect(c, SockAddrIn.Parse($"127.0.0.1:{port}")));
        var sfd = (int)await libc.Accept(lfd);
        Assert.True(sfd >= 0);
        return (c, sfd);
    }

    /// <summary>Runs <paramref name="program"/> as one task on a fresh host and checks nothing leaked.</summary>
    private static Topology RunOne(Func<Libc, Topology, Task> program)
    {
        var t = new Topology();
        var h = t.AddHost("H");
        t.Spawn(h, "app", 0, libc => program(libc, t));
        t.Run(10_000_000_000);
        return t;
    }

    // Level-triggered (the default): ep_send_events puts the item back on the ready list, so every epoll_wait
    // reports EPOLLIN again while the byte is unread; after the read, the re-poll finds nothing and drops it.
    [Fact]
    public void a_level_triggered_item_is_reported_on_every_wait_until_the_data_is_read()
    {
        var counts = new List<long>();
        RunOne(async (libc, t) =>
        {
            var (c, s) = await Pair(libc, 9100);
            var ep = (int)await libc.EpollCreate1(0);
            Assert.Equal(0, await libc.EpollCtl(ep, EPOLL_CTL_ADD, s, EPOLLIN, 42));
            var ev = new (uint Events, ulong Data)[4];
            counts.Add(await libc.EpollWait(ep, ev, 0));
            await libc.Write(c, new byte[] { 1 }, 1);
            counts.Add(await libc.EpollWait(ep, ev, 0));
            Assert.Equal((EPOLLIN, 42UL), ev[0]);
            counts.Add(await libc.EpollWait(ep, ev, 0));
            counts.Add(await libc.EpollWait(ep, ev, 0));
            Assert.Equal(1, await libc.Read(s, new byte[8], 8));
            counts.Add(await libc.EpollWait(ep, ev, 0));
        });

        Assert.Equal(new long[] { 0, 1, 1, 1, 0 }, counts);
    }

    // Edge-triggered: the item is reported once per ep_poll_callback; unread data does not report it again,
    // the next arrival (a new wakeup) does.
    [Fact]
    public void an_edge_triggered_item_is_reported_once_per_arrival()
    {
        var counts = new List<long>();
        RunOne(async (libc, t) =>
        {
            var (c, s) = await Pair(libc, 9101);
            var ep = (int)await libc.EpollCreate1(0);
            Assert.Equal(0, await libc.EpollCtl(ep, EPOLL_CTL_ADD, s, EPOLLIN | EPOLLET, 7));
            var ev = new (uint Events, ulong Data)[4];
            await libc.Write(c, new byte[] { 1 }, 1);
            counts.Add(await libc.EpollWait(ep, ev, 0));
            counts.Add(await libc.EpollWait(ep, ev, 0));
            await libc.Write(c, new byte[] { 2 }, 1);
            counts.Add(await libc.EpollWait(ep, ev, 0));
            Assert.Equal((EPOLLIN, 7UL), ev[0]);
            counts.Add(await libc.EpollWait(ep, ev, 0));
        });

        Assert.Equal(new long[] { 1, 0, 1, 0 }, counts);
    }

    // EPOLLONESHOT: after one report the item keeps only its private bits, so ep_poll_callback ignores further
    // arrivals; EPOLL_CTL_MOD re-arms it and, the data being there, puts it straight on the ready list.
    [Fact]
    public void a_oneshot_item_is_silent_after_one_report_until_EPOLL_CTL_MOD_rearms_it()
    {
        var counts = new List<long>();
        RunOne(async (libc, t) =>
        {
            var (c, s) = await Pair(libc, 9102);
            var ep = (int)await libc.EpollCreate1(0);
            Assert.Equal(0, await libc.EpollCtl(ep, EPOLL_CTL_ADD, s, EPOLLIN | EPOLLONESHOT, 1));
            var ev = new (uint Events, ulong Data)[4];
            await libc.Write(c, new byte[] { 1 }, 1);
            counts.Add(await libc.EpollWait(ep, ev, 0));
            await libc.Write(c, new byte[] { 2 }, 1);
            counts.Add(await libc.EpollWait(ep, ev, 0));
            Assert.Equal(0, await libc.EpollCtl(ep, EPOLL_CTL_MOD, s, EPOLLIN | EPOLLONESHOT, 2));
            counts.Add(await libc.EpollWait(ep, ev, 0));
            Assert.Equal((EPOLLIN, 2UL), ev[0]);
            counts.Add(await libc.EpollWait(ep, ev, 0));
        });

        Assert.Equal(new long[] { 1, 0, 1, 0 }, counts);
    }

    // A timed epoll_wait with nothing ready sleeps on ep->wq for the timeout (10 ms: 3 jiffies at HZ=250) and returns 0.
    [Fact]
    public void epoll_wait_with_a_timeout_sleeps_that_long_and_returns_0()
    {
        long ret = -1, waited = 0, slept = 0;
        RunOne(async (libc, t) =>
        {
            var (_, s) = await Pair(libc, 9103);
            var ep = (int)await libc.EpollCreate1(0);
            Assert.Equal(0, await libc.EpollCtl(ep, EPOLL_CTL_ADD, s, EPOLLIN, 0));
            var before = libc.Task.Nvcsw;
            var t0 = libc.Now;
            ret = await libc.EpollWait(ep, new (uint, ulong)[1], 10);
            waited = libc.Now - t0;
            slept = libc.Task.Nvcsw - before;
        });

        Assert.Equal(0, ret);
        Assert.Equal(1, slept);
        Assert.InRange(waited, 8_000_000, 16_000_000);
    }

    // epoll_ctl's errors as 6.18 returns them: EEXIST for a second ADD, ENOENT for DEL or MOD of what is not there,
    // EINVAL for a non-epoll epfd, for the epoll file itself and for EPOLLEXCLUSIVE on MOD, EBADF for a closed fd.
    [Fact]
    public void epoll_ctl_refuses_what_6_18_refuses()
    {
        var r = new Dictionary<string, long>();
        RunOne(async (libc, t) =>
        {
            var (c, s) = await Pair(libc, 9104);
            var ep = (int)await libc.EpollCreate1(0);
            r["add"] = await libc.EpollCtl(ep, EPOLL_CTL_ADD, s, EPOLLIN, 0);
            r["add again"] = await libc.EpollCtl(ep, EPOLL_CTL_ADD, s, EPOLLIN, 0);
            r["del other"] = await libc.EpollCtl(ep, EPOLL_CTL_DEL, c, 0, 0);
            r["mod other"] = await libc.EpollCtl(ep, EPOLL_CTL_MOD, c, EPOLLIN, 0);
            r["epfd not epoll"] = await libc.EpollCtl(s, EPOLL_CTL_ADD, c, EPOLLIN, 0);
            r["itself"] = await libc.EpollCtl(ep, EPOLL_CTL_ADD, ep, EPOLLIN, 0);
            r["exclusive mod"] = await libc.EpollCtl(ep, EPOLL_CTL_MOD, s, EPOLLIN | EPOLLEXCLUSIVE, 0);
            r["exclusive bad bits"] = await libc.EpollCtl(ep, EPOLL_CTL_ADD, c, EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT, 0);
            r["closed fd"] = await libc.EpollCtl(ep, EPOLL_CTL_ADD, 999, EPOLLIN, 0);
            r["null event"] = await libc.EpollCtl(ep, EPOLL_CTL_ADD, c, null);
            r["bad flags"] = await libc.EpollCreate1(1);
            r["size 0"] = await libc.EpollCreate(0);
            r["del"] = await libc.EpollCtl(ep, EPOLL_CTL_DEL, s, null);
            r["maxevents 0"] = await libc.EpollWait(ep, Array.Empty<(uint, ulong)>(), 0);
        });

        Assert.Equal(0, r["add"]);
        Assert.Equal(-EEXIST, r["add again"]);
        Assert.Equal(-ENOENT, r["del other"]);
        Assert.Equal(-ENOENT, r["mod other"]);
        Assert.Equal(-Libc.EINVAL, r["epfd not epoll"]);
        Assert.Equal(-Libc.EINVAL, r["itself"]);
        Assert.Equal(-Libc.EINVAL, r["exclusive mod"]);
        Assert.Equal(-Libc.EINVAL, r["exclusive bad bits"]);
        Assert.Equal(-Libc.EBADF, r["closed fd"]);
        Assert.Equal(-14, r["null event"]);
        Assert.Equal(-Libc.EINVAL, r["bad flags"]);
        Assert.Equal(-Libc.EINVAL, r["size 0"]);
        Assert.Equal(0, r["del"]);
        Assert.Equal(-Libc.EINVAL, r["maxevents 0"]);
    }

    // Closing a watched socket removes its epitem (eventpoll_release in __fput), even from the ready list it was
    // on: the slabs get the item and its wait queue entry back and epoll_wait has nothing to report; closing the
    // epoll file then frees what is left.
    [Fact]
    public void closing_a_watched_socket_takes_its_epitem_out_of_the_epoll_set()
    {
        long afterAdd = -1, ready = -1, afterClose = -1, pwqAfterClose = -1, reported = -1, afterEpClose = -1;
        RunOne(async (libc, t) =>
        {
            var g = t.K.globals<eventpoll_globals>();
            var (c, s) = await Pair(libc, 9105);
            var epfd = (int)await libc.EpollCreate1(0);
            Assert.Equal(0, await libc.EpollCtl(epfd, EPOLL_CTL_ADD, s, EPOLLIN, 0));
            afterAdd = Active(g.epi_cache);
            await libc.Write(c, new byte[] { 1 }, 1);
            ready = ((eventpoll)t.K.task_of(libc.Task).files[epfd]).rdllist.Count;
            Assert.Equal(0, await libc.Close(s));
            afterClose = Active(g.epi_cache);
            pwqAfterClose = Active(g.pwq_cache);
            reported = await libc.EpollWait(epfd, new (uint, ulong)[4], 0);
            Assert.Equal(0, await libc.Close(epfd));
            afterEpClose = Active(g.epi_cache);
        });

        Assert.Equal(1, afterAdd);
        Assert.Equal(1, ready);
        Assert.Equal(0, afterClose);
        Assert.Equal(0, pwqAfterClose);
        Assert.Equal(0, reported);
        Assert.Equal(0, afterEpClose);
    }

    // EPOLLEXCLUSIVE: two epoll instances watch one listener exclusively; one connection wakes only one of the two
    // sleeping tasks (ep_poll_callback counts as an exclusive wakeup for the EPOLLIN key), the other sleeps on.
    [Fact]
    public void EPOLLEXCLUSIVE_wakes_one_of_two_epoll_waiters_on_a_listener()
    {
        var woken = new List<string>();
        var t = new Topology();
        var h = t.AddHost("H");
        var lfd = -1;
        var ready = 0;
        t.Spawn(h, "owner", 0, async libc =>
        {
            lfd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(lfd, SockAddrIn.Parse("127.0.0.1:9106")));
            Assert.Equal(0, await libc.Listen(lfd, 8));
            await libc.Sleep(100_000_000);
        });
        var leader = t.Machine.Tasks.Single(x => x.Comm == "owner");
        foreach (var name in new[] { "w1", "w2" })
        {
            t.Syscalls.SpawnThread(leader, name, 1, async libc =>
            {
                await libc.Sleep(1_000_000);
                var ep = (int)await libc.EpollCreate1(0);
                Assert.Equal(0, await libc.EpollCtl(ep, EPOLL_CTL_ADD, lfd, EPOLLIN | EPOLLEXCLUSIVE, 0));
                ready++;
                if (await libc.EpollWait(ep, new (uint, ulong)[1], 50) == 1)
                {
                    woken.Add(name);
                }
            });
        }

        t.Spawn(h, "client", 0, async libc =>
        {
            await libc.Sleep(5_000_000);
            Assert.Equal(2, ready);
            var c = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Connect(c, SockAddrIn.Parse("127.0.0.1:9106")));
        });

        t.Run(1_000_000_000);

        Assert.Single(woken);
    }
}
