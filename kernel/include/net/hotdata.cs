// Ports include/net/hotdata.h: struct net_hotdata, the global net.core knobs
// read on every packet (sysctl defaults of the kernel these machines run,
// ../shared/linux-6.18/sysctl_net_core.init-netns.txt).
namespace KernelNet.Kernel.Include.Net;

/// <summary>struct net_hotdata.</summary>
public sealed class net_hotdata
{
    /// <summary>net.core.netdev_budget: packets one net_rx_action may process.</summary>
    public int netdev_budget { get; set; } = 300;

    /// <summary>net.core.netdev_budget_usecs: time one net_rx_action may take (8000 = 2 s/HZ at HZ=250).</summary>
    public int netdev_budget_usecs { get; set; } = 8000;

    /// <summary>net.core.netdev_max_backlog: per-CPU backlog queue limit.</summary>
    public int max_backlog { get; set; } = 1000;

    /// <summary>net.core.dev_weight: the backlog NAPI's weight (weight_p).</summary>
    public int dev_weight { get; set; } = 64;

    /// <summary>net.core.dev_weight_rx_bias.</summary>
    public int dev_weight_rx_bias { get; set; } = 1;

    /// <summary>net.core.dev_weight_tx_bias.</summary>
    public int dev_weight_tx_bias { get; set; } = 1;

    /// <summary>dev_rx_weight = weight_p * rx_bias.</summary>
    public int dev_rx_weight => dev_weight * dev_weight_rx_bias;

    /// <summary>dev_tx_weight = weight_p * tx_bias: the qdisc quota of __qdisc_run.</summary>
    public int dev_tx_weight => dev_weight * dev_weight_tx_bias;

    /// <summary>net.core.gro_normal_batch.</summary>
    public int gro_normal_batch { get; set; } = 8;

    /// <summary>net.core.max_skb_frags: frags tcp_sendmsg puts in one skb before starting another (MAX_SKB_FRAGS).</summary>
    public int sysctl_max_skb_frags { get; set; } = Linux.skbuff_h.MAX_SKB_FRAGS;

    /// <summary>net.core.skb_defer_max: skbs a CPU may have waiting on another's defer list before frees happen in place.</summary>
    public int sysctl_skb_defer_max { get; set; } = 64;

    /// <summary>napi_gen_id: the next NAPI id (starts past NR_CPUS as in the kernel).</summary>
    public int napi_gen_id { get; set; } = 8193;

    /// <summary>net.core.netdev_tstamp_prequeue: stamp a received packet when it is queued (netif_rx), not when it is processed.</summary>
    public bool tstamp_prequeue { get; set; } = true;

    /// <summary>netstamp_needed_key (dev.c's static key): how many sockets want receive timestamps; 0 leaves packets unstamped.</summary>
    public int netstamp_needed_key { get; set; }

    /// <summary>rps_sock_flow_table: RFS's global flow-to-CPU table (net.core.rps_sock_flow_entries); null when 0.</summary>
    public rps_sock_flow_table? rps_sock_flow_table { get; set; }

    /// <summary>rps_cpu_mask: the low bits of an rps_sock_flow_table entry that hold the CPU (roundup_pow_of_two(nr_cpu_ids) - 1).</summary>
    public uint rps_cpu_mask { get; set; }

    /// <summary>The rps_needed static key's count: RX queues with an RPS map or flow table (and RFS's table).</summary>
    public int rps_needed { get; set; }

    /// <summary>The rfs_needed static key's count: on while rps_sock_flow_table exists.</summary>
    public int rfs_needed { get; set; }

    /// <summary>The xps_needed static key's count: devices with an XPS map.</summary>
    public int xps_needed { get; set; }

    /// <summary>skbuff_cache: "skbuff_head_cache", the slab of sk_buffs (skb_init).</summary>
    public Mm.kmem_cache skbuff_cache { get; set; } = null!;

    /// <summary>skbuff_fclone_cache: the slab of sk_buff_fclones pairs (skb_init).</summary>
    public Mm.kmem_cache skbuff_fclone_cache { get; set; } = null!;

    /// <summary>
    /// departure: the skb_shared_info objects of freed heads, for the next head (C carves the shared
    /// info from the head's own last bytes, so it comes and goes with the head). Kept beside the skb
    /// caches so every head allocation and free reaches it directly.
    /// </summary>
    public System.Collections.Generic.Stack<Linux.skb_shared_info> skb_shinfo_freelist { get; } = new();
}
