using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.Threading.Tasks;
using KernelNet.Machine;
using KernelNet.Packetdrill.Ast;
using KernelNet.Packetdrill.Ast.Expressions;

namespace KernelNet.Packetdrill.Run;

/// <summary>Script syscalls as calls of the simulated task's libc, and their checks (result, errno, out-values).</summary>
internal sealed partial class ScriptExecution
{
    /// <summary>A value a script cannot give the runner (an unknown name, an unsupported form).</summary>
    /// <summary>Something the runner itself cannot do (a buffer it cannot hold): reported as a runner error.</summary>
    internal sealed class RunnerLimit : Exception
    {
        public RunnerLimit(string message)
            : base(message)
        {
        }
    }

    private sealed class UnsupportedArgument : Exception
    {
        public UnsupportedArgument(string message)
            : base(message)
        {
        }
    }

    private static long Int(Expression e) => e switch
    {
        IntegerExpression i => i.Value,
        IdentifierExpression id when Symbols.Values.TryGetValue(id.Name, out var v) => v,
        BinaryExpression { Operator: "|" } b => Int(b.Left) | Int(b.Right),
        ArrayExpression { Elements.Length: 1 } a => Int(a.Elements[0]),
        _ => throw new UnsupportedArgument($"cannot use {e} as an integer"),
    };

    private static bool IsNull(Expression e) => e is IdentifierExpression { Name: "NULL" } || e is IntegerExpression { Value: 0 };

    private long Fd(Expression e)
    {
        var fd = Int(e);
        return _fds.TryGetValue(fd, out var live) ? live : fd;
    }

    /// <summary>The largest user buffer the runner makes (packetdrill mallocs the buffer a call names; the runner keeps it in one array).</summary>
    private const long MaxUserBuffer = 256L * 1024 * 1024;

    /// <summary>A user buffer of <paramref name="len"/> bytes: null for a NULL pointer, zeros for <c>...</c>, the bytes of a string.</summary>
    private static byte[]? Buffer(Expression e, long len) => e switch
    {
        _ when IsNull(e) => null,
        StringExpression s => Pad(s.Bytes(), len),
        _ => new byte[CheckedLength(len)],
    };

    /// <summary>A buffer length the runner can hold; beyond <see cref="MaxUserBuffer"/> it is the runner's limit, not the kernel's: a runner error.</summary>
    private static int CheckedLength(long len)
    {
        if (len > MaxUserBuffer)
        {
            throw new RunnerLimit($"a user buffer of {len} bytes is beyond the runner's {MaxUserBuffer} (runner limit, not a kernel result)");
        }

        return (int)Math.Max(0, len);
    }

    private static byte[] Pad(byte[] b, long len)
    {
        var r = new byte[Math.Max(b.Length, CheckedLength(len))];
        b.CopyTo(r, 0);
        return r;
    }

    private SockAddrIn LocalBind() => new(SockAddrIn.ParseAddress(_config.LocalIp), _config.BindPort);

    private SockAddrIn RemoteConnect() => new(SockAddrIn.ParseAddress(_config.RemoteIp), _config.ConnectPort);

    private async Task<string?> Invoke(Libc libc, SyscallEvent s)
    {
        try
        {
            var a = s.Arguments;
            string? outError = null;
            var checkFd = false;
            long ret;
            switch (s.Name)
            {
                case "socket":
                    checkFd = true;
                    var domain = a[0] is EllipsisExpression ? Libc.AF_INET : (int)Int(a[0]);
                    ret = await libc.Socket(domain, (int)Int(a[1]), (int)Int(a[2]));
                    break;
                case "bind":
                    ret = await libc.Bind((int)Fd(a[0]), LocalBind());
                    break;
                case "connect" when a.Length >= 2 && a[1] is IdentifierExpression { Name: "AF_UNSPEC" }:
                    // connect(fd, AF_UNSPEC, ...): a sockaddr whose family is AF_UNSPEC (tcp_disconnect).
                    ret = await libc.Connect((int)Fd(a[0]), new byte[SockAddrIn.Size], SockAddrIn.Size);
                    break;
                case "connect":
                    ret = await libc.Connect((int)Fd(a[0]), RemoteConnect());
                    break;
                case "listen":
                    ret = await libc.Listen((int)Fd(a[0]), (int)Int(a[1]));
                    break;
                case "accept":
                case "accept4":
                    checkFd = true;
                    ret = await libc.Accept((int)Fd(a[0]));
                    break;
                case "close":
                    ret = await libc.Close((int)Fd(a[0]));
                    break;
                case "shutdown":
                    ret = await libc.Shutdown((int)Fd(a[0]), (int)Int(a[1]));
                    break;
                case "read":
                    ret = await libc.Read((int)Fd(a[0]), Buffer(a[1], Int(a[2])), (int)Int(a[2]));
                    break;
                case "write":
                    ret = await libc.Write((int)Fd(a[0]), Buffer(a[1], Int(a[2])), (int)Int(a[2]));
                    break;
                case "send":
                case "sendto":
                    // sendto's "..." address is the remote end, as packetdrill fills it in (MSG_FASTOPEN connects to it).
                    ret = await libc.SendTo((int)Fd(a[0]), Buffer(a[1], Int(a[2])), (int)Int(a[2]), (int)Int(a[3]), s.Name == "sendto" && a.Length >= 5 && a[4] is EllipsisExpression ? RemoteConnect() : null);
                    break;
                case "recv":
                case "recvfrom":
                    ret = await libc.RecvFrom((int)Fd(a[0]), Buffer(a[1], Int(a[2])), (int)Int(a[2]), (int)Int(a[3]));
                    break;
                case "fcntl":
                    ret = await libc.Fcntl((int)Fd(a[0]), (int)Int(a[1]), a.Length > 2 ? Int(a[2]) : 0);
                    break;
                case "ioctl":
                    {
                        var arg = new byte[sizeof(int)];
                        ret = await libc.Ioctl((int)Fd(a[0]), (uint)Int(a[1]), arg);
                        if (ret >= 0 && a.Length > 2 && a[2] is ArrayExpression { Elements.Length: 1 } want)
                        {
                            var got = BinaryPrimitives.ReadInt32LittleEndian(arg);
                            if (got != Int(want))
                            {
                                outError = $"ioctl: expected [{Int(want)}] but the kernel wrote [{got}]";
                            }
                        }

                        break;
                    }

                case "setsockopt":
                    ret = a[3] switch
                    {
                        StringExpression str => await libc.SetSockOpt((int)Fd(a[0]), (int)Int(a[1]), (int)Int(a[2]), Pad(str.Bytes(), Int(a[4]))),
                        ArrayExpression or IntegerExpression or IdentifierExpression => await libc.SetSockOpt((int)Fd(a[0]), (int)Int(a[1]), (int)Int(a[2]), Int(a[3])),
                        _ => throw new UnsupportedArgument($"setsockopt value {a[3]} is not modelled"),
                    };
                    break;
                case "getsockopt":
                    {
                        var len = a.Length > 4 && a[4] is ArrayExpression { Elements.Length: 1 } l ? (int)Int(l) : sizeof(int);
                        var buf = new byte[Math.Max(len, 256)];
                        var (r, outLen) = await libc.GetSockOptBytes((int)Fd(a[0]), (int)Int(a[1]), (int)Int(a[2]), buf, len);
                        ret = r;
                        if (r >= 0 && a[3] is ArrayExpression { Elements.Length: 1 } want && want.Elements[0] is not EllipsisExpression)
                        {
                            var got = BinaryPrimitives.ReadInt32LittleEndian(buf);
                            if (got != Int(want))
                            {
                                outError = $"getsockopt: expected value [{Int(want)}] but got [{got}]";
                            }
                        }

                        if (r >= 0 && outError is null && a.Length > 4 && a[4] is ArrayExpression { Elements.Length: 1 } wantLen && outLen != Int(wantLen))
                        {
                            outError = $"getsockopt: expected optlen [{Int(wantLen)}] but got [{outLen}]";
                        }

                        break;
                    }

                case "sendmsg":
                    {
                        var msg = Msg(a[1], forReceive: false);
                        ret = await libc.SendMsg((int)Fd(a[0]), msg, (int)Int(a[2]));
                        break;
                    }

                case "recvmsg":
                    {
                        var msg = Msg(a[1], forReceive: true);
                        ret = await libc.RecvMsg((int)Fd(a[0]), msg, (int)Int(a[2]));
                        if (ret >= 0)
                        {
                            outError = CheckReceivedMsg((StructExpression)a[1], msg, s);
                        }

                        break;
                    }

                case "epoll_create":
                    {
                        // packetdrill's epoll_create: the result is a descriptor the script names (to_live_fd later)
                        ret = await libc.EpollCreate((int)Int(a[0]));
                        if (ret >= 0 && s.Result is not EllipsisExpression && Int(s.Result) >= 0)
                        {
                            _fds[Int(s.Result)] = ret;
                            return null;
                        }

                        break;
                    }

                case "epoll_ctl":
                    {
                        // {events=..., fd=N}: fd must be the target's script fd and becomes its live fd; ptr/u32/u64 are raw data
                        var (events, data) = EpollEvent(a[3], scriptFd: Int(a[2]));
                        ret = await libc.EpollCtl((int)Fd(a[0]), (int)Int(a[1]), (int)Fd(a[2]), events, data);
                        break;
                    }

                case "epoll_wait":
                    {
                        // as packetdrill checks it: the first slot of the array (zeros when nothing was reported) against the script's event
                        var (wantEvents, wantData) = EpollEvent(a[1], scriptFd: null);
                        var maxevents = (int)Int(a[2]);
                        if (maxevents <= 0 || maxevents > 4096)
                        {
                            throw new UnsupportedArgument($"maxevents {maxevents} is not modelled");
                        }

                        var got = new (uint Events, ulong Data)[maxevents];
                        ret = await libc.EpollWait((int)Fd(a[0]), got, (int)Int(a[3]));
                        if (CheckResult(s, ret, false) is { } err)
                        {
                            return err;
                        }

                        if (got[0].Events != wantEvents)
                        {
                            return $"{Call(s)}: epoll_event->events does not match script: expected: 0x{wantEvents:x} actual: 0x{got[0].Events:x}";
                        }

                        if (got[0].Data != wantData)
                        {
                            return $"{Call(s)}: epoll_event->data does not match script: expected: {wantData} actual: {got[0].Data}";
                        }

                        return null;
                    }

                case "poll":
                    {
                        if (a[0] is not ArrayExpression list)
                        {
                            throw new UnsupportedArgument($"pollfd array {a[0]} is not a list");
                        }

                        var fds = new PollFd[list.Elements.Length];
                        for (var i = 0; i < fds.Length; i++)
                        {
                            if (list.Elements[i] is not StructExpression pfd || pfd.Field("fd") is not { } fdExpr)
                            {
                                throw new UnsupportedArgument($"pollfd {list.Elements[i]} is not {{fd=..., events=..., revents=...}}");
                            }

                            fds[i] = new PollFd((int)Fd(fdExpr), (short)(pfd.Field("events") is { } ev ? Int(ev) : 0));
                        }

                        if (Int(a[1]) != fds.Length)
                        {
                            throw new UnsupportedArgument($"nfds {Int(a[1])} does not match {fds.Length}-element pollfd array");
                        }

                        ret = await libc.Poll(fds, (int)Int(a[2]));
                        if (CheckResult(s, ret, false) is { } err)
                        {
                            return err;
                        }

                        for (var i = 0; i < fds.Length; i++)
                        {
                            if (((StructExpression)list.Elements[i]).Field("revents") is { } want && (short)Int(want) != fds[i].Revents)
                            {
                                return $"{Call(s)}: pollfd {i} expected revents 0x{(ushort)Int(want):x} but got 0x{(ushort)fds[i].Revents:x}";
                            }
                        }

                        return null;
                    }

                case "open":
                    {
                        // open(path, flags[, mode]): a file of the simulated tmpfs; the script's descriptor maps to the live one
                        if (a[0] is not StringExpression path)
                        {
                            throw new UnsupportedArgument($"open path {a[0]} is not a string");
                        }

                        ret = await libc.Open(path.Value, (int)Int(a[1]), a.Length > 2 ? (int)Int(a[2]) : 0x1a4);
                        ret = MapFd(s, ret);
                        break;
                    }

                case "sendfile":
                    {
                        // sendfile(out, in, [offset] | NULL, count): the offset is read, and checked after the call when the script gives it
                        long[]? off = IsNull(a[2]) ? null : new[] { Int(a[2]) };
                        ret = await libc.Sendfile((int)Fd(a[0]), (int)Fd(a[1]), off, Int(a[3]));
                        break;
                    }

                case "pipe":
                case "pipe2":
                    {
                        // pipe([r, w]): the script's two descriptors map to the live ends
                        if (a[0] is not ArrayExpression { Elements.Length: 2 } ends)
                        {
                            throw new UnsupportedArgument($"pipe's argument {a[0]} is not a two-element array");
                        }

                        var fds = new int[2];
                        ret = await libc.Pipe2(fds, s.Name == "pipe2" && a.Length > 1 ? (int)Int(a[1]) : 0);
                        if (ret == 0)
                        {
                            _fds[Int(ends.Elements[0])] = fds[0];
                            _fds[Int(ends.Elements[1])] = fds[1];
                        }

                        break;
                    }

                case "splice":
                    {
                        long[]? offIn = IsNull(a[1]) ? null : new[] { Int(a[1]) };
                        long[]? offOut = IsNull(a[3]) ? null : new[] { Int(a[3]) };
                        ret = await libc.Splice((int)Fd(a[0]), offIn, (int)Fd(a[2]), offOut, Int(a[4]), (uint)Int(a[5]));
                        break;
                    }

                case "lseek":
                    ret = await libc.Lseek((int)Fd(a[0]), Int(a[1]), (int)Int(a[2]));
                    break;
                case "unlink":
                    ret = a[0] is StringExpression up ? await libc.Unlink(up.Value) : throw new UnsupportedArgument($"unlink path {a[0]} is not a string");
                    break;
                default:
                    return $"syscall {s.Name} is not modelled by the runner";
            }

            return CheckResult(s, ret, checkFd) ?? outError;
        }
        catch (UnsupportedArgument u)
        {
            return $"{Call(s)}: {u.Message}";
        }
    }

    /// <summary>
    /// A script's struct epoll_event: events and the data member the script names —
    /// fd (a script descriptor, translated to its live one; in epoll_ctl it must be the target), ptr, u32 or u64.
    /// </summary>
    private (uint Events, ulong Data) EpollEvent(Expression e, long? scriptFd)
    {
        if (e is not StructExpression st || st.Field("events") is not { } events)
        {
            throw new UnsupportedArgument($"epoll_event {e} is not {{events=..., fd|ptr|u32|u64=...}}");
        }

        ulong data;
        if (st.Field("ptr") is { } ptr)
        {
            data = (ulong)Int(ptr);
        }
        else if (st.Field("fd") is { } fd)
        {
            if (scriptFd is { } target && Int(fd) != target)
            {
                throw new UnsupportedArgument("wrong fd specified in epoll_event");
            }

            data = (uint)(int)Fd(fd);
        }
        else if (st.Field("u32") is { } u32)
        {
            data = (uint)Int(u32);
        }
        else if (st.Field("u64") is { } u64)
        {
            data = (ulong)Int(u64);
        }
        else
        {
            throw new UnsupportedArgument("epoll_event specified incorrectly");
        }

        return ((uint)Int(events), data);
    }

    /// <summary>The call as the script wrote it (one line): <c>setsockopt(3, SOL_TCP, TCP_INQ, [1], 4)</c>.</summary>
    internal static string Call(SyscallEvent s)
    {
        var text = $"{s.Name}({string.Join(", ", s.Arguments)})";
        text = System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ");
        return text.Length > 100 ? text[..97] + "..." : text;
    }

    /// <summary>A new file descriptor (not a socket: packetdrill's socket under test stays): the script's number maps to the live one, which then reads as the script's.</summary>
    private long MapFd(SyscallEvent s, long ret)
    {
        if (ret >= 0 && s.Result is not EllipsisExpression && Int(s.Result) is var want && want >= 0)
        {
            _fds[want] = ret;
            return want;
        }

        return ret;
    }

    private string? CheckResult(SyscallEvent s, long ret, bool checkFd)
    {
        var expected = s.Result is EllipsisExpression ? (long?)null : Int(s.Result);
        var actual = ret < 0 ? -1 : ret;
        if (checkFd && actual >= 0)
        {
            // packetdrill's socket under test: the newest socket() or accepted socket, whose TCP_INFO a %{ }% block reads
            _lastSocketFd = actual;
        }

        var errno = ret < 0 ? -ret : 0;
        string Got() => ret < 0 ? $"-1 {Symbols.ErrnoName(errno)}" : ret.ToString(CultureInfo.InvariantCulture);
        if (expected is { } want)
        {
            if (checkFd && want >= 0)
            {
                if (actual < 0)
                {
                    return $"{Call(s)}: expected non-negative result but got {Got()}";
                }

                _fds[want] = actual;
            }
            else if (actual != want)
            {
                return $"{Call(s)}: expected result {want}{(s.ErrnoName is null ? string.Empty : " " + s.ErrnoName)} but got {Got()}";
            }
        }

        if (s.ErrnoName is { } name)
        {
            if (!Symbols.Errnos.TryGetValue(name, out var wantErrno))
            {
                return $"{Call(s)}: unknown errno {name}";
            }

            if (errno != wantErrno)
            {
                return $"{Call(s)}: expected errno {name} but got {(errno == 0 ? "no error" : Symbols.ErrnoName(errno))}";
            }
        }

        return null;
    }

    /// <summary>A script's struct msghdr: msg_iov's buffers (… zeros, NULL), msg_control's size from the expected cmsgs.</summary>
    private static UserMsg Msg(Expression e, bool forReceive)
    {
        if (e is not StructExpression st)
        {
            throw new UnsupportedArgument($"msghdr {e} is not a struct");
        }

        var msg = new UserMsg();
        if (st.Field("msg_iov") is ArrayExpression iov)
        {
            foreach (var el in iov.Elements)
            {
                if (el is not StructExpression { Fields.Length: 2 } v)
                {
                    throw new UnsupportedArgument($"iovec {el} is not {{base, len}}");
                }

                var len = Int(v.Fields[1].Value);
                msg.Iov.Add((Buffer(v.Fields[0].Value, len), (int)len));
            }
        }

        if (st.Field("msg_control") is ArrayExpression control)
        {
            foreach (var c in control.Elements)
            {
                // struct scm_timestamping is three timespecs; IP_RECVERR's is sock_extended_err and the offender's address
                var dataLen = c is StructExpression cs && cs.Field("cmsg_data") is StructExpression inner
                    ? (inner.Field("scm_sec") is not null ? ScmTimestampingSize : Math.Max(inner.Fields.Length * 8, ExtendedErrSize + 28))
                    : sizeof(int);
                msg.ControlLen += 16 + ((dataLen + 7) & ~7);
            }
        }
        else if (forReceive && st.Field("msg_control") is not null)
        {
            throw new UnsupportedArgument("msg_control must be a list of cmsgs");
        }

        return msg;
    }

    /// <summary>sizeof(struct scm_timestamping): three struct timespec.</summary>
    private const int ScmTimestampingSize = 48;

    /// <summary>sizeof(struct sock_extended_err).</summary>
    private const int ExtendedErrSize = 16;

    /// <summary>
    /// A struct cmsg_data the script expects: sock_extended_err's fields (ee_*)
    /// against the bytes at their offsets, or scm_timestamping's ts[0]
    /// (scm_sec, scm_nsec: script time) against the stamp, within the tolerance
    /// of an event at that time (0 is not checked, as packetdrill does).
    /// </summary>
    private string? CheckCmsgStruct(int i, StructExpression want, byte[] data, SyscallEvent s)
    {
        if (want.Field("scm_sec") is { } secE)
        {
            var nsecE = want.Field("scm_nsec");
            var wantUs = (Int(secE) * 1_000_000) + ((nsecE is null ? 0 : Int(nsecE)) / 1000);
            if (data.Length < 16)
            {
                return $"recvmsg: cmsg {i} is {data.Length} bytes, too short for struct scm_timestamping";
            }

            var gotNs = (BinaryPrimitives.ReadInt64LittleEndian(data) * 1_000_000_000) + BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(8));
            if (wantUs == 0)
            {
                return null;
            }

            var gotUs = (gotNs - _startNs) / NsPerUs;
            var tol = TimeCheck.Tolerance(_config, wantUs, null);
            if (Math.Abs(gotUs - wantUs) > tol)
            {
                return string.Create(CultureInfo.InvariantCulture, $"recvmsg: cmsg {i} scm_timestamping ts[0] expected {TimeCheck.Secs(wantUs)} sec but was {TimeCheck.Secs(gotUs)} sec; tolerance {TimeCheck.Secs(tol)} sec");
            }

            return null;
        }

        if (data.Length < ExtendedErrSize)
        {
            return $"recvmsg: cmsg {i} is {data.Length} bytes, too short for struct sock_extended_err";
        }

        foreach (var f in want.Fields)
        {
            long got = f.Name switch
            {
                "ee_errno" => BinaryPrimitives.ReadUInt32LittleEndian(data),
                "ee_origin" => data[4],
                "ee_type" => data[5],
                "ee_code" => data[6],
                "ee_pad" => data[7],
                "ee_info" => BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(8)),
                "ee_data" => BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(12)),
                _ => throw new UnsupportedArgument($"cmsg_data field {f.Name} is not modelled"),
            };
            if (got != Int(f.Value))
            {
                return $"recvmsg: cmsg {i} expected {f.Name}={Int(f.Value)} but got {f.Name}={got} ({Call(s)})";
            }
        }

        return null;
    }

    private string? CheckReceivedMsg(StructExpression st, UserMsg msg, SyscallEvent s)
    {
        if (st.Field("msg_flags") is { } f and not EllipsisExpression && Int(f) != msg.Flags)
        {
            return $"recvmsg: expected msg_flags {Int(f)} but got {msg.Flags}";
        }

        if (st.Field("msg_control") is ArrayExpression control)
        {
            if (control.Elements.Length != msg.Control.Count)
            {
                return $"recvmsg: expected {control.Elements.Length} control messages but got {msg.Control.Count}";
            }

            for (var i = 0; i < control.Elements.Length; i++)
            {
                if (control.Elements[i] is not StructExpression c)
                {
                    return $"recvmsg: control message {control.Elements[i]} is not a struct";
                }

                var (level, type, data) = msg.Control[i];
                if (c.Field("cmsg_level") is { } l && Int(l) != level)
                {
                    return $"recvmsg: cmsg {i} expected level {l} but got {level}";
                }

                if (c.Field("cmsg_type") is { } t && Int(t) != type)
                {
                    return $"recvmsg: cmsg {i} expected type {t} but got {type}";
                }

                if (c.Field("cmsg_data") is StructExpression ds && CheckCmsgStruct(i, ds, data, s) is { } bad)
                {
                    return bad;
                }

                if (c.Field("cmsg_data") is { } d and (IntegerExpression or IdentifierExpression))
                {
                    var got = data.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(data) : -1;
                    if (got != Int(d))
                    {
                        return $"recvmsg: cmsg {i} expected data {Int(d)} but got {got}";
                    }
                }
            }
        }

        return null;
    }
}
