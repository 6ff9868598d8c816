// Ports include/net/netns/ipv4.h: struct netns_ipv4, a namespace's IPv4 state.
using System.Collections.Generic;
using KernelNet.Kernel.Include.Linux;

namespace KernelNet.Kernel.Include.Net.Netns;

/// <summary>struct netns_ipv4, with the defaults of a new namespace on 6.18 (sysctl_net.fresh-netns.txt).</summary>
public sealed class netns_ipv4
{
    public netns_ipv4(net net)
    {
        var data = new List<fib_alias>();
        fib_main = new fib_table(net, route_h.RT_TABLE_MAIN, data);
        fib_local = new fib_table(net, route_h.RT_TABLE_LOCAL, data);
        this.net = net;
    }

    public net net { get; }

    public fib_table fib_main { get; }

    public fib_table fib_local { get; }

    /// <summary>rt_genid: bumped by rt_cache_flush; routes made under an older value are stale (rt_is_expired).</summary>
    public int rt_genid { get; set; }

    /// <summary>net.mib: this namespace's SNMP counters.</summary>
    public netns_mib mib { get; } = new();

    /// <summary>net.ipv4.igmp_qrv (2 in a new namespace).</summary>
    public int sysctl_igmp_qrv { get; set; } = 2;

    /// <summary>net.ipv4.igmp_link_local_mcast_reports (1 in a new namespace).</summary>
    public bool sysctl_igmp_llm_reports { get; set; } = true;

    /// <summary>net.ipv4.ip_default_ttl.</summary>
    public int sysctl_ip_default_ttl { get; set; } = 64;

    /// <summary>net.ipv4.conf.all.forwarding (0 in a new namespace); net.ipv4.ip_forward reads and writes the same value.</summary>
    public bool devconf_all_forwarding { get; set; }

    /// <summary>net.ipv4.conf.default.forwarding: what a new device's in_device starts with.</summary>
    public bool devconf_dflt_forwarding { get; set; }

    /// <summary>
    /// net.ipv4.conf.all.accept_source_route. 0 in a new namespace on these machines: devinet_init_net
    /// copies init_net's conf.all (net.core.devconf_inherit_init_net 0), where systemd's sysctl.d set it to 0.
    /// </summary>
    public bool devconf_all_accept_source_route { get; set; }

    /// <summary>net.ipv4.conf.default.accept_source_route: what a new device starts with (1, ipv4_devconf_dflt's value, kept by init_net).</summary>
    public bool devconf_dflt_accept_source_route { get; set; } = true;

    /// <summary>net.ipv4.ip_no_pmtu_disc (0: ICMP frag-needed lowers the path MTU).</summary>
    public int sysctl_ip_no_pmtu_disc { get; set; }

    /// <summary>net.ipv4.ip_forward_use_pmtu (0: forwarding honours the device MTU, not learned ones).</summary>
    public bool sysctl_ip_fwd_use_pmtu { get; set; }

    /// <summary>net.ipv4.ip_forward_update_priority (1: a forwarded packet's priority follows its TOS).</summary>
    public bool sysctl_ip_fwd_update_priority { get; set; } = true;

    /// <summary>net.ipv4.route.min_pmtu: the least path MTU an ICMP message may set (552).</summary>
    public uint ip_rt_min_pmtu { get; set; } = 512 + 20 + 20;

    /// <summary>net.ipv4.route.mtu_expires, in jiffies (600 s): how long a learned path MTU lasts.</summary>
    public ulong ip_rt_mtu_expires { get; set; } = 10 * 60 * (ulong)Vmlinux.HZ;

    /// <summary>net.ipv4.ip_local_port_range.</summary>
    public (int Low, int High) ip_local_ports { get; set; } = (32768, 60999);

    /// <summary>net.ipv4.icmp_echo_ignore_all.</summary>
    public bool sysctl_icmp_echo_ignore_all { get; set; }

    /// <summary>net.ipv4.icmp_ratelimit (ms) and icmp_ratemask.</summary>
    public int sysctl_icmp_ratelimit { get; set; } = 1000;

    public int sysctl_icmp_ratemask { get; set; } = 6168;

    /// <summary>The IPv4 fragment queues and their sysctls (ipfrag_high_thresh, ipfrag_time...), made by ipv4_frags_init_net.</summary>
    public fqdir? fqdir { get; set; }

    /// <summary>ip_id_key: the namespace's key for hashing a flow to its IP ID counter (__ip_select_ident), drawn on first use.</summary>
    public KernelNet.Kernel.Include.Linux.siphash_key_t ip_id_key { get; } = new();

    /// <summary>The iptables filter table, once iptables has used it in this namespace (net->ipv4.iptable_filter).</summary>
    public Linux.Netfilter.xt_table? iptable_filter { get; set; }

    /// <summary>The iptables raw table, once iptables has used it in this namespace (its hooks at PREROUTING and OUTPUT).</summary>
    public Linux.Netfilter.xt_table? iptable_raw { get; set; }

    /// <summary>net.ipv4.tcp_tw_reuse: 0 never, 1 always, 2 (default) for loopback only.</summary>
    public int sysctl_tcp_tw_reuse { get; set; } = 2;

    /// <summary>net.ipv4.tcp_tw_reuse_delay (ms): how old a TIME_WAIT entry must be before connect() may reuse its 4-tuple.</summary>
    public int sysctl_tcp_tw_reuse_delay { get; set; } = 1000;

    /// <summary>net.ipv4.tcp_timestamps (1: RFC 7323 timestamps with a per-connection offset).</summary>
    public int sysctl_tcp_timestamps { get; set; } = 1;

    /// <summary>net.ipv4.tcp_ecn: 2, ECN only when the peer asks for it (TCP_ECN_IN_ECN_OUT_NOECN).</summary>
    public int sysctl_tcp_ecn { get; set; } = 2;

    /// <summary>net.ipv4.tcp_window_scaling.</summary>
    public bool sysctl_tcp_window_scaling { get; set; } = true;

    /// <summary>net.ipv4.tcp_sack.</summary>
    public bool sysctl_tcp_sack { get; set; } = true;

    /// <summary>net.ipv4.tcp_workaround_signed_windows.</summary>
    public bool sysctl_tcp_workaround_signed_windows { get; set; }

    /// <summary>
    /// net.ipv4.tcp_rmem: min, default, max. tcp_init sets max to
    /// min(32 MB, 1/128 of the buffer pages); the simulated machine has the
    /// memory for the 32 MB (so SYNs offer window scale 10, as the recording).
    /// </summary>
    public int[] sysctl_tcp_rmem { get; } = [4096, 131072, 32 * 1024 * 1024];

    /// <summary>net.ipv4.tcp_wmem: min, default, max (max: 4 MB, as tcp_init on a large machine).</summary>
    public int[] sysctl_tcp_wmem { get; } = [4096, 16 * 1024, 4 * 1024 * 1024];

    /// <summary>net.ipv4.tcp_dsack: report duplicates with D-SACK blocks.</summary>
    public bool sysctl_tcp_dsack { get; set; } = true;

    /// <summary>net.ipv4.tcp_moderate_rcvbuf: receive buffer autotuning.</summary>
    public bool sysctl_tcp_moderate_rcvbuf { get; set; } = true;

    /// <summary>net.ipv4.tcp_app_win: 1/2^n of the window kept back as application buffer.</summary>
    public int sysctl_tcp_app_win { get; set; } = 31;

    /// <summary>net.ipv4.tcp_invalid_ratelimit, in jiffies (500 ms): the least gap between two out-of-window ACKs of one socket.</summary>
    public int sysctl_tcp_invalid_ratelimit { get; set; } = Vmlinux.HZ / 2;

    /// <summary>net.ipv4.tcp_challenge_ack_limit: challenge ACKs per second of the namespace (INT_MAX: no host-wide limit).</summary>
    public int sysctl_tcp_challenge_ack_limit { get; set; } = int.MaxValue;

    /// <summary>tcp_challenge_timestamp: the second the challenge-ACK budget was last refilled.</summary>
    public uint tcp_challenge_timestamp { get; set; }

    /// <summary>tcp_challenge_count: challenge ACKs left in this second.</summary>
    public uint tcp_challenge_count { get; set; }

    /// <summary>net.ipv4.tcp_comp_sack_nr: SACKs that may be compressed in a row.</summary>
    public int sysctl_tcp_comp_sack_nr { get; set; } = 44;

    /// <summary>net.ipv4.tcp_syncookies: 1 (default), cookies once a listener's SYN queue is full; 2, always; 0, never.</summary>
    public int sysctl_tcp_syncookies { get; set; } = 1;

    /// <summary>
    /// net.ipv4.tcp_max_syn_backlog: without cookies, the SYN queue's last quarter below it is kept for proven
    /// peers. tcp_sk_init sets max(128, ehash buckets / 128): 2048 in a fresh namespace on this machine.
    /// </summary>
    public int sysctl_max_syn_backlog { get; set; } = 2048;

    /// <summary>net.ipv4.tcp_synack_retries: SYN-ACKs a request sock sends again before it is dropped.</summary>
    public int sysctl_tcp_synack_retries { get; set; } = 5;

    /// <summary>net.ipv4.tcp_fastopen: TFO_* bits (a new namespace: TFO_CLIENT_ENABLE).</summary>
    public int sysctl_tcp_fastopen { get; set; } = KernelNet.Kernel.Include.Net.tcp_h.TFO_CLIENT_ENABLE;

    /// <summary>tcp_fastopen_ctx: the namespace's Fast Open key (net.ipv4.tcp_fastopen_key); null until set or first needed.</summary>
    public tcp_fastopen_context? tcp_fastopen_ctx { get; set; }

    /// <summary>net.ipv4.tcp_fastopen_blackhole_timeout_sec (0 in a new namespace: blackhole detection off).</summary>
    public int sysctl_tcp_fastopen_blackhole_timeout { get; set; }

    /// <summary>tfo_active_disable_times: how many times active Fast Open was paused for a blackhole.</summary>
    public int tfo_active_disable_times { get; set; }

    /// <summary>tfo_active_disable_stamp: jiffies of the last pause.</summary>
    public ulong tfo_active_disable_stamp { get; set; }

    /// <summary>net.ipv4.tcp_syn_retries.</summary>
    public int sysctl_tcp_syn_retries { get; set; } = 6;

    /// <summary>net.ipv4.tcp_syn_linear_timeouts: SYN retransmissions that keep the initial RTO before the backoff starts.</summary>
    public int sysctl_tcp_syn_linear_timeouts { get; set; } = 4;

    /// <summary>net.ipv4.tcp_keepalive_time: idle time before the first keepalive probe (jiffies; 7200 s).</summary>
    public int sysctl_tcp_keepalive_time { get; set; } = 7200 * Vmlinux.HZ;

    /// <summary>net.ipv4.tcp_keepalive_probes: unanswered keepalive probes before the connection is dropped.</summary>
    public int sysctl_tcp_keepalive_probes { get; set; } = 9;

    /// <summary>net.ipv4.tcp_keepalive_intvl: the interval between keepalive probes (jiffies; 75 s).</summary>
    public int sysctl_tcp_keepalive_intvl { get; set; } = 75 * Vmlinux.HZ;

    /// <summary>net.ipv4.tcp_fin_timeout: how long an orphan stays in FIN_WAIT2 (jiffies; 60 s, TCP_FIN_TIMEOUT).</summary>
    public int sysctl_tcp_fin_timeout { get; set; } = 60 * Vmlinux.HZ;

    /// <summary>net.ipv4.tcp_orphan_retries (0: 8 while the connection is alive).</summary>
    public int sysctl_tcp_orphan_retries { get; set; }

    /// <summary>net.ipv4.tcp_retries1: RTOs before the route is doubted.</summary>
    public int sysctl_tcp_retries1 { get; set; } = 3;

    /// <summary>net.ipv4.tcp_retries2: the RTO budget after which an established connection times out (ETIMEDOUT).</summary>
    public int sysctl_tcp_retries2 { get; set; } = 15;

    /// <summary>net.ipv4.tcp_autocorking.</summary>
    public bool sysctl_tcp_autocorking { get; set; } = true;

    /// <summary>net.ipv4.tcp_limit_output_bytes: TCP Small Queues' ceiling on a flow's bytes in the qdisc and device (4 MB on 6.18).</summary>
    public int sysctl_tcp_limit_output_bytes { get; set; } = 4194304;

    /// <summary>net.ipv4.tcp_notsent_lowat.</summary>
    public uint sysctl_tcp_notsent_lowat { get; set; } = uint.MaxValue;

    /// <summary>net.ipv4.tcp_slow_start_after_idle.</summary>
    public bool sysctl_tcp_slow_start_after_idle { get; set; } = true;

    /// <summary>net.ipv4.tcp_reordering.</summary>
    public int sysctl_tcp_reordering { get; set; } = 3;

    /// <summary>net.ipv4.tcp_max_reordering: the most reordering (segments) the sender learns.</summary>
    public int sysctl_tcp_max_reordering { get; set; } = 300;

    /// <summary>net.ipv4.tcp_recovery: TCP_RACK_* bits (1: RACK loss detection).</summary>
    public int sysctl_tcp_recovery { get; set; } = 1;

    /// <summary>net.ipv4.tcp_early_retrans: 3 (TLP on) by default.</summary>
    public int sysctl_tcp_early_retrans { get; set; } = 3;

    /// <summary>net.ipv4.tcp_frto: F-RTO (RFC 5682), SACK-enhanced at 2.</summary>
    public int sysctl_tcp_frto { get; set; } = 2;

    /// <summary>net.ipv4.tcp_min_rtt_wlen (seconds).</summary>
    public int sysctl_tcp_min_rtt_wlen { get; set; } = 300;

    /// <summary>net.ipv4.tcp_min_tso_segs: the fewest segments a TSO skb aims at.</summary>
    public int sysctl_tcp_min_tso_segs { get; set; } = 2;

    /// <summary>net.ipv4.tcp_tso_rtt_log: how fast the TSO size shrinks as the minimum RTT grows (2^n µs).</summary>
    public int sysctl_tcp_tso_rtt_log { get; set; } = 9;

    /// <summary>net.ipv4.tcp_tso_win_divisor: the share of the window that is worth sending now instead of deferring (0: not used).</summary>
    public int sysctl_tcp_tso_win_divisor { get; set; } = 3;

    /// <summary>net.ipv4.tcp_mtu_probing: 0 off, 1 after an ICMP-less black hole is suspected (tcp_write_timeout), 2 always.</summary>
    public int sysctl_tcp_mtu_probing { get; set; }

    /// <summary>net.ipv4.tcp_base_mss: the MSS MTU probing starts its search from (TCP_BASE_MSS).</summary>
    public int sysctl_tcp_base_mss { get; set; } = 1024;

    /// <summary>net.ipv4.tcp_min_snd_mss: the smallest MSS a peer may make us use (TCP_MIN_SND_MSS).</summary>
    public int sysctl_tcp_min_snd_mss { get; set; } = 48;

    /// <summary>net.ipv4.tcp_probe_threshold: the search stops once search_high - search_low is below this many bytes.</summary>
    public int sysctl_tcp_probe_threshold { get; set; } = 8;

    /// <summary>net.ipv4.tcp_probe_interval: seconds before a finished search starts again (TCP_PROBE_INTERVAL).</summary>
    public uint sysctl_tcp_probe_interval { get; set; } = 600;

    /// <summary>net.ipv4.tcp_mtu_probe_floor: the smallest MSS black-hole detection halves down to.</summary>
    public int sysctl_tcp_mtu_probe_floor { get; set; } = 48;

    /// <summary>net.ipv4.tcp_pacing_ss_ratio (percent, in slow start).</summary>
    public int sysctl_tcp_pacing_ss_ratio { get; set; } = 200;

    /// <summary>net.ipv4.tcp_pacing_ca_ratio (percent, in congestion avoidance).</summary>
    public int sysctl_tcp_pacing_ca_ratio { get; set; } = 120;

    /// <summary>ipv4.tcp_congestion_control: the namespace's default algorithm (init_net's, which is CONFIG_DEFAULT_TCP_CONG from boot: tcp_sk_init, tcp_congestion_default).</summary>
    public object? tcp_congestion_control { get; set; }

    /// <summary>State other IPv4 files keep per namespace (udp table, frag queues), by owner type.</summary>
    public Dictionary<System.Type, object> priv { get; } = new();

    /// <summary>The namespace's netns_ipv4, made on first use.</summary>
    [KernelNet.Annotations.NotInLinux("C# accessor: C reaches net->ipv4 as a member")]
    public static netns_ipv4 of(net net)
    {
        if (net.ipv4 is not netns_ipv4 v)
        {
            v = new netns_ipv4(net);
            net.ipv4 = v;
        }

        return v;
    }
}
