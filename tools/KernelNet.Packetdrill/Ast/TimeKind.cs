namespace KernelNet.Packetdrill.Ast;

/// <summary>How an event's time is written.</summary>
public enum TimeKind
{
    /// <summary>No time: an untimed backtick command or %{ }% block (the <c>`./defaults.sh`</c> header lines).</summary>
    None,

    /// <summary><c>0</c>, <c>0.100</c>: microseconds since the script started.</summary>
    Absolute,

    /// <summary><c>+0</c>, <c>+.01</c>: microseconds after the previous event.</summary>
    Relative,

    /// <summary><c>0.1~0.2</c>, <c>+.3~+.400</c>: any time in [Start, End]; each end absolute or relative on its own.</summary>
    Range,

    /// <summary><c>*</c>: any time.</summary>
    Any,
}
