using System.Collections.Generic;
using System.Collections.Immutable;

namespace KernelNet.Packetdrill.Code;

/// <summary>
/// Symbols a %{ }% block may use without the caller supplying them: the
/// kernel ABI values the scripts compare tcp_info fields against. Values are
/// those of include/net/tcp_states.h (TCP_*), and include/uapi/linux/tcp.h
/// (enum tcp_ca_state TCP_CA_*, TCPI_OPT_*), v6.18.
/// </summary>
public static class CodeConstants
{
    /// <summary>Name to value.</summary>
    public static ImmutableDictionary<string, long> All { get; } = ImmutableDictionary.CreateRange(new Dictionary<string, long>
    {
        // include/net/tcp_states.h
        ["TCP_ESTABLISHED"] = 1,
        ["TCP_SYN_SENT"] = 2,
        ["TCP_SYN_RECV"] = 3,
        ["TCP_FIN_WAIT1"] = 4,
        ["TCP_FIN_WAIT2"] = 5,
        ["TCP_TIME_WAIT"] = 6,
        ["TCP_CLOSE"] = 7,
        ["TCP_CLOSE_WAIT"] = 8,
        ["TCP_LAST_ACK"] = 9,
        ["TCP_LISTEN"] = 10,
        ["TCP_CLOSING"] = 11,
        ["TCP_NEW_SYN_RECV"] = 12,
        ["TCP_BOUND_INACTIVE"] = 13,

        // include/uapi/linux/tcp.h: enum tcp_ca_state
        ["TCP_CA_Open"] = 0,
        ["TCP_CA_Disorder"] = 1,
        ["TCP_CA_CWR"] = 2,
        ["TCP_CA_Recovery"] = 3,
        ["TCP_CA_Loss"] = 4,

        // include/uapi/linux/tcp.h: tcpi_options bits
        ["TCPI_OPT_TIMESTAMPS"] = 1,
        ["TCPI_OPT_SACK"] = 2,
        ["TCPI_OPT_WSCALE"] = 4,
        ["TCPI_OPT_ECN"] = 8,
        ["TCPI_OPT_ECN_SEEN"] = 16,
        ["TCPI_OPT_SYN_DATA"] = 32,
        ["TCPI_OPT_USEC_TS"] = 64,
        ["TCPI_OPT_TFO_CHILD"] = 128,
    });
}
