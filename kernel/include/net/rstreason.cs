// Ports include/net/rstreason.h: enum sk_rst_reason, why TCP sent a RST (in
// 6.18's order: the tcp_send_reset tracepoint prints these values by name),
// and sk_rst_convert_drop_reason, which maps the receive path's drop reason
// onto it. The MPTCP members are kept for their values; MPTCP is not ported.
namespace KernelNet.Kernel.Include.Net;

public enum sk_rst_reason
{
    SK_RST_REASON_NOT_SPECIFIED,
    SK_RST_REASON_NO_SOCKET,
    SK_RST_REASON_TCP_INVALID_ACK_SEQUENCE,
    SK_RST_REASON_TCP_RFC7323_PAWS,
    SK_RST_REASON_TCP_TOO_OLD_ACK,
    SK_RST_REASON_TCP_ACK_UNSENT_DATA,
    SK_RST_REASON_TCP_FLAGS,
    SK_RST_REASON_TCP_OLD_ACK,
    SK_RST_REASON_TCP_ABORT_ON_DATA,
    SK_RST_REASON_TCP_TIMEWAIT_SOCKET,
    SK_RST_REASON_INVALID_SYN,
    SK_RST_REASON_TCP_ABORT_ON_CLOSE,
    SK_RST_REASON_TCP_ABORT_ON_LINGER,
    SK_RST_REASON_TCP_ABORT_ON_MEMORY,
    SK_RST_REASON_TCP_STATE,
    SK_RST_REASON_TCP_KEEPALIVE_TIMEOUT,
    SK_RST_REASON_TCP_DISCONNECT_WITH_DATA,
    SK_RST_REASON_MPTCP_RST_EUNSPEC,
    SK_RST_REASON_MPTCP_RST_EMPTCP,
    SK_RST_REASON_MPTCP_RST_ERESOURCE,
    SK_RST_REASON_MPTCP_RST_EPROHIBIT,
    SK_RST_REASON_MPTCP_RST_EWQ2BIG,
    SK_RST_REASON_MPTCP_RST_EBADPERF,
    SK_RST_REASON_MPTCP_RST_EMIDDLEBOX,
    SK_RST_REASON_ERROR,
    SK_RST_REASON_MAX,
}

public static class rstreason_h
{
    // include/net/rstreason.h: sk_rst_convert_drop_reason
    /// <summary>The RST reason for a segment the receive path refused: the TCP reasons that share a name map across, the rest are NOT_SPECIFIED.</summary>
    public static sk_rst_reason sk_rst_convert_drop_reason(skb_drop_reason reason) => reason switch
    {
        skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED => sk_rst_reason.SK_RST_REASON_NOT_SPECIFIED,
        skb_drop_reason.SKB_DROP_REASON_NO_SOCKET => sk_rst_reason.SK_RST_REASON_NO_SOCKET,
        skb_drop_reason.SKB_DROP_REASON_TCP_INVALID_ACK_SEQUENCE => sk_rst_reason.SK_RST_REASON_TCP_INVALID_ACK_SEQUENCE,
        skb_drop_reason.SKB_DROP_REASON_TCP_RFC7323_PAWS => sk_rst_reason.SK_RST_REASON_TCP_RFC7323_PAWS,
        skb_drop_reason.SKB_DROP_REASON_TCP_TOO_OLD_ACK => sk_rst_reason.SK_RST_REASON_TCP_TOO_OLD_ACK,
        skb_drop_reason.SKB_DROP_REASON_TCP_ACK_UNSENT_DATA => sk_rst_reason.SK_RST_REASON_TCP_ACK_UNSENT_DATA,
        skb_drop_reason.SKB_DROP_REASON_TCP_FLAGS => sk_rst_reason.SK_RST_REASON_TCP_FLAGS,
        skb_drop_reason.SKB_DROP_REASON_TCP_OLD_ACK => sk_rst_reason.SK_RST_REASON_TCP_OLD_ACK,
        skb_drop_reason.SKB_DROP_REASON_TCP_ABORT_ON_DATA => sk_rst_reason.SK_RST_REASON_TCP_ABORT_ON_DATA,
        _ => sk_rst_reason.SK_RST_REASON_NOT_SPECIFIED,
    };
}
