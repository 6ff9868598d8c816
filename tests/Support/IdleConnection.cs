using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using Xunit;

namespace KernelNet.Tests.Support;

/// <summary>
/// One idle TCP connection, as the idle-connection bench opens a million
/// (issue 16): B listens on 10.0.0.2:9000 and accepts, A connects; then
/// nothing is sent. Gives both ends' socks after <paramref name="runNs"/> of
/// simulated time.
/// </summary>
public sealed record IdleConnection(Topology T, sock Client, sock Child)
{
    public static IdleConnection Open(long runNs = 200_000_000)
    {
        var net = TwoHosts.OnVeth();
        var (t, a, b) = (net.T, net.A, net.B);
        sock? child = null, client = null;
        SimTask? server = null, connector = null;
        server = t.Spawn(b, "server", 1, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse(TwoHosts.ServerAddress)));
            Assert.Equal(0, await libc.Listen(fd, 8));
            var cfd = (int)await libc.Accept(fd);
            child = ((socket)t.K.task_of(server!).files[cfd]).sk;
        });
        connector = t.Spawn(a, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse(TwoHosts.ServerAddress)));
            client = ((socket)t.K.task_of(connector!).files[fd]).sk;
        });
        t.Run(runNs);
        Assert.Equal(sock_h.TCP_ESTABLISHED, client!.sk_state);
        Assert.Equal(sock_h.TCP_ESTABLISHED, child!.sk_state);
        return new IdleConnection(t, client, child);
    }
}
