using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using KernelNet.Kernel;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Mm;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using static KernelNet.Kernel.Net.Core.dev_c;
using static KernelNet.Kernel.Net.Core.skbuff_c;
using static KernelNet.Kernel.Net.Ethernet.eth_c;

namespace KernelNet.Scenarios.Fuzz;

/// <summary>A crash or a leak: the seed and the frame index that replay it (<c>kernelnet fuzz --replay SEED:FRAME</c>).</summary>
public sealed record FuzzFailure(ulong Seed, long Frame, string Message)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"seed {Seed} frame {Frame}: {Message} (replay with --replay {Seed}:{Frame})");
}

/// <summary>What a fuzz run did: frames, their kinds, and the drop reasons of every kfree_skb they led to.</summary>
public sealed class FuzzStats
{
    public long Frames { get; set; }

    public long Epochs { get; set; }

    public SortedDictionary<string, long> DropReasons { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, long> Kinds { get; } = new(StringComparer.Ordinal);

    internal static void Add(SortedDictionary<string, long> d, string key, long n = 1) =>
        d[key] = d.TryGetValue(key, out var v) ? v + n : n;
}

/// <summary>
/// The receive-path fuzzer. Frames are run in epochs of <see cref="EpochFrames"/>: each epoch
/// boots a fresh simulated kernel with two hosts on a veth pair (and an 802.1Q VLAN on it),
/// the victim B with UDP listeners, a TCP listener and live connections from A, and hands the
/// epoch's frames up B's veth as its driver would (netif_receive_skb, bottom halves off).
/// At the end of an epoch every program closes its sockets, the machine runs until nothing
/// is left to do, and the skb ledger and the slab caches must be back where they started.
/// Epoch e's frames come from a generator seeded with (seed, e) alone, so frame I of seed S
/// is replayed by running its epoch up to I.
/// </summary>
public sealed class ReceiveFuzzer
{
    /// <summary>Virtual time the machine gets after the programs close: TIME_WAIT, FIN_WAIT2, request and fragment timeouts and retransmission back-off all end in it.</summary>
    private const long SettleNs = 1_200_000_000_000;

    private const long StartNs = 20_000_000;

    private readonly ulong _seed;

    public ReceiveFuzzer(ulong seed, int epochFrames = 1000, int batch = 8)
    {
        if (epochFrames <= 0 || batch <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(epochFrames), "epoch and batch sizes are positive");
        }

        _seed = seed;
        EpochFrames = epochFrames;
        Batch = batch;
    }

    public int EpochFrames { get; }

    public int Batch { get; }

    public FuzzStats Stats { get; } = new();

    /// <summary>Called after each frame went up the stack, with the kernel and the frame index (a test's way to plant a fault the checks must find).</summary>
    public Action<Vmlinux, long>? AfterFrame { get; set; }

    /// <summary>Runs <paramref name="frames"/> frames from frame 0; the first failure ends the run. <paramref name="progress"/> is told after every epoch.</summary>
    public FuzzFailure? Run(long frames, Action<FuzzStats>? progress = null)
    {
        for (long first = 0; first < frames; first += EpochFrames)
        {
            var count = (int)Math.Min(EpochFrames, frames - first);
            var failure = RunEpoch(first / EpochFrames, count, null);
            Stats.Epochs++;
            progress?.Invoke(Stats);
            if (failure is not null)
            {
                return Narrow(failure, first);
            }
        }

        return null;
    }

    /// <summary>Replays frame <paramref name="frame"/>: its epoch up to and including it, then the end-of-epoch checks; <paramref name="log"/> gets the frame's bytes and drops.</summary>
    public FuzzFailure? Replay(long frame, TextWriter log)
    {
        var epoch = frame / EpochFrames;
        var upTo = (int)(frame - (epoch * EpochFrames));
        return RunEpoch(epoch, upTo + 1, log);
    }

    /// <summary>
    /// A leak is found at an epoch's end: the shortest prefix of the epoch that still leaks
    /// names the frame (each prefix is its own deterministic run).
    /// </summary>
    private FuzzFailure Narrow(FuzzFailure failure, long first)
    {
        if (!failure.Message.StartsWith("leak", StringComparison.Ordinal))
        {
            return failure;
        }

        var epoch = first / EpochFrames;
        var lo = 0;
        var hi = (int)(failure.Frame - first);
        var found = failure;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            var f = RunEpoch(epoch, mid + 1, null, count: false);
            if (f is not null && f.Message.StartsWith("leak", StringComparison.Ordinal))
            {
                hi = mid;
                found = f;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return found;
    }

    private sealed class EpochState
    {
        public bool Stop;

        public long Injecting = -1;

        public FuzzFailure? Failure;

        public readonly List<(sock Sk, bool Vlan)> Accepted = new();
    }

    private FuzzFailure? RunEpoch(long epoch, int frames, TextWriter? log, bool count = true)
    {
        var firstFrame = epoch * EpochFrames;
        var t = new Topology();
        var a = t.AddHost("A");
        var b = t.AddHost("B");
        var (va, vb) = t.AddVeth(a, "veth0", b, "veth1");
        t.AddAddress(va, "10.0.0.1/24");
        t.AddAddress(vb, "10.0.0.2/24");
        var qa = t.AddVlan(va, "veth0.5", 5);
        var qb = t.AddVlan(vb, "veth1.5", 5);
        t.AddAddress(qa, "10.0.5.1/24");
        t.AddAddress(qb, "10.0.5.2/24");
        var slabBefore = Sim.Teardown.SlabCounts(t.K);
        t.K.trace.set_event("skb:kfree_skb");

        var addrs = new FuzzAddresses(vb.dev_addr.ToArray(), va.dev_addr.ToArray(), 0x0a000002, 0x0a000001, 0x0a000502, 0x0a000502 - 1, 5);
        var gen = new FrameGenerator(new FuzzRandom(_seed ^ ((ulong)epoch * 0xD1B54A32D192ED03UL) ^ 0x5EED), addrs);
        var st = new EpochState();

        SpawnUdpListeners(t, b, st);
        SpawnTcpServer(t, b, st);
        SpawnTcpClients(t, a, st);
        t.Spawn(b, "fuzz-inject", 0, async libc =>
        {
            await libc.Sleep(StartNs);
            var conns = new List<LiveConnection>();
            for (var i = 0; i < frames; i++)
            {
                var index = firstFrame + i;
                byte[] f;
                try
                {
                    Connections(st, conns);
                    f = gen.Next(conns);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    st.Failure = new FuzzFailure(_seed, index, $"fuzzer bug: the generator threw {e.GetType().Name}: {e.Message} ({Where(e)})");
                    st.Stop = true;
                    return;
                }

                if (count)
                {
                    FuzzStats.Add(Stats.Kinds, gen.LastKind);
                    Stats.Frames++;
                }

                if (log is not null && i == frames - 1)
                {
                    log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"frame {index} ({gen.LastKind}, {f.Length} bytes): {Convert.ToHexString(f)}"));
                    Drain(t.K, count);
                }

                st.Injecting = index;
                try
                {
                    InjectFrame(t.K, vb, f);
                    AfterFrame?.Invoke(t.K, index);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    st.Failure = new FuzzFailure(_seed, index, $"crash: {e.GetType().Name}: {e.Message} (in {gen.LastKind} frame, {Where(e)})");
                    st.Stop = true;
                    return;
                }

                if (log is not null && i == frames - 1)
                {
                    foreach (var r in Drain(t.K, count))
                    {
                        log.WriteLine($"  dropped while received: {r}");
                    }
                }

                if ((i + 1) % Batch == 0)
                {
                    Drain(t.K, count);
                    await libc.Sleep(1_000_000);
                }
            }

            st.Stop = true;
        });

        try
        {
            t.Run(SettleNs);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var inner = e.InnerException ?? e;
            return st.Failure ?? new FuzzFailure(_seed, Math.Max(st.Injecting, firstFrame), $"crash after the frame: {inner.GetType().Name}: {inner.Message} ({Where(inner)})");
        }

        var drops = Drain(t.K, count);
        if (log is not null)
        {
            foreach (var r in drops)
            {
                log.WriteLine($"  dropped later: {r}");
            }
        }

        if (st.Failure is not null)
        {
            return st.Failure;
        }

        var last = firstFrame + frames - 1;
        if (!st.Stop || t.Machine.Tasks.Any(x => x.Comm.StartsWith("fuzz-", StringComparison.Ordinal) && x.Completion is { IsCompleted: false }))
        {
            var stuck = string.Join(", ", t.Machine.Tasks.Where(x => x.Comm.StartsWith("fuzz-", StringComparison.Ordinal) && x.Completion is { IsCompleted: false }).Select(x => x.Comm));
            return new FuzzFailure(_seed, last, $"stuck: {(st.Stop ? "" : "the injector and ")}programs did not finish after their sockets were closed ({stuck})");
        }

        var leaked = t.K.leaked_skbs();
        if (leaked != 0)
        {
            var what = string.Join("; ", t.K.skb_ledger.Describe().Take(3));
            return new FuzzFailure(_seed, last, $"leak: {leaked} skb(s) live after every socket closed and the machine ran idle ({what})");
        }

        var slabAfter = Sim.Teardown.SlabCounts(t.K);
        foreach (var (name, n) in slabAfter)
        {
            var before = slabBefore.TryGetValue(name, out var v) ? v : 0;
            if (n != before)
            {
                return new FuzzFailure(_seed, last, string.Create(CultureInfo.InvariantCulture, $"leak: slab {name} has {n} active objects, {before} before the epoch"));
            }
        }

        return null;
    }

    /// <summary>A frame up the victim's veth as its driver hands one: an skb of the frame, eth_type_trans, netif_receive_skb with bottom halves off.</summary>
    private static void InjectFrame(Vmlinux k, net_device dev, byte[] f)
    {
        var skb = __alloc_skb(k, f.Length + 64, 0)!;
        skbuff_h.skb_reserve(skb, 64);
        var off = skb_put(skb, f.Length);
        f.CopyTo(skb.head, off);
        skb.protocol = eth_type_trans(skb, dev);
        bottom_half_h.local_bh_disable(k);
        netif_receive_skb(skb);
        bottom_half_h.local_bh_enable(k);
    }

    private static string Where(Exception e)
    {
        var lines = e.StackTrace?.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("at ", StringComparison.Ordinal)).ToList() ?? new List<string>();
        var frame = lines.FirstOrDefault(l => l.StartsWith("at KernelNet.Kernel", StringComparison.Ordinal)) ?? lines.FirstOrDefault();
        return frame is null ? "no stack" : frame[3..].Split(" in ", 2)[0];
    }

    /// <summary>The kfree_skb reasons recorded since the last drain (counted into the histogram), and the trace emptied.</summary>
    private List<string> Drain(Vmlinux k, bool count)
    {
        var reasons = new List<string>();
        foreach (var e in k.trace.entries)
        {
            if (e.Event != "kfree_skb")
            {
                continue;
            }

            var at = e.Text.LastIndexOf("reason: ", StringComparison.Ordinal);
            var r = at < 0 ? "?" : e.Text[(at + 8)..];
            if (r == "NOT_SPECIFIED")
            {
                // a reason-less drop says little by itself: the dropping function goes with it
                var loc = e.Text.IndexOf("location=", StringComparison.Ordinal);
                var end = loc < 0 ? -1 : e.Text.IndexOf('+', loc);
                r += loc < 0 || end < 0 ? "" : " (" + e.Text[(loc + 9)..end] + ")";
            }

            reasons.Add(r);
            if (count)
            {
                FuzzStats.Add(Stats.DropReasons, r);
            }
        }

        k.trace.clear();
        return reasons;
    }

    /// <summary>The victim's accepted connections that are still synchronized, as the generator sees them.</summary>
    private static void Connections(EpochState st, List<LiveConnection> conns)
    {
        conns.Clear();
        foreach (var (sk, vlan) in st.Accepted)
        {
            if (sk.sk_state is sock_h.TCP_CLOSE or tcp_states_h.TCP_LISTEN)
            {
                continue;
            }

            var inet = inet_sock_h.inet_sk(sk);
            var tp = KernelNet.Kernel.Include.Linux.tcp_h.tcp_sk(sk);
            conns.Add(new LiveConnection(inet.inet_rcv_saddr, inet.inet_sport, inet.inet_daddr, inet.inet_dport, tp.rcv_nxt, tp.snd_una, tp.snd_nxt, Math.Max(1u, tp.rcv_wnd), tp.rx_opt.ts_recent, vlan));
        }
    }

    private static socket? SocketOf(Topology t, Libc libc, long fd) =>
        t.K.task_of(libc.Task).files.TryGetValue((int)fd, out var f) ? f as socket : null;

    /// <summary>B's UDP sockets (0.0.0.0:5000, 10.0.0.2:5001, 10.0.5.2:5002), drained without blocking until the stop.</summary>
    private static void SpawnUdpListeners(Topology t, Host b, EpochState st)
    {
        t.Spawn(b, "fuzz-udp", 1, async libc =>
        {
            var fds = new List<int>();
            var binds = new[] { "0.0.0.0", "10.0.0.2", "10.0.5.2" };
            for (var i = 0; i < FrameGenerator.UdpPorts.Length; i++)
            {
                var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
                await libc.Bind(fd, SockAddrIn.Parse(string.Create(CultureInfo.InvariantCulture, $"{binds[i]}:{FrameGenerator.UdpPorts[i]}")));
                fds.Add(fd);
            }

            var round = 0;
            while (!st.Stop)
            {
                // one socket of three is left to fill up, so receive-buffer drops happen too
                foreach (var fd in fds.Take(2))
                {
                    while ((await libc.RecvFrom(fd, 2048, Libc.MSG_DONTWAIT)).Ret >= 0)
                    {
                    }
                }

                round++;
                await libc.Sleep(round % 2 == 0 ? 2_000_000 : 5_000_000);
            }

            foreach (var fd in fds)
            {
                await libc.Close(fd);
            }
        });
    }

    /// <summary>B's TCP listener on port 80: accepts, reads, answers part of what it reads (so data is in flight both ways), closes on the stop.</summary>
    private static void SpawnTcpServer(Topology t, Host b, EpochState st)
    {
        t.Spawn(b, "fuzz-tcp-server", 1, async libc =>
        {
            var lfd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM | Libc.SOCK_NONBLOCK, 0);
            await libc.SetSockOpt(lfd, Libc.SOL_SOCKET, Libc.SO_REUSEADDR, 1);
            await libc.Bind(lfd, SockAddrIn.Parse("0.0.0.0:80"));
            await libc.Listen(lfd, 16);
            var conns = new List<int>();
            var reply = new byte[300];
            while (!st.Stop)
            {
                long fd;
                while ((fd = await libc.Accept(lfd)) >= 0)
                {
                    conns.Add((int)fd);
                    if (SocketOf(t, libc, fd)?.sk is { } sk)
                    {
                        st.Accepted.Add((sk, (inet_sock_h.inet_sk(sk).inet_rcv_saddr & 0xffffff00) == 0x0a000500));
                    }
                }

                for (var i = conns.Count - 1; i >= 0; i--)
                {
                    var r = await libc.RecvFrom(conns[i], 4096, Libc.MSG_DONTWAIT);
                    if (r.Ret == 0 || (r.Ret < 0 && r.Ret != -Libc.EAGAIN))
                    {
                        await libc.Close(conns[i]);
                        conns.RemoveAt(i);
                    }
                    else if (r.Ret > 0)
                    {
                        await libc.SendTo(conns[i], reply, Libc.MSG_DONTWAIT, null);
                    }
                }

                await libc.Sleep(3_000_000);
            }

            foreach (var fd in conns)
            {
                await libc.Close(fd);
            }

            await libc.Close(lfd);
        });
    }

    /// <summary>A's clients: three connections to 10.0.0.2:80 and one over the VLAN; each sends now and then, and a reset one is opened again.</summary>
    private static void SpawnTcpClients(Topology t, Host a, EpochState st)
    {
        var targets = new[] { "10.0.0.2:80", "10.0.0.2:80", "10.0.0.2:80", "10.0.5.2:80" };
        for (var c = 0; c < targets.Length; c++)
        {
            var target = targets[c];
            var n = c;
            t.Spawn(a, "fuzz-tcp-client", 1, async libc =>
            {
                await libc.Sleep(1_000_000 + (n * 100_000));
                var data = new byte[100 + (n * 200)];
                var round = 0;
                var fd = -1;
                while (!st.Stop)
                {
                    if (fd < 0)
                    {
                        fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, 0);
                        await libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_SNDTIMEO, 50_000);
                        if (await libc.Connect(fd, SockAddrIn.Parse(target)) < 0)
                        {
                            await libc.Close(fd);
                            fd = -1;
                            await libc.Sleep(20_000_000);
                            continue;
                        }
                    }

                    var r = await libc.RecvFrom(fd, 4096, Libc.MSG_DONTWAIT);
                    if (r.Ret == 0 || (r.Ret < 0 && r.Ret != -Libc.EAGAIN))
                    {
                        await libc.Close(fd);
                        fd = -1;
                        continue;
                    }

                    if (++round % 4 == n % 4)
                    {
                        await libc.SendTo(fd, data, Libc.MSG_DONTWAIT, null);
                    }

                    await libc.Sleep(4_000_000);
                }

                if (fd >= 0)
                {
                    await libc.Close(fd);
                }
            });
        }
    }
}
