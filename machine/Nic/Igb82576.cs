using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using KernelNet.Annotations;
using static KernelNet.Machine.Nic.Igb82576Registers;

namespace KernelNet.Machine.Nic;

/// <summary>
/// An Intel 82576-like Gigabit NIC: MMIO registers, descriptor rings in host
/// memory reached by DMA, RSS over several queues, an MSI-X table with one
/// vector per queue pair plus one for "other" causes, interrupt throttling
/// (EITR), and the hardware statistics. The driver sees only
/// <see cref="rd32"/>/<see cref="wr32"/>, the PCI view (<see cref="MsixVectors"/>,
/// <see cref="NumQueues"/>), DMA memory and the interrupts it raises (RX-1, TX-6);
/// the model never calls kernel code.
/// </summary>
/// <remarks>
/// Receive: a frame from the cable is checked (length, FCS), filtered on the
/// station address (RAL0/RAH0) unless promiscuous, hashed (Toeplitz over the
/// IPv4 addresses, plus ports for TCP/UDP, with the RSSRK key; RETA picks
/// the queue) and DMA-written into the buffer of the descriptor at RDH, if
/// RDH != RDT; the descriptor is written back (length, DD|EOP, RSS hash,
/// packet type) and RDH advances. With no free descriptor the frame waits in
/// the 64 KB receive packet buffer; when that is full it is missed (MPC). A
/// queue with SRRCTL.DROP_EN drops at once instead (RQDPC[q]) so one slow
/// queue cannot stall the others (RX-2). RNBC counts "no buffer" events.
/// Transmit: a TDT write makes the NIC fetch descriptors TDH..TDT, gather
/// buffers until EOP, pad (TCTL.PSP), append the FCS (IFCS), serialize the
/// frame on the cable, write back DD (RS) and advance TDH.
/// Checksums: with RXCSUM.IPOFL/TUOFL (on at reset) the receive side checks
/// an untagged IPv4 frame's header sum (IPCS, IPE) and, for a TCP or UDP
/// packet that is not a fragment and whose lengths agree, the L4 sum
/// (TCPCS/UDPCS, TCPE); a UDP datagram with sum 0 gets no L4 status. On
/// transmit, a data descriptor with POPTS.TXSM has the L4 sum inserted as the
/// last context descriptor describes (MACLEN + IPLEN to the end, written at
/// the TCP or UDP check field, over the pseudo-header sum the driver left there).
/// Not modelled: flow control, VLAN filters and stripping, the multicast
/// table (all multicast is accepted), header split, IPv4 header checksum
/// insertion (IXSM) and segmentation offload, the second context slot (IDX),
/// timestamps, VFs, the PHY (the link is up while a cable is attached).
/// </remarks>
[HardwareInterface(Seam = "dev_queue_xmit and the device's net_device_ops and ethtool_ops: only its driver (kernel/drivers/) reads and writes the NIC")]
public sealed class Igb82576 : ICablePort
{
    /// <summary>Queue pairs the model offers (the 82576 has 16; igb uses at most 8 for RSS).</summary>
    public const int MaxQueues = 8;

    /// <summary>The receive packet buffer (RXPBS reset value on the 82576: 64 KB).</summary>
    internal const int RxPacketBufferBytes = 64 * 1024;

    /// <summary>A TDT write reaches the device and its descriptor fetch starts this much later (PCIe posted write + read).</summary>
    internal const long DoorbellLatencyNs = 1_000;

    private const int MinFrameWithFcs = 64;
    private const int MaxFrameWithFcs = 1522;

    private readonly Machine _machine;
    /// <summary>BAR0: 128 KB of 32-bit registers, indexed by offset / 4.</summary>
    private const int RegisterSpaceBytes = 0x20000;

    private readonly uint[] _regs = new uint[RegisterSpaceBytes / 4];
    private readonly ushort[] _nvm = new ushort[64];

    /// <summary>Slicing-by-8 tables of the reflected CRC-32 (polynomial 0xEDB88320): table k at [k * 256].</summary>
    private readonly uint[] _crcTable = new uint[8 * 256];

    /// <summary>The Toeplitz hash per input byte position and value, from the RSSRK key: entry [i * 256 + v].</summary>
    private readonly uint[] _toeplitzTable = new uint[ToeplitzInputMax * 256];
    private bool _toeplitzStale = true;
    private readonly long[] _lastIrq;
    private readonly bool[] _irqPending;
    private readonly bool[] _txScheduled = new bool[MaxQueues];

    // The events the NIC schedules, one delegate per queue or vector made once
    // (no closure per doorbell, per transmit completion or per interrupt).
    private readonly Action[] _transmitEvents = new Action[MaxQueues];
    private readonly Action[] _txCauseEvents = new Action[MaxQueues];
    private readonly Action[] _fireEvents;
    private readonly Queue<PendingFrame> _rxFifo = new();
    private readonly byte[] _txScratch = new byte[16 * 1024];

    /// <summary>The last context descriptor each transmit queue fetched.</summary>
    private readonly TxContext[] _txContext = new TxContext[MaxQueues];
    private int _rxFifoBytes;
    private Cable? _cable;

    /// <param name="machine">The machine whose DMA memory and interrupt controller the device uses.</param>
    /// <param name="macAddress">The permanent address, burnt into the NVM.</param>
    /// <param name="msixVectors">MSI-X table entries: one "other" plus one per queue pair.</param>
    public Igb82576(Machine machine, byte[] macAddress, int msixVectors = MaxQueues + 1)
    {
        ArgumentNullException.ThrowIfNull(machine);
        ArgumentNullException.ThrowIfNull(macAddress);
        if (macAddress.Length != 6)
        {
            throw new ArgumentException("a MAC address has 6 bytes", nameof(macAddress));
        }

        _machine = machine;
        for (var w = 0; w < 3; w++)
        {
            _nvm[w] = (ushort)(macAddress[2 * w] | (macAddress[(2 * w) + 1] << 8));
        }

        var vectors = new int[msixVectors];
        for (var i = 0; i < vectors.Length; i++)
        {
            vectors[i] = machine.Interrupts.AllocateVector();
        }

        MsixVectors = vectors;
        _lastIrq = new long[msixVectors];
        _irqPending = new bool[msixVectors];
        for (var q = 0; q < MaxQueues; q++)
        {
            var queue = q;
            _transmitEvents[q] = () => Transmit(queue);
            _txCauseEvents[q] = () => QueueCause(queue, tx: true);
        }

        _fireEvents = new Action[msixVectors];
        for (var v = 0; v < msixVectors; v++)
        {
            var vec = v;
            _fireEvents[v] = () => Fire(vec);
        }

        BuildCrcTable();
        Reset();
    }

    /// <summary>The interrupt vector behind each MSI-X table entry (what pci_alloc_irq_vectors hands the driver).</summary>
    public IReadOnlyList<int> MsixVectors { get; }

    /// <summary>Queue pairs the device has (the driver's max RSS queues).</summary>
    public int NumQueues => MaxQueues;

    /// <summary>Frames the wire delivered, accepted or not (for tests of the model).</summary>
    internal long FramesSeen { get; private set; }

    /// <summary>Frames waiting in the receive packet buffer for a descriptor.</summary>
    internal int RxFifoFrames => _rxFifo.Count;

    /// <summary>Reads a register. Statistics clear on read, EICR and ICR too, as on the real part.</summary>
    public uint rd32(int reg)
    {
        reg = Canonical(reg);
        var v = Get(reg);
        switch (reg)
        {
            case STATUS:
                return (_cable is null ? 0 : STATUS_LU | STATUS_FD | STATUS_SPEED_1000) | v;
            case EICR:
            case ICR:
                Set(reg, 0);
                return v;
            case GORCH or GOTCH or TORH or TOTH:
                // The 64-bit octet counters clear when their high half is read.
                Set(reg - 4, 0);
                Set(reg, 0);
                return v;
            case GORCL or GOTCL or TORL or TOTL:
                return v;
        }

        if (IsClearOnRead(reg))
        {
            Set(reg, 0);
        }

        return v;
    }

    /// <summary>Writes a register; resets, tails, NVM reads and interrupt masks act at once.</summary>
    public void wr32(int reg, uint val)
    {
        reg = Canonical(reg);
        switch (reg)
        {
            case CTRL when (val & CTRL_RST) != 0:
                Reset();
                return;
            case EERD:
                // A one-word NVM read completes immediately.
                if ((val & NVM_RW_REG_START) != 0)
                {
                    var word = (int)(val >> NVM_RW_ADDR_SHIFT) & 0xFF;
                    var data = word < _nvm.Length ? _nvm[word] : (ushort)0xFFFF;
                    Set(EERD, ((uint)data << NVM_RW_REG_DATA) | NVM_RW_REG_DONE);
                }

                return;
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
            case ICS:
                Set(ICR, Get(ICR) | val);
                OtherCause();
                return;
            case IMS:
                Set(IMS, Get(IMS) | val);
                return;
            case IMC:
                Set(IMS, Get(IMS) & ~val);
                return;
        }

        Set(reg, val);
        if (reg >= RDT(0) && reg <= RDT(MaxQueues - 1) && (reg - RDT(0)) % 0x40 == 0)
        {
            // New buffers: frames waiting in the packet buffer may go now.
            DrainRxFifo();
        }
        else if (reg >= TDT(0) && reg <= TDT(MaxQueues - 1) && (reg - TDT(0)) % 0x40 == 0)
        {
            ScheduleTransmit((reg - TDT(0)) / 0x40);
        }
    }

    void ICablePort.Attach(Cable cable) => _cable = cable;

    void ICablePort.ReceiveFromWire(byte[] frame)
    {
        FramesSeen++;
        if ((Get(RCTL) & RCTL_EN) == 0)
        {
            return;
        }

        if (frame.Length < MinFrameWithFcs)
        {
            Add(RUC, 1);
            return;
        }

        if (frame.Length > MaxFrameWithFcs && (Get(RCTL) & RCTL_LPE) == 0)
        {
            Add(ROC, 1);
            return;
        }

        var body = frame.AsSpan(0, frame.Length - 4);
        if (Crc32(body) != BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(frame.Length - 4)))
        {
            Add(CRCERRS, 1);
            return;
        }

        Add(TPR, 1);
        AddOctets(TORL, TORH, (ulong)frame.Length);
        if (!AddressFilter(body))
        {
            return;
        }

        var (hash, pktInfo) = RssHash(body);
        var q = RssQueue(hash);
        var pending = new PendingFrame(q, frame, hash, pktInfo, RxChecksum(body));
        var dropEn = (Get(SRRCTL(q)) & SRRCTL_DROP_EN) != 0;
        if ((_rxFifo.Count == 0 || dropEn) && TryPlace(pending))
        {
            return;
        }

        // No descriptor with a buffer for this frame now (RX-2).
        Add(RNBC, 1);
        Enqueue(pending);
    }

    /// <summary>A frame that found no descriptor: dropped (DROP_EN) or held in the packet buffer; missed if that is full.</summary>
    private void Enqueue(PendingFrame f)
    {
        if ((Get(SRRCTL(f.Queue)) & SRRCTL_DROP_EN) != 0)
        {
            Add(RQDPC(f.Queue), 1);
            return;
        }

        if (_rxFifoBytes + f.Frame.Length > RxPacketBufferBytes)
        {
            Add(MPC, 1);
            return;
        }

        _rxFifo.Enqueue(f);
        _rxFifoBytes += f.Frame.Length;
    }

    /// <summary>Moves frames out of the packet buffer, in order, while their queues have descriptors.</summary>
    private void DrainRxFifo()
    {
        while (_rxFifo.TryPeek(out var f))
        {
            if (!TryPlace(f))
            {
                if ((Get(SRRCTL(f.Queue)) & SRRCTL_DROP_EN) == 0)
                {
                    return;
                }

                Add(RQDPC(f.Queue), 1);
            }

            _rxFifo.Dequeue();
            _rxFifoBytes -= f.Frame.Length;
        }
    }

    /// <summary>
    /// DMA-writes the frame into the queue's descriptors from RDH (several if
    /// it is larger than one buffer), writes each back, advances RDH. False,
    /// with nothing written, if the queue lacks descriptors.
    /// </summary>
    private bool TryPlace(PendingFrame f)
    {
        var q = f.Queue;
        if ((Get(RXDCTL(q)) & RXDCTL_QUEUE_ENABLE) == 0)
        {
            return false;
        }

        var count = (int)(Get(RDLEN(q)) / DescSize);
        var head = (int)Get(RDH(q));
        var tail = (int)Get(RDT(q));
        var strip = (Get(RCTL) & RCTL_SECRC) != 0;
        var data = f.Frame.AsSpan(0, f.Frame.Length - (strip ? 4 : 0));
        var bufSize = (int)(Get(SRRCTL(q)) & SRRCTL_BSIZEPKT_MASK) << SRRCTL_BSIZEPKT_SHIFT;
        if (bufSize == 0)
        {
            bufSize = 2048;
        }

        var needed = (data.Length + bufSize - 1) / bufSize;
        var free = count == 0 ? 0 : (tail - head + count) % count;
        if (free < needed)
        {
            return false;
        }

        var ring = Base(RDBAL(q), RDBAH(q));
        Span<byte> d = stackalloc byte[DescSize];
        for (var i = 0; i < needed; i++)
        {
            var desc = ring + (ulong)(head * DescSize);
            var chunk = data.Slice(i * bufSize, Math.Min(bufSize, data.Length - (i * bufSize)));

            // Read format: pkt_addr, hdr_addr. The NIC writes the frame there
            // by DMA: no CPU touches it (RX-1).
            _machine.Dma.Read(desc, d);
            _machine.Dma.Write(BinaryPrimitives.ReadUInt64LittleEndian(d), chunk);

            // Write-back format: pkt_info, hdr_info, rss, status_error, length, vlan.
            d.Clear();
            BinaryPrimitives.WriteUInt16LittleEndian(d, f.PktInfo);
            BinaryPrimitives.WriteUInt32LittleEndian(d[4..], f.Hash);
            BinaryPrimitives.WriteUInt32LittleEndian(d[8..], RXD_STAT_DD | (i == needed - 1 ? RXD_STAT_EOP | f.CsumStatus : 0));
            BinaryPrimitives.WriteUInt16LittleEndian(d[12..], (ushort)chunk.Length);
            _machine.Dma.Write(desc, d);
            head = (head + 1) % count;
        }

        Set(RDH(q), (uint)head);
        CountReceived(f.Frame);
        QueueCause(q, tx: false);
        return true;
    }

    private void CountReceived(byte[] frame)
    {
        Add(GPRC, 1);
        AddOctets(GORCL, GORCH, (ulong)frame.Length);
        if (IsBroadcast(frame))
        {
            Add(BPRC, 1);
        }
        else if ((frame[0] & 1) != 0)
        {
            Add(MPRC, 1);
        }
    }

    /// <summary>Unicast to the station address (RAL0/RAH0 with AV), broadcast with BAM, any multicast, or all with UPE.</summary>
    private bool AddressFilter(ReadOnlySpan<byte> frame)
    {
        var rctl = Get(RCTL);
        if ((rctl & RCTL_UPE) != 0 || ((frame[0] & 1) != 0 && !IsBroadcast(frame)))
        {
            return true;
        }

        if (IsBroadcast(frame))
        {
            return (rctl & RCTL_BAM) != 0;
        }

        var rah = Get(RAH(0));
        if ((rah & RAH_AV) == 0)
        {
            return false;
        }

        return BinaryPrimitives.ReadUInt32LittleEndian(frame) == Get(RAL(0))
            && BinaryPrimitives.ReadUInt16LittleEndian(frame[4..]) == (ushort)rah;
    }

    private void ScheduleTransmit(int q)
    {
        if (_txScheduled[q])
        {
            return;
        }

        _txScheduled[q] = true;
        _machine.At(_machine.Now + DoorbellLatencyNs, _transmitEvents[q]);
    }

    /// <summary>Fetches descriptors TDH..TDT, sends each complete frame, writes back DD where RS asks.</summary>
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
        var ring = Base(TDBAL(q), TDBAH(q));
        var frameLen = 0;
        var txsm = false;
        var lastLeaves = -1L;
        Span<byte> d = stackalloc byte[DescSize];
        while (count > 0 && head != tail)
        {
            var desc = ring + (ulong)(head * DescSize);
            _machine.Dma.Read(desc, d);
            var addr = BinaryPrimitives.ReadUInt64LittleEndian(d);
            var cmdTypeLen = BinaryPrimitives.ReadUInt32LittleEndian(d[8..]);
            var len = (int)(cmdTypeLen & ADVTXD_LEN_MASK);
            if ((cmdTypeLen & ADVTXD_DTYP_MASK) == ADVTXD_DTYP_CTXT)
            {
                // A context descriptor: remembered for the packets that follow (one slot per queue here).
                var macipLens = BinaryPrimitives.ReadUInt32LittleEndian(d);
                _txContext[q] = new TxContext(
                    (int)((macipLens >> ADVTXD_MACLEN_SHIFT) & 0x7F),
                    (int)(macipLens & ADVTXD_IPLEN_MASK),
                    cmdTypeLen & ADVTXD_TUCMD_L4T_MASK);
            }
            else if ((cmdTypeLen & ADVTXD_DTYP_MASK) == ADVTXD_DTYP_DATA && frameLen + len <= _txScratch.Length - 4)
            {
                // the first descriptor of a packet says which offloads it wants
                if (frameLen == 0)
                {
                    txsm = (BinaryPrimitives.ReadUInt32LittleEndian(d[12..]) & ADVTXD_POPTS_TXSM) != 0;
                }

                _machine.Dma.Read(addr, _txScratch.AsSpan(frameLen, len));
                frameLen += len;
            }

            if ((cmdTypeLen & ADVTXD_DCMD_RS) != 0)
            {
                // Write-back format: rsvd, nxtseq_seed, status.
                d.Clear();
                BinaryPrimitives.WriteUInt32LittleEndian(d[12..], TXD_STAT_DD);
                _machine.Dma.Write(desc, d);
            }

            head = (head + 1) % count;
            if ((cmdTypeLen & ADVTXD_DCMD_EOP) != 0)
            {
                if (txsm)
                {
                    InsertL4Checksum(_txScratch.AsSpan(0, frameLen), _txContext[q]);
                }

                lastLeaves = SendFrame(frameLen, (cmdTypeLen & ADVTXD_DCMD_IFCS) != 0);
                frameLen = 0;
                txsm = false;
            }
        }

        Set(TDH(q), (uint)head);
        if (lastLeaves >= 0)
        {
            // The queue's cause is set once the last frame has left the wire.
            _machine.At(lastLeaves, _txCauseEvents[q]);
        }
    }

    /// <summary>
    /// TXSM: the ones'-complement sum from MACLEN + IPLEN to the end of the
    /// packet (the check field holds the driver's pseudo-header sum), folded,
    /// complemented and written at the TCP or UDP check field (a UDP sum of 0
    /// goes out as 0xFFFF). A context that does not fit the packet inserts nothing.
    /// </summary>
    private static void InsertL4Checksum(Span<byte> frame, TxContext ctx)
    {
        var start = ctx.MacLen + ctx.IpLen;
        var tcp = ctx.L4Type == ADVTXD_TUCMD_L4T_TCP;
        var at = start + (tcp ? 16 : 6);
        if (ctx.IpLen == 0 || at + 2 > frame.Length)
        {
            return;
        }

        var sum = (ushort)~Fold(OnesSum(frame[start..], 0));
        if (!tcp && sum == 0)
        {
            sum = 0xFFFF;
        }

        BinaryPrimitives.WriteUInt16BigEndian(frame[at..], sum);
    }

    /// <summary>
    /// What RXCSUM asks the NIC to check in a received frame: the IPv4 header
    /// sum (IPCS, IPE on a bad one) and the TCP or UDP sum over the pseudo
    /// header and the IP payload (TCPCS or UDPCS, TCPE on a bad one). Frames
    /// that are not plain IPv4, fragments, and packets whose lengths do not
    /// agree with the frame get no L4 status: the stack checks them.
    /// </summary>
    private uint RxChecksum(ReadOnlySpan<byte> frame)
    {
        var rxcsum = Get(RXCSUM);
        if (frame.Length < 34 || BinaryPrimitives.ReadUInt16BigEndian(frame[12..]) != 0x0800)
        {
            return 0;
        }

        var ip = frame[14..];
        var ihl = (ip[0] & 0xf) * 4;
        if ((ip[0] >> 4) != 4 || ihl < 20 || ip.Length < ihl)
        {
            return 0;
        }

        uint status = 0;
        if ((rxcsum & RXCSUM_IPOFL) != 0)
        {
            status |= RXD_STAT_IPCS;
            if (Fold(OnesSum(ip[..ihl], 0)) != 0xFFFF)
            {
                status |= RXDEXT_STATERR_IPE;
            }
        }

        var totLen = BinaryPrimitives.ReadUInt16BigEndian(ip[2..]);
        var fragmented = (BinaryPrimitives.ReadUInt16BigEndian(ip[6..]) & 0x3FFF) != 0;
        var proto = ip[9];
        if ((rxcsum & RXCSUM_TUOFL) == 0 || fragmented || totLen < ihl || totLen > ip.Length || (proto != 6 && proto != 17))
        {
            return status;
        }

        var l4 = ip[ihl..totLen];
        if ((proto == 6 && l4.Length < 20) ||
            (proto == 17 && (l4.Length < 8 || BinaryPrimitives.ReadUInt16BigEndian(l4[4..]) != l4.Length || BinaryPrimitives.ReadUInt16BigEndian(l4[6..]) == 0)))
        {
            return status;
        }

        // the pseudo header: addresses, protocol, L4 length
        var sum = OnesSum(ip.Slice(12, 8), 0) + proto + (uint)l4.Length;
        status |= proto == 6 ? RXD_STAT_TCPCS : RXD_STAT_UDPCS;
        if (Fold(OnesSum(l4, sum)) != 0xFFFF)
        {
            status |= RXDEXT_STATERR_TCPE;
        }

        return status;
    }

    /// <summary>The 32-bit ones'-complement accumulation of big-endian 16-bit words (an odd last byte padded with zero).</summary>
    private static uint OnesSum(ReadOnlySpan<byte> data, uint sum)
    {
        ulong acc = sum;
        var i = 0;
        for (; i + 1 < data.Length; i += 2)
        {
            acc += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }

        if (i < data.Length)
        {
            acc += (uint)data[i] << 8;
        }

        while ((acc >> 32) != 0)
        {
            acc = (acc & 0xFFFFFFFF) + (acc >> 32);
        }

        return (uint)acc;
    }

    /// <summary>Folds a 32-bit ones'-complement sum to 16 bits (not complemented).</summary>
    private static ushort Fold(uint sum)
    {
        sum = (sum & 0xFFFF) + (sum >> 16);
        sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)sum;
    }

    /// <summary>Pads (TCTL.PSP), appends the FCS (IFCS, LAYER-2's trailer) and serializes; returns when the frame has left.</summary>
    private long SendFrame(int len, bool ifcs)
    {
        if ((Get(TCTL) & TCTL_PSP) != 0 && len < 60)
        {
            _txScratch.AsSpan(len, 60 - len).Clear();
            len = 60;
        }

        var frame = new byte[len + (ifcs ? 4 : 0)];
        _txScratch.AsSpan(0, len).CopyTo(frame);
        if (ifcs)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(len), Crc32(frame.AsSpan(0, len)));
        }

        Add(GPTC, 1);
        Add(TPT, 1);
        AddOctets(GOTCL, GOTCH, (ulong)frame.Length);
        AddOctets(TOTL, TOTH, (ulong)frame.Length);
        if (IsBroadcast(frame))
        {
            Add(BPTC, 1);
        }
        else if ((frame[0] & 1) != 0)
        {
            Add(MPTC, 1);
        }

        return _cable?.Transmit(this, frame, _machine.Now) ?? _machine.Now;
    }

    /// <summary>
    /// Sets the EICR bit of the vector IVAR maps this queue's RX or TX cause
    /// to (82576: row q &amp; 7; bytes 0/1 RX/TX of queues 0-7, 2/3 of 8-15) and
    /// raises it unless masked or throttled.
    /// </summary>
    private void QueueCause(int q, bool tx)
    {
        var shift = ((q & 0x8) << 1) + (tx ? 8 : 0);
        var entry = (Get(IVAR(q & 0x7)) >> shift) & 0xFF;
        if ((entry & IVAR_VALID) == 0)
        {
            return;
        }

        var vec = (int)(entry & 0x1F);
        Set(EICR, Get(EICR) | (1u << vec));
        MaybeFire(vec);
    }

    /// <summary>An ICR cause (link status change): the "other" vector of IVAR_MISC, if enabled in IMS.</summary>
    private void OtherCause()
    {
        var entry = (Get(IVAR_MISC) >> 8) & 0xFF;
        if ((entry & IVAR_VALID) == 0 || (Get(ICR) & Get(IMS)) == 0)
        {
            return;
        }

        var vec = (int)(entry & 0x1F);
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

    /// <summary>EITR throttling: no message on a vector sooner than its interval after the previous one.</summary>
    private void MaybeFire(int vec)
    {
        var bit = 1u << vec;
        if (vec >= MsixVectors.Count || (Get(EIMS) & bit) == 0 || _irqPending[vec])
        {
            return;
        }

        // EITR bits 14:2 hold the interval in microseconds (IGB_START_ITR 648 -> 162 us, ~6000/s).
        var intervalNs = (long)((Get(EITR(vec)) & EITR_INTERVAL_MASK) >> 2) * 1000;
        var at = Math.Max(_machine.Now, _lastIrq[vec] + intervalNs);
        _irqPending[vec] = true;
        _machine.At(at, _fireEvents[vec]);
    }

    /// <summary>Sends the MSI-X message; with GPIE.EIAME the vector auto-masks (EIAM) and its cause auto-clears (EIAC).</summary>
    private void Fire(int vec)
    {
        _irqPending[vec] = false;
        var bit = 1u << vec;
        if ((Get(EIMS) & bit) == 0 || (Get(EICR) & bit) == 0)
        {
            return;
        }

        _lastIrq[vec] = _machine.Now;
        Set(EICR, Get(EICR) & ~(Get(EIAC) & bit));
        Set(EIMS, Get(EIMS) & ~(Get(EIAM) & bit));
        _machine.Interrupts.Raise(MsixVectors[vec], _machine.Now);
    }

    /// <summary>The Toeplitz hash the MRQC fields select, and the write-back's pkt_info (RSS type | packet type).</summary>
    private (uint Hash, ushort PktInfo) RssHash(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < 34 || BinaryPrimitives.ReadUInt16BigEndian(frame[12..]) != 0x0800)
        {
            return (0, 0);
        }

        var ip = frame[14..];
        var ihl = (ip[0] & 0xf) * 4;
        var proto = ip[9];
        var fragmented = (BinaryPrimitives.ReadUInt16BigEndian(ip[6..]) & 0x3FFF) != 0;
        var pktType = (ushort)(RXDADV_PKTTYPE_IPV4 | (proto == 6 ? RXDADV_PKTTYPE_TCP : proto == 17 ? RXDADV_PKTTYPE_UDP : 0));
        var mrqc = Get(MRQC);
        if ((mrqc & MRQC_ENABLE_RSS_MQ) == 0)
        {
            return (0, pktType);
        }

        Span<byte> input = stackalloc byte[12];
        ip.Slice(12, 8).CopyTo(input);
        var l4 = !fragmented && ip.Length >= ihl + 4 &&
            ((proto == 6 && (mrqc & MRQC_RSS_FIELD_IPV4_TCP) != 0) || (proto == 17 && (mrqc & MRQC_RSS_FIELD_IPV4_UDP) != 0));
        if (l4)
        {
            ip.Slice(ihl, 4).CopyTo(input[8..]);
            var type = proto == 6 ? RXDADV_RSSTYPE_IPV4_TCP : RXDADV_RSSTYPE_IPV4_UDP;
            return (Toeplitz(input), (ushort)(pktType | type));
        }

        if ((mrqc & MRQC_RSS_FIELD_IPV4) == 0)
        {
            return (0, pktType);
        }

        return (Toeplitz(input[..8]), (ushort)(pktType | RXDADV_RSSTYPE_IPV4));
    }

    /// <summary>The longest hash input the device forms: IPv4 source, destination and two ports.</summary>
    private const int ToeplitzInputMax = 12;

    /// <summary>
    /// The Toeplitz hash of <paramref name="input"/> with the 40-byte key in RSSRK0..9 (byte 0 in the
    /// low byte of RSSRK0): one table lookup per input byte (the XOR of the key windows its set bits select).
    /// </summary>
    internal uint Toeplitz(ReadOnlySpan<byte> input)
    {
        if (input.Length > ToeplitzInputMax)
        {
            return ToeplitzBitwise(input);
        }

        if (_toeplitzStale)
        {
            BuildToeplitzTable();
        }

        uint result = 0;
        for (var i = 0; i < input.Length; i++)
        {
            result ^= _toeplitzTable[(i * 256) + input[i]];
        }

        return result;
    }

    /// <summary>The table <see cref="Toeplitz"/> reads, rebuilt after the key registers change.</summary>
    private void BuildToeplitzTable()
    {
        Span<byte> one = stackalloc byte[ToeplitzInputMax];
        for (var i = 0; i < ToeplitzInputMax; i++)
        {
            for (var bit = 0; bit < 8; bit++)
            {
                one.Clear();
                one[i] = (byte)(0x80 >> bit);
                var window = ToeplitzBitwise(one[..(i + 1)]);
                for (var v = 0; v < 256; v++)
                {
                    if ((v & (0x80 >> bit)) != 0)
                    {
                        _toeplitzTable[(i * 256) + v] ^= window;
                    }
                }
            }
        }

        _toeplitzStale = false;
    }

    /// <summary>The Toeplitz hash bit by bit, as the hardware's definition states it (and the table is built from).</summary>
    internal uint ToeplitzBitwise(ReadOnlySpan<byte> input)
    {
        Span<byte> key = stackalloc byte[40];
        for (var i = 0; i < 10; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(key[(i * 4)..], Get(RSSRK(i)));
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

    /// <summary>RETA: 128 one-byte entries, indexed by the hash's low 7 bits.</summary>
    private int RssQueue(uint hash)
    {
        if ((Get(MRQC) & MRQC_ENABLE_RSS_MQ) == 0)
        {
            return 0;
        }

        var entry = (int)(hash & 0x7F);
        var reta = Get(RETA(entry / 4));
        return (int)((reta >> ((entry % 4) * 8)) & (MaxQueues - 1));
    }

    /// <summary>Power-on / CTRL.RST: registers to their defaults, the station address loaded from the NVM, buffers emptied.</summary>
    private void Reset()
    {
        Array.Clear(_regs);
        Array.Clear(_toeplitzTable);
        _toeplitzStale = true;
        _rxFifo.Clear();
        _rxFifoBytes = 0;
        Array.Fill(_irqPending, false);
        Array.Fill(_lastIrq, long.MinValue / 2);
        Set(RXPBS, RxPacketBufferBytes / 1024);
        Set(RXCSUM, RXCSUM_IPOFL | RXCSUM_TUOFL);
        Array.Clear(_txContext);
        Set(RAL(0), _nvm[0] | ((uint)_nvm[1] << 16));
        Set(RAH(0), _nvm[2] | RAH_AV);
    }

    private static bool IsBroadcast(ReadOnlySpan<byte> frame) =>
        frame[0] == 0xff && frame[1] == 0xff && frame[2] == 0xff && frame[3] == 0xff && frame[4] == 0xff && frame[5] == 0xff;

    private ulong Base(int lo, int hi) => ((ulong)Get(hi) << 32) | Get(lo);

    // An offset outside BAR0 reads 0 and ignores writes, as the bus does for an unclaimed address.
    private uint Get(int reg) => (uint)reg < RegisterSpaceBytes ? _regs[reg >> 2] : 0;

    private void Set(int reg, uint v)
    {
        if ((uint)reg >= RegisterSpaceBytes)
        {
            return;
        }

        _regs[reg >> 2] = v;
        if (reg >= RSSRK0 && reg < RSSRK(10))
        {
            Array.Clear(_toeplitzTable);
            _toeplitzStale = true;
        }
    }

    private void Add(int reg, uint n) => Set(reg, Get(reg) + n);

    private void AddOctets(int lo, int hi, ulong n)
    {
        var v = (((ulong)Get(hi) << 32) | Get(lo)) + n;
        Set(lo, (uint)v);
        Set(hi, (uint)(v >> 32));
    }

    private static bool IsClearOnRead(int reg) =>
        reg is CRCERRS or MPC or GPRC or BPRC or MPRC or GPTC or RNBC or RUC or ROC or TPR or TPT or MPTC or BPTC
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

        for (var n = 0; n < 256; n++)
        {
            for (var k = 1; k < 8; k++)
            {
                var prev = _crcTable[((k - 1) * 256) + n];
                _crcTable[(k * 256) + n] = (prev >> 8) ^ _crcTable[prev & 0xff];
            }
        }
    }

    /// <summary>The Ethernet FCS: CRC-32 (reflected), sent least significant byte first.</summary>
    internal uint Crc32(ReadOnlySpan<byte> data)
    {
        var c = 0xFFFFFFFFu;
        var t = _crcTable;
        while (data.Length >= 8)
        {
            var one = BinaryPrimitives.ReadUInt32LittleEndian(data) ^ c;
            var two = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            c = t[(7 * 256) + (one & 0xff)] ^ t[(6 * 256) + ((one >> 8) & 0xff)] ^ t[(5 * 256) + ((one >> 16) & 0xff)] ^ t[(4 * 256) + (one >> 24)]
                ^ t[(3 * 256) + (two & 0xff)] ^ t[(2 * 256) + ((two >> 8) & 0xff)] ^ t[256 + ((two >> 16) & 0xff)] ^ t[two >> 24];
            data = data[8..];
        }

        foreach (var b in data)
        {
            c = t[(c ^ b) & 0xff] ^ (c >> 8);
        }

        return c ^ 0xFFFFFFFFu;
    }

    /// <summary>What a context descriptor told the NIC: header lengths and the L4 type.</summary>
    private readonly record struct TxContext(int MacLen, int IpLen, uint L4Type);

    private readonly record struct PendingFrame(int Queue, byte[] Frame, uint Hash, ushort PktInfo, uint CsumStatus);
}
