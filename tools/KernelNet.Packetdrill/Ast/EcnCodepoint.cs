namespace KernelNet.Packetdrill.Ast;

/// <summary>The IP ECN field written in brackets after the direction: <c>&gt; [ect0] P. ...</c>.</summary>
public enum EcnCodepoint
{
    /// <summary><c>[noecn]</c>: 00.</summary>
    NotEct,

    /// <summary><c>[ect1]</c>: 01.</summary>
    Ect1,

    /// <summary><c>[ect0]</c>: 10.</summary>
    Ect0,

    /// <summary><c>[ce]</c>: 11.</summary>
    Ce,

    /// <summary><c>[ect01]</c>: either ECT codepoint is accepted.</summary>
    Ect01,
}
