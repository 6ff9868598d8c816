using System;
using System.Linq;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.Linux;
using KernelNet.Kernel.Net.Net8021q;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using KernelNet.Tests.Support;
using Xunit;
using static KernelNet.Kernel.Net.Core.dev_c;
using static KernelNet.Kernel.Net.Core.skbuff_c;
using static KernelNet.Kernel.Net.Ethernet.eth_c;

namespace KernelNet.Tests.Net.Net8021q;

/// <summary>
/// 802.1Q on receive (__netif_receive_skb_core with skb_vlan_untag and
/// vlan_do_receive) and VLAN devices (vlan_newlink, vlan_dev_hard_start_xmit).
/// </summary>
public sealed class vlan_core_tests
{
    private static long Ip(Host h, ipstats_mib_field f) => netns_ipv4.of(h.Net).mib.ip_statistics[(int)f];

    /// <summary>The frame with an 802.1Q tag (TPID 0x8100, <paramref name="tci"/>) after the MAC addresses.</summary>
    private static byte[] Tagged(byte[] frame, ushort tci)
    {
        var f = new byte[frame.Length + 4];
        frame.AsSpan(0, 12).CopyTo(f);
        f[12] = 0x81;
        f[13] = 0x00;
        f[14] = (byte)(tci >> 8);
        f[15] = (byte)tci;
        frame.AsSpan(12).CopyTo(f.AsSpan(16));
        return f;
    }

    /// <summary>A socket on B bound to <paramref name="bindTo"/> that reads once, without waiting, 20 ms in.</summary>
    private static void ReadLater(Topology t, Host b, string bindTo, Action<RecvResult> read)
    {
        t.Spawn(b, "server", 1, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.Bind(fd, SockAddrIn.Parse(bindTo));
            await libc.Sleep(20_000_000);
            read(await libc.RecvFrom(fd, 64, Libc.MSG_DONTWAIT));
            await libc.Close(fd);
        });
    }

    // skb_vlan_untag: the tag moves out of the data into skb->vlan_proto/vlan_tci, the MAC
    // addresses move up over it, and the frame reads as an untagged IPv4 one (protocol, MAC
    // header, mac_len 14).
    [Fact]
    public void skb_vlan_untag_moves_the_tag_beside_the_data_and_the_frame_reads_untagged()
    {
        var n = TwoHosts.OnVeth();
        var frame = Tagged(Frames.Udp(n.VethB.dev_addr, n.VethA.dev_addr, 0x0a000001, 0x0a000002, 7000, 9000, [1, 2]), 0xa005);
        var skb = __alloc_skb(n.T.K, frame.Length + 64, 0)!;
        skbuff_h.skb_reserve(skb, 64);
        frame.CopyTo(skb.head, skb_put(skb, frame.Length));
        skb.protocol = eth_type_trans(skb, n.VethB);
        Assert.Equal(if_ether_h.ETH_P_8021Q, skb.protocol);

        skb = skb_vlan_untag(skb)!;

        Assert.Equal(if_ether_h.ETH_P_8021Q, skb.vlan_proto);
        Assert.Equal(0xa005, skb.vlan_tci);
        Assert.Equal(5, if_vlan_h.skb_vlan_tag_get_id(skb));
        Assert.Equal(5, if_vlan_h.skb_vlan_tag_get_prio(skb));
        Assert.Equal(if_ether_h.ETH_P_IP, skb.protocol);
        Assert.Equal(14, skb.mac_len);
        var mac = skb.head.AsSpan(skbuff_h.skb_mac_header(skb), 14).ToArray();
        Assert.Equal(n.VethB.dev_addr, mac[..6]);
        Assert.Equal(n.VethA.dev_addr, mac[6..12]);
        Assert.Equal(new byte[] { 0x08, 0x00 }, mac[12..]);
        Assert.Equal(0x45, skb.head[skb.data]); // the IP header starts the data
        skbuff_h.kfree_skb_reason(skb, KernelNet.Kernel.Include.Net.skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
        Assert.Equal(0, n.T.K.leaked_skbs());
    }

    // A priority tag (VID 0, PCP 5) that no VLAN device takes is cleared and the frame goes on
    // as if untagged (recorded: vlan-priority-tag).
    [Fact]
    public void a_priority_tagged_frame_is_untagged_and_delivered()
    {
        var n = TwoHosts.OnVeth();
        var got = Array.Empty<byte>();
        ReadLater(n.T, n.B, TwoHosts.ServerAddress, r => got = r.Data);

        Inject.Frame(n.T, n.B, n.VethB, Tagged(Frames.Udp(n.VethB.dev_addr, n.VethA.dev_addr, 0x0a000001, 0x0a000002, 7000, 9000, [1, 2, 3]), 0xa000), at: 2_000_000);
        n.T.Run(100_000_000);

        Assert.Equal(new byte[] { 1, 2, 3 }, got);
        Assert.Equal(0, n.T.K.leaked_skbs());
    }

    // A nonzero VID with no VLAN device for it: __netif_receive_skb_core marks the skb
    // PACKET_OTHERHOST and ip_rcv_core drops it before any SNMP counter moves (recorded:
    // vlan-unconfigured-vid).
    [Fact]
    public void a_frame_for_an_unconfigured_vid_is_dropped_OTHERHOST_in_ip_rcv_core()
    {
        var n = TwoHosts.OnVeth();
        n.T.K.trace.set_event("skb:kfree_skb");
        long ret = 0;
        ReadLater(n.T, n.B, TwoHosts.ServerAddress, r => ret = r.Ret);

        Inject.Frame(n.T, n.B, n.VethB, Tagged(Frames.Udp(n.VethB.dev_addr, n.VethA.dev_addr, 0x0a000001, 0x0a000002, 7000, 9000, [1, 2, 3]), 10), at: 2_000_000);
        n.T.Run(100_000_000);

        Assert.Equal(-Libc.EAGAIN, ret);
        var drop = Assert.Single(n.T.K.trace.entries, e => e.Event == "kfree_skb");
        Assert.Contains("protocol=2048", drop.Text, StringComparison.Ordinal);
        Assert.EndsWith("reason: OTHERHOST", drop.Text, StringComparison.Ordinal);
        Assert.Equal(0, Ip(n.B, ipstats_mib_field.IPSTATS_MIB_INPKTS));
        Assert.Equal(0, n.T.K.leaked_skbs());
    }

    // With veth1.5 configured, a frame tagged VID 5 becomes the VLAN device's (vlan_do_receive):
    // it goes round __netif_receive_skb_core again, is routed as received on veth1.5 and counted
    // in the VLAN device's rx stats.
    [Fact]
    public void a_frame_for_a_configured_vid_is_received_on_its_vlan_device()
    {
        var n = TwoHosts.OnVeth();
        var vlan = n.T.AddVlan(n.VethB, "veth1.5", 5);
        n.T.AddAddress(vlan, "10.0.5.2/24");
        var got = Array.Empty<byte>();
        ReadLater(n.T, n.B, "10.0.5.2:9000", r => got = r.Data);

        Inject.Frame(n.T, n.B, n.VethB, Tagged(Frames.Udp(n.VethB.dev_addr, n.VethA.dev_addr, 0x0a000501, 0x0a000502, 7000, 9000, [4, 5]), 5), at: 2_000_000);
        n.T.Run(100_000_000);

        Assert.Equal(new byte[] { 4, 5 }, got);
        var priv = if_vlan_h.vlan_dev_priv(vlan);
        Assert.Equal(1ul, priv.rx_packets);
        Assert.Equal(30ul, priv.rx_bytes); // skb->len once untagged: IP header, UDP header, 2 bytes
        Assert.Equal(0, n.T.K.leaked_skbs());
    }

    // A NIC that strips the tag hands the skb up with it beside the data: the receive
    // tracepoints print it (vlan_tagged=1 vlan_proto=0x8100 vlan_tci=...), and vlan_do_receive
    // takes it without skb_vlan_untag.
    [Fact]
    public void a_tag_the_nic_stripped_is_printed_by_the_receive_tracepoints_and_delivered()
    {
        var n = TwoHosts.OnVeth();
        var vlan = n.T.AddVlan(n.VethB, "veth1.7", 7);
        n.T.AddAddress(vlan, "10.0.7.2/24");
        n.T.K.trace.set_event("net:netif_rx_entry");
        var got = Array.Empty<byte>();
        ReadLater(n.T, n.B, "10.0.7.2:9000", r => got = r.Data);
        var frame = Frames.Udp(n.VethB.dev_addr, n.VethA.dev_addr, 0x0a000701, 0x0a000702, 7000, 9000, [6]);
        n.T.Spawn(n.B, "nic", 0, async libc =>
        {
            await libc.Sleep(2_000_000);
            var skb = __alloc_skb(n.T.K, frame.Length + 64, 0)!;
            skbuff_h.skb_reserve(skb, 64);
            frame.CopyTo(skb.head, skb_put(skb, frame.Length));
            skb.protocol = eth_type_trans(skb, n.VethB);
            if_vlan_h.__vlan_hwaccel_put_tag(skb, if_ether_h.ETH_P_8021Q, 0x2007);
            netif_rx(skb);
        });

        n.T.Run(100_000_000);

        Assert.Equal(new byte[] { 6 }, got);
        var rx = Assert.Single(n.T.K.trace.entries, e => e.Event == "netif_rx_entry");
        Assert.Contains("vlan_tagged=1 vlan_proto=0x8100 vlan_tci=0x2007 protocol=0x0800", rx.Text, StringComparison.Ordinal);
        Assert.Equal(0, n.T.K.leaked_skbs());
    }

    // A frame for a VLAN device that is down is freed in vlan_do_receive (plain kfree_skb).
    [Fact]
    public void a_frame_for_a_vlan_device_that_is_down_is_freed_in_vlan_do_receive()
    {
        var n = TwoHosts.OnVeth();
        n.T.K.trace.set_event("skb:kfree_skb");
        var vlan = vlan_netlink_c.vlan_newlink(n.VethB, "veth1.9", 9, out var err);
        Assert.NotNull(vlan);
        Assert.Equal(0, err);

        Inject.Frame(n.T, n.B, n.VethB, Tagged(Frames.Udp(n.VethB.dev_addr, n.VethA.dev_addr, 0x0a000901, 0x0a000902, 7000, 9000, [1]), 9), at: 2_000_000);
        n.T.Run(100_000_000);

        var drop = Assert.Single(n.T.K.trace.entries, e => e.Event == "kfree_skb");
        Assert.Contains("location=vlan_do_receive", drop.Text, StringComparison.Ordinal);
        Assert.EndsWith("reason: NOT_SPECIFIED", drop.Text, StringComparison.Ordinal);
        Assert.Equal(0ul, if_vlan_h.vlan_dev_priv(vlan!).rx_packets);
        Assert.Equal(0, n.T.K.leaked_skbs());
    }

    // vlan_newlink: the VLAN device takes the lower device's MTU even when the lower device does not insert tags
    // itself (the tag then costs four bytes of header, not of MTU): 6.18 lowers it only over MACsec
    // (netif_reduces_vlan_mtu).
    [Fact]
    public void a_vlan_device_takes_the_lower_devices_mtu_whether_or_not_it_offloads_tags()
    {
        var n = TwoHosts.OnVeth();
        var offloaded = vlan_netlink_c.vlan_newlink(n.VethA, "veth0.7", 7, out var err)!;
        Assert.Equal(0, err);
        n.VethB.features &= ~netdev_features_h.NETIF_F_HW_VLAN_CTAG_TX;
        var software = vlan_netlink_c.vlan_newlink(n.VethB, "veth1.7", 7, out err)!;
        Assert.Equal(0, err);

        Assert.Equal(n.VethA.mtu, offloaded.mtu);
        Assert.Equal(n.VethB.mtu, software.mtu);
        Assert.Equal(n.VethB.hard_header_len + if_vlan_h.VLAN_HLEN, software.hard_header_len);
    }

    // vlan_newlink refuses the reserved VIDs 0 and 4095 (EINVAL) and a VID the lower device
    // already has a VLAN device for (EEXIST).
    [Theory]
    [InlineData(0, 22)]
    [InlineData(4095, 22)]
    [InlineData(5, 17)]
    public void vlan_newlink_refuses_reserved_and_taken_vids(int vid, int errno)
    {
        var n = TwoHosts.OnVeth();
        n.T.AddVlan(n.VethB, "veth1.5", 5);

        var dev = vlan_netlink_c.vlan_newlink(n.VethB, "other", (ushort)vid, out var err);

        Assert.Null(dev);
        Assert.Equal(-errno, err);
    }

    // Both ends with VLAN devices on VID 5: a datagram sent through veth0.5 leaves veth0 with
    // the tag beside the data (veth inserts tags itself: NETIF_F_HW_VLAN_CTAG_TX), which
    // net_dev_start_xmit prints, and arrives on veth1.5 — ARP for the peer included.
    [Fact]
    public void a_datagram_sent_through_a_vlan_device_arrives_on_the_peers_vlan_device()
    {
        var n = TwoHosts.OnVeth();
        var va = n.T.AddVlan(n.VethA, "veth0.5", 5);
        var vb = n.T.AddVlan(n.VethB, "veth1.5", 5);
        n.T.AddAddress(va, "10.0.5.1/24");
        n.T.AddAddress(vb, "10.0.5.2/24");
        n.T.K.trace.set_event("net:net_dev_start_xmit");
        var got = Array.Empty<byte>();
        n.T.Spawn(n.B, "server", 1, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.Bind(fd, SockAddrIn.Parse("10.0.5.2:9000"));
            got = (await libc.RecvFrom(fd, 64, 0)).Data;
            await libc.Close(fd);
        });
        n.SendOnceFromA([1, 2, 3, 4], to: "10.0.5.2:9000");

        n.T.Run(1_000_000_000);

        Assert.Equal(new byte[] { 1, 2, 3, 4 }, got);
        Assert.Contains(n.T.K.trace.entries, e => e.Event == "net_dev_start_xmit" && e.Text.StartsWith("dev=veth0 ", StringComparison.Ordinal) &&
            e.Text.Contains("vlan_tagged=1 vlan_proto=0x8100 vlan_tci=0x0005 protocol=0x0800", StringComparison.Ordinal));
        Assert.True(if_vlan_h.vlan_dev_priv(va).tx_packets >= 1);
        Assert.True(if_vlan_h.vlan_dev_priv(vb).rx_packets >= 1);
        Assert.Equal(0, n.T.K.leaked_skbs());
    }
}
