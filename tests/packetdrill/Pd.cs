using System.Collections.Generic;
using KernelNet.Packetdrill;
using KernelNet.Packetdrill.Ast;
using Xunit;

namespace KernelNet.Tests.Packetdrill;

/// <summary>Parses small script fragments named "t.pkt" for the unit tests.</summary>
internal static class Pd
{
    public static Script Parse(string text, IReadOnlyDictionary<string, string>? defines = null) =>
        PacketdrillParser.Parse(text, "t.pkt", defines);

    public static T One<T>(string text, IReadOnlyDictionary<string, string>? defines = null)
        where T : Event => Assert.IsType<T>(Assert.Single(Parse(text, defines).Events));

    public static PacketdrillSyntaxException Error(string text) =>
        Assert.Throws<PacketdrillSyntaxException>(() => Parse(text));
}
