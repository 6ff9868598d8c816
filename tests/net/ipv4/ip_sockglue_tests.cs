using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using Xunit;

namespace KernelNet.Tests.Net.Ipv4;

/// <summary>net/ipv4/ip_sockglue.c: do_ip_setsockopt's options.</summary>
public sealed class ip_sockglue_tests
{
    // IP_FREEBIND is accepted on SOL_IP (it was ENOPROTOOPT) and lets bind() name an address no interface has
    // (inet_can_nonlocal_bind).
    [Fact]
    public void IP_FREEBIND_lets_a_socket_bind_an_address_not_configured_here()
    {
        var t = new Topology();
        var h = t.AddHost("H");
        long opt = -1, freebound = -1, refused = 0;
        t.Spawn(h, "app", 0, async libc =>
        {
            var a = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            refused = await libc.Bind(a, SockAddrIn.Parse("192.0.2.7:8080"));
            var b = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            opt = await libc.SetSockOpt(b, 0, 15, 1); // SOL_IP, IP_FREEBIND
            freebound = await libc.Bind(b, SockAddrIn.Parse("192.0.2.7:8080"));
        });
        t.Run(10_000_000);

        Assert.Equal(-99L /* EADDRNOTAVAIL */, refused);
        Assert.Equal((0L, 0L), (opt, freebound));
    }
}
