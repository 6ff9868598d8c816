using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using KernelNet.Machine;

namespace KernelNet.Tests.Support;

/// <summary>
/// The far end of a cable, as a test device (STYLE 17): it sends frames
/// onto the wire (appending the FCS) and records every frame it receives.
/// </summary>
public sealed class WireTap : ICablePort
{
    private readonly KernelNet.Machine.Machine _machine;
    private Cable? _cable;

    public WireTap(KernelNet.Machine.Machine machine)
    {
        _machine = machine;
    }

    public List<byte[]> Received { get; } = new();

    public void Attach(Cable cable) => _cable = cable;

    public void ReceiveFromWire(byte[] frame) => Received.Add(frame);

    /// <summary>Sends <paramref name="frame"/> (without FCS) at virtual time <paramref name="at"/>; returns when it has left.</summary>
    public long Send(byte[] frame, long at)
    {
        var padded = new byte[Math.Max(frame.Length, 60) + 4];
        frame.CopyTo(padded, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(padded.AsSpan(padded.Length - 4), Frames.Crc32(padded.AsSpan(0, padded.Length - 4)));
        return _cable!.Transmit(this, padded, at);
    }

    /// <summary>Puts <paramref name="frameWithFcs"/> on the wire exactly as given (a runt, a frame with a bad FCS) at <paramref name="at"/>.</summary>
    public long SendRaw(byte[] frameWithFcs, long at) => _cable!.Transmit(this, frameWithFcs, at);

    /// <summary>Sends frames back to back at line rate, starting at <paramref name="at"/>.</summary>
    public void Burst(IEnumerable<byte[]> frames, long at)
    {
        foreach (var f in frames)
        {
            Send(f, at);
        }
    }
}
