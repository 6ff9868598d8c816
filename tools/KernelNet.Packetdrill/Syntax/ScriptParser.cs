using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using KernelNet.Packetdrill.Ast;

namespace KernelNet.Packetdrill.Syntax;

/// <summary>
/// Recursive descent over the token stream. The language has no statement
/// terminator: each event's grammar says where it ends, and the next event
/// starts with a time (or a backtick command / %{ }% block, which may be
/// untimed). This file holds the script and event level; the partial files
/// hold times, syscalls and expressions, and packets.
/// </summary>
internal sealed partial class ScriptParser
{
    private const string EventStart = "event time (0, +0.1, 0.1~0.2 or *)";

    private readonly TokenStream _tokens;
    private readonly string _file;

    public ScriptParser(string text, string file, IReadOnlyDictionary<string, string> defines)
    {
        _file = file;
        _tokens = new TokenStream(new ScriptLexer(text, file, defines));
    }

    public Script ParseScript()
    {
        var options = ParseHeaderOptions();
        var events = ImmutableArray.CreateBuilder<Event>();
        while (_tokens.Peek().Kind != TokenKind.End)
        {
            events.Add(ParseEvent());
        }

        // packetdrill's grammar wants at least one event: an empty script (or one of options and comments only) is a syntax error there
        if (events.Count == 0)
        {
            throw Fail(_tokens.Peek(), EventStart);
        }

        return new Script(_file, options, events.ToImmutable());
    }

    private ImmutableArray<ScriptOption> ParseHeaderOptions()
    {
        var options = ImmutableArray.CreateBuilder<ScriptOption>();
        while (_tokens.Peek().Kind == TokenKind.Option)
        {
            var t = _tokens.Next();
            var eq = t.Text.IndexOf('=', StringComparison.Ordinal);
            options.Add(eq < 0
                ? new ScriptOption(t.Text, string.Empty, t.Position)
                : new ScriptOption(t.Text[..eq], t.Text[(eq + 1)..], t.Position));
        }

        return options.ToImmutable();
    }

    private Event ParseEvent()
    {
        var first = _tokens.Peek();
        var time = first.Kind is TokenKind.Command or TokenKind.Code ? EventTime.Untimed : ParseEventTime();
        var t = _tokens.Peek();
        if (time.BlockingEnd is not null && !IsSyscallStart())
        {
            throw Fail(t, "syscall after a blocking time (START...END)");
        }

        switch (t.Kind)
        {
            case TokenKind.Command:
                _tokens.Next();
                return new CommandEvent(time, first.Position, t.Text);
            case TokenKind.Code:
                _tokens.Next();
                var code = new CodeEvent(time, first.Position, t.Text, t.ContentPosition);

                // the block is parsed with the script, as packetdrill's lexer takes it whole: its syntax errors are the script's
                code.ParseCode();
                return code;
            case TokenKind.Punct when t.Text is "<" or ">":
                return ParsePacket(time, first.Position);
            default:
                if (IsSyscallStart())
                {
                    return ParseSyscall(time, first.Position);
                }

                throw Fail(t, "syscall, packet, backtick command or %{ }% block");
        }
    }

    private bool IsSyscallStart() => _tokens.Peek().Kind == TokenKind.Identifier && _tokens.Peek(1).IsPunct("(");

    private Token Expect(string punct)
    {
        var t = _tokens.Peek();
        if (!t.IsPunct(punct))
        {
            throw Fail(t, $"'{punct}'");
        }

        return _tokens.Next();
    }

    private Token ExpectIdentifier(string name)
    {
        var t = _tokens.Peek();
        if (!t.IsIdentifier(name))
        {
            throw Fail(t, $"'{name}'");
        }

        return _tokens.Next();
    }

    private bool Accept(string punct)
    {
        if (!_tokens.Peek().IsPunct(punct))
        {
            return false;
        }

        _tokens.Next();
        return true;
    }

    private static PacketdrillSyntaxException Fail(Token t, string expected) => new(t.Position, expected, t.Describe());

    // Decimal or 0x hex; anything else (an md5 blob, 1.5) is not an integer.
    private static bool TryParseInteger(string text, out long value, out bool isHex)
    {
        isHex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        return isHex
            ? long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value) && text.Length > 2
            : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private long ParseUnsigned(string what, long max)
    {
        var t = _tokens.Peek();
        if (t.Kind != TokenKind.Number || !TryParseInteger(t.Text, out var value, out _) || value > max)
        {
            throw Fail(t, $"{what} (0..{max})");
        }

        _tokens.Next();
        return value;
    }

    private uint ParseUInt32(string what) => (uint)ParseUnsigned(what, uint.MaxValue);

    private ushort ParseUInt16(string what) => (ushort)ParseUnsigned(what, ushort.MaxValue);
}
