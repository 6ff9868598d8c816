// Ports kernel/entry/common.c: the work a task does on its way back to user space after a system
// call. Of the TIF work only TIF_NEED_RESCHED is modelled: a woken task that should preempt the
// running one (check_preempt_wakeup_fair) gets the CPU here, as under preempt=none.
// not ported: uprobes, live patching, signal delivery, resume_user_mode_work, the arch work — none
// of them is raised in the simulation.
using System.Threading.Tasks;

namespace KernelNet.Kernel.Kernel.Entry;

public static class common_c
{
    // kernel/entry/common.c: exit_to_user_mode_loop
    /// <summary>While the current task's TIF_NEED_RESCHED is set, it calls schedule() and stays runnable; the await ends when it runs again with nothing pending.</summary>
    public static async Task exit_to_user_mode_loop(Vmlinux k)
    {
        // not ported: local_irq_enable_exit_to_user/local_irq_disable_exit_to_user, uprobe_notify_resume, klp_update_patch_state, arch_do_signal_or_restart, resume_user_mode_work, arch_exit_to_user_mode_work, tick_nohz_user_enter_prepare — none of that work exists here
        while (k.current.need_resched)
        {
            await Sched.core_c.schedule_running(k);
        }
    }
}
