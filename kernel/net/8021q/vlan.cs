// Ports net/8021q/vlan.c and vlan.h: registering an 802.1Q device on a
// lower device (`ip link add link eth0 name eth0.10 type vlan id 10`) and
// the per-lower-device table of VLAN devices by TPID and VID that the
// receive path looks up (vlan_find_dev).
//
// The kernel of the machines recorded has no 8021q (CONFIG_VLAN_8021Q is
// not set): VLAN devices exist in the simulation only, pinned by tests and
// snapshots. With no VLAN device configured, the receive path behaves as that
// kernel's does (vlan_do_receive finds nothing either way).
//
// not ported: netlink (vlan_newlink: the builder calls register_vlan_dev),
// GVRP/MVRP, the VID filter of the lower device (vlan_vid_add calls no
// ndo_vlan_rx_add_vid: no ported driver filters VLANs), notifier handling
// (vlan_device_event: a lower device going down or away), /proc/net/vlan,
// the upper/lower device links (netdev_upper_dev_link), QinQ stacking limits.
using System.Collections.Generic;
using KernelNet.Kernel.Include.Linux;
using static KernelNet.Kernel.Include.Linux.if_vlan_h;

// departure: "8021q" is no C# identifier; the namespace spells it Net8021q.
namespace KernelNet.Kernel.Net.Net8021q;

/// <summary>struct vlan_group: the VLAN devices of one lower device, by TPID and VID (the kernel's two-level arrays).</summary>
public sealed class vlan_group
{
    public uint nr_vlan_devs { get; set; }

    public Dictionary<(ushort Proto, ushort Vid), net_device> vlan_devices_arrays { get; } = new();
}

/// <summary>struct vlan_info: hung off the lower device (dev->vlan_info) once it has a VLAN device.</summary>
public sealed class vlan_info
{
    public vlan_info(net_device real_dev) => this.real_dev = real_dev;

    public net_device real_dev { get; }

    public vlan_group grp { get; } = new();

    /// <summary>The VIDs added to the lower device (vlan_vid_info list), by TPID and VID, with their reference counts.</summary>
    public Dictionary<(ushort Proto, ushort Vid), int> vid_list { get; } = new();
}

public static class vlan_h
{
    // not ported: vlan_proto_idx, __vlan_group_get_device — the group is one dictionary keyed by (TPID, VID), not
    //   arrays indexed by TPID slot and VID block: an unknown TPID simply finds nothing
    // net/8021q/vlan.h: vlan_group_get_device
    /// <summary>The VLAN device of <paramref name="vlan_id"/> under this TPID, or null.</summary>
    public static net_device? vlan_group_get_device(vlan_group vg, ushort vlan_proto, ushort vlan_id) =>
        vg.vlan_devices_arrays.TryGetValue((vlan_proto, vlan_id), out var d) ? d : null;

    // net/8021q/vlan.h: vlan_group_set_device
    public static void vlan_group_set_device(vlan_group vg, ushort vlan_proto, ushort vlan_id, net_device? dev)
    {
        // not ported: vlan_proto_idx — the group is one dictionary keyed by (TPID, VID)
        if (dev is null)
        {
            vg.vlan_devices_arrays.Remove((vlan_proto, vlan_id));
            return;
        }

        vg.vlan_devices_arrays[(vlan_proto, vlan_id)] = dev;
    }

    // net/8021q/vlan.h: vlan_find_dev
    /// <summary>The VLAN device on <paramref name="real_dev"/> for this tag, or null when the lower device has none (no vlan_info).</summary>
    public static net_device? vlan_find_dev(net_device real_dev, ushort vlan_proto, ushort vlan_id)
    {
        if (real_dev.vlan_info is vlan_info vi)
        {
            return vlan_group_get_device(vi.grp, vlan_proto, vlan_id);
        }

        return null;
    }
}

public static class vlan_c
{
    // net/8021q/vlan.c: vlan_check_real_dev
    /// <summary>The lower device can carry this VID: not VLAN-challenged, and no VLAN device of that TPID and VID exists yet (-EEXIST).</summary>
    public static int vlan_check_real_dev(net_device real_dev, ushort protocol, ushort vlan_id)
    {
        if ((real_dev.features & netdev_features_h.NETIF_F_VLAN_CHALLENGED) != 0)
        {
            return -Include.Uapi.AsmGeneric.errno_h.EOPNOTSUPP;
        }

        if (vlan_h.vlan_find_dev(real_dev, protocol, vlan_id) is not null)
        {
            return -Include.Uapi.AsmGeneric.errno_base_h.EEXIST;
        }

        return 0;
    }

    // net/8021q/vlan.c: register_vlan_dev
    /// <summary>
    /// Adds the VID to the lower device (vlan_vid_add, giving it a vlan_info
    /// on the first), registers the VLAN device and enters it in the lower
    /// device's group, where vlan_do_receive finds it. 0 or -errno.
    /// </summary>
    public static int register_vlan_dev(net_device dev)
    {
        // not ported: vlan_gvrp_uninit_applicant, vlan_mvrp_uninit_applicant — no GVRP/MVRP registration
        var vlan = vlan_dev_priv(dev);
        var real_dev = vlan.real_dev;
        var vlan_id = vlan.vlan_id;

        var err = vlan_core_c.vlan_vid_add(real_dev, vlan.vlan_proto, vlan_id);
        if (err != 0)
        {
            return err;
        }

        var vlan_info = (vlan_info)real_dev.vlan_info!;
        var grp = vlan_info.grp;

        // not ported: vlan_gvrp_init_applicant, vlan_mvrp_init_applicant — no GVRP/MVRP.
        // not ported: vlan_group_prealloc_vid — the group is a dictionary: no per-VID array block to allocate
        // not ported: unregister_netdevice — it undoes a failed netdev_upper_dev_link, not ported (below)
        // not ported: linkwatch_fire_event — operstate is not modelled: no linkwatch
        // not ported: netdev_update_features — the VLAN device's features are set once from the lower device in
        //   vlan_dev_init: no feature renegotiation (see vlan_dev.c)
        // not ported: netdev_upper_dev_link — no upper/lower links are kept.
        err = Core.dev_c.register_netdevice(dev);
        if (err < 0)
        {
            vlan_core_c.vlan_vid_del(real_dev, vlan.vlan_proto, vlan_id);
            return err;
        }

        // Account for the reference in struct vlan_dev_priv (dev_hold: no refcounts here).
        // not ported: vlan_stacked_transfer_operstate — operstate is not modelled.
        grp.nr_vlan_devs++;
        vlan_h.vlan_group_set_device(grp, vlan.vlan_proto, vlan_id, dev);
        return 0;
    }

    // net/8021q/vlan.h: vlan_get_ingress_priority
    /// <summary>skb->priority for a received tag: the device's ingress map at the PCP.</summary>
    public static uint vlan_get_ingress_priority(net_device dev, ushort vlan_tci) =>
        vlan_dev_priv(dev).ingress_priority_map[(vlan_tci >> VLAN_PRIO_SHIFT) & 0x7];
}
