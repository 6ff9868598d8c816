using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;

namespace KernelNet.Scenarios.Oracle;

/// <summary>
/// A tracefs instance of the recorder's own (<c>instances/kn-PID</c>): its own ring buffer and
/// event set, so the recording neither disturbs nor sees the global trace's settings.
/// </summary>
internal sealed class TraceInstance : IDisposable
{
    public const string TracefsRoot = "/sys/kernel/tracing";
    internal const int BufferKbPerCpu = 4096;

    private TraceInstance(string path) => Path = path;

    public string Path { get; }

    /// <summary>True when tracefs is mounted (mounting it first if this process may).</summary>
    public static bool EnsureMounted()
    {
        if (File.Exists($"{TracefsRoot}/trace"))
        {
            return true;
        }

        try
        {
            Shell.Run("mount", ["-t", "tracefs", "nodev", TracefsRoot]);
        }
        catch (RecorderException)
        {
            return false;
        }

        return File.Exists($"{TracefsRoot}/trace");
    }

    public static TraceInstance Create(string name, IEnumerable<string> events)
    {
        var path = $"{TracefsRoot}/instances/{name}";
        Directory.CreateDirectory(path);
        var instance = new TraceInstance(path);
        try
        {
            instance.Write("tracing_on", "0");
            instance.Write("buffer_size_kb", BufferKbPerCpu.ToString(CultureInfo.InvariantCulture));
            foreach (var e in events)
            {
                instance.Append("set_event", e);
            }
        }
        catch
        {
            instance.Dispose();
            throw;
        }

        return instance;
    }

    public void Start() => Write("tracing_on", "1");

    public void Stop() => Write("tracing_on", "0");

    public string ReadTrace() => File.ReadAllText($"{Path}/trace");

    /// <summary>Events written so far, over every CPU (cheap: per-CPU stats, no read of the buffer).</summary>
    public long EntriesWritten()
    {
        long total = 0;
        foreach (var dir in Directory.EnumerateDirectories($"{Path}/per_cpu"))
        {
            foreach (var line in File.ReadLines($"{dir}/stats"))
            {
                if (line.StartsWith("entries:", StringComparison.Ordinal))
                {
                    total += long.Parse(line.AsSpan(8).Trim(), CultureInfo.InvariantCulture);
                }
                else if (line.StartsWith("overrun:", StringComparison.Ordinal))
                {
                    total += long.Parse(line.AsSpan(8).Trim(), CultureInfo.InvariantCulture);
                }
            }
        }

        return total;
    }

    /// <summary>
    /// Waits until no event has been written for <paramref name="quietMs"/>, at most <paramref name="limitMs"/>:
    /// what one step set off (softirqs, replies, ICMP errors) lands before the next step starts.
    /// </summary>
    public bool WaitQuiet(int quietMs, int limitMs, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var last = EntriesWritten();
        var lastChange = clock.ElapsedMilliseconds;
        while (clock.ElapsedMilliseconds < limitMs && !cancel.IsCancellationRequested)
        {
            Thread.Sleep(10);
            var now = EntriesWritten();
            if (now != last)
            {
                last = now;
                lastChange = clock.ElapsedMilliseconds;
            }
            else if (clock.ElapsedMilliseconds - lastChange >= quietMs)
            {
                return true;
            }
        }

        return false;
    }

    private void Write(string file, string value) => File.WriteAllText($"{Path}/{file}", value);

    private void Append(string file, string value)
    {
        try
        {
            using var w = new StreamWriter(new FileStream($"{Path}/{file}", FileMode.Append, FileAccess.Write));
            w.Write(value);
        }
        catch (IOException e)
        {
            throw new RecorderException($"cannot enable tracepoint {value}: {e.Message}");
        }
    }

    /// <summary>Names of instances left by recorder processes that no longer exist.</summary>
    public static IEnumerable<string> StaleInstances() =>
        Directory.Exists($"{TracefsRoot}/instances")
            ? Directory.EnumerateDirectories($"{TracefsRoot}/instances", "kn-*")
                .Select(System.IO.Path.GetFileName)
                .OfType<string>()
                .Where(n => int.TryParse(n.AsSpan(3), out var pid) && !Directory.Exists($"/proc/{pid}"))
            : [];

    public static void Remove(string name)
    {
        var path = $"{TracefsRoot}/instances/{name}";
        try
        {
            File.WriteAllText($"{path}/tracing_on", "0");
            File.WriteAllText($"{path}/set_event", "");
        }
        catch (IOException)
        {
            // already half gone: rmdir below decides
        }

        for (var attempt = 0; attempt < 20 && Directory.Exists(path); attempt++)
        {
            try
            {
                Directory.Delete(path);
            }
            catch (IOException)
            {
                Thread.Sleep(50);
            }
        }
    }

    public void Dispose() => Remove(System.IO.Path.GetFileName(Path));
}
