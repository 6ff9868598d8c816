using System.Collections.Generic;
using System.Text;

namespace KernelNet.Packetdrill.Syntax;

/// <summary>
/// Turns script text into tokens on demand, so a lexical error is reported
/// only when the parser reaches it, in file order. Skips whitespace,
/// <c>// comments</c> and <c>/* comments */</c>. An identifier named by a
/// define (<c>-D TFO_COOKIE=...</c>) is replaced by the tokens of its value,
/// stamped with the identifier's position, as packetdrill substitutes
/// defines before parsing. Backtick commands and %{ }% blocks are raw text:
/// no comments, no defines inside.
/// </summary>
internal sealed class ScriptLexer
{
    private const string Punctuation = ".+-<>:()[]{},=|&~*;";

    private readonly TextCursor _cursor;
    private readonly IReadOnlyDictionary<string, string> _defines;
    private readonly Queue<Token> _expanded = new();
    private bool _sawNewline = true;

    public ScriptLexer(string text, string file, IReadOnlyDictionary<string, string> defines)
    {
        _cursor = new TextCursor(text, new SourcePosition(file, 1, 1));
        _defines = defines;
    }

    public string Source => _cursor.Text;

    public Token Next()
    {
        if (_expanded.Count > 0)
        {
            return _expanded.Dequeue();
        }

        SkipTrivia();
        var first = _sawNewline;
        _sawNewline = false;
        var start = _cursor.Offset;
        var pos = _cursor.Position;
        if (_cursor.AtEnd)
        {
            return new Token(TokenKind.End, string.Empty, pos, start, start, pos, first);
        }

        var c = _cursor.Peek();
        if (first && c == '-' && _cursor.Peek(1) == '-' && char.IsLetter(_cursor.Peek(2)))
        {
            return LexOption(pos, start);
        }

        if (c == '%' && _cursor.Peek(1) == '{')
        {
            return LexDelimited(TokenKind.Code, "%{", "}%", "'}%' to close the %{ block", pos, start, first);
        }

        if (c == '`')
        {
            return LexDelimited(TokenKind.Command, "`", "`", "'`' to close the backtick command", pos, start, first);
        }

        if (c == '"')
        {
            return LexString(pos, start, first);
        }

        if (char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(_cursor.Peek(1))))
        {
            return LexNumber(pos, start, first);
        }

        if (IsIdentifierStart(c))
        {
            return LexIdentifier(pos, start, first);
        }

        if (_cursor.StartsWith("..."))
        {
            _cursor.Advance(3);
            return Make(TokenKind.Punct, "...", pos, start, first);
        }

        _cursor.Advance();
        var kind = Punctuation.Contains(c, System.StringComparison.Ordinal) ? TokenKind.Punct : TokenKind.Unknown;
        return Make(kind, c.ToString(), pos, start, first);
    }

    private Token Make(TokenKind kind, string text, SourcePosition pos, int start, bool first) =>
        new(kind, text, pos, start, _cursor.Offset, pos, first);

    private void SkipTrivia()
    {
        while (!_cursor.AtEnd)
        {
            var c = _cursor.Peek();
            if (c == '\n')
            {
                _sawNewline = true;
                _cursor.Advance();
            }
            else if (char.IsWhiteSpace(c))
            {
                _cursor.Advance();
            }
            else if (c == '/' && _cursor.Peek(1) == '/')
            {
                while (!_cursor.AtEnd && _cursor.Peek() != '\n')
                {
                    _cursor.Advance();
                }
            }
            else if (c == '/' && _cursor.Peek(1) == '*')
            {
                SkipBlockComment();
            }
            else
            {
                return;
            }
        }
    }

    private void SkipBlockComment()
    {
        var pos = _cursor.Position;
        _cursor.Advance(2);
        while (!_cursor.StartsWith("*/"))
        {
            if (_cursor.AtEnd)
            {
                throw new PacketdrillSyntaxException(pos, "'*/' to close the comment", "end of file");
            }

            if (_cursor.Advance() == '\n')
            {
                _sawNewline = true;
            }
        }

        _cursor.Advance(2);
    }

    // --name or --name=value, up to whitespace or a // comment.
    private Token LexOption(SourcePosition pos, int start)
    {
        _cursor.Advance(2);
        var textStart = _cursor.Offset;
        while (!_cursor.AtEnd && !char.IsWhiteSpace(_cursor.Peek()) && !_cursor.StartsWith("//"))
        {
            _cursor.Advance();
        }

        return Make(TokenKind.Option, _cursor.Slice(textStart, _cursor.Offset), pos, start, true);
    }

    private Token LexDelimited(TokenKind kind, string open, string close, string expected, SourcePosition pos, int start, bool first)
    {
        _cursor.Advance(open.Length);
        var content = _cursor.Position;
        var textStart = _cursor.Offset;
        while (!_cursor.StartsWith(close))
        {
            if (_cursor.AtEnd)
            {
                throw new PacketdrillSyntaxException(pos, expected, "end of file");
            }

            if (_cursor.Advance() == '\n')
            {
                _sawNewline = true;
            }
        }

        var text = _cursor.Slice(textStart, _cursor.Offset);
        _cursor.Advance(close.Length);
        return new Token(kind, text, pos, start, _cursor.Offset, content, first);
    }

    private Token LexString(SourcePosition pos, int start, bool first)
    {
        _cursor.Advance();
        var value = new StringBuilder();
        while (true)
        {
            if (_cursor.AtEnd || _cursor.Peek() == '\n')
            {
                throw new PacketdrillSyntaxException(pos, "'\"' to close the string", _cursor.AtEnd ? "end of file" : "end of line");
            }

            var c = _cursor.Advance();
            if (c == '"')
            {
                return Make(TokenKind.String, value.ToString(), pos, start, first);
            }

            value.Append(c == '\\' ? LexEscape() : c);
        }
    }

    // C escapes; \xHH and octal give one char per byte, as the string is a byte buffer.
    private char LexEscape()
    {
        var pos = _cursor.Position;
        var c = _cursor.AtEnd ? '\0' : _cursor.Advance();
        switch (c)
        {
            case 'n': return '\n';
            case 't': return '\t';
            case 'r': return '\r';
            case '\\': return '\\';
            case '"': return '"';
            case '\'': return '\'';
            case 'x':
                return ReadHexByte(pos);
            default:
                if (IsOctal(c))
                {
                    return ReadOctal(c - '0');
                }

                throw new PacketdrillSyntaxException(pos, "a string escape (\\n \\t \\r \\\\ \\\" \\xHH \\ooo)", $"'\\{Printable.Escape(c.ToString())}'");
        }
    }

    // \ooo: up to three octal digits, the first already read; one byte.
    private char ReadOctal(int value)
    {
        for (var i = 0; i < 2 && IsOctal(_cursor.Peek()); i++)
        {
            value = (value * 8) + (_cursor.Advance() - '0');
        }

        return (char)(value & 0xff);
    }

    private static bool IsOctal(char c) => c >= '0' && c <= '7';

    // \xHH: exactly two hex digits.
    private char ReadHexByte(SourcePosition pos)
    {
        var value = 0;
        for (var i = 0; i < 2; i++)
        {
            var d = HexValue(_cursor.Peek());
            if (d < 0)
            {
                throw new PacketdrillSyntaxException(pos, "two hex digits after '\\x'", _cursor.AtEnd ? "end of file" : $"'{Printable.Escape(_cursor.Peek().ToString())}'");
            }

            _cursor.Advance();
            value = (value * 16) + d;
        }

        return (char)value;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    // Digits and letters run together (0x2, an md5 digest); a '.' joins only
    // when a digit follows it and the run so far is all digits, so "0...0.3"
    // lexes as 0, ..., 0.3 and "1:1" stays three tokens.
    private Token LexNumber(SourcePosition pos, int start, bool first)
    {
        var allDigits = true;
        while (IsIdentifierPart(_cursor.Peek()))
        {
            allDigits &= char.IsAsciiDigit(_cursor.Advance());
        }

        if (allDigits && _cursor.Peek() == '.' && char.IsAsciiDigit(_cursor.Peek(1)))
        {
            _cursor.Advance();
            while (char.IsAsciiDigit(_cursor.Peek()))
            {
                _cursor.Advance();
            }
        }

        return Make(TokenKind.Number, _cursor.Slice(start, _cursor.Offset), pos, start, first);
    }

    private Token LexIdentifier(SourcePosition pos, int start, bool first)
    {
        while (IsIdentifierPart(_cursor.Peek()))
        {
            _cursor.Advance();
        }

        var token = Make(TokenKind.Identifier, _cursor.Slice(start, _cursor.Offset), pos, start, first);
        return _defines.TryGetValue(token.Text, out var value) ? Expand(token, value) : token;
    }

    private Token Expand(Token name, string value)
    {
        var inner = new ScriptLexer(value, name.Position.File, EmptyDefines.Instance);
        for (var t = inner.Next(); t.Kind != TokenKind.End; t = inner.Next())
        {
            var isFirst = _expanded.Count == 0 && name.FirstOnLine;
            _expanded.Enqueue(t with { Position = name.Position, Start = name.Start, End = name.End, ContentPosition = name.Position, FirstOnLine = isFirst });
        }

        return _expanded.Count > 0 ? _expanded.Dequeue() : Next();
    }

    private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsIdentifierPart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}
