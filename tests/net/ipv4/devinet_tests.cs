using System;
using System.Linq;
using KernelNet.Kernel.Drivers.Net;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Net.Ipv4;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using KernelNet.Tests.Support;
using Xunit;
using static KernelNet.Kernel.Net.Core.dev_c;

namespace KernelNet.Tests.Net.Ipv4;

/// <summary>
/// net/ipv4/devinet.c: a device that goes away takes its IPv4 state with it (inetdev_event's
/// NETDEV_UNREGISTER: inetdev_destroy deletes every address, each taking its routes through the
/// inetaddr notifier, and flushes the device's neighbours); one that only goes down keeps its addresses.
/// </summary>
public sealed class devinet_tests
{
    [Fact]
    public void A_closed_tun_leaves_no_address_no_route_no_neighbour_and_its_queued_skbs_are_freed()
    {
        var t = new Topology();
        var host = t.AddHost("H");
        var (owner, dev, tunFd) = TunHost.PlainTun(t, host);

        // three datagrams nobody reads wait in the tun's ring; the send made a (NOARP) neighbour for 10.1.0.2
        t.Spawn(host, "sender", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            for (var i = 0; i < 3; i++)
            {
                await libc.SendTo(fd, new byte[] { 1, 2, 3 }, 0, SockAddrIn.Parse("10.1.0.2:9000"));
            }

            await libc.Close(fd);
        });
        t.Run(t.Sim.Now + 10_000_000);
        var arp_tbl = t.K.globals<arp_globals>().arp_tbl;
        Assert.Contains(arp_tbl.nht.Keys, key => key.Dev == dev);
        Assert.Equal(3, ((tun_struct)dev.priv!).tfile!.tx_ring.Count);

        t.Syscalls.SpawnThread(owner, "closer", 0, async libc => await libc.Close((int)tunFd));
        t.Run(t.Sim.Now + 10_000_000);

        Assert.Null(dev_get_by_name(host.Net, "tun0"));
        Assert.Null(inetdevice_h.__in_dev_get_rcu(dev));
        Assert.DoesNotContain(netns_ipv4.of(host.Net).fib_main.tb_data, fa => fa.nh_dev == dev);
        Assert.Equal(KernelNet.Kernel.Include.Net.rtn_type.RTN_UNICAST, fib_frontend_c.inet_addr_type(host.Net, 0x0a010001));
        Assert.DoesNotContain(arp_tbl.nht.Keys, key => key.Dev == dev);
        Assert.Equal(0, t.K.leaked_skbs());
    }

    [Fact]
    public void Down_keeps_the_devices_addresses_but_flushes_its_neighbours_and_the_packets_they_held()
    {
        var hosts = TwoHosts.OnVeth();
        var (t, a, _, va, _) = hosts;
        t.K.trace.set_event("skb:kfree_skb");

        // 10.0.0.99 never answers: the datagram waits in the INCOMPLETE entry's queue
        hosts.SendOnceFromA(new byte[] { 1 }, delayNs: 0, to: "10.0.0.99:9000");
        t.Run(t.Sim.Now + 10_000_000);
        var arp_tbl = t.K.globals<arp_globals>().arp_tbl;
        var n = arp_tbl.nht[(va, 0x0a000063u)];
        Assert.Equal(1, n.arp_queue.qlen);

        netif_close(va);

        Assert.Equal(0x0a000001u, Assert.Single(inetdevice_h.__in_dev_get_rcu(va)!.ifa_list).ifa_local);
        Assert.DoesNotContain(arp_tbl.nht.Keys, key => key.Dev == va);
        Assert.True(n.dead);
        Assert.Contains(t.K.trace.entries, e => e.Event == "kfree_skb" && e.Text.EndsWith("reason: QUEUE_PURGE", StringComparison.Ordinal));
        t.Run(t.Sim.Now + 5_000_000_000);
        Assert.Equal(0, t.K.leaked_skbs());
    }

    [Fact]
    public void Unregistering_a_device_deletes_every_address_and_takes_its_local_routes_too()
    {
        var (t, a, _, va, _) = TwoHosts.OnVeth();
        t.AddAddress(va, "10.7.0.1/16");

        unregister_netdevice_queue(va, null);

        Assert.Null(inetdevice_h.__in_dev_get_rcu(va));
        Assert.DoesNotContain(netns_ipv4.of(a.Net).fib_main.tb_data, fa => fa.nh_dev == va);
        Assert.Equal(KernelNet.Kernel.Include.Net.rtn_type.RTN_UNICAST, fib_frontend_c.inet_addr_type(a.Net, 0x0a000001));
        Assert.Equal(KernelNet.Kernel.Include.Net.rtn_type.RTN_UNICAST, fib_frontend_c.inet_addr_type(a.Net, 0x0a070001));
        // lo's routes are untouched
        Assert.Equal(KernelNet.Kernel.Include.Net.rtn_type.RTN_LOCAL, fib_frontend_c.inet_addr_type(a.Net, 0x7f000001));
    }

    // inet_select_addr: a device with no address of its own borrows the first
    // universe-scope address of the namespace's devices (loopback's 127.0.0.1
    // is host scope, so it is passed over); one with an address answers with it.
    [Fact]
    public void a_device_without_an_address_borrows_another_devices_for_the_source()
    {
        var t = new Topology();
        var a = t.AddHost("a");
        var b = t.AddHost("b");
        var (aEth0, bEth0) = t.AddVeth(a, "eth0", b, "eth0");
        var (aEth1, _) = t.AddVeth(a, "eth1", b, "eth1");
        t.AddAddress(aEth0, "10.0.1.2/24");
        t.AddAddress(bEth0, "10.0.1.1/24");

        Assert.Equal(0x0a000102u, devinet_c.inet_select_addr(aEth1, 0x08080808, KernelNet.Kernel.Include.Net.route_h.RT_SCOPE_UNIVERSE));
        Assert.Equal(0x0a000102u, devinet_c.inet_select_addr(aEth0, 0x08080808, KernelNet.Kernel.Include.Net.route_h.RT_SCOPE_UNIVERSE));
        Assert.Equal(0x0a000101u, devinet_c.inet_select_addr(b.Net.dev_base_head.First(d => d.name == "eth1"), 0, KernelNet.Kernel.Include.Net.route_h.RT_SCOPE_UNIVERSE));
    }
}
