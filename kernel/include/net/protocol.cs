// Ports include/net/protocol.h: struct net_protocol, a transport's receive
// and ICMP-error entry points.
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
