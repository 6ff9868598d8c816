using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace KernelNet.Scenarios.Oracle;

/// <summary>
/// Decodes captured Ethernet frames into one normalized line each: ethertype, ARP op, IPv4
/// TTL/DF/fragment/len/proto (options in hex, a wrong header checksum flagged), ICMP type/code,
/// UDP ports/len, TCP flags/seq/ack/window/urgent/options, and every payload as its length and a
/// digest of its bytes (<c>data=5/2cf24dba</c>). Ephemeral ports become symbols in order of first
/// appearance, TCP sequence numbers are relative to each direction's first; the IP ID and the TCP
/// timestamps are shown in the form two real runs agree on (see <see cref="IpId"/> and
/// <see cref="_tsvals"/>). Transport checksums are not shown (a tap sees CHECKSUM_PARTIAL frames
/// before the checksum is filled in).
/// </summary>
public sealed class WireDecoder
{
    private readonly Dictionary<int, string> _ipIds = [];
    /// <summary>The last non-zero IP ID each TCP sender (address and port, both ends) put on the wire.</summary>
    private readonly Dictionary<string, int> _tcpIds = new(StringComparer.Ordinal);
    private readonly Dictionary<int, string> _ports = [];
    private readonly Dictionary<string, uint> _isn = new(StringComparer.Ordinal);
    /// <summary>
    /// The TS values each sending endpoint (address and port: over loopback two sockets of one
    /// host share the address) put on the wire, one per segment, in order. A timestamp prints no
    /// value: each host adds its own secret per-connection offset (secure_tcp_seq_and_ts_off), and whether
    /// two segments fall in the same millisecond follows the recorder's real timing, which no
    /// simulation reproduces. What is compared is the echo: the peer's segment (#0 its first with
    /// a timestamp) whose value it carries, the latest one with that value.
    /// </summary>
    private readonly Dictionary<string, List<uint>> _tsvals = new(StringComparer.Ordinal);

    public static List<string> DecodeAll(IEnumerable<byte[]> frames)
    {
        var decoder = new WireDecoder();
        var lines = new List<string>();
        foreach (var f in frames)
        {
            lines.Add(decoder.Decode(f));
        }

        return lines;
    }

    public string Decode(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < 14)
        {
            return $"runt len={frame.Length}";
        }

        var eth = $"{Mac(frame[6..12])} > {Mac(frame[..6])}";
        var type = BinaryPrimitives.ReadUInt16BigEndian(frame[12..]);
        var payload = frame[14..];
        return type switch
        {
            0x0806 => $"{eth} ARP {Arp(payload)}",
            0x0800 => $"{eth} IPv4 {Ipv4(payload)}",
            _ => $"{eth} ethertype=0x{type:x4} len={payload.Length}",
        };
    }

    private static string Mac(ReadOnlySpan<byte> b) => Convert.ToHexStringLower(b);

    private static string Ip(ReadOnlySpan<byte> b) => $"{b[0]}.{b[1]}.{b[2]}.{b[3]}";

    private static string Arp(ReadOnlySpan<byte> p)
    {
        if (p.Length < 28)
        {
            return $"truncated len={p.Length}";
        }

        var op = BinaryPrimitives.ReadUInt16BigEndian(p[6..]);
        var sender = $"{Ip(p[14..18])}({Mac(p[8..14])})";
        var target = $"{Ip(p[24..28])}({Mac(p[18..24])})";
        return op switch
        {
            1 => $"request who-has {target} tell {sender}",
            2 => $"reply {sender} is-at to {target}",
            _ => $"op={op} {sender} {target}",
        };
    }

    private string Ipv4(ReadOnlySpan<byte> p)
    {
        if (p.Length < 20)
        {
            return $"truncated len={p.Length}";
        }

        var ihl = (p[0] & 0xf) * 4;
        var total = BinaryPrimitives.ReadUInt16BigEndian(p[2..]);
        var id = BinaryPrimitives.ReadUInt16BigEndian(p[4..]);
        var frag = BinaryPrimitives.ReadUInt16BigEndian(p[6..]);
        var df = (frag & 0x4000) != 0;
        var mf = (frag & 0x2000) != 0;
        var offset = (frag & 0x1fff) * 8;
        var proto = p[9];
        var end = Math.Min(p.Length, Math.Max(total, ihl));
        var body = ihl <= end ? p[ihl..end] : [];
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{Ip(p[12..16])} > {Ip(p[16..20])} ttl={p[8]} tos=0x{p[1]:x2} id={IpId(p, id, proto, offset, body)} len={total}");
        sb.Append(df ? " DF" : "").Append(mf ? " MF" : "").Append((frag & 0x8000) != 0 ? " RF" : "");
        if ((p[0] >> 4) != 4 || ihl < 20)
        {
            sb.Append(CultureInfo.InvariantCulture, $" ver/ihl=0x{p[0]:x2}");
        }
        else if (ihl > 20 && ihl <= p.Length)
        {
            sb.Append(" opts=").Append(IpOptions(p[20..ihl]));
        }

        if (ihl >= 20 && ihl <= p.Length && HeaderChecksum(p[..ihl]) != 0)
        {
            sb.Append(" BAD-CSUM");
        }

        if (offset != 0)
        {
            return sb.Append(CultureInfo.InvariantCulture, $" frag@{offset}").Append(" proto=").Append(proto).Append(' ').Append(Data(body)).ToString();
        }

        sb.Append(" | ").Append(proto switch
        {
            1 => Icmp(body),
            17 => Udp(body),
            6 => Tcp(body, Ip(p[12..16]), Ip(p[16..20])),
            _ => $"proto={proto} {Data(body)}",
        });
        return sb.ToString();
    }

    /// <summary>
    /// The IP ID in the form two real runs of the same scenario agree on:
    /// <list type="bullet">
    /// <item>0 is shown as 0 (a DF packet without a connected socket: a SYN-ACK from
    ///   ip_build_and_send_pkt, a RST or TIME_WAIT ACK from the per-netns control socket);</item>
    /// <item>a TCP segment's ID comes from its socket's inet_id, which tcp_v4_connect and
    ///   tcp_v4_syn_recv_sock start at a random value and ip_select_ident_segs advances by the
    ///   segment count per packet: the first non-zero ID of each sending endpoint is <c>init</c>,
    ///   each later one the step from the previous (<c>+1</c>);</item>
    /// <item>any other ID (UDP, ICMP, fragments) comes from __ip_select_ident, a hashed counter
    ///   per (daddr, saddr, protocol) that ip_idents_reserve advances by a random amount for each
    ///   jiffy gone by, so only equality says something: fragments of one datagram share theirs, an
    ///   ICMP error quotes it. Such an ID is a symbol in order of first appearance.</item>
    /// </list>
    /// </summary>
    private string IpId(ReadOnlySpan<byte> ip, int id, byte proto, int offset, ReadOnlySpan<byte> body)
    {
        if (id == 0)
        {
            return "0";
        }

        if (proto != 6 || offset != 0 || body.Length < 4)
        {
            return Symbol(_ipIds, id, "id");
        }

        var sender = $"{Ip(ip[12..16])}:{BinaryPrimitives.ReadUInt16BigEndian(body)}>{Ip(ip[16..20])}:{BinaryPrimitives.ReadUInt16BigEndian(body[2..])}";
        var text = _tcpIds.TryGetValue(sender, out var previous) ? $"+{(id - previous) & 0xffff}" : "init";
        _tcpIds[sender] = id;
        return text;
    }

    /// <summary>
    /// The IP options in hex, with each time a timestamp option (68) holds shown as <c>tttttttt</c>:
    /// inet_current_timestamp writes the wall clock's milliseconds since midnight UTC
    /// (ktime_get_real_ts64), which two runs never share. The slots before the option's pointer are
    /// the filled ones; with flags 1 and 3 each is an address (kept) and a time.
    /// </summary>
    public static string IpOptions(ReadOnlySpan<byte> o)
    {
        var hex = Convert.ToHexStringLower(o).ToCharArray();
        var i = 0;
        while (i < o.Length)
        {
            var type = o[i];
            if (type == 0)
            {
                break;
            }

            if (type == 1 || i + 1 >= o.Length || o[i + 1] < 2)
            {
                i++;
                continue;
            }

            var len = Math.Min((int)o[i + 1], o.Length - i);
            if (type == 68 && len >= 4)
            {
                var filledEnd = Math.Min(o[i + 2] - 1, len);
                var pair = (o[i + 3] & 0xf) is 1 or 3;
                for (var slot = 4; slot + 4 <= filledEnd; slot += pair ? 8 : 4)
                {
                    var time = pair ? slot + 4 : slot;
                    if (time + 4 <= filledEnd)
                    {
                        hex.AsSpan(2 * (i + time), 8).Fill('t');
                    }
                }
            }

            i += len;
        }

        return new string(hex);
    }

    private static int HeaderChecksum(ReadOnlySpan<byte> header)
    {
        var sum = 0u;
        for (var i = 0; i + 1 < header.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(header[i..]);
        }

        while (sum > 0xffff)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        return (int)(~sum & 0xffff);
    }

    /// <summary>A payload as its length and the first 8 hex digits of its SHA-256 (<c>data=0</c> when empty).</summary>
    public static string Data(ReadOnlySpan<byte> payload) => payload.Length == 0
        ? "data=0"
        : $"data={payload.Length.ToString(CultureInfo.InvariantCulture)}/{Convert.ToHexStringLower(SHA256.HashData(payload))[..8]}";

    private string Icmp(ReadOnlySpan<byte> p)
    {
        if (p.Length < 8)
        {
            return $"ICMP truncated len={p.Length}";
        }

        var type = p[0];
        var code = p[1];
        var text = $"ICMP type={type} code={code}";
        if (type is 0 or 8)
        {
            return text + $" id={BinaryPrimitives.ReadUInt16BigEndian(p[4..])} seq={BinaryPrimitives.ReadUInt16BigEndian(p[6..])} {Data(p[8..])}";
        }

        var rest = $" rest=0x{BinaryPrimitives.ReadUInt32BigEndian(p[4..]):x8}";
        return type is 3 or 11 or 12 && p.Length >= 28 ? $"{text}{rest} [{Ipv4(p[8..])}]" : $"{text}{rest} {Data(p[8..])}";
    }

    private string Udp(ReadOnlySpan<byte> p) => p.Length < 8
        ? $"UDP truncated len={p.Length}"
        : $"UDP {Port(BinaryPrimitives.ReadUInt16BigEndian(p))} > {Port(BinaryPrimitives.ReadUInt16BigEndian(p[2..]))} len={BinaryPrimitives.ReadUInt16BigEndian(p[4..])} {Data(p[8..])}";

    private string Tcp(ReadOnlySpan<byte> p, string src, string dst)
    {
        if (p.Length < 20)
        {
            return $"TCP truncated len={p.Length}";
        }

        var sport = BinaryPrimitives.ReadUInt16BigEndian(p);
        var dport = BinaryPrimitives.ReadUInt16BigEndian(p[2..]);
        var seq = BinaryPrimitives.ReadUInt32BigEndian(p[4..]);
        var ack = BinaryPrimitives.ReadUInt32BigEndian(p[8..]);
        var doff = (p[12] >> 4) * 4;
        var flags = p[13];
        var window = BinaryPrimitives.ReadUInt16BigEndian(p[14..]);
        var urgent = BinaryPrimitives.ReadUInt16BigEndian(p[18..]);
        var forward = $"{src}:{sport}>{dst}:{dport}";
        var reverse = $"{dst}:{dport}>{src}:{sport}";
        _isn.TryAdd(forward, seq);
        var relSeq = seq - _isn[forward];
        var relAck = (flags & 0x10) != 0 && _isn.TryGetValue(reverse, out var peerIsn) ? (ack - peerIsn).ToString(CultureInfo.InvariantCulture) : (flags & 0x10) != 0 ? "?" : "-";
        var options = doff > 20 && doff <= p.Length ? Options(p[20..doff], $"{src}:{sport}", $"{dst}:{dport}") : "";
        var reserved = p[12] & 0x0f;
        var extra = (urgent != 0 ? $" urg={urgent}" : "") + (reserved != 0 ? $" res={reserved}" : "");
        return $"TCP {Port(sport)} > {Port(dport)} [{Flags(flags)}] seq={relSeq} ack={relAck} win={window}{extra}{options} {Data(doff <= p.Length ? p[doff..] : [])}";
    }

    private static string Flags(byte f)
    {
        var sb = new StringBuilder();
        string[] names = ["F", "S", "R", "P", ".", "U", "E", "C"];
        for (var i = 0; i < 8; i++)
        {
            if ((f & (1 << i)) != 0)
            {
                sb.Append(names[i]);
            }
        }

        return sb.ToString();
    }

    private string Options(ReadOnlySpan<byte> o, string src, string dst)
    {
        var parts = new List<string>();
        for (var i = 0; i < o.Length && parts.Count < 16;)
        {
            var kind = o[i];
            if (kind == 0)
            {
                break;
            }

            if (kind == 1)
            {
                parts.Add("nop");
                i++;
                continue;
            }

            if (i + 1 >= o.Length || o[i + 1] < 2 || i + o[i + 1] > o.Length)
            {
                parts.Add("bad-option");
                break;
            }

            var len = o[i + 1];
            var v = o[(i + 2)..(i + len)];
            parts.Add(kind switch
            {
                2 when len == 4 => $"mss {BinaryPrimitives.ReadUInt16BigEndian(v)}",
                3 when len == 3 => $"wscale {v[0]}",
                4 => "sackOK",
                5 when len > 2 && (len - 2) % 8 == 0 => Sack(v, $"{dst}>{src}"),
                8 when len == 10 => Timestamps(v, src, dst),
                _ => $"opt{kind}={Convert.ToHexStringLower(v)}",
            });
            i += len;
        }

        return parts.Count == 0 ? "" : $" <{string.Join(',', parts)}>";
    }

    /// <summary>
    /// SACK blocks in the sequence space of the data they acknowledge (the reverse flow's),
    /// relative to its first sequence number as seq and ack are: the absolute edges follow
    /// the peer's random ISN (secure_tcp_seq), which differs on every run.
    /// </summary>
    private string Sack(ReadOnlySpan<byte> v, string dataFlow)
    {
        var known = _isn.TryGetValue(dataFlow, out var isn);
        var blocks = new List<string>();
        for (var b = 0; b + 8 <= v.Length; b += 8)
        {
            var left = BinaryPrimitives.ReadUInt32BigEndian(v[b..]);
            var right = BinaryPrimitives.ReadUInt32BigEndian(v[(b + 4)..]);
            blocks.Add(known ? $"{left - isn}:{right - isn}" : "?:?");
        }

        return "sack " + string.Join(' ', blocks);
    }

    private string Timestamps(ReadOnlySpan<byte> v, string src, string dst)
    {
        var tsval = BinaryPrimitives.ReadUInt32BigEndian(v);
        var tsecr = BinaryPrimitives.ReadUInt32BigEndian(v[4..]);
        if (!_tsvals.TryGetValue(src, out var own))
        {
            own = [];
            _tsvals[src] = own;
        }

        own.Add(tsval);
        var echoed = tsecr == 0 ? -1 : _tsvals.TryGetValue(dst, out var peer) ? peer.LastIndexOf(tsecr) : -1;
        var ecr = tsecr == 0 ? "=0" : echoed >= 0 ? $"#{echoed.ToString(CultureInfo.InvariantCulture)}" : "=?";
        return $"TS val ecr{ecr}";
    }

    /// <summary>
    /// The flow a frame belongs to, for the timing level: ARP by its two addresses, IPv4 by protocol
    /// and its two endpoints (ports for TCP and UDP, none for a fragment after the first), both
    /// directions as one flow; null for anything else.
    /// </summary>
    public static string? Flow(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < 14)
        {
            return null;
        }

        var type = BinaryPrimitives.ReadUInt16BigEndian(frame[12..]);
        var p = frame[14..];
        if (type == 0x0806 && p.Length >= 28)
        {
            return "ARP " + Pair(Ip(p[14..18]), Ip(p[24..28]));
        }

        if (type != 0x0800 || p.Length < 20)
        {
            return null;
        }

        var ihl = (p[0] & 0xf) * 4;
        var proto = p[9];
        var first = (BinaryPrimitives.ReadUInt16BigEndian(p[6..]) & 0x1fff) == 0;
        if (first && proto is 6 or 17 && ihl >= 20 && p.Length >= ihl + 4)
        {
            var sport = BinaryPrimitives.ReadUInt16BigEndian(p[ihl..]);
            var dport = BinaryPrimitives.ReadUInt16BigEndian(p[(ihl + 2)..]);
            return $"{(proto == 6 ? "TCP" : "UDP")} " + Pair($"{Ip(p[12..16])}:{sport}", $"{Ip(p[16..20])}:{dport}");
        }

        return $"proto={proto} " + Pair(Ip(p[12..16]), Ip(p[16..20]));
    }

    private static string Pair(string a, string b) => string.CompareOrdinal(a, b) <= 0 ? $"{a} {b}" : $"{b} {a}";

    private string Port(int port) => port is >= 32768 and <= 60999 ? Symbol(_ports, port, "eph") : port.ToString(CultureInfo.InvariantCulture);

    private static string Symbol(Dictionary<int, string> table, int value, string prefix)
    {
        if (!table.TryGetValue(value, out var s))
        {
            s = $"{prefix}{table.Count + 1}";
            table[value] = s;
        }

        return s;
    }
}
