// Ports include/net/rps.h: the tables of Receive Packet Steering (a CPU map
// per RX queue) and Receive Flow Steering (the CPU each flow's reader last
// ran on, globally, and where each flow was last steered, per RX queue), and
// the inline helpers sockets call to record their flow.
//
// not ported: accelerated RFS (the rps_dev_flow filter/hash used by
// ndo_rx_flow_steer: no ported NIC steers flows in hardware).
using KernelNet.Kernel.Include.Linux;

namespace KernelNet.Kernel.Include.Net;

/// <summary>struct rps_map: the CPUs an RX queue's packets are spread over (rx-N/rps_cpus).</summary>
public sealed class rps_map
{
    public rps_map(ushort[] cpus)
    {
        this.cpus = cpus;
    }

    public uint len => (uint)cpus.Length;

    public ushort[] cpus { get; }
}

/// <summary>struct rps_dev_flow: where a flow was last steered, and that CPU's queue tail then.</summary>
public struct rps_dev_flow
{
    public ushort cpu;

    public uint last_qtail;
}

/// <summary>struct rps_dev_flow_table: an RX queue's flows (rx-N/rps_flow_cnt entries, a power of two).</summary>
public sealed class rps_dev_flow_table
{
    public rps_dev_flow_table(byte log)
    {
        this.log = log;
        flows = new rps_dev_flow[1 << log];
        for (var i = 0; i < flows.Length; i++)
        {
            flows[i].cpu = rps_h.RPS_NO_CPU;
        }
    }

    public byte log { get; }

    public rps_dev_flow[] flows { get; }
}

/// <summary>struct rps_sock_flow_table: per flow hash, the CPU its socket was last read or written on (net.core.rps_sock_flow_entries).</summary>
public sealed class rps_sock_flow_table
{
    public rps_sock_flow_table(uint entries)
    {
        mask = entries - 1;
        ents = new uint[entries];
        for (var i = 0; i < ents.Length; i++)
        {
            ents[i] = rps_h.RPS_NO_CPU;
        }
    }

    public uint mask { get; }

    public uint[] ents { get; }
}

public static class rps_h
{
    /// <summary>RPS_NO_CPU: no CPU recorded.</summary>
    public const ushort RPS_NO_CPU = 0xffff;

    // include/net/rps.h: rps_record_sock_flow
    /// <summary>Records the running CPU for the flow: the hash's high bits identify the flow, the low bits (rps_cpu_mask) the CPU.</summary>
    public static void rps_record_sock_flow(Vmlinux k, rps_sock_flow_table table, uint hash)
    {
        // not ported: raw_smp_processor_id — the CPU comes from k.smp_processor_id()
        var index = hash & table.mask;
        var val = hash & ~k.net_hotdata.rps_cpu_mask;

        // a hint only: the task may move to another CPU right after
        val |= (uint)k.smp_processor_id();
        if (table.ents[index] != val)
        {
            table.ents[index] = val;
        }
    }

    // include/net/rps.h: _sock_rps_record_flow_hash
    private static void _sock_rps_record_flow_hash(Vmlinux k, uint hash)
    {
        if (hash == 0)
        {
            return;
        }

        // rcu_read_lock(): the table is swapped under RCU by the sysctl handler.
        if (k.net_hotdata.rps_sock_flow_table is { } sock_flow_table)
        {
            rps_record_sock_flow(k, sock_flow_table, hash);
        }
    }

    // include/net/rps.h: _sock_rps_record_flow
    /// <summary>Only an established socket has a flow worth steering (its rxhash came from its peer's packets).</summary>
    private static void _sock_rps_record_flow(sock sk)
    {
        if (sk.sk_state == sock_h.TCP_ESTABLISHED)
        {
            _sock_rps_record_flow_hash(sk.sk_net.k, sk.sk_rxhash);
        }
    }

    // include/net/rps.h: _sock_rps_delete_flow
    private static void _sock_rps_delete_flow(sock sk)
    {
        var hash = sk.sk_rxhash;
        if (hash == 0)
        {
            return;
        }

        if (sk.sk_net.k.net_hotdata.rps_sock_flow_table is { } table)
        {
            var index = hash & table.mask;
            if (table.ents[index] != RPS_NO_CPU)
            {
                table.ents[index] = RPS_NO_CPU;
            }
        }
    }

    // include/net/rps.h: rfs_is_needed
    /// <summary>The rfs_needed static key: on while net.core.rps_sock_flow_entries is non-zero.</summary>
    public static bool rfs_is_needed(Vmlinux k) => k.net_hotdata.rfs_needed > 0;

    // include/net/rps.h: sock_rps_record_flow
    /// <summary>recvmsg/sendmsg/accept: remember that this socket's flow is handled on the running CPU (RFS).</summary>
    public static void sock_rps_record_flow(sock sk)
    {
        if (!rfs_is_needed(sk.sk_net.k))
        {
            return;
        }

        _sock_rps_record_flow(sk);
    }

    // include/net/rps.h: sock_rps_delete_flow
    public static void sock_rps_delete_flow(sock sk)
    {
        if (!rfs_is_needed(sk.sk_net.k))
        {
            return;
        }

        _sock_rps_delete_flow(sk);
    }

    // include/net/rps.h: rps_input_queue_tail_incr
    /// <summary>One more packet queued on the backlog: the tail count RFS compares flows against.</summary>
    public static uint rps_input_queue_tail_incr(softnet_data sd) => ++sd.input_queue_tail;

    // include/net/rps.h: rps_input_queue_tail_save
    public static void rps_input_queue_tail_save(ref uint dest, uint tail) => dest = tail;

    // include/net/rps.h: rps_input_queue_head_add
    /// <summary><paramref name="val"/> more packets left the backlog.</summary>
    public static void rps_input_queue_head_add(softnet_data sd, int val) => sd.input_queue_head += (uint)val;
}
