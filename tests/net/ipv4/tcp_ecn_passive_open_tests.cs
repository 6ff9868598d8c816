using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using KernelNet.Tests.Support;
using Xunit;
using static KernelNet.Kernel.Include.Net.tcp_h;

namespace KernelNet.Tests.Net.Ipv4;

/// <summary>
/// Classic ECN negotiated by a listener (net/ipv4/tcp_input.c's
/// tcp_ecn_create_request, tcp_ecn_make_synack, tcp_minisocks.c's
/// tcp_ecn_openreq_child): the client asks with ECE|CWR (tcp_ecn=1), the
/// server answers as its own net.ipv4.tcp_ecn says.
/// </summary>
public sealed class tcp_ecn_passive_open_tests
{
    private static (sock Client, sock Child) Handshake(int clientEcn, int serverEcn)
    {
        var net = TwoHosts.OnVeth();
        netns_ipv4.of(net.A.Net).sysctl_tcp_ecn = clientEcn;
        netns_ipv4.of(net.B.Net).sysctl_tcp_ecn = serverEcn;
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
        return (client!, child!);
    }

    // tcp_ecn=2 (the default) answers an ECN-setup SYN with an ECE SYN-ACK: the client's tcp_ecn_rcv_synack keeps
    // RFC 3168 mode only on ECE alone, and the accepted child inherits ecn_ok.
    [Fact]
    public void a_listener_with_the_default_tcp_ecn_2_agrees_to_ecn_and_its_child_uses_rfc3168()
    {
        var (client, child) = Handshake(clientEcn: 1, serverEcn: 2);

        Assert.Equal(TCP_ECN_MODE_RFC3168, KernelNet.Kernel.Include.Linux.tcp_h.tcp_sk(child).ecn_flags & TCP_ECN_MODE_ANY);
        Assert.Equal(TCP_ECN_MODE_RFC3168, KernelNet.Kernel.Include.Linux.tcp_h.tcp_sk(client).ecn_flags & TCP_ECN_MODE_ANY);
    }

    // tcp_get_info: TCP_INFO's options say ECN was negotiated (TCPI_OPT_ECN, from tcp_ecn_mode_any) on both ends
    // of an ECN connection, and on neither end of one the listener refused.
    [Fact]
    public void tcp_info_reports_TCPI_OPT_ECN_on_both_ends_only_when_ecn_was_negotiated()
    {
        static int Options(sock sk)
        {
            var info = new KernelNet.Kernel.Include.Uapi.Linux.tcp_info();
            KernelNet.Kernel.Net.Ipv4.tcp_c.tcp_get_info(sk, info);
            return info.tcpi_options;
        }

        var (client, child) = Handshake(clientEcn: 1, serverEcn: 2);
        Assert.NotEqual(0, Options(client) & KernelNet.Kernel.Include.Uapi.Linux.tcp_h.TCPI_OPT_ECN);
        Assert.NotEqual(0, Options(child) & KernelNet.Kernel.Include.Uapi.Linux.tcp_h.TCPI_OPT_ECN);

        var (client0, child0) = Handshake(clientEcn: 1, serverEcn: 0);
        Assert.Equal(0, Options(client0) & KernelNet.Kernel.Include.Uapi.Linux.tcp_h.TCPI_OPT_ECN);
        Assert.Equal(0, Options(child0) & KernelNet.Kernel.Include.Uapi.Linux.tcp_h.TCPI_OPT_ECN);
    }

    // tcp_ecn=0 on the server: the SYN-ACK carries no ECE, so both ends end up without ECN.
    [Fact]
    public void a_listener_with_tcp_ecn_0_refuses_ecn_and_both_ends_turn_it_off()
    {
        var (client, child) = Handshake(clientEcn: 1, serverEcn: 0);

        Assert.Equal(TCP_ECN_DISABLED, KernelNet.Kernel.Include.Linux.tcp_h.tcp_sk(child).ecn_flags & TCP_ECN_MODE_ANY);
        Assert.Equal(TCP_ECN_DISABLED, KernelNet.Kernel.Include.Linux.tcp_h.tcp_sk(client).ecn_flags & TCP_ECN_MODE_ANY);
    }

    // A client that does not ask (tcp_ecn=2 on both sides) gets no ECN from the listener either.
    [Fact]
    public void a_syn_without_ece_and_cwr_leaves_the_child_without_ecn()
    {
        var (client, child) = Handshake(clientEcn: 2, serverEcn: 2);

        Assert.Equal(TCP_ECN_DISABLED, KernelNet.Kernel.Include.Linux.tcp_h.tcp_sk(child).ecn_flags & TCP_ECN_MODE_ANY);
        Assert.Equal(TCP_ECN_DISABLED, KernelNet.Kernel.Include.Linux.tcp_h.tcp_sk(client).ecn_flags & TCP_ECN_MODE_ANY);
    }
}
