using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;

namespace KernelNet.Bench;

/// <summary>
/// `-- --compare`: the acceptance lines of issue 16 in one command. Each round
/// runs the real kernel once (bench/real/run.sh, root) and then the simulation's
/// same measures once, so that both see the same load on the shared machine;
/// every figure is per CPU-second (the process's user+system time for the
/// simulation; the sender's, receiver's and ksoftirqd's for the kernel) and is
/// reported as the median and range over the rounds, each ratio taken within
/// its round (sim/real against the real run beside it, traced against the
/// untraced run beside it).
/// </summary>
public static class Compare
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>One measure's outcome: units done, wall and CPU seconds, managed bytes allocated.</summary>
    public readonly record struct Sample(long Count, double Wall, double Cpu, long Allocated)
    {
        public double PerCpuSecond => Cpu > 0 ? Count / Cpu : double.NaN;

        public double PerWallSecond => Wall > 0 ? Count / Wall : double.NaN;
    }

    private sealed class Options
    {
        public int Runs { get; set; } = 3;

        public string? RealTsv { get; set; }

        public bool NoReal { get; set; }

        public int RealSeconds { get; set; } = 2;

        public int Connections { get; set; } = 1_000_000;

        public int ConnectionRuns { get; set; } = 1;

        public string? Cli { get; set; }

        public int CliRuns { get; set; } = 5;
    }

    /// <summary>Parses the options after `--compare`; a bad one is a one-line error and exit code 2.</summary>
    public static int Run(string[] args)
    {
        var o = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            string Next()
            {
                if (i + 1 >= args.Length)
                {
                    throw new ArgumentException($"{args[i]} needs a value");
                }

                return args[++i];
            }

            int Int(int min, int max)
            {
                var name = args[i];
                var v = Next();
                if (!int.TryParse(v, NumberStyles.Integer, Inv, out var n) || n < min || n > max)
                {
                    throw new ArgumentException($"{name} must be a whole number in {min}..{max}, not '{v}'");
                }

                return n;
            }

            try
            {
                switch (args[i])
                {
                    case "--runs": o.Runs = Int(1, 20); break;
                    case "--real-tsv": o.RealTsv = Next(); break;
                    case "--no-real": o.NoReal = true; break;
                    case "--real-seconds": o.RealSeconds = Int(1, 10); break;
                    case "--connections": o.Connections = Int(0, 2_000_000); break;
                    case "--connection-runs": o.ConnectionRuns = Int(1, 5); break;
                    case "--cli": o.Cli = Next(); break;
                    case "--cli-runs": o.CliRuns = Int(1, 50); break;
                    default: throw new ArgumentException($"unknown option '{args[i]}'");
                }
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"kernelnet-bench --compare: {e.Message} (options: --runs N, --real-tsv FILE | --no-real, --real-seconds S, --connections N, --connection-runs N, --cli PATH, --cli-runs N)");
                return 2;
            }
        }

        return Execute(o);
    }

    private static int Execute(Options o)
    {
        Console.WriteLine($"# KernelNet sim vs real, {DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", Inv)} UTC, {Environment.ProcessorCount} CPUs, load average {LoadAverage()}, .NET {Environment.Version}");
        string? script = null;
        IReadOnlyList<Dictionary<string, Sample>>? realFromFile = null;
        if (o.RealTsv != null)
        {
            if (!File.Exists(o.RealTsv))
            {
                Console.Error.WriteLine($"kernelnet-bench --compare: no such file '{o.RealTsv}'");
                return 2;
            }

            realFromFile = ParseRealTsv(File.ReadAllLines(o.RealTsv));
            if (realFromFile.Count == 0)
            {
                Console.Error.WriteLine($"kernelnet-bench --compare: '{o.RealTsv}' has no 'real' lines (write it with bench/real/run.sh --tsv)");
                return 2;
            }
        }
        else if (!o.NoReal)
        {
            script = FindRealScript();
            if (script == null)
            {
                Console.Error.WriteLine("kernelnet-bench --compare: bench/real/run.sh not found above the working directory (run from the repository, or pass --real-tsv FILE or --no-real)");
                return 2;
            }

            if (!IsRoot())
            {
                Console.Error.WriteLine("kernelnet-bench --compare: measuring the real kernel needs root (sudo), or pass --real-tsv FILE or --no-real");
                return 2;
            }
        }

        // Warm the JIT on every measure once, untimed, at a quarter of its size.
        SimRound(warm: true);

        var sims = new List<Dictionary<string, Sample>>();
        var reals = new List<Dictionary<string, Sample>>();
        for (var r = 1; r <= o.Runs; r++)
        {
            if (script != null)
            {
                var real = RunRealOnce(script, o.RealSeconds);
                if (real == null)
                {
                    return 1;
                }

                reals.Add(real);
                PrintRound(r, "real", real);
            }
            else if (realFromFile != null && r <= realFromFile.Count)
            {
                reals.Add(realFromFile[r - 1]);
                PrintRound(r, "real", realFromFile[r - 1]);
            }

            var sim = SimRound(warm: false);
            sims.Add(sim);
            PrintRound(r, "sim", sim);
        }

        Console.WriteLine();
        Console.WriteLine("# medians over rounds [min..max]; per CPU-second");
        foreach (var key in new[] { "udp64", "udp64_traced", "tcp_bulk", "tcp_bulk_traced", "tcp_rr", "tcp_rr_traced" })
        {
            Console.WriteLine($"sim  {key,-16} {Stat(sims.Select(s => Scale(key, s[key].PerCpuSecond)))} {Unit(key)} per CPU-s, {Stat(sims.Select(s => Scale(key, s[key].PerWallSecond)))} {Unit(key)} per wall-s");
        }

        foreach (var key in new[] { "udp64", "tcp_bulk", "tcp_rr" })
        {
            if (reals.Count > 0)
            {
                Console.WriteLine($"real {key,-16} {Stat(reals.Select(s => Scale(key, s[key].PerCpuSecond)))} {Unit(key)} per CPU-s, {Stat(reals.Select(s => Scale(key, s[key].PerWallSecond)))} {Unit(key)} per wall-s");
            }
        }

        Console.WriteLine();
        Console.WriteLine("# acceptance (issue 16): each ratio taken within a round, median [min..max]");
        if (reals.Count > 0)
        {
            var n = Math.Min(reals.Count, sims.Count);
            Ratio("UDP 64 B over veth, sim/real per CPU-second", n, i => sims[i]["udp64"].PerCpuSecond / reals[i]["udp64"].PerCpuSecond, ">=", 3);
            Ratio("TCP bulk over veth, sim/real per CPU-second", n, i => sims[i]["tcp_bulk"].PerCpuSecond / reals[i]["tcp_bulk"].PerCpuSecond, ">=", 1);
            Ratio("TCP 64 B round trip, sim/real per CPU-second (no target)", n, i => sims[i]["tcp_rr"].PerCpuSecond / reals[i]["tcp_rr"].PerCpuSecond, null, 0);
        }
        else
        {
            Console.WriteLine("sim/real: no real-kernel figures (--no-real)");
        }

        foreach (var key in new[] { "udp64", "tcp_bulk", "tcp_rr" })
        {
            Ratio($"tracing every event vs none, {key}: CPU per unit traced/untraced", sims.Count, i => sims[i][key].PerCpuSecond / sims[i][key + "_traced"].PerCpuSecond, "<=", 3);
        }

        if (o.Cli != null)
        {
            StartUp(o.Cli, o.CliRuns);
        }
        else
        {
            Console.WriteLine("default scenario start-up: not measured (pass --cli PATH to the published kernelnet; README says how to publish it)");
        }

        if (o.Connections > 0)
        {
            // Last, and the real kernel after the simulation: freeing a million real sockets keeps the
            // kernel's workers busy for a while after the namespaces go, which nothing may share.
            Func<RealIdle?>? real = script == null ? null
                : o.Connections > MaxRealIdle ? () => NoRealIdle(o.Connections)
                : () => RunRealIdle(script, o.Connections);
            IdleConnections(o.Connections, o.ConnectionRuns, real: real);
        }

        Console.WriteLine($"# load average at the end: {LoadAverage()}");
        return 0;
    }

    /// <summary>The simulation's measures, each once (at a quarter of the size when warming the JIT); sizes give runs of a fraction of a second each.</summary>
    private static Dictionary<string, Sample> SimRound(bool warm)
    {
        var d = warm ? 4 : 1;
        return new Dictionary<string, Sample>
        {
            ["udp64"] = Measure(() => FullPath.Udp(200_000 / d, igb: false, trace: false)),
            ["udp64_traced"] = Measure(() => FullPath.Udp(40_000 / d, igb: false, trace: true)),
            ["tcp_bulk"] = Measure(() => FullPath.TcpBulk((400L << 20) / d)),
            ["tcp_bulk_traced"] = Measure(() => FullPath.TcpBulk((100L << 20) / d, trace: true)),
            ["tcp_rr"] = Measure(() => FullPath.TcpPingPong(20_000 / d)),
            ["tcp_rr_traced"] = Measure(() => FullPath.TcpPingPong(4_000 / d, trace: true)),
        };
    }

    /// <summary>Runs <paramref name="run"/> after a full collection; wall from a Stopwatch, CPU from the process's rusage (every thread, the GC's included).</summary>
    public static Sample Measure(Func<long> run)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var alloc0 = GC.GetTotalAllocatedBytes(precise: true);
        var cpu0 = Environment.CpuUsage.TotalTime;
        var sw = Stopwatch.StartNew();
        var count = run();
        var wall = sw.Elapsed.TotalSeconds;
        var cpu = (Environment.CpuUsage.TotalTime - cpu0).TotalSeconds;
        return new Sample(count, wall, cpu, GC.GetTotalAllocatedBytes(precise: true) - alloc0);
    }

    private static void PrintRound(int round, string side, Dictionary<string, Sample> s)
    {
        foreach (var (key, v) in s)
        {
            var alloc = side == "sim" && v.Count > 0 ? $", {v.Allocated / (double)v.Count:F0} B allocated per {Per(key)}" : "";
            Console.WriteLine($"round {round} {side,-4} {key,-16} {v.Count,12} {Per(key)}s in {v.Wall:F3} s wall, {v.Cpu:F3} s CPU: {Scale(key, v.PerWallSecond),10:F0} {Unit(key)} per wall-s, {Scale(key, v.PerCpuSecond),10:F0} per CPU-s{alloc}");
        }
    }

    private static string Per(string key) => key.StartsWith("tcp_bulk", StringComparison.Ordinal) ? "byte" : key.StartsWith("tcp_rr", StringComparison.Ordinal) ? "round trip" : "pkt";

    private static string Unit(string key) => key.StartsWith("tcp_bulk", StringComparison.Ordinal) ? "MB" : key.StartsWith("tcp_rr", StringComparison.Ordinal) ? "rt" : "pkt";

    private static double Scale(string key, double v) => key.StartsWith("tcp_bulk", StringComparison.Ordinal) ? v / 1e6 : v;

    private static double Median(IReadOnlyList<double> xs)
    {
        var s = xs.OrderBy(x => x).ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    private static string Stat(IEnumerable<double> values)
    {
        var xs = values.ToArray();
        return xs.Length == 0 ? "-" : string.Create(Inv, $"{Median(xs),10:F0} [{xs.Min():F0}..{xs.Max():F0}]");
    }

    private static void Ratio(string what, int n, Func<int, double> ratio, string? op, double target)
    {
        if (n == 0)
        {
            return;
        }

        var xs = Enumerable.Range(0, n).Select(ratio).ToArray();
        var m = Median(xs);
        var verdict = op == null ? "" : (op == ">=" ? m >= target : m <= target) ? $"  target {op} {target}: met" : $"  target {op} {target}: NOT met";
        Console.WriteLine(string.Create(Inv, $"{what}: {m:F2} [{xs.Min():F2}..{xs.Max():F2}]{verdict}"));
    }

    /// <summary>The most idle connections bench/real/run.sh --idle opens.</summary>
    private const int MaxRealIdle = 1_000_000;

    /// <summary>What bench/real/run.sh --idle measured: the open's wall and CPU time, the kernel's slab growth per socket.</summary>
    public sealed record RealIdle(long Count, double Wall, double Cpu, double SlabPerSocket);

    private static RealIdle? NoRealIdle(int connections)
    {
        Console.WriteLine($"real kernel: {connections} idle connections not measured (bench/real/run.sh --idle opens at most {MaxRealIdle})");
        return null;
    }

    /// <summary>The real kernel's open of <paramref name="connections"/> idle connections: run.sh --idle N --tsv, its lines printed, its 'idle_open' line parsed.</summary>
    private static RealIdle? RunRealIdle(string script, int connections)
    {
        var psi = new ProcessStartInfo("bash", [script, "--idle", connections.ToString(Inv), "--tsv"]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd().Split('\n');
        p.WaitForExit();
        var f = output.Select(l => l.Split('\t')).FirstOrDefault(f => f.Length >= 8 && f[0] == "real" && f[2] == "idle_open");
        if (p.ExitCode != 0 || f == null)
        {
            Console.WriteLine($"real kernel: idle connections not measured: {script} --idle failed (exit {p.ExitCode}): {err.Result.Trim()}");
            return null;
        }

        foreach (var line in output.Where(l => l.Length > 0 && !l.StartsWith("real\t", StringComparison.Ordinal)))
        {
            Console.WriteLine(line.StartsWith('#') ? line : "real kernel: " + line);
        }

        return new RealIdle(long.Parse(f[3], Inv), double.Parse(f[4], Inv), double.Parse(f[5], Inv), double.Parse(f[7], Inv));
    }

    /// <summary>
    /// Opens <paramref name="connections"/> idle connections (TcpConnectionsBench.Open) and
    /// reports the open time and the managed memory they hold: the heap after a full
    /// collection with them open, less the heap of the same topology with none. Then, if
    /// <paramref name="real"/> is given, has the real kernel open as many and prints the
    /// sim/real ratios.
    /// </summary>
    public static void IdleConnections(int connections, int runs, int holdSeconds = 0, Func<RealIdle?>? real = null)
    {
        var opens = new List<double>();
        var cpus = new List<double>();
        var perConn = new List<double>();
        for (var r = 0; r < runs; r++)
        {
            var empty = RetainedAfter(0, out _, out _, out _);
            var full = RetainedAfter(connections, out var est, out var wall, out var cpu, holdSeconds);
            if (est != connections)
            {
                Console.WriteLine($"idle connections: only {est} of {connections} established");
            }

            var per = (full - empty) / (double)connections;
            Console.WriteLine(string.Create(Inv, $"idle connections run {r + 1}: {est} established in {wall:F2} s wall ({cpu:F2} s CPU, {cpu * 1e6 / connections:F1} us per connection; GC: {_gc.Pause.TotalSeconds:F2} s paused, {_gc.Gen0} gen0 / {_gc.Gen1} gen1 / {_gc.Gen2} gen2 collections, {_gc.Allocated / (double)connections:F0} B allocated per connection), {(full - empty) / 1e6:F0} MB retained: {per:F0} B per connection, {per / 2:F0} B per socket (two per connection)"));
            opens.Add(wall);
            cpus.Add(cpu);
            perConn.Add(per);
        }

        // the target is for a million connections: a smaller run cannot meet it, only show the trend
        var verdictOpen = connections < 1_000_000 ? "not judged below 1,000,000 connections" : Median(opens) < 10 ? "met" : "NOT met";
        // The target is per socket (each end), as the kernel's 3.75 KB of slab is per socket; a connection here is two.
        var verdictMem = Median(perConn) / 2 < 2048 ? "met" : "NOT met";
        Console.WriteLine(string.Create(Inv, $"{connections} idle connections: opened in {Median(opens):F2} s wall [{opens.Min():F2}..{opens.Max():F2}] ({Median(cpus):F2} s CPU)  target < 10 s for 1,000,000: {verdictOpen}"));
        Console.WriteLine(string.Create(Inv, $"{connections} idle connections: {Median(perConn) / 2:F0} managed bytes per socket [{perConn.Min() / 2:F0}..{perConn.Max() / 2:F0}], {Median(perConn):F0} per connection (two sockets)  target < 2048 per socket: {verdictMem}"));
        if (real?.Invoke() is { } kernel && kernel.Count == connections)
        {
            Console.WriteLine(string.Create(Inv, $"{connections} idle connections, sim/real (no target): open time {Median(opens) / kernel.Wall:F2} of the kernel's wall, {Median(cpus) / kernel.Cpu:F2} of its CPU; memory {Median(perConn) / 2 / kernel.SlabPerSocket:F2} of its slab per socket ({kernel.Wall:F2} s wall, {kernel.Cpu:F2} s CPU, {kernel.SlabPerSocket:F0} B per socket)"));
        }
    }

    /// <summary>The collector's work during the last open (RetainedAfter).</summary>
    private static GcFigures _gc;

    private readonly record struct GcFigures(TimeSpan Pause, int Gen0, int Gen1, int Gen2, long Allocated)
    {
        public static GcFigures Now() => new(GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalAllocatedBytes(precise: false));

        public static GcFigures operator -(GcFigures a, GcFigures b) => new(a.Pause - b.Pause, a.Gen0 - b.Gen0, a.Gen1 - b.Gen1, a.Gen2 - b.Gen2, a.Allocated - b.Allocated);
    }

    private static long RetainedAfter(int connections, out int established, out double wall, out double cpu, int holdSeconds = 0)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var gc0 = GcFigures.Now();
        var cpu0 = Environment.CpuUsage.TotalTime;
        var sw = Stopwatch.StartNew();
        var (t, est) = TcpConnectionsBench.Open(connections);
        wall = sw.Elapsed.TotalSeconds;
        cpu = (Environment.CpuUsage.TotalTime - cpu0).TotalSeconds;
        _gc = GcFigures.Now() - gc0;
        established = est;
        var after = GC.GetTotalMemory(forceFullCollection: true);
        if (holdSeconds > 0)
        {
            // Time for a heap snapshot of the open connections (dotnet-gcdump collect -p PID).
            Console.WriteLine($"holding {est} connections for {holdSeconds} s (process {Environment.ProcessId})");
            System.Threading.Thread.Sleep(holdSeconds * 1000);
        }

        GC.KeepAlive(t);
        return after - before;
    }

    /// <summary>The default scenario (`kernelnet run`, no arguments) from the published CLI: one run to warm the page cache, then <paramref name="runs"/> timed from process start to exit.</summary>
    private static void StartUp(string cli, int runs)
    {
        if (!File.Exists(cli))
        {
            Console.WriteLine($"default scenario start-up: '{cli}' does not exist (publish it first, README)");
            return;
        }

        var walls = new List<double>();
        for (var r = 0; r <= runs; r++)
        {
            var psi = new ProcessStartInfo(cli, "run") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            var sw = Stopwatch.StartNew();
            using var p = Process.Start(psi)!;
            p.StandardOutput.ReadToEnd();
            p.StandardError.ReadToEnd();
            p.WaitForExit();
            var wall = sw.Elapsed.TotalSeconds;
            if (p.ExitCode != 0)
            {
                Console.WriteLine($"default scenario start-up: '{cli} run' exited {p.ExitCode}");
                return;
            }

            if (r > 0)
            {
                walls.Add(wall);
            }
        }

        var m = Median(walls);
        Console.WriteLine(string.Create(Inv, $"default scenario from {cli}: {m:F3} s wall [{walls.Min():F3}..{walls.Max():F3}] over {runs} runs  target < 0.3 s: {(m < 0.3 ? "met" : "NOT met")}"));
    }

    /// <summary>bench/real/run.sh found from the working directory up.</summary>
    private static string? FindRealScript()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir != null; dir = dir.Parent)
        {
            var p = Path.Combine(dir.FullName, "bench", "real", "run.sh");
            if (File.Exists(p))
            {
                return p;
            }
        }

        return null;
    }

    private static bool IsRoot() => File.ReadAllLines("/proc/self/status").Any(l => l.StartsWith("Uid:", StringComparison.Ordinal) && l.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1] == "0");

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    /// <summary>One round of the real kernel: run.sh --runs 1 --tsv, its 'real' lines parsed.</summary>
    private static Dictionary<string, Sample>? RunRealOnce(string script, int seconds)
    {
        var psi = new ProcessStartInfo("bash", [script, "--runs", "1", "--seconds", seconds.ToString(Inv), "--tsv"]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        var rounds = ParseRealTsv(output.Split('\n'));
        if (p.ExitCode != 0 || rounds.Count == 0)
        {
            Console.Error.WriteLine($"kernelnet-bench --compare: {script} failed (exit {p.ExitCode}): {err.Result.Trim()}");
            return null;
        }

        foreach (var line in output.Split('\n').Where(l => l.StartsWith('#')))
        {
            Console.WriteLine(line);
        }

        return rounds[0];
    }

    /// <summary>run.sh's TSV: real, run, measure, count, wall_s, cpu_s, busy_s; one dictionary per run.</summary>
    private static List<Dictionary<string, Sample>> ParseRealTsv(IEnumerable<string> lines)
    {
        var byRun = new SortedDictionary<int, Dictionary<string, Sample>>();
        foreach (var line in lines)
        {
            var f = line.Split('\t');
            if (f.Length < 7 || f[0] != "real")
            {
                continue;
            }

            var run = int.Parse(f[1], Inv);
            if (!byRun.TryGetValue(run, out var d))
            {
                byRun[run] = d = [];
            }

            d[f[2]] = new Sample(long.Parse(f[3], Inv), double.Parse(f[4], Inv), double.Parse(f[5], Inv), 0);
        }

        return byRun.Values.Where(d => d.ContainsKey("udp64") && d.ContainsKey("tcp_bulk") && d.ContainsKey("tcp_rr")).ToList();
    }
}
