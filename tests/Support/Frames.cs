using System;
using System.Buffers.Binary;
using KernelNet.Kernel.Include.Net;

namespace KernelNet.Tests.Support;

/// <summary>Builds test frames byte by byte (Ethernet, IPv4, UDP or TCP with correct checksums).</summary>
public static class Frames
{
    /// <summary>An Ethernet frame with an IPv4 header (DF, TTL 64, checksum set) for <paramref name="l4Len"/> bytes of protocol <paramref name="proto"/>; returns the frame and where the L4 header starts.</summary>
    private static (byte[] Frame, int L4) Ipv4Frame(byte[] dstMac, byte[] srcMac, uint src, uint dst, byte proto, int l4Len, ushort id)
    {
        var ipLen = 20 + l4Len;
        var f = new byte[14 + ipLen];
        dstMac.CopyTo(f, 0);
        srcMac.CopyTo(f, 6);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(12), 0x0800);
        var ip = f.AsSpan(14);
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)ipLen);
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], id);
        BinaryPrimitives.WriteUInt16BigEndian(ip[6..], 0x4000);
        ip[8] = 64;
        ip[9] = proto;
        BinaryPrimitives.WriteUInt32BigEndian(ip[12..], src);
        BinaryPrimitives.WriteUInt32BigEndian(ip[16..], dst);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], checksum_h.ip_fast_csum(ip, 5));
        return (f, 34);
    }

    public static byte[] Udp(byte[] dstMac, byte[] srcMac, uint src, uint dst, ushort sport, ushort dport, byte[] payload, ushort id = 0)
    {
        var (f, l4) = Ipv4Frame(dstMac, srcMac, src, dst, 17, 8 + payload.Length, id);
        var udp = f.AsSpan(l4);
        BinaryPrimitives.WriteUInt16BigEndian(udp, sport);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], dport);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)(8 + payload.Length));
        payload.CopyTo(udp[8..]);
        var sum = checksum_h.csum_partial(udp[..(8 + payload.Length)], 0);
        var c = checksum_h.csum_tcpudp_magic(src, dst, 8 + payload.Length, 17, sum);
        BinaryPrimitives.WriteUInt16BigEndian(udp[6..], c == 0 ? (ushort)0xffff : c);
        return f;
    }

    /// <summary>
    /// An Ethernet frame carrying IPv4 (DF, TTL 64) and a TCP segment with correct checksums;
    /// <paramref name="options"/> are raw option bytes (a multiple of 4).
    /// </summary>
    public static byte[] Tcp(byte[] dstMac, byte[] srcMac, uint src, uint dst, ushort sport, ushort dport, uint seq, uint ack, byte flags, ushort window, byte[]? options = null, byte[]? payload = null, ushort id = 0)
    {
        options ??= [];
        payload ??= [];
        var tcpLen = 20 + options.Length + payload.Length;
        var (f, l4) = Ipv4Frame(dstMac, srcMac, src, dst, 6, tcpLen, id);
        var tcp = f.AsSpan(l4);
        BinaryPrimitives.WriteUInt16BigEndian(tcp, sport);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[2..], dport);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[4..], seq);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[8..], ack);
        tcp[12] = (byte)(((20 + options.Length) / 4) << 4);
        tcp[13] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(tcp[14..], window);
        options.CopyTo(tcp[20..]);
        payload.CopyTo(tcp[(20 + options.Length)..]);
        var sum = checksum_h.csum_partial(tcp[..tcpLen], 0);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[16..], checksum_h.csum_tcpudp_magic(src, dst, tcpLen, 6, sum));
        return f;
    }

    /// <summary>
    /// An Ethernet frame carrying an ICMPv4 error of <paramref name="type"/> and
    /// <paramref name="code"/> (with a frag-needed's next-hop <paramref name="mtu"/>)
    /// that quotes <paramref name="quoted"/>: an IP header and the first bytes after it.
    /// </summary>
    public static byte[] IcmpError(byte[] dstMac, byte[] srcMac, uint src, uint dst, byte type, byte code, ushort mtu, ReadOnlySpan<byte> quoted)
    {
        var (f, l4) = Ipv4Frame(dstMac, srcMac, src, dst, 1, 8 + quoted.Length, 0);
        var icmp = f.AsSpan(l4);
        icmp[0] = type;
        icmp[1] = code;
        BinaryPrimitives.WriteUInt16BigEndian(icmp[6..], mtu);
        quoted.CopyTo(icmp[8..]);
        BinaryPrimitives.WriteUInt16BigEndian(icmp[2..], checksum_h.csum_fold(checksum_h.csum_partial(icmp[..(8 + quoted.Length)], 0)));
        return f;
    }

    /// <summary>The Ethernet FCS.</summary>
    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        var c = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            c ^= b;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }
        }

        return c ^ 0xFFFFFFFFu;
    }
}
