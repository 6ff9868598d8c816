using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using KernelNet.Annotations;

namespace KernelNet.Machine.Nic;

/// <summary>
/// A virtio 1.x network device behind a modern virtio-pci function (what
/// QEMU's virtio-net-pci is to a guest): the common configuration, ISR,
/// device configuration and notification regions of one memory BAR, split
/// virtqueues the driver allocates in host memory and the device reaches
/// by DMA, an MSI-X table (entry 0 for configuration changes, then one per
/// virtqueue), and a cable to the other end standing in for the host's
/// backend (tap, bridge, wire). The driver sees <see cref="ioread8"/> ..
/// <see cref="iowrite32"/>, the PCI view (<see cref="MsixVectors"/>, the
/// capability offsets), DMA memory and the interrupts it raises; the model
/// never calls kernel code.
/// </summary>
/// <remarks>
/// Queues: 0 receive (input.0), 1 transmit (output.0); one queue pair, no
/// control queue. Features offered: VIRTIO_F_VERSION_1, VIRTIO_NET_F_MAC,
/// VIRTIO_NET_F_MRG_RXBUF and VIRTIO_RING_F_EVENT_IDX. Receive: a frame from
/// the cable has its FCS checked and stripped, then is written behind a
/// 12-byte virtio_net_hdr_v1 into as many available buffers as it needs
/// (num_buffers says how many; without MRG_RXBUF it must fit one chain); the
/// used ring gets one element per buffer, then the used index, then the
/// queue's MSI-X vector fires unless the driver suppressed it (avail flags,
/// or used_event with EVENT_IDX). A frame that finds too few buffers waits
/// in the backend's queue (up to <see cref="BackendQueueFrames"/>, then it
/// is dropped) until the driver kicks the receive queue. Transmit: a write
/// of the queue index to its notify address makes the device take every
/// available chain after <see cref="DoorbellLatencyNs"/>, strip the header,
/// pad to 60 bytes, add the FCS and put the frame on the cable; when the
/// frame has left, its chain goes on the used ring (length 0) and the
/// vector fires unless suppressed.
/// Not modelled: checksum and segmentation offload (their features are not
/// offered), VIRTIO_NET_F_STATUS and link changes (the link is up while a
/// cable is attached), multiqueue, the control queue, packed virtqueues,
/// indirect descriptors, legacy (0.9) devices and INTx.
/// </remarks>
[HardwareInterface]
public sealed class VirtioNetPci : ICablePort
{
    /// <summary>Where the common configuration structure lies in the BAR (VIRTIO_PCI_CAP_COMMON_CFG).</summary>
    public const int CommonCfgOffset = 0x0000;

    /// <summary>Where the ISR status byte lies (VIRTIO_PCI_CAP_ISR_CFG).</summary>
    public const int IsrOffset = 0x1000;

    /// <summary>Where the device-specific configuration (struct virtio_net_config) lies (VIRTIO_PCI_CAP_DEVICE_CFG).</summary>
    public const int DeviceCfgOffset = 0x2000;

    /// <summary>Where the notification area starts (VIRTIO_PCI_CAP_NOTIFY_CFG).</summary>
    public const int NotifyOffset = 0x3000;

    /// <summary>notify_off_multiplier of the notify capability: queue q is notified at NotifyOffset + q * 4.</summary>
    public const int NotifyOffMultiplier = 4;

    /// <summary>The largest queue the device offers (QEMU's default rx/tx queue size).</summary>
    public const int MaxQueueSize = 256;

    /// <summary>Queues: receiveq1 and transmitq1.</summary>
    public const int NumQueues = 2;

    /// <summary>Frames the backend holds while the receive queue has no buffers (a tap's txqueuelen).</summary>
    public const int BackendQueueFrames = 1000;

    /// <summary>A notify write reaches the device and its processing starts this much later (an MMIO exit to the host).</summary>
    public const long DoorbellLatencyNs = 1_000;

    // Feature bits offered (uapi virtio_config.h, virtio_net.h, virtio_ring.h).
    private const int FeatureMac = 5;
    private const int FeatureMrgRxbuf = 15;
    private const int FeatureEventIdx = 29;
    private const int FeatureVersion1 = 32;

    // Device status bits (uapi virtio_config.h).
    private const byte StatusDriverOk = 4;
    private const byte StatusFeaturesOk = 8;

    // Descriptor flags (uapi virtio_ring.h).
    private const ushort DescFNext = 1;
    private const ushort DescFWrite = 2;
    private const ushort AvailFNoInterrupt = 1;

    private const ushort NoVector = 0xffff;
    private const int NetHdrLen = 12;
    private const int MinFrameWithFcs = 64;

    private readonly Machine _machine;
    private readonly byte[] _mac;
    private readonly uint[] _crcTable = new uint[256];
    private readonly Vq[] _vqs = new Vq[NumQueues];
    private readonly Queue<byte[]> _backend = new();
    private readonly byte[] _txScratch = new byte[70 * 1024];
    private Cable? _cable;
    private uint _deviceFeatureSelect;
    private uint _driverFeatureSelect;
    private ulong _driverFeatures;
    private ushort _msixConfig = NoVector;
    private byte _status;
    private ushort _queueSelect;
    private byte _isr;
    private bool _txScheduled;

    /// <param name="machine">The machine whose DMA memory and interrupt controller the device uses.</param>
    /// <param name="macAddress">The address the device configuration offers (VIRTIO_NET_F_MAC).</param>
    public VirtioNetPci(Machine machine, byte[] macAddress)
    {
        ArgumentNullException.ThrowIfNull(machine);
        ArgumentNullException.ThrowIfNull(macAddress);
        if (macAddress.Length != 6)
        {
            throw new ArgumentException("a MAC address has 6 bytes", nameof(macAddress));
        }

        _machine = machine;
        _mac = (byte[])macAddress.Clone();
        var vectors = new int[1 + NumQueues];
        for (var i = 0; i < vectors.Length; i++)
        {
            vectors[i] = machine.Interrupts.AllocateVector();
        }

        MsixVectors = vectors;
        for (var q = 0; q < NumQueues; q++)
        {
            _vqs[q] = new Vq();
        }

        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            _crcTable[n] = c;
        }

        Reset();
    }

    /// <summary>The features the device offers (device_feature, both halves).</summary>
    public static ulong DeviceFeatures =>
        (1UL << FeatureMac) | (1UL << FeatureMrgRxbuf) | (1UL << FeatureEventIdx) | (1UL << FeatureVersion1);

    /// <summary>The interrupt vector behind each MSI-X table entry (what pci_alloc_irq_vectors hands the driver).</summary>
    public IReadOnlyList<int> MsixVectors { get; }

    /// <summary>The features the driver wrote (driver_feature), for tests of the model.</summary>
    internal ulong DriverFeatures => _driverFeatures;

    /// <summary>Frames the wire delivered (for tests of the model).</summary>
    public long FramesSeen { get; private set; }

    /// <summary>Frames the backend dropped because its queue was full (the host's tap drops).</summary>
    public long BackendDrops { get; private set; }

    /// <summary>Frames waiting in the backend for receive buffers.</summary>
    public int BackendFrames => _backend.Count;

    /// <summary>Interrupts raised per MSI-X entry (config, then one per queue), for tests of the model.</summary>
    public long[] InterruptsRaised { get; } = new long[1 + NumQueues];

    /// <summary>Notify writes the device took per queue (the host's count of guest kicks).</summary>
    public long[] Notifies { get; } = new long[NumQueues];

    /// <summary>An 8-bit read of the BAR.</summary>
    public byte ioread8(int offset)
    {
        if (offset == CommonCfgOffset + 20)
        {
            return _status;
        }

        if (offset == CommonCfgOffset + 21)
        {
            return 0; // config_generation: the configuration never changes under the driver
        }

        if (offset == IsrOffset)
        {
            var isr = _isr;
            _isr = 0;
            return isr;
        }

        if (offset >= DeviceCfgOffset && offset < DeviceCfgOffset + 6)
        {
            return _mac[offset - DeviceCfgOffset];
        }

        return 0;
    }

    /// <summary>A 16-bit read of the BAR.</summary>
    public ushort ioread16(int offset)
    {
        var q = SelectedQueue();
        switch (offset - CommonCfgOffset)
        {
            case 16:
                return _msixConfig;
            case 18:
                return NumQueues;
            case 22:
                return _queueSelect;
            case 24:
                return q is null ? (ushort)0 : q.Size;
            case 26:
                return q is null ? NoVector : q.MsixVector;
            case 28:
                return q is null ? (ushort)0 : (ushort)(q.Enabled ? 1 : 0);
            case 30:
                return _queueSelect; // queue_notify_off: queue q notifies at q * multiplier
        }

        return 0;
    }

    /// <summary>A 32-bit read of the BAR.</summary>
    public uint ioread32(int offset)
    {
        return (offset - CommonCfgOffset) switch
        {
            0 => _deviceFeatureSelect,
            4 => _deviceFeatureSelect < 2 ? (uint)(DeviceFeatures >> (32 * (int)_deviceFeatureSelect)) : 0,
            8 => _driverFeatureSelect,
            12 => _driverFeatureSelect < 2 ? (uint)(_driverFeatures >> (32 * (int)_driverFeatureSelect)) : 0,
            _ => 0,
        };
    }

    /// <summary>An 8-bit write: device_status (0 resets the device; FEATURES_OK is refused for features not offered).</summary>
    public void iowrite8(byte val, int offset)
    {
        if (offset != CommonCfgOffset + 20)
        {
            return;
        }

        if (val == 0)
        {
            Reset();
            return;
        }

        if ((val & StatusFeaturesOk) != 0 && (_driverFeatures & ~DeviceFeatures) != 0)
        {
            val &= unchecked((byte)~StatusFeaturesOk);
        }

        var wasOk = (_status & StatusDriverOk) != 0;
        _status = val;
        if (!wasOk && (val & StatusDriverOk) != 0)
        {
            DrainBackend();
        }
    }

    /// <summary>A 16-bit write: queue selection and set-up, MSI-X vectors, and queue notifications.</summary>
    public void iowrite16(ushort val, int offset)
    {
        if (offset >= NotifyOffset && offset < NotifyOffset + (NumQueues * NotifyOffMultiplier))
        {
            Notify(val);
            return;
        }

        var q = SelectedQueue();
        switch (offset - CommonCfgOffset)
        {
            case 16:
                _msixConfig = val < MsixVectors.Count ? val : NoVector;
                return;
            case 22:
                _queueSelect = val;
                return;
            case 24 when q is not null && !q.Enabled:
                q.Size = val is > 0 and <= MaxQueueSize && (val & (val - 1)) == 0 ? val : q.Size;
                return;
            case 26 when q is not null:
                // An entry the table does not have reads back as NO_VECTOR: the driver checks.
                q.MsixVector = val < MsixVectors.Count ? val : NoVector;
                return;
            case 28 when q is not null && val == 1:
                q.Enabled = true;
                q.LastAvailIdx = 0;
                q.UsedIdx = 0;
                return;
        }
    }

    /// <summary>A 32-bit write: feature selection and the driver's features, queue addresses (in 32-bit halves).</summary>
    public void iowrite32(uint val, int offset)
    {
        var q = SelectedQueue();
        var reg = offset - CommonCfgOffset;
        switch (reg)
        {
            case 0:
                _deviceFeatureSelect = val;
                return;
            case 8:
                _driverFeatureSelect = val;
                return;
            case 12 when _driverFeatureSelect < 2:
                var shift = 32 * (int)_driverFeatureSelect;
                _driverFeatures = (_driverFeatures & ~(0xffffffffUL << shift)) | ((ulong)val << shift);
                return;
            case 32 or 36 when q is not null:
                q.Desc = WithHalf(q.Desc, val, reg == 36);
                return;
            case 40 or 44 when q is not null:
                q.Avail = WithHalf(q.Avail, val, reg == 44);
                return;
            case 48 or 52 when q is not null:
                q.Used = WithHalf(q.Used, val, reg == 52);
                return;
        }
    }

    /// <summary>A 64-bit ring address with one of its halves written by a 32-bit register access (queue_desc_lo/hi and the like).</summary>
    private static ulong WithHalf(ulong reg, uint val, bool high) => high
        ? (reg & 0xffffffffUL) | ((ulong)val << 32)
        : (reg & ~0xffffffffUL) | val;

    void ICablePort.Attach(Cable cable) => _cable = cable;

    void ICablePort.ReceiveFromWire(byte[] frame)
    {
        FramesSeen++;
        if (frame.Length < MinFrameWithFcs)
        {
            return;
        }

        var body = frame.AsSpan(0, frame.Length - 4);
        if (BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(frame.Length - 4)) != Crc32(body))
        {
            return;
        }

        var stripped = body.ToArray();
        if (_backend.Count > 0 || !TryReceive(stripped))
        {
            if (_backend.Count >= BackendQueueFrames)
            {
                BackendDrops++;
                return;
            }

            _backend.Enqueue(stripped);
        }
    }

    private Vq? SelectedQueue() => _queueSelect < NumQueues ? _vqs[_queueSelect] : null;

    private bool Negotiated(int bit) => (_driverFeatures & (1UL << bit)) != 0;

    private void Reset()
    {
        _status = 0;
        _driverFeatures = 0;
        _deviceFeatureSelect = 0;
        _driverFeatureSelect = 0;
        _msixConfig = NoVector;
        _queueSelect = 0;
        _isr = 0;
        foreach (var q in _vqs)
        {
            q.Size = MaxQueueSize;
            q.MsixVector = NoVector;
            q.Enabled = false;
            q.Desc = q.Avail = q.Used = 0;
            q.LastAvailIdx = q.UsedIdx = 0;
        }
    }

    private bool Running(Vq q) => (_status & StatusDriverOk) != 0 && q.Enabled;

    private void Notify(int queue)
    {
        if (queue >= NumQueues)
        {
            return;
        }

        Notifies[queue]++;
        if (queue == 0)
        {
            _machine.At(_machine.Now + DoorbellLatencyNs, DrainBackend);
        }
        else if (!_txScheduled)
        {
            _txScheduled = true;
            _machine.At(_machine.Now + DoorbellLatencyNs, Transmit);
        }
    }

    private void DrainBackend()
    {
        while (_backend.Count > 0 && TryReceive(_backend.Peek()))
        {
            _backend.Dequeue();
        }
    }

    /// <summary>Writes one frame into receive buffers; false (nothing consumed) if they are too few.</summary>
    private bool TryReceive(byte[] frame)
    {
        var q = _vqs[0];
        if (!Running(q))
        {
            return false;
        }

        var mergeable = Negotiated(FeatureMrgRxbuf);
        var need = NetHdrLen + frame.Length;

        // Count what the available buffers hold before taking any of them.
        var avail = ReadAvailIdx(q);
        var room = 0;
        var chains = 0;
        for (var idx = q.LastAvailIdx; idx != avail && room < need; idx++)
        {
            room += ChainLength(q, ReadAvailRing(q, idx), writable: true);
            chains++;
            if (!mergeable)
            {
                break;
            }
        }

        if (room < need)
        {
            return false;
        }

        // The header: no checksum or GSO information (none negotiated), num_buffers for mergeable buffers.
        Span<byte> hdr = stackalloc byte[NetHdrLen];
        hdr.Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(hdr[10..], (ushort)(mergeable ? chains : 0));
        var oldUsed = q.UsedIdx;
        var written = 0;
        for (var c = 0; c < chains; c++)
        {
            var head = ReadAvailRing(q, q.LastAvailIdx++);
            var len = WriteChain(q, head, hdr, frame, ref written);
            WriteUsedElem(q, q.UsedIdx++, head, (uint)len);
        }

        // The elements are in memory before the index that publishes them.
        WriteUsedIdx(q);
        WriteAvailEvent(q);
        MaybeInterrupt(q, 0, oldUsed);
        return true;
    }

    /// <summary>Fills one writable chain with the next bytes of header + frame; returns the bytes written.</summary>
    private int WriteChain(Vq q, ushort head, ReadOnlySpan<byte> hdr, byte[] frame, ref int written)
    {
        var total = hdr.Length + frame.Length;
        var len = 0;
        var i = head;
        for (var hops = 0; hops < q.Size; hops++)
        {
            var (addr, dlen, flags, next) = ReadDesc(q, i);
            var off = 0;
            while (off < dlen && written < total)
            {
                if (written < hdr.Length)
                {
                    var n = Math.Min(hdr.Length - written, (int)dlen - off);
                    _machine.Dma.Write(addr + (ulong)off, hdr.Slice(written, n));
                    off += n;
                    written += n;
                }
                else
                {
                    var from = written - hdr.Length;
                    var n = Math.Min(frame.Length - from, (int)dlen - off);
                    _machine.Dma.Write(addr + (ulong)off, frame.AsSpan(from, n));
                    off += n;
                    written += n;
                }
            }

            len += off;
            if ((flags & DescFNext) == 0 || written >= total)
            {
                break;
            }

            i = next;
        }

        return len;
    }

    private int ChainLength(Vq q, ushort head, bool writable)
    {
        var len = 0;
        var i = head;
        for (var hops = 0; hops < q.Size; hops++)
        {
            var (_, dlen, flags, next) = ReadDesc(q, i);
            if (((flags & DescFWrite) != 0) == writable)
            {
                len += (int)dlen;
            }

            if ((flags & DescFNext) == 0)
            {
                break;
            }

            i = next;
        }

        return len;
    }

    private void Transmit()
    {
        _txScheduled = false;
        var q = _vqs[1];
        if (!Running(q))
        {
            return;
        }

        var avail = ReadAvailIdx(q);
        while (q.LastAvailIdx != avail)
        {
            var head = ReadAvailRing(q, q.LastAvailIdx++);
            var len = Gather(q, head);
            long leaves = _machine.Now;
            if (len >= NetHdrLen)
            {
                leaves = SendFrame(len - NetHdrLen);
            }

            _machine.At(leaves, () => CompleteTx(head));
        }

        WriteAvailEvent(q);
    }

    /// <summary>Reads a readable chain into the scratch buffer; returns its length.</summary>
    private int Gather(Vq q, ushort head)
    {
        var len = 0;
        var i = head;
        for (var hops = 0; hops < q.Size; hops++)
        {
            var (addr, dlen, flags, next) = ReadDesc(q, i);
            if ((flags & DescFWrite) == 0)
            {
                var n = Math.Min((int)dlen, _txScratch.Length - len);
                _machine.Dma.Read(addr, _txScratch.AsSpan(len, n));
                len += n;
            }

            if ((flags & DescFNext) == 0)
            {
                break;
            }

            i = next;
        }

        return len;
    }

    /// <summary>Strips the header, pads, appends the FCS and serializes; returns when the frame has left.</summary>
    private long SendFrame(int frameLen)
    {
        var body = Math.Max(frameLen, 60);
        var frame = new byte[body + 4];
        _txScratch.AsSpan(NetHdrLen, frameLen).CopyTo(frame);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(body), Crc32(frame.AsSpan(0, body)));
        return _cable?.Transmit(this, frame, _machine.Now) ?? _machine.Now;
    }

    private void CompleteTx(ushort head)
    {
        var q = _vqs[1];
        if (!Running(q))
        {
            return;
        }

        var oldUsed = q.UsedIdx;
        WriteUsedElem(q, q.UsedIdx++, head, 0);
        WriteUsedIdx(q);
        MaybeInterrupt(q, 1, oldUsed);
    }

    /// <summary>Fires the queue's vector unless the driver suppressed it (VRING_AVAIL_F_NO_INTERRUPT, or used_event with EVENT_IDX).</summary>
    private void MaybeInterrupt(Vq q, int queue, ushort oldUsed)
    {
        bool fire;
        if (Negotiated(FeatureEventIdx))
        {
            // vring_need_event: the driver's used_event lies in [old, new).
            var usedEvent = ReadU16(q.Avail + 4 + (2UL * q.Size));
            fire = (ushort)(q.UsedIdx - usedEvent - 1) < (ushort)(q.UsedIdx - oldUsed);
        }
        else
        {
            fire = (ReadU16(q.Avail) & AvailFNoInterrupt) == 0;
        }

        if (!fire || q.MsixVector == NoVector)
        {
            return;
        }

        _isr |= 1;
        InterruptsRaised[q.MsixVector]++;
        _machine.Interrupts.Raise(MsixVectors[q.MsixVector], _machine.Now);
    }

    private (ulong Addr, uint Len, ushort Flags, ushort Next) ReadDesc(Vq q, ushort i)
    {
        Span<byte> d = stackalloc byte[16];
        _machine.Dma.Read(q.Desc + (16UL * (ulong)(i % q.Size)), d);
        return (BinaryPrimitives.ReadUInt64LittleEndian(d), BinaryPrimitives.ReadUInt32LittleEndian(d[8..]),
            BinaryPrimitives.ReadUInt16LittleEndian(d[12..]), BinaryPrimitives.ReadUInt16LittleEndian(d[14..]));
    }

    private ushort ReadAvailIdx(Vq q) => ReadU16(q.Avail + 2);

    private ushort ReadAvailRing(Vq q, ushort idx) => ReadU16(q.Avail + 4 + (2UL * (ulong)(idx % q.Size)));

    private void WriteUsedElem(Vq q, ushort idx, ushort id, uint len)
    {
        Span<byte> e = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(e, id);
        BinaryPrimitives.WriteUInt32LittleEndian(e[4..], len);
        _machine.Dma.Write(q.Used + 4 + (8UL * (ulong)(idx % q.Size)), e);
    }

    private void WriteUsedIdx(Vq q)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, q.UsedIdx);
        _machine.Dma.Write(q.Used + 2, b);
    }

    /// <summary>avail_event (EVENT_IDX): notify me when the driver makes the next buffer available.</summary>
    private void WriteAvailEvent(Vq q)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, q.LastAvailIdx);
        _machine.Dma.Write(q.Used + 4 + (8UL * q.Size), b);
    }

    private ushort ReadU16(ulong addr)
    {
        Span<byte> b = stackalloc byte[2];
        _machine.Dma.Read(addr, b);
        return BinaryPrimitives.ReadUInt16LittleEndian(b);
    }

    private uint Crc32(ReadOnlySpan<byte> data)
    {
        var c = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            c = _crcTable[(c ^ b) & 0xff] ^ (c >> 8);
        }

        return ~c;
    }

    /// <summary>One virtqueue as the device keeps it: its registers and its own position in the rings.</summary>
    private sealed class Vq
    {
        public ushort Size { get; set; }

        public ushort MsixVector { get; set; }

        public bool Enabled { get; set; }

        public ulong Desc { get; set; }

        public ulong Avail { get; set; }

        public ulong Used { get; set; }

        public ushort LastAvailIdx { get; set; }

        public ushort UsedIdx { get; set; }
    }
}
