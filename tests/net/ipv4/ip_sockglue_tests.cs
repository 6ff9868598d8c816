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

    // SO_TIMESTAMPING over loopback: a TCP send that asked for SCHED, SND and ACK stamps with OPT_ID gets three
    // reports, in that order — __dev_queue_xmit, loopback_xmit's skb_tx_timestamp, then tcp_ack_tstamp when the
    // peer's ACK covers the last byte — each an SCM_TIMESTAMPING cmsg (ts[0] set) then IP_RECVERR with ENOMSG,
    // SO_EE_ORIGIN_TIMESTAMPING, the stamp type and the key 999 (the last byte, counted from snd_una at setsockopt).
    [Fact]
    public void a_timestamped_tcp_send_over_loopback_reports_sched_snd_and_ack_with_the_last_bytes_key()
    {
        var t = new Topology();
        var h = t.AddHost("H");
        var reports = new System.Collections.Generic.List<(long Ret, int Flags, System.Collections.Generic.List<(int Level, int Type, byte[] Data)> Control)>();
        long opt = -1;
        t.Spawn(h, "app", 0, async libc =>
        {
            var l = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            await libc.Bind(l, SockAddrIn.Parse("127.0.0.1:9101"));
            await libc.Listen(l, 4);
            var c = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            await libc.Connect(c, SockAddrIn.Parse("127.0.0.1:9101"));

            // SOF_TIMESTAMPING_TX_SOFTWARE | SOFTWARE | OPT_ID | TX_SCHED | TX_ACK
            opt = await libc.SetSockOpt(c, 1, 37, 2 | 16 | 128 | 256 | 512);
            await libc.SendTo(c, new byte[1000], 1000, 0, null);
            await libc.Sleep(100_000_000);
            for (var i = 0; i < 4; i++)
            {
                var msg = new UserMsg { ControlLen = 256 };
                var ret = await libc.RecvMsg(c, msg, 0x2000); // MSG_ERRQUEUE
                reports.Add((ret, msg.Flags, new System.Collections.Generic.List<(int, int, byte[])>(msg.Control)));
            }
        });
        t.Run(1_000_000_000);

        Assert.Equal(0L, opt);
        Assert.Equal(-11L, reports[3].Ret); // EAGAIN: three reports, no more
        for (var i = 0; i < 3; i++)
        {
            var (ret, flags, control) = reports[i];
            Assert.Equal(0L, ret);
            Assert.Equal(0x2000 | 0x20, flags); // MSG_ERRQUEUE | MSG_TRUNC: the report carries the packet
            Assert.Equal(2, control.Count);
            Assert.Equal((1, 37), (control[0].Level, control[0].Type)); // SOL_SOCKET, SCM_TIMESTAMPING
            Assert.Equal(48, control[0].Data.Length);
            Assert.NotEqual(0L, BinaryPrimitives.ReadInt64LittleEndian(control[0].Data) + BinaryPrimitives.ReadInt64LittleEndian(control[0].Data.AsSpan(8)));
            var ee = control[1].Data;
            Assert.Equal((0, 11), (control[1].Level, control[1].Type)); // SOL_IP, IP_RECVERR
            Assert.Equal(42u, BinaryPrimitives.ReadUInt32LittleEndian(ee)); // ENOMSG
            Assert.Equal(4, ee[4]); // SO_EE_ORIGIN_TIMESTAMPING
            Assert.Equal(999u, BinaryPrimitives.ReadUInt32LittleEndian(ee.AsSpan(12)));
        }

        // ee_info: SCM_TSTAMP_SCHED (1), SCM_TSTAMP_SND (0), SCM_TSTAMP_ACK (2)
        Assert.Equal(new uint[] { 1, 0, 2 }, reports.GetRange(0, 3).ConvertAll(r => BinaryPrimitives.ReadUInt32LittleEndian(r.Control[1].Data.AsSpan(8))).ToArray());
    }
}
