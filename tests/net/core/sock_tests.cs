using System;
using System.Buffers.Binary;
using System.Text;
using KernelNet.Kernel.Include.Uapi.Linux;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using Xunit;

namespace KernelNet.Tests.Net.Core;

/// <summary>net/core/sock.c's SOL_SOCKET options.</summary>
public sealed class sock_tests
{
    // getsockopt(SOL_SOCKET, SO_MEMINFO) fills the u32 counters of sk_get_meminfo in SK_MEMINFO_* order: a UDP socket
    // holding one unread datagram reports its charge as RMEM_ALLOC, its buffers as SO_RCVBUF/SO_SNDBUF read them
    // (doubled by setsockopt), and a short buffer gets only the slots that fit.
    [Fact]
    public void SO_MEMINFO_reports_the_sockets_memory_counters_in_sk_meminfo_order()
    {
        var t = new Topology();
        var h = t.AddHost("H");
        byte[] mem = new byte[SK_MEMINFO_BYTES + 8];
        byte[] shortBuf = new byte[8];
        (long Ret, int Len) full = default, part = default;
        long rcvbuf = 0;
        t.Spawn(h, "reader", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            Assert.Equal(0, await libc.SetSockOpt(fd, 1, 8, 20_000)); // SO_RCVBUF
            await libc.Bind(fd, SockAddrIn.Parse("127.0.0.1:7000"));
            var tx = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.SendTo(tx, Encoding.ASCII.GetBytes("hello"), 0, SockAddrIn.Parse("127.0.0.1:7000"));
            await libc.Sleep(1_000_000);
            rcvbuf = await libc.GetSockOpt(fd, 1, 8);
            full = await libc.GetSockOptBytes(fd, 1, 55, mem, mem.Length);
            part = await libc.GetSockOptBytes(fd, 1, 55, shortBuf, shortBuf.Length);
        });
        t.Run(10_000_000);

        uint Slot(int i) => BinaryPrimitives.ReadUInt32LittleEndian(mem.AsSpan(i * 4));
        Assert.Equal((0L, SK_MEMINFO_BYTES), full);
        Assert.Equal(40_000L, rcvbuf);
        Assert.Equal((uint)rcvbuf, Slot(sock_diag_h.SK_MEMINFO_RCVBUF));
        Assert.True(Slot(sock_diag_h.SK_MEMINFO_RMEM_ALLOC) > 5, "the unread datagram's truesize is charged");
        Assert.True(Slot(sock_diag_h.SK_MEMINFO_SNDBUF) > 0);
        Assert.Equal(0u, Slot(sock_diag_h.SK_MEMINFO_DROPS));
        Assert.Equal(new byte[8], mem[SK_MEMINFO_BYTES..]);
        Assert.Equal((0L, 8), part);
        Assert.Equal(mem[..8], shortBuf);
    }

    // SO_ZEROCOPY: TCP and UDP sockets take 0 or 1 and read it back (SOCK_ZEROCOPY); other values are EINVAL, and a
    // ping socket (ICMP datagrams) does not support it (EOPNOTSUPP).
    // sk_prot_alloc/sk_prot_free: a socket's memory comes from its protocol's slab cache, and SLUB hands the most
    // recently freed object out again first. A closed TCP socket (TCP is SLAB_TYPESAFE_BY_RCU: freed at once) gives
    // its address to the next TCP socket, as the real kernel's traces show (rx_sk/skaddr repeat). A bound UDP socket
    // (SOCK_RCU_FREE once hashed) waits for a grace period, so a UDP socket made at once gets other memory.
    [Fact]
    public void a_closed_TCP_sockets_memory_is_handed_to_the_next_TCP_socket()
    {
        var t = new Topology();
        var h = t.AddHost("H");
        ulong tcp1 = 0, tcp2 = 0, tcp3 = 0, udp1 = 0, udp2 = 0;
        t.Spawn(h, "app", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, 0);
            tcp1 = SockOf(t, libc, fd).addr;
            await libc.Close(fd);
            fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, 0);
            tcp2 = SockOf(t, libc, fd).addr;
            var fd3 = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, 0);
            tcp3 = SockOf(t, libc, fd3).addr;

            var u = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            udp1 = SockOf(t, libc, u).addr;
            Assert.Equal(0, await libc.Bind(u, SockAddrIn.Parse("0.0.0.0:7000")));
            await libc.Close(u);
            u = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            udp2 = SockOf(t, libc, u).addr;
        });
        t.Run(1_000_000_000);

        Assert.NotEqual(0UL, tcp1);
        Assert.Equal(tcp1, tcp2);
        Assert.NotEqual(tcp2, tcp3); // the freelist is empty again: fresh memory
        Assert.NotEqual(udp1, udp2);
    }

    private static KernelNet.Kernel.Include.Net.sock SockOf(Topology t, Libc libc, int fd) =>
        ((KernelNet.Kernel.Include.Linux.socket)t.K.task_of(libc.Task).files[fd]).sk!;

    [Fact]
    public void SO_ZEROCOPY_is_a_flag_of_TCP_and_UDP_sockets_only()
    {
        var t = new Topology();
        var h = t.AddHost("H");
        long tcpSet = 1, tcpGet = 0, udpSet = 1, bad = 0, ping = 0;
        t.Spawn(h, "app", 0, async libc =>
        {
            var tcp = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            tcpSet = await libc.SetSockOpt(tcp, 1, 60, 1);
            tcpGet = await libc.GetSockOpt(tcp, 1, 60);
            bad = await libc.SetSockOpt(tcp, 1, 60, 2);
            var udp = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            udpSet = await libc.SetSockOpt(udp, 1, 60, 1);
            var icmp = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 1);
            ping = icmp < 0 ? -95 : await libc.SetSockOpt(icmp, 1, 60, 1);
        });
        t.Run(1_000_000);

        Assert.Equal((0L, 1L, -22L), (tcpSet, tcpGet, bad));
        Assert.Equal(0L, udpSet);
        Assert.Equal(-95L, ping);
    }

    private const int SK_MEMINFO_BYTES = sock_diag_h.SK_MEMINFO_VARS * 4;

    // issue 16: sk_wq, the wait queue sk_sleep names, is made when someone first waits on the socket. The client
    // slept in connect() until the handshake ended; nobody ever waited on the accepted child, whose wakeups on the way
    // to ESTABLISHED (sock_def_wakeup through skwq_has_sleeper) found no queue and made none.
    [Fact]
    public void a_socket_nobody_waited_on_holds_no_wait_queue_and_one_that_slept_in_connect_does()
    {
        var c = KernelNet.Tests.Support.IdleConnection.Open();

        Assert.Null(c.Child.sk_wq_made);
        Assert.False(KernelNet.Kernel.Include.Net.sock_h.skwq_has_sleeper(c.Child.sk_wq_made));
        Assert.NotNull(c.Client.sk_wq_made);
        Assert.Equal(0, c.Client.sk_wq_made.Count);
    }

}
