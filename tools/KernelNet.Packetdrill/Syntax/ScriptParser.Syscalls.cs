using System.Collections.Immutable;
using System.Globalization;
using KernelNet.Packetdrill.Ast;
using KernelNet.Packetdrill.Ast.Expressions;

namespace KernelNet.Packetdrill.Syntax;

/// <summary>Times, syscall lines and their argument expressions.</summary>
internal sealed partial class ScriptParser
{
    private const int MaxFractionDigits = 6;

    // '*' | POINT ['~' POINT] ['...' POINT]
    private EventTime ParseEventTime()
    {
        if (Accept("*"))
        {
            return EventTime.AnyTime;
        }

        var start = ParseTimePoint(EventStart);
        TimePoint? end = Accept("~") ? ParseTimePoint("end of the time range") : null;
        TimePoint? blockingEnd = Accept("...") ? ParseTimePoint("end time of the blocking call") : null;
        var kind = end is not null ? TimeKind.Range : start.IsRelative ? TimeKind.Relative : TimeKind.Absolute;
        return new EventTime(kind, start, end, blockingEnd);
    }

    // ['+'] SECONDS, where SECONDS is 1, .01, 0.004 or 3.250; kept exactly in microseconds.
    private TimePoint ParseTimePoint(string expected)
    {
        var relative = Accept("+");
        var t = _tokens.Peek();
        if (t.Kind != TokenKind.Number || !TryParseMicroseconds(t.Text, out var usecs))
        {
            throw Fail(t, relative ? "seconds after '+' (0, .01, 1.5)" : expected);
        }

        _tokens.Next();
        return new TimePoint(usecs, relative);
    }

    private static bool TryParseMicroseconds(string text, out long usecs)
    {
        usecs = 0;
        var dot = text.IndexOf('.', System.StringComparison.Ordinal);
        var whole = dot < 0 ? text : text[..dot];
        var fraction = dot < 0 ? string.Empty : text[(dot + 1)..];
        if (fraction.Length > MaxFractionDigits || whole.Length > 12 || (whole.Length == 0 && fraction.Length == 0))
        {
            return false;
        }

        long seconds = 0;
        long micros = 0;
        var ok = (whole.Length == 0 || long.TryParse(whole, NumberStyles.None, CultureInfo.InvariantCulture, out seconds)) &&
                 (fraction.Length == 0 || long.TryParse(fraction.PadRight(MaxFractionDigits, '0'), NumberStyles.None, CultureInfo.InvariantCulture, out micros));
        usecs = (seconds * 1_000_000) + micros;
        return ok;
    }

    // NAME '(' [EXPR {',' EXPR}] ')' '=' EXPR [ERRNO] ['(' TEXT ')']
    private SyscallEvent ParseSyscall(EventTime time, SourcePosition position)
    {
        var name = _tokens.Next().Text;
        Expect("(");
        var args = ParseExpressionList(")");
        Expect(")");
        Expect("=");
        var result = ParseExpression();
        string? errno = _tokens.Peek().Kind == TokenKind.Identifier ? _tokens.Next().Text : null;
        var text = _tokens.Peek().IsPunct("(") ? ParseRawParenthesized() : null;
        return new SyscallEvent(time, position, name, args, result, errno, text);
    }

    // The errno text is prose ("Resource temporarily unavailable"), so it is
    // sliced from the source between the parentheses rather than parsed.
    private string ParseRawParenthesized()
    {
        var open = _tokens.Next();
        var depth = 0;
        while (true)
        {
            var t = _tokens.Next();
            if (t.Kind == TokenKind.End)
            {
                throw Fail(t, "')' to close the errno text");
            }

            if (t.IsPunct("("))
            {
                depth++;
            }
            else if (t.IsPunct(")") && depth-- == 0)
            {
                return _tokens.Source[open.End..t.Start].Trim();
            }
        }
    }

    private ImmutableArray<Expression> ParseExpressionList(string close)
    {
        var items = ImmutableArray.CreateBuilder<Expression>();
        if (_tokens.Peek().IsPunct(close))
        {
            return items.ToImmutable();
        }

        do
        {
            items.Add(ParseExpression());
        }
        while (Accept(","));

        return items.ToImmutable();
    }

    // UNARY {'|' UNARY}, left-associative.
    private Expression ParseExpression()
    {
        var left = ParseUnary();
        while (_tokens.Peek().IsPunct("|"))
        {
            var op = _tokens.Next();
            left = new BinaryExpression(op.Position, "|", left, ParseUnary());
        }

        return left;
    }

    /// <summary>How deep brackets, parentheses and braces may nest in a syscall's arguments (the parser recurses per level).</summary>
    internal const int MaxNesting = 1000;

    private int _nesting;

    private Expression ParseUnary()
    {
        var t = _tokens.Peek();
        if (++_nesting > MaxNesting)
        {
            throw Fail(t, $"at most {MaxNesting} nested expressions");
        }

        try
        {
            return ParseUnaryNested(t);
        }
        finally
        {
            _nesting--;
        }
    }

    private Expression ParseUnaryNested(Token t)
    {
        if (t.IsPunct("-"))
        {
            _tokens.Next();
            var n = _tokens.Peek();
            if (n.Kind != TokenKind.Number || !TryParseInteger(n.Text, out var value, out var isHex))
            {
                throw Fail(n, "integer after '-'");
            }

            _tokens.Next();
            return new IntegerExpression(t.Position, -value, isHex);
        }

        if (t.IsPunct("&"))
        {
            _tokens.Next();
            return new AddressOfExpression(t.Position, ParseUnary());
        }

        return ParsePrimary();
    }

    private Expression ParsePrimary()
    {
        var t = _tokens.Peek();
        switch (t.Kind)
        {
            case TokenKind.Number:
                if (!TryParseInteger(t.Text, out var value, out var isHex))
                {
                    throw Fail(t, "integer (decimal or 0x hex)");
                }

                _tokens.Next();
                return new IntegerExpression(t.Position, value, isHex);
            case TokenKind.String:
                _tokens.Next();
                return new StringExpression(t.Position, t.Text);
            case TokenKind.Identifier:
                _tokens.Next();
                return _tokens.Peek().IsPunct("(") ? ParseCall(t) : new IdentifierExpression(t.Position, t.Text);
            case TokenKind.Punct when t.Text == "...":
                _tokens.Next();
                return new EllipsisExpression(t.Position);
            case TokenKind.Punct when t.Text == "[":
                _tokens.Next();
                var elements = ParseExpressionList("]");
                Expect("]");
                return new ArrayExpression(t.Position, elements);
            case TokenKind.Punct when t.Text == "{":
                return ParseStruct();
            case TokenKind.Punct when t.Text == "(":
                _tokens.Next();
                var inner = ParseExpression();
                Expect(")");
                return inner;
            default:
                throw Fail(t, "expression");
        }
    }

    private CallExpression ParseCall(Token name)
    {
        Expect("(");
        var args = ParseExpressionList(")");
        Expect(")");
        return new CallExpression(name.Position, name.Text, args);
    }

    // '{' [FIELD {',' FIELD}] '}', FIELD = [NAME ['(' ARGS ')'] '='] EXPR.
    private StructExpression ParseStruct()
    {
        var open = Expect("{");
        var fields = ImmutableArray.CreateBuilder<StructField>();
        if (!_tokens.Peek().IsPunct("}"))
        {
            do
            {
                fields.Add(ParseStructField());
            }
            while (Accept(","));
        }

        Expect("}");
        return new StructExpression(open.Position, fields.ToImmutable());
    }

    private StructField ParseStructField()
    {
        var first = ParseExpression();
        if (!_tokens.Peek().IsPunct("="))
        {
            return new StructField(null, first);
        }

        if (first is not (IdentifierExpression or CallExpression))
        {
            throw Fail(_tokens.Peek(), "',' or '}' after a positional struct member");
        }

        _tokens.Next();
        return new StructField(first, ParseExpression());
    }
}
