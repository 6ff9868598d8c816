// Ports the structures of include/linux/types.h the port uses: struct
// callback_head, better known as struct rcu_head, the link an object embeds to
// be handed to call_rcu; struct hlist_head and struct hlist_node, the chains
// of hash tables.
//
// departure: an hlist_node is embedded in the entry it links (sk_bind_node in
// struct sock) and names entries, not nodes: next is the next entry, pprev the
// previous entry (null for the chain's first, whose link is the head's first;
// code that unlinks the first entry is given the head). The operations are
// written out by their users (sock.h's sk_add_bind_node, __sk_del_bind_node).
using System;

namespace KernelNet.Kernel.Include.Linux;

/// <summary>
/// struct callback_head (rcu_head): what an object embeds to wait on an RCU
/// grace period. C recovers the object with container_of; here the head keeps
/// a reference to its container.
/// </summary>
public sealed class rcu_head
{
    public rcu_head(object container)
    {
        this.container = container;
    }

    /// <summary>The object this head is embedded in (container_of).</summary>
    public object container { get; }

    /// <summary>The callback call_rcu was given.</summary>
    public Action<rcu_head>? func { get; set; }

    /// <summary>The grace-period number this callback waits for, once rcu_segcblist_accelerate gave it one.</summary>
    public ulong gp_seq { get; set; }

    /// <summary>The segment the callback is in (RCU_DONE_TAIL .. RCU_NEXT_TAIL of include/linux/rcu_segcblist.h).</summary>
    public int seg { get; set; }
}

/// <summary>struct hlist_head: the first entry of a hash chain of <typeparamref name="T"/>.</summary>
public struct hlist_head<T>
    where T : class
{
    public T? first;
}

/// <summary>struct hlist_node: the link an entry of type <typeparamref name="T"/> embeds (see the departure above).</summary>
public struct hlist_node<T>
    where T : class
{
    public T? next;

    public T? pprev;
}
