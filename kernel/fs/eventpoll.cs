// Ports fs/eventpoll.c: epoll. An eventpoll holds one epitem per watched
// descriptor; adding one polls the file through a table whose queue proc
// (ep_ptable_queue_proc) hangs an eppoll_entry on the file's wait queue.
// From then on the file's own wakeups (sock_def_readable in the softirq
// that delivered, sk_stream_write_space after an ACK, sock_def_wakeup on a
// state change) run ep_poll_callback, which puts the epitem on the ready
// list and wakes the task sleeping in epoll_wait. epoll_wait (ep_poll) takes
// the ready list, polls each item again for its current mask, reports it,
// and puts level-triggered items back on the list; edge-triggered ones wait
// for the next callback, one-shot ones for EPOLL_CTL_MOD.
//
// departures: the interest tree (rbr, an rb-tree ordered by file pointer
// and fd) is a dictionary by fd whose entry must also name the same file —
// C# objects have no address order, and a descriptor names one file in a
// task; the ready list and the file's epitem list are linked lists. The
// timeout sleep is a timer-wheel sleep in jiffies (schedule_timeout), not an
// hrtimer with select_estimate_accuracy's slack.
// not ported: an epoll file inside another (ep_loop_check,
// reverse_path_check, the nested poll depth) — EPOLL_CTL_ADD of an epoll
// descriptor is refused with -EINVAL; the per-user watch limit
// (max_user_watches from si_meminfo, user->epoll_watches: the simulated
// machine has neither a RAM size nor users); wakeup sources (EPOLLWAKEUP is
// cleared, as without CAP_BLOCK_SUSPEND); busy polling (napi_id,
// EPIOCSPARAMS); epoll_pwait's signal masks; the /proc fdinfo; kcmp.
// not ported: ep_wakeup_source, ep_create_wakeup_source, ep_destroy_wakeup_source, ep_has_wakeup_source, ep_pm_stay_awake, ep_pm_stay_awake_rcu — wakeup sources, as said above
// not ported: ep_set_busy_poll_napi_id, ep_busy_loop, ep_suspend_napi_irqs, ep_resume_napi_irqs — busy polling, as said above
// not ported: ep_set_ffd, ep_cmp_ffd, ep_rbtree_insert — the interest tree is a dictionary by fd (see the departures above)
// not ported: kmem_cache_zalloc, kzalloc, free_ephead — epitems, eventpolls and the file's epitem list head are managed objects created with the owner (no slab object to zero or free)
using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.poll_h;
using static KernelNet.Kernel.Include.Linux.wait_h;
using static KernelNet.Kernel.Include.Uapi.Linux.eventpoll_h;

namespace KernelNet.Kernel.Fs;

/// <summary>struct eppoll_entry: the wait queue entry an epitem hangs on one wait queue of its file.</summary>
public sealed class eppoll_entry
{
    public eppoll_entry(epitem @base, wait_queue_entry wait, wait_queue_head whead)
    {
        this.@base = @base;
        this.wait = wait;
        this.whead = whead;
    }

    /// <summary>The next entry of the same epitem (pwqlist).</summary>
    public eppoll_entry? next { get; set; }

    public epitem @base { get; }

    public wait_queue_entry wait { get; }

    /// <summary>The head the entry is queued on; null once POLLFREE took it away.</summary>
    public wait_queue_head? whead { get; set; }
}

/// <summary>
/// struct epitem: one watched descriptor of one epoll instance — the whole
/// per-connection cost of epoll (IO-2): this and its eppoll_entry, from
/// the eventpoll_epi and eventpoll_pwq slabs.
/// </summary>
public sealed class epitem
{
    public epitem(eventpoll ep, object file, int fd, uint events, ulong data)
    {
        this.ep = ep;
        ffd_file = file;
        ffd_fd = fd;
        event_events = events;
        event_data = data;
        rdllink = new LinkedListNode<epitem>(this);
        fllink = new LinkedListNode<epitem>(this);
    }

    /// <summary>The link on ep.rdllist (linked: ep_is_linked).</summary>
    public LinkedListNode<epitem> rdllink { get; }

    /// <summary>The next item on ep.ovflist (next != EP_UNACTIVE_PTR in C: <see cref="on_ovflist"/>).</summary>
    public epitem? next { get; set; }

    /// <summary>Chained on ep.ovflist (C: next is not EP_UNACTIVE_PTR).</summary>
    public bool on_ovflist { get; set; }

    /// <summary>ffd.file: the watched file (a socket in the port).</summary>
    public object ffd_file { get; }

    /// <summary>ffd.fd: the descriptor it was added under.</summary>
    public int ffd_fd { get; }

    /// <summary>Being removed by eventpoll_release_file (the file is going away).</summary>
    public bool dying { get; set; }

    /// <summary>The wait queue entries of this item (one per wait queue the file's poll names).</summary>
    public eppoll_entry? pwqlist { get; set; }

    public eventpoll ep { get; }

    /// <summary>The link on the file's list of epitems (file->f_ep).</summary>
    public LinkedListNode<epitem> fllink { get; }

    /// <summary>event.events: the interest mask with the EP_PRIVATE_BITS (EPOLLET, EPOLLONESHOT, EPOLLEXCLUSIVE).</summary>
    public uint event_events { get; set; }

    /// <summary>event.data: the user's cookie, reported as given.</summary>
    public ulong event_data { get; set; }
}

/// <summary>struct eventpoll: one epoll instance (the private data of an [eventpoll] file).</summary>
public sealed class eventpoll
{
    /// <summary>wq: the tasks sleeping in epoll_wait on this instance.</summary>
    public wait_queue_head wq { get; } = new();

    /// <summary>poll_wait: pollers of the epoll file itself (poll(2) on an epoll descriptor).</summary>
    public wait_queue_head poll_wait { get; } = new();

    /// <summary>rdllist: items with (possibly) ready events, in the order they became ready.</summary>
    public LinkedList<epitem> rdllist { get; } = new();

    /// <summary>rbr: the interest set, by descriptor (see the file header).</summary>
    public Dictionary<int, epitem> rbr { get; } = new();

    /// <summary>ovflist: items that became ready while ep_send_events held the ready list (LIFO chain).</summary>
    public epitem? ovflist { get; set; }

    /// <summary>ovflist is in use (C: ovflist != EP_UNACTIVE_PTR).</summary>
    public bool ovflist_active { get; set; }

    /// <summary>The [eventpoll] anon-inode file (the port's descriptor holds the eventpoll itself).</summary>
    public object? file { get; set; }

    /// <summary>refcount: the file's reference and one per epitem.</summary>
    public int refcount { get; set; }
}

/// <summary>fs/eventpoll.c's globals: the epitem and eppoll_entry slabs made by eventpoll_init.</summary>
public sealed class eventpoll_globals
{
    public Mm.kmem_cache? epi_cache { get; set; }

    public Mm.kmem_cache? pwq_cache { get; set; }
}

public static class eventpoll_c
{
    /// <summary>EP_PRIVATE_BITS: the flags of event.events that are not events.</summary>
    public const uint EP_PRIVATE_BITS = EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE;

    /// <summary>EPOLLINOUT_BITS.</summary>
    public const uint EPOLLINOUT_BITS = EPOLLIN | EPOLLOUT;

    /// <summary>EPOLLEXCLUSIVE_OK_BITS: what may come with EPOLLEXCLUSIVE.</summary>
    public const uint EPOLLEXCLUSIVE_OK_BITS = EPOLLINOUT_BITS | EPOLLERR | EPOLLHUP | EPOLLWAKEUP | EPOLLET | EPOLLEXCLUSIVE;

    /// <summary>EP_MAX_EVENTS: INT_MAX / sizeof(struct epoll_event).</summary>
    public const int EP_MAX_EVENTS = int.MaxValue / epoll_event.Size;

    /// <summary>sizeof(struct epitem) on x86-64 (at most a cache line: 6.18 checks it at build time).</summary>
    public const uint SIZEOF_EPITEM = 120;

    /// <summary>sizeof(struct eppoll_entry) on x86-64.</summary>
    public const uint SIZEOF_EPPOLL_ENTRY = 64;

    /// <summary>EP_ITEM_COST: what one watched descriptor costs.</summary>
    public const uint EP_ITEM_COST = SIZEOF_EPITEM + SIZEOF_EPPOLL_ENTRY;

    // fs/eventpoll.c: is_file_epoll
    public static bool is_file_epoll(object f) => f is eventpoll;

    // fs/eventpoll.c: ep_is_linked
    /// <summary>The item is on its ready list.</summary>
    private static bool ep_is_linked(epitem epi) => epi.rdllink.List is not null;

    // fs/eventpoll.c: ep_events_available
    /// <summary>Ready items wait, or a scan is in progress (events may be parked on ovflist).</summary>
    private static bool ep_events_available(eventpoll ep) => ep.rdllist.Count != 0 || ep.ovflist_active;

    // fs/eventpoll.c: ep_poll_safewake
    /// <summary>Wakes the pollers of the epoll file itself (EPOLLIN and the passed-on bits).</summary>
    private static void ep_poll_safewake(Vmlinux k, eventpoll ep, epitem? epi, uint pollflags)
    {
        // not ported: is_file_epoll, wake_up_locked_poll — the lockdep nesting variant (CONFIG_DEBUG_LOCK_ALLOC) differs only in lock annotations
        // the lockdep nesting variant (CONFIG_DEBUG_LOCK_ALLOC) differs only in lock annotations
        _ = epi;
        wake_up_poll(k, ep.poll_wait, EPOLLIN | pollflags);
    }

    // fs/eventpoll.c: ep_remove_wait_queue
    private static void ep_remove_wait_queue(eppoll_entry pwq)
    {
        // rcu_read_lock + smp_load_acquire: a POLLFREE may have cleared whead already
        if (pwq.whead is { } whead)
        {
            Kernel.Sched.wait_c.remove_wait_queue(whead, pwq.wait);
        }
    }

    // fs/eventpoll.c: ep_unregister_pollwait
    /// <summary>Takes every wait queue entry of the item off its file's queues and frees it (ep->mtx held).</summary>
    private static void ep_unregister_pollwait(Vmlinux k, eventpoll ep, epitem epi)
    {
        _ = ep;
        var cache = k.globals<eventpoll_globals>().pwq_cache;
        eppoll_entry? pwq;
        while ((pwq = epi.pwqlist) is not null)
        {
            epi.pwqlist = pwq.next;
            ep_remove_wait_queue(pwq);
            if (cache is not null)
            {
                Mm.slub_c.kmem_cache_free(cache);
            }
        }
    }

    // fs/eventpoll.c: ep_start_scan
    /// <summary>Steals the ready list into <paramref name="txlist"/> and opens ovflist, so callbacks during the scan are kept.</summary>
    private static void ep_start_scan(eventpoll ep, LinkedList<epitem> txlist)
    {
        // spin_lock_irq(&ep->lock): callbacks run from softirqs
        while (ep.rdllist.First is { } n)
        {
            ep.rdllist.Remove(n);
            txlist.AddLast(n);
        }

        ep.ovflist = null;
        ep.ovflist_active = true;
    }

    // fs/eventpoll.c: ep_done_scan
    /// <summary>
    /// Ends a scan: items the callbacks chained on ovflist meanwhile go to the
    /// ready list (in the order they came), then what is left of
    /// <paramref name="txlist"/>; wakes a waiter if anything is ready.
    /// </summary>
    private static void ep_done_scan(Vmlinux k, eventpoll ep, LinkedList<epitem> txlist)
    {
        epitem? nepi;
        epitem? epi;
        for (nepi = ep.ovflist; (epi = nepi) is not null; nepi = epi.next, epi.next = null, epi.on_ovflist = false)
        {
            // txlist may hold the item already: list_splice below keeps it there
            if (!ep_is_linked(epi))
            {
                // ovflist is LIFO: adding each at the head restores FIFO
                ep.rdllist.AddFirst(epi.rdllink);
            }
        }

        ep.ovflist = null;
        ep.ovflist_active = false;

        // list_splice(txlist, &ep->rdllist): the rest of the scan, in front
        var head = ep.rdllist.First;
        while (txlist.First is { } n)
        {
            txlist.Remove(n);
            if (head is null)
            {
                ep.rdllist.AddLast(n);
            }
            else
            {
                ep.rdllist.AddBefore(head, n);
            }
        }

        if (ep.rdllist.Count != 0)
        {
            if (waitqueue_active(ep.wq))
            {
                wake_up(k, ep.wq);
            }
        }
    }

    // fs/eventpoll.c: ep_get
    private static void ep_get(eventpoll ep) => ep.refcount++;

    // fs/eventpoll.c: ep_refcount_dec_and_test
    /// <summary>Drops a reference; true if it was the last (the tree must then be empty).</summary>
    private static bool ep_refcount_dec_and_test(eventpoll ep)
    {
        if (--ep.refcount != 0)
        {
            return false;
        }

        System.Diagnostics.Debug.Assert(ep.rbr.Count == 0, "eventpoll freed with items");
        return true;
    }

    // fs/eventpoll.c: ep_free
    private static void ep_free(eventpoll ep)
    {
        // ep_resume_napi_irqs, mutex_destroy, free_uid, wakeup_source_unregister: none here; kfree(ep) is the collector's
        ep.file = null;
    }

    // fs/eventpoll.c: __ep_remove
    /// <summary>
    /// Unhooks the item from its file's wait queues, from the file's epitem
    /// list, from the tree and the ready list, and frees it; true if it went
    /// (a dying item is left to eventpoll_release_file unless <paramref name="force"/>).
    /// </summary>
    private static bool __ep_remove(Vmlinux k, eventpoll ep, epitem epi, bool force)
    {
        // not ported: is_file_epoll — only sockets are watched (no epoll inside epoll), so the epitem list is the socket's
        var file = epi.ffd_file;
        ep_unregister_pollwait(k, ep, epi);

        // spin_lock(&file->f_lock)
        if (epi.dying && !force)
        {
            return false;
        }

        if (file_ep(file) is { } f_ep && epi.fllink.List == f_ep)
        {
            f_ep.Remove(epi.fllink);
        }

        ep.rbr.Remove(epi.ffd_fd);

        if (ep_is_linked(epi))
        {
            // list_del_init: off whichever list holds it (the ready list, or a scan's txlist)
            epi.rdllink.List!.Remove(epi.rdllink);
        }

        // wakeup_source_unregister: no wakeup sources; kfree_rcu(epi): no grace period in one thread
        if (k.globals<eventpoll_globals>().epi_cache is { } cache)
        {
            Mm.slub_c.kmem_cache_free(cache);
        }

        // percpu_counter_dec(&ep->user->epoll_watches): the per-user limit is not ported
        return true;
    }

    // fs/eventpoll.c: ep_remove_safe
    /// <summary>__ep_remove for a caller that holds its own reference to the ep (it cannot be the last).</summary>
    private static void ep_remove_safe(Vmlinux k, eventpoll ep, epitem epi)
    {
        if (__ep_remove(k, ep, epi, false))
        {
            var last = ep_refcount_dec_and_test(ep);
            System.Diagnostics.Debug.Assert(!last, "WARN_ON_ONCE: ep_remove_safe dropped the last reference");
        }
    }

    // fs/eventpoll.c: ep_clear_and_put
    /// <summary>The epoll file is closed: wake its pollers, unhook and remove every item, drop the file's reference.</summary>
    private static void ep_clear_and_put(Vmlinux k, eventpoll ep)
    {
        // not ported: cond_resched — the teardown loop runs to completion; the simulated task is not preempted inside it
        if (waitqueue_active(ep.poll_wait))
        {
            ep_poll_safewake(k, ep, null, 0);
        }

        // mutex_lock(&ep->mtx)
        var items = new List<epitem>(ep.rbr.Values);
        foreach (var epi in items)
        {
            ep_unregister_pollwait(k, ep, epi);
        }

        foreach (var epi in items)
        {
            ep_remove_safe(k, ep, epi);
        }

        if (ep_refcount_dec_and_test(ep))
        {
            ep_free(ep);
        }
    }

    // fs/eventpoll.c: ep_eventpoll_release
    /// <summary>f_op->release of the [eventpoll] file: its last close.</summary>
    public static int ep_eventpoll_release(Vmlinux k, eventpoll? ep)
    {
        if (ep is not null)
        {
            ep_clear_and_put(k, ep);
        }

        return 0;
    }

    // fs/eventpoll.c: __ep_eventpoll_poll
    /// <summary>
    /// The epoll file's own poll mask: EPOLLIN|EPOLLRDNORM if an item on the
    /// ready list really has one of its events (items that do not are taken
    /// off). Hooks the caller onto ep.poll_wait.
    /// </summary>
    private static uint __ep_eventpoll_poll(Vmlinux k, object file, poll_table_struct? wait, int depth)
    {
        var ep = (eventpoll)file;
        var txlist = new LinkedList<epitem>();
        var pt = new poll_table_struct();
        uint res = 0;

        init_poll_funcptr(pt, null);
        poll_wait(file, ep.poll_wait, wait);

        // mutex_lock_nested(&ep->mtx, depth)
        ep_start_scan(ep, txlist);
        for (var node = txlist.First; node is not null;)
        {
            var next = node.Next;
            var epi = node.Value;
            if (ep_item_poll(k, epi, pt, depth + 1) != 0)
            {
                res = EPOLLIN | EPOLLRDNORM;
                break;
            }

            // dropped on the ready list by a callback, but not ready for what the caller asked: off it
            txlist.Remove(node);
            node = next;
        }

        ep_done_scan(k, ep, txlist);
        return res;
    }

    // fs/eventpoll.c: ep_item_poll
    /// <summary>The item's file polled for the item's events (pt._key), the result masked by them.</summary>
    private static uint ep_item_poll(Vmlinux k, epitem epi, poll_table_struct pt, int depth)
    {
        // not ported: epi_fget, fput — the file cannot be half-closed here: eventpoll_release runs before its release
        // epi_fget: the file cannot be half-closed here (eventpoll_release runs before its release)
        var file = epi.ffd_file;
        uint res;

        pt._key = epi.event_events;
        if (!is_file_epoll(file))
        {
            res = vfs_poll(k, file, pt);
        }
        else
        {
            res = __ep_eventpoll_poll(k, file, pt, depth);
        }

        return res & epi.event_events;
    }

    // fs/eventpoll.c: ep_eventpoll_poll
    /// <summary>f_op->poll of the [eventpoll] file.</summary>
    public static uint ep_eventpoll_poll(Vmlinux k, object file, poll_table_struct? wait) => __ep_eventpoll_poll(k, file, wait, 0);

    /// <summary>The file's list of epitems (file->f_ep), for the files that can be watched; null otherwise.</summary>
    [KernelNet.Annotations.NotInLinux("C# accessor: C reaches the file's epoll links through file->f_ep")]
    private static LinkedList<epitem>? file_ep(object file) => file is socket sock ? sock.f_ep : null;

    // fs/eventpoll.c: eventpoll_release_file
    /// <summary>A watched file goes away (its last close): every epitem on it is removed from its epoll instance.</summary>
    public static void eventpoll_release_file(Vmlinux k, object file)
    {
        var f_ep = file_ep(file);
        while (f_ep?.First is { } first)
        {
            var epi = first.Value;
            epi.dying = true;

            // ep is safe: the item still holds a reference to it
            var ep = epi.ep;
            var dispose = __ep_remove(k, ep, epi, true);
            if (dispose && ep_refcount_dec_and_test(ep))
            {
                ep_free(ep);
            }
        }
    }

    // fs/eventpoll.c: ep_alloc
    private static eventpoll ep_alloc()
    {
        // not ported: init_waitqueue_head — the mutex, lock and wait queues are initialised with the object (see the comment below)
        // kzalloc; mutex, lock and wait queues are initialised with the object; get_current_user: no users
        return new eventpoll { ovflist = null, ovflist_active = false, refcount = 1 };
    }

    // not ported: ep_cmp_ffd — see the file header
    // fs/eventpoll.c: ep_find
    /// <summary>The item for (<paramref name="file"/>, <paramref name="fd"/>), or null.</summary>
    private static epitem? ep_find(eventpoll ep, object file, int fd) =>
        ep.rbr.TryGetValue(fd, out var epi) && ReferenceEquals(epi.ffd_file, file) ? epi : null;

    // fs/eventpoll.c: ep_poll_callback
    /// <summary>
    /// The wake function of an epitem's entry on its file's wait queue: runs
    /// in the waker's context (the NET_RX softirq for data and ACKs). An
    /// item disabled by EPOLLONESHOT, or a keyed wakeup for events the item
    /// does not want, does nothing; otherwise the item goes on the ready list
    /// (on ovflist during a scan) and one epoll_wait sleeper is woken, then
    /// the pollers of the epoll file. Returns whether this counts as an
    /// exclusive wakeup (EPOLLEXCLUSIVE items only count for matching IN/OUT).
    /// </summary>
    private static int ep_poll_callback(Vmlinux k, wait_queue_entry wait, int mode, int sync, uint key)
    {
        // not ported: ep_item_from_wait, ep_pwq_from_wait — the wait entry's container field holds the eppoll_entry (container_of)
        var pwake = 0;
        var pwq = (eppoll_entry)wait.container!;
        var epi = pwq.@base;
        var ep = epi.ep;
        var pollflags = key_to_poll(key);
        var ewake = 0;

        // spin_lock_irqsave(&ep->lock); ep_set_busy_poll_napi_id: no busy polling

        // no event bits left: a one-shot item that fired, disabled until EPOLL_CTL_MOD
        if ((epi.event_events & ~EP_PRIVATE_BITS) == 0)
        {
            goto out_unlock;
        }

        // a keyed wakeup (most are) for events this item does not ask about
        if (pollflags != 0 && (pollflags & epi.event_events) == 0)
        {
            goto out_unlock;
        }

        // while ep_send_events holds the ready list, chain on ovflist
        if (ep.ovflist_active)
        {
            if (!epi.on_ovflist)
            {
                epi.next = ep.ovflist;
                epi.on_ovflist = true;
                ep.ovflist = epi;
            }
        }
        else if (!ep_is_linked(epi))
        {
            ep.rdllist.AddLast(epi.rdllink);
        }

        if (waitqueue_active(ep.wq))
        {
            if ((epi.event_events & EPOLLEXCLUSIVE) != 0 && (pollflags & Include.Uapi.AsmGeneric.poll_h.POLLFREE) == 0)
            {
                switch (pollflags & EPOLLINOUT_BITS)
                {
                    case EPOLLIN:
                        if ((epi.event_events & EPOLLIN) != 0)
                        {
                            ewake = 1;
                        }

                        break;
                    case EPOLLOUT:
                        if ((epi.event_events & EPOLLOUT) != 0)
                        {
                            ewake = 1;
                        }

                        break;
                    case 0:
                        ewake = 1;
                        break;
                }
            }

            if (sync != 0)
            {
                wake_up_sync(k, ep.wq);
            }
            else
            {
                wake_up(k, ep.wq);
            }
        }

        if (waitqueue_active(ep.poll_wait))
        {
            pwake++;
        }

    out_unlock:
        // outside the lock
        if (pwake != 0)
        {
            ep_poll_safewake(k, ep, epi, pollflags & EPOLL_URING_WAKE);
        }

        if ((epi.event_events & EPOLLEXCLUSIVE) == 0)
        {
            ewake = 1;
        }

        if ((pollflags & Include.Uapi.AsmGeneric.poll_h.POLLFREE) != 0)
        {
            // the head is going away: leave it now, and let ep_remove_wait_queue know
            if (wait.head is { } h)
            {
                __remove_wait_queue(h, wait);
            }

            pwq.whead = null;
        }

        return ewake;
    }

    // fs/eventpoll.c: ep_ptable_queue_proc
    /// <summary>
    /// The queue proc of ep_insert's poll table: an eppoll_entry with
    /// ep_poll_callback on the file's wait queue (exclusive at the tail for
    /// EPOLLEXCLUSIVE), linked to the item.
    /// </summary>
    private static void ep_ptable_queue_proc(object file, wait_queue_head whead, poll_table_struct pt)
    {
        // not ported: init_waitqueue_func_entry, kmem_cache_alloc — the wait entry is constructed with ep_poll_callback; the slab allocation is counted through kmem_cache_alloc_noprof
        var epq = (ep_pqueue)pt.container!;
        var epi = epq.epi;
        if (epi is null)
        {
            // an earlier allocation failed
            return;
        }

        if (epq.k.globals<eventpoll_globals>().pwq_cache is { } cache)
        {
            Mm.slub_c.kmem_cache_alloc_noprof(cache);
        }

        // init_waitqueue_func_entry(&pwq->wait, ep_poll_callback)
        var wait = new wait_queue_entry(null, ep_poll_callback);
        var pwq = new eppoll_entry(epi, wait, whead);
        wait.container = pwq;
        if ((epi.event_events & EPOLLEXCLUSIVE) != 0)
        {
            Kernel.Sched.wait_c.add_wait_queue_exclusive(whead, wait);
        }
        else
        {
            Kernel.Sched.wait_c.add_wait_queue(whead, wait);
        }

        pwq.next = epi.pwqlist;
        epi.pwqlist = pwq;
        _ = file;
    }

    // fs/eventpoll.c: attach_epitem
    /// <summary>Puts the item on the file's list of epitems (file->f_ep, made on first use).</summary>
    private static int attach_epitem(object file, epitem epi)
    {
        // not ported: is_file_epoll — only sockets are watched (no epoll inside epoll)
        if (file is not socket sock)
        {
            return -errno_base_h.EINVAL; // only sockets can be watched here (see file_can_poll)
        }

        sock.f_ep ??= new LinkedList<epitem>();
        sock.f_ep.AddFirst(epi.fllink);
        return 0;
    }

    // fs/eventpoll.c: ep_insert
    /// <summary>
    /// EPOLL_CTL_ADD: a new item from eventpoll_epi, on the file's list and in
    /// the tree, hooked onto the file's wait queue by polling it through
    /// ep_ptable_queue_proc; if the file is ready already, the item goes
    /// straight onto the ready list and a waiter is woken.
    /// </summary>
    private static int ep_insert(Vmlinux k, eventpoll ep, uint events, ulong data, object tfile, int fd, int full_check)
    {
        // not ported: is_file_epoll, list_file — no epoll inside epoll, so no loop or path check (see the file header)
        var pwake = 0;

        // percpu_counter_compare(&ep->user->epoll_watches, max_user_watches): the limit is not ported
        if (k.globals<eventpoll_globals>().epi_cache is { } cache)
        {
            Mm.slub_c.kmem_cache_alloc_noprof(cache);
        }

        var epi = new epitem(ep, tfile, fd, events, data);

        if (attach_epitem(tfile, epi) < 0)
        {
            if (k.globals<eventpoll_globals>().epi_cache is { } c)
            {
                Mm.slub_c.kmem_cache_free(c);
            }

            return -errno_base_h.ENOMEM;
        }

        // list_file(tfile) for full_check: the loop and path checks are not ported
        _ = full_check;

        ep.rbr.Add(fd, epi);

        // the ep file's own reference keeps ep_remove_safe below from freeing it
        ep_get(ep);

        // reverse_path_check: not ported (no epoll inside epoll); EPOLLWAKEUP was cleared before

        var epq = new ep_pqueue(k, epi);
        init_poll_funcptr(epq.pt, ep_ptable_queue_proc);

        // hooks the item onto the file's wait queue; from here on the callback can hit it
        var revents = ep_item_poll(k, epi, epq.pt, 1);

        if (epq.epi is null)
        {
            ep_remove_safe(k, ep, epi);
            return -errno_base_h.ENOMEM;
        }

        // spin_lock_irq(&ep->lock); ep_set_busy_poll_napi_id: no busy polling
        if (revents != 0 && !ep_is_linked(epi))
        {
            ep.rdllist.AddLast(epi.rdllink);

            if (waitqueue_active(ep.wq))
            {
                wake_up(k, ep.wq);
            }

            if (waitqueue_active(ep.poll_wait))
            {
                pwake++;
            }
        }

        if (pwake != 0)
        {
            ep_poll_safewake(k, ep, null, 0);
        }

        return 0;
    }

    // fs/eventpoll.c: ep_modify
    /// <summary>
    /// EPOLL_CTL_MOD: the new mask and data (re-arming a one-shot item); if
    /// the file already has one of the new events, the item goes onto the
    /// ready list.
    /// </summary>
    private static int ep_modify(Vmlinux k, eventpoll ep, epitem epi, uint events, ulong data)
    {
        var pwake = 0;
        var pt = new poll_table_struct();
        init_poll_funcptr(pt, null);

        // set before polling, so an event between the poll and the store is not lost
        epi.event_events = events;
        epi.event_data = data;

        // EPOLLWAKEUP's wakeup source: not ported (the bit was cleared)
        // smp_mb(): pairs with ep_poll_callback and wq_has_sleeper (one thread: nothing to order)
        if (ep_item_poll(k, epi, pt, 1) != 0)
        {
            if (!ep_is_linked(epi))
            {
                ep.rdllist.AddLast(epi.rdllink);

                if (waitqueue_active(ep.wq))
                {
                    wake_up(k, ep.wq);
                }

                if (waitqueue_active(ep.poll_wait))
                {
                    pwake++;
                }
            }
        }

        if (pwake != 0)
        {
            ep_poll_safewake(k, ep, null, 0);
        }

        return 0;
    }

    // fs/eventpoll.c: ep_send_events
    /// <summary>
    /// Reports ready items into <paramref name="events"/>: each item on the
    /// ready list is polled again and reported with its current mask (an
    /// item no longer ready is dropped); a one-shot item is disabled, a
    /// level-triggered one goes back on the ready list for the next call, an
    /// edge-triggered one does not. Returns the count, or -EFAULT/-EINTR.
    /// </summary>
    private static int ep_send_events(Vmlinux k, eventpoll ep, byte[] events, int maxevents)
    {
        var txlist = new LinkedList<epitem>();
        var pt = new poll_table_struct();
        var res = 0;

        // a fatal signal lets the thread leave at once
        if (sched_h.signal_pending(k.current))
        {
            return -errno_base_h.EINTR;
        }

        init_poll_funcptr(pt, null);

        // mutex_lock(&ep->mtx)
        ep_start_scan(ep, txlist);

        var uevent = 0;
        for (var node = txlist.First; node is not null;)
        {
            var next = node.Next;
            var epi = node.Value;
            if (res >= maxevents)
            {
                break;
            }

            // wakeup sources (ep->ws, epi->ws): not ported
            txlist.Remove(node);

            var revents = ep_item_poll(k, epi, pt, 1);
            if (revents == 0)
            {
                node = next;
                continue;
            }

            if (!Include.Linux.eventpoll_h.epoll_put_uevent(revents, epi.event_data, events, ref uevent))
            {
                txlist.AddFirst(epi.rdllink);
                if (res == 0)
                {
                    res = -errno_base_h.EFAULT;
                }

                break;
            }

            res++;
            if ((epi.event_events & EPOLLONESHOT) != 0)
            {
                epi.event_events &= EP_PRIVATE_BITS;
            }
            else if ((epi.event_events & EPOLLET) == 0)
            {
                // level-triggered: back on the ready list, so the next epoll_wait polls it again
                // (only this scan can add to rdllist now: callbacks go to ovflist)
                ep.rdllist.AddLast(epi.rdllink);
            }

            node = next;
        }

        ep_done_scan(k, ep, txlist);
        return res;
    }

    // fs/eventpoll.c: ep_autoremove_wake_function
    /// <summary>The epoll_wait sleeper's wake function: wake the task and always leave the queue (the entry is not reused).</summary>
    private static int ep_autoremove_wake_function(Vmlinux k, wait_queue_entry wq_entry, int mode, int sync, uint key)
    {
        var ret = Kernel.Sched.core_c.default_wake_function(k, wq_entry, mode);

        // list_del_init_careful: pairs with the list_empty_careful in ep_poll
        if (wq_entry.head is { } h)
        {
            __remove_wait_queue(h, wq_entry);
        }

        return ret;
    }

    // fs/eventpoll.c: ep_try_send_events
    private static int ep_try_send_events(Vmlinux k, eventpoll ep, byte[] events, int maxevents)
    {
        // a try with nothing reported goes on waiting while time is left
        var res = ep_send_events(k, ep, events, maxevents);

        // ep_suspend_napi_irqs: no busy polling
        return res;
    }

    // not ported: ktime_get — the timeout is in jiffies (see the departures above)
    // fs/eventpoll.c: ep_schedule_timeout
    /// <summary>Time is left before <paramref name="expires"/> (in jiffies; null: no timeout).</summary>
    private static bool ep_schedule_timeout(Vmlinux k, ulong? expires) => expires is not { } to || (long)(to - k.jiffies) > 0;

    // fs/eventpoll.c: ep_poll
    /// <summary>
    /// epoll_wait's loop: report what is ready; with nothing, sleep on ep.wq
    /// as an exclusive waiter (woken by ep_poll_callback) until events, the
    /// timeout (<paramref name="timeout_jiffies"/>: null waits forever, 0
    /// does not wait) or a signal (-EINTR). Process context; sleeps.
    /// </summary>
    [MightSleep]
    private static async Task<int> ep_poll(Vmlinux k, eventpoll ep, byte[] events, int maxevents, long? timeout_jiffies)
    {
        // not ported: init_wait, schedule_hrtimeout_range, select_estimate_accuracy — the sleep is a timer-wheel sleep in jiffies on the port's wait entry (see the departures above)
        int res;
        var timed_out = false;
        ulong? to = null;

        if (timeout_jiffies is > 0)
        {
            // select_estimate_accuracy's slack: the wheel's own granularity here
            to = k.jiffies + (ulong)timeout_jiffies.Value;
        }
        else if (timeout_jiffies is not null)
        {
            // a non-blocking call never goes near the wait queue
            timed_out = true;
        }

        // racy by design: a zero timeout tolerates missing an event being added
        var eavail = ep_events_available(ep);

        while (true)
        {
            if (eavail)
            {
                res = ep_try_send_events(k, ep, events, maxevents);
                if (res != 0)
                {
                    return res;
                }
            }

            if (timed_out)
            {
                return 0;
            }

            // ep_busy_loop: no busy polling
            if (sched_h.signal_pending(k.current))
            {
                return -errno_base_h.EINTR;
            }

            // init_wait with ep_autoremove_wake_function: the entry leaves the queue on every wakeup
            var wait = new wait_queue_entry(k.current, ep_autoremove_wake_function);

            // spin_lock_irq(&ep->lock): the final check and the enqueue are one step for the callbacks
            sched_h.__set_current_state(k, sched_h.TASK_INTERRUPTIBLE);
            eavail = ep_events_available(ep);
            if (!eavail)
            {
                __add_wait_queue_exclusive(ep.wq, wait);
            }

            if (!eavail)
            {
                if (!ep_schedule_timeout(k, to))
                {
                    timed_out = true;
                }
                else
                {
                    var left = to is { } expiry ? (long)(expiry - k.jiffies) : sched_h.MAX_SCHEDULE_TIMEOUT;
                    timed_out = await Kernel.Time.sleep_timeout_c.schedule_timeout(k, left) == 0;
                }
            }

            sched_h.__set_current_state(k, sched_h.TASK_RUNNING);

            // woken: go and harvest; timed out and still queued: look carefully
            eavail = true;
            if (wait.queued)
            {
                // timed out while still queued: nobody woke us, so only a scan in progress can hold events
                if (timed_out)
                {
                    eavail = !wait.queued;
                }

                __remove_wait_queue(ep.wq, wait);
            }
        }
    }

    // fs/eventpoll.c: do_epoll_create
    /// <summary>A new epoll instance on an [eventpoll] file at the task's lowest free descriptor.</summary>
    private static int do_epoll_create(Vmlinux k, task_struct task, int flags)
    {
        // not ported: get_unused_fd_flags, fd_install, put_unused_fd — the descriptor table is the task's dictionary: the lowest free fd is found and filled in one step
        if ((flags & ~EPOLL_CLOEXEC) != 0)
        {
            return -errno_base_h.EINVAL;
        }

        var ep = ep_alloc();

        // get_unused_fd_flags(O_RDWR | O_CLOEXEC): close-on-exec has no meaning without exec
        var fd = -errno_base_h.EMFILE;
        for (var i = 3; i < task.rlimit_nofile; i++)
        {
            if (!task.files.ContainsKey(i))
            {
                fd = i;
                break;
            }
        }

        if (fd < 0)
        {
            goto out_free_ep;
        }

        // anon_inode_getfile("[eventpoll]", &eventpoll_fops, ep): the descriptor holds the eventpoll itself
        ep.file = ep;
        task.files.Add(fd, ep);
        return fd;

    out_free_ep:
        ep_clear_and_put(k, ep);
        return fd;
    }

    // fs/eventpoll.c: sys_epoll_create1
    /// <summary>epoll_create1(2): flags may only be EPOLL_CLOEXEC.</summary>
    public static int sys_epoll_create1(Vmlinux k, task_struct task, int flags) => do_epoll_create(k, task, flags);

    // fs/eventpoll.c: sys_epoll_create
    /// <summary>epoll_create(2): the size is only checked to be positive.</summary>
    public static int sys_epoll_create(Vmlinux k, task_struct task, int size)
    {
        if (size <= 0)
        {
            return -errno_base_h.EINVAL;
        }

        return do_epoll_create(k, task, 0);
    }

    // fs/eventpoll.c: ep_take_care_of_epollwakeup
    /// <summary>EPOLLWAKEUP needs CAP_BLOCK_SUSPEND and wakeup sources (CONFIG_PM_SLEEP): not ported, so the bit is cleared, as for an unprivileged caller.</summary>
    private static uint ep_take_care_of_epollwakeup(uint events) => events & ~EPOLLWAKEUP;

    // fs/eventpoll.c: do_epoll_ctl
    /// <summary>
    /// EPOLL_CTL_ADD/MOD/DEL of <paramref name="fd"/> on the epoll instance
    /// <paramref name="epfd"/>: -EBADF for a closed descriptor, -EPERM for a
    /// file without poll, -EINVAL for a non-epoll epfd, the epoll file itself,
    /// or EPOLLEXCLUSIVE where it is not allowed; -EEXIST/-ENOENT as the
    /// item exists or not. ADD and MOD always add EPOLLERR|EPOLLHUP.
    /// </summary>
    public static int do_epoll_ctl(Vmlinux k, task_struct task, int epfd, int op, int fd, uint events, ulong data, bool nonblock)
    {
        // not ported: epoll_mutex_lock — one thread: ep->mtx has nothing to exclude
        int error;
        var full_check = 0;

        if (!task.files.TryGetValue(epfd, out var f))
        {
            return -errno_base_h.EBADF;
        }

        if (!task.files.TryGetValue(fd, out var tf))
        {
            return -errno_base_h.EBADF;
        }

        // the target must support poll
        if (!file_can_poll(tf))
        {
            return -errno_base_h.EPERM;
        }

        if (Include.Linux.eventpoll_h.ep_op_has_event(op))
        {
            events = ep_take_care_of_epollwakeup(events);
        }

        // epfd must be an epoll file, and not the target itself
        error = -errno_base_h.EINVAL;
        if (ReferenceEquals(f, tf) || !is_file_epoll(f))
        {
            goto error_tgt_fput;
        }

        // EPOLLEXCLUSIVE: only at ADD (the entry is queued then), not on an epoll file, only with OK bits
        if (Include.Linux.eventpoll_h.ep_op_has_event(op) && (events & EPOLLEXCLUSIVE) != 0)
        {
            if (op == EPOLL_CTL_MOD)
            {
                goto error_tgt_fput;
            }

            if (op == EPOLL_CTL_ADD && (is_file_epoll(tf) || (events & ~EPOLLEXCLUSIVE_OK_BITS) != 0))
            {
                goto error_tgt_fput;
            }
        }

        var ep = (eventpoll)f;

        // epoll_mutex_lock(&ep->mtx, 0, nonblock): one thread, the mutex is always free
        _ = nonblock;
        if (op == EPOLL_CTL_ADD && is_file_epoll(tf))
        {
            // not ported: epoll inside epoll (ep_loop_check under epnested_mutex, ELOOP)
            goto error_tgt_fput;
        }

        var epi = ep_find(ep, tf, fd);

        error = -errno_base_h.EINVAL;
        switch (op)
        {
            case EPOLL_CTL_ADD:
                if (epi is null)
                {
                    events |= EPOLLERR | EPOLLHUP;
                    error = ep_insert(k, ep, events, data, tf, fd, full_check);
                }
                else
                {
                    error = -errno_base_h.EEXIST;
                }

                break;
            case EPOLL_CTL_DEL:
                if (epi is not null)
                {
                    // the eventpoll itself is alive: the count cannot reach zero here
                    ep_remove_safe(k, ep, epi);
                    error = 0;
                }
                else
                {
                    error = -errno_base_h.ENOENT;
                }

                break;
            case EPOLL_CTL_MOD:
                if (epi is not null)
                {
                    if ((epi.event_events & EPOLLEXCLUSIVE) == 0)
                    {
                        events |= EPOLLERR | EPOLLHUP;
                        error = ep_modify(k, ep, epi, events, data);
                    }
                }
                else
                {
                    error = -errno_base_h.ENOENT;
                }

                break;
        }

    error_tgt_fput:
        // clear_tfile_check_list, loop_check_gen, epnested_mutex: only with full_check (not ported)
        return error;
    }

    // fs/eventpoll.c: sys_epoll_ctl
    /// <summary>epoll_ctl(2): the struct epoll_event is read from user memory (-EFAULT for a NULL pointer) except for DEL.</summary>
    public static int sys_epoll_ctl(Vmlinux k, task_struct task, int epfd, int op, int fd, byte[]? @event)
    {
        uint events = 0;
        ulong data = 0;
        if (Include.Linux.eventpoll_h.ep_op_has_event(op))
        {
            if (@event is null || @event.Length < epoll_event.Size)
            {
                return -errno_base_h.EFAULT;
            }

            var e = new epoll_event(@event);
            events = e.events;
            data = e.data;
        }

        return do_epoll_ctl(k, task, epfd, op, fd, events, data, false);
    }

    // fs/eventpoll.c: ep_check_params
    /// <summary>maxevents in 1..EP_MAX_EVENTS, a writable array, an epoll file.</summary>
    private static int ep_check_params(object file, byte[]? evs, int maxevents)
    {
        if (maxevents <= 0 || maxevents > EP_MAX_EVENTS)
        {
            return -errno_base_h.EINVAL;
        }

        // access_ok
        if (evs is null || evs.Length < (long)maxevents * epoll_event.Size)
        {
            return -errno_base_h.EFAULT;
        }

        if (!is_file_epoll(file))
        {
            return -errno_base_h.EINVAL;
        }

        return 0;
    }

    // fs/eventpoll.c: do_epoll_wait
    [MightSleep]
    private static async Task<int> do_epoll_wait(Vmlinux k, task_struct task, int epfd, byte[]? events, int maxevents, long? timeout_jiffies)
    {
        if (!task.files.TryGetValue(epfd, out var f))
        {
            return -errno_base_h.EBADF;
        }

        var ret = ep_check_params(f, events, maxevents);
        if (ret != 0)
        {
            return ret;
        }

        return await ep_poll(k, (eventpoll)f, events!, maxevents, timeout_jiffies);
    }

    // fs/eventpoll.c: sys_epoll_wait
    /// <summary>
    /// epoll_wait(2): up to <paramref name="maxevents"/> ready events into the
    /// user's array of struct epoll_event; <paramref name="timeout"/> in ms
    /// (-1 forever, 0 no wait), rounded up to jiffies (ep_timeout_to_timespec:
    /// the port sleeps on the timer wheel).
    /// </summary>
    [MightSleep]
    public static async Task<int> sys_epoll_wait(Vmlinux k, task_struct task, int epfd, byte[]? events, int maxevents, int timeout)
    {
        // not ported: ep_timeout_to_timespec — the timeout is passed to ep_poll in jiffies
        long? to = timeout < 0 ? null : jiffies_h.msecs_to_jiffies(timeout);
        return await do_epoll_wait(k, task, epfd, events, maxevents, to);
    }

    // fs/eventpoll.c: eventpoll_init
    /// <summary>Boot (fs_initcall): the eventpoll_epi slab (cache-line aligned: 128-byte objects) and eventpoll_pwq.</summary>
    public static int eventpoll_init(Vmlinux k)
    {
        // not ported: epoll_sysctls_init, kmem_cache_create — no epoll sysctls (max_user_watches is not ported); the caches are made by the port's boot
        // si_meminfo and max_user_watches: the watch limit is not ported (see the file header)
        var g = k.globals<eventpoll_globals>();
        g.epi_cache = Mm.slab_common_c.__kmem_cache_create_args(k, "eventpoll_epi", SIZEOF_EPITEM, 0, slab_h.SLAB_HWCACHE_ALIGN | slab_h.SLAB_PANIC | slab_h.SLAB_ACCOUNT);
        g.pwq_cache = Mm.slab_common_c.__kmem_cache_create_args(k, "eventpoll_pwq", SIZEOF_EPPOLL_ENTRY, 0, slab_h.SLAB_PANIC | slab_h.SLAB_ACCOUNT);

        // epoll_sysctls_init (fs.epoll.max_user_watches) and the ep_head cache: not ported
        return 0;
    }
}

/// <summary>struct ep_pqueue: the poll table ep_insert polls with, and the item it hooks.</summary>
public sealed class ep_pqueue
{
    public ep_pqueue(Vmlinux k, epitem epi)
    {
        this.k = k;
        this.epi = epi;
        pt = new poll_table_struct { container = this };
    }

    public poll_table_struct pt { get; }

    /// <summary>The item; null once an allocation in the queue proc failed.</summary>
    public epitem? epi { get; set; }

    /// <summary>The kernel the queue proc allocates from (its slab caches).</summary>
    public Vmlinux k { get; }
}
