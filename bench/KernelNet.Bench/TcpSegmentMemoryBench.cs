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
    public readonly record struct Figures(double ManagedPerSegment, double TruesizePerSegment, int ReceiverQueueSkbs, int SenderWmemQueued, int ReceiverRmemAlloc);

    public static Figures Measure()
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
            await libc.SetSockOpt(lfd, Libc.SOL_SOCKET, socket_h.SO_RCVBUFFORCE, 64 << 20);
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
            await libc.Connect(fd, server);
            tx = (socket)t.K.task_of(cli!).files[fd];
            await libc.Sleep(1_000 * Ms - t.Machine.Now);
            var msg = new byte[SegmentSize];
            for (var i = 0; i < Segments; i++)
            {
                if (await libc.Write(fd, msg, SegmentSize) == SegmentSize)
                {
                    written++;
                }
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
            rx.sk.sk_rmem_alloc);
    }

    /// <summary>Prints the figures and the ratios (issue 12's target: the segment within 2x of its truesize).</summary>
    public static void Print()
    {
        var f = Measure();
        Console.WriteLine($"{Segments} segments of {SegmentSize} B queued (receiver not reading): {f.ManagedPerSegment:F0} managed bytes per segment, "
            + $"{f.TruesizePerSegment:F0} bytes of truesize charged per segment (sk_rmem_alloc {f.ReceiverRmemAlloc} + sk_wmem_queued {f.SenderWmemQueued}; "
            + $"{f.ReceiverQueueSkbs} skbs on the receive queue): ratio {f.ManagedPerSegment / f.TruesizePerSegment:F2}");
        var idle = TcpConnectionsBench.RetainedBytesPerSocket(1_000);
        Console.WriteLine($"idle ESTABLISHED socket: {idle:F0} managed bytes (1,000 connections), against the kernel's 3,840 B of slab per client socket: ratio {idle / 3840:F2}");
    }

    [Benchmark]
    public double ManagedBytesPerQueuedSegment()
    {
        var f = Measure();
        Console.WriteLine($"// managed bytes per queued 100 B segment: {f.ManagedPerSegment:F0}; truesize charged: {f.TruesizePerSegment:F0}");
        return f.ManagedPerSegment;
    }
}
