using System;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using Xunit;

namespace KernelNet.Tests.Net.Ipv4;

/// <summary>
/// The managed memory one UDP datagram costs once the path is warm: sendto on
/// host A, the veth pair, the receive path on host B up to the reader's
/// recvfrom (issue 16: no Task per syscall layer that did not sleep, no
/// closure per libc call, no list per net_rx_action). Not timed: the
/// simulation runs on this one thread, so the thread's allocated bytes over
/// a window of packets are the packets' cost, the same on every run.
/// </summary>
public sealed class udp_steady_state_tests
{
    private const int Burst = 64;

    /// <summary>
    /// Bytes per datagram, both ends together, as the tests run (Debug): 2,118
    /// measured once the syscall layers stopped allocating, the skb heads came
    /// from kmalloc's freelists and sendto/recvfrom used the task's stack
    /// msghdr; 860 once routing's
    /// flowi4/fib_result/ipcm_cookie became stack structs and the sk_buff came
    /// back from skbuff_head_cache (and the NAPI skb cache), with its shared
    /// info with its head and its control blocks (IPCB, TCP_SKB_CB) from the
    /// object's own views. A Debug build makes every async method's state
    /// machine a class, one object per call even when it completes at once; a
    /// Release build has none of those and allocates 78 bytes per datagram
    /// on this path (FullPathBench), from 897 with a new sk_buff, flowi4,
    /// fib_result and ipcm_cookie per packet and 2,501 before the syscall work.
    /// What is left: the sleeping reader's wait. The bound is 6% over the
    /// measured figure: a new per-packet object of 112 bytes fails the test.
    /// </summary>
    private const double BoundBytesPerPacket = 912;

    [Fact]
    public void a_warm_udp_datagram_over_veth_allocates_a_bounded_number_of_managed_bytes()
    {
        const int warm = 512, measured = 2048;
        var t = new Topology();
        var a = t.AddHost("A");
        var b = t.AddHost("B");
        var (da, db) = t.AddVeth(a, "eth0", b, "eth0");
        t.AddAddress(da, "10.0.0.1/24");
        t.AddAddress(db, "10.0.0.2/24");
        var to = SockAddrIn.Parse("10.0.0.2:9000");

        long received = 0, before = 0, after = 0;
        t.Spawn(b, "reader", 1, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, Libc.IPPROTO_UDP);
            await libc.Bind(fd, to);
            var buf = new byte[2048];
            while (received < warm + measured && await libc.RecvFrom(fd, buf, buf.Length, 0) > 0)
            {
                if (++received == warm)
                {
                    before = GC.GetAllocatedBytesForCurrentThread();
                }
            }

            after = GC.GetAllocatedBytesForCurrentThread();
        });
        t.Spawn(a, "sender", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, Libc.IPPROTO_UDP);
            var payload = new byte[64];
            for (var i = 0; i < warm + measured; i++)
            {
                await libc.SendTo(fd, payload, 0, to);
                if (i % Burst == Burst - 1)
                {
                    // paced below the reader's receive buffer, as FullPathBench does
                    await libc.Sleep(1_000);
                }
            }
        });

        t.Run(10_000_000_000);

        Assert.Equal(warm + measured, received);
        var perPacket = (after - before) / (double)measured;
        Assert.True(perPacket <= BoundBytesPerPacket, $"{perPacket:F0} managed bytes allocated per warm UDP datagram, over the bound of {BoundBytesPerPacket}");

        // not asserted: no live skbs — the reader (CPU 1) frees skbs the sender's CPU
        // allocated, and those wait on CPU 0's defer_list until its next net_rx_action
    }
}
