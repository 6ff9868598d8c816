using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using KernelNet.Annotations;
using static KernelNet.Machine.Nic.Igb82576Registers;

namespace KernelNet.Machine.Nic;

/// <summary>
/// An Intel 82576-like Gigabit NIC: MMIO registers, descriptor rings in host
/// memory reached by DMA, RSS over several queues, one MSI-X vector per queue
/// pair with interrupt throttling, and the hardware statistics. The driver
/// talks to it only through <see cref="rd32"/>/<see cref="wr32"/>, DMA memory
/// and the interrupts it raises (RX-1, TX-6).
/// </summary>
/// <remarks>
/// Modelled: advanced one-buffer receive descriptors, advanced data transmit
/// descriptors, RCTL/TCTL enable, SRRCTL.DROP_EN (a queue without free
/// descriptors drops into RQDPC; without DROP_EN the packet overflows the FIFO
/// into MPC), Toeplitz RSS with the 128-entry RETA, EIMS/EIMC/EIAM masking,
/// EITR throttling, FCS checking and generation. Not modelled: flow control,
/// VLAN filtering, checksum and segmentation offloads, timestamps, VFs.
/// </remarks>
[HardwareInterface]
public sealed class Igb82576 : ICablePort
{
    /// <summary>Queue pairs the device offers (the 82576 has 16; the driver uses one per CPU).</summary>
    public const int MaxQueues = 8;

    private readonly Machine _machine;
    private readonly Dictionary<int, uint> _regs = new();
    private readonly uint[] _crcTable = new uint[256];
    private readonly long[] _lastIrq = new long[MaxQueues + 1];
    private readonly bool[] _irqPending = new bool[MaxQueues + 1];
    private readonly bool[] _txScheduled = new bool[MaxQueues];
    private Cable? _cable;

    public Igb82576(Machine machine, byte[] macAddress, int msixVectors = MaxQueues + 1)
    {
        ArgumentNullException.ThrowIfNull(macAddress);
        _machine = machine;
        MacAddress = (byte[])macAddress.Clone();
        var vectors = new int[msixVectors];
        for (var i = 0; i < vectors.Length; i++)
        {
            vectors[i] = machine.Interrupts.AllocateVector();
        }

        MsixVectors = vectors;
        for (var i = 0; i < _lastIrq.Length; i++)
        {
            _lastIrq[i] = long.MinValue / 2;
        }

        BuildCrcTable();
    }

    /// <summary>The permanent MAC address (read from the NVM by the driver).</summary>
    public byte[] MacAddress { get; }

    /// <summary>The interrupt vector behind each MSI-X table entry.</summary>
    public IReadOnlyList<int> MsixVectors { get; }

    /// <summary>Frames the wire delivered, for tests of the model itself.</summary>
    public long FramesSeen { get; private set; }

    /// <summary>Reads a register (statistics registers clear on read, as on the real part).</summary>
    public uint rd32(int reg)
    {
        var v = _regs.TryGetValue(reg, out var x) ? x : 0;
        if (IsClearOnRead(reg))
        {
            _regs[reg] = 0;
        }

        if (reg == EICR)
        {
            _regs[EICR] = 0;
        }

        return v;
    }

    /// <summary>Writes a register; tail and interrupt-mask writes take effect at once.</summary>
    public void wr32(int reg, uint val)
    {
        switch (reg)
        {
            case EIMS:
                Set(EIMS, Get(EIMS) | val);
                FirePendingUnmasked();
                return;
            case EIMC:
                Set(EIMS, Get(EIMS) & ~val);
                return;
            case EICS:
                Set(EICR, Get(EICR) | val);
                FirePendingUnmasked();
                return;
        }

        Set(reg, val);
        for (var q = 0; q < MaxQueues; q++)
        {
            if (reg == TDT(q))
            {
                ScheduleTransmit(q);
                return;
            }
        }
    }

    void ICablePort.Attach(Cable cable) => _cable = cable;

    void ICablePort.ReceiveFromWire(byte[] frame)
    {
        FramesSeen++;
        if ((Get(RCTL) & RCTL_EN) == 0 || frame.Length < 64)
        {
            return;
        }

        if (Crc32(frame.AsSpan(0, frame.Length - 4)) != BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(frame.Length - 4)))
        {
            Add(CRCERRS, 1);
            return;
        }

        var data = frame.AsSpan(0, frame.Length - 4);
        var hash = RssHash(data);
        var q = RssQueue(hash);
        Receive(q, data, hash);
    }

    private void Receive(int q, ReadOnlySpan<byte> data, uint hash)
    {
        if ((Get(RXDCTL(q)) & RXDCTL_QUEUE_ENABLE) == 0)
        {
            Add(MPC, 1);
            return;
        }

        var count = (int)(Get(RDLEN(q)) / DescSize);
        var head = (int)Get(RDH(q));
        var tail = (int)Get(RDT(q));
        if (count == 0 || head == tail)
        {
            // No descriptor with a buffer: RX-2.
            Add(RNBC, 1);
            if ((Get(SRRCTL(q)) & SRRCTL_DROP_EN) != 0)
            {
                Add(RQDPC(q), 1);
            }
            else
            {
                Add(MPC, 1);
            }

            return;
        }

        var desc = Base(RDBAL(q), RDBAH(q)) + (ulong)(head * DescSize);
        Span<byte> d = stackalloc byte[DescSize];
        _machine.Dma.Read(desc, d);
        var pktAddr = BinaryPrimitives.ReadUInt64LittleEndian(d);
        _machine.Dma.Write(pktAddr, data);

        // Write-back format: RSS hash, status (DD|EOP), length.
        d.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(d[4..], hash);
        BinaryPrimitives.WriteUInt32LittleEndian(d[8..], RXD_STAT_DD | RXD_STAT_EOP);
        BinaryPrimitives.WriteUInt16LittleEndian(d[12..], (ushort)data.Length);
        _machine.Dma.Write(desc, d);
        Set(RDH(q), (uint)((head + 1) % count));

        Add(GPRC, 1);
        AddOctets(GORCL, GORCH, (ulong)data.Length + 4);
        if (data[0] == 0xff && data[1] == 0xff && data[2] == 0xff && data[3] == 0xff && data[4] == 0xff && data[5] == 0xff)
        {
            Add(BPRC, 1);
        }
        else if ((data[0] & 1) != 0)
        {
            Add(MPRC, 1);
        }

        QueueCause(q);
    }

    private void ScheduleTransmit(int q)
    {
        if (_txScheduled[q])
        {
            return;
        }

        _txScheduled[q] = true;
        // The doorbell reaches the device over PCIe about a microsecond later.
        _machine.At(_machine.Now + 1_000, () => Transmit(q));
    }

    private void Transmit(int q)
    {
        _txScheduled[q] = false;
        if ((Get(TCTL) & TCTL_EN) == 0 || (Get(TXDCTL(q)) & TXDCTL_QUEUE_ENABLE) == 0)
        {
            return;
        }

        var count = (int)(Get(TDLEN(q)) / DescSize);
        var head = (int)Get(TDH(q));
        var tail = (int)Get(TDT(q));
        var frame = new List<byte>(1518);
        var sentAny = false;
        var wireFree = _machine.Now;
        Span<byte> d = stackalloc byte[DescSize];
        while (count > 0 && head != tail)
        {
            var desc = Base(TDBAL(q), TDBAH(q)) + (ulong)(head * DescSize);
            _machine.Dma.Read(desc, d);
            var addr = BinaryPrimitives.ReadUInt64LittleEndian(d);
            var cmdTypeLen = BinaryPrimitives.ReadUInt32LittleEndian(d[8..]);
            var len = (int)(cmdTypeLen & 0xFFFF);
            var buf = new byte[len];
            _machine.Dma.Read(addr, buf);
            frame.AddRange(buf);
            if ((cmdTypeLen & ADVTXD_DCMD_RS) != 0)
            {
                d.Clear();
                BinaryPrimitives.WriteUInt32LittleEndian(d[12..], TXD_STAT_DD);
                _machine.Dma.Write(desc, d);
            }

            head = (head + 1) % count;
            if ((cmdTypeLen & ADVTXD_DCMD_EOP) != 0)
            {
                wireFree = SendFrame(frame);
                frame.Clear();
                sentAny = true;
            }
        }

        Set(TDH(q), (uint)head);
        if (sentAny)
        {
            // Completion is reported when the last frame has left the wire.
            _machine.At(wireFree, () => QueueCause(q));
        }
    }

    private long SendFrame(List<byte> payload)
    {
        // Pad to the 60-byte minimum and append the FCS (LAYER-2's trailer).
        while (payload.Count < 60)
        {
            payload.Add(0);
        }

        var frame = new byte[payload.Count + 4];
        payload.CopyTo(frame);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(payload.Count), Crc32(frame.AsSpan(0, payload.Count)));
        Add(GPTC, 1);
        AddOctets(GOTCL, GOTCH, (ulong)frame.Length);
        if (frame[0] == 0xff && frame[1] == 0xff)
        {
            Add(BPTC, 1);
        }
        else if ((frame[0] & 1) != 0)
        {
            Add(MPTC, 1);
        }

        return _cable?.Transmit(this, frame, _machine.Now) ?? _machine.Now;
    }

    /// <summary>Sets the queue's interrupt cause and raises its vector unless masked or throttled.</summary>
    private void QueueCause(int q)
    {
        var ivar = Get(IVAR(q)) & 0xff;
        if ((ivar & IVAR_VALID) == 0)
        {
            return;
        }

        var vec = (int)(ivar & 0x1f);
        Set(EICR, Get(EICR) | (1u << vec));
        MaybeFire(vec);
    }

    private void FirePendingUnmasked()
    {
        var cause = Get(EICR);
        for (var vec = 0; vec < MsixVectors.Count; vec++)
        {
            if ((cause & (1u << vec)) != 0)
            {
                MaybeFire(vec);
            }
        }
    }

    private void MaybeFire(int vec)
    {
        var bit = 1u << vec;
        if ((Get(EIMS) & bit) == 0 || _irqPending[vec])
        {
            return;
        }

        // EITR: no interrupt sooner than the interval after the last one.
        var intervalNs = (long)((Get(EITR(vec)) & 0x7FFC) >> 2) * 1000;
        var at = Math.Max(_machine.Now, _lastIrq[vec] + intervalNs);
        _irqPending[vec] = true;
        _machine.At(at, () => Fire(vec));
    }

    private void Fire(int vec)
    {
        _irqPending[vec] = false;
        var bit = 1u << vec;
        if ((Get(EIMS) & bit) == 0 || (Get(EICR) & bit) == 0)
        {
            return;
        }

        _lastIrq[vec] = _machine.Now;
        // MSI-X auto-clear (EIAC) and auto-mask (EIAM) on delivery.
        Set(EICR, Get(EICR) & ~(Get(EIAC) & bit));
        Set(EIMS, Get(EIMS) & ~(Get(EIAM) & bit));
        _machine.Interrupts.Raise(MsixVectors[vec], _machine.Now);
    }

    private uint RssHash(ReadOnlySpan<byte> frame)
    {
        var mrqc = Get(MRQC);
        if ((mrqc & MRQC_ENABLE_RSS_MQ) == 0 || frame.Length < 34 || BinaryPrimitives.ReadUInt16BigEndian(frame[12..]) != 0x0800)
        {
            return 0;
        }

        var ip = frame[14..];
        var ihl = (ip[0] & 0xf) * 4;
        var proto = ip[9];
        var fragmented = (BinaryPrimitives.ReadUInt16BigEndian(ip[6..]) & 0x3FFF) != 0;
        Span<byte> input = stackalloc byte[12];
        ip.Slice(12, 8).CopyTo(input);
        var n = 8;
        var ports = !fragmented && ip.Length >= ihl + 4 &&
            ((proto == 6 && (mrqc & MRQC_RSS_FIELD_IPV4_TCP) != 0) || (proto == 17 && (mrqc & MRQC_RSS_FIELD_IPV4_UDP) != 0));
        if (ports)
        {
            ip.Slice(ihl, 4).CopyTo(input[8..]);
            n = 12;
        }
        else if ((mrqc & MRQC_RSS_FIELD_IPV4) == 0)
        {
            return 0;
        }

        return Toeplitz(input[..n]);
    }

    /// <summary>The Toeplitz hash with the 40-byte key in RSSRK0..9.</summary>
    private uint Toeplitz(ReadOnlySpan<byte> input)
    {
        Span<byte> key = stackalloc byte[40];
        for (var i = 0; i < 10; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(key[(i * 4)..], Get(RSSRK0 + (i * 4)));
        }

        uint result = 0;
        var window = BinaryPrimitives.ReadUInt32BigEndian(key);
        var keyBit = 32;
        foreach (var b in input)
        {
            for (var bit = 7; bit >= 0; bit--)
            {
                if ((b & (1 << bit)) != 0)
                {
                    result ^= window;
                }

                window <<= 1;
                if ((key[keyBit / 8] & (0x80 >> (keyBit % 8))) != 0)
                {
                    window |= 1;
                }

                keyBit++;
            }
        }

        return result;
    }

    private int RssQueue(uint hash)
    {
        if ((Get(MRQC) & MRQC_ENABLE_RSS_MQ) == 0)
        {
            return 0;
        }

        var entry = (int)(hash & 0x7F);
        var reta = Get(RETA0 + ((entry / 4) * 4));
        return (int)((reta >> ((entry % 4) * 8)) & 0x7);
    }

    private ulong Base(int lo, int hi) => ((ulong)Get(hi) << 32) | Get(lo);

    private uint Get(int reg) => _regs.TryGetValue(reg, out var v) ? v : 0;

    private void Set(int reg, uint v) => _regs[reg] = v;

    private void Add(int reg, uint n) => Set(reg, Get(reg) + n);

    private void AddOctets(int lo, int hi, ulong n)
    {
        var v = ((ulong)Get(hi) << 32 | Get(lo)) + n;
        Set(lo, (uint)v);
        Set(hi, (uint)(v >> 32));
    }

    private static bool IsClearOnRead(int reg) =>
        reg is CRCERRS or MPC or GPRC or BPRC or MPRC or GPTC or GORCL or GORCH or GOTCL or GOTCH or RNBC or MPTC or BPTC
        || (reg >= RQDPC(0) && reg <= RQDPC(MaxQueues - 1) && (reg - RQDPC(0)) % 0x40 == 0);

    private void BuildCrcTable()
    {
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            _crcTable[n] = c;
        }
    }

    /// <summary>The Ethernet FCS (CRC-32, reflected, transmitted least significant byte first).</summary>
    private uint Crc32(ReadOnlySpan<byte> data)
    {
        var c = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            c = _crcTable[(c ^ b) & 0xff] ^ (c >> 8);
        }

        return c ^ 0xFFFFFFFFu;
    }
}
