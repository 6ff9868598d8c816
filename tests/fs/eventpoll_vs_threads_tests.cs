using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using KernelNet.Kernel.Fs;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Kernel.Sched;
using KernelNet.Kernel.Kernel.Trace;
using KernelNet.Machine;
using KernelNet.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace KernelNet.Tests.Fs;

/// <summary>
/// IO-2 as a comparison: the same 20 clients (host A) make the same 100 requests of an
/// epoll server (one task, non-blocking accept/read/write driven by epoll_wait) and of a
/// thread-per-connection server (one blocking task per connection) on host B, and the
/// simulation's own sched:sched_switch and sched:sched_waking events say what each cost.
/// </summary>
public sealed class eventpoll_vs_threads_tests(ITestOutputHelper output)
{
    private const int Clients = 20;
    private const int Rounds = 5;
    private const int Requests = Clients * Rounds;
    private const int Size = 64;
    private const long Ms = 1_000_000;

    /// <summary>The virtual time of the first request: every connection is made long before.</summary>
    private const long FirstRequest = 200 * Ms;

    /// <summary>Rounds are this far apart: each round's 20 requests arrive together.</summary>
    private const long RoundGap = 10 * Ms;

    private const uint EPOLLIN = 0x1;
    private const int EPOLL_CTL_ADD = 1;
    private const int F_SETFL = 4;
    private const int O_NONBLOCK = 0x800;

    private sealed record Run(
        IReadOnlyList<trace_entry> Entries,
        IReadOnlySet<int> ServerPids,
        int Served,
        int ServingTasks,
        IReadOnlyList<(bool Softirq, int Ready)> ReadyProbes,
        int SocketWaitersWithATask,
        int RepliesReceived);

    /// <summary>The clients: each connects, then sends one request per round (all at the same virtual instant) and waits for its reply.</summary>
    private static void SpawnClients(TwoHosts net, Action replied)
    {
        for (var c = 0; c < Clients; c++)
        {
            net.T.Spawn(net.A, "client" + c.ToString(CultureInfo.InvariantCulture), 0, async libc =>
            {
                await libc.Sleep(10 * Ms);
                var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
                Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse(TwoHosts.ServerAddress)));
                var buf = new byte[Size];
                for (var r = 0; r < Rounds; r++)
                {
                    await libc.Sleep(FirstRequest + r * RoundGap - net.T.Machine.Now);
                    Assert.Equal(Size, await libc.Write(fd, buf, Size));
                    Assert.Equal(Size, await libc.Read(fd, buf, Size));
                    replied();
                }
            });
        }
    }

    /// <summary>The trace both servers are measured with: the scheduler's switches and wakeups.</summary>
    private static void Trace(TwoHosts net)
    {
        Assert.Equal(0, net.T.K.trace.set_event("sched:sched_switch"));
        Assert.Equal(0, net.T.K.trace.set_event("sched:sched_waking"));
    }

    /// <summary>One task: epoll_create1, the listener and every accepted connection non-blocking in one epoll set.</summary>
    private static Run EpollServer()
    {
        var net = TwoHosts.OnVeth();
        var served = 0;
        var replies = 0;
        var servers = new HashSet<int>();
        var probes = new List<(bool, int)>();
        var socketWaiters = -1;
        SimTask? server = null;
        server = net.T.Spawn(net.B, "epoll-server", 1, async libc =>
        {
            var lfd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM | Libc.SOCK_NONBLOCK, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(lfd, SockAddrIn.Parse(TwoHosts.ServerAddress)));
            Assert.Equal(0, await libc.Listen(lfd, 64));
            var epfd = (int)await libc.EpollCreate1(0);
            Assert.Equal(0, await libc.EpollCtl(epfd, EPOLL_CTL_ADD, lfd, EPOLLIN, (ulong)lfd));
            var ep = (eventpoll)net.T.K.task_of(server!).files[epfd];

            // a probe queued on ep->wq ahead of the waiter (add_wait_queue puts a non-exclusive entry first):
            // it sees what ep_poll_callback left on the ready list, in the context it ran in
            var probe = new wait_queue_entry(null, (k, e, mode, sync, key) =>
            {
                probes.Add((preempt_h.in_serving_softirq(k), ep.rdllist.Count));
                return 0;
            });
            wait_c.add_wait_queue(ep.wq, probe);

            var events = new (uint Events, ulong Data)[Clients + 1];
            var buf = new byte[Size];
            var conns = new List<int>();
            while (served < Requests)
            {
                var n = (int)await libc.EpollWait(epfd, events, -1);
                Assert.True(n > 0);
                for (var i = 0; i < n; i++)
                {
                    var fd = (int)events[i].Data;
                    if (fd == lfd)
                    {
                        long c;
                        while ((c = await libc.Accept(lfd)) >= 0)
                        {
                            Assert.Equal(0, await libc.Fcntl((int)c, F_SETFL, O_NONBLOCK));
                            Assert.Equal(0, await libc.EpollCtl(epfd, EPOLL_CTL_ADD, (int)c, EPOLLIN, (ulong)c));
                            conns.Add((int)c);
                        }

                        Assert.Equal(-Libc.EAGAIN, c);
                        if (conns.Count == Clients)
                        {
                            // every connection is in: nothing but the epoll entry waits on any socket
                            var files = net.T.K.task_of(server!).files;
                            socketWaiters = conns.Sum(x => ((socket)files[x]).sk!.sk_wq.Count - 1);
                        }

                        continue;
                    }

                    long r;
                    while ((r = await libc.Read(fd, buf, Size)) == Size)
                    {
                        Assert.Equal(Size, await libc.Write(fd, buf, Size));
                        served++;
                    }

                    Assert.Equal(-Libc.EAGAIN, r);
                }
            }
        });
        servers.Add(server.Pid);
        SpawnClients(net, () => replies++);
        Trace(net);
        net.T.Run(2_000 * Ms);
        return new Run(net.T.K.trace.entries, servers, served, 1, probes, socketWaiters, replies);
    }

    /// <summary>An acceptor that starts a thread per connection (CLONE_FILES); each thread blocks in read and write on its one connection.</summary>
    private static Run ThreadedServer()
    {
        var net = TwoHosts.OnVeth();
        var served = 0;
        var replies = 0;
        var servers = new HashSet<int>();
        SimTask? acceptor = null;
        acceptor = net.T.Spawn(net.B, "acceptor", 1, async libc =>
        {
            var lfd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(lfd, SockAddrIn.Parse(TwoHosts.ServerAddress)));
            Assert.Equal(0, await libc.Listen(lfd, 64));
            for (var i = 0; i < Clients; i++)
            {
                var fd = (int)await libc.Accept(lfd);
                Assert.True(fd >= 0);
                var worker = net.T.Syscalls.SpawnThread(acceptor!, "worker" + i.ToString(CultureInfo.InvariantCulture), 1, async w =>
                {
                    var buf = new byte[Size];
                    for (var r = 0; r < Rounds; r++)
                    {
                        Assert.Equal(Size, await w.Read(fd, buf, Size));
                        Assert.Equal(Size, await w.Write(fd, buf, Size));
                        served++;
                    }
                });
                servers.Add(worker.Pid);
            }
        });
        servers.Add(acceptor.Pid);
        SpawnClients(net, () => replies++);
        Trace(net);
        net.T.Run(2_000 * Ms);
        return new Run(net.T.K.trace.entries, servers, served, Clients, [], -1, replies);
    }

    /// <summary>sched_switch events, from the first request on, in which one of the server's tasks left the CPU.</summary>
    private static int SwitchesOut(Run run) => run.Entries.Count(e =>
        e.Event == "sched_switch" && e.Timestamp >= FirstRequest && run.ServerPids.Contains(PrevPid(e.Text)));

    /// <summary>sched_waking events, from the first request on, that woke one of the server's tasks.</summary>
    private static List<trace_entry> Wakings(Run run) => run.Entries.Where(e =>
        e.Event == "sched_waking" && e.Timestamp >= FirstRequest && run.ServerPids.Contains(Field(e.Text, "pid"))).ToList();

    private static int PrevPid(string text) => Field(text, "prev_pid");

    private static int Field(string text, string name)
    {
        var at = text.IndexOf(" " + name + "=", StringComparison.Ordinal);
        at = at < 0 && text.StartsWith(name + "=", StringComparison.Ordinal) ? 0 : at + 1;
        var start = at + name.Length + 1;
        var end = text.IndexOf(' ', start);
        return int.Parse(text.AsSpan(start, (end < 0 ? text.Length : end) - start), CultureInfo.InvariantCulture);
    }

    // demonstrates IO-2: the same 100 requests from 20 connections cost the thread-per-connection server a
    // context switch per request (each thread sleeps in read and is woken for its own request), and the epoll
    // server fewer — one task, woken once per round by ep_poll_callback, serves every connection that became
    // ready. The figures are read off the simulation's sched:sched_switch events; the wakeups off
    // sched:sched_waking, whose context column shows the NET_RX softirq that delivered the request.
    [Fact]
    public void an_epoll_server_serves_twenty_connections_in_one_task_with_fewer_switches_per_request_than_a_thread_each()
    {
        var epoll = EpollServer();
        var threads = ThreadedServer();

        Assert.Equal(Requests, epoll.Served);
        Assert.Equal(Requests, threads.Served);
        Assert.Equal(Requests, epoll.RepliesReceived);
        Assert.Equal(Requests, threads.RepliesReceived);

        // one task against one per connection (plus the acceptor)
        Assert.Single(epoll.ServerPids);
        Assert.Equal(Clients + 1, threads.ServerPids.Count);

        var epollPerRequest = SwitchesOut(epoll) / (double)Requests;
        var threadsPerRequest = SwitchesOut(threads) / (double)Requests;

        output.WriteLine($"switches out of the server's tasks for {Requests} requests: epoll {SwitchesOut(epoll)} ({epollPerRequest:F2}/request), threads {SwitchesOut(threads)} ({threadsPerRequest:F2}/request)");

        // every threaded request is a sleep in read (the last round's leaves no thread waiting: it exits instead)
        Assert.InRange(threadsPerRequest, 1.0, 1.1);

        // the epoll server sleeps once per round, not once per connection
        Assert.True(epollPerRequest < threadsPerRequest / 2, $"epoll {epollPerRequest:F2} vs threads {threadsPerRequest:F2} switches per request");
        Assert.InRange(SwitchesOut(epoll), Rounds, Requests / 2);

        // the epoll server is woken only from the softirq that delivered a request (the trace's context column),
        // never per socket: no task but the epoll entry waits on any connection's wait queue
        var epollWakings = Wakings(epoll);
        Assert.NotEmpty(epollWakings);
        Assert.All(epollWakings, e => Assert.Equal('s', e.Flags[2]));
        Assert.Equal(SwitchesOut(epoll), epollWakings.Count);
        Assert.Equal(0, epoll.SocketWaitersWithATask);

        // ep_poll_callback ran in softirq and had put an epitem on the ready list before it woke ep->wq
        var fromSoftirq = epoll.ReadyProbes.Where(p => p.Softirq).ToList();
        Assert.NotEmpty(fromSoftirq);
        Assert.All(fromSoftirq, p => Assert.True(p.Ready >= 1));

        // the threaded server is woken once per request, each thread by its own socket
        Assert.Equal(SwitchesOut(threads), Wakings(threads).Count);
    }
}
