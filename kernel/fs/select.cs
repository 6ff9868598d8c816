// Ports fs/select.c's poll(2): each call polls every descriptor through a
// poll table whose queue proc (__pollwait) hangs a poll_table_entry with
// pollwake on each file's wait queue on the first pass; a wakeup whose key
// matches an entry's events marks the call triggered and wakes the task,
// which polls every descriptor again. The same wakeup plumbing as epoll,
// but paid on every call for every descriptor.
//
// departure: the timeout sleep is a timer-wheel sleep in jiffies
// (schedule_timeout), not schedule_hrtimeout_range with
// select_estimate_accuracy's slack; a signal ends the call with -EINTR
// (the restart block, do_restart_poll, is not ported: no signal handlers).
// not ported: select/pselect6 (fd_set bitmaps), ppoll's signal mask, busy
// polling (POLL_BUSY_LOOP), the compat entry points.
using System;
using System.Threading.Tasks;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using static KernelNet.Kernel.Include.Linux.poll_h;
using static KernelNet.Kernel.Include.Linux.wait_h;
using static KernelNet.Kernel.Include.Uapi.Linux.eventpoll_h;

namespace KernelNet.Kernel.Fs;

public static class select_c
{
    /// <summary>ERESTARTNOHAND: a signal interrupted the call (restartable if no handler ran).</summary>
    private const int ERESTARTNOHAND = 514;

    // fs/select.c: poll_initwait
    /// <summary>The call's table: __pollwait as the queue proc, nothing triggered yet.</summary>
    public static poll_wqueues poll_initwait(task_struct current)
    {
        var pwq = new poll_wqueues(current);
        init_poll_funcptr(pwq.pt, __pollwait);
        pwq.triggered = 0;
        pwq.error = 0;
        return pwq;
    }

    // fs/select.c: free_poll_entry
    private static void free_poll_entry(poll_table_entry entry)
    {
        // not ported: fput — the port keeps no file reference counts (see the comment below)
        Kernel.Sched.wait_c.remove_wait_queue(entry.wait_address, entry.wait);

        // fput(entry->filp): the port keeps no file reference counts
    }

    // fs/select.c: poll_freewait
    /// <summary>Takes every entry of the call off its wait queue.</summary>
    public static void poll_freewait(poll_wqueues pwq)
    {
        // not ported: free_page — the table pages are a managed list (see the comment below)
        foreach (var entry in pwq.table)
        {
            free_poll_entry(entry);
        }

        // free_page of the table pages: the list goes with the call
        pwq.table.Clear();
    }

    // fs/select.c: __pollwake
    /// <summary>Marks the call triggered and wakes its task (through a dummy entry naming it, as default_wake_function needs one).</summary>
    private static int __pollwake(Vmlinux k, wait_queue_entry wait, int mode, int sync, uint key)
    {
        // not ported: DECLARE_WAITQUEUE — the dummy entry is constructed directly (see the comment below)
        var pwq = ((poll_table_entry)wait.container!).wait_private;

        // smp_wmb(): the event's data before triggered (one thread: nothing to order)
        pwq.triggered = 1;

        // DECLARE_WAITQUEUE(dummy_wait, pwq->polling_task)
        var dummy_wait = new wait_queue_entry(pwq.polling_task, Kernel.Sched.core_c.default_wake_function);
        return Kernel.Sched.core_c.default_wake_function(k, dummy_wait, mode);
    }

    // fs/select.c: pollwake
    /// <summary>The wake function of a poll entry: only a wakeup for the events the entry was polled for (or an unkeyed one) counts.</summary>
    private static int pollwake(Vmlinux k, wait_queue_entry wait, int mode, int sync, uint key)
    {
        var entry = (poll_table_entry)wait.container!;
        if (key != 0 && (key_to_poll(key) & entry.key) == 0)
        {
            return 0;
        }

        return __pollwake(k, wait, mode, sync, key);
    }

    // fs/select.c: __pollwait
    /// <summary>The queue proc: a new entry for the call on <paramref name="wait_address"/>, with the events being polled for as its key.</summary>
    private static void __pollwait(object filp, wait_queue_head wait_address, poll_table_struct p)
    {
        // not ported: init_waitqueue_func_entry — the wait entry is constructed with pollwake as its function
        // not ported: get_file — the port keeps no reference counts on files (see the comment below)
        // not ported: poll_get_entry — the entries are a list that grows on demand (the inline array and table pages of C), so getting one cannot fail
        var pwq = (poll_wqueues)p.container!;

        // poll_get_entry: the inline array, then table pages (a list here; an allocation cannot fail)
        var wait = new wait_queue_entry(null, pollwake);
        var entry = new poll_table_entry(filp, p._key, wait, wait_address, pwq);
        wait.container = entry;
        pwq.table.Add(entry);

        // get_file(filp): no reference counts on files in the port
        Kernel.Sched.wait_c.add_wait_queue(wait_address, entry.wait);
    }

    // fs/select.c: poll_schedule_timeout
    /// <summary>Sleeps unless a wakeup already came; 0 when the time ran out, -EINTR when woken (the kernel's hrtimer convention).</summary>
    [MightSleep]
    private static async Task<int> poll_schedule_timeout(Vmlinux k, poll_wqueues pwq, int state, ulong? expires)
    {
        // not ported: schedule_hrtimeout_range — the sleep is schedule_timeout in jiffies (the timer wheel), without hrtimer slack
        var rc = -errno_base_h.EINTR;

        sched_h.set_current_state(k, state);
        if (pwq.triggered == 0)
        {
            var left = expires is { } e ? (long)(e - k.jiffies) : sched_h.MAX_SCHEDULE_TIMEOUT;
            if (left <= 0 || await Kernel.Time.sleep_timeout_c.schedule_timeout(k, left) == 0)
            {
                rc = 0;
            }
        }

        sched_h.__set_current_state(k, sched_h.TASK_RUNNING);

        // smp_store_mb: ready for the next pass
        pwq.triggered = 0;
        return rc;
    }

    // fs/select.c: do_pollfd
    /// <summary>One descriptor: its file's poll for the requested events (plus ERR and HUP, which cannot be masked); NVAL for a closed descriptor, nothing for a negative one.</summary>
    private static uint do_pollfd(Vmlinux k, task_struct task, int fd, ushort events, poll_table_struct pwait)
    {
        if (fd < 0)
        {
            return 0;
        }

        if (!task.files.TryGetValue(fd, out var f))
        {
            return EPOLLNVAL;
        }

        // userland's u16 events hold POLL* bits
        var filter = demangle_poll(events) | EPOLLERR | EPOLLHUP;
        pwait._key = filter;
        var mask = vfs_poll(k, f, pwait);

        // busy polling (POLL_BUSY_LOOP, can_busy_poll): not ported
        return mask & filter;
    }

    // fs/select.c: do_poll
    /// <summary>
    /// Polls every descriptor; the first pass also queues the call on every
    /// file (until one is ready: then no more entries are made). With nothing
    /// ready, sleeps until a wakeup, the timeout, or a signal, and polls
    /// again. Returns how many descriptors have events.
    /// </summary>
    [MightSleep]
    private static async Task<int> do_poll(Vmlinux k, task_struct task, byte[] list, int nfds, poll_wqueues wait, ulong? end_time, bool no_wait)
    {
        // not ported: need_resched — the loop yields only by sleeping: the simulated task is not preempted between passes
        // not ported: select_estimate_accuracy — the timeout sleep is a timer-wheel sleep in jiffies, with no hrtimer slack
        // not ported: busy_loop_current_time, busy_loop_timeout, net_busy_loop_on — busy polling is not ported (see the file header)
        var pt = wait.pt;
        var timed_out = false;
        var count = 0;

        // the no-wait case queues nothing
        if (no_wait)
        {
            pt._qproc = null;
            timed_out = true;
        }

        while (true)
        {
            for (var i = 0; i < nfds; i++)
            {
                var pfd = new pollfd(list.AsSpan(i * pollfd.Size, pollfd.Size));

                // a ready descriptor: record it, and stop queueing on the rest (they would be taken off at once)
                var mask = do_pollfd(k, task, pfd.fd, pfd.events, pt);
                pfd.revents = mangle_poll(mask);
                if (mask != 0)
                {
                    count++;
                    pt._qproc = null;
                }
            }

            // every waiter is queued now: later passes only look
            pt._qproc = null;
            if (count == 0)
            {
                count = wait.error;
                if (sched_h.signal_pending(k.current))
                {
                    count = -ERESTARTNOHAND;
                }
            }

            if (count != 0 || timed_out)
            {
                break;
            }

            if (await poll_schedule_timeout(k, wait, sched_h.TASK_INTERRUPTIBLE, end_time) == 0)
            {
                timed_out = true;
            }
        }

        return count;
    }

    // fs/select.c: do_sys_poll
    /// <summary>
    /// poll(2)'s body: the struct pollfd array is read from user memory
    /// (-EFAULT), more descriptors than RLIMIT_NOFILE is -EINVAL; after
    /// do_poll the revents are written back.
    /// </summary>
    [MightSleep]
    private static async Task<int> do_sys_poll(Vmlinux k, task_struct task, byte[]? ufds, uint nfds, ulong? end_time, bool no_wait)
    {
        // not ported: kmalloc, kfree — the pollfd list is one managed array (see the comment below)
        if (nfds > (uint)task.rlimit_nofile)
        {
            return -errno_base_h.EINVAL;
        }

        // copy_from_user into the stack and page-sized poll_list chunks: one array here
        if (nfds > 0 && (ufds is null || ufds.Length < (long)nfds * pollfd.Size))
        {
            return -errno_base_h.EFAULT;
        }

        var list = new byte[nfds * pollfd.Size];
        ufds?.AsSpan(0, list.Length).CopyTo(list);

        var table = poll_initwait(task);
        var fdcount = await do_poll(k, task, list, (int)nfds, table, end_time, no_wait);
        poll_freewait(table);

        // unsafe_put_user of each revents
        for (var i = 0; i < nfds; i++)
        {
            var src = new pollfd(list.AsSpan(i * pollfd.Size, pollfd.Size));
            new pollfd(ufds!.AsSpan(i * pollfd.Size, pollfd.Size)).revents = src.revents;
        }

        return fdcount;
    }

    // fs/select.c: sys_poll
    /// <summary>
    /// poll(2): <paramref name="timeout_msecs"/> negative waits forever, 0
    /// does not wait, otherwise the deadline in jiffies (rounded up). A
    /// signal ends it with -EINTR (no restart block).
    /// </summary>
    [MightSleep]
    public static async Task<int> sys_poll(Vmlinux k, task_struct task, byte[]? ufds, uint nfds, int timeout_msecs)
    {
        // not ported: poll_select_set_timeout — the end time is computed on the jiffies clock (see the comment below)
        ulong? end_time = null;
        var no_wait = false;
        if (timeout_msecs >= 0)
        {
            // poll_select_set_timeout: now + the timeout, on the jiffies clock here
            no_wait = timeout_msecs == 0;
            end_time = k.jiffies + (ulong)jiffies_h.msecs_to_jiffies(timeout_msecs);
        }

        var ret = await do_sys_poll(k, task, ufds, nfds, end_time, no_wait);

        // -ERESTARTNOHAND with set_restart_fn(do_restart_poll): no restart; the program sees EINTR
        if (ret == -ERESTARTNOHAND)
        {
            ret = -errno_base_h.EINTR;
        }

        return ret;
    }
}
