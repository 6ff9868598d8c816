// Ports net/core/stream.c: what stream sockets (TCP) share around sending —
// waking writers when send buffer room comes back (sk_stream_write_space),
// waiting for the connection (sk_stream_wait_connect), for the FIN
// handshake of a lingering close (sk_stream_wait_close) and for room
// (sk_stream_wait_memory), and the error a failed send returns
// (sk_stream_error).
//
// departure: sk_wait_event's wait_woken/woken_wake_function is
// prepare_to_wait/finish_wait here, as inet_wait_for_connect does (one
// thread: no wakeup can be lost between the test and the sleep).
// not ported: sk_stream_kill_queues (no caller: the port's protocols purge
// their queues in their own destroy), SIGPIPE (no signals are delivered to
// programs), fasync.
using System.Threading.Tasks;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using static KernelNet.Kernel.Include.Net.sock_h;
using static KernelNet.Kernel.Kernel.Sched.wait_c;

namespace KernelNet.Kernel.Net.Core;

public static class stream_c
{
    // net/core/stream.c: sk_stream_write_space
    /// <summary>
    /// sk_write_space of a stream socket: once the queued bytes leave enough
    /// room (a third of the buffer free, and the protocol agrees), the
    /// NOSPACE mark goes and sleeping writers are woken.
    /// </summary>
    public static void sk_stream_write_space(sock sk)
    {
        // not ported: sock_wake_async — no fasync owners
        if (__sk_stream_is_writeable(sk, 1) && sk.sk_socket is socket sock)
        {
            sock.flags &= ~(1UL << net_h.SOCK_NOSPACE);

            var wq = sk.sk_wq_made; // rcu_dereference(sk->sk_wq)

            if (skwq_has_sleeper(wq))
            {
                wait_h.wake_up_interruptible_poll(sk.sk_net.k, wq, Include.Uapi.Linux.eventpoll_h.EPOLLOUT | Include.Uapi.Linux.eventpoll_h.EPOLLWRNORM | Include.Uapi.Linux.eventpoll_h.EPOLLWRBAND);
            }

            // fasync (SOCK_WAKE_SPACE): no O_ASYNC owners in the simulation.
        }
    }

    /// <summary>
    /// sk_wait_event (include/net/sock.h): the socket is released while the
    /// task sleeps, so the backlog (an ACK that arrived meanwhile) is
    /// processed first; returns whether the condition holds afterwards.
    /// </summary>
    [MightSleep]
    [KernelNet.Annotations.NotInLinux("stand-in for the sk_wait_event macro of include/net/sock.h, whose port there is not written yet")]
    private static async Task<(bool Done, long Timeo)> sk_wait_event(sock sk, long timeo, System.Func<bool> condition, wait_queue_entry wait)
    {
        var k = sk.sk_net.k;
        prepare_to_wait(k, sk_sleep(sk), wait, sched_h.TASK_INTERRUPTIBLE);
        Core.sock_c.release_sock(sk);
        if (!condition())
        {
            timeo = await Kernel.Time.sleep_timeout_c.schedule_timeout(k, timeo);
        }
        else
        {
            sched_h.__set_current_state(k, sched_h.TASK_RUNNING);
        }

        lock_sock(sk);
        return (condition(), timeo);
    }

    // net/core/stream.c: sk_stream_wait_connect
    /// <summary>
    /// Sleeps (socket locked) while the connection is being set up: 0 once
    /// it is ESTABLISHED or CLOSE_WAIT; the pending error, -EPIPE in any other
    /// state, -EAGAIN without time, or the interrupt error.
    /// </summary>
    [MightSleep]
    public static async Task<(int Err, long Timeo)> sk_stream_wait_connect(sock sk, long timeo)
    {
        // not ported: DEFINE_WAIT_FUNC, add_wait_queue, remove_wait_queue — the sleep goes through the file's sk_wait_event helper, with prepare_to_wait on an autoremove entry (wait_woken is not ported)
        var k = sk.sk_net.k;
        var wait = new wait_queue_entry(k.current, autoremove_wake_function);
        bool done;
        do
        {
            var err = sock_error(sk);
            if (err != 0)
            {
                return (err, timeo);
            }

            if (((1 << sk.sk_state) & ~(tcp_states_h.TCPF_SYN_SENT | tcp_states_h.TCPF_SYN_RECV)) != 0)
            {
                return (-errno_base_h.EPIPE, timeo);
            }

            if (timeo == 0)
            {
                return (-errno_base_h.EAGAIN, timeo);
            }

            if (sched_h.signal_pending(k.current))
            {
                return (sock_intr_errno(timeo), timeo);
            }

            sk.sk_write_pending++;
            (done, timeo) = await sk_wait_event(sk, timeo, () => sk.sk_err == 0 && ((1 << sk.sk_state) & ~(tcp_states_h.TCPF_ESTABLISHED | tcp_states_h.TCPF_CLOSE_WAIT)) == 0, wait);
            finish_wait(k, sk_sleep(sk), wait);
            sk.sk_write_pending--;
        }
        while (!done);

        return (0, timeo);
    }

    // net/core/stream.c: sk_stream_closing
    /// <summary>True while our FIN is still unacknowledged: FIN_WAIT1, CLOSING or LAST_ACK.</summary>
    private static bool sk_stream_closing(sock sk) =>
        ((1 << sk.sk_state) & (tcp_states_h.TCPF_FIN_WAIT1 | tcp_states_h.TCPF_CLOSING | tcp_states_h.TCPF_LAST_ACK)) != 0;

    // net/core/stream.c: sk_stream_wait_close
    /// <summary>
    /// close() with SO_LINGER and a time (socket locked, process context):
    /// sleeps until the FIN is acknowledged (the state leaves FIN_WAIT1,
    /// CLOSING and LAST_ACK; sk_state_change wakes it), a signal is pending,
    /// or <paramref name="timeout"/> jiffies have gone. A zero timeout
    /// returns at once. O_NONBLOCK plays no part: the time is the linger time.
    /// </summary>
    [MightSleep]
    public static async Task sk_stream_wait_close(sock sk, long timeout)
    {
        // not ported: DEFINE_WAIT_FUNC, add_wait_queue, remove_wait_queue — the sleep goes through the file's sk_wait_event helper, with prepare_to_wait on an autoremove entry (wait_woken is not ported)
        if (timeout != 0)
        {
            var k = sk.sk_net.k;

            // DEFINE_WAIT_FUNC(woken_wake_function) + add_wait_queue: sk_wait_event queues the entry itself here (departure above)
            var wait = new wait_queue_entry(k.current, autoremove_wake_function);
            bool done;
            do
            {
                (done, timeout) = await sk_wait_event(sk, timeout, () => !sk_stream_closing(sk), wait);
                if (done)
                {
                    break;
                }
            }
            while (!sched_h.signal_pending(k.current) && timeout != 0);

            // remove_wait_queue
            finish_wait(k, sk_sleep(sk), wait);
        }
    }

    // net/core/stream.c: sk_stream_wait_memory
    /// <summary>
    /// Sleeps (socket locked) until the send buffer has room again: 0, or
    /// -EPIPE on an error or shutdown, -EAGAIN when out of time (NOSPACE
    /// stays set so the ACK that frees room wakes a poller), or the
    /// interrupt error. When called with room already there (an allocation
    /// failed) it waits a short random while first.
    /// </summary>
    [MightSleep]
    public static async Task<(int Err, long Timeo)> sk_stream_wait_memory(sock sk, long timeo)
    {
        // not ported: DEFINE_WAIT_FUNC, add_wait_queue, remove_wait_queue, sk_set_bit, sk_clear_bit, sock_flag — the sleep goes through sk_wait_event with an autoremove entry; SOCKWQ_ASYNC_NOSPACE is fasync only; SOCK_NOSPACE is set on the socket's flags directly
        var k = sk.sk_net.k;
        int err = 0;
        long vm_wait = 0;
        var current_timeo = timeo;
        var wait = new wait_queue_entry(k.current, autoremove_wake_function);
        var sock = (socket)sk.sk_socket!;

        if (sk_stream_memory_free(sk))
        {
            current_timeo = vm_wait = Drivers.Char.random_c.__get_random_u32_below(k, (uint)(Vmlinux.HZ / 5)) + 2;
        }

        while (true)
        {
            // SOCKWQ_ASYNC_NOSPACE: fasync only.
            if (sk.sk_err != 0 || (sk.sk_shutdown & SEND_SHUTDOWN) != 0)
            {
                goto do_error;
            }

            if (timeo == 0)
            {
                goto do_eagain;
            }

            if (sched_h.signal_pending(k.current))
            {
                goto do_interrupted;
            }

            if (sk_stream_memory_free(sk) && vm_wait == 0)
            {
                break;
            }

            sock.flags |= 1UL << net_h.SOCK_NOSPACE;
            sk.sk_write_pending++;
            var vm = vm_wait;
            (_, current_timeo) = await sk_wait_event(sk, current_timeo, () => sk.sk_err != 0 || (sk.sk_shutdown & SEND_SHUTDOWN) != 0 || (sk_stream_memory_free(sk) && vm == 0), wait);
            sk.sk_write_pending--;

            if (vm_wait != 0)
            {
                vm_wait -= current_timeo;
                current_timeo = timeo;
                if (current_timeo != sched_h.MAX_SCHEDULE_TIMEOUT && (current_timeo -= vm_wait) < 0)
                {
                    current_timeo = 0;
                }

                vm_wait = 0;
            }

            timeo = current_timeo;
        }

    @out:
        finish_wait(k, sk_sleep(sk), wait);
        return (err, timeo);

    do_error:
        err = -errno_base_h.EPIPE;
        goto @out;
    do_eagain:
        // a later ACK that makes room looks at NOSPACE (tcp_check_space) to wake pollers
        sock.flags |= 1UL << net_h.SOCK_NOSPACE;
        err = -errno_base_h.EAGAIN;
        goto @out;
    do_interrupted:
        err = sock_intr_errno(timeo);
        goto @out;
    }

    // net/core/stream.c: sk_stream_error
    /// <summary>The error a failed send reports: -EPIPE becomes the pending error if there is one (SIGPIPE is not delivered).</summary>
    public static int sk_stream_error(sock sk, int flags, int err)
    {
        if (err == -errno_base_h.EPIPE)
        {
            var e = sock_error(sk);
            err = e != 0 ? e : -errno_base_h.EPIPE;
        }

        // send_sig(SIGPIPE) unless MSG_NOSIGNAL: no signals reach programs.
        return err;
    }
}
