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
    [KernelNet.Annotations.Borrows("to")]
    public ISkbControlBlock copy_to(sk_buff to)
    {
        System.ArgumentNullException.ThrowIfNull(to);
        var c = to.cb_view<sock_exterr_skb>();
        c.h4.copy_h4_from(h4);
        c.ee.ee_errno = ee.ee_errno;
        c.ee.ee_origin = ee.ee_origin;
        c.ee.ee_type = ee.ee_type;
        c.ee.ee_code = ee.ee_code;
        c.ee.ee_pad = ee.ee_pad;
        c.ee.ee_info = ee.ee_info;
        c.ee.ee_data = ee.ee_data;
        c.addr_offset = addr_offset;
        c.port = port;
        c.opt_stats = opt_stats;
        return c;
    }

    /// <summary>A private copy of an IPv4 block, so that the error block never shares one with an skb.</summary>
    [KernelNet.Annotations.NotInLinux("the memcpy of header.h4 within skb->cb")]
    internal static inet_skb_parm copy_h4(inet_skb_parm h4)
    {
        var c = new inet_skb_parm();
        c.copy_h4_from(h4);
        return c;
    }
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
                serr.h4 = sock_exterr_skb.copy_h4(h4);
            }

            skb.cb_obj = serr;
        }

        return serr;
    }
}
