using System.IO;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Packetdrill.Run;
using Xunit;

namespace KernelNet.Tests.Packetdrill;

/// <summary>The backtick commands, applied to the simulated namespace.</summary>
public sealed class ShellModelTests
{
    private static (SimulatedHost Host, ShellModel Shell) Make(string? defaults = null)
    {
        var dir = Path.Combine(Path.GetTempPath(), "kn-pd-shell-" + System.Environment.ProcessId + "-" + (defaults?.Length ?? 0));
        Directory.CreateDirectory(dir);
        if (defaults is not null)
        {
            File.WriteAllText(Path.Combine(dir, "defaults.sh"), defaults);
        }

        var h = new SimulatedHost(new RunConfig());
        return (h, new ShellModel(h.Host.Net, h.Tun, dir));
    }

    [Fact]
    public void defaults_sh_is_read_next_to_the_script_and_its_sysctls_land_in_the_namespace()
    {
        var (h, shell) = Make("#!/bin/bash\n# comment\nip tcp_metrics flush all > /dev/null 2>&1\nsysctl -q net.ipv4.tcp_rmem=\"4096 540000 $((15*1024*1024))\"\nsysctl -q net.ipv4.tcp_wmem=\"4096 $((256*1024)) 4194304\"\nsysctl -q net.ipv4.tcp_timestamps=0\nsysctl -q net.ipv4.tcp_early_retrans=4 net.ipv4.tcp_recovery=1\ntc qdisc add dev tun0 root pfifo\n");

        var outcome = shell.Run("./defaults.sh\n");

        var ipv4 = netns_ipv4.of(h.Host.Net);
        Assert.Equal(ShellOutcome.Ok, outcome);
        Assert.Equal(new[] { 4096, 540000, 15 * 1024 * 1024 }, ipv4.sysctl_tcp_rmem);
        Assert.Equal(256 * 1024, ipv4.sysctl_tcp_wmem[1]);
        Assert.Equal(0, ipv4.sysctl_tcp_timestamps);
        Assert.Equal("4", shell.Unread["net.ipv4.tcp_early_retrans"]);
    }

    [Fact]
    public void A_script_status_is_its_last_commands_and_an_unknown_sysctl_fails_as_sysctl_does()
    {
        var (_, shell) = Make();

        Assert.Equal(255, shell.Run("sysctl -q net.ipv4.no_such_thing=1").Status);
        Assert.Equal(0, shell.Run("sysctl -q net.ipv4.no_such_thing=1; sysctl -q net.ipv4.tcp_sack=1").Status);
    }

    [Fact]
    public void set_sysctls_py_writes_proc_sys_and_the_restore_script_puts_the_old_value_back()
    {
        var (h, shell) = Make();
        var ipv4 = netns_ipv4.of(h.Host.Net);

        Assert.Equal(0, shell.Run("./set_sysctls.py /proc/sys/net/ipv4/tcp_timestamps=0").Status);
        Assert.Equal(0, ipv4.sysctl_tcp_timestamps);
        Assert.Equal(0, shell.Run("/tmp/sysctl_restore_${PPID}.sh").Status);
        Assert.Equal(1, ipv4.sysctl_tcp_timestamps);
    }

    [Theory]
    [InlineData("/bin/cp /tmp/a /tmp/b", "command not modelled: /bin/cp /tmp/a /tmp/b")]
    [InlineData("tc qdisc replace dev tun0 root fq", "command not modelled: tc qdisc replace dev tun0 root fq")]
    public void A_command_the_runner_cannot_model_names_itself(string command, string why)
    {
        var (_, shell) = Make();

        Assert.Equal(why, shell.Run(command).NotModelled);
    }

    [Fact]
    public void tc_qdisc_add_root_pfifo_limit_0_grafts_a_pfifo_and_delete_brings_back_pfifo_fast()
    {
        var (h, shell) = Make();

        Assert.Equal(0, shell.Run("tc qdisc delete dev tun0 root 2>/dev/null ; tc qdisc add dev tun0 root pfifo limit 0").Status);
        Assert.Equal("pfifo", h.Tun.qdisc!.ops.id);
        Assert.Equal(0U, h.Tun.qdisc.limit);
        Assert.Same(h.Tun.qdisc, h.Tun._txq[0].qdisc);
        Assert.Equal(2, shell.Run("tc qdisc add dev tun0 root pfifo").Status); // EEXIST: the root is tc's own now

        Assert.Equal(0, shell.Run("tc qdisc delete dev tun0 root").Status);
        Assert.Equal("pfifo_fast", h.Tun.qdisc!.ops.id);
        Assert.Equal(2, shell.Run("tc qdisc delete dev tun0 root").Status); // the default cannot be deleted
    }

    [Fact]
    public void ethtool_K_switches_tun0s_offloads()
    {
        var (h, shell) = Make();

        Assert.Equal(0, shell.Run("ethtool -K tun0 tso off gso off").Status);

        Assert.Equal(0UL, h.Tun.features & (KernelNet.Kernel.Include.Linux.netdev_features_h.NETIF_F_TSO | KernelNet.Kernel.Include.Linux.netdev_features_h.NETIF_F_GSO));
        Assert.NotEqual(0UL, h.Tun.features & KernelNet.Kernel.Include.Linux.netdev_features_h.NETIF_F_SG);
    }
}
