// Ports include/net/udp.h: udp_lib_close.
namespace KernelNet.Kernel.Include.Net;

public static class udp_h
{
    // include/net/udp.h: udp_lib_close
    /// <summary>close() of a UDP socket: the common release (unhash, orphan, destruct).</summary>
    public static void udp_lib_close(sock sk, long timeout) => KernelNet.Kernel.Net.Core.sock_c.sk_common_release(sk);
}
