using System;
using System.Collections.Generic;
using System.Threading;
using KernelNet.Scenarios.Scenario;

namespace KernelNet.Scenarios.Oracle;

/// <summary>
/// The echo_load step on real Linux: the server's threads are started from the server host's namespace
/// thread and the clients' from the client host's (a new thread inherits the creating thread's network
/// namespace; it is given the creator's CPU affinity and comm here), so the trace scope takes them as the
/// host's. The calls are those of the simulation's <c>SimEchoLoad</c>; every wait is bounded by
/// <see cref="StepOutcome.BlockingLimitMs"/> (SO_RCVTIMEO/SO_SNDTIMEO, epoll_wait's timeout).
/// </summary>
internal sealed unsafe class EchoLoad(EchoLoadStep step)
{
    private const int EPOLLIN = 0x1;
    private const int EPOLL_CTL_ADD = 1;
    private const int F_SETFL = 4;
    private const int O_NONBLOCK = 0x800;
    private const int SOCK_NONBLOCK = 0x800;
    private const int PR_GET_NAME = 16;

    private readonly List<Thread> _serverThreads = [];
    private readonly List<int> _serverTids = [];
    private readonly object _lock = new();
    private int _served;
    private int _replied;
    private string? _failure;

    private void Fail(string call) => Interlocked.CompareExchange(ref _failure, $"{Libc.ErrnoName(Libc.Errno)} ({call})", null);

    /// <summary>The calling thread's comm, for the threads it starts.</summary>
    private static string Comm() => System.IO.File.ReadAllText("/proc/thread-self/comm").TrimEnd('\n');

    private Thread Start(string comm, Action body, bool server = false)
    {
        // the creator's CPUs: .NET gives a new thread the process's affinity, not its creator's (the
        // threads of a host pinned to CPU 0 ran on CPU 1 in the recordings before this), so each
        // thread takes them over first thing, and the whole step stays on the host threads' CPU
        ulong cpus = 0;
        var pinned = Libc.sched_getaffinity(0, sizeof(ulong), ref cpus) == 0;
        var t = new Thread(() =>
        {
            if (pinned)
            {
                _ = Libc.sched_setaffinity(0, sizeof(ulong), ref cpus);
            }

            _ = Libc.prctl(Libc.PR_SET_NAME, comm, 0, 0, 0);
            if (server)
            {
                lock (_lock)
                {
                    _serverTids.Add(Libc.gettid());
                }
            }

            body();
        })
        { IsBackground = true };
        t.Start();
        return t;
    }

    private static void Bound(int fd)
    {
        var tv = new Libc.Timeval { Sec = StepOutcome.BlockingLimitMs / 1000 };
        _ = Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, &tv, sizeof(Libc.Timeval));
        _ = Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_SNDTIMEO, &tv, sizeof(Libc.Timeval));
    }

    /// <summary>On the server host's thread: the listener, then the server's first thread; null, or the failure.</summary>
    public string? StartServer()
    {
        var epoll = step.Model == EchoModel.Epoll;
        var lfd = Libc.socket(Libc.AF_INET, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC | (epoll ? SOCK_NONBLOCK : 0), Libc.IPPROTO_TCP);
        if (lfd < 0)
        {
            Fail("socket");
            return _failure;
        }

        Bound(lfd);
        var sa = Libc.Sockaddr(step.Address, step.Port);
        if (Libc.bind(lfd, ref sa, 16) != 0 || Libc.listen(lfd, 64) != 0)
        {
            Fail("listen");
            _ = Libc.close(lfd);
            return _failure;
        }

        var comm = Comm();
        lock (_lock)
        {
            _serverThreads.Add(Start(comm, () =>
            {
                if (epoll)
                {
                    EpollLoop(lfd);
                }
                else
                {
                    Acceptor(lfd, comm);
                }

                _ = Libc.close(lfd);
            }, server: true));
        }

        return null;
    }

    private void EpollLoop(int lfd)
    {
        var epfd = Libc.epoll_create1(0x80000 /* EPOLL_CLOEXEC */);
        var ev = new Libc.EpollEvent { Events = EPOLLIN, Data = (ulong)lfd };
        _ = Libc.epoll_ctl(epfd, EPOLL_CTL_ADD, lfd, ref ev);
        var events = stackalloc Libc.EpollEvent[step.Clients + 1];
        var buf = new byte[step.Size];
        var conns = new List<int>();
        // until every client has closed: the server closes a connection only on its EOF, so the
        // clients always close first (who closes first would otherwise be a race on both kernels)
        var closed = 0;
        while (closed < step.Clients && Volatile.Read(ref _failure) is null)
        {
            var n = Libc.epoll_wait(epfd, events, step.Clients + 1, StepOutcome.BlockingLimitMs);
            if (n <= 0)
            {
                if (n < 0 && Libc.Errno == Libc.EINTR)
                {
                    continue;
                }

                Interlocked.CompareExchange(ref _failure, n == 0 ? "timeout (epoll_wait)" : $"{Libc.ErrnoName(Libc.Errno)} (epoll_wait)", null);
                break;
            }

            for (var i = 0; i < n; i++)
            {
                var fd = (int)events[i].Data;
                if (fd == lfd)
                {
                    int c;
                    while ((c = Libc.accept(lfd, 0, 0)) >= 0)
                    {
                        _ = Libc.fcntl(c, F_SETFL, O_NONBLOCK);
                        var cev = new Libc.EpollEvent { Events = EPOLLIN, Data = (ulong)c };
                        _ = Libc.epoll_ctl(epfd, EPOLL_CTL_ADD, c, ref cev);
                        conns.Add(c);
                    }

                    continue;
                }

                nint r;
                fixed (byte* p = buf)
                {
                    while ((r = Libc.read(fd, p, step.Size)) > 0)
                    {
                        _ = Libc.write(fd, p, r);
                        if (r == step.Size)
                        {
                            Interlocked.Increment(ref _served);
                        }
                    }
                }

                if (r == 0)
                {
                    _ = Libc.close(fd);
                    conns.Remove(fd);
                    closed++;
                }
            }
        }

        foreach (var c in conns)
        {
            _ = Libc.close(c);
        }

        _ = Libc.close(epfd);
    }

    private void Acceptor(int lfd, string comm)
    {
        for (var i = 0; i < step.Clients; i++)
        {
            var fd = Libc.accept(lfd, 0, 0);
            if (fd < 0)
            {
                Fail("accept");
                return;
            }

            var worker = Start(comm, () =>
            {
                var buf = new byte[step.Size];
                for (var r = 0; r < step.Rounds; r++)
                {
                    if (!ReadFull(fd, buf) || !WriteAll(fd, buf))
                    {
                        break;
                    }

                    Interlocked.Increment(ref _served);
                }

                // the client closes first: wait for its EOF
                var eof = new byte[1];
                fixed (byte* p = eof)
                {
                    _ = Libc.read(fd, p, 1);
                }

                _ = Libc.close(fd);
            }, server: true);
            lock (_lock)
            {
                _serverThreads.Add(worker);
            }
        }
    }

    /// <summary>On the client host's thread: one thread per connection, each connecting and making its rounds; waits for them.</summary>
    public void RunClients(DateTime deadline)
    {
        var comm = Comm();
        var clients = new List<Thread>();
        for (var c = 0; c < step.Clients && Volatile.Read(ref _failure) is null; c++)
        {
            clients.Add(Start(comm, Client));
        }

        foreach (var t in clients)
        {
            _ = t.Join(Left(deadline));
        }
    }

    private static TimeSpan Left(DateTime deadline) => deadline - DateTime.UtcNow is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero;

    private void Client()
    {
        var fd = Libc.socket(Libc.AF_INET, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, Libc.IPPROTO_TCP);
        Bound(fd);
        var sa = Libc.Sockaddr(step.Address, step.Port);
        if (Libc.connect(fd, ref sa, 16) != 0)
        {
            Fail("connect");
            _ = Libc.close(fd);
            return;
        }

        var buf = Payload.Pattern(step.Size).Bytes;
        for (var r = 0; r < step.Rounds; r++)
        {
            if (!WriteAll(fd, buf) || !ReadFull(fd, buf))
            {
                break;
            }

            Interlocked.Increment(ref _replied);
        }

        _ = Libc.close(fd);
    }

    private bool ReadFull(int fd, byte[] buf)
    {
        var got = 0;
        fixed (byte* p = buf)
        {
            while (got < step.Size)
            {
                var n = Libc.read(fd, p + got, step.Size - got);
                if (n <= 0)
                {
                    return false;
                }

                got += (int)n;
            }
        }

        return true;
    }

    private bool WriteAll(int fd, byte[] buf)
    {
        fixed (byte* p = buf)
        {
            return Libc.write(fd, p, step.Size) == step.Size;
        }
    }

    /// <summary>Waits for the server's threads (the acceptor's workers included) until the deadline.</summary>
    public void JoinServer(DateTime deadline)
    {
        for (var i = 0; ; i++)
        {
            Thread t;
            lock (_lock)
            {
                if (i >= _serverThreads.Count)
                {
                    return;
                }

                t = _serverThreads[i];
            }

            _ = t.Join(Left(deadline));
        }
    }

    /// <summary>The thread ids of the server's threads (its first thread, the acceptor's workers), ascending.</summary>
    public IReadOnlyList<int> ServerTasks()
    {
        lock (_lock)
        {
            var tids = new List<int>(_serverTids);
            tids.Sort();
            return tids;
        }
    }

    /// <summary>"N requests" (the echoes the clients read back), or the first failure.</summary>
    public string Outcome() => Volatile.Read(ref _failure) ?? $"{Volatile.Read(ref _replied)} requests";
}
