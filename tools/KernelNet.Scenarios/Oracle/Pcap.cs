using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;

namespace KernelNet.Scenarios.Oracle;

/// <summary>Classic pcap files (LINKTYPE_ETHERNET, microsecond timestamps), written and read.</summary>
public static class Pcap
{
    private const uint Magic = 0xa1b2c3d4;
    private const int LinkTypeEthernet = 1;

    public static void Write(string path, IEnumerable<CapturedFrame> frames)
    {
        using var f = File.Create(path);
        Span<byte> header = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 262144);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], LinkTypeEthernet);
        f.Write(header);
        Span<byte> record = stackalloc byte[16];
        foreach (var frame in frames)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)(frame.TimestampMicros / 1_000_000));
            BinaryPrimitives.WriteUInt32LittleEndian(record[4..], (uint)(frame.TimestampMicros % 1_000_000));
            BinaryPrimitives.WriteUInt32LittleEndian(record[8..], (uint)frame.Bytes.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(record[12..], (uint)frame.Bytes.Length);
            f.Write(record);
            f.Write(frame.Bytes);
        }
    }

    public static List<byte[]> Read(string path) => ReadFrames(path).ConvertAll(f => f.Bytes);

    /// <summary>Every record with its capture time (microseconds) and bytes; the direction is not in a pcap (0).</summary>
    public static List<CapturedFrame> ReadFrames(string path)
    {
        var data = File.ReadAllBytes(path);
        if (data.Length < 24 || BinaryPrimitives.ReadUInt32LittleEndian(data) != Magic)
        {
            throw new FormatException($"{path}: not a little-endian microsecond pcap file");
        }

        var frames = new List<CapturedFrame>();
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

            frames.Add(new CapturedFrame(micros, 0, data[offset..(offset + captured)]));
            offset += captured;
        }

        return frames;
    }
}
