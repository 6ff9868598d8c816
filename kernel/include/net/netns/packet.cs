// Ports include/net/netns/packet.h: struct netns_packet, a namespace's list
// of packet sockets.
using System.Collections.Generic;

namespace KernelNet.Kernel.Include.Net.Netns;

/// <summary>struct netns_packet.</summary>
public sealed class netns_packet
{
    /// <summary>sklist: every packet socket of the namespace, in creation order (/proc/net/packet's rows).</summary>
    public List<sock> sklist { get; } = new();
}
