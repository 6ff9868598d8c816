namespace KernelNet.Packetdrill.Ast;

/// <summary>A backtick shell command; <see cref="Command"/> is the text between the backticks, verbatim (it may span lines).</summary>
public sealed record CommandEvent(EventTime Time, SourcePosition Position, string Command) : Event(Time, Position);
