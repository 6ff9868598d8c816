using System.Diagnostics;
using System.Linq;

namespace KernelNet.Scenarios.Oracle;

/// <summary>Runs ip/nft/sysctl/uname with a bounded wait; a failure is one line naming the command.</summary>
internal static class Shell
{
    private const int LimitMs = 15_000;

    public static string Run(string file, string[] args, string? stdin = null, bool check = true)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var p = Process.Start(info) ?? throw new RecorderException($"cannot start {file}");
        if (stdin is not null)
        {
            p.StandardInput.Write(stdin);
            p.StandardInput.Close();
        }

        var stdoutTask = p.StandardOutput.ReadToEndAsync();
        var stderrTask = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(LimitMs))
        {
            p.Kill(entireProcessTree: true);
            throw new RecorderException($"{file} {string.Join(' ', args)}: did not finish in {LimitMs / 1000} s");
        }

        var stdout = stdoutTask.GetAwaiter().GetResult();
        var stderr = stderrTask.GetAwaiter().GetResult();
        if (check && p.ExitCode != 0)
        {
            var why = stderr.Split('\n').FirstOrDefault(l => l.Length > 0) ?? $"exit code {p.ExitCode}";
            throw new RecorderException($"{file} {string.Join(' ', args)}: {why.Trim()}");
        }

        return stdout;
    }
}
