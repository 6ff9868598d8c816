using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using KernelNet.Scenarios.Coverage;

namespace KernelNet.Cli.Commands;

/// <summary>
/// <c>kernelnet coverage FILE|DIR...</c>: how much of the port (<c>kernel/</c>)
/// a test run exercised, per C file it ports, from coverlet's Cobertura XML
/// (a directory means every coverage.cobertura.xml below it, merged).
/// </summary>
internal static class CoverageCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "coverage.cobertura.xml files, or directories holding them", Arity = ArgumentArity.OneOrMore };
        var label = new Option<string>("--label") { Description = "Name of the total line", DefaultValueFactory = _ => "kernel/ coverage" };
        var totalOnly = new Option<bool>("--total-only") { Description = "Print only the total line" };
        var cmd = new Command("coverage", "Line and branch coverage of kernel/ per C file, from coverlet's Cobertura output") { paths, label, totalOnly };
        cmd.SetAction(parse =>
        {
            var files = parse.GetValue(paths)!.SelectMany(Expand).ToList();
            if (files.Count == 0)
            {
                throw new UsageException("no coverage.cobertura.xml found");
            }

            CoberturaReport report;
            try
            {
                report = CoberturaReport.Read(files);
            }
            catch (System.Xml.XmlException e)
            {
                throw new UsageException($"not Cobertura XML: {e.Message}");
            }

            if (!parse.GetValue(totalOnly))
            {
                Console.Out.Write(report.Table());
            }

            Console.Out.WriteLine(report.Totals(parse.GetValue(label)!));
            return 0;
        });
        return cmd;
    }

    private static string[] Expand(string path)
    {
        if (Directory.Exists(path))
        {
            return Directory.GetFiles(path, "coverage.cobertura.xml", SearchOption.AllDirectories).OrderBy(p => p, StringComparer.Ordinal).ToArray();
        }

        if (File.Exists(path))
        {
            return new[] { path };
        }

        throw new UsageException($"{path}: no such file or directory");
    }
}
