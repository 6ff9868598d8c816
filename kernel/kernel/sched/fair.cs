// Ports kernel/sched/fair.c: EEVDF for one CPU's run queue — virtual runtime and deadlines, lag kept
// across sleeps, eligibility against the weighted average, the earliest eligible virtual deadline
// pick with RUN_TO_PARITY's slice protection, delayed dequeue of an ineligible sleeper, and wakeup
// preemption. The features are 6.18's defaults (PLACE_LAG, PLACE_DEADLINE_INITIAL,
// PLACE_REL_DEADLINE, RUN_TO_PARITY, PREEMPT_SHORT, PICK_BUDDY, DELAY_DEQUEUE, DELAY_ZERO,
// WAKEUP_PREEMPTION on; NEXT_BUDDY off, so no buddy is ever set).
// not ported: task groups and their hierarchy (one cfs_rq per CPU), load tracking (PELT,
// update_load_avg, util_est), bandwidth control (throttling), the fair server, load balancing and
// migration (tasks stay on their CPU), nice levels and custom slices (every task is nice 0 with the
// base slice, so calc_delta_fair is the identity), the scheduler tick (entity_tick: simulated tasks
// run far less than a slice between sleeps), schedstats.
using System.Collections.Generic;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;

namespace KernelNet.Kernel.Kernel.Sched;

public static class fair_c
{
    /// <summary>sysctl_sched_base_slice before scaling: 0.7 ms.</summary>
    private const long normalized_sysctl_sched_base_slice = 700_000;

    // kernel/sched/fair.c: get_update_sysctl_factor
    /// <summary>SCHED_TUNABLESCALING_LOG, the default: 1 + log2 of the CPUs (at most 8).</summary>
    private static long get_update_sysctl_factor(Vmlinux k)
    {
        var cpus = System.Math.Min(k.machine.Cpus.Count, 8);
        return 1 + System.Numerics.BitOperations.Log2((uint)cpus);
    }

    /// <summary>sysctl_sched_base_slice as update_sysctl sets it at boot: the normalized slice times the factor (1.4 ms on 2 CPUs).</summary>
    [NotInLinux("the value of the global sysctl_sched_base_slice, which update_sysctl computes once at boot; computed where read so that nothing here is static mutable state")]
    private static long sysctl_sched_base_slice(Vmlinux k) => normalized_sysctl_sched_base_slice * get_update_sysctl_factor(k);

    // kernel/sched/fair.c: calc_delta_fair
    /// <summary>Virtual time for <paramref name="delta"/> of real time: the same at NICE_0_LOAD.</summary>
    private static long calc_delta_fair(long delta, sched_entity se) => se.weight == 1024 ? delta : delta * 1024 / se.weight;

    // kernel/sched/fair.c: entity_before
    /// <summary>The tree's order: earlier virtual deadline first.</summary>
    private static bool entity_before(sched_entity a, sched_entity b) => a.deadline - b.deadline < 0;

    // kernel/sched/fair.c: entity_key
    private static long entity_key(cfs_rq cfs_rq, sched_entity se) => se.vruntime - cfs_rq.zero_vruntime;

    // kernel/sched/fair.c: sum_w_vruntime_add
    private static void sum_w_vruntime_add(cfs_rq cfs_rq, sched_entity se)
    {
        cfs_rq.sum_w_vruntime += entity_key(cfs_rq, se) * se.weight;
        cfs_rq.sum_weight += se.weight;
    }

    // kernel/sched/fair.c: sum_w_vruntime_sub
    private static void sum_w_vruntime_sub(cfs_rq cfs_rq, sched_entity se)
    {
        cfs_rq.sum_w_vruntime -= entity_key(cfs_rq, se) * se.weight;
        cfs_rq.sum_weight -= se.weight;
    }

    // kernel/sched/fair.c: update_zero_vruntime
    /// <summary>Moves the reference v0 by <paramref name="delta"/>, keeping the sum relative to it.</summary>
    private static void update_zero_vruntime(cfs_rq cfs_rq, long delta)
    {
        cfs_rq.sum_w_vruntime -= cfs_rq.sum_weight * delta;
        cfs_rq.zero_vruntime += delta;
    }

    // kernel/sched/fair.c: avg_vruntime
    /// <summary>V, the weighted average virtual runtime of the queued entities and curr (rounded down); becomes the new v0.</summary>
    public static long avg_vruntime(cfs_rq cfs_rq)
    {
        var curr = cfs_rq.curr;
        var weight = cfs_rq.sum_weight;
        long delta = 0;
        if (curr is { on_rq: false })
        {
            curr = null;
        }

        if (weight != 0)
        {
            var runtime = cfs_rq.sum_w_vruntime;
            if (curr is not null)
            {
                runtime += entity_key(cfs_rq, curr) * curr.weight;
                weight += curr.weight;
            }

            // rounding towards minus infinity: the average is never above an entity at lag 0
            if (runtime < 0)
            {
                runtime -= weight - 1;
            }

            delta = runtime / weight;
        }
        else if (curr is not null)
        {
            delta = curr.vruntime - cfs_rq.zero_vruntime;
        }

        update_zero_vruntime(cfs_rq, delta);
        return cfs_rq.zero_vruntime;
    }

    // kernel/sched/fair.c: update_entity_lag
    /// <summary>Keeps V - v_i in vlag, bounded by the longest slice plus a tick.</summary>
    private static void update_entity_lag(cfs_rq cfs_rq, sched_entity se)
    {
        var max_slice = cfs_rq_max_slice(cfs_rq) + sched_h.TICK_NSEC;
        var vlag = avg_vruntime(cfs_rq) - se.vruntime;
        var limit = calc_delta_fair(max_slice, se);
        se.vlag = System.Math.Clamp(vlag, -limit, limit);
    }

    // kernel/sched/fair.c: vruntime_eligible
    /// <summary>Whether an entity at <paramref name="vruntime"/> has lag >= 0, compared without the division's rounding.</summary>
    private static bool vruntime_eligible(cfs_rq cfs_rq, long vruntime)
    {
        var curr = cfs_rq.curr;
        var avg = cfs_rq.sum_w_vruntime;
        var load = cfs_rq.sum_weight;
        if (curr is { on_rq: true })
        {
            avg += entity_key(cfs_rq, curr) * curr.weight;
            load += curr.weight;
        }

        return avg >= (vruntime - cfs_rq.zero_vruntime) * load;
    }

    // kernel/sched/fair.c: entity_eligible
    public static bool entity_eligible(cfs_rq cfs_rq, sched_entity se) => vruntime_eligible(cfs_rq, se.vruntime);

    // kernel/sched/fair.c: cfs_rq_min_slice
    /// <summary>The shortest slice among curr and the queued entities (the tree's augmented min_slice, here a scan).</summary>
    private static long cfs_rq_min_slice(cfs_rq cfs_rq)
    {
        var min_slice = long.MaxValue;
        if (cfs_rq.curr is { on_rq: true } curr)
        {
            min_slice = curr.slice;
        }

        foreach (var se in cfs_rq.tasks_timeline)
        {
            min_slice = System.Math.Min(min_slice, se.slice);
        }

        return min_slice;
    }

    // kernel/sched/fair.c: cfs_rq_max_slice
    /// <summary>The longest slice among curr and the queued entities.</summary>
    private static long cfs_rq_max_slice(cfs_rq cfs_rq)
    {
        long max_slice = 0;
        if (cfs_rq.curr is { on_rq: true } curr)
        {
            max_slice = curr.slice;
        }

        foreach (var se in cfs_rq.tasks_timeline)
        {
            max_slice = System.Math.Max(max_slice, se.slice);
        }

        return max_slice;
    }

    // kernel/sched/fair.c: __enqueue_entity
    /// <summary>Into the tree in deadline order, after entities of an equal deadline.</summary>
    private static void __enqueue_entity(cfs_rq cfs_rq, sched_entity se)
    {
        sum_w_vruntime_add(cfs_rq, se);
        var at = cfs_rq.tasks_timeline.Count;
        for (var i = 0; i < cfs_rq.tasks_timeline.Count; i++)
        {
            if (entity_before(se, cfs_rq.tasks_timeline[i]))
            {
                at = i;
                break;
            }
        }

        // not ported: min_vruntime_cb, the augmented fields — the scans above read the tree directly
        cfs_rq.tasks_timeline.Insert(at, se);
    }

    // kernel/sched/fair.c: __dequeue_entity
    private static void __dequeue_entity(cfs_rq cfs_rq, sched_entity se)
    {
        cfs_rq.tasks_timeline.Remove(se);
        sum_w_vruntime_sub(cfs_rq, se);
    }

    // kernel/sched/fair.c: __pick_first_entity
    private static sched_entity? __pick_first_entity(cfs_rq cfs_rq) => cfs_rq.tasks_timeline.Count > 0 ? cfs_rq.tasks_timeline[0] : null;

    // kernel/sched/fair.c: set_protect_slice
    /// <summary>RUN_TO_PARITY: a picked entity is not preempted by a wakeup before it ran the shortest queued slice (at most to its deadline).</summary>
    private static void set_protect_slice(cfs_rq cfs_rq, sched_entity se)
    {
        var slice = cfs_rq_min_slice(cfs_rq);
        var vprot = se.deadline;
        slice = System.Math.Min(slice, se.slice);
        if (slice != se.slice)
        {
            vprot = System.Math.Min(vprot, se.vruntime + calc_delta_fair(slice, se));
        }

        se.vprot = vprot;
    }

    // kernel/sched/fair.c: update_protect_slice
    private static void update_protect_slice(cfs_rq cfs_rq, sched_entity se)
    {
        var slice = cfs_rq_min_slice(cfs_rq);
        se.vprot = System.Math.Min(se.vprot, se.vruntime + calc_delta_fair(slice, se));
    }

    // kernel/sched/fair.c: protect_slice
    private static bool protect_slice(sched_entity se) => se.vruntime - se.vprot < 0;

    // kernel/sched/fair.c: cancel_protect_slice
    private static void cancel_protect_slice(sched_entity se)
    {
        if (protect_slice(se))
        {
            se.vprot = se.vruntime;
        }
    }

    // kernel/sched/fair.c: pick_eevdf
    /// <summary>
    /// The eligible entity with the earliest virtual deadline; curr while its slice is protected.
    /// The tree is walked in deadline order, which finds what the heap search finds.
    /// </summary>
    private static sched_entity? pick_eevdf(cfs_rq cfs_rq, bool protect)
    {
        var se = __pick_first_entity(cfs_rq);
        var curr = cfs_rq.curr;
        sched_entity? best = null;
        if (cfs_rq.nr_queued == 1)
        {
            return curr is { on_rq: true } ? curr : se;
        }

        // not ported: the PICK_BUDDY test of cfs_rq->next — NEXT_BUDDY is off, nothing sets a buddy
        if (curr is not null && (!curr.on_rq || !entity_eligible(cfs_rq, curr)))
        {
            curr = null;
        }

        if (curr is not null && protect && protect_slice(curr))
        {
            return curr;
        }

        foreach (var candidate in cfs_rq.tasks_timeline)
        {
            if (entity_eligible(cfs_rq, candidate))
            {
                best = candidate;
                break;
            }
        }

        if (best is null || (curr is not null && entity_before(curr, best)))
        {
            best = curr;
        }

        return best;
    }

    // kernel/sched/fair.c: update_deadline
    /// <summary>Once the entity ran past its deadline it asks for a new slice; true: reschedule.</summary>
    private static bool update_deadline(Vmlinux k, cfs_rq cfs_rq, sched_entity se)
    {
        if (se.vruntime - se.deadline < 0)
        {
            return false;
        }

        se.slice = sysctl_sched_base_slice(k);
        se.deadline = se.vruntime + calc_delta_fair(se.slice, se);
        avg_vruntime(cfs_rq);
        return true;
    }

    // kernel/sched/fair.c: update_curr
    /// <summary>Charges the running entity the CPU time since it was last charged; asks for a reschedule when its slice is used up or no longer protected.</summary>
    public static void update_curr(Vmlinux k, rq rq, cfs_rq cfs_rq)
    {
        var curr = cfs_rq.curr;
        if (curr is null)
        {
            return;
        }

        // update_se: the run queue's clock is the CPU's
        var now = k.machine.Now;
        var delta_exec = now - curr.exec_start;
        if (delta_exec <= 0)
        {
            return;
        }

        curr.exec_start = now;
        curr.sum_exec_runtime += delta_exec;
        curr.vruntime += calc_delta_fair(delta_exec, curr);
        var resched = update_deadline(k, cfs_rq, curr);

        // not ported: dl_server_update, account_cfs_rq_runtime — no fair server, no bandwidth control
        if (cfs_rq.nr_queued == 1)
        {
            return;
        }

        if (resched || !protect_slice(curr))
        {
            core_c.resched_curr_lazy(rq);

            // not ported: clear_buddies — no buddy is ever set (NEXT_BUDDY off)
        }
    }

    // kernel/sched/fair.c: place_entity
    /// <summary>Puts an entity joining the queue at V minus its kept lag (scaled for the weight it adds), with a deadline a slice (half for a new task) on.</summary>
    private static void place_entity(Vmlinux k, cfs_rq cfs_rq, sched_entity se, int flags)
    {
        var vruntime = avg_vruntime(cfs_rq);
        long lag = 0;
        se.slice = sysctl_sched_base_slice(k);
        var vslice = calc_delta_fair(se.slice, se);
        if (cfs_rq.nr_queued != 0 && se.vlag != 0)
        {
            lag = se.vlag;
            var load = cfs_rq.sum_weight;
            if (cfs_rq.curr is { on_rq: true } curr)
            {
                load += curr.weight;
            }

            lag *= load + se.weight;
            if (load == 0)
            {
                load = 1;
            }

            lag /= load;
        }

        se.vruntime = vruntime - lag;
        if (se.rel_deadline)
        {
            se.deadline += se.vruntime;
            se.rel_deadline = false;
            return;
        }

        if ((flags & sched_h.ENQUEUE_INITIAL) != 0)
        {
            vslice /= 2;
        }

        se.deadline = se.vruntime + vslice;
    }

    // kernel/sched/fair.c: enqueue_entity
    /// <summary>The entity joins the run queue: placed, charged, into the tree unless it is curr.</summary>
    private static void enqueue_entity(Vmlinux k, rq rq, cfs_rq cfs_rq, sched_entity se, int flags)
    {
        var curr = cfs_rq.curr == se;
        if (curr)
        {
            place_entity(k, cfs_rq, se, flags);
        }

        update_curr(k, rq, cfs_rq);

        // not ported: update_load_avg, se_update_runnable, update_cfs_group, schedstats — no load tracking, no groups
        if (!curr)
        {
            place_entity(k, cfs_rq, se, flags);
        }

        // account_entity_enqueue
        cfs_rq.nr_queued++;
        if (!curr)
        {
            __enqueue_entity(cfs_rq, se);
        }

        se.on_rq = true;

        // not ported: check_enqueue_throttle, list_add_leaf_cfs_rq — no bandwidth control, no groups
    }

    // kernel/sched/fair.c: dequeue_entity
    /// <summary>
    /// The entity leaves the run queue; a sleeper that is not eligible (negative lag) stays queued as
    /// delayed until it is picked or woken (DELAY_DEQUEUE): false then.
    /// </summary>
    private static bool dequeue_entity(Vmlinux k, rq rq, cfs_rq cfs_rq, sched_entity se, int flags)
    {
        var sleep = (flags & sched_h.DEQUEUE_SLEEP) != 0;
        update_curr(k, rq, cfs_rq);

        // not ported: clear_buddies — no buddy is ever set
        if ((flags & sched_h.DEQUEUE_DELAYED) == 0)
        {
            var delay = sleep && (flags & sched_h.DEQUEUE_SPECIAL) == 0;
            if (delay && !entity_eligible(cfs_rq, se))
            {
                // not ported: update_load_avg — no load tracking
                se.sched_delayed = true;
                return false;
            }
        }

        // not ported: update_load_avg, se_update_runnable, schedstats, return_cfs_rq_runtime, update_cfs_group, update_idle_cfs_rq_clock_pelt
        update_entity_lag(cfs_rq, se);
        if (!sleep)
        {
            se.deadline -= se.vruntime;
            se.rel_deadline = true;
        }

        if (se != cfs_rq.curr)
        {
            __dequeue_entity(cfs_rq, se);
        }

        se.on_rq = false;

        // account_entity_dequeue
        cfs_rq.nr_queued--;
        if ((flags & sched_h.DEQUEUE_DELAYED) != 0)
        {
            finish_delayed_dequeue_entity(se);
        }

        return true;
    }

    // kernel/sched/fair.c: finish_delayed_dequeue_entity
    /// <summary>DELAY_ZERO: a delayed sleeper that became eligible leaves with no positive lag.</summary>
    private static void finish_delayed_dequeue_entity(sched_entity se)
    {
        se.sched_delayed = false;
        if (se.vlag > 0)
        {
            se.vlag = 0;
        }
    }

    // kernel/sched/fair.c: set_next_entity
    /// <summary>The picked entity becomes curr: out of the tree, its slice protected when it is newly picked.</summary>
    private static void set_next_entity(Vmlinux k, cfs_rq cfs_rq, sched_entity se, bool first)
    {
        if (se.on_rq)
        {
            __dequeue_entity(cfs_rq, se);

            // not ported: update_load_avg, update_stats_wait_end_fair — no load tracking, no schedstats
            if (first)
            {
                set_protect_slice(cfs_rq, se);
            }
        }

        // update_stats_curr_start
        se.exec_start = k.machine.Now;
        cfs_rq.curr = se;
        se.prev_sum_exec_runtime = se.sum_exec_runtime;
    }

    // kernel/sched/fair.c: pick_next_entity
    /// <summary>pick_eevdf's choice; a delayed entity picked is dequeued at last (null: pick again).</summary>
    private static sched_entity? pick_next_entity(Vmlinux k, rq rq, cfs_rq cfs_rq, bool protect)
    {
        var se = pick_eevdf(cfs_rq, protect);
        if (se is { sched_delayed: true })
        {
            dequeue_entities(k, rq, se, sched_h.DEQUEUE_SLEEP | sched_h.DEQUEUE_DELAYED);
            return null;
        }

        return se;
    }

    // kernel/sched/fair.c: put_prev_entity
    /// <summary>The entity stops running: charged, and back into the tree if it is still queued (preempted).</summary>
    private static void put_prev_entity(Vmlinux k, rq rq, cfs_rq cfs_rq, sched_entity prev)
    {
        if (prev.on_rq)
        {
            update_curr(k, rq, cfs_rq);
        }

        // not ported: check_cfs_rq_runtime, update_load_avg, schedstats — no bandwidth control, no load tracking
        if (prev.on_rq)
        {
            __enqueue_entity(cfs_rq, prev);
        }

        cfs_rq.curr = null;
    }

    // kernel/sched/fair.c: requeue_delayed_entity
    /// <summary>A delayed sleeper woken before it left: runnable again where it is; with positive lag, placed anew at lag 0 (DELAY_ZERO).</summary>
    private static void requeue_delayed_entity(Vmlinux k, cfs_rq cfs_rq, sched_entity se)
    {
        update_entity_lag(cfs_rq, se);
        if (se.vlag > 0)
        {
            cfs_rq.nr_queued--;
            if (se != cfs_rq.curr)
            {
                __dequeue_entity(cfs_rq, se);
            }

            se.vlag = 0;
            place_entity(k, cfs_rq, se, 0);
            if (se != cfs_rq.curr)
            {
                __enqueue_entity(cfs_rq, se);
            }

            cfs_rq.nr_queued++;
        }

        // not ported: update_load_avg — no load tracking
        se.sched_delayed = false;
    }

    // kernel/sched/fair.c: enqueue_task_fair
    /// <summary>A task becomes runnable on <paramref name="rq"/>: a delayed one is requeued where it is, any other enqueued.</summary>
    public static void enqueue_task_fair(Vmlinux k, rq rq, task_struct p, int flags)
    {
        var se = p.se;
        rq.cfs.task_of[se] = p;
        if ((flags & sched_h.ENQUEUE_DELAYED) != 0)
        {
            requeue_delayed_entity(k, rq.cfs, se);
            return;
        }

        // not ported: util_est_enqueue, cpufreq_update_util, the group hierarchy walk, hrtick_update — no load tracking, one cfs_rq
        enqueue_entity(k, rq, rq.cfs, se, flags);
    }

    // kernel/sched/fair.c: dequeue_entities
    /// <summary>Takes the entity off its queue (or leaves it delayed); 1 when it left, 0 when it stays delayed.</summary>
    private static int dequeue_entities(Vmlinux k, rq rq, sched_entity se, int flags)
    {
        // not ported: the group hierarchy walk, h_nr_* counts, throttling, util_est — one cfs_rq, no bandwidth control
        if (!dequeue_entity(k, rq, rq.cfs, se, flags))
        {
            return 0;
        }

        rq.cfs.task_of.Remove(se);
        return 1;
    }

    // kernel/sched/fair.c: dequeue_task_fair
    /// <summary>A task stops being runnable; false when it stays on the queue, delayed.</summary>
    public static bool dequeue_task_fair(Vmlinux k, rq rq, task_struct p, int flags)
    {
        // not ported: util_est_dequeue — no load tracking
        return dequeue_entities(k, rq, p.se, flags) > 0;
    }

    // kernel/sched/fair.c: check_preempt_wakeup_fair
    /// <summary>
    /// Whether the woken <paramref name="p"/> should preempt the running task: it does when the
    /// EEVDF pick (the running task's slice protected) would now be <paramref name="p"/>; then the
    /// running task's TIF_NEED_RESCHED is set and it gives up the CPU on its way to user space.
    /// </summary>
    public static void check_preempt_wakeup_fair(Vmlinux k, rq rq, task_struct p, int wake_flags)
    {
        var donor = rq.curr;
        if (donor is null)
        {
            return;
        }

        var se = donor.se;
        var pse = p.se;
        var cfs_rq = rq.cfs;
        if (se == pse)
        {
            return;
        }

        // not ported: task_is_throttled, the idle-entity tests, the policy test, find_matching_se — no throttling, every task is SCHED_NORMAL in one group
        // not ported: set_next_buddy — NEXT_BUDDY is off
        if (donor.need_resched)
        {
            return;
        }

        update_curr(k, rq, cfs_rq);

        // PREEMPT_SHORT: a wakee with a shorter slice overrides the current's protection; every task
        // has the base slice here, so it never does
        var do_preempt_short = pse.slice < se.slice;

        // 6.18.26 asks __pick_eevdf directly, for a new task (WF_FORK) too; a delayed entity it picks
        // stays queued (only pick_next_entity dequeues one)
        if (pick_eevdf(cfs_rq, !do_preempt_short) == pse)
        {
            if (do_preempt_short)
            {
                cancel_protect_slice(se);
            }

            core_c.resched_curr_lazy(rq);
            return;
        }

        if (do_preempt_short)
        {
            update_protect_slice(cfs_rq, se);
        }
    }

    // kernel/sched/fair.c: yield_task_fair
    /// <summary>
    /// sched_yield's fair half: the running entity, charged first, gives up the rest of its request —
    /// its vruntime moves to its deadline and it gets a new one — when it is eligible; alone on the
    /// CPU it keeps everything. Ineligible afterwards, it runs again only once the others caught up.
    /// </summary>
    public static void yield_task_fair(Vmlinux k, rq rq)
    {
        var curr = rq.curr;
        var cfs_rq = rq.cfs;

        // rq->nr_running: every queued entity is a task of this one cfs_rq (delayed ones count, as in 6.18)
        if (curr is null || cfs_rq.nr_queued == 1)
        {
            return;
        }

        var se = curr.se;

        // not ported: clear_buddies — no buddy is ever set (NEXT_BUDDY off)
        // not ported: update_rq_clock, rq_clock_skip_update — the run queue's clock is the CPU's
        update_curr(k, rq, cfs_rq);

        // an ineligible entity keeps its vruntime: forfeiting would only push it further away
        if (entity_eligible(cfs_rq, se))
        {
            se.vruntime = se.deadline;
            update_deadline(k, cfs_rq, se);
        }
    }

    // kernel/sched/fair.c: pick_task_fair
    /// <summary>The task EEVDF runs next on <paramref name="rq"/>, or null when nothing is queued.</summary>
    public static task_struct? pick_task_fair(Vmlinux k, rq rq)
    {
        var cfs_rq = rq.cfs;
        while (true)
        {
            if (cfs_rq.nr_queued == 0)
            {
                return null;
            }

            if (cfs_rq.curr is { on_rq: true })
            {
                update_curr(k, rq, cfs_rq);
            }

            // not ported: check_cfs_rq_runtime, the group walk, task_throttle_setup_work — no bandwidth control, one cfs_rq
            if (pick_next_entity(k, rq, cfs_rq, true) is { } se)
            {
                return cfs_rq.task_of[se];
            }
        }
    }

    // kernel/sched/fair.c: put_prev_task_fair
    /// <summary>The running task stops running (it sleeps, exits, or is preempted).</summary>
    public static void put_prev_task_fair(Vmlinux k, rq rq, task_struct prev)
    {
        put_prev_entity(k, rq, rq.cfs, prev.se);
    }

    // kernel/sched/fair.c: set_next_task_fair
    /// <summary>The picked task starts running.</summary>
    public static void set_next_task_fair(Vmlinux k, rq rq, task_struct p, bool first)
    {
        // not ported: the group walk, __set_next_task_fair's hrtick and misfit updates — one cfs_rq, no tick
        set_next_entity(k, rq.cfs, p.se, first);
    }
}
