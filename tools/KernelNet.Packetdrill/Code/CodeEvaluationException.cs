using System;

namespace KernelNet.Packetdrill.Code;

/// <summary>
/// A %{ }% block could not be evaluated (as Python would raise NameError,
/// TypeError or ZeroDivisionError): one line, <c>FILE:LINE:COL: message</c>.
/// A false assertion is not an exception; it is a failed <see cref="CodeResult"/>.
/// </summary>
public sealed class CodeEvaluationException : Exception
{
    /// <summary>Creates the exception for the expression at <paramref name="position"/>.</summary>
    public CodeEvaluationException(SourcePosition position, string problem)
        : base($"{position}: {problem}")
    {
        Position = position;
        Problem = problem;
    }

    /// <summary>Where the failing expression starts.</summary>
    public SourcePosition Position { get; }

    /// <summary>The message without the position.</summary>
    public string Problem { get; }
}
