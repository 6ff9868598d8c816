using System;
using System.Buffers.Binary;
using System.Linq;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.Linux.NetfilterIpv4;
using KernelNet.Kernel.Net.Ipv4.Netfilter;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using KernelNet.Tests.Support;
using Xunit;
using static KernelNet.Kernel.Include.Net.inet_connection_sock_h;
using static KernelNet.Tests.Support.ProcNet;

namespace KernelNet.Tests.Net.Ipv4;

/// <summary>
/// net/ipv4/tcp_ipv4.c's tcp_v4_err: ICMP errors about segments A sent to B
/// (10.0.0.2:9000), injected on A's veth0 as if from B. A's segments are
/// seen arriving on B's veth1, whose stack then drops them, so they go
/// unanswered and stay in flight.
/// </summary>
public sealed class tcp_v4_err_tests
{
    private const uint Client = 0x0a000001;
    private const uint Server = 0x0a000002;

    private static void DropTcpOn(Host host) =>
        iptable_filter_c.iptables_append(host.Net, "INPUT", new ipt_entry { ip = new ipt_ip { proto = 6 }, verdict = netfilter_h.NF_DROP });

    /// <summary>What an ICMP error quotes of a segment <paramref name="sk"/> sent: our IP header (A to B, TCP) and the first 8 bytes of TCP, with sequence number <paramref name="seq"/>.</summary>
    private static byte[] Quote(sock sk, uint seq)
    {
        var inet = KernelNet.Kernel.Include.Net.inet_sock_h.inet_sk(sk);
        var q = new byte[28];
        q[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(q.AsSpan(2), 60);
        q[8] = 64;
        q[9] = 6;
        BinaryPrimitives.WriteUInt32BigEndian(q.AsSpan(12), Client);
        BinaryPrimitives.WriteUInt32BigEndian(q.AsSpan(16), Server);
        BinaryPrimitives.WriteUInt16BigEndian(q.AsSpan(20), inet.inet_sport);
        BinaryPrimitives.WriteUInt16BigEndian(q.AsSpan(22), inet.inet_dport);
        BinaryPrimitives.WriteUInt32BigEndian(q.AsSpan(24), seq);
        return q;
    }

    /// <summary>A connects to B (which never answers); at 50 ms an ICMP error quoting A's SYN (its ISN plus <paramref name="seqDelta"/>) arrives. Returns connect's result (1 while it is still blocked) and the socket.</summary>
    private static (TwoHosts Net, Func<long> Connect, Func<sock?> Sk) SynSentGetsIcmp(byte code, uint seqDelta)
    {
        var net = TwoHosts.OnVeth();
        var t = net.T;
        DropTcpOn(net.B);
        long ret = 1;
        sock? sk = null;
        SimTask? client = null;
        client = t.Spawn(net.A, "client", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            sk = ((socket)t.K.task_of(client!).files[fd]).sk;
            ret = await libc.Connect(fd, SockAddrIn.Parse(TwoHosts.ServerAddress));
        });
        TcpInject.Frames(t, net.A, net.VethA, 1, _ =>
            Frames.IcmpError(net.VethA.dev_addr, net.VethB.dev_addr, Server, Client, 3, code, 0, Quote(sk!, KernelNet.Kernel.Include.Linux.tcp_h.tcp_sk(sk!).snd_una + seqDelta)),
            startNs: 50_000_000);
        return (net, () => ret, () => sk);
    }

    // RFC 1122 4.2.3.9 as 6.18 applies it: in SYN_SENT an ICMP port unreachable that quotes our SYN ends the
    // connection attempt at once (tcp_done_with_error): connect() fails with ECONNREFUSED (icmp_err_convert) and
    // the attempt counts AttemptFails; the socket was found, so no ICMP InErrors.
    [Fact]
    public void a_port_unreachable_to_a_SYN_SENT_socket_fails_connect_with_ECONNREFUSED()
    {
        var (net, connect, sk) = SynSentGetsIcmp(3, 0);
        net.T.Run(100_000_000);

        Assert.Equal(-Libc.ECONNREFUSED, connect());
        Assert.Equal(KernelNet.Kernel.Include.Net.sock_h.TCP_CLOSE, sk()!.sk_state);
        Assert.Equal("1", Snmp(net.A, "Tcp", "AttemptFails"));
        Assert.Equal("0", Snmp(net.A, "Icmp", "InErrors"));
        Assert.Equal("0", Netstat(net.A, "TcpExt", "OutOfWindowIcmps"));
    }

    // The same error quoting a sequence number outside snd_una..snd_nxt (the SYN's ISN + 5000) cannot be about a
    // segment we sent: tcp_v4_err counts OutOfWindowIcmps and ignores it; connect() is still waiting.
    [Fact]
    public void an_out_of_window_ICMP_is_counted_OutOfWindowIcmps_and_ignored()
    {
        var (net, connect, sk) = SynSentGetsIcmp(3, 5000);
        net.T.Run(100_000_000);

        Assert.Equal(1, connect());
        Assert.Equal(KernelNet.Kernel.Include.Net.tcp_states_h.TCP_SYN_SENT, sk()!.sk_state);
        Assert.Equal("1", Netstat(net.A, "TcpExt", "OutOfWindowIcmps"));
        Assert.Equal("0", Snmp(net.A, "Tcp", "AttemptFails"));
    }

    // Path MTU discovery (RFC 1191): A has 4000 bytes in flight in full-sized segments when a frag-needed with a
    // next-hop MTU of 1000 quotes the first. tcp_v4_mtu_reduced lowers the route's MTU (inet_csk_update_pmtu),
    // syncs the MSS to it, and tcp_simple_retransmit marks every longer segment lost and sends it again at the
    // new size at once: 5 ms later, well before the 200 ms+ RTO (icsk_retransmits still 0), all 4000 bytes have
    // gone again and no segment in the retransmit queue is longer than the new MSS.
    [Fact]
    public void a_frag_needed_lowers_the_MSS_and_retransmits_at_the_new_size()
    {
        var net = TwoHosts.OnVeth();
        var t = net.T;
        sock? sk = null;
        SimTask? client = null;
        t.Spawn(net.B, "server", 0, async libc =>
        {
            var lfd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(lfd, SockAddrIn.Parse(TwoHosts.ServerAddress)));
            Assert.Equal(0, await libc.Listen(lfd, 8));
            await libc.Accept(lfd);
        });
        client = t.Spawn(net.A, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse(TwoHosts.ServerAddress)));
            sk = ((socket)t.K.task_of(client!).files[fd]).sk;
            DropTcpOn(net.B);
            Assert.Equal(4000, await libc.Write(fd, new byte[4000], 4000));
        });

        uint mssBefore = 0, retransBefore = 0, inFlightBefore = 0;
        TcpInject.Frames(t, net.A, net.VethA, 1, _ =>
        {
            var tp = KernelNet.Kernel.Include.Linux.tcp_h.tcp_sk(sk!);
            (mssBefore, retransBefore, inFlightBefore) = (tp.mss_cache, tp.total_retrans, tp.snd_nxt - tp.snd_una);
            return Frames.IcmpError(net.VethA.dev_addr, net.VethB.dev_addr, Server, Client, 3, 4, 1000, Quote(sk!, tp.snd_una));
        }, startNs: 60_000_000);
        t.Run(65_000_000);

        var tp = KernelNet.Kernel.Include.Linux.tcp_h.tcp_sk(sk!);
        Assert.Equal(4000u, inFlightBefore);
        Assert.True(mssBefore > 1000, $"mss before {mssBefore}");
        Assert.Equal(1000u, inet_csk(sk!).icsk_pmtu_cookie);
        Assert.True(tp.mss_cache <= 1000 - 40, $"mss after {tp.mss_cache}");
        // All 4000 bytes again, in at least five segments of the new size (a loss probe may have gone before).
        Assert.True(tp.total_retrans >= retransBefore + 5, $"total_retrans {retransBefore} -> {tp.total_retrans}");
        Assert.Equal(0, inet_csk(sk!).icsk_retransmits);
        for (var skb = tp.tcp_rtx_queue.first; skb is not null; skb = skb.next)
        {
            // tcp_skb_seglen: a TSO skb may be longer, but its segments are the new size
            var seglen = KernelNet.Kernel.Include.Net.tcp_h.tcp_skb_pcount(skb) == 1 ? skb.len : KernelNet.Kernel.Include.Net.tcp_h.tcp_skb_mss(skb);
            Assert.InRange(seglen, 1, (int)tp.mss_cache);
        }

        Assert.Equal("0", Netstat(net.A, "TcpExt", "OutOfWindowIcmps"));
    }
}
