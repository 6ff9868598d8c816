// The driver template of docs/writing-a-driver.md: the smallest NIC that
// runs the driver kit. TmplNic is the device model (it would live in
// machine/Nic/), tmpl_nic_c the driver (it would live in kernel/drivers/ as
// the port of a real Linux file, with provenance lines and the analyzers'
// annotations). One receive slot and one transmit slot, in registers; one
// MSI-X vector for both; NAPI does the work.
using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using KernelNet.Kernel;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.Linux;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using KernelNet.Tests.Support;
using static KernelNet.Kernel.Include.Linux.netdevice_h;
using static KernelNet.Kernel.Net.Core.dev_c;
using static KernelNet.Kernel.Net.Core.skbuff_c;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Net.Ethernet.eth_c;

namespace KernelNet.Tests.Drivers.Template;

/// <summary>
/// The template's hardware: registers (the MAC, one receive buffer address
/// the device writes a frame into, one transmit buffer it reads from, an
/// interrupt mask and cause), DMA through the machine's IOMMU, one vector.
/// </summary>
public sealed class TmplNic : ICablePort
{
    public const int MAC_LO = 0x00, MAC_HI = 0x04, IRQ_MASK = 0x08, IRQ_CAUSE = 0x0c;
    public const int RX_ADDR_LO = 0x10, RX_ADDR_HI = 0x14, RX_LEN = 0x18, RX_ARM = 0x1c;
    public const int TX_ADDR_LO = 0x20, TX_ADDR_HI = 0x24, TX_LEN = 0x28, TX_GO = 0x2c, TX_DONE = 0x30;
    public const uint CAUSE_RX = 1, CAUSE_TX = 2;
    public const int RxBufferBytes = 2048;

    private readonly KernelNet.Machine.Machine _machine;
    private readonly Dictionary<int, uint> _regs = new();
    private readonly Queue<byte[]> _fifo = new();
    private Cable? _cable;

    public TmplNic(KernelNet.Machine.Machine machine, byte[] mac)
    {
        _machine = machine;
        _regs[MAC_LO] = BinaryPrimitives.ReadUInt32LittleEndian(mac);
        _regs[MAC_HI] = BinaryPrimitives.ReadUInt16LittleEndian(mac.AsSpan(4));
        Vector = machine.Interrupts.AllocateVector();
    }

    /// <summary>The one MSI-X vector.</summary>
    public int Vector { get; }

    public long Dropped { get; private set; }

    public uint rd32(int reg)
    {
        var v = _regs.GetValueOrDefault(reg);
        if (reg == IRQ_CAUSE)
        {
            _regs[IRQ_CAUSE] = 0;
        }

        return v;
    }

    public void wr32(int reg, uint val)
    {
        _regs[reg] = val;
        if (reg == TX_GO && val == 1)
        {
            _regs[TX_DONE] = 0;
            _machine.At(_machine.Now + 1_000, Transmit);
        }
        else if (reg == IRQ_MASK && val != 0 && _regs.GetValueOrDefault(IRQ_CAUSE) != 0)
        {
            Fire();
        }
        else if (reg == RX_ARM && val == 1 && _fifo.Count > 0)
        {
            Deliver(_fifo.Dequeue());
        }
    }

    void ICablePort.Attach(Cable cable) => _cable = cable;

    void ICablePort.ReceiveFromWire(byte[] frame)
    {
        if (frame.Length - 4 > RxBufferBytes || (_regs.GetValueOrDefault(RX_ARM) == 0 && _fifo.Count >= 64))
        {
            Dropped++;
            return;
        }

        // A small packet buffer holds frames while the slot is full.
        if (_regs.GetValueOrDefault(RX_ARM) == 0)
        {
            _fifo.Enqueue(frame);
            return;
        }

        Deliver(frame);
    }

    private void Deliver(byte[] frame)
    {
        var len = frame.Length - 4; // the FCS stays on the wire
        _machine.Dma.Write(Addr(RX_ADDR_LO), frame.AsSpan(0, len));
        _regs[RX_LEN] = (uint)len;
        _regs[RX_ARM] = 0;
        Cause(CAUSE_RX);
    }

    private ulong Addr(int lo) => _regs.GetValueOrDefault(lo) | ((ulong)_regs.GetValueOrDefault(lo + 4) << 32);

    private void Transmit()
    {
        var len = (int)_regs.GetValueOrDefault(TX_LEN);
        var frame = new byte[Math.Max(len, 60) + 4];
        _machine.Dma.Read(Addr(TX_ADDR_LO), frame.AsSpan(0, len));
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(frame.Length - 4), Frames.Crc32(frame.AsSpan(0, frame.Length - 4)));
        var left = _cable?.Transmit(this, frame, _machine.Now) ?? _machine.Now;
        _machine.At(left, () =>
        {
            _regs[TX_DONE] = 1;
            Cause(CAUSE_TX);
        });
    }

    private void Cause(uint cause)
    {
        _regs[IRQ_CAUSE] = _regs.GetValueOrDefault(IRQ_CAUSE) | cause;
        if (_regs.GetValueOrDefault(IRQ_MASK) != 0)
        {
            Fire();
        }
    }

    private void Fire()
    {
        _regs[IRQ_MASK] = 0; // auto-mask until the driver unmasks
        _machine.Interrupts.Raise(Vector, _machine.Now);
    }
}

/// <summary>The template driver's private state (netdev_priv).</summary>
public sealed class tmpl_priv
{
    public required TmplNic hw;
    public required net_device netdev;
    public napi_struct napi = null!;
    public page? rx_page;
    public ulong rx_dma;
    public sk_buff? tx_skb;
    public ulong tx_dma;
    public ulong rx_packets, rx_bytes, tx_packets, tx_bytes;
}

/// <summary>The template driver: probe, open, stop, start_xmit, the interrupt handler and the NAPI poll.</summary>
public static class tmpl_nic_c
{
    public static net_device tmpl_probe(Vmlinux k, net ns, TmplNic hw, string name)
    {
        var netdev = alloc_etherdev_mqs(ns, name, 1, 1);
        var priv = new tmpl_priv { hw = hw, netdev = netdev };
        netdev.priv = priv;
        netdev.netdev_ops = new net_device_ops
        {
            ndo_open = tmpl_open,
            ndo_stop = tmpl_close,
            ndo_start_xmit = tmpl_xmit_frame,
            ndo_get_stats64 = tmpl_get_stats64,
        };
        netdev.ethtool_ops = new ethtool_ops
        {
            get_drvinfo = _ => new ethtool_drvinfo("tmpl_nic", "1.0", "", "tmpl"),
            get_ringparam = _ => new ethtool_ringparam(1, 1, 1, 1),
            set_ringparam = (_, _, _) => -22,
            get_channels = _ => new ethtool_channels(1, 1),
            set_channels = (_, n) => n == 1 ? 0 : -22,
            get_ethtool_stats = d => new List<(string, ulong)>
            {
                ("rx_packets", netdev_priv<tmpl_priv>(d).rx_packets),
                ("tx_packets", netdev_priv<tmpl_priv>(d).tx_packets),
            },
        };
        netdev.driver_name = "tmpl_nic";

        // The MAC from the hardware.
        var mac = new byte[6];
        BinaryPrimitives.WriteUInt32LittleEndian(mac, hw.rd32(TmplNic.MAC_LO));
        BinaryPrimitives.WriteUInt16LittleEndian(mac.AsSpan(4), (ushort)hw.rd32(TmplNic.MAC_HI));
        netdev.dev_addr = mac;

        priv.napi = new napi_struct(k, netdev, tmpl_poll, 64) { priv = priv };
        netif_napi_add_weight(netdev, priv.napi);
        register_netdevice(netdev);
        return netdev;
    }

    private static void tmpl_arm_rx(tmpl_priv priv)
    {
        priv.hw.wr32(TmplNic.RX_LEN, 0);
        priv.hw.wr32(TmplNic.RX_ARM, 1);
    }

    public static int tmpl_open(net_device netdev)
    {
        var priv = netdev_priv<tmpl_priv>(netdev);
        var k = priv.napi.k;
        var err = interrupt_h.request_irq(k, priv.hw.Vector, tmpl_intr, $"{netdev.name}-tmpl", priv);
        if (err != 0)
        {
            return err;
        }

        priv.rx_page = dev_alloc_pages(k, 0)!;
        priv.rx_dma = k.machine.Dma.Map(priv.rx_page.mem, 0, TmplNic.RxBufferBytes);
        priv.hw.wr32(TmplNic.RX_ADDR_LO, (uint)priv.rx_dma);
        priv.hw.wr32(TmplNic.RX_ADDR_HI, (uint)(priv.rx_dma >> 32));
        tmpl_arm_rx(priv);
        priv.napi.state &= ~napi_struct.NAPIF_STATE_DISABLE;
        priv.hw.wr32(TmplNic.IRQ_MASK, 1);
        netif_tx_start_all_queues(netdev);
        return 0;
    }

    public static int tmpl_close(net_device netdev)
    {
        var priv = netdev_priv<tmpl_priv>(netdev);
        var k = priv.napi.k;
        priv.hw.wr32(TmplNic.IRQ_MASK, 0);
        priv.hw.wr32(TmplNic.RX_ARM, 0);
        priv.napi.state |= napi_struct.NAPIF_STATE_DISABLE;
        KernelNet.Kernel.Kernel.Irq.manage_c.free_irq(k, priv.hw.Vector, priv);
        if (priv.tx_skb is { } skb)
        {
            k.machine.Dma.Unmap(priv.tx_dma);
            priv.tx_skb = null;
            consume_skb(skb);
        }

        k.machine.Dma.Unmap(priv.rx_dma);
        mm_h.put_page(priv.rx_page!);
        priv.rx_page = null;
        return 0;
    }

    public static netdev_tx_t tmpl_xmit_frame(sk_buff skb, net_device netdev)
    {
        var priv = netdev_priv<tmpl_priv>(netdev);
        var txq = netdev_get_tx_queue(netdev, 0);
        if (priv.tx_skb is not null)
        {
            netif_tx_stop_queue(txq);
            return netdev_tx_t.NETDEV_TX_BUSY;
        }

        // Linear only: the device takes one buffer (the core linearizes, as the device offers no SG).
        priv.tx_skb = skb;
        priv.tx_dma = priv.napi.k.machine.Dma.Map(skb.head, skb.data, skb.len);
        priv.hw.wr32(TmplNic.TX_ADDR_LO, (uint)priv.tx_dma);
        priv.hw.wr32(TmplNic.TX_ADDR_HI, (uint)(priv.tx_dma >> 32));
        priv.hw.wr32(TmplNic.TX_LEN, (uint)skb.len);

        // One slot: the queue stops until the completion frees it.
        netif_tx_stop_queue(txq);
        priv.hw.wr32(TmplNic.TX_GO, 1);
        return netdev_tx_t.NETDEV_TX_OK;
    }

    private static void tmpl_get_stats64(net_device netdev, rtnl_link_stats64 stats)
    {
        var priv = netdev_priv<tmpl_priv>(netdev);
        stats.rx_packets = priv.rx_packets;
        stats.rx_bytes = priv.rx_bytes;
        stats.tx_packets = priv.tx_packets;
        stats.tx_bytes = priv.tx_bytes;
    }

    private static irqreturn_t tmpl_intr(int irq, object? data)
    {
        // The device masked itself; reading the cause clears it; NAPI does the rest.
        var priv = (tmpl_priv)data!;
        priv.hw.rd32(TmplNic.IRQ_CAUSE);
        napi_schedule(priv.napi);
        return irqreturn_t.IRQ_HANDLED;
    }

    private static int tmpl_poll(napi_struct napi, int budget)
    {
        var priv = (tmpl_priv)napi.priv!;
        var hw = priv.hw;
        var machine = napi.k.machine;
        var work = 0;

        // Transmit completion.
        if (priv.tx_skb is { } done && hw.rd32(TmplNic.TX_DONE) == 1)
        {
            machine.Dma.Unmap(priv.tx_dma);
            priv.tx_packets++;
            priv.tx_bytes += (ulong)done.len;
            priv.tx_skb = null;
            napi_consume_skb(done, budget);
            netif_tx_wake_queue(netdev_get_tx_queue(priv.netdev, 0));
        }

        // Receive: copy the frame out of the slot into a fresh skb, give the slot back.
        var len = (int)hw.rd32(TmplNic.RX_LEN);
        if (len != 0 && budget > 0)
        {
            var skb = napi_alloc_skb(napi, len);
            if (skb is not null)
            {
                var at = skb_put(skb, len);
                priv.rx_page!.mem.AsSpan(0, len).CopyTo(skb.head.AsSpan(at));
                skb.protocol = KernelNet.Kernel.Net.Ethernet.eth_c.eth_type_trans(skb, priv.netdev);
                priv.rx_packets++;
                priv.rx_bytes += (ulong)skb.len;
                napi_gro_receive(napi, skb);
            }

            tmpl_arm_rx(priv);
            work = 1;
        }

        if (work < budget && napi_complete_done(napi, work))
        {
            hw.wr32(TmplNic.IRQ_MASK, 1);
        }

        return work;
    }
}

/// <summary>The template runs the driver kit.</summary>
public sealed class tmpl_nic_tests : DriverKit
{
    protected override string DriverName => "tmpl_nic";

    protected override (string Rx, string Tx) EthtoolQueueStats => ("rx_packets", "tx_packets");

    protected override (Topology T, Host H, net_device Dev, WireTap Tap, byte[] NicMac) HostOnWire()
    {
        var t = new Topology();
        var h = t.AddHost("H");
        var mac = t.NextMac();
        var nic = new TmplNic(t.Machine, mac);
        var tap = new WireTap(t.Machine);
        _ = new Cable(t.Machine, nic, tap);
        var dev = tmpl_nic_c.tmpl_probe(t.K, h.Net, nic, "eth0");
        t.Up(dev);
        t.AddAddress(dev, "10.0.0.2/24");
        return (t, h, dev, tap, mac);
    }

    protected override (Topology T, Host A, Host B, net_device DevA, net_device DevB) Pair()
    {
        var t = new Topology();
        var a = t.AddHost("A");
        var b = t.AddHost("B");
        var nicA = new TmplNic(t.Machine, t.NextMac());
        var nicB = new TmplNic(t.Machine, t.NextMac());
        _ = new Cable(t.Machine, nicA, nicB);
        var da = tmpl_nic_c.tmpl_probe(t.K, a.Net, nicA, "eth0");
        var db = tmpl_nic_c.tmpl_probe(t.K, b.Net, nicB, "eth0");
        t.Up(da);
        t.Up(db);
        t.AddAddress(da, "10.0.0.1/24");
        t.AddAddress(db, "10.0.0.2/24");
        return (t, a, b, da, db);
    }

    protected override string RxIrqName(net_device dev) => dev.name + "-tmpl";
}
