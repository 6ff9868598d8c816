using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;

namespace KernelNet.Bench;

/// <summary>
/// The scale questions of TCP-3 and TCP-4 asked of the simulation: how much
/// managed memory an idle ESTABLISHED simulated socket holds (the real kernel's
/// slab figure is 3.75 KB, docs/data/slabinfo-6.18.txt), and how long opening
/// 100,000 connections takes — more than one (source, destination, port)
/// 4-tuple space of 28,232 ephemeral ports holds, so the clients connect to
/// several servers and connect() shares each ephemeral port between them.
/// Short run: `-- --filter '*Tcp*' --strategy Monitoring --warmupCount 1 --iterationCount 3`;
/// `-- --idle 1000000` opens a million. The memory target is per socket (each end: a connection
/// here is two simulated sockets, where the kernel holds one per host). Figures, dated and with the
/// machine's load, are in bench/README.md (2026-12-07 21:54 UTC, 1,000,000 connections: 2,006 managed
/// bytes retained per socket, 4,012 per connection, against the kernel's 3,840 B of slab per socket;
/// before the storage work, 2,652 per socket; 2026-12-08 00:09 UTC, 200,000 connections, load 44,
/// after the sockembed branch: 1,744 per socket, 2,020 before it in the same window).
/// </summary>
[MemoryDiagnoser]
[InProcess] // the generated project's build outlasts BenchmarkDotNet's 2-minute limit on these machines
public class TcpConnectionsBench
{
    /// <summary>Connections per client task: each task's descriptors stay under RLIMIT_NOFILE (1024).</summary>
    private const int PerTask = 1000;

    [Params(100_000)]
    public int Connections { get; set; }

    /// <summary>Opens <paramref name="connections"/> idle connections from host A to host B: one listener and one client task per thousand, server ports 9000 up.</summary>
    public static (Topology T, int Established) Open(int connections)
    {
        var t = new Topology();
        var a = t.AddHost("A");
        var b = t.AddHost("B");
        var (va, vb) = t.AddVeth(a, "veth0", b, "veth1");
        t.AddAddress(va, "10.0.0.1/24");
        t.AddAddress(vb, "10.0.0.2/24");
        var established = 0;
        var tasks = (connections + PerTask - 1) / PerTask;
        for (var i = 0; i < tasks; i++)
        {
            var n = Math.Min(PerTask, connections - i * PerTask);
            var server = SockAddrIn.Parse($"10.0.0.2:{9000 + i}");
            t.Spawn(b, $"server{i}", i % 2, async libc =>
            {
                var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
                await libc.Bind(fd, server);
                await libc.Listen(fd, 4096);
                for (var j = 0; j < n; j++)
                {
                    if (await libc.Accept(fd) >= 0)
                    {
                        established++;
                    }
                }
            });
            t.Spawn(a, $"client{i}", i % 2, async libc =>
            {
                await libc.Sleep(1_000_000);
                for (var j = 0; j < n; j++)
                {
                    var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
                    await libc.Connect(fd, server);
                }
            });
        }

        t.Run(60_000_000_000);
        return (t, established);
    }

    /// <summary>
    /// Managed bytes an idle ESTABLISHED socket keeps alive: the heap after a
    /// full collection with <paramref name="connections"/> connections open,
    /// less the heap of the same topology with none, over 2 × connections sockets.
    /// </summary>
    public static double RetainedBytesPerSocket(int connections)
    {
        long Growth(int n)
        {
            var before = GC.GetTotalMemory(forceFullCollection: true);
            var (t, _) = Open(n);
            var after = GC.GetTotalMemory(forceFullCollection: true);
            GC.KeepAlive(t);
            return after - before;
        }

        var empty = Growth(0);
        var full = Growth(connections);
        return (full - empty) / (2.0 * connections);
    }

    [Benchmark]
    public int Open100kConnections() => Open(Connections).Established;
}

/// <summary>(a) as a benchmark of its own: 10,000 idle connections, the retained bytes per socket printed.</summary>
[MemoryDiagnoser]
[InProcess]
public class TcpIdleSocketMemoryBench
{
    [Params(10_000)]
    public int Connections { get; set; }

    [Benchmark]
    public double RetainedBytesPerIdleSocket()
    {
        var perSocket = TcpConnectionsBench.RetainedBytesPerSocket(Connections);
        Console.WriteLine($"// retained managed bytes per idle ESTABLISHED socket: {perSocket:F0}");
        return perSocket;
    }
}

/// <summary>`-- --measure`: both figures once, without BenchmarkDotNet.</summary>
public static class QuickMeasure
{
    public static void Run()
    {
        foreach (var n in new[] { 1_000, 10_000 })
        {
            Console.WriteLine($"{n} idle connections: {TcpConnectionsBench.RetainedBytesPerSocket(n):F0} retained managed bytes per socket");
        }

        var sw = System.Diagnostics.Stopwatch.StartNew();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var (t, est) = TcpConnectionsBench.Open(100_000);
        var elapsed = sw.Elapsed;
        var alloc = GC.GetTotalAllocatedBytes(precise: true) - before;
        Console.WriteLine($"100000 connections: {est} accepted in {elapsed.TotalSeconds:F2} s wall ({est / elapsed.TotalSeconds:F0}/s), {alloc / 100_000.0:F0} bytes allocated per connection, virtual time {t.K.ktime_get_ns() / 1e9:F3} s");
        var ports = new HashSet<ushort>();
        var a = System.Linq.Enumerable.First(t.Hosts, h => h.Name == "A").Net;
        foreach (var bucket in KernelNet.Kernel.Net.Ipv4.tcp_ipv4_c.tcp_hashinfo(t.K).ehash)
        {
            foreach (var sk in KernelNet.Kernel.Include.Net.sock_h.sk_nulls_for_each(bucket.chain))
            {
                if (sk.sk_net == a)
                {
                    ports.Add(KernelNet.Kernel.Include.Net.inet_sock_h.inet_sk(sk).inet_num);
                }
            }
        }

        Console.WriteLine($"distinct client ports in use: {ports.Count} (for {est} connections: connect() shares ports across destinations)");
    }
}
