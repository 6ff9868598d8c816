using System.Collections.Generic;
using KernelNet.Kernel.Include.Net;

namespace KernelNet.Kernel;

/// <summary>
/// Every sock taken from a protocol's slab cache (sk_prot_alloc) and not yet
/// given back (sk_prot_free), as kmemleak would see them: a run that ends with
/// its processes gone and its timers done must have none left. Request and
/// timewait socks are not socks of this kind; their caches' counts show them.
/// </summary>
/// <remarks>
/// The live socks are linked through the sock itself (as kmemleak links its
/// objects), so a million sockets cost two references each and no hashing.
/// </remarks>
public sealed class SockLedger
{
    private sock? _first;

    public int Count { get; private set; }

    /// <summary>The live socks, by address (the same order on every run).</summary>
    public IReadOnlyList<sock> Live()
    {
        var list = new List<sock>(Count);
        for (var sk = _first; sk is not null; sk = sk.ledger_next)
        {
            list.Add(sk);
        }

        list.Sort((x, y) => x.addr.CompareTo(y.addr));
        return list;
    }

    internal void OnAlloc(sock sk)
    {
        if (sk.ledger_live)
        {
            return;
        }

        sk.ledger_live = true;
        sk.ledger_prev = null;
        sk.ledger_next = _first;
        if (_first is not null)
        {
            _first.ledger_prev = sk;
        }

        _first = sk;
        Count++;
    }

    internal void OnFree(sock sk)
    {
        if (!sk.ledger_live)
        {
            return;
        }

        if (sk.ledger_prev is { } prev)
        {
            prev.ledger_next = sk.ledger_next;
        }
        else
        {
            _first = sk.ledger_next;
        }

        if (sk.ledger_next is { } next)
        {
            next.ledger_prev = sk.ledger_prev;
        }

        sk.ledger_prev = null;
        sk.ledger_next = null;
        sk.ledger_live = false;
        Count--;
    }
}
