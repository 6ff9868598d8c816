// Ports net/ipv4/sysctl_net_ipv4.c: the handler of net.ipv4.tcp_fastopen_key
// (proc_tcp_fastopen_key with its parser sscanf_key).
//
// not ported: the rest of the ipv4 sysctl table — the port's sysctls are
// fields of netns_ipv4 that the tools read and write directly.
using System;
using System.Buffers.Binary;
using System.Globalization;
using KernelNet.Kernel.Include.Net;

namespace KernelNet.Kernel.Net.Ipv4;

public static class sysctl_net_ipv4_c
{
    // net/ipv4/sysctl_net_ipv4.c: sscanf_key
    /// <summary>One key written as four hex words "%x-%x-%x-%x", each stored little-endian (cpu_to_le32); false if it does not parse.</summary>
    private static bool sscanf_key(string buf, Span<byte> key)
    {
        var words = buf.Split('-');
        if (words.Length != 4)
        {
            return false;
        }

        for (var i = 0; i < 4; i++)
        {
            var w = words[i].Trim();
            if (w.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            {
                w = w[2..];
            }

            if (!uint.TryParse(w, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var user_key))
            {
                return false;
            }

            BinaryPrimitives.WriteUInt32LittleEndian(key[(i * 4)..], user_key);
        }

        return true;
    }

    // net/ipv4/sysctl_net_ipv4.c: proc_tcp_fastopen_key
    /// <summary>
    /// Reading net.ipv4.tcp_fastopen_key: the namespace's keys as
    /// "%08x-%08x-%08x-%08x", a backup after a comma (zeros before any key
    /// exists). Writing: a key, optionally ",backup", installed with
    /// tcp_fastopen_reset_cipher; -EINVAL when it does not parse. Returns the
    /// text read (or written) and 0 or the error.
    /// </summary>
    public static (string Value, int Err) proc_tcp_fastopen_key(net net, bool write, string? buffer)
    {
        // not ported: kfree, kmalloc — the .NET runtime allocates and frees memory: objects live while referenced, no refcounts or caches
        ArgumentNullException.ThrowIfNull(net);
        Span<ulong> key64 = stackalloc ulong[tcp_h.TCP_FASTOPEN_KEY_BUF_LENGTH / sizeof(ulong)];
        var n_keys = tcp_fastopen_c.tcp_fastopen_get_cipher(net, null, key64);
        if (n_keys == 0)
        {
            key64.Clear();
            n_keys = 1;
        }

        // le32_to_cpu of each word of the little-endian u64 pairs
        Span<byte> kb = stackalloc byte[tcp_h.TCP_FASTOPEN_KEY_BUF_LENGTH];
        for (var i = 0; i < key64.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(kb[(i * 8)..], key64[i]);
        }

        var text = string.Empty;
        for (var i = 0; i < n_keys; i++)
        {
            text += string.Format(
                CultureInfo.InvariantCulture,
                "{0:x8}-{1:x8}-{2:x8}-{3:x8}",
                BinaryPrimitives.ReadUInt32LittleEndian(kb[(i * 16)..]),
                BinaryPrimitives.ReadUInt32LittleEndian(kb[((i * 16) + 4)..]),
                BinaryPrimitives.ReadUInt32LittleEndian(kb[((i * 16) + 8)..]),
                BinaryPrimitives.ReadUInt32LittleEndian(kb[((i * 16) + 12)..]));
            if (i + 1 < n_keys)
            {
                text += ",";
            }
        }

        if (!write)
        {
            return (text, 0);
        }

        // proc_dostring: the written text replaces the shown one
        var data = buffer ?? string.Empty;
        string? backup_data = null;
        var comma = data.IndexOf(',', StringComparison.Ordinal);
        if (comma >= 0)
        {
            backup_data = data[(comma + 1)..];
            data = data[..comma];
        }

        var key = new byte[tcp_h.TCP_FASTOPEN_KEY_BUF_LENGTH];
        if (!sscanf_key(data, key))
        {
            return (text, -Include.Uapi.AsmGeneric.errno_base_h.EINVAL);
        }

        if (backup_data is not null && !sscanf_key(backup_data, key.AsSpan(tcp_h.TCP_FASTOPEN_KEY_LENGTH)))
        {
            return (text, -Include.Uapi.AsmGeneric.errno_base_h.EINVAL);
        }

        tcp_fastopen_c.tcp_fastopen_reset_cipher(net, null, key.AsSpan(0, tcp_h.TCP_FASTOPEN_KEY_LENGTH), backup_data is not null ? key[tcp_h.TCP_FASTOPEN_KEY_LENGTH..] : null);
        return (data, 0);
    }
}
