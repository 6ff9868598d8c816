using System.Collections.Generic;
using System.Globalization;
using System.Text;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Machine;
using KernelNet.Scenarios.Output;
using KernelNet.Scenarios.Sim;

namespace KernelNet.Scenarios.Demos;

/// <summary>
/// The default scenario: hosts A and B, each with an igb-like NIC, joined by
/// a 1 Gb/s cable. B's server blocks in recvfrom; A sends "hello" (the first
/// packet waits for ARP), B wakes and echoes it, A's recvfrom wakes. Every
/// stage of the receive and send paths shows in the trace.
/// </summary>
public sealed class UdpEchoDemo : IDemo
{
    public const string DemoName = "udp-echo";

    public string Name => DemoName;

    public string Description => "UDP echo between two hosts with igb-like NICs on a cable (ARP first)";

    public string Run(DemoOptions options)
    {
        var t = new Topology();
        var a = t.AddHost("A");
        var b = t.AddHost("B");
        var (ethA, ethB, _) = t.AddIgbPair(a, "eth0", b, "eth0");
        t.AddAddress(ethA, "10.0.0.1/24");
        t.AddAddress(ethB, "10.0.0.2/24");
        foreach (var e in options.Events ?? new[] { "*:*" })
        {
            t.K.trace.set_event(e);
        }

        var log = new List<string>();
        void Say(Libc libc, string host, string what) =>
            log.Add(string.Create(CultureInfo.InvariantCulture, $"{libc.Now / 1000.0,12:F3} us  {host} {libc.Task}: {what}"));

        t.Spawn(b, "udp-server", 1, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            Say(libc, "B", $"socket() = {fd}");
            Say(libc, "B", $"bind(10.0.0.2:9000) = {await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000"))}");
            Say(libc, "B", "recvfrom() blocks");
            var r = await libc.RecvFrom(fd, 1500, 0);
            Say(libc, "B", $"recvfrom() = {r.Ret} \"{Encoding.ASCII.GetString(r.Data)}\" from {r.From}");
            Say(libc, "B", $"sendto({r.From}) = {await libc.SendTo(fd, r.Data, 0, r.From)}");
            await libc.Close(fd);
        });
        t.Spawn(a, "udp-client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            Say(libc, "A", $"socket() = {fd}");
            Say(libc, "A", $"sendto(10.0.0.2:9000, \"hello\") = {await libc.SendTo(fd, Encoding.ASCII.GetBytes("hello"), 0, SockAddrIn.Parse("10.0.0.2:9000"))}");
            Say(libc, "A", "recvfrom() blocks");
            var r = await libc.RecvFrom(fd, 1500, 0);
            Say(libc, "A", $"recvfrom() = {r.Ret} \"{Encoding.ASCII.GetString(r.Data)}\" from {r.From}");
            await libc.Close(fd);
        });

        t.Run(100_000_000);

        var report = new Report().Title($"kernelnet run {Name}: {Description}");
        report.Section("processes", string.Join('\n', log) + "\n");
        if (options.Trace)
        {
            report.Trace(t.K);
        }

        report.CpuCounters(t.K);
        foreach (var (host, dev) in new[] { (a, ethA), (b, ethB) })
        {
            report.Devices(host.Net);
            var mib = netns_ipv4.of(host.Net);
            report.Section($"{host.Name}: /proc/net/snmp", KernelNet.Kernel.Net.Ipv4.proc_c.snmp_seq_show(mib.mib, mib.devconf_all_forwarding, mib.sysctl_ip_default_ttl));
            report.Section($"{host.Name}: ethtool -S {dev.name}", Ethtool.Statistics(dev));
        }

        report.Section($"A: ethtool -g {ethA.name}", Ethtool.Rings(ethA));
        report.Section($"A: ethtool -l {ethA.name}", Ethtool.Channels(ethA));
        report.Section($"A: ethtool -i {ethA.name}", Ethtool.DriverInfo(ethA));
        report.Tasks(t.K);
        report.Section("skb ledger", string.Create(CultureInfo.InvariantCulture, $"allocated {t.K.skb_ledger.Allocated}, freed {t.K.skb_ledger.Freed}, leaked {t.K.leaked_skbs()}\n"));
        return report.ToString();
    }
}
