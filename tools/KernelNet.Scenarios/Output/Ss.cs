using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Text;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Net.Ipv4;

namespace KernelNet.Scenarios.Output;

/// <summary>
/// What `ss -tan` prints for a namespace: one row per TCP socket as an
/// inet_diag dump walks them (listeners, then the established table: full
/// sockets, request socks, TIME_WAIT entries), with Recv-Q/Send-Q from
/// tcp_diag_get_info (a listener's accept queue and backlog; otherwise unread
/// bytes and unacknowledged bytes). Request and TIME_WAIT entries report 0/0,
/// as inet_req_diag_fill and inet_twsk_diag_fill do. Column widths are fixed
/// here (ss sizes them to the terminal).
/// </summary>
public static class Ss
{
    /// <summary>One row of the listing.</summary>
    public readonly record struct Row(string State, uint RecvQ, uint SendQ, string Local, string Peer);

    /// <summary>ss's state names (sstate_name), indexed by TCP state.</summary>
    private static readonly string[] StateNames =
        ["UNKNOWN", "ESTAB", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1", "FIN-WAIT-2", "TIME-WAIT", "UNCONN", "CLOSE-WAIT", "LAST-ACK", "LISTEN", "CLOSING", "SYN-RECV"];

    private static string Endpoint(uint addr, ushort port, bool wildcardPort) =>
        new IPAddress(IPAddress.HostToNetworkOrder((int)addr) & 0xffffffffL).ToString() + ":" + (wildcardPort && port == 0 ? "*" : port.ToString(CultureInfo.InvariantCulture));

    /// <summary>The rows of `ss -tan` in <paramref name="net"/>.</summary>
    public static IReadOnlyList<Row> Rows(net net)
    {
        var rows = new List<Row>();
        var hinfo = tcp_ipv4_c.tcp_hashinfo(net.k);

        // tcp_diag_dump (tcp_diag.c): the listening buckets in index order, then the established ones, each chain first to last.
        for (var bucket = 0; bucket < hinfo.lhash2.Length; bucket++)
        {
            foreach (var sk in sock_h.sk_nulls_for_each(hinfo.lhash2[bucket].nulls_head))
            {
                if (sk.sk_net == net)
                {
                    rows.Add(FullSocket(sk));
                }
            }
        }

        for (var bucket = 0; bucket < hinfo.ehash.Length; bucket++)
        {
            foreach (var sk in sock_h.sk_nulls_for_each(hinfo.ehash[bucket].chain))
            {
                if (sk.sk_net != net)
                {
                    continue;
                }

                if (sk.sk_state == tcp_states_h.TCP_TIME_WAIT)
                {
                    var tw = inet_timewait_sock_h.inet_twsk(sk);
                    // inet_twsk_diag_fill reports the substate: an orphan's FIN_WAIT2 shows as FIN-WAIT-2.
                    rows.Add(new Row(StateNames[tw.tw_substate], 0, 0, Endpoint(tw.inet_rcv_saddr, tw.inet_sport, false), Endpoint(tw.inet_daddr, tw.inet_dport, true)));
                }
                else if (sk.sk_state == tcp_states_h.TCP_NEW_SYN_RECV)
                {
                    var req = (request_sock)sk.proto_data!;
                    rows.Add(new Row(StateNames[tcp_states_h.TCP_SYN_RECV], 0, 0, Endpoint(req.ir_loc_addr, req.ir_num, false), Endpoint(req.ir_rmt_addr, req.ir_rmt_port, true)));
                }
                else
                {
                    rows.Add(FullSocket(sk));
                }
            }
        }

        return rows;
    }

    private static Row FullSocket(sock sk)
    {
        var inet = inet_sock_h.inet_sk(sk);
        var (rq, wq) = tcp_diag_c.tcp_diag_get_info(sk, null);
        return new Row(StateNames[sk.sk_state], rq, wq, Endpoint(inet.inet_rcv_saddr, inet.inet_sport, false), Endpoint(inet.inet_daddr, inet.inet_dport, true));
    }

    /// <summary>The listing as text: a header and one line per socket.</summary>
    public static string Format(net net)
    {
        var sb = new StringBuilder();
        sb.Append(string.Create(CultureInfo.InvariantCulture, $"{"State",-10} {"Recv-Q",6} {"Send-Q",6} {"Local Address:Port",24} {"Peer Address:Port",24}\n"));
        foreach (var r in Rows(net))
        {
            sb.Append(string.Create(CultureInfo.InvariantCulture, $"{r.State,-10} {r.RecvQ,6} {r.SendQ,6} {r.Local,24} {r.Peer,24}\n"));
        }

        return sb.ToString();
    }
}
