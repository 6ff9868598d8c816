// Ports include/net/gro.h: the batch of packets GRO hands up in one go.
using System.Collections.Generic;
using KernelNet.Kernel.Include.Linux;
using static KernelNet.Kernel.Net.Core.dev_c;

namespace KernelNet.Kernel.Include.Net;

/// <summary>gro_result_t.</summary>
public enum gro_result_t
{
    GRO_MERGED = 0,
    GRO_MERGED_FREE,
    GRO_HELD,
    GRO_NORMAL,
    GRO_CONSUMED,
}

public static class gro_h
{
    // include/net/gro.h: gro_normal_list
    /// <summary>Delivers the batch up the stack (netif_receive_skb_list_internal).</summary>
    public static void gro_normal_list(napi_struct gro)
    {
        if (gro.gro_rx_count == 0)
        {
            return;
        }

        var batch = new List<sk_buff>(gro.gro_rx_list);
        gro.gro_rx_list.Clear();
        gro.gro_rx_count = 0;
        netif_receive_skb_list_internal(batch);
    }

    // include/net/gro.h: gro_normal_one
    /// <summary>Adds an skb to the batch; a full batch (gro_normal_batch) goes up at once.</summary>
    public static void gro_normal_one(napi_struct gro, sk_buff skb, int segs)
    {
        gro.gro_rx_list.Add(skb);
        gro.gro_rx_count += segs;
        if (gro.gro_rx_count >= gro.k.net_hotdata.gro_normal_batch)
        {
            gro_normal_list(gro);
        }
    }

    // include/net/gro.h: gro_flush_normal
    /// <summary>Flushes held flows (none are held: nothing merges) and delivers the batch.</summary>
    public static void gro_flush_normal(napi_struct gro, bool flush_old)
    {
        gro_normal_list(gro);
    }
}
