using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using KernelNet.Packetdrill.Ast;
using KernelNet.Packetdrill.Resolution;

namespace KernelNet.Packetdrill.Run;

/// <summary>
/// What a script did: PASS, or FAIL with the first mismatch in one line
/// (the script line, expected against actual, and the virtual time).
/// </summary>
public sealed record ScriptResult(string File, bool Passed, string Detail, int? Line, long? TimeUs)
{
    /// <summary><c>PASS name</c> (with a note in parentheses if there is one) or <c>FAIL name:LINE: detail</c>.</summary>
    public override string ToString() =>
        Passed ? $"PASS {Path.GetFileName(File)}{(Detail.Length > 0 ? " (" + Detail + ")" : string.Empty)}" : $"FAIL {Path.GetFileName(File)}{(Line is { } l ? ":" + l.ToString(CultureInfo.InvariantCulture) : string.Empty)}: {Detail}";
}

/// <summary>A script stops at its first failure.</summary>
internal sealed class ScriptFailure : Exception
{
    public ScriptFailure(int? line, long? timeUs, string message)
        : base(message)
    {
        Line = line;
        TimeUs = timeUs;
    }

    public ScriptFailure()
    {
    }

    public ScriptFailure(string message)
        : base(message)
    {
    }

    public ScriptFailure(string message, Exception inner)
        : base(message, inner)
    {
    }

    public int? Line { get; }

    public long? TimeUs { get; }
}

/// <summary>
/// Runs packetdrill scripts against the simulated kernel: one fresh
/// simulation per script (<see cref="SimulatedHost"/>), events in script
/// order on the virtual clock. See README.md for what is modelled.
/// </summary>
public static class PacketdrillRunner
{
    /// <summary>Parses and runs <paramref name="path"/> with the kselftest defines; a parse error throws <see cref="PacketdrillSyntaxException"/>.</summary>
    public static ScriptResult RunFile(string path, IReadOnlyDictionary<string, string>? defines = null)
    {
        var script = PacketdrillParser.ParseFile(path, defines ?? ScriptDefines.KselftestIpv4);
        return Run(script, Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".");
    }

    /// <summary>Runs a parsed script; <paramref name="directory"/> is where its helper files (defaults.sh) are.</summary>
    public static ScriptResult Run(Script script, string directory) => Run(script, directory, Array.Empty<(string Name, string Value)>());

    /// <summary>
    /// Runs a parsed script with packetdrill's command-line options
    /// (<paramref name="options"/>, <c>--name[=value]</c> split in two) applied
    /// first and the script's own header options after them, as packetdrill does.
    /// </summary>
    public static ScriptResult Run(Script script, string directory, IReadOnlyList<(string Name, string Value)> options) => Run(script, directory, options, null);

    /// <summary>
    /// As <see cref="Run(Script, string, IReadOnlyList{ValueTuple{string, string}})"/>; <paramref name="beforeExit"/>, if
    /// given, runs after the script's last event and before its processes exit (a test plants a
    /// leak with it, to see the ledger check catch it).
    /// </summary>
    public static ScriptResult Run(Script script, string directory, IReadOnlyList<(string Name, string Value)> options, Action<SimulatedHost>? beforeExit)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(options);
        var config = new RunConfig();
        foreach (var (name, value) in options)
        {
            var err = config.Apply(name, value);
            if (err is not null)
            {
                return new ScriptResult(script.File, false, err, null, null);
            }
        }

        foreach (var o in script.Options)
        {
            var err = config.Apply(o.Name, o.Value);
            if (err is not null)
            {
                return new ScriptResult(script.File, false, err, o.Position.Line, null);
            }
        }

        ScriptExecution? run = null;
        try
        {
            run = new ScriptExecution(script, config, directory);
            run.Execute();
            beforeExit?.Invoke(run.Host);

            // as the packetdrill process's exit: every descriptor closed, the kernel settled, and then nothing may be left
            var ledger = run.ExitAndSettle();
            if (!ledger.Clean)
            {
                return new ScriptResult(script.File, false, ledger.Summary(), null, run.CurrentUs);
            }

            var note = run.Leftovers.Count == 0 ? string.Empty : $"left unread: {run.Leftovers.Count} outbound packet(s), first > {run.Leftovers[0]}";
            return new ScriptResult(script.File, true, note, null, null);
        }
        catch (InvalidOperationException e) when (e.InnerException is ScriptExecution.RunnerLimit limit && run is not null)
        {
            return new ScriptResult(script.File, false, $"runner error: {limit.Message} during {run.CurrentWhat}", run.CurrentLine, run.CurrentUs);
        }
        catch (InvalidOperationException e) when (e.InnerException is { } inner && run is not null
            && inner.TargetSite?.DeclaringType?.Assembly == typeof(PacketdrillRunner).Assembly)
        {
            // The runner's own code threw (it could not carry out the script's call): not the simulated kernel's doing.
            return new ScriptResult(script.File, false, $"runner error: {inner.GetType().Name} in {inner.TargetSite?.DeclaringType?.Name}.{inner.TargetSite?.Name} during {run.CurrentWhat}", run.CurrentLine, run.CurrentUs);
        }
        catch (InvalidOperationException e) when (e.InnerException is { } inner && run is not null)
        {
            // A task body threw: a bug or a missing piece of the simulated kernel, never a script mismatch.
            return new ScriptResult(script.File, false, $"simulated kernel fault: {inner.GetType().Name} in {inner.TargetSite?.DeclaringType?.Name}.{inner.TargetSite?.Name} during {run.CurrentWhat}", run.CurrentLine, run.CurrentUs);
        }
        catch (ScriptFailure f)
        {
            var at = f.TimeUs is { } t ? $" (at {TimeCheck.Secs(t)} s)" : string.Empty;
            return new ScriptResult(script.File, false, f.Message + at, f.Line, f.TimeUs);
        }
    }
}
