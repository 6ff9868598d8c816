namespace KernelNet.Packetdrill.Ast;

/// <summary>One entry of a packet's option list; ToString gives the script spelling.</summary>
public abstract record TcpOption(SourcePosition Position);
