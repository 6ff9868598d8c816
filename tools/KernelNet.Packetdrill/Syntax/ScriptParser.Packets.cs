using System.Collections.Immutable;
using System.Linq;
using KernelNet.Packetdrill.Ast;

namespace KernelNet.Packetdrill.Syntax;

/// <summary>Packet lines: direction, ECN mark, then a TCP segment, a UDP datagram or an ICMP message.</summary>
internal sealed partial class ScriptParser
{
    private const string FlagsExpected = "TCP flags (S F R P E W U, '.' for ACK, or '-')";
    private const string OptionExpected = "TCP option (nop, eol, mss, wscale, sackOK, sack, TS, FO, FOEXP, md5 or ...)";

    private PacketEvent ParsePacket(EventTime time, SourcePosition position)
    {
        var direction = _tokens.Next().Text == "<" ? PacketDirection.Inbound : PacketDirection.Outbound;
        var ecn = _tokens.Peek().IsPunct("[") ? ParseEcn() : (EcnCodepoint?)null;
        var t = _tokens.Peek();
        if (t.IsIdentifier("icmp"))
        {
            return ParseIcmp(time, position, direction, ecn);
        }

        if (t.IsIdentifier("udp"))
        {
            return ParseUdp(time, position, direction, ecn);
        }

        return ParseTcp(time, position, direction, ecn);
    }

    // '[' (noecn | ect0 | ect1 | ect01 | ce) ']'
    private EcnCodepoint ParseEcn()
    {
        Expect("[");
        var t = _tokens.Peek();
        EcnCodepoint? ecn = t.Kind != TokenKind.Identifier ? null : t.Text switch
        {
            "noecn" => EcnCodepoint.NotEct,
            "ect0" => EcnCodepoint.Ect0,
            "ect1" => EcnCodepoint.Ect1,
            "ect01" => EcnCodepoint.Ect01,
            "ce" => EcnCodepoint.Ce,
            _ => null,
        };
        if (ecn is null)
        {
            throw Fail(t, "ECN codepoint (noecn, ect0, ect1, ect01, ce)");
        }

        _tokens.Next();
        Expect("]");
        return ecn.Value;
    }

    // FLAGS START:END(LEN) {ack N | win N | urg N} ['<' OPTIONS '>']
    private TcpPacketEvent ParseTcp(EventTime time, SourcePosition position, PacketDirection direction, EcnCodepoint? ecn)
    {
        var (flags, flagsText) = ParseTcpFlags();
        var sequence = ParseSequenceRange();
        uint? ack = null;
        ushort? window = null;
        ushort? urgent = null;
        for (var t = _tokens.Peek(); t.Kind == TokenKind.Identifier; t = _tokens.Peek())
        {
            if (t.Text == "ack")
            {
                ack = ParseOnce(ack is not null, () => ParseUInt32("ack number"));
            }
            else if (t.Text == "win")
            {
                window = ParseOnce(window is not null, () => ParseUInt16("window"));
            }
            else if (t.Text == "urg")
            {
                urgent = ParseOnce(urgent is not null, () => ParseUInt16("urgent pointer"));
            }
            else
            {
                throw Fail(t, "'ack', 'win', 'urg' or '<' options");
            }
        }

        var options = _tokens.Peek().IsPunct("<") ? ParseTcpOptions() : null;
        return new TcpPacketEvent(time, position, direction, ecn, flags, flagsText, sequence, ack, window, urgent, options);
    }

    // Consumes the keyword of a packet field that may appear once, then its value.
    private T ParseOnce<T>(bool seen, System.Func<T> parseValue)
    {
        var keyword = _tokens.Peek();
        if (seen)
        {
            throw Fail(keyword, $"one '{keyword.Text}' per packet");
        }

        _tokens.Next();
        return parseValue();
    }

    private (TcpFlags Flags, string Text) ParseTcpFlags()
    {
        var t = _tokens.Next();
        if (t.IsPunct("-"))
        {
            return (TcpFlags.None, "-");
        }

        if (t.IsPunct("."))
        {
            return (TcpFlags.Ack, ".");
        }

        if (t.Kind != TokenKind.Identifier)
        {
            throw Fail(t, FlagsExpected);
        }

        var flags = TcpFlags.None;
        foreach (var letter in t.Text)
        {
            flags |= FlagOf(letter) ?? throw Fail(t, FlagsExpected);
        }

        // "S." lexes as S then '.'; the dot is the ACK flag.
        return Accept(".") ? (flags | TcpFlags.Ack, t.Text + ".") : (flags, t.Text);
    }

    private static TcpFlags? FlagOf(char letter) => letter switch
    {
        'S' => TcpFlags.Syn,
        'F' => TcpFlags.Fin,
        'R' => TcpFlags.Rst,
        'P' => TcpFlags.Psh,
        'E' => TcpFlags.Ece,
        'W' => TcpFlags.Cwr,
        'U' => TcpFlags.Urg,
        _ => null,
    };

    // START ':' END '(' LEN ')', with END - START == LEN in sequence space.
    private SequenceRange ParseSequenceRange()
    {
        var start = ParseUInt32("sequence number");
        Expect(":");
        var end = ParseUInt32("end sequence number");
        Expect("(");
        var lengthToken = _tokens.Peek();
        var length = ParseUInt32("payload length");
        Expect(")");
        if (unchecked(end - start) != length)
        {
            throw Fail(lengthToken, $"payload length {unchecked(end - start)} (END - START)");
        }

        return new SequenceRange(start, end, length);
    }

    private TcpOptionList ParseTcpOptions()
    {
        Expect("<");
        if (Accept("..."))
        {
            Expect(">");
            return new TcpOptionList(true, ImmutableArray<TcpOption>.Empty);
        }

        var items = ImmutableArray.CreateBuilder<TcpOption>();
        do
        {
            items.Add(ParseTcpOption());
        }
        while (Accept(","));

        Expect(">");
        return new TcpOptionList(false, items.ToImmutable());
    }

    private TcpOption ParseTcpOption()
    {
        var t = _tokens.Peek();
        if (t.Kind != TokenKind.Identifier)
        {
            throw Fail(t, OptionExpected);
        }

        _tokens.Next();
        var p = t.Position;
        return t.Text switch
        {
            "nop" => new TcpNopOption(p),
            "eol" => new TcpEolOption(p),
            "sackOK" => new TcpSackPermittedOption(p),
            "mss" => new TcpMssOption(p, ParseUInt16("MSS")),
            "wscale" => new TcpWindowScaleOption(p, (byte)ParseUnsigned("window scale shift", byte.MaxValue)),
            "sack" => new TcpSackOption(p, ParseSackBlocks()),
            "TS" => ParseTimestamp(p),
            "FO" => new TcpFastOpenOption(p, false, ParseOptionalCookie()),
            "FOEXP" => new TcpFastOpenOption(p, true, ParseOptionalCookie()),
            "md5" => new TcpMd5Option(p, ParseHexBlob("MD5 digest in hex")),
            _ => throw Fail(t, OptionExpected),
        };
    }

    private ImmutableArray<TcpSackBlock> ParseSackBlocks()
    {
        var blocks = ImmutableArray.CreateBuilder<TcpSackBlock>();
        do
        {
            var start = ParseUInt32("SACK block start");
            Expect(":");
            blocks.Add(new TcpSackBlock(start, ParseUInt32("SACK block end")));
        }
        while (_tokens.Peek().Kind == TokenKind.Number);

        return blocks.ToImmutable();
    }

    private TcpTimestampOption ParseTimestamp(SourcePosition p)
    {
        ExpectIdentifier("val");
        var value = ParseUInt32("TS value");
        ExpectIdentifier("ecr");
        return new TcpTimestampOption(p, value, ParseUInt32("TS echo reply"));
    }

    // A cookie is hex, or a define name when the parser was given no defines;
    // "FO," and "FO>" are cookie requests.
    private string? ParseOptionalCookie()
    {
        var t = _tokens.Peek();
        return t.Kind is TokenKind.Identifier or TokenKind.Number ? _tokens.Next().Text : null;
    }

    private string ParseHexBlob(string expected)
    {
        var t = _tokens.Peek();
        if (t.Kind is not (TokenKind.Identifier or TokenKind.Number) || !t.Text.All(char.IsAsciiHexDigit) || t.Text.Length % 2 != 0)
        {
            throw Fail(t, expected);
        }

        return _tokens.Next().Text;
    }

    // icmp TYPE [CODE] [mtu N] ['[' START:END(LEN) ']']
    private IcmpPacketEvent ParseIcmp(EventTime time, SourcePosition position, PacketDirection direction, EcnCodepoint? ecn)
    {
        _tokens.Next();
        var type = _tokens.Peek();
        if (type.Kind != TokenKind.Identifier)
        {
            throw Fail(type, "ICMP type (unreachable, time_exceeded, ...)");
        }

        _tokens.Next();
        string? code = _tokens.Peek().Kind == TokenKind.Identifier && !_tokens.Peek().IsIdentifier("mtu") ? _tokens.Next().Text : null;
        uint? mtu = null;
        if (_tokens.Peek().IsIdentifier("mtu"))
        {
            _tokens.Next();
            mtu = ParseUInt32("MTU");
        }

        SequenceRange? embedded = null;
        if (Accept("["))
        {
            embedded = ParseSequenceRange();
            Expect("]");
        }

        return new IcmpPacketEvent(time, position, direction, ecn, type.Text, code, mtu, embedded);
    }

    // udp '(' LEN ')'
    private UdpPacketEvent ParseUdp(EventTime time, SourcePosition position, PacketDirection direction, EcnCodepoint? ecn)
    {
        _tokens.Next();
        Expect("(");
        var length = ParseUInt32("UDP payload length");
        Expect(")");
        return new UdpPacketEvent(time, position, direction, ecn, length);
    }
}
