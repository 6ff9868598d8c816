using System;
using System.Collections.Generic;
using System.Globalization;
using KernelNet.Kernel;
using KernelNet.Kernel.Drivers.Net;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Net.Ipv4;
using KernelNet.Kernel.Drivers.Net.Ethernet.Intel.Igb;
using KernelNet.Machine;
using KernelNet.Machine.Nic;
using static KernelNet.Kernel.Net.Core.dev_c;

namespace KernelNet.Scenarios.Sim;

/// <summary>A host of a scenario: one network namespace of the simulated kernel.</summary>
public sealed class Host
{
    internal Host(string name, net ns)
    {
        Name = name;
        Net = ns;
    }

    public string Name { get; }

    public net Net { get; }

    public net_device Device(string name) =>
        dev_get_by_name(Net, name) ?? throw new ArgumentException($"host {Name} has no device {name}");
}

/// <summary>
/// Builds what `ip netns add`, `ip link add`, `ip addr add` and `ip route
/// add` build on real Linux, on one booted simulated kernel: the same steps
/// a recording makes, so the two can be compared.
/// </summary>
public sealed class Topology
{
    private readonly Dictionary<string, Host> _hosts = new(StringComparer.Ordinal);
    private readonly SortedDictionary<int, string> _irqHosts = [];
    private int _nextMac = 1;

    public Topology(int cpus = 2, CostModel? costs = null)
    {
        Sim = new Simulator();
        Machine = new KernelNet.Machine.Machine(Sim, cpus, costs);
        K = Boot.Start(Machine);
        Syscalls = new SyscallTable(K);
    }

    public Simulator Sim { get; }

    public KernelNet.Machine.Machine Machine { get; }

    public Vmlinux K { get; }

    public SyscallTable Syscalls { get; }

    public IReadOnlyCollection<Host> Hosts => _hosts.Values;

    /// <summary>Each NIC interrupt (MSI-X vector) and the host whose NIC raises it: two hosts' eth0 told apart in a trace.</summary>
    public IReadOnlyDictionary<int, string> IrqHosts => _irqHosts;

    public Host this[string name] => _hosts[name];

    /// <summary>
    /// `ip netns add NAME`, and `ip -n NAME link set lo up` unless <paramref name="loopbackUp"/>
    /// is false (a fresh namespace's lo is down, as a recording leaves it when no link names it).
    /// </summary>
    public Host AddHost(string name, bool loopbackUp = true)
    {
        var ns = K.new_net(name);
        loopback_c.loopback_net_init(ns);
        if (loopbackUp)
        {
            Up(ns.loopback_dev!);
        }

        var host = new Host(name, ns);
        _hosts.Add(name, host);
        return host;
    }

    /// <summary>`ip link add A netns X type veth peer name B netns Y`, both ends up.</summary>
    public (net_device A, net_device B) AddVeth(Host a, string nameA, Host b, string nameB, byte[]? macA = null, byte[]? macB = null)
    {
        var (da, db) = veth_c.veth_newlink(a.Net, nameA, macA ?? NextMac(), b.Net, nameB, macB ?? NextMac());
        Up(da);
        Up(db);
        return (da, db);
    }

    /// <summary>
    /// Two igb-like NICs (82576 models, one per host) joined by a cable,
    /// each probed by the igb driver and brought up.
    /// </summary>
    public (net_device A, net_device B, Cable Cable) AddIgbPair(Host a, string nameA, Host b, string nameB, long bitsPerSecond = 1_000_000_000, long latencyNs = 1_000)
    {
        var nicA = new Igb82576(Machine, NextMac());
        var nicB = new Igb82576(Machine, NextMac());
        var cable = new Cable(Machine, nicA, nicB, bitsPerSecond, latencyNs);
        var da = igb_main_c.igb_probe(K, a.Net, nicA, nameA);
        var db = igb_main_c.igb_probe(K, b.Net, nicB, nameB);
        Up(da);
        Up(db);
        SpreadIrqs(nicA);
        SpreadIrqs(nicB);
        foreach (var irq in nicA.MsixVectors)
        {
            _irqHosts[irq] = a.Name;
        }

        foreach (var irq in nicB.MsixVectors)
        {
            _irqHosts[irq] = b.Name;
        }

        return (da, db, cable);
    }

    /// <summary>
    /// Two virtio-net PCI devices (one per host) joined by a cable, each
    /// bound by virtio-pci and probed by virtio_net, and brought up. The
    /// driver sets its queues' interrupt affinity itself (virtnet_set_affinity).
    /// </summary>
    public (net_device A, net_device B, Cable Cable) AddVirtioPair(Host a, string nameA, Host b, string nameB, byte[]? macA = null, byte[]? macB = null, long bitsPerSecond = 1_000_000_000, long latencyNs = 1_000)
    {
        var nicA = new VirtioNetPci(Machine, macA ?? NextMac());
        var nicB = new VirtioNetPci(Machine, macB ?? NextMac());
        var cable = new Cable(Machine, nicA, nicB, bitsPerSecond, latencyNs);
        var da = AddVirtioNet(a, nicA, nameA);
        var db = AddVirtioNet(b, nicB, nameB);
        Up(da);
        Up(db);
        return (da, db, cable);
    }

    /// <summary>Binds virtio-pci and virtio_net to <paramref name="nic"/>: its netdev, named <paramref name="name"/> in <paramref name="host"/>, down.</summary>
    public net_device AddVirtioNet(Host host, VirtioNetPci nic, string name)
    {
        ArgumentNullException.ThrowIfNull(host);
        var vdev = KernelNet.Kernel.Drivers.Virtio.virtio_pci_common_c.virtio_pci_probe(K, nic, virtio_net_c.virtio_net_driver, host.Net, name)
            ?? throw new InvalidOperationException($"{name}: virtio_net probe failed");
        return virtio_net_c.virtnet_netdev(vdev);
    }

    /// <summary>
    /// What irqbalance does on a real host: queue vector i gets CPU i (mod the
    /// CPU count), by writing /proc/irq/N/smp_affinity (RX-7, RX-8).
    /// </summary>
    public void SpreadIrqs(Igb82576 nic)
    {
        // MSI-X entry 0 is igb's "other" vector; queue vector i is entry i + 1.
        for (var i = 0; i < nic.MsixVectors.Count; i++)
        {
            var cpu = (i + Machine.Cpus.Count - 1) % Machine.Cpus.Count;
            KernelNet.Kernel.Kernel.Irq.manage_c.irq_set_affinity(K, nic.MsixVectors[i], 1UL << cpu);
        }
    }

    /// <summary>
    /// `ip link add link LOWER name NAME type vlan id VID` and `ip link set NAME up`:
    /// an 802.1Q device on <paramref name="lower"/> (vlan_newlink). Throws with the errno
    /// when the kernel refuses it (VID 0 or 4095 and up, a VID already taken).
    /// </summary>
    public net_device AddVlan(net_device lower, string name, ushort vid)
    {
        ArgumentNullException.ThrowIfNull(lower);
        var dev = KernelNet.Kernel.Net.Net8021q.vlan_netlink_c.vlan_newlink(lower, name, vid, out var err)
            ?? throw new InvalidOperationException($"ip link add link {lower.name} name {name} type vlan id {vid}: error {err}");
        Up(dev);
        return dev;
    }

    /// <summary>`ip link set DEV up`: open it (its NETDEV_UP starts IPv4 on it).</summary>
    public void Up(net_device dev)
    {
        netif_open(dev);
    }

    /// <summary>`ip addr add A.B.C.D/N dev DEV`.</summary>
    public void AddAddress(net_device dev, string cidr)
    {
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        var addr = SockAddrIn.ParseAddress(cidr[..slash]);
        var prefix = int.Parse(cidr[(slash + 1)..], CultureInfo.InvariantCulture);
        var err = devinet_c.inet_rtm_newaddr(dev, addr, prefix);
        if (err != 0)
        {
            throw new InvalidOperationException($"ip addr add {cidr} dev {dev.name}: error {err}");
        }
    }

    /// <summary>`ip link set DEV mtu N`; 0 or -errno.</summary>
    public static int SetMtu(net_device dev, int mtu) => netif_set_mtu(dev, mtu);

    /// <summary>`ip route add DST/LEN [via GW] [dev DEV] [src SRC]` (addresses in host byte order); 0 or -errno.</summary>
    public static int AddRoute(Host host, uint dst, int dstLen, uint gateway, net_device? dev, uint source) =>
        fib_frontend_c.inet_rtm_newroute(host.Net, new fib_config
        {
            fc_dst = dst,
            fc_dst_len = dstLen,
            fc_gw4 = gateway,
            fc_oif = dev?.ifindex ?? 0,
            fc_prefsrc = source,
        });

    /// <summary>An IPv4 address as the port keeps addresses: a host-order number (10.0.0.1 is 0x0a000001).</summary>
    public static uint HostOrder(System.Net.IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var b = address.GetAddressBytes();
        return (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
    }

    /// <summary>A locally administered MAC address, different for every device.</summary>
    public byte[] NextMac()
    {
        var n = _nextMac++;
        return new byte[] { 0x02, 0x00, 0x00, 0x00, (byte)(n >> 8), (byte)n };
    }

    /// <summary>Starts a process in <paramref name="host"/>.</summary>
    public SimTask Spawn(Host host, string comm, int cpu, Func<Libc, System.Threading.Tasks.Task> program) =>
        Syscalls.Spawn(comm, cpu, host.Net, program);

    /// <summary>Runs the simulation until idle or <paramref name="untilNs"/>.</summary>
    public void Run(long untilNs = 60_000_000_000) => Machine.Run(untilNs);
}
