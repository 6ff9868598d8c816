using System;
using System.Collections.Generic;
using System.Linq;
using KernelNet.Kernel.Include.Linux;

namespace KernelNet.Kernel;

/// <summary>
/// Accounts every sk_buff from allocation to free, as kmemleak and KASAN would
/// in a debug kernel: a free of an skb that is not live is a double free (a
/// BUG in the kernel, an exception here), and a test ends by asserting that
/// nothing it allocated is still live.
/// </summary>
/// <remarks>
/// Keyed by the skb's address (skbaddr), which no two live skbs share, rather
/// than by object identity: the first identity hash of a fresh object is a slow
/// runtime call, and it was a third of the CPU of opening connections.
/// </remarks>
public sealed class SkbLedger
{
    private readonly Dictionary<ulong, sk_buff> _live = new();

    public long Allocated { get; private set; }

    public long Freed { get; private set; }

    public int Live => _live.Count;

    internal void OnAlloc(sk_buff skb)
    {
        if (!_live.TryAdd(skb.addr, skb))
        {
            throw new InvalidOperationException($"skb {skb.addr:x16} allocated by {skb.alloc_site} while live");
        }

        Allocated++;
    }

    internal void OnFree(sk_buff skb, string where)
    {
        if (!_live.TryGetValue(skb.addr, out var live) || !ReferenceEquals(live, skb))
        {
            throw new InvalidOperationException($"double free of skb {skb.addr:x16} in {where}");
        }

        _live.Remove(skb.addr);
        Freed++;
    }

    /// <summary>
    /// A freed skb is being released again (a double free that would touch the
    /// head and shared info it no longer owns, perhaps another skb's by now):
    /// reported before the release does, as KASAN reports the first access.
    /// </summary>
    internal void OnRelease(sk_buff skb, string where)
    {
        if (skb.freed)
        {
            throw new InvalidOperationException($"double free of skb {skb.addr:x16} in {where}");
        }
    }

    /// <summary>Live skbs with where each was allocated, for a leak report.</summary>
    public IEnumerable<string> Describe() => _live.Values.Select(s => $"skb {s.addr:x16} len={s.len} allocated by {s.alloc_site}");
}
