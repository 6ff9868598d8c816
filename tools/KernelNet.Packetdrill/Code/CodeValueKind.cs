namespace KernelNet.Packetdrill.Code;

/// <summary>The Python types the subset computes with.</summary>
public enum CodeValueKind
{
    /// <summary>int (kept in 64 bits; overflow is an error, not a bignum).</summary>
    Int,

    /// <summary>bool, the result of comparisons and <c>not</c>; counts as int 0/1 in arithmetic.</summary>
    Bool,

    /// <summary>float, from '/' or a float literal.</summary>
    Float,

    /// <summary>str, used for assertion messages.</summary>
    Str,
}
