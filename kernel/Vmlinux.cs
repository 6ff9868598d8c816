using System;
using System.Collections.Generic;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Kernel.Trace;
using KernelNet.Machine;

namespace KernelNet.Kernel;

/// <summary>
/// One running kernel: everything C keeps in globals and per-CPU variables
/// hangs off this object, so that nothing in the port is static and several
/// kernels can run side by side in one process. Functions that in C reach
/// their state implicitly (<c>this_cpu_ptr</c>, <c>jiffies</c>, <c>init_net</c>)
/// reach it through the objects they are given (skb, dev, sk, net all lead
/// here) or, where C passes nothing, through an explicit first argument
/// <c>Vmlinux k</c>.
/// </summary>
public sealed class Vmlinux
{
    /// <summary>HZ of the kernel these machines run (CONFIG_HZ_250).</summary>
    public const int HZ = 250;

    /// <summary>
    /// CONFIG_DEFAULT_TCP_CONG: the congestion control init_net takes at boot
    /// (tcp_congestion_default) and every new namespace inherits.
    /// departure: the kernel these machines run is built with
    /// CONFIG_DEFAULT_BBR=y (/proc/config.gz of 6.18.44: CONFIG_TCP_CONG_CUBIC=y,
    /// CONFIG_TCP_CONG_BBR=y), so a real namespace uses bbr unless told
    /// otherwise. BBR is ported (tcp_bbr.c) and selected with TCP_CONGESTION or
    /// net.ipv4.tcp_congestion_control, but the default stays cubic here: the
    /// simulation's handshake RTT (about 2 us, against about 118 us recorded)
    /// makes RACK's reordering window (min_rtt/4) zero, so under bbr two recorded
    /// loss scenarios (tcp-loss-fast-retransmit, tcp-loss-sack-recovery) enter
    /// Recovery on the first SACK where the machine passes through Disorder.
    /// Switch this to "bbr" once the handshake's cost matches.
    /// </summary>
    public const string CONFIG_DEFAULT_TCP_CONG = "cubic";

    /// <summary>jiffies start 300 s before wrapping so that wrap bugs show early (INITIAL_JIFFIES).</summary>
    public const ulong INITIAL_JIFFIES = unchecked((ulong)(uint)(-300 * HZ));

    private readonly PerCpu[] _percpu;
    private readonly Dictionary<Type, object> _globals = new();
    private readonly List<net> _nets = new();
    private ulong _nextAddress = 0xffff_8881_0000_0000UL;

    public Vmlinux(Machine.Machine machine)
    {
        this.machine = machine;
        _percpu = new PerCpu[machine.Cpus.Count];
        for (var i = 0; i < _percpu.Length; i++)
        {
            _percpu[i] = new PerCpu(this, i);
        }

        zone_normal = new zone(this, _percpu.Length);
        trace = new trace_array(this);
        skb_ledger = new SkbLedger();
        sock_ledger = new SockLedger();
        init_net = new net(this, "init_net");
        _nets.Add(init_net);
    }

    public Machine.Machine machine { get; }

    /// <summary>contig_page_data's ZONE_NORMAL: the one zone the page allocator (mm/page_alloc.cs) hands pages out of.</summary>
    public zone zone_normal { get; }

    /// <summary>The tracefs instance the port writes its events to.</summary>
    public trace_array trace { get; }

    /// <summary>Every live sk_buff, so that a test can prove nothing leaked and nothing was freed twice.</summary>
    public SkbLedger skb_ledger { get; }

    /// <summary>Every live sock from a protocol's slab, so that a run can name the socks it leaked and their states.</summary>
    public SockLedger sock_ledger { get; }

    /// <summary>The initial network namespace (<c>init_net</c>).</summary>
    public net init_net { get; }

    /// <summary>Every network namespace, init_net first.</summary>
    public IReadOnlyList<net> nets => _nets;

    /// <summary>net.core globals that live in <c>net_hotdata</c> and friends (not per namespace).</summary>
    public net_hotdata net_hotdata { get; } = new();

    /// <summary>drivers/virtio/virtio.c's virtio_index_ida: the N of each "virtioN" in use (ida_alloc takes the lowest free).</summary>
    public SortedSet<int> virtio_index_ida { get; } = new();

    /// <summary>softirq_vec: the handlers open_softirq installed.</summary>
    public Action?[] softirq_vec { get; } = new Action?[interrupt_h.NR_SOFTIRQS];

    /// <summary>The interrupt descriptors by vector (the kernel's irq_desc tree).</summary>
    public Dictionary<int, irq_desc> irq_descs { get; } = new();

    /// <summary>Run-time state of this kernel's task_structs, by simulated task.</summary>
    public Dictionary<SimTask, task_struct> tasks { get; } = new();

    /// <summary>This CPU's per-CPU area (<c>this_cpu_ptr</c>).</summary>
    public PerCpu this_cpu() => _percpu[machine.CurrentCpu.Id];

    /// <summary>Another CPU's per-CPU area (<c>per_cpu_ptr</c>).</summary>
    public PerCpu per_cpu(int cpu) => _percpu[cpu];

    public int nr_cpu_ids => _percpu.Length;

    /// <summary>smp_processor_id().</summary>
    public int smp_processor_id() => machine.CurrentCpu.Id;

    /// <summary>Virtual nanoseconds since boot on the executing CPU (<c>ktime_get_ns</c>).</summary>
    public long ktime_get_ns() => machine.Now;

    /// <summary>The tick counter: INITIAL_JIFFIES plus elapsed ticks of 1/HZ.</summary>
    public ulong jiffies => unchecked(INITIAL_JIFFIES + (ulong)(ktime_get_ns() / (1_000_000_000L / HZ)));

    /// <summary>The task the executing CPU runs (<c>current</c>).</summary>
    public task_struct current => task_of(machine.CurrentCpu.Current);

    /// <summary>The task_struct of a simulated task, made on first sight.</summary>
    public task_struct task_of(SimTask t)
    {
        if (!tasks.TryGetValue(t, out var ts))
        {
            ts = new task_struct(t);
            tasks.Add(t, ts);
        }

        return ts;
    }

    /// <summary>
    /// A C file's global variables, one instance per kernel: the file declares
    /// a class holding them (dev.c's <c>ptype_base</c> in <c>dev_globals</c>)
    /// and reaches it here, so that nothing is static.
    /// </summary>
    public T globals<T>()
        where T : class, new()
    {
        if (!_globals.TryGetValue(typeof(T), out var g))
        {
            g = new T();
            _globals.Add(typeof(T), g);
        }

        return (T)g;
    }

    /// <summary>
    /// Live skbs that nothing will free: the ledger's live count minus those
    /// waiting on a CPU's defer list (skb_attempt_defer_free), which that
    /// CPU frees at its next NET_RX. A test ends asserting this is zero.
    /// </summary>
    public int leaked_skbs()
    {
        var deferred = 0;
        foreach (var p in _percpu)
        {
            for (var skb = p.softnet_data.defer_list.first; skb is not null; skb = skb.next)
            {
                deferred += 1 + FragListLength(skb);
            }
        }

        return skb_ledger.Live - deferred;
    }

    /// <summary>The skbs a deferred skb still holds on its frag_list (a reassembled datagram's fragments), at every depth.</summary>
    private static int FragListLength(sk_buff skb)
    {
        var n = 0;
        for (var f = skb.shinfo.frag_list; f is not null; f = f.next)
        {
            n += 1 + FragListLength(f);
        }

        return n;
    }

    /// <summary>Registers a new network namespace.</summary>
    public net new_net(string name)
    {
        var n = new net(this, name);
        _nets.Add(n);
        KernelNet.Kernel.Net.Core.net_namespace_c.setup_net(n);
        return n;
    }

    /// <summary>
    /// A kernel-looking address for a new object (skb, sock, napi), handed out
    /// in allocation order so that traces are the same on every run.
    /// </summary>
    public ulong alloc_address(int size)
    {
        var a = _nextAddress;
        _nextAddress += (ulong)((size + 63) & ~63);
        return a;
    }
}
