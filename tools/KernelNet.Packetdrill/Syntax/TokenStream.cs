using System.Collections.Generic;

namespace KernelNet.Packetdrill.Syntax;

/// <summary>The lexer behind a small lookahead buffer; the grammar never needs more than two tokens.</summary>
internal sealed class TokenStream
{
    private readonly ScriptLexer _lexer;
    private readonly List<Token> _ahead = new();

    public TokenStream(ScriptLexer lexer) => _lexer = lexer;

    public string Source => _lexer.Source;

    public Token Peek(int ahead = 0)
    {
        while (_ahead.Count <= ahead)
        {
            _ahead.Add(_lexer.Next());
        }

        return _ahead[ahead];
    }

    public Token Next()
    {
        var t = Peek();
        _ahead.RemoveAt(0);
        return t;
    }
}
