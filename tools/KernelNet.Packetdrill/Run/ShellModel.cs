using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.Linux;
using KernelNet.Kernel.Net.Ipv4;
using KernelNet.Kernel.Net.Sched;

namespace KernelNet.Packetdrill.Run;

/// <summary>What one shell command did: its exit status, or why the runner cannot model it.</summary>
public readonly record struct ShellOutcome(int Status, string? NotModelled)
{
    public static ShellOutcome Ok { get; } = new(0, null);

    public static ShellOutcome Failed(int status) => new(status, null);

    public static ShellOutcome Unmodelled(string why) => new(-1, why);
}

/// <summary>
/// The backtick commands of the kernel selftests, applied to the simulated
/// namespace instead of a shell: <c>./defaults.sh</c> (read from the script's
/// directory, line by line), <c>./set_sysctls.py</c> and its restore script,
/// <c>sysctl -q</c>, <c>tc qdisc</c> on tun0, <c>ip tcp_metrics flush</c>,
/// <c>ethtool -K tun0</c> and <c>nstat</c> (discarded or piped to grep). A shell script's
/// status is its last command's, as bash gives it.
/// </summary>
public sealed partial class ShellModel
{
    private readonly net _net;
    private readonly net_device _tun;
    private readonly string _scriptDirectory;
    private readonly List<(string Key, string Value)> _restore = new();
    private Dictionary<string, long>? _nstatHistory;

    public ShellModel(net net, net_device tun, string scriptDirectory)
    {
        _net = net;
        _tun = tun;
        _scriptDirectory = scriptDirectory;
    }

    /// <summary>Sysctl writes the port has no reader for (stored here, and listed): key -> value.</summary>
    public SortedDictionary<string, string> Unread { get; } = new(StringComparer.Ordinal);

    /// <summary>Runs a backtick command's text.</summary>
    public ShellOutcome Run(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var status = ShellOutcome.Ok;
        foreach (var raw in SplitCommands(text))
        {
            status = RunOne(raw);
            if (status.NotModelled is not null)
            {
                return status;
            }
        }

        return status;
    }

    private static IEnumerable<string> SplitCommands(string text)
    {
        var joined = text.Replace("\\\n", " ", StringComparison.Ordinal);
        foreach (var line in joined.Split('\n'))
        {
            var l = StripComment(line).Trim();
            if (l.Length == 0)
            {
                continue;
            }

            foreach (var part in l.Split(';'))
            {
                if (part.Trim().Length > 0)
                {
                    yield return part.Trim();
                }
            }
        }
    }

    /// <summary>A shell comment: '#' at the start of a word, outside quotes, to the end of the line.</summary>
    private static string StripComment(string line)
    {
        char quote = '\0';
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quote != '\0')
            {
                quote = ch == quote ? '\0' : quote;
            }
            else if (ch is '"' or '\'')
            {
                quote = ch;
            }
            else if (ch == '#' && (i == 0 || char.IsWhiteSpace(line[i - 1])))
            {
                return line[..i];
            }
        }

        return line;
    }

    private ShellOutcome RunOne(string command)
    {
        // Output redirections change nothing the runner models.
        var c = Redirection().Replace(command, " ").Trim();
        c = Arithmetic().Replace(c, m => Evaluate(m.Groups[1].Value).ToString(CultureInfo.InvariantCulture));
        var words = Words(c);
        if (words.Count == 0)
        {
            return ShellOutcome.Ok;
        }

        if (words[0] == "grep" || (words[0] == "nstat" && c.Contains('|', StringComparison.Ordinal)))
        {
            return GrepPipeline(c, command);
        }

        // A helper named by a path (./defaults.sh, ../common/defaults.sh, /abs/x.sh): found from the script's
        // directory, as the shell finds it from packetdrill's working directory. A shell script's lines run through
        // this model; set_sysctls.py is modelled by what it does.
        if (words[0].Contains('/', StringComparison.Ordinal) && !words[0].StartsWith("/tmp/sysctl_restore_", StringComparison.Ordinal))
        {
            if (Path.GetFileName(words[0]) == "set_sysctls.py")
            {
                return SetSysctls(words.Skip(1));
            }

            if (words[0].EndsWith(".sh", StringComparison.Ordinal))
            {
                return RunScriptFile(words[0]);
            }
        }

        switch (words[0])
        {
            case "sysctl":
                return Sysctl(words.Skip(1).ToList());
            case "tc":
                return Tc(words.Skip(1).ToList());
            case "ip" when words.Count >= 3 && words[1] == "tcp_metrics" && words[2] == "flush":
                // The Fast Open cookie cache is all the port's tcp_metrics holds.
                KernelNet.Kernel.Net.Ipv4.tcp_metrics_c.tcp_metrics_flush_all(_net);
                return ShellOutcome.Ok;
            case "ethtool":
                return Ethtool(words.Skip(1).ToList());
            case "/bin/rm" or "rm":
                return Rm(words.Skip(1).ToList(), command);
            case "/bin/dd" or "dd":
                return Dd(words.Skip(1).ToList(), command);
            case "nstat" when words.Count == 1 && !command.Contains('|', StringComparison.Ordinal):
                // Its output goes nowhere the runner models; its history file moves on.
                Nstat();
                return ShellOutcome.Ok;
            default:
                if (words[0].StartsWith("/tmp/sysctl_restore_", StringComparison.Ordinal))
                {
                    foreach (var (k, v) in Enumerable.Reverse(_restore))
                    {
                        WriteSysctl(k, v);
                    }

                    _restore.Clear();
                    return ShellOutcome.Ok;
                }

                return ShellOutcome.Unmodelled($"command not modelled: {command}");
        }
    }

    /// <summary>
    /// <c>rm [-f] PATH...</c> on the simulated tmpfs, as rm does it: unlink(2)
    /// of each path; a missing one fails unless -f.
    /// </summary>
    private ShellOutcome Rm(List<string> args, string command)
    {
        var force = false;
        var status = ShellOutcome.Ok;
        foreach (var a in args)
        {
            if (a.StartsWith('-'))
            {
                if (a.Trim('-').Any(ch => ch != 'f'))
                {
                    return ShellOutcome.Unmodelled($"command not modelled: {command}");
                }

                force = true;
                continue;
            }

            var r = Unlink(a);
            if (r < 0 && !(force && r == -KernelNet.Kernel.Include.Uapi.AsmGeneric.errno_base_h.ENOENT))
            {
                status = ShellOutcome.Failed(1);
            }
        }

        return status;
    }

    private long Unlink(string path)
    {
        var k = _net.k;
        var names = k.globals<KernelNet.Kernel.Mm.shmem_globals>().names;
        if (!names.TryGetValue(path, out var inode))
        {
            return -KernelNet.Kernel.Include.Uapi.AsmGeneric.errno_base_h.ENOENT;
        }

        return KernelNet.Kernel.Mm.shmem_c.shmem_unlink(k, path, inode);
    }

    /// <summary>
    /// <c>dd bs=N count=M if=/dev/zero of=PATH [status=none]</c> on the
    /// simulated tmpfs, as dd does it: open(O_WRONLY|O_CREAT|O_TRUNC), M
    /// write(2)s of N zero bytes, close. Other inputs are not modelled.
    /// </summary>
    private ShellOutcome Dd(List<string> args, string command)
    {
        long bs = 512, count = -1;
        string? input = null, output = null;
        foreach (var a in args)
        {
            var eq = a.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                return ShellOutcome.Unmodelled($"command not modelled: {command}");
            }

            var (key, value) = (a[..eq], a[(eq + 1)..]);
            switch (key)
            {
                case "bs" when long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var b) && b > 0 && b <= 1 << 20:
                    bs = b;
                    break;
                case "count" when long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var c) && c <= 1 << 20:
                    count = c;
                    break;
                case "if":
                    input = value;
                    break;
                case "of":
                    output = value;
                    break;
                case "status":
                    break;
                default:
                    return ShellOutcome.Unmodelled($"command not modelled: {command}");
            }
        }

        if (input != "/dev/zero" || output is null || count < 0)
        {
            return ShellOutcome.Unmodelled($"command not modelled: {command} (only if=/dev/zero with count= and of=)");
        }

        var k = _net.k;
        var task = k.current;
        var fd = KernelNet.Kernel.Fs.open_c.do_sys_open(k, task, output, KernelNet.Kernel.Include.Linux.fs_h.O_WRONLY | KernelNet.Kernel.Include.Linux.fs_h.O_CREAT | KernelNet.Kernel.Include.Linux.fs_h.O_TRUNC, 0x1a4);
        if (fd < 0)
        {
            return ShellOutcome.Failed(1);
        }

        var zeros = new byte[bs];
        var status = ShellOutcome.Ok;
        for (var i = 0; i < count; i++)
        {
            var w = KernelNet.Kernel.Fs.read_write_c.ksys_write(k, task, fd, zeros, (int)bs);
            if (!w.IsCompleted)
            {
                return ShellOutcome.Unmodelled($"command not modelled: {command} (the write would sleep)");
            }

            if (w.Result != bs)
            {
                status = ShellOutcome.Failed(1);
                break;
            }
        }

        if (KernelNet.Kernel.Fs.file_c.file_close_fd(task, fd) is KernelNet.Kernel.Include.Linux.@file f)
        {
            KernelNet.Kernel.Fs.open_c.filp_close(k, f);
        }

        return status;
    }

    /// <summary>
    /// <c>grep PATTERN FILE... | grep PATTERN ...</c> over the /proc files the
    /// port renders (/proc/net/tcp from tcp4_seq_show; /proc/net/tcp6 only its
    /// header, as the port has no IPv6 sockets). Fixed-string patterns only;
    /// with several files each line is prefixed by its file name, as grep does.
    /// The status is the last grep's: 0 when it printed a line, else 1.
    /// </summary>
    private ShellOutcome GrepPipeline(string c, string command)
    {
        List<string>? lines = null;
        foreach (var stage in SplitPipeline(c))
        {
            var w = Words(stage);
            if (lines is null && w.Count == 1 && w[0] == "nstat")
            {
                lines = Nstat();
                continue;
            }

            if (w.Count < 2 || w[0] != "grep" || w.Skip(1).Any(x => x.StartsWith('-')) || w[1].IndexOfAny(RegexMeta) >= 0)
            {
                return ShellOutcome.Unmodelled($"command not modelled: {command}");
            }

            var pattern = w[1];
            var files = w.Skip(2).ToList();
            List<string> input;
            if (lines is null)
            {
                if (files.Count == 0)
                {
                    return ShellOutcome.Unmodelled($"command not modelled: {command}");
                }

                input = new List<string>();
                foreach (var f in files)
                {
                    var text = ProcFile(f);
                    if (text is null)
                    {
                        return ShellOutcome.Unmodelled($"command not modelled (file {f}): {command}");
                    }

                    input.AddRange(text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => files.Count > 1 ? f + ":" + l : l));
                }
            }
            else if (files.Count == 0)
            {
                input = lines;
            }
            else
            {
                return ShellOutcome.Unmodelled($"command not modelled: {command}");
            }

            lines = input.Where(l => l.Contains(pattern, StringComparison.Ordinal)).ToList();
        }

        return lines is { Count: > 0 } ? ShellOutcome.Ok : ShellOutcome.Failed(1);
    }

    /// <summary>
    /// <c>nstat</c> without options: the SNMP counters of /proc/net/snmp and
    /// /proc/net/netstat (named as nstat names them, <c>TcpExtOutOfWindowIcmps</c>)
    /// that changed since its last run, as <c>NAME VALUE RATE</c> lines; the
    /// first run, without a history, shows every non-zero counter. The
    /// history moves on to now either way. The rate column is 0.0: it is a
    /// wall-clock average the runner has no use for.
    /// </summary>
    private List<string> Nstat()
    {
        var ipv4 = netns_ipv4.of(_net);
        var now = new List<(string Name, long Value)>();
        foreach (var text in new[] { proc_c.snmp_seq_show(ipv4.mib, ipv4.devconf_all_forwarding, ipv4.sysctl_ip_default_ttl), proc_c.netstat_seq_show(ipv4.mib) })
        {
            var rows = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            for (var i = 0; i + 1 < rows.Length; i += 2)
            {
                var names = rows[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var values = rows[i + 1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var prefix = names[0].TrimEnd(':');
                for (var j = 1; j < names.Length && j < values.Length; j++)
                {
                    if (long.TryParse(values[j], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
                    {
                        now.Add((prefix + names[j], v));
                    }
                }
            }
        }

        var output = new List<string>();
        foreach (var (name, value) in now)
        {
            var delta = _nstatHistory is not null && _nstatHistory.TryGetValue(name, out var old) ? value - old : value;
            if (delta != 0)
            {
                output.Add(string.Create(CultureInfo.InvariantCulture, $"{name,-32}{delta,-19} 0.0"));
            }
        }

        _nstatHistory = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (name, value) in now)
        {
            _nstatHistory[name] = value;
        }

        return output;
    }

    private static readonly char[] RegexMeta = { '^', '$', '[', ']', '*', '.', '\\' };

    /// <summary>The stages of a pipeline: '|' outside quotes separates.</summary>
    private static List<string> SplitPipeline(string c)
    {
        var r = new List<string>();
        var cur = new System.Text.StringBuilder();
        char quote = '\0';
        foreach (var ch in c)
        {
            if (quote != '\0')
            {
                quote = ch == quote ? '\0' : quote;
            }
            else if (ch is '"' or '\'')
            {
                quote = ch;
            }
            else if (ch == '|')
            {
                r.Add(cur.ToString());
                cur.Clear();
                continue;
            }

            cur.Append(ch);
        }

        r.Add(cur.ToString());
        return r;
    }

    /// <summary>The text of a /proc file the port renders, or null.</summary>
    private string? ProcFile(string path) => path switch
    {
        "/proc/net/tcp" => tcp_ipv4_c.tcp4_seq_show(_net),
        "/proc/net/tcp6" => "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n",
        _ => null,
    };

    private ShellOutcome RunScriptFile(string name)
    {
        var path = Path.Combine(_scriptDirectory, name);
        if (!File.Exists(path))
        {
            return ShellOutcome.Unmodelled($"{name}: not found from the script's directory ({path})");
        }

        var status = ShellOutcome.Ok;
        foreach (var line in SplitCommands(File.ReadAllText(path)))
        {
            status = RunOne(line);
            if (status.NotModelled is not null)
            {
                return ShellOutcome.Unmodelled($"{name}: {status.NotModelled}");
            }
        }

        return status;
    }

    private ShellOutcome SetSysctls(IEnumerable<string> args)
    {
        foreach (var a in args)
        {
            var eq = a.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0 || !a.StartsWith("/proc/sys/", StringComparison.Ordinal))
            {
                return ShellOutcome.Unmodelled($"set_sysctls.py argument not modelled: {a}");
            }

            var key = a[10..eq].Replace('/', '.');
            var old = ReadSysctl(key);
            if (old is null)
            {
                // The python helper dies on a missing /proc file.
                return ShellOutcome.Failed(1);
            }

            _restore.Add((key, old));
            WriteSysctl(key, a[(eq + 1)..]);
        }

        return ShellOutcome.Ok;
    }

    private ShellOutcome Sysctl(List<string> args)
    {
        var status = ShellOutcome.Ok;
        foreach (var a in args)
        {
            if (a.StartsWith('-'))
            {
                continue;
            }

            var eq = a.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                return ShellOutcome.Unmodelled($"sysctl read not modelled: {a}");
            }

            if (!WriteSysctl(a[..eq], a[(eq + 1)..].Trim('"')))
            {
                // sysctl reports an unknown key and goes on with the next; the shell sees a failure.
                status = ShellOutcome.Failed(255);
            }
        }

        return status;
    }

    /// <summary>The 6.18 per-namespace TCP sysctls the selftests write that the port has no field for, with their defaults (a fresh namespace).</summary>
    private static readonly Dictionary<string, string> UnreadDefaults = new(StringComparer.Ordinal)
    {
        ["net.ipv4.tcp_synack_retries"] = "5",
        ["net.ipv4.tcp_frto"] = "2",
        ["net.ipv4.tcp_dsack"] = "1",
        ["net.ipv4.tcp_fack"] = "0",
        ["net.ipv4.tcp_reordering"] = "3",
        ["net.ipv4.tcp_slow_start_after_idle"] = "1",
        ["net.ipv4.tcp_early_retrans"] = "3",
        ["net.ipv4.tcp_recovery"] = "1",
        ["net.ipv4.tcp_ecn"] = "2",
        ["net.ipv4.tcp_notsent_lowat"] = "4294967295",
        ["net.ipv4.tcp_syncookies"] = "1",
    };

    /// <summary>The current value of a sysctl, or null when 6.18 has no such key (as far as the runner knows).</summary>
    public string? ReadSysctl(string key)
    {
        var ipv4 = netns_ipv4.of(_net);
        switch (key)
        {
            case "net.ipv4.tcp_rmem": return string.Join('\t', ipv4.sysctl_tcp_rmem);
            case "net.ipv4.tcp_wmem": return string.Join('\t', ipv4.sysctl_tcp_wmem);
            case "net.ipv4.tcp_timestamps": return ipv4.sysctl_tcp_timestamps.ToString(CultureInfo.InvariantCulture);
            case "net.ipv4.tcp_sack": return ipv4.sysctl_tcp_sack ? "1" : "0";
            case "net.ipv4.tcp_ecn": return ipv4.sysctl_tcp_ecn.ToString(CultureInfo.InvariantCulture);
            case "net.ipv4.tcp_window_scaling": return ipv4.sysctl_tcp_window_scaling ? "1" : "0";
            case "net.ipv4.tcp_syn_retries": return ipv4.sysctl_tcp_syn_retries.ToString(CultureInfo.InvariantCulture);
            case "net.ipv4.tcp_tso_win_divisor": return ipv4.sysctl_tcp_tso_win_divisor.ToString(CultureInfo.InvariantCulture);
            case "net.ipv4.tcp_min_tso_segs": return ipv4.sysctl_tcp_min_tso_segs.ToString(CultureInfo.InvariantCulture);
            case "net.ipv4.tcp_tso_rtt_log": return ipv4.sysctl_tcp_tso_rtt_log.ToString(CultureInfo.InvariantCulture);
            case "net.ipv4.tcp_pacing_ss_ratio": return ipv4.sysctl_tcp_pacing_ss_ratio.ToString(CultureInfo.InvariantCulture);
            case "net.ipv4.tcp_pacing_ca_ratio": return ipv4.sysctl_tcp_pacing_ca_ratio.ToString(CultureInfo.InvariantCulture);
            case "net.ipv4.tcp_autocorking": return ipv4.sysctl_tcp_autocorking ? "1" : "0";
            case "net.ipv4.tcp_limit_output_bytes": return ipv4.sysctl_tcp_limit_output_bytes.ToString(CultureInfo.InvariantCulture);
            case "net.ipv4.tcp_congestion_control": return (ipv4.tcp_congestion_control as tcp_congestion_ops)?.name ?? "cubic";
            case "net.ipv4.tcp_fastopen": return ipv4.sysctl_tcp_fastopen.ToString(CultureInfo.InvariantCulture);
            case "net.ipv4.tcp_fastopen_blackhole_timeout_sec": return ipv4.sysctl_tcp_fastopen_blackhole_timeout.ToString(CultureInfo.InvariantCulture);
            case "net.ipv4.tcp_fastopen_key": return KernelNet.Kernel.Net.Ipv4.sysctl_net_ipv4_c.proc_tcp_fastopen_key(_net, false, null).Value;
        }

        if (key.StartsWith("net.core.", StringComparison.Ordinal) && _net.core_sysctl.TryGetValue(key[9..], out var v))
        {
            return v.ToString(CultureInfo.InvariantCulture);
        }

        if (Unread.TryGetValue(key, out var s))
        {
            return s;
        }

        return UnreadDefaults.TryGetValue(key, out var d) ? d : null;
    }

    /// <summary>Writes a sysctl into the namespace; false for a key 6.18 does not have (or a value it refuses).</summary>
    public bool WriteSysctl(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        var ipv4 = netns_ipv4.of(_net);
        try
        {
            switch (key)
            {
                case "net.ipv4.tcp_rmem":
                case "net.ipv4.tcp_wmem":
                    var parts = value.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length != 3)
                    {
                        return false;
                    }

                    var target = key.EndsWith("rmem", StringComparison.Ordinal) ? ipv4.sysctl_tcp_rmem : ipv4.sysctl_tcp_wmem;
                    for (var i = 0; i < 3; i++)
                    {
                        target[i] = int.Parse(parts[i], CultureInfo.InvariantCulture);
                    }

                    return true;
                case "net.ipv4.tcp_timestamps": ipv4.sysctl_tcp_timestamps = ParseInt(value); return true;
                case "net.ipv4.tcp_sack": ipv4.sysctl_tcp_sack = ParseInt(value) != 0; return true;
                case "net.ipv4.tcp_ecn": ipv4.sysctl_tcp_ecn = ParseInt(value); return true;
                case "net.ipv4.tcp_window_scaling": ipv4.sysctl_tcp_window_scaling = ParseInt(value) != 0; return true;
                case "net.ipv4.tcp_syn_retries": ipv4.sysctl_tcp_syn_retries = ParseInt(value); return true;
                case "net.ipv4.tcp_tso_win_divisor": ipv4.sysctl_tcp_tso_win_divisor = ParseInt(value); return true;
                case "net.ipv4.tcp_min_tso_segs": ipv4.sysctl_tcp_min_tso_segs = ParseInt(value); return true;
                case "net.ipv4.tcp_tso_rtt_log": ipv4.sysctl_tcp_tso_rtt_log = ParseInt(value); return true;
                case "net.ipv4.tcp_pacing_ss_ratio": ipv4.sysctl_tcp_pacing_ss_ratio = ParseInt(value); return true;
                case "net.ipv4.tcp_pacing_ca_ratio": ipv4.sysctl_tcp_pacing_ca_ratio = ParseInt(value); return true;
                case "net.ipv4.tcp_autocorking": ipv4.sysctl_tcp_autocorking = ParseInt(value) != 0; return true;
                case "net.ipv4.tcp_limit_output_bytes": ipv4.sysctl_tcp_limit_output_bytes = ParseInt(value); return true;
                case "net.ipv4.tcp_congestion_control":
                    return tcp_cong_c.tcp_set_default_congestion_control(_net, value) == 0;
                case "net.ipv4.tcp_fastopen": ipv4.sysctl_tcp_fastopen = ParseInt(value); return true;
                case "net.ipv4.tcp_fastopen_blackhole_timeout_sec": ipv4.sysctl_tcp_fastopen_blackhole_timeout = ParseInt(value); return true;
                case "net.ipv4.tcp_fastopen_key":
                    return KernelNet.Kernel.Net.Ipv4.sysctl_net_ipv4_c.proc_tcp_fastopen_key(_net, true, value).Err == 0;
            }

            if (key.StartsWith("net.core.", StringComparison.Ordinal) && _net.core_sysctl.ContainsKey(key[9..]))
            {
                _net.core_sysctl[key[9..]] = ParseInt(value);
                return true;
            }

            if (UnreadDefaults.ContainsKey(key))
            {
                Unread[key] = value;
                return true;
            }

            return false;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static int ParseInt(string v) =>
        v.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? int.Parse(v[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : int.Parse(v, CultureInfo.InvariantCulture);

    private ShellOutcome Tc(List<string> a)
    {
        // tc qdisc add|replace|delete dev tun0 root [KIND [limit N]], as tc sends RTM_NEWQDISC / RTM_DELQDISC
        // for the root and the kernel's tc_modify_qdisc / tc_get_qdisc answer.
        if (a.Count >= 5 && a[0] == "qdisc" && a[2] == "dev" && a[3] == _tun.name && a[4] == "root")
        {
            var verb = a[1];
            var root = _tun.qdisc;
            if (verb is "delete" or "del" && a.Count == 5)
            {
                // tc_get_qdisc: the default qdisc has handle 0 and cannot be deleted (ENOENT, tc exits 2).
                if (root is null || root.handle == 0)
                {
                    return ShellOutcome.Failed(2);
                }

                return sch_api_c.qdisc_graft(_tun, null, null, root) == 0 ? ShellOutcome.Ok : ShellOutcome.Failed(2);
            }

            if (verb is "add" or "replace" && a.Count >= 6 && (a.Count == 6 || (a.Count == 8 && a[6] == "limit")))
            {
                var ops = sch_api_c.qdisc_lookup_ops(a[5]);
                if (ops is null)
                {
                    return ShellOutcome.Unmodelled("command not modelled: tc " + string.Join(' ', a));
                }

                tc_fifo_qopt? opt = null;
                if (a.Count == 8)
                {
                    if (!uint.TryParse(a[7], NumberStyles.None, CultureInfo.InvariantCulture, out var limit))
                    {
                        return ShellOutcome.Failed(1); // tc: "Illegal "limit""
                    }

                    opt = new tc_fifo_qopt { limit = limit };
                }

                // tc_modify_qdisc: "add" (NLM_F_EXCL) onto a root that tc created fails with EEXIST; the default
                // (handle 0) is replaced.
                if (verb == "add" && root is not null && root.handle != 0)
                {
                    return ShellOutcome.Failed(2);
                }

                var q = sch_api_c.qdisc_create(_tun, _tun._txq[0], ops, opt, out var err);
                if (q is null || err != 0)
                {
                    return ShellOutcome.Failed(2);
                }

                return sch_api_c.qdisc_graft(_tun, null, q, root) == 0 ? ShellOutcome.Ok : ShellOutcome.Failed(2);
            }
        }

        return ShellOutcome.Unmodelled("command not modelled: tc " + string.Join(' ', a));
    }

    private ShellOutcome Ethtool(List<string> a)
    {
        if (a.Count < 2 || a[0] != "-K" || a[1] != _tun.name || a.Count % 2 != 0)
        {
            return ShellOutcome.Unmodelled("command not modelled: ethtool " + string.Join(' ', a));
        }

        for (var i = 2; i + 1 < a.Count; i += 2)
        {
            ulong bit = a[i] switch
            {
                "tso" => netdev_features_h.NETIF_F_TSO | netdev_features_h.NETIF_F_TSO6 | netdev_features_h.NETIF_F_TSO_ECN,
                "gso" => netdev_features_h.NETIF_F_GSO,
                "gro" => netdev_features_h.NETIF_F_GRO,
                "sg" => netdev_features_h.NETIF_F_SG,
                "tx" => netdev_features_h.NETIF_F_HW_CSUM,
                _ => 0,
            };
            if (bit == 0)
            {
                return ShellOutcome.Unmodelled($"ethtool feature not modelled: {a[i]}");
            }

            _tun.features = a[i + 1] == "off" ? _tun.features & ~bit : _tun.features | bit;
        }

        return ShellOutcome.Ok;
    }

    private static List<string> Words(string c)
    {
        // Shell words: whitespace separates, double or single quotes group (and are dropped).
        var r = new List<string>();
        var cur = new System.Text.StringBuilder();
        var inWord = false;
        char quote = '\0';
        foreach (var ch in c)
        {
            if (quote != '\0')
            {
                if (ch == quote)
                {
                    quote = '\0';
                }
                else
                {
                    cur.Append(ch);
                }
            }
            else if (ch is '"' or '\'')
            {
                quote = ch;
                inWord = true;
            }
            else if (char.IsWhiteSpace(ch))
            {
                if (inWord)
                {
                    r.Add(cur.ToString());
                    cur.Clear();
                    inWord = false;
                }
            }
            else
            {
                cur.Append(ch);
                inWord = true;
            }
        }

        if (inWord)
        {
            r.Add(cur.ToString());
        }

        return r;
    }

    private static long Evaluate(string expr)
    {
        // $((a*b*c)) with integers and * + - only, left to right with * first.
        long sum = 0;
        foreach (var term in expr.Replace(" ", string.Empty, StringComparison.Ordinal).Split('+'))
        {
            long product = 1;
            foreach (var f in term.Split('*'))
            {
                product *= long.Parse(f, CultureInfo.InvariantCulture);
            }

            sum += product;
        }

        return sum;
    }

    [GeneratedRegex(@"\d?>\s*/dev/null(\s+2>&1)?|2>&1")]
    private static partial Regex Redirection();

    [GeneratedRegex(@"\$\(\(([^)]*)\)\)")]
    private static partial Regex Arithmetic();
}
