using System.Collections.Immutable;
using KernelNet.Packetdrill.Ast.Expressions;

namespace KernelNet.Packetdrill.Ast;

/// <summary>
/// <c>+0 read(4, ..., 512) = -1 ECONNRESET (Connection reset by peer)</c>.
/// <see cref="ErrnoName"/> is the symbol after the result (null when absent,
/// as in <c>= -1 (Invalid Argument)</c>); <see cref="ErrnoText"/> is the
/// parenthesized text after it, verbatim and trimmed, which for a successful
/// call is a note (<c>= 0x2 (flags O_RDWR)</c>).
/// </summary>
public sealed record SyscallEvent(
    EventTime Time,
    SourcePosition Position,
    string Name,
    ImmutableArray<Expression> Arguments,
    Expression Result,
    string? ErrnoName,
    string? ErrnoText) : Event(Time, Position);
