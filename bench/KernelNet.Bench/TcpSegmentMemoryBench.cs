using System;
using BenchmarkDotNet.Attributes;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;

namespace KernelNet.Bench;

/// <summary>
/// Issue 12's memory figures: the managed heap a small TCP segment held in a queue costs the simulation,
/// against the truesize the port charges for it (the kernel's accounting: skb->truesize, SKB_TRUESIZE of the
/// head plus the page frag, summed in sk_rmem_alloc and sk_wmem_queued), and the managed bytes per idle
/// ESTABLISHED socket (TcpConnectionsBench.RetainedBytesPerSocket).
/// The segment measure: a client writes 10,000 messages of 100 B with TCP_NODELAY (each its own segment) to
/// a server that never reads; both buffers are forced large (SO_SNDBUFFORCE/SO_RCVBUFFORCE 64 MiB) so no
/// write blocks. Once the network is quiet, the heap after a full collection, less the heap of the same
/// connection before the writes, over 10,000 — and the truesize both sockets are charged, over 10,000.
/// `dotnet run -c Release --project bench/KernelNet.Bench -- --segment-memory`.
/// First run (2026-12-07, Debug build, 2-core machine under load): 1,200 managed bytes per 100 B segment held as
/// its own skb in the write queue against 931 B of truesize charged (ratio 1.29; issue 12 had 37 KB); 104 against
/// 102 once the receiver coalesced them (20 skbs for 10,000 segments); 2,982 managed bytes per idle ESTABLISHED
/// socket (1,000 connections) against the kernel's 3,840 B of slab.
/// </summary>
[MemoryDiagnoser]
[InProcess]
public class TcpSegmentMemoryBench
{
    public const int Segments = 10_000;
    public const int SegmentSize = 100;
    private const long Ms = 1_000_000;
    private const int SOL_TCP = 6;

    /// <summary>Managed bytes per queued segment, truesize charged per segment, and the segments' skbs still live.</summary>
    public readonly record struct Figures(double ManagedPerSegment, double TruesizePerSegment, int ReceiverQueueSkbs, int SenderWmemQueued, int ReceiverRmemAlloc, int SenderWriteQueueSkbs, uint LastSkbTruesize);

    /// <summary>
    /// <paramref name="records"/> false: plain writes into a receiver with room for all (they arrive as separate
    /// segments and tcp_try_coalesce merges them in the receive queue). True: each write ends a record (MSG_EOR,
    /// so tcp_sendmsg never appends to it) and the receiver's window is closed after a few (SO_RCVBUF 2048), so
    /// the 10,000 segments stay in the sender's write queue as 10,000 skbs: the per-skb cost.
    /// </summary>
    public static Figures Measure(bool records)
    {
        var t = new Topology();
        var a = t.AddHost("A");
        var b = t.AddHost("B");
        var (va, vb) = t.AddVeth(a, "veth0", b, "veth1");
        t.AddAddress(va, "10.0.0.1/24");
        t.AddAddress(vb, "10.0.0.2/24");
        var server = SockAddrIn.Parse("10.0.0.2:9000");
        socket? rx = null, tx = null;
        var written = 0;

        SimTask? srv = null;
        srv = t.Spawn(b, "server", 1, async libc =>
        {
            var lfd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            await libc.SetSockOpt(lfd, Libc.SOL_SOCKET, socket_h.SO_RCVBUFFORCE, records ? 2048 : 64 << 20);
            await libc.Bind(lfd, server);
            await libc.Listen(lfd, 16);
            var fd = (int)await libc.Accept(lfd);
            rx = (socket)t.K.task_of(srv!).files[fd];

            // never reads
            await libc.Sleep(3_600_000 * Ms);
        });
        SimTask? cli = null;
        cli = t.Spawn(a, "client", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            await libc.SetSockOpt(fd, Libc.SOL_SOCKET, socket_h.SO_SNDBUFFORCE, 64 << 20);
            await libc.SetSockOpt(fd, SOL_TCP, Kernel.Include.Uapi.Linux.tcp_h.TCP_NODELAY, 1);
            await libc.Sleep(10 * Ms); // the server listens first
            var c = await libc.Connect(fd, server);
            if (c != 0)
            {
                throw new InvalidOperationException($"connect: {c}");
            }

            tx = (socket)t.K.task_of(cli!).files[fd];
            await libc.Sleep(1_000 * Ms - t.Machine.Now);
            var msg = new byte[SegmentSize];
            for (var i = 0; i < Segments; i++)
            {
                var w = records ? await libc.SendTo(fd, msg, socket_h.MSG_EOR, null) : await libc.Write(fd, msg, SegmentSize);
                if (w != SegmentSize)
                {
                    throw new InvalidOperationException($"write {i}: {w}");
                }

                written++;
            }

            await libc.Sleep(3_600_000 * Ms);
        });

        // connected and idle: the baseline
        t.Run(900 * Ms);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        t.Run(10_000 * Ms);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(t);
        if (written != Segments || rx?.sk is null || tx?.sk is null)
        {
            throw new InvalidOperationException($"the measure did not run as planned: {written} writes of {Segments}");
        }

        var charged = rx.sk.sk_rmem_alloc + tx.sk.sk_wmem_queued;
        return new Figures(
            (after - before) / (double)Segments,
            charged / (double)Segments,
            rx.sk.sk_receive_queue.qlen,
            tx.sk.sk_wmem_queued,
            rx.sk.sk_rmem_alloc,
            tx.sk.sk_write_queue.qlen,
            tx.sk.sk_write_queue.last?.truesize ?? 0);
    }

    /// <summary>Prints the figures and the ratios (issue 12's target: the segment within 2x of its truesize).</summary>
    public static void Print()
    {
        foreach (var records in new[] { true, false })
        {
            var f = Measure(records);
            Console.WriteLine($"{Segments} segments of {SegmentSize} B {(records ? "in the sender's write queue (MSG_EOR, window closed)" : "coalesced in the receive queue (receiver not reading)")}: "
                + $"{f.ManagedPerSegment:F0} managed bytes per segment, {f.TruesizePerSegment:F0} bytes of truesize charged per segment "
                + $"(sk_wmem_queued {f.SenderWmemQueued} in {f.SenderWriteQueueSkbs} skbs, last skb's truesize {f.LastSkbTruesize}; sk_rmem_alloc {f.ReceiverRmemAlloc} in {f.ReceiverQueueSkbs} skbs): "
                + $"ratio {f.ManagedPerSegment / f.TruesizePerSegment:F2}");
        }

        var idle = TcpConnectionsBench.RetainedBytesPerSocket(1_000);
        Console.WriteLine($"idle ESTABLISHED socket: {idle:F0} managed bytes (1,000 connections), against the kernel's 3,840 B of slab per client socket: ratio {idle / 3840:F2}");
    }

    [Benchmark]
    public double ManagedBytesPerQueuedSegment()
    {
        var f = Measure(records: true);
        Console.WriteLine($"// managed bytes per queued 100 B segment: {f.ManagedPerSegment:F0}; truesize charged: {f.TruesizePerSegment:F0}");
        return f.ManagedPerSegment;
    }
}
