using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using KernelNet.Kernel.Net.Ipv4;
using KernelNet.Machine;
using KernelNet.Tests.Support;
using Xunit;

namespace KernelNet.Tests.Net.Ipv4;

/// <summary>
/// TCP-4: a connection is its 4-tuple (net/ipv4/inet_hashtables.c's ehash key), so the 65,535
/// ports bound the connections of one (source address, destination) pair only; what bounds a
/// process is its descriptors (fs/file.c's alloc_fd against RLIMIT_NOFILE).
/// </summary>
public sealed class inet_hashtables_connections_tests
{
    private const int Addresses = 3;
    private const int PerAddress = 22_000;
    private const int PerTask = 1_000;
    private const int Connections = Addresses * PerAddress;
    private const long Second = 1_000_000_000;

    // demonstrates TCP-4: 66,000 connections to the one server port 10.0.0.2:9000, more than the 65,535 ports
    // there are, from three client addresses (22,000 source ports each: each 4-tuple is distinct). The server
    // process holds 66,000 descriptors under a raised RLIMIT_NOFILE; each client process stays under the default
    // 1,024, and one that does not gets EMFILE ("Too many open files") from socket() at the 1,022nd descriptor
    // (0-2 are the standard streams), and a descriptor again — the lowest, the one it closed — after a close.
    [Fact]
    public void more_than_65535_connections_reach_one_server_port_from_three_addresses_and_emfile_is_the_fd_limit()
    {
        var net = TwoHosts.OnVeth();
        for (var i = 1; i < Addresses; i++)
        {
            net.T.AddAddress(net.VethA, $"10.0.0.{2 + i}/24");
        }

        var accepted = 0;
        var acceptErrors = new List<long>();
        var server = net.T.Spawn(net.B, "server", 1, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse(TwoHosts.ServerAddress)));
            Assert.Equal(0, await libc.Listen(fd, 4096));
            while (accepted < Connections)
            {
                var c = await libc.Accept(fd);
                if (c < 0)
                {
                    acceptErrors.Add(c);
                    return;
                }

                accepted++;
            }
        });

        // `ulimit -n 70000` for the server process (RLIMIT_NOFILE is read by alloc_fd at every allocation)
        net.T.K.task_of(server).rlimit_nofile = Connections + 100;

        var connectErrors = new List<long>();
        for (var task = 0; task < Connections / PerTask; task++)
        {
            var source = $"10.0.0.{(task % Addresses == 0 ? 1 : 2 + (task % Addresses))}";
            var firstPort = 10_000 + (task / Addresses * PerTask);
            net.T.Spawn(net.A, "client" + task.ToString(CultureInfo.InvariantCulture), task % 2, async libc =>
            {
                await libc.Sleep(Second / 1000);
                for (var j = 0; j < PerTask; j++)
                {
                    var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
                    var ret = await libc.Bind(fd, SockAddrIn.Parse($"{source}:{firstPort + j}"));
                    if (ret == 0)
                    {
                        ret = await libc.Connect(fd, SockAddrIn.Parse(TwoHosts.ServerAddress));
                    }

                    if (ret != 0)
                    {
                        connectErrors.Add(ret);
                    }
                }
            });
        }

        // a process at the default limit: socket() until it fails
        var opened = 0;
        long failure = 0, reopened = 0;
        net.T.Spawn(net.A, "greedy", 0, async libc =>
        {
            while (true)
            {
                var fd = await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
                if (fd < 0)
                {
                    failure = fd;
                    break;
                }

                opened++;
            }

            Assert.Equal(0, await libc.Close(500));
            reopened = await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
        });

        net.T.Run(120 * Second);

        Assert.Empty(connectErrors);
        Assert.Empty(acceptErrors);
        Assert.Equal(Connections, accepted);
        Assert.True(Connections > 65_535);

        // every connection is its own entry in the established hash of the server's namespace, all on port 9000,
        // from three source addresses
        var ehash = TcpTables.EhashSocks(tcp_ipv4_c.tcp_hashinfo(net.T.K));
        var serverSide = ehash.Where(s => s.sk_net == net.B.Net).Select(KernelNet.Kernel.Include.Net.inet_sock_h.inet_sk).ToList();
        Assert.Equal(Connections, serverSide.Count);
        Assert.All(serverSide, k => Assert.Equal(9000, k.inet_num));
        Assert.Equal(Addresses, serverSide.Select(k => k.inet_daddr).Distinct().Count());
        Assert.Equal(PerAddress, serverSide.Select(k => k.inet_dport).Distinct().Count());

        // EMFILE is the descriptor limit, not a port or memory limit
        Assert.Equal(1024 - 3, opened);
        Assert.Equal(-Libc.EMFILE, failure);
        Assert.Equal(500, reopened);
    }
}
