// Ports include/net/protocol.h: struct net_protocol, a transport's receive
// and ICMP-error entry points, and struct inet_protosw, what inet_create
// looks up by socket type and protocol.
using System;
using KernelNet.Kernel.Include.Linux;

namespace KernelNet.Kernel.Include.Net;

/// <summary>struct net_protocol.</summary>
public sealed class net_protocol
{
    /// <summary>Receive: consumes the skb; a negative return resubmits to protocol -ret.</summary>
    public required Func<sk_buff, int> handler { get; init; }

    /// <summary>An ICMP error about a packet of this protocol (the skb holds the ICMP payload at data).</summary>
    public Func<sk_buff, uint, int>? err_handler { get; init; }

    public bool no_policy { get; init; } = true;
}

/// <summary>struct inet_protosw: one (type, protocol) pair socket() can ask for, with its proto and proto_ops.</summary>
public sealed class inet_protosw
{
    public required short type { get; init; }

    /// <summary>The L4 protocol number; IPPROTO_IP is a wildcard (raw sockets take any).</summary>
    public required int protocol { get; init; }

    public required proto prot { get; init; }

    public required proto_ops ops { get; init; }

    /// <summary>INET_PROTOSW_REUSE, INET_PROTOSW_PERMANENT, INET_PROTOSW_ICSK.</summary>
    public byte flags { get; init; }
}

public static class protocol_h
{
    /// <summary>Are ports automatically reusable?</summary>
    public const byte INET_PROTOSW_REUSE = 0x01;

    /// <summary>Permanent protocols are unremovable.</summary>
    public const byte INET_PROTOSW_PERMANENT = 0x02;

    /// <summary>Is this an inet_connection_sock?</summary>
    public const byte INET_PROTOSW_ICSK = 0x04;
}
