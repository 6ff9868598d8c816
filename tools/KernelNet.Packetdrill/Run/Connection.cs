using System.Collections.Generic;

namespace KernelNet.Packetdrill.Run;

/// <summary>
/// One TCP connection of a script, as the runner maps it between script space
/// and the live kernel (packetdrill's socket.h rules, in our own code): the
/// remote side's numbers are the script's own (its live ISN is the script's
/// SYN sequence number), the local side's live ISN is learned from the
/// kernel's first SYN or SYN-ACK. A SYN's own sequence number maps by the ISN
/// difference; every other sequence number is relative to the live ISN.
/// </summary>
public sealed class Connection
{
    public ushort LocalPort { get; set; }

    /// <summary>Whether <paramref name="live"/> was sent by this connection (its ports).</summary>
    public bool Matches(TcpSegment live) => live.SourcePort == LocalPort && live.DestinationPort == RemotePort;

    public ushort RemotePort { get; set; }

    public uint ScriptLocalIsn { get; set; }

    public uint LiveLocalIsn { get; set; }

    public bool LocalIsnKnown { get; set; }

    public uint LiveRemoteIsn { get; set; }

    /// <summary>The script TS val -> actual TS val of every outbound packet matched so far.</summary>
    public Dictionary<uint, uint> TsValMap { get; } = new();

    public bool FoundFirstTs { get; set; }

    public uint FirstScriptTsVal { get; set; }

    public uint FirstActualTsVal { get; set; }

    /// <summary>Added to a script sequence number of the remote side to make it live.</summary>
    public uint RemoteSeqScriptToLive(bool syn) => syn ? 0 : LiveRemoteIsn;

    /// <summary>Added to a script sequence number of the local side (an inbound ack, an outbound seq) to make it live.</summary>
    public uint LocalSeqScriptToLive(bool syn) => syn ? LiveLocalIsn - ScriptLocalIsn : LiveLocalIsn;

    /// <summary>Learns the kernel's ISN from its SYN or SYN-ACK (script and live sequence numbers).</summary>
    public void LearnLocalIsn(uint script, uint live)
    {
        ScriptLocalIsn = script;
        LiveLocalIsn = live;
        LocalIsnKnown = true;
    }

    /// <summary>
    /// Maps an outbound packet's TS val to script space: remembers script val
    /// -> actual val (for the ecr of later inbound packets), and rewrites the
    /// actual val relative to the first one seen.
    /// </summary>
    public uint MapOutboundTsVal(uint scriptVal, uint actualVal)
    {
        TsValMap[scriptVal] = actualVal;
        if (!FoundFirstTs)
        {
            FoundFirstTs = true;
            FirstScriptTsVal = scriptVal;
            FirstActualTsVal = actualVal;
        }

        return FirstScriptTsVal + (actualVal - FirstActualTsVal);
    }

    /// <summary>
    /// The live TS ecr for an inbound packet's script ecr: an exact earlier
    /// outbound val; else, with <paramref name="scaled"/> (--tcp_ts_ecr_scaled)
    /// and a first outbound TS seen, the ecr shifted as the vals are; else null.
    /// </summary>
    public uint? MapInboundTsEcr(uint scriptEcr, bool scaled = false)
    {
        if (TsValMap.TryGetValue(scriptEcr, out var live))
        {
            return live;
        }

        return scaled && FoundFirstTs ? unchecked(scriptEcr - FirstScriptTsVal + FirstActualTsVal) : null;
    }
}
