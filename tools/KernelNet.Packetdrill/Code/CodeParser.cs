using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace KernelNet.Packetdrill.Code;

/// <summary>
/// Recursive descent for the assertion subset, following Python's precedence:
/// or, and, not, comparison chain, |, ^, &amp;, shifts, + -, * / // %, unary, **.
/// </summary>
internal sealed class CodeParser
{
    private static readonly ImmutableHashSet<string> ComparisonOperators = ImmutableHashSet.Create("<", ">", "==", "!=", "<=", ">=");
    private static readonly ImmutableHashSet<string> Keywords = ImmutableHashSet.Create("assert", "and", "or", "not", "True", "False");

    private readonly string _code;
    private readonly List<CodeToken> _tokens;
    private readonly List<string> _variables = new();
    private int _next;

    public CodeParser(string code, SourcePosition start)
    {
        _code = code;
        _tokens = CodeLexer.Tokenize(code, start);
    }

    private CodeToken Peek => _tokens[_next];

    public CodeBlock ParseBlock()
    {
        var statements = ImmutableArray.CreateBuilder<AssertStatement>();
        SkipSeparators();
        while (Peek.Kind != CodeTokenKind.End)
        {
            statements.Add(ParseAssert());
            if (Peek.Kind != CodeTokenKind.End && Peek.Kind != CodeTokenKind.Separator)
            {
                throw Fail(Peek, "';' or end of line after the assertion");
            }

            SkipSeparators();
        }

        return new CodeBlock(statements.ToImmutable(), _variables.ToImmutableArray());
    }

    private void SkipSeparators()
    {
        while (Peek.Kind == CodeTokenKind.Separator)
        {
            _next++;
        }
    }

    private AssertStatement ParseAssert()
    {
        var first = Peek;
        if (!(first.Kind == CodeTokenKind.Name && first.Text == "assert"))
        {
            throw Fail(first, "'assert' (only assertions are supported in %{ }% blocks)");
        }

        _next++;
        var condition = ParseTest();
        var message = Accept(",") ? ParseTest() : null;
        var text = _code[first.Start.._tokens[_next - 1].End];
        return new AssertStatement(first.Position, condition, message, text);
    }

    private CodeExpression ParseTest() => ParseOr();

    private CodeExpression ParseOr()
    {
        var left = ParseAnd();
        while (Peek.Kind == CodeTokenKind.Name && Peek.Text == "or")
        {
            var op = Take();
            left = new CodeLogical(op.Position, "or", left, ParseAnd());
        }

        return left;
    }

    private CodeExpression ParseAnd()
    {
        var left = ParseNot();
        while (Peek.Kind == CodeTokenKind.Name && Peek.Text == "and")
        {
            var op = Take();
            left = new CodeLogical(op.Position, "and", left, ParseNot());
        }

        return left;
    }

    private CodeExpression ParseNot()
    {
        if (Peek.Kind == CodeTokenKind.Name && Peek.Text == "not")
        {
            var op = Take();
            if (++_nesting > MaxNesting)
            {
                throw Fail(Peek, $"at most {MaxNesting} nested expressions");
            }

            try
            {
                return new CodeUnary(op.Position, "not", ParseNot());
            }
            finally
            {
                _nesting--;
            }
        }

        return ParseComparison();
    }

    private CodeExpression ParseComparison()
    {
        var first = ParseBitOr();
        if (!IsComparison(Peek))
        {
            return first;
        }

        var operands = ImmutableArray.CreateBuilder<CodeExpression>();
        var operators = ImmutableArray.CreateBuilder<string>();
        operands.Add(first);
        while (IsComparison(Peek))
        {
            operators.Add(Take().Text);
            operands.Add(ParseBitOr());
        }

        return new CodeComparison(first.Position, operands.ToImmutable(), operators.ToImmutable());
    }

    private static bool IsComparison(CodeToken t) => t.Kind == CodeTokenKind.Operator && ComparisonOperators.Contains(t.Text);

    private CodeExpression ParseBitOr() => ParseLeftAssociative(ParseBitXor, "|");

    private CodeExpression ParseBitXor() => ParseLeftAssociative(ParseBitAnd, "^");

    private CodeExpression ParseBitAnd() => ParseLeftAssociative(ParseShift, "&");

    private CodeExpression ParseShift() => ParseLeftAssociative(ParseArithmetic, "<<", ">>");

    private CodeExpression ParseArithmetic() => ParseLeftAssociative(ParseTerm, "+", "-");

    private CodeExpression ParseTerm() => ParseLeftAssociative(ParseFactor, "*", "/", "//", "%");

    private CodeExpression ParseLeftAssociative(System.Func<CodeExpression> operand, params string[] operators)
    {
        var left = operand();
        while (Peek.Kind == CodeTokenKind.Operator && operators.Contains(Peek.Text))
        {
            var op = Take();
            left = new CodeBinary(op.Position, op.Text, left, operand());
        }

        return left;
    }

    /// <summary>How deep parentheses and unary operators may nest in a %{ }% expression (the parser recurses per level).</summary>
    internal const int MaxNesting = 1000;

    private int _nesting;

    private CodeExpression ParseFactor()
    {
        if (++_nesting > MaxNesting)
        {
            throw Fail(Peek, $"at most {MaxNesting} nested expressions");
        }

        try
        {
            return ParseFactorNested();
        }
        finally
        {
            _nesting--;
        }
    }

    private CodeExpression ParseFactorNested()
    {
        if (Peek.Kind == CodeTokenKind.Operator && Peek.Text is "-" or "+" or "~")
        {
            var op = Take();
            return new CodeUnary(op.Position, op.Text, ParseFactor());
        }

        return ParsePower();
    }

    // ATOM ['**' FACTOR]: right-associative, and binds tighter than a unary minus on its left.
    private CodeExpression ParsePower()
    {
        var atom = ParseAtom();
        if (!Peek.Is("**") || Peek.Kind != CodeTokenKind.Operator)
        {
            return atom;
        }

        var op = Take();
        return new CodeBinary(op.Position, "**", atom, ParseFactor());
    }

    private CodeExpression ParseAtom()
    {
        var t = Peek;
        switch (t.Kind)
        {
            case CodeTokenKind.Number:
                _next++;
                return new CodeLiteral(t.Position, t.Value);
            case CodeTokenKind.String:
                return ParseStrings();
            case CodeTokenKind.Name when t.Text is "True" or "False":
                _next++;
                return new CodeLiteral(t.Position, CodeValue.Bool(t.Text == "True"));
            case CodeTokenKind.Name when !Keywords.Contains(t.Text):
                _next++;
                return Peek.Is("(") && Peek.Kind == CodeTokenKind.Operator ? ParseCall(t) : Name(t);
            case CodeTokenKind.Operator when t.Text == "(":
                _next++;
                var inner = ParseTest();
                Expect(")");
                return inner;
            default:
                throw Fail(t, "expression");
        }
    }

    // Adjacent literals concatenate: 'a' 'b' is 'ab'.
    private CodeLiteral ParseStrings()
    {
        var first = Peek;
        var text = string.Empty;
        while (Peek.Kind == CodeTokenKind.String)
        {
            text += Take().Value.Text;
        }

        return new CodeLiteral(first.Position, CodeValue.Str(text));
    }

    private CodeName Name(CodeToken t)
    {
        if (!CodeConstants.All.ContainsKey(t.Text) && !_variables.Contains(t.Text))
        {
            _variables.Add(t.Text);
        }

        return new CodeName(t.Position, t.Text);
    }

    private CodeCall ParseCall(CodeToken function)
    {
        if (!CodeCall.Builtins.Contains(function.Text))
        {
            throw Fail(function, "function " + string.Join(", ", CodeCall.Builtins));
        }

        Expect("(");
        var args = ImmutableArray.CreateBuilder<CodeExpression>();
        if (!(Peek.Kind == CodeTokenKind.Operator && Peek.Text == ")"))
        {
            do
            {
                args.Add(ParseTest());
            }
            while (Accept(","));
        }

        Expect(")");
        return new CodeCall(function.Position, function.Text, args.ToImmutable());
    }

    private CodeToken Take() => _tokens[_next++];

    private bool Accept(string op)
    {
        if (Peek.Kind != CodeTokenKind.Operator || Peek.Text != op)
        {
            return false;
        }

        _next++;
        return true;
    }

    private void Expect(string op)
    {
        if (!Accept(op))
        {
            throw Fail(Peek, $"'{op}'");
        }
    }

    private static PacketdrillSyntaxException Fail(CodeToken t, string expected) => new(t.Position, expected, t.Describe());
}
