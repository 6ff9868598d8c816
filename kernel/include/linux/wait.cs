// Ports include/linux/wait.h: wait queue heads and entries.

namespace KernelNet.Kernel.Include.Linux;

/// <summary>wait_queue_func_t: called by __wake_up for each entry; non-zero means "woken".</summary>
public delegate int wait_queue_func_t(Vmlinux k, wait_queue_entry wq_entry, int mode);

/// <summary>
/// wait_queue_func_t with the kernel's full argument list: the wake flags
/// (WF_SYNC) and the key (a __poll_t mask for poll wakeups, 0 for NULL), for
/// the wake functions that read the key (ep_poll_callback, pollwake,
/// receiver_wake_function).
/// departure: two delegate types, so that the entries made before the key was
/// carried keep their three-argument functions; __wake_up_common calls whichever the entry has.
/// </summary>
public delegate int wait_queue_func_key_t(Vmlinux k, wait_queue_entry wq_entry, int mode, int wake_flags, uint key);

/// <summary>struct wait_queue_entry.</summary>
public sealed class wait_queue_entry
{
    public const uint WQ_FLAG_EXCLUSIVE = 0x01;

    public wait_queue_entry(task_struct? task, wait_queue_func_t func)
    {
        this.task = task;
        this.func = func;
    }

    /// <summary>init_waitqueue_func_entry with a wake function that takes the key (ep_poll_callback, pollwake).</summary>
    public wait_queue_entry(task_struct? task, wait_queue_func_key_t func)
    {
        this.task = task;
        func_key = func;
        this.func = (k, e, mode) => func(k, e, mode, 0, 0);
    }

    public uint flags { get; set; }

    /// <summary>The sleeping task (<c>private</c> in C).</summary>
    public task_struct? task { get; }

    public wait_queue_func_t func { get; }

    /// <summary>The wake function when it reads the wake flags and key (null: <see cref="func"/> is all there is).</summary>
    public wait_queue_func_key_t? func_key { get; }

    /// <summary>The object this entry is embedded in (container_of in C: the eppoll_entry, the poll_table_entry).</summary>
    public object? container { get; set; }

    /// <summary>Whether the entry is queued on a head (!list_empty(&amp;entry) in C).</summary>
    public bool queued => head is not null;

    /// <summary>Set while the entry is queued on a head.</summary>
    internal wait_queue_head? head { get; set; }

    /// <summary>entry.next: the next entry on its head's list (the list_head is in the entry, as in the kernel: queueing allocates nothing).</summary>
    internal wait_queue_entry? entry_next { get; set; }

    /// <summary>entry.prev: the previous entry (null: first on its head's list).</summary>
    internal wait_queue_entry? entry_prev { get; set; }
}

/// <summary>struct wait_queue_head: a FIFO of entries linked through the entries themselves (spinlock not needed: one thread).</summary>
public sealed class wait_queue_head
{
    /// <summary>head.next: the first entry.</summary>
    internal wait_queue_entry? first { get; set; }

    /// <summary>head.prev: the last entry.</summary>
    internal wait_queue_entry? last { get; set; }

    /// <summary>How many entries are queued (the simulation's count; the kernel walks the list).</summary>
    public int Count { get; private set; }

    [KernelNet.Annotations.NotInLinux("include/linux/list.h's list_add for the wait entry: the list header is not ported")]
    internal void list_add(wait_queue_entry e)
    {
        e.entry_prev = null;
        e.entry_next = first;
        if (first is null)
        {
            last = e;
        }
        else
        {
            first.entry_prev = e;
        }

        first = e;
        Count++;
    }

    [KernelNet.Annotations.NotInLinux("include/linux/list.h's list_add_tail for the wait entry: the list header is not ported")]
    internal void list_add_tail(wait_queue_entry e)
    {
        e.entry_next = null;
        e.entry_prev = last;
        if (last is null)
        {
            first = e;
        }
        else
        {
            last.entry_next = e;
        }

        last = e;
        Count++;
    }

    [KernelNet.Annotations.NotInLinux("include/linux/list.h's list_del for the wait entry: the list header is not ported")]
    internal void list_del(wait_queue_entry e)
    {
        if (e.entry_prev is null)
        {
            first = e.entry_next;
        }
        else
        {
            e.entry_prev.entry_next = e.entry_next;
        }

        if (e.entry_next is null)
        {
            last = e.entry_prev;
        }
        else
        {
            e.entry_next.entry_prev = e.entry_prev;
        }

        e.entry_next = null;
        e.entry_prev = null;
        Count--;
    }
}

public static class wait_h
{
    /// <summary>WF_SYNC (kernel/sched/sched.h): the waker is about to sleep, so the wakee need not be moved.</summary>
    public const int WF_SYNC = 0x10;

    /// <summary>TASK_NORMAL: the sleepers wake_up() wakes, interruptible and not.</summary>
    public const int TASK_NORMAL = sched_h.TASK_INTERRUPTIBLE | sched_h.TASK_UNINTERRUPTIBLE;

    // include/linux/wait.h: poll_to_key
    /// <summary>A poll mask as a wakeup key (0 is the NULL key: every waiter matches).</summary>
    public static uint poll_to_key(uint m) => m;

    // include/linux/wait.h: key_to_poll
    public static uint key_to_poll(uint key) => key;

    // include/linux/wait.h: wake_up
    public static void wake_up(Vmlinux k, wait_queue_head x) => Kernel.Sched.wait_c.__wake_up(k, x, TASK_NORMAL, 1, 0);

    // include/linux/wait.h: wake_up_poll
    public static void wake_up_poll(Vmlinux k, wait_queue_head x, uint m) => Kernel.Sched.wait_c.__wake_up(k, x, TASK_NORMAL, 1, poll_to_key(m));

    // include/linux/wait.h: wake_up_sync
    public static void wake_up_sync(Vmlinux k, wait_queue_head x) => Kernel.Sched.wait_c.__wake_up_sync_key(k, x, TASK_NORMAL, 0);

    // include/linux/wait.h: wake_up_interruptible_poll
    /// <summary>Wakes one exclusive interruptible sleeper (and every non-exclusive one) whose key matches <paramref name="m"/>.</summary>
    public static void wake_up_interruptible_poll(Vmlinux k, wait_queue_head x, uint m) =>
        Kernel.Sched.wait_c.__wake_up(k, x, sched_h.TASK_INTERRUPTIBLE, 1, poll_to_key(m));

    // include/linux/wait.h: wake_up_interruptible_sync_poll
    /// <summary>As wake_up_interruptible_poll, with WF_SYNC: the waker (a softirq's delivery) is about to leave the CPU anyway.</summary>
    public static void wake_up_interruptible_sync_poll(Vmlinux k, wait_queue_head x, uint m) =>
        Kernel.Sched.wait_c.__wake_up_sync_key(k, x, sched_h.TASK_INTERRUPTIBLE, poll_to_key(m));

    // include/linux/wait.h: waitqueue_active
    public static bool waitqueue_active(wait_queue_head wq_head) => wq_head.first is not null;

    // include/linux/wait.h: wq_has_sleeper
    /// <summary>The barrier-carrying form of waitqueue_active (the barrier is moot in one thread).</summary>
    public static bool wq_has_sleeper(wait_queue_head wq_head) => waitqueue_active(wq_head);

    // include/linux/wait.h: __add_wait_queue
    public static void __add_wait_queue(wait_queue_head wq_head, wait_queue_entry wq_entry)
    {
        wq_head.list_add(wq_entry);
        wq_entry.head = wq_head;
    }

    // include/linux/wait.h: __add_wait_queue_entry_tail
    public static void __add_wait_queue_entry_tail(wait_queue_head wq_head, wait_queue_entry wq_entry)
    {
        wq_head.list_add_tail(wq_entry);
        wq_entry.head = wq_head;
    }

    // include/linux/wait.h: __add_wait_queue_exclusive
    /// <summary>An exclusive entry at the head (ep_poll's waiter: the newest waiter is woken first, LIFO).</summary>
    public static void __add_wait_queue_exclusive(wait_queue_head wq_head, wait_queue_entry wq_entry)
    {
        wq_entry.flags |= wait_queue_entry.WQ_FLAG_EXCLUSIVE;
        __add_wait_queue(wq_head, wq_entry);
    }

    // include/linux/wait.h: __remove_wait_queue
    public static void __remove_wait_queue(wait_queue_head wq_head, wait_queue_entry wq_entry)
    {
        wq_head.list_del(wq_entry);
        wq_entry.head = null;
    }

    // include/linux/wait.h: wait_event_interruptible
    /// <summary>
    /// Sleeps (TASK_INTERRUPTIBLE) on <paramref name="wq_head"/> until
    /// <paramref name="condition"/> holds: 0, or -ERESTARTSYS when a signal is
    /// pending. The macro's ___wait_event loop with an autoremove entry;
    /// <paramref name="exclusive"/> is wait_event_interruptible_exclusive.
    /// </summary>
    [KernelNet.Annotations.MightSleep]
    public static async System.Threading.Tasks.Task<int> wait_event_interruptible(Vmlinux k, wait_queue_head wq_head, System.Func<bool> condition, bool exclusive = false)
    {
        if (condition())
        {
            return 0;
        }

        var wait = new wait_queue_entry(k.current, Kernel.Sched.wait_c.autoremove_wake_function);
        var ret = 0;
        for (;;)
        {
            if (exclusive)
            {
                Kernel.Sched.wait_c.prepare_to_wait_exclusive(k, wq_head, wait, sched_h.TASK_INTERRUPTIBLE);
            }
            else
            {
                Kernel.Sched.wait_c.prepare_to_wait(k, wq_head, wait, sched_h.TASK_INTERRUPTIBLE);
            }

            if (condition())
            {
                break;
            }

            if (sched_h.signal_pending(k.current))
            {
                ret = -Net.sock_h.ERESTARTSYS;
                break;
            }

            await Kernel.Sched.core_c.schedule(k);
        }

        Kernel.Sched.wait_c.finish_wait(k, wq_head, wait);
        return ret;
    }
}
