// Ports include/trace/events/sock.h: sk_data_ready, sock_rcvqueue_full,
// inet_sock_set_state.
using System.Globalization;
using KernelNet.Kernel.Include.Net;

namespace KernelNet.Kernel.Include.Trace.Events;

public static class sock_h
{
    /// <summary>sk_data_ready: "func" is the wakeup function the socket uses (%ps).</summary>
    public static void trace_sk_data_ready(sock sk, string func)
    {
        var k = sk.sk_net.k;
        if (k.trace.enabled("sock", "sk_data_ready"))
        {
            k.trace.record("sock", "sk_data_ready", string.Create(CultureInfo.InvariantCulture, $"family={sk.sk_family} protocol={sk.sk_protocol} func={func}"));
        }
    }

    public static void trace_sock_rcvqueue_full(sock sk, int truesize)
    {
        var k = sk.sk_net.k;
        if (k.trace.enabled("sock", "sock_rcvqueue_full"))
        {
            k.trace.record("sock", "sock_rcvqueue_full", string.Create(CultureInfo.InvariantCulture, $"rmem_alloc={sk.sk_rmem_alloc} truesize={truesize} sk_rcvbuf={sk.sk_rcvbuf}"));
        }
    }
}
