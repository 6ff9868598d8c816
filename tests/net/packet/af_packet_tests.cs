using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.Linux;
using KernelNet.Kernel.Include.Uapi.Linux.NetfilterIpv4;
using KernelNet.Kernel.Net.Ipv4.Netfilter;
using KernelNet.Kernel.Net.Packet;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using KernelNet.Tests.Support;
using Xunit;
using static KernelNet.Kernel.Net.Core.dev_c;

namespace KernelNet.Tests.Net.Packet;

public sealed class af_packet_tests
{
    private static readonly byte[] Broadcast = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

    private static (Topology T, Host A, Host B, net_device Va, net_device Vb) TwoHostsOnVeth()
    {
        var net = TwoHosts.OnVeth();
        return (net.T, net.A, net.B, net.VethA, net.VethB);
    }

    /// <summary>tcpdump -i DEV's socket: AF_PACKET, SOCK_RAW, htons(ETH_P_ALL), bound to the device.</summary>
    private static async System.Threading.Tasks.Task<int> OpenCapture(Libc libc, net_device dev)
    {
        var fd = (int)await libc.Socket(Libc.AF_PACKET, Libc.SOCK_RAW, Libc.Htons(Libc.ETH_P_ALL));
        Assert.True(fd >= 0, $"socket(AF_PACKET) = {fd}");
        Assert.Equal(0, await libc.BindPacket(fd, Libc.ETH_P_ALL, dev.ifindex));
        return fd;
    }

    private static packet_sock PacketSock(Topology t, Libc libc, int fd) =>
        internal_h.pkt_sk(((socket)t.K.task_of(libc.Task).files[fd]).sk!);

    private static ushort EtherType(byte[] frame) => BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12));

    private static int Count(Topology t, string evt, string suffix) =>
        t.K.trace.entries.Count(e => e.Event == evt && e.Text.EndsWith(suffix, StringComparison.Ordinal));

    // A capture on A's veth end sees the whole exchange as complete Ethernet
    // frames, in wire order, sent ones (PACKET_OUTGOING, through
    // dev_queue_xmit_nit) and received ones alike (RX-10-like).
    [Fact]
    public void capture_on_a_veth_end_sees_arp_and_udp_both_ways_in_wire_order_as_ethernet_frames()
    {
        var (t, a, b, va, vb) = TwoHostsOnVeth();
        var frames = new List<PacketRecvResult>();
        t.Spawn(a, "tcpdump", 1, async libc =>
        {
            var fd = await OpenCapture(libc, va);
            for (var i = 0; i < 4; i++)
            {
                frames.Add(await libc.RecvFromLl(fd, 2048, 0));
            }

            await libc.Close(fd);
        });
        t.Spawn(b, "server", 1, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000"));
            var r = await libc.RecvFrom(fd, 100, 0);
            await libc.SendTo(fd, r.Data, 0, r.From);
            await libc.Close(fd);
        });
        t.Spawn(a, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.SendTo(fd, Encoding.ASCII.GetBytes("hello"), 0, SockAddrIn.Parse("10.0.0.2:9000"));
            await libc.RecvFrom(fd, 100, 0);
            await libc.Close(fd);
        });

        t.Run(1_000_000_000);

        Assert.Equal(4, frames.Count);
        Assert.Equal(new ushort[] { if_ether_h.ETH_P_ARP, if_ether_h.ETH_P_ARP, if_ether_h.ETH_P_IP, if_ether_h.ETH_P_IP }, frames.Select(f => EtherType(f.Data)).ToArray());
        Assert.Equal(new[] { SockAddrLl.PacketOutgoing, SockAddrLl.PacketHost, SockAddrLl.PacketOutgoing, SockAddrLl.PacketHost }, frames.Select(f => f.From.PktType).ToArray());
        Assert.All(frames, f => Assert.Equal(va.ifindex, f.From.IfIndex));
        Assert.All(frames, f => Assert.Equal(if_arp_h.ARPHRD_ETHER, f.From.HaType));
        Assert.All(frames, f => Assert.Equal(EtherType(f.Data), f.From.Protocol));
        Assert.All(frames, f => Assert.Equal(f.Data.Length, f.Ret));

        // Complete frames: destination and source MACs first; sll_addr is the source.
        Assert.Equal(Broadcast, frames[0].Data[..6]);
        Assert.Equal(va.dev_addr, frames[0].Data[6..12]);
        Assert.Equal(vb.dev_addr, frames[1].Data[6..12]);
        Assert.Equal(va.dev_addr, frames[1].Data[..6]);
        Assert.Equal(42, frames[0].Data.Length);
        Assert.Equal(14 + 20 + 8 + 5, frames[2].Data.Length);
        Assert.Equal(14 + 20 + 8 + 5, frames[3].Data.Length);
        Assert.Equal("hello", Encoding.ASCII.GetString(frames[2].Data, 42, 5));
        Assert.Equal("hello", Encoding.ASCII.GetString(frames[3].Data, 42, 5));
        Assert.Equal(va.dev_addr, frames[2].From.Addr);
        Assert.Equal(vb.dev_addr, frames[3].From.Addr);
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // demonstrates RX-10: the tap runs in __netif_receive_skb_core, before
    // ip_rcv and netfilter, so tcpdump on B shows the datagram that B's
    // iptables INPUT rule then drops.
    [Fact]
    public void RX_10_capture_on_b_sees_the_datagram_that_an_input_rule_drops()
    {
        var (t, a, b, _, vb) = TwoHostsOnVeth();
        iptable_filter_c.iptables_append(b.Net, "INPUT", new ipt_entry
        {
            ip = new ipt_ip { proto = 17 },
            ports = new xt_ports { dpts_lo = 9000, dpts_hi = 9000 },
            verdict = KernelNet.Kernel.Include.Linux.netfilter_h.NF_DROP,
        });
        var rule = netns_ipv4.of(b.Net).iptable_filter!.entries[(int)nf_inet_hooks.NF_INET_LOCAL_IN][0];
        t.K.trace.set_event("skb:kfree_skb");
        var frames = new List<PacketRecvResult>();
        t.Spawn(b, "tcpdump", 1, async libc =>
        {
            var fd = await OpenCapture(libc, vb);
            for (var i = 0; i < 3; i++)
            {
                frames.Add(await libc.RecvFromLl(fd, 2048, 0));
            }

            await libc.Close(fd);
        });
        t.Spawn(a, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.SendTo(fd, new byte[] { 1, 2, 3, 4 }, 0, SockAddrIn.Parse("10.0.0.2:9000"));
            await libc.Close(fd);
        });

        t.Run(1_000_000_000);

        // ARP request in (broadcast), ARP reply out, the datagram in.
        Assert.Equal(new[] { SockAddrLl.PacketBroadcast, SockAddrLl.PacketOutgoing, SockAddrLl.PacketHost }, frames.Select(f => f.From.PktType).ToArray());
        var udp = frames[2].Data;
        Assert.Equal(if_ether_h.ETH_P_IP, EtherType(udp));
        Assert.Equal(14 + 20 + 8 + 4, udp.Length);
        Assert.Equal(9000, BinaryPrimitives.ReadUInt16BigEndian(udp.AsSpan(14 + 20 + 2)));

        // ...and the stack dropped it all the same.
        Assert.Equal(1ul, rule.pcnt);
        Assert.Equal(1, Count(t, "kfree_skb", "reason: NETFILTER_DROP"));
        Assert.Equal(0, netns_ipv4.of(b.Net).mib.udp_statistics[(int)udp_mib_field.UDP_MIB_INDATAGRAMS]);
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // packet_rcv drops the conntrack reference of the skb it queues (nf_reset_ct): a sent datagram's copy waiting
    // unread on a capture socket does not hold its connection. /proc/net/nf_conntrack's use= counts the table's
    // reference and the reader's own: 2, not 3.
    [Fact]
    public void a_captured_frame_waiting_on_the_socket_holds_no_conntrack_reference()
    {
        var (t, a, _, va, _) = TwoHostsOnVeth();
        var any = new KernelNet.Kernel.Include.Uapi.Linux.Netfilter.xt_conntrack_mtinfo
        {
            state_mask = (ushort)(KernelNet.Kernel.Include.Uapi.Linux.Netfilter.xt_conntrack_h.XT_CONNTRACK_STATE_BIT(KernelNet.Kernel.Include.Uapi.Linux.Netfilter.ip_conntrack_info.IP_CT_NEW)
                | KernelNet.Kernel.Include.Uapi.Linux.Netfilter.xt_conntrack_h.XT_CONNTRACK_STATE_BIT(KernelNet.Kernel.Include.Uapi.Linux.Netfilter.ip_conntrack_info.IP_CT_ESTABLISHED)),
        };
        iptable_filter_c.iptables_append(a.Net, "OUTPUT", new ipt_entry { conntrack = any, verdict = KernelNet.Kernel.Include.Linux.netfilter_h.NF_ACCEPT });
        var queued = 0;
        t.Spawn(a, "tcpdump", 1, async libc =>
        {
            var fd = await OpenCapture(libc, va);
            await libc.Sleep(400_000_000);
            queued = ((socket)t.K.task_of(libc.Task).files[fd]).sk!.sk_receive_queue.qlen;
            await libc.Close(fd);
        });
        t.Spawn(a, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.SendTo(fd, new byte[] { 1, 2, 3, 4 }, 0, SockAddrIn.Parse("10.0.0.2:9000"));
            await libc.Close(fd);
        });

        t.Run(200_000_000);

        var proc = KernelNet.Kernel.Net.Netfilter.nf_conntrack_standalone_c.nf_conntrack_seq_show(a.Net);
        var udp = Assert.Single(proc.Split('\n'), l => l.Contains("udp ", StringComparison.Ordinal) && l.Contains("dport=9000", StringComparison.Ordinal));
        Assert.EndsWith(" use=2", udp, StringComparison.Ordinal);
        t.Run(1_000_000_000);
        Assert.True(queued >= 2, $"the capture held the frames unread ({queued})");
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // packet_snd: the user's bytes are the frame. A send-only socket
    // (protocol 0, bound to a device) and an unbound one naming the device in
    // sockaddr_ll both inject; past MTU + header it is EMSGSIZE, and with no
    // device at all ENXIO.
    [Fact]
    public void packet_snd_injects_a_hand_built_frame_the_peer_socket_receives()
    {
        var (t, a, b, va, vb) = TwoHostsOnVeth();
        t.K.trace.set_event("skb:kfree_skb");
        var got = new List<RecvResult>();
        long sent = 0, sentLl = 0, unbound = 0, tooBig = 0, wayTooBig = 0, justFits = 0;
        t.Spawn(b, "server", 1, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000"));
            got.Add(await libc.RecvFrom(fd, 100, 0));
            got.Add(await libc.RecvFrom(fd, 100, 0));
            await libc.Close(fd);
        });
        t.Spawn(a, "injector", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            byte[] Frame(string payload) => Frames.Udp(vb.dev_addr, va.dev_addr, 0x0a000001, 0x0a000002, 5555, 9000, Encoding.ASCII.GetBytes(payload));

            var fd = (int)await libc.Socket(Libc.AF_PACKET, Libc.SOCK_RAW, 0);
            unbound = await libc.SendTo(fd, Frame("nowhere"), 0, null);
            sentLl = await libc.SendToLl(fd, Frame("yo"), 0, new SockAddrLl(if_ether_h.ETH_P_IP, va.ifindex, 0, 0, vb.dev_addr));
            Assert.Equal(0, await libc.BindPacket(fd, 0, va.ifindex));
            sent = await libc.SendTo(fd, Frame("hi"), 0, null);

            var big = new byte[1500 + 14 + 1];
            Frame("x").AsSpan(0, 14).CopyTo(big);
            tooBig = await libc.SendTo(fd, big, 0, null);
            wayTooBig = await libc.SendTo(fd, new byte[1500 + 14 + 4 + 1], 0, null);
            var fits = new byte[1500 + 14];
            Frame("x").AsSpan(0, 14).CopyTo(fits);
            justFits = await libc.SendTo(fd, fits, 0, null);
            await libc.Close(fd);
        });

        t.Run(1_000_000_000);

        Assert.Equal(-Libc.ENXIO, unbound);
        Assert.Equal(14 + 20 + 8 + 2, sentLl);
        Assert.Equal(14 + 20 + 8 + 2, sent);
        Assert.Equal(new[] { "yo", "hi" }, got.Select(r => Encoding.ASCII.GetString(r.Data)).ToArray());
        Assert.All(got, r => Assert.Equal(SockAddrIn.Parse("10.0.0.1:5555"), r.From));
        Assert.Equal(-Libc.EMSGSIZE, tooBig);
        Assert.Equal(-Libc.EMSGSIZE, wayTooBig);
        Assert.Equal(1500 + 14, justFits);

        // The 1515-byte frame was built before the second check refused it
        // (6.18 frees it with kfree_skb); the 1519-byte one never was.
        Assert.Equal(1, t.K.trace.entries.Count(e => e.Event == "kfree_skb" && e.Text.Contains("location=packet_snd", StringComparison.Ordinal) && e.Text.EndsWith("reason: NOT_SPECIFIED", StringComparison.Ordinal)));
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // A capture that nobody reads fills up at sk_rcvbuf; packet_rcv then drops
    // with PACKET_SOCK_ERROR and counts tp_drops and sk_drops. Only a frame
    // the tap holds alone (a sent frame's clone) is freed there and traced; a
    // received frame is shared with ip_rcv, which still gets it.
    [Fact]
    public void full_capture_buffer_drops_PACKET_SOCK_ERROR_and_counts_tp_drops()
    {
        var (t, a, b, va, _) = TwoHostsOnVeth();
        t.K.trace.set_event("skb:kfree_skb");
        packet_sock? po = null;
        uint packets = 0, drops = 0;
        int skDrops = 0;
        long reply = 0;
        t.Spawn(a, "tcpdump", 1, async libc =>
        {
            var fd = await OpenCapture(libc, va);
            Assert.Equal(0, await libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, 1)); // SOCK_MIN_RCVBUF: 2304
            po = PacketSock(t, libc, fd);
            await libc.Sleep(50_000_000);
            (packets, drops, skDrops) = (po.tp_packets, po.tp_drops, po.sk.sk_drops);
            await libc.Close(fd);
        });
        t.Spawn(a, "server", 1, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.Bind(fd, SockAddrIn.Parse("10.0.0.1:7000"));
            reply = (await libc.RecvFrom(fd, 100, 0)).Ret;
            await libc.Close(fd);
        });
        t.Spawn(b, "peer", 1, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000"));
            for (var i = 0; i < 10; i++)
            {
                await libc.RecvFrom(fd, 2000, 0);
            }

            await libc.SendTo(fd, new byte[] { 42 }, 0, SockAddrIn.Parse("10.0.0.1:7000"));
            await libc.Close(fd);
        });
        t.Spawn(a, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            for (var i = 0; i < 10; i++)
            {
                await libc.SendTo(fd, new byte[100], 0, SockAddrIn.Parse("10.0.0.2:9000"));
            }

            await libc.Close(fd);
        });

        t.Run(1_000_000_000);

        // ARP request out, ARP reply in, ten datagrams out, the reply in.
        Assert.Equal(13u, packets + drops);
        Assert.True(packets >= 2, "the first frames fit");
        Assert.True(drops >= 2, "the buffer filled up before the reply came");
        Assert.Equal((int)drops, skDrops);
        Assert.Equal(2304, po!.sk.sk_rcvbuf);

        // Every drop but the received reply's was the tap's own clone: traced.
        Assert.Equal((int)drops - 1, Count(t, "kfree_skb", "reason: PACKET_SOCK_ERROR"));
        Assert.All(
            t.K.trace.entries.Where(e => e.Text.EndsWith("reason: PACKET_SOCK_ERROR", StringComparison.Ordinal)),
            e => Assert.Contains($"rx_sk={po.sk.addr:x16} protocol=2048 location=packet_rcv", e.Text, StringComparison.Ordinal));
        Assert.Equal(1, reply);

        // What was queued and never read goes at close.
        Assert.Equal((int)packets, Count(t, "kfree_skb", "reason: QUEUE_PURGE"));
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // close(): the tap leaves ptype_all at once, so the next sent frame is
    // not cloned any more (one skb per datagram instead of two), and the
    // queued, unread frames are purged: nothing leaks.
    [Fact]
    public void closing_the_socket_unregisters_the_tap_and_frees_what_it_queued()
    {
        var (t, a, b, va, _) = TwoHostsOnVeth();
        t.K.trace.set_event("skb:kfree_skb");
        var ledger = t.K.skb_ledger;
        bool whileOpen = false, afterSocket = false, afterBind = false, afterClose = true;
        long withTap = 0, withoutTap = 0;
        t.Spawn(a, "tcpdump", 1, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_PACKET, Libc.SOCK_RAW, Libc.Htons(Libc.ETH_P_ALL));

            // Before bind, socket() already tapped every device of the namespace.
            afterSocket = a.Net.ptype_all.Count == 1 && va.ptype_all.Count == 0;
            Assert.Equal(0, await libc.BindPacket(fd, Libc.ETH_P_ALL, va.ifindex));
            afterBind = a.Net.ptype_all.Count == 0 && va.ptype_all.Count == 1;
            await libc.Sleep(100_000_000);
            whileOpen = dev_nit_active_rcu(va);
            await libc.Close(fd);
            afterClose = dev_nit_active_rcu(va) || a.Net.ptype_all.Count != 0;
        });
        t.Spawn(b, "server", 1, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000"));
            for (var i = 0; i < 3; i++)
            {
                await libc.RecvFrom(fd, 100, 0);
            }

            await libc.Close(fd);
        });
        t.Spawn(a, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            var to = SockAddrIn.Parse("10.0.0.2:9000");
            await libc.SendTo(fd, new byte[] { 1 }, 0, to); // resolves ARP
            await libc.Sleep(40_000_000);
            var before = ledger.Allocated;
            await libc.SendTo(fd, new byte[] { 2 }, 0, to);
            withTap = ledger.Allocated - before;
            await libc.Sleep(200_000_000);
            before = ledger.Allocated;
            await libc.SendTo(fd, new byte[] { 3 }, 0, to);
            withoutTap = ledger.Allocated - before;
            await libc.Close(fd);
        });

        t.Run(1_000_000_000);

        Assert.True(afterSocket, "socket() registers the ETH_P_ALL tap on the namespace's ptype_all");
        Assert.True(afterBind, "bind() moves it to the device's ptype_all");
        Assert.True(whileOpen);
        Assert.False(afterClose, "close() takes the tap off every list");
        Assert.Equal(2, withTap);
        Assert.Equal(1, withoutTap);

        // ARP request, ARP reply and two datagrams were queued, never read.
        Assert.Equal(4, Count(t, "kfree_skb", "reason: QUEUE_PURGE"));
        Assert.Empty(a.Net.packet.sklist);
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // packet_recvmsg: a short buffer gets the head of the frame; MSG_TRUNC
    // makes recvfrom return the frame's real length. The plain RecvFrom
    // (a sockaddr_in-sized address buffer) gets the 20-byte sockaddr_ll cut
    // to 16 bytes, as move_addr_to_user does.
    [Fact]
    public void short_buffer_truncates_and_MSG_TRUNC_returns_the_whole_frame_length()
    {
        var (t, a, _, va, _) = TwoHostsOnVeth();
        RecvResult plain = default;
        PacketRecvResult trunc = default;
        t.Spawn(a, "tcpdump", 1, async libc =>
        {
            var fd = await OpenCapture(libc, va);
            plain = await libc.RecvFrom(fd, 20, 0);
            trunc = await libc.RecvFromLl(fd, 20, Libc.MSG_TRUNC);
            await libc.Close(fd);
        });
        t.Spawn(a, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.SendTo(fd, new byte[] { 1 }, 0, SockAddrIn.Parse("10.0.0.2:9000"));
            await libc.Close(fd);
        });

        t.Run(1_000_000_000);

        // The ARP request, then its reply: both 42 bytes on the wire.
        Assert.Equal(20, plain.Ret);
        Assert.Equal(20, plain.Data.Length);
        Assert.Equal(Broadcast, plain.Data[..6]);
        Assert.Equal(42, trunc.Ret);
        Assert.Equal(20, trunc.Data.Length);
        Assert.Equal(SockAddrLl.PacketHost, trunc.From.PktType);
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // socket() reaches the family's create through sock_register's table:
    // AF_PACKET and AF_INET are registered at boot, AF_INET6 is not; packet
    // sockets are SOCK_RAW only in the port.
    [Fact]
    public void socket_dispatches_through_the_registered_families()
    {
        var (t, a, _, _, _) = TwoHostsOnVeth();
        long packet = 0, inet = 0, inet6 = 0, cooked = 0;
        t.Spawn(a, "app", 0, async libc =>
        {
            packet = await libc.Socket(Libc.AF_PACKET, Libc.SOCK_RAW, Libc.Htons(Libc.ETH_P_ALL));
            inet = await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            inet6 = await libc.Socket(10, Libc.SOCK_DGRAM, 0);
            cooked = await libc.Socket(Libc.AF_PACKET, Libc.SOCK_DGRAM, 0);
            await libc.Close((int)packet);
            await libc.Close((int)inet);
        });

        t.Run(1_000_000_000);

        Assert.True(packet >= 3);
        Assert.True(inet >= 3);
        Assert.Equal(-Libc.EAFNOSUPPORT, inet6);
        Assert.Equal(-Libc.ESOCKTNOSUPPORT, cooked);
        Assert.Equal(0, t.K.leaked_skbs());
    }
}
