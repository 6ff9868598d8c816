using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using YamlDotNet.RepresentationModel;

namespace KernelNet.Scenarios.Scenario;

/// <summary>Strict reading of YAML nodes: every error names the file and line and says what was expected.</summary>
internal sealed class YamlNodes(string file)
{
    public string File { get; } = file;

    public ScenarioException Error(YamlNode node, string expected) => new(File, (int)node.Start.Line, expected);

    public MappingReader Map(YamlNode node, string what) => node is YamlMappingNode m
        ? new MappingReader(this, m, what)
        : throw Error(node, $"expected a mapping for {what}");

    public IReadOnlyList<YamlNode> Seq(YamlNode node, string what) => node is YamlSequenceNode s
        ? s.Children.ToList()
        : throw Error(node, $"expected a list for {what}");

    public string Scalar(YamlNode node, string what) => node is YamlScalarNode { Value: { } v }
        ? v
        : throw Error(node, $"expected a scalar for {what}");

    public int Int(YamlNode node, string what, int min, int max)
    {
        var text = Scalar(node, what);
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) || v < min || v > max)
        {
            throw Error(node, $"expected an integer {min}..{max} for {what}, got '{text}'");
        }

        return v;
    }

    public T Enum<T>(YamlNode node, string what)
        where T : struct, Enum
    {
        var text = Scalar(node, what);
        if (System.Enum.TryParse<T>(text, ignoreCase: true, out var v) && System.Enum.IsDefined(v) && !int.TryParse(text, out _))
        {
            return v;
        }

        var names = string.Join(", ", System.Enum.GetNames<T>().Select(n => n.ToLowerInvariant()));
        throw Error(node, $"expected one of {names} for {what}, got '{text}'");
    }
}

/// <summary>A mapping whose keys must all be known: <see cref="Finish"/> rejects the rest.</summary>
internal sealed class MappingReader(YamlNodes nodes, YamlMappingNode map, string what)
{
    private readonly HashSet<string> _asked = [];

    public YamlMappingNode Node => map;

    public IEnumerable<string> Keys => map.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "");

    public YamlNode? Optional(string key)
    {
        _asked.Add(key);
        return map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;
    }

    public YamlNode Required(string key)
        => Optional(key) ?? throw nodes.Error(map, $"expected key '{key}' in {what}");

    public string RequiredString(string key) => nodes.Scalar(Required(key), $"'{key}' of {what}");

    public string? OptionalString(string key) => Optional(key) is { } n ? nodes.Scalar(n, $"'{key}' of {what}") : null;

    public int OptionalInt(string key, int fallback, int min, int max)
        => Optional(key) is { } n ? nodes.Int(n, $"'{key}' of {what}", min, max) : fallback;

    /// <summary>Fails on the first key nobody asked for, listing the keys that are allowed.</summary>
    public void Finish()
    {
        foreach (var key in map.Children.Keys)
        {
            var name = key is YamlScalarNode s ? s.Value ?? "" : "?";
            if (!_asked.Contains(name))
            {
                throw nodes.Error(key, $"unknown key '{name}' in {what}; expected one of: {string.Join(", ", _asked)}");
            }
        }
    }
}
