// Ports kernel/time/clockevents.c: programming a CPU's clock event device for
// its next expiry. A write replaces the expiry before it: a CPU's timer
// hardware holds one deadline, never a queue of them.
// not ported: registration and exchange of devices, state machine and sysfs,
// min_delta retries (the machine's deadline timer takes any future expiry).
using KernelNet.Kernel.Include.Linux;

namespace KernelNet.Kernel.Kernel.Time;

public static class clockevents_c
{
    // kernel/time/clockevents.c: clockevents_program_event
    /// <summary>Writes <paramref name="expires"/> to <paramref name="dev"/>, replacing the expiry programmed before; an expiry in the past fires at once.</summary>
    public static int clockevents_program_event(Vmlinux k, clock_event_device dev, long expires, bool force)
    {
        // not ported: ktime_get — read as k.ktime_get_ns(), the monotonic clock
        // not ported: clockevents_program_min_delta — the modelled local APIC accepts any deadline (a past one fires at once), so programming never fails and needs no minimum-delta retry
        // not ported: clockevent_state_shutdown, clockevent_state_oneshot — the device state is not tracked: the one per-CPU device is always in one-shot mode (the oneshot test is only a WARN)
        // not ported: the -ETIME answer for a negative expiry — the port's expiries are absolute and never negative.
        dev.next_event = expires;
        var now = k.ktime_get_ns();

        // force: the caller needs the event even when it is already due (it fires at once).
        _ = force;
        dev.set_next_ktime!(dev, expires > now ? expires : now);
        return 0;
    }
}
