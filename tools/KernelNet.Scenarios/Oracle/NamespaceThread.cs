using System;
using System.Collections.Concurrent;
using System.IO;
using System.Threading;

namespace KernelNet.Scenarios.Oracle;

/// <summary>
/// A dedicated OS thread that has entered one network namespace (setns only moves the calling
/// thread) and runs the work posted to it. Every socket a host's steps use is created here, so it
/// belongs to that namespace for life; the thread's name (comm, via prctl) is the host's task name
/// in the trace.
/// </summary>
internal sealed class NamespaceThread : IHostThread
{
    private readonly BlockingCollection<Action> _work = new();
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _ready = new();
    private Exception? _startError;
    private bool _disposed;

    public NamespaceThread(string netnsName, string comm)
    {
        Comm = comm;
        _thread = new Thread(() => Loop(netnsName)) { IsBackground = true, Name = comm };
        _thread.Start();
        if (!_ready.Wait(TimeSpan.FromSeconds(10)) || _startError is not null)
        {
            throw new RecorderException($"cannot enter namespace {netnsName}: {_startError?.Message ?? "timed out"}");
        }
    }

    /// <summary>The task name (comm) this thread shows in the trace.</summary>
    public string Comm { get; }

    private void Loop(string netnsName)
    {
        try
        {
            using (var ns = File.OpenHandle($"/run/netns/{netnsName}"))
            {
                if (Libc.setns((int)ns.DangerousGetHandle(), Libc.CLONE_NEWNET) != 0)
                {
                    throw new IOException($"setns: {Libc.ErrnoName(Libc.Errno)}");
                }
            }

            _ = Libc.prctl(Libc.PR_SET_NAME, Comm, 0, 0, 0);
            // every host on CPU 0: veth hands packets to the sending CPU's backlog, so the whole
            // scenario runs on one CPU, and skb_attempt_defer_free never defers a free to another
            // CPU's next NET_RX (which could fall outside the recording)
            var cpu0 = 1UL;
            _ = Libc.sched_setaffinity(0, sizeof(ulong), ref cpu0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _startError = e;
        }

        _ready.Set();
        if (_startError is not null)
        {
            return;
        }

        foreach (var item in _work.GetConsumingEnumerable())
        {
            item();
        }
    }

    /// <summary>Runs <paramref name="work"/> inside the namespace and waits for it, at most <paramref name="limit"/>.</summary>
    public T Run<T>(Func<T> work, TimeSpan limit)
    {
        T result = default!;
        Exception? error = null;
        using var done = new ManualResetEventSlim();
        _work.Add(() =>
        {
            try
            {
                result = work();
            }
            catch (Exception e)
            {
                error = e;
            }
            finally
            {
                done.Set();
            }
        });
        if (!done.Wait(limit))
        {
            throw new RecorderException($"{Comm}: a step did not finish within {limit.TotalSeconds:0.#} s");
        }

        return error is null ? result : throw new RecorderException($"{Comm}: {error.Message}", error);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _work.CompleteAdding();
        _thread.Join(TimeSpan.FromSeconds(12));
        _work.Dispose();
        _ready.Dispose();
    }
}

/// <summary>A failure of the recording machinery (not of a step): one line for the user.</summary>
public sealed class RecorderException : Exception
{
    public RecorderException()
    {
    }

    public RecorderException(string message)
        : base(message)
    {
    }

    public RecorderException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
