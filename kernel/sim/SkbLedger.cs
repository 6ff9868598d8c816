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
public sealed class SkbLedger
{
    private readonly HashSet<sk_buff> _live = new(ReferenceEqualityComparer.Instance);

    public long Allocated { get; private set; }

    public long Freed { get; private set; }

    public int Live => _live.Count;

    internal void OnAlloc(sk_buff skb)
    {
        _live.Add(skb);
        Allocated++;
    }

    internal void OnFree(sk_buff skb, string where)
    {
        if (!_live.Remove(skb))
        {
            throw new InvalidOperationException($"double free of skb {skb.addr:x16} in {where}");
        }

        Freed++;
    }

    /// <summary>Live skbs with where each was allocated, for a leak report.</summary>
    public IEnumerable<string> Describe() => _live.Select(s => $"skb {s.addr:x16} len={s.len} allocated by {s.alloc_site}");
}
