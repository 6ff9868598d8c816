// Ports include/linux/socket.h: address families, MSG_* flags, struct msghdr.
namespace KernelNet.Kernel.Include.Linux;

/// <summary>
/// struct msghdr with its iov_iter folded in: the user buffer is one byte
/// array (one iovec), the address a sockaddr in bytes.
/// </summary>
public sealed class msghdr
{
    /// <summary>msg_name: the peer address, if any (sockaddr bytes).</summary>
    public byte[]? msg_name { get; set; }

    public int msg_namelen { get; set; }

    /// <summary>
    /// The user buffer (msg_iter's iovecs, laid end to end) and how much of
    /// it to use. null is a user pointer to nothing mapped (NULL): the copy
    /// faults (copy_from_iter/copy_to_iter move no byte) and the call gets -EFAULT.
    /// </summary>
    public byte[]? iov_base { get; set; } = System.Array.Empty<byte>();

    public int iov_len { get; set; }

    /// <summary>How far the iterator has advanced into iov_base.</summary>
    public int iov_offset { get; set; }

    /// <summary>
    /// msg_iter's type: uio_h.ITER_UBUF for user memory, ITER_BVEC for pages
    /// (what splice_to_socket hands sendmsg with MSG_SPLICE_PAGES).
    /// </summary>
    public byte msg_iter_type { get; set; }

    /// <summary>
    /// The pages the iterator covers, iov_len bytes laid end to end, when the
    /// bytes are in pages rather than in iov_base: an ITER_BVEC, or user memory
    /// inside an mmap'd file (the pages the user addresses map to).
    /// </summary>
    public System.Collections.Generic.List<bio_vec>? msg_iter_bvec { get; set; }

    /// <summary>The lengths of the user's iovecs laid end to end in iov_base (msg_iter's segments); null for a single buffer.</summary>
    public int[]? iov_segs { get; set; }

    /// <summary>The user pages pinned so far under iov_base, by (iovec, page of the iovec): lib/iov_iter.cs's model of user memory.</summary>
    public System.Collections.Generic.Dictionary<(int, int), (page page, ulong tag)>? user_pages { get; set; }

    public int msg_flags { get; set; }

    /// <summary>
    /// msg_control: the ancillary data put_cmsg wrote on receive, in order;
    /// null when the caller passed no control buffer.
    /// </summary>
    public System.Collections.Generic.List<cmsghdr>? msg_control { get; set; }

    /// <summary>msg_controllen: the bytes left in the control buffer.</summary>
    public int msg_controllen { get; set; }
}

/// <summary>struct cmsghdr with its data: one control message (cmsg_len is CMSG_LEN(data.Length)).</summary>
public sealed record cmsghdr(int cmsg_level, int cmsg_type, byte[] cmsg_data)
{
    /// <summary>sizeof(struct cmsghdr) on a 64-bit kernel: len (8), level (4), type (4).</summary>
    public const int Size = 16;

    // include/linux/socket.h: CMSG_ALIGN
    public static int CMSG_ALIGN(int len) => (len + sizeof(long) - 1) & ~(sizeof(long) - 1);

    // include/linux/socket.h: CMSG_LEN
    public static int CMSG_LEN(int len) => CMSG_ALIGN(Size) + len;

    // include/linux/socket.h: CMSG_SPACE
    public static int CMSG_SPACE(int len) => CMSG_ALIGN(Size) + CMSG_ALIGN(len);
}

public static class socket_h
{
    public const int AF_UNSPEC = 0;
    public const int AF_INET = 2;
    public const int AF_INET6 = 10;
    public const int AF_PACKET = 17;
    public const int PF_PACKET = AF_PACKET;

    public const int SOCK_STREAM = 1;
    public const int SOCK_DGRAM = 2;
    public const int SOCK_RAW = 3;
    public const int SOCK_RDM = 4;
    public const int SOCK_SEQPACKET = 5;
    public const int SOCK_PACKET = 10;
    public const int SOCK_NONBLOCK = 0x800;
    public const int SOCK_CLOEXEC = 0x80000;
    public const int SOCK_TYPE_MASK = 0xf;

    public const int MSG_OOB = 1;
    public const int MSG_PEEK = 2;
    public const int MSG_DONTROUTE = 4;
    public const int MSG_TRUNC = 0x20;
    public const int MSG_CTRUNC = 8;
    public const int MSG_DONTWAIT = 0x40;
    public const int MSG_EOR = 0x80;
    public const int MSG_WAITALL = 0x100;
    public const int MSG_ERRQUEUE = 0x2000;
    public const int MSG_NOSIGNAL = 0x4000;
    public const int MSG_MORE = 0x8000;

    /// <summary>MSG_NO_SHARED_FRAGS: the spliced pages are not shared (no SKBFL_SHARED_FRAG).</summary>
    public const int MSG_NO_SHARED_FRAGS = 0x80000;

    /// <summary>MSG_SPLICE_PAGES: the iterator's pages are to be attached to the skbs, not copied (splice_to_socket).</summary>
    public const int MSG_SPLICE_PAGES = 0x8000000;

    /// <summary>MSG_ZEROCOPY: send from the user's pages, with a completion on the error queue (SO_ZEROCOPY must be on).</summary>
    public const int MSG_ZEROCOPY = 0x4000000;

    /// <summary>MSG_FASTOPEN: send data in the SYN of a TCP connect (sendto on an unconnected socket).</summary>
    public const int MSG_FASTOPEN = 0x20000000;
    public const int MSG_CMSG_COMPAT = unchecked((int)0x80000000);

    public const int SOL_SOCKET = 1;
    public const int SOL_IP = 0;
    public const int SOL_TCP = 6;
    public const int SOL_UDP = 17;
    public const int SOL_RAW = 255;
    public const int SOL_PACKET = 263;

    /// <summary>_K_SS_MAXSIZE (include/uapi/linux/socket.h): sizeof(struct sockaddr_storage), what the syscalls copy addresses through.</summary>
    public const int _K_SS_MAXSIZE = 128;

    public const int SO_REUSEADDR = 2;
    public const int SO_TYPE = 3;
    public const int SO_ERROR = 4;
    public const int SO_BROADCAST = 6;
    public const int SO_SNDBUF = 7;
    public const int SO_RCVBUF = 8;
    public const int SO_KEEPALIVE = 9;
    public const int SO_LINGER = 13;
    public const int SO_REUSEPORT = 15;
    public const int SO_RCVLOWAT = 18;
    public const int SO_RCVTIMEO_OLD = 20;
    public const int SO_SNDTIMEO_OLD = 21;
    public const int SO_SNDBUFFORCE = 32;
    public const int SO_RCVBUFFORCE = 33;
    public const int SO_PROTOCOL = 38;
    public const int SO_DOMAIN = 39;
    public const int SO_MARK = 36;

    /// <summary>SO_MAX_PACING_RATE (asm-generic/socket.h): a ceiling on sk_pacing_rate, bytes per second.</summary>
    public const int SO_MAX_PACING_RATE = 47;
    public const int SO_MEMINFO = 55;
    public const int SO_ZEROCOPY = 60;

    /// <summary>SO_TIMESTAMPING_OLD: what SO_TIMESTAMPING is for a 64-bit task (time_t and long are the same size).</summary>
    public const int SO_TIMESTAMPING_OLD = 37;
    public const int SO_TIMESTAMPING_NEW = 65;

    /// <summary>SCM_TIMESTAMPING: the cmsg type of struct scm_timestamping (SO_TIMESTAMPING_OLD for a 64-bit task).</summary>
    public const int SCM_TIMESTAMPING = SO_TIMESTAMPING_OLD;
    public const int SCM_TIMESTAMPING_OPT_STATS = 54;
}
