using System.Collections.Generic;
using KernelNet.Scenarios.Oracle;
using Xunit;

namespace KernelNet.OracleTests;

/// <summary>The switches level: an echo_load step's server context switches per request, counted from sched_switch.</summary>
public class SwitchesLevelTests
{
    // two server tasks (pids 11 and 12) and a client (pid 20): only switches that take a server task off the CPU count
    private const string Trace = """
        # tracer: nop
                   kn-b-11      [000] d..2.   1.000001: sched_switch: prev_comm=kn-b prev_pid=11 prev_prio=120 prev_state=S ==> next_comm=kn-a next_pid=20 next_prio=120
                   kn-a-20      [000] d..2.   1.000002: sched_switch: prev_comm=kn-a prev_pid=20 prev_prio=120 prev_state=R ==> next_comm=kn-b next_pid=12 next_prio=120
                   kn-b-12      [000] d..2.   1.000003: sched_switch: prev_comm=kn-b prev_pid=12 prev_prio=120 prev_state=R+ ==> next_comm=kn-b next_pid=11 next_prio=120
                   kn-b-11      [000] d..2.   1.000004: sched_switch: prev_comm=kn-b prev_pid=11 prev_prio=120 prev_state=D ==> next_comm=kn-b next_pid=12 next_prio=120
                   kn-b-12      [000] d..2.   1.000005: sched_switch: prev_comm=kn-b prev_pid=12 prev_prio=120 prev_state=X ==> next_comm=<idle> next_pid=0 next_prio=120
                   kn-b-99      [000] d..2.   1.000006: sched_switch: prev_comm=kn-b prev_pid=99 prev_prio=120 prev_state=S ==> next_comm=<idle> next_pid=0 next_prio=120
        """;

    private static RecordingManifest Manifest(IReadOnlyList<int>? serverTasks, string outcome = "4 requests") => new()
    {
        Source = "linux",
        Scenario = "t",
        ScenarioSha256 = "",
        Kernel = "",
        Devices = [],
        Tasks = new() { ["kn-a"] = "a", ["kn-b"] = "b" },
        Captures = [],
        Steps =
        [
            new StepResult(3, "socket", "b", "ok", "ok", true),
            new StepResult(5, "echo_load", "b", "ok", outcome, true) { ServerTasks = serverTasks },
        ],
    };

    [Fact]
    public void Only_the_steps_server_tasks_leaving_the_cpu_are_counted_by_the_state_they_leave_in()
    {
        var s = Assert.Single(Normalizer.Switches(Trace, Manifest([11, 12])));
        Assert.Equal((5, 4, 2, 1, 1), (s.Line, s.Switches, s.Sleeps, s.Preempted, s.Exits));
        Assert.Equal(1.0, s.PerRequest);
        Assert.Equal(0.5, s.SleepsPerRequest);
        Assert.Equal("line 5 echo_load b: 0.50 sleeps per request, 1.00 switches (4: 2 sleeping, 1 preempted, 1 exits; 4 requests)", s.ToString());
    }

    [Fact]
    public void A_failed_step_has_no_requests_to_divide_by()
    {
        var s = Assert.Single(Normalizer.Switches(Trace, Manifest([11, 12], "ECONNREFUSED (connect)")));
        Assert.Equal(0, s.Requests);
        Assert.Equal(0.0, s.PerRequest);
    }

    [Fact]
    public void Sleeps_within_the_band_match_and_sleeps_outside_it_differ()
    {
        ServerSwitches At(int sleeps, int preempted = 0) => new(5, "b", 100, sleeps + preempted, sleeps, preempted, 0, true);
        Assert.Empty(Comparer.Switches([At(130)], [At(130 + (int)(Comparer.SwitchesBand * 100))]));
        var diff = Comparer.Switches([At(130)], [At(131 + (int)(Comparer.SwitchesBand * 100))]);
        Assert.Contains("left:  line 5 echo_load b: 1.30 sleeps per request", diff);
        Assert.Contains("right: line 5 echo_load b: 1.61 sleeps per request", diff);
    }

    [Fact]
    public void Preemptions_are_shown_but_not_compared()
    {
        ServerSwitches At(int sleeps, int preempted) => new(5, "b", 100, sleeps + preempted, sleeps, preempted, 0, true);
        Assert.Empty(Comparer.Switches([At(160, 84)], [At(161, 41)]));
    }

    [Fact]
    public void A_recording_without_server_pids_never_matches()
    {
        var old = Assert.Single(Normalizer.Switches(Trace, Manifest(null)));
        Assert.False(old.PidsRecorded);
        Assert.Contains("re-record", Comparer.Switches([old], [old]));
    }

    [Fact]
    public void A_scenario_without_echo_load_has_nothing_to_compare()
    {
        var m = Manifest(null) with { Steps = [new StepResult(3, "socket", "b", "ok", "ok", true)] };
        Assert.Empty(Normalizer.Switches(Trace, m));
        Assert.Empty(Comparer.Switches([], []));
    }
}
