using System;
using System.Collections.Generic;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;

namespace KernelNet.Tests.Support;

/// <summary>
/// The network most IPv4 tests start from: a booted kernel with namespaces A
/// and B joined by a veth pair, A's veth0 at 10.0.0.1/24 and B's veth1 at
/// 10.0.0.2/24, both ends up.
/// </summary>
public sealed record TwoHosts(Topology T, Host A, Host B, net_device VethA, net_device VethB)
{
    /// <summary>Where <see cref="ReceiveOnceOnB"/> listens and <see cref="SendOnceFromA"/> sends by default.</summary>
    public const string ServerAddress = "10.0.0.2:9000";

    /// <summary>Builds the pair; <paramref name="mtu"/>, when given, is set on both ends before the addresses go on.</summary>
    public static TwoHosts OnVeth(uint? mtu = null)
    {
        var t = new Topology();
        var a = t.AddHost("A");
        var b = t.AddHost("B");
        var (va, vb) = t.AddVeth(a, "veth0", b, "veth1");
        if (mtu is { } m)
        {
            va.mtu = m;
            vb.mtu = m;
        }

        t.AddAddress(va, "10.0.0.1/24");
        t.AddAddress(vb, "10.0.0.2/24");
        return new TwoHosts(t, a, b, va, vb);
    }

    /// <summary>A UDP server on B (CPU 1) that binds <see cref="ServerAddress"/> and blocks for one datagram of at most <paramref name="size"/> bytes.</summary>
    public void ReceiveOnceOnB(int size, Action<RecvResult> received)
    {
        T.Spawn(B, "server", 1, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.Bind(fd, SockAddrIn.Parse(ServerAddress));
            received(await libc.RecvFrom(fd, size, 0));
        });
    }

    /// <summary>
    /// A UDP client on A (CPU 0) that sends <paramref name="payload"/> once
    /// from an unbound socket and hands sendto's return value to
    /// <paramref name="sent"/>. The default delay lets a server spawned
    /// alongside block in recvfrom first; 0 skips the sleep altogether, so
    /// the socket call is the task's first act.
    /// </summary>
    public void SendOnceFromA(byte[] payload, long delayNs = 1_000_000, string to = ServerAddress, Action<long>? sent = null)
    {
        T.Spawn(A, "client", 0, async libc =>
        {
            if (delayNs > 0)
            {
                await libc.Sleep(delayNs);
            }

            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            var ret = await libc.SendTo(fd, payload, 0, SockAddrIn.Parse(to));
            sent?.Invoke(ret);
        });
    }

    /// <summary>
    /// A capture on B's end (an AF_PACKET socket for ETH_P_ALL, as tcpdump opens one) that
    /// reads out after <paramref name="readAfterNs"/> every IPv4 frame it saw, in wire order.
    /// </summary>
    public List<byte[]> TapIpv4OnB(long readAfterNs)
    {
        var frames = new List<byte[]>();
        T.Spawn(B, "tap", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_PACKET, Libc.SOCK_RAW, Libc.Htons(Libc.ETH_P_ALL));
            await libc.BindPacket(fd, Libc.ETH_P_ALL, VethB.ifindex);
            await libc.Sleep(readAfterNs);
            while (true)
            {
                var r = await libc.RecvFrom(fd, 2048, Libc.MSG_DONTWAIT);
                if (r.Ret < 0)
                {
                    break;
                }

                if (r.Data.Length > 14 && r.Data[12] == 0x08 && r.Data[13] == 0x00)
                {
                    frames.Add(r.Data);
                }
            }

            await libc.Close(fd);
        });
        return frames;
    }
}
