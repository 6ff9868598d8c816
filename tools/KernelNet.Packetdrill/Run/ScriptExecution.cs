using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using KernelNet.Machine;
using KernelNet.Packetdrill.Ast;

namespace KernelNet.Packetdrill.Run;

/// <summary>One run of one script on its own simulated kernel.</summary>
internal sealed partial class ScriptExecution
{
    private const long NsPerUs = 1000;

    /// <summary>How long a call written as non-blocking may take before the run calls it blocked.</summary>
    private const long NonBlockingLimitUs = 1_000_000;

    /// <summary>How far past its window the runner still waits for an outbound packet, to report how late it was.</summary>
    private const long LateLimitUs = 5_000_000;

    private readonly Script _script;
    private readonly RunConfig _config;
    private readonly SimulatedHost _host;
    private readonly ShellModel _shell;
    private readonly List<Connection> _connections = new();
    private readonly Dictionary<long, long> _fds = new();
    private readonly long _startNs;
    private Connection? _current;
    private ushort _nextRemotePort = 48000;
    private BlockingCall? _blocking;
    private long _lastSocketFd = -1;

    public ScriptExecution(Script script, RunConfig config, string directory)
    {
        _script = script;
        _config = config;
        _host = new SimulatedHost(config);
        _shell = new ShellModel(_host.Host.Net, _host.Tun, directory);
        _startNs = _host.Now;
    }

    private sealed class BlockingCall
    {
        public required SyscallEvent Event { get; init; }

        public required long StartUs { get; init; }

        public required long EndUs { get; init; }

        public bool Done { get; set; }

        public long ReturnedUs { get; set; }

        public string? Error { get; set; }
    }

    private long NowUs => (_host.Now - _startNs) / NsPerUs;

    /// <summary>The line of the event being run (for a failure that is not a mismatch).</summary>
    public int? CurrentLine { get; private set; }

    /// <summary>What the event being run is, in one line (a syscall as written, or the packet's direction).</summary>
    public string CurrentWhat { get; private set; } = string.Empty;

    /// <summary>Virtual time now, in script microseconds.</summary>
    public long CurrentUs => NowUs;

    private long Ns(long us) => _startNs + us * NsPerUs;

    public void Execute()
    {
        long prevUs = 0;
        long? lastEventUs = null;
        var prevInbound = false;
        foreach (var e in _script.Events)
        {
            CurrentLine = e.Line;
            CurrentWhat = e switch
            {
                SyscallEvent sc => Call(sc),
                PacketEvent pe => pe.Direction == PacketDirection.Inbound ? "an inbound packet" : "an outbound packet",
                CommandEvent => "a command",
                _ => "a %{ }% block",
            };
            var t = e.Time;
            var inbound = e is PacketEvent { Direction: PacketDirection.Inbound };

            // packetdrill's anchoring: a relative time counts from the previous event's script
            // time only between two inbound packets; otherwise from now, when the previous
            // event has finished (so the time the kernel took carries over, as on a real run).
            var offset = prevInbound && inbound ? prevUs : NowUs;
            long start, end;
            long? blockingEnd = null;
            switch (t.Kind)
            {
                case TimeKind.Absolute:
                    start = end = t.Start.Microseconds;
                    break;
                case TimeKind.Relative:
                    start = end = offset + t.Start.Microseconds;
                    break;
                case TimeKind.Range:
                    start = t.Start.IsRelative ? offset + t.Start.Microseconds : t.Start.Microseconds;
                    end = t.End is { } en ? (en.IsRelative ? offset + en.Microseconds : en.Microseconds) : start;
                    break;
                case TimeKind.Any:
                    start = end = offset;
                    break;
                default:
                    start = end = NowUs;
                    break;
            }

            if (t.BlockingEnd is { } be)
            {
                // The end of a relative blocking call moves with its start's anchor.
                blockingEnd = t.Kind == TimeKind.Relative || be.IsRelative ? offset + be.Microseconds : be.Microseconds;
            }

            switch (e)
            {
                case TcpPacketEvent p when p.Direction == PacketDirection.Outbound:
                    Outbound(p, start, end, lastEventUs);
                    break;
                case TcpPacketEvent p:
                    _host.RunTo(Ns(start));
                    CheckBlocking();
                    Inbound(p, start);
                    break;
                case IcmpPacketEvent p when p.Direction == PacketDirection.Inbound:
                    _host.RunTo(Ns(start));
                    CheckBlocking();
                    InboundIcmp(p, start);
                    break;
                case PacketEvent p:
                    throw new ScriptFailure(p.Line, start, $"{(p.Direction == PacketDirection.Outbound ? "outbound " : string.Empty)}{p.Protocol} packets are not modelled by the runner");
                case SyscallEvent s:
                    _host.RunTo(Ns(start));
                    CheckBlocking();
                    if (blockingEnd is { } bend)
                    {
                        StartBlocking(s, start, bend);
                    }
                    else
                    {
                        NonBlocking(s, start);
                    }

                    break;
                case CommandEvent c:
                    _host.RunTo(Ns(start));
                    CheckBlocking();
                    var outcome = _shell.Run(c.Command);
                    if (outcome.NotModelled is not null)
                    {
                        throw new ScriptFailure(c.Line, start, outcome.NotModelled);
                    }

                    if (outcome.Status != 0)
                    {
                        throw new ScriptFailure(c.Line, start, $"command failed with status {outcome.Status}: `{c.Command.Trim()}`");
                    }

                    break;
                case CodeEvent code:
                    _host.RunTo(Ns(start));
                    CheckBlocking();
                    Code(code, start);
                    break;
            }

            CheckBlocking();
            if (t.Kind is not TimeKind.None)
            {
                lastEventUs = start;
                prevUs = start;
                prevInbound = inbound;
            }
        }

        // A blocking call still running: packetdrill waits a second for it, then gives up.
        if (_blocking is { Done: false } b)
        {
            _host.RunUntil(() => b.Done, _host.Now + NonBlockingLimitUs * NsPerUs);
            CheckBlocking();
            if (_blocking is { Done: false })
            {
                throw new ScriptFailure(b.Event.Line, NowUs, $"exiting while a blocking system call is in progress ({b.Event.Name})");
            }
        }

        // packetdrill stops after the last event without looking at what is still unread
        // (the selftests rely on it: a final ACK is often left); the runner says so.
        _host.RunTo(_host.Now + _config.ToleranceUsecs * NsPerUs);
        foreach (var p in _host.Outbound)
        {
            if (TcpSegment.Parse(p.Bytes) is { } seg)
            {
                Leftovers.Add($"{Describe(seg)} at {TimeCheck.Secs((p.AtNs - _startNs) / NsPerUs)} s");
            }
        }
    }

    /// <summary>The simulated machine the script runs on.</summary>
    public SimulatedHost Host => _host;

    /// <summary>The script's end as a process exit: its descriptors and packetdrill's tun closed, the kernel settled, the ledgers read.</summary>
    public KernelNet.Scenarios.Sim.LedgerReport ExitAndSettle()
    {
        CurrentLine = null;
        CurrentWhat = "the exit (closing every descriptor) and the settle";
        return _host.ExitAndSettle();
    }

    /// <summary>Outbound packets no line read by the end of the script (and its tolerance), in script notation.</summary>
    public List<string> Leftovers { get; } = new();

    private string Describe(TcpSegment live)
    {
        var c = _connections.FirstOrDefault(x => x.LocalPort == live.SourcePort && x.RemotePort == live.DestinationPort);
        if (c is null || !c.LocalIsnKnown)
        {
            return live.ToScript() + " (live sequence numbers)";
        }

        var copy = TcpSegment.Parse(live.ToBytes())!;
        var syn = copy.Has(TcpFlags.Syn);
        copy.Seq -= c.LocalSeqScriptToLive(syn);
        if (copy.Has(TcpFlags.Ack))
        {
            copy.AckSeq -= c.RemoteSeqScriptToLive(syn);
        }

        return copy.ToScript();
    }

    private void CheckBlocking()
    {
        if (_blocking is { Done: true } b)
        {
            _blocking = null;
            if (b.Error is not null)
            {
                throw new ScriptFailure(b.Event.Line, b.ReturnedUs, b.Error);
            }

            var err = TimeCheck.Verify(_config, TimeKind.Absolute, b.EndUs, null, b.ReturnedUs, b.StartUs, "system call return");
            if (err is not null)
            {
                throw new ScriptFailure(b.Event.Line, b.ReturnedUs, $"{Call(b.Event)}: {err}");
            }
        }
    }

    private void StartBlocking(SyscallEvent s, long startUs, long endUs)
    {
        if (_blocking is { Done: false })
        {
            throw new ScriptFailure(s.Line, startUs, "blocking system call while another blocking system call is already in progress");
        }

        var call = new BlockingCall { Event = s, StartUs = startUs, EndUs = endUs };
        _blocking = call;
        _host.ScriptThread(async libc =>
        {
            var error = await Invoke(libc, s);
            call.ReturnedUs = (libc.Now - _startNs) / NsPerUs;
            call.Error = error;
            call.Done = true;
        });

        // Let the call start (and block) before the next event, as packetdrill waits for its thread to sleep.
        _host.RunTo(_host.Now);
    }

    private void NonBlocking(SyscallEvent s, long startUs)
    {
        var done = false;
        string? error = null;
        _host.ScriptThread(async libc =>
        {
            error = await Invoke(libc, s);
            done = true;
        });
        if (!_host.RunUntil(() => done, _host.Now + NonBlockingLimitUs * NsPerUs))
        {
            throw new ScriptFailure(s.Line, startUs, $"{s.Name} blocked (it did not return within {NonBlockingLimitUs / 1000} ms); a blocking call needs a ...END time");
        }

        if (error is not null)
        {
            throw new ScriptFailure(s.Line, NowUs, error);
        }
    }

    private void Inbound(TcpPacketEvent p, long startUs)
    {
        if (p.Window is null)
        {
            throw new ScriptFailure(p.Line, startUs, "window must be specified for inbound packets");
        }

        var syn = (p.Flags & TcpFlags.Syn) != 0;
        var ack = p.Ack is not null || (p.Flags & TcpFlags.Ack) != 0;
        if (syn && !ack)
        {
            // A new connection from the remote side, to the bound port.
            _current = new Connection { LocalPort = _config.BindPort, RemotePort = _nextRemotePort++ };
            _connections.Add(_current);
        }

        var c = _current ?? throw new ScriptFailure(p.Line, startUs, "inbound packet for no connection (no SYN has started one)");
        if (syn)
        {
            c.LiveRemoteIsn = p.Sequence.Start;
        }

        if (ack && !c.LocalIsnKnown)
        {
            throw new ScriptFailure(p.Line, startUs, "inbound packet acks data of a connection whose local ISN is not known yet");
        }

        var (seg, err) = PacketMatcher.Inbound(p, c, _host.RemoteAddress, _host.LocalAddress, _config.TcpTsEcrScaled);
        if (seg is null)
        {
            throw new ScriptFailure(p.Line, startUs, err!);
        }

        var done = false;
        long ret = 0;
        var bytes = seg.ToBytes();
        _host.Inject(bytes, r =>
        {
            ret = r;
            done = true;
        });
        _host.RunUntil(() => done, _host.Now + NonBlockingLimitUs * NsPerUs);
        if (!done || ret != bytes.Length)
        {
            throw new ScriptFailure(p.Line, startUs, $"writing the packet into tun0 failed ({(done ? ret : "blocked")})");
        }
    }

    /// <summary>
    /// An inbound ICMP error about the socket under test (packetdrill's
    /// map_inbound_icmp_packet): it quotes a segment our side sent, so the
    /// quoted ports are ours then the remote's, and the quoted sequence number
    /// is in our sequence space (script range plus the live ISN).
    /// </summary>
    private void InboundIcmp(IcmpPacketEvent p, long startUs)
    {
        var (type, code, error) = IcmpMessage.TypeAndCode(p.Type, p.Code);
        if (error is not null)
        {
            throw new ScriptFailure(p.Line, startUs, error);
        }

        if (p.Mtu is { } m && (type != 3 || code != 4 || m > ushort.MaxValue))
        {
            throw new ScriptFailure(p.Line, startUs, m > ushort.MaxValue ? "ICMPv4 MTU out of 16-bit range" : "ICMPv4 MTU is only valid for unreachable-frag_needed");
        }

        var c = _current ?? throw new ScriptFailure(p.Line, startUs, "inbound ICMP packet for no connection");
        if (!c.LocalIsnKnown)
        {
            throw new ScriptFailure(p.Line, startUs, "inbound ICMP packet quotes a segment of a connection whose local ISN is not known yet");
        }

        var range = p.Embedded ?? default;
        var ecn = (byte)(p.Ecn switch
        {
            EcnCodepoint.Ect1 => 1,
            EcnCodepoint.Ect0 or EcnCodepoint.Ect01 => 2,
            EcnCodepoint.Ce => 3,
            _ => 0,
        });
        var bytes = IcmpMessage.Build(
            type,
            code,
            (ushort?)p.Mtu,
            _host.RemoteAddress,
            _host.LocalAddress,
            ecn,
            _host.LocalAddress,
            _host.RemoteAddress,
            c.LocalPort,
            c.RemotePort,
            range.Start + c.LocalSeqScriptToLive(false),
            (int)range.Length);

        var done = false;
        long ret = 0;
        _host.Inject(bytes, r =>
        {
            ret = r;
            done = true;
        });
        _host.RunUntil(() => done, _host.Now + NonBlockingLimitUs * NsPerUs);
        if (!done || ret != bytes.Length)
        {
            throw new ScriptFailure(p.Line, startUs, $"writing the packet into tun0 failed ({(done ? ret : "blocked")})");
        }
    }

    private void Outbound(TcpPacketEvent p, long startUs, long endUs, long? lastEventUs)
    {
        var tol = TimeCheck.Tolerance(_config, startUs, lastEventUs);
        var deadlineNs = Ns(endUs + tol + LateLimitUs);
        var script = PacketMatcher.ScriptSegment(p);
        var expected = $"{(p.Ecn is null ? string.Empty : "[" + p.Ecn + "] ")}{p.FlagsText} {p.Sequence}{(p.Ack is { } a ? " ack " + a.ToString(CultureInfo.InvariantCulture) : string.Empty)}{(p.Window is { } w ? " win " + w.ToString(CultureInfo.InvariantCulture) : string.Empty)}{(p.Options is { } o ? " <" + o + ">" : string.Empty)}";
        while (true)
        {
            if (!_host.RunUntil(() => _host.Outbound.Count > 0, deadlineNs))
            {
                throw new ScriptFailure(p.Line, endUs, $"expected outbound packet > {expected} at {TimeCheck.Secs(startUs)} s; none was sent by {TimeCheck.Secs(endUs + tol + LateLimitUs)} s");
            }

            var captured = _host.Outbound.Dequeue();
            var live = TcpSegment.Parse(captured.Bytes);
            if (live is null)
            {
                // Not IPv4 TCP (none is expected from the port): not the script's business.
                continue;
            }

            // packetdrill (do_outbound_script_packet, without --strict_segments) sniffs further packets of the
            // same flow until their payloads add up to the script's: a TSO write the kernel sent as several
            // GSO packets is compared as one
            if (!_config.StrictSegments && live.Payload.Length > 0 && live.Payload.Length < script.Payload.Length)
            {
                live = Aggregate(p, live, script.Payload.Length, deadlineNs);
            }

            var actualUs = (captured.AtNs - _startNs) / NsPerUs;
            if (_current is not null && !_current.Matches(live)
                && _connections.Any(x => x.LocalPort == live.SourcePort && x.RemotePort == live.DestinationPort))
            {
                // packetdrill sniffs only the socket under test: what an older connection sends (a closed socket's RST) is passed over
                continue;
            }

            var c = FindConnection(p, live, actualUs);
            if (script.Has(TcpFlags.Syn) && live.Has(TcpFlags.Syn))
            {
                c.LearnLocalIsn(script.Seq, live.Seq);
            }

            if (!c.LocalIsnKnown)
            {
                throw new ScriptFailure(p.Line, actualUs, $"outbound packet before the connection's SYN: {live.ToScript()}");
            }

            var actual = PacketMatcher.ToScriptSpace(live, c, script);
            var tsTolerance = Math.Max(_config.ToleranceUsecs, (long)(_config.TolerancePercent / 100.0 * startUs));
            var err = PacketMatcher.Verify(p, script, actual, _config, tsTolerance)
                ?? TimeCheck.Verify(_config, p.Time.Kind, startUs, endUs, actualUs, lastEventUs, "outbound packet");
            if (err is not null)
            {
                throw new ScriptFailure(p.Line, actualUs, $"{err}; expected: > {expected}; actual: > {actual.ToScript()} at {TimeCheck.Secs(actualUs)} s");
            }

            return;
        }
    }

    /// <summary>
    /// packetdrill's aggregation of consecutive outbound fragments: each must continue the previous
    /// one's sequence space in the same flow; the aggregate keeps the first's header, with the payloads
    /// joined and the last's PSH and FIN (a GSO write marks only its last packet).
    /// </summary>
    private TcpSegment Aggregate(TcpPacketEvent p, TcpSegment first, int expectedPayload, long deadlineNs)
    {
        var payload = new List<byte>(first.Payload);
        var last = first;
        while (payload.Count < expectedPayload)
        {
            if (!_host.RunUntil(() => _host.Outbound.Count > 0, deadlineNs))
            {
                break;
            }

            var next = TcpSegment.Parse(_host.Outbound.Dequeue().Bytes);
            if (next is null || next.SourcePort != first.SourcePort || next.DestinationPort != first.DestinationPort)
            {
                continue;
            }

            var expectedSeq = last.Seq + (uint)last.Payload.Length;
            if (next.Seq != expectedSeq || next.Payload.Length == 0)
            {
                throw new ScriptFailure(p.Line, (_host.Now - _startNs) / NsPerUs, $"aggregate candidate: tcp_seq expected {expectedSeq} vs actual {next.Seq} ({next.ToScript()})");
            }

            payload.AddRange(next.Payload);
            last = next;
        }

        first.Payload = payload.ToArray();
        first.Flags = (first.Flags & ~(TcpFlags.Psh | TcpFlags.Fin)) | (last.Flags & (TcpFlags.Psh | TcpFlags.Fin));
        return first;
    }

    private Connection FindConnection(TcpPacketEvent p, TcpSegment live, long actualUs)
    {
        var c = _connections.FirstOrDefault(x => x.LocalPort == live.SourcePort && x.RemotePort == live.DestinationPort);
        if (c is not null)
        {
            _current = c;
            return c;
        }

        if (live.Has(TcpFlags.Syn) && !live.Has(TcpFlags.Ack))
        {
            // An active open: the kernel picked the local port.
            c = new Connection { LocalPort = live.SourcePort, RemotePort = live.DestinationPort };
            _connections.Add(c);
            _current = c;
            return c;
        }

        throw new ScriptFailure(p.Line, actualUs, $"outbound packet of no known connection: {live.ToScript()} ({live.SourcePort} -> {live.DestinationPort})");
    }

    private void Code(CodeEvent code, long startUs)
    {
        var block = code.ParseCode();
        if (_lastSocketFd < 0)
        {
            throw new ScriptFailure(code.Line, startUs, "%{ }% block with no socket to read TCP_INFO from");
        }

        var buf = new byte[TcpInfo.Size];
        var mem = new byte[TcpInfo.MemInfoNames.Length * 4];
        (long Ret, int Len) r = (0, 0);
        (long Ret, int Len) m = (0, 0);
        var done = false;
        var fd = (int)_lastSocketFd;
        _host.ScriptThread(async libc =>
        {
            // like packetdrill: TCP_INFO, then getsockopt(SOL_SOCKET, SO_MEMINFO) for the SK_MEMINFO_* names
            r = await libc.GetSockOptBytes(fd, 6, 11, buf, buf.Length);
            m = await libc.GetSockOptBytes(fd, 1, 55, mem, mem.Length);
            done = true;
        });
        _host.RunUntil(() => done, _host.Now + NonBlockingLimitUs * NsPerUs);
        if (r.Ret < 0)
        {
            throw new ScriptFailure(code.Line, startUs, $"%{{ }}% needs TCP_INFO, which the kernel does not provide: getsockopt(TCP_INFO) = -1 {Symbols.ErrnoName(-r.Ret)}");
        }

        var vars = TcpInfo.Decode(buf, r.Len);
        if (m.Ret >= 0)
        {
            TcpInfo.DecodeMemInfo(mem, m.Len, vars);
        }
        try
        {
            var result = block.Evaluate(vars);
            if (!result.Passed)
            {
                throw new ScriptFailure(code.Line, startUs, $"%{{ }}% assertion failed: {result.FailedAssertion}{(result.Message is null ? string.Empty : " (" + result.Message + ")")}");
            }
        }
        catch (Code.CodeEvaluationException ex)
        {
            throw new ScriptFailure(code.Line, startUs, ex.Message);
        }
    }
}
