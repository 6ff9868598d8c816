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
/// net/ipv4/inet_hashtables.c: the ephemeral port search of
/// __inet_hash_connect, TIME_WAIT entries holding their port and 4-tuple, a
/// listener's close resetting the children it never accepted, and the tables
/// themselves: established chains walked by hash and inet_match, listeners by
/// (address, port) bucket, /proc/net/tcp in bucket order.
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
        var tw = Assert.Single(TcpTables.EhashSocks(tcp_ipv4_c.tcp_hashinfo(net.T.K)), s => s.sk_net == net.A.Net);
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
        Assert.Contains((net.A.Net, (ushort)7000), TcpTables.BoundPorts(hinfo));

        net.T.Run(65_000_000_000);
        Assert.DoesNotContain((net.A.Net, (ushort)7000), TcpTables.BoundPorts(hinfo));
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
        Assert.DoesNotContain(TcpTables.EhashSocks(hinfo), s => s.sk_net == net.B.Net);
        Assert.DoesNotContain(TcpTables.BoundPorts(hinfo), k => k.Net == net.B.Net);
        Assert.Equal(0, net.T.K.skb_ledger.Live);
    }

    /// <summary>A bare TCP sock of <paramref name="n"/> with a 4-tuple and a state, as the tables see one.</summary>
    private static sock Sock(net n, uint laddr, ushort lport, uint raddr, ushort rport, int state)
    {
        var sk = new sock(n, 2 /* AF_INET */, 1 /* SOCK_STREAM */, Libc.IPPROTO_TCP) { sk_state = state };
        sk.proto_data = new inet_sock(sk) { inet_rcv_saddr = laddr, inet_num = lport, inet_sport = lport, inet_daddr = raddr, inet_dport = rport };
        return sk;
    }

    // With the established table shrunk to one bucket every socket shares a chain: a lookup walks it, skips other
    // hashes, and inet_match picks the one whose 4-tuple is the packet's; the chain is newest first (head insertion).
    [Fact]
    public void lookups_find_each_socket_on_one_colliding_chain()
    {
        var net = TwoHosts.OnVeth();
        var hinfo = tcp_ipv4_c.tcp_hashinfo(net.T.K);
        hinfo.ehash = new inet_ehash_bucket[1];
        hinfo.ehash_mask = 0;
        var socks = Enumerable.Range(0, 4).Select(i => Sock(net.B.Net, 0x0200000a, 9000, 0x0100000a, (ushort)(40000 + i), sock_h.TCP_ESTABLISHED)).ToList();
        foreach (var sk in socks)
        {
            Assert.True(inet_hashtables_c.inet_ehash_insert(sk, null, out var dup));
            Assert.False(dup);
        }

        Assert.Equal(Enumerable.Reverse(socks), TcpTables.EhashSocks(hinfo));
        Assert.Equal(4, socks.Select(s => s.sk_hash).Distinct().Count());
        for (var i = 0; i < 4; i++)
        {
            Assert.Same(socks[i], inet_hashtables_c.__inet_lookup_established(net.B.Net, hinfo, 0x0100000a, (ushort)(40000 + i), 0x0200000a, 9000, 0, 0));
        }

        // another namespace, another peer port, another local address: no match on the chain
        Assert.Null(inet_hashtables_c.__inet_lookup_established(net.A.Net, hinfo, 0x0100000a, 40000, 0x0200000a, 9000, 0, 0));
        Assert.Null(inet_hashtables_c.__inet_lookup_established(net.B.Net, hinfo, 0x0100000a, 40004, 0x0200000a, 9000, 0, 0));
        Assert.Null(inet_hashtables_c.__inet_lookup_established(net.B.Net, hinfo, 0x0100000a, 40000, 0x0300000a, 9000, 0, 0));

        // a second socket with a taken 4-tuple is refused
        Assert.False(inet_hashtables_c.inet_ehash_insert(Sock(net.B.Net, 0x0200000a, 9000, 0x0100000a, 40002, sock_h.TCP_ESTABLISHED), null, out var taken));
        Assert.True(taken);
    }

    // The same hash on a chain is not enough: a socket whose sk_hash equals the packet's but whose 4-tuple differs
    // (a hash collision) is passed over by inet_match.
    [Fact]
    public void a_socket_with_the_same_hash_but_another_4_tuple_is_not_matched()
    {
        var net = TwoHosts.OnVeth();
        var hinfo = tcp_ipv4_c.tcp_hashinfo(net.T.K);
        var real = Sock(net.B.Net, 0x0200000a, 9000, 0x0100000a, 40000, sock_h.TCP_ESTABLISHED);
        Assert.True(inet_hashtables_c.inet_ehash_insert(real, null, out _));
        var decoy = Sock(net.B.Net, 0x0200000a, 9000, 0x0100000a, 40001, sock_h.TCP_ESTABLISHED);
        decoy.sk_hash = real.sk_hash;
        KernelNet.Kernel.Include.Net.sock_h.__sk_nulls_add_node_rcu(decoy, ref inet_hashtables_h.inet_ehash_bucket(hinfo, real.sk_hash).chain);

        Assert.Equal(real.sk_hash, inet_hashtables_c.inet_ehashfn(net.B.Net, 0x0200000a, 9000, 0x0100000a, 40000));
        Assert.Same(real, inet_hashtables_c.__inet_lookup_established(net.B.Net, hinfo, 0x0100000a, 40000, 0x0200000a, 9000, 0, 0));
        Assert.Null(inet_hashtables_c.__inet_lookup_established(net.B.Net, hinfo, 0x0100000a, 40001, 0x0200000a, 9000, 0, 0));
    }

    // inet_unhash takes a socket out of the middle of its chain: its neighbours stay linked and found.
    [Fact]
    public void unhashing_the_middle_of_a_chain_keeps_its_neighbours()
    {
        var net = TwoHosts.OnVeth();
        var hinfo = tcp_ipv4_c.tcp_hashinfo(net.T.K);
        hinfo.ehash = new inet_ehash_bucket[1];
        hinfo.ehash_mask = 0;
        var socks = Enumerable.Range(0, 3).Select(i => Sock(net.B.Net, 0x0200000a, 9000, 0x0100000a, (ushort)(40000 + i), sock_h.TCP_ESTABLISHED)).ToList();
        foreach (var sk in socks)
        {
            inet_hashtables_c.inet_ehash_insert(sk, null, out _);
        }

        inet_hashtables_c.inet_unhash(socks[1]);

        Assert.False(socks[1].sk_hashed);
        Assert.Equal(new[] { socks[2], socks[0] }, TcpTables.EhashSocks(hinfo));
        Assert.Same(socks[2].sk_nulls_node.next, socks[0]);
        Assert.Same(socks[0].sk_nulls_node.pprev, socks[2]);
        Assert.Null(inet_hashtables_c.__inet_lookup_established(net.B.Net, hinfo, 0x0100000a, 40001, 0x0200000a, 9000, 0, 0));
        Assert.Same(socks[0], inet_hashtables_c.__inet_lookup_established(net.B.Net, hinfo, 0x0100000a, 40000, 0x0200000a, 9000, 0, 0));
        Assert.Same(socks[2], inet_hashtables_c.__inet_lookup_established(net.B.Net, hinfo, 0x0100000a, 40002, 0x0200000a, 9000, 0, 0));

        // then the first and the last: the chain empties
        inet_hashtables_c.inet_unhash(socks[2]);
        inet_hashtables_c.inet_unhash(socks[0]);
        Assert.Null(hinfo.ehash[0].chain.first);
    }

    // A listener sits on the lhash2 chain of its bound (address, port): the lookup tries the packet's address's
    // chain first, then the INADDR_ANY one.
    [Fact]
    public void a_listener_is_found_by_its_address_bucket_before_the_wildcard_bucket()
    {
        var net = TwoHosts.OnVeth();
        var hinfo = tcp_ipv4_c.tcp_hashinfo(net.T.K);
        var exact = Sock(net.B.Net, 0x0200000a, 9000, 0, 0, tcp_states_h.TCP_LISTEN);
        var any = Sock(net.B.Net, 0, 9000, 0, 0, tcp_states_h.TCP_LISTEN);
        inet_hashtables_c.inet_hash(exact);
        inet_hashtables_c.inet_hash(any);

        var exactBucket = KernelNet.Kernel.Include.Net.ip_h.ipv4_portaddr_hash(net.B.Net, 0x0200000a, 9000) & hinfo.lhash2_mask;
        var anyBucket = KernelNet.Kernel.Include.Net.ip_h.ipv4_portaddr_hash(net.B.Net, 0, 9000) & hinfo.lhash2_mask;
        Assert.NotEqual(exactBucket, anyBucket);
        Assert.Same(exact, hinfo.lhash2[exactBucket].nulls_head.first);
        Assert.Same(any, hinfo.lhash2[anyBucket].nulls_head.first);

        Assert.Same(exact, inet_hashtables_c.__inet_lookup_listener(net.B.Net, hinfo, null, 0, 0x0100000a, 40000, 0x0200000a, 9000, 0, 0));
        Assert.Same(any, inet_hashtables_c.__inet_lookup_listener(net.B.Net, hinfo, null, 0, 0x0100000a, 40000, 0x0300000a, 9000, 0, 0));
        Assert.Null(inet_hashtables_c.__inet_lookup_listener(net.A.Net, hinfo, null, 0, 0x0100000a, 40000, 0x0200000a, 9000, 0, 0));
        Assert.Null(inet_hashtables_c.__inet_lookup_listener(net.B.Net, hinfo, null, 0, 0x0100000a, 40000, 0x0200000a, 9001, 0, 0));

        inet_hashtables_c.inet_unhash(exact);
        Assert.Null(hinfo.lhash2[exactBucket].nulls_head.first);
        Assert.Same(any, inet_hashtables_c.__inet_lookup_listener(net.B.Net, hinfo, null, 0, 0x0100000a, 40000, 0x0200000a, 9000, 0, 0));
    }

    // /proc/net/tcp walks the listening buckets, then the established buckets in index order (tcp_seq_next), so the
    // children of one listener come out in the order of their ehash buckets, not in the order they connected.
    [Fact]
    public void proc_net_tcp_lists_established_sockets_in_ehash_bucket_order()
    {
        const int N = 12;
        var net = WithServer(N, async libc =>
        {
            for (var i = 0; i < N; i++)
            {
                var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
                Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse($"10.0.0.1:{41000 + i}")));
                Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            }
        });
        net.T.Run(1_000_000_000);

        var hinfo = tcp_ipv4_c.tcp_hashinfo(net.T.K);
        var children = TcpTables.EhashSocks(hinfo).Where(s => s.sk_net == net.B.Net).ToList();
        Assert.Equal(N, children.Count);
        foreach (var sk in children)
        {
            var inet = inet_sock_h.inet_sk(sk);
            Assert.Equal(inet_hashtables_c.inet_ehashfn(sk.sk_net, inet.inet_rcv_saddr, inet.inet_num, inet.inet_daddr, inet.inet_dport), sk.sk_hash);
        }

        var expected = children.OrderBy(s => s.sk_hash & hinfo.ehash_mask).Select(s => inet_sock_h.inet_sk(s).inet_dport).ToList();
        var lines = tcp_ipv4_c.tcp4_seq_show(net.B.Net).Split('\n', System.StringSplitOptions.RemoveEmptyEntries);
        var rows = lines.Skip(1).Select(l => l.Split(' ', System.StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal("0A", rows[0][3]); // the listener first
        var remotePorts = rows.Skip(1).Select(r => System.Convert.ToUInt16(r[2].Split(':')[1], 16)).ToList();
        Assert.Equal(expected, remotePorts);
        Assert.NotEqual(Enumerable.Range(41000, N).Select(p => (ushort)p), remotePorts);
    }
}
