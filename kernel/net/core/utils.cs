// Ports net/core/utils.c: net_ratelimit (at most 10 messages per 5 s across
// the network stack) and the checksum fix-ups NAT uses when it rewrites an
// address or a port (inet_proto_csum_replace4; its 16-bit twin is in checksum.h).
//
// not ported: in_aton/in4_pton and friends (no text parsing in the kernel here).
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Lib;
using static KernelNet.Kernel.Include.Net.checksum_h;

namespace KernelNet.Kernel.Net.Core;

public static class utils_c
{
    /// <summary>net_ratelimit_state: DEFINE_RATELIMIT_STATE(net_ratelimit_state, 5 * HZ, 10), one per kernel.</summary>
    [NotInLinux("DEFINE_RATELIMIT_STATE(net_ratelimit_state), hung off init_net")]
    private static ratelimit_state net_ratelimit_state(Vmlinux k)
    {
        if (!k.init_net.gen.TryGetValue("net_ratelimit_state", out var o))
        {
            o = new ratelimit_state(5 * Vmlinux.HZ, 10);
            k.init_net.gen["net_ratelimit_state"] = o;
        }

        return (ratelimit_state)o;
    }

    // net/core/utils.c: net_ratelimit
    /// <summary>May the network stack log now?</summary>
    public static bool net_ratelimit(Vmlinux k) => ratelimit_c.___ratelimit(k, net_ratelimit_state(k), "net_ratelimit");


    // net/core/utils.c: inet_proto_csum_replace4
    /// <summary>
    /// A 32-bit field covered by a transport checksum changed from
    /// <paramref name="from"/> to <paramref name="to"/>: fix the checksum.
    /// With CHECKSUM_PARTIAL the field holds only the pseudo-header sum, so
    /// only a pseudo-header field (an address) changes it.
    /// </summary>
    [Borrows("skb")]
    public static ushort inet_proto_csum_replace4(ushort sum, sk_buff skb, uint from, uint to, bool pseudohdr)
    {
        if (skb.ip_summed != skbuff_h.CHECKSUM_PARTIAL)
        {
            sum = csum_replace4(sum, from, to);

            // not ported: the CHECKSUM_COMPLETE skb->csum update — skb->csum is not modelled.
        }
        else if (pseudohdr)
        {
            sum = (ushort)~csum_fold(csum_add(csum_sub(csum_unfold(sum), from), to));
        }

        return sum;
    }
}
