using System;
using System.Buffers.Binary;
using KernelNet.Machine;
using KernelNet.Machine.Nic;
using KernelNet.Tests.Support;
using Xunit;

namespace KernelNet.Tests.Machine;

/// <summary>The virtio-net PCI model on its own: feature negotiation, a split queue driven by hand — no kernel.</summary>
public sealed class VirtioNetPciTests
{
    private static readonly byte[] Mac = { 0x02, 0, 0, 0, 0, 0x20 };
    private const int Common = VirtioNetPci.CommonCfgOffset;

    /// <summary>The vectors the CPUs took (the rig's stand-in for a kernel's interrupt entry).</summary>
    private System.Collections.Generic.List<int> Taken { get; set; } = new();

    private (KernelNet.Machine.Machine M, VirtioNetPci Nic, WireTap Tap) Rig()
    {
        var m = new KernelNet.Machine.Machine(new Simulator(), 2);
        var taken = new System.Collections.Generic.List<int>();
        m.InterruptEntry = (_, vector) => taken.Add(vector);
        Taken = taken;
        var nic = new VirtioNetPci(m, Mac);
        var tap = new WireTap(m);
        _ = new Cable(m, nic, tap);
        return (m, nic, tap);
    }

    private static void Negotiate(VirtioNetPci nic, ulong features)
    {
        nic.iowrite8(1, Common + 20);
        nic.iowrite8(3, Common + 20);
        nic.iowrite32(0, Common + 8);
        nic.iowrite32((uint)features, Common + 12);
        nic.iowrite32(1, Common + 8);
        nic.iowrite32((uint)(features >> 32), Common + 12);
        nic.iowrite8(11, Common + 20);
    }

    [Fact]
    public void features_the_device_does_not_offer_are_refused_at_features_ok()
    {
        var (_, nic, _) = Rig();
        Negotiate(nic, (1UL << 32) | (1UL << 0)); // VERSION_1 and CSUM, which is not offered

        Assert.Equal(0, nic.ioread8(Common + 20) & 8);

        nic.iowrite8(0, Common + 20);
        Negotiate(nic, (1UL << 32) | (1UL << 5));
        Assert.Equal(8, nic.ioread8(Common + 20) & 8);
        Assert.Equal((byte)0x20, nic.ioread8(VirtioNetPci.DeviceCfgOffset + 5));
    }

    [Fact]
    public void a_frame_is_written_behind_the_header_into_a_posted_buffer_and_the_queue_vector_fires()
    {
        var (m, nic, tap) = Rig();
        Negotiate(nic, (1UL << 32) | (1UL << 15)); // VERSION_1, MRG_RXBUF

        // A 4-entry split ring: descriptors at 0, avail at 64, used at 128.
        var (ring, bus) = m.Dma.AllocCoherent(256);
        var buf = new byte[1536];
        var bufBus = m.Dma.Map(buf, 0, buf.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(ring.AsSpan(0), bufBus);
        BinaryPrimitives.WriteUInt32LittleEndian(ring.AsSpan(8), 1536);
        BinaryPrimitives.WriteUInt16LittleEndian(ring.AsSpan(12), 2); // VRING_DESC_F_WRITE
        BinaryPrimitives.WriteUInt16LittleEndian(ring.AsSpan(64 + 4), 0); // avail->ring[0] = 0
        BinaryPrimitives.WriteUInt16LittleEndian(ring.AsSpan(64 + 2), 1); // avail->idx = 1

        nic.iowrite16(0, Common + 22);
        nic.iowrite16(4, Common + 24);
        nic.iowrite16(1, Common + 26);
        nic.iowrite32((uint)bus, Common + 32);
        nic.iowrite32((uint)(bus >> 32), Common + 36);
        nic.iowrite32((uint)(bus + 64), Common + 40);
        nic.iowrite32((uint)((bus + 64) >> 32), Common + 44);
        nic.iowrite32((uint)(bus + 128), Common + 48);
        nic.iowrite32((uint)((bus + 128) >> 32), Common + 52);
        nic.iowrite16(1, Common + 28);
        nic.iowrite8(15, Common + 20);

        var frame = new byte[60];
        Mac.CopyTo(frame, 0);
        frame[12] = 0x08;
        frame[59] = 0x5a;
        tap.Send(frame, 1_000);
        m.Run(1_000_000);

        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(ring.AsSpan(128 + 2)));  // used->idx
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(ring.AsSpan(128 + 4)));  // used->ring[0].id
        Assert.Equal(12u + 60, BinaryPrimitives.ReadUInt32LittleEndian(ring.AsSpan(128 + 8)));
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(buf.AsSpan(10)));  // num_buffers
        Assert.Equal(0x5a, buf[12 + 59]);
        Assert.Equal(1, nic.InterruptsRaised[1]);
        Assert.Equal(new[] { nic.MsixVectors[1] }, Taken);
    }
}
