namespace KernelNet.Packetdrill.Code;

/// <summary>A variable (<c>tcpi_rtt</c>, <c>SK_MEMINFO_RCVBUF</c>) or a constant (<c>TCP_CA_Open</c>).</summary>
public sealed record CodeName(SourcePosition Position, string Name) : CodeExpression(Position)
{
    internal override CodeValue Evaluate(CodeEnvironment environment) => environment.Lookup(Name, Position);

    /// <inheritdoc/>
    public override string ToString() => Name;
}
