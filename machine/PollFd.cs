namespace KernelNet.Machine;

/// <summary>struct pollfd as a program fills it for poll(): the descriptor, the events asked for, and what poll reported.</summary>
public sealed class PollFd
{
    public PollFd(int fd, short events)
    {
        Fd = fd;
        Events = events;
    }

    public int Fd { get; }

    public short Events { get; }

    /// <summary>Written by poll().</summary>
    public short Revents { get; set; }
}
