namespace KernelNet.Packetdrill.Code;

/// <summary>One code token; Start/End are offsets in the block text (for an assertion's source text).</summary>
internal sealed record CodeToken(CodeTokenKind Kind, string Text, CodeValue Value, SourcePosition Position, int Start, int End)
{
    public bool Is(string text) => Kind is CodeTokenKind.Operator or CodeTokenKind.Name && Text == text;

    public string Describe() => Kind switch
    {
        CodeTokenKind.End => "end of block",
        CodeTokenKind.Separator => Text == ";" ? "';'" : "end of line",
        CodeTokenKind.String => "string " + Text,
        _ => $"'{Syntax.Printable.Escape(Text)}'",
    };
}
