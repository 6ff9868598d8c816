using System;
using System.Collections.Generic;
using System.Globalization;

namespace KernelNet.Packetdrill.Run;

/// <summary>
/// The runner's settings: packetdrill's command-line options with the
/// ksft_runner.sh values as defaults (ipv4, local 192.168.0.1/16, gateway
/// 192.168.0.1, remote 192.0.2.1), overridden by a script's <c>--name=value</c> lines.
/// </summary>
public sealed class RunConfig
{
    public long ToleranceUsecs { get; set; } = 4000;

    public double TolerancePercent { get; set; } = 12.5;

    /// <summary>--tcp_ts_tick_usecs: 0 leaves outbound TS val unchecked.</summary>
    public long TcpTsTickUsecs { get; set; }

    /// <summary>
    /// --tcp_ts_ecr_scaled: an inbound TS ecr that no earlier outbound TS val
    /// carried is interpolated from the first one (script ecr - first script
    /// val + first live val) instead of failing the script.
    /// </summary>
    public bool TcpTsEcrScaled { get; set; }

    /// <summary>--mss: 0 unless given; when given, inbound TCP packets carry a GSO vnet header of this gso_size.</summary>
    public int Mss { get; set; }

    public int Mtu { get; set; } = 1500;

    public string IpVersion { get; set; } = "ipv4";

    public string LocalIp { get; set; } = "192.168.0.1";

    public string GatewayIp { get; set; } = "192.168.0.1";

    public int PrefixLength { get; set; } = 16;

    public string RemoteIp { get; set; } = "192.0.2.1";

    public ushort BindPort { get; set; } = 8080;

    public ushort ConnectPort { get; set; } = 8080;

    /// <summary>--strict_segments: each outbound packet must match one script line by itself (no aggregation of GSO fragments).</summary>
    public bool StrictSegments { get; set; }

    /// <summary>
    /// Applies one <c>--name[=value]</c> (a script header line or a command-line
    /// flag: the same names and meaning as packetdrill's options); returns an
    /// error for an option the runner does not model.
    /// </summary>
    public string? Apply(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        try
        {
            switch (name)
            {
                case "tolerance_usecs": ToleranceUsecs = long.Parse(value, CultureInfo.InvariantCulture); return null;
                case "tolerance_percent": TolerancePercent = double.Parse(value, CultureInfo.InvariantCulture); return null;
                case "tcp_ts_tick_usecs": TcpTsTickUsecs = long.Parse(value, CultureInfo.InvariantCulture); return null;
                case "mss": Mss = int.Parse(value, CultureInfo.InvariantCulture); return null;
                case "mtu": Mtu = int.Parse(value, CultureInfo.InvariantCulture); return null;
                case "ip_version": IpVersion = value; return IpVersion == "ipv4" ? null : $"--ip_version={value}: only ipv4 is modelled";
                case "local_ip": LocalIp = value; return null;
                case "gateway_ip": GatewayIp = value; return null;
                case "remote_ip": RemoteIp = value; return null;
                case "bind_port": BindPort = ushort.Parse(value, CultureInfo.InvariantCulture); return null;
                case "connect_port": ConnectPort = ushort.Parse(value, CultureInfo.InvariantCulture); return null;
                case "netmask_ip": PrefixLength = PrefixOf(value); return null;
                case "strict_segments": StrictSegments = true; return null;
                case "tcp_ts_ecr_scaled": TcpTsEcrScaled = true; return null;
                case "send_omit_free":
                    // packetdrill keeps send buffers alive for zerocopy; the runner's buffers are never reused.
                    return null;
                default: return $"--{name}: option not modelled by the runner";
            }
        }
        catch (FormatException)
        {
            return $"--{name}={value}: bad value";
        }
        catch (OverflowException)
        {
            return $"--{name}={value}: bad value";
        }
    }

    private static int PrefixOf(string mask)
    {
        var n = 0;
        foreach (var part in mask.Split('.'))
        {
            n += System.Numerics.BitOperations.PopCount(byte.Parse(part, CultureInfo.InvariantCulture));
        }

        return n;
    }

    public RunConfig Clone() => (RunConfig)MemberwiseClone();

    /// <summary>The options as packetdrill's defaults for the kselftests: --name=value pairs.</summary>
    public static IReadOnlyList<string> KselftestArguments { get; } = new[]
    {
        "--ip_version=ipv4", "--local_ip=192.168.0.1", "--gateway_ip=192.168.0.1", "--netmask_ip=255.255.0.0", "--remote_ip=192.0.2.1",
    };
}
