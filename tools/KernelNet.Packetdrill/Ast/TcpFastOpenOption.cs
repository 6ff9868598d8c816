namespace KernelNet.Packetdrill.Ast;

/// <summary>
/// TCP Fast Open: <c>FO [COOKIE]</c> (kind 34) or, when
/// <see cref="Experimental"/>, <c>FOEXP [COOKIE]</c> (kind 254, magic 0xF989).
/// Cookie is the written hex (after define substitution, so <c>TFO_COOKIE</c>
/// becomes its hex when the parser was given the define), or null for a
/// cookie request.
/// </summary>
public sealed record TcpFastOpenOption(SourcePosition Position, bool Experimental, string? Cookie) : TcpOption(Position)
{
    /// <inheritdoc/>
    public override string ToString() => (Experimental ? "FOEXP" : "FO") + (Cookie is null ? string.Empty : " " + Cookie);
}
