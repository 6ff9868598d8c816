// Ports include/linux/fdtable.h: struct files_struct, the descriptor table
// threads made with CLONE_FILES share, as far as fs/file.c's allocation
// reads it — the table itself and next_fd, the lowest descriptor that may be
// free (alloc_fd starts its search there).
//
// The fdtable's fd array is an array indexed by descriptor, as in the kernel
// (8 bytes a descriptor, not a hash entry): it starts at NR_OPEN_DEFAULT slots
// and doubles when a higher descriptor is installed (expand_fdtable's growth).
// departure: a null slot is a free descriptor (the open_fds bitmap is not
// kept: one thread, nothing is reserved between alloc_fd and fd_install);
// removing an entry lowers next_fd as __put_unused_fd does.
// not ported: close_on_exec (no exec), the RCU-resized fdtable (the array is
// replaced in place: no reader runs concurrently), full_fds_bits.
using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using KernelNet.Annotations;

namespace KernelNet.Kernel.Include.Linux;

/// <summary>struct files_struct: the descriptor array (fdt->fd) and the next_fd search hint.</summary>
public sealed class files_struct : IEnumerable<KeyValuePair<int, object>>
{
    /// <summary>NR_OPEN_DEFAULT: the descriptors the embedded fdtable holds before it is first expanded (BITS_PER_LONG).</summary>
    public const int NR_OPEN_DEFAULT = 64;

    /// <summary>fdt->fd: what is installed at each descriptor (null: free).</summary>
    private object?[] _fd = new object?[NR_OPEN_DEFAULT];

    /// <summary>next_fd: every descriptor below it is in use (alloc_fd's search starts here).</summary>
    public int next_fd { get; set; }

    /// <summary>Descriptors in use.</summary>
    public int Count { get; private set; }

    /// <summary>The descriptors in use, lowest first.</summary>
    public IEnumerable<int> Keys
    {
        get
        {
            foreach (var kv in this)
            {
                yield return kv.Key;
            }
        }
    }

    /// <summary>What is installed, by descriptor, lowest first.</summary>
    public IEnumerable<object> Values
    {
        get
        {
            foreach (var kv in this)
            {
                yield return kv.Value;
            }
        }
    }

    /// <summary>The object at <paramref name="fd"/> (KeyNotFoundException when free); setting installs it (fd_install).</summary>
    public object this[int fd]
    {
        get => TryGetValue(fd, out var v) ? v : throw new KeyNotFoundException($"fd {fd} is not open");
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            ArgumentOutOfRangeException.ThrowIfNegative(fd);
            expand(fd);
            if (_fd[fd] is null)
            {
                Count++;
            }

            _fd[fd] = value;
        }
    }

    [NotInLinux("the fd array read: files_lookup_fd_raw's bounds check and load")]
    public bool TryGetValue(int fd, [MaybeNullWhen(false)] out object value)
    {
        value = (uint)fd < (uint)_fd.Length ? _fd[fd] : null;
        return value is not null;
    }

    [NotInLinux("fd_is_open: the descriptor has something installed")]
    public bool ContainsKey(int fd) => (uint)fd < (uint)_fd.Length && _fd[fd] is not null;

    /// <summary>Installs <paramref name="value"/> at a free <paramref name="fd"/> (ArgumentException when it is in use).</summary>
    [NotInLinux("fd_install into a descriptor that must be free")]
    public void Add(int fd, object value)
    {
        if (ContainsKey(fd))
        {
            throw new ArgumentException($"fd {fd} is already open", nameof(fd));
        }

        this[fd] = value;
    }

    /// <summary>Frees <paramref name="fd"/>; like __put_unused_fd, lowers next_fd to it.</summary>
    [NotInLinux("__clear_open_fd plus __put_unused_fd's next_fd update, on the fd array")]
    public bool Remove(int fd) => Remove(fd, out _);

    /// <summary>Frees <paramref name="fd"/> and hands back what was installed there.</summary>
    [NotInLinux("__clear_open_fd plus __put_unused_fd's next_fd update, on the fd array")]
    public bool Remove(int fd, [MaybeNullWhen(false)] out object value)
    {
        if (!TryGetValue(fd, out value))
        {
            return false;
        }

        _fd[fd] = null;
        Count--;
        if (fd < next_fd)
        {
            next_fd = fd;
        }

        return true;
    }

    [NotInLinux("enumeration of the open descriptors in order, for teardown and inspection")]
    public IEnumerator<KeyValuePair<int, object>> GetEnumerator()
    {
        for (var fd = 0; fd < _fd.Length; fd++)
        {
            if (_fd[fd] is { } v)
            {
                yield return new KeyValuePair<int, object>(fd, v);
            }
        }
    }

    [NotInLinux("the non-generic enumerator")]
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Makes room for <paramref name="fd"/>: the array doubles until it fits, as expand_fdtable sizes the new table.</summary>
    [NotInLinux("expand_fdtable's size computation and copy (fs/file.c), on the managed array")]
    private void expand(int fd)
    {
        if (fd < _fd.Length)
        {
            return;
        }

        var n = _fd.Length;
        while (n <= fd)
        {
            n *= 2;
        }

        Array.Resize(ref _fd, n);
    }
}
