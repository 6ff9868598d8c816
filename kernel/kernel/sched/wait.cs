// Ports kernel/sched/wait.c: waking a wait queue and the prepare/finish pair
// that sleepers put around schedule().
//
// not ported: bookmarks for huge queues, wait_woken (no user yet).
using static KernelNet.Kernel.Include.Linux.wait_h;
using static KernelNet.Kernel.Kernel.Sched.core_c;

namespace KernelNet.Kernel.Kernel.Sched;

using KernelNet.Kernel.Include.Linux;

public static class wait_c
{
    // kernel/sched/wait.c: add_wait_queue
    public static void add_wait_queue(wait_queue_head wq_head, wait_queue_entry wq_entry)
    {
        wq_entry.flags &= ~wait_queue_entry.WQ_FLAG_EXCLUSIVE;
        __add_wait_queue(wq_head, wq_entry);
    }

    // kernel/sched/wait.c: add_wait_queue_exclusive
    public static void add_wait_queue_exclusive(wait_queue_head wq_head, wait_queue_entry wq_entry)
    {
        wq_entry.flags |= wait_queue_entry.WQ_FLAG_EXCLUSIVE;
        __add_wait_queue_entry_tail(wq_head, wq_entry);
    }

    // kernel/sched/wait.c: remove_wait_queue
    public static void remove_wait_queue(wait_queue_head wq_head, wait_queue_entry wq_entry)
    {
        __remove_wait_queue(wq_head, wq_entry);
    }

    // kernel/sched/wait.c: __wake_up_common
    /// <summary>
    /// Calls each entry's wake function in order; non-exclusive sleepers are
    /// all woken, and at most <paramref name="nr_exclusive"/> exclusive ones.
    /// </summary>
    private static int __wake_up_common(Vmlinux k, wait_queue_head wq_head, int mode, int nr_exclusive, int wake_flags, uint key)
    {
        var curr = wq_head.first;
        while (curr is not null)
        {
            var next = curr.entry_next;
            var ret = curr.func_key is { } fk ? fk(k, curr, mode, wake_flags, key) : curr.func(k, curr, mode);
            if (ret < 0)
            {
                break;
            }

            if (ret != 0 && (curr.flags & wait_queue_entry.WQ_FLAG_EXCLUSIVE) != 0 && --nr_exclusive == 0)
            {
                break;
            }

            curr = next;
        }

        return nr_exclusive;
    }

    // kernel/sched/wait.c: __wake_up
    /// <summary>Wakes the sleepers on <paramref name="wq_head"/>; returns how many exclusive wakeups were left unused.</summary>
    public static int __wake_up(Vmlinux k, wait_queue_head wq_head, int mode, int nr_exclusive)
    {
        // not ported: __wake_up_common_lock — it takes the wait queue's spinlock around __wake_up_common: one thread, so
        //   __wake_up_common is called directly
        return __wake_up_common(k, wq_head, mode, nr_exclusive, 0, 0);
    }

    // kernel/sched/wait.c: __wake_up
    /// <summary>__wake_up with a key: <paramref name="key"/> is the poll mask of the event (0: NULL, every waiter's filter passes).</summary>
    public static int __wake_up(Vmlinux k, wait_queue_head wq_head, int mode, int nr_exclusive, uint key)
    {
        // not ported: __wake_up_common_lock — it takes the wait queue's spinlock around __wake_up_common: one thread, so
        //   __wake_up_common is called directly
        return __wake_up_common(k, wq_head, mode, nr_exclusive, 0, key);
    }

    // kernel/sched/wait.c: __wake_up_sync_key
    /// <summary>One exclusive wakeup with WF_SYNC and the key (wake_up_interruptible_sync_poll).</summary>
    public static void __wake_up_sync_key(Vmlinux k, wait_queue_head wq_head, int mode, uint key)
    {
        // not ported: __wake_up_common_lock — it takes the wait queue's spinlock around __wake_up_common: one thread, so
        //   __wake_up_common is called directly
        __wake_up_common(k, wq_head, mode, 1, wait_h.WF_SYNC, key);
    }

    // kernel/sched/wait.c: prepare_to_wait_exclusive
    /// <summary>Queues the current task as an exclusive waiter and sets the state it will sleep in.</summary>
    public static void prepare_to_wait_exclusive(Vmlinux k, wait_queue_head wq_head, wait_queue_entry wq_entry, int state)
    {
        wq_entry.flags |= wait_queue_entry.WQ_FLAG_EXCLUSIVE;
        if (wq_entry.head is null)
        {
            __add_wait_queue_entry_tail(wq_head, wq_entry);
        }

        Include.Linux.sched_h.set_current_state(k, state);
    }

    // kernel/sched/wait.c: prepare_to_wait
    public static void prepare_to_wait(Vmlinux k, wait_queue_head wq_head, wait_queue_entry wq_entry, int state)
    {
        wq_entry.flags &= ~wait_queue_entry.WQ_FLAG_EXCLUSIVE;
        if (wq_entry.head is null)
        {
            __add_wait_queue(wq_head, wq_entry);
        }

        Include.Linux.sched_h.set_current_state(k, state);
    }

    // kernel/sched/wait.c: finish_wait
    /// <summary>Back to TASK_RUNNING and off the queue, whether or not a wakeup came.</summary>
    public static void finish_wait(Vmlinux k, wait_queue_head wq_head, wait_queue_entry wq_entry)
    {
        Include.Linux.sched_h.__set_current_state(k, Include.Linux.sched_h.TASK_RUNNING);
        if (wq_entry.head is not null)
        {
            __remove_wait_queue(wq_head, wq_entry);
        }
    }

    // kernel/sched/wait.c: autoremove_wake_function
    /// <summary>Wakes the task and takes the entry off the queue if that worked.</summary>
    public static int autoremove_wake_function(Vmlinux k, wait_queue_entry wq_entry, int mode)
    {
        var ret = default_wake_function(k, wq_entry, mode);
        if (ret != 0 && wq_entry.head is not null)
        {
            __remove_wait_queue(wq_entry.head, wq_entry);
        }

        return ret;
    }
}
