using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;

namespace KernelNet.Packetdrill.Run;

/// <summary>
/// An inbound ICMPv4 error as packetdrill writes it into tun0
/// (<c>&lt; icmp unreachable port_unreachable [1:1(0)]</c>): from the remote
/// address to ours, quoting the IP header of a segment our side sent and the
/// first 8 bytes of its TCP header (ports and sequence number), followed by
/// as many zero bytes as the script's range is long, as packetdrill's
/// icmp_packet.c does. Types and codes use packetdrill's names, or
/// <c>type_N</c> / <c>code_N</c>.
/// </summary>
public static class IcmpMessage
{
    /// <summary>The bytes of the quoted transport header an ICMP error carries (RFC 792).</summary>
    public const int EchoedTransportBytes = 8;

    private static readonly Dictionary<string, byte> Types = new(StringComparer.Ordinal)
    {
        ["echo_reply"] = 0,
        ["unreachable"] = 3,
        ["source_quench"] = 4,
        ["redirect"] = 5,
        ["echo_request"] = 8,
        ["time_exceeded"] = 11,
        ["parameter_problem"] = 12,
        ["timestamp_request"] = 13,
        ["timestamp_reply"] = 14,
        ["information_request"] = 15,
        ["information_reply"] = 16,
        ["address_mask_request"] = 17,
        ["address_mask_reply"] = 18,
    };

    private static readonly Dictionary<string, byte> UnreachableCodes = new(StringComparer.Ordinal)
    {
        ["net_unreachable"] = 0,
        ["host_unreachable"] = 1,
        ["protocol_unreachable"] = 2,
        ["port_unreachable"] = 3,
        ["frag_needed"] = 4,
        ["source_route_failed"] = 5,
        ["net_unknown"] = 6,
        ["host_unknown"] = 7,
        ["source_host_isolated"] = 8,
        ["net_prohibited"] = 9,
        ["host_prohibited"] = 10,
        ["net_unreachable_for_tos"] = 11,
        ["host_unreachable_for_tos"] = 12,
        ["packet_filtered"] = 13,
        ["precedence_violation"] = 14,
        ["precedence_cutoff"] = 15,
    };

    /// <summary>
    /// The type and code bytes for the script's names; a missing code is 0.
    /// Returns an error message instead for a name packetdrill does not know.
    /// </summary>
    public static (byte Type, byte Code, string? Error) TypeAndCode(string type, string? code)
    {
        ArgumentNullException.ThrowIfNull(type);
        byte t;
        if (type.StartsWith("type_", StringComparison.Ordinal)
            && byte.TryParse(type.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var tn))
        {
            t = tn;
        }
        else if (!Types.TryGetValue(type, out t))
        {
            return (0, 0, $"bad ICMP type {type}");
        }

        if (code is null)
        {
            return (t, 0, null);
        }

        if (code.StartsWith("code_", StringComparison.Ordinal)
            && byte.TryParse(code.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var cn))
        {
            return (t, cn, null);
        }

        return t == 3 && UnreachableCodes.TryGetValue(code, out var c) ? (t, c, null) : (t, (byte)0, $"bad ICMP code {code}");
    }

    /// <summary>
    /// Builds the IPv4 packet: outer header <paramref name="source"/> to
    /// <paramref name="destination"/>, the ICMP header (with the next-hop MTU
    /// of a frag-needed), then the quoted header of a TCP segment from
    /// <paramref name="quotedSource"/>:<paramref name="quotedSourcePort"/> to
    /// <paramref name="quotedDestination"/>:<paramref name="quotedDestinationPort"/>
    /// with sequence number <paramref name="quotedSeq"/> and
    /// <paramref name="payloadBytes"/> of payload.
    /// </summary>
    public static byte[] Build(
        byte type,
        byte code,
        ushort? mtu,
        uint source,
        uint destination,
        byte ecn,
        uint quotedSource,
        uint quotedDestination,
        ushort quotedSourcePort,
        ushort quotedDestinationPort,
        uint quotedSeq,
        int payloadBytes)
    {
        const int IpBytes = 20;
        const int IcmpHeaderBytes = 8;
        const int TcpHeaderBytes = 20;
        var echoed = IpBytes + EchoedTransportBytes + payloadBytes;
        var b = new byte[IpBytes + IcmpHeaderBytes + echoed];

        WriteIpHeader(b.AsSpan(0, IpBytes), b.Length, ecn, 64, 1 /* IPPROTO_ICMP */, source, destination);

        var icmp = b.AsSpan(IpBytes);
        icmp[0] = type;
        icmp[1] = code;
        if (mtu is { } m)
        {
            BinaryPrimitives.WriteUInt16BigEndian(icmp[6..], m);
        }

        var quoted = icmp[IcmpHeaderBytes..];
        WriteIpHeader(quoted[..IpBytes], IpBytes + TcpHeaderBytes + payloadBytes, 0, 0, 6 /* IPPROTO_TCP */, quotedSource, quotedDestination);
        var th = quoted[IpBytes..];
        BinaryPrimitives.WriteUInt16BigEndian(th, quotedSourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(th[2..], quotedDestinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(th[4..], quotedSeq);

        BinaryPrimitives.WriteUInt16BigEndian(icmp[2..], TcpSegment.Checksum(icmp, 0));
        return b;
    }

    private static void WriteIpHeader(Span<byte> h, int totalLength, byte ecn, byte ttl, byte protocol, uint source, uint destination)
    {
        h[0] = 0x45;
        h[1] = ecn;
        BinaryPrimitives.WriteUInt16BigEndian(h[2..], (ushort)totalLength);
        h[8] = ttl;
        h[9] = protocol;
        BinaryPrimitives.WriteUInt32BigEndian(h[12..], source);
        BinaryPrimitives.WriteUInt32BigEndian(h[16..], destination);
        BinaryPrimitives.WriteUInt16BigEndian(h[10..], TcpSegment.Checksum(h, 0));
    }
}
