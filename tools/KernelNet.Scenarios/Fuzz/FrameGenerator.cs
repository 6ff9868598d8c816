using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace KernelNet.Scenarios.Fuzz;

/// <summary>
/// splitmix64: a small seeded generator whose sequence is fixed by this code
/// alone (System.Random's algorithm may change between runtimes), so a seed
/// and a frame index name the same frame everywhere.
/// </summary>
public sealed class FuzzRandom
{
    private ulong _state;

    public FuzzRandom(ulong seed)
    {
        _state = seed;
    }

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A number in [0, n).</summary>
    public int Below(int n) => n <= 0 ? 0 : (int)(Next() % (ulong)n);

    /// <summary>True with probability p.</summary>
    public bool Chance(double p) => (Next() >> 11) * (1.0 / (1UL << 53)) < p;

    public uint U32() => (uint)Next();

    public byte Byte() => (byte)Next();

    public T Pick<T>(IReadOnlyList<T> items) => items[Below(items.Count)];
}

/// <summary>What the generator knows about one live TCP connection of the host under test, read from its socket before each frame.</summary>
public readonly record struct LiveConnection(uint LocalAddr, ushort LocalPort, uint PeerAddr, ushort PeerPort, uint RcvNxt, uint SndUna, uint SndNxt, uint RcvWnd, uint TsRecent, bool Vlan);

/// <summary>The addresses of the two hosts and the devices' MACs the frames are built for.</summary>
public sealed record FuzzAddresses(byte[] VictimMac, byte[] PeerMac, uint VictimAddr, uint PeerAddr, uint VictimVlanAddr, uint PeerVlanAddr, ushort VlanId);

/// <summary>
/// Builds receive-path frames for the host under test: valid frames of each
/// kind (ARP, 802.1Q, IPv4 with options, fragments, ICMP echo and errors,
/// UDP, TCP with MSS/wscale/SACK/timestamps to the listener and into live
/// connections), then, on most of them, mutations of lengths, header fields,
/// option bytes, offsets, flags and checksums (recomputed after the mutation
/// or left wrong). Every frame is at least an Ethernet header long, as a
/// driver hands up.
/// </summary>
public sealed class FrameGenerator
{
    public const ushort TcpListenPort = 80;

    public static readonly ushort[] UdpPorts = { 5000, 5001, 5002 };

    private const int EthHlen = 14;

    private readonly FuzzRandom _rng;
    private readonly FuzzAddresses _a;
    private readonly Queue<byte[]> _pending = new();
    private ushort _ipId = 1;

    public FrameGenerator(FuzzRandom rng, FuzzAddresses addresses)
    {
        _rng = rng;
        _a = addresses;
    }

    /// <summary>The kind of the last frame made (for the report).</summary>
    public string LastKind { get; private set; } = "";

    /// <summary>The next frame; <paramref name="conns"/> are the live connections now.</summary>
    public byte[] Next(IReadOnlyList<LiveConnection> conns)
    {
        if (_pending.Count > 0 && _rng.Chance(0.9))
        {
            LastKind = "fragment";
            return _pending.Dequeue();
        }

        byte[] frame;
        var vlan = _rng.Chance(0.1);
        var kind = _rng.Below(100);
        var (src, dst) = vlan ? (_a.PeerVlanAddr, _a.VictimVlanAddr) : (_a.PeerAddr, _a.VictimAddr);
        if (kind < 6)
        {
            LastKind = "arp";
            frame = Arp(vlan);
        }
        else if (kind < 18)
        {
            LastKind = "udp";
            frame = Ip(vlan, 17, src, dst, RandomOptions(0.15), Udp(src, dst));
        }
        else if (kind < 26)
        {
            LastKind = "ip-options";
            frame = Ip(vlan, _rng.Pick(new byte[] { 1, 6, 17, 17 }), src, dst, RandomOptions(1.0), null);
        }
        else if (kind < 32)
        {
            LastKind = "fragments";
            Fragments(vlan, src, dst);
            frame = _pending.Dequeue();
        }
        else if (kind < 40)
        {
            LastKind = "icmp-echo";
            frame = Ip(vlan, 1, src, dst, RandomOptions(0.1), IcmpEcho());
        }
        else if (kind < 50)
        {
            LastKind = "icmp-error";
            frame = Ip(vlan, 1, src, dst, RandomOptions(0.05), IcmpError(conns, src, dst));
        }
        else if (kind < 62)
        {
            LastKind = "tcp-listener";
            frame = Ip(vlan, 6, src, dst, RandomOptions(0.05), TcpToListener(src, dst));
        }
        else if (kind < 95 && conns.Count > 0)
        {
            var c = conns[_rng.Below(conns.Count)];
            LastKind = "tcp-established";
            frame = Ip(c.Vlan, 6, c.PeerAddr, c.LocalAddr, RandomOptions(0.03), TcpInto(c));
            vlan = c.Vlan;
        }
        else
        {
            LastKind = "other-protocol";
            frame = Ip(vlan, _rng.Pick(new byte[] { 2, 4, 41, 47, 50, 132, 255 }), src, dst, RandomOptions(0.1), RandomBytes(_rng.Below(64)));
        }

        if (_rng.Chance(0.6))
        {
            frame = Mutate(frame, vlan ? EthHlen + 4 : EthHlen);
        }

        return frame;
    }

    // ---- Ethernet, ARP, IPv4 ----------------------------------------------------------

    private byte[] Eth(bool vlan, ushort proto, byte[] payload)
    {
        var hl = vlan ? EthHlen + 4 : EthHlen;
        var f = new byte[hl + payload.Length];
        var dst = _rng.Chance(0.03) ? new byte[] { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } : _rng.Chance(0.02) ? new byte[] { 0x02, 0xaa, 0, 0, 0, 1 } : _a.VictimMac;
        dst.CopyTo(f, 0);
        _a.PeerMac.CopyTo(f, 6);
        if (vlan)
        {
            BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(12), 0x8100);
            var vid = _rng.Chance(0.9) ? _a.VlanId : (ushort)_rng.Below(4096);
            BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(14), (ushort)(((_rng.Below(8)) << 13) | vid));
            BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(16), proto);
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(12), proto);
        }

        payload.CopyTo(f, hl);
        return f;
    }

    private byte[] Arp(bool vlan)
    {
        var p = new byte[28];
        BinaryPrimitives.WriteUInt16BigEndian(p, 1);
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(2), 0x0800);
        p[4] = 6;
        p[5] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(6), (ushort)(_rng.Chance(0.6) ? 1 : 2));
        _a.PeerMac.CopyTo(p, 8);
        var (src, dst) = vlan ? (_a.PeerVlanAddr, _a.VictimVlanAddr) : (_a.PeerAddr, _a.VictimAddr);
        BinaryPrimitives.WriteUInt32BigEndian(p.AsSpan(14), _rng.Chance(0.8) ? src : (src & 0xffffff00) | _rng.Byte());
        if (_rng.Chance(0.5))
        {
            _a.VictimMac.CopyTo(p, 18);
        }

        BinaryPrimitives.WriteUInt32BigEndian(p.AsSpan(24), _rng.Chance(0.8) ? dst : (dst & 0xffffff00) | _rng.Byte());
        return Eth(vlan, 0x0806, p);
    }

    /// <summary>An IPv4 datagram in an Ethernet frame: header (with options), then <paramref name="l4"/> (random bytes when null); checksums right.</summary>
    private byte[] Ip(bool vlan, byte proto, uint src, uint dst, byte[] options, byte[]? l4, ushort frag = 0x4000, ushort? id = null)
    {
        l4 ??= RandomBytes(_rng.Below(48));
        var ihl = 20 + options.Length;
        var p = new byte[ihl + l4.Length];
        p[0] = (byte)(0x40 | (ihl / 4));
        p[1] = _rng.Chance(0.1) ? _rng.Byte() : (byte)0;
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(2), (ushort)p.Length);
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(4), id ?? _ipId++);
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(6), frag);
        p[8] = _rng.Chance(0.05) ? (byte)_rng.Below(3) : (byte)64;
        p[9] = proto;
        BinaryPrimitives.WriteUInt32BigEndian(p.AsSpan(12), src);
        BinaryPrimitives.WriteUInt32BigEndian(p.AsSpan(16), _rng.Chance(0.03) ? _rng.Pick(new[] { 0xffffffffu, 0xe0000001u, 0x0a0000ffu, 0x7f000001u, 0x0a000063u }) : dst);
        options.CopyTo(p, 20);
        l4.CopyTo(p, ihl);
        var f = Eth(vlan, 0x0800, p);
        var l3 = vlan ? EthHlen + 4 : EthHlen;
        FixIpChecksum(f, l3);
        FixL4Checksum(f, l3);
        return f;
    }

    /// <summary>IPv4 options with probability <paramref name="p"/>: RR, TS (each flag), LSRR/SSRR, router alert, NOPs, junk; padded to words with EOL.</summary>
    private byte[] RandomOptions(double p)
    {
        if (!_rng.Chance(p))
        {
            return Array.Empty<byte>();
        }

        var o = new List<byte>();
        var count = 1 + _rng.Below(3);
        for (var i = 0; i < count && o.Count < 40; i++)
        {
            var room = 40 - o.Count;
            switch (_rng.Below(8))
            {
                case 0:
                case 1:
                {
                    // record route: 3 + 4n, pointer at a slot (or beyond)
                    var n = Math.Min(1 + _rng.Below(9), (room - 3) / 4);
                    if (n < 1)
                    {
                        break;
                    }

                    o.Add(7);
                    o.Add((byte)(3 + 4 * n));
                    o.Add((byte)(4 + 4 * _rng.Below(n + 1)));
                    for (var j = 0; j < 4 * n; j++)
                    {
                        o.Add(0);
                    }

                    break;
                }

                case 2:
                case 3:
                {
                    // timestamp: flag 0 (stamps), 1 (address + stamp), 3 (prespecified)
                    var flag = _rng.Pick(new byte[] { 0, 1, 3, 2 });
                    var slot = flag == 0 ? 4 : 8;
                    var n = Math.Min(1 + _rng.Below(4), (room - 4) / slot);
                    if (n < 1)
                    {
                        break;
                    }

                    o.Add(68);
                    o.Add((byte)(4 + slot * n));
                    o.Add((byte)(5 + slot * _rng.Below(n + 1)));
                    o.Add((byte)((_rng.Below(16) << 4) | flag));
                    for (var j = 0; j < n; j++)
                    {
                        var addr = flag == 3 ? (_rng.Chance(0.5) ? _a.VictimAddr : _a.PeerAddr) : 0u;
                        if (slot == 8)
                        {
                            o.Add((byte)(addr >> 24));
                            o.Add((byte)(addr >> 16));
                            o.Add((byte)(addr >> 8));
                            o.Add((byte)addr);
                        }

                        o.Add(0);
                        o.Add(0);
                        o.Add(0);
                        o.Add(0);
                    }

                    break;
                }

                case 4:
                {
                    // loose or strict source route through the victim and beyond
                    var n = Math.Min(1 + _rng.Below(3), (room - 3) / 4);
                    if (n < 1)
                    {
                        break;
                    }

                    o.Add(_rng.Chance(0.5) ? (byte)131 : (byte)137);
                    o.Add((byte)(3 + 4 * n));
                    o.Add((byte)(4 + 4 * _rng.Below(n + 1)));
                    for (var j = 0; j < n; j++)
                    {
                        var addr = _rng.Pick(new[] { _a.VictimAddr, _a.PeerAddr, 0x0a000063u, 0x0a000102u, 0x7f000001u });
                        o.Add((byte)(addr >> 24));
                        o.Add((byte)(addr >> 16));
                        o.Add((byte)(addr >> 8));
                        o.Add((byte)addr);
                    }

                    break;
                }

                case 5:
                    if (room >= 4)
                    {
                        o.AddRange(new byte[] { 148, 4, 0, 0 });
                    }

                    break;

                case 6:
                    o.Add(1);
                    break;

                default:
                {
                    // an option this kernel may not know, with a length that may lie
                    var len = Math.Min(2 + _rng.Below(8), room);
                    if (len < 2)
                    {
                        break;
                    }

                    o.Add(_rng.Byte());
                    o.Add(_rng.Chance(0.8) ? (byte)len : _rng.Byte());
                    for (var j = 2; j < len; j++)
                    {
                        o.Add(_rng.Byte());
                    }

                    break;
                }
            }
        }

        while (o.Count % 4 != 0)
        {
            o.Add(0);
        }

        return o.ToArray();
    }

    // ---- UDP, fragments, ICMP ---------------------------------------------------------

    private byte[] Udp(uint src, uint dst, int? payloadLen = null)
    {
        var len = payloadLen ?? _rng.Below(_rng.Chance(0.1) ? 1400 : 64);
        var u = new byte[8 + len];
        BinaryPrimitives.WriteUInt16BigEndian(u, (ushort)(1024 + _rng.Below(4)));
        var dport = _rng.Below(10) switch
        {
            < 7 => UdpPorts[_rng.Below(UdpPorts.Length)],
            7 => (ushort)9999,
            8 => (ushort)7,
            _ => (ushort)_rng.Below(65536),
        };
        BinaryPrimitives.WriteUInt16BigEndian(u.AsSpan(2), dport);
        BinaryPrimitives.WriteUInt16BigEndian(u.AsSpan(4), (ushort)u.Length);
        for (var i = 8; i < u.Length; i++)
        {
            u[i] = (byte)i;
        }

        // the checksum goes in when the IP header is known (FixL4Checksum); 0 (none) sometimes
        _ = src;
        _ = dst;
        return u;
    }

    /// <summary>A UDP datagram to a listener cut into fragments, queued (some reordered, overlapping, duplicated, lost, or with a lying MF/offset).</summary>
    private void Fragments(bool vlan, uint src, uint dst)
    {
        var payload = Udp(src, dst, 64 + _rng.Below(1600));
        // the whole datagram's UDP checksum, as the sender computes it before fragmenting
        var pseudo = new byte[12 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(pseudo, src);
        BinaryPrimitives.WriteUInt32BigEndian(pseudo.AsSpan(4), dst);
        pseudo[9] = 17;
        BinaryPrimitives.WriteUInt16BigEndian(pseudo.AsSpan(10), (ushort)payload.Length);
        payload.CopyTo(pseudo, 12);
        var c = Fold(Sum(pseudo));
        BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(6), c == 0 ? (ushort)0xffff : c);

        var id = _ipId++;
        var step = 8 * (1 + _rng.Below(40));
        var frags = new List<byte[]>();
        for (var off = 0; off < payload.Length; off += step)
        {
            var len = Math.Min(step, payload.Length - off);
            var mf = off + len < payload.Length;
            var fo = off / 8;
            if (_rng.Chance(0.05))
            {
                fo = _rng.Below(8192);
            }

            if (_rng.Chance(0.03))
            {
                mf = !mf;
            }

            var piece = payload.AsSpan(off, len).ToArray();
            var f = Ip(vlan, 17, src, dst, RandomOptions(0.05), piece, (ushort)((mf ? 0x2000 : 0) | fo), id);
            frags.Add(f);
        }

        if (_rng.Chance(0.3) && frags.Count > 1)
        {
            // reorder
            for (var i = frags.Count - 1; i > 0; i--)
            {
                var j = _rng.Below(i + 1);
                (frags[i], frags[j]) = (frags[j], frags[i]);
            }
        }

        foreach (var f in frags)
        {
            if (_rng.Chance(0.05))
            {
                continue; // lost: the queue times out
            }

            _pending.Enqueue(_rng.Chance(0.15) ? Mutate(f, vlan ? EthHlen + 4 : EthHlen) : f);
            if (_rng.Chance(0.05))
            {
                _pending.Enqueue(f); // duplicated
            }
        }

        if (_pending.Count == 0)
        {
            _pending.Enqueue(frags[0]);
        }
    }

    private byte[] IcmpEcho()
    {
        var e = new byte[8 + _rng.Below(_rng.Chance(0.05) ? 1400 : 56)];
        e[0] = _rng.Chance(0.85) ? (byte)8 : _rng.Pick(new byte[] { 0, 13, 14, 15, 17, 18, 9, 10, 42 });
        e[1] = _rng.Chance(0.9) ? (byte)0 : _rng.Byte();
        BinaryPrimitives.WriteUInt16BigEndian(e.AsSpan(4), (ushort)_rng.Below(65536));
        BinaryPrimitives.WriteUInt16BigEndian(e.AsSpan(6), (ushort)_rng.Below(65536));
        for (var i = 8; i < e.Length; i++)
        {
            e[i] = (byte)i;
        }

        return e;
    }

    /// <summary>An ICMP error quoting a datagram the victim sent: TCP of a live connection (sequence in or out of window), UDP, or junk.</summary>
    private byte[] IcmpError(IReadOnlyList<LiveConnection> conns, uint src, uint dst)
    {
        var (type, code) = _rng.Below(8) switch
        {
            0 => (3, 4),                   // fragmentation needed
            1 => (3, _rng.Below(16)),      // unreachable, any code
            2 => (11, _rng.Below(2)),      // time exceeded
            3 => (12, 0),                  // parameter problem
            4 => (5, _rng.Below(4)),       // redirect
            5 => (4, 0),                   // source quench
            6 => (3, 3),                   // port unreachable
            _ => (_rng.Below(256), _rng.Below(256)),
        };

        // the quoted datagram: victim -> peer
        byte[] inner;
        uint isrc = dst;
        uint idst = src;
        byte iproto;
        if (conns.Count > 0 && _rng.Chance(0.6))
        {
            var c = conns[_rng.Below(conns.Count)];
            (isrc, idst) = (c.LocalAddr, c.PeerAddr);
            iproto = 6;
            inner = new byte[8];
            BinaryPrimitives.WriteUInt16BigEndian(inner, c.LocalPort);
            BinaryPrimitives.WriteUInt16BigEndian(inner.AsSpan(2), c.PeerPort);
            var seq = _rng.Chance(0.7) ? c.SndUna + (uint)_rng.Below((int)Math.Max(1, c.SndNxt - c.SndUna)) : _rng.U32();
            BinaryPrimitives.WriteUInt32BigEndian(inner.AsSpan(4), seq);
        }
        else if (_rng.Chance(0.7))
        {
            iproto = 17;
            inner = new byte[8];
            BinaryPrimitives.WriteUInt16BigEndian(inner, UdpPorts[_rng.Below(UdpPorts.Length)]);
            BinaryPrimitives.WriteUInt16BigEndian(inner.AsSpan(2), (ushort)(1024 + _rng.Below(4)));
            BinaryPrimitives.WriteUInt16BigEndian(inner.AsSpan(4), 40);
        }
        else
        {
            iproto = _rng.Byte();
            inner = RandomBytes(_rng.Below(12));
        }

        var ihl = _rng.Chance(0.9) ? 20 : 4 * _rng.Below(16);
        var ih = new byte[Math.Max(ihl, 0)];
        if (ih.Length >= 20)
        {
            ih[0] = (byte)(0x40 | (ihl / 4));
            BinaryPrimitives.WriteUInt16BigEndian(ih.AsSpan(2), (ushort)(ihl + 40));
            ih[8] = 64;
            ih[9] = iproto;
            BinaryPrimitives.WriteUInt32BigEndian(ih.AsSpan(12), isrc);
            BinaryPrimitives.WriteUInt32BigEndian(ih.AsSpan(16), idst);
        }
        else if (ih.Length > 0)
        {
            ih[0] = (byte)(0x40 | (ihl / 4));
        }

        var quote = _rng.Chance(0.1) ? inner.AsSpan(0, _rng.Below(inner.Length + 1)).ToArray() : inner;
        var e = new byte[8 + ih.Length + quote.Length];
        e[0] = (byte)type;
        e[1] = (byte)code;
        if (type == 3 && code == 4)
        {
            BinaryPrimitives.WriteUInt16BigEndian(e.AsSpan(6), _rng.Pick(new ushort[] { 0, 68, 296, 552, 576, 1280, 1400, 1500, 9000, (ushort)_rng.Below(65536) }));
        }
        else if (type == 5)
        {
            BinaryPrimitives.WriteUInt32BigEndian(e.AsSpan(4), _rng.Chance(0.5) ? 0x0a000063u : _rng.U32());
        }
        else if (type == 12)
        {
            e[4] = (byte)_rng.Below(64);
        }

        ih.CopyTo(e, 8);
        quote.CopyTo(e, 8 + ih.Length);
        return e;
    }

    // ---- TCP --------------------------------------------------------------------------

    /// <summary>TCP options: MSS, wscale, SACK_PERM, timestamps, SACK blocks, NOPs, EOL, junk, in some order; at most 40 bytes.</summary>
    private byte[] TcpOptions(bool syn, uint tsval, uint tsecr, uint sackBase, uint sackSpan)
    {
        var o = new List<byte>();
        var count = _rng.Below(syn ? 6 : 4);
        for (var i = 0; i < count; i++)
        {
            var room = 40 - o.Count;
            switch (_rng.Below(8))
            {
                case 0 when room >= 4:
                {
                    var mss = _rng.Pick(new ushort[] { 1460, 536, 0, 1, 64, 88, 9000, 65535, (ushort)_rng.Below(65536) });
                    o.AddRange(new byte[] { 2, 4, (byte)(mss >> 8), (byte)mss });
                    break;
                }

                case 1 when room >= 3:
                    o.AddRange(new byte[] { 3, 3, (byte)_rng.Below(20) });
                    break;
                case 2 when room >= 2:
                    o.AddRange(new byte[] { 4, 2 });
                    break;
                case 3 when room >= 10:
                case 4 when room >= 10:
                    o.AddRange(new byte[] { 8, 10, (byte)(tsval >> 24), (byte)(tsval >> 16), (byte)(tsval >> 8), (byte)tsval, (byte)(tsecr >> 24), (byte)(tsecr >> 16), (byte)(tsecr >> 8), (byte)tsecr });
                    break;
                case 5 when room >= 10:
                {
                    var blocks = Math.Min(1 + _rng.Below(4), (room - 2) / 8);
                    o.Add(5);
                    o.Add((byte)(2 + 8 * blocks));
                    for (var b = 0; b < blocks; b++)
                    {
                        var start = _rng.Chance(0.8) ? sackBase + (uint)_rng.Below((int)Math.Max(1, sackSpan + 2000)) - 1000u : _rng.U32();
                        var end = _rng.Chance(0.85) ? start + (uint)_rng.Below(3000) : _rng.U32();
                        o.AddRange(new[] { (byte)(start >> 24), (byte)(start >> 16), (byte)(start >> 8), (byte)start });
                        o.AddRange(new[] { (byte)(end >> 24), (byte)(end >> 16), (byte)(end >> 8), (byte)end });
                    }

                    break;
                }

                case 6 when room >= 1:
                    o.Add(1);
                    break;
                default:
                    if (room >= 2)
                    {
                        var len = Math.Min(2 + _rng.Below(8), room);
                        o.Add(_rng.Pick(new byte[] { 0, 6, 7, 9, 14, 19, 28, 29, 30, 34, 253, 254, _rng.Byte() }));
                        o.Add(_rng.Chance(0.7) ? (byte)len : _rng.Byte());
                        for (var j = 2; j < len; j++)
                        {
                            o.Add(_rng.Byte());
                        }
                    }

                    break;
            }
        }

        while (o.Count % 4 != 0)
        {
            o.Add(1);
        }

        return o.ToArray();
    }

    private static byte[] Tcp(ushort sport, ushort dport, uint seq, uint ack, byte flags, ushort window, byte[] options, byte[] payload)
    {
        var hl = 20 + options.Length;
        var t = new byte[hl + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(t, sport);
        BinaryPrimitives.WriteUInt16BigEndian(t.AsSpan(2), dport);
        BinaryPrimitives.WriteUInt32BigEndian(t.AsSpan(4), seq);
        BinaryPrimitives.WriteUInt32BigEndian(t.AsSpan(8), ack);
        t[12] = (byte)((hl / 4) << 4);
        t[13] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(t.AsSpan(14), window);
        options.CopyTo(t, 20);
        payload.CopyTo(t, hl);
        return t;
    }

    private byte[] TcpToListener(uint src, uint dst)
    {
        _ = src;
        _ = dst;
        var flags = _rng.Below(10) switch
        {
            < 6 => (byte)0x02,              // SYN
            6 => (byte)0x10,                // a bare ACK (a syncookie check, or a request's third packet)
            7 => (byte)0x04,                // RST
            8 => (byte)0x12,                // SYN-ACK to a listener
            _ => _rng.Byte(),
        };
        var dport = _rng.Chance(0.85) ? TcpListenPort : _rng.Pick(new ushort[] { 81, 22, (ushort)_rng.Below(65536) });
        var sport = (ushort)(20000 + _rng.Below(8));
        var opts = TcpOptions((flags & 0x02) != 0, _rng.U32(), _rng.Chance(0.8) ? 0 : _rng.U32(), _rng.U32(), 1000);
        return Tcp(sport, dport, _rng.U32(), (flags & 0x10) != 0 ? _rng.U32() : 0, flags, (ushort)_rng.Below(65536), opts, RandomBytes(_rng.Chance(0.1) ? _rng.Below(100) : 0));
    }

    /// <summary>A segment spoofed from a live connection's peer: sequence and acknowledgment in window, at its edges, or anywhere; flags mostly ACK-based.</summary>
    private byte[] TcpInto(LiveConnection c)
    {
        var seq = _rng.Below(10) switch
        {
            < 5 => c.RcvNxt,
            5 => c.RcvNxt + (uint)_rng.Below((int)Math.Max(1, c.RcvWnd)),
            6 => c.RcvNxt - (uint)_rng.Below(3000),
            7 => c.RcvNxt + c.RcvWnd + (uint)_rng.Below(3),
            _ => _rng.U32(),
        };
        var span = c.SndNxt - c.SndUna;
        var ack = _rng.Below(10) switch
        {
            < 4 => c.SndNxt,
            4 or 5 => c.SndUna + (uint)_rng.Below((int)Math.Max(1, span + 1)),
            6 => c.SndUna - (uint)_rng.Below(70000),
            7 => c.SndNxt + 1 + (uint)_rng.Below(70000),
            _ => _rng.U32(),
        };
        var flags = _rng.Below(20) switch
        {
            < 7 => (byte)0x10,
            < 11 => (byte)0x18,
            11 => (byte)0x11,
            12 => (byte)0x19,
            13 => (byte)0x04,
            14 => (byte)0x14,
            15 => (byte)0x02,
            16 => (byte)0x12,
            17 => (byte)0x30,
            18 => (byte)0x50,
            _ => _rng.Byte(),
        };
        var tsval = _rng.Chance(0.85) ? c.TsRecent + (uint)_rng.Below(50) : _rng.U32();
        var opts = TcpOptions((flags & 0x02) != 0, tsval, _rng.U32(), c.SndUna, span);
        var payload = RandomBytes(_rng.Below(3) == 0 ? 0 : _rng.Below(_rng.Chance(0.05) ? 1400 : 200));
        var window = _rng.Chance(0.1) ? (ushort)0 : (ushort)_rng.Below(65536);
        return Tcp(c.PeerPort, c.LocalPort, seq, ack, flags, window, opts, payload);
    }

    // ---- mutation and checksums -------------------------------------------------------

    /// <summary>One to three mutations of lengths, fields, options, offsets, flags or bytes; then the checksums are fixed, or not.</summary>
    private byte[] Mutate(byte[] f, int l3)
    {
        var wasIp = IsIp(f, l3);
        var n = 1 + _rng.Below(3);
        for (var i = 0; i < n; i++)
        {
            // a mutation before may have cut the frame or changed what it is
            var isIp = IsIp(f, l3);
            var ihl = isIp ? (f[l3] & 0xf) * 4 : 0;
            var l4 = l3 + ihl;
            var proto = isIp ? f[l3 + 9] : 0;
            switch (_rng.Below(isIp ? 16 : 4))
            {
                case 0:
                    // truncate (never below an Ethernet header: a driver hands up nothing shorter)
                    Array.Resize(ref f, EthHlen + _rng.Below(Math.Max(1, f.Length - EthHlen)));
                    break;
                case 1:
                {
                    var extra = RandomBytes(1 + _rng.Below(64));
                    var g = new byte[f.Length + extra.Length];
                    f.CopyTo(g, 0);
                    extra.CopyTo(g, f.Length);
                    f = g;
                    break;
                }

                case 2:
                {
                    var at = _rng.Below(f.Length);
                    f[at] ^= (byte)(1 << _rng.Below(8));
                    break;
                }

                case 3:
                {
                    var at = l3 - 2 + _rng.Below(Math.Max(1, Math.Min(f.Length, l3 + 60) - (l3 - 2)));
                    if (at < f.Length)
                    {
                        f[at] = _rng.Byte();
                    }

                    break;
                }

                case 4:
                {
                    // total length: small lies and wild ones
                    var tot = BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(l3 + 2));
                    var v = _rng.Chance(0.5) ? (ushort)(tot + _rng.Below(17) - 8) : (ushort)_rng.Below(65536);
                    BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(l3 + 2), v);
                    break;
                }

                case 5:
                    f[l3] = (byte)(_rng.Chance(0.8) ? 0x40 | _rng.Below(16) : _rng.Byte());
                    break;
                case 6:
                {
                    // fragment field: MF, DF, evil bit, offsets
                    var v = _rng.Below(4) switch
                    {
                        0 => (ushort)0x2000,
                        1 => (ushort)(0x2000 | _rng.Below(8192)),
                        2 => (ushort)_rng.Below(8192),
                        _ => (ushort)_rng.Below(65536),
                    };
                    BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(l3 + 6), v);
                    break;
                }

                case 7:
                    // an option byte (type, length, pointer, flags) when there are options
                    if (ihl > 20 && l3 + ihl <= f.Length)
                    {
                        var at = l3 + 20 + _rng.Below(ihl - 20);
                        f[at] = _rng.Chance(0.5) ? (byte)(f[at] + _rng.Below(9) - 4) : _rng.Byte();
                    }

                    break;
                case 8:
                    f[l3 + 9] = _rng.Pick(new byte[] { 1, 2, 6, 17, 47, _rng.Byte() });
                    break;
                case 9:
                    f[l3 + 8] = (byte)_rng.Below(3);
                    break;
                case 10:
                    // TCP data offset or flags, UDP length, ICMP type/code
                    if (l4 + 14 <= f.Length && proto == 6)
                    {
                        if (_rng.Chance(0.5))
                        {
                            f[l4 + 12] = (byte)((_rng.Below(16) << 4) | (f[l4 + 12] & 0xf));
                        }
                        else
                        {
                            f[l4 + 13] = _rng.Byte();
                        }
                    }
                    else if (l4 + 6 <= f.Length && proto == 17)
                    {
                        var ul = BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(l4 + 4));
                        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(l4 + 4), _rng.Chance(0.5) ? (ushort)(ul + _rng.Below(17) - 8) : (ushort)_rng.Below(65536));
                    }
                    else if (l4 + 2 <= f.Length && proto == 1)
                    {
                        f[l4 + _rng.Below(2)] = _rng.Byte();
                    }

                    break;
                case 11:
                {
                    // a TCP option byte (kind, length, SACK edges)
                    if (proto == 6 && l4 + 20 <= f.Length)
                    {
                        var doff = (f[l4 + 12] >> 4) * 4;
                        if (doff > 20 && l4 + doff <= f.Length)
                        {
                            var at = l4 + 20 + _rng.Below(doff - 20);
                            f[at] = _rng.Chance(0.5) ? (byte)(f[at] + _rng.Below(9) - 4) : _rng.Byte();
                        }
                    }

                    break;
                }

                case 12:
                {
                    // a TCP sequence or acknowledgment nudged across a window edge
                    if (proto == 6 && l4 + 12 <= f.Length)
                    {
                        var at = l4 + (_rng.Chance(0.5) ? 4 : 8);
                        var v = BinaryPrimitives.ReadUInt32BigEndian(f.AsSpan(at));
                        BinaryPrimitives.WriteUInt32BigEndian(f.AsSpan(at), v + (uint)(_rng.Below(131072) - 65536));
                    }

                    break;
                }

                case 13:
                    // an ICMP error's quoted header fields
                    if (proto == 1 && l4 + 8 + 20 <= f.Length)
                    {
                        var at = l4 + 8 + _rng.Below(Math.Min(28, f.Length - l4 - 8));
                        f[at] = _rng.Byte();
                    }

                    break;
                case 14:
                    // source address: the victim itself, broadcast, multicast, loopback, zero
                    BinaryPrimitives.WriteUInt32BigEndian(f.AsSpan(l3 + 12), _rng.Pick(new[] { _a.VictimAddr, 0xffffffffu, 0xe0000001u, 0x7f000001u, 0u, 0x0a0000ffu }));
                    break;
                default:
                    // the ethertype or VLAN tag
                    if (l3 == EthHlen + 4 && f.Length >= EthHlen + 4)
                    {
                        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(14), (ushort)_rng.Below(65536));
                    }
                    else
                    {
                        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(12), _rng.Pick(new ushort[] { 0x0806, 0x8100, 0x86dd, 0x88a8, 0x0800, 0x0000 }));
                    }

                    break;
            }
        }

        if (wasIp && f.Length >= l3 + 20)
        {
            if (_rng.Chance(0.75))
            {
                FixIpChecksum(f, l3);
            }

            if (_rng.Chance(0.75))
            {
                FixL4Checksum(f, l3);
            }
        }

        return f;
    }

    private static bool IsIp(byte[] f, int l3) =>
        f.Length >= l3 + 20 && BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(l3 - 2)) == 0x0800 && f[l3] >> 4 == 4;

    private static uint Sum(ReadOnlySpan<byte> b, uint acc = 0)
    {
        var i = 0;
        for (; i + 1 < b.Length; i += 2)
        {
            acc += (uint)((b[i] << 8) | b[i + 1]);
        }

        if (i < b.Length)
        {
            acc += (uint)(b[i] << 8);
        }

        return acc;
    }

    private static ushort Fold(uint acc)
    {
        while ((acc >> 16) != 0)
        {
            acc = (acc & 0xffff) + (acc >> 16);
        }

        return (ushort)~acc;
    }

    private static void FixIpChecksum(byte[] f, int l3)
    {
        var ihl = (f[l3] & 0xf) * 4;
        if (ihl < 20 || l3 + ihl > f.Length)
        {
            return;
        }

        f[l3 + 10] = 0;
        f[l3 + 11] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(l3 + 10), Fold(Sum(f.AsSpan(l3, ihl))));
    }

    /// <summary>The TCP/UDP/ICMP checksum over what the IP total length says (bounded by the frame), for a first or only fragment.</summary>
    private static void FixL4Checksum(byte[] f, int l3)
    {
        var ihl = (f[l3] & 0xf) * 4;
        if (ihl < 20 || l3 + ihl > f.Length)
        {
            return;
        }

        if ((BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(l3 + 6)) & 0x3fff) != 0)
        {
            return; // a fragment: its L4 checksum covers the whole datagram (the caller's)
        }

        var tot = Math.Min(BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(l3 + 2)), f.Length - l3);
        var l4 = l3 + ihl;
        var len = tot - ihl;
        if (len <= 0)
        {
            return;
        }

        var proto = f[l3 + 9];
        var at = proto switch
        {
            6 => 16,
            17 => 6,
            1 => 2,
            _ => -1,
        };
        if (at < 0 || at + 2 > len)
        {
            return;
        }

        f[l4 + at] = 0;
        f[l4 + at + 1] = 0;
        uint acc = 0;
        if (proto != 1)
        {
            acc = Sum(f.AsSpan(l3 + 12, 8));
            acc += proto;
            acc += (uint)len;
        }

        acc = Sum(f.AsSpan(l4, len), acc);
        var c = Fold(acc);
        if (proto == 17 && c == 0)
        {
            c = 0xffff;
        }

        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(l4 + at), c);
    }

    private byte[] RandomBytes(int n)
    {
        var b = new byte[n];
        for (var i = 0; i < n; i++)
        {
            b[i] = _rng.Byte();
        }

        return b;
    }
}
