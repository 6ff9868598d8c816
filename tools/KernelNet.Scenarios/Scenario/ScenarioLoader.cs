using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KernelNet.Scenarios.Scenario;

/// <summary>
/// Reads a scenario file (docs/scenarios.md) strictly: unknown keys, wrong types, dangling
/// references and impossible values all fail with one <see cref="ScenarioException"/> line.
/// </summary>
public static partial class ScenarioLoader
{
    /// <summary>The errno names a step may expect.</summary>
    public static readonly IReadOnlySet<string> KnownErrnos = new HashSet<string>(StringComparer.Ordinal)
    {
        "EPERM", "ENOENT", "EINTR", "EAGAIN", "ENOMEM", "EACCES", "EINVAL", "EMSGSIZE", "ENOPROTOOPT",
        "EADDRINUSE", "EADDRNOTAVAIL", "ENETDOWN", "ENETUNREACH", "ECONNABORTED", "ECONNRESET", "ENOBUFS",
        "EISCONN", "ENOTCONN", "ETIMEDOUT", "ECONNREFUSED", "EHOSTDOWN", "EHOSTUNREACH", "EALREADY",
        "EINPROGRESS", "EPIPE", "EDESTADDRREQ", "EOPNOTSUPP", "ENOTSOCK", "EBADF",
    };

    /// <summary>Links in one scenario: the default MAC of a link end carries the link's number in one byte.</summary>
    private const int MaxLinks = 255;

    private static readonly string[] TopKeys = ["name", "description", "levels", "tracepoints", "hosts", "links", "steps"];

    /// <summary>The largest scenario file read (inline frames and payloads included; a generated payload is a size, not bytes).</summary>
    public const int MaxInputBytes = 4 << 20;

    /// <summary>The deepest nesting of mappings and sequences read: the scenario language needs fewer than ten levels; the YAML loader recurses per level.</summary>
    public const int MaxNesting = 64;

    public static ScenarioSpec Load(string path)
    {
        string text;
        try
        {
            var length = new FileInfo(path).Length;
            if (length > MaxInputBytes)
            {
                throw new ScenarioException(path, 0, $"expected a scenario of at most {MaxInputBytes >> 20} MiB, got {length} bytes");
            }

            text = File.ReadAllText(path);
        }
        catch (IOException e)
        {
            throw new ScenarioException(path, 0, $"cannot read the scenario: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ScenarioException(path, 0, $"cannot read the scenario: {e.Message}");
        }

        return Parse(text, path);
    }

    public static ScenarioSpec Parse(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxInputBytes)
        {
            throw new ScenarioException(file, 0, $"expected a scenario of at most {MaxInputBytes >> 20} MiB, got {text.Length} characters");
        }

        var stream = new YamlStream();
        try
        {
            CheckNesting(text, file);
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            var reason = (e.InnerException?.Message ?? e.Message).Split('\n')[0].Trim();
            throw new ScenarioException(file, (int)e.Start.Line, $"expected well-formed YAML ({reason})");
        }
        catch (InvalidOperationException e)
        {
            throw new ScenarioException(file, text.Split('\n').Length, $"expected well-formed YAML ({e.Message.Split('\n')[0].Trim()})");
        }

        if (stream.Documents.Count != 1)
        {
            throw new ScenarioException(file, 1, "expected exactly one YAML document");
        }

        return new Parser(new YamlNodes(file)).Scenario(stream.Documents[0].RootNode);
    }

    /// <summary>Walks the YAML events (no recursion) and refuses nesting deeper than <see cref="MaxNesting"/> before the loader recurses into it.</summary>
    private static void CheckNesting(string text, string file)
    {
        var events = new YamlDotNet.Core.Parser(new StringReader(text));
        var depth = 0;
        while (events.MoveNext())
        {
            switch (events.Current)
            {
                case YamlDotNet.Core.Events.MappingStart or YamlDotNet.Core.Events.SequenceStart:
                    if (++depth > MaxNesting)
                    {
                        throw new ScenarioException(file, (int)events.Current.Start.Line, $"expected at most {MaxNesting} levels of nested mappings and sequences");
                    }

                    break;
                case YamlDotNet.Core.Events.MappingEnd or YamlDotNet.Core.Events.SequenceEnd:
                    depth--;
                    break;
            }
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9_-]{0,11}$")]
    private static partial Regex HostName();

    [GeneratedRegex("^[a-zA-Z][a-zA-Z0-9_.-]{0,14}$")]
    private static partial Regex InterfaceName();

    [GeneratedRegex("^[a-z_]+:[a-z_0-9]+$")]
    private static partial Regex TracepointName();

    [GeneratedRegex("^([0-9a-f]{2}:){5}[0-9a-f]{2}$")]
    private static partial Regex MacAddress();

    [GeneratedRegex("^[0-9a-f]{1,8}$")]
    private static partial Regex RpsMask();

    [GeneratedRegex("^(net\\.(core|ipv4)\\.[a-z0-9_.]+|net\\.ipv6\\.conf\\.(all|default)\\.disable_ipv6)$")]
    private static partial Regex SysctlName();

    private sealed class Parser(YamlNodes y)
    {
        private readonly Dictionary<string, HostSpec> _hosts = new(StringComparer.Ordinal);
        private readonly Dictionary<string, LinkSpec> _links = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _socketOwners = new(StringComparer.Ordinal);
        private readonly HashSet<string> _closedSockets = new(StringComparer.Ordinal);
        private readonly HashSet<string> _streamSockets = new(StringComparer.Ordinal);

        public ScenarioSpec Scenario(YamlNode root)
        {
            var top = y.Map(root, "the scenario");
            var name = top.RequiredString("name");
            if (!Regex.IsMatch(name, "^[a-z0-9][a-z0-9-]*$"))
            {
                throw y.Error(top.Required("name"), $"expected a scenario name of lower-case letters, digits and '-', got '{name}'");
            }

            var description = top.OptionalString("description") ?? "";
            var informative = top.Optional("levels") is { } lv ? Informative(lv) : [];
            var tracepoints = top.Optional("tracepoints") is { } tp ? Tracepoints(tp) : ScenarioSpec.DefaultTracepoints;
            foreach (var h in Hosts(top.Required("hosts")))
            {
                _hosts.Add(h.Name, h);
            }

            var linkNodes = y.Seq(top.Required("links"), "links");
            if (linkNodes.Count > MaxLinks)
            {
                // each link's default MACs carry its index in one byte
                throw y.Error(top.Required("links"), $"expected at most {MaxLinks} links, got {linkNodes.Count}");
            }

            var links = linkNodes.Select((n, i) => Link(n, i)).ToList();
            CheckRouteDevices(top.Required("hosts"), links);
            var steps = y.Seq(top.Required("steps"), "steps").SelectMany(Steps).ToList();
            if (steps.Count == 0)
            {
                throw y.Error(top.Required("steps"), "expected at least one step");
            }

            top.Finish();
            var levels = ScenarioSpec.AllLevels.Where(l => !informative.ContainsKey(l)).ToList();
            return new ScenarioSpec(name, description, levels, tracepoints, _hosts.Values.ToList(), links, steps, y.File)
            {
                InformativeLevels = informative,
            };
        }

        /// <summary>
        /// <c>levels: { LEVEL: { informative: REASON } }</c>: every level is required unless marked
        /// informative here, with the real-kernel mechanism that makes two real runs differ at it.
        /// </summary>
        private Dictionary<ComparisonLevel, string> Informative(YamlNode node)
        {
            if (node is YamlSequenceNode)
            {
                throw y.Error(node, "expected a mapping for 'levels' (every level is required; mark one informative with `LEVEL: { informative: REASON }`), not a list of levels");
            }

            var map = y.Map(node, "'levels'");
            var informative = new Dictionary<ComparisonLevel, string>();
            foreach (var (key, value) in map.Node.Children)
            {
                var level = y.Enum<ComparisonLevel>(key, "a comparison level");
                var entry = y.Map(value, $"level '{y.Scalar(key, "level")}'");
                var reason = entry.RequiredString("informative").Trim();
                if (reason.Length < 10)
                {
                    throw y.Error(value, $"expected the real-kernel mechanism that makes level '{y.Scalar(key, "level")}' differ between two real runs as 'informative', got '{reason}'");
                }

                entry.Finish();
                informative[level] = reason;
            }

            return informative;
        }

        private List<string> Tracepoints(YamlNode node)
        {
            var list = new List<string>();
            foreach (var n in y.Seq(node, "tracepoints"))
            {
                var tp = y.Scalar(n, "a tracepoint");
                if (!TracepointName().IsMatch(tp))
                {
                    throw y.Error(n, $"expected a tracepoint as system:event (net:netif_rx), got '{tp}'");
                }

                list.Add(tp);
            }

            return list;
        }

        private IEnumerable<HostSpec> Hosts(YamlNode node)
        {
            var map = y.Map(node, "hosts");
            if (map.Node.Children.Count == 0)
            {
                throw y.Error(node, "expected at least one host");
            }

            foreach (var (keyNode, value) in map.Node.Children)
            {
                var name = y.Scalar(keyNode, "a host name");
                if (!HostName().IsMatch(name))
                {
                    throw y.Error(keyNode, $"expected a host name of 1-12 lower-case letters, digits, '_' or '-', got '{name}'");
                }

                yield return Host(name, value);
            }
        }

        private HostSpec Host(string name, YamlNode node)
        {
            if (node is YamlScalarNode { Value: null or "" })
            {
                return new HostSpec(name, new Dictionary<string, string>(), [], []);
            }

            var m = y.Map(node, $"host '{name}'");
            var sysctls = new Dictionary<string, string>(StringComparer.Ordinal);
            if (m.Optional("sysctls") is { } s)
            {
                foreach (var (k, v) in y.Map(s, "sysctls").Node.Children)
                {
                    var key = y.Scalar(k, "a sysctl name");
                    if (!SysctlName().IsMatch(key))
                    {
                        throw y.Error(k, $"expected a net.core.*, net.ipv4.* or net.ipv6.conf.{{all,default}}.disable_ipv6 sysctl, got '{key}'");
                    }

                    if (NeighSysctl.IsNeigh(key) && !NeighSysctl.TryParse(key, out _, out _, out var neighError))
                    {
                        throw y.Error(k, neighError!);
                    }

                    sysctls[key] = y.Scalar(v, $"sysctl '{key}'");
                }
            }

            var routes = m.Optional("routes") is { } r ? y.Seq(r, "routes").Select(Route).ToList() : [];
            var filters = m.Optional("filters") is { } f ? y.Seq(f, "filters").Select(Filter).ToList() : [];
            var neighbours = m.Optional("neighbours") is { } nb ? y.Seq(nb, "neighbours").Select(Neighbour).ToList() : [];
            var vlans = m.Optional("vlans") is { } vl ? y.Seq(vl, "vlans").Select(Vlan).ToList() : [];
            m.Finish();
            return new HostSpec(name, sysctls, routes, filters, neighbours, vlans);
        }

        private VlanSpec Vlan(YamlNode node)
        {
            var m = y.Map(node, "a vlan");
            var nameNode = m.Required("name");
            var name = y.Scalar(nameNode, "'name' of a vlan");
            if (!InterfaceName().IsMatch(name))
            {
                throw y.Error(nameNode, $"expected an interface name of 1 to 15 letters, digits, '.', '-' or '_', got '{name}'");
            }

            var link = m.RequiredString("link");
            var id = y.Int(m.Required("id"), "'id' of a vlan", 1, 4094);
            var address = m.Optional("address") is { } a ? Prefix(a, "'address' of a vlan", network: false) : (Ipv4Prefix?)null;
            m.Finish();
            return new VlanSpec(name, link, id, address);
        }

        private NeighbourSpec Neighbour(YamlNode node)
        {
            var m = y.Map(node, "a neighbour");
            var to = Address(m.Required("to"), "'to' of a neighbour");
            var macNode = m.Required("mac");
            var mac = y.Scalar(macNode, "'mac' of a neighbour").ToLowerInvariant();
            if (!MacAddress().IsMatch(mac))
            {
                throw y.Error(macNode, $"expected a MAC address like 02:00:00:00:01:01, got '{mac}'");
            }

            var dev = m.RequiredString("dev");
            m.Finish();
            return new NeighbourSpec(to, mac, dev);
        }

        private RouteSpec Route(YamlNode node)
        {
            var m = y.Map(node, "a route");
            var toNode = m.Required("to");
            var to = y.Scalar(toNode, "'to' of a route") == "default"
                ? new Ipv4Prefix(IPAddress.Any, 0)
                : Prefix(toNode, "'to' of a route", network: true);
            var via = m.Optional("via") is { } v ? Address(v, "'via' of a route") : null;
            var dev = m.OptionalString("dev");
            var src = m.Optional("src") is { } s ? Address(s, "'src' of a route") : null;
            m.Finish();
            if (via is null && dev is null)
            {
                throw y.Error(node, "expected 'via' or 'dev' in a route");
            }

            return new RouteSpec(to, via, dev, src);
        }

        private FilterRule Filter(YamlNode node)
        {
            var m = y.Map(node, "a filter rule");
            var chain = y.Enum<FilterChain>(m.Required("chain"), "'chain' of a filter rule");
            var action = y.Enum<FilterAction>(m.Required("action"), "'action' of a filter rule");
            var protocol = m.Optional("protocol") is { } p ? y.Enum<FilterProtocol>(p, "'protocol' of a filter rule") : FilterProtocol.Any;
            var src = m.Optional("src") is { } s ? Prefix(s, "'src' of a filter rule", network: false, bareAddress: true) : (Ipv4Prefix?)null;
            var dst = m.Optional("dst") is { } d ? Prefix(d, "'dst' of a filter rule", network: false, bareAddress: true) : (Ipv4Prefix?)null;
            int? sport = m.Optional("sport") is { } sp ? y.Int(sp, "'sport' of a filter rule", 1, 65535) : null;
            int? dport = m.Optional("dport") is { } dp ? y.Int(dp, "'dport' of a filter rule", 1, 65535) : null;
            var length = m.Optional("length") is { } ln ? Length(ln) : null;
            var nth = m.Optional("nth") is { } nn ? Nth(nn) : null;
            var ctstate = m.OptionalString("ctstate") is { } cs ? CtStates(cs, node) : CtState.None;
            var iif = m.OptionalString("in");
            var oif = m.OptionalString("out");
            var to = m.OptionalString("to") is { } t ? NatTo(t, node) : null;
            m.Finish();
            if ((sport is not null || dport is not null) && protocol is not (FilterProtocol.Udp or FilterProtocol.Tcp))
            {
                throw y.Error(node, "expected protocol udp or tcp in a filter rule that matches ports");
            }

            if (action == FilterAction.Masquerade && chain != FilterChain.Postrouting)
            {
                throw y.Error(node, "expected chain postrouting for action masquerade");
            }

            if (action == FilterAction.Dnat && chain != FilterChain.Prerouting)
            {
                throw y.Error(node, "expected chain prerouting for action dnat");
            }

            if ((action == FilterAction.Dnat) != (to is not null))
            {
                throw y.Error(node, "expected 'to' in a dnat rule, and only there");
            }

            if (to?.Port is not null && protocol is not (FilterProtocol.Udp or FilterProtocol.Tcp))
            {
                throw y.Error(node, "expected protocol udp or tcp in a dnat rule that maps the port");
            }

            if (iif is not null && chain is FilterChain.Output or FilterChain.Postrouting)
            {
                throw y.Error(node, $"expected no 'in' in the {chain.ToString().ToLowerInvariant()} chain (the packet has no input interface there)");
            }

            if (oif is not null && chain is FilterChain.Prerouting or FilterChain.Input)
            {
                throw y.Error(node, $"expected no 'out' in the {chain.ToString().ToLowerInvariant()} chain (the packet has no output interface yet)");
            }

            return new FilterRule(chain, action, protocol, src, dst, sport, dport, length, nth, ctstate, iif, oif, to);
        }

        private CtState CtStates(string text, YamlNode node)
        {
            var states = CtState.None;
            foreach (var name in text.Split('|', StringSplitOptions.TrimEntries))
            {
                states |= name switch
                {
                    "new" => CtState.New,
                    "established" => CtState.Established,
                    "related" => CtState.Related,
                    "invalid" => CtState.Invalid,
                    _ => throw y.Error(node, $"expected ctstate from new, established, related, invalid joined by '|', got '{name}'"),
                };
            }

            return states;
        }

        private NatTo NatTo(string text, YamlNode node)
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            var addr = colon < 0 ? text : text[..colon];
            if (!IPAddress.TryParse(addr, out var ip) || ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork || addr.Count(c => c == '.') != 3)
            {
                throw y.Error(node, $"expected 'to' as ADDRESS or ADDRESS:PORT, got '{text}'");
            }

            int? port = null;
            if (colon >= 0)
            {
                if (!int.TryParse(text[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var p) || p is < 1 or > 65535)
                {
                    throw y.Error(node, $"expected 'to' as ADDRESS or ADDRESS:PORT (port 1..65535), got '{text}'");
                }

                port = p;
            }

            return new NatTo(ip, port);
        }

        private LengthRange Length(YamlNode node)
        {
            var text = y.Scalar(node, "'length' of a filter rule");
            var parts = text.Split('-');
            if (parts.Length == 2
                && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var min)
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var max)
                && min <= max && max <= 65535)
            {
                return new LengthRange(min, max);
            }

            throw y.Error(node, $"expected an IP length range MIN-MAX (0-65535) for 'length' of a filter rule, got '{text}'");
        }

        private NthMatch Nth(YamlNode node)
        {
            var m = y.Map(node, "'nth' of a filter rule");
            var every = y.Int(m.Required("every"), "'every' of nth", 1, 1_000_000);
            var packetNode = m.Required("packet");
            var packet = y.Int(packetNode, "'packet' of nth", 0, 1_000_000);
            m.Finish();
            if (packet >= every)
            {
                throw y.Error(packetNode, $"expected 'packet' below 'every' ({every}) in nth, got {packet}");
            }

            return new NthMatch(every, packet);
        }

        private LinkSpec Link(YamlNode node, int index)
        {
            var m = y.Map(node, "a link");
            var nameNode = m.Required("name");
            var name = y.Scalar(nameNode, "'name' of a link");
            if (!HostName().IsMatch(name) || !_links.TryAdd(name, null!))
            {
                throw y.Error(nameNode, $"expected a new link name of 1-12 lower-case letters, digits, '_' or '-', got '{name}'");
            }

            var kind = y.Enum<LinkKind>(m.Required("type"), "'type' of a link");
            var mtu = m.OptionalInt("mtu", kind == LinkKind.Loopback ? 65536 : 1500, 68, 65536);
            int? gsoMaxSegs = m.Optional("gso_max_segs") is { } g ? y.Int(g, "'gso_max_segs' of a link", 1, 65535) : null;
            var endsNode = m.Required("ends");
            var endNodes = y.Seq(endsNode, "'ends' of a link");
            var want = kind == LinkKind.Loopback ? 1 : 2;
            if (endNodes.Count != want)
            {
                throw y.Error(endsNode, $"expected {want} end(s) for a {kind.ToString().ToLowerInvariant()} link, got {endNodes.Count}");
            }

            var ends = endNodes.Select((e, i) => End(e, index, i, kind)).ToList();
            m.Finish();

            var link = new LinkSpec(name, kind, mtu, ends, gsoMaxSegs);
            _links[name] = link;
            return link;
        }

        private LinkEnd End(YamlNode node, int linkIndex, int endIndex, LinkKind kind)
        {
            var m = y.Map(node, "a link end");
            var hostNode = m.Required("host");
            var host = KnownHost(hostNode);
            var ifNode = m.Optional("interface");
            var ifName = ifNode is null ? (kind == LinkKind.Loopback ? "lo" : throw y.Error(node, "expected key 'interface' in a link end")) : y.Scalar(ifNode, "'interface' of a link end");
            if (!InterfaceName().IsMatch(ifName))
            {
                throw y.Error(ifNode ?? node, $"expected an interface name of at most 15 characters, got '{ifName}'");
            }

            if (kind == LinkKind.Loopback && ifName != "lo")
            {
                throw y.Error(ifNode!, "expected interface 'lo' for a loopback link");
            }

            var address = m.Optional("address") is { } a ? Prefix(a, "'address' of a link end", network: false) : (Ipv4Prefix?)null;
            var macNode = m.Optional("mac");
            var mac = macNode is null
                ? (kind == LinkKind.Loopback ? "00:00:00:00:00:00" : $"02:00:00:00:{linkIndex + 1:x2}:{endIndex + 1:x2}")
                : y.Scalar(macNode, "'mac' of a link end").ToLowerInvariant();
            if (!MacAddress().IsMatch(mac))
            {
                throw y.Error(macNode ?? node, $"expected a MAC address like 02:00:00:00:01:01, got '{mac}'");
            }

            string? rpsCpus = null;
            if (m.Optional("rps_cpus") is { } rpsNode)
            {
                rpsCpus = y.Scalar(rpsNode, "'rps_cpus' of a link end").ToLowerInvariant();
                if (kind != LinkKind.Veth || !RpsMask().IsMatch(rpsCpus))
                {
                    throw y.Error(rpsNode, $"expected 'rps_cpus' as a hex CPU mask of 1-8 digits on a veth end, got '{rpsCpus}'");
                }
            }

            m.Finish();
            return new LinkEnd(host, ifName, address, mac, rpsCpus);
        }

        private void CheckRouteDevices(YamlNode hostsNode, List<LinkSpec> links)
        {
            foreach (var host in _hosts.Values)
            {
                var interfaces = links.SelectMany(l => l.Ends).Where(e => e.Host == host.Name).Select(e => e.Interface).ToHashSet();
                foreach (var vlan in host.Vlans ?? [])
                {
                    if (!interfaces.Contains(vlan.Link) || links.Any(l => l.Kind == LinkKind.Loopback && l.Ends[0].Host == host.Name && l.Ends[0].Interface == vlan.Link))
                    {
                        throw y.Error(hostsNode, $"expected the link of vlan '{vlan.Name}' of host '{host.Name}' to be one of its veth or cable interfaces ({string.Join(", ", interfaces)})");
                    }

                    if (interfaces.Contains(vlan.Name) || vlan.Name == "lo")
                    {
                        throw y.Error(hostsNode, $"expected vlan '{vlan.Name}' of host '{host.Name}' to have a name no other interface of the host has");
                    }

                    if ((host.Vlans ?? []).Count(v => v.Link == vlan.Link && v.Id == vlan.Id) > 1)
                    {
                        throw y.Error(hostsNode, $"expected one vlan of id {vlan.Id} on '{vlan.Link}' of host '{host.Name}'");
                    }
                }

                foreach (var vlan in host.Vlans ?? [])
                {
                    if (!interfaces.Add(vlan.Name))
                    {
                        throw y.Error(hostsNode, $"expected vlan '{vlan.Name}' of host '{host.Name}' to have a name no other interface of the host has");
                    }
                }
                foreach (var route in host.Routes)
                {
                    if (route.Device is { } dev && !interfaces.Contains(dev))
                    {
                        throw y.Error(hostsNode, $"expected route device '{dev}' of host '{host.Name}' to be one of its interfaces ({string.Join(", ", interfaces)})");
                    }
                }

                foreach (var key in host.Sysctls.Keys)
                {
                    if (NeighSysctl.IsNeigh(key) && NeighSysctl.TryParse(key, out var dev, out _, out _) && !interfaces.Contains(dev))
                    {
                        throw y.Error(hostsNode, $"expected the device of sysctl '{key}' of host '{host.Name}' to be one of its interfaces ({string.Join(", ", interfaces)})");
                    }
                }

                foreach (var f in host.Filters)
                {
                    foreach (var dev in new[] { f.InInterface, f.OutInterface })
                    {
                        if (dev is not null && !interfaces.Contains(dev))
                        {
                            throw y.Error(hostsNode, $"expected filter interface '{dev}' of host '{host.Name}' to be one of its interfaces ({string.Join(", ", interfaces)})");
                        }
                    }
                }

                foreach (var n in host.Neighbours ?? [])
                {
                    if (!interfaces.Contains(n.Device))
                    {
                        throw y.Error(hostsNode, $"expected neighbour device '{n.Device}' of host '{host.Name}' to be one of its interfaces ({string.Join(", ", interfaces)})");
                    }
                }
            }

            var duplicates = links.SelectMany(l => l.Ends).GroupBy(e => (e.Host, e.Interface)).FirstOrDefault(g => g.Count() > 1);
            if (duplicates is not null)
            {
                throw y.Error(hostsNode, $"expected interface '{duplicates.Key.Interface}' of host '{duplicates.Key.Host}' on one link only");
            }
        }

        private static readonly string[] Verbs =
            ["socket", "bind", "listen", "accept", "connect", "send", "sendto", "recv", "recvfrom", "shutdown", "close", "setsockopt", "ping", "sleep", "inject", "poll", "file", "pipe", "sendfile", "splice", "mmap_send", "echo_load", "link_set"];

        /// <summary>Verbs that name a new socket or end one cannot run twice in a row.</summary>
        private static readonly string[] Unrepeatable = ["socket", "accept", "close", "file", "pipe", "echo_load"];

        /// <summary>A step, or <c>repeat: N</c> identical copies of it (all with the step's line).</summary>
        private IEnumerable<Step> Steps(YamlNode node)
        {
            var times = 1;
            if (node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode("repeat"), out var r))
            {
                times = y.Int(r, "'repeat' of a step", 1, 1000);
                var verb = map.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value).FirstOrDefault(k => k is not ("repeat" or "expect"));
                if (verb is not null && Unrepeatable.Contains(verb))
                {
                    throw y.Error(r, $"expected 'repeat' only on a step that can run again ('{verb}' creates or ends a socket)");
                }
            }

            var step = Step(node);
            return Enumerable.Repeat(step, times);
        }

        private Step Step(YamlNode node)
        {
            var m = y.Map(node, "a step");
            var verbs = m.Keys.Where(k => k is not ("expect" or "repeat")).ToList();
            if (verbs.Count != 1 || !Verbs.Contains(verbs[0]))
            {
                throw y.Error(node, $"expected one step verb ({string.Join(", ", Verbs)}) and optionally 'expect' and 'repeat', got '{string.Join(", ", m.Keys)}'");
            }

            _ = m.Optional("repeat");

            var verb = verbs[0];
            var args = y.Map(m.Required(verb), $"'{verb}'");
            var line = (int)node.Start.Line;
            var expect = m.Optional("expect") is { } e ? Expect(e) : Expectation.Ok;
            m.Finish();
            Step step = verb switch
            {
                "socket" => CreateSocket(args, line, expect),
                "bind" => new BindStep(line, expect, Sock(args, out var o1), o1, Address(args.Required("address"), "'address' of bind"), args.OptionalInt("port", 0, 0, 65535)),
                "listen" => new ListenStep(line, expect, Sock(args, out var o2), o2, args.OptionalInt("backlog", 16, 0, 65535)),
                "accept" => Accept(args, line, expect),
                "connect" => Connect(args, line, expect),
                "send" => Send(args, line, expect, needsTo: false),
                "sendto" => Send(args, line, expect, needsTo: true),
                "recv" or "recvfrom" => Recv(args, line, expect),
                "shutdown" => new ShutdownStep(line, expect, Sock(args, out var o3), o3, y.Enum<ShutdownHow>(args.Required("how"), "'how' of shutdown")),
                "close" => Close(args, line, expect),
                "setsockopt" => new SetSockOptStep(line, expect, Sock(args, out var o4), o4, Option(args.RequiredString("option"), args.Required("value"))),
                "ping" => Ping(args, line, expect),
                "sleep" => new SleepStep(line, args.OptionalInt("ms", 0, 1, 10_000) is var ms and > 0 ? ms : throw y.Error(args.Node, "expected key 'ms' (1..10000) in 'sleep'")),
                "inject" => Inject(args, line, expect),
                "poll" => new PollStep(line, expect, Sock(args, out var o5), o5, PollEvents(args.RequiredString("events"), args), args.OptionalInt("timeout_ms", 0, 0, 10_000)),
                "file" => FileStep(args, line, expect),
                "pipe" => PipeStep(args, line, expect),
                "sendfile" => new SendfileStep(line, expect, Sock(args, out var o6), o6, Descriptor(args, "file", o6), args.OptionalInt("size", 0, 1, 1 << 20) is var n6 and > 0 ? n6 : throw y.Error(args.Node, "expected key 'size' (1..1048576) in 'sendfile'")),
                "splice" => Splice(args, line, expect),
                "mmap_send" => new MmapSendStep(line, expect, Sock(args, out var o7), o7, Descriptor(args, "file", o7), args.OptionalInt("size", 0, 1, 1 << 20) is var n7 and > 0 ? n7 : throw y.Error(args.Node, "expected key 'size' (1..1048576) in 'mmap_send'")),
                "echo_load" => EchoLoad(args, line, expect),
                "link_set" => LinkSet(args, line, expect),
                _ => throw new InvalidOperationException(verb),
            };
            args.Finish();
            return step;
        }

        /// <summary>A new descriptor name (a file, a pipe end): on a known host, not used before.</summary>
        private string NewDescriptor(MappingReader args, string key, string host)
        {
            var node = args.Required(key);
            var name = y.Scalar(node, $"'{key}'");
            if (_socketOwners.ContainsKey(name))
            {
                throw y.Error(node, $"expected a new name, '{name}' is taken");
            }

            _socketOwners[name] = host;
            return name;
        }

        /// <summary>An open descriptor named under <paramref name="key"/>, held by <paramref name="host"/> (the other end's host).</summary>
        private string Descriptor(MappingReader args, string key, string host)
        {
            var node = args.Required(key);
            var name = y.Scalar(node, $"'{key}'");
            if (!_socketOwners.TryGetValue(name, out var owner) || _closedSockets.Contains(name))
            {
                throw y.Error(node, $"expected an open descriptor (socket, file or pipe end) made by an earlier step, got '{name}'");
            }

            return owner == host ? name : throw y.Error(node, $"expected a descriptor of host '{host}', '{name}' is held by '{owner}'");
        }

        private FileStep FileStep(MappingReader args, int line, Expectation expect)
        {
            var host = KnownHost(args.Required("host"));
            var name = NewDescriptor(args, "name", host);
            var size = args.OptionalInt("size", 0, 0, 1 << 20);
            return new FileStep(line, expect, host, name, size);
        }

        private PipeStep PipeStep(MappingReader args, int line, Expectation expect)
        {
            var host = KnownHost(args.Required("host"));
            var r = NewDescriptor(args, "read", host);
            var w = NewDescriptor(args, "write", host);
            return new PipeStep(line, expect, host, r, w);
        }

        private SpliceStep Splice(MappingReader args, int line, Expectation expect)
        {
            var fromNode = args.Required("from");
            var from = y.Scalar(fromNode, "'from'");
            if (!_socketOwners.TryGetValue(from, out var host) || _closedSockets.Contains(from))
            {
                throw y.Error(fromNode, $"expected an open descriptor (socket, file or pipe end) made by an earlier step, got '{from}'");
            }

            var to = Descriptor(args, "to", host);
            var size = args.OptionalInt("size", 0, 1, 1 << 20) is var n and > 0 ? n : throw y.Error(args.Node, "expected key 'size' (1..1048576) in 'splice'");
            var nonblock = args.Optional("nonblock") is { } nb && y.Scalar(nb, "'nonblock' of splice") switch
            {
                "true" => true,
                "false" => false,
                _ => throw y.Error(nb, "expected true or false for 'nonblock' of splice"),
            };
            return new SpliceStep(line, expect, from, host, to, size, nonblock);
        }

        /// <summary>echo_load: a server host and model, the clients' host, the listening address and port, clients, rounds, request size.</summary>
        private EchoLoadStep EchoLoad(MappingReader args, int line, Expectation expect)
        {
            var server = KnownHost(args.Required("server"));
            var clients = KnownHost(args.Required("clients_from"));
            var model = y.Enum<EchoModel>(args.Required("model"), "'model' of echo_load");
            var address = Address(args.Required("address"), "'address' of echo_load");
            var port = args.OptionalInt("port", 0, 1, 65535) is var p and > 0 ? p : throw y.Error(args.Node, "expected key 'port' (1..65535) in 'echo_load'");
            return new EchoLoadStep(line, expect, server, clients, model, address, port,
                args.OptionalInt("clients", 20, 1, 64), args.OptionalInt("rounds", 5, 1, 100), args.OptionalInt("size", 64, 1, 4096));
        }

        /// <summary>"in|out|rdhup|pri": the poll(2) events a poll step asks for.</summary>
        private short PollEvents(string text, MappingReader args)
        {
            short events = 0;
            foreach (var name in text.Split('|', StringSplitOptions.TrimEntries))
            {
                events |= Oracle.StepOutcome.PollBit(name) ?? throw y.Error(args.Node, $"expected poll events from in, pri, out, rdhup joined by '|', got '{name}'");
            }

            return events;
        }

        private Expectation Expect(YamlNode node)
        {
            if (node is YamlScalarNode s)
            {
                return s.Value switch
                {
                    "ok" => Expectation.Ok,
                    "timeout" => new Expectation(ExpectKind.Timeout),
                    _ => throw y.Error(node, $"expected 'ok', 'timeout', {{bytes: N}} or {{errno: NAME}} for 'expect', got '{s.Value}'"),
                };
            }

            var m = y.Map(node, "'expect'");
            Expectation result;
            if (m.Optional("errno") is { } errnoNode)
            {
                var errno = y.Scalar(errnoNode, "'errno' of expect");
                if (!KnownErrnos.Contains(errno))
                {
                    throw y.Error(errnoNode, $"expected an errno name (ECONNREFUSED, EAGAIN, EHOSTUNREACH, ...), got '{errno}'");
                }

                result = new Expectation(ExpectKind.Errno, Errno: errno);
            }
            else
            {
                var bytes = y.Int(m.Required("bytes"), "'bytes' of expect", 0, 1 << 20);
                var data = m.Optional("data") is { } d ? Encoding.UTF8.GetBytes(y.Scalar(d, "'data' of expect")) : null;
                result = new Expectation(ExpectKind.Bytes, bytes, Data: data);
            }

            m.Finish();
            return result;
        }

        private CreateSocketStep CreateSocket(MappingReader args, int line, Expectation expect)
        {
            var host = KnownHost(args.Required("host"));
            var nameNode = args.Required("name");
            var name = y.Scalar(nameNode, "'name' of socket");
            if (!_socketOwners.TryAdd(name, host))
            {
                throw y.Error(nameNode, $"expected a new socket name, '{name}' exists");
            }

            var kind = y.Enum<SocketKind>(args.Required("type"), "'type' of socket");
            if (kind == SocketKind.Tcp)
            {
                _streamSockets.Add(name);
            }

            var options = new List<SocketOption>();
            if (args.Optional("options") is { } o)
            {
                foreach (var (k, v) in y.Map(o, "socket options").Node.Children)
                {
                    options.Add(Option(y.Scalar(k, "a socket option"), v));
                }
            }

            return new CreateSocketStep(line, expect, name, host, kind, options);
        }

        private static readonly string[] Options =
            ["SO_RCVBUF", "SO_SNDBUF", "SO_RCVBUFFORCE", "SO_SNDBUFFORCE", "SO_REUSEADDR", "SO_REUSEPORT", "SO_BROADCAST", "SO_KEEPALIVE", "SO_LINGER", "IP_TTL", "IP_RECVERR", "IP_MTU_DISCOVER", "TCP_NODELAY", "TCP_CONGESTION", "TCP_MAXSEG", "TCP_QUICKACK"];

        private SocketOption Option(string name, YamlNode value)
        {
            if (!Options.Contains(name))
            {
                throw y.Error(value, $"expected a socket option ({string.Join(", ", Options)}), got '{name}'");
            }

            var text = y.Scalar(value, $"option {name}");
            if (name == "TCP_CONGESTION")
            {
                if (!Regex.IsMatch(text, "^[a-z0-9_]{1,15}$"))
                {
                    throw y.Error(value, $"expected a congestion control name (cubic, reno, bbr), got '{text}'");
                }
            }
            else if (name == "SO_LINGER")
            {
                // close() sleeps up to this many seconds: bounded as every blocking step is
                y.Int(value, $"option {name} (seconds close may wait)", 0, Oracle.StepOutcome.BlockingLimitMs / 1000);
            }
            else
            {
                y.Int(value, $"option {name}", 0, int.MaxValue);
            }

            return new SocketOption(name, text);
        }

        private AcceptStep Accept(MappingReader args, int line, Expectation expect)
        {
            var sock = Sock(args, out var owner);
            var nameNode = args.Required("name");
            var name = y.Scalar(nameNode, "'name' of accept");
            if (!_socketOwners.TryAdd(name, owner))
            {
                throw y.Error(nameNode, $"expected a new socket name, '{name}' exists");
            }

            _streamSockets.Add(name);
            var (mode, timeout) = Wait(args);
            return new AcceptStep(line, expect, sock, owner, name, mode, timeout);
        }

        private ConnectStep Connect(MappingReader args, int line, Expectation expect)
        {
            var sock = Sock(args, out var owner);
            var to = EndPoint(args.Required("to"), "'to' of connect");
            var (mode, timeout) = Wait(args);
            return new ConnectStep(line, expect, sock, owner, to.Address, to.Port, mode, timeout);
        }

        private SendStep Send(MappingReader args, int line, Expectation expect, bool needsTo)
        {
            var sock = Sock(args, out var owner);
            var to = needsTo ? EndPoint(args.Required("to"), "'to' of sendto") : null;
            var payload = PayloadOf(args, 1 << 20); // a datagram above 65507 bytes is the kernel's to refuse (EMSGSIZE)
            var (mode, timeout) = Wait(args);
            return new SendStep(line, expect, sock, owner, payload, to, mode, timeout);
        }

        private RecvStep Recv(MappingReader args, int line, Expectation expect)
        {
            var sock = Sock(args, out var owner);
            var size = args.OptionalInt("size", 65536, 1, 1 << 20);
            var (mode, timeout) = Wait(args);
            return new RecvStep(line, expect, sock, owner, size, mode, timeout);
        }

        private CloseStep Close(MappingReader args, int line, Expectation expect)
        {
            var sock = Sock(args, out var owner);
            _closedSockets.Add(sock);
            return new CloseStep(line, expect, sock, owner);
        }

        private PingStep Ping(MappingReader args, int line, Expectation expect)
        {
            var host = KnownHost(args.Required("host"));
            var to = Address(args.Required("to"), "'to' of ping");
            return new PingStep(line, expect, host, to,
                args.OptionalInt("id", 1, 0, 65535), args.OptionalInt("seq", 1, 0, 65535),
                args.OptionalInt("size", 56, 0, 65000), args.OptionalInt("timeout_ms", 1000, 1, 10_000));
        }

        /// <summary><c>link_set: { link: l0, host: a, state: down }</c>: `ip link set DEV up|down` on the host's end of the link.</summary>
        private LinkSetStep LinkSet(MappingReader args, int line, Expectation expect)
        {
            var linkNode = args.Required("link");
            var link = y.Scalar(linkNode, "'link' of link_set");
            if (!_links.TryGetValue(link, out var spec))
            {
                throw y.Error(linkNode, $"expected a link name ({string.Join(", ", _links.Keys)}), got '{link}'");
            }

            var hostNode = args.Required("host");
            var host = KnownHost(hostNode);
            if (spec.Ends.All(e => e.Host != host))
            {
                throw y.Error(hostNode, $"expected a host on link '{link}', got '{host}'");
            }

            var stateNode = args.Required("state");
            var state = y.Scalar(stateNode, "'state' of link_set");
            if (state is not ("up" or "down"))
            {
                throw y.Error(stateNode, $"expected 'up' or 'down' as 'state' of link_set, got '{state}'");
            }

            return new LinkSetStep(line, expect, link, host, state == "up");
        }

        private InjectStep Inject(MappingReader args, int line, Expectation expect)
        {
            var linkNode = args.Required("link");
            var link = y.Scalar(linkNode, "'link' of inject");
            if (!_links.TryGetValue(link, out var spec))
            {
                throw y.Error(linkNode, $"expected a link name ({string.Join(", ", _links.Keys)}), got '{link}'");
            }

            var fromNode = args.Required("from");
            var from = KnownHost(fromNode);
            if (spec.Ends.All(e => e.Host != from))
            {
                throw y.Error(fromNode, $"expected a host on link '{link}', got '{from}'");
            }

            // one frame, or a list of frames sent back to back in the one step
            var hexNode = args.Required("hex");
            IReadOnlyList<YamlNode> frameNodes = hexNode is YamlSequenceNode ? y.Seq(hexNode, "'hex' of inject") : [hexNode];
            if (frameNodes.Count == 0)
            {
                throw y.Error(hexNode, "expected at least one frame in 'hex' of inject");
            }

            // a frame shorter than an Ethernet header is allowed: Linux refuses it at send (EINVAL, dev_validate_header)
            var frames = new List<byte[]>();
            foreach (var node in frameNodes)
            {
                frames.Add(Hex(node, "'hex' of inject"));
            }

            return new InjectStep(line, expect, link, from, frames[0]) { Frames = frames };
        }

        private (WaitMode Mode, int TimeoutMs) Wait(MappingReader args)
        {
            var mode = args.Optional("mode") is { } m ? y.Enum<WaitMode>(m, "'mode'") : WaitMode.Timeout;
            var timeout = args.OptionalInt("timeout_ms", 1000, 1, 10_000);
            return (mode, timeout);
        }

        private Payload PayloadOf(MappingReader args, int maxSize)
        {
            var data = args.Optional("data");
            var hex = args.Optional("hex");
            var size = args.Optional("size");
            var given = new[] { data, hex, size }.Count(n => n is not null);
            if (given != 1)
            {
                throw y.Error(args.Node, "expected exactly one of 'data', 'hex' or 'size'");
            }

            return data is not null ? new Payload(Encoding.UTF8.GetBytes(y.Scalar(data, "'data'")))
                : hex is not null ? new Payload(Hex(hex, "'hex'"))
                : Payload.Pattern(y.Int(size!, "'size'", 0, maxSize));
        }

        private string Sock(MappingReader args, out string owner)
        {
            var node = args.Required("socket");
            var name = y.Scalar(node, "'socket'");
            if (!_socketOwners.TryGetValue(name, out owner!))
            {
                throw y.Error(node, $"expected a socket created by an earlier step, got '{name}'");
            }

            if (_closedSockets.Contains(name))
            {
                throw y.Error(node, $"expected an open socket, '{name}' was closed");
            }

            return name;
        }

        private string KnownHost(YamlNode node)
        {
            var name = y.Scalar(node, "a host");
            return _hosts.ContainsKey(name) ? name : throw y.Error(node, $"expected a host ({string.Join(", ", _hosts.Keys)}), got '{name}'");
        }

        private IPAddress Address(YamlNode node, string what)
        {
            var text = y.Scalar(node, what);
            return IPAddress.TryParse(text, out var a) && a.AddressFamily == AddressFamily.InterNetwork && text.Count(c => c == '.') == 3
                ? a
                : throw y.Error(node, $"expected an IPv4 address for {what}, got '{text}'");
        }

        private Ipv4Prefix Prefix(YamlNode node, string what, bool network, bool bareAddress = false)
        {
            var text = y.Scalar(node, what);
            var parts = text.Split('/');
            if (parts.Length == 1 && bareAddress && IPAddress.TryParse(text, out var bare) && bare.AddressFamily == AddressFamily.InterNetwork)
            {
                return new Ipv4Prefix(bare, 32);
            }

            if (parts.Length != 2 || !IPAddress.TryParse(parts[0], out var a) || a.AddressFamily != AddressFamily.InterNetwork
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var len) || len > 32)
            {
                throw y.Error(node, $"expected an IPv4 prefix like 10.0.0.1/24 for {what}, got '{text}'");
            }

            if (network)
            {
                var mask = len == 0 ? 0u : uint.MaxValue << (32 - len);
                var value = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(a.GetAddressBytes());
                if ((value & ~mask) != 0)
                {
                    throw y.Error(node, $"expected a network address (host bits zero) for {what}, got '{text}'");
                }
            }

            return new Ipv4Prefix(a, len);
        }

        private IPEndPoint EndPoint(YamlNode node, string what)
        {
            var text = y.Scalar(node, what);
            var colon = text.LastIndexOf(':');
            if (colon > 0 && IPAddress.TryParse(text[..colon], out var a) && a.AddressFamily == AddressFamily.InterNetwork
                && int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535)
            {
                return new IPEndPoint(a, port);
            }

            throw y.Error(node, $"expected ADDRESS:PORT like 10.0.0.2:9000 for {what}, got '{text}'");
        }

        private byte[] Hex(YamlNode node, string what)
        {
            var text = new string(y.Scalar(node, what).Where(c => !char.IsWhiteSpace(c)).ToArray());
            try
            {
                return text.Length > 0 ? Convert.FromHexString(text) : throw new FormatException();
            }
            catch (FormatException)
            {
                throw y.Error(node, $"expected an even number of hex digits for {what}");
            }
        }
    }
}
