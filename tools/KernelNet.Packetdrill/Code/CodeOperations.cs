using System;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;

namespace KernelNet.Packetdrill.Code;

/// <summary>
/// Python's semantics for the operators the subset has, over 64-bit ints:
/// floor division and modulo follow the divisor's sign, '/' yields a float,
/// bool counts as 0/1, and an int result that would not fit 64 bits is an
/// error rather than a silent wrap.
/// </summary>
internal static class CodeOperations
{
    public static CodeValue Unary(string op, CodeValue v, SourcePosition at)
    {
        if (op == "not")
        {
            return CodeValue.Bool(!v.IsTrue);
        }

        RequireNumber(op, v, at);
        return op switch
        {
            "-" when v.Kind == CodeValueKind.Float => CodeValue.Float(-v.FloatValue),
            "-" => CodeValue.Int(Checked(() => -v.Integer, at)),
            "+" => v.Kind == CodeValueKind.Float ? v : CodeValue.Int(v.Integer),
            "~" when v.IsIntegral => CodeValue.Int(~v.Integer),
            _ => throw TypeError($"bad operand type for unary {op}: '{v.TypeName}'", at),
        };
    }

    public static CodeValue Binary(string op, CodeValue a, CodeValue b, SourcePosition at)
    {
        if (op == "%" && a.Kind == CodeValueKind.Str)
        {
            return CodeValue.Str(Format(a.Text!, b, at));
        }

        if (op == "+" && a.Kind == CodeValueKind.Str && b.Kind == CodeValueKind.Str)
        {
            return CodeValue.Str(a.Text + b.Text);
        }

        if (!a.IsNumber || !b.IsNumber)
        {
            throw TypeError($"unsupported operand type(s) for {op}: '{a.TypeName}' and '{b.TypeName}'", at);
        }

        return op switch
        {
            "&" or "|" or "^" or "<<" or ">>" => Bitwise(op, a, b, at),
            "/" => CodeValue.Float(a.AsDouble / NonZero(b.AsDouble, at)),
            _ when a.Kind == CodeValueKind.Float || b.Kind == CodeValueKind.Float => FloatArithmetic(op, a.AsDouble, b.AsDouble, at),
            _ => CodeValue.Int(IntArithmetic(op, a.Integer, b.Integer, at)),
        };
    }

    public static bool Compare(string op, CodeValue a, CodeValue b, SourcePosition at)
    {
        int order;
        if (a.IsNumber && b.IsNumber)
        {
            order = a.Kind == CodeValueKind.Float || b.Kind == CodeValueKind.Float
                ? a.AsDouble.CompareTo(b.AsDouble)
                : a.Integer.CompareTo(b.Integer);
        }
        else if (a.Kind == CodeValueKind.Str && b.Kind == CodeValueKind.Str)
        {
            order = string.CompareOrdinal(a.Text, b.Text);
        }
        else if (op is "==" or "!=")
        {
            return op == "!=";
        }
        else
        {
            throw TypeError($"'{op}' not supported between instances of '{a.TypeName}' and '{b.TypeName}'", at);
        }

        return op switch
        {
            "==" => order == 0,
            "!=" => order != 0,
            "<" => order < 0,
            "<=" => order <= 0,
            ">" => order > 0,
            _ => order >= 0,
        };
    }

    public static CodeValue Call(string function, ImmutableArray<CodeValue> args, SourcePosition at)
    {
        switch (function)
        {
            case "int":
                RequireArity(function, args, 1, 1, at);
                return ToInt(args[0], at);
            case "abs":
                RequireArity(function, args, 1, 1, at);
                RequireNumber(function + "()", args[0], at);
                return args[0].Kind == CodeValueKind.Float ? CodeValue.Float(Math.Abs(args[0].FloatValue)) : CodeValue.Int(Checked(() => Math.Abs(args[0].Integer), at));
            default:
                RequireArity(function, args, 2, int.MaxValue, at);
                var best = args[0];
                foreach (var v in args.Skip(1))
                {
                    var better = function == "min" ? Compare("<", v, best, at) : Compare(">", v, best, at);
                    best = better ? v : best;
                }

                return best;
        }
    }

    private static CodeValue ToInt(CodeValue v, SourcePosition at)
    {
        switch (v.Kind)
        {
            case CodeValueKind.Float:
                if (!double.IsFinite(v.FloatValue) || Math.Abs(v.FloatValue) >= 9.2e18)
                {
                    throw new CodeEvaluationException(at, $"cannot convert float {v} to a 64-bit integer");
                }

                return CodeValue.Int((long)Math.Truncate(v.FloatValue));
            case CodeValueKind.Str:
                return long.TryParse(v.Text!.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
                    ? CodeValue.Int(n)
                    : throw new CodeEvaluationException(at, $"invalid literal for int() with base 10: '{v.Text}'");
            default:
                return CodeValue.Int(v.Integer);
        }
    }

    private static CodeValue Bitwise(string op, CodeValue a, CodeValue b, SourcePosition at)
    {
        if (!a.IsIntegral || !b.IsIntegral)
        {
            throw TypeError($"unsupported operand type(s) for {op}: '{a.TypeName}' and '{b.TypeName}'", at);
        }

        if (op is "<<" or ">>" && b.Integer < 0)
        {
            throw new CodeEvaluationException(at, "negative shift count");
        }

        return op switch
        {
            "&" => CodeValue.Int(a.Integer & b.Integer),
            "|" => CodeValue.Int(a.Integer | b.Integer),
            "^" => CodeValue.Int(a.Integer ^ b.Integer),
            "<<" => CodeValue.Int(ShiftLeft(a.Integer, b.Integer, at)),
            _ => CodeValue.Int(b.Integer >= 63 ? (a.Integer < 0 ? -1 : 0) : a.Integer >> (int)b.Integer),
        };
    }

    private static long ShiftLeft(long value, long count, SourcePosition at)
    {
        if (value == 0)
        {
            return 0;
        }

        var result = count < 63 ? value << (int)count : 0;
        return count < 63 && result >> (int)count == value ? result : throw Overflow(at);
    }

    private static long IntArithmetic(string op, long a, long b, SourcePosition at) => op switch
    {
        "+" => Checked(() => checked(a + b), at),
        "-" => Checked(() => checked(a - b), at),
        "*" => Checked(() => checked(a * b), at),
        "//" => FloorDiv(a, (long)NonZero(b, at)),
        "%" => FloorMod(a, (long)NonZero(b, at)),
        "**" => Power(a, b, at),
        _ => throw new CodeEvaluationException(at, $"unknown operator '{op}'"),
    };

    private static CodeValue FloatArithmetic(string op, double a, double b, SourcePosition at) => op switch
    {
        "+" => CodeValue.Float(a + b),
        "-" => CodeValue.Float(a - b),
        "*" => CodeValue.Float(a * b),
        "//" => CodeValue.Float(Math.Floor(a / NonZero(b, at))),
        "%" => CodeValue.Float(a - (b * Math.Floor(a / NonZero(b, at)))),
        "**" => CodeValue.Float(Math.Pow(a, b)),
        _ => throw new CodeEvaluationException(at, $"unknown operator '{op}'"),
    };

    private static long FloorDiv(long a, long b)
    {
        var q = a / b;
        return (a % b != 0) && ((a < 0) != (b < 0)) ? q - 1 : q;
    }

    private static long FloorMod(long a, long b)
    {
        var r = a % b;
        return r != 0 && ((r < 0) != (b < 0)) ? r + b : r;
    }

    private static long Power(long a, long b, SourcePosition at)
    {
        if (b < 0)
        {
            throw new CodeEvaluationException(at, "negative integer exponent (a float result) is not supported");
        }

        // 0, 1 and -1 never overflow, so they are answered without the loop.
        if (a is 0 or 1)
        {
            return b == 0 ? 1 : a;
        }

        if (a == -1)
        {
            return b % 2 == 0 ? 1 : -1;
        }

        long result = 1;
        for (long i = 0; i < b; i++)
        {
            result = Checked(() => checked(result * a), at);
        }

        return result;
    }

    private static double NonZero(double divisor, SourcePosition at) =>
        divisor == 0 ? throw new CodeEvaluationException(at, "division by zero") : divisor;

    private static long Checked(Func<long> compute, SourcePosition at)
    {
        try
        {
            return compute();
        }
        catch (OverflowException)
        {
            throw Overflow(at);
        }
    }

    private static CodeEvaluationException Overflow(SourcePosition at) => new(at, "integer result does not fit in 64 bits");

    private static CodeEvaluationException TypeError(string message, SourcePosition at) => new(at, message);

    private static void RequireNumber(string op, CodeValue v, SourcePosition at)
    {
        if (!v.IsNumber)
        {
            throw TypeError($"bad operand type for {op}: '{v.TypeName}'", at);
        }
    }

    private static void RequireArity(string function, ImmutableArray<CodeValue> args, int min, int max, SourcePosition at)
    {
        if (args.Length < min || args.Length > max)
        {
            var wanted = min == max ? $"{min}" : $"at least {min}";
            throw new CodeEvaluationException(at, $"{function}() takes {wanted} argument(s), got {args.Length}");
        }
    }

    // printf-style 'fmt' % value with one value: %d %i %u %s %r %x %X %o %f %%,
    // optional '-'/'0' flags and a width.
    private static string Format(string format, CodeValue arg, SourcePosition at)
    {
        var s = new StringBuilder();
        var used = 0;
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%')
            {
                s.Append(format[i]);
                continue;
            }

            var j = i + 1;
            var left = false;
            var zero = false;
            for (; j < format.Length && format[j] is '-' or '0'; j++)
            {
                left |= format[j] == '-';
                zero |= format[j] == '0';
            }

            var widthStart = j;
            while (j < format.Length && char.IsAsciiDigit(format[j]))
            {
                j++;
            }

            var width = j > widthStart ? int.Parse(format.AsSpan(widthStart, j - widthStart), CultureInfo.InvariantCulture) : 0;
            if (j >= format.Length)
            {
                throw new CodeEvaluationException(at, "incomplete format");
            }

            if (format[j] == '%')
            {
                s.Append('%');
                i = j;
                continue;
            }

            if (used++ > 0)
            {
                throw new CodeEvaluationException(at, "not enough arguments for format string (tuples are not supported)");
            }

            var text = Convert(format[j], arg, at);
            s.Append(left ? text.PadRight(width) : zero && format[j] != 's' ? PadZero(text, width) : text.PadLeft(width));
            i = j;
        }

        if (used == 0)
        {
            throw new CodeEvaluationException(at, "not all arguments converted during string formatting");
        }

        return s.ToString();
    }

    private static string PadZero(string text, int width) =>
        text.StartsWith('-') ? "-" + text[1..].PadLeft(width - 1, '0') : text.PadLeft(width, '0');

    private static string Convert(char conversion, CodeValue arg, SourcePosition at)
    {
        switch (conversion)
        {
            case 's':
                return arg.ToString();
            case 'r':
                return arg.Kind == CodeValueKind.Str ? $"'{arg.Text}'" : arg.ToString();
            case 'f':
                RequireNumber("%f", arg, at);
                return arg.AsDouble.ToString("F6", CultureInfo.InvariantCulture);
            case 'd' or 'i' or 'u' or 'x' or 'X' or 'o':
                RequireNumber($"%{conversion}", arg, at);
                var n = ToInt(arg, at).Integer;
                var abs = Checked(() => Math.Abs(n), at);
                var magnitude = conversion switch
                {
                    'x' => abs.ToString("x", CultureInfo.InvariantCulture),
                    'X' => abs.ToString("X", CultureInfo.InvariantCulture),
                    'o' => System.Convert.ToString(abs, 8),
                    _ => abs.ToString(CultureInfo.InvariantCulture),
                };
                return n < 0 ? "-" + magnitude : magnitude;
            default:
                throw new CodeEvaluationException(at, $"unsupported format character '{conversion}'");
        }
    }
}
