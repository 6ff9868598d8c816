using System.Linq;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.Linux;
using KernelNet.Kernel.Net.Ipv4;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using KernelNet.Tests.Support;
using static KernelNet.Tests.Support.ProcNet;
using Xunit;

namespace KernelNet.Tests.Net.Ipv4;

public sealed class icmp_tests
{
    private static long Icmp(Host h, icmp_mib_field f) => netns_ipv4.of(h.Net).mib.icmp_statistics[(int)f];

    private static long IcmpMsg(Host h, int index) => netns_ipv4.of(h.Net).mib.icmpmsg_statistics[index];

    // RFC 792 echo: the reply carries the request's identifier, sequence and data.
    [Fact]
    public void echo_request_is_answered_by_icmp_echo_with_an_echo_reply()
    {
        var (t, a, b, _, _) = TwoHosts.OnVeth();
        var p = ping_c.ping_kernel_open(a.Net, 0x1234);
        var rc = -1;
        t.Spawn(a, "ping", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            rc = ping_c.ping_kernel_send(p, 0x0a000002, 1, 56);
            await libc.Sleep(1_000_000_000);
            ping_c.ping_kernel_send(p, 0x0a000002, 2, 56);
        });

        t.Run(5_000_000_000);

        Assert.Equal(0, rc);
        Assert.Equal(new ushort[] { 1, 2 }, p.replies.Select(r => r.sequence).ToArray());
        Assert.All(p.replies, r => Assert.Equal(0x0a000002u, r.saddr));
        Assert.All(p.replies, r => Assert.Equal(56, r.data_len));
        Assert.All(p.replies, r => Assert.Equal(64, r.ttl));
        Assert.Equal(2, Icmp(b, icmp_mib_field.ICMP_MIB_INMSGS));
        Assert.Equal(2, IcmpMsg(b, 8));           // InType8
        Assert.Equal(2, IcmpMsg(b, 0x100 | 0));   // OutType0
        Assert.Equal(2, Icmp(b, icmp_mib_field.ICMP_MIB_OUTMSGS));
        Assert.Equal(2, IcmpMsg(a, 0x100 | 8));   // OutType8
        Assert.Equal(2, IcmpMsg(a, 0));           // InType0
        Assert.Contains("IcmpMsg: InType0 OutType8", proc_c.snmp_seq_show(netns_ipv4.of(a.Net).mib, false, 64), System.StringComparison.Ordinal);
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // An echo above the MTU goes as fragments both ways: the request is
    // reassembled (its checksum verified over the frag_list), the reply
    // built from it (icmp_glue_bits reads the frag_list) as several skbs
    // whose checksum covers them all, fragmented and reassembled again.
    [Fact]
    public void an_echo_request_above_the_mtu_is_reassembled_and_answered_in_full()
    {
        var (t, a, b, _, _) = TwoHosts.OnVeth();
        var p = ping_c.ping_kernel_open(a.Net, 0x4321);
        t.Spawn(a, "ping", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            ping_c.ping_kernel_send(p, 0x0a000002, 1, 4000);
        });

        t.Run(2_000_000_000);

        var reply = Assert.Single(p.replies);
        Assert.Equal(4000, reply.data_len);
        Assert.Equal(0, Icmp(b, icmp_mib_field.ICMP_MIB_CSUMERRORS));
        Assert.Equal(0, Icmp(a, icmp_mib_field.ICMP_MIB_CSUMERRORS));
        Assert.Equal(1, netns_ipv4.of(b.Net).mib.ip_statistics[(int)ipstats_mib_field.IPSTATS_MIB_REASMOKS]);
        Assert.Equal(1, netns_ipv4.of(a.Net).mib.ip_statistics[(int)ipstats_mib_field.IPSTATS_MIB_REASMOKS]);
        Assert.Equal(3, netns_ipv4.of(b.Net).mib.ip_statistics[(int)ipstats_mib_field.IPSTATS_MIB_FRAGCREATES]);
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // RFC 1122 4.1.3.1: a datagram for a port nobody listens on gets port unreachable;
    // the sender's connected socket hears ECONNREFUSED through udp_err.
    [Fact]
    public void datagram_to_a_closed_port_gets_port_unreachable_and_econnrefused()
    {
        var (t, a, b, _, _) = TwoHosts.OnVeth();
        long second = 0;
        t.K.trace.set_event("skb:kfree_skb");
        t.Spawn(a, "client", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9999"));
            await libc.SendTo(fd, new byte[] { 1, 2, 3 }, 0, null);
            await libc.Sleep(100_000_000);
            second = await libc.SendTo(fd, new byte[] { 1, 2, 3 }, 0, null);
        });

        t.Run(2_000_000_000);

        Assert.Equal(1, netns_ipv4.of(b.Net).mib.udp_statistics[(int)udp_mib_field.UDP_MIB_NOPORTS]);
        // Icmp OutDestUnreachs/InDestUnreachs are folded from IcmpMsg (icmp_put), as in the kernel.
        Assert.Equal(1, IcmpMsg(b, 0x100 | 3));   // OutType3
        Assert.Equal("1", Snmp(b, "Icmp", "OutDestUnreachs"));
        Assert.Equal(1, IcmpMsg(a, 3));           // InType3
        Assert.Equal("1", Snmp(a, "Icmp", "InDestUnreachs"));
        Assert.Equal(-KernelNet.Kernel.Include.Uapi.AsmGeneric.errno_h.ECONNREFUSED, second);
        Assert.Contains(t.K.trace.entries, e => e.Text.EndsWith("reason: NO_SOCKET", System.StringComparison.Ordinal));
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // No echo listener: an echo reply for an identifier nobody pings with is
    // counted (InType0) and dropped NO_SOCKET by ping_rcv.
    [Fact]
    public void echo_reply_without_a_ping_socket_is_dropped_no_socket()
    {
        var (t, a, _, _, _) = TwoHosts.OnVeth();
        var q = ping_c.ping_kernel_open(a.Net, 8);
        t.K.trace.set_event("skb:kfree_skb");
        var closed = false;
        t.Spawn(a, "ping", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            // Closed before sending: the reply (which veth and the softirq run
            // on bh enable deliver within this very send) finds no socket.
            ping_c.ping_kernel_close(q);
            closed = true;
            Assert.Equal(0, ping_c.ping_kernel_send(q, 0x0a000002, 1));
        });

        t.Run(2_000_000_000);

        Assert.True(closed);
        Assert.Empty(q.replies);
        Assert.Equal(1, IcmpMsg(a, 0));
        Assert.Contains(t.K.trace.entries, e => e.Text.Contains("protocol=2048", System.StringComparison.Ordinal) && e.Text.EndsWith("reason: NO_SOCKET", System.StringComparison.Ordinal));
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // Over lo (NETIF_F_SG) a 30000-byte echo's reply does not fit
    // SKB_MAX_ALLOC and is built paged; icmp_push_reply's sum covers the
    // page frags, so the reply passes icmp_rcv's checksum and arrives whole.
    [Fact]
    public void a_30000_byte_echo_over_loopback_is_answered_by_a_paged_reply_with_a_good_checksum()
    {
        var t = new Topology();
        var h = t.AddHost("H");
        var p = ping_c.ping_kernel_open(h.Net, 0x2468);
        var rc = -1;
        t.Spawn(h, "ping", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            rc = ping_c.ping_kernel_send(p, 0x7f000001, 1, 30000);
            await libc.Sleep(1_000_000_000);
        });

        t.Run(3_000_000_000);

        Assert.Equal(0, rc);
        var reply = Assert.Single(p.replies);
        Assert.Equal(30000, reply.data_len);
        Assert.Equal(0, Icmp(h, icmp_mib_field.ICMP_MIB_CSUMERRORS));
        Assert.Equal(1, IcmpMsg(h, 0));           // InType0
        Assert.Equal(0, t.K.leaked_skbs());
    }
}
