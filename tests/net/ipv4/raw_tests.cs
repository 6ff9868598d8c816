using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Net.Ipv4;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using KernelNet.Scenarios.Oracle;
using KernelNet.Tests.Support;
using static KernelNet.Tests.Support.ProcNet;
using Xunit;
using static KernelNet.Kernel.Net.Core.skbuff_c;

namespace KernelNet.Tests.Net.Ipv4;

public sealed class raw_tests
{
    private const uint AddrB = 0x0a000002;

    private static (Topology T, Host A, Host B) TwoHosts()
    {
        var net = Support.TwoHosts.OnVeth();
        return (net.T, net.A, net.B);
    }

    /// <summary>An echo request as ping writes it on a raw socket (the oracle's own builder): ICMP header with checksum and pattern data, no IP header.</summary>
    private static byte[] EchoRequest(ushort id, ushort seq, int size = 56) => IcmpEcho.Request(id, seq, size);

    private static ushort Checksum(ReadOnlySpan<byte> data) => IcmpEcho.Checksum(data);

    private static SockAddrIn To(uint addr) => new(addr, 0);

    private static sock SockOf(Topology t, Libc libc, int fd) => ((socket)t.K.task_of(libc.Task).files[fd]).sk!;

    private static string Field(string text, string key)
    {
        var start = text.IndexOf(key + "=", StringComparison.Ordinal) + key.Length + 1;
        var end = text.IndexOf(' ', start);
        return end < 0 ? text[start..] : text[start..end];
    }

    // What ping does as root: the echo reply comes back on the raw ICMP socket
    // with its IP header, from the peer, port 0.
    [Fact]
    public void raw_icmp_socket_sends_an_echo_request_and_reads_the_reply_with_its_ip_header()
    {
        var (t, a, b) = TwoHosts();
        long sent = 0;
        RecvResult reply = default;
        t.Spawn(a, "ping", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_RAW, Libc.IPPROTO_ICMP);
            sent = await libc.SendTo(fd, EchoRequest(0x1234, 1), 0, To(AddrB));
            reply = await libc.RecvFrom(fd, 65536, 0);
            await libc.Close(fd);
        });

        t.Run(2_000_000_000);

        Assert.Equal(64, sent);
        Assert.Equal(84, reply.Ret);
        var d = reply.Data;
        Assert.Equal(0x45, d[0]);                                           // IPv4, ihl 5: the header is there
        Assert.Equal(84, BinaryPrimitives.ReadUInt16BigEndian(d.AsSpan(2))); // tot_len
        Assert.Equal(64, d[8]);                                             // b's default TTL
        Assert.Equal(1, d[9]);                                              // IPPROTO_ICMP
        Assert.Equal(AddrB, BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(12)));
        Assert.Equal(0x0a000001u, BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(16)));
        Assert.Equal(0, d[20]);                                             // echo reply
        Assert.Equal(0x1234, BinaryPrimitives.ReadUInt16BigEndian(d.AsSpan(24)));
        Assert.Equal(1, BinaryPrimitives.ReadUInt16BigEndian(d.AsSpan(26)));
        Assert.Equal(0, Checksum(d.AsSpan(20)));
        Assert.Equal(EchoRequest(0x1234, 1).AsSpan(8).ToArray(), d.AsSpan(28).ToArray());
        Assert.Equal(new SockAddrIn(AddrB, 0), reply.From);

        // The request was counted by its flow's ICMP type (raw_probe_proto_opt -> __ip_make_skb).
        Assert.Equal("1", Snmp(a, "Icmp", "OutMsgs"));
        Assert.Equal("1", Snmp(a, "Icmp", "OutEchos"));
        Assert.Equal("1", Snmp(a, "Icmp", "InMsgs"));
        Assert.Equal("1", Snmp(a, "Icmp", "InEchoReps"));
        Assert.Equal("1", Snmp(b, "Icmp", "InEchos"));
        Assert.Equal("1", Snmp(b, "Icmp", "OutEchoReps"));
        Assert.Equal("1", Snmp(a, "Ip", "OutRequests"));

        // One delivery however many raw sockets take a clone.
        Assert.Equal("1", Snmp(a, "Ip", "InDelivers"));
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // The 6.18 trace of ping's reply: the clone is what the reader copies
    // (skb_copy_datagram_iovec, the whole IP packet) and frees
    // (skb_free_datagram's tail call: consume_skb at raw_recvmsg); the
    // original goes on to icmp_rcv, where ping_rcv finds no ping socket.
    [Fact]
    public void the_reader_copies_and_consumes_the_clone_and_ping_rcv_drops_the_original()
    {
        var (t, a, _) = TwoHosts();
        t.K.trace.set_event("skb:kfree_skb");
        t.K.trace.set_event("skb:consume_skb");
        t.K.trace.set_event("skb:skb_copy_datagram_iovec");
        t.Spawn(a, "ping", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_RAW, Libc.IPPROTO_ICMP);
            await libc.SendTo(fd, EchoRequest(0x1234, 1), 0, To(AddrB));
            await libc.RecvFrom(fd, 65536, 0);
            await libc.Close(fd);
        });

        t.Run(2_000_000_000);

        var e = t.K.trace.entries;
        var drop = e.Single(x => x.Event == "kfree_skb");
        Assert.Contains("rx_sk=0000000000000000 protocol=2048 location=ping_rcv", drop.Text, StringComparison.Ordinal);
        Assert.EndsWith("reason: NO_SOCKET", drop.Text, StringComparison.Ordinal);

        var copy = e.Single(x => x.Event == "skb_copy_datagram_iovec");
        Assert.Equal("84", Field(copy.Text, "len"));
        var clone = Field(copy.Text, "skbaddr");
        Assert.NotEqual(Field(drop.Text, "skbaddr"), clone);
        var free = e.Single(x => x.Event == "consume_skb" && Field(x.Text, "skbaddr") == clone);
        Assert.Contains("location=raw_recvmsg", free.Text, StringComparison.Ordinal);

        // Kernel order: the original is dropped in the softirq, then the reader copies and frees the clone.
        var order = e.ToList();
        Assert.True(order.IndexOf(drop) < order.IndexOf(copy) && order.IndexOf(copy) < order.IndexOf(free));
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // raw_v4_input clones for every matching socket, the last one too; a
    // filtered socket (ICMP_FILTER) and a socket of another protocol get none.
    [Fact]
    public void every_matching_raw_socket_gets_its_own_clone_and_ICMP_FILTER_blocks_by_type()
    {
        var (t, a, _) = TwoHosts();
        t.K.trace.set_event("skb:skb_copy_datagram_iovec");
        var replies = new List<RecvResult>();
        long filtered = 0, udpRaw = 0, filterSet = 0, filterRead = 0, filterOnUdp = 0;
        t.Spawn(a, "ping", 0, async libc =>
        {
            var fd1 = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_RAW, Libc.IPPROTO_ICMP);
            var fd2 = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_RAW, Libc.IPPROTO_ICMP);
            var fd3 = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_RAW, Libc.IPPROTO_ICMP);
            var fd4 = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_RAW, Libc.IPPROTO_UDP);
            filterSet = await libc.SetSockOpt(fd3, Libc.SOL_RAW, Libc.ICMP_FILTER, 1 << 0); // block echo replies
            filterRead = await libc.GetSockOpt(fd3, Libc.SOL_RAW, Libc.ICMP_FILTER);
            filterOnUdp = await libc.SetSockOpt(fd4, Libc.SOL_RAW, Libc.ICMP_FILTER, 0);
            await libc.SendTo(fd1, EchoRequest(7, 1), 0, To(AddrB));
            replies.Add(await libc.RecvFrom(fd1, 65536, 0));
            replies.Add(await libc.RecvFrom(fd2, 65536, 0));
            filtered = (await libc.RecvFrom(fd3, 65536, Libc.MSG_DONTWAIT)).Ret;
            udpRaw = (await libc.RecvFrom(fd4, 65536, Libc.MSG_DONTWAIT)).Ret;
            foreach (var fd in new[] { fd1, fd2, fd3, fd4 })
            {
                await libc.Close(fd);
            }
        });

        t.Run(2_000_000_000);

        Assert.All(replies, r => Assert.Equal(84, r.Ret));
        Assert.Equal(replies[0].Data, replies[1].Data);
        var copies = t.K.trace.entries.Where(x => x.Event == "skb_copy_datagram_iovec").Select(x => Field(x.Text, "skbaddr")).ToList();
        Assert.Equal(2, copies.Distinct().Count());
        Assert.Equal(0, filterSet);
        Assert.Equal(1, filterRead);
        Assert.Equal(-95, filterOnUdp); // EOPNOTSUPP: ICMP_FILTER is for ICMP sockets
        Assert.Equal(-Libc.EAGAIN, filtered);
        Assert.Equal(-Libc.EAGAIN, udpRaw);
        Assert.Equal("1", Snmp(a, "Ip", "InDelivers"));
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // A full receive buffer: 6.18's raw_v4_input checks sk_rmem_alloc before
    // cloning, so the packet is counted in sk_drops and no skb is made or
    // dropped for that socket (the original still reaches icmp_rcv). A clone
    // that does reach a full socket (raw_rcv) is dropped SOCKET_RCVBUFF, with
    // the socket as rx_sk. Closing purges what was never read (QUEUE_PURGE).
    [Fact]
    public void a_full_raw_receive_buffer_counts_sk_drops_and_drops_with_SOCKET_RCVBUFF()
    {
        var (t, a, _) = TwoHosts();
        const int Pings = 6;
        t.K.trace.set_event("skb:kfree_skb");
        t.K.trace.set_event("sock:sock_rcvqueue_full");
        sock? sk = null;
        int queuedAfterPings = 0, dropsAfterPings = 0, dropsAfterRcv = 0;
        t.Spawn(a, "ping", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_RAW, Libc.IPPROTO_ICMP);
            await libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, 1); // SOCK_MIN_RCVBUF
            sk = SockOf(t, libc, fd);
            for (var seq = 1; seq <= Pings; seq++)
            {
                await libc.SendTo(fd, EchoRequest(9, (ushort)seq), 0, To(AddrB));
                await libc.Sleep(1_000_000);
            }

            queuedAfterPings = sk.sk_receive_queue.qlen;
            dropsAfterPings = sk.sk_drops;

            // A clone arriving at the full socket (the race raw_v4_input's check leaves open).
            var skb = __alloc_skb(t.K, 128, 0)!;
            skbuff_h.skb_reserve(skb, 64);
            skb_put(skb, 28);
            skbuff_h.skb_reset_network_header(skb);
            skb.protocol = 0x0800;
            skb_pull(skb, 20);
            skb.transport_header = (ushort)skb.data;
            raw_c.raw_rcv(sk, skb);
            dropsAfterRcv = sk.sk_drops;

            await libc.Close(fd); // unread packets are purged
        });

        t.Run(2_000_000_000);

        Assert.InRange(queuedAfterPings, 1, Pings - 1);
        Assert.Equal(Pings - queuedAfterPings, dropsAfterPings);
        Assert.Equal(dropsAfterPings + 1, dropsAfterRcv);
        Assert.Equal(Pings.ToString(System.Globalization.CultureInfo.InvariantCulture), Snmp(a, "Icmp", "InEchoReps"));

        var drops = t.K.trace.entries.Where(x => x.Event == "kfree_skb").ToList();
        var rx_sk = sk!.addr.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

        // The pings' originals: ping_rcv, no socket. The full-buffer skips leave no drop of their own.
        Assert.Equal(Pings, drops.Count(x => x.Text.EndsWith("reason: NO_SOCKET", StringComparison.Ordinal)));
        var rcvbuff = drops.Single(x => x.Text.EndsWith("reason: SOCKET_RCVBUFF", StringComparison.Ordinal));
        Assert.Contains($"rx_sk={rx_sk} protocol=2048 location=raw_rcv_skb", rcvbuff.Text, StringComparison.Ordinal);
        Assert.Single(t.K.trace.entries, x => x.Event == "sock_rcvqueue_full");
        Assert.Equal(queuedAfterPings, drops.Count(x => x.Text.Contains("location=inet_sock_destruct", StringComparison.Ordinal) && x.Text.EndsWith("reason: QUEUE_PURGE", StringComparison.Ordinal)));
        Assert.Equal(0, sk.sk_rmem_alloc);
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // inetsw: raw sockets take any protocol but IPPROTO_IP (0); raw_bind takes
    // only local addresses and keeps the protocol as the "port".
    [Fact]
    public void socket_raw_needs_a_protocol_and_raw_bind_takes_local_addresses_only()
    {
        var (t, a, _) = TwoHosts();
        long wildcard = 0, bindLocal = 0, bindRemote = 0;
        SockAddrIn name = default;
        t.Spawn(a, "app", 0, async libc =>
        {
            wildcard = await libc.Socket(Libc.AF_INET, Libc.SOCK_RAW, 0);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_RAW, Libc.IPPROTO_ICMP);
            bindRemote = await libc.Bind(fd, new SockAddrIn(AddrB, 0));
            bindLocal = await libc.Bind(fd, new SockAddrIn(0x0a000001, 0));
            name = (await libc.GetSockName(fd)).Addr;
            await libc.Close(fd);
        });

        t.Run(1_000_000_000);

        Assert.Equal(-Libc.EPROTONOSUPPORT, wildcard);
        Assert.Equal(-Libc.EADDRNOTAVAIL, bindRemote);
        Assert.Equal(0, bindLocal);
        Assert.Equal(new SockAddrIn(0x0a000001, 1), name);
        Assert.Equal(0, t.K.leaked_skbs());
    }
}
