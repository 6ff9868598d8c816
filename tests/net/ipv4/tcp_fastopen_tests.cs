using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.Linux;
using KernelNet.Kernel.Include.Uapi.Linux.NetfilterIpv4;
using KernelNet.Kernel.Net.Ipv4;
using KernelNet.Kernel.Net.Ipv4.Netfilter;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using KernelNet.Tests.Support;
using Xunit;

namespace KernelNet.Tests.Net.Ipv4;

/// <summary>
/// net/ipv4/tcp_fastopen.c (with tcp_metrics.c's cookie cache): the server's
/// SipHash cookie, the child made at SYN time, a bad cookie's SYN-ACK, and the
/// client that caches a cookie and puts data in its next SYN. The addresses
/// and key are the kernel selftests' (192.0.2.1 to 192.168.0.1, key
/// a1a1a1a1-b2b2b2b2-c3c3c3c3-d4d4d4d4), whose cookie they call TFO_COOKIE.
/// </summary>
public sealed class tcp_fastopen_tests
{
    /// <summary>TFO_COOKIE of the selftests' ksft_runner.sh (IPv4) for that key and those addresses.</summary>
    private static readonly byte[] TfoCookie = Convert.FromHexString("3021b9d889017eeb");

    private const string SelftestKey = "a1a1a1a1-b2b2b2b2-c3c3c3c3-d4d4d4d4";
    private const uint ClientAddr = 0xc0000201; // 192.0.2.1
    private const uint ServerAddr = 0xc0a80001; // 192.168.0.1
    private const ushort ServerPort = 9000;
    private const ushort ClientPort = 40000;

    /// <summary>A (192.0.2.1) and B (192.168.0.1) on one veth, each with an on-link route to the other; B is a Fast Open server with the selftests' key.</summary>
    private static TwoHosts Net()
    {
        var t = new Topology();
        var a = t.AddHost("A");
        var b = t.AddHost("B");
        var (va, vb) = t.AddVeth(a, "veth0", b, "veth1");
        t.AddAddress(va, "192.0.2.1/24");
        t.AddAddress(vb, "192.168.0.1/24");
        Assert.Equal(0, Topology.AddRoute(a, 0xc0a80000, 24, 0, va, 0));
        Assert.Equal(0, Topology.AddRoute(b, 0xc0000200, 24, 0, vb, 0));

        netns_ipv4.of(b.Net).sysctl_tcp_fastopen = KernelNet.Kernel.Include.Net.tcp_h.TFO_CLIENT_ENABLE | KernelNet.Kernel.Include.Net.tcp_h.TFO_SERVER_ENABLE;
        Assert.Equal(0, sysctl_net_ipv4_c.proc_tcp_fastopen_key(b.Net, true, SelftestKey).Err);
        return new TwoHosts(t, a, b, va, vb);
    }

    private static long Mib(Host h, linux_mib_field f) => netns_ipv4.of(h.Net).mib.net_statistics[(int)f];

    /// <summary>The FO option (kind 34) of a TCP segment in a frame: null when absent, else its cookie (empty for a request).</summary>
    private static byte[]? FastOpenOption(byte[] frame)
    {
        var ip = frame.AsSpan(14);
        var th = ip[((ip[0] & 0xf) * 4)..];
        var doff = (th[12] >> 4) * 4;
        for (var o = 20; o < doff;)
        {
            if (th[o] == 0)
            {
                break;
            }

            if (th[o] == 1)
            {
                o++;
                continue;
            }

            if (th[o] == 34)
            {
                return th.Slice(o + 2, th[o + 1] - 2).ToArray();
            }

            o += th[o + 1];
        }

        return null;
    }

    /// <summary>
    /// A on the wire as a scripted client: its own stack drops TCP (so it never
    /// answers B), a packet socket on veth0 sends <paramref name="syn"/> at 1 ms
    /// and keeps every TCP frame B sends until 200 ms.
    /// </summary>
    private static List<byte[]> ScriptedClient(TwoHosts net, byte[] syn)
    {
        var seen = new List<byte[]>();
        iptable_filter_c.iptables_append(net.A.Net, "INPUT", new ipt_entry { ip = new ipt_ip { proto = 6 }, verdict = netfilter_h.NF_DROP });
        net.T.Spawn(net.A, "client", 1, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_PACKET, Libc.SOCK_RAW, Libc.Htons(Libc.ETH_P_ALL));
            await libc.BindPacket(fd, Libc.ETH_P_ALL, net.VethA.ifindex);
            await libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, 10_000);
            await libc.Sleep(1_000_000);
            await libc.SendTo(fd, syn, 0, null);
            while (net.T.K.ktime_get_ns() < 200_000_000)
            {
                var r = await libc.RecvFromLl(fd, 65536, 0);
                if (r.Ret > 0 && r.From.PktType != 4 /* PACKET_OUTGOING */ && r.Data.Length >= 14 + 40 && r.Data[12] == 0x08 && r.Data[14 + 9] == 6)
                {
                    seen.Add(r.Data);
                }
            }

            await libc.Close(fd);
        });
        return seen;
    }

    /// <summary>A SYN from A's port 40000 to B's 9000, ISN 0, MSS 1460 and SACK-permitted, the Fast Open option with <paramref name="cookie"/>, and <paramref name="data"/>.</summary>
    private static byte[] Syn(TwoHosts net, byte[] cookie, byte[] data)
    {
        var options = new List<byte> { 2, 4, 0x05, 0xb4, 1, 1, 4, 2, 34, (byte)(2 + cookie.Length) };
        options.AddRange(cookie);
        options.AddRange(new byte[] { 1, 1 });
        return Frames.Tcp(net.VethB.dev_addr, net.VethA.dev_addr, ClientAddr, ServerAddr, ClientPort, ServerPort, 0, 0, 0x02, 32792, options.ToArray(), data);
    }

    /// <summary>B: a non-blocking listener on 9000 with TCP_FASTOPEN; at 50 ms one accept(), whose child and what a read of it gives are reported.</summary>
    private static void Listen(TwoHosts net, Action<long, sock?, long, byte[]> accepted)
    {
        SimTask? server = null;
        server = net.T.Spawn(net.B, "server", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM | Libc.SOCK_NONBLOCK, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, new SockAddrIn(ServerAddr, ServerPort)));
            Assert.Equal(0, await libc.Listen(fd, 8));
            Assert.Equal(0, await libc.SetSockOpt(fd, in_h.IPPROTO_TCP, KernelNet.Kernel.Include.Uapi.Linux.tcp_h.TCP_FASTOPEN, 8));
            await libc.Sleep(50_000_000);
            var cfd = await libc.Accept(fd);
            sock? child = null;
            long n = 0;
            var buf = new byte[512];
            if (cfd >= 0)
            {
                child = ((socket)net.T.K.task_of(server!).files[(int)cfd]).sk;
                n = await libc.Read((int)cfd, buf, buf.Length);
            }

            accepted(cfd, child, n, buf);
        });
    }

    // The cookie is SipHash-2-4 of saddr‖daddr (the SYN's IP header bytes) under the key, stored little-endian:
    // for the selftests' key and addresses it is their TFO_COOKIE, and the SYN-ACK to a cookie request carries it.
    [Fact]
    public void a_cookie_request_gets_the_selftests_tfo_cookie_for_their_key_and_addresses()
    {
        var net = Net();
        var seen = ScriptedClient(net, Syn(net, Array.Empty<byte>(), Array.Empty<byte>()));
        Listen(net, (_, _, _, _) => { });
        net.T.Run(300_000_000);

        var synack = seen.First(f => f[14 + 20 + 13] == 0x12);
        Assert.Equal(TfoCookie, FastOpenOption(synack));
        Assert.Equal(1L, Mib(net.B, linux_mib_field.LINUX_MIB_TCPFASTOPENCOOKIEREQD));
        Assert.Equal(0L, Mib(net.B, linux_mib_field.LINUX_MIB_TCPFASTOPENPASSIVE));
    }

    // tcp_try_fastopen with a valid cookie: the child is made at SYN time in SYN_RECV, goes straight to the accept
    // queue, and the SYN's data is already on its receive queue — readable while the handshake is still open
    // (the client never ACKs here). The SYN-ACK acknowledges the data and carries no cookie.
    [Fact]
    public void a_syn_with_data_and_a_valid_cookie_makes_a_syn_recv_child_whose_data_is_readable_before_the_handshake_completes()
    {
        var net = Net();
        var data = "0123456789"u8.ToArray();
        var seen = ScriptedClient(net, Syn(net, TfoCookie, data));
        long fd = -1, n = -1;
        sock? child = null;
        var buf = Array.Empty<byte>();
        var stateAtAccept = -1;
        Listen(net, (f, c, r, b) =>
        {
            (fd, child, n, buf) = (f, c, r, b);
            stateAtAccept = c?.sk_state ?? -1;
        });
        net.T.Run(300_000_000);

        Assert.True(fd >= 0, $"accept: {fd}");
        Assert.Equal(tcp_states_h.TCP_SYN_RECV, stateAtAccept);
        Assert.Equal(tcp_states_h.TCP_SYN_RECV, child!.sk_state);
        Assert.Equal(10, n);
        Assert.Equal(data, buf.AsSpan(0, 10).ToArray());

        var info = new tcp_info();
        tcp_c.tcp_get_info(child, info);
        Assert.NotEqual(0, info.tcpi_options & KernelNet.Kernel.Include.Uapi.Linux.tcp_h.TCPI_OPT_SYN_DATA);
        Assert.NotEqual(0, info.tcpi_options & KernelNet.Kernel.Include.Uapi.Linux.tcp_h.TCPI_OPT_TFO_CHILD);

        var synack = seen.First(f => f[14 + 20 + 13] == 0x12);
        Assert.Equal(11u, BinaryPrimitives.ReadUInt32BigEndian(synack.AsSpan(14 + 20 + 8)));
        Assert.Null(FastOpenOption(synack));
        Assert.Equal(1L, Mib(net.B, linux_mib_field.LINUX_MIB_TCPFASTOPENPASSIVE));
        Assert.Equal(0L, Mib(net.B, linux_mib_field.LINUX_MIB_TCPFASTOPENPASSIVEFAIL));
    }

    // A cookie that is not ours: TCPFastOpenPassiveFail, no child (the data is not taken: the SYN-ACK acknowledges the
    // ISN only) and the SYN-ACK hands the client the right cookie for next time.
    [Fact]
    public void an_invalid_cookie_leaves_the_data_unaccepted_and_the_syn_ack_carries_the_valid_cookie()
    {
        var net = Net();
        var seen = ScriptedClient(net, Syn(net, Convert.FromHexString("aaaaaaaaaaaaaaaa"), "0123456789"u8.ToArray()));
        long fd = 0;
        Listen(net, (f, _, _, _) => fd = f);
        net.T.Run(300_000_000);

        Assert.Equal(-Libc.EAGAIN, fd);
        var synack = seen.First(f => f[14 + 20 + 13] == 0x12);
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32BigEndian(synack.AsSpan(14 + 20 + 8)));
        Assert.Equal(TfoCookie, FastOpenOption(synack));
        Assert.Equal(1L, Mib(net.B, linux_mib_field.LINUX_MIB_TCPFASTOPENPASSIVEFAIL));
        Assert.Equal(0L, Mib(net.B, linux_mib_field.LINUX_MIB_TCPFASTOPENPASSIVE));
    }

    // The client side end to end (both stacks the port's): TCP_FASTOPEN_CONNECT's first connect has no cookie, so its
    // SYN asks for one (an empty FO option) and tcp_rcv_fastopen_synack caches the SYN-ACK's cookie (tcp_metrics);
    // the next sendto(MSG_FASTOPEN) puts the cookie and the data in the SYN, and the server's child has the data
    // with the SYN (TCPI_OPT_SYN_DATA on both ends; TCPFastOpenActive, TCPFastOpenPassive).
    [Fact]
    public void the_client_caches_the_cookie_of_a_syn_ack_and_sends_data_in_its_next_syn()
    {
        var net = Net();
        var tap = new List<byte[]>();
        var payload = "hello, fast open"u8.ToArray();
        sock? second = null, child = null;
        long connect1 = -1, sent = -1, read = -1;
        var got = new byte[64];

        SimTask? server = null, client = null;
        server = net.T.Spawn(net.B, "server", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, new SockAddrIn(ServerAddr, ServerPort)));
            Assert.Equal(0, await libc.Listen(fd, 8));
            Assert.Equal(0, await libc.SetSockOpt(fd, in_h.IPPROTO_TCP, KernelNet.Kernel.Include.Uapi.Linux.tcp_h.TCP_FASTOPEN, 8));
            var c1 = (int)await libc.Accept(fd);
            await libc.Close(c1);
            var c2 = (int)await libc.Accept(fd);
            child = ((socket)net.T.K.task_of(server!).files[c2]).sk;
            read = await libc.Read(c2, got, got.Length);
        });
        net.T.Spawn(net.B, "tap", 1, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_PACKET, Libc.SOCK_RAW, Libc.Htons(Libc.ETH_P_ALL));
            await libc.BindPacket(fd, Libc.ETH_P_ALL, net.VethB.ifindex);
            await libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, 10_000);
            while (net.T.K.ktime_get_ns() < 250_000_000)
            {
                var r = await libc.RecvFromLl(fd, 65536, 0);
                if (r.Ret > 0 && r.Data.Length >= 14 + 40 && r.Data[12] == 0x08 && r.Data[14 + 9] == 6)
                {
                    tap.Add(r.Data);
                }
            }
        });
        client = net.T.Spawn(net.A, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd1 = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.SetSockOpt(fd1, in_h.IPPROTO_TCP, KernelNet.Kernel.Include.Uapi.Linux.tcp_h.TCP_FASTOPEN_CONNECT, 1));
            connect1 = await libc.Connect(fd1, new SockAddrIn(ServerAddr, ServerPort));
            await libc.Close(fd1);

            await libc.Sleep(20_000_000);
            var fd2 = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            second = ((socket)net.T.K.task_of(client!).files[fd2]).sk;
            sent = await libc.SendTo(fd2, payload, payload.Length, socket_h.MSG_FASTOPEN, new SockAddrIn(ServerAddr, ServerPort));
        });
        net.T.Run(300_000_000);

        Assert.Equal(0, connect1);
        var syns = tap.Where(f => f[14 + 20 + 13] == 0x02).ToList();
        Assert.Equal(2, syns.Count);
        Assert.Equal(Array.Empty<byte>(), FastOpenOption(syns[0]));
        Assert.Equal(TfoCookie, FastOpenOption(syns[1]));
        var ip = syns[1].AsSpan(14);
        var doff = (ip[20 + 12] >> 4) * 4;
        Assert.Equal(payload, ip[(20 + doff)..BinaryPrimitives.ReadUInt16BigEndian(ip[2..])].ToArray());

        Assert.Equal(payload.Length, sent);
        Assert.Equal(payload.Length, read);
        Assert.Equal(payload, got.AsSpan(0, payload.Length).ToArray());
        Assert.True(KernelNet.Kernel.Include.Linux.tcp_h.tcp_sk(second!).syn_data_acked);
        Assert.True(KernelNet.Kernel.Include.Linux.tcp_h.tcp_sk(child!).syn_data_acked);
        Assert.Equal(1L, Mib(net.A, linux_mib_field.LINUX_MIB_TCPFASTOPENACTIVE));
        Assert.Equal(1L, Mib(net.B, linux_mib_field.LINUX_MIB_TCPFASTOPENPASSIVE));
        Assert.Equal(1L, Mib(net.B, linux_mib_field.LINUX_MIB_TCPFASTOPENCOOKIEREQD));
    }

    // net.ipv4.tcp_fastopen_key reads back as the kernel prints it, and a malformed key is refused (EINVAL).
    [Fact]
    public void the_fastopen_key_sysctl_reads_back_what_was_written_and_refuses_a_malformed_key()
    {
        var net = Net();
        Assert.Equal(SelftestKey, sysctl_net_ipv4_c.proc_tcp_fastopen_key(net.B.Net, false, null).Value);
        Assert.Equal("00000000-00000000-00000000-00000000", sysctl_net_ipv4_c.proc_tcp_fastopen_key(net.A.Net, false, null).Value);
        Assert.Equal(-Libc.EINVAL, sysctl_net_ipv4_c.proc_tcp_fastopen_key(net.A.Net, true, "a1a1a1a1-b2b2b2b2").Err);
    }
}
