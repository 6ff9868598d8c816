using System.Text;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using Xunit;

namespace KernelNet.Tests.Net.Core;

public sealed class datagram_tests
{
    // demonstrates IO-1 and RX-12: the blocked reader leaves the CPU once (nvcsw +1) and the delivery wakes it.
    [Fact]
    public void blocking_recvfrom_sleeps_once_and_the_datagram_wakes_it()
    {
        var t = new Topology();
        var h = t.AddHost("H");
        long before = -1, after = -1, sleptAt = 0, wokeAt = 0;
        string? got = null;
        t.K.trace.set_event("sock:sk_data_ready");
        var server = t.Spawn(h, "server", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.Bind(fd, SockAddrIn.Parse("127.0.0.1:7000"));
            before = libc.Task.Nvcsw;
            sleptAt = libc.Now;
            var r = await libc.RecvFrom(fd, 64, 0);
            wokeAt = libc.Now;
            after = libc.Task.Nvcsw;
            got = Encoding.ASCII.GetString(r.Data);
            await libc.Close(fd);
        });
        t.Spawn(h, "client", 1, async libc =>
        {
            await libc.Sleep(2_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.SendTo(fd, Encoding.ASCII.GetBytes("wake"), 0, SockAddrIn.Parse("127.0.0.1:7000"));
            await libc.Close(fd);
        });

        t.Run();

        Assert.Equal("wake", got);
        Assert.Equal(1, after - before);
        Assert.True(wokeAt - sleptAt >= 2_000_000, "the reader slept until the datagram came");
        Assert.Contains(t.K.trace.entries, e => e.Event == "sk_data_ready" && e.Text == "family=2 protocol=17 func=sock_def_readable");
        Assert.Equal(KernelNet.Machine.TaskState.Dead, server.State);
        Assert.Equal(0, t.K.leaked_skbs());
    }

    [Fact]
    public void MSG_DONTWAIT_on_an_empty_queue_is_EAGAIN_without_sleeping()
    {
        var t = new Topology();
        var h = t.AddHost("H");
        long ret = 0, slept = -1;
        t.Spawn(h, "app", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.Bind(fd, SockAddrIn.Parse("127.0.0.1:7001"));
            var n = libc.Task.Nvcsw;
            ret = (await libc.RecvFrom(fd, 64, Libc.MSG_DONTWAIT)).Ret;
            slept = libc.Task.Nvcsw - n;
            await libc.Close(fd);
        });

        t.Run();

        Assert.Equal(-Libc.EAGAIN, ret);
        Assert.Equal(0, slept);
        Assert.Equal(0, t.K.skb_ledger.Live);
    }

    [Fact]
    public void SO_RCVTIMEO_ends_the_sleep_with_EAGAIN_after_the_timeout()
    {
        var t = new Topology();
        var h = t.AddHost("H");
        long ret = 0, waited = 0, slept = 0;
        t.Spawn(h, "app", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.Bind(fd, SockAddrIn.Parse("127.0.0.1:7002"));
            await libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, 10_000); // 10 ms
            var n = libc.Task.Nvcsw;
            var t0 = libc.Now;
            ret = (await libc.RecvFrom(fd, 64, 0)).Ret;
            waited = libc.Now - t0;
            slept = libc.Task.Nvcsw - n;
            await libc.Close(fd);
        });

        t.Run();

        Assert.Equal(-Libc.EAGAIN, ret);
        Assert.InRange(waited, 10_000_000, 20_000_000);
        Assert.Equal(1, slept);
        Assert.Equal(0, t.K.skb_ledger.Live);
    }

    [Fact]
    public void shutdown_SHUT_RD_wakes_a_blocked_reader_which_returns_zero()
    {
        var t = new Topology();
        var h = t.AddHost("H");
        long ret = -1, shut = 0;
        int fd = -1;
        var reader = t.Spawn(h, "reader", 0, async libc =>
        {
            fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.Bind(fd, SockAddrIn.Parse("127.0.0.1:7003"));
            ret = (await libc.RecvFrom(fd, 64, 0)).Ret;
        });
        t.Spawn(h, "closer", 1, async libc =>
        {
            await libc.Sleep(1_000_000);

            // Threads share the file table: the port's fds are per task, so reach the socket through the kernel.
            var files = t.K.task_of(reader).files;
            t.K.task_of(libc.Task).files[fd] = files[fd];
            shut = await libc.Shutdown(fd, Libc.SHUT_RD);
        });

        t.Run();

        Assert.Equal(-Libc.ENOTCONN, shut);
        Assert.Equal(0, ret);
    }
}
