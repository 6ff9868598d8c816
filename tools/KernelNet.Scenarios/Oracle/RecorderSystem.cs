using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using KernelNet.Scenarios.Scenario;

namespace KernelNet.Scenarios.Oracle;

/// <summary>
/// Everything a recording does to the machine, in one place: processes (ip, nft, sysctl, uname),
/// entering a namespace (a thread that setns'd), capture sockets, /proc counters, socket steps and
/// tracefs. <see cref="RealRecorderSystem"/> is the default; the recorder's fault tests put a fake
/// here to fail or interrupt each call in turn and check that nothing the recording created is left.
/// </summary>
internal interface IRecorderSystem
{
    /// <summary>Why this machine cannot record (no root, no tracefs, no iproute2), or null when it can.</summary>
    string? CannotRecordReason();

    /// <summary>Runs a program with a bounded wait; a failure (with <paramref name="check"/>) is a <see cref="RecorderException"/>.</summary>
    string Run(string file, IReadOnlyList<string> args, string? stdin = null, bool check = true);

    /// <summary>A thread inside the named namespace (setns), shown in the trace as <paramref name="comm"/>.</summary>
    IHostThread EnterNamespace(string netns, string comm);

    /// <summary>An AF_PACKET capture on <paramref name="device"/>, opened by <paramref name="host"/>'s thread; returns its fd.</summary>
    int OpenCapture(IHostThread host, string device);

    /// <summary>The frames queued on a capture socket.</summary>
    List<CapturedFrame> DrainCapture(int fd);

    /// <summary>Closes a capture socket.</summary>
    void CloseCapture(int fd);

    /// <summary>/proc/net/snmp and /proc/net/netstat as <paramref name="host"/>'s namespace sees them.</summary>
    Dictionary<string, long> ReadCounters(IHostThread host);

    /// <summary>What runs the scenario's socket steps on the host threads.</summary>
    IStepRunner NewStepRunner(IReadOnlyDictionary<string, IHostThread> hosts, IReadOnlyDictionary<(string Link, string Host), string> devices);

    /// <summary>Named namespaces (the file names under /run/netns).</summary>
    IReadOnlyList<string> ListNamespaces();

    /// <summary>True when a process with this pid exists.</summary>
    bool ProcessExists(int pid);

    /// <summary>mkdir of a tracefs directory (an instance).</summary>
    void TracefsMkdir(string path);

    /// <summary>rmdir of a tracefs instance; false while the kernel still holds it busy.</summary>
    bool TracefsRmdir(string path);

    /// <summary>True when the tracefs file or directory exists.</summary>
    bool TracefsExists(string path);

    /// <summary>Subdirectories of a tracefs directory (full paths).</summary>
    IReadOnlyList<string> TracefsList(string dir);

    /// <summary>Writes (truncating) a tracefs file.</summary>
    void TracefsWrite(string path, string value);

    /// <summary>Appends to a tracefs file (set_event adds).</summary>
    void TracefsAppend(string path, string value);

    /// <summary>Reads a tracefs file whole.</summary>
    string TracefsRead(string path);

    /// <summary>Sleeps (the polls of WaitQuiet and the retries of rmdir).</summary>
    void Sleep(int milliseconds);

    /// <summary>A monotonic clock in milliseconds (how long WaitQuiet has waited).</summary>
    long MonotonicMs();
}

/// <summary>A thread inside one namespace (<see cref="NamespaceThread"/>).</summary>
internal interface IHostThread : IDisposable
{
    /// <summary>Runs <paramref name="work"/> inside the namespace and waits for it, at most <paramref name="limit"/>.</summary>
    T Run<T>(Func<T> work, TimeSpan limit);
}

/// <summary>Runs the scenario's steps (<see cref="StepRunner"/>); disposing closes its sockets.</summary>
internal interface IStepRunner : IDisposable
{
    StepResult Run(Step step);
}

/// <summary>The machine itself: processes, setns, AF_PACKET, /proc and tracefs as they are.</summary>
internal sealed class RealRecorderSystem : IRecorderSystem
{
    public static readonly RealRecorderSystem Instance = new();

    public string? CannotRecordReason() => Recorder.Refusal();

    public string Run(string file, IReadOnlyList<string> args, string? stdin = null, bool check = true) =>
        Shell.Run(file, [.. args], stdin, check);

    public IHostThread EnterNamespace(string netns, string comm) => new NamespaceThread(netns, comm);

    public int OpenCapture(IHostThread host, string device) =>
        host.Run(() => PacketSocket.OpenCapture(device), TimeSpan.FromSeconds(5));

    public List<CapturedFrame> DrainCapture(int fd) => PacketSocket.Drain(fd);

    public void CloseCapture(int fd) => _ = Libc.close(fd);

    public Dictionary<string, long> ReadCounters(IHostThread host) => host.Run(
        () => Counters.Parse(File.ReadAllText("/proc/thread-self/net/snmp") + File.ReadAllText("/proc/thread-self/net/netstat")),
        TimeSpan.FromSeconds(5));

    public IStepRunner NewStepRunner(IReadOnlyDictionary<string, IHostThread> hosts, IReadOnlyDictionary<(string Link, string Host), string> devices) =>
        new StepRunner(hosts, devices);

    public IReadOnlyList<string> ListNamespaces() =>
        Directory.Exists("/run/netns")
            ? Directory.EnumerateFiles("/run/netns").Select(Path.GetFileName).OfType<string>().ToList()
            : [];

    public bool ProcessExists(int pid) => Directory.Exists($"/proc/{pid}");

    public void TracefsMkdir(string path) => Directory.CreateDirectory(path);

    public bool TracefsRmdir(string path)
    {
        try
        {
            Directory.Delete(path);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    public bool TracefsExists(string path) => File.Exists(path) || Directory.Exists(path);

    public IReadOnlyList<string> TracefsList(string dir) =>
        Directory.Exists(dir) ? Directory.EnumerateDirectories(dir).ToList() : [];

    public void TracefsWrite(string path, string value) => File.WriteAllText(path, value);

    public void TracefsAppend(string path, string value)
    {
        using var w = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write));
        w.Write(value);
    }

    public string TracefsRead(string path) => File.ReadAllText(path);

    public void Sleep(int milliseconds) => System.Threading.Thread.Sleep(milliseconds);

    public long MonotonicMs() => System.Environment.TickCount64;
}
