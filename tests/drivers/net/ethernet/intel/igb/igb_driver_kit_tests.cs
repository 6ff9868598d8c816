using KernelNet.Kernel.Drivers.Net.Ethernet.Intel.Igb;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Machine;
using KernelNet.Machine.Nic;
using KernelNet.Scenarios.Sim;
using KernelNet.Tests.Support;

namespace KernelNet.Tests.Drivers.Net.Ethernet.Intel.Igb;

/// <summary>igb on the 82576 model runs the driver test kit.</summary>
public sealed class igb_driver_kit_tests : DriverKit
{
    protected override string DriverName => "igb";

    protected override (string Rx, string Tx) EthtoolQueueStats => ("rx_queue_0_packets", "tx_queue_0_packets");

    protected override (Topology T, Host H, net_device Dev, WireTap Tap, byte[] NicMac) HostOnWire()
    {
        var t = new Topology();
        var h = t.AddHost("H");
        var mac = t.NextMac();
        var nic = new Igb82576(t.Machine, mac);
        var tap = new WireTap(t.Machine);
        _ = new Cable(t.Machine, nic, tap);
        var dev = igb_main_c.igb_probe(t.K, h.Net, nic, "eth0");
        t.Up(dev);
        t.AddAddress(dev, "10.0.0.2/24");
        t.SpreadIrqs(nic);
        ((ethtool_ops)dev.ethtool_ops!).set_channels(dev, 1);
        return (t, h, dev, tap, mac);
    }

    protected override (Topology T, Host A, Host B, net_device DevA, net_device DevB) Pair()
    {
        var t = new Topology();
        var a = t.AddHost("A");
        var b = t.AddHost("B");
        var (da, db, _) = t.AddIgbPair(a, "eth0", b, "eth0");
        t.AddAddress(da, "10.0.0.1/24");
        t.AddAddress(db, "10.0.0.2/24");
        return (t, a, b, da, db);
    }

    protected override string RxIrqName(net_device dev) => "eth0-TxRx-0";
}
