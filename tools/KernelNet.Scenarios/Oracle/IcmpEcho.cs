using System;
using System.Buffers.Binary;
using System.Diagnostics;
using KernelNet.Scenarios.Scenario;

namespace KernelNet.Scenarios.Oracle;

/// <summary>One ICMP echo over a raw socket (as ping does as root): send the request, wait for the matching reply.</summary>
public static class IcmpEcho
{
    private const int MaxReadsPerPing = 64;

    internal static unsafe string Ping(PingStep s)
    {
        var fd = Libc.socket(Libc.AF_INET, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Libc.IPPROTO_ICMP);
        if (fd < 0)
        {
            return Libc.ErrnoName(Libc.Errno);
        }

        try
        {
            var request = Request(s.Identifier, s.Sequence, s.Size);
            var to = Libc.Sockaddr(s.Destination, 0);
            fixed (byte* p = request)
            {
                if (Libc.sendto(fd, p, request.Length, 0, &to, 16) < 0)
                {
                    return Libc.ErrnoName(Libc.Errno);
                }
            }

            return AwaitReply(fd, s);
        }
        finally
        {
            _ = Libc.close(fd);
        }
    }

    private static unsafe string AwaitReply(int fd, PingStep s)
    {
        var clock = Stopwatch.StartNew();
        var buffer = new byte[65536];
        for (var reads = 0; reads < MaxReadsPerPing; reads++)
        {
            var left = s.TimeoutMs - (int)clock.ElapsedMilliseconds;
            if (left <= 0 || !PacketSocket.Readable(fd, left))
            {
                return "timeout";
            }

            nint n;
            fixed (byte* p = buffer)
            {
                n = Libc.recvfrom(fd, p, buffer.Length, Libc.MSG_DONTWAIT, null, null);
            }

            if (n < 0)
            {
                return Libc.ErrnoName(Libc.Errno);
            }

            if (Answer(buffer.AsSpan(0, (int)n), s) is { } outcome)
            {
                return outcome;
            }
        }

        return "timeout";
    }

    /// <summary>
    /// What a packet read from the raw socket (IP header first) says about the ping: "N bytes" for
    /// our echo reply, an errno for a destination unreachable, null for anything else (keep waiting).
    /// </summary>
    public static string? Answer(ReadOnlySpan<byte> packet, PingStep s)
    {
        if (packet.Length < 20)
        {
            return null;
        }

        var ihl = (packet[0] & 0xf) * 4;
        if (packet.Length < ihl + 8)
        {
            return null;
        }

        if (packet[ihl] == 0 && BinaryPrimitives.ReadUInt16BigEndian(packet[(ihl + 4)..]) == s.Identifier
            && BinaryPrimitives.ReadUInt16BigEndian(packet[(ihl + 6)..]) == s.Sequence)
        {
            return $"{packet.Length - ihl - 8} bytes";
        }

        return packet[ihl] == 3
            ? packet[ihl + 1] == 1 ? "EHOSTUNREACH" : packet[ihl + 1] == 0 ? "ENETUNREACH" : "ECONNREFUSED"
            : null;
    }

    /// <summary>An echo request: type 8, code 0, checksum, identifier, sequence, then the pattern payload.</summary>
    public static byte[] Request(int identifier, int sequence, int size)
    {
        var packet = new byte[8 + size];
        packet[0] = 8;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), (ushort)identifier);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), (ushort)sequence);
        for (var i = 0; i < size; i++)
        {
            packet[8 + i] = (byte)i;
        }

        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), Checksum(packet));
        return packet;
    }

    public static ushort Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (var i = 0; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }

        if (data.Length % 2 == 1)
        {
            sum += (uint)data[^1] << 8;
        }

        while (sum >> 16 != 0)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        return (ushort)~sum;
    }
}
