using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using KernelNet.Kernel;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using Xunit;

namespace KernelNet.OracleTests;

/// <summary>
/// The simulated echo_load's thread start and end (SimEchoLoad.StartThread) on one CPU, read from the
/// simulation's own sched_switch and sched_waking events, as the recording of epoll-vs-threads shows
/// them for .NET's Thread.Start on Linux.
/// </summary>
public sealed class SimEchoLoadTests
{
    private const long Ms = 1_000_000;

    private static (Vmlinux K, global::KernelNet.Machine.Machine M, SyscallTable S) Rig()
    {
        var machine = new global::KernelNet.Machine.Machine(new Simulator(), 1);
        var k = Boot.Start(machine);
        Assert.Equal(0, k.trace.set_event("sched:sched_switch"));
        Assert.Equal(0, k.trace.set_event("sched:sched_waking"));
        return (k, machine, new SyscallTable(k));
    }

    /// <summary>"creator S > thread", "thread wakes creator": the creator's and the thread's events in order.</summary>
    private static List<string> Events(Vmlinux k) =>
        k.trace.entries.Where(e => e.Event is "sched_switch" or "sched_waking")
            .Select(e => e.Event == "sched_waking"
                ? $"{e.Comm} wakes {Field(e.Text, "comm=")}"
                : $"{Field(e.Text, "prev_comm=")} {Field(e.Text, "prev_state=")} > {Field(e.Text, "next_comm=")}")
            .Where(s => s.StartsWith("creator", StringComparison.Ordinal) || s.StartsWith("thread", StringComparison.Ordinal))
            .ToList();

    private static string Field(string text, string name)
    {
        var i = text.IndexOf(name, StringComparison.Ordinal) + name.Length;
        var end = text.IndexOf(' ', i);
        return end < 0 ? text[i..] : text[i..end];
    }

    [Fact]
    public void a_creator_that_preempts_its_new_thread_at_the_start_signal_sleeps_again_on_the_start_mutex_the_thread_holds()
    {
        var (k, machine, syscalls) = Rig();
        SimTask? creator = null;
        var ran = false;
        creator = syscalls.Spawn("creator", 0, k.init_net, async libc =>
        {
            Assert.NotNull(await SimEchoLoad.StartThread(libc, body => syscalls.SpawnThread(creator!, "thread", 0, body), _ =>
            {
                ran = true;
                return Task.CompletedTask;
            }));
        });
        machine.Run(10 * Ms);
        Assert.True(ran);
        var events = Events(k);
        // the start condition's wait, the signal preempting the thread, the mutex's wait, the unlock's
        // wake preempting it again, the creator's sched_yield: what the recording shows for every start
        Assert.True(events.Take(7).SequenceEqual([
            "creator S > thread", "thread wakes creator", "thread R > creator",
            "creator S > thread", "thread wakes creator", "thread R > creator",
            "creator R > thread"]), string.Join("\n", events));
    }

    [Fact]
    public void a_thread_that_ends_while_its_creator_is_still_in_thread_start_sleeps_until_the_creator_lets_the_monitor_go()
    {
        // a creator that cannot run while the thread runs its body (the thread, once resumed, outruns its
        // yielding creator): the thread's end waits on the Thread object's monitor Thread.Start still holds
        var (k, machine, syscalls) = Rig();
        SimTask? creator = null;
        creator = syscalls.Spawn("creator", 0, k.init_net, async libc =>
        {
            Assert.NotNull(await SimEchoLoad.StartThread(libc, body => syscalls.SpawnThread(creator!, "thread", 0, body), _ => Task.CompletedTask));
        });
        machine.Run(10 * Ms);
        var events = Events(k);
        var yielded = events.IndexOf("creator R > thread");
        Assert.True(yielded >= 0, string.Join("\n", events));
        Assert.True(events.Skip(yielded).Take(3).SequenceEqual([
            "creator R > thread", "thread S > creator", "creator wakes thread"]), string.Join("\n", events));
        Assert.Contains("thread X > creator", events.Skip(yielded + 3));
    }
}
