using System.Collections.Generic;
using System.IO;
using KernelNet.Packetdrill.Ast;
using KernelNet.Packetdrill.Syntax;

namespace KernelNet.Packetdrill;

/// <summary>Entry point: script text in, immutable <see cref="Script"/> out, or a one-line <see cref="PacketdrillSyntaxException"/>.</summary>
public static class PacketdrillParser
{
    /// <summary>
    /// Parses <paramref name="text"/>; <paramref name="file"/> names it in
    /// diagnostics. Each identifier named in <paramref name="defines"/> is
    /// replaced by its value before parsing (see <see cref="Resolution.ScriptDefines"/>).
    /// </summary>
    public static Script Parse(string text, string file, IReadOnlyDictionary<string, string>? defines = null) =>
        new ScriptParser(text, file, defines ?? EmptyDefines.Instance).ParseScript();

    /// <summary>Reads and parses a .pkt file; diagnostics name it by <paramref name="path"/> as given.</summary>
    public static Script ParseFile(string path, IReadOnlyDictionary<string, string>? defines = null) =>
        Parse(File.ReadAllText(path), path, defines);
}
