using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using KernelNet.Packetdrill.Ast;

namespace KernelNet.Packetdrill.Run;

/// <summary>
/// Script packets to wire segments and back: builds an inbound packet with
/// live sequence numbers, and checks an outbound packet the kernel sent
/// against the script's line, field by field in packetdrill's order
/// (headers, flags, seq, ack, window, urg, options, payload).
/// </summary>
public static class PacketMatcher
{
    /// <summary>The script's options as wire options (FO and md5 included); null list: none.</summary>
    public static List<WireOption> ScriptOptions(TcpOptionList? list)
    {
        var r = new List<WireOption>();
        if (list is null || list.Elided)
        {
            return r;
        }

        foreach (var o in list.Items)
        {
            switch (o)
            {
                case TcpNopOption: r.Add(new WireOption(WireOption.Nop, Array.Empty<byte>())); break;
                case TcpEolOption: r.Add(new WireOption(WireOption.Eol, Array.Empty<byte>())); break;
                case TcpMssOption m:
                    var mb = new byte[2];
                    BinaryPrimitives.WriteUInt16BigEndian(mb, m.Mss);
                    r.Add(new WireOption(WireOption.Mss, mb));
                    break;
                case TcpWindowScaleOption w: r.Add(new WireOption(WireOption.WindowScale, new[] { w.Shift })); break;
                case TcpSackPermittedOption: r.Add(new WireOption(WireOption.SackPermitted, Array.Empty<byte>())); break;
                case TcpTimestampOption ts:
                    var tb = new byte[8];
                    BinaryPrimitives.WriteUInt32BigEndian(tb, ts.Value);
                    BinaryPrimitives.WriteUInt32BigEndian(tb.AsSpan(4), ts.EchoReply);
                    r.Add(new WireOption(WireOption.Timestamp, tb));
                    break;
                case TcpSackOption s:
                    var sb = new byte[s.Blocks.Length * 8];
                    for (var i = 0; i < s.Blocks.Length; i++)
                    {
                        BinaryPrimitives.WriteUInt32BigEndian(sb.AsSpan(i * 8), s.Blocks[i].Start);
                        BinaryPrimitives.WriteUInt32BigEndian(sb.AsSpan(i * 8 + 4), s.Blocks[i].End);
                    }

                    r.Add(new WireOption(WireOption.Sack, sb));
                    break;
                case TcpFastOpenOption fo:
                    var cookie = fo.Cookie is null ? Array.Empty<byte>() : Convert.FromHexString(fo.Cookie);
                    if (fo.Experimental)
                    {
                        var d = new byte[2 + cookie.Length];
                        d[0] = 0xF9;
                        d[1] = 0x89;
                        cookie.CopyTo(d, 2);
                        r.Add(new WireOption(254, d));
                    }
                    else
                    {
                        r.Add(new WireOption(34, cookie));
                    }

                    break;
                case TcpMd5Option md5:
                    r.Add(new WireOption(19, md5.Digest.Length == 32 ? Convert.FromHexString(md5.Digest) : new byte[16]));
                    break;
            }
        }

        return r;
    }

    /// <summary>The script line as a segment in script space (payload zeros, ports and addresses unset).</summary>
    public static TcpSegment ScriptSegment(TcpPacketEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var s = new TcpSegment
        {
            Flags = e.Flags,
            Seq = e.Sequence.Start,
            AckSeq = e.Ack ?? 0,
            Window = e.Window ?? 0,
            Urgent = e.Urgent ?? 0,
            Payload = new byte[e.Sequence.Length],
            Ecn = e.Ecn switch
            {
                EcnCodepoint.Ect1 => 1,
                EcnCodepoint.Ect0 => 2,
                EcnCodepoint.Ce => 3,
                EcnCodepoint.Ect01 => 2,
                _ => 0,
            },
        };
        if (e.Ack is not null)
        {
            s.Flags |= TcpFlags.Ack;
        }

        s.Options.AddRange(ScriptOptions(e.Options));
        return s;
    }

    /// <summary>
    /// The inbound packet to write into tun0: live sequence numbers, ack, SACK
    /// blocks and TS ecr. Returns an error instead when the ecr cannot be mapped
    /// (no earlier outbound packet carried that TS val).
    /// </summary>
    public static (TcpSegment? Segment, string? Error) Inbound(TcpPacketEvent e, Connection c, uint source, uint destination, bool tsEcrScaled = false)
    {
        ArgumentNullException.ThrowIfNull(c);
        var s = ScriptSegment(e);
        var syn = s.Has(TcpFlags.Syn);
        s.Source = source;
        s.Destination = destination;
        s.SourcePort = c.RemotePort;
        s.DestinationPort = c.LocalPort;
        s.Seq += c.RemoteSeqScriptToLive(syn);
        var ackOffset = c.LocalSeqScriptToLive(syn);
        if (s.Has(TcpFlags.Ack))
        {
            s.AckSeq += ackOffset;
        }

        OffsetSack(s, ackOffset);
        if (s.Has(TcpFlags.Ack) && s.Timestamp is { } ts)
        {
            if (c.MapInboundTsEcr(ts.Ecr, tsEcrScaled) is not { } live)
            {
                return (null, string.Create(CultureInfo.InvariantCulture, $"unable to infer live TS ecr for script TS ecr {ts.Ecr}; no matching or preceding outbound TS val"));
            }

            s.SetTimestamp(ts.Val, live);
        }

        return (s, null);
    }

    private static void OffsetSack(TcpSegment s, uint offset)
    {
        for (var i = 0; i < s.Options.Count; i++)
        {
            if (s.Options[i].Kind != WireOption.Sack)
            {
                continue;
            }

            var d = (byte[])s.Options[i].Data.Clone();
            for (var j = 0; j + 4 <= d.Length; j += 4)
            {
                BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(j), BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(j)) + offset);
            }

            s.Options[i] = new WireOption(WireOption.Sack, d);
        }
    }

    /// <summary>A copy of <paramref name="live"/> with seq, ack, SACK blocks and TS val in script space.</summary>
    public static TcpSegment ToScriptSpace(TcpSegment live, Connection c, TcpSegment script)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(script);
        var a = TcpSegment.Parse(live.ToBytes())!;
        var syn = a.Has(TcpFlags.Syn);
        a.Seq -= c.LocalSeqScriptToLive(syn);
        var ackOffset = c.RemoteSeqScriptToLive(syn);
        if (a.Has(TcpFlags.Ack))
        {
            a.AckSeq -= ackOffset;
        }

        OffsetSack(a, unchecked(0u - ackOffset));
        if (script.Timestamp is { } sts && a.Timestamp is { } ats)
        {
            a.SetTimestamp(c.MapOutboundTsVal(sts.Val, ats.Val), ats.Ecr);
        }

        return a;
    }

    private static string? Field(string name, long expected, long actual) =>
        expected == actual ? null : string.Create(CultureInfo.InvariantCulture, $"live packet field {name}: expected: {expected} (0x{expected:x}) vs actual: {actual} (0x{actual:x})");

    /// <summary>
    /// Compares the mapped packet <paramref name="a"/> with the script's
    /// <paramref name="s"/>; null when they match. <paramref name="tsTolerance"/>
    /// bounds the TS val difference times the tick (when the tick is set).
    /// </summary>
    public static string? Verify(TcpPacketEvent e, TcpSegment s, TcpSegment a, RunConfig config, long tsToleranceUsecs)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(config);
        if (!a.ChecksumsOk)
        {
            return "bad outbound checksum";
        }

        var optionsElided = e.Options is { Elided: true };
        var scriptOptBytes = OptionBytes(s.Options);
        var actualOptBytes = OptionBytes(a.Options);
        var allowance = optionsElided ? actualOptBytes - scriptOptBytes : 0;

        // IPv4: total length (with the options allowance); the ECN field when the line names one.
        var err = Field("ipv4_total_length", 40 + scriptOptBytes + s.Payload.Length + allowance, 40 + actualOptBytes + a.Payload.Length);
        if (err is not null)
        {
            return err;
        }

        if (e.Ecn is { } ecn)
        {
            if (ecn == EcnCodepoint.Ect01)
            {
                if (a.Ecn is not (1 or 2))
                {
                    return string.Create(CultureInfo.InvariantCulture, $"live packet field ip_ecn: expected: 0x1 or 0x2 vs actual: 0x{a.Ecn:x}");
                }
            }
            else if ((err = Field("ip_ecn", s.Ecn, a.Ecn)) is not null)
            {
                return err;
            }
        }

        err = Field("tcp_data_offset", (20 + scriptOptBytes + allowance) / 4, (20 + actualOptBytes) / 4)
            ?? Field("tcp_fin", Bit(s, TcpFlags.Fin), Bit(a, TcpFlags.Fin))
            ?? Field("tcp_syn", Bit(s, TcpFlags.Syn), Bit(a, TcpFlags.Syn))
            ?? Field("tcp_rst", Bit(s, TcpFlags.Rst), Bit(a, TcpFlags.Rst))
            ?? Field("tcp_psh", Bit(s, TcpFlags.Psh), Bit(a, TcpFlags.Psh))
            ?? Field("tcp_ack", Bit(s, TcpFlags.Ack), Bit(a, TcpFlags.Ack))
            ?? Field("tcp_urg", Bit(s, TcpFlags.Urg), Bit(a, TcpFlags.Urg))
            ?? Field("tcp_ece", Bit(s, TcpFlags.Ece), Bit(a, TcpFlags.Ece))
            ?? Field("tcp_cwr", Bit(s, TcpFlags.Cwr), Bit(a, TcpFlags.Cwr))
            ?? Field("tcp_seq", s.Seq, a.Seq)
            ?? Field("tcp_ack_seq", s.AckSeq, a.AckSeq)
            ?? (e.Window is null ? null : Field("tcp_window", s.Window, a.Window))
            ?? Field("tcp_urg_ptr", s.Urgent, a.Urgent);
        if (err is not null)
        {
            return err;
        }

        if (!optionsElided)
        {
            err = VerifyOptions(s, a, config, tsToleranceUsecs);
            if (err is not null)
            {
                return err;
            }
        }

        foreach (var b in a.Payload)
        {
            if (b != 0)
            {
                return "incorrect outbound data payload";
            }
        }

        return null;
    }

    private static long Bit(TcpSegment s, TcpFlags f) => s.Has(f) ? 1 : 0;

    private static int OptionBytes(List<WireOption> options)
    {
        var n = 0;
        foreach (var o in options)
        {
            n += o.Length;
        }

        return (n + 3) & ~3;
    }

    private static string? VerifyOptions(TcpSegment s, TcpSegment a, RunConfig config, long tolerance)
    {
        var n = Math.Max(s.Options.Count, a.Options.Count);
        for (var i = 0; i < n; i++)
        {
            if (i >= s.Options.Count || i >= a.Options.Count || s.Options[i].Kind != a.Options[i].Kind)
            {
                return "bad outbound TCP options";
            }

            var so = s.Options[i];
            var ao = a.Options[i];
            switch (ao.Kind)
            {
                case WireOption.Eol:
                case WireOption.Nop:
                    break;
                case WireOption.Timestamp:
                    var sv = BinaryPrimitives.ReadUInt32BigEndian(so.Data);
                    var av = BinaryPrimitives.ReadUInt32BigEndian(ao.Data);
                    if (config.TcpTsTickUsecs != 0 && Math.Abs((long)unchecked((int)(av - sv))) * config.TcpTsTickUsecs > tolerance)
                    {
                        return string.Create(CultureInfo.InvariantCulture, $"bad outbound TCP timestamp value, tolerance {tolerance}");
                    }

                    break;
                default:
                    var kind = so.Length != ao.Length ? "bad length" : !so.Data.AsSpan().SequenceEqual(ao.Data) ? "bad value" : null;
                    if (kind is not null)
                    {
                        return string.Create(CultureInfo.InvariantCulture, $"{kind} in outbound TCP option (kind={so.Kind})");
                    }

                    break;
            }
        }

        return null;
    }
}
