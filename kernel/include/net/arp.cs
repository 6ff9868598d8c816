// Ports include/net/arp.h's lookup of an IPv4 neighbour.
//
// not ported: arp_hashfn (the port's table is a dictionary by device and
// key), the confirm and create helpers — their callers use neighbour.h's.
using KernelNet.Kernel.Include.Linux;

namespace KernelNet.Kernel.Include.Net;

public static class arp_h
{
    // include/net/arp.h: __ipv4_neigh_lookup_noref
    /// <summary>The arp_tbl entry for <paramref name="key"/> on <paramref name="dev"/>; a loopback or point-to-point device has one entry, under INADDR_ANY.</summary>
    public static neighbour? __ipv4_neigh_lookup_noref(net_device dev, uint key)
    {
        // not ported: ___neigh_lookup_noref — the table is a dictionary: __neigh_lookup_noref looks the key up
        if ((dev.flags & (net_device.IFF_LOOPBACK | net_device.IFF_POINTOPOINT)) != 0)
        {
            key = 0;
        }

        return neighbour_h.__neigh_lookup_noref(dev.nd_net.k.globals<KernelNet.Kernel.Net.Ipv4.arp_globals>().arp_tbl, key, dev);
    }
}
