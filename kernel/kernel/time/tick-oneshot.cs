// Ports kernel/time/tick-oneshot.c: the one-shot tick device's programming,
// the call every hrtimer reprogram ends in.
// not ported: switching to one-shot mode (this machine boots in it), the
// broadcast device.
using KernelNet.Kernel.Include.Linux;
using static KernelNet.Kernel.Kernel.Time.clockevents_c;

namespace KernelNet.Kernel.Kernel.Time;

public static class tick_oneshot_c
{
    // kernel/time/tick-oneshot.c: tick_program_event
    /// <summary>Programs this CPU's tick device for <paramref name="expires"/>; KTIME_MAX stops it.</summary>
    public static int tick_program_event(Vmlinux k, long expires, bool force)
    {
        // not ported: clockevents_switch_state, clockevent_state_oneshot_stopped — the device state is not tracked: stopping calls the device's set_state_oneshot_stopped directly, and the next programming starts it again
        var dev = k.this_cpu().tick_cpu_device;
        if (expires == clockchips_h.KTIME_MAX)
        {
            // Nothing to wait for: the device stops instead of firing at a distant time.
            dev.set_state_oneshot_stopped?.Invoke(dev);
            dev.next_event = clockchips_h.KTIME_MAX;
            return 0;
        }

        return clockevents_program_event(k, dev, expires, force);
    }
}
