// Ports include/linux/fs.h: struct file, struct inode, struct address_space
// (the page cache of one inode), struct kiocb and struct file_operations, as
// far as regular files and pipes on the port's tmpfs need them; the open
// flags and file modes they carry.
//
// departure: sockets, tun queues and epoll instances have no struct file in
// the port (a descriptor maps straight to them); a struct file exists for the
// files this header's users open: tmpfs files and pipes.
// not ported: dentries for files (a path names its inode in the mount's
// table), locks, leases, fsnotify, permissions and ownership, timestamps.
using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;

namespace KernelNet.Kernel.Include.Linux;

/// <summary>struct address_space: an inode's page cache, pages by index (the xarray i_pages), and whether it is mapped writably.</summary>
public sealed class address_space
{
    public address_space(inode host)
    {
        this.host = host;
    }

    public inode host { get; }

    /// <summary>i_pages: the cached pages, by page index in the file.</summary>
    public SortedDictionary<long, page> i_pages { get; } = new();

    /// <summary>nrpages: how many pages the cache holds.</summary>
    public long nrpages { get; set; }

    /// <summary>i_mmap_writable: shared writable mappings of this file (mapping_writably_mapped).</summary>
    public int i_mmap_writable { get; set; }
}

/// <summary>struct inode: one file of the tmpfs (or a pipe's anonymous inode).</summary>
public sealed class inode
{
    public inode()
    {
        i_mapping = new address_space(this);
    }

    public ulong i_ino { get; set; }

    /// <summary>i_mode: the file type bits (S_IFREG, S_IFDIR, S_IFIFO) and permissions.</summary>
    public int i_mode { get; set; }

    /// <summary>i_size: the file's length in bytes.</summary>
    public long i_size { get; set; }

    /// <summary>i_nlink: names this inode has; an unlinked inode lives on while it is open or mapped.</summary>
    public uint i_nlink { get; set; }

    /// <summary>i_count: references (the name, each open file, each mapping).</summary>
    public int i_count { get; set; } = 1;

    public address_space i_mapping { get; }

    /// <summary>i_fop: the operations a file opened on this inode gets.</summary>
    public file_operations? i_fop { get; set; }

    /// <summary>i_pipe: the pipe behind a FIFO or pipe inode.</summary>
    public pipe_inode_info? i_pipe { get; set; }
}

/// <summary>struct file: an open file — its inode, position, flags and operations.</summary>
public sealed class @file
{
    public @file(inode inode, file_operations fop)
    {
        f_inode = inode;
        f_op = fop;
    }

    public inode f_inode { get; }

    public file_operations f_op { get; }

    /// <summary>f_mapping: the page cache reads and writes go through.</summary>
    public address_space f_mapping => f_inode.i_mapping;

    /// <summary>f_pos: the offset the next read or write starts at.</summary>
    public long f_pos { get; set; }

    /// <summary>f_flags: the open flags kept after open (O_NONBLOCK, O_APPEND ...).</summary>
    public int f_flags { get; set; }

    /// <summary>f_mode: FMODE_READ, FMODE_WRITE, FMODE_LSEEK ...</summary>
    public uint f_mode { get; set; }

    /// <summary>f_count: descriptors and other holders of this file.</summary>
    public int f_count { get; set; } = 1;

    /// <summary>private_data: the pipe for a pipe file.</summary>
    public object? private_data { get; set; }
}

/// <summary>read_descriptor_t: what a read_sock actor is to fill — the bytes still wanted (count), those written, its argument, an error.</summary>
public sealed class read_descriptor_t
{
    public long written { get; set; }

    public long count { get; set; }

    /// <summary>arg.data: the actor's own state (tcp_splice_state for splice).</summary>
    public object? arg { get; set; }

    public int error { get; set; }
}

/// <summary>struct kiocb: the file and position of one read or write.</summary>
public sealed class kiocb
{
    public kiocb(@file filp, long pos)
    {
        ki_filp = filp;
        ki_pos = pos;
    }

    public @file ki_filp { get; }

    public long ki_pos { get; set; }

    public int ki_flags { get; set; }
}

/// <summary>
/// struct file_operations: what a file's read, write, seek, splice, mmap and
/// release do. A loff_t pointer is a <see cref="StrongBox{T}"/>; a file that
/// splices to a socket passes the socket as the object.
/// </summary>
public sealed class file_operations
{
    public Func<Vmlinux, @file, long, int, long>? llseek { get; init; }

    public Func<Vmlinux, kiocb, iov_iter, Task<long>>? read_iter { get; init; }

    public Func<Vmlinux, kiocb, iov_iter, Task<long>>? write_iter { get; init; }

    public Func<Vmlinux, @file, StrongBox<long>, pipe_inode_info, int, uint, Task<long>>? splice_read { get; init; }

    public Func<Vmlinux, pipe_inode_info, object, StrongBox<long>, int, uint, Task<long>>? splice_write { get; init; }

    public Func<Vmlinux, @file, vm_area_struct, int>? mmap { get; init; }

    public Action<Vmlinux, inode, @file>? release { get; init; }
}

public static class fs_h
{
    public const int O_ACCMODE = 0x3;
    public const int O_RDONLY = 0x0;
    public const int O_WRONLY = 0x1;
    public const int O_RDWR = 0x2;
    public const int O_CREAT = 0x40;
    public const int O_EXCL = 0x80;
    public const int O_TRUNC = 0x200;
    public const int O_APPEND = 0x400;
    public const int O_NONBLOCK = 0x800;
    public const int O_DIRECT = 0x4000;
    public const int O_CLOEXEC = 0x80000;

    public const uint FMODE_READ = 0x1;
    public const uint FMODE_WRITE = 0x2;
    public const uint FMODE_LSEEK = 0x4;
    public const uint FMODE_PREAD = 0x8;
    public const uint FMODE_PWRITE = 0x10;

    /// <summary>READ and WRITE: the direction rw_verify_area checks.</summary>
    public const int READ = 0;
    public const int WRITE = 1;

    public const int SEEK_SET = 0;
    public const int SEEK_CUR = 1;
    public const int SEEK_END = 2;

    /// <summary>MAX_RW_COUNT: the most one read or write moves (INT_MAX rounded down to a page).</summary>
    public const int MAX_RW_COUNT = int.MaxValue & ~(mm_h.PAGE_SIZE - 1);

    /// <summary>MAX_LFS_FILESIZE on 64-bit: s_maxbytes of tmpfs.</summary>
    public const long MAX_LFS_FILESIZE = long.MaxValue;

    // include/linux/fs.h: file_inode
    public static inode file_inode(@file f) => f.f_inode;

    // not ported: preempt_disable, preempt_enable — a 64-bit field: no seqcount dance for 32-bit SMP
    // include/linux/fs.h: i_size_read
    public static long i_size_read(inode inode) => inode.i_size;

    // not ported: preempt_disable, preempt_enable — a 64-bit field: no seqcount dance for 32-bit SMP
    // include/linux/fs.h: i_size_write
    public static void i_size_write(inode inode, long i_size) => inode.i_size = i_size;

    // include/linux/fs.h: mapping_writably_mapped
    /// <summary>Whether some shared writable mapping of the file exists (readers flush the data cache first on aliasing architectures; nothing on x86).</summary>
    public static bool mapping_writably_mapped(address_space mapping) => mapping.i_mmap_writable > 0;

    // include/linux/fs.h: init_sync_kiocb
    public static kiocb init_sync_kiocb(@file filp) => new(filp, filp.f_pos);

    // include/linux/fs.h: get_file
    /// <summary>Another holder of the file.</summary>
    public static @file get_file(@file f)
    {
        f.f_count++;
        return f;
    }
}
