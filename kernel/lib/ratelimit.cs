// Ports lib/ratelimit.c: at most `burst` callbacks per `interval` jiffies,
// with the suppressed ones counted and reported when the next interval
// opens ("___ratelimit: N callbacks suppressed").
//
// not ported: the trylock fallback (one thread never contends) and the
// RATELIMIT_MSG_ON_RELEASE flag (net_ratelimit_state does not set it).
using KernelNet.Kernel.Include.Linux;

namespace KernelNet.Kernel.Lib;

/// <summary>struct ratelimit_state.</summary>
public sealed class ratelimit_state
{
    public ratelimit_state(int interval, int burst)
    {
        this.interval = interval;
        this.burst = burst;
    }

    public int interval { get; set; }

    public int burst { get; set; }

    /// <summary>rs_n_left: callbacks left in this interval.</summary>
    public int rs_n_left;

    /// <summary>missed: callbacks suppressed since the last report.</summary>
    public int missed;

    public ulong begin;

    /// <summary>RATELIMIT_INITIALIZED.</summary>
    public bool initialized;
}

public static class ratelimit_c
{
    // lib/ratelimit.c: ___ratelimit
    /// <summary>True when the caller may go ahead; false suppresses it (and counts the miss).</summary>
    public static bool ___ratelimit(Vmlinux k, ratelimit_state rs, string func)
    {
        // not ported: time_is_before_jiffies — written as time_before(begin + interval, jiffies), its definition (see the comment below)
        var ret = false;
        if (rs.interval <= 0 || rs.burst <= 0)
        {
            ret = rs.interval == 0 || rs.burst > 0;
            rs.initialized = false;
            goto nolock_ret;
        }

        if (!rs.initialized)
        {
            rs.begin = k.jiffies;
            rs.initialized = true;
            rs.rs_n_left = rs.burst;
        }

        // time_is_before_jiffies(begin + interval)
        if (jiffies_h.time_before(rs.begin + (ulong)rs.interval, k.jiffies))
        {
            rs.rs_n_left = rs.burst;
            rs.begin = k.jiffies;
            var m = rs.missed;
            rs.missed = 0;
            if (m != 0)
            {
                Kernel.Printk.printk_c._printk(k, Kernel.Printk.printk_c.KERN_WARNING, $"{func}: {m} callbacks suppressed\n");
            }
        }

        if (rs.rs_n_left > 0 && --rs.rs_n_left >= 0)
        {
            ret = true;
        }

    nolock_ret:
        if (!ret)
        {
            rs.missed++;
        }

        return ret;
    }
}
