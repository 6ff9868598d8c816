using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace KernelNet.Scenarios.Oracle;

/// <summary>One interface of a capture file: its name (<c>host:ifname</c>), link type and timestamp resolution.</summary>
public sealed record CaptureInterface(string Name, string? Description, int LinkType, long TicksPerSecond);

/// <summary>A frame read back with the interface (index into <see cref="CaptureFile.Interfaces"/>) it was captured on.</summary>
public sealed record CaptureRecord(int Interface, CapturedFrame Frame);

/// <summary>A capture file read back: its interfaces and every frame in file order.</summary>
public sealed record CaptureFile(IReadOnlyList<CaptureInterface> Interfaces, IReadOnlyList<CaptureRecord> Records);

/// <summary>
/// Capture files. Written as pcapng (a Section Header Block, one Interface Description Block per
/// captured host end named <c>host:ifname</c>, LINKTYPE_ETHERNET, microsecond resolution, and one
/// Enhanced Packet Block per frame stamped with its capture time: the virtual clock in the
/// simulation, the kernel's capture time on real Linux). Read as pcapng or as the classic pcap
/// that older recordings hold.
/// </summary>
public static class Pcap
{
    private const uint ClassicMagic = 0xa1b2c3d4;
    private const uint BlockSectionHeader = 0x0A0D0D0A;
    private const uint BlockInterfaceDescription = 0x00000001;
    private const uint BlockEnhancedPacket = 0x00000006;
    private const uint ByteOrderMagic = 0x1A2B3C4D;
    private const ushort OptEnd = 0;
    private const ushort OptShbUserAppl = 4;
    private const ushort OptIfName = 2;
    private const ushort OptIfDescription = 3;
    private const ushort OptIfTsresol = 9;
    public const int LinkTypeEthernet = 1;
    private const int SnapLen = 262144;

    /// <summary>Writes one interface's frames (a link's capture on one host end) as pcapng.</summary>
    public static void Write(string path, IEnumerable<CapturedFrame> frames, string interfaceName = "capture", string? description = null)
    {
        ArgumentNullException.ThrowIfNull(frames);
        var records = new List<CaptureRecord>();
        foreach (var f in frames)
        {
            records.Add(new CaptureRecord(0, f));
        }

        Write(path, [new CaptureInterface(interfaceName, description, LinkTypeEthernet, 1_000_000)], records);
    }

    /// <summary>Writes several interfaces' frames (each record names its interface) as one pcapng section.</summary>
    public static void Write(string path, IReadOnlyList<CaptureInterface> interfaces, IEnumerable<CaptureRecord> records)
    {
        ArgumentNullException.ThrowIfNull(interfaces);
        ArgumentNullException.ThrowIfNull(records);
        using var f = File.Create(path);
        WriteBlock(f, BlockSectionHeader, body =>
        {
            Put32(body, ByteOrderMagic);
            Put16(body, 1);
            Put16(body, 0);
            Put64(body, -1);
            PutOption(body, OptShbUserAppl, Encoding.UTF8.GetBytes("kernelnet"));
            PutOption(body, OptEnd, []);
        });
        foreach (var i in interfaces)
        {
            WriteBlock(f, BlockInterfaceDescription, body =>
            {
                Put16(body, (ushort)i.LinkType);
                Put16(body, 0);
                Put32(body, SnapLen);
                PutOption(body, OptIfName, Encoding.UTF8.GetBytes(i.Name));
                if (i.Description is { } d)
                {
                    PutOption(body, OptIfDescription, Encoding.UTF8.GetBytes(d));
                }

                PutOption(body, OptIfTsresol, [6]);
                PutOption(body, OptEnd, []);
            });
        }

        foreach (var r in records)
        {
            WriteBlock(f, BlockEnhancedPacket, body =>
            {
                var ts = (ulong)Math.Max(0, r.Frame.TimestampMicros);
                Put32(body, (uint)r.Interface);
                Put32(body, (uint)(ts >> 32));
                Put32(body, (uint)ts);
                Put32(body, (uint)r.Frame.Bytes.Length);
                Put32(body, (uint)r.Frame.Bytes.Length);
                body.Write(r.Frame.Bytes);
                Pad(body, r.Frame.Bytes.Length);
            });
        }
    }

    public static List<byte[]> Read(string path) => ReadFrames(path).ConvertAll(f => f.Bytes);

    /// <summary>Every frame with its capture time (microseconds) and bytes, pcapng or classic pcap; the direction is not kept (0).</summary>
    public static List<CapturedFrame> ReadFrames(string path)
    {
        var frames = new List<CapturedFrame>();
        foreach (var r in ReadCapture(path).Records)
        {
            frames.Add(r.Frame);
        }

        return frames;
    }

    /// <summary>Reads a whole capture file, checking every block's length.</summary>
    /// <exception cref="FormatException">not a capture file, or a truncated or malformed block.</exception>
    public static CaptureFile ReadCapture(string path)
    {
        var data = File.ReadAllBytes(path);
        if (data.Length >= 24 && BinaryPrimitives.ReadUInt32LittleEndian(data) == ClassicMagic)
        {
            return ReadClassic(path, data);
        }

        if (data.Length < 12 || BinaryPrimitives.ReadUInt32LittleEndian(data) != BlockSectionHeader || BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(8)) != ByteOrderMagic)
        {
            throw new FormatException($"{path}: neither a little-endian pcapng nor a microsecond pcap file");
        }

        var interfaces = new List<CaptureInterface>();
        var records = new List<CaptureRecord>();
        var offset = 0;
        while (offset < data.Length)
        {
            if (offset + 12 > data.Length)
            {
                throw new FormatException($"{path}: truncated block at {offset}");
            }

            var type = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(offset));
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(offset + 4));
            if (length < 12 || length % 4 != 0 || offset + length > data.Length
                || BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(offset + length - 4)) != (uint)length)
            {
                throw new FormatException($"{path}: block at {offset} has a bad length {length}");
            }

            var body = data.AsSpan(offset + 8, length - 12);
            if (type == BlockInterfaceDescription)
            {
                interfaces.Add(ReadInterface(path, body));
            }
            else if (type == BlockEnhancedPacket)
            {
                var id = (int)BinaryPrimitives.ReadUInt32LittleEndian(body);
                if (id >= interfaces.Count)
                {
                    throw new FormatException($"{path}: packet at {offset} names interface {id} before its description");
                }

                var ticks = ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(body[4..]) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(body[8..]);
                var captured = (int)BinaryPrimitives.ReadUInt32LittleEndian(body[12..]);
                if (20 + captured > body.Length)
                {
                    throw new FormatException($"{path}: packet at {offset} is longer than its block");
                }

                var perSecond = interfaces[id].TicksPerSecond;
                var micros = perSecond == 1_000_000 ? (long)ticks : (long)(ticks / (ulong)perSecond * 1_000_000) + (long)(ticks % (ulong)perSecond * 1_000_000 / (ulong)perSecond);
                records.Add(new CaptureRecord(id, new CapturedFrame(micros, 0, body.Slice(20, captured).ToArray())));
            }

            offset += length;
        }

        return new CaptureFile(interfaces, records);
    }

    private static CaptureInterface ReadInterface(string path, ReadOnlySpan<byte> body)
    {
        if (body.Length < 8)
        {
            throw new FormatException($"{path}: interface description too short");
        }

        var linkType = BinaryPrimitives.ReadUInt16LittleEndian(body);
        string name = "";
        string? description = null;
        long perSecond = 1_000_000;
        var o = 8;
        while (o + 4 <= body.Length)
        {
            var code = BinaryPrimitives.ReadUInt16LittleEndian(body[o..]);
            var len = BinaryPrimitives.ReadUInt16LittleEndian(body[(o + 2)..]);
            if (code == OptEnd)
            {
                break;
            }

            if (o + 4 + len > body.Length)
            {
                throw new FormatException($"{path}: interface option {code} overruns its block");
            }

            var value = body.Slice(o + 4, len);
            switch (code)
            {
                case OptIfName:
                    name = Encoding.UTF8.GetString(value);
                    break;
                case OptIfDescription:
                    description = Encoding.UTF8.GetString(value);
                    break;
                case OptIfTsresol when len >= 1:
                    var exp = value[0] & 0x7f;
                    perSecond = (value[0] & 0x80) != 0 ? 1L << exp : (long)Math.Pow(10, exp);
                    break;
            }

            o += 4 + ((len + 3) & ~3);
        }

        return new CaptureInterface(name, description, linkType, perSecond);
    }

    private static CaptureFile ReadClassic(string path, byte[] data)
    {
        var records = new List<CaptureRecord>();
        var offset = 24;
        while (offset + 16 <= data.Length)
        {
            var micros = (BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(offset)) * 1_000_000L) + BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(offset + 4));
            var captured = (int)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(offset + 8));
            offset += 16;
            if (offset + captured > data.Length)
            {
                throw new FormatException($"{path}: truncated record");
            }

            records.Add(new CaptureRecord(0, new CapturedFrame(micros, 0, data[offset..(offset + captured)])));
            offset += captured;
        }

        var linkType = (int)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(20));
        return new CaptureFile([new CaptureInterface("", null, linkType, 1_000_000)], records);
    }

    private static void WriteBlock(Stream f, uint type, Action<MemoryStream> fill)
    {
        var body = new MemoryStream();
        fill(body);
        var total = (uint)(body.Length + 12);
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(word, type);
        f.Write(word);
        BinaryPrimitives.WriteUInt32LittleEndian(word, total);
        f.Write(word);
        body.Position = 0;
        body.CopyTo(f);
        f.Write(word);
    }

    private static void PutOption(MemoryStream s, ushort code, ReadOnlySpan<byte> value)
    {
        Put16(s, code);
        Put16(s, (ushort)value.Length);
        s.Write(value);
        Pad(s, value.Length);
    }

    private static void Pad(MemoryStream s, int length)
    {
        for (var i = length; i % 4 != 0; i++)
        {
            s.WriteByte(0);
        }
    }

    private static void Put16(MemoryStream s, ushort v)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, v);
        s.Write(b);
    }

    private static void Put32(MemoryStream s, uint v)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        s.Write(b);
    }

    private static void Put64(MemoryStream s, long v)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(b, v);
        s.Write(b);
    }
}
