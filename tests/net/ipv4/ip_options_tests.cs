using System;
using System.Buffers.Binary;
using System.Linq;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.Linux;
using KernelNet.Machine;
using KernelNet.Tests.Support;
using Xunit;

namespace KernelNet.Tests.Net.Ipv4;

/// <summary>
/// ip_options.c on the receive path: an echo request with IP options is
/// injected into B (10.0.0.2) from A (10.0.0.1); A reads what comes back on
/// a raw ICMP socket (IP header and options included).
/// </summary>
public sealed class ip_options_tests
{
    private const long Ms = 1_000_000;

    /// <summary>An echo request 10.0.0.1 -> 10.0.0.2 carrying <paramref name="options"/> (padded to 4 bytes), both checksums right.</summary>
    private static byte[] EchoWithOptions(TwoHosts n, byte[] options, byte icmpType = 8)
    {
        var padded = (options.Length + 3) / 4 * 4;
        var ihl = 20 + padded;
        var icmpLen = 8 + 16;
        var f = new byte[14 + ihl + icmpLen];
        n.VethB.dev_addr.CopyTo(f, 0);
        n.VethA.dev_addr.CopyTo(f, 6);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(12), 0x0800);
        var ip = f.AsSpan(14);
        ip[0] = (byte)(0x40 | (ihl / 4));
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(ihl + icmpLen));
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], 0x1234);
        ip[8] = 64;
        ip[9] = 1;
        BinaryPrimitives.WriteUInt32BigEndian(ip[12..], 0x0a000001);
        BinaryPrimitives.WriteUInt32BigEndian(ip[16..], 0x0a000002);
        options.CopyTo(ip[20..]);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], checksum_h.ip_fast_csum(ip, ihl / 4));
        var icmp = ip[ihl..];
        icmp[0] = icmpType;
        BinaryPrimitives.WriteUInt16BigEndian(icmp[4..], 0x77);
        BinaryPrimitives.WriteUInt16BigEndian(icmp[6..], 1);
        for (var i = 0; i < 16; i++)
        {
            icmp[8 + i] = (byte)i;
        }

        BinaryPrimitives.WriteUInt16BigEndian(icmp[2..], checksum_h.csum_fold(checksum_h.csum_partial(icmp[..icmpLen], 0)));
        return f;
    }

    /// <summary>Injects the frame into B and returns the first ICMP packet A's raw socket reads (IP header first), or null.</summary>
    private static byte[]? Answer(TwoHosts n, byte[] frame)
    {
        byte[]? got = null;
        n.T.K.trace.set_event("skb:kfree_skb");
        n.T.Spawn(n.A, "raw", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_RAW, Libc.IPPROTO_ICMP);
            await libc.Sleep(500 * Ms);
            var buf = new byte[2048];
            var r = await libc.RecvFrom(fd, buf, buf.Length, Libc.MSG_DONTWAIT);
            if (r > 0)
            {
                got = buf.AsSpan(0, (int)r).ToArray();
            }
        });
        Inject.Frame(n.T, n.B, n.VethB, frame, at: 10 * Ms);
        n.T.Run(1_000 * Ms);
        return got;
    }

    private static string[] Drops(TwoHosts n) =>
        n.T.K.trace.entries.Where(e => e.Event == "kfree_skb" && e.Text.Contains("protocol=2048", StringComparison.Ordinal)).Select(e => e.Text).ToArray();

    // RFC 791 / RFC 1122 3.2.1.8: a timestamp option's pointer is at least 5.
    // ip_options_compile refuses a pointer of 2 with ICMP parameter problem whose
    // pointer names that byte (offset 22 in the header); the packet is dropped
    // IP_INHDR and counted in InHdrErrors; no echo reply is sent.
    [Fact]
    public void a_timestamp_option_with_a_bad_pointer_gets_parameter_problem_and_is_dropped_IP_INHDR()
    {
        var n = TwoHosts.OnVeth();

        var got = Answer(n, EchoWithOptions(n, [68, 12, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0]));

        Assert.NotNull(got);
        var ihl = (got![0] & 0xf) * 4;
        Assert.Equal(KernelNet.Kernel.Include.Uapi.Linux.icmp_h.ICMP_PARAMETERPROB, got[ihl]);
        Assert.Equal(22, got[ihl + 4]);
        Assert.Equal(1, netns_ipv4.of(n.B.Net).mib.ip_statistics[(int)ipstats_mib_field.IPSTATS_MIB_INHDRERRORS]);
        Assert.Equal(0, netns_ipv4.of(n.B.Net).mib.ip_statistics[(int)ipstats_mib_field.IPSTATS_MIB_INDELIVERS]);
        Assert.EndsWith("reason: IP_INHDR", Assert.Single(Drops(n)), StringComparison.Ordinal);
        Assert.Equal(0, n.T.K.leaked_skbs());
    }

    // RFC 791 record route: the receiving host writes its address into the next
    // slot and moves the pointer on; the echo reply carries the option back
    // (__ip_options_echo), here already full: 07 07 08 10.0.0.2, then EOL.
    [Fact]
    public void an_echo_request_with_record_route_is_answered_with_the_recorded_route()
    {
        var n = TwoHosts.OnVeth();

        var got = Answer(n, EchoWithOptions(n, [7, 7, 4, 0, 0, 0, 0, 0]));

        Assert.NotNull(got);
        Assert.Equal(0x47, got![0]);
        Assert.Equal("0707080A00000200", Convert.ToHexString(got.AsSpan(20, 8)));
        Assert.Equal(KernelNet.Kernel.Include.Uapi.Linux.icmp_h.ICMP_ECHOREPLY, got[28]);
        Assert.Equal(0, checksum_h.ip_fast_csum(got, 7));
        Assert.Equal(1, netns_ipv4.of(n.B.Net).mib.ip_statistics[(int)ipstats_mib_field.IPSTATS_MIB_INDELIVERS]);
    }

    // A source route is refused when net.ipv4.conf.all.accept_source_route is 0
    // (a new namespace's value): dropped NOT_SPECIFIED, no counter, no answer.
    [Fact]
    public void a_loose_source_route_is_dropped_without_an_answer()
    {
        var n = TwoHosts.OnVeth();

        var got = Answer(n, EchoWithOptions(n, [131, 7, 4, 10, 0, 0, 9, 0]));

        Assert.Null(got);
        Assert.EndsWith("reason: NOT_SPECIFIED", Assert.Single(Drops(n)), StringComparison.Ordinal);
        Assert.Equal(0, netns_ipv4.of(n.B.Net).mib.ip_statistics[(int)ipstats_mib_field.IPSTATS_MIB_INHDRERRORS]);
        Assert.Equal(0, netns_ipv4.of(n.B.Net).mib.ip_statistics[(int)ipstats_mib_field.IPSTATS_MIB_INDELIVERS]);
    }

    // IN_DEV_SOURCE_ROUTE: with net.ipv4.conf.all.accept_source_route set and the
    // device's own value 1 (from conf.default), ip_options_rcv_srr takes the route:
    // here it is used up (pointer past its one hop, 10.0.0.1), so B is the final
    // destination and answers; the reply's reversed route would name only A, the
    // reply's own destination, so __ip_options_echo leaves it out (RFC 1812).
    [Fact]
    public void a_used_up_source_route_is_delivered_once_all_and_the_device_accept_source_routes()
    {
        var n = TwoHosts.OnVeth();
        Assert.Equal(0, KernelNet.Kernel.Net.Ipv4.devinet_c.devinet_conf_proc(n.B.Net, "all", null, "accept_source_route", 1));

        var got = Answer(n, EchoWithOptions(n, [131, 7, 8, 10, 0, 0, 1, 0]));

        Assert.NotNull(got);
        Assert.Equal(0x45, got![0]);
        Assert.Equal(KernelNet.Kernel.Include.Uapi.Linux.icmp_h.ICMP_ECHOREPLY, got[20]);
        Assert.DoesNotContain(Drops(n), d => d.EndsWith("reason: NOT_SPECIFIED", StringComparison.Ordinal));
        Assert.Equal(1, netns_ipv4.of(n.B.Net).mib.ip_statistics[(int)ipstats_mib_field.IPSTATS_MIB_INDELIVERS]);
    }

    // devinet_conf_proc: a device whose own accept_source_route was written keeps it
    // when conf.default changes later (its cnf.state bit), so with all=1 and the
    // device at 0 the source route is still refused: NOT_SPECIFIED, no answer.
    [Fact]
    public void a_device_that_set_its_own_accept_source_route_to_0_refuses_source_routes_whatever_default_says()
    {
        var n = TwoHosts.OnVeth();
        Assert.Equal(0, KernelNet.Kernel.Net.Ipv4.devinet_c.devinet_conf_proc(n.B.Net, "eth0", n.VethB, "accept_source_route", 0));
        Assert.Equal(0, KernelNet.Kernel.Net.Ipv4.devinet_c.devinet_conf_proc(n.B.Net, "default", null, "accept_source_route", 1));
        Assert.Equal(0, KernelNet.Kernel.Net.Ipv4.devinet_c.devinet_conf_proc(n.B.Net, "all", null, "accept_source_route", 1));

        var got = Answer(n, EchoWithOptions(n, [131, 7, 8, 10, 0, 0, 1, 0]));

        Assert.Null(got);
        Assert.EndsWith("reason: NOT_SPECIFIED", Assert.Single(Drops(n)), StringComparison.Ordinal);
        Assert.Equal(0, netns_ipv4.of(n.B.Net).mib.ip_statistics[(int)ipstats_mib_field.IPSTATS_MIB_INDELIVERS]);
    }

    // icmp.c: an ICMP packet whose type is past NR_ICMP_TYPES counts as an
    // error, and an error is never answered with an error: the malformed option
    // still drops the packet IP_INHDR, but no parameter problem goes back.
    [Fact]
    public void a_bad_option_on_an_icmp_packet_of_unknown_type_is_dropped_without_parameter_problem()
    {
        var n = TwoHosts.OnVeth();

        var got = Answer(n, EchoWithOptions(n, [8, 0, 0, 0], icmpType: 24));

        Assert.Null(got);
        Assert.Equal(1, netns_ipv4.of(n.B.Net).mib.ip_statistics[(int)ipstats_mib_field.IPSTATS_MIB_INHDRERRORS]);
        Assert.EndsWith("reason: IP_INHDR", Assert.Single(Drops(n)), StringComparison.Ordinal);
    }

    // ip_send_unicast_reply echoes the received options (__ip_options_echo of the
    // segment's IPv4 control block): a SYN with record route to a closed port is
    // answered by a RST that carries the route back, B's address in its slot.
    [Fact]
    public void a_reset_for_a_syn_with_record_route_carries_the_recorded_route_back()
    {
        var n = TwoHosts.OnVeth();
        var syn = Frames.Tcp(n.VethB.dev_addr, n.VethA.dev_addr, 0x0a000001, 0x0a000002, 7000, 9999, 1000, 0, 0x02, 65535);
        var rr = new byte[] { 7, 7, 4, 0, 0, 0, 0, 0 };
        var f = new byte[syn.Length + rr.Length];
        syn.AsSpan(0, 34).CopyTo(f);
        rr.CopyTo(f, 34);
        syn.AsSpan(34).CopyTo(f.AsSpan(42));
        f[14] = 0x47;
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(16), (ushort)(f.Length - 14));
        f[24] = 0;
        f[25] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(24), checksum_h.ip_fast_csum(f.AsSpan(14), 7));

        byte[]? got = null;
        n.T.Spawn(n.A, "raw", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_RAW, 6);
            await libc.Sleep(500 * Ms);
            var buf = new byte[2048];
            var r = await libc.RecvFrom(fd, buf, buf.Length, Libc.MSG_DONTWAIT);
            if (r > 0)
            {
                got = buf.AsSpan(0, (int)r).ToArray();
            }
        });
        Inject.Frame(n.T, n.B, n.VethB, f, at: 10 * Ms);
        n.T.Run(1_000 * Ms);

        Assert.NotNull(got);
        Assert.Equal(0x47, got![0]);
        Assert.Equal("0707080A00000200", Convert.ToHexString(got.AsSpan(20, 8)));
        Assert.Equal(0x14, got[28 + 13]); // RST|ACK
    }
}
