using System;
using System.Collections.Generic;

namespace KernelNet.Scenarios.Oracle;

/// <summary>A frame seen by an AF_PACKET tap: kernel receive time, direction (pkt_type) and bytes.</summary>
public sealed record CapturedFrame(long TimestampMicros, byte PacketType, byte[] Bytes);

/// <summary>
/// AF_PACKET sockets: the in-process capture of one interface (no tcpdump needed) and raw frame
/// injection. The capture is read only after tracing has stopped, so the tap's own skb clones are
/// freed outside the trace; its receive buffer (SO_RCVBUFFORCE) holds the whole scenario. Each
/// frame keeps the kernel's capture time (see <see cref="OpenCapture"/>), not the read-out time.
/// </summary>
internal static class PacketSocket
{
    internal const int CaptureBufferBytes = 8 << 20;
    private const int MaxFrames = 10_000;

    /// <summary>Opens a packet socket bound to <paramref name="ifname"/> in the calling thread's namespace; returns fd or -1.</summary>
    public static unsafe int Open(string ifname, out string error)
    {
        error = "";
        var fd = Libc.socket(Libc.AF_PACKET, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Libc.Htons(Libc.ETH_P_ALL));
        if (fd < 0)
        {
            error = Libc.ErrnoName(Libc.Errno);
            return -1;
        }

        var index = Libc.if_nametoindex(ifname);
        var sll = new Libc.SockaddrLl { Family = Libc.AF_PACKET, ProtocolBe = Libc.Htons(Libc.ETH_P_ALL), IfIndex = (int)index };
        if (index == 0 || Libc.bind_ll(fd, ref sll, sizeof(Libc.SockaddrLl)) != 0)
        {
            error = index == 0 ? $"no interface {ifname}" : Libc.ErrnoName(Libc.Errno);
            _ = Libc.close(fd);
            return -1;
        }

        return fd;
    }

    /// <summary>Opens a capture on <paramref name="ifname"/> with a buffer large enough for a whole scenario.</summary>
    public static unsafe int OpenCapture(string ifname)
    {
        var fd = Open(ifname, out var error);
        if (fd < 0)
        {
            throw new RecorderException($"cannot capture on {ifname}: {error}");
        }

        var size = CaptureBufferBytes;
        _ = Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, &size, sizeof(int));

        // SIOCGSTAMP's sock_gettstamp sets SOCK_TIMESTAMP (sock_enable_timestamp, which turns on
        // netstamp_needed_key): from now on dev_queue_xmit_nit and netif_rx stamp each frame as
        // the tap sees it (net_timestamp_set/net_timestamp_check), and each read stores that
        // stamp as the socket's sk_stamp (sock_recv_timestamp), which SIOCGSTAMP after the read
        // returns. Without it a frame carries no stamp and SIOCGSTAMP gives the read-out time.
        // (The first call has nothing to return yet: ENOENT.)
        _ = Libc.ioctl(fd, Libc.SIOCGSTAMP, out _);
        return fd;
    }

    public static unsafe bool Readable(int fd, int timeoutMs)
    {
        var p = new Libc.PollFd { Fd = fd, Events = Libc.POLLIN };
        return Libc.poll(&p, 1, timeoutMs) > 0 && (p.Revents & Libc.POLLIN) != 0;
    }

    /// <summary>Reads every frame queued on the capture socket (bounded in count), without waiting.</summary>
    public static unsafe List<CapturedFrame> Drain(int fd)
    {
        var frames = new List<CapturedFrame>();
        var buffer = new byte[65536 + 64];
        while (frames.Count < MaxFrames)
        {
            Libc.SockaddrLl from;
            var fromLen = sizeof(Libc.SockaddrLl);
            nint n;
            fixed (byte* p = buffer)
            {
                n = Libc.recvfrom(fd, p, buffer.Length, Libc.MSG_DONTWAIT, &from, &fromLen);
            }

            if (n < 0)
            {
                break;
            }

            _ = Libc.ioctl(fd, Libc.SIOCGSTAMP, out var tv);
            frames.Add(new CapturedFrame(tv.Sec * 1_000_000 + tv.Usec, from.PktType, buffer[..(int)n]));
        }

        return frames;
    }
}
