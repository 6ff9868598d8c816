// Ports include/linux/errqueue.h: struct sock_exterr_skb, the control block
// of an skb on a socket's error queue (SKB_EXT_ERR).
//
// not ported: the IPv6 header (inet6_skb_parm): the port has no IPv6.
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.Linux;

namespace KernelNet.Kernel.Include.Linux;

/// <summary>
/// struct sock_exterr_skb: what an error-queue skb carries in its cb — the
/// IPv4 control block it came with (header.h4), the extended error, where the
/// offender's address sits in the data (addr_offset, port) and whether the
/// payload is TCP's OPT_STATS.
/// </summary>
public sealed class sock_exterr_skb : ISkbControlBlock
{
    /// <summary>header.h4: the IPv4 control block (the union's IPv4 member).</summary>
    public inet_skb_parm h4 { get; set; } = new();

    public sock_extended_err ee { get; set; } = new();

    public ushort addr_offset { get; set; }

    /// <summary>port: network order in C; host order here.</summary>
    public ushort port { get; set; }

    public bool opt_stats { get; set; }

    /// <inheritdoc/>
    [KernelNet.Annotations.NotInLinux("__copy_skb_header's memcpy of skb->cb, for a typed control block")]
    public ISkbControlBlock Copy() => new sock_exterr_skb
    {
        h4 = (inet_skb_parm)h4.Copy(),
        ee = new sock_extended_err
        {
            ee_errno = ee.ee_errno,
            ee_origin = ee.ee_origin,
            ee_type = ee.ee_type,
            ee_code = ee.ee_code,
            ee_pad = ee.ee_pad,
            ee_info = ee.ee_info,
            ee_data = ee.ee_data,
        },
        addr_offset = addr_offset,
        port = port,
        opt_stats = opt_stats,
    };
}

public static class errqueue_h
{
    // include/linux/errqueue.h: SKB_EXT_ERR
    /// <summary>
    /// The error-queue control block of an skb. departure: C casts the cb bytes
    /// in place; here the typed block replaces whatever the cb held (a
    /// memset of the cast struct is <c>skb.cb_obj = new sock_exterr_skb()</c>).
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static sock_exterr_skb SKB_EXT_ERR(sk_buff skb)
    {
        if (skb.cb_obj is not sock_exterr_skb serr)
        {
            serr = new sock_exterr_skb();
            if (skb.cb_obj is inet_skb_parm h4)
            {
                serr.h4 = h4;
            }

            skb.cb_obj = serr;
        }

        return serr;
    }
}
