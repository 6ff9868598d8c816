using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text;
using KernelNet.Scenarios.Scenario;

namespace KernelNet.Scenarios.Oracle;

/// <summary>
/// What one step did: its outcome in the words of <see cref="Expectation"/> and whether that was
/// expected; <paramref name="Data"/> the bytes a read returned (hex), and
/// <paramref name="StartMicros"/> when the step started, on the clock of the recording's captures
/// (CLOCK_REALTIME on real Linux, the virtual clock in the simulation): the timing level does not
/// count a gap that a step's start falls in as a timer's.
/// </summary>
public sealed record StepResult(int Line, string Verb, string Host, string Expected, string Outcome, bool Matched, string? Data = null, long StartMicros = 0)
{
    /// <summary>
    /// The pids of the threads an echo_load step started for its server (gettid() on real Linux, the
    /// simulated tasks' pids), ascending: the switches level counts their sched_switch events. Null for
    /// every other step.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<int>? ServerTasks { get; init; }
}

/// <summary>
/// Executes scenario steps with real sockets, each on the thread of its host's namespace.
/// Every blocking call is bounded: "blocking" mode still carries a <see cref="StepOutcome.BlockingLimitMs"/> receive timeout.
/// </summary>
internal sealed class StepRunner(IReadOnlyDictionary<string, IHostThread> hosts, IReadOnlyDictionary<(string Link, string Host), string> devices) : IStepRunner
{
    private readonly Dictionary<string, int> _sockets = new(StringComparer.Ordinal);

    public StepResult Run(Step step)
    {
        if (step is SleepStep sleep)
        {
            var slept = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks / 10;
            System.Threading.Thread.Sleep(sleep.Milliseconds);
            return StepOutcome.Result(step, "ok") with { StartMicros = slept };
        }

        if (step is EchoLoadStep load)
        {
            return RunEchoLoad(load);
        }

        // as the simulation does: a step on a socket whose creating step (socket, accept) failed
        // is an outcome of the script, not a failure of the recording
        if (step is SocketStep { Socket: var name } and not CreateSocketStep && !_sockets.ContainsKey(name))
        {
            return StepOutcome.Result(step, $"socket '{name}' was not created (its step failed)");
        }

        var thread = hosts[step.Host];
        var start = 0L;
        var (outcome, data) = thread.Run(
            () =>
            {
                // on the host's thread, just before the call: a loaded machine may take long to get there
                start = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks / 10;
                return Execute(step);
            },
            TimeSpan.FromMilliseconds(StepOutcome.BlockingLimitMs + 5_000));
        return StepOutcome.Result(step, outcome, data) with { StartMicros = start };
    }

    /// <summary>
    /// echo_load: the listener and the server's first thread from the server host's namespace thread,
    /// then the clients from the client host's; the whole step bounded by the blocking limit.
    /// </summary>
    private StepResult RunEchoLoad(EchoLoadStep load)
    {
        var echo = new EchoLoad(load);
        var limit = TimeSpan.FromMilliseconds(StepOutcome.BlockingLimitMs + 5_000);
        var start = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks / 10;
        var deadline = DateTime.UtcNow + TimeSpan.FromMilliseconds(StepOutcome.BlockingLimitMs);
        var failure = hosts[load.ServerHost].Run(echo.StartServer, limit);
        if (failure is null)
        {
            _ = hosts[load.ClientHost].Run(() => { echo.RunClients(deadline); return 0; }, limit);
            echo.JoinServer(deadline + TimeSpan.FromSeconds(1));
        }

        return StepOutcome.Result(load, failure ?? echo.Outcome()) with { StartMicros = start, ServerTasks = echo.ServerTasks() };
    }

    private (string Outcome, byte[]? Data) Execute(Step step) => step switch
    {
        CreateSocketStep s => (CreateSocket(s), null),
        BindStep s => (Check(Bind(Fd(s.Socket), s.Address, s.Port)), null),
        ListenStep s => (Check(Libc.listen(Fd(s.Socket), s.Backlog)), null),
        AcceptStep s => (Accept(s), null),
        ConnectStep s => (Connect(s), null),
        SendStep s => (Send(s), null),
        RecvStep s => Recv(s),
        ShutdownStep s => (Check(Libc.shutdown(Fd(s.Socket), (int)s.How)), null),
        CloseStep s => (Close(s.Socket), null),
        SetSockOptStep s => (SetOption(Fd(s.Socket), s.Option), null),
        PingStep s => (IcmpEcho.Ping(s), null),
        InjectStep s => (Inject(s), null),
        LinkSetStep s => (LinkSet(s), null),
        PollStep s => (Poll(s), null),
        FileStep s => (File(s), null),
        PipeStep s => (Pipe(s), null),
        SendfileStep s => (Bytes(Libc.sendfile(Fd(s.Socket), Fd(s.File), 0, s.Size)), null),
        SpliceStep s when !_sockets.ContainsKey(s.To) => ($"socket '{s.To}' was not created (its step failed)", null),
        SpliceStep s => (Bytes(Libc.splice(Fd(s.Socket), 0, Fd(s.To), 0, s.Size, s.NonBlock ? 2u : 0u)), null),
        MmapSendStep s => (MmapSend(s), null),
        _ => throw new RecorderException($"line {step.Line}: step {step.GetType().Name} cannot run on real Linux"),
    };

    private static string Bytes(nint n) => n >= 0 ? $"{n} bytes" : Libc.ErrnoName(Libc.Errno);

    /// <summary>
    /// The file step: created in the temp directory under a name of this process, unlinked at once (it
    /// lives while open: nothing is left behind), the pattern written, the position rewound.
    /// </summary>
    private unsafe string File(FileStep s)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"kn-files-{Environment.ProcessId}-{s.Name}");
        var fd = Libc.open_file(path, 2 /* O_RDWR */ | 0x40 /* O_CREAT */ | 0x80 /* O_EXCL */ | 0x80000 /* O_CLOEXEC */, 0x180);
        if (fd < 0)
        {
            return Libc.ErrnoName(Libc.Errno);
        }

        Libc.unlink(path);
        _sockets[s.Name] = fd;
        var data = Payload.Pattern(s.Size).Bytes;
        nint n;
        fixed (byte* p = data)
        {
            n = Libc.write(fd, p, data.Length);
        }

        if (n < 0)
        {
            return Libc.ErrnoName(Libc.Errno);
        }

        Libc.lseek(fd, 0, 0);
        return $"{n} bytes";
    }

    private unsafe string Pipe(PipeStep s)
    {
        var fds = stackalloc int[2];
        if (Libc.pipe2(fds, 0x80000 /* O_CLOEXEC */) != 0)
        {
            return Libc.ErrnoName(Libc.Errno);
        }

        _sockets[s.ReadEnd] = fds[0];
        _sockets[s.WriteEnd] = fds[1];
        return "ok";
    }

    /// <summary>mmap of the file, one write from the mapping, munmap.</summary>
    private unsafe string MmapSend(MmapSendStep s)
    {
        var addr = Libc.mmap(0, s.Size, 1 /* PROT_READ */, 1 /* MAP_SHARED */, Fd(s.File), 0);
        if (addr == -1)
        {
            return Libc.ErrnoName(Libc.Errno);
        }

        var n = Libc.write(Fd(s.Socket), (byte*)addr, s.Size);
        var result = Bytes(n);
        Libc.munmap(addr, s.Size);
        return result;
    }

    private int Fd(string socket) => _sockets.TryGetValue(socket, out var fd) ? fd : throw new RecorderException($"socket '{socket}' was not created (its step failed)");

    /// <summary>poll(2) on the step's socket, with the step's timeout.</summary>
    private unsafe string Poll(PollStep s)
    {
        var pfd = new Libc.PollFd { Fd = Fd(s.Socket), Events = s.Events };
        var ret = Libc.poll(&pfd, 1, s.TimeoutMs);
        return StepOutcome.PollOutcome(ret < 0 ? -Libc.Errno : ret, pfd.Revents);
    }

    private static string Check(int rc) => rc == 0 ? "ok" : Libc.ErrnoName(Libc.Errno);

    private static int Bind(int fd, IPAddress address, int port)
    {
        var sa = Libc.Sockaddr(address, port);
        return Libc.bind(fd, ref sa, 16);
    }

    private string CreateSocket(CreateSocketStep s)
    {
        var (type, proto) = s.Kind == SocketKind.Udp ? (Libc.SOCK_DGRAM, Libc.IPPROTO_UDP) : (Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
        var fd = Libc.socket(Libc.AF_INET, type | Libc.SOCK_CLOEXEC, proto);
        if (fd < 0)
        {
            return Libc.ErrnoName(Libc.Errno);
        }

        _sockets[s.Socket] = fd;
        foreach (var option in s.Options)
        {
            var rc = SetOption(fd, option);
            if (rc != "ok")
            {
                return rc;
            }
        }

        return "ok";
    }

    private static unsafe string SetOption(int fd, SocketOption option)
    {
        if (option.Name == "TCP_CONGESTION")
        {
            var name = Encoding.ASCII.GetBytes(option.Value);
            fixed (byte* p = name)
            {
                return Check(Libc.setsockopt(fd, Libc.IPPROTO_TCP, Libc.TCP_CONGESTION, p, name.Length));
            }
        }

        if (option.Name == "SO_LINGER")
        {
            // struct linger: l_onoff 1, l_linger the value in seconds
            var linger = stackalloc int[2];
            linger[0] = 1;
            linger[1] = int.Parse(option.Value, System.Globalization.CultureInfo.InvariantCulture);
            return Check(Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_LINGER, linger, 2 * sizeof(int)));
        }

        var (level, opt) = StepOutcome.IntegerOption(option.Name)
            ?? throw new RecorderException($"socket option {option.Name} is not supported by the recorder");
        var value = int.Parse(option.Value, System.Globalization.CultureInfo.InvariantCulture);
        return Check(Libc.setsockopt(fd, level, opt, &value, sizeof(int)));
    }

    /// <summary>Sets SO_RCVTIMEO/SO_SNDTIMEO for the wait mode; returns the flags for the call.</summary>
    private static unsafe int PrepareWait(int fd, int optname, WaitMode mode, int timeoutMs)
    {
        if (mode == WaitMode.NonBlocking)
        {
            return Libc.MSG_DONTWAIT;
        }

        var ms = StepOutcome.WaitMs(mode, timeoutMs);
        var tv = new Libc.Timeval { Sec = ms / 1000, Usec = ms % 1000 * 1000 };
        _ = Libc.setsockopt(fd, Libc.SOL_SOCKET, optname, &tv, sizeof(Libc.Timeval));
        return 0;
    }

    private string Accept(AcceptStep s)
    {
        var fd = Fd(s.Socket);
        if (s.Mode == WaitMode.NonBlocking && !PacketSocket.Readable(fd, 0))
        {
            return "EAGAIN";
        }

        _ = PrepareWait(fd, Libc.SO_RCVTIMEO, s.Mode == WaitMode.NonBlocking ? WaitMode.Timeout : s.Mode, s.TimeoutMs);
        var nfd = Libc.accept(fd, 0, 0);
        if (nfd < 0)
        {
            return StepOutcome.WaitFailure(s.Mode, Libc.Errno);
        }

        _sockets[s.NewSocket] = nfd;
        return "ok";
    }

    private string Connect(ConnectStep s)
    {
        var fd = Fd(s.Socket);
        _ = PrepareWait(fd, Libc.SO_SNDTIMEO, s.Mode == WaitMode.NonBlocking ? WaitMode.Timeout : s.Mode, s.TimeoutMs);
        var sa = Libc.Sockaddr(s.Address, s.Port);
        var rc = Libc.connect(fd, ref sa, 16);
        if (rc == 0)
        {
            return "ok";
        }

        var errno = Libc.Errno;
        return errno == Libc.EINPROGRESS && s.Mode != WaitMode.NonBlocking ? "timeout" : Libc.ErrnoName(errno);
    }

    private unsafe string Send(SendStep s)
    {
        var fd = Fd(s.Socket);
        var flags = PrepareWait(fd, Libc.SO_SNDTIMEO, s.Mode, s.TimeoutMs);
        var data = s.Payload.Bytes;
        nint n;
        fixed (byte* p = data)
        {
            if (s.To is { } to)
            {
                var sa = Libc.Sockaddr(to.Address, to.Port);
                n = Libc.sendto(fd, p, data.Length, flags, &sa, 16);
            }
            else
            {
                n = Libc.send(fd, p, data.Length, flags);
            }
        }

        return n >= 0 ? $"{n} bytes" : StepOutcome.WaitFailure(s.Mode, Libc.Errno);
    }

    private unsafe (string, byte[]?) Recv(RecvStep s)
    {
        var fd = Fd(s.Socket);
        var flags = PrepareWait(fd, Libc.SO_RCVTIMEO, s.Mode, s.TimeoutMs);
        var buffer = new byte[s.Size];
        nint n;
        fixed (byte* p = buffer)
        {
            n = Libc.recvfrom(fd, p, buffer.Length, flags, null, null);
        }

        return n >= 0 ? ($"{n} bytes", buffer[..(int)n]) : (StepOutcome.WaitFailure(s.Mode, Libc.Errno), null);
    }

    private string Close(string socket)
    {
        var rc = Libc.close(Fd(socket));
        _sockets.Remove(socket);
        return rc == 0 ? "ok" : Libc.ErrnoName(Libc.Errno);
    }

    /// <summary>
    /// `ip link set DEV up|down` as one ioctl pair on a socket of the host's namespace: SIOCGIFFLAGS,
    /// then SIOCSIFFLAGS with IFF_UP set or cleared (dev_change_flags, as `ip`'s netlink request).
    /// </summary>
    private unsafe string LinkSet(LinkSetStep s)
    {
        const uint SIOCGIFFLAGS = 0x8913;
        const uint SIOCSIFFLAGS = 0x8914;
        const short IFF_UP = 0x1;
        var ifname = devices[(s.LinkName, s.LinkHost)];
        var fd = Libc.socket(Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            return Libc.ErrnoName(Libc.Errno);
        }

        try
        {
            // struct ifreq: the name (IFNAMSIZ 16), then ifr_flags, in 40 bytes
            var ifr = new byte[40];
            System.Text.Encoding.ASCII.GetBytes(ifname, 0, Math.Min(ifname.Length, 15), ifr, 0);
            fixed (byte* p = ifr)
            {
                if (Libc.ioctl_ifreq(fd, SIOCGIFFLAGS, p) < 0)
                {
                    return Libc.ErrnoName(Libc.Errno);
                }

                var flags = (short)(p[16] | p[17] << 8);
                flags = s.Up ? (short)(flags | IFF_UP) : (short)(flags & ~IFF_UP);
                p[16] = (byte)flags;
                p[17] = (byte)(flags >> 8);
                if (Libc.ioctl_ifreq(fd, SIOCSIFFLAGS, p) < 0)
                {
                    return Libc.ErrnoName(Libc.Errno);
                }
            }

            return "ok";
        }
        finally
        {
            _ = Libc.close(fd);
        }
    }

    private unsafe string Inject(InjectStep s)
    {
        var ifname = devices[(s.LinkName, s.FromHost)];
        var fd = PacketSocket.Open(ifname, out var error);
        if (fd < 0)
        {
            return error;
        }

        try
        {
            long total = 0;
            foreach (var frame in s.Frames)
            {
                fixed (byte* p = frame)
                {
                    var n = Libc.send(fd, p, frame.Length, 0);
                    if (n < 0)
                    {
                        return Libc.ErrnoName(Libc.Errno);
                    }

                    total += n;
                }
            }

            return $"{total} bytes";
        }
        finally
        {
            _ = Libc.close(fd);
        }
    }

    public void Dispose()
    {
        foreach (var fd in _sockets.Values)
        {
            _ = Libc.close(fd);
        }

        _sockets.Clear();
    }
}
