// Ports include/uapi/linux/stat.h: the file type bits of a mode and their tests.
namespace KernelNet.Kernel.Include.Uapi.Linux;

public static class stat_h
{
    public const int S_IFMT = 0xf000;
    public const int S_IFIFO = 0x1000;
    public const int S_IFDIR = 0x4000;
    public const int S_IFREG = 0x8000;

    // include/uapi/linux/stat.h: S_ISREG
    /// <summary>A regular file's mode.</summary>
    public static bool S_ISREG(int m) => (m & S_IFMT) == S_IFREG;

    // include/uapi/linux/stat.h: S_ISDIR
    /// <summary>A directory's mode.</summary>
    public static bool S_ISDIR(int m) => (m & S_IFMT) == S_IFDIR;
}
