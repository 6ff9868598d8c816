using System;
using System.Buffers.Binary;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using Xunit;

namespace KernelNet.Tests.Net.Ipv4;

/// <summary>net/ipv4/ip_sockglue.c: do_ip_setsockopt's options, and ip_recv_error (recvmsg MSG_ERRQUEUE).</summary>
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

    // ip_recv_error over loopback: two MSG_ZEROCOPY sends on a connected TCP socket complete as one notification
    // (ids 0..1) on the error queue, read as SOL_IP/IP_RECVERR with origin SO_EE_ORIGIN_ZEROCOPY and, since a local
    // receiver must not hold the sender's pages (ip_local_deliver_finish copies them), SO_EE_CODE_ZEROCOPY_COPIED.
    // The queue is then empty again (EAGAIN). Without SO_ZEROCOPY the flag is ignored and nothing is queued.
    [Fact]
    public void zerocopy_sends_over_loopback_complete_on_the_error_queue_as_one_copied_range()
    {
        var t = new Topology();
        var h = t.AddHost("H");
        long first = 0, second = 0, errq = 0, again = 0, plainErrq = 0;
        var control = new System.Collections.Generic.List<(int Level, int Type, byte[] Data)>();
        var flags = 0;
        t.Spawn(h, "app", 0, async libc =>
        {
            var l = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            await libc.Bind(l, SockAddrIn.Parse("127.0.0.1:9100"));
            await libc.Listen(l, 4);
            var c = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            await libc.SetSockOpt(c, 1, 60, 1); // SOL_SOCKET, SO_ZEROCOPY
            await libc.Connect(c, SockAddrIn.Parse("127.0.0.1:9100"));
            var plain = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            await libc.Connect(plain, SockAddrIn.Parse("127.0.0.1:9100"));
            first = await libc.SendTo(c, new byte[3000], 3000, 0x4000000, null); // MSG_ZEROCOPY
            second = await libc.SendTo(c, new byte[3000], 3000, 0x4000000, null);
            await libc.SendTo(plain, new byte[100], 100, 0x4000000, null);
            await libc.Sleep(10_000_000);
            var msg = new UserMsg { ControlLen = 128 };
            msg.Iov.Add((new byte[16], 16));
            errq = await libc.RecvMsg(c, msg, 0x2000); // MSG_ERRQUEUE
            control.AddRange(msg.Control);
            flags = msg.Flags;
            again = await libc.RecvMsg(c, new UserMsg { ControlLen = 128 }, 0x2000);
            plainErrq = await libc.RecvMsg(plain, new UserMsg { ControlLen = 128 }, 0x2000);
        });
        t.Run(100_000_000);

        Assert.Equal((3000L, 3000L), (first, second));
        Assert.Equal(0L, errq);
        Assert.Equal(0x2000, flags & 0x2000);
        var (level, type, data) = Assert.Single(control);
        Assert.Equal((0, 11), (level, type)); // SOL_IP, IP_RECVERR
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(data)); // ee_errno
        Assert.Equal(5, data[4]); // ee_origin: SO_EE_ORIGIN_ZEROCOPY
        Assert.Equal(1, data[6]); // ee_code: SO_EE_CODE_ZEROCOPY_COPIED
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(8))); // ee_info: first id
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(12))); // ee_data: last id
        Assert.Equal(-11L, again); // EAGAIN
        Assert.Equal(-11L, plainErrq);
    }
}
