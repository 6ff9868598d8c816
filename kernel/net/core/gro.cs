// Ports net/core/gro.c: the generic receive offload entry drivers call.
//
// departure: no protocol GRO handlers are registered (no inet_gro_receive /
// tcp4_gro_receive yet), so dev_gro_receive finds nothing to merge and every
// skb goes up as GRO_NORMAL in batches — what the kernel does for flows GRO
// cannot merge (UDP without UDP_GRO, ICMP, ARP). TCP coalescing is missing.
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using static KernelNet.Kernel.Include.Net.gro_h;
using static KernelNet.Kernel.Include.Trace.Events.net_h;

namespace KernelNet.Kernel.Net.Core;

public static class gro_c
{
    // net/core/gro.c: dev_gro_receive
    /// <summary>Would try to merge the skb into a held flow; with no handlers registered it is GRO_NORMAL.</summary>
    private static gro_result_t dev_gro_receive(napi_struct gro, sk_buff skb) => gro_result_t.GRO_NORMAL;

    // net/core/gro.c: gro_skb_finish
    [Consumes("skb")]
    private static gro_result_t gro_skb_finish(napi_struct gro, sk_buff skb, gro_result_t ret)
    {
        if (ret == gro_result_t.GRO_NORMAL)
        {
            gro_normal_one(gro, skb, 1);
        }

        return ret;
    }

    // net/core/gro.c: gro_receive_skb
    /// <summary>Marks the skb with the NAPI id and hands it to GRO (napi_gro_receive_entry/exit tracepoints).</summary>
    [Consumes("skb")]
    public static gro_result_t gro_receive_skb(napi_struct gro, sk_buff skb)
    {
        skb.napi_id = gro.napi_id;
        trace_napi_gro_receive_entry(skb);
        var ret = gro_skb_finish(gro, skb, dev_gro_receive(gro, skb));
        trace_napi_gro_receive_exit(gro.k, (int)ret);
        return ret;
    }
}
