using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using KernelNet.Kernel;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Mm;
using KernelNet.Machine;

namespace KernelNet.Scenarios.Sim;

/// <summary>
/// The end of a simulated run, as the end of a real one: the programs exit (do_exit: the
/// other threads of each process are killed, then close_files closes every descriptor,
/// lowest first, with PF_EXITING set so SO_LINGER does not wait), the kernel runs until no
/// event is pending or a bound has passed (TIME_WAIT's 60 s, orphans' retransmissions,
/// neighbour, request and reassembly timers), and then nothing may be left: no skb, no sock,
/// no slab object beyond those live before the run. Both <c>kernelnet run</c> (scenario
/// files) and <c>kernelnet packetdrill</c> end this way.
/// </summary>
public static class Teardown
{
    private const long Ms = 1_000_000;

    /// <summary>How long the kernel is given to settle after the processes exit (TIME_WAIT is 60 s; an orphan retransmits for minutes).</summary>
    public const long SettleLimitNs = 600_000 * Ms;

    /// <summary>How long one process's exit may take (its threads must leave their system calls).</summary>
    private const long ExitLimitNs = 10_000 * Ms;

    /// <summary>The active objects of every slab cache by name (skbuff_head_cache less the sk_buffs the CPUs' NAPI caches keep), to compare a run's end with its start.</summary>
    public static IReadOnlyDictionary<string, long> SlabCounts(Vmlinux k)
    {
        ArgumentNullException.ThrowIfNull(k);
        var d = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var s in k.globals<slab_common_globals>().slab_caches)
        {
            var active = s.active_objs;
            if (ReferenceEquals(s, k.net_hotdata.skbuff_cache))
            {
                // the sk_buffs a CPU's napi_alloc_cache keeps for its next NAPI allocations are
                // allocated from the slab but hold no skb: what a run leaves there is no leak
                for (var cpu = 0; cpu < k.nr_cpu_ids; cpu++)
                {
                    active -= k.per_cpu(cpu).napi_alloc_cache.skb_count;
                }
            }

            d[s.name] = (d.TryGetValue(s.name, out var v) ? v : 0) + active;
        }

        return d;
    }

    /// <summary>
    /// Every process of <paramref name="processes"/> (a leader task each) exits, in order: a
    /// last thread of it kills the others (a pending SIGKILL, asleep ones woken, as
    /// zap_other_threads does), waits until they are gone, and closes each descriptor of the
    /// process's file table, lowest first (close_files). Returns the processes whose threads
    /// did not all end within <see cref="ExitLimitNs"/>.
    /// </summary>
    public static IReadOnlyList<string> ExitProcesses(Topology t, IEnumerable<SimTask> processes)
    {
        ArgumentNullException.ThrowIfNull(t);
        ArgumentNullException.ThrowIfNull(processes);
        var stuck = new List<string>();
        foreach (var leader in processes)
        {
            var files = t.K.task_of(leader).files;
            var done = false;
            var exit = t.Syscalls.SpawnThread(leader, leader.Comm, leader.Cpu, async libc =>
            {
                var me = t.K.task_of(libc.Task);
                me.flags |= sched_h.PF_EXITING;
                var others = ThreadsOf(t, files, libc.Task);
                foreach (var other in others)
                {
                    var ts = t.K.task_of(other);
                    ts.signal_pending = true;
                    KernelNet.Kernel.Kernel.Sched.core_c.wake_up_process(t.K, ts);
                }

                var deadline = libc.Now + ExitLimitNs;
                while (others.Any(o => o.State != TaskState.Dead) && libc.Now < deadline)
                {
                    await libc.Sleep(Ms);
                }

                foreach (var fd in files.Keys.OrderBy(fd => fd).ToList())
                {
                    await libc.Close(fd);
                }

                done = true;
            });

            var limit = t.Sim.Now + 2 * ExitLimitNs;
            while (exit.State != TaskState.Dead && t.Sim.Step(limit))
            {
            }

            t.Machine.ThrowIfFaulted();
            if (!done)
            {
                stuck.Add(leader.Comm);
            }
        }

        return stuck;
    }

    /// <summary>The threads of the process whose file table is <paramref name="files"/> that have not ended, but for <paramref name="self"/>.</summary>
    private static List<SimTask> ThreadsOf(Topology t, files_struct files, SimTask self) =>
        t.Machine.Tasks.Where(x => !ReferenceEquals(x, self) && x.State != TaskState.Dead
            && t.K.tasks.TryGetValue(x, out var ts) && ReferenceEquals(ts.files, files)).ToList();

    /// <summary>Runs the machine until no event is pending (no timer armed, nothing queued) or <paramref name="limitNs"/> has passed.</summary>
    public static void Settle(Topology t, long limitNs = SettleLimitNs)
    {
        ArgumentNullException.ThrowIfNull(t);
        var limit = t.Sim.Now + limitNs;
        while (t.Sim.Step(limit))
        {
        }

        t.Machine.ThrowIfFaulted();
    }

    /// <summary>
    /// The processes exit, the kernel settles, and the ledgers are read: what is still live
    /// against <paramref name="slabsBefore"/> (the slab counts before the run started).
    /// </summary>
    public static LedgerReport ExitAndSettle(Topology t, IEnumerable<SimTask> processes, IReadOnlyDictionary<string, long> slabsBefore)
    {
        var stuck = ExitProcesses(t, processes);
        Settle(t);
        return Check(t.K, slabsBefore, stuck);
    }

    /// <summary>What is live now that should not be: skbs (by where they were allocated), socks (by protocol and state), slab objects beyond <paramref name="slabsBefore"/>.</summary>
    public static LedgerReport Check(Vmlinux k, IReadOnlyDictionary<string, long> slabsBefore, IReadOnlyList<string>? stuck = null)
    {
        ArgumentNullException.ThrowIfNull(k);
        ArgumentNullException.ThrowIfNull(slabsBefore);
        var skbs = k.leaked_skbs() == 0 ? new List<string>() : k.skb_ledger.Describe().ToList();
        var socks = k.sock_ledger.Live().Select(Describe).ToList();
        var slabs = new List<string>();
        foreach (var (name, n) in SlabCounts(k))
        {
            var before = slabsBefore.TryGetValue(name, out var v) ? v : 0;
            // fewer than before is no leak: the run's exit closed something the set-up had opened
            if (n > before)
            {
                slabs.Add(string.Create(CultureInfo.InvariantCulture, $"slab {name}: {n} active object(s), {before} before the run"));
            }
        }

        return new LedgerReport(skbs, socks, slabs, stuck ?? []);
    }

    /// <summary>One live sock in a line: its protocol's name, its state, its addresses.</summary>
    private static string Describe(sock sk)
    {
        var proto = sk.sk_prot?.name ?? "?";
        var state = sk.sk_protocol == 6 ? TcpStateName(sk.sk_state) : string.Create(CultureInfo.InvariantCulture, $"state {sk.sk_state}");
        var where = sk.proto_data is KernelNet.Kernel.Include.Net.inet_sock inet
            ? string.Create(CultureInfo.InvariantCulture, $" {Ip(inet.inet_rcv_saddr)}:{inet.inet_sport} -> {Ip(inet.inet_daddr)}:{inet.inet_dport}")
            : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"sock {sk.addr:x16} {proto} {state}{where}{(sk.sk_socket is null ? " orphan" : string.Empty)}");
    }

    private static string Ip(uint a) => string.Create(CultureInfo.InvariantCulture, $"{a >> 24}.{(a >> 16) & 0xff}.{(a >> 8) & 0xff}.{a & 0xff}");

    private static string TcpStateName(int s) => s switch
    {
        1 => "ESTABLISHED",
        2 => "SYN_SENT",
        3 => "SYN_RECV",
        4 => "FIN_WAIT1",
        5 => "FIN_WAIT2",
        6 => "TIME_WAIT",
        7 => "CLOSE",
        8 => "CLOSE_WAIT",
        9 => "LAST_ACK",
        10 => "LISTEN",
        11 => "CLOSING",
        12 => "NEW_SYN_RECV",
        _ => string.Create(CultureInfo.InvariantCulture, $"state {s}"),
    };
}

/// <summary>What a run left behind after its processes exited and the kernel settled; empty lists when nothing leaked.</summary>
public sealed record LedgerReport(IReadOnlyList<string> Skbs, IReadOnlyList<string> Socks, IReadOnlyList<string> Slabs, IReadOnlyList<string> Stuck)
{
    public bool Clean => Skbs.Count == 0 && Socks.Count == 0 && Slabs.Count == 0 && Stuck.Count == 0;

    /// <summary>
    /// One line naming what leaked: the skbs counted by allocation site, the socks with their
    /// state, the slab caches with more objects than before, the processes that would not exit.
    /// </summary>
    public string Summary()
    {
        var parts = new List<string>();
        if (Skbs.Count > 0)
        {
            var sites = Skbs.Select(s => s[(s.IndexOf(" allocated by ", StringComparison.Ordinal) + 14)..])
                .GroupBy(s => s, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Count()} allocated by {g.Key}"));
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{Skbs.Count} skb(s) ({string.Join(", ", sites)})"));
        }

        if (Socks.Count > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{Socks.Count} sock(s) ({string.Join(", ", Socks.Select(s => s[(s.IndexOf(' ', 5) + 1)..]))})"));
        }

        if (Slabs.Count > 0)
        {
            parts.Add(string.Join(", ", Slabs));
        }

        if (Stuck.Count > 0)
        {
            parts.Add($"process(es) that did not exit: {string.Join(", ", Stuck)}");
        }

        return parts.Count == 0 ? "nothing leaked" : "leaked after exit and settle: " + string.Join("; ", parts);
    }
}
