using System.Globalization;
using System.Text;
using KernelNet.Kernel.Include.Linux;

namespace KernelNet.Scenarios.Output;

/// <summary>Renders what the ethtool command prints for a device, from the driver's ethtool_ops.</summary>
public static class Ethtool
{
    private static ethtool_ops Ops(net_device dev) =>
        dev.ethtool_ops as ethtool_ops ?? throw new System.InvalidOperationException($"{dev.name}: driver has no ethtool ops");

    /// <summary>`ethtool -S DEV`.</summary>
    public static string Statistics(net_device dev)
    {
        var sb = new StringBuilder("NIC statistics:\n");
        foreach (var (name, value) in Ops(dev).get_ethtool_stats(dev))
        {
            sb.Append(string.Create(CultureInfo.InvariantCulture, $"     {name}: {value}\n"));
        }

        return sb.ToString();
    }

    /// <summary>`ethtool -g DEV`.</summary>
    public static string Rings(net_device dev)
    {
        var r = Ops(dev).get_ringparam(dev);
        return string.Create(CultureInfo.InvariantCulture,
            $"Ring parameters for {dev.name}:\nPre-set maximums:\nRX:\t\t\t{r.rx_max_pending}\nRX Mini:\t\tn/a\nRX Jumbo:\t\tn/a\nTX:\t\t\t{r.tx_max_pending}\nCurrent hardware settings:\nRX:\t\t\t{r.rx_pending}\nRX Mini:\t\tn/a\nRX Jumbo:\t\tn/a\nTX:\t\t\t{r.tx_pending}\n");
    }

    /// <summary>`ethtool -l DEV`.</summary>
    public static string Channels(net_device dev)
    {
        var c = Ops(dev).get_channels(dev);
        return string.Create(CultureInfo.InvariantCulture,
            $"Channel parameters for {dev.name}:\nPre-set maximums:\nRX:\t\tn/a\nTX:\t\tn/a\nOther:\t\t1\nCombined:\t{c.max_combined}\nCurrent hardware settings:\nRX:\t\tn/a\nTX:\t\tn/a\nOther:\t\t1\nCombined:\t{c.combined_count}\n");
    }

    /// <summary>`ethtool -i DEV`.</summary>
    public static string DriverInfo(net_device dev)
    {
        var i = Ops(dev).get_drvinfo(dev);
        return $"driver: {i.driver}\nversion: {i.version}\nfirmware-version: {i.fw_version}\nbus-info: {i.bus_info}\n";
    }
}
