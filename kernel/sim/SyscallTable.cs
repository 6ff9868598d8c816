using System;
using System.Threading.Tasks;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Machine;
using static KernelNet.Kernel.Net.socket_c;

namespace KernelNet.Kernel;

/// <summary>
/// The system call entry — x86's entry_SYSCALL_64 -> do_syscall_64 ->
/// sys_call_table[nr] — as one object: the machine's user-side calls
/// (<see cref="ISyscalls"/>) land here and go to the __sys_* functions of
/// net/socket.c with the calling task (current) and its network namespace.
/// Results are kernel-style: a value, or -errno. Not a port of a C file.
/// <para>
/// Starting a user program: <c>syscalls.Spawn("udp-server", cpu, ns, async libc =&gt; { var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0); ... })</c>,
/// or directly <c>machine.CreateTask("udp-server", cpu, async t =&gt; { var libc = new Libc(machine, syscalls, t); ... })</c>
/// (the task's sockets then live in init_net unless task_struct.net_ns is set).
/// </para>
/// </summary>
public sealed class SyscallTable : ISyscalls
{
    private readonly Vmlinux _k;

    public SyscallTable(Vmlinux k)
    {
        _k = k;
    }

    private task_struct Current => _k.current;

    private net Net => Current.net_ns ?? _k.init_net;

    public Task<long> Socket(int domain, int type, int protocol) => Done(__sys_socket(Net, Current, domain, type, protocol));

    public Task<long> Bind(int fd, byte[] addr, int addrlen) => Done(__sys_bind(Current, fd, addr, addrlen));

    public async Task<long> Connect(int fd, byte[] addr, int addrlen) => await __sys_connect(Current, fd, addr, addrlen);

    public Task<long> Listen(int fd, int backlog) => Done(__sys_listen(Current, fd, backlog));

    public async Task<long> Accept(int fd, int flags) => await __sys_accept4(Current, fd, flags);

    public async Task<long> SendTo(int fd, byte[] buf, int len, int flags, byte[]? addr, int addrlen) =>
        await __sys_sendto(Current, fd, buf, len, flags, addr, addrlen);

    public async Task<long> RecvFrom(int fd, byte[] buf, int len, int flags, byte[]? addr) =>
        await __sys_recvfrom(Current, fd, buf, len, flags, addr);

    public Task<long> SetSockOpt(int fd, int level, int optname, long optval) => Done(__sys_setsockopt(Current, fd, level, optname, optval));

    public Task<long> SetSockOptBytes(int fd, int level, int optname, byte[] optval, int optlen) => Done(__sys_setsockopt(Current, fd, level, optname, optval, optlen));

    public Task<long> GetSockOpt(int fd, int level, int optname)
    {
        var r = __sys_getsockopt(Current, fd, level, optname, out var v);
        return Done(r < 0 ? r : v);
    }

    public Task<long> Shutdown(int fd, int how) => Done(__sys_shutdown(Current, fd, how));

    public Task<long> GetSockName(int fd, byte[] addr) => Done(__sys_getsockname(Current, fd, addr));

    public Task<long> Close(int fd) => Done(sock_close(Current, fd));

    public async Task<long> NanoSleep(long ns)
    {
        // kernel/time/hrtimer.c's do_nanosleep, on the timer wheel: a jiffy's granularity.
        sched_h.set_current_state(_k, sched_h.TASK_INTERRUPTIBLE);
        var jiffies = Math.Max(1, (ns + (1_000_000_000L / Vmlinux.HZ) - 1) / (1_000_000_000L / Vmlinux.HZ));
        await Kernel.Time.sleep_timeout_c.schedule_timeout(_k, jiffies);
        return 0;
    }

    private static Task<long> Done(long v) => Task.FromResult(v);

    /// <summary>Starts a user process in <paramref name="ns"/> running <paramref name="program"/> (fork+exec).</summary>
    public SimTask Spawn(string comm, int cpu, net ns, Func<Libc, Task> program)
    {
        ArgumentNullException.ThrowIfNull(program);
        SimTask? task = null;
        task = _k.machine.CreateTask(comm, cpu, t => program(new Libc(_k.machine, this, t)));
        _k.task_of(task).net_ns = ns;
        return task;
    }

    /// <summary>
    /// Starts another thread of <paramref name="leader"/>'s process (clone with CLONE_FILES):
    /// same namespace, same file descriptors, its own name.
    /// </summary>
    public SimTask SpawnThread(SimTask leader, string comm, int cpu, Func<Libc, Task> program)
    {
        ArgumentNullException.ThrowIfNull(leader);
        var parent = _k.task_of(leader);
        var thread = Spawn(comm, cpu, parent.net_ns ?? _k.init_net, program);
        _k.task_of(thread).files = parent.files;
        return thread;
    }
}
