using System;

namespace KernelNet.Packetdrill;

/// <summary>
/// A malformed script or %{ }% block. The message is always one line:
/// <c>FILE:LINE:COL: expected X, got Y</c>.
/// </summary>
public sealed class PacketdrillSyntaxException : Exception
{
    /// <summary>Creates the exception; <paramref name="got"/> is already quoted or described ("'socket'", "end of file").</summary>
    public PacketdrillSyntaxException(SourcePosition position, string expected, string got)
        : base($"{position}: expected {expected}, got {got}")
    {
        Position = position;
        Expected = expected;
        Got = got;
    }

    /// <summary>Where the offending text starts.</summary>
    public SourcePosition Position { get; }

    /// <summary>The script file name as given to the parser.</summary>
    public string File => Position.File;

    /// <summary>1-based line.</summary>
    public int Line => Position.Line;

    /// <summary>1-based column.</summary>
    public int Column => Position.Column;

    /// <summary>What the grammar allowed here.</summary>
    public string Expected { get; }

    /// <summary>What the script had instead.</summary>
    public string Got { get; }
}
