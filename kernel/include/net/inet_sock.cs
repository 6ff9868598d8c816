// Ports include/net/inet_sock.h: struct inet_sock, a socket's IPv4 identity.
namespace KernelNet.Kernel.Include.Net;

/// <summary>struct inet_sock (the IPv4 part of every INET socket; protocol parts extend it).</summary>
public class inet_sock
{
    public inet_sock(sock sk)
    {
        this.sk = sk;
    }

    public sock sk { get; }

    /// <summary>Bound local address (inet_rcv_saddr).</summary>
    public uint inet_rcv_saddr { get; set; }

    /// <summary>Source address used for sending.</summary>
    public uint inet_saddr { get; set; }

    /// <summary>Connected peer address.</summary>
    public uint inet_daddr { get; set; }

    /// <summary>Local port number (inet_num, host order).</summary>
    public ushort inet_num { get; set; }

    /// <summary>Source port (inet_sport, host order here).</summary>
    public ushort inet_sport { get; set; }

    /// <summary>Destination port of a connected socket.</summary>
    public ushort inet_dport { get; set; }

    /// <summary>The per-socket IP ID counter.</summary>
    public int inet_id { get; set; }

    public int uc_ttl { get; set; } = -1;

    public byte tos { get; set; }

    /// <summary>IP_PMTUDISC_*: WANT by default (DF set on packets that fit).</summary>
    public byte pmtudisc { get; set; } = 1;

    /// <summary>IP_RECVERR.</summary>
    public bool recverr { get; set; }

    public int inet_bound_dev_if { get; set; }

    /// <summary>inet->cork: the options and route of the data queued by ip_append_data.</summary>
    public ipcm_cookie? cork_ipc { get; set; }

    public rtable? cork_rt { get; set; }
}
