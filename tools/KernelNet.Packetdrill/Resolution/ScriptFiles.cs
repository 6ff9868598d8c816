using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using KernelNet.Packetdrill.Ast;

namespace KernelNet.Packetdrill.Resolution;

/// <summary>
/// Where a script's helpers live. Scripts run with their own directory as the
/// working directory and call helpers by relative path (<c>`./defaults.sh`</c>,
/// <c>`./set_sysctls.py ...`</c>), so the helpers must sit next to the script.
/// </summary>
public static partial class ScriptFiles
{
    /// <summary>The name of the shared sysctl setup script.</summary>
    public const string DefaultsScript = "defaults.sh";

    /// <summary>The directory a script runs in: its own.</summary>
    public static string WorkingDirectory(string scriptPath) =>
        Path.GetDirectoryName(Path.GetFullPath(scriptPath)) ?? Path.GetFullPath(".");

    /// <summary>A path written in the script (<c>./set_sysctls.py</c>) resolved against the script's directory.</summary>
    public static string Resolve(string scriptPath, string relativePath) =>
        Path.GetFullPath(Path.Combine(WorkingDirectory(scriptPath), relativePath));

    /// <summary>The <c>./defaults.sh</c> next to the script, or null when there is none.</summary>
    public static string? FindDefaults(string scriptPath)
    {
        var path = Resolve(scriptPath, DefaultsScript);
        return File.Exists(path) ? path : null;
    }

    /// <summary>
    /// The script-relative helpers a command runs (<c>./defaults.sh</c>,
    /// <c>./set_sysctls.py</c>), in order of first mention; absolute paths
    /// such as <c>/tmp/sysctl_restore_${PPID}.sh</c> are not helpers.
    /// </summary>
    public static ImmutableArray<string> LocalHelpers(CommandEvent command) =>
        LocalHelperPattern().Matches(command.Command).Select(m => m.Groups["path"].Value).Distinct().ToImmutableArray();

    /// <summary><see cref="LocalHelpers(CommandEvent)"/> over every command of a script.</summary>
    public static ImmutableArray<string> LocalHelpers(Script script) =>
        script.Events.OfType<CommandEvent>().SelectMany(c => LocalHelpers(c)).Distinct().ToImmutableArray();

    [GeneratedRegex(@"(?<![\w/.])(?<path>\./[\w.\-/]+)")]
    private static partial Regex LocalHelperPattern();
}
