namespace KernelNet.Packetdrill.Code;

/// <summary>Token kinds of the Python subset inside %{ }%.</summary>
internal enum CodeTokenKind
{
    Name,
    Number,
    String,
    Operator,

    /// <summary>A statement break: ';' or a newline outside parentheses.</summary>
    Separator,
    End,
}
