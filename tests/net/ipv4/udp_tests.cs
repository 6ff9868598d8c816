using System;
using System.Linq;
using System.Text;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.Linux;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using KernelNet.Tests.Support;
using Xunit;

namespace KernelNet.Tests.Net.Ipv4;

public sealed class udp_tests
{
    private static long Udp(Host h, udp_mib_field f) => netns_ipv4.of(h.Net).mib.udp_statistics[(int)f];

    // demonstrates RX-12 and RX-13 (and TX-4: the first datagram waits for ARP).
    [Fact]
    public void datagram_over_veth_wakes_the_blocked_receiver_which_replies()
    {
        var (t, a, b, _, _) = TwoHosts.OnVeth();
        string? gotAtB = null;
        string? gotAtA = null;
        t.K.trace.set_event("*:*");

        var server = t.Spawn(b, "server", 1, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            var r = await libc.RecvFrom(fd, 100, 0);
            gotAtB = Encoding.ASCII.GetString(r.Data);
            Assert.Equal(r.Data.Length, await libc.SendTo(fd, r.Data, 0, r.From));
            await libc.Close(fd);
        });
        var client = t.Spawn(a, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            Assert.Equal(5, await libc.SendTo(fd, Encoding.ASCII.GetBytes("hello"), 0, SockAddrIn.Parse("10.0.0.2:9000")));
            var r = await libc.RecvFrom(fd, 100, 0);
            gotAtA = Encoding.ASCII.GetString(r.Data);
            await libc.Close(fd);
        });

        t.Run();

        Assert.Equal("hello", gotAtB);
        Assert.Equal("hello", gotAtA);
        Assert.True(server.Nvcsw >= 1, "the server slept in recvfrom");
        Assert.Equal(1, Udp(a, udp_mib_field.UDP_MIB_OUTDATAGRAMS));
        Assert.Equal(1, Udp(b, udp_mib_field.UDP_MIB_INDATAGRAMS));
        Assert.Equal(1, Udp(a, udp_mib_field.UDP_MIB_INDATAGRAMS));
        Assert.Contains(t.K.trace.entries, e => e.Event == "sk_data_ready");
        Assert.Contains(t.K.trace.entries, e => e.Event == "neigh_update" && e.Text.Contains("new_state reachable", System.StringComparison.Ordinal));
        Assert.Equal(0, t.K.leaked_skbs());
    }

    [Fact]
    public void datagram_to_a_closed_port_gets_port_unreachable_and_counts_NoPorts()
    {
        var (t, a, b, _, _) = TwoHosts.OnVeth();
        t.K.trace.set_event("skb:kfree_skb");
        t.Spawn(a, "client", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.SendTo(fd, new byte[] { 1, 2, 3 }, 0, SockAddrIn.Parse("10.0.0.2:9"));
            await libc.Sleep(100_000_000);
            await libc.Close(fd);
        });

        t.Run();

        Assert.Equal(1, Udp(b, udp_mib_field.UDP_MIB_NOPORTS));
        Assert.Contains(t.K.trace.entries, e => e.Text.EndsWith("reason: NO_SOCKET", System.StringComparison.Ordinal));
        Assert.Equal(1, netns_ipv4.of(b.Net).mib.icmpmsg_statistics[0x100 | 3]);
        Assert.Equal(1, netns_ipv4.of(a.Net).mib.icmpmsg_statistics[3]);
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // demonstrates LO-1: over lo, no NIC driver is involved; netif_rx and the backlog deliver.
    [Fact]
    public void datagram_over_loopback_goes_through_netif_rx_and_the_backlog()
    {
        var t = new Topology();
        var h = t.AddHost("H");
        string? got = null;
        t.K.trace.set_event("net:*");
        t.K.trace.set_event("napi:*");
        t.Spawn(h, "server", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.Bind(fd, SockAddrIn.Parse("127.0.0.1:7000"));
            var r = await libc.RecvFrom(fd, 100, 0);
            got = Encoding.ASCII.GetString(r.Data);
        });
        t.Spawn(h, "client", 1, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.SendTo(fd, Encoding.ASCII.GetBytes("ping"), 0, SockAddrIn.Parse("127.0.0.1:7000"));
        });

        t.Run();

        Assert.Equal("ping", got);
        Assert.All(t.K.trace.entries.Where(e => e.Text.StartsWith("dev=", System.StringComparison.Ordinal)), e => Assert.StartsWith("dev=lo ", e.Text, System.StringComparison.Ordinal));
        Assert.Contains(t.K.trace.entries, e => e.Event == "netif_rx");
        Assert.Contains(t.K.trace.entries, e => e.Event == "napi_poll" && e.Text.Contains("(no_device)", System.StringComparison.Ordinal));
    }

    // SO_RCVBUF overflow: datagrams beyond sk_rcvbuf are dropped SOCKET_RCVBUFF, counted RcvbufErrors and InErrors.
    [Fact]
    public void full_receive_buffer_drops_SOCKET_RCVBUFF_and_counts_RcvbufErrors()
    {
        var (t, a, b, _, _) = TwoHosts.OnVeth();
        t.K.trace.set_event("skb:kfree_skb");
        t.K.trace.set_event("udp:udp_fail_queue_rcv_skb");
        var read = 0;
        var server = t.Spawn(b, "server", 1, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, 1); // SOCK_MIN_RCVBUF: 2304
            await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000"));
            await libc.Sleep(50_000_000); // do not read while the client floods
            while ((await libc.RecvFrom(fd, 2000, Libc.MSG_DONTWAIT)).Ret > 0)
            {
                read++;
            }

            await libc.Close(fd);
        });
        t.Spawn(a, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            for (var i = 0; i < 10; i++)
            {
                await libc.SendTo(fd, new byte[1000], 0, SockAddrIn.Parse("10.0.0.2:9000"));
            }

            await libc.Close(fd);
        });

        t.Run();

        var dropped = Udp(b, udp_mib_field.UDP_MIB_RCVBUFERRORS);
        Assert.True(read >= 1, "the queue accepts at least the first datagram");
        Assert.Equal(10, read + dropped);
        Assert.True(dropped >= 1, "some datagrams did not fit");
        Assert.Equal(dropped, Udp(b, udp_mib_field.UDP_MIB_INERRORS));
        Assert.Equal(read, Udp(b, udp_mib_field.UDP_MIB_INDATAGRAMS));
        Assert.Equal(dropped, t.K.trace.entries.Count(e => e.Event == "kfree_skb" && e.Text.EndsWith("reason: SOCKET_RCVBUFF", System.StringComparison.Ordinal)));
        Assert.Equal(dropped, t.K.trace.entries.Count(e => e.Event == "udp_fail_queue_rcv_skb" && e.Text.StartsWith("rc=-12 family=AF_INET", System.StringComparison.Ordinal)));
        Assert.DoesNotContain(t.K.trace.entries, e => e.Event == "sock_rcvqueue_full");
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // The error of a port unreachable reaches a connected socket on its next call (udp_err -> sk_err).
    [Fact]
    public void port_unreachable_makes_the_next_call_on_a_connected_socket_fail_ECONNREFUSED()
    {
        var (t, a, b, _, _) = TwoHosts.OnVeth();
        long recvRet = 0, secondRet = 0;
        t.Spawn(a, "client", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9")));
            Assert.Equal(3, await libc.SendTo(fd, new byte[] { 1, 2, 3 }, 0, null));
            recvRet = (await libc.RecvFrom(fd, 64, 0)).Ret; // sleeps; the ICMP error wakes it
            secondRet = (await libc.RecvFrom(fd, 64, Libc.MSG_DONTWAIT)).Ret; // the error was taken
            await libc.Close(fd);
        });

        t.Run();

        Assert.Equal(-Libc.ECONNREFUSED, recvRet);
        Assert.Equal(-Libc.EAGAIN, secondRet);
        Assert.Equal(1, Udp(b, udp_mib_field.UDP_MIB_NOPORTS));
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // 6.18 __udp4_lib_err: without IP_RECVERR, an unconnected socket is not told; with it, it is.
    [Theory]
    [InlineData(false, -11)]
    [InlineData(true, -111)]
    public void port_unreachable_reaches_an_unconnected_socket_only_with_IP_RECVERR(bool recverr, long expected)
    {
        var (t, a, b, _, _) = TwoHosts.OnVeth();
        long ret = 0;
        t.Spawn(a, "client", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            if (recverr)
            {
                Assert.Equal(0, await libc.SetSockOpt(fd, Libc.SOL_IP, Libc.IP_RECVERR, 1));
            }

            await libc.SendTo(fd, new byte[] { 1 }, 0, SockAddrIn.Parse("10.0.0.2:9"));
            await libc.Sleep(50_000_000);
            ret = (await libc.RecvFrom(fd, 64, Libc.MSG_DONTWAIT)).Ret;
            await libc.Close(fd);
        });

        t.Run();

        Assert.Equal(expected, ret);
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // RX-13: recv copies the payload into the user's buffer; a short buffer truncates (MSG_TRUNC reports the full length).
    [Fact]
    public void recv_copies_the_payload_and_truncates_to_the_buffer()
    {
        var (t, a, b, _, _) = TwoHosts.OnVeth();
        byte[]? first = null;
        long truncRet = 0, fullLenRet = 0;
        t.Spawn(b, "server", 1, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.Bind(fd, SockAddrIn.Parse("0.0.0.0:9000"));
            var r = await libc.RecvFrom(fd, 100, 0);
            first = r.Data;
            truncRet = (await libc.RecvFrom(fd, 4, 0)).Ret;
            fullLenRet = (await libc.RecvFrom(fd, 4, Libc.MSG_TRUNC)).Ret;
            await libc.Close(fd);
        });
        t.Spawn(a, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            for (var i = 0; i < 3; i++)
            {
                await libc.SendTo(fd, Encoding.ASCII.GetBytes("0123456789"), 0, SockAddrIn.Parse("10.0.0.2:9000"));
            }

            await libc.Close(fd);
        });

        t.Run();

        Assert.Equal("0123456789", Encoding.ASCII.GetString(first!));
        Assert.Equal(4, truncRet);
        Assert.Equal(10, fullLenRet);
        Assert.Equal(3, Udp(b, udp_mib_field.UDP_MIB_INDATAGRAMS));
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // compute_score: a socket bound to the address beats one bound to INADDR_ANY on the same port.
    [Fact]
    public void lookup_prefers_the_socket_bound_to_the_destination_address()
    {
        var (t, a, b, _, _) = TwoHosts.OnVeth();
        long wildcardGot = 0, specificGot = 0;
        SpawnPortSharer(t, b, "wild", "0.0.0.0:9000", ret => wildcardGot = ret);
        SpawnPortSharer(t, b, "specific", "10.0.0.2:9000", ret => specificGot = ret);
        t.Spawn(a, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.SendTo(fd, new byte[] { 7, 7 }, 0, SockAddrIn.Parse("10.0.0.2:9000"));
            await libc.Close(fd);
        });

        t.Run();

        Assert.Equal(2, specificGot);
        Assert.Equal(-Libc.EAGAIN, wildcardGot);
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // udp4_csum_init: a datagram of CHECKSUM_BREAK (76) bytes or less is summed before the
    // socket lookup; a bad one is dropped in __udp4_lib_rcv (UDP_CSUM, no rx_sk), counts
    // InCsumErrors and InErrors, and the blocked reader is woken only by the good one after it.
    [Fact]
    public void a_short_datagram_with_a_bad_checksum_is_dropped_in_udp_rcv_and_never_wakes_the_reader()
    {
        var n = TwoHosts.OnVeth();
        n.T.K.trace.set_event("skb:kfree_skb");
        n.T.K.trace.set_event("sock:sk_data_ready");
        var bad = Frames.Udp(n.VethB.dev_addr, n.VethA.dev_addr, 0x0a000001, 0x0a000002, 7000, 9000, [1, 2, 3, 4]);
        bad[14 + 20 + 6] ^= 0x5a; // the UDP check field
        byte[]? got = null;
        n.ReceiveOnceOnB(100, r => got = r.Data);

        Inject.Frame(n.T, n.B, n.VethB, bad, at: 2_000_000);
        Inject.Frame(n.T, n.B, n.VethB, Frames.Udp(n.VethB.dev_addr, n.VethA.dev_addr, 0x0a000001, 0x0a000002, 7000, 9000, [9, 9]), at: 4_000_000);
        n.T.Run(100_000_000);

        Assert.Equal(new byte[] { 9, 9 }, got);
        var drop = Assert.Single(n.T.K.trace.entries, e => e.Event == "kfree_skb" && e.Text.Contains("protocol=2048", StringComparison.Ordinal));
        Assert.Contains("rx_sk=0000000000000000", drop.Text, StringComparison.Ordinal);
        Assert.EndsWith("reason: UDP_CSUM", drop.Text, StringComparison.Ordinal);
        Assert.Single(n.T.K.trace.entries, e => e.Event == "sk_data_ready");
        Assert.Equal(1, Udp(n.B, udp_mib_field.UDP_MIB_CSUMERRORS));
        Assert.Equal(1, Udp(n.B, udp_mib_field.UDP_MIB_INERRORS));
        Assert.Equal(1, Udp(n.B, udp_mib_field.UDP_MIB_INDATAGRAMS));
        Assert.Equal(0, n.T.K.leaked_skbs());
    }

    // Past CHECKSUM_BREAK the sum is left to the reader: the datagram is queued (the reader is
    // woken) and dropped UDP_CSUM when read, which then finds nothing (EAGAIN).
    [Fact]
    public void a_long_datagram_with_a_bad_checksum_is_queued_and_dropped_when_read()
    {
        var n = TwoHosts.OnVeth();
        n.T.K.trace.set_event("skb:kfree_skb");
        n.T.K.trace.set_event("sock:sk_data_ready");
        var bad = Frames.Udp(n.VethB.dev_addr, n.VethA.dev_addr, 0x0a000001, 0x0a000002, 7000, 9000, new byte[100]);
        bad[14 + 20 + 6] ^= 0x5a;
        long ret = 0;
        n.T.Spawn(n.B, "server", 1, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.Bind(fd, SockAddrIn.Parse(TwoHosts.ServerAddress));
            await libc.Sleep(20_000_000);
            ret = (await libc.RecvFrom(fd, 200, Libc.MSG_DONTWAIT)).Ret;
            await libc.Close(fd);
        });

        Inject.Frame(n.T, n.B, n.VethB, bad, at: 2_000_000);
        n.T.Run(100_000_000);

        Assert.Equal(-Libc.EAGAIN, ret);
        Assert.Single(n.T.K.trace.entries, e => e.Event == "sk_data_ready");
        var drop = Assert.Single(n.T.K.trace.entries, e => e.Event == "kfree_skb" && e.Text.Contains("protocol=2048", StringComparison.Ordinal));
        Assert.EndsWith("reason: UDP_CSUM", drop.Text, StringComparison.Ordinal);
        Assert.Equal(1, Udp(n.B, udp_mib_field.UDP_MIB_CSUMERRORS));
        Assert.Equal(0, Udp(n.B, udp_mib_field.UDP_MIB_INDATAGRAMS));
        Assert.Equal(0, n.T.K.leaked_skbs());
    }

    // __udp4_lib_mcast_deliver: a subnet broadcast reaches every socket of its port bound to
    // 0.0.0.0, a clone for each but the first; a socket bound to the unicast address 10.0.0.2
    // does not match 10.0.0.255 (__udp_is_mcast_sock) and gets nothing.
    [Fact]
    public void a_broadcast_reaches_every_matching_socket_of_its_port()
    {
        var n = TwoHosts.OnVeth();
        long first = 0, second = 0, unicastOnly = 0;
        SpawnPortSharer(n.T, n.B, "wild1", "0.0.0.0:9000", r => first = r);
        SpawnPortSharer(n.T, n.B, "wild2", "0.0.0.0:9000", r => second = r);
        SpawnPortSharer(n.T, n.B, "specific", "10.0.0.2:9000", r => unicastOnly = r);
        var bcast = Frames.Udp([0xff, 0xff, 0xff, 0xff, 0xff, 0xff], n.VethA.dev_addr, 0x0a000001, 0x0a0000ff, 7000, 9000, [1, 2, 3]);

        Inject.Frame(n.T, n.B, n.VethB, bcast, at: 2_000_000);
        n.T.Run(100_000_000);

        Assert.Equal(3, first);
        Assert.Equal(3, second);
        Assert.Equal(-Libc.EAGAIN, unicastOnly);
        Assert.Equal(2, Udp(n.B, udp_mib_field.UDP_MIB_INDATAGRAMS));
        Assert.Equal(0, Udp(n.B, udp_mib_field.UDP_MIB_IGNOREDMULTI));
        Assert.Equal(0, n.T.K.leaked_skbs());
    }

    // A broadcast no socket takes is freed (NOT_SPECIFIED) and counted IgnoredMulti — not
    // NoPorts, and no ICMP port unreachable goes back.
    [Fact]
    public void a_broadcast_to_a_port_nobody_has_counts_IgnoredMulti_and_sends_no_icmp()
    {
        var n = TwoHosts.OnVeth();
        n.T.K.trace.set_event("skb:kfree_skb");
        var bcast = Frames.Udp([0xff, 0xff, 0xff, 0xff, 0xff, 0xff], n.VethA.dev_addr, 0x0a000001, 0xffffffff, 7000, 9001, [1, 2, 3]);

        Inject.Frame(n.T, n.B, n.VethB, bcast, at: 2_000_000);
        n.T.Run(100_000_000);

        Assert.Equal(1, Udp(n.B, udp_mib_field.UDP_MIB_IGNOREDMULTI));
        Assert.Equal(0, Udp(n.B, udp_mib_field.UDP_MIB_NOPORTS));
        Assert.Equal(0, netns_ipv4.of(n.B.Net).mib.icmpmsg_statistics[0x100 | 3]);
        var drop = Assert.Single(n.T.K.trace.entries, e => e.Event == "kfree_skb" && e.Text.Contains("protocol=2048", StringComparison.Ordinal));
        Assert.EndsWith("reason: NOT_SPECIFIED", drop.Text, StringComparison.Ordinal);
        Assert.Equal(0, n.T.K.leaked_skbs());
    }

    // IP_PKTINFO: ipv4_pktinfo_prepare keeps the receiving interface and the local address a reply
    // would come from (fib_compute_spec_dst) with the queued datagram; recvmsg hands them back as a
    // SOL_IP/IP_PKTINFO control message with the datagram's own destination — here the subnet
    // broadcast, answered from 10.0.0.2. Without the option there is no control message.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void IP_PKTINFO_gives_the_interface_the_reply_address_and_the_destination(bool pktinfo)
    {
        var n = TwoHosts.OnVeth();
        UserMsg? msg = null;
        long ret = 0;
        n.T.Spawn(n.B, "server", 1, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            if (pktinfo)
            {
                Assert.Equal(0, await libc.SetSockOpt(fd, Libc.SOL_IP, 8, 1)); // IP_PKTINFO
            }

            await libc.Bind(fd, SockAddrIn.Parse("0.0.0.0:9000"));
            await libc.Sleep(20_000_000);
            msg = new UserMsg { ControlLen = 64 };
            msg.Iov.Add((new byte[64], 64));
            ret = await libc.RecvMsg(fd, msg, Libc.MSG_DONTWAIT);
            await libc.Close(fd);
        });
        var bcast = Frames.Udp([0xff, 0xff, 0xff, 0xff, 0xff, 0xff], n.VethA.dev_addr, 0x0a000001, 0x0a0000ff, 7000, 9000, [1, 2, 3]);

        Inject.Frame(n.T, n.B, n.VethB, bcast, at: 2_000_000);
        n.T.Run(100_000_000);

        Assert.Equal(3, ret);
        if (!pktinfo)
        {
            Assert.Empty(msg!.Control);
            return;
        }

        var (level, type, data) = Assert.Single(msg!.Control);
        Assert.Equal(0, level); // SOL_IP
        Assert.Equal(8, type);
        Assert.Equal(12, data.Length);
        Assert.Equal(n.VethB.ifindex, BitConverter.ToInt32(data, 0));
        Assert.Equal(new byte[] { 10, 0, 0, 2 }, data[4..8]); // ipi_spec_dst
        Assert.Equal(new byte[] { 10, 0, 0, 255 }, data[8..12]); // ipi_addr
        Assert.Equal(0, n.T.K.leaked_skbs());
    }

    // udp4_seq_show: /proc/net/udp lists the bound socket (0.0.0.0:9000 in the primary slot of 9000 under the
    // namespace's hash mix, state 07) with its receive queue and, in the last column, sk_drops — here every
    // datagram the full buffer refused.
    [Fact]
    public void proc_net_udp_shows_the_socket_with_its_queue_and_drops()
    {
        var (t, a, b, _, _) = TwoHosts.OnVeth();
        string? proc = null;
        t.Spawn(b, "server", 1, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, 1);
            await libc.Bind(fd, SockAddrIn.Parse("0.0.0.0:9000"));
            await libc.Sleep(50_000_000);
            proc = KernelNet.Kernel.Net.Ipv4.udp_c.udp4_seq_show(b.Net);
            await libc.Close(fd);
        });
        t.Spawn(a, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            for (var i = 0; i < 10; i++)
            {
                await libc.SendTo(fd, new byte[1000], 0, SockAddrIn.Parse("10.0.0.2:9000"));
            }

            await libc.Close(fd);
        });

        t.Run();

        var lines = proc!.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops", lines[0].TrimEnd());
        Assert.All(lines, l => Assert.Equal(127, l.Length));
        var line = Assert.Single(lines[1..]);
        var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(FormattableString.Invariant($"{(9000 + b.Net.hash_mix) & 16383}:"), f[0]);
        Assert.Equal("00000000:2328", f[1]);
        Assert.Equal("00000000:0000", f[2]);
        Assert.Equal("07", f[3]);
        var dropped = Udp(b, udp_mib_field.UDP_MIB_RCVBUFERRORS);
        Assert.True(dropped > 0);
        Assert.Equal(dropped.ToString(System.Globalization.CultureInfo.InvariantCulture), f[^1]);
        Assert.NotEqual("00000000", f[4].Split(':')[1]); // the datagrams it kept
    }

    /// <summary>
    /// A socket on B that shares its port (SO_REUSEADDR), so that several can
    /// bind it; it reads once without waiting, after the client has sent, and
    /// hands that read's return value to <paramref name="read"/>.
    /// </summary>
    private static void SpawnPortSharer(Topology t, Host b, string comm, string bindTo, Action<long> read)
    {
        t.Spawn(b, comm, 1, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_REUSEADDR, 1);
            await libc.Bind(fd, SockAddrIn.Parse(bindTo));
            await libc.Sleep(20_000_000);
            read((await libc.RecvFrom(fd, 64, Libc.MSG_DONTWAIT)).Ret);
            await libc.Close(fd);
        });
    }

    private static string Field(string text, string key)
    {
        var start = text.IndexOf(key + "=", StringComparison.Ordinal) + key.Length + 1;
        var end = text.IndexOf(' ', start);
        return end < 0 ? text[start..] : text[start..end];
    }

    // Sends one datagram of payloadLen bytes (a counting pattern) over lo and
    // reads it back with a recvSize buffer; the trace holds netif_rx_entry and
    // skb_copy_datagram_iovec.
    private static (Topology t, byte[] sent, byte[]? got) LoopbackDatagram(int payloadLen, int recvSize = 65536)
    {
        var t = new Topology();
        var h = t.AddHost("H");
        var sent = new byte[payloadLen];
        for (var i = 0; i < sent.Length; i++)
        {
            sent[i] = (byte)((i * 7) + (i >> 8));
        }

        byte[]? got = null;
        t.K.trace.set_event("net:netif_rx_entry");
        t.K.trace.set_event("skb:skb_copy_datagram_iovec");
        t.Spawn(h, "server", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.Bind(fd, SockAddrIn.Parse("127.0.0.1:7000"));
            var r = await libc.RecvFrom(fd, recvSize, 0);
            got = r.Data;
            await libc.Close(fd);
        });
        t.Spawn(h, "client", 1, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            Assert.Equal(payloadLen, await libc.SendTo(fd, sent, 0, SockAddrIn.Parse("127.0.0.1:7000")));
            await libc.Close(fd);
        });

        t.Run();
        return (t, sent, got);
    }

    // __ip_append_data: 30000 bytes do not fit SKB_MAX_ALLOC and lo has
    // NETIF_F_SG, so the datagram is built paged as on 6.18 — only the IP and
    // UDP headers in the head, the payload in page frags — and reads back intact.
    [Fact]
    public void a_30000_byte_datagram_over_loopback_is_paged_with_only_the_headers_linear()
    {
        var (t, sent, got) = LoopbackDatagram(30000);

        Assert.Equal(sent, got);
        var rx = t.K.trace.entries.Single(e => e.Event == "netif_rx_entry");
        Assert.Equal("30028", Field(rx.Text, "len")); // eth_type_trans has pulled the Ethernet header
        Assert.Equal("30000", Field(rx.Text, "data_len")); // headlen 28: the IP and UDP headers
        Assert.NotEqual("0", Field(rx.Text, "nr_frags"));
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // udp_recvmsg: a truncated read checks the checksum first, then copies a
    // non-linear datagram with skb_copy_datagram_msg (its tracepoint fires).
    [Fact]
    public void a_truncated_read_of_a_paged_datagram_copies_with_skb_copy_datagram_msg()
    {
        var (t, sent, got) = LoopbackDatagram(30000, recvSize: 1000);

        Assert.Equal(sent.AsSpan(0, 1000).ToArray(), got);
        var copy = t.K.trace.entries.Single(e => e.Event == "skb_copy_datagram_iovec");
        Assert.Equal("1000", Field(copy.Text, "len"));
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // A datagram whose fragment fits SKB_MAX_ALLOC stays linear, and the
    // truncated read takes copy_linear_skb: no skb_copy_datagram_iovec.
    [Fact]
    public void a_1000_byte_datagram_over_loopback_stays_linear_and_is_read_with_copy_linear_skb()
    {
        var (t, sent, got) = LoopbackDatagram(1000, recvSize: 500);

        Assert.Equal(sent.AsSpan(0, 500).ToArray(), got);
        var rx = t.K.trace.entries.Single(e => e.Event == "netif_rx_entry");
        Assert.Equal("1028", Field(rx.Text, "len"));
        Assert.Equal("0", Field(rx.Text, "data_len"));
        Assert.Equal("0", Field(rx.Text, "nr_frags"));
        Assert.DoesNotContain(t.K.trace.entries, e => e.Event == "skb_copy_datagram_iovec");
        Assert.Equal(0, t.K.leaked_skbs());
    }
}
