namespace KernelNet.Machine;

/// <summary>
/// What one kind of system call of a task copied, summed over its calls: the CPU's copies in the
/// task's context while it ran, and the devices' DMA data copies (machine-wide) between its entry
/// and its exit. The kernel's syscall entry fills it; the run's report prints it.
/// </summary>
public sealed class SyscallCopyCount
{
    public long Calls { get; set; }

    public long CpuCopies { get; set; }

    public long CpuBytes { get; set; }

    public long DmaReads { get; set; }

    public long DmaBytesRead { get; set; }

    public long DmaWrites { get; set; }

    public long DmaBytesWritten { get; set; }
}
