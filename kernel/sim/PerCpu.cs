using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Kernel.Time;

namespace KernelNet.Kernel;

/// <summary>
/// One CPU's per-CPU variables, gathered from the files that declare them
/// (<c>DEFINE_PER_CPU</c> in C): the preempt count, pending softirqs,
/// <c>softnet_data</c>, <c>ksoftirqd</c>, softirq and interrupt statistics,
/// the timer base.
/// </summary>
public sealed class PerCpu
{
    internal PerCpu(Vmlinux k, int cpu)
    {
        this.cpu = cpu;
        softnet_data = new softnet_data(k, cpu);
        timer_base = new timer_base(cpu);
        tick_cpu_device = new clock_event_device(cpu);
        rcu_data = new KernelNet.Kernel.Kernel.Rcu.rcu_data(cpu);
        bh_worker_pools = new[] { new KernelNet.Kernel.Kernel.worker_pool(cpu, false), new KernelNet.Kernel.Kernel.worker_pool(cpu, true) };
    }

    public int cpu { get; }

    /// <summary>x86 <c>__preempt_count</c>: preempt, softirq, hardirq and NMI nesting (include/linux/preempt.h).</summary>
    public int preempt_count { get; set; }

    /// <summary><c>irq_stat.__softirq_pending</c>: a bit per softirq raised and not yet run.</summary>
    public uint softirq_pending { get; set; }

    /// <summary>kstat: how often each softirq ran on this CPU (<c>/proc/softirqs</c>).</summary>
    public long[] softirqs { get; } = new long[interrupt_h.NR_SOFTIRQS];

    /// <summary>net/core/dev.c: softnet_data.</summary>
    public softnet_data softnet_data { get; }

    /// <summary>kernel/sched/core.c: runqueues, this CPU's run queue.</summary>
    public KernelNet.Kernel.Kernel.Sched.rq runqueues { get; } = new();

    /// <summary>kernel/softirq.c: ksoftirqd.</summary>
    public task_struct? ksoftirqd { get; set; }

    /// <summary>net/ipv4/tcp.c: tcp_tw_isn — the ISN a SYN that reuses a TIME_WAIT 4-tuple carries from tcp_v4_rcv to tcp_conn_request.</summary>
    public uint tcp_tw_isn { get; set; }

    /// <summary>kernel/workqueue.c: bh_worker_pools (normal, then high priority).</summary>
    public KernelNet.Kernel.Kernel.worker_pool[] bh_worker_pools { get; }

    /// <summary>net/ipv4/tcp_output.c: tsq_work — sockets TX completion found throttled, and the BH work item that writes them.</summary>
    public KernelNet.Kernel.Net.Ipv4.tsq_work tsq_work { get; } = new();

    /// <summary>kernel/time/hrtimer.c: hrtimer_bases (the soft CLOCK_MONOTONIC base).</summary>
    public hrtimer_cpu_base hrtimer_bases { get; } = new();

    /// <summary>kernel/time/tick-common.c: tick_cpu_device — this CPU's clock event device (the local APIC timer).</summary>
    public clock_event_device tick_cpu_device { get; }

    /// <summary>kernel/time/timer.c: timer_bases[BASE_STD].</summary>
    public timer_base timer_base { get; }

    /// <summary>kernel/smp.c: call_single_queue — functions other CPUs asked this one to run (an llist in C).</summary>
    public System.Collections.Generic.Queue<call_single_data_t> call_single_queue { get; } = new();

    /// <summary>arch/x86: irq_stat.irq_call_count — call-function IPIs taken (/proc/interrupts CAL).</summary>
    public long irq_call_count { get; set; }

    /// <summary>kernel/rcu/tree.c: rcu_data.</summary>
    public KernelNet.Kernel.Kernel.Rcu.rcu_data rcu_data { get; }

    /// <summary>net/core/skbuff.c: napi_alloc_cache — the sk_buffs NAPI freed on this CPU, for its next allocations.</summary>
    public KernelNet.Kernel.Net.Core.napi_alloc_cache napi_alloc_cache { get; } = new();
}
