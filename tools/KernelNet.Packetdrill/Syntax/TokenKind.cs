namespace KernelNet.Packetdrill.Syntax;

/// <summary>What a script token is; <see cref="Token.Text"/> carries its spelling or content.</summary>
internal enum TokenKind
{
    /// <summary>A name: <c>socket</c>, <c>SOL_SOCKET</c>, <c>sackOK</c>, <c>ect0</c>.</summary>
    Identifier,

    /// <summary>A run starting with a digit (or '.' and a digit): <c>0</c>, <c>0x2</c>, <c>.01</c>, <c>0.004</c>, and hex blobs such as an md5 digest.</summary>
    Number,

    /// <summary>A double-quoted string; Text is the value with escapes decoded (one char per byte).</summary>
    String,

    /// <summary>A backtick shell command; Text is what lies between the backticks.</summary>
    Command,

    /// <summary>A %{ }% block; Text is what lies between the delimiters.</summary>
    Code,

    /// <summary>A <c>--name[=value]</c> header line; Text is what follows the dashes.</summary>
    Option,

    /// <summary>Punctuation, including <c>...</c>.</summary>
    Punct,

    /// <summary>A character the language does not use; only raw text (an errno note) may hold it.</summary>
    Unknown,

    /// <summary>End of the script.</summary>
    End,
}
