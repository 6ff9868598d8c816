using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using KernelNet.Packetdrill.Syntax;

namespace KernelNet.Packetdrill.Code;

/// <summary>
/// Tokens of the Python subset. Handles <c># comments</c>, backslash line
/// continuation and newlines inside parentheses as Python does; indentation
/// is not significant (a block holds only simple statements).
/// </summary>
internal sealed class CodeLexer
{
    // Longest first, so "<=" wins over "<" and "//" over "/".
    private static readonly ImmutableArray<string> Operators = ImmutableArray.Create(
        "**", "//", "<<", ">>", "<=", ">=", "==", "!=",
        "+", "-", "*", "/", "%", "&", "|", "^", "~", "<", ">", "(", ")", ",", ";",

        // Not operators of the subset, lexed so the parser can name them in its error.
        "=", "[", "]", "{", "}", ".", ":");

    private readonly TextCursor _cursor;
    private int _depth;

    public CodeLexer(string text, SourcePosition start) => _cursor = new TextCursor(text, start);

    public static List<CodeToken> Tokenize(string text, SourcePosition start)
    {
        var lexer = new CodeLexer(text, start);
        var tokens = new List<CodeToken>();
        CodeToken t;
        do
        {
            t = lexer.Next();
            tokens.Add(t);
        }
        while (t.Kind != CodeTokenKind.End);

        return tokens;
    }

    private CodeToken Next()
    {
        var sawNewline = SkipTrivia();
        var start = _cursor.Offset;
        var pos = _cursor.Position;
        if (sawNewline)
        {
            return new CodeToken(CodeTokenKind.Separator, "\n", default, pos, start, start);
        }

        if (_cursor.AtEnd)
        {
            return new CodeToken(CodeTokenKind.End, string.Empty, default, pos, start, start);
        }

        var c = _cursor.Peek();
        if (char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(_cursor.Peek(1))))
        {
            return LexNumber(pos, start);
        }

        if (char.IsAsciiLetter(c) || c == '_')
        {
            while (char.IsAsciiLetterOrDigit(_cursor.Peek()) || _cursor.Peek() == '_')
            {
                _cursor.Advance();
            }

            return Make(CodeTokenKind.Name, default, pos, start);
        }

        if (c is '\'' or '"')
        {
            return LexString(c, pos, start);
        }

        return LexOperator(pos, start);
    }

    private CodeToken Make(CodeTokenKind kind, CodeValue value, SourcePosition pos, int start) =>
        new(kind, _cursor.Slice(start, _cursor.Offset), value, pos, start, _cursor.Offset);

    // Returns true when a newline ended a logical line (outside parentheses).
    private bool SkipTrivia()
    {
        while (!_cursor.AtEnd)
        {
            var c = _cursor.Peek();
            if (c == '\\' && (_cursor.Peek(1) == '\n' || (_cursor.Peek(1) == '\r' && _cursor.Peek(2) == '\n')))
            {
                _cursor.Advance(_cursor.Peek(1) == '\n' ? 2 : 3);
            }
            else if (c == '#')
            {
                while (!_cursor.AtEnd && _cursor.Peek() != '\n')
                {
                    _cursor.Advance();
                }
            }
            else if (c == '\n' && _depth == 0)
            {
                _cursor.Advance();
                return true;
            }
            else if (char.IsWhiteSpace(c))
            {
                _cursor.Advance();
            }
            else
            {
                return false;
            }
        }

        return false;
    }

    // 10, 0x2a, 0o17, 0b101, 1.5, .5, 1e3: ints stay exact, anything with '.' or an exponent is a float.
    private CodeToken LexNumber(SourcePosition pos, int start)
    {
        if (_cursor.Peek() == '0' && char.ToLowerInvariant(_cursor.Peek(1)) is 'x' or 'o' or 'b')
        {
            _cursor.Advance(2);
            SkipWhile(c => char.IsAsciiLetterOrDigit(c) || c == '_');
        }
        else
        {
            SkipWhile(c => char.IsAsciiDigit(c) || c == '_');
            if (_cursor.Peek() == '.')
            {
                _cursor.Advance();
                SkipWhile(c => char.IsAsciiDigit(c) || c == '_');
            }

            if (char.ToLowerInvariant(_cursor.Peek()) == 'e' &&
                (char.IsAsciiDigit(_cursor.Peek(1)) || (_cursor.Peek(1) is '+' or '-' && char.IsAsciiDigit(_cursor.Peek(2)))))
            {
                _cursor.Advance(2);
                SkipWhile(char.IsAsciiDigit);
            }

            // "10abc" is not a number followed by a name in Python either.
            SkipWhile(c => char.IsAsciiLetterOrDigit(c) || c == '_');
        }

        var text = _cursor.Slice(start, _cursor.Offset).Replace("_", string.Empty, System.StringComparison.Ordinal);
        var value = ParseNumber(text) ?? throw new PacketdrillSyntaxException(pos, "number", $"'{text}'");
        return Make(CodeTokenKind.Number, value, pos, start);
    }

    private void SkipWhile(System.Func<char, bool> predicate)
    {
        while (!_cursor.AtEnd && predicate(_cursor.Peek()))
        {
            _cursor.Advance();
        }
    }

    private static CodeValue? ParseNumber(string text)
    {
        var lower = text.ToLowerInvariant();
        var radix = lower.StartsWith("0x", System.StringComparison.Ordinal) ? 16
                  : lower.StartsWith("0o", System.StringComparison.Ordinal) ? 8
                  : lower.StartsWith("0b", System.StringComparison.Ordinal) ? 2 : 10;
        if (radix != 10)
        {
            return ParseRadix(lower[2..], radix);
        }

        if (lower.Contains('.', System.StringComparison.Ordinal) || lower.Contains('e', System.StringComparison.Ordinal))
        {
            return double.TryParse(lower, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? CodeValue.Float(d) : null;
        }

        return long.TryParse(lower, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? CodeValue.Int(n) : null;
    }

    private static CodeValue? ParseRadix(string digits, int radix)
    {
        if (digits.Length == 0)
        {
            return null;
        }

        long value = 0;
        foreach (var c in digits)
        {
            var d = c is >= '0' and <= '9' ? c - '0' : c is >= 'a' and <= 'f' ? c - 'a' + 10 : 99;
            if (d >= radix || value > (long.MaxValue - d) / radix)
            {
                return null;
            }

            value = (value * radix) + d;
        }

        return CodeValue.Int(value);
    }

    private CodeToken LexString(char quote, SourcePosition pos, int start)
    {
        _cursor.Advance();
        var value = new StringBuilder();
        while (true)
        {
            if (_cursor.AtEnd || _cursor.Peek() == '\n')
            {
                throw new PacketdrillSyntaxException(pos, $"{quote} to close the string", _cursor.AtEnd ? "end of block" : "end of line");
            }

            var c = _cursor.Advance();
            if (c == quote)
            {
                return Make(CodeTokenKind.String, CodeValue.Str(value.ToString()), pos, start);
            }

            value.Append(c == '\\' && !_cursor.AtEnd ? Unescape(_cursor.Advance()) : c);
        }
    }

    private static string Unescape(char c) => c switch
    {
        'n' => "\n",
        't' => "\t",
        '\\' => "\\",
        '\'' => "'",
        '"' => "\"",
        _ => "\\" + c,
    };

    private CodeToken LexOperator(SourcePosition pos, int start)
    {
        foreach (var op in Operators)
        {
            if (_cursor.StartsWith(op))
            {
                _cursor.Advance(op.Length);
                _depth += op == "(" ? 1 : op == ")" && _depth > 0 ? -1 : 0;
                var kind = op == ";" ? CodeTokenKind.Separator : CodeTokenKind.Operator;
                return Make(kind, default, pos, start);
            }
        }

        throw new PacketdrillSyntaxException(pos, "operator, name, number or string", $"'{Printable.Escape(_cursor.Peek().ToString())}'");
    }
}
