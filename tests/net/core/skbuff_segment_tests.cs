using System.Collections.Generic;
using System.Linq;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Tests.Support;
using Xunit;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Net.Core.skbuff_c;

namespace KernelNet.Tests.Net.Core;

/// <summary>net/core/skbuff.c: skb_segment over page frags.</summary>
public sealed class skbuff_segment_tests
{
    private const int Headers = 14 + 20 + 20;
    private const int Mss = 1448;
    private const int Linear = 10;
    private const int FragLen = 3000;
    private const int Payload = Linear + 2 * FragLen;

    /// <summary>
    /// A TCP GSO skb as tcp_gso_segment hands it to skb_segment: Ethernet, IPv4 and TCP headers in front of
    /// the data, <see cref="Linear"/> payload bytes in the head and two page frags of <see cref="FragLen"/>
    /// (page p from offset 0, page q from offset 100); payload byte i is (byte)(i * 7).
    /// </summary>
    private static sk_buff GsoSkb(KernelRig rig, page p, page q)
    {
        var skb = alloc_skb(rig.K, 256)!;
        skb_reserve(skb, 64);
        skb.mac_header = (ushort)skb.data;
        skb.network_header = (ushort)(skb.data + 14);
        skb.transport_header = (ushort)(skb.data + 34);
        var h = skb_put(skb, Headers);
        for (var i = 0; i < Headers; i++)
        {
            skb.head[h + i] = (byte)(0xa0 + i);
        }

        var at = skb_put(skb, Linear);
        for (var i = 0; i < Linear; i++)
        {
            skb.head[at + i] = (byte)(i * 7);
        }

        for (var i = 0; i < FragLen; i++)
        {
            p.mem[i] = (byte)((Linear + i) * 7);
            q.mem[100 + i] = (byte)((Linear + FragLen + i) * 7);
        }

        mm_h.get_page(p);
        skb_fill_page_desc(skb, 0, p, 0, FragLen);
        mm_h.get_page(q);
        skb_fill_page_desc(skb, 1, q, 100, FragLen);
        skb_len_add(skb, 2 * FragLen);
        __skb_pull(skb, Headers);
        skb.shinfo.gso_size = Mss;
        skb.shinfo.gso_type = SKB_GSO_TCPV4;
        return skb;
    }

    private static List<sk_buff> List(sk_buff? segs)
    {
        var l = new List<sk_buff>();
        for (var s = segs; s is not null; s = s.next)
        {
            l.Add(s);
        }

        return l;
    }

    private static long CopiedBytes(KernelRig rig) => rig.Machine.Cpus.Sum(c => c.Idle.CpuCopyBytes);

    // With NETIF_F_SG, skb_segment copies only the headers (and the 10 payload bytes the head holds): each
    // segment's share of the paged payload is frags of its own on the same pages, one page reference per frag,
    // offset and trimmed to the segment. No payload byte of the frags is copied; the pages are the head skb's.
    [Fact]
    public void skb_segment_with_sg_gives_each_segment_frags_on_the_head_skbs_pages_without_copying_the_payload()
    {
        var rig = new KernelRig();
        var p = gfp_h.alloc_pages(rig.K, 0, 0)!;
        var q = gfp_h.alloc_pages(rig.K, 0, 0)!;
        var skb = GsoSkb(rig, p, q);
        Assert.Equal(2, page_ref_h.page_ref_count(p));
        var copied = CopiedBytes(rig);

        var segs = List(skb_segment(skb, netdev_features_h.NETIF_F_SG));

        // 6010 bytes in 1448-byte segments: four full ones and 218 bytes
        Assert.Equal(new[] { Mss, Mss, Mss, Mss, Payload - (4 * Mss) }, segs.Select(s => s.len - Headers).ToArray());
        Assert.Same(segs[^1], segs[0].prev);

        // the head keeps the headers (and, in the first segment, the head skb's 10 linear payload bytes); the rest is frags
        Assert.Equal(Headers + Linear, skb_headlen(segs[0]));
        Assert.All(segs.Skip(1), s => Assert.Equal(Headers, skb_headlen(s)));
        var frags = segs.Select(s => Enumerable.Range(0, s.shinfo.nr_frags)
            .Select(i => (Page: s.shinfo.frags[i].netmem!, Off: skb_frag_off(s.shinfo.frags[i]), Len: skb_frag_size(s.shinfo.frags[i]))).ToArray()).ToArray();
        Assert.Equal(new[] { (p, 0, Mss - Linear) }, frags[0]);
        Assert.Equal(new[] { (p, Mss - Linear, Mss) }, frags[1]);
        Assert.Equal(new[] { (p, (2 * Mss) - Linear, FragLen - ((2 * Mss) - Linear)), (q, 100, (3 * Mss) - Linear - FragLen) }, frags[2]);
        Assert.Equal(new[] { (q, 100 + (3 * Mss) - Linear - FragLen, Mss) }, frags[3]);
        Assert.Equal(new[] { (q, 100 + (4 * Mss) - Linear - FragLen, Payload - (4 * Mss)) }, frags[4]);

        // one reference per frag on the same pages; no page was allocated, no payload byte copied
        Assert.Equal(2 + 3, page_ref_h.page_ref_count(p));
        Assert.Equal(2 + 3, page_ref_h.page_ref_count(q));
        Assert.Equal(Linear, CopiedBytes(rig) - copied);

        // every segment reads as the headers followed by its slice of the payload
        for (var n = 0; n < segs.Count; n++)
        {
            var s = segs[n];
            Assert.Equal(s.data, s.mac_header);
            var bytes = new byte[s.len];
            Assert.Equal(0, skb_copy_bits(s, 0, bytes, s.len));
            Assert.Equal(Enumerable.Range(0, Headers).Select(i => (byte)(0xa0 + i)), bytes[..Headers]);
            Assert.Equal(Enumerable.Range(n * Mss, s.len - Headers).Select(i => (byte)(i * 7)), bytes[Headers..]);
            Assert.Equal(s.data + 14, s.network_header);
            Assert.Equal(s.data + 34, s.transport_header);
        }

        // freeing the segments drops exactly their references; the head skb's remain until it goes
        kfree_skb_list(segs[0]);
        Assert.Equal(2, page_ref_h.page_ref_count(p));
        Assert.Equal(2, page_ref_h.page_ref_count(q));
        consume_skb(skb);
        Assert.Equal(1, page_ref_h.page_ref_count(p));
        Assert.Equal(1, page_ref_h.page_ref_count(q));
        Assert.Equal(0, rig.K.skb_ledger.Live);
    }

    // Without NETIF_F_SG every segment is linear: its payload is copied out of the frags by the CPU (counted),
    // and the pages gain no reference.
    [Fact]
    public void skb_segment_without_sg_copies_each_segments_payload_into_a_linear_head()
    {
        var rig = new KernelRig();
        var p = gfp_h.alloc_pages(rig.K, 0, 0)!;
        var q = gfp_h.alloc_pages(rig.K, 0, 0)!;
        var skb = GsoSkb(rig, p, q);
        var copied = CopiedBytes(rig);

        var segs = List(skb_segment(skb, 0));

        Assert.Equal(5, segs.Count);
        Assert.All(segs, s => Assert.Equal(0, s.data_len));
        Assert.All(segs, s => Assert.Equal(0, (int)s.shinfo.nr_frags));
        Assert.Equal(Payload, CopiedBytes(rig) - copied);
        Assert.Equal(2, page_ref_h.page_ref_count(p));
        Assert.Equal(Enumerable.Range(4 * Mss, Payload - (4 * Mss)).Select(i => (byte)(i * 7)), segs[4].data_span[Headers..].ToArray());

        kfree_skb_list(segs[0]);
        consume_skb(skb);
        Assert.Equal(1, page_ref_h.page_ref_count(p));
        Assert.Equal(0, rig.K.skb_ledger.Live);
    }
}
