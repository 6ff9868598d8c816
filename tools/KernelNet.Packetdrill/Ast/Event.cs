namespace KernelNet.Packetdrill.Ast;

/// <summary>One timed line of a script (it may span several source lines, as a recvmsg struct does).</summary>
public abstract record Event(EventTime Time, SourcePosition Position)
{
    /// <summary>The source line the event starts on.</summary>
    public int Line => Position.Line;
}
