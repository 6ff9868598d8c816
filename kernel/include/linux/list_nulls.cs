// Ports include/linux/list_nulls.h: hash chains whose end is not NULL but a
// "nulls" value naming the chain, so that a lockless reader carried onto
// another chain by an entry that moved can tell and restart its walk.
//
// departure: like hlist_node (types.cs), the node is embedded in the entry it
// links (sk_nulls_node in struct sock) and names entries: next is the next
// entry, null at the chain's end; pprev the previous entry, null for the
// chain's first. The end's nulls value is not kept: one simulated CPU runs
// each walk to its end, and no entry moves to another chain under a reader.
// not ported: INIT_HLIST_NULLS_HEAD, get_nulls_value, is_a_nulls, hlist_nulls_empty — with the nulls value not kept, a chain is
//   empty when its first entry is null, as a new array of heads is
namespace KernelNet.Kernel.Include.Linux;

/// <summary>struct hlist_nulls_head: the first entry of a nulls chain of <typeparamref name="T"/>.</summary>
public struct hlist_nulls_head<T>
    where T : class
{
    public T? first;
}

/// <summary>struct hlist_nulls_node: the link an entry of type <typeparamref name="T"/> embeds.</summary>
public struct hlist_nulls_node<T>
    where T : class
{
    public T? next;

    public T? pprev;
}
