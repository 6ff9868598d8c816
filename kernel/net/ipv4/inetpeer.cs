// Ports net/ipv4/inetpeer.c: per-peer state, here only what ICMP rate
// limiting needs (a token bucket per destination).
using System.Collections.Generic;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Net.Netns;

namespace KernelNet.Kernel.Net.Ipv4;

/// <summary>struct inet_peer.</summary>
public sealed class inet_peer
{
    public ulong rate_tokens { get; set; }

    public ulong rate_last { get; set; }
}

public static class inetpeer_c
{
    /// <summary>XRLIM_BURST_FACTOR: a peer may save up six timeouts' worth of tokens.</summary>
    private const ulong XRLIM_BURST_FACTOR = 6;

    // net/ipv4/inetpeer.c: inet_getpeer
    /// <summary>The peer entry for <paramref name="daddr"/>, new ones with a full bucket (rate_last 60 s ago).</summary>
    public static inet_peer inet_getpeer(net net, uint daddr)
    {
        // not ported: kmem_cache_alloc — the port creates no inet_peer kmem_cache (mm/slab counts only the caches it creates): a new object
        // not ported: lookup — the peers are a dictionary keyed by address (no rbtree walk under a seqlock)
        // not ported: inet_peer_gc — peers are never reclaimed: a scenario talks to a handful of addresses
        var ipv4 = netns_ipv4.of(net);
        if (!ipv4.priv.TryGetValue(typeof(inet_peer), out var o))
        {
            o = new Dictionary<uint, inet_peer>();
            ipv4.priv[typeof(inet_peer)] = o;
        }

        var peers = (Dictionary<uint, inet_peer>)o;
        if (!peers.TryGetValue(daddr, out var p))
        {
            p = new inet_peer { rate_last = net.k.jiffies - (60 * (ulong)Vmlinux.HZ) };
            peers.Add(daddr, p);
        }

        return p;
    }

    // net/ipv4/inetpeer.c: inet_peer_xrlim_allow
    /// <summary>Token bucket: one token per jiffy, a message costs <paramref name="timeout"/> tokens.</summary>
    public static bool inet_peer_xrlim_allow(Vmlinux k, inet_peer? peer, ulong timeout)
    {
        if (peer is null)
        {
            return true;
        }

        var token = peer.rate_tokens;
        var now = k.jiffies;
        var delta = now - peer.rate_last;
        if (delta != 0)
        {
            peer.rate_last = now;
            token += delta;
            if (token > XRLIM_BURST_FACTOR * timeout)
            {
                token = XRLIM_BURST_FACTOR * timeout;
            }
        }

        var rc = false;
        if (token >= timeout)
        {
            token -= timeout;
            rc = true;
        }

        peer.rate_tokens = token;
        return rc;
    }
}
