// Ports include/linux/sched.h: the parts of task_struct the network stack
// reads and writes, and the task states.
using KernelNet.Machine;

namespace KernelNet.Kernel.Include.Linux;

/// <summary>
/// struct task_struct: the kernel's view of a simulated task. The CPU time
/// side (run queues, context switches) belongs to the machine's executor;
/// this holds what the kernel itself keeps.
/// </summary>
public sealed class task_struct
{
    public task_struct(SimTask task)
    {
        this.task = task;
    }

    /// <summary>The machine's task this kernel task runs as.</summary>
    public SimTask task { get; }

    public int pid => task.Pid;

    public string comm => task.Comm;

    /// <summary>nsproxy->net_ns: the network namespace the task's sockets are created in.</summary>
    public KernelNet.Kernel.Include.Net.net? net_ns { get; set; }

    /// <summary>task_frag: the page this task's sockets copy sent data into (sk_page_frag).</summary>
    public page_frag task_frag { get; } = new();

    /// <summary>
    /// The struct msghdr sendto(2) and recvfrom(2) build on this task's kernel
    /// stack (net/socket.c's __sys_sendto, __sys_recvfrom): a task is in one
    /// system call at a time, so one object serves, every field set anew each call.
    /// </summary>
    public msghdr stack_msghdr { get; } = new();

    /// <summary>
    /// The struct sockaddr_storage bind(2), connect(2), sendto(2) and
    /// recvfrom(2) keep on this task's kernel stack (_K_SS_MAXSIZE bytes):
    /// move_addr_to_kernel copies the user's address into it, recvfrom's
    /// protocol writes the peer's there. One per task, as stack_msghdr.
    /// </summary>
    public byte[] stack_sockaddr { get; } = new byte[socket_h._K_SS_MAXSIZE];

    /// <summary>Pending signal (only SIGKILL-like interruption is modelled).</summary>
    public bool signal_pending { get; set; }

    /// <summary>flags: the PF_* bits the network stack looks at (PF_EXITING).</summary>
    public uint flags { get; set; }

    /// <summary>
    /// The file table: fd to struct file (fs/file.c's fdtable). Threads made
    /// with CLONE_FILES share one table, so it is assignable.
    /// </summary>
    public files_struct files { get; set; } = new();

    /// <summary>mm: the task's address space (its mmap'd files); threads share it like the file table.</summary>
    public mm_struct mm { get; set; } = new();

    /// <summary>splice_pipe: the pipe sendfile splices through, kept for the task's later calls.</summary>
    public pipe_inode_info? splice_pipe { get; set; }

    /// <summary>RLIMIT_NOFILE soft limit.</summary>
    public int rlimit_nofile { get; set; } = 1024;

    /// <summary>The per-CPU thread function this kthread runs (smpboot threads).</summary>
    public System.Action<int>? thread_fn { get; set; }

    /// <summary>The per-CPU "should run" test of this kthread.</summary>
    public System.Func<int, bool>? thread_should_run { get; set; }

    /// <summary>se: the task's entity in its CPU's fair run queue (kernel/sched/fair.c).</summary>
    public sched_entity se { get; } = new();

    /// <summary>TIF_NEED_RESCHED in thread_info.flags: the task is to give up its CPU on the way back to user space.</summary>
    public bool need_resched { get; set; }
}

/// <summary>
/// struct sched_entity: a task's place in EEVDF — its virtual runtime, virtual deadline, requested
/// slice and lag. Every simulated task is SCHED_NORMAL at nice 0, so its weight is NICE_0_LOAD
/// (scale_load_down'd: 1024) and virtual time runs at the speed of real time.
/// </summary>
public sealed class sched_entity
{
    /// <summary>load.weight, scaled down (scale_load_down(NICE_0_LOAD)).</summary>
    public long weight { get; set; } = 1024;

    public long vruntime { get; set; }

    public long deadline { get; set; }

    /// <summary>The request size r_i (sysctl_sched_base_slice unless custom).</summary>
    public long slice { get; set; }

    /// <summary>The lag kept while the entity is off the run queue (V - v_i when it left).</summary>
    public long vlag { get; set; }

    /// <summary>The virtual time up to which a picked entity is protected from wakeup preemption (RUN_TO_PARITY).</summary>
    public long vprot { get; set; }

    public long exec_start { get; set; }

    public long sum_exec_runtime { get; set; }

    public long prev_sum_exec_runtime { get; set; }

    /// <summary>On its cfs_rq (queued, running, or delayed).</summary>
    public bool on_rq { get; set; }

    /// <summary>Blocked, but kept on the run queue until it is eligible again (DELAY_DEQUEUE).</summary>
    public bool sched_delayed { get; set; }

    /// <summary>The deadline is kept relative to vruntime while the entity is off the queue (PLACE_REL_DEADLINE).</summary>
    public bool rel_deadline { get; set; }
}

public static class sched_h
{
    public const int TASK_RUNNING = 0x0000;
    public const int TASK_INTERRUPTIBLE = 0x0001;
    public const int TASK_UNINTERRUPTIBLE = 0x0002;

    /// <summary>PF_EXITING: the task is in do_exit (exit_signals set it); its descriptors are being closed.</summary>
    public const uint PF_EXITING = 0x00000004;

    /// <summary>MAX_SCHEDULE_TIMEOUT: sleep until woken.</summary>
    public const long MAX_SCHEDULE_TIMEOUT = long.MaxValue;

    // include/linux/sched.h: set_current_state
    /// <summary>set_current_state(): the state the task will sleep in at its next schedule().</summary>
    public static void set_current_state(Vmlinux k, int state) => __set_current_state(k, state);

    // include/linux/sched.h: __set_current_state
    /// <summary>__set_current_state().</summary>
    public static void __set_current_state(Vmlinux k, int state)
    {
        k.current.task.State = state switch
        {
            TASK_RUNNING => TaskState.Running,
            TASK_INTERRUPTIBLE => TaskState.Interruptible,
            _ => TaskState.Uninterruptible,
        };
    }

    [KernelNet.Annotations.NotInLinux("stand-in for include/linux/sched/signal.h's signal_pending, a header not ported")]
    public static bool signal_pending(task_struct p) => p.signal_pending;
}
