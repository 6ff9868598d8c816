using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Machine;
using KernelNet.Scenarios.Oracle;
using KernelNet.Scenarios.Scenario;
using Libc = KernelNet.Machine.Libc;

namespace KernelNet.Scenarios.Sim;

/// <summary>
/// Executes scenario steps as system calls of simulated programs: the simulation's twin of the
/// recorder's StepRunner, making the same calls with the same flags and timeouts, and naming
/// the outcome the same way (<see cref="StepOutcome"/>).
/// </summary>
internal sealed class SimStepRunner(IReadOnlyDictionary<(string Link, string Host), net_device> devices)
{
    private const int MaxReadsPerPing = 64;

    /// <summary>Each open socket's descriptor, and the host whose process holds it.</summary>
    private readonly Dictionary<string, (int Fd, string Host)> _sockets = new(StringComparer.Ordinal);

    /// <summary>Runs <paramref name="step"/> in the calling simulated task; returns its outcome and, for a receive, the bytes.</summary>
    public async Task<(string Outcome, byte[]? Data)> Execute(Libc libc, Step step)
    {
        if (step is SocketStep { Socket: var name } and not CreateSocketStep && !_sockets.ContainsKey(name))
        {
            return ($"socket '{name}' was not created (its step failed)", null);
        }

        return step switch
        {
            CreateSocketStep s => (await CreateSocket(libc, s), null),
            BindStep s => (Check(await libc.Bind(Fd(s.Socket), Address(s.Address, s.Port))), null),
            ConnectStep s => (await Connect(libc, s), null),
            SendStep s => (await Send(libc, s), null),
            RecvStep s => await Recv(libc, s),
            ShutdownStep s => (Check(await libc.Shutdown(Fd(s.Socket), (int)s.How)), null),
            CloseStep s => (await Close(libc, s.Socket), null),
            SetSockOptStep s => (await SetOption(libc, Fd(s.Socket), s.Option), null),
            PingStep s => (await Ping(libc, s), null),
            InjectStep s => (await Inject(libc, s), null),
            LinkSetStep s => (LinkSet(s), null),
            ListenStep s => (Check(await libc.Listen(Fd(s.Socket), s.Backlog)), null),
            AcceptStep s => (await Accept(libc, s), null),
            PollStep s => (await Poll(libc, s), null),
            FileStep s => (await File(libc, s), null),
            PipeStep s => (await Pipe(libc, s), null),
            SendfileStep s => (Bytes(await libc.Sendfile(Fd(s.Socket), Fd(s.File), null, s.Size)), null),
            SpliceStep s when !_sockets.ContainsKey(s.To) => ($"socket '{s.To}' was not created (its step failed)", null),
            SpliceStep s => (Bytes(await libc.Splice(Fd(s.Socket), null, Fd(s.To), null, s.Size, s.NonBlock ? 2u : 0u)), null),
            MmapSendStep s => (await MmapSend(libc, s), null),
            _ => ($"{StepOutcome.Verb(step)}: not in the simulation", null),
        };
    }

    private static string Bytes(long n) => n >= 0 ? $"{n} bytes" : StepOutcome.ErrnoName((int)-n);

    /// <summary>The file step as the recorder makes it: create, unlink (it lives while open), write the pattern, rewind.</summary>
    private async Task<string> File(Libc libc, FileStep s)
    {
        var path = "/tmp/" + s.Name;
        var fd = (int)await libc.Open(path, 2 /* O_RDWR */ | 0x40 /* O_CREAT */ | 0x80 /* O_EXCL */, 0x180);
        if (fd < 0)
        {
            return StepOutcome.ErrnoName(-fd);
        }

        await libc.Unlink(path);
        _sockets[s.Name] = (fd, s.FileHost);
        var n = await libc.Write(fd, Payload.Pattern(s.Size).Bytes, s.Size);
        if (n < 0)
        {
            return StepOutcome.ErrnoName((int)-n);
        }

        await libc.Lseek(fd, 0, 0);
        return $"{n} bytes";
    }

    private async Task<string> Pipe(Libc libc, PipeStep s)
    {
        var fds = new int[2];
        var rc = await libc.Pipe2(fds, 0);
        if (rc == 0)
        {
            _sockets[s.ReadEnd] = (fds[0], s.PipeHost);
            _sockets[s.WriteEnd] = (fds[1], s.PipeHost);
        }

        return Check(rc);
    }

    /// <summary>mmap of the file, one write from the mapping, munmap: as the recorder does.</summary>
    private async Task<string> MmapSend(Libc libc, MmapSendStep s)
    {
        var addr = await libc.Mmap(0, s.Size, 1 /* PROT_READ */, 1 /* MAP_SHARED */, Fd(s.File), 0);
        if (addr < 0)
        {
            return StepOutcome.ErrnoName((int)-addr);
        }

        var n = await libc.Write(Fd(s.Socket), addr, s.Size);
        await libc.Munmap(addr, s.Size);
        return Bytes(n);
    }

    private const int F_GETFL = 3;
    private const int F_SETFL = 4;
    private const int O_NONBLOCK = 0x800;

    private int Fd(string socket) => _sockets[socket].Fd;

    /// <summary>poll(2) on the step's socket, as the recorder calls it.</summary>
    private async Task<string> Poll(Libc libc, PollStep s)
    {
        var fds = new[] { new PollFd(Fd(s.Socket), s.Events) };
        var ret = await libc.Poll(fds, s.TimeoutMs);
        return StepOutcome.PollOutcome(ret, fds[0].Revents);
    }

    private static string Check(long rc) => rc == 0 ? "ok" : StepOutcome.ErrnoName((int)-rc);

    private static SockAddrIn Address(IPAddress address, int port) => new(Topology.HostOrder(address), (ushort)port);

    private async Task<string> CreateSocket(Libc libc, CreateSocketStep s)
    {
        var (type, proto) = s.Kind == SocketKind.Udp ? (Libc.SOCK_DGRAM, Libc.IPPROTO_UDP) : (Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
        var fd = await libc.Socket(Libc.AF_INET, type, proto);
        if (fd < 0)
        {
            return StepOutcome.ErrnoName((int)-fd);
        }

        _sockets[s.Socket] = ((int)fd, s.Host);
        foreach (var option in s.Options)
        {
            var rc = await SetOption(libc, (int)fd, option);
            if (rc != "ok")
            {
                return rc;
            }
        }

        return "ok";
    }

    private static async Task<string> SetOption(Libc libc, int fd, SocketOption option)
    {
        if (option.Name == "TCP_CONGESTION")
        {
            // A name, as the recorder passes it (the bytes of the string, no NUL)
            return Check(await libc.SetSockOpt(fd, Libc.IPPROTO_TCP, Libc.TCP_CONGESTION, System.Text.Encoding.ASCII.GetBytes(option.Value)));
        }

        if (option.Name == "SO_LINGER")
        {
            // struct linger { l_onoff = 1, l_linger = the value in seconds }, as the recorder passes it
            var linger = new byte[8];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(linger, 1);
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(linger.AsSpan(4), int.Parse(option.Value, System.Globalization.CultureInfo.InvariantCulture));
            return Check(await libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_LINGER, linger));
        }

        if (StepOutcome.IntegerOption(option.Name) is not { } o)
        {
            return $"{option.Name}: not in the simulation";
        }

        var value = long.Parse(option.Value, System.Globalization.CultureInfo.InvariantCulture);
        return Check(await libc.SetSockOpt(fd, o.Level, o.Name, value));
    }

    /// <summary>As the recorder: MSG_DONTWAIT, or SO_RCVTIMEO/SO_SNDTIMEO set to the step's bound (a timeval, in microseconds here).</summary>
    private static async Task<int> PrepareWait(Libc libc, int fd, int optname, WaitMode mode, int timeoutMs)
    {
        if (mode == WaitMode.NonBlocking)
        {
            return Libc.MSG_DONTWAIT;
        }

        _ = await libc.SetSockOpt(fd, Libc.SOL_SOCKET, optname, StepOutcome.WaitMs(mode, timeoutMs) * 1000L);
        return 0;
    }

    private async Task<string> Connect(Libc libc, ConnectStep s)
    {
        var fd = Fd(s.Socket);
        _ = await PrepareWait(libc, fd, Libc.SO_SNDTIMEO, s.Mode == WaitMode.NonBlocking ? WaitMode.Timeout : s.Mode, s.TimeoutMs);
        var rc = await libc.Connect(fd, Address(s.Address, s.Port));
        if (rc == 0)
        {
            return "ok";
        }

        return rc == -Libc.EINPROGRESS && s.Mode != WaitMode.NonBlocking ? "timeout" : StepOutcome.ErrnoName((int)-rc);
    }

    /// <summary>As the recorder: SO_RCVTIMEO bounds the wait (a non-blocking step does not wait); the new socket takes the step's name.</summary>
    private async Task<string> Accept(Libc libc, AcceptStep s)
    {
        var fd = Fd(s.Socket);
        long nfd;
        if (s.Mode == WaitMode.NonBlocking)
        {
            // accept has no MSG_DONTWAIT: the listener is made O_NONBLOCK for the call (an SO_RCVTIMEO of 0 would wait forever)
            var fl = await libc.Fcntl(fd, F_GETFL, 0);
            _ = await libc.Fcntl(fd, F_SETFL, fl | O_NONBLOCK);
            nfd = await libc.Accept(fd);
            _ = await libc.Fcntl(fd, F_SETFL, fl);
            if (nfd < 0)
            {
                return StepOutcome.ErrnoName((int)-nfd);
            }

            _sockets[s.NewSocket] = ((int)nfd, s.Host);
            return "ok";
        }

        _ = await PrepareWait(libc, fd, Libc.SO_RCVTIMEO, s.Mode, s.TimeoutMs);
        nfd = await libc.Accept(fd);
        if (nfd < 0)
        {
            return StepOutcome.WaitFailure(s.Mode, (int)-nfd);
        }

        _sockets[s.NewSocket] = ((int)nfd, s.Host);
        return "ok";
    }

    private async Task<string> Send(Libc libc, SendStep s)
    {
        var fd = Fd(s.Socket);
        var flags = await PrepareWait(libc, fd, Libc.SO_SNDTIMEO, s.Mode, s.TimeoutMs);
        var to = s.To is { } ep ? Address(ep.Address, ep.Port) : (SockAddrIn?)null;
        var n = await libc.SendTo(fd, s.Payload.Bytes, flags, to);
        return n >= 0 ? $"{n} bytes" : StepOutcome.WaitFailure(s.Mode, (int)-n);
    }

    private async Task<(string, byte[]?)> Recv(Libc libc, RecvStep s)
    {
        var fd = Fd(s.Socket);
        var flags = await PrepareWait(libc, fd, Libc.SO_RCVTIMEO, s.Mode, s.TimeoutMs);
        var r = await libc.RecvFrom(fd, s.Size, flags);
        return r.Ret >= 0 ? ($"{r.Ret} bytes", r.Data) : (StepOutcome.WaitFailure(s.Mode, (int)-r.Ret), null);
    }

    private async Task<string> Close(Libc libc, string socket)
    {
        var rc = await libc.Close(Fd(socket));
        _sockets.Remove(socket);
        return Check(rc);
    }

    /// <summary>One echo over a raw ICMP socket, as the recorder's ping: send, then read until the reply or the timeout.</summary>
    private static async Task<string> Ping(Libc libc, PingStep s)
    {
        var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_RAW, Libc.IPPROTO_ICMP);
        if (fd < 0)
        {
            return StepOutcome.ErrnoName(-fd);
        }

        try
        {
            var sent = await libc.SendTo(fd, IcmpEcho.Request(s.Identifier, s.Sequence, s.Size), 0, Address(s.Destination, 0));
            if (sent < 0)
            {
                return StepOutcome.ErrnoName((int)-sent);
            }

            var deadline = libc.Now + s.TimeoutMs * 1_000_000L;
            for (var reads = 0; reads < MaxReadsPerPing; reads++)
            {
                var leftUs = (deadline - libc.Now) / 1000;
                if (leftUs <= 0)
                {
                    break;
                }

                _ = await libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, leftUs);
                var r = await libc.RecvFrom(fd, 65536, 0);
                if (r.Ret < 0)
                {
                    return r.Ret == -Libc.EAGAIN ? "timeout" : StepOutcome.ErrnoName((int)-r.Ret);
                }

                if (IcmpEcho.Answer(r.Data, s) is { } outcome)
                {
                    return outcome;
                }
            }

            return "timeout";
        }
        finally
        {
            _ = await libc.Close(fd);
        }
    }

    /// <summary>
    /// A raw frame out of one end of a link: as the recorder, an AF_PACKET socket for ETH_P_ALL
    /// bound to that device, one send.
    /// </summary>
    /// <summary>`ip link set DEV up|down` from the step's task: the device opened (NETDEV_UP) or closed (NETDEV_GOING_DOWN, NETDEV_DOWN).</summary>
    private string LinkSet(LinkSetStep s)
    {
        var dev = devices[(s.LinkName, s.LinkHost)];
        if (s.Up)
        {
            var err = KernelNet.Kernel.Net.Core.dev_c.netif_open(dev);
            return err < 0 ? StepOutcome.ErrnoName(-err) : "ok";
        }

        KernelNet.Kernel.Net.Core.dev_c.netif_close(dev);
        return "ok";
    }

    private async Task<string> Inject(Libc libc, InjectStep s)
    {
        var fd = (int)await libc.Socket(Libc.AF_PACKET, Libc.SOCK_RAW, Libc.Htons(Libc.ETH_P_ALL));
        if (fd < 0)
        {
            return StepOutcome.ErrnoName(-fd);
        }

        try
        {
            var rc = await libc.BindPacket(fd, Libc.ETH_P_ALL, devices[(s.LinkName, s.FromHost)].ifindex);
            if (rc < 0)
            {
                return StepOutcome.ErrnoName((int)-rc);
            }

            long total = 0;
            foreach (var frame in s.Frames)
            {
                var n = await libc.SendTo(fd, frame, 0, null);
                if (n < 0)
                {
                    return StepOutcome.ErrnoName((int)-n);
                }

                total += n;
            }

            return $"{total} bytes";
        }
        finally
        {
            _ = await libc.Close(fd);
        }
    }
}
