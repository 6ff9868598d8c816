// Ports include/trace/events/net.h: the device-layer events of both paths.
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Kernel.Trace;

namespace KernelNet.Kernel.Include.Trace.Events;

public static class net_h
{
    private const string System = "net";

    private static readonly trace_event_call event_net_dev_start_xmit = trace_events_c.find(System, "net_dev_start_xmit");
    private static readonly trace_event_call event_net_dev_xmit = trace_events_c.find(System, "net_dev_xmit");
    private static readonly trace_event_call event_net_dev_queue = trace_events_c.find(System, "net_dev_queue");
    private static readonly trace_event_call event_netif_receive_skb = trace_events_c.find(System, "netif_receive_skb");
    private static readonly trace_event_call event_netif_rx = trace_events_c.find(System, "netif_rx");
    private static readonly trace_event_call event_napi_gro_receive_entry = trace_events_c.find(System, "napi_gro_receive_entry");
    private static readonly trace_event_call event_netif_receive_skb_entry = trace_events_c.find(System, "netif_receive_skb_entry");
    private static readonly trace_event_call event_netif_rx_entry = trace_events_c.find(System, "netif_rx_entry");
    private static readonly trace_event_call event_napi_gro_receive_exit = trace_events_c.find(System, "napi_gro_receive_exit");
    private static readonly trace_event_call event_netif_receive_skb_exit = trace_events_c.find(System, "netif_receive_skb_exit");
    private static readonly trace_event_call event_netif_rx_exit = trace_events_c.find(System, "netif_rx_exit");

    // include/trace/events/net.h: trace_net_dev_start_xmit
    [KernelNet.Annotations.Borrows("skb")]
    public static void trace_net_dev_start_xmit(sk_buff skb, net_device dev)
    {
        var k = skb.k;
        if (k.trace.enabled(event_net_dev_start_xmit))
        {
            var th_valid = skbuff_h.skb_transport_header_was_set(skb);
            k.trace.record(event_net_dev_start_xmit, $"dev={dev.name} queue_mapping={skb.queue_mapping} skbaddr={skb.addr:x16} vlan_tagged={(if_vlan_h.skb_vlan_tag_present(skb) ? 1 : 0)} vlan_proto=0x{skb.vlan_proto:x4} vlan_tci=0x{if_vlan_h.skb_vlan_tag_get(skb):x4} protocol=0x{skb.protocol:x4} ip_summed={skb.ip_summed} len={skb.len} data_len={skb.data_len} network_offset={skbuff_h.skb_network_offset(skb)} transport_offset_valid={(th_valid ? 1 : 0)} transport_offset={(th_valid ? skbuff_h.skb_transport_offset(skb) : 0)} tx_flags={skb.shinfo.tx_flags} gso_size={skb.shinfo.gso_size} gso_segs={skb.shinfo.gso_segs} gso_type={new trace_hex_alt(skb.shinfo.gso_type)}");
        }
    }

    // include/trace/events/net.h: trace_net_dev_xmit
    [KernelNet.Annotations.Borrows("skb")]
    public static void trace_net_dev_xmit(sk_buff skb, int rc, net_device dev, int skb_len)
    {
        var k = dev.nd_net.k;
        if (k.trace.enabled(event_net_dev_xmit))
        {
            k.trace.record(event_net_dev_xmit, $"dev={dev.name} skbaddr={skb.addr:x16} len={skb_len} rc={rc}");
        }
    }

    // include/trace/events/net.h: trace_net_dev_queue
    [KernelNet.Annotations.Borrows("skb")]
    public static void trace_net_dev_queue(sk_buff skb) => skb_event(skb, event_net_dev_queue);

    // include/trace/events/net.h: trace_netif_receive_skb
    [KernelNet.Annotations.Borrows("skb")]
    public static void trace_netif_receive_skb(sk_buff skb) => skb_event(skb, event_netif_receive_skb);

    // include/trace/events/net.h: trace_netif_rx
    [KernelNet.Annotations.Borrows("skb")]
    public static void trace_netif_rx(sk_buff skb) => skb_event(skb, event_netif_rx);

    // include/trace/events/net.h: trace_napi_gro_receive_entry
    [KernelNet.Annotations.Borrows("skb")]
    public static void trace_napi_gro_receive_entry(sk_buff skb) => rx_entry_event(skb, event_napi_gro_receive_entry);

    // include/trace/events/net.h: trace_netif_receive_skb_entry
    [KernelNet.Annotations.Borrows("skb")]
    public static void trace_netif_receive_skb_entry(sk_buff skb) => rx_entry_event(skb, event_netif_receive_skb_entry);

    // include/trace/events/net.h: trace_netif_rx_entry
    [KernelNet.Annotations.Borrows("skb")]
    public static void trace_netif_rx_entry(sk_buff skb) => rx_entry_event(skb, event_netif_rx_entry);

    // include/trace/events/net.h: trace_napi_gro_receive_exit
    public static void trace_napi_gro_receive_exit(Vmlinux k, int ret) => exit_event(k, event_napi_gro_receive_exit, ret);

    // include/trace/events/net.h: trace_netif_receive_skb_exit
    public static void trace_netif_receive_skb_exit(Vmlinux k, int ret) => exit_event(k, event_netif_receive_skb_exit, ret);

    // include/trace/events/net.h: trace_netif_rx_exit
    public static void trace_netif_rx_exit(Vmlinux k, int ret) => exit_event(k, event_netif_rx_exit, ret);

    [KernelNet.Annotations.NotInLinux("the shared body of the net_dev_template event class (DECLARE_EVENT_CLASS), generated in C")]
    [KernelNet.Annotations.Borrows("skb")]
    private static void skb_event(sk_buff skb, trace_event_call call)
    {
        var k = skb.k;
        if (k.trace.enabled(call))
        {
            k.trace.record(call, $"dev={skb.dev?.name} skbaddr={skb.addr:x16} len={skb.len}");
        }
    }

    [KernelNet.Annotations.NotInLinux("the shared body of the net_dev_rx_exit_template event class (DECLARE_EVENT_CLASS), generated in C")]
    private static void exit_event(Vmlinux k, trace_event_call call, int ret)
    {
        if (k.trace.enabled(call))
        {
            k.trace.record(call, $"ret={ret}");
        }
    }

    /// <summary>net_dev_rx_verbose_template.</summary>
    [KernelNet.Annotations.NotInLinux("the shared body of the net_dev_rx_verbose_template event class (DECLARE_EVENT_CLASS), generated in C")]
    [KernelNet.Annotations.Borrows("skb")]
    private static void rx_entry_event(sk_buff skb, trace_event_call call)
    {
        var k = skb.k;
        if (k.trace.enabled(call))
        {
            var mac_valid = skbuff_h.skb_mac_header_was_set(skb);
            k.trace.record(call, $"dev={skb.dev?.name} napi_id={new trace_hex_alt(skb.napi_id)} queue_mapping={skb.queue_mapping} skbaddr={skb.addr:x16} vlan_tagged={(if_vlan_h.skb_vlan_tag_present(skb) ? 1 : 0)} vlan_proto=0x{skb.vlan_proto:x4} vlan_tci=0x{if_vlan_h.skb_vlan_tag_get(skb):x4} protocol=0x{skb.protocol:x4} ip_summed={skb.ip_summed} hash=0x{skb.hash:x8} l4_hash={(skb.l4_hash ? 1 : 0)} len={skb.len} data_len={skb.data_len} truesize={skb.truesize} mac_header_valid={(mac_valid ? 1 : 0)} mac_header={(mac_valid ? skb.mac_header - skb.data : 0)} nr_frags={skb.shinfo.nr_frags} gso_size={skb.shinfo.gso_size} gso_type={new trace_hex_alt(skb.shinfo.gso_type)}");
        }
    }
}
