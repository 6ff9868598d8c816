using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using KernelNet.Machine;
using KernelNet.Scenarios.Scenario;

namespace KernelNet.Scenarios.Sim;

/// <summary>
/// The echo_load step's programs in the simulation, making the calls the recorder's
/// (<see cref="Oracle.EchoLoad"/>) make on real Linux: an epoll server (one task) or an acceptor with a
/// thread per connection, and one client thread per connection.
/// </summary>
internal sealed class SimEchoLoad(EchoLoadStep step)
{
    private const uint EPOLLIN = 0x1;
    private const int EPOLL_CTL_ADD = 1;
    private const int F_SETFL = 4;
    private const int O_NONBLOCK = 0x800;

    /// <summary>Requests the server answered.</summary>
    public int Served { get; private set; }

    /// <summary>Requests whose echo a client read back.</summary>
    public int Replied { get; private set; }

    /// <summary>Set once the server listens (the clients are started after it).</summary>
    public bool Listening { get; private set; }

    /// <summary>The first failure, as an outcome ("EMFILE (accept)").</summary>
    public string? Failure { get; private set; }

    private SockAddrIn Address => new(Topology.HostOrder(step.Address), (ushort)step.Port);

    private void Fail(string call, long rc) => Failure ??= $"{Oracle.StepOutcome.ErrnoName((int)-rc)} ({call})";

    /// <summary>The server's listener, then the model's loop; <paramref name="spawn"/> starts a thread of the server's process.</summary>
    public async Task Server(Libc libc, Func<Func<Libc, Task>, SimTask> spawn)
    {
        var epoll = step.Model == EchoModel.Epoll;
        var lfd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM | (epoll ? Libc.SOCK_NONBLOCK : 0), Libc.IPPROTO_TCP);
        long rc = lfd;
        if (lfd < 0 || (rc = await libc.Bind(lfd, Address)) != 0 || (rc = await libc.Listen(lfd, 64)) != 0)
        {
            Fail("listen", rc);
            Listening = true;
            return;
        }

        Listening = true;
        if (epoll)
        {
            await EpollLoop(libc, lfd);
        }
        else
        {
            await Acceptor(libc, lfd, spawn);
        }

        _ = await libc.Close(lfd);
    }

    private async Task EpollLoop(Libc libc, int lfd)
    {
        var epfd = (int)await libc.EpollCreate1(0);
        _ = await libc.EpollCtl(epfd, EPOLL_CTL_ADD, lfd, EPOLLIN, (ulong)lfd);
        var events = new (uint Events, ulong Data)[step.Clients + 1];
        var buf = new byte[step.Size];
        var conns = new List<int>();
        // until every client has closed: a connection is closed on its EOF, so the clients close first
        var closed = 0;
        while (closed < step.Clients && Failure is null)
        {
            var n = (int)await libc.EpollWait(epfd, events, Oracle.StepOutcome.BlockingLimitMs);
            if (n <= 0)
            {
                Failure ??= n == 0 ? "timeout (epoll_wait)" : $"{Oracle.StepOutcome.ErrnoName(-n)} (epoll_wait)";
                break;
            }

            for (var i = 0; i < n; i++)
            {
                var fd = (int)events[i].Data;
                if (fd == lfd)
                {
                    long c;
                    while ((c = await libc.Accept(lfd)) >= 0)
                    {
                        _ = await libc.Fcntl((int)c, F_SETFL, O_NONBLOCK);
                        _ = await libc.EpollCtl(epfd, EPOLL_CTL_ADD, (int)c, EPOLLIN, (ulong)c);
                        conns.Add((int)c);
                    }

                    continue;
                }

                // a request arrives whole (a segment of Size bytes); read and echo while there is one
                long r;
                while ((r = await libc.Read(fd, buf, step.Size)) > 0)
                {
                    _ = await libc.Write(fd, buf, (int)r);
                    if (r == step.Size)
                    {
                        Served++;
                    }
                }

                if (r == 0)
                {
                    _ = await libc.Close(fd);
                    conns.Remove(fd);
                    closed++;
                }
            }
        }

        foreach (var c in conns)
        {
            _ = await libc.Close(c);
        }

        _ = await libc.Close(epfd);
    }

    private async Task Acceptor(Libc libc, int lfd, Func<Func<Libc, Task>, SimTask> spawn)
    {
        var processLock = await SleepLock.Create(libc);
        for (var i = 0; i < step.Clients; i++)
        {
            var fd = (int)await libc.Accept(lfd);
            if (fd < 0)
            {
                Fail("accept", fd);
                break;
            }

            _ = await StartThread(libc, spawn, async w =>
            {
                var buf = new byte[step.Size];
                for (var r = 0; r < step.Rounds; r++)
                {
                    if (!await ReadFull(w, fd, buf) || await w.Write(fd, buf, step.Size) != step.Size)
                    {
                        break;
                    }

                    Served++;
                }

                // the client closes first: wait for its EOF
                _ = await w.Read(fd, buf, 1);
                _ = await w.Close(fd);
            }, processLock);
        }

        if (processLock is not null)
        {
            await processLock.Release(libc);
        }
    }

    /// <summary>
    /// .NET's Thread.Start as the kernel sees it on the recorder's side (CoreCLR's ThreadNative::Start
    /// over the PAL's CreateThread): <paramref name="creator"/> clones the thread and waits on the PAL's
    /// start condition until it reports; the new thread reports its start status under the start mutex
    /// (pthread_cond_signal while holding it), then reads the PAL's blocking pipe until the creator
    /// resumes it; the creator resumes it and calls sched_yield until the thread has left its unstarted
    /// state (runs its body). On one CPU the creator, woken by the signal, preempts the thread while it
    /// still holds the start mutex: the creator's pthread_cond_wait then sleeps again re-acquiring the
    /// mutex, and the thread's unlock wakes it a second time. The pinned recording shows exactly that for
    /// every start: the creator leaving in S twice, each time woken by the new thread, which leaves in R
    /// both times (preempted) and never sleeps in the handshake, then the creator leaving in R (its
    /// sched_yield). The condition and the mutex are futexes on Linux and pipes here; the mutex word is
    /// the user memory both threads share (<c>mutexHeld</c>, <c>mutexWaiter</c>), taken without a
    /// syscall when uncontended, as glibc does.
    /// </summary>
    internal static async Task<SimTask?> StartThread(Libc creator, Func<Func<Libc, Task>, SimTask> clone, Func<Libc, Task> body, SleepLock? processLock = null)
    {
        // the creator's sched_yield loop ends once the thread runs; bounded in case it never does
        const int MaxYields = 10_000;
        var started = new int[2];
        var resumed = new int[2];
        var mutex = new int[2];
        if (await creator.Pipe2(started, 0) != 0)
        {
            return null;
        }

        if (await creator.Pipe2(resumed, 0) != 0)
        {
            _ = await creator.Close(started[0]);
            _ = await creator.Close(started[1]);
            return null;
        }

        if (await creator.Pipe2(mutex, 0) != 0)
        {
            foreach (var fd in (int[])[started[0], started[1], resumed[0], resumed[1]])
            {
                _ = await creator.Close(fd);
            }

            return null;
        }

        // Thread.Start holds the new Thread object's monitor until the thread has started
        var monitor = await SleepLock.Create(creator);
        if (monitor is not null)
        {
            monitor.AddUser();
            await monitor.Lock(creator);
        }

        // InternalCreateThread: the process lock from adding the thread to the process's list until its
        // start status is in (pthread_create and WaitForStartStatus under it)
        if (processLock is not null)
        {
            processLock.AddUser();
            await processLock.Lock(creator);
        }

        var running = false;
        var mutexHeld = false;
        var mutexWaiter = false;
        var thread = clone(async t =>
        {
            // SetStartStatus: the start mutex (free: no syscall), the status, the condition's signal
            mutexHeld = true;
            _ = await t.Write(started[1], new byte[1], 1);
            // the unlock: a mutex someone sleeps on is handed over with a wake
            mutexHeld = false;
            if (mutexWaiter)
            {
                mutexWaiter = false;
                _ = await t.Write(mutex[1], new byte[1], 1);
            }

            _ = await t.Read(resumed[0], new byte[1], 1);
            running = true;
            await body(t);
            // the thread's end: KickOffThread pulses the Thread object's joiners under its monitor
            if (monitor is not null)
            {
                await monitor.Lock(t);
                await monitor.Unlock(t);
                await monitor.Release(t);
            }

            // then (the PAL's InternalEndCurrentThread): PROCRemoveThread under the process lock
            if (processLock is not null)
            {
                await processLock.Lock(t);
                await processLock.Unlock(t);
                await processLock.Release(t);
            }
        });
        var signal = new byte[1];
        _ = await creator.Read(started[0], signal, 1);
        // pthread_cond_wait returns holding the mutex: it sleeps while the new thread still has it
        if (mutexHeld)
        {
            mutexWaiter = true;
            _ = await creator.Read(mutex[0], signal, 1);
        }

        if (processLock is not null)
        {
            await processLock.Unlock(creator);
        }

        _ = await creator.Write(resumed[1], signal, 1);
        for (var i = 0; !running && i < MaxYields; i++)
        {
            _ = await creator.SchedYield();
        }

        if (monitor is not null)
        {
            await monitor.Unlock(creator);
            await monitor.Release(creator);
        }

        foreach (var fd in (int[])[started[0], started[1], resumed[0], resumed[1], mutex[0], mutex[1]])
        {
            _ = await creator.Close(fd);
        }

        return thread;
    }

    /// <summary>
    /// The PAL's process lock (PROCSleepLock) as the kernel sees it: a glibc mutex, taken without a
    /// syscall when free; a thread that finds it held sleeps (a futex on Linux, a pipe here) until the
    /// holder's unlock wakes one sleeper, which tries again. Thread creation holds it across
    /// pthread_create and the start handshake, a thread's exit takes it to leave the process's list:
    /// a worker that ends while the acceptor starts the next thread sleeps until the start is through.
    /// One per simulated process; the recorder's threads of both hosts are one .NET process on Linux.
    /// </summary>
    internal sealed class SleepLock
    {
        private readonly int[] _pipe = new int[2];
        private bool _held;
        private int _waiters;
        private int _users = 1;

        private SleepLock()
        {
        }

        /// <summary>The lock, its sleepers' pipe made by <paramref name="libc"/>; null when the pipe cannot be made.</summary>
        public static async Task<SleepLock?> Create(Libc libc)
        {
            var l = new SleepLock();
            return await libc.Pipe2(l._pipe, 0) == 0 ? l : null;
        }

        /// <summary>Takes the lock, sleeping while another thread holds it.</summary>
        public async Task Lock(Libc libc)
        {
            while (_held)
            {
                _waiters++;
                _ = await libc.Read(_pipe[0], new byte[1], 1);
            }

            _held = true;
        }

        /// <summary>Drops the lock and wakes one sleeper, if there is one.</summary>
        public async Task Unlock(Libc libc)
        {
            _held = false;
            if (_waiters > 0)
            {
                _waiters--;
                _ = await libc.Write(_pipe[1], new byte[1], 1);
            }
        }

        /// <summary>One more thread that will take the lock (the creator counts as the first).</summary>
        public void AddUser() => _users++;

        /// <summary>A thread done with the lock; the last one closes its pipe.</summary>
        public async Task Release(Libc libc)
        {
            if (--_users == 0)
            {
                _ = await libc.Close(_pipe[0]);
                _ = await libc.Close(_pipe[1]);
            }
        }
    }

    /// <summary>One client: connect, then each round one request written and its echo read back whole.</summary>
    public async Task Client(Libc libc)
    {
        var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
        var rc = await libc.Connect(fd, Address);
        if (rc != 0)
        {
            Fail("connect", rc);
            _ = await libc.Close(fd);
            return;
        }

        var buf = Payload.Pattern(step.Size).Bytes;
        for (var r = 0; r < step.Rounds; r++)
        {
            if (await libc.Write(fd, buf, step.Size) != step.Size || !await ReadFull(libc, fd, buf))
            {
                break;
            }

            Replied++;
        }

        _ = await libc.Close(fd);
    }

    private async Task<bool> ReadFull(Libc libc, int fd, byte[] buf)
    {
        var got = 0;
        var part = new byte[step.Size];
        while (got < step.Size)
        {
            var n = await libc.Read(fd, part, step.Size - got);
            if (n <= 0)
            {
                return false;
            }

            Array.Copy(part, 0, buf, got, n);
            got += (int)n;
        }

        return true;
    }

    /// <summary>The step's outcome: "N requests" (the echoes the clients read back), or the first failure.</summary>
    public string Outcome() => Failure ?? $"{Replied} requests";
}
