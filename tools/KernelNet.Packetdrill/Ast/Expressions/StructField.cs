namespace KernelNet.Packetdrill.Ast.Expressions;

/// <summary>
/// One member of a struct literal. <see cref="Designator"/> is what stands left
/// of '=': an <see cref="IdentifierExpression"/> (<c>events=EPOLLOUT</c>), a
/// <see cref="CallExpression"/> (<c>msg_iov(1)=[...]</c>, <c>msg_name(...)=...</c>),
/// or null for a positional member (<c>{..., 0}</c>).
/// </summary>
public sealed record StructField(Expression? Designator, Expression Value)
{
    /// <summary>The designator's name, or null for a positional member.</summary>
    public string? Name => Designator switch
    {
        IdentifierExpression id => id.Name,
        CallExpression call => call.Name,
        _ => null,
    };

    /// <inheritdoc/>
    public override string ToString() => Designator is null ? Value.ToString() : $"{Designator}={Value}";
}
