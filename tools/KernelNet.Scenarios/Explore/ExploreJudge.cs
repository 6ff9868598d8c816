using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using KernelNet.Scenarios.Oracle;
using KernelNet.Scenarios.Scenario;

namespace KernelNet.Scenarios.Explore;

/// <summary>One level of one comparison: does it match, and if not, the comparer's text and the first differing pair of lines.</summary>
public sealed record LevelComparison(string Level, bool Match, string Differences, string Left, string Right);

/// <summary>One level of a scenario judged by explore: stable on real Linux or not, and whether the simulation matched.</summary>
public sealed record LevelVerdict(string Level, bool Stable, bool Match, string? Group, string Left, string Right)
{
    public bool Diverges => Stable && !Match;
}

/// <summary>
/// Compares recordings for explore through the comparer's public entry point
/// (<see cref="Comparer.Compare"/>, every level required), adds the step outcomes as a level
/// of its own while the comparer has none, and names each divergence by its first differing
/// line, normalized so that one mechanism gives one group.
/// </summary>
public static partial class ExploreJudge
{
    public const string StepsLevel = "steps";

    /// <summary>Every level of <paramref name="leftDir"/> against <paramref name="rightDir"/>.</summary>
    public static IReadOnlyList<LevelComparison> Compare(string leftDir, string rightDir)
    {
        var all = Enum.GetValues<ComparisonLevel>();
        var report = Comparer.Compare(Normalizer.Load(leftDir), Normalizer.Load(rightDir), all);
        var list = report.Levels
            .Select(l => Level(l.Level.ToString().ToLowerInvariant(), l.Match, l.Differences))
            .ToList();
        if (list.All(l => l.Level != StepsLevel))
        {
            list.Insert(0, Steps(leftDir, rightDir));
        }

        return list;
    }

    /// <summary>The levels of one scenario: stable where the two real recordings agree, matched where the simulation agrees with the first.</summary>
    public static IReadOnlyList<LevelVerdict> Judge(IReadOnlyList<LevelComparison> realVsReal, IReadOnlyList<LevelComparison> realVsSim) =>
        realVsSim.Select(s =>
        {
            var stable = realVsReal.FirstOrDefault(r => r.Level == s.Level)?.Match ?? false;
            return new LevelVerdict(s.Level, stable, s.Match, s.Match ? null : GroupKey(s), s.Left, s.Right);
        }).ToList();

    private static LevelComparison Steps(string leftDir, string rightDir)
    {
        static List<string> Lines(string dir) => RecordingLayout.ReadManifest(dir).Steps
            .Select(s => $"line {s.Line}: {s.Verb} {s.Host} -> {s.Outcome}")
            .ToList();

        return Level(StepsLevel, null, Comparer.FirstDifference(Lines(leftDir), Lines(rightDir)));
    }

    private static LevelComparison Level(string level, bool? match, string differences)
    {
        var (left, right) = FirstPair(differences);
        return new LevelComparison(level, match ?? differences.Length == 0, differences, left, right);
    }

    /// <summary>The first "! N left: X / right: Y" pair of the comparer's text (with the link or socket it is under), or its first line.</summary>
    public static (string Left, string Right) FirstPair(string differences)
    {
        var lines = differences.Split('\n');
        var under = "";
        for (var i = 0; i < lines.Length; i++)
        {
            if (KeyedHeader().Match(lines[i]) is { Success: true } h)
            {
                under = h.Groups[1].Value + " ";
                continue;
            }

            if (OnlyOneSide().IsMatch(lines[i]))
            {
                return (lines[i].Trim(), lines[i].Trim());
            }

            if (LeftLine().Match(lines[i]) is { Success: true } l)
            {
                var right = i + 1 < lines.Length && RightLine().Match(lines[i + 1]) is { Success: true } r ? r.Groups[1].Value : l.Groups[1].Value;
                return (under + l.Groups[1].Value, under + right);
            }
        }

        var first = lines.FirstOrDefault(x => x.Trim().Length > 0)?.Trim() ?? "";
        return (first, first);
    }

    /// <summary>
    /// The group of a divergence: its level and first differing lines with numbers, addresses and
    /// symbols' indices replaced by '#' (so skb3 and skb7, or 5 and 6 segments, group together);
    /// when both sides read the same after that, the field whose value differs is named.
    /// </summary>
    public static string GroupKey(LevelComparison c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var left = Template(c.Left);
        var right = Template(c.Right);
        if (left != right)
        {
            // the same line on both sides but for a few tokens (a flag, a drop reason, a counter
            // name): the group is those tokens, with the event or protocol they belong to, so
            // that the direction, device or port of the line does not split one mechanism
            var lw = left.Split(' ');
            var rw = right.Split(' ');
            if (lw.Length == rw.Length && lw.Length > 1)
            {
                var differing = Enumerable.Range(0, lw.Length).Where(i => lw[i] != rw[i]).ToList();
                if (differing.Count <= MaxDifferingTokens)
                {
                    var context = lw.Take(differing[0]).LastOrDefault(IsContext);
                    return $"{c.Level}: {(context is null ? "" : context + " ")}{string.Join(" ", differing.Select(i => lw[i]))}  <>  {string.Join(" ", differing.Select(i => rw[i]))}";
                }
            }

            return $"{c.Level}: {left}  <>  {right}";
        }

        var lt = c.Left.Split(' ');
        var rt = c.Right.Split(' ');
        var j = 0;
        while (j < lt.Length && j < rt.Length && lt[j] == rt[j])
        {
            j++;
        }

        var field = j < lt.Length ? Template(lt[j]) : "(end)";
        if (j > 0 && field.Trim('#', ',', '[', ']', '(', ')').Length == 0)
        {
            field = Template(lt[j - 1]) + " " + field;
        }

        return $"{c.Level}: {left}  [differs in: {field}]";
    }

    private const int MaxDifferingTokens = 3;

    /// <summary>A token that says what a line is about: a trace event (<c>kfree_skb:</c>) or a protocol (<c>TCP</c>, <c>ICMP</c>).</summary>
    private static bool IsContext(string token) =>
        token is "TCP" or "UDP" or "ICMP" or "ARP" || (token.EndsWith(':') && !token.StartsWith("skb", StringComparison.Ordinal) && token.Length > 2);

    public static string Template(string line)
    {
        var t = Numbers().Replace(Hex().Replace(line, "#"), "#");
        return t.Length > 220 ? t[..220] + "..." : t;
    }

    /// <summary>Why a run could not be judged, as a group key: the first line of the message, templated.</summary>
    public static string FailureKey(string what, string message) => $"{what}: {Template(message.Split('\n')[0].Trim())}";

    /// <summary>The top frame of an exception's stack inside the port (kernel/ or machine/), to name the function that failed.</summary>
    public static string PortFrame(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var frames = (e.StackTrace ?? "").Split('\n').Select(f => f.Trim());
        var frame = frames.FirstOrDefault(f => f.Contains("KernelNet.Kernel", StringComparison.Ordinal) || f.Contains("KernelNet.Machine", StringComparison.Ordinal))
            ?? frames.FirstOrDefault() ?? "";
        var at = frame.IndexOf(" in ", StringComparison.Ordinal);
        return at > 0 ? frame[..at] : frame;
    }

    internal static string ReadText(string path) => File.Exists(path) ? File.ReadAllText(path) : "";

    [GeneratedRegex(@"^    (\S+ \S+):$")]
    private static partial Regex KeyedHeader();

    [GeneratedRegex(@"^    \S+ \S+: only (left|right) has it$")]
    private static partial Regex OnlyOneSide();

    [GeneratedRegex(@"^\s+!\s+\d+ left:  (.*)$")]
    private static partial Regex LeftLine();

    [GeneratedRegex(@"^\s+right: (.*)$")]
    private static partial Regex RightLine();

    [GeneratedRegex(@"0x[0-9a-fA-F]+|\b[0-9a-f]{8,}\b")]
    private static partial Regex Hex();

    [GeneratedRegex(@"\d+")]
    private static partial Regex Numbers();
}
