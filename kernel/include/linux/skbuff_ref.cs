// Ports include/linux/skbuff_ref.h: taking and dropping the page references
// that an skb's frags hold.
//
// not ported: page_pool references (pp_recycle: no page_pool here), netmem
// other than pages.
namespace KernelNet.Kernel.Include.Linux;

public static class skbuff_ref_h
{
    // not ported: get_netmem, skb_frag_netmem — pages and netmem are one type here: get_page on the frag's page
    // include/linux/skbuff_ref.h: __skb_frag_ref
    /// <summary>One more reference on the frag's page (a second holder of the same bytes).</summary>
    public static void __skb_frag_ref(in skb_frag_t frag) => mm_h.get_page(skbuff_h.skb_frag_page(frag));

    // include/linux/skbuff_ref.h: skb_frag_ref
    [KernelNet.Annotations.Borrows("skb")]
    public static void skb_frag_ref(sk_buff skb, int f) => __skb_frag_ref(skb.shinfo.frags[f]);

    // include/linux/skbuff_ref.h: __skb_frag_unref
    /// <summary>Drops the frag's page reference (<paramref name="recycle"/>: page_pool, never here).</summary>
    public static void __skb_frag_unref(in skb_frag_t frag, bool recycle)
    {
        // not ported: skb_frag_netmem, skb_page_unref — no page pool: put_page on the frag's page
        _ = recycle;
        mm_h.put_page(skbuff_h.skb_frag_page(frag));
    }

    // not ported: skb_zcopy_managed — no managed zerocopy frags (io_uring)
    // include/linux/skbuff_ref.h: skb_frag_unref
    [KernelNet.Annotations.Borrows("skb")]
    public static void skb_frag_unref(sk_buff skb, int f) => __skb_frag_unref(skb.shinfo.frags[f], false);
}
