// Ports fs/read_write.c's read(2) and write(2): ksys_read/ksys_write find the
// file of the descriptor and vfs_read/vfs_write call its read_iter or
// write_iter. The port has no struct file: a descriptor holds the object
// behind it, so f_op is chosen by what that object is (a socket:
// sock_read_iter/sock_write_iter; a tun queue file: tun_chr_read_iter/
// tun_chr_write_iter).
//
// not ported: file positions (sockets and tun have none), readv/writev,
// pread/pwrite, rw_verify_area, fsnotify, the splice and copy_file_range paths.
using System.Threading.Tasks;
using KernelNet.Annotations;
using KernelNet.Kernel.Drivers.Net;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using static KernelNet.Kernel.Net.socket_c;

namespace KernelNet.Kernel.Fs;

public static class read_write_c
{
    // fs/read_write.c: vfs_read
    /// <summary>The file's read_iter over one user buffer (null: a NULL pointer, which the copy faults on).</summary>
    [MightSleep]
    private static async Task<long> vfs_read(Vmlinux k, object file, byte[]? buf, int count)
    {
        if (count < 0)
        {
            return -errno_base_h.EINVAL;
        }

        return file switch
        {
            socket sock => await sock_read_iter(sock, buf, count),
            tun_file tfile => await tun_c.tun_chr_read_iter(k, tfile, buf, count),
            _ => -errno_base_h.EINVAL,
        };
    }

    // fs/read_write.c: ksys_read
    /// <summary>read(2): -EBADF for a descriptor that is not open.</summary>
    [MightSleep]
    public static async Task<long> ksys_read(Vmlinux k, task_struct task, int fd, byte[]? buf, int count)
    {
        if (!task.files.TryGetValue(fd, out var f))
        {
            return -errno_base_h.EBADF;
        }

        return await vfs_read(k, f, buf, count);
    }

    // fs/read_write.c: vfs_write
    [MightSleep]
    private static async Task<long> vfs_write(Vmlinux k, object file, byte[]? buf, int count)
    {
        if (count < 0)
        {
            return -errno_base_h.EINVAL;
        }

        return file switch
        {
            socket sock => await sock_write_iter(sock, buf, count),
            tun_file tfile => tun_c.tun_chr_write_iter(k, tfile, buf, count),
            _ => -errno_base_h.EINVAL,
        };
    }

    // fs/read_write.c: ksys_write
    /// <summary>write(2): -EBADF for a descriptor that is not open.</summary>
    [MightSleep]
    public static async Task<long> ksys_write(Vmlinux k, task_struct task, int fd, byte[]? buf, int count)
    {
        if (!task.files.TryGetValue(fd, out var f))
        {
            return -errno_base_h.EBADF;
        }

        return await vfs_write(k, f, buf, count);
    }
}
