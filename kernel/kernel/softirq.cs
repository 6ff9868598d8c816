// Ports kernel/softirq.c (the !CONFIG_PREEMPT_RT half): raising softirqs,
// running them on irq_exit or local_bh_enable, and handing the rest to the
// per-CPU ksoftirqd thread when the restart or time limit runs out.
//
// TASKLET_SOFTIRQ and HI_SOFTIRQ run the BH workqueues' pools (workqueue.c),
// where TCP Small Queues' work items run.
//
// not ported: tasklets themselves (tasklet_action_common: no tasklet user in
// the stack we port), ktimerd and forced IRQ threading (off in the kernel
// these machines run), lockdep hooks.
// not ported: lockdep_softirqs_on, lockdep_softirqs_off, lockdep_softirq_start, lockdep_softirq_end, lockdep_hardirq_exit — lockdep hooks, as said above
// not ported: force_irqthreads, wake_timersd, local_timers_pending_force_th — forced IRQ threading and ktimerd, as said above
// not ported: migrate_disable, migrate_enable, softirq_count, preemptible, raw_local_irq_save, raw_local_irq_restore, local_irq_save, local_irq_restore, should_wake_ksoftirqd — the CONFIG_PREEMPT_RT bodies of the bh-disable/enable and ksoftirqd helpers (per-task softirq_disable_cnt, the BH local lock); the port is the !RT half, whose bodies are below
using System;
using KernelNet.Kernel.Include.Linux;
using static KernelNet.Kernel.Include.Linux.irqflags_h;
using static KernelNet.Kernel.Include.Linux.jiffies_h;
using static KernelNet.Kernel.Include.Linux.preempt_h;
using static KernelNet.Kernel.Include.Trace.Events.irq_h;
using static KernelNet.Kernel.Kernel.Sched.core_c;
using static KernelNet.Kernel.Kernel.smpboot_c;

namespace KernelNet.Kernel.Kernel;

public static class softirq_c
{
    /// <summary>MAX_SOFTIRQ_TIME: 2 ms worth of jiffies (msecs_to_jiffies(2) = 1 at HZ=250).</summary>
    public const int MAX_SOFTIRQ_TIME_JIFFIES = 2 * Vmlinux.HZ / 1000 == 0 ? 1 : 2 * Vmlinux.HZ / 1000;

    /// <summary>MAX_SOFTIRQ_RESTART: rounds of pending softirqs handled before ksoftirqd takes over.</summary>
    public const int MAX_SOFTIRQ_RESTART = 10;

    [KernelNet.Annotations.NotInLinux("stand-in for the local_softirq_pending macro of include/linux/interrupt.h, whose port there is not written yet")]
    private static uint local_softirq_pending(Vmlinux k) => k.this_cpu().softirq_pending;

    [KernelNet.Annotations.NotInLinux("stand-in for the set_softirq_pending macro of include/linux/interrupt.h, whose port there is not written yet")]
    private static void set_softirq_pending(Vmlinux k, uint pending) => k.this_cpu().softirq_pending = pending;

    [KernelNet.Annotations.NotInLinux("stand-in for the or_softirq_pending macro of include/linux/interrupt.h, whose port there is not written yet")]
    private static void or_softirq_pending(Vmlinux k, uint bits) => k.this_cpu().softirq_pending |= bits;

    // kernel/softirq.c: wakeup_softirqd
    /// <summary>Wakes this CPU's ksoftirqd to run the softirqs left pending.</summary>
    private static void wakeup_softirqd(Vmlinux k)
    {
        var tsk = k.this_cpu().ksoftirqd;
        if (tsk is not null)
        {
            wake_up_process(k, tsk);
        }
    }

    // kernel/softirq.c: __local_bh_disable_ip
    /// <summary>Adds <paramref name="cnt"/> to the softirq part of the preempt count (irqs briefly off in C).</summary>
    public static void __local_bh_disable_ip(Vmlinux k, int cnt)
    {
        // not ported: in_hardirq — only in a WARN_ON_ONCE
        preempt_count_add(k, cnt);
    }

    // kernel/softirq.c: __local_bh_enable
    private static void __local_bh_enable(Vmlinux k, int cnt)
    {
        preempt_count_sub(k, cnt);
    }

    // not ported: in_hardirq — only in a WARN_ON_ONCE
    // kernel/softirq.c: _local_bh_enable
    /// <summary>Enables BH without running what is pending (used by __do_softirq's callers).</summary>
    public static void _local_bh_enable(Vmlinux k) => __local_bh_enable(k, SOFTIRQ_DISABLE_OFFSET);

    // kernel/softirq.c: __local_bh_enable_ip
    /// <summary>
    /// Leaves a BH-disabled section; if softirqs were raised meanwhile and we
    /// are not in interrupt context, runs them here, in the caller's process
    /// context, before returning (preemption stays off until then).
    /// </summary>
    public static void __local_bh_enable_ip(Vmlinux k, int cnt)
    {
        // not ported: preempt_check_resched — no preemption at bh-enable in the simulation: a need_resched set by a softirq is acted on at the task's next scheduling point
        // not ported: preempt_count_dec — written as preempt_count_sub(k, 1), the same decrement
        // not ported: __do_softirq, wakeup_softirqd, __local_bh_enable — the PREEMPT_RT body's; the !RT body calls do_softirq, as here
        // not ported: in_hardirq — only in a WARN_ON_ONCE
        local_irq_disable(k);
        // Keep preemption disabled until the pending softirqs are done.
        preempt_count_sub(k, cnt - 1);

        if (!in_interrupt(k) && local_softirq_pending(k) != 0)
        {
            do_softirq(k);
        }

        preempt_count_sub(k, 1);
        local_irq_enable(k);
    }

    // kernel/softirq.c: softirq_handle_begin
    private static void softirq_handle_begin(Vmlinux k) => __local_bh_disable_ip(k, SOFTIRQ_OFFSET);

    // not ported: in_interrupt — only in a WARN_ON_ONCE
    // kernel/softirq.c: softirq_handle_end
    private static void softirq_handle_end(Vmlinux k) => __local_bh_enable(k, SOFTIRQ_OFFSET);

    // not ported: __local_bh_disable_ip — the PREEMPT_RT body; !RT disables interrupts, as here
    // kernel/softirq.c: ksoftirqd_run_begin
    private static void ksoftirqd_run_begin(Vmlinux k) => local_irq_disable(k);

    // not ported: __local_bh_enable, in_interrupt — the PREEMPT_RT body; !RT enables interrupts, as here
    // kernel/softirq.c: ksoftirqd_run_end
    private static void ksoftirqd_run_end(Vmlinux k) => local_irq_enable(k);

    // kernel/softirq.c: should_wake_ksoftirqd
    private static bool should_wake_ksoftirqd() => true;

    // kernel/softirq.c: invoke_softirq
    /// <summary>irq_exit's choice: run softirqs now on the IRQ stack (no forced IRQ threading here).</summary>
    private static void invoke_softirq(Vmlinux k)
    {
        // not ported: wakeup_softirqd — the forced-threading branch; forced IRQ threading is off
        __do_softirq(k);
    }

    // kernel/softirq.c: do_softirq
    /// <summary>Runs pending softirqs from process context (local_bh_enable); a no-op in interrupt context.</summary>
    public static void do_softirq(Vmlinux k)
    {
        if (in_interrupt(k))
        {
            return;
        }

        local_irq_save(k, out var flags);
        if (local_softirq_pending(k) != 0)
        {
            // do_softirq_own_stack(): the simulation has one stack.
            __do_softirq(k);
        }

        local_irq_restore(k, flags);
    }

    // kernel/softirq.c: handle_softirqs
    /// <summary>
    /// Runs every pending softirq in vector order, then again while new ones
    /// are raised — at most MAX_SOFTIRQ_RESTART rounds, within
    /// MAX_SOFTIRQ_TIME, and only while no task waits for the CPU; whatever is
    /// still pending then goes to ksoftirqd (RX-5, RX-6).
    /// </summary>
    [KernelNet.Annotations.SoftirqContext]
    private static void handle_softirqs(Vmlinux k, bool ksirqd)
    {
        // not ported: rcu_softirq_qs — only for ksoftirqd: the port's RCU takes the quiescent state from the tick and context switches (tree.c)
        // not ported: need_resched — read as the CPU's NeedResched flag, the flag need_resched tests
        var end = k.jiffies + MAX_SOFTIRQ_TIME_JIFFIES;
        var max_restart = MAX_SOFTIRQ_RESTART;
        var cpu = k.machine.CurrentCpu;
        var pending = local_softirq_pending(k);

        softirq_handle_begin(k);

    restart:
        // Reset the pending bitmask before enabling irqs.
        set_softirq_pending(k, 0);
        local_irq_enable(k);

        for (var vec_nr = 0; pending != 0; vec_nr++, pending >>= 1)
        {
            if ((pending & 1) == 0)
            {
                continue;
            }

            var prev_count = preempt_count(k);
            k.this_cpu().softirqs[vec_nr]++;
            trace_softirq_entry(k, vec_nr);
            (k.softirq_vec[vec_nr] ?? throw new InvalidOperationException($"softirq {vec_nr} raised but never opened"))();
            trace_softirq_exit(k, vec_nr);
            if (prev_count != preempt_count(k))
            {
                throw new InvalidOperationException($"softirq {vec_nr} changed preempt_count {prev_count:x8} -> {preempt_count(k):x8}");
            }
        }

        local_irq_disable(k);
        pending = local_softirq_pending(k);
        if (pending != 0)
        {
            if (time_before(k.jiffies, end) && !cpu.NeedResched && --max_restart != 0)
            {
                goto restart;
            }

            wakeup_softirqd(k);
        }

        softirq_handle_end(k);
    }

    // kernel/softirq.c: __do_softirq
    /// <summary>Entry from irq_exit and do_softirq.</summary>
    public static void __do_softirq(Vmlinux k) => handle_softirqs(k, false);

    // kernel/softirq.c: irq_enter_rcu
    /// <summary>Enters hard-IRQ context: the HARDIRQ part of the preempt count goes up.</summary>
    public static void irq_enter_rcu(Vmlinux k)
    {
        // not ported: tick_irq_enter, is_idle_task, irq_count, smp_processor_id — tick_irq_enter's catch-up of jiffies on an idle CPU's first interrupt; the port's virtual clock keeps jiffies current
        preempt_count_add(k, HARDIRQ_OFFSET);
    }

    // kernel/softirq.c: __irq_exit_rcu
    private static void __irq_exit_rcu(Vmlinux k)
    {
        // not ported: in_hardirq, in_nmi, tick_irq_exit — tick_irq_exit's nohz step (tick_nohz_irq_exit on an idle CPU); the port's tick is reprogrammed by its own timer code, not on irq exit
        local_irq_disable(k);
        preempt_count_sub(k, HARDIRQ_OFFSET);
        if (!in_interrupt(k) && local_softirq_pending(k) != 0)
        {
            invoke_softirq(k);
        }
    }

    // kernel/softirq.c: irq_exit_rcu
    /// <summary>Leaves hard-IRQ context and, unless nested in a softirq, runs the softirqs the handler raised (RX-4).</summary>
    public static void irq_exit_rcu(Vmlinux k)
    {
        // not ported: lockdep_hardirq_exit — lockdep
        __irq_exit_rcu(k);

        // The return from the interrupt (iret) restores IF.
        local_irq_enable(k);
    }

    // kernel/softirq.c: raise_softirq_irqoff
    /// <summary>Marks softirq <paramref name="nr"/> pending; outside interrupt context, ksoftirqd is woken to run it.</summary>
    public static void raise_softirq_irqoff(Vmlinux k, softirq_nr nr)
    {
        __raise_softirq_irqoff(k, nr);

        // In an interrupt or softirq (or with BH off) the softirq runs on the
        // way out; otherwise make sure someone runs it soon.
        if (!in_interrupt(k) && should_wake_ksoftirqd())
        {
            wakeup_softirqd(k);
        }
    }

    // kernel/softirq.c: raise_softirq
    public static void raise_softirq(Vmlinux k, softirq_nr nr)
    {
        local_irq_save(k, out var flags);
        raise_softirq_irqoff(k, nr);
        local_irq_restore(k, flags);
    }

    // kernel/softirq.c: __raise_softirq_irqoff
    public static void __raise_softirq_irqoff(Vmlinux k, softirq_nr nr)
    {
        trace_softirq_raise(k, (int)nr);
        or_softirq_pending(k, 1u << (int)nr);
    }

    // kernel/softirq.c: tasklet_action
    /// <summary>TASKLET_SOFTIRQ: the normal-priority BH workqueue pool of this CPU.</summary>
    private static void tasklet_action(Vmlinux k)
    {
        workqueue_c.workqueue_softirq_action(k, false);

        // not ported: tasklet_action_common — no tasklets are scheduled in the ported stack.
    }

    // kernel/softirq.c: tasklet_hi_action
    /// <summary>HI_SOFTIRQ: the high-priority BH workqueue pool of this CPU.</summary>
    private static void tasklet_hi_action(Vmlinux k)
    {
        workqueue_c.workqueue_softirq_action(k, true);

        // not ported: tasklet_action_common — no tasklets are scheduled in the ported stack.
    }

    // kernel/softirq.c: softirq_init
    /// <summary>Boot: opens TASKLET_SOFTIRQ and HI_SOFTIRQ (the per-CPU tasklet lists are not ported).</summary>
    public static void softirq_init(Vmlinux k)
    {
        open_softirq(k, softirq_nr.TASKLET_SOFTIRQ, () => tasklet_action(k));
        open_softirq(k, softirq_nr.HI_SOFTIRQ, () => tasklet_hi_action(k));
    }

    // kernel/softirq.c: open_softirq
    /// <summary>Installs the handler of softirq <paramref name="nr"/>.</summary>
    public static void open_softirq(Vmlinux k, softirq_nr nr, Action action)
    {
        k.softirq_vec[(int)nr] = action;
    }

    // not ported: local_softirq_pending — it reads the given CPU's pending mask (the thread's CPU), which is what local_softirq_pending reads there
    // kernel/softirq.c: ksoftirqd_should_run
    private static bool ksoftirqd_should_run(Vmlinux k, int cpu) => k.per_cpu(cpu).softirq_pending != 0;

    // kernel/softirq.c: run_ksoftirqd
    /// <summary>ksoftirqd's work: run what is pending, in process context, as many rounds as handle_softirqs allows.</summary>
    private static void run_ksoftirqd(Vmlinux k, int cpu)
    {
        // not ported: cond_resched — the port's smpboot thread returns to its loop after each run; there is no in-call preemption point
        ksoftirqd_run_begin(k);
        if (local_softirq_pending(k) != 0)
        {
            handle_softirqs(k, true);
            ksoftirqd_run_end(k);
            return;
        }

        ksoftirqd_run_end(k);
    }

    // kernel/softirq.c: spawn_ksoftirqd
    /// <summary>Starts ksoftirqd/N on every CPU (early_initcall).</summary>
    public static void spawn_ksoftirqd(Vmlinux k)
    {
        // not ported: force_irqthreads — the ktimerd threads are registered only under forced IRQ threading, which is off
        smpboot_register_percpu_thread(
            k,
            "ksoftirqd/{0}",
            cpu => ksoftirqd_should_run(k, cpu),
            cpu => run_ksoftirqd(k, cpu),
            (cpu, t) => k.per_cpu(cpu).ksoftirqd = t);
    }
}
