using System;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Mm;
using KernelNet.Tests.Support;
using Xunit;

namespace KernelNet.Tests.Mm;

/// <summary>
/// mm/page_alloc.c: a freed page goes to the freeing CPU's pcp list of its
/// order and the next allocation of that order takes it back; past the pcp's
/// high mark a batch of the coldest pages moves to the zone's buddy lists.
/// </summary>
public sealed class page_alloc_tests
{
    [Fact]
    public void a_page_freed_and_allocated_again_on_the_same_cpu_is_the_same_page_with_its_fields_reset()
    {
        var rig = new KernelRig();
        var p = gfp_h.alloc_pages(rig.K, 0, 3)!;
        Assert.Equal(1, page_ref_h.page_ref_count(p));
        p.@private = 0x1234;
        p.flags = 0x8;
        mm_h.get_page(p);
        mm_h.put_page(p);
        mm_h.put_page(p);
        Assert.Equal(0, page_ref_h.page_ref_count(p));
        var pcp = rig.K.zone_normal.per_cpu_pageset[rig.K.smp_processor_id()];
        Assert.Equal(1 << 3, pcp.count);

        var again = gfp_h.alloc_pages(rig.K, 0, 3)!;

        Assert.Same(p, again);
        Assert.Equal(1, page_ref_h.page_ref_count(again));
        Assert.Equal(0UL, again.@private);
        Assert.Equal(0UL, again.flags);
        Assert.Null(again.mapping);
        Assert.Equal(0, pcp.count);
        Assert.Equal(1 << 3, rig.K.zone_normal.present_pages); // no new memory was needed
    }

    [Fact]
    public void a_freed_page_is_not_handed_out_for_another_order()
    {
        var rig = new KernelRig();
        var p = gfp_h.alloc_pages(rig.K, 0, 0)!;
        mm_h.put_page(p);

        var q = gfp_h.alloc_pages(rig.K, 0, 1)!;

        Assert.NotSame(p, q);
        Assert.Equal(mm_h.PAGE_SIZE << 1, q.mem.Length);
        Assert.Same(p, gfp_h.alloc_pages(rig.K, 0, 0));
    }

    [Fact]
    public void a_put_on_a_page_already_back_on_the_free_lists_fails_as_a_double_free()
    {
        var rig = new KernelRig();
        var p = gfp_h.alloc_pages(rig.K, 0, 0)!;
        mm_h.put_page(p);

        Assert.Throws<InvalidOperationException>(() => mm_h.put_page(p));
        Assert.Throws<InvalidOperationException>(() => mm_h.get_page(p));
    }

    [Fact]
    public void a_recycled_page_keeps_its_last_users_bytes_unless___GFP_ZERO_asks_for_zeroes()
    {
        var rig = new KernelRig();
        var p = gfp_h.alloc_pages(rig.K, 0, 0)!;
        p.mem.AsSpan().Fill(0xa5);
        mm_h.put_page(p);
        var q = gfp_h.alloc_pages(rig.K, 0, 0)!;
        Assert.Same(p, q);
        Assert.Equal(0xa5, q.mem[100]);
        mm_h.put_page(q);

        var z = gfp_h.alloc_pages(rig.K, gfp_h.__GFP_ZERO, 0)!;

        Assert.Same(p, z);
        Assert.All(z.mem, b => Assert.Equal(0, b));
    }

    [Fact]
    public void a_pcp_list_at_its_high_mark_gives_a_batch_of_its_coldest_pages_to_the_buddy_lists_which_refill_it()
    {
        var rig = new KernelRig();
        var zone = rig.K.zone_normal;
        var pcp = zone.per_cpu_pageset[rig.K.smp_processor_id()];
        var pages = new page[pcp.high];
        for (var i = 0; i < pages.Length; i++)
        {
            pages[i] = gfp_h.alloc_pages(rig.K, 0, 0)!;
        }

        for (var i = 0; i < pages.Length - 1; i++)
        {
            mm_h.put_page(pages[i]);
        }

        Assert.Equal(pcp.high - 1, pcp.count);
        Assert.Equal(0, zone.nr_free_pages);

        mm_h.put_page(pages[^1]); // the count reaches high: a batch goes to the buddy lists

        Assert.Equal(pcp.high - pcp.batch, pcp.count);
        Assert.Equal(pcp.batch, zone.nr_free_pages);
        var buddy = zone.free_area[0].free_list[zone.MIGRATE_UNMOVABLE];
        Assert.Same(pages[0], buddy.last); // the first freed, the coldest, went first
        Assert.Same(pages[pcp.batch - 1], buddy.first);

        // the hottest page (the last freed) comes back first; once the pcp list is
        // empty it is refilled from the buddy lists, and no new memory is made
        Assert.Same(pages[^1], gfp_h.alloc_pages(rig.K, 0, 0));
        for (var i = 1; i < pages.Length; i++)
        {
            Assert.NotNull(gfp_h.alloc_pages(rig.K, 0, 0));
        }

        Assert.Equal(pages.Length, zone.present_pages);
        Assert.Equal(0, zone.nr_free_pages);
    }

    [Fact]
    public void a_page_of_an_order_above_the_pcp_orders_goes_straight_back_to_the_buddy_lists()
    {
        var rig = new KernelRig();
        var zone = rig.K.zone_normal;
        var p = gfp_h.alloc_pages(rig.K, 0, 4)!;

        mm_h.put_page(p);

        Assert.Equal(1 << 4, zone.nr_free_pages);
        Assert.Equal(1, zone.free_area[4].nr_free);
        Assert.Same(p, gfp_h.alloc_pages(rig.K, 0, 4));
        Assert.Equal(0, zone.nr_free_pages);
    }
}
