// Ports lib/win_minmax.c: the update step of the windowed min/max filter of
// include/linux/win_minmax.h. A new best sample resets the filter; a
// sample that ranks second or third takes that slot; and as the window
// slides the best sample ages out and the runners-up move up, with fresh
// runners-up taken from the later quarter and half of the window so that
// the filter never holds only stale choices.
using KernelNet.Kernel.Include.Linux;
using static KernelNet.Kernel.Include.Linux.win_minmax_h;

namespace KernelNet.Kernel.Lib;

public static class win_minmax_c
{
    // lib/win_minmax.c: minmax_subwin_update
    /// <summary>
    /// Ages the samples against the window <paramref name="win"/>: when the
    /// best one is older than the window the others move up (twice if need
    /// be); after a quarter window with one distinct sample, or half a window
    /// with two, <paramref name="val"/> becomes the later choice.
    /// </summary>
    private static uint minmax_subwin_update(ref minmax m, uint win, minmax_sample val)
    {
        var dt = val.t - m.s[0].t;

        if (dt > win)
        {
            // the whole window went by without a new best: shift the choices up
            m.s[0] = m.s[1];
            m.s[1] = m.s[2];
            m.s[2] = val;
            if (val.t - m.s[0].t > win)
            {
                // the promoted second choice was out of the window as well
                m.s[0] = m.s[1];
                m.s[1] = m.s[2];
                m.s[2] = val;
            }
        }
        else if (m.s[1].t == m.s[0].t && dt > win / 4)
        {
            // a quarter window with a single distinct sample: take a second choice from the second quarter
            m.s[2] = m.s[1] = val;
        }
        else if (m.s[2].t == m.s[1].t && dt > win / 2)
        {
            // half a window without a third choice: take one from the second half
            m.s[2] = val;
        }

        return m.s[0].v;
    }

    // lib/win_minmax.c: minmax_running_max
    /// <summary>Adds <paramref name="meas"/> taken at <paramref name="t"/> to a max filter over <paramref name="win"/>; returns the windowed maximum.</summary>
    public static uint minmax_running_max(ref minmax m, uint win, uint t, uint meas)
    {
        var val = new minmax_sample { t = t, v = meas };

        // a new maximum, or everything in the filter has left the window
        if (val.v >= m.s[0].v || val.t - m.s[2].t > win)
        {
            return minmax_reset(ref m, t, meas);
        }

        if (val.v >= m.s[1].v)
        {
            m.s[2] = m.s[1] = val;
        }
        else if (val.v >= m.s[2].v)
        {
            m.s[2] = val;
        }

        return minmax_subwin_update(ref m, win, val);
    }

    // lib/win_minmax.c: minmax_running_min
    /// <summary>Adds <paramref name="meas"/> taken at <paramref name="t"/> to a min filter over <paramref name="win"/>; returns the windowed minimum.</summary>
    public static uint minmax_running_min(ref minmax m, uint win, uint t, uint meas)
    {
        var val = new minmax_sample { t = t, v = meas };

        // a new minimum, or everything in the filter has left the window
        if (val.v <= m.s[0].v || val.t - m.s[2].t > win)
        {
            return minmax_reset(ref m, t, meas);
        }

        if (val.v <= m.s[1].v)
        {
            m.s[2] = m.s[1] = val;
        }
        else if (val.v <= m.s[2].v)
        {
            m.s[2] = val;
        }

        return minmax_subwin_update(ref m, win, val);
    }
}
