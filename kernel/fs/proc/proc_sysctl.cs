// Ports the read and write path of fs/proc/proc_sysctl.c: a /proc/sys file
// found by its path among the tables the writer's namespace registered, and
// its table's handler called.
//
// not ported: the dentry/inode side (lookup, readdir, poll), permissions
// (the simulation writes as root) and partial reads and writes at an offset.
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using static KernelNet.Kernel.Include.Uapi.AsmGeneric.errno_base_h;

namespace KernelNet.Kernel.Fs.Proc;

public static class proc_sysctl_c
{
    /// <summary>find_entry over the namespace's tables: the file at <paramref name="path"/> (net/ipv4/neigh/eth0/ucast_solicit), or null.</summary>
    [KernelNet.Annotations.NotInLinux("the simulation's path lookup in the net's sysctl tables (proc_sys_lookup walks dentries)")]
    private static ctl_table? FindEntry(net net, string path)
    {
        foreach (var head in net.sysctls)
        {
            if (!path.StartsWith(head.path + "/", System.StringComparison.Ordinal))
            {
                continue;
            }

            var name = path[(head.path.Length + 1)..];
            foreach (var entry in head.ctl_table_arg)
            {
                if (entry.procname == name)
                {
                    return entry;
                }
            }
        }

        return null;
    }

    // fs/proc/proc_sysctl.c: proc_sys_call_handler
    /// <summary>
    /// `sysctl -w` (write 1) or a read (write 0) of the file at
    /// <paramref name="path"/> in <paramref name="net"/>: ENOENT when the
    /// namespace has no such file, else the file's handler's result.
    /// </summary>
    public static int proc_sys_call_handler(net net, string path, int write, ref string buffer)
    {
        // not ported: iov_iter_count, kvzalloc, kvfree, copy_from_iter_full, copy_to_iter — the value passes as a string, not an iov_iter copied to and from a kernel buffer
        // not ported: file_inode — the file is named by its path, not an inode
        // not ported: sysctl_perm — permissions are not ported (see the file header)
        // not ported: grab_header, sysctl_head_finish — the table is found by its path in the namespace's registered tables; no header reference is held across the call (tables are never unregistered while in use, one thread)
        var table = FindEntry(net, path);
        if (table is null)
        {
            return -ENOENT;
        }

        if (table.proc_handler is null)
        {
            return -EINVAL;
        }

        return table.proc_handler(table, write, ref buffer);
    }
}
