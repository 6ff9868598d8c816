using System;
using KernelNet.Machine;

namespace KernelNet.Tests.Support;

/// <summary>
/// The managed memory a warm 64-byte UDP datagram costs: sendto on host A,
/// the veth pair, the receive path on host B up to the reader's recvfrom.
/// Not timed: the simulation runs on the calling thread, so the thread's
/// allocated bytes over a window of datagrams are their cost, the same on
/// every run. The sender paces bursts of 64 below the reader's receive
/// buffer, as FullPathBench does.
/// </summary>
internal static class WarmUdp
{
    private const int Warm = 512, Burst = 64;

    /// <summary>The datagrams measured, after <see cref="Warm"/> that warm the path.</summary>
    public const int Measured = 2048;

    /// <summary>Bytes allocated per measured datagram; <paramref name="events"/> counts the trace entries written meanwhile (with <paramref name="trace"/>, every event on).</summary>
    public static double BytesPerDatagram(bool trace, out long events)
    {
        var (t, a, b, _, _) = TwoHosts.OnVeth();
        if (trace)
        {
            t.K.trace.set_event("*:*");
        }

        var to = SockAddrIn.Parse(TwoHosts.ServerAddress);

        long received = 0, before = 0, after = 0, written = 0;
        t.Spawn(b, "reader", 1, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, Libc.IPPROTO_UDP);
            await libc.Bind(fd, to);
            var buf = new byte[2048];
            while (received < Warm + Measured && await libc.RecvFrom(fd, buf, buf.Length, 0) > 0)
            {
                if (++received == Warm)
                {
                    written = t.K.trace.entries_written;
                    before = GC.GetAllocatedBytesForCurrentThread();
                }
            }

            after = GC.GetAllocatedBytesForCurrentThread();
            written = t.K.trace.entries_written - written;
        });
        t.Spawn(a, "sender", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, Libc.IPPROTO_UDP);
            var payload = new byte[64];
            for (var i = 0; i < Warm + Measured; i++)
            {
                await libc.SendTo(fd, payload, 0, to);
                if (i % Burst == Burst - 1)
                {
                    await libc.Sleep(1_000);
                }
            }
        });

        t.Run(10_000_000_000);

        if (received != Warm + Measured)
        {
            throw new InvalidOperationException($"the reader received {received} of {Warm + Measured} datagrams");
        }

        events = written;
        return (after - before) / (double)Measured;
    }
}
