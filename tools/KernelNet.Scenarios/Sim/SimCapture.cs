using System.Collections.Generic;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Machine;
using KernelNet.Scenarios.Oracle;
using Libc = KernelNet.Machine.Libc;

namespace KernelNet.Scenarios.Sim;

/// <summary>
/// A capture on one device, as the recorder takes it on real Linux: an AF_PACKET socket for
/// ETH_P_ALL bound to the device, opened before the first step and read out after the last,
/// so the tap is the kernel's own (dev_queue_xmit_nit on the way out, ptype_all on the way in).
/// </summary>
internal sealed class SimCapture
{
    // as the recorder's read-out buffer (PacketSocket.Drain): a 65535-byte datagram on lo is a 65549-byte frame
    private const int MaxFrame = 65536 + 64;
    private const int SO_RCVBUFFORCE = 33;
    private const uint SIOCGSTAMP = 0x8906;

    private readonly Topology _t;
    private readonly SimTask _process;
    private readonly string _comm;
    private int _fd = -1;

    public SimCapture(Topology t, SimTask process, string comm, net_device device)
    {
        _t = t;
        _process = process;
        _comm = comm;
        Device = device;
        RunInProcess(async libc =>
        {
            _fd = (int)await libc.Socket(Libc.AF_PACKET, Libc.SOCK_RAW, Libc.Htons(Libc.ETH_P_ALL));
            if (_fd >= 0 && await libc.BindPacket(_fd, Libc.ETH_P_ALL, device.ifindex) < 0)
            {
                _fd = -1;
            }

            // as the recorder's capture: a buffer for the whole scenario, or a large transfer
            // (a 65000-byte ping in 67 fragments each way) overflows it and frames go missing
            if (_fd >= 0)
            {
                _ = await libc.SetSockOpt(_fd, Libc.SOL_SOCKET, SO_RCVBUFFORCE, PacketSocket.CaptureBufferBytes);
            }

            // as the recorder: SIOCGSTAMP turns on the kernel's capture timestamps (ENOENT: none read yet)
            if (_fd >= 0)
            {
                _ = await libc.Ioctl(_fd, SIOCGSTAMP, new byte[16]);
            }
        });
        if (_fd < 0)
        {
            throw new System.InvalidOperationException($"capture on {device.name}: the AF_PACKET socket could not be opened");
        }
    }

    public net_device Device { get; }

    /// <summary>
    /// Every frame the tap queued, in order, and the socket closed. A frame's time is the kernel's
    /// capture time (SIOCGSTAMP after each read), on the virtual clock.
    /// </summary>
    public List<CapturedFrame> Drain()
    {
        var frames = new List<CapturedFrame>();
        RunInProcess(async libc =>
        {
            while (true)
            {
                var r = await libc.RecvFrom(_fd, MaxFrame, Libc.MSG_DONTWAIT);
                if (r.Ret < 0)
                {
                    break;
                }

                var stamp = new byte[16];
                var micros = await libc.Ioctl(_fd, SIOCGSTAMP, stamp) == 0
                    ? (System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(stamp) * 1_000_000) + System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(System.MemoryExtensions.AsSpan(stamp, 8))
                    : libc.Now / 1000;
                frames.Add(new CapturedFrame(micros, 0, r.Data));
            }

            _ = await libc.Close(_fd);
        });
        return frames;
    }

    private void RunInProcess(System.Func<Libc, System.Threading.Tasks.Task> program)
    {
        var task = _t.Syscalls.SpawnThread(_process, _comm, 0, program);
        var limit = _t.Sim.Now + 1_000_000_000;
        while (task.State != TaskState.Dead && _t.Sim.Now < limit)
        {
            _t.Run(_t.Sim.Now + 1_000_000);
        }
    }
}
