using System.Collections.Generic;
using System.Collections.Immutable;

namespace KernelNet.Packetdrill.Syntax;

/// <summary>The empty define table: define values are not themselves expanded.</summary>
internal static class EmptyDefines
{
    public static readonly IReadOnlyDictionary<string, string> Instance = ImmutableDictionary<string, string>.Empty;
}
