using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.Linux;
using KernelNet.Kernel.Net.Ipv4;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using KernelNet.Tests.Support;
using Xunit;

namespace KernelNet.Tests.Net.Ipv4;

/// <summary>net/ipv4/tcp_minisocks.c: the request sock's child as tcp_check_req creates it.</summary>
public sealed class tcp_minisocks_tests
{
    // tcp_check_req measures the SYN-ACK -> ACK time (tcp_synack_rtt_meas) on the child, so an accepted socket starts
    // with an RTT sample and an RTO of about rto_min (200 ms) rather than the initial 1 s (TCP_TIMEOUT_INIT).
    [Fact]
    public void the_accepted_child_starts_with_the_handshakes_rtt_sample_and_an_rto_near_rto_min()
    {
        var net = TwoHosts.OnVeth();
        sock? child = null;
        SimTask? server = null;
        server = net.T.Spawn(net.B, "server", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.Listen(fd, 8));
            var cfd = (int)await libc.Accept(fd);
            child = ((socket)net.T.K.task_of(server!).files[cfd]).sk;
        });
        net.T.Spawn(net.A, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9000")));
        });
        net.T.Run(300_000_000);

        var info = new tcp_info();
        tcp_c.tcp_get_info(child!, info);

        Assert.True(KernelNet.Kernel.Include.Linux.tcp_h.tcp_sk(child!).srtt_us > 0, "the handshake gave a sample");
        Assert.InRange(info.tcpi_rto, 200_000u, 220_000u);
    }
}
