// Ports net/ipv4/cipso_ipv4.c: the CIPSO security option (RFC draft, NetLabel),
// only as far as a received packet's options are checked.
//
// not ported: the DOI table and everything that labels or reads labels
// (NetLabel configuration is not modelled: no DOI is ever defined, so the
// search for one always fails), the CIPSO option on sockets and request socks.
using System;
using KernelNet.Kernel.Include.Linux;

namespace KernelNet.Kernel.Net.Ipv4;

public static class cipso_ipv4_c
{
    // net/ipv4/cipso_ipv4.c: cipso_v4_validate
    /// <summary>
    /// Checks a CIPSO option (<paramref name="option"/> starts at its type
    /// byte): 0 when valid, otherwise the offset within the option of the
    /// byte ip_options_compile reports in its parameter problem — 1 for a
    /// length below 8, 2 for a DOI this host does not know (every DOI here).
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static int cipso_v4_validate(sk_buff skb, ReadOnlySpan<byte> option)
    {
        _ = skb;
        var opt_len = option[1];
        if (opt_len < 8)
        {
            return 1;
        }

        // not ported: cipso_v4_doi_search — no DOI can be configured (no NetLabel), so the search finds none;
        //   cipso_v4_map_lvl_valid, cipso_v4_map_cat_rbm_valid, cipso_v4_map_cat_enum_valid, cipso_v4_map_cat_rng_valid —
        //   the tag walk that follows a found DOI is never reached
        return 2;
    }
}
