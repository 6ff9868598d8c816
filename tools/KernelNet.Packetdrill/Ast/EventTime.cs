namespace KernelNet.Packetdrill.Ast;

/// <summary>
/// When an event happens. <see cref="Start"/> holds the time for Absolute and
/// Relative; Range adds <see cref="End"/>; Any and None use neither.
/// <see cref="BlockingEnd"/> is the <c>...</c> end of a blocking syscall
/// (<c>+.1...0.200 connect(...)</c>): the call starts at Start and returns at BlockingEnd.
/// </summary>
public sealed record EventTime(TimeKind Kind, TimePoint Start, TimePoint? End, TimePoint? BlockingEnd)
{
    /// <summary>The time of an untimed command or code block.</summary>
    public static EventTime Untimed { get; } = new(TimeKind.None, default, null, null);

    /// <summary><c>*</c>.</summary>
    public static EventTime AnyTime { get; } = new(TimeKind.Any, default, null, null);

    /// <summary>Script spelling: <c>+0.010000</c>, <c>0.100000~0.200000</c>, <c>*</c>, and <c>...END</c> when blocking.</summary>
    public override string ToString()
    {
        var text = Kind switch
        {
            TimeKind.None => string.Empty,
            TimeKind.Any => "*",
            TimeKind.Range => $"{Start}~{End}",
            _ => Start.ToString(),
        };
        return BlockingEnd is { } end ? $"{text}...{end}" : text;
    }
}
