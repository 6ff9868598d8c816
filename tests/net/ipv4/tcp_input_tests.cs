using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
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
using static KernelNet.Kernel.Net.Core.dev_c;
using static KernelNet.Kernel.Net.Core.skbuff_c;
using static KernelNet.Kernel.Include.Net.tcp_states_h;
using static KernelNet.Tests.Support.ProcNet;

namespace KernelNet.Tests.Net.Ipv4;

/// <summary>
/// The receive side of an established connection (tcp_rcv_established,
/// tcp_data_queue, tcp_recvmsg). A real client on A (10.0.0.1:7000) connects
/// to a listener on B (10.0.0.2:9000); once connected, A's INPUT drops what B
/// sends, and the test plays the client's part itself: it injects the
/// client's segments into B (correct sequence numbers, timestamps and
/// checksums) and records every TCP frame B puts on the wire, with its time.
/// </summary>
public sealed class tcp_input_tests
{
    private const uint A = 0x0a000001;
    private const uint B = 0x0a000002;

    /// <summary>A frame B sent, when.</summary>
    private sealed record Sent(long At, byte[] Frame)
    {
        private ReadOnlySpan<byte> Tcp => Frame.AsSpan(14 + 20);

        public uint Seq => BinaryPrimitives.ReadUInt32BigEndian(Tcp[4..]);

        public uint Ack => BinaryPrimitives.ReadUInt32BigEndian(Tcp[8..]);

        public byte Flags => Tcp[13];

        public ushort Window => BinaryPrimitives.ReadUInt16BigEndian(Tcp[14..]);

        public int Doff => (Tcp[12] >> 4) * 4;

        public byte[] Options => Tcp[20..Doff].ToArray();

        public uint TsVal => BinaryPrimitives.ReadUInt32BigEndian(Tcp[24..]);

        public uint TsEcr => BinaryPrimitives.ReadUInt32BigEndian(Tcp[28..]);

        public int PayloadLength => BinaryPrimitives.ReadUInt16BigEndian(Frame.AsSpan(14 + 2)) - 20 - Doff;
    }

    /// <summary>The connection, and the client's side of it played by hand.</summary>
    private sealed class Rig
    {
        public Rig()
        {
            Net = TwoHosts.OnVeth();
            T.K.trace.set_event("skb:kfree_skb"); T.K.trace.set_event("tcp:tcp_probe"); T.K.trace.set_event("sock:sk_data_ready");
            dev_add_pack(T.K, new packet_type(if_ether_h.ETH_P_ALL, (skb, dev, pt, orig) =>
            {
                var f = skb.head.AsSpan(skb.mac_header, skb.tail - skb.mac_header).ToArray();
                if (f.Length > 34 && f[12] == 0x08 && f[13] == 0x00 && f[14 + 9] == 6 && BinaryPrimitives.ReadUInt32BigEndian(f.AsSpan(14 + 12)) == B)
                {
                    FromB.Add(new Sent(T.Machine.Now, f));
                }

                consume_skb(skb);
                return 0;
            }) { dev = Net.VethB });
        }

        public TwoHosts Net { get; }

        public Topology T => Net.T;

        public List<Sent> FromB { get; } = new();

        /// <summary>When each injected segment went in.</summary>
        public List<long> Injected { get; } = new();

        /// <summary>The accepted socket on B.</summary>
        public sock? Child { get; private set; }

        public int ChildFd { get; private set; } = -1;

        public SimTask? Server { get; private set; }

        /// <summary>The client's next sequence number, and what it acknowledges.</summary>
        public uint Seq { get; set; }

        public uint Ack { get; set; }

        /// <summary>The client's timestamp clock (the value its next segment carries).</summary>
        public uint TsVal { get; set; }

        public ushort Window { get; set; }

        /// <summary>When the handshake is done (the client's connect returned).</summary>
        public long Connected { get; private set; }

        /// <summary>The listener on B, whose accepted connection then runs <paramref name="server"/>; and the client on A.</summary>
        public void Start(Func<Libc, int, Task> server)
        {
            SimTask? s = null;
            s = T.Spawn(Net.B, "server", 1, async libc =>
            {
                var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
                Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000")));
                Assert.Equal(0, await libc.Listen(fd, 8));
                var c = (int)await libc.Accept(fd);
                Assert.True(c >= 0);
                ChildFd = c;
                Child = ((socket)T.K.task_of(s!).files[c]).sk;
                await server(libc, c);
            });
            Server = s;
            SimTask? client = null;
            client = T.Spawn(Net.A, "client", 0, async libc =>
            {
                await libc.Sleep(1_000_000);
                var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
                Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.1:7000")));
                Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9000")));

                // from here on the test is the client: A no longer hears B
                iptable_filter_c.iptables_append(Net.A.Net, "INPUT", new ipt_entry
                {
                    ip = new ipt_ip { proto = 6 },
                    ports = new xt_ports { spts_lo = 9000, spts_hi = 9000 },
                    verdict = netfilter_h.NF_DROP,
                });
                var sk = ((socket)T.K.task_of(client!).files[fd]).sk!;
                var tp = KernelNet.Kernel.Include.Linux.tcp_h.tcp_sk(sk);
                Seq = tp.snd_nxt;
                Ack = tp.rcv_nxt;
                TsVal = tp.rx_opt.ts_recent == 0 ? 1 : (uint)(T.K.ktime_get_ns() / 1_000_000) + tp.tsoffset;
                Window = (ushort)(tp.rcv_wnd >> tp.rx_opt.rcv_wscale);
                Connected = libc.Now;
            });
        }

        /// <summary>Injects one client segment into B at <paramref name="at"/> ns; the sequence advances past its data (and FIN).</summary>
        public void Send(long at, byte[] payload, byte flags = 0x18, Action<Rig>? before = null, uint? tsval = null, uint? ack = null, uint? seq = null, int tailroom = 0)
        {
            T.Spawn(Net.B, "peer", 0, async libc =>
            {
                await libc.Sleep(at - libc.Now);
                before?.Invoke(this);
                var child = KernelNet.Kernel.Include.Linux.tcp_h.tcp_sk(Child!);
                var ecr = (uint)(T.K.ktime_get_ns() / 1_000_000) + child.tsoffset;
                var s = seq ?? Seq;
                var frame = Segment(s, ack ?? Ack, flags, Window, tsval ?? TsVal, ecr, payload);
                if (seq is null)
                {
                    Seq += (uint)payload.Length + ((flags & 1) != 0 ? 1u : 0u);
                }

                if (tsval is null)
                {
                    TsVal++;
                }

                var skb = __alloc_skb(T.K, frame.Length + 64 + tailroom, 0)!;
                skbuff_h.skb_reserve(skb, 64);
                var off = skb_put(skb, frame.Length);
                frame.CopyTo(skb.head, off);
                skb.protocol = KernelNet.Kernel.Net.Ethernet.eth_c.eth_type_trans(skb, Net.VethB);
                Injected.Add(libc.Now);
                netif_rx(skb);
            });
        }

        private byte[] Segment(uint seq, uint ack, byte flags, ushort window, uint tsval, uint tsecr, byte[] payload)
        {
            // NOP, NOP, TS: the aligned timestamp option header prediction expects
            var options = new byte[12];
            options[0] = 1;
            options[1] = 1;
            options[2] = 8;
            options[3] = 10;
            BinaryPrimitives.WriteUInt32BigEndian(options.AsSpan(4), tsval);
            BinaryPrimitives.WriteUInt32BigEndian(options.AsSpan(8), tsecr);
            return Frames.Tcp(Net.VethB.dev_addr, Net.VethA.dev_addr, A, B, 7000, 9000, seq, ack, flags, window, options, payload);
        }

        /// <summary>B's segments after the handshake (its SYN-ACK is the first frame it sent).</summary>
        public List<Sent> AfterHandshake => FromB.Where(f => (f.Flags & 0x02) == 0).ToList();

        public long Mib(linux_mib_field f) => netns_ipv4.of(Net.B.Net).mib.net_statistics[(int)f];

        public void Run(long ns = 1_000_000_000) => T.Run(ns);
    }

    private static byte[] Bytes(int n, int seed = 0) => Enumerable.Range(0, n).Select(i => (byte)((i * 7 + seed) & 0xff)).ToArray();

    // tcp_rcv_synsent_state_process: a client in pingpong mode (TCP_QUICKACK 0 before connect) saves the handshake's
    // ACK for data to ride on, and when none comes the delayed-ACK timer sends it TCP_DELACK_MAX (200 ms) after the
    // SYN-ACK, counted in DelayedACKs, as real Linux did in explore-5-066.
    [Fact]
    public void A_client_in_pingpong_mode_holds_the_handshake_ACK_for_the_delayed_ACK_timer()
    {
        var net = TwoHosts.OnVeth();
        var t = net.T;
        var fromA = new List<(long At, byte Flags)>();
        dev_add_pack(t.K, new packet_type(if_ether_h.ETH_P_ALL, (skb, dev, pt, orig) =>
        {
            var f = skb.head.AsSpan(skb.mac_header, skb.tail - skb.mac_header);
            if (f.Length > 34 && f[12] == 0x08 && f[13] == 0x00 && f[14 + 9] == 6 && BinaryPrimitives.ReadUInt32BigEndian(f[(14 + 12)..]) == A)
            {
                fromA.Add((t.Machine.Now, f[14 + 20 + 13]));
            }

            consume_skb(skb);
            return 0;
        }) { dev = net.VethA });
        long connected = 0;
        t.Spawn(net.B, "server", 1, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.Listen(fd, 8));
            await libc.Sleep(800_000_000);
        });
        t.Spawn(net.A, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.SetSockOpt(fd, Libc.IPPROTO_TCP, KernelNet.Kernel.Include.Uapi.Linux.tcp_h.TCP_QUICKACK, 0));
            Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            connected = libc.Now;
            await libc.Sleep(700_000_000);
        });

        t.Run(1_000_000_000);

        Assert.True(connected > 0);
        Assert.Equal(2, fromA.Count);
        Assert.Equal(0x02, fromA[0].Flags);
        Assert.Equal(0x10, fromA[1].Flags);
        Assert.InRange(fromA[1].At - connected, 196_000_000, 204_000_000);
        Assert.Equal(1, netns_ipv4.of(net.A.Net).mib.net_statistics[(int)linux_mib_field.LINUX_MIB_DELAYEDACKS]);
    }

    // RFC 9293 3.10.7.4 step seven: in-order text goes to the user. The first data of a connection is in quick-ACK
    // mode (tcp_event_data_recv: ato was 0), so 6.18 ACKs it at once, as tcp_ts_recent_invalid_ack.pkt's last lines show.
    [Fact]
    public void In_order_data_is_read_back_byte_exact_and_the_first_segment_is_ACKed_at_once()
    {
        var rig = new Rig();
        var data = Bytes(1000);
        RecvResult got = default;
        rig.Start(async (libc, fd) =>
        {
            await libc.Sleep(40_000_000 - libc.Now);
            got = await libc.RecvFrom(fd, 4096, 0);
        });
        uint isn = 0;
        rig.Send(20_000_000, data, before: r => isn = r.Seq);

        rig.Run();

        Assert.Equal(1000, got.Ret);
        Assert.Equal(data, got.Data);
        var ack = Assert.Single(rig.AfterHandshake);
        Assert.Equal(0x10, ack.Flags);
        Assert.Equal(isn + 1000, ack.Ack);
        Assert.InRange(ack.At - rig.Injected[0], 0, 100_000);
        Assert.Equal(0, ack.PayloadLength);
        Assert.Equal(new byte[] { 1, 1, 8, 10 }, ack.Options[..4]);
        Assert.Equal(0, rig.Mib(linux_mib_field.LINUX_MIB_DELAYEDACKS));

    }

    // After the quick ACKs of a new connection (tcp_incr_quickack: min(rcv_wnd / (2 * rcv_mss), 16) = 16 here) are
    // spent, a small in-order segment waits for the delayed-ACK timer: ato = TCP_ATO_MIN (HZ/25 = 40 ms), fired in
    // tcp_delack_timer_handler, counted in DelayedACKs. Small (100-byte, < 128: no window growth) segments 1 ms apart;
    // nobody reads, so tcp_cleanup_rbuf sends nothing either.
    [Fact]
    public void After_16_quick_ACKs_the_next_small_segment_is_ACKed_by_the_delayed_ACK_timer_40_ms_later()
    {
        var rig = new Rig();
        rig.Start(async (libc, fd) => await libc.Sleep(500_000_000));
        uint isn = 0;
        for (var i = 0; i < 17; i++)
        {
            rig.Send(20_000_000 + (i * 1_000_000), Bytes(100, i), flags: 0x10, before: i == 0 ? r => isn = r.Seq : null);
        }

        rig.Run();

        var acks = rig.AfterHandshake;
        Assert.Equal(17, acks.Count);
        for (var i = 0; i < 16; i++)
        {
            Assert.Equal(isn + (uint)(100 * (i + 1)), acks[i].Ack);
            Assert.InRange(acks[i].At - rig.Injected[i], 0, 100_000);
        }

        Assert.Equal(isn + 1700, acks[16].Ack);
        Assert.InRange(acks[16].At - rig.Injected[16], 36_000_000, 44_000_000);
        Assert.Equal(1, rig.Mib(linux_mib_field.LINUX_MIB_DELAYEDACKS));
    }

    // demonstrates IO-1: the reader that finds no data sleeps on the socket's wait queue in sk_wait_data (one
    // voluntary context switch), and tcp_data_ready's sock_def_readable wakes it when the segment lands.
    [Fact]
    public void A_blocking_read_sleeps_once_and_the_arriving_segment_wakes_it()
    {
        var rig = new Rig();
        rig.T.K.trace.set_event("sock:sk_data_ready");
        long before = -1, after = -1, sleptAt = 0, wokeAt = 0;
        RecvResult got = default;
        rig.Start(async (libc, fd) =>
        {
            before = libc.Task.Nvcsw;
            sleptAt = libc.Now;
            got = await libc.RecvFrom(fd, 4096, 0);
            wokeAt = libc.Now;
            after = libc.Task.Nvcsw;
        });
        rig.Send(30_000_000, Bytes(500));

        rig.Run();

        Assert.Equal(500, got.Ret);
        Assert.Equal(Bytes(500), got.Data);
        Assert.Equal(1, after - before);
        Assert.True(sleptAt < rig.Injected[0], "the reader was asleep before the data came");
        Assert.InRange(wokeAt - rig.Injected[0], 0, 1_000_000);
        Assert.Contains(rig.T.K.trace.entries, e => e.Event == "sk_data_ready" && e.Text == "family=2 protocol=6 func=sock_def_readable" && e.Timestamp >= rig.Injected[0]);
    }

    // RFC 2018 / 6.18 tcp_data_queue_ofo: a segment beyond a hole is held (TCPOFOQueue), answered at once with a
    // duplicate ACK carrying its SACK block; when the hole fills, tcp_ofo_queue moves it over and the ACK
    // (ICSK_ACK_NOW) covers both, with no SACK block left.
    [Fact]
    public void Out_of_order_data_is_held_SACKed_and_delivered_when_the_hole_fills()
    {
        var rig = new Rig();
        RecvResult got = default;
        rig.Start(async (libc, fd) =>
        {
            await libc.Sleep(60_000_000 - libc.Now);
            got = await libc.RecvFrom(fd, 4096, Libc.MSG_DONTWAIT);
        });
        var first = Bytes(1000, 1);
        var second = Bytes(1000, 2);
        uint isn = 0;
        rig.Send(20_000_000, second, before: r => { isn = r.Seq; r.Seq += 1000; }, seq: null);
        rig.Send(30_000_000, first, before: r => r.Seq = isn);

        rig.Run();

        var acks = rig.AfterHandshake;
        Assert.Equal(2, acks.Count);
        Assert.Equal(isn, acks[0].Ack);
        Assert.Equal(new byte[] { 1, 1, 8, 10 }, acks[0].Options[..4]);
        Assert.Equal(new byte[] { 1, 1, 5, 10 }, acks[0].Options[12..16]);
        Assert.Equal(isn + 1000, BinaryPrimitives.ReadUInt32BigEndian(acks[0].Options.AsSpan(16)));
        Assert.Equal(isn + 2000, BinaryPrimitives.ReadUInt32BigEndian(acks[0].Options.AsSpan(20)));
        Assert.InRange(acks[0].At - rig.Injected[0], 0, 100_000);
        Assert.Equal(isn + 2000, acks[1].Ack);
        Assert.Equal(12, acks[1].Options.Length);
        Assert.InRange(acks[1].At - rig.Injected[1], 0, 100_000);
        Assert.Equal(2000, got.Ret);
        Assert.Equal(first.Concat(second).ToArray(), got.Data);
        Assert.Equal(1, rig.Mib(linux_mib_field.LINUX_MIB_TCPOFOQUEUE));
        Assert.Equal(0, rig.Mib(linux_mib_field.LINUX_MIB_TCPOFODROP));
    }

    /// <summary>recvmsg straight into tcp_recvmsg (the syscall has no control buffer yet), as the test's task.</summary>
    private static async Task<(int Ret, msghdr Msg)> RecvMsg(sock sk, int len, int flags = 0, bool nullBuffer = false)
    {
        var msg = new msghdr
        {
            iov_base = nullBuffer ? null : new byte[len],
            iov_len = len,
            msg_control = new List<cmsghdr>(),
            msg_controllen = 64,
        };
        var ret = await tcp_c.tcp_recvmsg(sk, msg, len, flags);
        return (ret, msg);
    }

    private static int Inq(msghdr m) => BitConverter.ToInt32(Assert.Single(m.msg_control!, c => c.cmsg_level == 6 && c.cmsg_type == 36).cmsg_data);

    // tcp_inq_client.pkt (6.18 selftest): with TCP_INQ on, each recvmsg reports what is left to read: 9000 after
    // reading 1000 of 10000, 0 after the rest; after 10000 more with the FIN, 1 (the FIN) once the data is read, then EOF.
    [Fact]
    public void TCP_INQ_reports_9000_then_0_then_1_after_the_FIN_as_tcp_inq_client_pkt()
    {
        var rig = new Rig();
        var r = new List<(int Ret, int Inq)>();
        long eof = 1, setopt = 1;
        rig.Start(async (libc, fd) =>
        {
            setopt = await libc.SetSockOpt(fd, Libc.IPPROTO_TCP, 36, 1);
            await libc.Sleep(40_000_000 - libc.Now);
            var (ret, m) = await RecvMsg(rig.Child!, 1000);
            r.Add((ret, Inq(m)));
            (ret, m) = await RecvMsg(rig.Child!, 9000);
            r.Add((ret, Inq(m)));
            await libc.Sleep(80_000_000 - libc.Now);
            (ret, m) = await RecvMsg(rig.Child!, 10000);
            r.Add((ret, Inq(m)));
            eof = (await libc.RecvFrom(fd, 2000, 0)).Ret;
        });
        rig.Send(20_000_000, Bytes(10000), flags: 0x10);
        rig.Send(60_000_000, Bytes(10000, 3), flags: 0x11);

        rig.Run();

        Assert.Equal(0, setopt);
        Assert.Equal(new[] { (1000, 9000), (9000, 0), (10000, 1) }, r.ToArray());
        Assert.Equal(0, eof);
        var acks = rig.AfterHandshake;
        Assert.Equal(rig.Seq, acks[^1].Ack);
    }

    // tcp_ioctl: SIOCINQ is rcv_nxt - copied_seq (less the FIN), -EINVAL on a listener; SIOCOUTQ/SIOCOUTQNSD count
    // what was written and not acknowledged / not sent (nothing: this side only receives).
    [Fact]
    public void SIOCINQ_counts_the_unread_bytes_and_not_the_FIN()
    {
        var rig = new Rig();
        var seen = new List<(int, int)>();
        rig.Start(async (libc, fd) =>
        {
            await libc.Sleep(30_000_000 - libc.Now);
            seen.Add(tcp_c.tcp_ioctl(rig.Child!, sockios_h.SIOCINQ));
            await RecvMsg(rig.Child!, 300);
            seen.Add(tcp_c.tcp_ioctl(rig.Child!, sockios_h.SIOCINQ));
            await libc.Sleep(50_000_000 - libc.Now);
            seen.Add(tcp_c.tcp_ioctl(rig.Child!, sockios_h.SIOCINQ));
            seen.Add(tcp_c.tcp_ioctl(rig.Child!, sockios_h.SIOCOUTQ));
            seen.Add(tcp_c.tcp_ioctl(rig.Child!, sockios_h.SIOCOUTQNSD));
            seen.Add(tcp_c.tcp_ioctl(rig.Child!, 0x1234));
        });
        rig.Send(20_000_000, Bytes(1000));
        rig.Send(40_000_000, Bytes(0), flags: 0x11);

        rig.Run();

        Assert.Equal(new[] { (0, 1000), (0, 700), (0, 700), (0, 0), (0, 0), (-515, 0) }, seen.ToArray());
    }

    [Fact]
    public void SIOCINQ_on_a_listener_is_EINVAL()
    {
        var rig = new Rig();
        (int, int) r = default;
        rig.Start(async (libc, fd) =>
        {
            var l = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            await libc.Bind(l, SockAddrIn.Parse("10.0.0.2:9001"));
            await libc.Listen(l, 1);
            r = tcp_c.tcp_ioctl(((socket)rig.T.K.task_of(rig.Server!).files[l]).sk!, sockios_h.SIOCINQ);
        });

        rig.Run(100_000_000);

        Assert.Equal((-Libc.EINVAL, 0), r);
    }

    // RFC 9293 3.10.7.4: a segment with neither ACK, RST nor SYN is dropped (tcp_rcv_established: TCP_FLAGS); its
    // data never reaches the reader and the socket counts the drop.
    [Fact]
    public void A_segment_without_ACK_is_dropped_as_TCP_FLAGS()
    {
        var rig = new Rig();
        long ret = 0;
        rig.Start(async (libc, fd) =>
        {
            await libc.Sleep(40_000_000 - libc.Now);
            ret = (await libc.RecvFrom(fd, 4096, Libc.MSG_DONTWAIT)).Ret;
        });
        rig.Send(20_000_000, Bytes(100), flags: 0x08);

        rig.Run();

        Assert.Equal(-Libc.EAGAIN, ret);
        Assert.Single(rig.T.K.trace.entries, e => e.Event == "kfree_skb" && e.Text.Contains("location=tcp_drop_reason", StringComparison.Ordinal) && e.Text.EndsWith("reason: TCP_FLAGS", StringComparison.Ordinal));
        Assert.Equal(1, rig.Child!.sk_drops);
        Assert.Empty(rig.AfterHandshake);
    }

    // RFC 7323 5.3 (PAWS): data whose TSval is older than ts_recent is rejected — PAWSEstabRejected, a duplicate
    // ACK (data segments are not rate limited), the skb dropped as TCP_RFC7323_PAWS, nothing delivered.
    [Fact]
    public void PAWS_rejects_a_segment_with_an_old_timestamp_and_answers_with_a_dupack()
    {
        var rig = new Rig();
        long ret = 0;
        uint isn = 0;
        rig.Start(async (libc, fd) =>
        {
            await libc.Sleep(40_000_000 - libc.Now);
            ret = (await libc.RecvFrom(fd, 4096, Libc.MSG_DONTWAIT)).Ret;
        });
        // a TSval a second older than the one the handshake's ACK carried
        rig.Send(20_000_000, Bytes(100), before: r => { isn = r.Seq; r.TsVal = KernelNet.Kernel.Include.Linux.tcp_h.tcp_sk(r.Child!).rx_opt.ts_recent - 1000; });

        rig.Run();

        Assert.Equal(-Libc.EAGAIN, ret);
        Assert.Equal(1, rig.Mib(linux_mib_field.LINUX_MIB_PAWSESTABREJECTED));
        var ack = Assert.Single(rig.AfterHandshake);
        Assert.Equal(isn, ack.Ack);
        Assert.Single(rig.T.K.trace.entries, e => e.Event == "kfree_skb" && e.Text.EndsWith("reason: TCP_RFC7323_PAWS", StringComparison.Ordinal));
    }

    // RFC 2525 2.17 / tcp_ts_recent_reset_tsval.pkt: close() with unread data sends RST|ACK (ack = rcv_nxt, the
    // connection's timestamps) instead of a FIN; TCPAbortOnClose and OutRsts count it and the socket goes to CLOSE.
    [Fact]
    public void Close_with_unread_data_sends_a_RST_and_counts_TCPAbortOnClose()
    {
        var rig = new Rig();
        long closed = 1;
        rig.Start(async (libc, fd) =>
        {
            await libc.Sleep(1_030_000_000 - libc.Now);
            closed = await libc.Close(fd);
        });
        uint isn = 0;
        uint tsval = 0;
        rig.Send(20_000_000, Bytes(1000), before: r => { isn = r.Seq; tsval = r.TsVal; });

        rig.Run(2_000_000_000);

        Assert.Equal(0, closed);
        var sent = rig.AfterHandshake;
        Assert.Equal(2, sent.Count);
        var rst = sent[1];
        Assert.Equal(0x14, rst.Flags);
        Assert.Equal(isn + 1000, rst.Ack);
        Assert.Equal(sent[0].Seq, rst.Seq);
        Assert.Equal(tsval, rst.TsEcr);
        // the RST's TSval is the clock of its sending (1 ms ticks), a second on from the ACK's
        Assert.InRange((long)(rst.TsVal - sent[0].TsVal) - ((rst.At - sent[0].At) / 1_000_000), -1, 1);
        Assert.True(rst.At - sent[0].At >= 1_000_000_000);
        Assert.Equal(1, rig.Mib(linux_mib_field.LINUX_MIB_TCPABORTONCLOSE));
        Assert.Equal("1", Snmp(rig.Net.B, "Tcp", "OutRsts"));
        Assert.Equal("1", Snmp(rig.Net.B, "Tcp", "EstabResets"));
        Assert.Equal(0, rig.T.K.skb_ledger.Live);
    }

    // tcp_recvmsg_locked: a copy that faults before anything was copied is -EFAULT (msghdr's NULL user buffer);
    // the data stays queued for the next read.
    [Fact]
    public void A_read_into_a_NULL_buffer_is_EFAULT_and_leaves_the_data()
    {
        var rig = new Rig();
        int fault = 0;
        long then = 0;
        rig.Start(async (libc, fd) =>
        {
            await libc.Sleep(40_000_000 - libc.Now);
            fault = (await RecvMsg(rig.Child!, 100, nullBuffer: true)).Ret;
            then = (await libc.RecvFrom(fd, 4096, 0)).Ret;
        });
        rig.Send(20_000_000, Bytes(100));

        rig.Run();

        Assert.Equal(-14, fault);
        Assert.Equal(100, then);
    }

    // After the peer's FIN and the data before it, read returns the data, then 0 (end of stream), again and again.
    [Fact]
    public void Read_after_the_FIN_returns_the_data_then_0()
    {
        var rig = new Rig();
        var r = new List<long>();
        rig.Start(async (libc, fd) =>
        {
            await libc.Sleep(40_000_000 - libc.Now);
            r.Add((await libc.RecvFrom(fd, 4096, 0)).Ret);
            r.Add((await libc.RecvFrom(fd, 4096, 0)).Ret);
            r.Add((await libc.RecvFrom(fd, 4096, 0)).Ret);
        });
        rig.Send(20_000_000, Bytes(300), flags: 0x19);

        rig.Run();

        Assert.Equal(new long[] { 300, 0, 0 }, r.ToArray());
        Assert.Equal(KernelNet.Kernel.Include.Net.tcp_states_h.TCP_CLOSE_WAIT, rig.Child!.sk_state);
    }

    // A read on a listener is -ENOTCONN (tcp_recvmsg_locked).
    [Fact]
    public void Read_on_a_listener_is_ENOTCONN()
    {
        var rig = new Rig();
        long r = 0;
        rig.Start(async (libc, fd) =>
        {
            var l = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            await libc.Bind(l, SockAddrIn.Parse("10.0.0.2:9001"));
            await libc.Listen(l, 1);
            r = (await libc.RecvFrom(l, 100, 0)).Ret;
        });

        rig.Run(100_000_000);

        Assert.Equal(-Libc.ENOTCONN, r);
    }

    // tcp_ts_recent_invalid_ack.pkt (6.18-stable, upstream 42726ec644cb): a segment acknowledging data never sent
    // earns a challenge ACK (TCPChallengeACK) whose TSecr is the old ts_recent — the bad segment's TSval was not
    // taken — and is dropped (TCP_ACK_UNSENT_DATA); the next good segment is ACKed echoing its own TSval.
    [Fact]
    public void An_ACK_above_snd_nxt_gets_a_challenge_ACK_and_does_not_update_ts_recent()
    {
        var rig = new Rig();
        uint isn = 0, good = 0, lastTs = 0;
        rig.Start(async (libc, fd) => await libc.Sleep(200_000_000));
        // its TSval is well ahead of ts_recent (so PAWS passes whatever the random timestamp offset): taken, it would show in the TSecr
        rig.Send(20_000_000, Bytes(0), flags: 0x11, before: r => { isn = r.Seq; lastTs = KernelNet.Kernel.Include.Linux.tcp_h.tcp_sk(r.Child!).rx_opt.ts_recent; r.TsVal = lastTs + 200000; }, ack: null);
        rig.Send(30_000_000, Bytes(1000), flags: 0x10, before: r => { r.Seq = isn; good = r.TsVal; });

        // the first segment's ACK field is 9998 above what B sent
        rig.T.Spawn(rig.Net.B, "bump", 0, async libc =>
        {
            await libc.Sleep(19_000_000);
            rig.Ack += 9998;
            await libc.Sleep(5_000_000);
            rig.Ack -= 9998;
        });

        rig.Run();

        var sent = rig.AfterHandshake;
        Assert.Equal(2, sent.Count);
        Assert.Equal(0x10, sent[0].Flags);
        Assert.Equal(isn, sent[0].Ack);
        Assert.Equal(lastTs, sent[0].TsEcr);
        Assert.Equal(isn + 1000, sent[1].Ack);
        Assert.Equal(good, sent[1].TsEcr);
        Assert.Equal(1, rig.Mib(linux_mib_field.LINUX_MIB_TCPCHALLENGEACK));
        Assert.Single(rig.T.K.trace.entries, e => e.Event == "kfree_skb" && e.Text.EndsWith("reason: TCP_ACK_UNSENT_DATA", StringComparison.Ordinal));
        Assert.Equal(KernelNet.Kernel.Include.Net.sock_h.TCP_ESTABLISHED, rig.Child!.sk_state);
    }

    // MSG_PEEK copies without consuming (the same bytes come again), MSG_TRUNC consumes without copying, MSG_WAITALL
    // waits for the whole request across segments (sleeping in sk_wait_data between them).
    [Fact]
    public void MSG_PEEK_leaves_the_data_MSG_TRUNC_discards_it_and_MSG_WAITALL_waits_for_all()
    {
        var rig = new Rig();
        RecvResult peek = default, read = default, all = default;
        long trunc = 0;
        rig.Start(async (libc, fd) =>
        {
            await libc.Sleep(30_000_000 - libc.Now);
            peek = await libc.RecvFrom(fd, 100, Libc.MSG_PEEK);
            read = await libc.RecvFrom(fd, 100, 0);
            trunc = (await libc.RecvFrom(fd, 50, Libc.MSG_TRUNC)).Ret;
            all = await libc.RecvFrom(fd, 1350, 0x100);
        });
        var data = Bytes(1000);
        var more = Bytes(500, 9);
        rig.Send(20_000_000, data);
        rig.Send(50_000_000, more);

        rig.Run();

        Assert.Equal(data[..100], peek.Data);
        Assert.Equal(data[..100], read.Data);
        Assert.Equal(50, trunc);
        Assert.Equal(1350, all.Ret);
        Assert.Equal(data[150..].Concat(more).ToArray(), all.Data);
        Assert.Equal(0, rig.T.K.skb_ledger.Live);
    }

    // SO_RCVTIMEO bounds the sleep (-EAGAIN when it runs out); MSG_DONTWAIT does not sleep at all.
    [Fact]
    public void An_empty_socket_reads_EAGAIN_at_once_with_MSG_DONTWAIT_and_after_SO_RCVTIMEO_when_blocking()
    {
        var rig = new Rig();
        long now = 0, timed = 0, waited = 0, switches = -1;
        rig.Start(async (libc, fd) =>
        {
            var n = libc.Task.Nvcsw;
            now = (await libc.RecvFrom(fd, 100, Libc.MSG_DONTWAIT)).Ret;
            switches = libc.Task.Nvcsw - n;
            await libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, 100_000);
            var t0 = libc.Now;
            timed = (await libc.RecvFrom(fd, 100, 0)).Ret;
            waited = libc.Now - t0;
        });

        rig.Run();

        Assert.Equal(-Libc.EAGAIN, now);
        Assert.Equal(0, switches);
        Assert.Equal(-Libc.EAGAIN, timed);
        Assert.InRange(waited, 100_000_000, 108_000_000);
    }

    // tcp_probe is traced from tcp_rcv_established for every segment (data_len, the sequence and window state);
    // tcp_rcv_space_adjust from every copy to the reader. The second segment is larger than the first skb's
    // tailroom (its kmalloc'ed head), so tcp_try_coalesce cannot fold it in and the reader copies two skbs.
    [Fact]
    public void tcp_probe_traces_each_segment_and_tcp_rcv_space_adjust_each_copy()
    {
        var rig = new Rig();
        rig.T.K.trace.set_event("tcp:tcp_probe");
        rig.T.K.trace.set_event("tcp:tcp_rcv_space_adjust");
        rig.Start(async (libc, fd) =>
        {
            await libc.Sleep(40_000_000 - libc.Now);
            await libc.RecvFrom(fd, 4096, 0);
        });
        rig.Send(20_000_000, Bytes(700));
        rig.Send(25_000_000, Bytes(1300));

        rig.Run();

        var probes = rig.T.K.trace.entries.Where(e => e.Event == "tcp_probe").Select(e => e.Text).ToList();
        Assert.Equal(2, probes.Count);
        Assert.StartsWith("family=AF_INET src=10.0.0.2:9000 dest=10.0.0.1:7000 mark=0 data_len=700 ", probes[0], StringComparison.Ordinal);
        Assert.Contains(" data_len=1300 ", probes[1], StringComparison.Ordinal);
        Assert.Contains(" snd_cwnd=10 ssthresh=2147483647 ", probes[0], StringComparison.Ordinal);
        var tp = KernelNet.Kernel.Include.Linux.tcp_h.tcp_sk(rig.Child!);
        Assert.Contains($" snd_nxt=0x{tp.snd_nxt:x} snd_una=0x{tp.snd_una:x} ", probes[0], StringComparison.Ordinal);
        var adjust = rig.T.K.trace.entries.Where(e => e.Event == "tcp_rcv_space_adjust").Select(e => e.Text).ToList();
        Assert.Equal(2, adjust.Count);
        Assert.Equal("family=AF_INET sport=9000 dport=7000 saddr=10.0.0.2 daddr=10.0.0.1 saddrv6=::ffff:10.0.0.2 daddrv6=::ffff:10.0.0.1 sock_cookie=0", adjust[0]);
    }

    // Header prediction: once the first segment (slow path: no forward allocation yet) charged a page, the next
    // in-order segment with the predicted header takes the fast path (TCPHPHits).
    [Fact]
    public void The_second_in_order_segment_takes_the_fast_path()
    {
        var rig = new Rig();
        rig.Start(async (libc, fd) => await libc.Sleep(100_000_000));
        rig.Send(20_000_000, Bytes(100));
        rig.Send(21_000_000, Bytes(100));

        rig.Run();

        Assert.Equal(1, rig.Mib(linux_mib_field.LINUX_MIB_TCPHPHITS));
        Assert.Equal(2, rig.AfterHandshake.Count);
    }

    // RFC 5961 4.2: a SYN on an established connection gets a challenge ACK (TCPSYNChallenge, TCPChallengeACK) and
    // is dropped (TCP_INVALID_SYN); the connection stays.
    [Fact]
    public void A_SYN_on_an_established_connection_gets_a_challenge_ACK()
    {
        var rig = new Rig();
        rig.Start(async (libc, fd) => await libc.Sleep(100_000_000));
        uint isn = 0;
        rig.Send(20_000_000, Bytes(0), flags: 0x02, before: r => isn = r.Seq, seq: null);

        rig.Run();

        var ack = Assert.Single(rig.AfterHandshake);
        Assert.Equal(0x10, ack.Flags);
        Assert.Equal(isn, ack.Ack);
        Assert.Equal(1, rig.Mib(linux_mib_field.LINUX_MIB_TCPSYNCHALLENGE));
        Assert.Equal(1, rig.Mib(linux_mib_field.LINUX_MIB_TCPCHALLENGEACK));
        Assert.Single(rig.T.K.trace.entries, e => e.Event == "kfree_skb" && e.Text.EndsWith("reason: TCP_INVALID_SYN", StringComparison.Ordinal));
        Assert.Equal(KernelNet.Kernel.Include.Net.sock_h.TCP_ESTABLISHED, rig.Child!.sk_state);
    }

    // RFC 5961 3.2: a RST inside the window but not at rcv_nxt is answered with a challenge ACK and dropped
    // (TCP_RESET); one at rcv_nxt resets the connection, and the reader gets ECONNRESET.
    [Fact]
    public void A_RST_in_window_gets_a_challenge_ACK_and_one_at_rcv_nxt_resets()
    {
        var rig = new Rig();
        long read = 0;
        rig.Start(async (libc, fd) =>
        {
            await libc.Sleep(40_000_000 - libc.Now);
            read = (await libc.RecvFrom(fd, 100, 0)).Ret;
        });
        uint isn = 0;
        rig.Send(20_000_000, Bytes(0), flags: 0x14, before: r => { isn = r.Seq; r.Seq += 100; });
        rig.Send(30_000_000, Bytes(0), flags: 0x14, before: r => r.Seq = isn);

        rig.Run();

        var ack = Assert.Single(rig.AfterHandshake);
        Assert.Equal(isn, ack.Ack);
        Assert.Equal(1, rig.Mib(linux_mib_field.LINUX_MIB_TCPCHALLENGEACK));
        Assert.Equal(-104, read);
        Assert.Equal(KernelNet.Kernel.Include.Net.sock_h.TCP_CLOSE, rig.Child!.sk_state);
        Assert.Equal("1", Snmp(rig.Net.B, "Tcp", "EstabResets"));
    }

    // A retransmission of data already received (RFC 2883): dropped as TCP_OLD_DATA, DelayedACKLost, and ACKed at
    // once with a D-SACK block naming the duplicate (TCPDSACKOldSent).
    [Fact]
    public void Duplicate_data_is_ACKed_at_once_with_a_DSACK_block()
    {
        var rig = new Rig();
        rig.Start(async (libc, fd) => await libc.Sleep(100_000_000));
        uint isn = 0;
        rig.Send(20_000_000, Bytes(500), before: r => isn = r.Seq);
        rig.Send(30_000_000, Bytes(500), before: r => r.Seq = isn);

        rig.Run();

        var acks = rig.AfterHandshake;
        Assert.Equal(2, acks.Count);
        var dup = acks[1];
        Assert.Equal(isn + 500, dup.Ack);
        Assert.InRange(dup.At - rig.Injected[1], 0, 100_000);
        Assert.Equal(new byte[] { 1, 1, 5, 10 }, dup.Options[12..16]);
        Assert.Equal(isn, BinaryPrimitives.ReadUInt32BigEndian(dup.Options.AsSpan(16)));
        Assert.Equal(isn + 500, BinaryPrimitives.ReadUInt32BigEndian(dup.Options.AsSpan(20)));
        Assert.Equal(1, rig.Mib(linux_mib_field.LINUX_MIB_DELAYEDACKLOST));
        Assert.Equal(1, rig.Mib(linux_mib_field.LINUX_MIB_TCPDSACKOLDSENT));
        Assert.Single(rig.T.K.trace.entries, e => e.Event == "kfree_skb" && e.Text.EndsWith("reason: TCP_OLD_DATA", StringComparison.Ordinal));
    }

    // tcp_sequence: a segment starting beyond the window is not acceptable — a duplicate ACK (BeyondWindow counts
    // it), the skb dropped as TCP_INVALID_SEQUENCE.
    [Fact]
    public void A_segment_beyond_the_window_gets_a_dupack_and_counts_BeyondWindow()
    {
        var rig = new Rig();
        rig.Start(async (libc, fd) => await libc.Sleep(100_000_000));
        uint isn = 0;
        rig.Send(20_000_000, Bytes(100), before: r => { isn = r.Seq; r.Seq += 10_000_000; });

        rig.Run();

        var ack = Assert.Single(rig.AfterHandshake);
        Assert.Equal(isn, ack.Ack);
        Assert.Equal(1, rig.Mib(linux_mib_field.LINUX_MIB_BEYOND_WINDOW));
        Assert.Single(rig.T.K.trace.entries, e => e.Event == "kfree_skb" && e.Text.EndsWith("reason: TCP_INVALID_SEQUENCE", StringComparison.Ordinal));
    }

    // tcp_queue_rcv's tcp_try_coalesce: an in-order segment that fits the tailroom of the receive queue's tail skb
    // is copied there (TCPRcvCoalesce) and freed; the reader sees one stream.
    [Fact]
    public void An_in_order_segment_is_coalesced_into_the_tail_skb_when_it_fits()
    {
        var rig = new Rig();
        int qlen = -1;
        RecvResult got = default;
        rig.Start(async (libc, fd) =>
        {
            await libc.Sleep(40_000_000 - libc.Now);
            qlen = rig.Child!.sk_receive_queue.qlen;
            got = await libc.RecvFrom(fd, 4096, 0);
        });
        rig.Send(20_000_000, Bytes(100, 1), tailroom: 2048);
        rig.Send(21_000_000, Bytes(100, 2));

        rig.Run();

        Assert.Equal(1, qlen);
        Assert.Equal(1, rig.Mib(linux_mib_field.LINUX_MIB_TCPRCVCOALESCE));
        Assert.Equal(Bytes(100, 1).Concat(Bytes(100, 2)).ToArray(), got.Data);
        Assert.Equal(0, rig.Child!.sk_rmem_alloc);
    }

    // RFC 1122 4.2.2.13 (and 6.18's tcp_rcv_state_process): new data for a socket closed for reading (FIN_WAIT1
    // after close) cannot be delivered — TCPAbortOnData, the connection reset, and the peer told with a RST.
    [Fact]
    public void Data_after_close_resets_the_connection_and_counts_TCPAbortOnData()
    {
        var rig = new Rig();
        rig.Start(async (libc, fd) =>
        {
            await libc.Sleep(20_000_000 - libc.Now);
            await libc.Close(fd);
        });
        rig.Send(30_000_000, Bytes(100));

        rig.Run();

        var sent = rig.AfterHandshake;
        Assert.Equal(2, sent.Count);
        Assert.Equal(0x11, sent[0].Flags);
        Assert.Equal(0x04, sent[1].Flags & 0x04);
        Assert.Equal(1, rig.Mib(linux_mib_field.LINUX_MIB_TCPABORTONDATA));
        Assert.Equal(KernelNet.Kernel.Include.Net.sock_h.TCP_CLOSE, rig.Child!.sk_state);
        Assert.Single(rig.T.K.trace.entries, e => e.Event == "kfree_skb" && e.Text.EndsWith("reason: TCP_ABORT_ON_DATA", StringComparison.Ordinal));
    }

    // tcp_cleanup_rbuf: a read that frees enough buffer to at least double the window on offer sends the window
    // update at once (RFC 9293 3.8.6.2.2, receiver-side SWS avoidance: only a significant increase is announced).
    [Fact]
    public void A_read_that_opens_the_window_sends_a_window_update_at_once()
    {
        var rig = new Rig();
        long readAt = 0;
        long total = 0;
        rig.Start(async (libc, fd) =>
        {
            await libc.Sleep(200_000_000 - libc.Now);
            readAt = libc.Now;
            while (total < 56_000)
            {
                var r = await libc.RecvFrom(fd, 65536, Libc.MSG_DONTWAIT);
                if (r.Ret <= 0)
                {
                    break;
                }

                total += r.Ret;
            }

            await libc.Sleep(100_000_000);
        });
        // 56 segments: nearly the receive buffer's worth at what each 1000-byte skb costs (a 2 KB kmalloc head)
        for (var i = 0; i < 56; i++)
        {
            rig.Send(20_000_000 + (i * 100_000), Bytes(1000, i));
        }

        rig.Run();

        Assert.Equal(56_000, total);
        var sent = rig.AfterHandshake;
        var before = sent[^2];
        var update = sent[^1];
        Assert.True(before.At < readAt);
        Assert.InRange(update.At - readAt, 0, 1_000_000);
        Assert.Equal(before.Ack, update.Ack);
        Assert.Equal(rig.Seq, update.Ack);
        Assert.True(update.Window >= 2 * before.Window, $"window {before.Window} -> {update.Window}");
    }

    /// <summary>What a client on A that connected into crossing SYNs saw: connect's result and its sock.</summary>
    private sealed class CrossedOpen
    {
        public long Connect { get; set; } = 1;

        public sock? Sk { get; set; }

        /// <summary>The socket's state each time the peer saw a segment from A.</summary>
        public List<int> StatesSeen { get; } = new();

        public tcp_sock Tp => KernelNet.Kernel.Include.Linux.tcp_h.tcp_sk(Sk!);
    }

    /// <summary>
    /// A binds 10.0.0.1:7000 and connects to 10.0.0.2:9000, where the scripted peer (TcpPeer with
    /// crossSyn) answers A's SYN with a SYN of its own; <paramref name="onSegment"/> plays the rest.
    /// </summary>
    private static (TwoHosts Net, TcpPeer Peer, CrossedOpen C) CrossSyns(Func<TcpPeer, TcpSegment, CrossedOpen, Task> onSegment, bool timestamps = false, Func<Libc, int, Task>? after = null)
    {
        var net = TwoHosts.OnVeth();
        var c = new CrossedOpen();
        var peer = TcpPeer.Start(net, (p, seg) =>
        {
            c.StatesSeen.Add(c.Sk!.sk_state);
            return onSegment(p, seg, c);
        }, 3_000_000_000, timestamps, crossSyn: true);
        SimTask? task = null;
        task = net.T.Spawn(net.A, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.1:7000")));
            c.Sk = ((socket)net.T.K.task_of(task!).files[fd]).sk;
            c.Connect = await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9000"));
            if (after is not null)
            {
                await after(libc, fd);
            }
        });
        net.T.Run(3_000_000_000);
        return (net, peer, c);
    }

    // RFC 9293 3.10.7.3 (SYN-SENT, "fourth, check the SYN bit", no ACK): a crossing SYN moves the socket to
    // SYN-RECEIVED and it sends SYN,ACK<SEQ=ISS><ACK=RCV.NXT>. 6.18 (tcp_rcv_synsent_state_process) resends
    // the SYN it queued (tcp_send_synack), so the SYN-ACK carries the original ISN and the SYN's options.
    [Fact]
    public void A_SYN_in_SYN_SENT_is_a_simultaneous_open_answered_by_a_SYN_ACK_with_the_original_ISN()
    {
        var (net, peer, c) = CrossSyns(async (p, seg, c) =>
        {
            if (seg.Syn)
            {
                await p.Ack(p.ClientIsn + 1);
            }
        });

        Assert.True(peer.Seen.Count >= 2);
        var syn = peer.Seen[0];
        var synack = peer.Seen[1];
        Assert.Equal(0x02, syn.Flags);
        Assert.Equal(0x12, synack.Flags);
        Assert.Equal(syn.Seq, synack.Seq);
        Assert.Equal(TcpPeer.Isn + 1, synack.Ack);
        Assert.Equal(TCP_SYN_RECV, c.StatesSeen[0]);

        // the SYN-ACK repeats the SYN's options (MSS 1460 first, as tcp_syn_options writes it)
        var th = synack.Frame.AsSpan(14 + 20);
        Assert.Equal(new byte[] { 2, 4, 0x05, 0xb4 }, th.Slice(20, 4).ToArray());

        // the ACK of our SYN completes the open (tcp_rcv_state_process's SYN_RECV case) and connect returns
        Assert.Equal(0, c.Connect);
        Assert.Equal(sock_h.TCP_ESTABLISHED, c.Sk!.sk_state);
        Assert.Equal(syn.Seq + 1, c.Tp.snd_una);
        Assert.Equal(TcpPeer.Isn + 1, c.Tp.rcv_nxt);
        Assert.Equal("1", Snmp(net.A, "Tcp", "ActiveOpens"));
        Assert.Equal("0", Snmp(net.A, "Tcp", "PassiveOpens"));
        Assert.Equal("1", Snmp(net.A, "Tcp", "CurrEstab"));
        Assert.Equal("0", Netstat(net.A, "TcpExt", "TCPSYNChallenge"));
    }

    // The truly crossed case: both ends sent SYN-ACKs. A SYN-ACK in SYN_RECV that acknowledges exactly our SYN
    // (seq + 1 == RCV.NXT, ack == SND.NXT) passes tcp_validate_incoming's SYN check instead of being challenged,
    // completes the open, and its old sequence number makes A acknowledge it (an old segment: an ACK at once).
    [Fact]
    public void Crossed_SYN_ACKs_complete_the_open_without_a_challenge()
    {
        var (net, peer, c) = CrossSyns(async (p, seg, c) =>
        {
            if (seg.Syn)
            {
                await p.Send(0x12, TcpPeer.Isn, p.ClientIsn + 1, Array.Empty<byte>(), synack: true);
            }
        });

        Assert.Equal(0, c.Connect);
        Assert.Equal(sock_h.TCP_ESTABLISHED, c.Sk!.sk_state);
        Assert.Equal("0", Netstat(net.A, "TcpExt", "TCPSYNChallenge"));
        var ack = peer.Seen.Single(s => !s.Syn);
        Assert.Equal(0x10, ack.Flags);
        Assert.Equal(TcpPeer.Isn + 1, ack.Ack);
        Assert.Equal(peer.ClientIsn + 1, ack.Seq);
    }

    // RFC 5961 4.2: a SYN in a synchronized-or-later state gets a challenge ACK. The peer repeats its bare SYN
    // while A is in SYN_RECV: no ACK in it, so the crossed-SYN exception does not apply.
    [Fact]
    public void A_repeated_SYN_in_SYN_RECV_gets_a_challenge_ACK()
    {
        var sent = 0;
        var (net, peer, c) = CrossSyns(async (p, seg, c) =>
        {
            if (seg.Syn && sent++ == 0)
            {
                await p.Send(0x02, TcpPeer.Isn, 0, Array.Empty<byte>(), synack: true);
            }
            else if (!seg.Syn && seg.PayloadLength == 0 && c.Sk!.sk_state == TCP_SYN_RECV)
            {
                await p.Ack(p.ClientIsn + 1);
            }
        });

        Assert.Equal("1", Netstat(net.A, "TcpExt", "TCPSYNChallenge"));
        Assert.Equal("1", Netstat(net.A, "TcpExt", "TCPChallengeACK"));
        var challenge = peer.Seen.First(s => !s.Syn);
        Assert.Equal(0x10, challenge.Flags);
        Assert.Equal(TcpPeer.Isn + 1, challenge.Ack);
        Assert.Equal(0, c.Connect);
        Assert.Equal(sock_h.TCP_ESTABLISHED, c.Sk!.sk_state);
    }

    // With timestamps on both SYNs: the SYN-ACK echoes the peer's SYN (tcp_store_ts_recent in SYN_SENT), and the
    // twelve option bytes every segment then carries come off advmss only when the open completes.
    [Fact]
    public void A_crossing_SYN_with_timestamps_is_echoed_and_the_connection_uses_them()
    {
        uint peerSynTsVal = 0;
        var (net, peer, c) = CrossSyns(async (p, seg, c) =>
        {
            if (seg.Syn)
            {
                Assert.Equal(TcpPeer.Isn + 1, c.Tp.rcv_nxt);
                Assert.True(c.Tp.rx_opt.tstamp_ok);
                peerSynTsVal = (uint)c.Tp.rx_opt.ts_recent;
                Assert.Equal(1460u, (uint)c.Tp.advmss);
                await p.Ack(p.ClientIsn + 1);
            }
        }, timestamps: true);

        var synack = peer.Seen[1];
        Assert.Equal(0x12, synack.Flags);
        Assert.NotEqual(0u, peerSynTsVal);
        Assert.Equal(peerSynTsVal, synack.TsEcr);
        Assert.Equal(0, c.Connect);
        Assert.Equal(1448u, (uint)c.Tp.advmss);
        Assert.Equal(32u, (uint)c.Tp.tcp_header_len);
    }

    // "Particularly, it can be connect to self": a socket bound to 10.0.0.1:7000 that connects to
    // 10.0.0.1:7000 meets its own SYN in SYN_SENT and its own SYN-ACK in SYN_RECV, and ends up talking to itself.
    [Fact]
    public void A_socket_connected_to_itself_opens_through_its_own_crossed_SYNs_and_reads_what_it_sent()
    {
        var net = TwoHosts.OnVeth();
        long connect = 1;
        var read = Array.Empty<byte>();
        net.T.Spawn(net.A, "self", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.1:7000")));
            connect = await libc.Connect(fd, SockAddrIn.Parse("10.0.0.1:7000"));
            Assert.Equal(5, await libc.SendTo(fd, System.Text.Encoding.ASCII.GetBytes("hello"), 0, null));
            var r = await libc.RecvFrom(fd, 100, 0);
            read = r.Data;
        });
        net.T.Run(2_000_000_000);

        Assert.Equal(0, connect);
        Assert.Equal("hello", System.Text.Encoding.ASCII.GetString(read));
        Assert.Equal("1", Snmp(net.A, "Tcp", "ActiveOpens"));
        Assert.Equal("0", Netstat(net.A, "TcpExt", "TCPSYNChallenge"));
    }

    // Two real sockets, each bound, connecting to the other's port. B's INPUT drops A's first SYN (on real Linux the
    // SYNs would cross only with a delay on the path), so B's SYN reaches A in SYN_SENT: A answers with a SYN-ACK
    // from its queued SYN, B completes as an ordinary active open, and B's ACK completes A.
    [Fact]
    public void Two_bound_sockets_connecting_to_each_other_both_open_through_a_simultaneous_open()
    {
        var net = TwoHosts.OnVeth();
        iptable_filter_c.iptables_append(net.B.Net, "INPUT", new ipt_entry
        {
            ip = new ipt_ip { proto = 6 },
            ports = new xt_ports { dpts_lo = 9000, dpts_hi = 9000 },
            statistic = new xt_statistic_info { every = 999, packet = 999 },
            verdict = netfilter_h.NF_DROP,
        });
        long ca = 1, cb = 1;
        sock? ska = null, skb = null;
        SimTask? ta = null, tb = null;
        ta = net.T.Spawn(net.A, "a", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.1:7000")));
            ska = ((socket)net.T.K.task_of(ta!).files[fd]).sk;
            await libc.Sleep(1_000_000 - libc.Now);
            var sa = libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9000"));
            ca = await sa;
        });
        tb = net.T.Spawn(net.B, "b", 1, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            skb = ((socket)net.T.K.task_of(tb!).files[fd]).sk;
            await libc.Sleep(50_000_000 - libc.Now);
            Assert.Equal(TCP_SYN_SENT, ska!.sk_state);
            cb = await libc.Connect(fd, SockAddrIn.Parse("10.0.0.1:7000"));
        });
        net.T.Run(2_000_000_000);

        Assert.Equal(0, ca);
        Assert.Equal(0, cb);
        Assert.Equal(sock_h.TCP_ESTABLISHED, ska!.sk_state);
        Assert.Equal(sock_h.TCP_ESTABLISHED, skb!.sk_state);
        var tpa = KernelNet.Kernel.Include.Linux.tcp_h.tcp_sk(ska);
        var tpb = KernelNet.Kernel.Include.Linux.tcp_h.tcp_sk(skb);
        Assert.Equal(tpa.snd_nxt, tpb.rcv_nxt);
        Assert.Equal(tpb.snd_nxt, tpa.rcv_nxt);
        Assert.Equal("0", Snmp(net.A, "Tcp", "PassiveOpens"));
        Assert.Equal("0", Snmp(net.B, "Tcp", "PassiveOpens"));

        // A's connect returned with the ACK of its SYN-ACK, long before its SYN's retransmission (1 s) was due
        Assert.Equal("0", Netstat(net.A, "TcpExt", "TCPSynRetrans"));
    }
}
