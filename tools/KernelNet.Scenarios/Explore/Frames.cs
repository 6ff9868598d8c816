using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Net;

namespace KernelNet.Scenarios.Explore;

/// <summary>
/// Hand-made Ethernet frames for <c>inject</c> steps: valid IPv4 datagrams (UDP, TCP, ICMP echo)
/// and ARP requests with correct checksums, and the mutations that make malformed ones out of
/// them (lengths, header fields, IP options, fragment fields and flags, checksums). Each
/// mutation has a name, so the generator can count which ones a batch covered.
/// </summary>
public static class Frames
{
    private const int Eth = 14;

    public const byte IPPROTO_ICMP = 1;
    public const byte IPPROTO_TCP = 6;
    public const byte IPPROTO_UDP = 17;

    /// <summary>The mutations <see cref="Mutate"/> knows, by name.</summary>
    public static readonly IReadOnlyList<string> Mutations =
    [
        "ip-total-length-long", "ip-total-length-short", "ip-ihl-small", "ip-ihl-large", "ip-version", "ip-ttl",
        "ip-protocol", "ip-options", "ip-options-bad", "ip-frag-mf", "ip-frag-offset", "ip-frag-df-mf", "ip-flag-reserved",
        "ip-checksum", "ip-src-martian", "ip-dst-other", "l4-checksum", "udp-checksum-zero", "udp-length",
        "tcp-flags", "tcp-doff", "truncate", "pad", "dst-mac-other",
    ];

    /// <summary>Whether <paramref name="mutation"/> means anything for a datagram of this protocol.</summary>
    public static bool Applies(string mutation, byte protocol) => mutation switch
    {
        "udp-checksum-zero" or "udp-length" => protocol == IPPROTO_UDP,
        "tcp-flags" or "tcp-doff" => protocol == IPPROTO_TCP,
        _ => true,
    };

    /// <summary>
    /// The IP options <see cref="WithIpOption"/> adds, by name: record route (empty slots, full, a
    /// pointer below 4 or inside a slot, a length below 3 or past the header), timestamp (flags 0, 1,
    /// 3 prespecified, full, a pointer below 5, the overflow nibble at 15, an unknown flag), and
    /// source routes (loose, strict, used up, a pointer below 4).
    /// </summary>
    public static readonly IReadOnlyList<string> IpOptionKinds =
    [
        "rr", "rr-full", "rr-bad-pointer", "rr-bad-length",
        "ts-only", "ts-addr", "ts-prespec", "ts-full", "ts-bad-pointer", "ts-overflow-max", "ts-bad-flag",
        "lsrr", "ssrr", "srr-done", "srr-bad-pointer",
    ];

    /// <summary>
    /// One IP option of the named kind (see <see cref="IpOptionKinds"/>), with 0-2 NOPs in front
    /// and sometimes an EOL after; <paramref name="hop"/> is the address a source route lists and a
    /// prespecified timestamp names.
    /// </summary>
    public static byte[] IpOption(string kind, Random r, IPAddress hop)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(hop);
        var h = hop.GetAddressBytes();
        var slots = r.Next(1, 5);
        byte[] o = kind switch
        {
            "rr" => [7, (byte)(3 + (4 * slots)), 4, .. new byte[4 * slots]],
            "rr-full" => [7, 7, 8, .. new byte[] { 10, 0, 9, 9 }],
            "rr-bad-pointer" => [7, 11, (byte)(r.Next(2) == 0 ? r.Next(0, 4) : 5 + (4 * r.Next(2)) + 1), .. new byte[8]],
            "rr-bad-length" => r.Next(2) == 0 ? [7, (byte)r.Next(0, 3), 4, 0] : [7, 39, 4, 0, 0, 0, 0, 0],
            "ts-only" => [68, (byte)(4 + (4 * slots)), 5, 0, .. new byte[4 * slots]],
            "ts-addr" => [68, (byte)(4 + (8 * slots)), 5, 1, .. new byte[8 * slots]],
            "ts-prespec" => [68, 12, 5, 3, .. h, 0, 0, 0, 0],
            "ts-full" => [68, 8, 9, (byte)(r.Next(0, 15) << 4), 1, 2, 3, 4],
            "ts-bad-pointer" => [68, 12, (byte)r.Next(0, 5), 0, 0, 0, 0, 0, 0, 0, 0, 0],
            "ts-overflow-max" => [68, 8, 9, 0xf0, 1, 2, 3, 4],
            "ts-bad-flag" => [68, 12, 5, (byte)One(r, [2, 4, 15]), 0, 0, 0, 0, 0, 0, 0, 0],
            "lsrr" => [131, 7, 4, .. h],
            "ssrr" => [137, 7, 4, .. h],
            "srr-done" => [(byte)(r.Next(2) == 0 ? 131 : 137), 7, 8, .. h],
            "srr-bad-pointer" => [131, 7, (byte)r.Next(0, 4), .. h],
            _ => throw new ArgumentException($"unknown IP option kind '{kind}'", nameof(kind)),
        };
        var nops = r.Next(3);
        var eol = r.Next(3) == 0;
        return [.. Enumerable.Repeat((byte)1, nops), .. o, .. (eol ? new byte[] { 0 } : [])];
    }

    private static int One(Random r, int[] values) => values[r.Next(values.Length)];

    /// <summary>
    /// The frame with <paramref name="option"/> added after the IPv4 header's fixed part (padded with
    /// EOL to 4 bytes; at most 40 bytes of options in all), total length and header checksum made
    /// right; <paramref name="destination"/> replaces the IP destination when given (a source-routed
    /// datagram is addressed to its first hop; the transport checksum stays that of the final one).
    /// </summary>
    public static byte[] WithIpOption(byte[] frame, byte[] option, IPAddress? destination = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(option);
        if (frame.Length < Eth + 20 || BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12)) != 0x0800)
        {
            return frame;
        }

        var ihl = Math.Clamp((frame[Eth] & 0x0f) * 4, 20, 60);
        if (ihl + ((option.Length + 3) / 4 * 4) > 60)
        {
            return frame;
        }

        var f = WithOptions(frame, ihl, option);
        if (destination is not null)
        {
            destination.GetAddressBytes().CopyTo(f, Eth + 16);
            FixIpChecksum(f.AsSpan(Eth));
        }

        return f;
    }

    /// <summary>The frame with an 802.1Q tag (TPID 0x8100) of <paramref name="vid"/> and priority <paramref name="pcp"/> after the MACs.</summary>
    public static byte[] VlanTag(byte[] frame, int vid, int pcp)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.Length < Eth)
        {
            return frame;
        }

        var f = new byte[frame.Length + 4];
        frame.AsSpan(0, 12).CopyTo(f);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(12), 0x8100);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(14), (ushort)((pcp << 13) | (vid & 0x0fff)));
        frame.AsSpan(12).CopyTo(f.AsSpan(16));
        return f;
    }

    public static byte[] Mac(string mac) => Convert.FromHexString(mac.Replace(":", "", StringComparison.Ordinal));

    public static byte[] Ethernet(string dstMac, string srcMac, ushort type, ReadOnlySpan<byte> payload)
    {
        var f = new byte[Eth + payload.Length];
        Mac(dstMac).CopyTo(f, 0);
        Mac(srcMac).CopyTo(f, 6);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(12), type);
        payload.CopyTo(f.AsSpan(Eth));
        return f;
    }

    /// <summary>An IPv4 header (DF set, no options) in front of <paramref name="l4"/>, checksum filled in.</summary>
    public static byte[] Ipv4(IPAddress src, IPAddress dst, byte protocol, ReadOnlySpan<byte> l4, ushort id, byte ttl = 64)
    {
        var p = new byte[20 + l4.Length];
        p[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(2), (ushort)p.Length);
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(4), id);
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(6), 0x4000);
        p[8] = ttl;
        p[9] = protocol;
        src.GetAddressBytes().CopyTo(p, 12);
        dst.GetAddressBytes().CopyTo(p, 16);
        l4.CopyTo(p.AsSpan(20));
        FixIpChecksum(p);
        return p;
    }

    public static byte[] Udp(IPAddress src, IPAddress dst, int sport, int dport, ReadOnlySpan<byte> payload)
    {
        var u = new byte[8 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(u, (ushort)sport);
        BinaryPrimitives.WriteUInt16BigEndian(u.AsSpan(2), (ushort)dport);
        BinaryPrimitives.WriteUInt16BigEndian(u.AsSpan(4), (ushort)u.Length);
        payload.CopyTo(u.AsSpan(8));
        var sum = L4Checksum(src, dst, IPPROTO_UDP, u);
        BinaryPrimitives.WriteUInt16BigEndian(u.AsSpan(6), sum == 0 ? (ushort)0xffff : sum);
        return u;
    }

    /// <summary>A TCP segment with an MSS option; <paramref name="flags"/> as in the header (0x02 SYN).</summary>
    public static byte[] Tcp(IPAddress src, IPAddress dst, int sport, int dport, uint seq, uint ack, byte flags, ReadOnlySpan<byte> payload)
    {
        var t = new byte[24 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(t, (ushort)sport);
        BinaryPrimitives.WriteUInt16BigEndian(t.AsSpan(2), (ushort)dport);
        BinaryPrimitives.WriteUInt32BigEndian(t.AsSpan(4), seq);
        BinaryPrimitives.WriteUInt32BigEndian(t.AsSpan(8), ack);
        t[12] = 6 << 4;
        t[13] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(t.AsSpan(14), 64240);
        t[20] = 2;
        t[21] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(t.AsSpan(22), 1460);
        payload.CopyTo(t.AsSpan(24));
        BinaryPrimitives.WriteUInt16BigEndian(t.AsSpan(16), L4Checksum(src, dst, IPPROTO_TCP, t));
        return t;
    }

    public static byte[] IcmpEcho(ushort id, ushort seq, ReadOnlySpan<byte> payload)
    {
        var i = new byte[8 + payload.Length];
        i[0] = 8;
        BinaryPrimitives.WriteUInt16BigEndian(i.AsSpan(4), id);
        BinaryPrimitives.WriteUInt16BigEndian(i.AsSpan(6), seq);
        payload.CopyTo(i.AsSpan(8));
        BinaryPrimitives.WriteUInt16BigEndian(i.AsSpan(2), Checksum(i));
        return i;
    }

    /// <summary>An ARP request "who has <paramref name="target"/>" from <paramref name="srcMac"/>/<paramref name="sender"/>.</summary>
    public static byte[] ArpRequest(string srcMac, IPAddress sender, IPAddress target)
    {
        var a = new byte[28];
        BinaryPrimitives.WriteUInt16BigEndian(a, 1);
        BinaryPrimitives.WriteUInt16BigEndian(a.AsSpan(2), 0x0800);
        a[4] = 6;
        a[5] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(a.AsSpan(6), 1);
        Mac(srcMac).CopyTo(a, 8);
        sender.GetAddressBytes().CopyTo(a, 14);
        target.GetAddressBytes().CopyTo(a, 24);
        return Ethernet("ff:ff:ff:ff:ff:ff", srcMac, 0x0806, a);
    }

    /// <summary>
    /// Applies the named mutation to an Ethernet/IPv4 frame and returns the new frame. Structural
    /// mutations keep the IPv4 header checksum right (so the frame gets past ip_rcv_core's
    /// checksum test and reaches the check the mutation aims at); the checksum mutations break it.
    /// </summary>
    public static byte[] Mutate(byte[] frame, string mutation, Random r)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(r);
        if (frame.Length < Eth + 20 || BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12)) != 0x0800)
        {
            return mutation switch
            {
                "truncate" => frame[..Math.Max(Eth, frame.Length - r.Next(1, 10))],
                "pad" => [.. frame, .. new byte[r.Next(1, 40)]],
                "dst-mac-other" => OtherMac(frame, r),
                _ => frame,
            };
        }

        var f = (byte[])frame.Clone();
        var ihl = Math.Clamp((f[Eth] & 0x0f) * 4, 20, 60);
        var total = BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(Eth + 2));
        var proto = f[Eth + 9];
        var l4 = Eth + ihl;
        if (mutation.StartsWith("udp-", StringComparison.Ordinal) || mutation.StartsWith("tcp-", StringComparison.Ordinal) || mutation == "l4-checksum")
        {
            // an earlier mutation may have moved or cut the transport header: leave the frame as it is
            if (l4 + (proto == IPPROTO_TCP ? 20 : 8) > f.Length || !Applies(mutation, proto))
            {
                return f;
            }
        }
        switch (mutation)
        {
            case "ip-total-length-long":
                SetTotal(f, total + r.Next(1, 200));
                break;
            case "ip-total-length-short":
                SetTotal(f, r.Next(2) == 0 ? r.Next(0, 20) : r.Next(20, Math.Max(21, (int)total)));
                break;
            case "ip-ihl-small":
                f[Eth] = (byte)(0x40 | r.Next(0, 5));
                FixIpChecksum(f.AsSpan(Eth));
                break;
            case "ip-ihl-large":
                f[Eth] = (byte)(0x40 | r.Next(6, 16));
                FixIpChecksum(f.AsSpan(Eth));
                break;
            case "ip-version":
                f[Eth] = (byte)((new[] { 0, 4 + 2, 15 }[r.Next(3)] << 4) | (f[Eth] & 0x0f));
                FixIpChecksum(f.AsSpan(Eth));
                break;
            case "ip-ttl":
                f[Eth + 8] = (byte)r.Next(0, 2);
                FixIpChecksum(f.AsSpan(Eth));
                break;
            case "ip-protocol":
                f[Eth + 9] = new byte[] { 253, 132, 2, 47 }[r.Next(4)];
                FixIpChecksum(f.AsSpan(Eth));
                break;
            case "ip-options":
                f = WithOptions(f, ihl, GoodOptions(r));
                break;
            case "ip-options-bad":
                f = WithOptions(f, ihl, BadOptions(r));
                break;
            case "ip-frag-mf":
                SetFrag(f, 0x2000);
                break;
            case "ip-frag-offset":
                SetFrag(f, (r.Next(2) == 0 ? 0x2000 : 0) | r.Next(1, 0x2000));
                break;
            case "ip-frag-df-mf":
                SetFrag(f, 0x6000 | r.Next(0, 4));
                break;
            case "ip-flag-reserved":
                SetFrag(f, 0x8000 | (BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(Eth + 6)) & 0x7fff));
                break;
            case "ip-checksum":
                f[Eth + 10] ^= (byte)r.Next(1, 256);
                break;
            case "ip-src-martian":
                new[] { new byte[] { 127, 0, 0, 1 }, [0, 0, 0, 0], [255, 255, 255, 255], [224, 0, 0, 1], f[(Eth + 16)..(Eth + 20)] }[r.Next(5)].CopyTo(f, Eth + 12);
                FixIpChecksum(f.AsSpan(Eth));
                FixL4Checksum(f, l4, total, proto);
                break;
            case "ip-dst-other":
                f[Eth + 19] = (byte)r.Next(100, 250);
                FixIpChecksum(f.AsSpan(Eth));
                FixL4Checksum(f, l4, total, proto);
                break;
            case "l4-checksum":
                var at = proto switch { IPPROTO_UDP => 6, IPPROTO_TCP => 16, _ => 2 };
                if (l4 + at + 1 < f.Length)
                {
                    f[l4 + at] ^= (byte)r.Next(1, 256);
                }

                break;
            case "udp-checksum-zero" when proto == IPPROTO_UDP:
                f[l4 + 6] = 0;
                f[l4 + 7] = 0;
                break;
            case "udp-length" when proto == IPPROTO_UDP:
                var ulen = Eth + total - l4;
                BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(l4 + 4), (ushort)(r.Next(3) switch { 0 => r.Next(0, 8), 1 => ulen + r.Next(1, 100), _ => Math.Max(8, ulen - r.Next(1, 8)) }));
                FixL4Checksum(f, l4, total, proto);
                break;
            case "tcp-flags" when proto == IPPROTO_TCP:
                f[l4 + 13] = new byte[] { 0x00, 0x03, 0x07, 0x29, 0x3f, 0x04, 0x01, 0x10, 0x12, 0x22, 0xc2 }[r.Next(11)];
                FixL4Checksum(f, l4, total, proto);
                break;
            case "tcp-doff" when proto == IPPROTO_TCP:
                f[l4 + 12] = (byte)((r.Next(2) == 0 ? r.Next(0, 5) : r.Next(7, 16)) << 4);
                FixL4Checksum(f, l4, total, proto);
                break;
            case "truncate":
                f = f[..Math.Max(Eth, f.Length - r.Next(1, Math.Max(2, f.Length - Eth)))];
                break;
            case "pad":
                f = [.. f, .. Enumerable.Repeat((byte)0, r.Next(1, 40))];
                break;
            case "dst-mac-other":
                f = OtherMac(f, r);
                break;
            default:
                break;
        }

        return f;
    }

    private static byte[] OtherMac(byte[] frame, Random r)
    {
        var f = (byte[])frame.Clone();
        (r.Next(2) == 0 ? Mac("ff:ff:ff:ff:ff:ff") : Mac("02:00:00:00:ee:ee")).CopyTo(f, 0);
        return f;
    }

    private static void SetTotal(byte[] f, int total)
    {
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(Eth + 2), (ushort)total);
        FixIpChecksum(f.AsSpan(Eth));
    }

    private static void SetFrag(byte[] f, int field)
    {
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(Eth + 6), (ushort)field);
        FixIpChecksum(f.AsSpan(Eth));
    }

    /// <summary>NOP/EOL padding, record route, timestamp, router alert: options ip_options_compile accepts.</summary>
    private static byte[] GoodOptions(Random r) => r.Next(4) switch
    {
        0 => [1, 1, 1, 0],
        1 => [7, 7, 4, 0, 0, 0, 0, 0],
        2 => [68, 12, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        _ => [148, 4, 0, 0],
    };

    /// <summary>Options ip_options_compile refuses: a length past the header, a length below 2, a bad pointer, a source route.</summary>
    private static byte[] BadOptions(Random r) => r.Next(4) switch
    {
        0 => [7, 40, 4, 0],
        1 => [7, 1, 0, 0],
        2 => [68, 12, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        _ => [131, 7, 4, 10, 0, 0, 9, 0],
    };

    private static byte[] WithOptions(byte[] f, int ihl, byte[] options)
    {
        var padded = (options.Length + 3) / 4 * 4;
        var n = new byte[f.Length + padded];
        f.AsSpan(0, Eth + ihl).CopyTo(n);
        options.CopyTo(n, Eth + ihl);
        f.AsSpan(Eth + ihl).CopyTo(n.AsSpan(Eth + ihl + padded));
        n[Eth] = (byte)(0x40 | ((ihl + padded) / 4));
        var total = BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(Eth + 2));
        BinaryPrimitives.WriteUInt16BigEndian(n.AsSpan(Eth + 2), (ushort)(total + padded));
        FixIpChecksum(n.AsSpan(Eth));
        return n;
    }

    private static void FixL4Checksum(byte[] f, int l4, int total, byte proto)
    {
        var end = Math.Min(f.Length, Eth + total);
        if (end <= l4)
        {
            return;
        }

        var src = new IPAddress(f.AsSpan(Eth + 12, 4));
        var dst = new IPAddress(f.AsSpan(Eth + 16, 4));
        var seg = f.AsSpan(l4, end - l4);
        var at = proto switch { IPPROTO_UDP => 6, IPPROTO_TCP => 16, IPPROTO_ICMP => 2, _ => -1 };
        if (at < 0 || at + 2 > seg.Length)
        {
            return;
        }

        seg[at] = 0;
        seg[at + 1] = 0;
        var sum = proto == IPPROTO_ICMP ? Checksum(seg) : L4Checksum(src, dst, proto, seg);
        BinaryPrimitives.WriteUInt16BigEndian(seg[at..], proto == IPPROTO_UDP && sum == 0 ? (ushort)0xffff : sum);
    }

    public static void FixIpChecksum(Span<byte> ip)
    {
        var ihl = Math.Max(20, (ip[0] & 0x0f) * 4);
        ip[10] = 0;
        ip[11] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Checksum(ip[..Math.Min(ihl, ip.Length)]));
    }

    private static ushort L4Checksum(IPAddress src, IPAddress dst, byte protocol, ReadOnlySpan<byte> segment)
    {
        var pseudo = new byte[12 + segment.Length];
        src.GetAddressBytes().CopyTo(pseudo, 0);
        dst.GetAddressBytes().CopyTo(pseudo, 4);
        pseudo[9] = protocol;
        BinaryPrimitives.WriteUInt16BigEndian(pseudo.AsSpan(10), (ushort)segment.Length);
        segment.CopyTo(pseudo.AsSpan(12));
        return Checksum(pseudo);
    }

    /// <summary>The Internet checksum (RFC 1071) of <paramref name="data"/>.</summary>
    public static ushort Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        var i = 0;
        for (; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }

        if (i < data.Length)
        {
            sum += (uint)data[i] << 8;
        }

        while (sum > 0xffff)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        return (ushort)~sum;
    }
}
