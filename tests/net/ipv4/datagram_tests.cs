using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using KernelNet.Tests.Support;
using Xunit;

namespace KernelNet.Tests.Net.Ipv4;

/// <summary>datagram.c: connecting a datagram socket.</summary>
public sealed class datagram_tests
{
    // __ip4_datagram_connect starts the connected socket's IP ID counter at a
    // random value (get_random_u16), so two connected UDP sockets do not send
    // the same sequence of IDs (which the wire would show as the same flow of IDs).
    [Fact]
    public void connecting_a_udp_socket_starts_its_ip_id_counter_at_a_random_value()
    {
        var n = TwoHosts.OnVeth();
        sock? s1 = null, s2 = null;
        SimTask? task = null;
        task = n.T.Spawn(n.A, "udp", 0, async libc =>
        {
            var fd1 = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            var fd2 = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            Assert.Equal(0, await libc.Connect(fd1, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.Connect(fd2, SockAddrIn.Parse("10.0.0.2:9001")));
            s1 = ((socket)n.T.K.task_of(task!).files[fd1]).sk;
            s2 = ((socket)n.T.K.task_of(task!).files[fd2]).sk;
        });
        n.T.Run(10_000_000);

        var id1 = ((inet_sock)s1!.proto_data!).inet_id;
        var id2 = ((inet_sock)s2!.proto_data!).inet_id;
        Assert.NotEqual(id1, id2);
        Assert.NotEqual(0, id1 | id2);
    }
}
