// Ports include/net/icmp.h: icmp_send.
using KernelNet.Kernel.Include.Linux;

namespace KernelNet.Kernel.Include.Net;

public static class icmp_h
{
    // include/net/icmp.h: icmp_send
    /// <summary>Sends an ICMP error about <paramref name="skb_in"/> back to its source.</summary>
    [KernelNet.Annotations.Borrows("skb_in")]
    public static void icmp_send(sk_buff skb_in, byte type, byte code, uint info) =>
        KernelNet.Kernel.Net.Ipv4.icmp_c.__icmp_send(skb_in, type, code, info);
}
