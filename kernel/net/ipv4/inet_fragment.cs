// Ports net/ipv4/inet_fragment.c: the fragment queues IPv4 reassembly (and,
// in C, IPv6's) is built on — finding or making a queue, inserting a
// fragment among the "runs" of adjacent ones, killing and destroying a
// queue, and turning a complete queue into one skb whose fragments hang on
// its frag_list (inet_frag_reasm_prepare/_finish).
//
// departure: rb_fragments is a list of run heads sorted by offset instead of
// an rbtree (include/net/inet_frag.h): the binary search in
// inet_frag_queue_insert makes the decisions the tree descent makes, and an
// skb is "in the tree" when it is in that list. The skb handling — the
// clone and morph of the head, the consume of the old head, the frag_list
// chaining — is the kernel's.
// not ported: inet_frags_init/fini and fqdir_exit (no slab caches, no
// namespace teardown), RCU (one thread), moving a socket's wmem charge to
// the reassembled skb (only received fragments are reassembled here).
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Kernel.Time;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Include.Net.inet_frag_h;
using static KernelNet.Kernel.Kernel.Time.timer_c;
using static KernelNet.Kernel.Net.Core.skbuff_c;

namespace KernelNet.Kernel.Net.Ipv4;

/// <summary>
/// struct ipfrag_skb_cb: a queued fragment's skb->cb — the IPv4 control
/// block (FRAG_CB overlays IPCB), the next skb of its run, the run's length
/// (kept by the run's head) and the fragment's offset in the datagram.
/// </summary>
internal sealed class ipfrag_skb_cb : inet_skb_parm
{
    /// <summary>The fragment fields zero (the IPv4 part is copied in by FRAG_CB).</summary>
    [KernelNet.Annotations.NotInLinux("the fragment fields of struct ipfrag_skb_cb within skb->cb, zeroed field by field")]
    internal void memset_frag()
    {
        next_frag = null;
        frag_run_len = 0;
        ip_defrag_offset = 0;
    }

    /// <inheritdoc/>
    [KernelNet.Annotations.NotInLinux("C# copy of FRAG_CB(skb): C copies skb->cb with memcpy")]
    [KernelNet.Annotations.Borrows("to")]
    public override ISkbControlBlock copy_to(sk_buff to)
    {
        var c = to.cb_view<ipfrag_skb_cb>();
        c.copy_h4_from(this);
        c.next_frag = next_frag;
        c.frag_run_len = frag_run_len;
        c.ip_defrag_offset = ip_defrag_offset;
        return c;
    }

    /// <summary>The next fragment of this run; null at the run's tail.</summary>
    public sk_buff? next_frag { get; set; }

    /// <summary>At a run's head: the sum of the lengths of the run's fragments.</summary>
    public int frag_run_len { get; set; }

    public int ip_defrag_offset { get; set; }
}

/// <summary>
/// What inet_frag_reasm_prepare hands inet_frag_reasm_finish (a struct
/// sk_buff ** in C): the link the next fragment is chained on — the head's
/// frag_list, or the next of the last skb chained.
/// </summary>
internal sealed class reasm_nextp
{
    private sk_buff? _frag_list_of;
    private sk_buff? _next_of;

    /// <summary>nextp = &amp;skb_shinfo(head)->frag_list.</summary>
    [KernelNet.Annotations.NotInLinux("C# stand-in for &skb_shinfo(head)->frag_list as a struct sk_buff **")]
    [KernelNet.Annotations.Borrows("head")]
    public reasm_nextp at_frag_list(sk_buff head)
    {
        _frag_list_of = head;
        _next_of = null;
        return this;
    }

    /// <summary>nextp = &amp;skb->next.</summary>
    [KernelNet.Annotations.NotInLinux("C# stand-in for &skb->next as a struct sk_buff **")]
    [KernelNet.Annotations.Borrows("skb")]
    public reasm_nextp at_next(sk_buff skb)
    {
        _frag_list_of = null;
        _next_of = skb;
        return this;
    }

    /// <summary>*nextp = fp.</summary>
    [KernelNet.Annotations.NotInLinux("C# stand-in for the store *nextp = fp")]
    [KernelNet.Annotations.Borrows("fp")]
    public void set(sk_buff? fp)
    {
        if (_frag_list_of is not null)
        {
            _frag_list_of.shinfo.frag_list = fp;
        }
        else
        {
            _next_of!.next = fp;
        }
    }
}

public static class inet_fragment_c
{
    // net/ipv4/inet_fragment.c: FRAG_CB
    /// <summary>The fragment view of skb->cb, keeping the IPv4 control block it overlays.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    internal static ipfrag_skb_cb FRAG_CB(sk_buff skb)
    {
        if (skb.cb_obj is not ipfrag_skb_cb cb)
        {
            var h4 = Include.Net.ip_h.IPCB(skb);
            cb = skb.cb_view<ipfrag_skb_cb>();
            cb.memset_frag();
            cb.copy_h4_from(h4);
            skb.cb_obj = cb;
        }

        return cb;
    }

    // net/ipv4/inet_fragment.c: fragcb_clear
    /// <summary>Makes <paramref name="skb"/> a run of one, not yet linked anywhere.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static void fragcb_clear(sk_buff skb)
    {
        FRAG_CB(skb).next_frag = null;
        FRAG_CB(skb).frag_run_len = skb.len;
    }

    // net/ipv4/inet_fragment.c: fragrun_append_to_last
    /// <summary>The fragment continues the last run exactly: it joins it.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static void fragrun_append_to_last(inet_frag_queue q, sk_buff skb)
    {
        fragcb_clear(skb);
        FRAG_CB(q.last_run_head!).frag_run_len += skb.len;
        FRAG_CB(q.fragments_tail!).next_frag = skb;
        q.fragments_tail = skb;
    }

    // net/ipv4/inet_fragment.c: fragrun_create
    /// <summary>The fragment starts a new run after all the others.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static void fragrun_create(inet_frag_queue q, sk_buff skb)
    {
        fragcb_clear(skb);

        // The rightmost node of the tree: the end of the sorted list.
        q.rb_fragments.Add(skb);
        q.fragments_tail = skb;
        q.last_run_head = skb;
    }

    /// <summary>
    /// ip_frag_ecn_table (net/ipv4/inet_fragment.c): from the ECN codepoints
    /// seen among the fragments, what to OR into the reassembled tos — CE if
    /// one had CE and the others were ECT — or 0xff for a mix RFC 3168 5.3
    /// forbids (not-ECT with ECT or CE): drop the datagram.
    /// </summary>
    public static System.ReadOnlySpan<byte> ip_frag_ecn_table => new byte[]
    {
        0, 0, 0, 0xff, 0, 0xff, 0, 0xff, 0, 0xff, 3, 0xff, 3, 0xff, 3, 0xff,
    };

    // net/ipv4/inet_fragment.c: fqdir_init
    /// <summary>A namespace's directory of queues for the protocol <paramref name="f"/>; the caller sets its sysctls.</summary>
    public static int fqdir_init(out fqdir fqdirp, inet_frags f, net net)
    {
        // not ported: kzalloc, kfree — the fqdir is a C# object (new), its rhashtable a dictionary that cannot fail to init
        fqdirp = new fqdir(f, net);
        return 0;
    }

    // net/ipv4/inet_fragment.c: inet_frag_kill
    /// <summary>
    /// Takes the queue out of service — timer stopped, unhashed, marked
    /// COMPLETE — adding to <paramref name="refs"/> the references the timer
    /// and the hash table held, for the caller's inet_frag_putn.
    /// </summary>
    public static void inet_frag_kill(inet_frag_queue fq, ref int refs)
    {
        if (timer_delete(fq.timer))
        {
            refs++;
        }

        if ((fq.flags & INET_FRAG_COMPLETE) == 0)
        {
            var fqdir = fq.fqdir;
            fq.flags |= INET_FRAG_COMPLETE;

            // rcu_read_lock: pairs with fqdir_pre_exit (not ported: never dead).
            if (!fqdir.dead)
            {
                fqdir.rhashtable.Remove(fq.key);
                refs++;
            }
            else
            {
                fq.flags |= INET_FRAG_HASH_DEAD;
            }
        }
    }

    // net/ipv4/inet_fragment.c: inet_frag_rbtree_purge
    /// <summary>Frees every queued fragment, run by run, with <paramref name="reason"/>; returns their truesize.</summary>
    private static uint inet_frag_rbtree_purge(inet_frag_queue q, skb_drop_reason reason)
    {
        uint sum = 0;
        foreach (var run in q.rb_fragments)
        {
            sk_buff? skb = run;
            while (skb is not null)
            {
                var next = FRAG_CB(skb).next_frag;
                sum += skb.truesize;
                kfree_skb_reason(skb, reason);
                skb = next;
            }
        }

        q.rb_fragments.Clear();
        return sum;
    }

    // net/ipv4/inet_fragment.c: inet_frag_queue_flush
    /// <summary>
    /// Frees every fragment the queue holds with <paramref name="reason"/>
    /// (FRAG_REASM_TIMEOUT when none is given) and gives their memory back to
    /// the namespace's fragment budget (as of 6.18.26: the stable backport
    /// that made ip_expire flush a dying namespace's queue).
    /// </summary>
    public static void inet_frag_queue_flush(inet_frag_queue q, skb_drop_reason reason)
    {
        if (reason == skb_drop_reason.SKB_NOT_DROPPED_YET)
        {
            reason = skb_drop_reason.SKB_DROP_REASON_FRAG_REASM_TIMEOUT;
        }

        var sum = inet_frag_rbtree_purge(q, reason);
        sub_frag_mem_limit(q.fqdir, sum);
    }

    // net/ipv4/inet_fragment.c: inet_frag_destroy
    /// <summary>
    /// The last reference to a killed queue went: what it still holds is
    /// freed — dropped (FRAG_REASM_TIMEOUT) if it timed out, else consumed —
    /// and its memory given back.
    /// </summary>
    public static void inet_frag_destroy(inet_frag_queue q)
    {
        // not ported: call_rcu — no RCU (one thread): inet_frag_destroy_rcu's work (the destructor, the free) is
        //   done at once
        System.Diagnostics.Debug.Assert((q.flags & INET_FRAG_COMPLETE) != 0);
        var reason = (q.flags & INET_FRAG_DROP) != 0 ? skb_drop_reason.SKB_DROP_REASON_FRAG_REASM_TIMEOUT : skb_drop_reason.SKB_CONSUMED;
        var pending = timer_delete(q.timer);
        System.Diagnostics.Debug.Assert(!pending);

        // Release all fragment data.
        var fqdir = q.fqdir;
        var f = fqdir.f;
        var sum_truesize = inet_frag_rbtree_purge(q, reason);
        var sum = sum_truesize + f.qsize;

        // call_rcu(inet_frag_destroy_rcu): the protocol's destructor, then the queue goes.
        f.destructor?.Invoke(q);
        sub_frag_mem_limit(fqdir, sum);
    }

    // net/ipv4/inet_fragment.c: inet_frag_alloc
    /// <summary>A new queue holding two references: the timer's and the hash table's.</summary>
    private static inet_frag_queue inet_frag_alloc(fqdir fqdir, inet_frags f, frag_v4_compare_key arg)
    {
        // not ported: kmem_cache_zalloc — the protocol's frags_cachep makes the C# object (ipq); timer_setup —
        //   written out: a timer_list with frag_expire and the queue as owner
        var q = f.frags_cachep();
        q.fqdir = fqdir;
        f.constructor(q, arg);
        add_frag_mem_limit(fqdir, f.qsize);
        q.timer = new timer_list(f.frag_expire) { owner = q };
        q.refcnt = 2;
        return q;
    }

    // net/ipv4/inet_fragment.c: inet_frag_create
    /// <summary>Makes the queue, starts its timeout (fqdir->timeout) and hashes it.</summary>
    private static inet_frag_queue inet_frag_create(fqdir fqdir, frag_v4_compare_key arg)
    {
        // not ported: inet_frag_kill, inet_frag_putn — the lost race of rhashtable_lookup_get_insert_key: one
        //   thread, so the insert always wins
        var f = fqdir.f;
        var q = inet_frag_alloc(fqdir, f, arg);
        mod_timer(fqdir.net.k, q.timer, fqdir.net.k.jiffies + (ulong)fqdir.timeout);

        // rhashtable_lookup_get_insert_key cannot race with another CPU here: the insert always wins.
        fqdir.rhashtable.Add(q.key, q);
        return q;
    }

    // net/ipv4/inet_fragment.c: inet_frag_find
    /// <summary>The queue for <paramref name="key"/>, made if new; null when the fragments already queued hold more than high_thresh.</summary>
    public static inet_frag_queue? inet_frag_find(fqdir fqdir, frag_v4_compare_key key)
    {
        var high_thresh = fqdir.high_thresh;
        if (high_thresh == 0 || frag_mem_limit(fqdir) > high_thresh)
        {
            return null;
        }

        if (fqdir.rhashtable.TryGetValue(key, out var prev))
        {
            return prev;
        }

        return inet_frag_create(fqdir, key);
    }

    // net/ipv4/inet_fragment.c: inet_frag_queue_insert
    /// <summary>
    /// Puts the fragment [<paramref name="offset"/>, <paramref name="end"/>)
    /// in its place: usually at the end (joining the last run when adjacent),
    /// else by binary search among the runs. IPFRAG_DUP when it lies wholly
    /// inside what a run already has, IPFRAG_OVERLAP when it overlaps part
    /// of it (RFC 5722: the whole datagram is then dropped).
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static int inet_frag_queue_insert(inet_frag_queue q, sk_buff skb, int offset, int end)
    {
        // not ported: rb_to_skb — the run heads are the sorted list's skbs (the header's departure)
        var last = q.fragments_tail;

        if (last is null)
        {
            fragrun_create(q, skb); // First fragment.
        }
        else if (FRAG_CB(last).ip_defrag_offset + last.len < end)
        {
            if (offset < FRAG_CB(last).ip_defrag_offset + last.len)
            {
                return IPFRAG_OVERLAP;
            }

            if (offset == FRAG_CB(last).ip_defrag_offset + last.len)
            {
                fragrun_append_to_last(q, skb);
            }
            else
            {
                fragrun_create(q, skb);
            }
        }
        else
        {
            var lo = 0;
            var hi = q.rb_fragments.Count;
            while (lo < hi)
            {
                var mid = (lo + hi) / 2;
                var curr = q.rb_fragments[mid];
                var curr_run_end = FRAG_CB(curr).ip_defrag_offset + FRAG_CB(curr).frag_run_len;
                if (end <= FRAG_CB(curr).ip_defrag_offset)
                {
                    hi = mid;
                }
                else if (offset >= curr_run_end)
                {
                    lo = mid + 1;
                }
                else if (offset >= FRAG_CB(curr).ip_defrag_offset && end <= curr_run_end)
                {
                    return IPFRAG_DUP;
                }
                else
                {
                    return IPFRAG_OVERLAP;
                }
            }

            fragcb_clear(skb);
            q.rb_fragments.Insert(lo, skb);
        }

        FRAG_CB(skb).ip_defrag_offset = offset;

        // As of 6.18.26: a fragment past the first lets its conntrack go; the datagram keeps the first's.
        if (offset != 0)
        {
            nf_reset_ct(skb);
        }

        return IPFRAG_OK;
    }

    // net/ipv4/inet_fragment.c: inet_frag_reasm_prepare
    /// <summary>
    /// Readies the queue for reassembly into <paramref name="skb"/>, the
    /// fragment that completed it (the caller keeps its pointer). If it is
    /// not the first fragment, a clone takes its place in the queue, skb is
    /// morphed into the first fragment (head) and the old head consumed.
    /// <paramref name="parent"/> is the queue's tail before skb came: skb's
    /// predecessor in its run when skb is not a run's head. Returns where to
    /// chain the other fragments (the head's frag_list), or null.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    [KernelNet.Annotations.Borrows("parent")]
    public static object? inet_frag_reasm_prepare(inet_frag_queue q, sk_buff skb, sk_buff? parent)
    {
        // not ported: skb_rb_first — the first run head is rb_fragments[0] (the header's departure);
        //   is_skb_wmem — a socket's wmem charge is not moved: only received fragments are reassembled (the header)
        var head = q.rb_fragments[0];
        reasm_nextp? nextp = null;

        if (head != skb)
        {
            var fp = skb_clone(skb);
            if (fp is null)
            {
                head = skb;
                goto out_restore_sk;
            }

            FRAG_CB(fp).next_frag = FRAG_CB(skb).next_frag;
            var at = q.rb_fragments.IndexOf(skb);
            if (at < 0)
            {
                FRAG_CB(parent!).next_frag = fp;
            }
            else
            {
                q.rb_fragments[at] = fp;
            }

            if (q.fragments_tail == skb)
            {
                q.fragments_tail = fp;
            }

            skb_morph(skb, head);
            FRAG_CB(skb).next_frag = FRAG_CB(head).next_frag;
            q.rb_fragments[0] = skb;
            consume_skb(head);
            head = skb;
        }

        System.Diagnostics.Debug.Assert(FRAG_CB(head).ip_defrag_offset == 0);

        var delta = -(long)head.truesize;

        if (skb_unclone(head) != 0)
        {
            goto out_restore_sk;
        }

        delta += head.truesize;
        if (delta != 0)
        {
            add_frag_mem_limit(q.fqdir, delta);
        }

        if (skb_has_frag_list(head))
        {
            var clone = alloc_skb(head.k, 0);
            if (clone is null)
            {
                goto out_restore_sk;
            }

            clone.shinfo.frag_list = head.shinfo.frag_list;
            skb_frag_list_init(head);

            // The head keeps its page frags: the clone carries only the frag_list's bytes.
            var plen = 0;
            for (var i = 0; i < head.shinfo.nr_frags; i++)
            {
                plen += skb_frag_size(head.shinfo.frags[i]);
            }

            clone.data_len = head.data_len - plen;
            clone.len = clone.data_len;
            head.truesize += clone.truesize;
            clone.ip_summed = head.ip_summed;
            add_frag_mem_limit(q.fqdir, clone.truesize);
            head.shinfo.frag_list = clone;
            nextp = new reasm_nextp().at_next(clone);
        }
        else
        {
            nextp = new reasm_nextp().at_frag_list(head);
        }

    out_restore_sk:
        return nextp;
    }

    // net/ipv4/inet_fragment.c: inet_frag_reasm_finish
    /// <summary>
    /// Chains every other fragment, in order, on the head's frag_list (or
    /// copies a small one into the head's tailroom when
    /// <paramref name="try_coalesce"/>), growing the head's len, data_len and
    /// truesize by theirs; the data goes back to the IP header. The queue is
    /// left empty and its memory given back.
    /// </summary>
    [KernelNet.Annotations.Borrows("head")]
    public static void inet_frag_reasm_finish(inet_frag_queue q, sk_buff head, object reasm_data, bool try_coalesce)
    {
        // not ported: rb_to_skb — the run heads are the sorted list's skbs; csum_add — a CHECKSUM_COMPLETE
        //   head would add each fragment's csum: skb->csum is not kept; is_skb_wmem — only received fragments are reassembled
        //   (the header)
        var nextp = (reasm_nextp)reasm_data;

        skb_push(head, head.data - skb_network_header(head));

        var fp = FRAG_CB(head).next_frag;
        q.rb_fragments.RemoveAt(0);
        var rbn = 0;

        var sum_truesize = head.truesize;
        while (rbn < q.rb_fragments.Count || fp is not null)
        {
            // walk the fragments in order; each run's members follow its first
            // Go through the current run.
            while (fp is not null)
            {
                var next_frag = FRAG_CB(fp).next_frag;
                sum_truesize += fp.truesize;
                // A CHECKSUM_COMPLETE head would add fp->csum: skb->csum is not modelled.
                if (head.ip_summed != fp.ip_summed)
                {
                    head.ip_summed = CHECKSUM_NONE;
                }

                if (try_coalesce && skb_try_coalesce(head, fp, out var stolen, out _))
                {
                    kfree_skb_partial(fp, stolen);
                }
                else
                {
                    reasm_chain(head, fp, nextp);
                }

                fp = next_frag;
            }

            // Move to the next run.
            if (rbn < q.rb_fragments.Count)
            {
                fp = q.rb_fragments[rbn++];
            }
        }

        q.rb_fragments.Clear();
        sub_frag_mem_limit(q.fqdir, sum_truesize);

        nextp.set(null);
        skb_mark_not_on_list(head);
        head.prev = null;
        head.tstamp = q.stamp;
    }

    /// <summary>The else branch of inet_frag_reasm_finish's loop: fp joins the frag_list as it is, its data not copied.</summary>
    [KernelNet.Annotations.NotInLinux("C# stand-in for the struct sk_buff **nextp pointer-to-pointer of inet_frag_reasm_*")]
    [KernelNet.Annotations.Borrows("head")]
    [KernelNet.Annotations.Borrows("fp")]
    private static void reasm_chain(sk_buff head, sk_buff fp, reasm_nextp nextp)
    {
        fp.prev = null;
        fp.sk = null;
        head.data_len += fp.len;
        head.len += fp.len;
        head.truesize += fp.truesize;
        nextp.set(fp);
        nextp.at_next(fp);
    }

    // net/ipv4/inet_fragment.c: inet_frag_pull_head
    /// <summary>Takes the first fragment out of the queue (a timed-out queue's head, for the ICMP error).</summary>
    public static sk_buff? inet_frag_pull_head(inet_frag_queue q)
    {
        // not ported: skb_rb_first — the first run head is rb_fragments[0] (the header's departure)
        if (q.rb_fragments.Count == 0)
        {
            return null;
        }

        var head = q.rb_fragments[0];
        var skb = FRAG_CB(head).next_frag;
        if (skb is not null)
        {
            q.rb_fragments[0] = skb;
        }
        else
        {
            q.rb_fragments.RemoveAt(0);
        }

        if (head == q.fragments_tail)
        {
            q.fragments_tail = null;
        }

        sub_frag_mem_limit(q.fqdir, head.truesize);
        return head;
    }
}
