using System;

namespace KernelNet.Packetdrill.Ast;

/// <summary>
/// TCP header flags, in the header's bit order. Script letters: S SYN, F FIN,
/// R RST, P PSH, '.' ACK, E ECE, W CWR, U URG; '-' alone is no flags.
/// </summary>
[Flags]
public enum TcpFlags
{
    /// <summary>'-'.</summary>
    None = 0,

    /// <summary>'F'.</summary>
    Fin = 0x01,

    /// <summary>'S'.</summary>
    Syn = 0x02,

    /// <summary>'R'.</summary>
    Rst = 0x04,

    /// <summary>'P'.</summary>
    Psh = 0x08,

    /// <summary>'.'.</summary>
    Ack = 0x10,

    /// <summary>'U'.</summary>
    Urg = 0x20,

    /// <summary>'E'.</summary>
    Ece = 0x40,

    /// <summary>'W'.</summary>
    Cwr = 0x80,
}
