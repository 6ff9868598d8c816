namespace KernelNet.Packetdrill.Code;

/// <summary>
/// The outcome of a %{ }% block: every assertion held, or the first that did
/// not, with its source text and its evaluated message (null when the assert
/// has none): for <c>assert tcpi_snd_cwnd == 10, tcpi_snd_cwnd</c> with cwnd 7,
/// FailedAssertion is that text and Message is "7".
/// </summary>
public sealed record CodeResult(bool Passed, string? FailedAssertion, string? Message, SourcePosition? Position)
{
    /// <summary>Every assertion held.</summary>
    public static CodeResult Pass { get; } = new(true, null, null, null);

    /// <summary>One line: <c>FILE:LINE:COL: assertion failed: TEXT (MESSAGE)</c>, or "passed".</summary>
    public override string ToString() => Passed
        ? "passed"
        : $"{Position}: assertion failed: {FailedAssertion}" + (Message is null ? string.Empty : $" ({Message})");
}
