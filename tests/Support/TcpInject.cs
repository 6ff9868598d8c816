using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using static KernelNet.Kernel.Net.Core.dev_c;
using static KernelNet.Kernel.Net.Core.skbuff_c;
using static KernelNet.Kernel.Net.Ethernet.eth_c;

namespace KernelNet.Tests.Support;

/// <summary>
/// Raw TCP segments handed to a device's receive path from a task (as <see cref="Inject"/> does),
/// built when they are sent so they can answer what a capture saw, and a capture that keeps
/// reading the TCP frames crossing a device for as long as a test runs.
/// </summary>
public static class TcpInject
{
    /// <summary>
    /// From <paramref name="startNs"/> on, the frames <paramref name="frame"/> builds for
    /// 0..<paramref name="count"/>-1 (null skips one) go up <paramref name="dev"/>'s receive path,
    /// <paramref name="batch"/> at a time with a sleep of <paramref name="gapNs"/> between batches
    /// (a task's sleep lasts at least a jiffy).
    /// </summary>
    public static void Frames(Topology t, Host host, net_device dev, int count, Func<int, byte[]?> frame, long startNs, long gapNs = 1_000_000, int batch = 1)
    {
        t.Spawn(host, "inject", 0, async libc =>
        {
            await libc.Sleep(startNs);
            for (var i = 0; i < count; i++)
            {
                if (frame(i) is { } f)
                {
                    var skb = __alloc_skb(t.K, f.Length + 64, 0)!;
                    skbuff_h.skb_reserve(skb, 64);
                    var off = skb_put(skb, f.Length);
                    f.CopyTo(skb.head, off);
                    skb.protocol = eth_type_trans(skb, dev);
                    netif_rx(skb);
                }

                if ((i + 1) % batch == 0)
                {
                    await libc.Sleep(gapNs);
                }
            }
        });
    }

    /// <summary>Every IPv4 TCP frame seen on <paramref name="dev"/> (both directions) until <paramref name="untilNs"/>, in wire order.</summary>
    public static List<byte[]> Capture(Topology t, Host host, net_device dev, long untilNs)
    {
        var frames = new List<byte[]>();
        t.Spawn(host, "tap", 1, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_PACKET, Libc.SOCK_RAW, Libc.Htons(Libc.ETH_P_ALL));
            await libc.BindPacket(fd, Libc.ETH_P_ALL, dev.ifindex);
            await libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, 10_000);
            while (t.K.ktime_get_ns() < untilNs)
            {
                var r = await libc.RecvFromLl(fd, 2048, 0);
                if (r.Ret > 0 && r.Data.Length >= 14 + 40 && r.Data[12] == 0x08 && r.Data[13] == 0x00 && r.Data[14 + 9] == 6)
                {
                    frames.Add(r.Data);
                }
            }

            await libc.Close(fd);
        });
        return frames;
    }

    /// <summary>The TCP header fields of a captured frame (no IP options).</summary>
    public static (uint Src, uint Dst, ushort Sport, ushort Dport, uint Seq, uint Ack, byte Flags) Tcp(byte[] f)
    {
        var ip = f.AsSpan(14);
        var th = ip[((ip[0] & 0xf) * 4)..];
        return (BinaryPrimitives.ReadUInt32BigEndian(ip[12..]), BinaryPrimitives.ReadUInt32BigEndian(ip[16..]),
            BinaryPrimitives.ReadUInt16BigEndian(th), BinaryPrimitives.ReadUInt16BigEndian(th[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(th[4..]), BinaryPrimitives.ReadUInt32BigEndian(th[8..]), th[13]);
    }

    /// <summary>The TSval and TSecr of a captured frame's timestamp option, if it has one.</summary>
    public static (uint TsVal, uint TsEcr)? Timestamps(byte[] f)
    {
        var ip = f.AsSpan(14);
        var th = ip[((ip[0] & 0xf) * 4)..];
        var doff = (th[12] >> 4) * 4;
        for (var o = 20; o < doff;)
        {
            if (th[o] == 0)
            {
                break;
            }

            if (th[o] == 1)
            {
                o++;
                continue;
            }

            if (th[o] == 8)
            {
                return (BinaryPrimitives.ReadUInt32BigEndian(th[(o + 2)..]), BinaryPrimitives.ReadUInt32BigEndian(th[(o + 6)..]));
            }

            o += th[o + 1];
        }

        return null;
    }
}
