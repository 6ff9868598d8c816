using System.Collections.Generic;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Machine;
using KernelNet.Tests.Support;
using Xunit;

namespace KernelNet.Tests.Net.Ipv4;

/// <summary>
/// FIELD-3, client port exhaustion, through net/ipv4/inet_hashtables.c's
/// __inet_hash_connect: a client connecting to one server from a narrow
/// ip_local_port_range runs out of 4-tuples; connect() fails with
/// EADDRNOTAVAIL, and closing the connections does not help at once — the
/// active closer's timewait sockets hold their ports for 60 s.
/// </summary>
public sealed class inet_hashtables_port_exhaustion_tests
{
    private const long Second = 1_000_000_000;

    // demonstrates FIELD-3 (the "fail" half; the kernel's port search costs CPU
    // time the simulation does not charge, so "slow" is not shown here).
    [Fact]
    public void a_narrow_port_range_makes_connect_fail_with_EADDRNOTAVAIL_until_the_closed_ports_timewait_ends()
    {
        var net = TwoHosts.OnVeth();
        netns_ipv4.of(net.A.Net).ip_local_ports = (40000, 40003);
        var results = new List<(long At, long Ret)>();
        net.T.Spawn(net.B, "server", 1, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.Listen(fd, 16));
            while (true)
            {
                Assert.True(await libc.Accept(fd) >= 0);
            }
        });
        net.T.Spawn(net.A, "client", 0, async libc =>
        {
            await libc.Sleep(Second / 100);
            var open = new List<int>();
            async System.Threading.Tasks.Task Connect()
            {
                var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
                var ret = await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9000"));
                results.Add((net.T.Machine.Now / Second, ret));
                if (ret == 0)
                {
                    open.Add(fd);
                }
            }

            // four ports, four connections; the fifth has no port left
            for (var i = 0; i < 5; i++)
            {
                await Connect();
            }

            // the client closes first and the server never does: each port is held
            // by a timewait socket in the FIN_WAIT2 substate for tcp_fin_timeout
            foreach (var fd in open)
            {
                await libc.Close(fd);
            }

            await libc.Sleep(Second);
            await Connect();

            // tcp_fin_timeout is 60 s: then the ports are free again
            await libc.Sleep(62 * Second);
            await Connect();
        });
        net.T.Run(70 * Second);

        Assert.Equal(7, results.Count);
        Assert.All(results.GetRange(0, 4), r => Assert.Equal(0, r.Ret));
        Assert.Equal(-Libc.EADDRNOTAVAIL, results[4].Ret);
        Assert.Equal(-Libc.EADDRNOTAVAIL, results[5].Ret);
        Assert.Equal(0, results[6].Ret);
        Assert.True(results[6].At >= 60);
    }
}
