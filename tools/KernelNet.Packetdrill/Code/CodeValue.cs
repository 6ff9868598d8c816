using System.Globalization;

namespace KernelNet.Packetdrill.Code;

/// <summary>A value computed by a %{ }% expression. Bool keeps 0/1 in <see cref="Integer"/>.</summary>
public readonly record struct CodeValue(CodeValueKind Kind, long Integer, double FloatValue, string? Text)
{
    /// <summary>An int.</summary>
    public static CodeValue Int(long value) => new(CodeValueKind.Int, value, 0, null);

    /// <summary>True or False.</summary>
    public static CodeValue Bool(bool value) => new(CodeValueKind.Bool, value ? 1 : 0, 0, null);

    /// <summary>A float.</summary>
    public static CodeValue Float(double value) => new(CodeValueKind.Float, 0, value, null);

    /// <summary>A str.</summary>
    public static CodeValue Str(string value) => new(CodeValueKind.Str, 0, 0, value);

    /// <summary>int or bool: what bitwise operators and shifts accept.</summary>
    public bool IsIntegral => Kind is CodeValueKind.Int or CodeValueKind.Bool;

    /// <summary>int, bool or float.</summary>
    public bool IsNumber => IsIntegral || Kind == CodeValueKind.Float;

    /// <summary>Python truth: non-zero numbers and non-empty strings.</summary>
    public bool IsTrue => Kind switch
    {
        CodeValueKind.Float => FloatValue != 0,
        CodeValueKind.Str => Text!.Length > 0,
        _ => Integer != 0,
    };

    /// <summary>The number as a double (for mixed int/float arithmetic).</summary>
    public double AsDouble => Kind == CodeValueKind.Float ? FloatValue : Integer;

    /// <summary>Python's str(): <c>7</c>, <c>True</c>, <c>2.5</c>, or the string itself.</summary>
    public override string ToString() => Kind switch
    {
        CodeValueKind.Bool => Integer != 0 ? "True" : "False",
        CodeValueKind.Float => FormatFloat(FloatValue),
        CodeValueKind.Str => Text!,
        _ => Integer.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Python's type name, for TypeError-style messages.</summary>
    public string TypeName => Kind switch
    {
        CodeValueKind.Bool => "bool",
        CodeValueKind.Float => "float",
        CodeValueKind.Str => "str",
        _ => "int",
    };

    // Python prints a whole float with ".0" (2.0), others shortest round-trip.
    private static string FormatFloat(double d)
    {
        var s = d.ToString("R", CultureInfo.InvariantCulture);
        return double.IsFinite(d) && !s.Contains('.', System.StringComparison.Ordinal) && !s.Contains('E', System.StringComparison.Ordinal) ? s + ".0" : s;
    }
}
