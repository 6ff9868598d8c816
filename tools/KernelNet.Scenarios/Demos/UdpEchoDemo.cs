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

    /// <summary>Where in the report the seeds' claims (docs: seed claims, by ID) show; the trace lines quoted are this run's.</summary>
    private const string WhatToLookFor = """
Both hosts name their NIC eth0; the HOST column below says whose each event is.
- TX-4 (neighbour): A's first net_dev_queue is not the datagram but an ARP request
  (net_dev_start_xmit protocol=0x0806 len=42); neigh_event_send_done ... err 1 shows the
  datagram parked until B's ARP reply (neigh_update ... new_state reachable), then it leaves
  (protocol=0x0800 len=47).
- TX-5 (sent in the sender's context): net_dev_queue/net_dev_start_xmit/net_dev_xmit of B's
  echo run in udp-server-3 itself (flags b....), not in a softirq; /proc/softirqs shows NET_TX 0.
- RX-4 (hard IRQ, then softirq): irq_handler_entry: irq=43 name=eth0-TxRx-0 on B is followed
  by softirq_raise: vec=3 [action=NET_RX] in hardirq context (flags d.h1.) and softirq_entry.
- RX-9 (NAPI poll builds skbs): napi_gro_receive_entry ... netif_receive_skb inside
  softirq_entry/exit, then napi_poll ... work 1 budget 64.
- RX-12 (wake the reader): sk_data_ready ... func=sock_def_readable, then sched_waking
  comm=udp-server, then sched_switch to it; RX-13 / IO-1: its sock_recv_length after it wakes.
- TX-8 (TX completion under NET_RX): consume_skb ... location=igb_clean_tx_irq in a NET_RX
  softirq after the NIC's interrupt.
- OBS-1..OBS-3: the counters below (ip -s -s link, ethtool -S, /proc/softirqs, /proc/interrupts);
  zeros are left out (kernelnet run --all-counters prints every counter).
- kernelnet journey follows each skb (--skb, --drop, --flow); --timeline/--html draw the run.
""";

    public DemoRun Execute(DemoOptions options)
    {
        System.ArgumentNullException.ThrowIfNull(options);
        var t = new Topology();
        var a = t.AddHost("A");
        var b = t.AddHost("B");
        var (ethA, ethB, _) = t.AddIgbPair(a, "eth0", b, "eth0");
        var irqHosts = new Dictionary<int, string>();
        foreach (var (irq, host) in t.IrqHosts)
        {
            irqHosts[irq] = host;
        }

        var taskHosts = new Dictionary<string, string>(System.StringComparer.Ordinal) { ["udp-server"] = b.Name, ["udp-client"] = a.Name };
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

        using var traceText = new System.IO.StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        t.K.trace.print(traceText);
        var trace = traceText.ToString();
        var hosts = new KernelNet.Scenarios.Journey.HostResolver(
            new KernelNet.Scenarios.Oracle.RecordingManifest { Source = Name, Scenario = Name, ScenarioSha256 = "", Kernel = "", Devices = [], Tasks = taskHosts, Captures = [], Steps = [] },
            irqHosts);

        var report = new Report(options.AllCounters).Title($"kernelnet run {Name}: {Description}");
        report.Section("processes", string.Join('\n', log) + "\n");
        if (options.Trace)
        {
            report.Section("what to look for", WhatToLookFor);
            report.Trace(trace, hosts, options.Cpu, options.Task);
        }

        report.CpuCounters(t.K, irqHosts);
        foreach (var (host, dev) in new[] { (a, ethA), (b, ethB) })
        {
            report.Devices(host.Net);
            var mib = netns_ipv4.of(host.Net);
            report.Snmp(host.Name, KernelNet.Kernel.Net.Ipv4.proc_c.snmp_seq_show(mib.mib, mib.devconf_all_forwarding, mib.sysctl_ip_default_ttl));
            report.EthtoolStatistics($"{host.Name}: ethtool -S {dev.name}", Ethtool.Statistics(dev));
        }

        report.Section($"A: ethtool -g {ethA.name}", Ethtool.Rings(ethA));
        report.Section($"A: ethtool -l {ethA.name}", Ethtool.Channels(ethA));
        report.Section($"A: ethtool -i {ethA.name}", Ethtool.DriverInfo(ethA));
        report.Tasks(t.K);
        report.Section("skb ledger", string.Create(CultureInfo.InvariantCulture, $"allocated {t.K.skb_ledger.Allocated}, freed {t.K.skb_ledger.Freed}, leaked {t.K.leaked_skbs()}\n"));
        return new DemoRun(report.ToString(), trace, taskHosts, irqHosts);
    }
}
