using System.Collections.Generic;

namespace KernelNet.Packetdrill.Run;

/// <summary>The Linux x86-64 values of the names scripts use (uapi headers), and errno names.</summary>
public static class Symbols
{
    public static IReadOnlyDictionary<string, long> Values { get; } = new Dictionary<string, long>(System.StringComparer.Ordinal)
    {
        ["NULL"] = 0,
        ["AF_UNSPEC"] = 0, ["AF_INET"] = 2, ["AF_INET6"] = 10, ["PF_INET"] = 2, ["PF_INET6"] = 10,
        ["SOCK_STREAM"] = 1, ["SOCK_DGRAM"] = 2, ["SOCK_RAW"] = 3, ["SOCK_NONBLOCK"] = 0x800,
        ["IPPROTO_IP"] = 0, ["IPPROTO_TCP"] = 6, ["IPPROTO_UDP"] = 17, ["IPPROTO_IPV6"] = 41,
        ["SOL_SOCKET"] = 1, ["SOL_IP"] = 0, ["SOL_TCP"] = 6, ["SOL_UDP"] = 17, ["SOL_IPV6"] = 41,
        ["SO_DEBUG"] = 1, ["SO_REUSEADDR"] = 2, ["SO_TYPE"] = 3, ["SO_ERROR"] = 4, ["SO_DONTROUTE"] = 5, ["SO_BROADCAST"] = 6,
        ["SO_SNDBUF"] = 7, ["SO_RCVBUF"] = 8, ["SO_KEEPALIVE"] = 9, ["SO_OOBINLINE"] = 10, ["SO_LINGER"] = 13,
        ["SO_REUSEPORT"] = 15, ["SO_RCVLOWAT"] = 18, ["SO_SNDLOWAT"] = 19, ["SO_RCVTIMEO"] = 20, ["SO_SNDTIMEO"] = 21,
        ["SO_TIMESTAMP"] = 29, ["SO_MARK"] = 36, ["SO_TIMESTAMPING"] = 37, ["SO_MAX_PACING_RATE"] = 47, ["SO_ZEROCOPY"] = 60,
        ["TCP_NODELAY"] = 1, ["TCP_MAXSEG"] = 2, ["TCP_CORK"] = 3, ["TCP_KEEPIDLE"] = 4, ["TCP_KEEPINTVL"] = 5, ["TCP_KEEPCNT"] = 6,
        ["TCP_SYNCNT"] = 7, ["TCP_LINGER2"] = 8, ["TCP_DEFER_ACCEPT"] = 9, ["TCP_WINDOW_CLAMP"] = 10, ["TCP_INFO"] = 11,
        ["TCP_QUICKACK"] = 12, ["TCP_CONGESTION"] = 13, ["TCP_MD5SIG"] = 14, ["TCP_USER_TIMEOUT"] = 18, ["TCP_REPAIR"] = 19,
        ["TCP_FASTOPEN"] = 23, ["TCP_TIMESTAMP"] = 24, ["TCP_NOTSENT_LOWAT"] = 25, ["TCP_FASTOPEN_CONNECT"] = 30,
        ["TCP_FASTOPEN_KEY"] = 33, ["TCP_FASTOPEN_NO_COOKIE"] = 34, ["TCP_ZEROCOPY_RECEIVE"] = 35, ["TCP_INQ"] = 36, ["TCP_CM_INQ"] = 36,
        ["TCP_TX_DELAY"] = 37,
        ["IP_TOS"] = 1, ["IP_TTL"] = 2, ["IP_RECVERR"] = 11, ["IP_MTU_DISCOVER"] = 10, ["IP_FREEBIND"] = 15,
        ["IP_PMTUDISC_DONT"] = 0, ["IP_PMTUDISC_WANT"] = 1, ["IP_PMTUDISC_DO"] = 2, ["IP_PMTUDISC_PROBE"] = 3,
        ["IPV6_RECVERR"] = 25,
        ["O_RDONLY"] = 0, ["O_WRONLY"] = 1, ["O_RDWR"] = 2, ["O_CREAT"] = 0x40, ["O_EXCL"] = 0x80, ["O_TRUNC"] = 0x200, ["O_APPEND"] = 0x400, ["O_NONBLOCK"] = 0x800,
        ["SPLICE_F_MOVE"] = 1, ["SPLICE_F_NONBLOCK"] = 2, ["SPLICE_F_MORE"] = 4, ["SPLICE_F_GIFT"] = 8,
        ["F_GETFD"] = 1, ["F_SETFD"] = 2, ["F_GETFL"] = 3, ["F_SETFL"] = 4,
        ["SIOCINQ"] = 0x541B, ["FIONREAD"] = 0x541B, ["SIOCOUTQ"] = 0x5411, ["SIOCOUTQNSD"] = 0x894B,
        ["MSG_OOB"] = 1, ["MSG_PEEK"] = 2, ["MSG_DONTROUTE"] = 4, ["MSG_CTRUNC"] = 8, ["MSG_TRUNC"] = 0x20, ["MSG_DONTWAIT"] = 0x40,
        ["MSG_EOR"] = 0x80, ["MSG_WAITALL"] = 0x100, ["MSG_ERRQUEUE"] = 0x2000, ["MSG_NOSIGNAL"] = 0x4000, ["MSG_MORE"] = 0x8000,
        ["MSG_ZEROCOPY"] = 0x4000000, ["MSG_FASTOPEN"] = 0x20000000,
        ["SHUT_RD"] = 0, ["SHUT_WR"] = 1, ["SHUT_RDWR"] = 2,
        ["SOF_TIMESTAMPING_TX_HARDWARE"] = 1, ["SOF_TIMESTAMPING_TX_SOFTWARE"] = 2, ["SOF_TIMESTAMPING_RX_HARDWARE"] = 4,
        ["SOF_TIMESTAMPING_RX_SOFTWARE"] = 8, ["SOF_TIMESTAMPING_SOFTWARE"] = 16, ["SOF_TIMESTAMPING_SYS_HARDWARE"] = 32,
        ["SOF_TIMESTAMPING_RAW_HARDWARE"] = 64, ["SOF_TIMESTAMPING_OPT_ID"] = 128, ["SOF_TIMESTAMPING_TX_SCHED"] = 256,
        ["SOF_TIMESTAMPING_TX_ACK"] = 512, ["SOF_TIMESTAMPING_OPT_CMSG"] = 1024, ["SOF_TIMESTAMPING_OPT_TSONLY"] = 2048,
        ["SOF_TIMESTAMPING_OPT_STATS"] = 4096, ["SOF_TIMESTAMPING_OPT_PKTINFO"] = 8192, ["SOF_TIMESTAMPING_OPT_TX_SWHW"] = 16384,
        ["SOF_TIMESTAMPING_BIND_PHC"] = 32768, ["SOF_TIMESTAMPING_OPT_ID_TCP"] = 65536, ["SOF_TIMESTAMPING_OPT_RX_FILTER"] = 131072,
        ["SCM_TIMESTAMPING"] = 37, ["SCM_TSTAMP_SND"] = 0, ["SCM_TSTAMP_SCHED"] = 1, ["SCM_TSTAMP_ACK"] = 2,
        ["SO_EE_ORIGIN_NONE"] = 0, ["SO_EE_ORIGIN_LOCAL"] = 1, ["SO_EE_ORIGIN_ICMP"] = 2, ["SO_EE_ORIGIN_ICMP6"] = 3,
        ["SO_EE_ORIGIN_TXSTATUS"] = 4, ["SO_EE_ORIGIN_TIMESTAMPING"] = 4, ["SO_EE_ORIGIN_ZEROCOPY"] = 5, ["SO_EE_CODE_ZEROCOPY_COPIED"] = 1,
        ["ENOMSG"] = 42,
        ["EPOLLIN"] = 1, ["EPOLLPRI"] = 2, ["EPOLLOUT"] = 4, ["EPOLLERR"] = 8, ["EPOLLHUP"] = 0x10, ["EPOLLNVAL"] = 0x20,
        ["EPOLLRDNORM"] = 0x40, ["EPOLLRDBAND"] = 0x80, ["EPOLLWRNORM"] = 0x100, ["EPOLLWRBAND"] = 0x200, ["EPOLLMSG"] = 0x400,
        ["EPOLLRDHUP"] = 0x2000, ["EPOLLEXCLUSIVE"] = 1L << 28, ["EPOLLWAKEUP"] = 1L << 29, ["EPOLLONESHOT"] = 1L << 30, ["EPOLLET"] = 1L << 31,
        ["EPOLL_CTL_ADD"] = 1, ["EPOLL_CTL_DEL"] = 2, ["EPOLL_CTL_MOD"] = 3, ["EPOLL_CLOEXEC"] = 0x80000,
        ["POLLIN"] = 0x1, ["POLLPRI"] = 0x2, ["POLLOUT"] = 0x4, ["POLLERR"] = 0x8, ["POLLHUP"] = 0x10, ["POLLNVAL"] = 0x20,
        ["POLLRDNORM"] = 0x40, ["POLLRDBAND"] = 0x80, ["POLLWRNORM"] = 0x100, ["POLLWRBAND"] = 0x200, ["POLLMSG"] = 0x400,
        ["POLLRDHUP"] = 0x2000,
    };

    public static IReadOnlyDictionary<string, int> Errnos { get; } = new Dictionary<string, int>(System.StringComparer.Ordinal)
    {
        ["EPERM"] = 1, ["ENOENT"] = 2, ["EINTR"] = 4, ["EIO"] = 5, ["EBADF"] = 9, ["EAGAIN"] = 11, ["EWOULDBLOCK"] = 11,
        ["ENOMEM"] = 12, ["EFAULT"] = 14, ["EBUSY"] = 16, ["EEXIST"] = 17, ["EINVAL"] = 22, ["ENOTTY"] = 25, ["EPIPE"] = 32, ["ENOMSG"] = 42,
        ["ENOTSOCK"] = 88, ["EMSGSIZE"] = 90, ["ENOPROTOOPT"] = 92, ["EOPNOTSUPP"] = 95, ["EAFNOSUPPORT"] = 97,
        ["EADDRINUSE"] = 98, ["EADDRNOTAVAIL"] = 99, ["ENETUNREACH"] = 101, ["ECONNABORTED"] = 103, ["ECONNRESET"] = 104,
        ["ENOBUFS"] = 105, ["EISCONN"] = 106, ["ENOTCONN"] = 107, ["ETIMEDOUT"] = 110, ["ECONNREFUSED"] = 111,
        ["EHOSTUNREACH"] = 113, ["EALREADY"] = 114, ["EINPROGRESS"] = 115,
    };

    /// <summary>The errno's name, or its number.</summary>
    public static string ErrnoName(long errno)
    {
        foreach (var (k, v) in Errnos)
        {
            if (v == errno && k != "EWOULDBLOCK")
            {
                return k;
            }
        }

        return errno.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
