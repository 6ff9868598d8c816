// Ports include/uapi/linux/errqueue.h: struct sock_extended_err (what
// IP_RECVERR hands to recvmsg(MSG_ERRQUEUE)), the origins and codes of an
// error-queue message, struct scm_timestamping and the TX timestamp types.
//
// not ported: struct sock_ee_data_rfc4884 (ICMP extensions: the port has no
// ip_icmp_error), scm_timestamping64 (64-bit tasks read scm_timestamping),
// the SO_EE_CODE_TXTIME codes (no SO_TXTIME).
using System;
using System.Buffers.Binary;

namespace KernelNet.Kernel.Include.Uapi.Linux;

/// <summary>
/// struct sock_extended_err: why an error-queue skb is there (ee_origin), the
/// errno it carries and two words whose meaning depends on the origin (for
/// SO_EE_ORIGIN_ZEROCOPY the first and last send ids of a completed range).
/// </summary>
public sealed class sock_extended_err
{
    /// <summary>sizeof(struct sock_extended_err).</summary>
    public const int Size = 16;

    public uint ee_errno { get; set; }

    public byte ee_origin { get; set; }

    public byte ee_type { get; set; }

    public byte ee_code { get; set; }

    public byte ee_pad { get; set; }

    public uint ee_info { get; set; }

    public uint ee_data { get; set; }

    /// <summary>The struct's bytes as user space reads them (x86-64, little-endian).</summary>
    [KernelNet.Annotations.NotInLinux("the struct's user-space layout, which C gets from memcpy")]
    public void write_to(Span<byte> b)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(b, ee_errno);
        b[4] = ee_origin;
        b[5] = ee_type;
        b[6] = ee_code;
        b[7] = ee_pad;
        BinaryPrimitives.WriteUInt32LittleEndian(b[8..], ee_info);
        BinaryPrimitives.WriteUInt32LittleEndian(b[12..], ee_data);
    }
}

public static class errqueue_h
{
    public const byte SO_EE_ORIGIN_NONE = 0;
    public const byte SO_EE_ORIGIN_LOCAL = 1;
    public const byte SO_EE_ORIGIN_ICMP = 2;
    public const byte SO_EE_ORIGIN_ICMP6 = 3;
    public const byte SO_EE_ORIGIN_TXSTATUS = 4;
    public const byte SO_EE_ORIGIN_ZEROCOPY = 5;
    public const byte SO_EE_ORIGIN_TXTIME = 6;
    public const byte SO_EE_ORIGIN_TIMESTAMPING = SO_EE_ORIGIN_TXSTATUS;

    /// <summary>The zerocopy range completed, but its data was copied on the way (a loop to the receive path, no SG).</summary>
    public const byte SO_EE_CODE_ZEROCOPY_COPIED = 1;

    /// <summary>sizeof(struct scm_timestamping): three struct timespec of 16 bytes.</summary>
    public const int SCM_TIMESTAMPING_SIZE = 48;

    // the type of a TX timestamp (ee_info of a SO_EE_ORIGIN_TIMESTAMPING message)
    public const int SCM_TSTAMP_SND = 0;
    public const int SCM_TSTAMP_SCHED = 1;
    public const int SCM_TSTAMP_ACK = 2;
    public const int SCM_TSTAMP_COMPLETION = 3;

    /// <summary>
    /// struct scm_timestamping as user space reads it: ts[0] software,
    /// ts[1] unused, ts[2] raw hardware, each a timespec (tv_sec, tv_nsec)
    /// from nanoseconds; zero where the stamp is absent.
    /// </summary>
    [KernelNet.Annotations.NotInLinux("the struct's user-space layout, which C fills in place")]
    public static byte[] scm_timestamping_bytes(long ts0_ns, long ts2_ns)
    {
        var b = new byte[SCM_TIMESTAMPING_SIZE];
        BinaryPrimitives.WriteInt64LittleEndian(b, ts0_ns / 1_000_000_000);
        BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(8), ts0_ns % 1_000_000_000);
        BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(32), ts2_ns / 1_000_000_000);
        BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(40), ts2_ns % 1_000_000_000);
        return b;
    }
}
