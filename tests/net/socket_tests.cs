using System.Collections.Generic;
using System.Linq;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using Xunit;

namespace KernelNet.Tests.Net;

public sealed class socket_tests
{
    private static (Topology T, Host H) OneHost()
    {
        var t = new Topology();
        var h = t.AddHost("H");
        return (t, h);
    }

    [Fact]
    public void socket_gets_the_lowest_free_fd_and_EMFILE_at_RLIMIT_NOFILE()
    {
        var (t, h) = OneHost();
        long[] fds = new long[4];
        long closeBad = 0;
        t.Spawn(h, "app", 0, async libc =>
        {
            t.K.task_of(libc.Task).rlimit_nofile = 6;
            fds[0] = await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            fds[1] = await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.Close((int)fds[0]);
            fds[2] = await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            fds[3] = await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            closeBad = await libc.Close(42);
        });

        t.Run();

        Assert.Equal(3, fds[0]);
        Assert.Equal(4, fds[1]);
        Assert.Equal(3, fds[2]);
        Assert.Equal(-Libc.EMFILE, fds[3]);
        Assert.Equal(-Libc.EBADF, closeBad);
        Assert.Equal(0, t.K.skb_ledger.Live);
    }

    // issue 16: the descriptor table is the fdtable's array, NR_OPEN_DEFAULT (64) slots to start, doubled
    // when a higher descriptor is needed (expand_fdtable). Descriptors past the first 64 and 128 come in
    // order, a freed one in the middle is reused first, and every socket stays reachable by its number.
    [Fact]
    public void the_descriptor_table_grows_past_its_first_64_slots_and_still_hands_out_the_lowest_free()
    {
        var (t, h) = OneHost();
        var fds = new List<long>();
        long reused = 0, closeUnopened = 0;
        var sameSocket = true;
        SimTask? app = null;
        app = t.Spawn(h, "app", 0, async libc =>
        {
            for (var i = 0; i < 200; i++)
            {
                fds.Add(await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0));
            }

            var files = t.K.task_of(app!).files;
            var at100 = files[100];
            var open = files.Count;
            await libc.Close(70);
            var closed = files.Count;
            reused = await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            sameSocket = ReferenceEquals(at100, files[100]) && closed == open - 1 && files.Count == open && !files.ContainsKey(5000);
            closeUnopened = await libc.Close(5000);
            foreach (var fd in files.Keys.Where(fd => fd >= 3).ToList())
            {
                await libc.Close(fd);
            }
        });

        t.Run();

        Assert.Equal(Enumerable.Range(3, 200).Select(i => (long)i), fds);
        Assert.Equal(70, reused);
        Assert.True(sameSocket);
        Assert.Equal(-Libc.EBADF, closeUnopened);
        Assert.Equal(0, t.K.sock_ledger.Count);
    }

    [Fact]
    public void bind_to_a_taken_port_is_EADDRINUSE_unless_both_set_SO_REUSEADDR_and_close_frees_it()
    {
        var (t, h) = OneHost();
        long again = 0, reused = 0, afterClose = 0, wildcardClash = 0;
        t.Spawn(h, "app", 0, async libc =>
        {
            var a = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            var b = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            Assert.Equal(0, await libc.Bind(a, SockAddrIn.Parse("127.0.0.1:5000")));
            again = await libc.Bind(b, SockAddrIn.Parse("127.0.0.1:5000"));
            wildcardClash = await libc.Bind(b, SockAddrIn.Parse("0.0.0.0:5000"));
            await libc.SetSockOpt(a, Libc.SOL_SOCKET, Libc.SO_REUSEADDR, 1);
            await libc.SetSockOpt(b, Libc.SOL_SOCKET, Libc.SO_REUSEADDR, 1);
            reused = await libc.Bind(b, SockAddrIn.Parse("127.0.0.1:5000"));
            await libc.Close(a);
            await libc.Close(b);
            var c = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            afterClose = await libc.Bind(c, SockAddrIn.Parse("127.0.0.1:5000"));
            await libc.Close(c);
        });

        t.Run();

        Assert.Equal(-Libc.EADDRINUSE, again);
        Assert.Equal(-Libc.EADDRINUSE, wildcardClash);
        Assert.Equal(0, reused);
        Assert.Equal(0, afterClose);
        Assert.Equal(0, t.K.skb_ledger.Live);
    }

    [Fact]
    public void port_zero_and_autobind_pick_distinct_ephemeral_ports_in_ip_local_port_range()
    {
        var (t, h) = OneHost();
        var ports = new System.Collections.Generic.List<int>();
        t.Spawn(h, "app", 0, async libc =>
        {
            for (var i = 0; i < 20; i++)
            {
                var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
                if (i % 2 == 0)
                {
                    Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("0.0.0.0:0")));
                }
                else
                {
                    // connect() autobinds (inet_autobind).
                    Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse("127.0.0.1:9")));
                }

                var (ret, addr) = await libc.GetSockName(fd);
                Assert.Equal(16, ret);
                ports.Add(addr.Port);
            }
        });

        t.Run();

        Assert.All(ports, p => Assert.InRange(p, 32768, 60999));
        Assert.Equal(ports.Count, new System.Collections.Generic.HashSet<int>(ports).Count);
    }

    [Fact]
    public void ephemeral_ports_repeat_run_to_run()
    {
        static int FirstPort()
        {
            var t = new Topology();
            var h = t.AddHost("H");
            var port = 0;
            t.Spawn(h, "app", 0, async libc =>
            {
                var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
                await libc.Bind(fd, SockAddrIn.Parse("0.0.0.0:0"));
                port = (await libc.GetSockName(fd)).Addr.Port;
            });
            t.Run();
            return port;
        }

        Assert.Equal(FirstPort(), FirstPort());
    }

    [Fact]
    public void SO_RCVBUF_is_doubled_capped_by_rmem_max_and_floored_at_SOCK_MIN_RCVBUF()
    {
        var (t, h) = OneHost();
        long dflt = 0, small = 0, big = 0, tiny = 0, sndbuf = 0;
        t.Spawn(h, "app", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            dflt = await libc.GetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF);
            await libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, 4096);
            small = await libc.GetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF);
            await libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, 10_000_000);
            big = await libc.GetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF);
            await libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, 1);
            tiny = await libc.GetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF);
            await libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_SNDBUF, 1);
            sndbuf = await libc.GetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_SNDBUF);
        });

        t.Run();

        Assert.Equal(212992, dflt);
        Assert.Equal(8192, small);
        Assert.Equal(2 * 212992, big);
        Assert.Equal(2304, tiny);
        Assert.Equal(4608, sndbuf);
    }

    [Fact]
    public void A_negative_SO_SNDBUF_or_SO_RCVBUF_is_an_unsigned_hint_and_gets_the_maximum()
    {
        // sock.c compares the user's int as u32 against wmem_max/rmem_max: -1 asks for the most
        var (t, h) = OneHost();
        long snd = 0, rcv = 0;
        t.Spawn(h, "app", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_SNDBUF, -1);
            snd = await libc.GetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_SNDBUF);
            await libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, -1);
            rcv = await libc.GetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF);
        });

        t.Run();

        Assert.Equal(2 * 212992, snd);
        Assert.Equal(2 * 212992, rcv);
    }
}
