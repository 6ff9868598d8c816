// Ports the grace-period sequence helpers of kernel/rcu/rcu.h: a counter whose
// two low bits say whether a grace period is running and whose upper bits
// count grace periods.
//
// not ported: the tracing, stall-warning and expedited-GP parts of the header.
namespace KernelNet.Kernel.Kernel.Rcu;

public static class rcu_h
{
    public const int RCU_SEQ_CTR_SHIFT = 2;
    public const ulong RCU_SEQ_STATE_MASK = (1UL << RCU_SEQ_CTR_SHIFT) - 1;

    /// <summary>ULONG_CMP_GE: a at or after b, modulo wrap.</summary>
    [KernelNet.Annotations.NotInLinux("stand-in for include/linux/rcupdate.h's ULONG_CMP_GE macro, a header not ported")]
    public static bool ULONG_CMP_GE(ulong a, ulong b) => ulong.MaxValue / 2 >= unchecked(a - b);

    /// <summary>ULONG_CMP_LT: a before b, modulo wrap.</summary>
    [KernelNet.Annotations.NotInLinux("stand-in for include/linux/rcupdate.h's ULONG_CMP_LT macro, a header not ported")]
    public static bool ULONG_CMP_LT(ulong a, ulong b) => ulong.MaxValue / 2 < unchecked(a - b);

    // kernel/rcu/rcu.h: rcu_seq_state
    /// <summary>The state bits: 0 when no grace period is running.</summary>
    public static ulong rcu_seq_state(ulong s) => s & RCU_SEQ_STATE_MASK;

    // not ported: rcu_seq_state — only in a WARN_ON_ONCE
    // kernel/rcu/rcu.h: rcu_seq_start
    /// <summary>A grace period starts: the state goes from 0 to 1.</summary>
    public static void rcu_seq_start(ref ulong sp) => sp = unchecked(sp + 1);

    // kernel/rcu/rcu.h: rcu_seq_endval
    private static ulong rcu_seq_endval(ulong sp) => unchecked((sp | RCU_SEQ_STATE_MASK) + 1);

    // not ported: rcu_seq_state — only in a WARN_ON_ONCE
    // kernel/rcu/rcu.h: rcu_seq_end
    /// <summary>The grace period ends: the counter moves to the next multiple, state 0.</summary>
    public static void rcu_seq_end(ref ulong sp) => sp = rcu_seq_endval(sp);

    // kernel/rcu/rcu.h: rcu_seq_snap
    /// <summary>The counter value at which a grace period that starts after now has ended.</summary>
    public static ulong rcu_seq_snap(ulong sp) => unchecked((sp + 2 * RCU_SEQ_STATE_MASK + 1) & ~RCU_SEQ_STATE_MASK);

    // kernel/rcu/rcu.h: rcu_seq_current
    public static ulong rcu_seq_current(ulong sp) => sp;

    // kernel/rcu/rcu.h: rcu_seq_done
    /// <summary>True once the counter reached the snapshot <paramref name="s"/>.</summary>
    public static bool rcu_seq_done(ulong sp, ulong s) => ULONG_CMP_GE(sp, s);

    // kernel/rcu/rcu.h: rcu_seq_completed_gp
    /// <summary>True when a grace period that had started at <paramref name="old"/> has ended by <paramref name="new"/>.</summary>
    public static bool rcu_seq_completed_gp(ulong old, ulong @new) => ULONG_CMP_LT(old, @new & ~RCU_SEQ_STATE_MASK);

    // kernel/rcu/rcu.h: rcu_seq_new_gp
    /// <summary>True when a grace period started after <paramref name="old"/>, by <paramref name="new"/>.</summary>
    public static bool rcu_seq_new_gp(ulong old, ulong @new) => ULONG_CMP_LT((old + RCU_SEQ_STATE_MASK) & ~RCU_SEQ_STATE_MASK, @new);
}
