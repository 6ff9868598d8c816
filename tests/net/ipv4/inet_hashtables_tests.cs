using System.Collections.Generic;
using System.Linq;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.Linux;
using KernelNet.Kernel.Net.Ipv4;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using KernelNet.Tests.Support;
using static KernelNet.Tests.Support.ProcNet;
using Xunit;

namespace KernelNet.Tests.Net.Ipv4;

/// <summary>
/// net/ipv4/inet_hashtables.c's connect side: the ephemeral port search of
/// __inet_hash_connect, TIME_WAIT entries holding their port and 4-tuple, and a
/// listener's close resetting the children it never accepted.
/// </summary>
public sealed class inet_hashtables_tests
{
    private static ulong Mib(Host h, linux_mib_field f) => (ulong)netns_ipv4.of(h.Net).mib.net_statistics[(int)f];

    /// <summary>A listener on B at 10.0.0.2:9000 (accepting <paramref name="accepts"/> times) and A's client body.</summary>
    private static TwoHosts WithServer(int accepts, System.Func<Libc, System.Threading.Tasks.Task> client, int backlog = 128)
    {
        var net = TwoHosts.OnVeth();
        net.T.Spawn(net.B, "server", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.Listen(fd, backlog));
            for (var i = 0; i < accepts; i++)
            {
                Assert.True(await libc.Accept(fd) >= 0);
            }
        });
        net.T.Spawn(net.A, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            await client(libc);
        });
        return net;
    }

    // connect() without bind: the port comes from ip_local_port_range (32768-60999), first from the range's low
    // (even) parity, as 6.18 does (bind(0) prefers odd ports); consecutive connects to one destination get distinct ports.
    [Fact]
    public void connect_without_bind_picks_distinct_even_ports_from_the_ephemeral_range()
    {
        var ports = new List<int>();
        var net = WithServer(20, async libc =>
        {
            for (var i = 0; i < 20; i++)
            {
                var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
                Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9000")));
                ports.Add((await libc.GetSockName(fd)).Addr.Port);
            }
        });
        net.T.Run(1_000_000_000);

        Assert.Equal(20, ports.Count);
        Assert.Equal(20, ports.Distinct().Count());
        Assert.All(ports, p => Assert.InRange(p, 32768, 60999));
        Assert.All(ports, p => Assert.Equal(0, p % 2));
        Assert.Equal("20", Snmp(net.A, "Tcp", "CurrEstab"));
    }

    // A two-port range: the even port, then (the even half exhausted) the odd one, then EADDRNOTAVAIL.
    [Fact]
    public void the_odd_half_is_searched_after_the_even_one_and_a_full_range_is_EADDRNOTAVAIL()
    {
        var results = new List<(long Ret, int Port)>();
        var net = WithServer(2, async libc =>
        {
            for (var i = 0; i < 3; i++)
            {
                var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
                var ret = await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9000"));
                var (_, addr) = await libc.GetSockName(fd);
                results.Add((ret, addr.Port));
            }
        });
        netns_ipv4.of(net.A.Net).ip_local_ports = (40000, 40001);
        net.T.Run(1_000_000_000);

        Assert.Equal([(0L, 40000), (0L, 40001), ((long)-Libc.EADDRNOTAVAIL, 0)], results);
    }

    // Ports picked by connect() are shared between destinations (the 4-tuples differ), but never with a port bind() took.
    [Fact]
    public void a_connect_port_is_shared_across_destinations_but_not_with_a_bound_port()
    {
        var results = new List<(long Ret, int Port)>();
        var net = TwoHosts.OnVeth();
        net.T.AddAddress(net.VethB, "10.0.0.3/24");
        net.T.Spawn(net.B, "server", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("0.0.0.0:9000")));
            Assert.Equal(0, await libc.Listen(fd, 16));
            for (var i = 0; i < 2; i++)
            {
                Assert.True(await libc.Accept(fd) >= 0);
            }
        });
        net.T.Spawn(net.A, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var bound = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(bound, SockAddrIn.Parse("10.0.0.1:40000")));
            foreach (var to in new[] { "10.0.0.2:9000", "10.0.0.3:9000" })
            {
                var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
                var ret = await libc.Connect(fd, SockAddrIn.Parse(to));
                var (_, addr) = await libc.GetSockName(fd);
                results.Add((ret, addr.Port));
            }
        });
        netns_ipv4.of(net.A.Net).ip_local_ports = (40000, 40001);
        net.T.Run(1_000_000_000);

        Assert.Equal([(0L, 40001), (0L, 40001)], results);
    }

    /// <summary>
    /// One host: a listener on <paramref name="server"/> accepts; a client connects
    /// from the one-port range 40000, closes first (its side goes to TIME_WAIT),
    /// waits 2 s (past tcp_tw_reuse_delay) and connects again.
    /// </summary>
    private static (Host H, long Second, int Port) ReconnectOverTimeWait(string server, string? address = null)
    {
        var t = new Topology();
        var h = t.AddHost("H");
        if (address is not null)
        {
            var (va, _) = t.AddVeth(h, "veth0", t.AddHost("peer"), "veth1");
            t.AddAddress(va, address);
        }

        long second = 1;
        var port = 0;
        t.Spawn(h, "server", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse(server)));
            Assert.Equal(0, await libc.Listen(fd, 8));
            var c = (int)await libc.Accept(fd);
            await libc.Sleep(1_500_000_000);
            Assert.Equal(0, await libc.Close(c));
            await libc.Accept(fd);
        });
        t.Spawn(h, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse(server)));
            await libc.Sleep(1_200_000_000);
            Assert.Equal(0, await libc.Close(fd));
            await libc.Sleep(2_000_000_000);
            var fd2 = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            second = await libc.Connect(fd2, SockAddrIn.Parse(server));
            port = (await libc.GetSockName(fd2)).Addr.Port;
        });
        netns_ipv4.of(h.Net).ip_local_ports = (40000, 40000);
        t.Run(5_000_000_000);
        return (h, second, port);
    }

    // tcp_tw_reuse = 2 (6.18's default): on loopback, connect() takes over a TIME_WAIT entry's 4-tuple once
    // tcp_tw_reuse_delay (1 s) has passed, counting TimeWaitRecycled.
    [Fact]
    public void on_loopback_connect_reuses_a_TIME_WAIT_4_tuple_and_counts_TimeWaitRecycled()
    {
        var (h, second, port) = ReconnectOverTimeWait("127.0.0.1:9000");

        Assert.Equal(0, second);
        Assert.Equal(40000, port);
        Assert.Equal(1UL, Mib(h, linux_mib_field.LINUX_MIB_TIMEWAITRECYCLED));
    }

    // Off loopback the default tcp_tw_reuse (2) does not apply: the TIME_WAIT entry keeps the only port busy.
    [Fact]
    public void off_loopback_a_TIME_WAIT_4_tuple_is_not_reused_by_default()
    {
        var (h, second, _) = ReconnectOverTimeWait("10.0.0.1:9000", "10.0.0.1/24");

        Assert.Equal(-Libc.EADDRNOTAVAIL, second);
        Assert.Equal(0UL, Mib(h, linux_mib_field.LINUX_MIB_TIMEWAITRECYCLED));
    }

    /// <summary>A connects from 10.0.0.1:7000 (SO_REUSEADDR as <paramref name="reuseOld"/>), closes first, then a new socket binds 7000 again.</summary>
    private static long BindOverTimeWait(bool reuseOld, bool reuseNew)
    {
        long bind = 1;
        var net = WithServer(1, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            await libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_REUSEADDR, reuseOld ? 1 : 0);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.1:7000")));
            Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.Close(fd));
            await libc.Sleep(500_000_000);
            var fd2 = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            await libc.SetSockOpt(fd2, Libc.SOL_SOCKET, Libc.SO_REUSEADDR, reuseNew ? 1 : 0);
            bind = await libc.Bind(fd2, SockAddrIn.Parse("10.0.0.1:7000"));
        });
        net.T.Run(1_000_000_000);
        var tw = Assert.Single(tcp_ipv4_c.tcp_hashinfo(net.T.K).ehash.Values, s => s.sk_net == net.A.Net);
        Assert.Equal(tcp_states_h.TCP_TIME_WAIT, tw.sk_state);
        return bind;
    }

    // A TIME_WAIT entry holds its port in the bind table: bind() to it is EADDRINUSE unless both the old socket and the new one set SO_REUSEADDR.
    [Theory]
    [InlineData(false, false, -98L)]
    [InlineData(false, true, -98L)]
    [InlineData(true, false, -98L)]
    [InlineData(true, true, 0L)]
    public void a_TIME_WAIT_entry_holds_its_port_against_bind_unless_SO_REUSEADDR(bool reuseOld, bool reuseNew, long expected)
    {
        Assert.Equal(expected, BindOverTimeWait(reuseOld, reuseNew));
    }

    // When the TIME_WAIT entry ends (60 s), the port's bind bucket goes with it.
    [Fact]
    public void the_port_is_freed_when_the_TIME_WAIT_entry_ends()
    {
        var net = WithServer(1, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.1:7000")));
            Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.Close(fd));
        });
        net.T.Run(1_000_000_000);
        var hinfo = tcp_ipv4_c.tcp_hashinfo(net.T.K);
        Assert.Contains((net.A.Net, (ushort)7000), hinfo.bhash.Keys);

        net.T.Run(65_000_000_000);
        Assert.DoesNotContain((net.A.Net, (ushort)7000), hinfo.bhash.Keys);
    }

    // inet_csk_listen_stop: closing a listener with a connection it never accepted resets that connection
    // (tcp_disconnect -> tcp_send_active_reset: OutRsts, EstabResets) and leaves nothing of it in the tables.
    [Fact]
    public void closing_a_listener_resets_the_connections_on_its_accept_queue()
    {
        var net = TwoHosts.OnVeth();
        var frames = net.TapIpv4OnB(400_000_000);
        net.T.Spawn(net.B, "server", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.Listen(fd, 8));
            await libc.Sleep(200_000_000);
            Assert.Equal(0, await libc.Close(fd));
        });
        net.T.Spawn(net.A, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9000")));
        });
        net.T.Run(1_000_000_000);

        Assert.Equal("1", Snmp(net.B, "Tcp", "OutRsts"));
        Assert.Equal("1", Snmp(net.B, "Tcp", "EstabResets"));
        Assert.Equal(0x14, frames[^1][14 + 20 + 13]); // RST|ACK, the last frame B sent
        var hinfo = tcp_ipv4_c.tcp_hashinfo(net.T.K);
        Assert.DoesNotContain(hinfo.ehash.Values, s => s.sk_net == net.B.Net);
        Assert.DoesNotContain(hinfo.bhash.Keys, k => k.Net == net.B.Net);
        Assert.Equal(0, net.T.K.skb_ledger.Live);
    }
}
