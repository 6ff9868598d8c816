using System;
using System.Collections.Generic;
using System.Linq;
using KernelNet.Scenarios.Oracle;
using Xunit;

namespace KernelNet.OracleTests;

/// <summary>Normalization of real 6.18.44 trace lines (excerpts of recordings made on this machine).</summary>
public class NormalizerTests
{
    // udp-oneway, first datagram: ARP request, reply, then the datagram (TX-4), plus one line of
    // another namespace's traffic that the scope must leave out.
    private const string Trace = """
        # tracer: nop
                    kn-a-28096   [001] b....  8216.797102: net_dev_queue: dev=kn28073l0a skbaddr=00000000a85fa064 len=42
                    kn-a-28096   [001] b....  8216.797121: netif_rx: dev=kn28073l0b skbaddr=00000000a85fa064 len=28
                    kn-a-28096   [001] b....  8216.797122: net_dev_xmit: dev=kn28073l0a skbaddr=00000000a85fa064 len=42 rc=0
                    kn-a-28096   [001] b....  8216.797123: consume_skb: skbaddr=000000005f43802e location=__neigh_event_send+0x236/0x3b0
                  <idle>-0       [000] ..s1.  8216.797124: consume_skb: skbaddr=00000000deadbeef location=tcp_rcv_established+0x1/0x2
                    kn-a-28096   [001] ..s1.  8216.797128: netif_receive_skb: dev=kn28073l0b skbaddr=00000000a85fa064 len=28
                    kn-a-28096   [001] b.s1.  8216.797144: net_dev_queue: dev=kn28073l0b skbaddr=000000005f43802e len=42
                    kn-a-28096   [001] ..s1.  8216.797146: consume_skb: skbaddr=00000000a85fa064 location=arp_process+0x328/0x9d0
                  <idle>-0       [001] ..s1.  8216.797150: kfree_skb: skbaddr=000000005f43802e rx_sk=0000000000000000 protocol=2048 location=ip_rcv+0x1/0x2 reason: NO_SOCKET
                    kn-b-28097   [001] .....  8216.797160: udp_fail_queue_rcv_skb: rc=-12 family=AF_INET src=10.0.0.1:40000 dest=10.0.0.2:9000
        """;

    private static RecordingManifest Manifest() => new()
    {
        Source = "linux",
        Scenario = "t",
        ScenarioSha256 = "",
        Kernel = "6.18.44",
        Devices = new() { ["kn28073l0a"] = "a:eth0", ["kn28073l0b"] = "b:eth0" },
        Tasks = new() { ["kn-a"] = "a", ["kn-b"] = "b" },
        Captures = [],
        Steps = [],
    };

    [Fact]
    public void Addresses_become_symbols_in_order_of_first_appearance_and_a_reused_address_is_a_new_skb()
    {
        var (_, _, order) = Normalizer.NormalizeTrace(Trace, Manifest());
        Assert.Equal("[a] net_dev_queue: dev=a:eth0 skbaddr=skb1 len=42", order[0]);
        Assert.Equal("[a] consume_skb: skbaddr=skb2", order[3]);
        // 5f43802e was freed as skb2; when it comes back it is another skb
        Assert.Equal("[softirq] net_dev_queue: dev=b:eth0 skbaddr=skb3 len=42", order[5]);
    }

    [Fact]
    public void An_address_a_process_sends_from_after_it_last_arrived_is_a_new_skb_even_without_a_traced_free()
    {
        // rx11-ip-header-checks, live: b read the good datagram (freed with no tracepoint) and
        // the slab gave its address to the next frame a injected
        const string reused = """
            # tracer: nop
                        kn-a-20902   [000] b....   857.983111: net_dev_queue: dev=kn28073l0a skbaddr=00000000205984fb len=46
                        kn-a-20902   [000] ..s1.   857.983124: netif_receive_skb: dev=kn28073l0b skbaddr=00000000205984fb len=32
                        kn-a-20902   [000] b....   858.283145: net_dev_queue: dev=kn28073l0a skbaddr=00000000205984fb len=38
                        kn-a-20902   [000] ..s1.   858.283161: netif_receive_skb: dev=kn28073l0b skbaddr=00000000205984fb len=24
                        kn-a-20902   [000] ..s1.   858.283248: kfree_skb: skbaddr=00000000205984fb rx_sk=0000000000000000 protocol=2048 location=ip_local_deliver_finish+0x81/0x100 reason: IP_NOPROTO
            """;
        var (journeys, _, _) = Normalizer.NormalizeTrace(reused, Manifest());
        Assert.Equal(
            new[]
            {
                "skb1: net_dev_queue@a:eth0[a] > netif_receive_skb@b:eth0[softirq] > (not freed)",
                "skb2: net_dev_queue@a:eth0[a] > netif_receive_skb@b:eth0[softirq] > kfree_skb(IP_NOPROTO)[softirq]",
            },
            journeys);
    }

    [Fact]
    public void An_address_sent_from_after_its_data_was_read_is_a_new_skb()
    {
        // tcp-echo-loopback, live: a read the 5 bytes (TCP frees the read segment with no
        // tracepoint) and the slab gave its address to the FIN a sent next
        const string trace = """
            # tracer: nop
                        kn-a-1306    [000] b....  7283.850164: net_dev_queue: dev=kn28073l0a skbaddr=00000000dcd99a59 len=71
                        kn-a-1306    [000] ..s1.  7283.850167: netif_receive_skb: dev=kn28073l0b skbaddr=00000000dcd99a59 len=57
                        kn-b-1307    [000] .....  7283.950167: skb_copy_datagram_iovec: skbaddr=00000000dcd99a59 len=5
                        kn-b-1307    [000] b....  7284.064803: net_dev_queue: dev=kn28073l0b skbaddr=00000000dcd99a59 len=66
            """;
        var (journeys, _, _) = Normalizer.NormalizeTrace(trace, Manifest());
        Assert.Equal(
            new[]
            {
                "skb1: net_dev_queue@a:eth0[a] > netif_receive_skb@b:eth0[softirq] > skb_copy_datagram_iovec[b] > (not freed)",
                "skb2: net_dev_queue@b:eth0[b] > (not freed)",
            },
            journeys);
    }

    [Fact]
    public void A_read_segments_deferred_free_in_softirq_reads_as_the_untraced_free_in_place()
    {
        // tcp-echo, live in CI: the segment b read had been allocated on the other CPU, so
        // skb_attempt_defer_free sent it back there and that CPU's softirq freed it, traced
        const string trace = """
            # tracer: nop
                        kn-a-1306    [000] b....  7283.850164: net_dev_queue: dev=kn28073l0a skbaddr=00000000dcd99a59 len=71
                        kn-a-1306    [000] ..s1.  7283.850167: netif_receive_skb: dev=kn28073l0b skbaddr=00000000dcd99a59 len=57
                        kn-b-1307    [000] .....  7283.950167: skb_copy_datagram_iovec: skbaddr=00000000dcd99a59 len=5
                          <idle>-0   [001] ..s1.  7283.950170: consume_skb: skbaddr=00000000dcd99a59 location=skb_defer_free_flush+0x6c/0xa0
            """;
        var (journeys, _, order) = Normalizer.NormalizeTrace(trace, Manifest());
        Assert.Equal(
            new[] { "skb1: net_dev_queue@a:eth0[a] > netif_receive_skb@b:eth0[softirq] > skb_copy_datagram_iovec[b] > (not freed)" },
            journeys);
        Assert.Equal(3, order.Count);
    }

    [Fact]
    public void An_address_softirq_sends_from_after_a_process_ran_since_it_arrived_is_a_new_skb_but_a_forward_in_the_same_run_is_not()
    {
        // tcp-close: b freed the handshake's ACK with no tracepoint; a process ran (a's close), then
        // b's delayed-ACK timer sent from softirq with that address. The second address arrives and
        // leaves in one softirq run, as a forwarded packet would: the same skb.
        const string trace = """
            # tracer: nop
                        kn-a-1306    [000] b....  7283.850164: net_dev_queue: dev=kn28073l0a skbaddr=00000000dcd99a59 len=66
                        kn-a-1306    [000] ..s1.  7283.850167: netif_receive_skb: dev=kn28073l0b skbaddr=00000000dcd99a59 len=52
                        kn-a-1306    [000] b....  7284.064803: net_dev_queue: dev=kn28073l0a skbaddr=00000000852d3795 len=66
                        kn-a-1306    [000] ..s1.  7284.064818: netif_receive_skb: dev=kn28073l0b skbaddr=00000000852d3795 len=52
                        kn-a-1306    [000] b.s1.  7284.064819: net_dev_queue: dev=kn28073l0b skbaddr=00000000852d3795 len=66
                          <idle>-0   [000] b.s2.  7284.068453: net_dev_queue: dev=kn28073l0b skbaddr=00000000dcd99a59 len=66
            """;
        var (journeys, _, _) = Normalizer.NormalizeTrace(trace, Manifest());
        Assert.Equal(
            new[]
            {
                "skb1: net_dev_queue@a:eth0[a] > netif_receive_skb@b:eth0[softirq] > (not freed)",
                "skb2: net_dev_queue@a:eth0[a] > netif_receive_skb@b:eth0[softirq] > net_dev_queue@b:eth0[softirq] > (not freed)",
                "skb3: net_dev_queue@b:eth0[softirq] > (not freed)",
            },
            journeys);
    }

    [Fact]
    public void A_netlink_notification_freed_at_a_reused_address_is_not_the_recordings_skb()
    {
        // rx11-ip-header-checks, live in CI: neigh_update's RTM_NEWNEIGH, freed by
        // netlink_broadcast with nobody listening, got the address of the datagram b had read
        const string netlink = """
            # tracer: nop
                        kn-a-20902   [000] b....   857.983111: net_dev_queue: dev=kn28073l0a skbaddr=00000000205984fb len=46
                        kn-a-20902   [000] ..s1.   857.983124: netif_receive_skb: dev=kn28073l0b skbaddr=00000000205984fb len=32
                        kn-a-20902   [000] ..s1.   858.283272: consume_skb: skbaddr=00000000205984fb location=netlink_broadcast_filtered+0x327/0x560
            """;
        var (journeys, _, _) = Normalizer.NormalizeTrace(netlink, Manifest());
        Assert.Equal(new[] { "skb1: net_dev_queue@a:eth0[a] > netif_receive_skb@b:eth0[softirq] > (not freed)" }, journeys);
    }

    [Fact]
    public void Timestamps_pids_cpus_and_location_offsets_are_dropped_and_context_is_kept()
    {
        var (_, _, order) = Normalizer.NormalizeTrace(Trace, Manifest());
        Assert.All(order, l => Assert.DoesNotContain("location", l));
        Assert.All(order, l => Assert.DoesNotContain("8216.", l));
        Assert.Equal("[softirq] netif_receive_skb: dev=b:eth0 skbaddr=skb1 len=28", order[4]);
    }

    [Fact]
    public void Events_of_other_namespaces_are_left_out()
    {
        var (_, _, order) = Normalizer.NormalizeTrace(Trace, Manifest());
        Assert.DoesNotContain(order, l => l.Contains("tcp", System.StringComparison.Ordinal));
    }

    [Fact]
    public void Ephemeral_ports_become_relative_symbols()
    {
        var (_, _, order) = Normalizer.NormalizeTrace(Trace, Manifest());
        Assert.Equal("[b] udp_fail_queue_rcv_skb: rc=-12 family=AF_INET src=10.0.0.1:eph1 dest=10.0.0.2:9000", order[^1]);
    }

    [Fact]
    public void A_journey_lists_each_tracepoint_the_skb_passed_and_how_it_was_freed()
    {
        var (journeys, _, _) = Normalizer.NormalizeTrace(Trace, Manifest());
        Assert.Equal(
            "skb1: net_dev_queue@a:eth0[a] > netif_rx@b:eth0[a] > net_dev_xmit@a:eth0[a] > netif_receive_skb@b:eth0[softirq] > consume_skb[softirq]",
            journeys[0]);
        Assert.Equal("skb3: net_dev_queue@b:eth0[softirq] > kfree_skb(NO_SOCKET)[softirq]", journeys[2]);
    }

    [Fact]
    public void A_neighbour_drop_is_kept_when_the_next_neigh_event_on_its_cpu_is_ours()
    {
        const string neighFailed = """
                      <idle>-0       [000] .Ns1.  8294.702799: kfree_skb: skbaddr=00000000fc1e6a75 rx_sk=0000000000000000 protocol=2048 location=neigh_invalidate+0x7e/0x130 reason: NEIGH_FAILED
                      <idle>-0       [000] .Ns1.  8294.702808: consume_skb: skbaddr=00000000fc1e6a75 location=netlink_broadcast_filtered+0x31f/0x550
                      <idle>-0       [000] .Ns1.  8294.702810: neigh_timer_handler: family 2 dev kn28073l0a lladdr 000000000000 flags 00 nud_state failed type 01 dead 0 refcnt 2 primary_key4 10.0.0.99 primary_key6 ::ffff:10.0.0.99 confirmed 1 updated 2 used 3 err 0
            """;
        var (journeys, _, order) = Normalizer.NormalizeTrace(neighFailed, Manifest());
        Assert.Equal(["skb1: kfree_skb(NEIGH_FAILED)[softirq]"], journeys);
        Assert.Equal(2, order.Count);
        Assert.DoesNotContain("confirmed", order[1]);
    }

    [Fact]
    public void Trace_lines_parse_task_flags_and_fields()
    {
        var e = TraceEvent.Parse("     kworker/1:1-41      [001] b....   614.190067: net_dev_queue: dev=kva skbaddr=0000000063aa9c8a len=90")!;
        Assert.Equal("kworker/1:1", e.Task);
        Assert.Equal(41, e.Pid);
        Assert.Equal(TraceContext.Process, e.Context);
        Assert.Equal("kva", e.Device);
        Assert.Equal("90", e.Field("len"));
        var s = TraceEvent.Parse("          <idle>-0       [000] d.h1.   614.185981: softirq_raise: vec=1 [action=TIMER]")!;
        Assert.Equal(TraceContext.Hardirq, s.Context);
        Assert.Equal("TIMER", s.Field("action"));
    }

    [Fact]
    public void A_neighbour_tables_entry_count_is_dropped_it_counts_every_namespace_of_the_machine()
    {
        const string created = """
            # tracer: nop
                        kn-a-28096   [001] b....  8216.797100: neigh_create: family 2 dev kn28073l0a entries 7 primary_key4 10.0.0.2 primary_key6 :: created 1 gc_exempt 0
            """;
        var (_, _, order) = Normalizer.NormalizeTrace(created, Manifest());
        Assert.Equal("[a] neigh_create: family=2 dev=a:eth0 primary_key4=10.0.0.2 primary_key6=:: created=1 gc_exempt=0", order.Single());
    }

    [Fact]
    public void A_TCP_segments_IP_ID_is_shown_as_the_step_from_its_senders_previous_and_other_IDs_as_symbols()
    {
        // a connected TCP socket numbers its packets from a random inet_id; a SYN-ACK has 0;
        // UDP IDs are only equal or not (fragments of one datagram share theirs)
        var frames = new[]
        {
            Ipv4Frame(6, 0x4000, 0x1234, [0x9c, 0x40, 0x23, 0x28], "10.0.0.1", "10.0.0.2"),
            Ipv4Frame(6, 0x4000, 0, [0x23, 0x28, 0x9c, 0x40], "10.0.0.2", "10.0.0.1"),
            Ipv4Frame(6, 0x4000, 0x1235, [0x9c, 0x40, 0x23, 0x28], "10.0.0.1", "10.0.0.2"),
            Ipv4Frame(6, 0x4000, 0x1237, [0x9c, 0x40, 0x23, 0x28], "10.0.0.1", "10.0.0.2"),
            Ipv4Frame(17, 0x2000, 0x7777, [0x9c, 0x40, 0x23, 0x28], "10.0.0.1", "10.0.0.2"),
            Ipv4Frame(17, 0x0003, 0x7777, [0x01, 0x02, 0x03, 0x04], "10.0.0.1", "10.0.0.2"),
        };
        var lines = WireDecoder.DecodeAll(frames);
        Assert.Contains(" id=init ", lines[0]);
        Assert.Contains(" id=0 ", lines[1]);
        Assert.Contains(" id=+1 ", lines[2]);
        Assert.Contains(" id=+2 ", lines[3]);
        Assert.Contains(" id=id1 ", lines[4]);
        Assert.Contains(" id=id1 ", lines[5]);
    }

    // SACK blocks carry absolute sequence numbers of the data sender's random ISN (secure_tcp_seq):
    // they are shown relative to that flow's first sequence number, as seq and ack are.
    [Fact]
    public void SACK_blocks_are_relative_to_the_data_senders_first_sequence_number()
    {
        static byte[] Tcp(ushort sport, ushort dport, uint seq, uint ack, byte flags, byte[] options)
        {
            var t = new byte[20 + options.Length];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(t, sport);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(t.AsSpan(2), dport);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(t.AsSpan(4), seq);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(t.AsSpan(8), ack);
            t[12] = (byte)((t.Length / 4) << 4);
            t[13] = flags;
            options.CopyTo(t, 20);
            return t;
        }

        byte[] Run(uint isnA, uint isnB)
        {
            var sack = new byte[] { 1, 1, 5, 10, 0, 0, 0, 0, 0, 0, 0, 0 };
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(sack.AsSpan(4), isnA + 2001);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(sack.AsSpan(8), isnA + 3001);
            var lines = WireDecoder.DecodeAll(
            [
                Ipv4Frame(6, 0x4000, 1, Tcp(7000, 9000, isnA, 0, 0x02, []), "10.0.0.1", "10.0.0.2"),
                Ipv4Frame(6, 0x4000, 2, Tcp(9000, 7000, isnB, isnA + 1, 0x12, []), "10.0.0.2", "10.0.0.1"),
                Ipv4Frame(6, 0x4000, 3, Tcp(9000, 7000, isnB + 1, isnA + 1001, 0x10, sack), "10.0.0.2", "10.0.0.1"),
            ]);
            return System.Text.Encoding.ASCII.GetBytes(lines[2]);
        }

        var one = System.Text.Encoding.ASCII.GetString(Run(0x1000_0000, 0x2000_0000));
        Assert.Contains("<nop,nop,sack 2001:3001>", one);
        Assert.Equal(one, System.Text.Encoding.ASCII.GetString(Run(0xfeed_0000, 0x0bad_0000)));
    }

    [Fact]
    public void A_payload_is_compared_by_its_length_and_a_digest_of_its_bytes()
    {
        var a = WireDecoder.DecodeAll([Ipv4Frame(17, 0, 1, [0x9c, 0x40, 0x23, 0x28, 0x00, 0x0d, 0, 0, (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o'], "10.0.0.1", "10.0.0.2")]);
        var b = WireDecoder.DecodeAll([Ipv4Frame(17, 0, 1, [0x9c, 0x40, 0x23, 0x28, 0x00, 0x0d, 0, 0, (byte)'j', (byte)'e', (byte)'l', (byte)'l', (byte)'o'], "10.0.0.1", "10.0.0.2")]);
        Assert.Contains("data=5/2cf24dba", a[0]);
        Assert.NotEqual(a[0], b[0]);
    }

    [Fact]
    public void The_times_a_timestamp_option_holds_are_hidden_and_its_addresses_pointer_and_flags_kept()
    {
        // ip-options-ts, live: b's reply to flags 1 (address/time pairs) with both pairs filled,
        // a flags-0 option with one of three slots filled, and record route, which has no times
        Assert.Equal("441415010a000002tttttttt0a000002tttttttt", WireDecoder.IpOptions(Convert.FromHexString("441415010a000002033766540a00000203376654")));
        Assert.Equal("44100900tttttttt0000000000000000", WireDecoder.IpOptions(Convert.FromHexString("44100900033765b40000000000000000")));
        Assert.Equal("010707080a00000200000000", WireDecoder.IpOptions(Convert.FromHexString("010707080a00000200000000")));
        Assert.Equal("44080910tttttttt", WireDecoder.IpOptions(Convert.FromHexString("4408091001020304")));
    }

    [Fact]
    public void An_address_of_ours_seen_on_another_namespaces_device_is_no_longer_ours()
    {
        // tcp-echo, live: b's TCP freed a's pure ACK without a tracepoint (__kfree_skb), and
        // another recorder's namespace got the address for a frame with a bad IP checksum
        const string reused = """
            # tracer: nop
                        kn-a-28096   [000] ..s1.  2814.594900: netif_receive_skb: dev=kn28073l0b skbaddr=000000002a5b039f len=52
                        kn-a-28096   [000] ..s1.  2814.594990: netif_receive_skb: dev=kn31337l0b skbaddr=000000002a5b039f len=20
                        kn-a-28096   [000] ..s1.  2814.595008: kfree_skb: skbaddr=000000002a5b039f rx_sk=0000000000000000 protocol=2048 location=ip_rcv_core+0x22c/0x350 reason: IP_CSUM
            """;
        var (journeys, _, order) = Normalizer.NormalizeTrace(reused, Manifest());
        Assert.Equal(["[softirq] netif_receive_skb: dev=b:eth0 skbaddr=skb1 len=52"], order);
        Assert.Equal("skb1: netif_receive_skb@b:eth0[softirq] > (not freed)", journeys.Single());
    }

    [Fact]
    public void A_state_change_of_an_open_socket_of_ours_is_ours_in_any_tasks_softirq()
    {
        // tcp-listen-backlog, live: the retransmission timer gives up on a SYN_SENT socket in a
        // softirq that interrupted another process; a closed socket's tuple is free again; a
        // change from a state ours is not in, or in another recorder's task, is not ours
        const string expired = """
            # tracer: nop
                        kn-a-32691   [000] .....  4692.036841: inet_sock_set_state: family=AF_INET protocol=IPPROTO_TCP sport=7003 dport=9000 saddr=10.0.0.1 daddr=10.0.0.2 saddrv6=::ffff:10.0.0.1 daddrv6=::ffff:10.0.0.2 oldstate=TCP_CLOSE newstate=TCP_SYN_SENT
                     ksoftirqd/0-14      [000] ..s1.  4693.000000: inet_sock_set_state: family=AF_INET protocol=IPPROTO_TCP sport=7003 dport=9000 saddr=10.0.0.1 daddr=10.0.0.2 saddrv6=::ffff:10.0.0.1 daddrv6=::ffff:10.0.0.2 oldstate=TCP_FIN_WAIT1 newstate=TCP_FIN_WAIT2
                  kn31337-a-31340    [000] ..s1.  4694.000000: inet_sock_set_state: family=AF_INET protocol=IPPROTO_TCP sport=7003 dport=9000 saddr=10.0.0.1 daddr=10.0.0.2 saddrv6=::ffff:10.0.0.1 daddrv6=::ffff:10.0.0.2 oldstate=TCP_SYN_SENT newstate=TCP_ESTABLISHED
                  .NET TP Worker-303     [000] .Ns1.  4695.078030: inet_sock_set_state: family=AF_INET protocol=IPPROTO_TCP sport=7003 dport=9000 saddr=10.0.0.1 daddr=10.0.0.2 saddrv6=::ffff:10.0.0.1 daddrv6=::ffff:10.0.0.2 oldstate=TCP_SYN_SENT newstate=TCP_CLOSE
                  .NET TP Worker-303     [001] .Ns1.  4696.078030: inet_sock_set_state: family=AF_INET protocol=IPPROTO_TCP sport=7003 dport=9000 saddr=10.0.0.1 daddr=10.0.0.2 saddrv6=::ffff:10.0.0.1 daddrv6=::ffff:10.0.0.2 oldstate=TCP_SYN_SENT newstate=TCP_CLOSE
            """;
        var (_, sockets, _) = Normalizer.NormalizeTrace(expired, Manifest());
        Assert.Equal(["TCP_CLOSE -> TCP_SYN_SENT", "TCP_SYN_SENT -> TCP_CLOSE"], sockets.Single().Value);
    }

    /// <summary>An Ethernet/IPv4 frame with a valid header checksum around <paramref name="l4"/>.</summary>
    private static byte[] Ipv4Frame(byte proto, ushort frag, ushort id, byte[] l4, string src, string dst)
    {
        var f = new byte[14 + 20 + l4.Length];
        f[12] = 0x08;
        f[14] = 0x45;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(16), (ushort)(20 + l4.Length));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(18), id);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(20), frag);
        f[22] = 64;
        f[23] = proto;
        System.Net.IPAddress.Parse(src).GetAddressBytes().CopyTo(f, 26);
        System.Net.IPAddress.Parse(dst).GetAddressBytes().CopyTo(f, 30);
        var sum = 0u;
        for (var i = 14; i < 34; i += 2)
        {
            sum += System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(i));
        }

        while (sum > 0xffff)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(24), (ushort)~sum);
        l4.CopyTo(f, 34);
        return f;
    }

    // saved_cmdlines holds 128 pids: a step that starts many threads leaves some of its events printed as
    // "<...>-PID"; the scope names them from the sched_switch that switched the thread in
    [Fact]
    public void A_task_printed_as_dots_is_named_from_the_sched_switch_that_ran_it()
    {
        var events = new[]
        {
            "          <idle>-0       [000] d..2.   10.000001: sched_switch: prev_comm=swapper/0 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=kn7-a next_pid=4242 next_prio=120",
            "           <...>-4242    [000] .....   10.000002: inet_sock_set_state: family=AF_INET protocol=IPPROTO_TCP sport=0 dport=9000 saddr=10.0.0.1 daddr=10.0.0.2 saddrv6=::ffff:10.0.0.1 daddrv6=::ffff:10.0.0.2 oldstate=TCP_CLOSE newstate=TCP_SYN_SENT",
            "           <...>-999     [000] .....   10.000003: inet_sock_set_state: family=AF_INET protocol=IPPROTO_TCP sport=0 dport=9000 saddr=10.0.0.1 daddr=10.0.0.2 saddrv6=::ffff:10.0.0.1 daddrv6=::ffff:10.0.0.2 oldstate=TCP_CLOSE newstate=TCP_SYN_SENT",
            "      kworker/0:1-50      [000] d..2.   10.000004: sched_switch: prev_comm=kworker/0:1 prev_pid=50 prev_prio=120 prev_state=S ==> next_comm=swapper/0 next_pid=0 next_prio=120",
        }.Select(l => TraceEvent.Parse(l)!).ToList();

        var kept = new TraceScope(new HashSet<string>(), new HashSet<string> { "kn7-a" }).Filter(events);

        Assert.Equal(["sched_switch", "inet_sock_set_state"], kept.Select(e => e.Name));
        Assert.Equal("kn7-a", kept[1].Task);
    }
}
