using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using Xunit;

namespace KernelNet.Tests.Net.Ipv4;

/// <summary>
/// MSG_ZEROCOPY on a UDP socket (udp_sendmsg -> ip_make_skb -> __ip_append_data's zerocopy branch): the
/// datagram's skb holds a ubuf_info_msgzc (msg_zerocopy_realloc, skb_zcopy_set), and its last free puts the
/// completion on the sender's error queue (SO_EE_ORIGIN_ZEROCOPY, an id range). The port's __ip_append_data
/// never takes CHECKSUM_PARTIAL, so 6.18's page-pinning branch (zc) is not taken: the data is copied and the
/// completion says SO_EE_CODE_ZEROCOPY_COPIED, as 6.18 reports on a device without checksum offload.
/// </summary>
public sealed class udp_zerocopy_tests
{
    private const int SOL_SOCKET = 1;
    private const int SO_ZEROCOPY = 60;
    private const int MSG_ZEROCOPY = 0x4000000;
    private const int MSG_ERRQUEUE = 0x2000;

    // Three MSG_ZEROCOPY datagrams over loopback arrive intact; once the receiver has read them (the skbs freed),
    // the sender's error queue holds SOL_IP/IP_RECVERR notifications whose ranges cover ids 0..2 exactly once,
    // each SO_EE_ORIGIN_ZEROCOPY with SO_EE_CODE_ZEROCOPY_COPIED; then EAGAIN. A socket without SO_ZEROCOPY
    // sends with the flag ignored and gets nothing on its error queue.
    [Fact]
    public void udp_zerocopy_sends_complete_on_the_error_queue_with_consecutive_ids_marked_copied()
    {
        var t = new Topology();
        var h = t.AddHost("H");
        var sent = new List<long>();
        var received = new List<byte[]>();
        var notes = new List<(int Level, int Type, byte[] Data)>();
        long opt = -1, again = 0, plainErrq = 0, plainSent = 0;
        t.Spawn(h, "app", 0, async libc =>
        {
            var rx = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, Libc.IPPROTO_UDP);
            await libc.Bind(rx, SockAddrIn.Parse("127.0.0.1:9200"));
            var tx = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, Libc.IPPROTO_UDP);
            opt = await libc.SetSockOpt(tx, SOL_SOCKET, SO_ZEROCOPY, 1);
            var to = SockAddrIn.Parse("127.0.0.1:9200");
            for (var i = 0; i < 3; i++)
            {
                var data = Enumerable.Range(0, 1000).Select(b => (byte)(b + i)).ToArray();
                sent.Add(await libc.SendTo(tx, data, data.Length, MSG_ZEROCOPY, to));
            }

            var plain = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, Libc.IPPROTO_UDP);
            plainSent = await libc.SendTo(plain, new byte[100], 100, MSG_ZEROCOPY, to);

            for (var i = 0; i < 4; i++)
            {
                var r = await libc.RecvFrom(rx, 2000, 0);
                received.Add(r.Data[..(int)r.Ret]);
            }

            await libc.Sleep(10_000_000);
            while (true)
            {
                var msg = new UserMsg { ControlLen = 128 };
                var ret = await libc.RecvMsg(tx, msg, MSG_ERRQUEUE);
                if (ret < 0)
                {
                    again = ret;
                    break;
                }

                Assert.Equal(MSG_ERRQUEUE, msg.Flags & MSG_ERRQUEUE);
                notes.AddRange(msg.Control);
            }

            plainErrq = await libc.RecvMsg(plain, new UserMsg { ControlLen = 128 }, MSG_ERRQUEUE);
        });
        t.Run(1_000_000_000);

        Assert.Equal(0L, opt);
        Assert.Equal(new long[] { 1000, 1000, 1000 }, sent);
        Assert.Equal(100L, plainSent);
        Assert.Equal(4, received.Count);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(Enumerable.Range(0, 1000).Select(b => (byte)(b + i)), received[i]);
        }

        Assert.NotEmpty(notes);
        var ids = new List<uint>();
        foreach (var (level, type, data) in notes)
        {
            Assert.Equal((0, 11), (level, type)); // SOL_IP, IP_RECVERR
            Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(data)); // ee_errno
            Assert.Equal(5, data[4]); // ee_origin: SO_EE_ORIGIN_ZEROCOPY
            Assert.Equal(1, data[6]); // ee_code: SO_EE_CODE_ZEROCOPY_COPIED
            var lo = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(8)); // ee_info: first id
            var hi = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(12)); // ee_data: last id
            for (var id = lo; id <= hi; id++)
            {
                ids.Add(id);
            }
        }

        Assert.Equal(new uint[] { 0, 1, 2 }, ids.Order().ToArray());
        Assert.Equal(-11L, again); // EAGAIN
        Assert.Equal(-11L, plainErrq);
    }
}
