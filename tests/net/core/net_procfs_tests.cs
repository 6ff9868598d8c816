using System.Linq;
using KernelNet.Kernel.Drivers.Net.Ethernet.Intel.Igb;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Uapi.Linux;
using KernelNet.Kernel.Net.Core;
using KernelNet.Machine;
using KernelNet.Machine.Nic;
using KernelNet.Scenarios.Output;
using KernelNet.Scenarios.Sim;
using KernelNet.Tests.Support;
using Xunit;

namespace KernelNet.Tests.Net.Core;

/// <summary>
/// net/core/net-procfs.c's /proc/net/dev and /proc/net/softnet_stat, and the
/// same rtnl_link_stats64 as `ip -s -s link` prints it.
/// </summary>
public sealed class net_procfs_tests
{
    // softnet_seq_show in 6.18: 15 hex columns; the 9th (cpu_collision) is a
    // retired 0, the 12th the backlog length, the 13th the CPU's number.
    [Fact]
    public void softnet_stat_has_the_6_18_columns_with_the_cpu_number_in_the_thirteenth()
    {
        var k = new Topology().K;
        k.per_cpu(1).softnet_data.cpu_collision = 7;
        var lines = net_procfs_c.softnet_seq_show(k).TrimEnd('\n').Split('\n');

        Assert.Equal(2, lines.Length);
        Assert.All(lines, l => Assert.Equal(15, l.Split(' ').Length));
        Assert.Equal("00000000", lines[1].Split(' ')[8]);
        Assert.Equal("00000001", lines[1].Split(' ')[12]);
        Assert.Equal("00000000", lines[0].Split(' ')[12]);
    }

    // The statistics block of `ip -s -s link show lo` as iproute2 6.1 printed
    // it on this machine (6.18.44) for these counters, transns column aside.
    [Fact]
    public void ip_link_statistics_match_iproute2_layout()
    {
        var s = new rtnl_link_stats64 { rx_bytes = 188441363, rx_packets = 49175, tx_bytes = 188441363, tx_packets = 49175 };

        Assert.Equal(
            "    RX:  bytes packets errors dropped  missed   mcast           \n" +
            "     188441363   49175      0       0       0       0 \n" +
            "    TX:  bytes packets errors dropped carrier collsns           \n" +
            "     188441363   49175      0       0       0       0 \n",
            IpLink.Format(s, 1));
        Assert.Equal(
            "    RX:  bytes packets errors dropped  missed   mcast           \n" +
            "     188441363   49175      0       0       0       0 \n" +
            "    RX errors:  length    crc   frame    fifo overrun\n" +
            "                     0      0       0       0       0 \n" +
            "    TX:  bytes packets errors dropped carrier collsns           \n" +
            "     188441363   49175      0       0       0       0 \n" +
            "    TX errors: aborted   fifo  window heartbt\n" +
            "                     0      0       0       0 \n",
            IpLink.Format(s, 2));
    }

    // A value wider than its heading widens the whole column, on every line.
    [Fact]
    public void ip_link_statistics_widen_a_column_for_a_long_value()
    {
        var s = new rtnl_link_stats64 { rx_packets = 123456789012 };
        var lines = IpLink.Format(s, 1).Split('\n');

        Assert.Equal("    RX:  bytes      packets errors dropped  missed   mcast           ", lines[0]);
        Assert.Equal("             0 123456789012      0       0       0       0 ", lines[1]);
    }

    // demonstrates FIELD-5: frames the NIC could not place in a full ring are
    // dropped in hardware and counted by the driver (rx_fifo_errors from the
    // per-queue drop counters, rx_missed_errors); /proc/net/dev shows them in
    // its fifo and drop columns and `ip -s -s link` as fifo and missed.
    [Fact]
    public void ring_drops_show_in_proc_net_dev_and_ip_s_link()
    {
        var t = new Topology();
        var h = t.AddHost("H");
        var nic = new Igb82576(t.Machine, t.NextMac());
        var tap = new WireTap(t.Machine);
        _ = new Cable(t.Machine, nic, tap);
        var dev = igb_main_c.igb_probe(t.K, h.Net, nic, "eth0");
        t.Up(dev);
        t.AddAddress(dev, "10.0.0.2/24");
        var ops = (ethtool_ops)dev.ethtool_ops!;
        Assert.Equal(0, ops.set_ringparam(dev, 64, 64));

        // nothing cleans the ring while the burst arrives
        nic.wr32(Igb82576Registers.EIMC, ~0u);
        tap.Burst(Enumerable.Range(0, 100).Select(i => Frames.Udp(dev.dev_addr, new byte[] { 2, 0xaa, 0, 0, 0, 1 }, 0x0a000001, 0x0a000002, (ushort)(10000 + i), 9, new byte[18], (ushort)i)), 1_000_000);
        t.Run(10_000_000);

        var s = dev_c.dev_get_stats(dev);
        var lost = s.rx_fifo_errors + s.rx_missed_errors;
        Assert.Equal(37UL, lost);

        var line = net_procfs_c.dev_seq_show(h.Net).Split('\n').Single(l => l.TrimStart().StartsWith("eth0:", System.StringComparison.Ordinal));
        var cols = line.Split(':')[1].Split(' ', System.StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal((s.rx_dropped + s.rx_missed_errors).ToString(System.Globalization.CultureInfo.InvariantCulture), cols[3]);
        Assert.Equal(s.rx_fifo_errors.ToString(System.Globalization.CultureInfo.InvariantCulture), cols[4]);

        var ip = IpLink.Statistics(dev, 2).Split('\n');
        var rx = ip[1].Split(' ', System.StringSplitOptions.RemoveEmptyEntries);
        var rxErrors = ip[3].Split(' ', System.StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(s.rx_missed_errors.ToString(System.Globalization.CultureInfo.InvariantCulture), rx[4]);
        Assert.Equal(s.rx_fifo_errors.ToString(System.Globalization.CultureInfo.InvariantCulture), rxErrors[3]);
        Assert.Equal(lost, ulong.Parse(rx[4], System.Globalization.CultureInfo.InvariantCulture) + ulong.Parse(rxErrors[3], System.Globalization.CultureInfo.InvariantCulture));
    }

    // A frame for another host's MAC that reaches IP (a promiscuous tap) is
    // dropped as OTHERHOST and counted in rx_otherhost_dropped, which
    // `ip -s -s link` shows as an extra otherhost column.
    [Fact]
    public void an_otherhost_drop_is_counted_and_shown_by_ip_s_s_link()
    {
        var s = new rtnl_link_stats64 { rx_otherhost_dropped = 3 };
        var lines = IpLink.Format(s, 2).Split('\n');

        Assert.Equal("    RX errors:  length    crc   frame    fifo overrun otherhost", lines[2]);
        Assert.EndsWith("      0         3 ", lines[3], System.StringComparison.Ordinal);
        Assert.DoesNotContain("otherhost", IpLink.Format(s, 1), System.StringComparison.Ordinal);
    }
}
