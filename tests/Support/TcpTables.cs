using System.Collections.Generic;
using KernelNet.Kernel.Include.Net;

namespace KernelNet.Tests.Support;

/// <summary>Reading TCP's hash tables (inet_hashinfo) in bucket order, as tests look at them.</summary>
public static class TcpTables
{
    /// <summary>Every sock on the established table's chains: bucket by bucket in index order, each chain first to last.</summary>
    public static List<sock> EhashSocks(inet_hashinfo h)
    {
        var socks = new List<sock>();
        foreach (var bucket in h.ehash)
        {
            foreach (var sk in sock_h.sk_nulls_for_each(bucket.chain))
            {
                socks.Add(sk);
            }
        }

        return socks;
    }

    /// <summary>Every listener on the lhash2 chains, in bucket order.</summary>
    public static List<sock> ListenerSocks(inet_hashinfo h)
    {
        var socks = new List<sock>();
        foreach (var bucket in h.lhash2)
        {
            foreach (var sk in sock_h.sk_nulls_for_each(bucket.nulls_head))
            {
                socks.Add(sk);
            }
        }

        return socks;
    }

    /// <summary>Every bind bucket as (namespace, port), in bhash bucket order.</summary>
    public static List<(net Net, ushort Port)> BoundPorts(inet_hashinfo h)
    {
        var ports = new List<(net, ushort)>();
        foreach (var bucket in h.bhash)
        {
            for (var tb = bucket.chain.first; tb is not null; tb = tb.node.next)
            {
                ports.Add((tb.ib_net, tb.port));
            }
        }

        return ports;
    }
}
