using System;

namespace KernelNet.Scenarios.Scenario;

/// <summary>A malformed scenario: its message is the one line <c>file:line: what was expected</c>.</summary>
public sealed class ScenarioException : Exception
{
    public ScenarioException(string file, int line, string expected)
        : base($"{file}:{line}: {expected}")
    {
        File = file;
        Line = line;
        Expected = expected;
    }

    public ScenarioException()
    {
        File = "";
        Expected = "";
    }

    public ScenarioException(string message)
        : base(message)
    {
        File = "";
        Expected = message;
    }

    public ScenarioException(string message, Exception inner)
        : base(message, inner)
    {
        File = "";
        Expected = message;
    }

    public string File { get; }

    public int Line { get; }

    public string Expected { get; }
}
