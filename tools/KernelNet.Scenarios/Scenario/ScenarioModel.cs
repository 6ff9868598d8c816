using System.Collections.Generic;
using System.Net;

namespace KernelNet.Scenarios.Scenario;

// The object model of one scenario file (docs/scenarios.md). Plain records so that
// the recorder (real Linux) and the simulation runner execute the same steps.

/// <summary>
/// One scenario: a topology, a strictly ordered step script, and the comparison levels that must
/// match (<see cref="Levels"/>: every level except those marked informative, each with its reason).
/// </summary>
public sealed record ScenarioSpec(
    string Name,
    string Description,
    IReadOnlyList<ComparisonLevel> Levels,
    IReadOnlyList<string> Tracepoints,
    IReadOnlyList<HostSpec> Hosts,
    IReadOnlyList<LinkSpec> Links,
    IReadOnlyList<Step> Steps,
    string SourcePath)
{
    /// <summary>Levels the scenario marks informative, each with the real-kernel mechanism that makes it differ between two real runs.</summary>
    public IReadOnlyDictionary<ComparisonLevel, string> InformativeLevels { get; init; } = new Dictionary<ComparisonLevel, string>();

    /// <summary>Every level: required unless <see cref="InformativeLevels"/> names it.</summary>
    public static IReadOnlyList<ComparisonLevel> AllLevels { get; } = System.Enum.GetValues<ComparisonLevel>();

    /// <summary>The tracepoints recorded when a scenario does not list its own.</summary>
    public static readonly IReadOnlyList<string> DefaultTracepoints =
    [
        "net:net_dev_queue", "net:net_dev_xmit", "net:netif_rx", "net:netif_receive_skb",
        "skb:kfree_skb", "skb:consume_skb", "skb:skb_copy_datagram_iovec",
        "sock:inet_sock_set_state", "sock:sock_rcvqueue_full", "udp:udp_fail_queue_rcv_skb",
        "neigh:neigh_create", "neigh:neigh_update", "neigh:neigh_update_done", "neigh:neigh_timer_handler",
        "neigh:neigh_event_send_done", "neigh:neigh_event_send_dead",
    ];
}

/// <summary>The levels at which a simulated run is compared with a recording, strictest last.</summary>
public enum ComparisonLevel
{
    /// <summary>Each step's outcome: return value or errno, byte count, the data a read returned.</summary>
    Steps,
    Counters,
    /// <summary>The frames on each link, headers and a digest of their payload.</summary>
    Wire,
    Sockets,
    Journeys,
    /// <summary>The gaps that timers make between frames of one flow (docs/scenarios.md, "Timing").</summary>
    Timing,
    /// <summary>Each echo_load step's context switches of its server tasks per request (docs/scenarios.md, "Switches").</summary>
    Switches,
    Order,
}

/// <summary>A host: one network namespace with its sysctls, routes and filter rules.</summary>
public sealed record HostSpec(
    string Name,
    IReadOnlyDictionary<string, string> Sysctls,
    IReadOnlyList<RouteSpec> Routes,
    IReadOnlyList<FilterRule> Filters,
    IReadOnlyList<NeighbourSpec>? Neighbours = null,
    IReadOnlyList<VlanSpec>? Vlans = null);

/// <summary>
/// An 802.1Q device of a host: `ip link add link LINK name NAME type vlan id ID`, its address
/// added and brought up once the links are. <paramref name="Link"/> is one of the host's link
/// interfaces; <paramref name="Name"/> is the interface name steps and routes use.
/// </summary>
public sealed record VlanSpec(string Name, string Link, int Id, Ipv4Prefix? Address);

/// <summary>A permanent neighbour entry: `ip neigh add ADDRESS lladdr MAC dev DEV nud permanent`.</summary>
public sealed record NeighbourSpec(IPAddress Address, string Mac, string Device);

public enum LinkKind
{
    /// <summary>A veth pair between interfaces of two hosts (or of one host).</summary>
    Veth,
    /// <summary>The loopback device of one host.</summary>
    Loopback,
    /// <summary>Two igb-like NICs joined by a cable: simulation only.</summary>
    Cable,
    /// <summary>Two virtio-net PCI devices (virtio_net driver) joined by a cable: simulation only.</summary>
    Virtio,
}

/// <summary>
/// A link and its ends; a loopback link has one end. <paramref name="GsoMaxSegs"/> is
/// `ip link set DEV gso_max_segs N` on every end (null: the device's default, 65535).
/// </summary>
public sealed record LinkSpec(string Name, LinkKind Kind, int Mtu, IReadOnlyList<LinkEnd> Ends, int? GsoMaxSegs = null);

/// <summary>
/// One end of a link: an interface of a host, its address and MAC (fixed, so runs compare).
/// <paramref name="RpsCpus"/> is the hex CPU mask written to the interface's
/// queues/rx-0/rps_cpus (null: left at 0, no RPS).
/// </summary>
public sealed record LinkEnd(string Host, string Interface, Ipv4Prefix? Address, string Mac, string? RpsCpus = null);

/// <summary>An IPv4 address with its prefix length (10.0.0.1/24), or a network in a route/filter.</summary>
public readonly record struct Ipv4Prefix(IPAddress Address, int PrefixLength)
{
    public override string ToString() => $"{Address}/{PrefixLength}";
}

/// <summary>A route: destination network (0.0.0.0/0 for default), optional gateway, device and source.</summary>
public sealed record RouteSpec(Ipv4Prefix Destination, IPAddress? Via, string? Device, IPAddress? Source);

public enum FilterChain
{
    Prerouting,
    Input,
    Forward,
    Output,
    Postrouting,
}

public enum FilterAction
{
    Accept,
    Drop,

    /// <summary>Source NAT to the output interface's address (postrouting only).</summary>
    Masquerade,

    /// <summary>Destination NAT to <see cref="FilterRule.To"/> (prerouting only).</summary>
    Dnat,
}

/// <summary>Connection-tracking states a rule matches (nft `ct state`, iptables `-m conntrack --ctstate`).</summary>
[System.Flags]
public enum CtState
{
    None = 0,
    New = 1,
    Established = 2,
    Related = 4,
    Invalid = 8,
}

/// <summary>Where a DNAT rule sends the connection: an address and optionally a port.</summary>
public sealed record NatTo(IPAddress Address, int? Port)
{
    public override string ToString() => Port is { } p ? $"{Address}:{p}" : Address.ToString();
}

public enum FilterProtocol
{
    Any,
    Icmp,
    Udp,
    Tcp,
}

/// <summary>
/// A simple filter rule (drop/accept by protocol, address, port) on one netfilter hook, optionally
/// also by the IP total length (<paramref name="Length"/>, inclusive) and then by position among
/// the packets that matched everything else (<paramref name="Nth"/>).
/// </summary>
public sealed record FilterRule(
    FilterChain Chain,
    FilterAction Action,
    FilterProtocol Protocol,
    Ipv4Prefix? Source,
    Ipv4Prefix? Destination,
    int? SourcePort,
    int? DestinationPort,
    LengthRange? Length = null,
    NthMatch? Nth = null,
    CtState CtState = CtState.None,
    string? InInterface = null,
    string? OutInterface = null,
    NatTo? To = null);

/// <summary>An inclusive range of IP total lengths (nft `ip length MIN-MAX`, iptables `-m length`).</summary>
public sealed record LengthRange(int Min, int Max);

/// <summary>
/// Matches the packets numbered Packet, Packet + Every, ... (from 0) among those that reach it
/// (nft `numgen inc mod EVERY == PACKET`, iptables `-m statistic --mode nth`).
/// </summary>
public sealed record NthMatch(int Every, int Packet);

public enum SocketKind
{
    Udp,
    Tcp,
}

/// <summary>How a call that may block waits: blocking, MSG_DONTWAIT, or blocking with SO_RCVTIMEO/SO_SNDTIMEO.</summary>
public enum WaitMode
{
    Blocking,
    NonBlocking,
    Timeout,
}

public enum ShutdownHow
{
    Read,
    Write,
    Both,
}

/// <summary>A socket option by its kernel name (SO_RCVBUF, SO_REUSEADDR, TCP_NODELAY, TCP_CONGESTION, ...).</summary>
public sealed record SocketOption(string Name, string Value);

/// <summary>Data to send: literal text, hex bytes, or <c>Size</c> bytes of the pattern 0x00, 0x01, ... 0xff, 0x00, ...</summary>
public sealed record Payload(byte[] Bytes)
{
    public static Payload Pattern(int size)
    {
        var bytes = new byte[size];
        for (var i = 0; i < size; i++)
        {
            bytes[i] = (byte)i;
        }

        return new Payload(bytes);
    }
}

public enum ExpectKind
{
    /// <summary>Nothing checked beyond "did not fail" (the default).</summary>
    Ok,
    /// <summary>The call returned this byte count (and, for recv, optionally these bytes).</summary>
    Bytes,
    /// <summary>The call failed with this errno name (ECONNREFUSED, EAGAIN, EHOSTUNREACH, ...).</summary>
    Errno,
    /// <summary>The call timed out (EAGAIN after SO_RCVTIMEO, or no echo reply within the timeout).</summary>
    Timeout,
}

/// <summary>What a step is expected to return.</summary>
public sealed record Expectation(ExpectKind Kind, int? Bytes = null, string? Errno = null, byte[]? Data = null)
{
    public static readonly Expectation Ok = new(ExpectKind.Ok);

    public override string ToString() => Kind switch
    {
        ExpectKind.Bytes => $"{Bytes} bytes",
        ExpectKind.Errno => Errno!,
        ExpectKind.Timeout => "timeout",
        _ => "ok",
    };
}

/// <summary>One step of the script; <see cref="Line"/> is its line in the scenario file.</summary>
public abstract record Step(int Line, Expectation Expect)
{
    /// <summary>The host whose namespace runs this step.</summary>
    public abstract string Host { get; }
}

/// <summary>Steps on an existing socket name the socket; the socket belongs to the host that created it.</summary>
public abstract record SocketStep(int Line, Expectation Expect, string Socket, string OwnerHost) : Step(Line, Expect)
{
    public override string Host => OwnerHost;
}

public sealed record CreateSocketStep(int Line, Expectation Expect, string Socket, string OwnerHost, SocketKind Kind, IReadOnlyList<SocketOption> Options)
    : SocketStep(Line, Expect, Socket, OwnerHost);

public sealed record BindStep(int Line, Expectation Expect, string Socket, string OwnerHost, IPAddress Address, int Port)
    : SocketStep(Line, Expect, Socket, OwnerHost);

public sealed record ListenStep(int Line, Expectation Expect, string Socket, string OwnerHost, int Backlog)
    : SocketStep(Line, Expect, Socket, OwnerHost);

public sealed record AcceptStep(int Line, Expectation Expect, string Socket, string OwnerHost, string NewSocket, WaitMode Mode, int TimeoutMs)
    : SocketStep(Line, Expect, Socket, OwnerHost);

public sealed record ConnectStep(int Line, Expectation Expect, string Socket, string OwnerHost, IPAddress Address, int Port, WaitMode Mode, int TimeoutMs)
    : SocketStep(Line, Expect, Socket, OwnerHost);

/// <summary>send (To null, connected socket) or sendto.</summary>
public sealed record SendStep(int Line, Expectation Expect, string Socket, string OwnerHost, Payload Payload, IPEndPoint? To, WaitMode Mode, int TimeoutMs)
    : SocketStep(Line, Expect, Socket, OwnerHost);

/// <summary>recv or recvfrom (the same call here: the source is recorded either way).</summary>
public sealed record RecvStep(int Line, Expectation Expect, string Socket, string OwnerHost, int Size, WaitMode Mode, int TimeoutMs)
    : SocketStep(Line, Expect, Socket, OwnerHost);

/// <summary>poll(2) on one socket for <see cref="Events"/> (POLLIN, POLLPRI, POLLOUT, POLLRDHUP bits); the outcome names the revents.</summary>
public sealed record PollStep(int Line, Expectation Expect, string Socket, string OwnerHost, short Events, int TimeoutMs)
    : SocketStep(Line, Expect, Socket, OwnerHost);

public sealed record ShutdownStep(int Line, Expectation Expect, string Socket, string OwnerHost, ShutdownHow How)
    : SocketStep(Line, Expect, Socket, OwnerHost);

public sealed record CloseStep(int Line, Expectation Expect, string Socket, string OwnerHost)
    : SocketStep(Line, Expect, Socket, OwnerHost);

public sealed record SetSockOptStep(int Line, Expectation Expect, string Socket, string OwnerHost, SocketOption Option)
    : SocketStep(Line, Expect, Socket, OwnerHost);

/// <summary>
/// A new file of <see cref="Size"/> pattern bytes (0x00, 0x01, ...) on <see cref="FileHost"/>, written,
/// rewound and kept open read-write under the descriptor name <see cref="Name"/>; its name is unlinked at
/// once, so it lives while open (tmpfs in the simulation, the recorder's temp directory on real Linux).
/// </summary>
public sealed record FileStep(int Line, Expectation Expect, string FileHost, string Name, int Size) : Step(Line, Expect)
{
    public override string Host => FileHost;
}

/// <summary>pipe2(2) on <see cref="PipeHost"/>: the read end named <see cref="ReadEnd"/>, the write end <see cref="WriteEnd"/>.</summary>
public sealed record PipeStep(int Line, Expectation Expect, string PipeHost, string ReadEnd, string WriteEnd) : Step(Line, Expect)
{
    public override string Host => PipeHost;
}

/// <summary>sendfile(2) of <see cref="Size"/> bytes of the file <see cref="File"/> (from its position) to the socket.</summary>
public sealed record SendfileStep(int Line, Expectation Expect, string Socket, string OwnerHost, string File, int Size)
    : SocketStep(Line, Expect, Socket, OwnerHost);

/// <summary>splice(2) of up to <see cref="Size"/> bytes from the descriptor <c>Socket</c> to <see cref="To"/> (one of them a pipe end), SPLICE_F_NONBLOCK when asked.</summary>
public sealed record SpliceStep(int Line, Expectation Expect, string Socket, string OwnerHost, string To, int Size, bool NonBlock)
    : SocketStep(Line, Expect, Socket, OwnerHost);

/// <summary>mmap(2) of the first <see cref="Size"/> bytes of the file <see cref="File"/>, write(2) of them from the mapping to the socket, munmap.</summary>
public sealed record MmapSendStep(int Line, Expectation Expect, string Socket, string OwnerHost, string File, int Size)
    : SocketStep(Line, Expect, Socket, OwnerHost);

/// <summary>One ICMP echo request from a raw socket of <paramref name="PingHost"/>, waiting up to TimeoutMs for the reply.</summary>
public sealed record PingStep(int Line, Expectation Expect, string PingHost, IPAddress Destination, int Identifier, int Sequence, int Size, int TimeoutMs)
    : Step(Line, Expect)
{
    public override string Host => PingHost;
}

public sealed record SleepStep(int Line, int Milliseconds) : Step(Line, Expectation.Ok)
{
    public override string Host => "";
}

/// <summary>Sends a raw Ethernet frame (or several, back to back) out of one end of a link (an AF_PACKET socket on that interface).</summary>
public sealed record InjectStep(int Line, Expectation Expect, string LinkName, string FromHost, byte[] Frame)
    : Step(Line, Expect)
{
    /// <summary>Every frame of the step, in order (<c>hex</c> given as a list); just <see cref="Frame"/> otherwise.</summary>
    public IReadOnlyList<byte[]> Frames { get; init; } = [Frame];

    public override string Host => FromHost;
}

/// <summary>`ip link set DEV up|down` on <see cref="LinkHost"/>'s end of the link <see cref="LinkName"/> (SIOCSIFFLAGS: IFF_UP set or cleared).</summary>
public sealed record LinkSetStep(int Line, Expectation Expect, string LinkName, string LinkHost, bool Up) : Step(Line, Expect)
{
    public override string Host => LinkHost;
}

/// <summary>How an <see cref="EchoLoadStep"/>'s server waits for its connections.</summary>
public enum EchoModel
{
    /// <summary>One task: a non-blocking listener and every accepted connection in one epoll set (epoll_create1, epoll_ctl ADD, epoll_wait).</summary>
    Epoll,
    /// <summary>An acceptor and one thread per connection, blocking in read and write.</summary>
    Threads,
}

/// <summary>
/// An echo workload: a TCP server on <see cref="ServerHost"/> (listening on Address:Port, by <see cref="Model"/>)
/// and <see cref="Clients"/> client threads on <see cref="ClientHost"/>, each connecting and then making
/// <see cref="Rounds"/> requests of <see cref="Size"/> bytes, each echoed back. Outcome "N requests" served.
/// </summary>
public sealed record EchoLoadStep(int Line, Expectation Expect, string ServerHost, string ClientHost, EchoModel Model, IPAddress Address, int Port, int Clients, int Rounds, int Size)
    : Step(Line, Expect)
{
    public override string Host => ServerHost;

    public int Requests => Clients * Rounds;
}
