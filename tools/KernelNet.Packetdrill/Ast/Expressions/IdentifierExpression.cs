namespace KernelNet.Packetdrill.Ast.Expressions;

/// <summary>A symbolic constant or name: <c>SOL_SOCKET</c>, <c>NULL</c>, <c>AF_UNSPEC</c>.</summary>
public sealed record IdentifierExpression(SourcePosition Position, string Name) : Expression(Position)
{
    /// <inheritdoc/>
    public override string ToString() => Name;
}
