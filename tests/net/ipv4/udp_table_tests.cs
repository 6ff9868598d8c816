using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using KernelNet.Kernel.Net.Ipv4;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using Xunit;

namespace KernelNet.Tests.Net.Ipv4;

/// <summary>
/// UDP's socket tables as include/net/udp.h has them: primary slots picked by
/// udp_hashfn (port plus the namespace's hash mix, under the mask), secondary
/// slots by ipv4_portaddr_hash of (address, port), shared by whatever hashes
/// to them, so lookups must compare the whole key.
/// </summary>
public sealed class udp_table_tests
{
    private const uint Slots = udp_c.UDP_HTABLE_ENTRIES;

    private static readonly uint Loopback = 0x7F000001; // 127.0.0.1, host order as the port keeps inet_rcv_saddr

    /// <summary>The bound port of the socket the lookup finds for a datagram to daddr:dport, or -1 for none.</summary>
    private static int Lookup(Host h, uint daddr, ushort dport)
    {
        var sk = udp_c.__udp4_lib_lookup(h.Net, Loopback, 4000, daddr, dport, 1);
        return sk is null ? -1 : ((KernelNet.Kernel.Include.Linux.udp_sock)sk.proto_data!).udp_port_hash;
    }

    /// <summary>The bound address of the socket the lookup finds for a datagram to daddr:dport.</summary>
    private static uint? LookupAddr(Host h, uint daddr, ushort dport)
    {
        var sk = udp_c.__udp4_lib_lookup(h.Net, Loopback, 4000, daddr, dport, 1);
        return sk is null ? null : ((KernelNet.Kernel.Include.Linux.udp_sock)sk.proto_data!).inet_rcv_saddr;
    }

    /// <summary>(slot, local port) of each /proc/net/udp line, in the order the file lists them.</summary>
    private static List<(int Slot, int Port)> ProcLines(Host h) =>
        udp_c.udp4_seq_show(h.Net).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(f => (int.Parse(f[0].TrimEnd(':'), CultureInfo.InvariantCulture), int.Parse(f[1].Split(':')[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture)))
            .ToList();

    private static uint Slot(Host h, int port) => KernelNet.Kernel.Include.Linux.udp_h.udp_hashfn(h.Net, (uint)port, Slots - 1);

    [Fact]
    public void two_sockets_whose_ports_share_a_slot_are_each_found_for_their_own_port()
    {
        var t = new Topology();
        var h = t.AddHost("H");
        int found9000 = 0, found25384 = 0, foundFree = 0;
        t.Spawn(h, "server", 0, async libc =>
        {
            var a = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            var b = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            Assert.Equal(0, await libc.Bind(a, SockAddrIn.Parse("127.0.0.1:9000")));
            Assert.Equal(0, await libc.Bind(b, SockAddrIn.Parse("127.0.0.1:25384")));
            found9000 = Lookup(h, Loopback, 9000);
            found25384 = Lookup(h, Loopback, 25384);
            foundFree = Lookup(h, Loopback, 41768); // the same slots, nobody bound
            await libc.Close(a);
            await libc.Close(b);
        });

        t.Run();

        // 25384 = 9000 + 16384: the same primary slot, and (same address) the same secondary slot.
        Assert.Equal(Slot(h, 9000), Slot(h, 25384));
        Assert.Equal(9000, found9000);
        Assert.Equal(25384, found25384);
        Assert.Equal(-1, foundFree);
    }

    [Fact]
    public void closing_the_middle_socket_of_a_shared_slot_leaves_the_others_found_and_listed()
    {
        var t = new Topology();
        var h = t.AddHost("H");
        List<(int Slot, int Port)>? before = null, after = null;
        int f9000 = 0, f25384 = 0, f41768 = 0;
        t.Spawn(h, "server", 0, async libc =>
        {
            var fds = new List<int>();
            foreach (var port in new[] { 9000, 25384, 41768 })
            {
                var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
                Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("0.0.0.0:" + port.ToString(CultureInfo.InvariantCulture))));
                fds.Add(fd);
            }

            before = ProcLines(h);
            await libc.Close(fds[1]); // 25384: the middle of the chain (newest first: 41768, 25384, 9000)
            after = ProcLines(h);
            f9000 = Lookup(h, Loopback, 9000);
            f25384 = Lookup(h, Loopback, 25384);
            f41768 = Lookup(h, Loopback, 41768);
            await libc.Close(fds[0]);
            await libc.Close(fds[2]);
        });

        t.Run();

        var slot = (int)Slot(h, 9000);
        Assert.Equal(new[] { (slot, 41768), (slot, 25384), (slot, 9000) }, before);
        Assert.Equal(new[] { (slot, 41768), (slot, 9000) }, after);
        Assert.Equal(9000, f9000);
        Assert.Equal(-1, f25384);
        Assert.Equal(41768, f41768);
    }

    [Fact]
    public void the_lookup_takes_the_socket_bound_to_the_address_then_the_wildcard_one()
    {
        var t = new Topology();
        var h = t.AddHost("H");
        uint? exactFirst = null, otherAddr = null, afterClose = null;
        t.Spawn(h, "server", 0, async libc =>
        {
            var any = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            var exact = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.SetSockOpt(any, Libc.SOL_SOCKET, Libc.SO_REUSEADDR, 1);
            await libc.SetSockOpt(exact, Libc.SOL_SOCKET, Libc.SO_REUSEADDR, 1);
            Assert.Equal(0, await libc.Bind(any, SockAddrIn.Parse("0.0.0.0:9000")));
            Assert.Equal(0, await libc.Bind(exact, SockAddrIn.Parse("127.0.0.1:9000")));
            exactFirst = LookupAddr(h, Loopback, 9000);
            otherAddr = LookupAddr(h, 0x7F000002, 9000); // 127.0.0.2: no socket bound to it
            await libc.Close(exact);
            afterClose = LookupAddr(h, Loopback, 9000);
            await libc.Close(any);
        });

        t.Run();

        Assert.Equal(Loopback, exactFirst);
        Assert.Equal(0u, otherAddr);
        Assert.Equal(0u, afterClose);
    }

    [Fact]
    public void proc_net_udp_lists_sockets_in_slot_order_under_the_hash_mix_not_in_bind_or_port_order()
    {
        var t = new Topology();
        var h = t.AddHost("H");
        var mix = h.Net.hash_mix & (Slots - 1);
        Assert.NotEqual(0u, mix); // the seed gives this namespace a mix that moves the slots

        // a lands in slot 0 and b = a - 1 in the last slot: port order and bind order (b first) put b first,
        // slot order puts a first.
        var a = (int)((Slots - mix) % Slots + Slots);
        var b = a - 1;
        List<(int Slot, int Port)>? lines = null;
        t.Spawn(h, "server", 0, async libc =>
        {
            var fb = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            var fa = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            Assert.Equal(0, await libc.Bind(fb, SockAddrIn.Parse("0.0.0.0:" + b.ToString(CultureInfo.InvariantCulture))));
            Assert.Equal(0, await libc.Bind(fa, SockAddrIn.Parse("0.0.0.0:" + a.ToString(CultureInfo.InvariantCulture))));
            lines = ProcLines(h);
            await libc.Close(fa);
            await libc.Close(fb);
        });

        t.Run();

        Assert.Equal(new[] { (0, a), ((int)Slots - 1, b) }, lines);
    }
}
