// Ports kernel/trace/ring_buffer.c: the per-CPU, fixed-size ring of pages
// that a trace instance writes its binary event records into, in overwrite
// mode (a full ring drops its oldest page, counted as overrun).
//
// departure: an event's header is a 4-byte length (the kernel packs type_len
// and a 27-bit time delta, with time-extend events); the timestamp is kept in
// the record's data instead (trace.cs), so there are no time-extend or
// absolute-time events.
// departure: a CPU's pages (its ring's and its reader page) are the
// consecutive PAGE_SIZE pieces of one array allocated with the buffer, as the
// kernel allocates them all when the buffer is made: a write never allocates,
// and the collector never moves or scans the ring's bytes.
// not ported: the reader page swap and consuming reads (trace_pipe,
// ring_buffer_consume) — the port reads the trace file only, which does not
// consume, so "read events" stays 0; non-overwrite mode and its dropped
// events; nested/interrupted commits (a single-threaded simulation never
// interrupts a writer, so "commit overrun" stays 0); sub-buffer orders
// other than one page; the mapped (mmap) buffer; per-CPU resize.
// not ported: for_each_buffer_cpu, for_each_online_buffer_cpu — every simulated CPU has a buffer and is online: the loops run over the buffers array
// not ported: rb_head_page_activate, rb_head_page_deactivate, rb_head_page_set_head, rb_head_page_set_normal, rb_head_page_set_update, rb_is_head_page, rb_set_head_page, rb_inc_page, rb_is_reader_page — the page list is an array with head_page and tail_page indexes, not a list with flag bits in its pointers (the lockless writer protocol has no concurrent reader here)
// not ported: rb_meta_buffer_update, rb_meta_validate_events, rb_range_buffer, rb_range_meta, rb_update_meta_head, rb_update_meta_page — no persistent (memory-mapped, boot-surviving) buffer
using System;
using System.Buffers.Binary;

namespace KernelNet.Kernel.Kernel.Trace;

/// <summary>struct buffer_page: one page of a per-CPU ring and what has been committed to it.</summary>
public sealed class buffer_page
{
    public buffer_page(byte[] page, int start)
    {
        this.page = page;
        this.start = start;
    }

    /// <summary>The array the page lies in (the CPU's pages, one after another).</summary>
    public byte[] page { get; }

    /// <summary>Where the page's data area (BUF_PAGE_SIZE bytes, after its header) starts in <see cref="page"/>.</summary>
    public int start { get; }

    /// <summary>buffer_data_page.time_stamp: the time of the page's first event.</summary>
    public long time_stamp;

    /// <summary>Bytes of events committed to the page.</summary>
    public int commit;

    /// <summary>Events committed to the page (what an overrun of it loses).</summary>
    public int entries;
}

/// <summary>struct ring_buffer_per_cpu: one CPU's ring of pages and its counters.</summary>
public sealed class ring_buffer_per_cpu
{
    public ring_buffer_per_cpu(int cpu, int nr_pages)
    {
        this.cpu = cpu;
        this.nr_pages = nr_pages;
        pages = new buffer_page[nr_pages + 1];
        // zeroed, as alloc_pages_node's __GFP_ZERO gives them (a reader stops at each page's commit anyway)
        var data = new byte[pages.Length * ring_buffer_c.PAGE_SIZE];
        for (var i = 0; i < pages.Length; i++)
        {
            pages[i] = new buffer_page(data, (i * ring_buffer_c.PAGE_SIZE) + ring_buffer_c.BUF_PAGE_HDR_SIZE);
        }
    }

    public int cpu { get; }

    /// <summary>Pages the ring holds data in (buffer_size_kb's worth); the ring has one more, the reader page.</summary>
    public int nr_pages { get; }

    /// <summary>The ring: nr_pages pages plus the one the kernel keeps as its reader page.</summary>
    public buffer_page[] pages { get; }

    /// <summary>Index of the head page: the oldest data, the next to be overwritten.</summary>
    public int head_page;

    /// <summary>Index of the tail page: where the writer commits.</summary>
    public int tail_page;

    /// <summary>Events ever committed (since the last reset).</summary>
    public long entries;

    /// <summary>Bytes of events ever committed, less those overwritten.</summary>
    public long entries_bytes;

    /// <summary>Events lost when the writer overwrote the head page.</summary>
    public long overrun;

    /// <summary>Events lost to an interrupted commit running out of room (never, in the simulation).</summary>
    public long commit_overrun;

    /// <summary>Events dropped in non-overwrite mode (not ported: always overwrite).</summary>
    public long dropped_events;

    /// <summary>Events consumed by a reader (trace_pipe; not ported).</summary>
    public long read;

    /// <summary>Bytes consumed by a reader.</summary>
    public long read_bytes;
}

/// <summary>struct trace_buffer: one ring per CPU, all of the same size.</summary>
public sealed class trace_buffer
{
    public trace_buffer(ring_buffer_per_cpu[] buffers) => this.buffers = buffers;

    public ring_buffer_per_cpu[] buffers { get; }
}

/// <summary>
/// Where a reserved event's data lies: the page, the offset of its first data byte, its length
/// so far, and the data bytes the page has room for from that offset.
/// </summary>
public readonly record struct ring_buffer_event(byte[] page, int offset, int length, int room);

public static class ring_buffer_c
{
    /// <summary>The kernel's page (the sub-buffer of order 0).</summary>
    public const int PAGE_SIZE = 4096;

    /// <summary>Header of a data page: a u64 time stamp and a local_t commit.</summary>
    public const int BUF_PAGE_HDR_SIZE = 16;

    /// <summary>Bytes of events one page holds.</summary>
    public const int BUF_PAGE_SIZE = PAGE_SIZE - BUF_PAGE_HDR_SIZE;

    /// <summary>An event's header ahead of its data.</summary>
    public const int RB_EVNT_HDR_SIZE = 4;

    /// <summary>Event lengths are multiples of this.</summary>
    public const int RB_ALIGNMENT = 4;

    // kernel/trace/ring_buffer.c: __ring_buffer_alloc
    /// <summary>A buffer of <paramref name="size"/> bytes per CPU for <paramref name="nr_cpu_ids"/> CPUs.</summary>
    public static trace_buffer __ring_buffer_alloc(long size, int nr_cpu_ids)
    {
        // not ported: alloc_buffer — the per-CPU buffers are built in the loop below
        // not ported: the cpumask, the hotplug callbacks and the reader wait queues — the simulated CPUs never go offline
        var nr_pages = nr_pages_for(size);
        var buffers = new ring_buffer_per_cpu[nr_cpu_ids];
        for (var cpu = 0; cpu < nr_cpu_ids; cpu++)
        {
            buffers[cpu] = rb_allocate_cpu_buffer(nr_pages, cpu);
        }

        return new trace_buffer(buffers);
    }

    /// <summary>The pages a size needs: rounded up to whole pages, at least two (as ring_buffer_resize sizes it).</summary>
    [KernelNet.Annotations.NotInLinux("the page count both __ring_buffer_alloc and ring_buffer_resize compute inline in C")]
    public static int nr_pages_for(long size)
    {
        var nr_pages = (int)((size + BUF_PAGE_SIZE - 1) / BUF_PAGE_SIZE);
        return Math.Max(nr_pages, 2);
    }

    // kernel/trace/ring_buffer.c: rb_allocate_cpu_buffer
    /// <summary>One CPU's ring: nr_pages pages and the reader page, empty, head and tail on the first.</summary>
    private static ring_buffer_per_cpu rb_allocate_cpu_buffer(int nr_pages, int cpu)
    {
        // not ported: INIT_WORK, init_waitqueue_head, alloc_pages_node, page_address, kzalloc_node, free_buffer_page, rb_allocate_pages, rb_check_bpage, rb_init_page — the reader page and the nr_pages pages are allocated at once, as one array (ring_buffer_per_cpu's constructor, see the departure above); no reader wait queue or work
        // not ported: the irq_work for waiters
        return new ring_buffer_per_cpu(cpu, nr_pages);
    }

    // kernel/trace/ring_buffer.c: rb_calculate_event_length
    /// <summary>Bytes an event with <paramref name="length"/> bytes of data takes: its header plus the data, 4-byte aligned.</summary>
    public static int rb_calculate_event_length(int length)
    {
        return (RB_EVNT_HDR_SIZE + length + RB_ALIGNMENT - 1) & ~(RB_ALIGNMENT - 1);
    }

    // kernel/trace/ring_buffer.c: ring_buffer_lock_reserve
    /// <summary>
    /// Room for an event of <paramref name="length"/> data bytes on <paramref name="cpu"/>'s ring,
    /// at the tail page's commit, moving to the next page when this one is full (overwriting the
    /// oldest if the ring is); null when the event is larger than a page, as the kernel refuses it.
    /// The writer writes the event in place and may extend it (ring_buffer_event_extend) before
    /// ring_buffer_unlock_commit makes it part of the page.
    /// </summary>
    public static ring_buffer_event? ring_buffer_lock_reserve(trace_buffer buffer, int cpu, int length, long ts)
    {
        // not ported: rb_reserve_next_event — its steps (length, room on the tail page, rb_move_tail) are written out here
        // not ported: preempt_disable_notrace, preempt_enable_notrace, raw_smp_processor_id, trace_recursive_lock, trace_recursive_unlock — the caller passes the CPU; a writer is never interrupted or re-entered (see the file header)
        var cpu_buffer = buffer.buffers[cpu];
        var event_length = rb_calculate_event_length(length);
        if (event_length > BUF_PAGE_SIZE)
        {
            return null;
        }

        var tail = cpu_buffer.pages[cpu_buffer.tail_page];
        if (tail.commit + event_length > BUF_PAGE_SIZE)
        {
            tail = rb_move_tail(cpu_buffer, ts);
        }

        if (tail.commit == 0)
        {
            tail.time_stamp = ts;
        }

        // departure: the tail page's commit moves when the event is committed, not here: with one
        // writer that is never interrupted nothing else writes the page meanwhile, and the event's
        // length can still grow (its dynamic fields are written as they come, see trace_events.cs)
        var at = tail.start + tail.commit + RB_EVNT_HDR_SIZE;
        return new ring_buffer_event(tail.page, at, length, BUF_PAGE_SIZE - tail.commit - RB_EVNT_HDR_SIZE);
    }

    /// <summary>
    /// The reserved (not yet committed) event needs <paramref name="length"/> data bytes, more than
    /// the tail page has left (the writer grows an event in place itself while it fits): it moves
    /// to the next page (the tail moves, overwriting the oldest page if the ring is full) with the
    /// bytes written so far; null when the event would be larger than a page (the event is dropped
    /// and the tail stays).
    /// </summary>
    [KernelNet.Annotations.NotInLinux("the simulation's growth of a reserved event whose dynamic fields are written before their total length is known (TRACE_EVENT computes it first, trace_event_get_offsets)")]
    public static ring_buffer_event? ring_buffer_event_extend(trace_buffer buffer, int cpu, ring_buffer_event @event, int length, long ts)
    {
        if (rb_calculate_event_length(length) > BUF_PAGE_SIZE)
        {
            return null;
        }

        var moved = rb_move_tail(buffer.buffers[cpu], ts);
        var at = moved.start + RB_EVNT_HDR_SIZE;
        @event.page.AsSpan(@event.offset, @event.length).CopyTo(moved.page.AsSpan(at, @event.length));
        return new ring_buffer_event(moved.page, at, length, BUF_PAGE_SIZE - RB_EVNT_HDR_SIZE);
    }

    // kernel/trace/ring_buffer.c: ring_buffer_unlock_commit
    /// <summary>Makes the reserved event part of the tail page: its header written, the page's commit moved past it, counted in the CPU's entries and bytes.</summary>
    public static void ring_buffer_unlock_commit(trace_buffer buffer, int cpu, ring_buffer_event @event)
    {
        // not ported: preempt_enable_notrace, raw_smp_processor_id, trace_recursive_unlock, rb_commit — the commit is the header and the counters updated below (no nested commits)
        // not ported: rb_wakeups — no reader waits on the buffer in the simulation
        var cpu_buffer = buffer.buffers[cpu];
        var tail = cpu_buffer.pages[cpu_buffer.tail_page];
        var event_length = rb_calculate_event_length(@event.length);
        BinaryPrimitives.WriteInt32LittleEndian(@event.page.AsSpan(@event.offset - RB_EVNT_HDR_SIZE, RB_EVNT_HDR_SIZE), @event.length);
        tail.commit += event_length;
        tail.entries++;
        cpu_buffer.entries++;
        cpu_buffer.entries_bytes += event_length;
    }

    // kernel/trace/ring_buffer.c: rb_move_tail
    /// <summary>The tail page is full: the writer moves to the next page, pushing the head on when it is there.</summary>
    private static buffer_page rb_move_tail(ring_buffer_per_cpu cpu_buffer, long ts)
    {
        // not ported: rb_end_commit, rb_tail_page_update — no nested commits (see the file header): the tail moves by index
        // not ported: rb_reset_tail's padding event for the rest of the old page — a reader stops at the page's commit
        var next = (cpu_buffer.tail_page + 1) % cpu_buffer.pages.Length;
        if (next == cpu_buffer.head_page)
        {
            rb_handle_head_page(cpu_buffer);
        }

        cpu_buffer.tail_page = next;
        var page = cpu_buffer.pages[next];
        page.commit = 0;
        page.entries = 0;
        page.time_stamp = ts;
        return page;
    }

    // kernel/trace/ring_buffer.c: rb_handle_head_page
    /// <summary>Overwrite mode: the head page's events are lost (counted as overrun) and the head moves to the next page.</summary>
    private static void rb_handle_head_page(ring_buffer_per_cpu cpu_buffer)
    {
        // not ported: RB_WARN_ON — a warning on a corrupted list; the array cannot be
        // not ported: rb_page_commit, rb_page_entries — the head page's commit and entries fields are read directly
        var head = cpu_buffer.pages[cpu_buffer.head_page];
        cpu_buffer.overrun += head.entries;
        cpu_buffer.entries_bytes -= head.commit;
        cpu_buffer.head_page = (cpu_buffer.head_page + 1) % cpu_buffer.pages.Length;
    }

    // kernel/trace/ring_buffer.c: rb_num_of_entries
    /// <summary>Events the CPU's ring holds now: committed less overwritten less consumed.</summary>
    private static long rb_num_of_entries(ring_buffer_per_cpu cpu_buffer)
    {
        return cpu_buffer.entries - (cpu_buffer.overrun + cpu_buffer.read);
    }

    // kernel/trace/ring_buffer.c: ring_buffer_entries_cpu
    /// <summary>per_cpu/cpuN/stats "entries": events in the CPU's ring.</summary>
    public static long ring_buffer_entries_cpu(trace_buffer buffer, int cpu) => rb_num_of_entries(buffer.buffers[cpu]);

    // kernel/trace/ring_buffer.c: ring_buffer_overrun_cpu
    /// <summary>per_cpu/cpuN/stats "overrun": events lost by overwriting.</summary>
    public static long ring_buffer_overrun_cpu(trace_buffer buffer, int cpu) => buffer.buffers[cpu].overrun;

    // kernel/trace/ring_buffer.c: ring_buffer_commit_overrun_cpu
    /// <summary>per_cpu/cpuN/stats "commit overrun".</summary>
    public static long ring_buffer_commit_overrun_cpu(trace_buffer buffer, int cpu) => buffer.buffers[cpu].commit_overrun;

    // kernel/trace/ring_buffer.c: ring_buffer_dropped_events_cpu
    /// <summary>per_cpu/cpuN/stats "dropped events".</summary>
    public static long ring_buffer_dropped_events_cpu(trace_buffer buffer, int cpu) => buffer.buffers[cpu].dropped_events;

    // kernel/trace/ring_buffer.c: ring_buffer_read_events_cpu
    /// <summary>per_cpu/cpuN/stats "read events".</summary>
    public static long ring_buffer_read_events_cpu(trace_buffer buffer, int cpu) => buffer.buffers[cpu].read;

    // kernel/trace/ring_buffer.c: ring_buffer_bytes_cpu
    /// <summary>per_cpu/cpuN/stats "bytes": bytes of events the ring holds, not yet consumed.</summary>
    public static long ring_buffer_bytes_cpu(trace_buffer buffer, int cpu)
    {
        var cpu_buffer = buffer.buffers[cpu];
        return cpu_buffer.entries_bytes - cpu_buffer.read_bytes;
    }

    // kernel/trace/ring_buffer.c: ring_buffer_oldest_event_ts
    /// <summary>The time stamp of the head page: the oldest event the ring still holds (0 when it never held any).</summary>
    public static long ring_buffer_oldest_event_ts(trace_buffer buffer, int cpu)
    {
        // not ported: rb_set_head_page — the head page index is current (no concurrent writer moves it)
        var cpu_buffer = buffer.buffers[cpu];
        return cpu_buffer.pages[cpu_buffer.head_page].time_stamp;
    }

    // kernel/trace/ring_buffer.c: ring_buffer_entries
    /// <summary>Events held by all CPUs' rings.</summary>
    public static long ring_buffer_entries(trace_buffer buffer)
    {
        long entries = 0;
        for (var cpu = 0; cpu < buffer.buffers.Length; cpu++)
        {
            entries += rb_num_of_entries(buffer.buffers[cpu]);
        }

        return entries;
    }

    // kernel/trace/ring_buffer.c: ring_buffer_overruns
    /// <summary>Events lost by overwriting, all CPUs.</summary>
    public static long ring_buffer_overruns(trace_buffer buffer)
    {
        long overruns = 0;
        for (var cpu = 0; cpu < buffer.buffers.Length; cpu++)
        {
            overruns += buffer.buffers[cpu].overrun;
        }

        return overruns;
    }

    // kernel/trace/ring_buffer.c: rb_reset_cpu
    /// <summary>Empties the CPU's ring and zeroes its counters, as writing the trace file does.</summary>
    private static void rb_reset_cpu(ring_buffer_per_cpu cpu_buffer)
    {
        // not ported: rb_clear_buffer_page, rb_time_set — the pages' fields are cleared in the loop; there are no before/write stamps (timestamps live in the records, see the departure above)
        foreach (var page in cpu_buffer.pages)
        {
            page.commit = 0;
            page.entries = 0;
            page.time_stamp = 0;
        }

        cpu_buffer.head_page = 0;
        cpu_buffer.tail_page = 0;
        cpu_buffer.entries = 0;
        cpu_buffer.entries_bytes = 0;
        cpu_buffer.overrun = 0;
        cpu_buffer.commit_overrun = 0;
        cpu_buffer.dropped_events = 0;
        cpu_buffer.read = 0;
        cpu_buffer.read_bytes = 0;
    }

    // kernel/trace/ring_buffer.c: ring_buffer_reset_online_cpus
    /// <summary>Resets every CPU's ring.</summary>
    public static void ring_buffer_reset_online_cpus(trace_buffer buffer)
    {
        // not ported: reset_disabled_cpu_buffer, synchronize_rcu — no writer can be in flight while the reset runs: each buffer is reset directly
        foreach (var cpu_buffer in buffer.buffers)
        {
            rb_reset_cpu(cpu_buffer);
        }
    }

    /// <summary>
    /// The committed events of <paramref name="cpu"/>'s ring, oldest first, as the trace file's
    /// iterator walks them (ring_buffer_iter_peek / rb_iter_next without consuming): calls
    /// <paramref name="visit"/> with each event's data.
    /// </summary>
    [KernelNet.Annotations.NotInLinux("the simulation's non-consuming iterator: ring_buffer_read_start + ring_buffer_iter_peek/rb_advance_iter in one loop")]
    public static void for_each_event<TState>(trace_buffer buffer, int cpu, TState state, ring_buffer_visit<TState> visit)
    {
        var cpu_buffer = buffer.buffers[cpu];
        var p = cpu_buffer.head_page;
        while (true)
        {
            var page = cpu_buffer.pages[p];
            var at = 0;
            while (at < page.commit)
            {
                var length = BinaryPrimitives.ReadInt32LittleEndian(page.page.AsSpan(page.start + at, RB_EVNT_HDR_SIZE));
                visit(state, page.page.AsSpan(page.start + at + RB_EVNT_HDR_SIZE, length));
                at += rb_calculate_event_length(length);
            }

            if (p == cpu_buffer.tail_page)
            {
                return;
            }

            p = (p + 1) % cpu_buffer.pages.Length;
        }
    }
}

/// <summary>A visitor of one event's data.</summary>
public delegate void ring_buffer_visit<TState>(TState state, ReadOnlySpan<byte> data);
