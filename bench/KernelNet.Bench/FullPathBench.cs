using System;
using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;

namespace KernelNet.Bench;

/// <summary>
/// The whole packet path, both ends, as a program drives it: sendto or write
/// on host A, the device between (a veth pair, or two 82576 NICs on a cable),
/// the receive path on host B up to the reader's recvfrom or read. These are
/// the figures issue 16 compares with the real kernel (UDP 64 B over veth and
/// over igb, with and without every tracepoint, TCP bulk over veth, a 64 B TCP
/// ping-pong), in wall time with the JIT warm (BenchmarkDotNet warms up;
/// `-- --full-path` runs each once to warm, then once timed).
/// </summary>
public static class FullPath
{
    private const int Port = 9000;

    /// <summary>
    /// Datagrams the UDP sender writes before it sleeps briefly. The machine runs a
    /// task that never sleeps up to its next sleep before another CPU's events at
    /// earlier times are taken, so an unpaced sender would fill the reader's
    /// receive queue (about 256 datagrams of 64 bytes in the default rcvbuf)
    /// before the reader ran at all; 128 stays below that.
    /// </summary>
    private const int Burst = 128;

    /// <summary>Two hosts joined by a veth pair (or an igb pair), 10.0.0.1 and 10.0.0.2.</summary>
    private static (Topology T, Host A, Host B) Wire(bool igb, bool trace = false)
    {
        var t = new Topology();
        if (trace)
        {
            t.K.trace.set_event("*:*");
        }

        var a = t.AddHost("A");
        var b = t.AddHost("B");
        var (da, db) = igb ? Pair(t.AddIgbPair(a, "eth0", b, "eth0")) : t.AddVeth(a, "eth0", b, "eth0");
        t.AddAddress(da, "10.0.0.1/24");
        t.AddAddress(db, "10.0.0.2/24");
        return (t, a, b);
    }

    private static (KernelNet.Kernel.Include.Linux.net_device, KernelNet.Kernel.Include.Linux.net_device) Pair(
        (KernelNet.Kernel.Include.Linux.net_device A, KernelNet.Kernel.Include.Linux.net_device B, Cable Cable) p) => (p.A, p.B);

    /// <summary>
    /// <paramref name="packets"/> UDP datagrams of 64 bytes from A (CPU 0) to
    /// B's reader (CPU 1); returns how many the reader received (a full
    /// receive queue drops the rest, as it would in Linux).
    /// </summary>
    public static long Udp(int packets, bool igb, bool trace)
    {
        var (t, a, b) = Wire(igb, trace);

        long received = 0;
        var to = SockAddrIn.Parse($"10.0.0.2:{Port}");
        t.Spawn(b, "reader", 1, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, Libc.IPPROTO_UDP);
            await libc.Bind(fd, to);
            var buf = new byte[2048];
            while (received < packets && await libc.RecvFrom(fd, buf, buf.Length, 0) > 0)
            {
                received++;
            }
        });
        t.Spawn(a, "sender", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, Libc.IPPROTO_UDP);
            var payload = new byte[64];
            for (var i = 0; i < packets; i++)
            {
                await libc.SendTo(fd, payload, 0, to);
                if (i % Burst == Burst - 1)
                {
                    await libc.Sleep(1_000);
                }
            }
        });

        // A drop leaves the reader waiting: virtual time runs out instead.
        t.Run(600_000_000_000);
        return received;
    }

    /// <summary>B's server: listen on 10.0.0.2, take one connection, and hand its descriptor to <paramref name="serve"/>.</summary>
    private static void SpawnTcpServer(Topology t, Host b, string comm, SockAddrIn at, Func<Libc, int, System.Threading.Tasks.Task> serve) =>
        t.Spawn(b, comm, 1, async libc =>
        {
            var lfd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            await libc.Bind(lfd, at);
            await libc.Listen(lfd, 1);
            await serve(libc, (int)await libc.Accept(lfd));
        });

    /// <summary>A's client: after 1 ms, connect to <paramref name="to"/> and hand the descriptor to <paramref name="talk"/>; closed after.</summary>
    private static void SpawnTcpClient(Topology t, Host a, SockAddrIn to, Func<Libc, int, System.Threading.Tasks.Task> talk) =>
        t.Spawn(a, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            await libc.Connect(fd, to);
            await talk(libc, fd);
            await libc.Close(fd);
        });

    /// <summary><paramref name="bytes"/> written by A in 64 KB writes, read by B until EOF; returns the bytes B read. <paramref name="trace"/> turns every tracepoint on.</summary>
    public static long TcpBulk(long bytes, bool trace = false)
    {
        var (t, a, b) = Wire(igb: false, trace);
        long read = 0;
        var to = SockAddrIn.Parse($"10.0.0.2:{Port}");
        SpawnTcpServer(t, b, "server", to, async (libc, fd) =>
        {
            var buf = new byte[65536];
            long n;
            while ((n = await libc.RecvFrom(fd, buf, buf.Length, 0)) > 0)
            {
                read += n;
            }
        });
        SpawnTcpClient(t, a, to, async (libc, fd) =>
        {
            var chunk = new byte[65536];
            for (long sent = 0; sent < bytes;)
            {
                var n = await libc.SendTo(fd, chunk, (int)Math.Min(chunk.Length, bytes - sent), 0, null);
                if (n <= 0)
                {
                    return;
                }

                sent += n;
            }
        });

        t.Run(600_000_000_000);
        return read;
    }

    /// <summary><paramref name="rounds"/> round trips of 64 bytes over one TCP connection; returns the rounds completed. <paramref name="trace"/> turns every tracepoint on.</summary>
    public static long TcpPingPong(int rounds, bool trace = false)
    {
        var (t, a, b) = Wire(igb: false, trace);
        long done = 0;
        var to = SockAddrIn.Parse($"10.0.0.2:{Port}");
        SpawnTcpServer(t, b, "echo", to, async (libc, fd) =>
        {
            var buf = new byte[64];
            long n;
            while ((n = await libc.RecvFrom(fd, buf, buf.Length, 0)) > 0)
            {
                await libc.SendTo(fd, buf, (int)n, 0, null);
            }
        });
        SpawnTcpClient(t, a, to, async (libc, fd) =>
        {
            var buf = new byte[64];
            for (var i = 0; i < rounds; i++)
            {
                await libc.SendTo(fd, buf, buf.Length, 0, null);
                for (var got = 0L; got < buf.Length;)
                {
                    var n = await libc.RecvFrom(fd, buf, buf.Length, 0);
                    if (n <= 0)
                    {
                        return;
                    }

                    got += n;
                }

                done++;
            }
        });

        t.Run(600_000_000_000);
        return done;
    }

    /// <summary>
    /// `-- --full-path`: each measure once to warm the JIT, then once timed, with CPU time (the
    /// process's, every thread) and bytes allocated per unit; the traced rows turn every tracepoint
    /// on, and the last lines give traced/untraced CPU per unit (issue 16: at most 3).
    /// </summary>
    public static void Measure()
    {
        var udp = Report("UDP 64 B over veth, tracing off", "pkt", 200_000, n => Udp((int)n, igb: false, trace: false));
        var udpTraced = Report("UDP 64 B over veth, every tracepoint on", "pkt", 40_000, n => Udp((int)n, igb: false, trace: true));
        Report("UDP 64 B over two igb NICs on a cable", "pkt", 100_000, n => Udp((int)n, igb: true, trace: false));
        var bulk = Report("TCP bulk over veth, tracing off", "byte", 100L << 20, n => TcpBulk(n));
        var bulkTraced = Report("TCP bulk over veth, every tracepoint on", "byte", 25L << 20, n => TcpBulk(n, trace: true));
        var rr = Report("TCP 64 B ping-pong over veth, tracing off", "round trip", 20_000, n => TcpPingPong((int)n));
        var rrTraced = Report("TCP 64 B ping-pong over veth, every tracepoint on", "round trip", 5_000, n => TcpPingPong((int)n, trace: true));
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"traced/untraced CPU per unit: UDP {udpTraced / udp:F2}, TCP bulk {bulkTraced / bulk:F2}, TCP round trip {rrTraced / rr:F2}"));
    }

    /// <summary>Runs one measure warm and prints it; returns the CPU seconds per unit.</summary>
    private static double Report(string what, string unit, long n, Func<long, long> run)
    {
        run(Math.Max(1, n / 10));
        var process = Process.GetCurrentProcess();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = process.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var done = run(n);
        var seconds = sw.Elapsed.TotalSeconds;
        process.Refresh();
        var cpuSeconds = (process.TotalProcessorTime - cpu).TotalSeconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        var perUnit = done > 0 ? allocated / (double)done : double.NaN;
        var rate = unit == "byte" ? $"{done / seconds / 1e6:F0} MB/s" : $"{done / seconds:F0} {unit}/s ({seconds / Math.Max(1, done) * 1e6:F2} µs per {unit})";
        var cpuRate = unit == "byte" ? $"{done / cpuSeconds / 1e6:F0} MB per CPU-s" : $"{cpuSeconds / Math.Max(1, done) * 1e6:F2} CPU-µs per {unit}";
        Console.WriteLine($"{what}: {done} of {n} {unit}s in {seconds:F2} s wall, {cpuSeconds:F2} s CPU: {rate}, {cpuRate}, {perUnit:F0} bytes allocated per {unit}");
        return cpuSeconds / Math.Max(1, done);
    }
}

/// <summary>The full-path measures under BenchmarkDotNet (warm-up, several iterations, allocation per operation).</summary>
[MemoryDiagnoser]
[InProcess] // the generated project's build outlasts BenchmarkDotNet's 2-minute limit on these machines
public class FullPathBench
{
    [Benchmark(OperationsPerInvoke = 20_000)]
    public long UdpOverVeth() => FullPath.Udp(20_000, igb: false, trace: false);

    [Benchmark(OperationsPerInvoke = 2_000)]
    public long UdpOverVethTraced() => FullPath.Udp(2_000, igb: false, trace: true);

    [Benchmark(OperationsPerInvoke = 20_000)]
    public long UdpOverIgb() => FullPath.Udp(20_000, igb: true, trace: false);

    /// <summary>Per 64 KB written.</summary>
    [Benchmark(OperationsPerInvoke = 160)]
    public long TcpBulkOverVeth() => FullPath.TcpBulk(10L << 20);

    [Benchmark(OperationsPerInvoke = 2_000)]
    public long TcpPingPongOverVeth() => FullPath.TcpPingPong(2_000);
}
