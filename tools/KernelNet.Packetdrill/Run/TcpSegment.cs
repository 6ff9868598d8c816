using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using KernelNet.Packetdrill.Ast;

namespace KernelNet.Packetdrill.Run;

/// <summary>One TCP option as bytes on the wire: its kind and the data after kind and length.</summary>
public readonly record struct WireOption(byte Kind, byte[] Data)
{
    public const byte Eol = 0;
    public const byte Nop = 1;
    public const byte Mss = 2;
    public const byte WindowScale = 3;
    public const byte SackPermitted = 4;
    public const byte Sack = 5;
    public const byte Timestamp = 8;

    /// <summary>The option's length byte (1 for EOL and NOP, which have none).</summary>
    public int Length => Kind is Eol or Nop ? 1 : Data.Length + 2;
}

/// <summary>
/// An IPv4 + TCP packet as the runner reads it from, or writes it to, tun0:
/// the fields packetdrill compares, options decoded in order, and the payload.
/// </summary>
public sealed class TcpSegment
{
    public uint Source { get; set; }

    public uint Destination { get; set; }

    /// <summary>The IP header's ECN bits (0 not-ECT, 1 ECT(1), 2 ECT(0), 3 CE).</summary>
    public byte Ecn { get; set; }

    public byte Ttl { get; set; } = 64;

    public ushort SourcePort { get; set; }

    public ushort DestinationPort { get; set; }

    public uint Seq { get; set; }

    public uint AckSeq { get; set; }

    public TcpFlags Flags { get; set; }

    public ushort Window { get; set; }

    public ushort Urgent { get; set; }

    public List<WireOption> Options { get; } = new();

    public byte[] Payload { get; set; } = Array.Empty<byte>();

    /// <summary>True when the IP and TCP checksums of a parsed packet were right.</summary>
    public bool ChecksumsOk { get; private set; } = true;

    public bool Has(TcpFlags f) => (Flags & f) == f;

    /// <summary>The TS option's (val, ecr), or null.</summary>
    public (uint Val, uint Ecr)? Timestamp
    {
        get
        {
            foreach (var o in Options)
            {
                if (o.Kind == WireOption.Timestamp && o.Data.Length == 8)
                {
                    return (BinaryPrimitives.ReadUInt32BigEndian(o.Data), BinaryPrimitives.ReadUInt32BigEndian(o.Data.AsSpan(4)));
                }
            }

            return null;
        }
    }

    /// <summary>Replaces the TS option's val and ecr (no-op without one).</summary>
    public void SetTimestamp(uint val, uint ecr)
    {
        for (var i = 0; i < Options.Count; i++)
        {
            if (Options[i].Kind == WireOption.Timestamp)
            {
                var d = new byte[8];
                BinaryPrimitives.WriteUInt32BigEndian(d, val);
                BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(4), ecr);
                Options[i] = new WireOption(WireOption.Timestamp, d);
            }
        }
    }

    private int OptionBytes()
    {
        var n = 0;
        foreach (var o in Options)
        {
            n += o.Length;
        }

        return (n + 3) & ~3;
    }

    /// <summary>The packet as IPv4 bytes with correct checksums (DF set, ID 0).</summary>
    public byte[] ToBytes()
    {
        var optLen = OptionBytes();
        var tcpLen = 20 + optLen + Payload.Length;
        var b = new byte[20 + tcpLen];
        b[0] = 0x45;
        b[1] = Ecn;
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(2), (ushort)b.Length);
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(6), 0x4000);
        b[8] = Ttl;
        b[9] = 6;
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(12), Source);
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(16), Destination);
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(10), Checksum(b.AsSpan(0, 20), 0));
        var t = b.AsSpan(20);
        BinaryPrimitives.WriteUInt16BigEndian(t, SourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(t[2..], DestinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(t[4..], Seq);
        BinaryPrimitives.WriteUInt32BigEndian(t[8..], AckSeq);
        t[12] = (byte)(((20 + optLen) / 4) << 4);
        t[13] = (byte)Flags;
        BinaryPrimitives.WriteUInt16BigEndian(t[14..], Window);
        BinaryPrimitives.WriteUInt16BigEndian(t[18..], Urgent);
        var p = 20;
        foreach (var o in Options)
        {
            t[p++] = o.Kind;
            if (o.Kind is WireOption.Eol or WireOption.Nop)
            {
                continue;
            }

            t[p++] = (byte)(o.Data.Length + 2);
            o.Data.CopyTo(t[p..]);
            p += o.Data.Length;
        }

        Payload.CopyTo(t[(20 + optLen)..]);
        BinaryPrimitives.WriteUInt16BigEndian(t[16..], Checksum(t, PseudoHeaderSum(Source, Destination, tcpLen)));
        return b;
    }

    /// <summary>Parses an IPv4 TCP packet; null when it is something else (not IPv4, not TCP, truncated).</summary>
    public static TcpSegment? Parse(ReadOnlySpan<byte> b)
    {
        if (b.Length < 20 || b[0] >> 4 != 4)
        {
            return null;
        }

        var ihl = (b[0] & 0xf) * 4;
        var tot = BinaryPrimitives.ReadUInt16BigEndian(b[2..]);
        if (b[9] != 6 || tot > b.Length || ihl < 20 || tot < ihl + 20)
        {
            return null;
        }

        var s = new TcpSegment
        {
            Ecn = (byte)(b[1] & 3),
            Ttl = b[8],
            Source = BinaryPrimitives.ReadUInt32BigEndian(b[12..]),
            Destination = BinaryPrimitives.ReadUInt32BigEndian(b[16..]),
        };
        var ipOk = Checksum(b[..ihl], 0) == 0;
        var t = b[ihl..tot];
        s.SourcePort = BinaryPrimitives.ReadUInt16BigEndian(t);
        s.DestinationPort = BinaryPrimitives.ReadUInt16BigEndian(t[2..]);
        s.Seq = BinaryPrimitives.ReadUInt32BigEndian(t[4..]);
        s.AckSeq = BinaryPrimitives.ReadUInt32BigEndian(t[8..]);
        var doff = (t[12] >> 4) * 4;
        if (doff < 20 || doff > t.Length)
        {
            return null;
        }

        s.Flags = (TcpFlags)t[13];
        s.Window = BinaryPrimitives.ReadUInt16BigEndian(t[14..]);
        s.Urgent = BinaryPrimitives.ReadUInt16BigEndian(t[18..]);
        var p = 20;
        while (p < doff)
        {
            var kind = t[p];
            if (kind == WireOption.Eol)
            {
                // The end of the list; what follows is padding.
                break;
            }

            if (kind == WireOption.Nop)
            {
                s.Options.Add(new WireOption(kind, Array.Empty<byte>()));
                p++;
                continue;
            }

            if (p + 1 >= doff || t[p + 1] < 2 || p + t[p + 1] > doff)
            {
                return null;
            }

            s.Options.Add(new WireOption(kind, t.Slice(p + 2, t[p + 1] - 2).ToArray()));
            p += t[p + 1];
        }

        s.Payload = t[doff..].ToArray();
        s.ChecksumsOk = ipOk && Checksum(t, PseudoHeaderSum(s.Source, s.Destination, t.Length)) == 0;
        return s;
    }

    private static uint PseudoHeaderSum(uint src, uint dst, int tcpLen) =>
        (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + 6u + (uint)tcpLen;

    /// <summary>The Internet checksum of <paramref name="data"/> with a starting partial sum.</summary>
    public static ushort Checksum(ReadOnlySpan<byte> data, uint sum)
    {
        var i = 0;
        for (; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }

        if (i < data.Length)
        {
            sum += (uint)data[i] << 8;
        }

        while (sum >> 16 != 0)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        return (ushort)~sum;
    }

    /// <summary>
    /// Script notation, with sequence numbers as given (the caller maps them to
    /// script space first): <c>S. 0:0(0) ack 1 win 65535 &lt;mss 1460,nop,wscale 8&gt;</c>.
    /// </summary>
    public string ToScript()
    {
        var sb = new StringBuilder();
        if (Ecn != 0)
        {
            sb.Append(Ecn switch { 1 => "[ect1] ", 2 => "[ect0] ", _ => "[ce] " });
        }

        sb.Append(FlagLetters(Flags)).Append(' ');
        var len = (uint)Payload.Length;
        sb.Append(CultureInfo.InvariantCulture, $"{Seq}:{Seq + len}({len})");
        if (Has(TcpFlags.Ack))
        {
            sb.Append(CultureInfo.InvariantCulture, $" ack {AckSeq}");
        }

        sb.Append(CultureInfo.InvariantCulture, $" win {Window}");
        if (Urgent != 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $" urg {Urgent}");
        }

        if (Options.Count > 0)
        {
            var parts = new List<string>();
            foreach (var o in Options)
            {
                parts.Add(OptionText(o));
            }

            sb.Append(" <").Append(string.Join(",", parts)).Append('>');
        }

        return sb.ToString();
    }

    /// <summary>packetdrill's flag letters: S F R P E W U, then '.' for ACK; '-' for none.</summary>
    public static string FlagLetters(TcpFlags f)
    {
        var sb = new StringBuilder();
        if ((f & TcpFlags.Syn) != 0) sb.Append('S');
        if ((f & TcpFlags.Fin) != 0) sb.Append('F');
        if ((f & TcpFlags.Rst) != 0) sb.Append('R');
        if ((f & TcpFlags.Psh) != 0) sb.Append('P');
        if ((f & TcpFlags.Ece) != 0) sb.Append('E');
        if ((f & TcpFlags.Cwr) != 0) sb.Append('W');
        if ((f & TcpFlags.Urg) != 0) sb.Append('U');
        if ((f & TcpFlags.Ack) != 0) sb.Append('.');
        return sb.Length == 0 ? "-" : sb.ToString();
    }

    private static string OptionText(WireOption o)
    {
        switch (o.Kind)
        {
            case WireOption.Eol: return "eol";
            case WireOption.Nop: return "nop";
            case WireOption.Mss when o.Data.Length == 2: return "mss " + BinaryPrimitives.ReadUInt16BigEndian(o.Data).ToString(CultureInfo.InvariantCulture);
            case WireOption.WindowScale when o.Data.Length == 1: return "wscale " + o.Data[0].ToString(CultureInfo.InvariantCulture);
            case WireOption.SackPermitted: return "sackOK";
            case WireOption.Timestamp when o.Data.Length == 8:
                return string.Create(CultureInfo.InvariantCulture, $"TS val {BinaryPrimitives.ReadUInt32BigEndian(o.Data)} ecr {BinaryPrimitives.ReadUInt32BigEndian(o.Data.AsSpan(4))}");
            case WireOption.Sack:
                var blocks = new List<string>();
                for (var i = 0; i + 8 <= o.Data.Length; i += 8)
                {
                    blocks.Add(string.Create(CultureInfo.InvariantCulture, $"{BinaryPrimitives.ReadUInt32BigEndian(o.Data.AsSpan(i))}:{BinaryPrimitives.ReadUInt32BigEndian(o.Data.AsSpan(i + 4))}"));
                }

                return "sack " + string.Join(" ", blocks);
            default:
                return string.Create(CultureInfo.InvariantCulture, $"kind{o.Kind}[{Convert.ToHexString(o.Data)}]");
        }
    }
}
