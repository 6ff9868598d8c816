// Ports the one structure of include/linux/types.h the port uses: struct
// callback_head, better known as struct rcu_head, the link an object embeds to
// be handed to call_rcu.
using System;

namespace KernelNet.Kernel.Include.Linux;

/// <summary>
/// struct callback_head (rcu_head): what an object embeds to wait on an RCU
/// grace period. C recovers the object with container_of; here the head keeps
/// a reference to its container.
/// </summary>
public sealed class rcu_head
{
    public rcu_head(object container)
    {
        this.container = container;
    }

    /// <summary>The object this head is embedded in (container_of).</summary>
    public object container { get; }

    /// <summary>The callback call_rcu was given.</summary>
    public Action<rcu_head>? func { get; set; }

    /// <summary>The grace-period number this callback waits for, once rcu_segcblist_accelerate gave it one.</summary>
    public ulong gp_seq { get; set; }

    /// <summary>The segment the callback is in (RCU_DONE_TAIL .. RCU_NEXT_TAIL of include/linux/rcu_segcblist.h).</summary>
    public int seg { get; set; }
}
