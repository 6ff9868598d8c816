using System;
using System.Linq;
using System.Buffers.Binary;
using KernelNet.Machine;
using KernelNet.Machine.Nic;
using KernelNet.Tests.Support;
using Xunit;
using static KernelNet.Machine.Nic.Igb82576Registers;

namespace KernelNet.Tests.Machine;

/// <summary>The 82576 model on its own: registers, DMA, FCS, RSS, the packet buffer — no kernel.</summary>
public sealed class Igb82576Tests
{
    private static readonly byte[] Mac = { 0x02, 0, 0, 0, 0, 0x10 };

    private static (KernelNet.Machine.Machine M, Igb82576 Nic, WireTap Tap) Rig()
    {
        var m = new KernelNet.Machine.Machine(new Simulator(), 2);
        var nic = new Igb82576(m, Mac);
        var tap = new WireTap(m);
        _ = new Cable(m, nic, tap);
        return (m, nic, tap);
    }

    /// <summary>One RX queue of <paramref name="count"/> descriptors, <paramref name="posted"/> of them given 2 KiB buffers.</summary>
    private static byte[][] PostRxRing(KernelNet.Machine.Machine m, Igb82576 nic, int count, int posted, bool dropEn = false)
    {
        var (desc, bus) = m.Dma.AllocCoherent(count * DescSize);
        var bufs = new byte[posted][];
        for (var i = 0; i < posted; i++)
        {
            bufs[i] = new byte[2048];
            BinaryPrimitives.WriteUInt64LittleEndian(desc.AsSpan(i * DescSize), m.Dma.Map(bufs[i], 0, 2048));
        }

        nic.wr32(RDBAL(0), (uint)bus);
        nic.wr32(RDBAH(0), (uint)(bus >> 32));
        nic.wr32(RDLEN(0), (uint)(count * DescSize));
        nic.wr32(SRRCTL(0), 2 | (dropEn ? SRRCTL_DROP_EN : 0));
        nic.wr32(RXDCTL(0), RXDCTL_QUEUE_ENABLE);
        nic.wr32(RCTL, RCTL_EN | RCTL_BAM | RCTL_SECRC);
        nic.wr32(RDT(0), (uint)posted);
        return bufs;
    }

    private static byte[] FrameTo(byte[] dst, int len = 60)
    {
        var f = new byte[len];
        dst.CopyTo(f, 0);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(12), 0x88B5);
        f[20] = 0x5a;
        return f;
    }

    // demonstrates RX-1 and LAYER-2: the frame lands in the posted buffer by
    // DMA, FCS stripped; the descriptor is written back (length, DD|EOP).
    [Fact]
    public void frame_is_dma_written_into_the_buffer_at_rdh_and_written_back()
    {
        var (m, nic, tap) = Rig();
        var bufs = PostRxRing(m, nic, 8, 4);

        tap.Send(FrameTo(Mac), 1_000);
        m.Run();

        Assert.Equal(0x5a, bufs[0][20]);
        Assert.Equal(1u, nic.rd32(RDH(0)));
        Assert.Equal(1u, nic.rd32(GPRC));
        Assert.Equal(0u, nic.rd32(GPRC)); // clear on read
    }

    // demonstrates LAYER-2: a frame whose FCS does not match is counted and dropped.
    [Fact]
    public void bad_fcs_is_counted_in_crcerrs_and_not_delivered()
    {
        var (m, nic, tap) = Rig();
        PostRxRing(m, nic, 8, 4);
        var f = new byte[64];
        FrameTo(Mac).CopyTo(f, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(60), 0xdeadbeef);
        var cable = new Cable(m, nic, new WireTap(m));

        cable.Transmit(null!, f, 1_000);
        m.Run();

        Assert.Equal(1u, nic.rd32(CRCERRS));
        Assert.Equal(0u, nic.rd32(RDH(0)));
    }

    // demonstrates RX-2: without DROP_EN the frames wait in the 64 KB packet
    // buffer, then are missed (MPC); posting buffers drains the buffer in order.
    [Fact]
    public void full_ring_holds_frames_in_the_packet_buffer_then_counts_mpc()
    {
        var (m, nic, tap) = Rig();
        PostRxRing(m, nic, 8, 0);

        tap.Burst(System.Linq.Enumerable.Range(0, 100).Select(_ => FrameTo(Mac, 1514)), 1_000);
        m.Run();

        var held = nic.RxFifoFrames;
        Assert.Equal(65536 / 1514, held);
        Assert.Equal((uint)(100 - held), nic.rd32(MPC));
        Assert.Equal(100u, nic.rd32(RNBC));
    }

    // demonstrates RX-2: with DROP_EN a queue without descriptors drops at once into RQDPC.
    [Fact]
    public void drop_en_queue_without_descriptors_counts_rqdpc()
    {
        var (m, nic, tap) = Rig();
        PostRxRing(m, nic, 8, 2, dropEn: true);

        tap.Burst(System.Linq.Enumerable.Range(0, 5).Select(_ => FrameTo(Mac)), 1_000);
        m.Run();

        Assert.Equal(3u, nic.rd32(RQDPC(0)));
        Assert.Equal(0u, nic.rd32(RQDPC(0)));
        Assert.Equal(0u, nic.rd32(MPC));
    }

    // RX-8: the Toeplitz hash of Microsoft's RSS verification suite (key
    // 6d5a56da..., 66.9.149.187:2794 -> 161.142.100.80:1766).
    [Fact]
    public void toeplitz_matches_the_microsoft_verification_vectors()
    {
        var (_, nic, _) = Rig();
        byte[] key =
        {
            0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
            0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
            0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
        };
        for (var i = 0; i < 10; i++)
        {
            nic.wr32(RSSRK(i), BinaryPrimitives.ReadUInt32LittleEndian(key.AsSpan(i * 4)));
        }

        byte[] input = { 66, 9, 149, 187, 161, 142, 100, 80, 0x0a, 0xea, 0x06, 0xe6 };
        Assert.Equal(0x323e8fc2u, nic.Toeplitz(input.AsSpan(0, 8)));
        Assert.Equal(0x51ccc178u, nic.Toeplitz(input));
    }

    // The table-driven hash agrees with the bit-by-bit definition for every key written, and
    // follows a key rewritten after the table was built.
    [Fact]
    public void toeplitz_by_table_equals_the_bitwise_hash_and_follows_a_new_key()
    {
        var (_, nic, _) = Rig();
        var rng = new Random(16);
        var input = new byte[12];
        for (var round = 0; round < 4; round++)
        {
            for (var i = 0; i < 10; i++)
            {
                nic.wr32(RSSRK(i), (uint)rng.NextInt64(0, 1L << 32));
            }

            for (var n = 0; n < 200; n++)
            {
                rng.NextBytes(input);
                var len = n % 2 == 0 ? 12 : 8;
                Assert.Equal(nic.ToeplitzBitwise(input.AsSpan(0, len)), nic.Toeplitz(input.AsSpan(0, len)));
            }
        }
    }

    // The FCS by slicing-by-8 is the Ethernet CRC-32: the check value of "123456789" and the
    // byte-at-a-time result for every length around the 8-byte stride.
    [Fact]
    public void crc32_by_slicing_is_the_ethernet_crc_for_every_length()
    {
        var (_, nic, _) = Rig();
        Assert.Equal(0xCBF43926u, nic.Crc32("123456789"u8));
        var rng = new Random(32);
        var data = new byte[1600];
        rng.NextBytes(data);
        foreach (var len in new[] { 0, 1, 7, 8, 9, 15, 16, 17, 60, 63, 64, 1514, 1518, 1600 })
        {
            Assert.Equal(Frames.Crc32(data.AsSpan(0, len)), nic.Crc32(data.AsSpan(0, len)));
        }
    }

    // The permanent address: RAL0/RAH0 after reset, and the NVM through EERD.
    [Fact]
    public void mac_address_is_read_from_nvm_and_loaded_into_ral0_rah0()
    {
        var (_, nic, _) = Rig();

        nic.wr32(EERD, (1u << NVM_RW_ADDR_SHIFT) | NVM_RW_REG_START);

        Assert.Equal(0x0000_0002u | ((uint)0x0000 << 16), nic.rd32(RAL(0)) & 0xFFFF);
        Assert.Equal(RAH_AV | 0x1000u, nic.rd32(RAH(0)));
        var eerd = nic.rd32(EERD);
        Assert.NotEqual(0u, eerd & NVM_RW_REG_DONE);
        Assert.Equal(0x0000u, eerd >> NVM_RW_REG_DATA);
    }
}
