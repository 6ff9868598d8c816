using System;
using KernelNet.Annotations;

namespace KernelNet.Machine;

/// <summary>
/// A full-duplex Ethernet cable between two NIC ports: each direction
/// serializes frames at the line rate (preamble, start delimiter and
/// inter-frame gap included: 20 bytes per frame) and delivers them after the
/// propagation latency.
/// </summary>
[HardwareInterface(Seam = "the device's net_device_ops and ethtool_ops (carrier through netif_carrier_on/off from its driver)")]
public sealed class Cable
{
    /// <summary>Preamble (7) + SFD (1) + inter-frame gap (12).</summary>
    public const int FramingOverheadBytes = 20;

    private readonly Machine _machine;
    private readonly Port _a;
    private readonly Port _b;

    public Cable(Machine machine, ICablePort a, ICablePort b, long bitsPerSecond = 1_000_000_000, long latencyNs = 1_000)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        _machine = machine;
        BitsPerSecond = bitsPerSecond;
        LatencyNs = latencyNs;
        _a = new Port(a);
        _b = new Port(b);
        a.Attach(this);
        b.Attach(this);
    }

    public long BitsPerSecond { get; }

    public long LatencyNs { get; }

    /// <summary>Frames carried, both directions.</summary>
    public long Frames { get; private set; }

    /// <summary>Puts a frame (FCS included) on the wire from <paramref name="from"/>; returns when its last bit leaves.</summary>
    public long Transmit(ICablePort from, byte[] frame, long at)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var (src, dst) = ReferenceEquals(from, _a.Nic) ? (_a, _b) : (_b, _a);
        var start = Math.Max(at, src.BusyUntil);
        var serialization = (frame.Length + FramingOverheadBytes) * 8L * 1_000_000_000L / BitsPerSecond;
        src.BusyUntil = start + serialization;
        Frames++;
        var arrive = src.BusyUntil + LatencyNs;

        // Frames leave one end in order and arrive in that order (BusyUntil only grows), so the
        // far end's event takes the oldest frame in flight: one delegate per end, no closure per frame.
        dst.InFlight.Enqueue(frame);
        _machine.At(arrive, dst.Arrive);
        return src.BusyUntil;
    }

    private sealed class Port
    {
        public Port(ICablePort nic)
        {
            Nic = nic;
            Arrive = () => Nic.ReceiveFromWire(InFlight.Dequeue());
        }

        public ICablePort Nic { get; }

        /// <summary>Frames on their way to this end, oldest first.</summary>
        public System.Collections.Generic.Queue<byte[]> InFlight { get; } = new();

        /// <summary>The event of a frame's arrival at this end: hands the oldest frame in flight to the NIC.</summary>
        public Action Arrive { get; }

        public long BusyUntil { get; set; }
    }
}

/// <summary>A NIC's PHY as a cable sees it.</summary>
public interface ICablePort
{
    void Attach(Cable cable);

    /// <summary>A whole frame (with its FCS) arrived from the wire.</summary>
    void ReceiveFromWire(byte[] frame);
}
