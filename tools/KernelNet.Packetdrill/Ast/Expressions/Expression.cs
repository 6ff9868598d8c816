namespace KernelNet.Packetdrill.Ast.Expressions;

/// <summary>A syscall argument or result; ToString gives the script spelling.</summary>
public abstract record Expression(SourcePosition Position);
