using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Threading.Tasks;
using KernelNet.Kernel.Include.Uapi.Linux.NetfilterIpv4;
using KernelNet.Kernel.Net.Ipv4.Netfilter;
using KernelNet.Machine;

namespace KernelNet.Tests.Support;

/// <summary>One TCP segment as the peer saw it on the wire (what A sent).</summary>
public sealed record TcpSegment(long AtNs, byte[] Frame, uint Seq, uint Ack, byte Flags, ushort Window, int PayloadLength, uint? TsVal, uint? TsEcr)
{
    public bool Syn => (Flags & 0x02) != 0;

    public bool Fin => (Flags & 0x01) != 0;

    public bool Psh => (Flags & 0x08) != 0;

    public uint EndSeq => Seq + (uint)PayloadLength + (Syn ? 1u : 0u) + (Fin ? 1u : 0u);

    /// <summary>The TCP payload bytes.</summary>
    public byte[] Payload
    {
        get
        {
            var ip = Frame.AsSpan(14);
            var ihl = (ip[0] & 0xf) * 4;
            var doff = (ip[ihl + 12] >> 4) * 4;
            return ip.Slice(ihl + doff, PayloadLength).ToArray();
        }
    }
}

/// <summary>
/// A scripted TCP peer on B, in the manner of packetdrill: B's own stack
/// drops every TCP segment (an iptables INPUT rule), and a task on B reads
/// A's segments from an AF_PACKET socket on veth1 and writes the peer's
/// segments back as whole frames. The peer's ISN is 1000; its segments
/// carry no options unless asked (so A uses no timestamps, no SACK, no
/// window scale), MSS 1460 in the SYN-ACK; with <see cref="Sack"/> the
/// SYN-ACK permits SACK and <see cref="AckSack"/> sends SACK blocks.
/// </summary>
public sealed class TcpPeer
{
    public const uint Isn = 1000;

    private readonly TwoHosts _net;
    private Libc? _libc;
    private int _fd;

    private TcpPeer(TwoHosts net)
    {
        _net = net;
    }

    /// <summary>Every segment A sent, in wire order, with the virtual time the peer saw it.</summary>
    public List<TcpSegment> Seen { get; } = new();

    /// <summary>The ACKs the peer sent: when (virtual time) and what they acknowledged.</summary>
    public List<(long AtNs, uint Ack)> AcksSent { get; } = new();

    /// <summary>A's ISN (from its SYN).</summary>
    public uint ClientIsn { get; private set; }

    /// <summary>The window the peer announces (no scaling).</summary>
    public ushort Window { get; set; } = 65535;

    /// <summary>Whether the SYN-ACK offers timestamps (then every peer segment carries them).</summary>
    public bool Timestamps { get; init; }

    /// <summary>Whether the SYN-ACK carries SACK-permitted (A then processes the peer's SACK blocks).</summary>
    public bool Sack { get; init; }

    /// <summary>The peer's TSval clock: milliseconds of virtual time.</summary>
    public uint TsVal => (uint)(_net.T.K.ktime_get_ns() / 1_000_000) + 7;

    /// <summary>The last TSval A sent (what the peer echoes).</summary>
    public uint LastTsVal { get; private set; }

    /// <summary>
    /// Starts the peer: it answers A's SYN with a SYN-ACK and then hands
    /// every later segment to <paramref name="onSegment"/>, which may reply
    /// (Ack, Send) and sleep. It stops after <paramref name="untilNs"/>.
    /// </summary>
    /// <remarks>
    /// With <paramref name="crossSyn"/> the peer answers A's SYN with a SYN of
    /// its own (no ACK, ISN <see cref="Isn"/>, MSS 1460): the SYNs crossed, a
    /// simultaneous open; A's SYN-ACK then goes to <paramref name="onSegment"/>.
    /// </remarks>
    public static TcpPeer Start(TwoHosts net, Func<TcpPeer, TcpSegment, Task> onSegment, long untilNs = 5_000_000_000, bool timestamps = false, int ignoreSyns = 0, bool sack = false, bool crossSyn = false)
    {
        var peer = new TcpPeer(net) { Timestamps = timestamps, Sack = sack };
        var synsLeftToIgnore = ignoreSyns;
        iptable_filter_c.iptables_append(net.B.Net, "INPUT", new ipt_entry { ip = new ipt_ip { proto = 6 }, verdict = global::KernelNet.Kernel.Include.Linux.netfilter_h.NF_DROP });
        net.T.Spawn(net.B, "peer", 1, async libc =>
        {
            peer._libc = libc;
            peer._fd = (int)await libc.Socket(Libc.AF_PACKET, Libc.SOCK_RAW, Libc.Htons(Libc.ETH_P_ALL));
            await libc.BindPacket(peer._fd, Libc.ETH_P_ALL, net.VethB.ifindex);
            await libc.SetSockOpt(peer._fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, 10_000);
            while (net.T.K.ktime_get_ns() < untilNs)
            {
                var r = await libc.RecvFromLl(peer._fd, 65536, 0); // room for a whole GSO packet from a TSO veth
                if (r.Ret <= 0 || r.From.PktType == 4 /* PACKET_OUTGOING */ || r.Data.Length < 14 + 40 || r.Data[12] != 0x08 || r.Data[13] != 0x00 || r.Data[14 + 9] != 6)
                {
                    continue;
                }

                var seg = Parse(net.T.K.ktime_get_ns(), r.Data);
                peer.Seen.Add(seg);
                if (seg.TsVal is { } tsv)
                {
                    peer.LastTsVal = tsv;
                }

                if (seg.Syn && synsLeftToIgnore > 0)
                {
                    synsLeftToIgnore--;
                    continue;
                }

                if (seg.Syn && crossSyn)
                {
                    if ((seg.Flags & 0x10) == 0)
                    {
                        peer.ClientIsn = seg.Seq;
                        await peer.Send(0x02, Isn, 0, Array.Empty<byte>(), synack: true);
                        continue;
                    }

                    await onSegment(peer, seg);
                    continue;
                }

                if (seg.Syn)
                {
                    peer.ClientIsn = seg.Seq;
                    await peer.Send(0x12, Isn, seg.Seq + 1, Array.Empty<byte>(), synack: true);
                    continue;
                }

                await onSegment(peer, seg);
            }

            await libc.Close(peer._fd);
        });
        return peer;
    }

    /// <summary>Sleeps the peer task (its replies then go out later).</summary>
    public Task Sleep(long ns) => _libc!.Sleep(ns).AsTask();

    /// <summary>A pure ACK of everything up to <paramref name="ack"/> (absolute sequence number of A).</summary>
    public Task Ack(uint ack, ushort? window = null) => Send(0x10, Isn + 1, ack, Array.Empty<byte>(), window: window);

    /// <summary>An ACK of <paramref name="bytes"/> bytes of A's data (relative to A's ISN + 1).</summary>
    public Task AckBytes(int bytes, ushort? window = null) => Ack(ClientIsn + 1 + (uint)bytes, window);

    /// <summary>
    /// An ACK sent <paramref name="delayNs"/> from now by a task of its own,
    /// so the peer goes on reading (and timing) A's segments meanwhile.
    /// </summary>
    public void AckAfter(long delayNs, uint ack, ushort? window = null)
    {
        var frame = Build(0x10, Isn + 1, ack, Array.Empty<byte>(), false, window ?? Window);
        _net.T.Spawn(_net.B, "peer-ack", 1, async libc =>
        {
            await libc.Sleep(delayNs);
            var fd = (int)await libc.Socket(Libc.AF_PACKET, Libc.SOCK_RAW, 0);
            await libc.BindPacket(fd, 0, _net.VethB.ifindex);

            // the timestamps echo what A sent last by the time the ACK leaves
            if (Timestamps)
            {
                frame = Build(0x10, Isn + 1, ack, Array.Empty<byte>(), false, window ?? Window);
            }

            AcksSent.Add((_net.T.K.ktime_get_ns(), ack));
            await libc.SendTo(fd, frame, 0, null);
            await libc.Close(fd);
        });
    }

    /// <summary>
    /// A pure ACK of <paramref name="ack"/> carrying SACK blocks (absolute
    /// sequence numbers of A, first block first — a D-SACK block goes first).
    /// </summary>
    public async Task AckSack(uint ack, params (uint Start, uint End)[] blocks)
    {
        var frame = Build(0x10, Isn + 1, ack, Array.Empty<byte>(), false, Window, blocks);
        AcksSent.Add((_net.T.K.ktime_get_ns(), ack));
        await _libc!.SendTo(_fd, frame, 0, null);
    }

    /// <summary>Sends a segment from the peer (flags as in the header's byte 13).</summary>
    public async Task Send(byte flags, uint seq, uint ack, byte[] payload, bool synack = false, ushort? window = null)
    {
        var frame = Build(flags, seq, ack, payload, synack, window ?? Window);
        await _libc!.SendTo(_fd, frame, 0, null);
    }

    private byte[] Build(byte flags, uint seq, uint ack, byte[] payload, bool synack, ushort window, (uint Start, uint End)[]? sackBlocks = null)
    {
        var options = new List<byte>();
        if (synack)
        {
            options.AddRange(new byte[] { 2, 4, 0x05, 0xb4 }); // MSS 1460
            if (Sack)
            {
                options.AddRange(new byte[] { 1, 1, 4, 2 }); // NOP NOP SACK-permitted
            }
        }

        if (sackBlocks is { Length: > 0 })
        {
            options.AddRange(new byte[] { 1, 1, 5, (byte)(2 + (8 * sackBlocks.Length)) });
            foreach (var (start, end) in sackBlocks)
            {
                var b = new byte[8];
                BinaryPrimitives.WriteUInt32BigEndian(b, start);
                BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(4), end);
                options.AddRange(b);
            }
        }

        if (Timestamps)
        {
            options.AddRange(new byte[] { 1, 1, 8, 10 });
            var ts = new byte[8];
            BinaryPrimitives.WriteUInt32BigEndian(ts, TsVal);
            BinaryPrimitives.WriteUInt32BigEndian(ts.AsSpan(4), (flags & 0x10) != 0 ? LastTsVal : 0); // a segment without ACK echoes nothing
            options.AddRange(ts);
        }

        return Frames.Tcp(_net.VethA.dev_addr, _net.VethB.dev_addr, 0x0a000002, 0x0a000001, 9000, 7000, seq, ack, flags, window, options.ToArray(), payload);
    }

    private static TcpSegment Parse(long at, byte[] frame)
    {
        var ip = frame.AsSpan(14);
        var ihl = (ip[0] & 0xf) * 4;
        var total = BinaryPrimitives.ReadUInt16BigEndian(ip[2..]);
        var th = ip[ihl..];
        var doff = (th[12] >> 4) * 4;
        uint? tsval = null, tsecr = null;
        for (var o = 20; o < doff;)
        {
            var kind = th[o];
            if (kind == 0)
            {
                break;
            }

            if (kind == 1)
            {
                o++;
                continue;
            }

            if (kind == 8)
            {
                tsval = BinaryPrimitives.ReadUInt32BigEndian(th[(o + 2)..]);
                tsecr = BinaryPrimitives.ReadUInt32BigEndian(th[(o + 6)..]);
            }

            o += th[o + 1];
        }

        return new TcpSegment(at, frame, BinaryPrimitives.ReadUInt32BigEndian(th[4..]), BinaryPrimitives.ReadUInt32BigEndian(th[8..]), th[13], BinaryPrimitives.ReadUInt16BigEndian(th[14..]), total - ihl - doff, tsval, tsecr);
    }
}
