using System;

namespace KernelNet.Cli;

/// <summary>Bad input from the user: printed as one line, exit code 2.</summary>
public sealed class UsageException : Exception
{
    public UsageException(string message)
        : base(message)
    {
    }
}
