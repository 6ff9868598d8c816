// Ports net/8021q/vlan_netlink.c: creating a VLAN device, as
// `ip link add link eth0 name eth0.10 type vlan id 10` does through
// rtnetlink (vlan_newlink is the builder's call here).
//
// not ported: the netlink attribute parsing and validation (vlan_validate),
// flags and QoS maps given at creation, changelink, fill_info.
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using static KernelNet.Kernel.Include.Linux.if_vlan_h;

namespace KernelNet.Kernel.Net.Net8021q;

public static class vlan_netlink_c
{
    // net/8021q/vlan_netlink.c: vlan_newlink
    /// <summary>
    /// A VLAN device named <paramref name="name"/> for VID <paramref name="vlan_id"/>
    /// over <paramref name="real_dev"/> (802.1Q), in the lower device's
    /// namespace, with the lower device's MTU; registered and entered in its
    /// group (register_vlan_dev). Returns the device, or null with
    /// <paramref name="err"/> (-EINVAL for a VID of 0 or 4095 and up,
    /// -EEXIST for a VID already configured).
    /// </summary>
    public static net_device? vlan_newlink(net_device real_dev, string name, ushort vlan_id, out int err)
    {
        // not ported: nla_get_be16_default, nla_get_u16, nla_get_u32, rtnl_newlink_link_net — no netlink messages or notifier chains
        // not ported: __dev_get_by_index — the caller hands over the lower device itself, not an IFLA_LINK index
        var proto = Include.Uapi.Linux.if_ether_h.ETH_P_8021Q;

        // vlan_validate: VIDs 0 and 4095 are reserved.
        if (vlan_id == 0 || vlan_id >= VLAN_VID_MASK)
        {
            err = -errno_base_h.EINVAL;
            return null;
        }

        err = vlan_c.vlan_check_real_dev(real_dev, proto, vlan_id);
        if (err < 0)
        {
            return null;
        }

        // rtnl_create_link: alloc_netdev with vlan_setup; the private area is the vlan_dev_priv.
        var dev = new net_device(real_dev.nd_net, name, 1, 1);
        vlan_dev_c.vlan_setup(dev);
        dev.priv = new vlan_dev_priv { vlan_proto = proto, vlan_id = vlan_id, real_dev = real_dev };

        // departure: register_netdevice calls ndo_init in 6.18; the port's does not, so it is called here.
        vlan_dev_c.vlan_dev_init(dev);

        // not ported: netif_reduces_vlan_mtu — true only over a MACsec device, which is not ported: the VLAN device
        //   takes the lower device's MTU whether or not the lower device inserts tags itself
        var max_mtu = real_dev.mtu;
        dev.mtu = max_mtu;

        // not ported: vlan_changelink, vlan_dev_free_egress_priority — no flags or QoS maps at creation (see the
        //   header): nothing to apply, nor to free when registering fails

        err = vlan_c.register_vlan_dev(dev);
        return err < 0 ? null : dev;
    }
}
