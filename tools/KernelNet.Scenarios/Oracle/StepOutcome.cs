using System;
using KernelNet.Scenarios.Scenario;

namespace KernelNet.Scenarios.Oracle;

/// <summary>
/// How a step's result is named and judged. Shared by the recorder (real sockets) and the
/// simulation, so that both sides say "5 bytes", "timeout" or "EAGAIN" for the same thing.
/// </summary>
public static class StepOutcome
{
    /// <summary>A "blocking" call still carries this receive/send timeout, so no step can hang a run.</summary>
    public const int BlockingLimitMs = 10_000;

    public static StepResult Result(Step step, string outcome, byte[]? data = null) =>
        new(step.Line, Verb(step), step.Host, step.Expect.ToString(), outcome, Matches(step.Expect, outcome, data),
            data is null ? null : Convert.ToHexStringLower(data));

    public static string Verb(Step step) => step switch
    {
        CreateSocketStep => "socket",
        BindStep => "bind",
        ListenStep => "listen",
        AcceptStep => "accept",
        ConnectStep => "connect",
        SendStep s => s.To is null ? "send" : "sendto",
        RecvStep => "recv",
        ShutdownStep => "shutdown",
        CloseStep => "close",
        SetSockOptStep => "setsockopt",
        PingStep => "ping",
        InjectStep => "inject",
        SleepStep => "sleep",
        PollStep => "poll",
        FileStep => "file",
        PipeStep => "pipe",
        SendfileStep => "sendfile",
        SpliceStep => "splice",
        MmapSendStep => "mmap_send",
        EchoLoadStep => "echo_load",
        LinkSetStep => "link_set",
        _ => step.GetType().Name,
    };

    /// <summary>Outcome "ok", "N bytes", "timeout" or an errno name, compared as <see cref="Expectation.ToString"/> prints.</summary>
    public static bool Matches(Expectation expect, string outcome, byte[]? data) => expect.Kind switch
    {
        ExpectKind.Ok => !outcome.StartsWith('E') && !outcome.StartsWith("timeout", StringComparison.Ordinal),
        ExpectKind.Bytes => outcome == expect.ToString() && (expect.Data is null || (data is not null && data.AsSpan().SequenceEqual(expect.Data))),
        _ => outcome == expect.ToString(),
    };

    /// <summary>A failed wait: EAGAIN after SO_RCVTIMEO/SO_SNDTIMEO is a timeout; without MSG_DONTWAIT it is never plain EAGAIN.</summary>
    public static string WaitFailure(WaitMode mode, int errno) => errno == Libc.EAGAIN && mode != WaitMode.NonBlocking
        ? (mode == WaitMode.Timeout ? "timeout" : $"timeout (blocking call bounded at {BlockingLimitMs / 1000} s)")
        : Libc.ErrnoName(errno);

    private static readonly (string Name, short Bit)[] PollBits =
        [("POLLIN", 0x1), ("POLLPRI", 0x2), ("POLLOUT", 0x4), ("POLLERR", 0x8), ("POLLHUP", 0x10), ("POLLNVAL", 0x20), ("POLLRDHUP", 0x2000)];

    /// <summary>A poll step's event name (in, pri, out, rdhup) as its POLL* bit, or null.</summary>
    public static short? PollBit(string name) => name switch
    {
        "in" => 0x1,
        "pri" => 0x2,
        "out" => 0x4,
        "rdhup" => 0x2000,
        _ => null,
    };

    /// <summary>A poll's outcome: its errno, or "revents" with the bits reported (POLLIN|POLLOUT), "revents 0" for none.</summary>
    public static string PollOutcome(long ret, short revents)
    {
        if (ret < 0)
        {
            return ErrnoName((int)-ret);
        }

        var names = new System.Collections.Generic.List<string>();
        foreach (var (name, bit) in PollBits)
        {
            if ((revents & bit) != 0)
            {
                names.Add(name);
            }
        }

        return names.Count == 0 ? "revents 0" : "revents " + string.Join('|', names);
    }

    /// <summary>The errno's name (EAGAIN, ECONNREFUSED, ...) from its Linux number.</summary>
    public static string ErrnoName(int errno) => Libc.ErrnoName(errno);

    /// <summary>The timeout a waiting call is given: the step's own, or the blocking bound.</summary>
    public static int WaitMs(WaitMode mode, int timeoutMs) => mode == WaitMode.Timeout ? timeoutMs : BlockingLimitMs;

    /// <summary>The (level, optname) of an integer socket option by its kernel name, or null if scenarios cannot set it.</summary>
    public static (int Level, int Name)? IntegerOption(string name) => name switch
    {
        "SO_RCVBUF" => (Libc.SOL_SOCKET, Libc.SO_RCVBUF),
        "SO_SNDBUF" => (Libc.SOL_SOCKET, Libc.SO_SNDBUF),
        "SO_RCVBUFFORCE" => (Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE),
        "SO_SNDBUFFORCE" => (Libc.SOL_SOCKET, Libc.SO_SNDBUFFORCE),
        "SO_REUSEADDR" => (Libc.SOL_SOCKET, Libc.SO_REUSEADDR),
        "SO_REUSEPORT" => (Libc.SOL_SOCKET, Libc.SO_REUSEPORT),
        "SO_BROADCAST" => (Libc.SOL_SOCKET, Libc.SO_BROADCAST),
        "SO_KEEPALIVE" => (Libc.SOL_SOCKET, Libc.SO_KEEPALIVE),
        "IP_TTL" => (Libc.SOL_IP, Libc.IP_TTL),
        "IP_RECVERR" => (Libc.SOL_IP, Libc.IP_RECVERR),
        "IP_MTU_DISCOVER" => (Libc.SOL_IP, Libc.IP_MTU_DISCOVER),
        "TCP_NODELAY" => (Libc.IPPROTO_TCP, Libc.TCP_NODELAY),
        "TCP_MAXSEG" => (Libc.IPPROTO_TCP, Libc.TCP_MAXSEG),
        "TCP_QUICKACK" => (Libc.IPPROTO_TCP, Libc.TCP_QUICKACK),
        _ => null,
    };
}
