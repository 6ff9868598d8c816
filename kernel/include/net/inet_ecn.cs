// Ports include/net/inet_ecn.h: the ECN codepoints of the IP TOS byte and
// the socket's ECT marking (INET_ECN_xmit, INET_ECN_dontxmit). IPv6's
// traffic class and the CE-marking helpers are not ported.
using KernelNet.Kernel.Include.Linux;

namespace KernelNet.Kernel.Include.Net;

/// <summary>include/net/inet_ecn.h.</summary>
public static class inet_ecn_h
{
    public const byte INET_ECN_NOT_ECT = 0;
    public const byte INET_ECN_ECT_1 = 1;
    public const byte INET_ECN_ECT_0 = 2;
    public const byte INET_ECN_CE = 3;
    public const byte INET_ECN_MASK = 3;

    // not ported: __INET_ECN_xmit — ECT(0) is set on tos inline; no IPv6 tclass
    // include/net/inet_ecn.h: INET_ECN_xmit
    /// <summary>The socket's packets go out ECN-capable, ECT(0).</summary>
    public static void INET_ECN_xmit(sock sk) => ((inet_sock)sk.proto_data!).tos |= INET_ECN_ECT_0;

    // include/net/inet_ecn.h: INET_ECN_dontxmit
    /// <summary>The socket's packets go out Not-ECT.</summary>
    public static void INET_ECN_dontxmit(sock sk) => ((inet_sock)sk.proto_data!).tos &= unchecked((byte)~INET_ECN_MASK);
}
