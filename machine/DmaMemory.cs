using System;
using System.Collections.Generic;
using KernelNet.Annotations;

namespace KernelNet.Machine;

/// <summary>
/// Host memory as devices see it: bus addresses that the IOMMU maps onto
/// buffers. A driver maps a buffer (<c>dma_map_single</c>) or allocates a
/// coherent one (descriptor rings) and hands the bus address to the device;
/// the device reads and writes through that address only.
/// </summary>
[HardwareInterface(Seam = "the driver's DMA mapping of its rings and buffers: only drivers (kernel/drivers/) map DMA memory")]
public sealed class DmaMemory
{
    /// <summary>
    /// Each mapping gets its own 16 MiB window of bus addresses, so a device
    /// access finds its mapping with one lookup.
    /// </summary>
    private const int WindowShift = 24;

    private readonly Dictionary<ulong, Mapping> _maps = new();
    private ulong _nextWindow = 0x100;

    /// <summary>Maps <paramref name="length"/> bytes of <paramref name="buffer"/> at <paramref name="offset"/>; returns the bus address.</summary>
    public ulong Map(byte[] buffer, int offset, int length)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (offset < 0 || length < 0 || offset + length > buffer.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(length), "mapping outside the buffer");
        }

        if (length > 1 << WindowShift)
        {
            throw new ArgumentOutOfRangeException(nameof(length), "a DMA mapping is at most 16 MiB");
        }

        return MapAs(buffer, offset, length, coherent: false);
    }

    /// <summary>Allocates a zeroed coherent buffer (<c>dma_alloc_coherent</c>): the CPU's view and the bus address.</summary>
    public (byte[] Cpu, ulong Bus) AllocCoherent(int length)
    {
        var buf = new byte[length];
        return (buf, MapAs(buf, 0, length, coherent: true));
    }

    private ulong MapAs(byte[] buffer, int offset, int length, bool coherent)
    {
        var window = _nextWindow++;
        _maps[window] = new Mapping(buffer, offset, length, coherent);
        return window << WindowShift;
    }

    public void Unmap(ulong addr)
    {
        if ((addr & ((1UL << WindowShift) - 1)) != 0 || !_maps.Remove(addr >> WindowShift))
        {
            throw new InvalidOperationException($"DMA unmap of unmapped address {addr:x}");
        }
    }

    /// <summary>Live mappings (a leak check for drivers).</summary>
    public int MappingCount => _maps.Count;

    /// <summary>
    /// DMA copies of data so far: device reads of streaming mappings (the
    /// buffers a driver maps with dma_map_single: frames leaving memory on
    /// transmit). Descriptor traffic in coherent rings is not a data copy and
    /// is not counted.
    /// </summary>
    public long Reads { get; private set; }

    /// <summary>Bytes of data devices read from host memory (streaming mappings).</summary>
    public long BytesRead { get; private set; }

    /// <summary>DMA copies of data into memory so far: device writes into streaming mappings (receive buffers).</summary>
    public long Writes { get; private set; }

    /// <summary>Bytes of data devices wrote into host memory (streaming mappings).</summary>
    public long BytesWritten { get; private set; }

    /// <summary>Device read of host memory.</summary>
    public void Read(ulong addr, Span<byte> destination)
    {
        var m = Resolve(addr, destination.Length, out var coherent);
        m.CopyTo(destination);
        if (!coherent)
        {
            Reads++;
            BytesRead += destination.Length;
        }
    }

    /// <summary>Device write into host memory.</summary>
    public void Write(ulong addr, ReadOnlySpan<byte> source)
    {
        source.CopyTo(Resolve(addr, source.Length, out var coherent));
        if (!coherent)
        {
            Writes++;
            BytesWritten += source.Length;
        }
    }

    private Span<byte> Resolve(ulong addr, int length, out bool coherent)
    {
        var offset = (long)(addr & ((1UL << WindowShift) - 1));
        if (!_maps.TryGetValue(addr >> WindowShift, out var m) || offset + length > m.Length)
        {
            throw new InvalidOperationException($"DMA to unmapped address {addr:x} (+{length}): an IOMMU fault");
        }

        coherent = m.Coherent;
        return m.Buffer.AsSpan(m.Offset + (int)offset, length);
    }

    private readonly record struct Mapping(byte[] Buffer, int Offset, int Length, bool Coherent);
}
