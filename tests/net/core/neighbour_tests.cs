using System.Linq;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Net.Ipv4;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using Xunit;

namespace KernelNet.Tests.Net.Core;

public sealed class neighbour_tests
{
    private static (Topology T, Host A, Host B) TwoHosts(bool bAnswers = true)
    {
        var t = new Topology();
        var a = t.AddHost("A");
        var b = t.AddHost("B");
        var (va, vb) = t.AddVeth(a, "veth0", b, "veth1");
        t.AddAddress(va, "10.0.0.1/24");
        if (bAnswers)
        {
            t.AddAddress(vb, "10.0.0.2/24");
        }

        return (t, a, b);
    }

    private static neighbour? Entry(Topology t, Host h, string dev, uint key) =>
        t.K.globals<arp_globals>().arp_tbl.nht.TryGetValue((h.Device(dev), key), out var n) ? n : null;

    // demonstrates TX-4: a miss sends an ARP request and queues the packet;
    // the reply makes the entry REACHABLE and releases the queued packet.
    [Fact]
    public void first_packet_waits_in_arp_queue_until_the_reply_then_goes_out()
    {
        var (t, a, b) = TwoHosts();
        t.K.trace.set_event("neigh:*");
        t.K.trace.set_event("net:net_dev_queue");
        var queuedWhileResolving = -1;
        t.Spawn(a, "client", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.SendTo(fd, new byte[] { 1 }, 0, SockAddrIn.Parse("10.0.0.2:9"));
        });

        t.Run(100_000_000);

        var n = Entry(t, a, "veth0", 0x0a000002)!;
        Assert.Equal(neighbour_h.NUD_REACHABLE, n.nud_state);
        var events = t.K.trace.entries.Select(e => e.Event).ToList();
        var create = events.IndexOf("neigh_create");
        var arp = t.K.trace.entries.ToList().FindIndex(e => e.Event == "net_dev_queue" && e.Text.EndsWith("len=42", System.StringComparison.Ordinal));
        var reachable = t.K.trace.entries.ToList().FindIndex(e => e.Event == "neigh_update" && e.Text.Contains("new_state reachable", System.StringComparison.Ordinal));
        var data = t.K.trace.entries.ToList().FindIndex(e => e.Event == "net_dev_queue" && e.Text.Contains("dev=veth0", System.StringComparison.Ordinal) && !e.Text.EndsWith("len=42", System.StringComparison.Ordinal));
        Assert.True(create < arp && arp < reachable && reachable < data, $"create {create} < arp {arp} < reachable {reachable} < data {data}");
        Assert.Equal(-1, queuedWhileResolving);
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // A neighbour that never answers: three solicitations a second apart, then
    // FAILED; the queued packet is dropped NEIGH_FAILED and the kernel sends
    // itself an ICMP host unreachable. Host unreachable is not a "fatal" ICMP
    // error (icmp_err_convert), so only a socket with IP_RECVERR hears it.
    [Fact]
    public void unanswered_neighbour_fails_after_three_probes_and_reports_ehostunreach()
    {
        var (t, a, _) = TwoHosts(bAnswers: false);
        t.K.trace.set_event("skb:kfree_skb");
        t.K.trace.set_event("net:net_dev_queue");
        long err = 0;
        t.Spawn(a, "client", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.SetSockOpt(fd, 0 /* SOL_IP */, 11 /* IP_RECVERR */, 1);
            await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9"));
            await libc.SendTo(fd, new byte[] { 1 }, 0, null);
            var r = await libc.RecvFrom(fd, 10, 0);
            err = r.Ret;
        });

        t.Run(10_000_000_000);

        Assert.Equal(neighbour_h.NUD_FAILED, Entry(t, a, "veth0", 0x0a000002)!.nud_state);
        Assert.Equal(3, t.K.trace.entries.Count(e => e.Event == "net_dev_queue" && e.Text.Contains("dev=veth0", System.StringComparison.Ordinal) && e.Text.EndsWith("len=42", System.StringComparison.Ordinal)));
        Assert.Contains(t.K.trace.entries, e => e.Text.EndsWith("reason: NEIGH_FAILED", System.StringComparison.Ordinal));
        Assert.Equal(-KernelNet.Kernel.Include.Uapi.AsmGeneric.errno_h.EHOSTUNREACH, err);
        Assert.Equal(0, t.K.leaked_skbs());
    }
}
