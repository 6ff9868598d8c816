using System;
using System.IO;

namespace KernelNet.Analyzers.Tests.Support;

/// <summary>The repository the tests were built from (the folder holding analyzers/KernelNet.Analyzers.props).</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "analyzers", "KernelNet.Analyzers.props")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("no analyzers/KernelNet.Analyzers.props above " + AppContext.BaseDirectory);
    }
}
