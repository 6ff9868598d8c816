using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.Linux;
using KernelNet.Kernel.Net.Ipv4;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using KernelNet.Tests.Support;
using Xunit;

namespace KernelNet.Tests.Net.Ipv4;

/// <summary>
/// net/ipv4/tcp_minisocks.c: the child as tcp_create_openreq_child and
/// tcp_check_req make it (and, for comparison, the active opener's
/// tcp_finish_connect of tcp_input.c).
/// </summary>
public sealed class tcp_minisocks_tests
{
    /// <summary>A on the veth connects at 1 ms to B's listener; B accepts; both are read at 300 ms.</summary>
    private static (Topology T, sock Client, sock Child) Handshake()
    {
        var net = TwoHosts.OnVeth();
        sock? child = null, client = null;
        SimTask? server = null, cl = null;
        server = net.T.Spawn(net.B, "server", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.Listen(fd, 8));
            var cfd = (int)await libc.Accept(fd);
            child = ((socket)net.T.K.task_of(server!).files[cfd]).sk;
        });
        cl = net.T.Spawn(net.A, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            client = ((socket)net.T.K.task_of(cl!).files[fd]).sk;
        });
        net.T.Run(300_000_000);
        return (net.T, client!, child!);
    }

    // tcp_check_req measures the SYN-ACK -> ACK time (tcp_synack_rtt_meas) on the child, so an accepted socket starts
    // with an RTT sample and an RTO of about rto_min (200 ms) rather than the initial 1 s (TCP_TIMEOUT_INIT).
    [Fact]
    public void the_accepted_child_starts_with_the_handshakes_rtt_sample_and_an_rto_near_rto_min()
    {
        var (_, _, child) = Handshake();
        var info = new tcp_info();
        tcp_c.tcp_get_info(child, info);

        Assert.True(KernelNet.Kernel.Include.Linux.tcp_h.tcp_sk(child).srtt_us > 0, "the handshake gave a sample");
        Assert.InRange(info.tcpi_rto, 200_000u, 220_000u);
    }

    // The idle clock of the receive side (icsk_ack.lrcvtime, tcpi_last_data_recv's origin) starts at the handshake:
    // the child's when tcp_create_openreq_child makes it, the client's when the SYN-ACK completes the connect
    // (tcp_finish_connect) — the jiffy the last ACK arrived (rcv_tstamp), a few ms in, not 0.
    [Fact]
    public void the_receive_idle_clock_starts_at_the_handshake_on_both_sides()
    {
        var (_, client, child) = Handshake();

        foreach (var sk in new[] { client, child })
        {
            var lrcvtime = inet_connection_sock_h.inet_csk(sk).icsk_ack_lrcvtime;
            Assert.Equal(KernelNet.Kernel.Include.Linux.tcp_h.tcp_sk(sk).rcv_tstamp, lrcvtime);
            Assert.InRange(lrcvtime - (uint)KernelNet.Kernel.Vmlinux.INITIAL_JIFFIES, 0u, 5u);
        }
    }
}
