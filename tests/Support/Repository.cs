using System;
using System.IO;

namespace KernelNet.Tests.Support;

/// <summary>The checkout the tests were built from, for tests that read its docs or sources.</summary>
public static class Repository
{
    /// <summary>The directory holding KernelNet.sln above the test build, or null when the build stands alone.</summary>
    public static string? TryFindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KernelNet.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
