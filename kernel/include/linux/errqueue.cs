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

    /// <summary>memset(serr, 0, sizeof(*serr)): the IPv4 header, the extended error and the rest zero.</summary>
    [KernelNet.Annotations.NotInLinux("the memset of struct sock_exterr_skb within skb->cb, field by field")]
    internal void memset()
    {
        h4.memset_h4();
        ee.ee_errno = 0;
        ee.ee_origin = 0;
        ee.ee_type = 0;
        ee.ee_code = 0;
        ee.ee_pad = 0;
        ee.ee_info = 0;
        ee.ee_data = 0;
        addr_offset = 0;
        port = 0;
        opt_stats = false;
    }
}

public static class errqueue_h
{
    // include/linux/errqueue.h: SKB_EXT_ERR
    /// <summary>
    /// The error-queue control block of an skb: the skb's own block
    /// (sk_buff.cb_view), made its cb when it was not. C casts the cb bytes in
    /// place, so the IPv4 block the skb carried reads on as header.h4; here it
    /// is copied in, and the rest of the block starts zero. A caller that
    /// memsets the cast struct calls <see cref="sock_exterr_skb.memset"/>.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static sock_exterr_skb SKB_EXT_ERR(sk_buff skb)
    {
        if (skb.cb_obj is sock_exterr_skb current)
        {
            return current;
        }

        var serr = skb.cb_view<sock_exterr_skb>();
        serr.memset();
        if (skb.cb_obj is inet_skb_parm h4)
        {
            serr.h4.copy_h4_from(h4);
        }

        skb.cb_obj = serr;
        return serr;
    }
}
