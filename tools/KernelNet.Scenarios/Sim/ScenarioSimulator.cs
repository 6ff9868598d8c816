using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.Linux.NetfilterIpv4;
using KernelNet.Kernel.Net.Ipv4;
using KernelNet.Kernel.Net.Ipv4.Netfilter;
using KernelNet.Machine;
using KernelNet.Scenarios.Oracle;
using KernelNet.Scenarios.Scenario;

namespace KernelNet.Scenarios.Sim;

/// <summary>
/// The simulation side of the oracle: runs a scenario on one booted simulated kernel and writes
/// the recording directory <c>kernelnet record</c> writes on real Linux (<see cref="RecordingLayout"/>),
/// so the two go through the same normalizer and comparer.
/// </summary>
public sealed class ScenarioSimulator : IScenarioSimulator
{
    /// <summary>What a simulated recording gives as its kernel (the real one gives <c>uname -r</c>).</summary>
    public const string KernelRelease = "kernelnet-6.18";

    public RunResult Run(ScenarioSpec s, string outDir)
    {
        ArgumentNullException.ThrowIfNull(s);
        var manifest = new SimulatedRecording(s).Record(outDir);
        return new RunResult(outDir, manifest.StepsMatched ? Recorder.ExitOk : Recorder.ExitStepMismatch);
    }

    /// <summary>
    /// Runs the scenario, then lets its processes exit (every socket they still hold is closed)
    /// and the kernel settle (TIME_WAIT, retransmissions of orphans, neighbour and reassembly
    /// timers: up to <see cref="Teardown.SettleLimitNs"/>), and returns the skbs still
    /// live then (each with where it was allocated), the socks (with their state) and the slab
    /// objects beyond those of the topology: each a leak in the port.
    /// </summary>
    public (RunResult Result, IReadOnlyList<string> Leaked) RunAndCheckLedger(ScenarioSpec s, string outDir)
    {
        ArgumentNullException.ThrowIfNull(s);
        var recording = new SimulatedRecording(s);
        var manifest = recording.Record(outDir);
        var ledger = recording.ExitAndSettle();
        LastCopies = recording.CopyReport();
        LastLedger = ledger;
        return (new RunResult(outDir, manifest.StepsMatched ? Recorder.ExitOk : Recorder.ExitStepMismatch), [.. ledger.Skbs, .. ledger.Socks, .. ledger.Slabs, .. ledger.Stuck.Select(p => "process " + p + " did not exit")]);
    }

    /// <summary>After <see cref="RunAndCheckLedger"/>: what its processes left behind (<see cref="LedgerReport.Clean"/> when nothing).</summary>
    public LedgerReport? LastLedger { get; private set; }

    /// <summary>After <see cref="RunAndCheckLedger"/>: per process and system call, the copies by the CPU and by DMA (one line each).</summary>
    public IReadOnlyList<string> LastCopies { get; private set; } = [];
}

/// <summary>
/// One simulated recording, step for step what <see cref="RecordingSession"/> does on real Linux:
/// the same device and task names, the same capture points, a settle time of
/// <see cref="QuietNs"/> without trace events after every step, and counters read per namespace.
/// </summary>
internal sealed class SimulatedRecording
{
    private const long Ms = 1_000_000;
    private const long QuietNs = 100 * Ms;
    private const long QuietLimitNs = 3_000 * Ms;

    // The tasks run on CPU 0, like every thread of the recorder's steps (its host threads are pinned
    // there, and echo_load's threads take their creator's CPUs).
    private const int StepCpu = 0;

    private readonly ScenarioSpec _scenario;
    private readonly Topology _t = new();
    private readonly Dictionary<string, Host> _hosts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimTask> _processes = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Link, string Host), net_device> _deviceOf = [];
    private readonly Dictionary<string, string> _devices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimCapture> _captures = new(StringComparer.Ordinal);
    private readonly SimStepRunner _runner;
    private IReadOnlyDictionary<string, long> _slabsBefore = new Dictionary<string, long>();

    public SimulatedRecording(ScenarioSpec scenario)
    {
        _scenario = scenario;
        _runner = new SimStepRunner(_deviceOf);
    }

    private static string Comm(string host) => $"kn-{host}";

    public RecordingManifest Record(string outDir)
    {
        BuildTopology();
        foreach (var host in _scenario.Hosts)
        {
            _processes[host.Name] = _t.Spawn(_hosts[host.Name], Comm(host.Name), StepCpu, _ => System.Threading.Tasks.Task.CompletedTask);
        }

        // what the run must come back to: the capture sockets below are the host processes' too, and go with them
        _slabsBefore = Teardown.SlabCounts(_t.K);
        OpenCaptures();
        _t.Run(_t.Sim.Now + Ms);
        var before = ReadCounters();
        // the recorder's instance size (TraceInstance.BufferKbPerCpu), so both overwrite alike
        _t.K.trace.buffer_size_kb = Oracle.TraceInstance.BufferKbPerCpu;
        foreach (var tracepoint in _scenario.Tracepoints)
        {
            if (_t.K.trace.set_event(tracepoint) != 0)
            {
                // what set_event refuses on Linux with EINVAL: the recording would silently lack it
                throw new ScenarioException($"{_scenario.SourcePath}: tracepoint '{tracepoint}' names no event the simulation has (kernelnet run --list-events)");
            }
        }

        var results = new List<StepResult>();
        foreach (var step in _scenario.Steps)
        {
            var start = _t.K.ktime_get_ns() / 1000;
            results.Add(RunStep(step) with { StartMicros = start });
            WaitQuiet();
        }

        _t.K.trace.tracing_on = false;
        var end = _t.K.ktime_get_ns() / 1000;
        var after = ReadCounters();

        // as the recorder: frames stamped after tracing stopped are not the recording's
        var frames = _captures.ToDictionary(c => c.Key, c => c.Value.Drain().FindAll(f => f.TimestampMicros <= end));
        var manifest = Manifest(results);
        Write(outDir, manifest, frames, before, after);
        return manifest;
    }

    private void BuildTopology()
    {
        foreach (var host in _scenario.Hosts)
        {
            // `ip netns add` leaves lo down; a loopback link in the scenario brings it up
            _hosts[host.Name] = _t.AddHost(host.Name, loopbackUp: false);
            foreach (var (key, value) in host.Sysctls)
            {
                // a device's neigh sysctls wait for its device (below)
                if (!NeighSysctl.IsNeigh(key))
                {
                    SetSysctl(_hosts[host.Name], key, value);
                }
            }
        }

        for (var i = 0; i < _scenario.Hosts.Count; i++)
        {
            // the recorder's name for a host's own lo that no loopback link takes (RecordingSession.NameDevices)
            var host = _scenario.Hosts[i].Name;
            if (!_scenario.Links.Any(l => l.Kind == LinkKind.Loopback && l.Ends[0].Host == host))
            {
                var lo = _hosts[host].Net.loopback_dev!;
                lo.name = RecordingSession.LoopbackName(0, i);
                KernelNet.Kernel.Net.Core.dev_c.call_netdevice_notifiers(KernelNet.Kernel.Include.Linux.netdevice_h.NETDEV_CHANGENAME, lo);
                _devices[lo.name] = $"{host}:lo";
            }
        }

        for (var i = 0; i < _scenario.Links.Count; i++)
        {
            CreateLink(i, _scenario.Links[i]);
        }

        foreach (var link in _scenario.Links)
        {
            foreach (var end in link.Ends)
            {
                ConfigureEnd(link, end);
            }
        }

        for (var i = 0; i < _scenario.Hosts.Count; i++)
        {
            AddVlans(i, _scenario.Hosts[i]);
        }

        foreach (var host in _scenario.Hosts)
        {
            foreach (var (key, value) in host.Sysctls)
            {
                if (NeighSysctl.IsNeigh(key))
                {
                    SetNeighSysctl(host, key, value);
                }
            }
        }

        foreach (var host in _scenario.Hosts)
        {
            AddRoutes(host);
            AddNeighbours(host);
            AddFilters(host);
        }
    }

    /// <summary>Names every end as the recorder does (kn&lt;pid&gt;l&lt;link&gt;&lt;end&gt;, pid 0 here) and creates the link.</summary>
    private void CreateLink(int index, LinkSpec link)
    {
        string Name(int end) => $"kn0l{index}{(char)('a' + end)}";
        var a = link.Ends[0];
        switch (link.Kind)
        {
            case LinkKind.Loopback:
            {
                // `ip link set lo name X`: the namespace's own lo, renamed
                var lo = _hosts[a.Host].Net.loopback_dev!;
                lo.name = Name(0);
                KernelNet.Kernel.Net.Core.dev_c.call_netdevice_notifiers(KernelNet.Kernel.Include.Linux.netdevice_h.NETDEV_CHANGENAME, lo);
                Map(link, a, lo);
                break;
            }

            case LinkKind.Veth:
            {
                var b = link.Ends[1];
                var (da, db) = _t.AddVeth(_hosts[a.Host], Name(0), _hosts[b.Host], Name(1), Mac(a.Mac), Mac(b.Mac));
                Map(link, a, da);
                Map(link, b, db);
                break;
            }

            case LinkKind.Cable:
            {
                var b = link.Ends[1];
                var (da, db, _) = _t.AddIgbPair(_hosts[a.Host], Name(0), _hosts[b.Host], Name(1));
                Map(link, a, da);
                Map(link, b, db);
                break;
            }

            case LinkKind.Virtio:
            {
                var b = link.Ends[1];
                var (da, db, _) = _t.AddVirtioPair(_hosts[a.Host], Name(0), _hosts[b.Host], Name(1), Mac(a.Mac), Mac(b.Mac));
                Map(link, a, da);
                Map(link, b, db);
                break;
            }
        }
    }

    private void Map(LinkSpec link, LinkEnd end, net_device dev)
    {
        _deviceOf[(link.Name, end.Host)] = dev;
        _devices[dev.name] = $"{end.Host}:{end.Interface}";
    }

    private static byte[] Mac(string text) => Convert.FromHexString(text.Replace(":", "", StringComparison.Ordinal));

    private void ConfigureEnd(LinkSpec link, LinkEnd end)
    {
        var dev = _deviceOf[(link.Name, end.Host)];
        Check(Topology.SetMtu(dev, link.Mtu), $"ip link set {dev.name} mtu {link.Mtu}");
        if (link.GsoMaxSegs is { } segs)
        {
            KernelNet.Kernel.Net.Core.dev_h.netif_set_gso_max_segs(dev, (uint)segs);
        }

        if (end.Address is { } address)
        {
            _t.AddAddress(dev, address.ToString());
        }

        if (end.RpsCpus is { } rps)
        {
            var written = KernelNet.Kernel.Net.Core.net_sysfs_c.store_rps_map(dev._rx[0], rps + "\n");
            Check(written < 0 ? written : 0, $"echo {rps} > /sys/class/net/{dev.name}/queues/rx-0/rps_cpus");
        }

        if ((dev.flags & net_device.IFF_UP) == 0)
        {
            _t.Up(dev);
        }
    }

    /// <summary>
    /// The host's VLAN devices, named as the recorder names them (kn&lt;pid&gt;v&lt;host&gt;&lt;n&gt;,
    /// pid 0 here): `ip link add link LOWER name NAME type vlan id ID`, its address, up.
    /// </summary>
    private void AddVlans(int hostIndex, HostSpec host)
    {
        var vlans = host.Vlans ?? [];
        for (var n = 0; n < vlans.Count; n++)
        {
            var v = vlans[n];
            var lower = _deviceOf.First(d => d.Key.Host == host.Name && _devices[d.Value.name] == $"{host.Name}:{v.Link}").Value;
            var dev = _t.AddVlan(lower, RecordingSession.VlanName(0, hostIndex, n), (ushort)v.Id);
            _deviceOf[($"vlan:{v.Name}", host.Name)] = dev;
            _devices[dev.name] = $"{host.Name}:{v.Name}";
            if (v.Address is { } address)
            {
                _t.AddAddress(dev, address.ToString());
            }
        }
    }

    private void AddRoutes(HostSpec host)
    {
        foreach (var r in host.Routes)
        {
            var dev = r.Device is { } name ? _deviceOf.First(d => d.Key.Host == host.Name && _devices[d.Value.name] == $"{host.Name}:{name}").Value : null;
            var err = Topology.AddRoute(_hosts[host.Name], Topology.HostOrder(r.Destination.Address), r.Destination.PrefixLength,
                r.Via is { } via ? Topology.HostOrder(via) : 0, dev, r.Source is { } src ? Topology.HostOrder(src) : 0);
            Check(err, $"{host.Name}: ip route add {r.Destination}");
        }
    }

    /// <summary>`ip neigh add ADDR lladdr MAC dev DEV nud permanent`: neigh_add's create and administrative update.</summary>
    private void AddNeighbours(HostSpec host)
    {
        foreach (var n in host.Neighbours ?? [])
        {
            var dev = _deviceOf.First(d => d.Key.Host == host.Name && _devices[d.Value.name] == $"{host.Name}:{n.Device}").Value;
            var tbl = _t.K.globals<arp_globals>().arp_tbl;
            var neigh = KernelNet.Kernel.Net.Core.neighbour_c.__neigh_create(tbl, Topology.HostOrder(n.Address), dev, false);
            var err = KernelNet.Kernel.Net.Core.neighbour_c.neigh_update(neigh, Mac(n.Mac), KernelNet.Kernel.Include.Net.neighbour_h.NUD_PERMANENT,
                KernelNet.Kernel.Include.Net.neighbour_h.NEIGH_UPDATE_F_OVERRIDE | KernelNet.Kernel.Include.Net.neighbour_h.NEIGH_UPDATE_F_ADMIN, 0);
            Check(err, $"{host.Name}: ip neigh add {n.Address} nud permanent");
        }
    }

    /// <summary>
    /// The scenario's filter rules as iptables rules (the recorder uses nft; both hook the same
    /// NF_INET_* hooks and drop with NETFILTER_DROP): input, forward and output rules go into
    /// the filter table. A prerouting filter rule goes into the raw table's PREROUTING chain
    /// (priority -300), or, when it matches a ctstate, into the mangle table's (-150, after
    /// conntrack at -200); the recorder's nft chain hooks prerouting at priority 0, which is the
    /// same place for what a rule can see, except that a mangle rule runs before DNAT (-100)
    /// and so sees the original destination. A postrouting filter rule goes into the mangle
    /// table's POSTROUTING (-150; nft's 0 — both before SNAT at 100). Masquerade and dnat rules
    /// go into the nat table's POSTROUTING and PREROUTING chains, as nft's nat chains
    /// (srcnat, dstnat) reach the same NAT hooks.
    /// </summary>
    private void AddFilters(HostSpec host)
    {
        var net = _hosts[host.Name].Net;
        foreach (var rule in host.Filters)
        {
            var entry = Entry(rule, iface => DeviceName(host.Name, iface));
            if (rule.Action is FilterAction.Masquerade or FilterAction.Dnat)
            {
                iptable_nat_c.iptables_append(net, rule.Chain == FilterChain.Prerouting ? "PREROUTING" : "POSTROUTING", entry);
                continue;
            }

            switch (rule.Chain)
            {
                case FilterChain.Prerouting when rule.CtState == CtState.None:
                    iptable_raw_c.iptables_append(net, "PREROUTING", entry);
                    continue;
                case FilterChain.Prerouting:
                    iptable_mangle_c.iptables_append(net, "PREROUTING", entry);
                    continue;
                case FilterChain.Postrouting:
                    iptable_mangle_c.iptables_append(net, "POSTROUTING", entry);
                    continue;
            }

            var chain = rule.Chain switch
            {
                FilterChain.Input => "INPUT",
                FilterChain.Forward => "FORWARD",
                _ => "OUTPUT",
            };
            iptable_filter_c.iptables_append(net, chain, entry);
        }
    }

    /// <summary>The simulation's name of a host's interface (kn0l&lt;link&gt;&lt;end&gt;).</summary>
    private string DeviceName(string host, string iface) =>
        _deviceOf.First(d => d.Key.Host == host && _devices[d.Value.name] == $"{host}:{iface}").Value.name;

    private static ipt_entry Entry(FilterRule rule, Func<string, string> device)
    {
        var proto = rule.Protocol switch
        {
            FilterProtocol.Icmp => (ushort)1,
            FilterProtocol.Tcp => (ushort)6,
            FilterProtocol.Udp => (ushort)17,
            _ => (ushort)0,
        };
        var ports = rule.SourcePort is null && rule.DestinationPort is null
            ? null
            : new xt_ports
            {
                spts_lo = (ushort)(rule.SourcePort ?? 0),
                spts_hi = (ushort)(rule.SourcePort ?? 0xffff),
                dpts_lo = (ushort)(rule.DestinationPort ?? 0),
                dpts_hi = (ushort)(rule.DestinationPort ?? 0xffff),
            };
        return new ipt_entry
        {
            ip = new ipt_ip
            {
                src = rule.Source is { } s ? Topology.HostOrder(s.Address) : 0,
                smsk = rule.Source is { } sm ? Mask(sm.PrefixLength) : 0,
                dst = rule.Destination is { } d ? Topology.HostOrder(d.Address) : 0,
                dmsk = rule.Destination is { } dm ? Mask(dm.PrefixLength) : 0,
                proto = proto,
                iniface = rule.InInterface is { } iif ? device(iif) : "",
                outiface = rule.OutInterface is { } oif ? device(oif) : "",
            },
            ports = ports,
            conntrack = rule.CtState == CtState.None ? null : new KernelNet.Kernel.Include.Uapi.Linux.Netfilter.xt_conntrack_mtinfo { state_mask = StateMask(rule.CtState) },
            length = rule.Length is { } len ? new xt_length_info { min = (ushort)len.Min, max = (ushort)len.Max } : null,

            // nth N from P: the counter starts where packet P (from 0) is the one that wraps it
            statistic = rule.Nth is { } nth ? new xt_statistic_info { every = (uint)(nth.Every - 1), packet = (uint)(nth.Every - 1 - nth.Packet) } : null,
            verdict = rule.Action == FilterAction.Drop ? KernelNet.Kernel.Include.Linux.netfilter_h.NF_DROP : KernelNet.Kernel.Include.Linux.netfilter_h.NF_ACCEPT,
            target = rule.Action switch
            {
                FilterAction.Masquerade => new KernelNet.Kernel.Include.Linux.Netfilter.xt_entry_target
                {
                    target = KernelNet.Kernel.Net.Netfilter.xt_MASQUERADE_c.masquerade_tg_reg,
                    targinfo = new KernelNet.Kernel.Include.Uapi.Linux.Netfilter.nf_nat_range2(),
                },
                FilterAction.Dnat => new KernelNet.Kernel.Include.Linux.Netfilter.xt_entry_target
                {
                    target = KernelNet.Kernel.Net.Netfilter.xt_nat_c.dnat_reg,
                    targinfo = DnatRange(rule.To!),
                },
                _ => null,
            },
        };
    }

    /// <summary>--to-destination ADDR[:PORT] as the DNAT target's nf_nat_range2.</summary>
    private static KernelNet.Kernel.Include.Uapi.Linux.Netfilter.nf_nat_range2 DnatRange(NatTo to)
    {
        var addr = Topology.HostOrder(to.Address);
        return new KernelNet.Kernel.Include.Uapi.Linux.Netfilter.nf_nat_range2
        {
            flags = KernelNet.Kernel.Include.Uapi.Linux.Netfilter.nf_nat_h.NF_NAT_RANGE_MAP_IPS |
                    (to.Port is null ? 0 : KernelNet.Kernel.Include.Uapi.Linux.Netfilter.nf_nat_h.NF_NAT_RANGE_PROTO_SPECIFIED),
            min_addr = addr,
            max_addr = addr,
            min_proto = (ushort)(to.Port ?? 0),
            max_proto = (ushort)(to.Port ?? 0),
        };
    }

    /// <summary>--ctstate as xt_conntrack's state mask (XT_CONNTRACK_STATE_BIT of each ctinfo; INVALID is bit 0).</summary>
    private static ushort StateMask(CtState states)
    {
        ushort mask = 0;
        if ((states & CtState.New) != 0)
        {
            mask |= KernelNet.Kernel.Include.Uapi.Linux.Netfilter.xt_conntrack_h.XT_CONNTRACK_STATE_BIT(KernelNet.Kernel.Include.Uapi.Linux.Netfilter.ip_conntrack_info.IP_CT_NEW);
        }

        if ((states & CtState.Established) != 0)
        {
            mask |= KernelNet.Kernel.Include.Uapi.Linux.Netfilter.xt_conntrack_h.XT_CONNTRACK_STATE_BIT(KernelNet.Kernel.Include.Uapi.Linux.Netfilter.ip_conntrack_info.IP_CT_ESTABLISHED);
        }

        if ((states & CtState.Related) != 0)
        {
            mask |= KernelNet.Kernel.Include.Uapi.Linux.Netfilter.xt_conntrack_h.XT_CONNTRACK_STATE_BIT(KernelNet.Kernel.Include.Uapi.Linux.Netfilter.ip_conntrack_info.IP_CT_RELATED);
        }

        if ((states & CtState.Invalid) != 0)
        {
            mask |= KernelNet.Kernel.Include.Uapi.Linux.Netfilter.xt_conntrack_h.XT_CONNTRACK_STATE_INVALID;
        }

        return mask;
    }

    private static uint Mask(int prefixLength) => prefixLength == 0 ? 0 : uint.MaxValue << (32 - prefixLength);


    /// <summary>
    /// `sysctl -w net.ipv4.neigh.DEV.KNOB=V` in the host's namespace once its
    /// devices exist: the kernel's own file (neigh_sysctl_register's table,
    /// under the device's simulated name) and handler.
    /// </summary>
    private void SetNeighSysctl(HostSpec host, string key, string value)
    {
        NeighSysctl.TryParse(key, out var ifName, out var knob, out _);
        var dev = _deviceOf.First(d => d.Key.Host == host.Name && _devices[d.Value.name] == $"{host.Name}:{ifName}").Value;
        var buffer = value;
        var err = KernelNet.Kernel.Fs.Proc.proc_sysctl_c.proc_sys_call_handler(_hosts[host.Name].Net, $"net/ipv4/neigh/{dev.name}/{knob}", 1, ref buffer);
        if (err != 0)
        {
            throw new ScenarioException($"{_scenario.SourcePath}: host {host.Name}: sysctl {key}={value}: {StepOutcome.ErrnoName(-err)}");
        }
    }

    /// <summary>`sysctl -w` inside the host's namespace, for the per-namespace knobs the port has.</summary>
    private void SetSysctl(Host host, string key, string value)
    {
        var v = long.Parse(value, CultureInfo.InvariantCulture);
        var ipv4 = netns_ipv4.of(host.Net);
        const string core = "net.core.";
        if (key.StartsWith(core, StringComparison.Ordinal) && host.Net.core_sysctl.ContainsKey(key[core.Length..]))
        {
            host.Net.core_sysctl[key[core.Length..]] = v;
            return;
        }

        switch (key)
        {
            case "net.ipv4.ip_default_ttl":
                ipv4.sysctl_ip_default_ttl = (int)v;
                break;
            case "net.ipv4.icmp_echo_ignore_all":
                ipv4.sysctl_icmp_echo_ignore_all = v != 0;
                break;
            case "net.ipv4.icmp_ratelimit":
                ipv4.sysctl_icmp_ratelimit = (int)v;
                break;
            case "net.ipv4.icmp_ratemask":
                ipv4.sysctl_icmp_ratemask = (int)v;
                break;
            case "net.ipv4.ipfrag_time":
                ip_fragment_c.ip4_frags_ns_ctl_register(host.Net).timeout = (int)(v * KernelNet.Kernel.Vmlinux.HZ);
                break;
            case "net.ipv4.ipfrag_high_thresh":
                ip_fragment_c.ip4_frags_ns_ctl_register(host.Net).high_thresh = v;
                break;
            case "net.ipv4.ipfrag_low_thresh":
                ip_fragment_c.ip4_frags_ns_ctl_register(host.Net).low_thresh = v;
                break;
            case "net.ipv4.ipfrag_max_dist":
                ip_fragment_c.ip4_frags_ns_ctl_register(host.Net).max_dist = (int)v;
                break;
            case "net.ipv6.conf.all.disable_ipv6":
            case "net.ipv6.conf.default.disable_ipv6":
                // IPv6 is not ported: the simulation's hosts never send IPv6, as with 1 (the recorder's default)
                if (v != 1)
                {
                    throw new ScenarioException($"{_scenario.SourcePath}: host {host.Name}: {key}={value} needs IPv6, which the simulation does not have");
                }

                break;
            case "net.ipv4.ip_forward":
            case "net.ipv4.conf.all.forwarding":
                devinet_c.devinet_sysctl_forward(host.Net, "all", null, v != 0);
                break;
            case "net.ipv4.conf.default.forwarding":
                devinet_c.devinet_sysctl_forward(host.Net, "default", null, v != 0);
                break;
            case "net.ipv4.conf.all.accept_source_route":
            case "net.ipv4.conf.default.accept_source_route":
                devinet_c.devinet_conf_proc(host.Net, key.Split('.')[3], null, "accept_source_route", (int)v);
                break;
            case "net.ipv4.ip_no_pmtu_disc":
                ipv4.sysctl_ip_no_pmtu_disc = (int)v;
                break;
            case "net.ipv4.ip_forward_use_pmtu":
                ipv4.sysctl_ip_fwd_use_pmtu = v != 0;
                break;
            case "net.ipv4.ip_forward_update_priority":
                ipv4.sysctl_ip_fwd_update_priority = v != 0;
                break;
            case "net.ipv4.tcp_synack_retries":
                ipv4.sysctl_tcp_synack_retries = (int)v;
                break;
            case "net.ipv4.tcp_syncookies":
                ipv4.sysctl_tcp_syncookies = (int)v;
                break;
            case "net.ipv4.tcp_syn_retries":
                ipv4.sysctl_tcp_syn_retries = (int)v;
                break;
            case "net.ipv4.tcp_syn_linear_timeouts":
                ipv4.sysctl_tcp_syn_linear_timeouts = (int)v;
                break;
            case "net.ipv4.tcp_mtu_probing":
                ipv4.sysctl_tcp_mtu_probing = (int)v;
                break;
            case "net.ipv4.tcp_base_mss":
                ipv4.sysctl_tcp_base_mss = (int)v;
                break;
            case "net.ipv4.tcp_probe_threshold":
                ipv4.sysctl_tcp_probe_threshold = (int)v;
                break;
            case "net.ipv4.tcp_probe_interval":
                ipv4.sysctl_tcp_probe_interval = (uint)v;
                break;
            case "net.ipv4.tcp_mtu_probe_floor":
                ipv4.sysctl_tcp_mtu_probe_floor = (int)v;
                break;
            case "net.ipv4.tcp_min_snd_mss":
                ipv4.sysctl_tcp_min_snd_mss = (int)v;
                break;
            case "net.ipv4.tcp_autocorking":
                ipv4.sysctl_tcp_autocorking = v != 0;
                break;
            case "net.ipv4.tcp_limit_output_bytes":
                ipv4.sysctl_tcp_limit_output_bytes = (int)v;
                break;
            default:
                throw new ScenarioException($"{_scenario.SourcePath}: host {host.Name}: sysctl {key} is not modelled by the simulation");
        }
    }

    private void Check(int err, string what)
    {
        if (err != 0)
        {
            throw new ScenarioException($"{_scenario.SourcePath}: {what}: {StepOutcome.ErrnoName(-err)}");
        }
    }

    /// <summary>One capture per link, on its first end, as the recorder takes it: an AF_PACKET tap sees both directions.</summary>
    private void OpenCaptures()
    {
        foreach (var link in _scenario.Links)
        {
            var end = link.Ends[0];
            _captures[link.Name] = new SimCapture(_t, _processes[end.Host], Comm(end.Host), _deviceOf[(link.Name, end.Host)]);
        }
    }

    private StepResult RunStep(Step step)
    {
        if (step is SleepStep sleep)
        {
            RunFor(sleep.Milliseconds * Ms);
            return StepOutcome.Result(step, "ok");
        }

        if (step is EchoLoadStep load)
        {
            var (loadOutcome, serverTasks) = RunEchoLoad(load);
            return StepOutcome.Result(step, loadOutcome) with { ServerTasks = serverTasks };
        }

        string? outcome = null;
        byte[]? data = null;
        var task = _t.Syscalls.SpawnThread(_processes[step.Host], Comm(step.Host), StepCpu, async libc =>
        {
            (outcome, data) = await _runner.Execute(libc, step);
        });
        RunUntilDone(task);
        return StepOutcome.Result(step, outcome ?? $"did not finish within {StepLimitMs / 1000} s", data);
    }

    /// <summary>
    /// echo_load: the server's first thread in the server host's process; once it listens, one client
    /// thread per connection in the client host's process; run until all of them are done.
    /// </summary>
    private (string Outcome, IReadOnlyList<int> ServerTasks) RunEchoLoad(EchoLoadStep step)
    {
        var load = new SimEchoLoad(step);
        var serverTasks = new List<int>();
        SimTask? server = null;
        server = _t.Syscalls.SpawnThread(_processes[step.ServerHost], Comm(step.ServerHost), StepCpu, libc =>
            load.Server(libc, body =>
            {
                var worker = _t.Syscalls.SpawnThread(server!, Comm(step.ServerHost), StepCpu, body);
                serverTasks.Add(worker.Pid);
                return worker;
            }));
        serverTasks.Add(server.Pid);
        var limit = _t.Sim.Now + StepLimitMs * Ms;
        while (!load.Listening && _t.Sim.Now < limit)
        {
            RunFor(Ms);
        }

        // the clients are started as the recorder starts them: one after another from the client host's
        // thread, with .NET's Thread.Start handshake (SimEchoLoad.StartThread: the starter sleeps until
        // the new thread reports, resumes it, and yields until it runs)
        var clients = new List<SimTask>();
        SimTask? starter = null;
        starter = _t.Syscalls.SpawnThread(_processes[step.ClientHost], Comm(step.ClientHost), StepCpu, async libc =>
        {
            // the PAL's process lock, which a thread's start and its exit take (SimEchoLoad.SleepLock)
            var processLock = await SimEchoLoad.SleepLock.Create(libc);
            for (var c = 0; c < step.Clients && load.Failure is null; c++)
            {
                if (await SimEchoLoad.StartThread(libc, body => _t.Syscalls.SpawnThread(starter!, Comm(step.ClientHost), StepCpu, body), load.Client, processLock) is not { } client)
                {
                    break;
                }

                clients.Add(client);
            }

            if (processLock is not null)
            {
                await processLock.Release(libc);
            }
        });
        RunUntilDone(starter);
        foreach (var c in clients)
        {
            RunUntilDone(c);
        }

        RunUntilDone(server);
        serverTasks.Sort();
        return (load.Outcome(), serverTasks);
    }

    /// <summary>The recorder's WaitQuiet: run until no traced event for <see cref="QuietNs"/>, at most <see cref="QuietLimitNs"/>.</summary>
    private void WaitQuiet()
    {
        var limit = _t.Sim.Now + QuietLimitNs;
        var seen = _t.K.trace.entries_written;
        do
        {
            RunFor(QuietNs);
            if (_t.K.trace.entries_written == seen)
            {
                return;
            }

            seen = _t.K.trace.entries_written;
        }
        while (_t.Sim.Now < limit);
    }

    private void RunFor(long ns) => _t.Run(_t.Sim.Now + ns);

    /// <summary>How long one step's thread may run: the recorder's bound on a blocking call, and 5 s more.</summary>
    private const long StepLimitMs = StepOutcome.BlockingLimitMs + 5_000;

    /// <summary>Runs the machine until <paramref name="task"/> has exited, at most <see cref="StepLimitMs"/>.</summary>
    private void RunUntilDone(SimTask task)
    {
        var limit = _t.Sim.Now + StepLimitMs * Ms;
        while (task.State != TaskState.Dead && _t.Sim.Now < limit)
        {
            RunFor(Ms);
        }
    }

    /// <summary>The file and pipe system calls of each process, with what they copied (SimTask.SyscallCopies).</summary>
    public IReadOnlyList<string> CopyReport()
    {
        // a host's steps run as tasks of one comm (kn-HOST): summed per comm and call, in order of appearance
        var sums = new List<(string Key, SyscallCopyCount Sum)>();
        foreach (var task in _t.Machine.Tasks)
        {
            foreach (var (name, c) in task.SyscallCopies)
            {
                var key = task.Comm + " " + name;
                var i = sums.FindIndex(x => x.Key == key);
                if (i < 0)
                {
                    sums.Add((key, new SyscallCopyCount()));
                    i = sums.Count - 1;
                }

                var s = sums[i].Sum;
                s.Calls += c.Calls;
                s.CpuCopies += c.CpuCopies;
                s.CpuBytes += c.CpuBytes;
                s.DmaReads += c.DmaReads;
                s.DmaBytesRead += c.DmaBytesRead;
                s.DmaWrites += c.DmaWrites;
                s.DmaBytesWritten += c.DmaBytesWritten;
            }
        }

        return sums.Select(x => string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{x.Key}: {x.Sum.Calls} call(s), CPU {x.Sum.CpuCopies} copies ({x.Sum.CpuBytes} B), DMA {x.Sum.DmaReads} reads ({x.Sum.DmaBytesRead} B) {x.Sum.DmaWrites} writes ({x.Sum.DmaBytesWritten} B)")).ToList();
    }

    /// <summary>
    /// Every process exits (do_exit closes the descriptors it holds: a socket with SO_LINGER
    /// does not wait, PF_EXITING), the kernel runs until its timers are done or
    /// <see cref="Teardown.SettleLimitNs"/> has passed (<see cref="Teardown.ExitAndSettle"/>),
    /// and what is still live is returned: skbs with where each was allocated, socks with their
    /// state, slab objects beyond those of the built topology. Skbs on a CPU's defer list are
    /// not leaks (the next NET_RX frees them).
    /// </summary>
    public LedgerReport ExitAndSettle() =>
        Teardown.ExitAndSettle(_t, _scenario.Hosts.Select(h => _processes[h.Name]), _slabsBefore);

    private Dictionary<string, Dictionary<string, long>> ReadCounters() =>
        _scenario.Hosts.ToDictionary(h => h.Name, h =>
        {
            var ipv4 = netns_ipv4.of(_hosts[h.Name].Net);
            return Counters.Parse(proc_c.snmp_seq_show(ipv4.mib, ipv4.devconf_all_forwarding, ipv4.sysctl_ip_default_ttl) + proc_c.netstat_seq_show(ipv4.mib));
        });

    private RecordingManifest Manifest(List<StepResult> results) => new()
    {
        Source = "simulation",
        Scenario = _scenario.Name,
        ScenarioSha256 = Recorder.Sha256(_scenario.SourcePath),
        Kernel = ScenarioSimulator.KernelRelease,
        Devices = new Dictionary<string, string>(_devices),
        Tasks = _scenario.Hosts.ToDictionary(h => Comm(h.Name), h => h.Name),
        Captures = _captures.ToDictionary(c => c.Key, c => _devices[c.Value.Device.name]),
        Steps = results,
    };

    private void Write(string outDir, RecordingManifest manifest, Dictionary<string, List<CapturedFrame>> frames,
        Dictionary<string, Dictionary<string, long>> before, Dictionary<string, Dictionary<string, long>> after)
    {
        using var trace = new StringWriter(CultureInfo.InvariantCulture);
        _t.K.trace.print(trace);
        RecordingLayout.Write(outDir, _scenario, manifest, trace.ToString(), Counters.Render(
            _scenario.Hosts.SelectMany(h => Counters.Delta(before[h.Name], after[h.Name]).Select(d => (h.Name, d.Name, d.Delta)))), frames);
    }
}
