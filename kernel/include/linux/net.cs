// Ports include/linux/net.h: struct socket and struct proto_ops, the BSD
// socket side of a sock.
using System;
using System.Threading.Tasks;
using KernelNet.Kernel.Include.Net;

namespace KernelNet.Kernel.Include.Linux;

/// <summary>enum socket_state.</summary>
public enum socket_state
{
    SS_FREE = 0,
    SS_UNCONNECTED,
    SS_CONNECTING,
    SS_CONNECTED,
    SS_DISCONNECTING,
}

/// <summary>struct proto_ops: the family's operations (inet_dgram_ops).</summary>
public sealed class proto_ops
{
    public required int family { get; init; }

    public required Func<socket, int> release { get; init; }

    public required Func<socket, byte[], int, int> bind { get; init; }

    public required Func<socket, byte[], int, int, int> connect { get; init; }

    public required Func<socket, msghdr, int, Task<int>> sendmsg { get; init; }

    public required Func<socket, msghdr, int, int, Task<int>> recvmsg { get; init; }

    public required Func<socket, int, int> shutdown { get; init; }

    public required Func<socket, byte[], bool, int> getname { get; init; }
}

/// <summary>struct socket.</summary>
public sealed class socket
{
    public socket_state state { get; set; }

    public short type { get; set; }

    public ulong flags { get; set; }

    public proto_ops ops { get; set; } = null!;

    public sock? sk { get; set; }

    /// <summary>O_NONBLOCK on the file.</summary>
    public bool nonblock { get; set; }
}
