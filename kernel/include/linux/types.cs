// Ports the structures of include/linux/types.h the port uses: struct
// callback_head, better known as struct rcu_head, the link an object embeds to
// be handed to call_rcu; struct hlist_head and struct hlist_node, the chains
// of hash tables.
//
// departure: an hlist_node is embedded in the entry it links (sk_bind_node in
// struct sock) and names entries, not nodes: next is the next entry, pprev the
// previous entry (null for the chain's first, whose link is the head's first;
// code that unlinks the first entry is given the head). Linking and
// unlinking go through types_h below, told which of the entry's nodes the chain
// uses (the member C's hlist_entry names).
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

/// <summary>Names the hlist_node an entry embeds for one chain (the member C's hlist_entry and container_of name).</summary>
public delegate ref hlist_node<T> hlist_member<T>(T entry)
    where T : class;

public static class types_h
{
    /// <summary>Makes <paramref name="n"/> the first entry of <paramref name="h"/>, linked through its <paramref name="member"/> node.</summary>
    [KernelNet.Annotations.NotInLinux("include/linux/list.h's hlist_add_head (rculist.h's hlist_add_head_rcu) on the node the entry embeds")]
    public static void hlist_add_entry_head<T>(T n, ref hlist_head<T> h, hlist_member<T> member)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(member);
        var first = h.first;
        ref var node = ref member(n);
        node.next = first;
        node.pprev = null;
        if (first is not null)
        {
            member(first).pprev = n;
        }

        h.first = n;
    }

    /// <summary>Unlinks <paramref name="n"/> from <paramref name="h"/> (its <paramref name="member"/> node); the node keeps its stale links, as __hlist_del leaves them.</summary>
    [KernelNet.Annotations.NotInLinux("include/linux/list.h's __hlist_del (rculist.h's hlist_del_rcu) on the node the entry embeds")]
    public static void hlist_del_entry<T>(T n, ref hlist_head<T> h, hlist_member<T> member)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(member);
        ref var node = ref member(n);
        if (node.pprev is { } prev)
        {
            member(prev).next = node.next;
        }
        else if (h.first == n)
        {
            h.first = node.next;
        }

        if (node.next is { } next)
        {
            member(next).pprev = node.pprev;
        }
    }
}
