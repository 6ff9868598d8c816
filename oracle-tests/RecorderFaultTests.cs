using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using KernelNet.Scenarios.Oracle;
using KernelNet.Scenarios.Scenario;
using Moq;
using Xunit;

namespace KernelNet.OracleTests;

/// <summary>
/// Issue 15: a recording that fails or is interrupted at any point leaves nothing behind. The
/// recorder's system calls go to a Moq fake that keeps the machine's state as the real calls would
/// change it (namespaces, veths, nft tables, the tracefs instance, host threads, sockets); each
/// call of a real recording's sequence fails in turn, or is the moment Ctrl-C arrives, and
/// afterwards that state must be empty and the error one line. No root needed.
/// </summary>
public sealed class RecorderFaultTests
{
    private const int Pid = 424242;

    /// <summary>Two hosts, a veth, an nft rule set, a listener and a TCP transfer: every kind of thing the recorder creates.</summary>
    private static string ScenarioPath => Path.Combine(OracleFiles.Scenarios, "tcp-loss-fast-retransmit.yaml");

    /// <summary>What the recording's calls have made on the fake machine.</summary>
    private sealed class Machine
    {
        public readonly HashSet<string> Namespaces = new(StringComparer.Ordinal) { "kn-1-x" }; // a live recorder's (pid 1 exists)
        public readonly Dictionary<string, string> Veths = new(StringComparer.Ordinal);           // device -> namespace
        public readonly Dictionary<string, string> Peers = new(StringComparer.Ordinal);           // device -> its veth peer
        public readonly HashSet<string> NftTables = new(StringComparer.Ordinal);                  // namespace
        public readonly HashSet<string> TracefsDirs = new(StringComparer.Ordinal);
        public readonly HashSet<string> Threads = new(StringComparer.Ordinal);
        public readonly HashSet<int> Fds = [];
        public int Runners;
        public long Clock;
        public Func<string, bool> AlwaysFails = _ => false;
        public readonly List<string> Calls = [];
        public int FailAt = -1;
        public int CancelAt = -1;
        public CancellationTokenSource? Cancel;

        /// <summary>Counts a call; the chosen one fails as the real call would, or brings the interrupt.</summary>
        public void Hit(string call, Func<Exception> failure)
        {
            var index = Calls.Count;
            Calls.Add(call);
            if (index == CancelAt)
            {
                Cancel!.Cancel();
            }

            if (index == FailAt || AlwaysFails(call))
            {
                throw failure();
            }
        }

        /// <summary>What is still there that the recorder (pid <see cref="Pid"/>) made.</summary>
        public List<string> Leftovers() =>
        [
            .. Namespaces.Where(n => n.StartsWith($"kn-{Pid}-", StringComparison.Ordinal)).Select(n => $"namespace {n}"),
            .. Veths.Select(v => $"veth {v.Key} in {v.Value}"),
            .. NftTables.Select(n => $"nft table in {n}"),
            .. TracefsDirs.Where(d => d.Contains($"kn-{Pid}", StringComparison.Ordinal)).Select(d => $"tracefs {d}"),
            .. Threads.Select(t => $"thread {t}"),
            .. Fds.Select(fd => $"capture fd {fd}"),
            .. Enumerable.Repeat("step runner (its sockets)", Runners),
        ];
    }

    private static IRecorderSystem Fake(Machine m)
    {
        var sys = new Mock<IRecorderSystem>(MockBehavior.Strict);
        sys.Setup(s => s.CannotRecordReason()).Returns((string?)null);
        sys.Setup(s => s.Sleep(It.IsAny<int>())).Callback((int ms) => m.Clock += ms);
        sys.Setup(s => s.MonotonicMs()).Returns(() => m.Clock);
        sys.Setup(s => s.ProcessExists(It.IsAny<int>())).Returns((int pid) => pid is 1 or Pid);
        sys.Setup(s => s.ListNamespaces()).Returns(() =>
        {
            m.Hit("list namespaces", () => new IOException("/run/netns: Input/output error"));
            return m.Namespaces.ToList();
        });
        sys.Setup(s => s.Run(It.IsAny<string>(), It.IsAny<IReadOnlyList<string>>(), It.IsAny<string?>(), It.IsAny<bool>()))
            .Returns((string file, IReadOnlyList<string> args, string? stdin, bool check) =>
            {
                var line = $"{file} {string.Join(' ', args)}";
                m.Hit(line, () => new RecorderException($"{line}: RTNETLINK answers: Cannot allocate memory"));
                Apply(m, file, args);
                return file == "uname" ? "6.18.44\n" : string.Empty;
            });
        sys.Setup(s => s.EnterNamespace(It.IsAny<string>(), It.IsAny<string>())).Returns((string ns, string comm) =>
        {
            m.Hit($"setns {ns}", () => new RecorderException($"cannot enter namespace {ns}: setns: EPERM"));
            Assert.Contains(ns, m.Namespaces);
            m.Threads.Add(comm);
            var thread = new Mock<IHostThread>(MockBehavior.Strict);
            thread.Setup(t => t.Dispose()).Callback(() =>
            {
                m.Hit($"join {comm}", () => new InvalidOperationException($"{comm}: join timed out"));
                m.Threads.Remove(comm);
            });
            return thread.Object;
        });
        var nextFd = 100;
        sys.Setup(s => s.OpenCapture(It.IsAny<IHostThread>(), It.IsAny<string>())).Returns((IHostThread _, string dev) =>
        {
            m.Hit($"capture {dev}", () => new RecorderException($"socket(AF_PACKET) on {dev}: ENOBUFS"));
            m.Fds.Add(nextFd);
            return nextFd++;
        });
        sys.Setup(s => s.DrainCapture(It.IsAny<int>())).Returns((int fd) =>
        {
            m.Hit($"drain {fd}", () => new RecorderException($"recvfrom {fd}: EFAULT"));
            return [];
        });
        sys.Setup(s => s.CloseCapture(It.IsAny<int>())).Callback((int fd) =>
        {
            m.Hit($"close {fd}", () => new IOException($"close {fd}: EINTR"));
            m.Fds.Remove(fd);
        });
        sys.Setup(s => s.ReadCounters(It.IsAny<IHostThread>())).Returns(() =>
        {
            m.Hit("read /proc/net/snmp", () => new RecorderException("/proc/thread-self/net/snmp: EACCES"));
            return new Dictionary<string, long>(StringComparer.Ordinal) { ["Tcp.OutSegs"] = m.Calls.Count };
        });
        sys.Setup(s => s.NewStepRunner(It.IsAny<IReadOnlyDictionary<string, IHostThread>>(), It.IsAny<IReadOnlyDictionary<(string Link, string Host), string>>()))
            .Returns(() =>
            {
                m.Hit("step runner", () => new RecorderException("step runner: EMFILE"));
                m.Runners++;
                var runner = new Mock<IStepRunner>(MockBehavior.Strict);
                runner.Setup(r => r.Run(It.IsAny<Step>())).Returns((Step step) =>
                {
                    m.Hit($"step line {step.Line}", () => new RecorderException($"kn{Pid}-{step.Host}: a step did not finish within 15 s"));
                    return new StepResult(step.Line, step.GetType().Name, step.Host, "ok", "ok", true);
                });
                runner.Setup(r => r.Dispose()).Callback(() =>
                {
                    m.Hit("close step sockets", () => new IOException("close: EINTR"));
                    m.Runners--;
                });
                return runner.Object;
            });
        sys.Setup(s => s.TracefsMkdir(It.IsAny<string>())).Callback((string path) =>
        {
            m.Hit($"mkdir {path}", () => new IOException($"mkdir {path}: No space left on device"));
            m.TracefsDirs.Add(path);
        });
        sys.Setup(s => s.TracefsRmdir(It.IsAny<string>())).Returns((string path) =>
        {
            m.Hit($"rmdir {path}", () => new IOException($"rmdir {path}: Device or resource busy"));
            return m.TracefsDirs.Remove(path);
        });
        sys.Setup(s => s.TracefsExists(It.IsAny<string>())).Returns((string path) => m.TracefsDirs.Contains(path));
        sys.Setup(s => s.TracefsList(It.IsAny<string>())).Returns((string dir) =>
        {
            m.Hit($"ls {dir}", () => new IOException($"{dir}: Input/output error"));
            return dir.EndsWith("/per_cpu", StringComparison.Ordinal) ? [$"{dir}/cpu0"] : m.TracefsDirs.Where(d => Path.GetDirectoryName(d) == dir).ToList();
        });
        sys.Setup(s => s.TracefsWrite(It.IsAny<string>(), It.IsAny<string>())).Callback((string path, string value) =>
        {
            m.Hit($"write {path}={value}", () => new IOException($"{path}: Invalid argument"));
            Assert.True(m.TracefsDirs.Contains(Path.GetDirectoryName(path)!), $"write to {path} outside an instance");
        });
        sys.Setup(s => s.TracefsAppend(It.IsAny<string>(), It.IsAny<string>())).Callback((string path, string value) =>
            m.Hit($"append {path}+={value}", () => new IOException($"{path}: Invalid argument")));
        sys.Setup(s => s.TracefsRead(It.IsAny<string>())).Returns((string path) =>
        {
            m.Hit($"read {path}", () => new IOException($"{path}: Input/output error"));
            return path.EndsWith("/stats", StringComparison.Ordinal) ? "entries: 7\noverrun: 0\n" : "# tracer: nop\n";
        });
        return sys.Object;
    }

    /// <summary>What ip(8) and nft change: namespaces, veths (gone with their namespace), nft tables (likewise).</summary>
    private static void Apply(Machine m, string file, IReadOnlyList<string> args)
    {
        if (file != "ip")
        {
            return;
        }

        switch (args)
        {
            case ["netns", "add", var ns]:
                Assert.True(m.Namespaces.Add(ns), $"namespace {ns} added twice");
                break;
            case ["netns", "delete", var ns]:
                m.Namespaces.Remove(ns);
                // a veth pair goes with the namespace of either end
                foreach (var dev in m.Veths.Where(v => v.Value == ns).Select(v => v.Key).ToList())
                {
                    m.Veths.Remove(dev);
                    m.Veths.Remove(m.Peers[dev]);
                }

                m.NftTables.Remove(ns);
                break;
            case ["netns", "exec", var ns, "nft", ..]:
                Assert.Contains(ns, m.Namespaces);
                m.NftTables.Add(ns);
                break;
            case ["link", "add", var a, "netns", var nsA, ..]:
                var peer = args.ToList().IndexOf("peer");
                var b = args[peer + 2];
                var nsB = args[peer + 4];
                Assert.Contains(nsA, m.Namespaces);
                Assert.Contains(nsB, m.Namespaces);
                m.Veths[a] = nsA;
                m.Veths[b] = nsB;
                m.Peers[a] = b;
                m.Peers[b] = a;
                break;
        }
    }

    private static (int Code, string Log, Machine M) Record(int failAt = -1, int cancelAt = -1)
    {
        var m = new Machine { FailAt = failAt, CancelAt = cancelAt };
        using var cts = new CancellationTokenSource();
        m.Cancel = cts;
        var outDir = Path.Combine(Path.GetTempPath(), $"kn-fault-{Environment.ProcessId}-{failAt}-{cancelAt}");
        try
        {
            using var log = new StringWriter();
            var code = Recorder.Run(ScenarioPath, outDir, cts.Token, log, Fake(m), Pid);
            return (code, log.ToString(), m);
        }
        finally
        {
            if (Directory.Exists(outDir))
            {
                Directory.Delete(outDir, recursive: true);
            }
        }
    }

    /// <summary>The call sequence of a recording that nothing disturbs (also the index range the other tests walk).</summary>
    private static List<string> CleanRun()
    {
        var (code, log, m) = Record();
        Assert.True(code == Recorder.ExitOk, log);
        Assert.Empty(m.Leftovers());
        return m.Calls;
    }

    [Fact]
    public void an_undisturbed_recording_creates_every_kind_of_thing_and_removes_it_all()
    {
        var calls = CleanRun();
        Assert.Contains("ip netns add kn-424242-a", calls);
        Assert.Contains(calls, c => c.StartsWith("ip link add kn424242l0a netns kn-424242-a", StringComparison.Ordinal));
        Assert.Contains(calls, c => c.StartsWith("ip netns exec kn-424242-b nft -f -", StringComparison.Ordinal));
        Assert.Contains("mkdir /sys/kernel/tracing/instances/kn-424242", calls);
        Assert.Contains("setns kn-424242-b", calls);
        Assert.Contains(calls, c => c.StartsWith("step line", StringComparison.Ordinal));
        // the live recorder's namespace is not touched
        Assert.DoesNotContain("ip netns delete kn-1-x", calls);
        Assert.True(calls.Count > 40, $"only {calls.Count} calls");
    }

    [Fact]
    public void a_failure_at_any_call_leaves_nothing_and_says_one_line()
    {
        var count = CleanRun().Count;
        var wrong = new List<string>();
        for (var k = 0; k < count; k++)
        {
            var (code, log, m) = Record(failAt: k);
            var call = m.Calls[k];
            var left = m.Leftovers();
            if (left.Count > 0)
            {
                wrong.Add($"failure at call {k} ({call}) left: {string.Join(", ", left)}");
            }

            var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("  line", StringComparison.Ordinal)).ToList();
            var errors = lines.Where(l => l.StartsWith("kernelnet record:", StringComparison.Ordinal)).ToList();
            if (code == Recorder.ExitOk)
            {
                // only a failure the recorder retries (a removal) may leave the recording whole
                if (errors.Count != 0 || !IsRetried(call))
                {
                    wrong.Add($"failure at call {k} ({call}) went unnoticed: exit 0, log: {string.Join(" | ", lines)}");
                }
            }
            else if (code != Recorder.ExitFailure || errors.Count != 1 || lines.Count != errors.Count || errors[0].Contains("   at ", StringComparison.Ordinal))
            {
                wrong.Add($"failure at call {k} ({call}): exit {code}, log: {string.Join(" | ", lines)}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void ctrl_c_at_any_call_leaves_nothing_and_says_it_was_interrupted()
    {
        var calls = CleanRun();
        var wrong = new List<string>();
        for (var k = 0; k < calls.Count; k++)
        {
            var (code, log, m) = Record(cancelAt: k);
            var left = m.Leftovers();
            if (left.Count > 0)
            {
                wrong.Add($"Ctrl-C at call {k} ({calls[k]}) left: {string.Join(", ", left)}");
            }

            // once the last step's output is read, the recording is whole and is kept
            var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("  line", StringComparison.Ordinal)).ToList();
            if (code == Recorder.ExitOk)
            {
                if (k < calls.IndexOf("uname -r") || lines.Count != 0)
                {
                    wrong.Add($"Ctrl-C at call {k} ({calls[k]}) ignored: {string.Join(" | ", lines)}");
                }
            }
            else if (code != Recorder.ExitInterrupted || lines is not ["kernelnet record: interrupted; everything it created has been removed"])
            {
                wrong.Add($"Ctrl-C at call {k} ({calls[k]}): exit {code}, log: {string.Join(" | ", lines)}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void a_namespace_that_cannot_be_deleted_is_named_and_everything_else_is_still_removed()
    {
        var m = new Machine { AlwaysFails = call => call == "ip netns delete kn-424242-a" };
        using var cts = new CancellationTokenSource();
        m.Cancel = cts;
        var outDir = Path.Combine(Path.GetTempPath(), $"kn-fault-{Environment.ProcessId}-stuck");
        using var log = new StringWriter();
        try
        {
            var code = Recorder.Run(ScenarioPath, outDir, cts.Token, log, Fake(m), Pid);
            Assert.Equal(Recorder.ExitOk, code);
        }
        finally
        {
            if (Directory.Exists(outDir))
            {
                Directory.Delete(outDir, recursive: true);
            }
        }

        Assert.Equal(3, m.Calls.Count(c => c == "ip netns delete kn-424242-a"));
        // what the kernel keeps is only the namespace a itself: the veth pair went with b
        Assert.Equal(["namespace kn-424242-a"], m.Leftovers());
        Assert.Contains("kernelnet record: could not remove namespace kn-424242-a: ", log.ToString(), StringComparison.Ordinal);
    }

    private static bool IsRetried(string call) =>
        call.StartsWith("ip netns delete", StringComparison.Ordinal) || call.StartsWith("rmdir", StringComparison.Ordinal)
        || call.StartsWith("close", StringComparison.Ordinal) || call.StartsWith("join", StringComparison.Ordinal)
        || call.StartsWith("list namespaces", StringComparison.Ordinal) || call.StartsWith("write /sys/kernel/tracing/instances/kn-424242/set_event=", StringComparison.Ordinal)
        || call.StartsWith("write /sys/kernel/tracing/instances/kn-424242/tracing_on=0", StringComparison.Ordinal);
}
