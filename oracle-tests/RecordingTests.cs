using System.IO;
using System.Linq;
using KernelNet.Scenarios.Oracle;
using KernelNet.Scenarios.Scenario;
using Xunit;

namespace KernelNet.OracleTests;

/// <summary>The checked-in recordings of real Linux 6.18.44: each one normalizes and shows what its scenario claims.</summary>
public class RecordingTests
{
    private static string Dir(string name) => Path.Combine(OracleFiles.Recordings, name);

    private static NormalizedRecording Load(string name) => Normalizer.Load(Dir(name));

    [Theory]
    [MemberData(nameof(OracleFiles.ScenarioNames), MemberType = typeof(OracleFiles))]
    public void Each_recording_matches_itself_its_scenario_and_its_expectations(string name)
    {
        var manifest = RecordingLayout.ReadManifest(Dir(name));
        Assert.True(manifest.StepsMatched);
        Assert.Equal(Recorder.Sha256(Path.Combine(OracleFiles.Scenarios, name + ".yaml")), manifest.ScenarioSha256);
        var scenario = ScenarioLoader.Load(Path.Combine(OracleFiles.Scenarios, name + ".yaml"));
        var r = Load(name);

        // Not vacuous: one outcome per step of the scenario, and a recording
        // that saw the kernel at work (tracepoints in order). Frames on a link
        // are not required: a scenario may keep every packet on lo or drop it
        // before the wire (icmp-self-lo-down).
        Assert.Equal(scenario.Steps.Count, r.Steps.Count);
        Assert.All(r.Steps, s => Assert.False(string.IsNullOrWhiteSpace(s)));
        Assert.NotEmpty(r.Order);
    }

    [Fact]
    public void Rx10_the_tap_sees_a_frame_that_INPUT_then_drops()
    {
        // demonstrates RX-10
        var r = Load("rx10-tap-before-netfilter");
        Assert.Contains(r.Wire["l0"], f => f.Contains("UDP 7000 > 9000 len=15", System.StringComparison.Ordinal));
        Assert.Contains(r.Journeys, j => j.Contains("netif_receive_skb@b:eth0", System.StringComparison.Ordinal) && j.EndsWith("kfree_skb(NETFILTER_DROP)[softirq]", System.StringComparison.Ordinal));
        Assert.DoesNotContain(r.Counters, c => c.StartsWith("b Udp:InDatagrams", System.StringComparison.Ordinal));
    }

    [Fact]
    public void Tx4_the_first_datagram_waits_for_arp_and_the_second_does_not()
    {
        // demonstrates TX-4
        var wire = Load("arp-resolve").Wire["l0"];
        Assert.Contains("ARP request who-has 10.0.0.2", wire[0]);
        Assert.Contains("ARP reply 10.0.0.2(020000000102) is-at", wire[1]);
        Assert.Contains("UDP 7000 > 9000 len=13", wire[2]);
        Assert.Contains("UDP 7000 > 9000 len=14", wire[3]);
        Assert.Equal(4, wire.Count);
    }

    [Fact]
    public void A_device_set_down_loses_its_route_and_set_up_gets_it_back_with_a_new_arp_resolution()
    {
        var r = Load("link-down-up");
        Assert.Contains("a Ip:OutNoRoutes 1", r.Counters);
        var wire = r.Wire["l0"];
        Assert.Equal(2, wire.Count(f => f.Contains("UDP", System.StringComparison.Ordinal)));

        // a's neighbours went with the device: after up it asks for b again
        Assert.Equal(2, wire.Count(f => f.Contains("ARP request who-has 10.0.0.2", System.StringComparison.Ordinal)));
    }

    [Fact]
    public void A_closed_port_answers_with_icmp_port_unreachable()
    {
        var r = Load("udp-closed-port");
        Assert.Contains(r.Wire["l0"], f => f.Contains("ICMP type=3 code=3", System.StringComparison.Ordinal));
        Assert.Contains(r.Journeys, j => j.EndsWith("kfree_skb(NO_SOCKET)[softirq]", System.StringComparison.Ordinal));
        Assert.Contains("b Udp:NoPorts 1", r.Counters);
    }

    [Fact]
    public void Tx11_a_datagram_above_the_mtu_leaves_as_fragments()
    {
        // demonstrates TX-11
        var fragments = Load("udp-fragmentation").Wire["l0"].Where(f => f.Contains(" MF", System.StringComparison.Ordinal) || f.Contains("frag@", System.StringComparison.Ordinal)).ToList();
        Assert.Equal(3, fragments.Count);
    }

    [Fact]
    public void A_full_receive_buffer_drops_with_SOCKET_RCVBUFF_and_counts_RcvbufErrors()
    {
        var r = Load("udp-rcvbuf-overflow");
        Assert.Contains(r.Journeys, j => j.Contains("kfree_skb(SOCKET_RCVBUFF)", System.StringComparison.Ordinal));
        Assert.Contains(r.Counters, c => c.StartsWith("b Udp:RcvbufErrors", System.StringComparison.Ordinal));
    }

    [Fact]
    public void Lo1_loopback_traffic_never_touches_a_nic_or_arp()
    {
        // demonstrates LO-1
        var r = Load("udp-loopback");
        Assert.DoesNotContain(r.Wire["lo"], f => f.Contains("ARP", System.StringComparison.Ordinal));
        Assert.All(r.Journeys.Where(j => j.Contains('@', System.StringComparison.Ordinal)), j => Assert.Contains("@a:lo", j));
    }

    [Fact]
    public void An_unanswered_neighbour_fails_and_drops_the_queued_skb_with_NEIGH_FAILED()
    {
        var r = Load("neigh-failed");
        Assert.Contains(r.Journeys, j => j.Contains("kfree_skb(NEIGH_FAILED)", System.StringComparison.Ordinal));
        Assert.Contains(r.Order, e => e.Contains("neigh_timer_handler", System.StringComparison.Ordinal) && e.Contains("nud_state=failed", System.StringComparison.Ordinal));
    }

    [Fact]
    public void Rx11_ip_rcv_drops_a_bad_header_checksum_and_demultiplexes_on_the_protocol_field()
    {
        // demonstrates RX-11: the header check runs first (IP_CSUM in ip_rcv_core), a good
        // datagram goes to UDP by protocol 17, and protocol 253 has no handler (IP_NOPROTO).
        var r = Load("rx11-ip-header-checks");
        Assert.Contains(r.Journeys, j => j.Contains("netif_receive_skb@b:eth0", System.StringComparison.Ordinal) && j.EndsWith("kfree_skb(IP_CSUM)[softirq]", System.StringComparison.Ordinal));
        Assert.Contains(r.Journeys, j => j.EndsWith("kfree_skb(IP_NOPROTO)[softirq]", System.StringComparison.Ordinal));
        Assert.Contains("b IpExt:InCsumErrors 1", r.Counters);
        Assert.Contains("b Ip:InHdrErrors 1", r.Counters);
        Assert.Contains("b Udp:InDatagrams 1", r.Counters);
        Assert.Contains("b Ip:InUnknownProtos 1", r.Counters);
        Assert.Contains(r.Wire["l0"], f => f.Contains("ICMP type=3 code=2", System.StringComparison.Ordinal));
    }

    [Fact]
    public void Rx12_udp_rcv_finds_the_bound_socket_and_queues_the_datagram_for_its_reader()
    {
        // demonstrates RX-12 (the socket lookup and the queueing; the wakeup of a sleeping
        // reader is shown in the simulation's datagram tests)
        var manifest = RecordingLayout.ReadManifest(Dir("udp-oneway"));
        Assert.Contains(manifest.Steps, s => s.Verb == "recv" && s.Host == "b" && s.Outcome == "5 bytes");
        var r = Load("udp-oneway");
        Assert.Contains("b Udp:InDatagrams 1", r.Counters);
        Assert.DoesNotContain(r.Journeys, j => j.Contains("kfree_skb", System.StringComparison.Ordinal));
    }

    [Fact]
    public void Tx3_only_a_packet_above_the_mtu_is_fragmented()
    {
        // demonstrates TX-3: the 36-byte echo leaves whole, the 3028-byte datagram as three fragments
        var r = Load("udp-fragmentation");
        Assert.Contains(r.Wire["l0"], f => f.Contains("ICMP type=8", System.StringComparison.Ordinal) && !f.Contains("frag@", System.StringComparison.Ordinal) && !f.Contains(" MF", System.StringComparison.Ordinal));
        Assert.Contains("a Ip:FragOKs 1", r.Counters);
        Assert.Contains("a Ip:FragCreates 3", r.Counters);
    }
}
