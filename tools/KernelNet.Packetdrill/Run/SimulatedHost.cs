using System;
using System.Collections.Generic;
using System.Text;
using System.Threading.Tasks;
using KernelNet.Kernel.Drivers.Net;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;

namespace KernelNet.Packetdrill.Run;

/// <summary>A packet the kernel sent out of tun0, read by the tun reader at virtual time <see cref="AtNs"/>.</summary>
public sealed record CapturedPacket(long AtNs, byte[] Bytes);

/// <summary>
/// One booted simulated kernel set up as packetdrill sets up its machine: a
/// network namespace with a tun device (opened through /dev/net/tun and
/// TUNSETIFF by a "packetdrill" process that then reads it, as packetdrill's
/// netdev does — IFF_TUN | IFF_NO_PI | IFF_VNET_HDR, so every packet both ways
/// carries a virtio_net_hdr), tun0 up with the local address, and the remote
/// address routed through it. Script syscalls run as threads of a second process
/// ("pd-script"), so its descriptors start at 3 as the scripts expect.
/// </summary>
public sealed class SimulatedHost
{
    private const int O_RDWR = 2;

    /// <summary>tun's vnet_hdr_sz as TUNSETIFF leaves it: packetdrill writes and reads a bare struct virtio_net_hdr.</summary>
    private const int VnetHdrSize = KernelNet.Kernel.Include.Uapi.Linux.virtio_net_hdr.Size;

    /// <summary>--mss: the gso_size of every inbound TCP packet's vnet header (0: no GSO header).</summary>
    private readonly int _mss;
    private readonly SimTask _tunProcess;
    private readonly SimTask _scriptProcess;
    private int _tunFd = -1;

    /// <summary>The slab caches' live objects once the machine was set up: what the end of the run must come back to.</summary>
    private readonly IReadOnlyDictionary<string, long> _slabsAtStart;
    private int _threads;

    public SimulatedHost(RunConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        _mss = config.Mss;
        Topology = new Topology();
        Host = Topology.AddHost("packetdrill");
        _tunProcess = Topology.Spawn(Host, "packetdrill", 1, TunReader);
        _scriptProcess = Topology.Spawn(Host, "pd-script", 0, _ => Task.CompletedTask);
        Topology.Run(Topology.Sim.Now + 1_000_000);
        if (_tunFd < 0)
        {
            throw new InvalidOperationException($"opening /dev/net/tun failed ({_tunFd})");
        }

        Tun = Host.Device("tun0");
        Topology.Up(Tun);
        Topology.AddAddress(Tun, $"{config.LocalIp}/{config.PrefixLength}");
        var remote = SockAddrIn.ParseAddress(config.RemoteIp);
        var gw = SockAddrIn.ParseAddress(config.GatewayIp);
        if (Topology.AddRoute(Host, remote, 32, gw, Tun, 0) != 0)
        {
            // As packetdrill's "ip route add REMOTE dev tun0 via GW" failing quietly: a device route does the same on a point-to-point link.
            Topology.AddRoute(Host, remote, 32, 0, Tun, 0);
        }

        LocalAddress = SockAddrIn.ParseAddress(config.LocalIp);
        RemoteAddress = remote;

        // The script starts half-way between two jiffies (HZ=250: a tick every 4 ms): a real
        // run starts at a random phase of the tick; this fixed one, the mean, keeps runs identical.
        const long tick = 1_000_000_000L / KernelNet.Kernel.Vmlinux.HZ;
        Topology.Run((Topology.Sim.Now / tick + 1) * tick + tick / 2);
        _slabsAtStart = Teardown.SlabCounts(Topology.K);
    }

    /// <summary>
    /// The end of packetdrill's run: the script's process exits (its descriptors closed, lowest
    /// first: each socket's release — tcp_close's FIN or RST, a listener's request socks freed),
    /// then packetdrill's own (its tun fd closed: tun0 detached and unregistered), the kernel
    /// settles (<see cref="Teardown.Settle"/>), and what is still live is returned.
    /// </summary>
    public LedgerReport ExitAndSettle() => Teardown.ExitAndSettle(Topology, new[] { _scriptProcess, _tunProcess }, _slabsAtStart);

    public Topology Topology { get; }

    public Host Host { get; }

    public net_device Tun { get; }

    public uint LocalAddress { get; }

    public uint RemoteAddress { get; }

    public long Now => Topology.Machine.Now;

    /// <summary>What the kernel sent out of tun0, in order, not yet taken by the runner.</summary>
    public Queue<CapturedPacket> Outbound { get; } = new();

    private async Task TunReader(Libc libc)
    {
        var fd = (int)await libc.Open("/dev/net/tun", O_RDWR);
        if (fd < 0)
        {
            _tunFd = fd;
            return;
        }

        var ifr = new byte[40];
        Encoding.ASCII.GetBytes("tun0").CopyTo(ifr, 0);
        BitConverter.GetBytes((ushort)(tun_c.IFF_TUN | tun_c.IFF_NO_PI | tun_c.IFF_VNET_HDR)).CopyTo(ifr, 16);
        var err = await libc.Ioctl(fd, tun_c.TUNSETIFF, ifr);
        if (err >= 0)
        {
            // packetdrill's set_device_offload_flags: the tun looks like an Ethernet NIC with checksum offload and TSO
            err = await libc.Ioctl(fd, tun_c.TUNSETOFFLOAD, BitConverter.GetBytes(tun_c.TUN_F_CSUM | tun_c.TUN_F_TSO4 | tun_c.TUN_F_TSO6 | tun_c.TUN_F_TSO_ECN));
        }

        _tunFd = err < 0 ? (int)err : fd;
        if (err < 0)
        {
            return;
        }

        var buf = new byte[65536];
        while (true)
        {
            var n = await libc.Read(fd, buf, buf.Length);
            if (n < 0)
            {
                return;
            }

            // the vnet header in front is the kernel's note to the reader; packetdrill sniffs the packet itself
            if (n < VnetHdrSize)
            {
                continue;
            }

            Outbound.Enqueue(new CapturedPacket(libc.Now, buf.AsSpan(VnetHdrSize, (int)n - VnetHdrSize).ToArray()));
        }
    }

    /// <summary>Starts a thread of the script process running <paramref name="body"/> now.</summary>
    public SimTask ScriptThread(Func<Libc, Task> body) =>
        Topology.Syscalls.SpawnThread(_scriptProcess, $"pd-sys{_threads++}", 0, body);

    /// <summary>
    /// Writes one IP packet into tun0 from a thread of the tun process (its
    /// write runs the receive path), behind a virtio_net_hdr as packetdrill's
    /// linux_tun_write puts it: zero, except that with --mss a TCP packet's
    /// says GSO TCPV4/TCPV6 with gso_size the mss, whatever the packet's size
    /// (the kernel ignores it for a packet of one segment). <paramref name="done"/>
    /// gets the IP bytes written, or the write's -errno.
    /// </summary>
    public SimTask Inject(byte[] packet, Action<long> done)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(done);
        var hdr = new KernelNet.Kernel.Include.Uapi.Linux.virtio_net_hdr();
        if (_mss != 0 && IsTcp(packet))
        {
            hdr.gso_type = packet[0] >> 4 == 4 ? KernelNet.Kernel.Include.Uapi.Linux.virtio_net_h.VIRTIO_NET_HDR_GSO_TCPV4 : KernelNet.Kernel.Include.Uapi.Linux.virtio_net_h.VIRTIO_NET_HDR_GSO_TCPV6;
            hdr.gso_size = (ushort)_mss;
        }

        var frame = new byte[VnetHdrSize + packet.Length];
        hdr.WriteTo(frame);
        packet.CopyTo(frame, VnetHdrSize);
        return Topology.Syscalls.SpawnThread(_tunProcess, "pd-inject", 0, async libc =>
        {
            var r = await libc.Write(_tunFd, frame, frame.Length);
            done(r >= 0 ? r - VnetHdrSize : r);
        });
    }

    /// <summary>An IPv4 or IPv6 packet whose protocol (next header) is TCP.</summary>
    private static bool IsTcp(byte[] packet)
    {
        const byte IPPROTO_TCP = 6;
        if (packet.Length >= 20 && packet[0] >> 4 == 4)
        {
            return packet[9] == IPPROTO_TCP;
        }

        return packet.Length >= 40 && packet[0] >> 4 == 6 && packet[6] == IPPROTO_TCP;
    }

    /// <summary>Runs events until <paramref name="stop"/> holds or the clock would pass <paramref name="untilNs"/>; true if stopped by the condition.</summary>
    public bool RunUntil(Func<bool> stop, long untilNs)
    {
        ArgumentNullException.ThrowIfNull(stop);
        var sim = Topology.Sim;
        while (!stop())
        {
            if (!sim.Step(untilNs))
            {
                Topology.Machine.Run(untilNs);
                return stop();
            }

            Topology.Machine.ThrowIfFaulted();
        }

        return true;
    }

    /// <summary>Runs the simulation up to <paramref name="ns"/>.</summary>
    public void RunTo(long ns)
    {
        if (ns > Topology.Sim.Now)
        {
            Topology.Machine.Run(ns);
        }
    }
}
