namespace KernelNet.Packetdrill.Syntax;

/// <summary>
/// Walks a string and keeps line and column, so every token knows where it
/// started. A %{ }% block is scanned with a cursor that starts at the block's
/// own position, which keeps its diagnostics in script coordinates.
/// </summary>
internal sealed class TextCursor
{
    private readonly string _text;
    private readonly string _file;
    private int _line;
    private int _column;

    public TextCursor(string text, SourcePosition start)
    {
        _text = text;
        _file = start.File;
        _line = start.Line;
        _column = start.Column;
    }

    public int Offset { get; private set; }

    public bool AtEnd => Offset >= _text.Length;

    public SourcePosition Position => new(_file, _line, _column);

    public string Text => _text;

    /// <summary>The character <paramref name="ahead"/> places on, or '\0' past the end.</summary>
    public char Peek(int ahead = 0)
    {
        var i = Offset + ahead;
        return i < _text.Length ? _text[i] : '\0';
    }

    public bool StartsWith(string s) => string.CompareOrdinal(_text, Offset, s, 0, s.Length) == 0;

    public char Advance()
    {
        var c = _text[Offset++];
        if (c == '\n')
        {
            _line++;
            _column = 1;
        }
        else
        {
            _column++;
        }

        return c;
    }

    public void Advance(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Advance();
        }
    }

    public string Slice(int start, int end) => _text.Substring(start, end - start);
}
