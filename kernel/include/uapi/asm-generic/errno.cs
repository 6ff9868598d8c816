// Ports include/uapi/asm-generic/errno.h (the networking part).
namespace KernelNet.Kernel.Include.Uapi.AsmGeneric;

public static class errno_h
{
    public const int EWOULDBLOCK = errno_base_h.EAGAIN;
    public const int ENOSYS = 38;
    public const int ENOMSG = 42;
    public const int ENODATA = 61;
    public const int ENONET = 64;
    public const int EPROTO = 71;
    public const int EOVERFLOW = 75;
    public const int ENOTSOCK = 88;
    public const int EDESTADDRREQ = 89;
    public const int EMSGSIZE = 90;
    public const int EPROTOTYPE = 91;
    public const int ENOPROTOOPT = 92;
    public const int EPROTONOSUPPORT = 93;
    public const int ESOCKTNOSUPPORT = 94;
    public const int EOPNOTSUPP = 95;
    public const int EPFNOSUPPORT = 96;
    public const int EAFNOSUPPORT = 97;
    public const int EADDRINUSE = 98;
    public const int EADDRNOTAVAIL = 99;
    public const int ENETDOWN = 100;
    public const int ENETUNREACH = 101;
    public const int ENETRESET = 102;
    public const int ECONNABORTED = 103;
    public const int ECONNRESET = 104;
    public const int ENOBUFS = 105;
    public const int EISCONN = 106;
    public const int ENOTCONN = 107;
    public const int ETIMEDOUT = 110;
    public const int ECONNREFUSED = 111;
    public const int EHOSTDOWN = 112;
    public const int EHOSTUNREACH = 113;
    public const int EALREADY = 114;
    public const int EINPROGRESS = 115;

    /// <summary>The symbolic name of an errno value, as strerrorname_np gives it.</summary>
    [KernelNet.Annotations.NotInLinux("the simulation's names for errno values in its messages; C has only the numbers")]
    public static string errno_name(int e) => e switch
    {
        errno_base_h.EPERM => "EPERM",
        errno_base_h.ENOENT => "ENOENT",
        errno_base_h.EINTR => "EINTR",
        errno_base_h.EBADF => "EBADF",
        errno_base_h.EAGAIN => "EAGAIN",
        errno_base_h.ENOMEM => "ENOMEM",
        errno_base_h.EACCES => "EACCES",
        errno_base_h.EFAULT => "EFAULT",
        errno_base_h.EINVAL => "EINVAL",
        errno_base_h.EMFILE => "EMFILE",
        errno_base_h.EPIPE => "EPIPE",
        ENOMSG => "ENOMSG",
        ENOTSOCK => "ENOTSOCK",
        EDESTADDRREQ => "EDESTADDRREQ",
        EMSGSIZE => "EMSGSIZE",
        ENOPROTOOPT => "ENOPROTOOPT",
        EPROTONOSUPPORT => "EPROTONOSUPPORT",
        EOPNOTSUPP => "EOPNOTSUPP",
        EAFNOSUPPORT => "EAFNOSUPPORT",
        EADDRINUSE => "EADDRINUSE",
        EADDRNOTAVAIL => "EADDRNOTAVAIL",
        ENETUNREACH => "ENETUNREACH",
        ECONNRESET => "ECONNRESET",
        ENOBUFS => "ENOBUFS",
        EISCONN => "EISCONN",
        ENOTCONN => "ENOTCONN",
        ETIMEDOUT => "ETIMEDOUT",
        ECONNREFUSED => "ECONNREFUSED",
        EHOSTUNREACH => "EHOSTUNREACH",
        EALREADY => "EALREADY",
        EINPROGRESS => "EINPROGRESS",
        _ => "E" + e.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
