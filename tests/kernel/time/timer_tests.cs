using System.Collections.Generic;
using System.Threading.Tasks;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Kernel.Time;
using KernelNet.Tests.Support;
using Xunit;
using static KernelNet.Kernel.Kernel.Time.timer_c;

namespace KernelNet.Tests.Kernel.Time;

public sealed class timer_tests
{
    private const long NsPerJiffy = 4_000_000;

    /// <summary>Arms a timer <paramref name="delta"/> jiffies ahead from a task at t=0 and returns when it fired, in jiffies from arming.</summary>
    private static long FireDelay(ulong delta)
    {
        var rig = new KernelRig();
        long firedAt = -1;
        ulong armedAt = 0;
        rig.Machine.CreateTask("armer", 0, _ =>
        {
            armedAt = rig.K.jiffies;
            var t = new timer_list(_ => firedAt = (long)(rig.K.jiffies - armedAt));
            mod_timer(rig.K, t, rig.K.jiffies + delta);
            return Task.CompletedTask;
        });

        rig.Run(60_000_000_000);
        return firedAt;
    }

    // Level 0 has one-jiffy buckets, but the wheel rounds up by one bucket
    // so that a timer never fires early (calc_index).
    [Theory]
    [InlineData(1UL, 2L)]
    [InlineData(10UL, 11L)]
    [InlineData(62UL, 63L)]
    public void level_0_timers_fire_one_jiffy_after_their_expiry(ulong delta, long fired)
    {
        Assert.Equal(fired, FireDelay(delta));
    }

    // 250 jiffies (1 s, the ARP retransmit time) lands in level 1, 8-jiffy
    // buckets; 30 s (7500) in level 3, 512-jiffy buckets: each fires at its
    // bucket's edge, late by up to the granularity, never early.
    [Theory]
    [InlineData(250UL, 8L)]
    [InlineData(3000UL, 64L)]
    [InlineData(7500UL, 512L)]
    public void farther_timers_fire_at_their_levels_granularity_never_early(ulong delta, long granularity)
    {
        var fired = FireDelay(delta);
        Assert.InRange(fired, (long)delta + 1, (long)delta + granularity);
    }

    [Fact]
    public void a_deleted_timer_does_not_fire()
    {
        var rig = new KernelRig();
        var fired = false;
        rig.Machine.CreateTask("armer", 0, _ =>
        {
            var t = new timer_list(_ => fired = true);
            mod_timer(rig.K, t, rig.K.jiffies + 5);
            Assert.True(timer_delete(t));
            return Task.CompletedTask;
        });

        rig.Run(1_000_000_000);

        Assert.False(fired);
    }

    // issue 16: timers link into their bucket intrusively (timer_list.entry, an hlist_node). Three
    // timers in one bucket: deleting the middle one unlinks it alone; when the bucket expires, the
    // first to run deletes a third still waiting on the expiry list (detach_timer from that list:
    // it does not run) and re-arms itself into the bucket now being emptied, which fires later.
    [Fact]
    public void timers_sharing_a_bucket_unlink_alone_even_from_the_expiry_list()
    {
        var rig = new KernelRig();
        var order = new List<string>();
        rig.Machine.CreateTask("armer", 0, _ =>
        {
            var at = rig.K.jiffies + 5;
            timer_list? x = null, z = null;
            var y = new timer_list(_ => order.Add("y"));
            z = new timer_list(_ => order.Add("z"));
            var rearmed = false;
            x = new timer_list(_ =>
            {
                order.Add("x");
                if (!rearmed)
                {
                    rearmed = true;
                    order.Add($"deleted z: {timer_delete(z!)}, again: {timer_delete(z!)}");
                    mod_timer(rig.K, x!, rig.K.jiffies + 3);
                }
            });

            // added at the head of the bucket: z, y, x expire in the order x, y, z
            mod_timer(rig.K, z, at);
            mod_timer(rig.K, y, at);
            mod_timer(rig.K, x, at);
            var w = new timer_list(_ => order.Add("w"));
            mod_timer(rig.K, w, at);
            Assert.True(timer_delete(w));
            Assert.False(timer_delete(w));
            return Task.CompletedTask;
        });

        rig.Run(1_000_000_000);

        Assert.Equal(new[] { "x", "deleted z: True, again: False", "y", "x" }, order);
    }

    [Fact]
    public void timers_run_in_the_timer_softirq_in_expiry_order()
    {
        var rig = new KernelRig();
        var order = new List<string>();
        rig.K.trace.set_event("irq:softirq_entry");
        rig.Machine.CreateTask("armer", 0, _ =>
        {
            mod_timer(rig.K, new timer_list(_ => order.Add("late")), rig.K.jiffies + 20);
            mod_timer(rig.K, new timer_list(_ => order.Add("early")), rig.K.jiffies + 3);
            return Task.CompletedTask;
        });

        rig.Run(1_000_000_000);

        Assert.Equal(new[] { "early", "late" }, order);
        Assert.All(rig.K.trace.entries, e => Assert.Equal("vec=1 [action=TIMER]", e.Text));
    }
    // issue 16: a busy CPU re-programs its tick every jiffy while a far timer waits; the
    // local APIC holds one deadline, so the pending interrupts never pile up behind it.
    [Fact]
    public void re_programming_the_tick_every_jiffy_leaves_one_pending_timer_interrupt()
    {
        var rig = new KernelRig();
        var farFired = 0;
        var shortRuns = 0;
        rig.Machine.CreateTask("armer", 0, _ =>
        {
            mod_timer(rig.K, new timer_list(_ => farFired++), rig.K.jiffies + 7500);
            timer_list? shortTimer = null;
            shortTimer = new timer_list(_ =>
            {
                if (++shortRuns < 200)
                {
                    mod_timer(rig.K, shortTimer!, rig.K.jiffies + 1);
                }
            });
            mod_timer(rig.K, shortTimer, rig.K.jiffies + 1);
            return Task.CompletedTask;
        });

        rig.Run(2_000_000_000);
        Assert.Equal(200, shortRuns);
        Assert.InRange(rig.Machine.PendingInterruptCount(0), 0, 1);

        rig.Run(40_000_000_000);
        Assert.Equal(1, farFired);
    }
}
