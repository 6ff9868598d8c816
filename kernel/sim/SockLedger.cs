using System.Collections.Generic;
using System.Linq;
using KernelNet.Kernel.Include.Net;

namespace KernelNet.Kernel;

/// <summary>
/// Every sock taken from a protocol's slab cache (sk_prot_alloc) and not yet
/// given back (sk_prot_free), as kmemleak would see them: a run that ends with
/// its processes gone and its timers done must have none left. Request and
/// timewait socks are not socks of this kind; their caches' counts show them.
/// </summary>
public sealed class SockLedger
{
    private readonly HashSet<sock> _live = new(ReferenceEqualityComparer.Instance);

    public int Count => _live.Count;

    /// <summary>The live socks, by address (the same order on every run).</summary>
    public IReadOnlyList<sock> Live() => _live.OrderBy(s => s.addr).ToList();

    internal void OnAlloc(sock sk) => _live.Add(sk);

    internal void OnFree(sock sk) => _live.Remove(sk);
}
