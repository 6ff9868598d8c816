using KernelNet.Analyzers.Rules;
using KernelNet.Analyzers.Tests.Support;
using Xunit;

namespace KernelNet.Analyzers.Tests.Rules;

public sealed class DeterminismAnalyzerTests
{
    [Fact]
    public void flags_datetime_now_in_kernel_file()
    {
        new KernelProject()
            .File("kernel/net/core/dev.cs", """
                using System;
                namespace KernelNet.Kernel.Net.Core;
                public static partial class dev_c
                {
                    private static void stamp()
                    {
                        var t = [|DateTime.Now|];
                        var u = [|DateTimeOffset.UtcNow|];
                        var d = [|DateTime.Today|];
                    }
                }
                """)
            .Verify<DeterminismAnalyzer>();
    }

    [Fact]
    public void flags_threads_tasks_timers_tick_counts_and_unseeded_randomness_in_machine()
    {
        new KernelProject()
            .File("machine/Clock.cs", """
                using System;
                using System.Diagnostics;
                using System.Threading;
                using System.Threading.Tasks;
                namespace KernelNet.Machine;
                public sealed class Clock
                {
                    public void Run()
                    {
                        var sw = [|Stopwatch.StartNew()|];
                        long ticks = [|Environment.TickCount64|];
                        [|Thread.Sleep(1)|];
                        [|Task.Run(() => { })|];
                        [|[|Task.Factory|].StartNew(() => { })|];
                        [|Parallel.For(0, 2, i => { })|];
                        [|ThreadPool.QueueUserWorkItem(_ => { })|];
                        using var timer = [|new Timer(_ => { })|];
                        var r = [|new Random()|];
                        var s = [|Random.Shared|].Next();
                        var g = [|Guid.NewGuid()|];
                    }
                }
                """)
            .Verify<DeterminismAnalyzer>();
    }

    [Fact]
    public void flags_per_process_hash_codes_os_randomness_and_run_time_seeds()
    {
        new KernelProject()
            .File("kernel/net/ipv4/tcp_cong.cs", """
                using System;
                using System.Security.Cryptography;
                namespace KernelNet.Kernel.Net.Ipv4;
                public static class tcp_cong_c
                {
                    private static uint key(string name, object o, int seed, long now)
                    {
                        var a = (uint)[|name.GetHashCode()|];
                        var b = [|name.GetHashCode(StringComparison.Ordinal)|];
                        var c = [|string.GetHashCode(name.AsSpan())|];
                        var h1 = [|StringComparer.Ordinal.GetHashCode(name)|];
                        var h2 = [|System.Collections.Generic.EqualityComparer<string>.Default.GetHashCode(name)|];
                        var h3 = System.Collections.Generic.EqualityComparer<int>.Default.GetHashCode(seed);
                        object boxed = name;
                        var d = o.GetHashCode() + boxed.GetHashCode();
                        var e = [|HashCode.Combine(a, b)|];
                        var f = [|RandomNumberGenerator.GetInt32(10)|];
                        using var g = [|RandomNumberGenerator.Create()|];
                        var r = new Random([|seed|]);
                        var s = new Random([|(int)now|]);
                        Random t = new([|name.Length|]);
                        return a;
                    }
                }
                """)
            .Verify<DeterminismAnalyzer>();
    }

    [Fact]
    public void messages_name_the_fix()
    {
        var diagnostics = new KernelProject()
            .File("kernel/net/ipv4/tcp_cong.cs", """
                namespace KernelNet.Kernel.Net.Ipv4;
                public static class tcp_cong_c
                {
                    private static int key(string name) => name.GetHashCode();
                }
                """)
            .Run(new DeterminismAnalyzer());

        var message = Assert.Single(diagnostics).GetMessage();
        Assert.Contains("jhash", message);
        Assert.Contains("randomized per process", message);
    }

    [Fact]
    public void allows_seeded_random_and_the_virtual_clock()
    {
        new KernelProject()
            .File("machine/Clock.cs", """
                using System;
                namespace KernelNet.Machine;
                public sealed class Clock
                {
                    private const int Seed = 7;
                    private readonly Random _random = new Random(42);
                    private readonly Random _other = new Random(Seed * 3);
                    public long NowNs { get; private set; }
                    public void Advance(long ns) => NowNs += ns;
                    public int Jitter() => _random.Next(10);
                    public static DateTime Epoch() => new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
                }
                """)
            .Verify<DeterminismAnalyzer>();
    }

    [Fact]
    public void ignores_wall_clock_outside_kernel_and_machine()
    {
        new KernelProject()
            .File("tools/Record.cs", """
                using System;
                using System.Diagnostics;
                namespace KernelNet.Tools;
                public static class Record
                {
                    public static string Stamp() => DateTime.UtcNow.ToString("O") + Stopwatch.GetTimestamp();
                }
                """)
            .Verify<DeterminismAnalyzer>();
    }

    [Fact]
    public void kernel_shaped_jiffies_from_the_kernel_object_stay_clean()
    {
        new KernelProject()
            .File("kernel/kernel/time/timer.cs", KernelStubs.Usings + """
                namespace KernelNet.Kernel.Kernel.Time;
                public sealed class timer_base
                {
                    public ulong clk;
                    public ulong next_expiry;
                }

                public static class timer_c
                {
                    // kernel/time/timer.c: __mod_timer
                    private static int __mod_timer(timer_base @base, ulong jiffies, ulong expires)
                    {
                        if (expires <= jiffies)
                        {
                            expires = jiffies + 1;
                        }

                        @base.next_expiry = Math.Min(@base.next_expiry, expires);
                        return 0;
                    }
                }
                """)
            .Verify<DeterminismAnalyzer>();
    }
}
