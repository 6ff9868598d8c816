namespace KernelNet.Packetdrill.Syntax;

/// <summary>
/// One script token. <see cref="Start"/>/<see cref="End"/> are offsets in the
/// source, so raw text (an errno note) can be sliced out between two tokens.
/// <see cref="ContentPosition"/> is where a %{ }% block's inner text begins.
/// </summary>
internal sealed record Token(
    TokenKind Kind,
    string Text,
    SourcePosition Position,
    int Start,
    int End,
    SourcePosition ContentPosition,
    bool FirstOnLine)
{
    public bool IsPunct(string p) => Kind == TokenKind.Punct && Text == p;

    public bool IsIdentifier(string name) => Kind == TokenKind.Identifier && Text == name;

    /// <summary>How an error message names this token: <c>'socket'</c>, <c>end of file</c>, <c>backtick command</c>.</summary>
    public string Describe() => Kind switch
    {
        TokenKind.End => "end of file",
        TokenKind.String => $"string \"{Printable.Escape(Shorten(Text))}\"",
        TokenKind.Command => "backtick command",
        TokenKind.Code => "%{ }% block",
        TokenKind.Option => $"option '--{Text}'",
        _ => $"'{Printable.Escape(Text)}'",
    };

    private static string Shorten(string s) => s.Length <= 20 ? s : s[..20] + "...";
}
