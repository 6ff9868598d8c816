// Ports include/linux/wait.h: wait queue heads and entries.
using System.Collections.Generic;

namespace KernelNet.Kernel.Include.Linux;

/// <summary>wait_queue_func_t: called by __wake_up for each entry; non-zero means "woken".</summary>
public delegate int wait_queue_func_t(Vmlinux k, wait_queue_entry wq_entry, int mode);

/// <summary>struct wait_queue_entry.</summary>
public sealed class wait_queue_entry
{
    public const uint WQ_FLAG_EXCLUSIVE = 0x01;

    public wait_queue_entry(task_struct? task, wait_queue_func_t func)
    {
        this.task = task;
        this.func = func;
    }

    public uint flags { get; set; }

    /// <summary>The sleeping task (<c>private</c> in C).</summary>
    public task_struct? task { get; }

    public wait_queue_func_t func { get; }

    /// <summary>Set while the entry is queued on a head.</summary>
    internal wait_queue_head? head { get; set; }
}

/// <summary>struct wait_queue_head: a FIFO of entries (spinlock not needed: one thread).</summary>
public sealed class wait_queue_head
{
    internal LinkedList<wait_queue_entry> head { get; } = new();

    public int Count => head.Count;
}

public static class wait_h
{
    // include/linux/wait.h: waitqueue_active
    public static bool waitqueue_active(wait_queue_head wq_head) => wq_head.head.Count != 0;

    // include/linux/wait.h: wq_has_sleeper
    /// <summary>The barrier-carrying form of waitqueue_active (the barrier is moot in one thread).</summary>
    public static bool wq_has_sleeper(wait_queue_head wq_head) => waitqueue_active(wq_head);

    // include/linux/wait.h: __add_wait_queue
    public static void __add_wait_queue(wait_queue_head wq_head, wait_queue_entry wq_entry)
    {
        wq_head.head.AddFirst(wq_entry);
        wq_entry.head = wq_head;
    }

    // include/linux/wait.h: __add_wait_queue_entry_tail
    public static void __add_wait_queue_entry_tail(wait_queue_head wq_head, wait_queue_entry wq_entry)
    {
        wq_head.head.AddLast(wq_entry);
        wq_entry.head = wq_head;
    }

    // include/linux/wait.h: __remove_wait_queue
    public static void __remove_wait_queue(wait_queue_head wq_head, wait_queue_entry wq_entry)
    {
        wq_head.head.Remove(wq_entry);
        wq_entry.head = null;
    }
}
