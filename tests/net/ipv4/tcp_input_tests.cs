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
        public void Send(long at, byte[] payload, byte flags = 0x18, Action<Rig>? before = null, uint? tsval = null, uint? ack = null, uint? seq = null)
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

                var skb = __alloc_skb(T.K, frame.Length + 64, 0)!;
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
            const int tcpLen = 32;
            var ipLen = 20 + tcpLen + payload.Length;
            var f = new byte[14 + ipLen];
            Net.VethB.dev_addr.CopyTo(f, 0);
            Net.VethA.dev_addr.CopyTo(f, 6);
            BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(12), 0x0800);
            var ip = f.AsSpan(14);
            ip[0] = 0x45;
            BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)ipLen);
            BinaryPrimitives.WriteUInt16BigEndian(ip[6..], 0x4000);
            ip[8] = 64;
            ip[9] = 6;
            BinaryPrimitives.WriteUInt32BigEndian(ip[12..], A);
            BinaryPrimitives.WriteUInt32BigEndian(ip[16..], B);
            BinaryPrimitives.WriteUInt16BigEndian(ip[10..], checksum_h.ip_fast_csum(ip, 5));
            var th = ip[20..];
            BinaryPrimitives.WriteUInt16BigEndian(th, 7000);
            BinaryPrimitives.WriteUInt16BigEndian(th[2..], 9000);
            BinaryPrimitives.WriteUInt32BigEndian(th[4..], seq);
            BinaryPrimitives.WriteUInt32BigEndian(th[8..], ack);
            th[12] = (tcpLen / 4) << 4;
            th[13] = flags;
            BinaryPrimitives.WriteUInt16BigEndian(th[14..], window);
            th[20] = 1;
            th[21] = 1;
            th[22] = 8;
            th[23] = 10;
            BinaryPrimitives.WriteUInt32BigEndian(th[24..], tsval);
            BinaryPrimitives.WriteUInt32BigEndian(th[28..], tsecr);
            payload.CopyTo(th[tcpLen..]);
            var sum = checksum_h.csum_partial(th[..(tcpLen + payload.Length)], 0);
            BinaryPrimitives.WriteUInt16BigEndian(th[16..], checksum_h.csum_tcpudp_magic(A, B, tcpLen + payload.Length, 6, sum));
            return f;
        }

        /// <summary>B's segments after the handshake (its SYN-ACK is the first frame it sent).</summary>
        public List<Sent> AfterHandshake => FromB.Where(f => (f.Flags & 0x02) == 0).ToList();

        public long Mib(linux_mib_field f) => netns_ipv4.of(Net.B.Net).mib.net_statistics[(int)f];

        public void Run(long ns = 1_000_000_000) => T.Run(ns);
    }

    private static byte[] Bytes(int n, int seed = 0) => Enumerable.Range(0, n).Select(i => (byte)((i * 7 + seed) & 0xff)).ToArray();

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
}
