using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using KernelNet.Packetdrill;
using KernelNet.Packetdrill.Resolution;
using KernelNet.Packetdrill.Run;

namespace KernelNet.Cli.Commands;

/// <summary>
/// <c>kernelnet packetdrill FILE|DIR...</c>: runs packetdrill scripts (a
/// directory means its *.pkt, in name order) against the simulated kernel, one
/// line per script and a summary; exit 0 only when every script passes, 2 for a
/// missing file or a script that does not parse.
/// </summary>
internal static class PacketdrillCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "Scripts (.pkt) or directories of scripts", Arity = ArgumentArity.OneOrMore };
        var defines = new Option<string[]>("-D") { Description = "NAME=VALUE define, added to the kselftest ones (TFO_COOKIE, CMSG_LEVEL_IP ...)", AllowMultipleArgumentsPerToken = false };
        var cmd = new Command("packetdrill", "Run packetdrill scripts against the simulated kernel (tun0, 192.168.0.1 <-> 192.0.2.1); packetdrill's own --name[=value] options (--tolerance_usecs=N, --mss=N, --strict_segments, --local_ip=A ...) mean what they mean in a script's header") { paths, defines };
        cmd.TreatUnmatchedTokensAsErrors = false;
        cmd.SetAction(parse =>
        {
            // packetdrill's options are not declared one by one: any --name[=value] token is one, checked as a script header line would be
            var tokens = (parse.GetValue(paths) ?? Array.Empty<string>()).Concat(parse.UnmatchedTokens).ToList();
            var options = new List<(string Name, string Value)>();
            var check = new RunConfig();
            foreach (var t in tokens.Where(t => t.StartsWith("--", StringComparison.Ordinal)))
            {
                var eq = t.IndexOf('=', StringComparison.Ordinal);
                var (name, value) = eq < 0 ? (t[2..], string.Empty) : (t[2..eq], t[(eq + 1)..]);
                var err = check.Apply(name, value);
                if (err is not null)
                {
                    throw new UsageException(err);
                }

                options.Add((name, value));
            }

            var files = Expand(tokens.Where(t => !t.StartsWith("--", StringComparison.Ordinal)).Distinct(StringComparer.Ordinal));
            if (files.Count == 0)
            {
                throw new UsageException("packetdrill: no script given");
            }

            var d = new Dictionary<string, string>(ScriptDefines.KselftestIpv4, StringComparer.Ordinal);
            foreach (var (k, v) in ScriptDefines.FromArguments((parse.GetValue(defines) ?? Array.Empty<string>()).SelectMany(v => new[] { "-D", v })))
            {
                d[k] = v;
            }

            // Parse all first: a script that does not parse is a usage error, before anything runs.
            var scripts = new List<(string Path, Packetdrill.Ast.Script Script)>();
            foreach (var f in files)
            {
                try
                {
                    scripts.Add((f, PacketdrillParser.ParseFile(f, d)));
                }
                catch (PacketdrillSyntaxException e)
                {
                    throw new UsageException(e.Message);
                }
            }

            var passed = 0;
            foreach (var (path, script) in scripts)
            {
                var r = PacketdrillRunner.Run(script, Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", options);
                Console.Out.WriteLine(r.ToString());
                passed += r.Passed ? 1 : 0;
            }

            Console.Out.WriteLine($"{passed} passed, {scripts.Count - passed} failed, {scripts.Count} scripts");
            return passed == scripts.Count ? 0 : 1;
        });
        return cmd;
    }

    private static List<string> Expand(IEnumerable<string> args)
    {
        var r = new List<string>();
        foreach (var a in args)
        {
            if (Directory.Exists(a))
            {
                r.AddRange(Directory.GetFiles(a, "*.pkt").OrderBy(p => Path.GetFileName(p), StringComparer.Ordinal));
            }
            else if (File.Exists(a))
            {
                r.Add(a);
            }
            else
            {
                throw new UsageException($"{a}: no such file or directory");
            }
        }

        return r;
    }
}
