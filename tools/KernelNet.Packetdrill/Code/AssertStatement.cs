namespace KernelNet.Packetdrill.Code;

/// <summary><c>assert CONDITION[, MESSAGE]</c>; Text is the statement's source, for the failure report.</summary>
public sealed record AssertStatement(SourcePosition Position, CodeExpression Condition, CodeExpression? Message, string Text);
