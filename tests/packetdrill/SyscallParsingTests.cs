using System.Linq;
using KernelNet.Packetdrill.Ast;
using KernelNet.Packetdrill.Ast.Expressions;
using Xunit;

namespace KernelNet.Tests.Packetdrill;

public sealed class SyscallParsingTests
{
    [Fact]
    public void socket_call_with_elided_and_or_ed_arguments()
    {
        var e = Pd.One<SyscallEvent>("0 socket(..., SOCK_STREAM|SOCK_NONBLOCK, IPPROTO_TCP) = 3");

        Assert.Equal("socket", e.Name);
        Assert.IsType<EllipsisExpression>(e.Arguments[0]);
        var or = Assert.IsType<BinaryExpression>(e.Arguments[1]);
        Assert.Equal("|", or.Operator);
        Assert.Equal("SOCK_STREAM", Assert.IsType<IdentifierExpression>(or.Left).Name);
        Assert.Equal("SOCK_NONBLOCK", Assert.IsType<IdentifierExpression>(or.Right).Name);
        Assert.Equal(3, Assert.IsType<IntegerExpression>(e.Result).Value);
        Assert.Null(e.ErrnoName);
        Assert.Null(e.ErrnoText);
    }

    [Fact]
    public void or_chains_associate_left()
    {
        var e = Pd.One<SyscallEvent>("+0 setsockopt(4, SOL_SOCKET, SO_TIMESTAMPING, [A | B | C], 4) = 0");

        var array = Assert.IsType<ArrayExpression>(e.Arguments[3]);
        var top = Assert.IsType<BinaryExpression>(Assert.Single(array.Elements));
        Assert.IsType<BinaryExpression>(top.Left);
        Assert.Equal("C", top.Right.ToString());
    }

    [Fact]
    public void failing_call_has_errno_name_and_text()
    {
        var e = Pd.One<SyscallEvent>("+0 accept(3, ..., ...) = -1 EAGAIN (Resource temporarily unavailable)");

        Assert.Equal(-1, Assert.IsType<IntegerExpression>(e.Result).Value);
        Assert.Equal("EAGAIN", e.ErrnoName);
        Assert.Equal("Resource temporarily unavailable", e.ErrnoText);
    }

    [Fact]
    public void errno_text_may_touch_the_errno_name()
    {
        var e = Pd.One<SyscallEvent>("+0 write(4, ..., 100) = -1 ECONNRESET(Connection reset by peer)");

        Assert.Equal("ECONNRESET", e.ErrnoName);
        Assert.Equal("Connection reset by peer", e.ErrnoText);
    }

    [Fact]
    public void errno_text_without_errno_name()
    {
        var e = Pd.One<SyscallEvent>("+0 setsockopt(3, SOL_TCP, TCP_FASTOPEN_KEY, \"\", 0) = -1 (Invalid Argument)");

        Assert.Null(e.ErrnoName);
        Assert.Equal("Invalid Argument", e.ErrnoText);
        Assert.Equal(string.Empty, Assert.IsType<StringExpression>(e.Arguments[3]).Value);
    }

    [Fact]
    public void errno_text_is_verbatim_prose()
    {
        var e = Pd.One<SyscallEvent>("+0 read(3, ..., 1) = -1 EFOO (Can't do that: it's (really) bad)");

        Assert.Equal("Can't do that: it's (really) bad", e.ErrnoText);
    }

    [Fact]
    public void bare_minus_one_result_has_no_errno()
    {
        var script = Pd.Parse("+0 sendto(4, NULL, 1, MSG_FASTOPEN, ..., ...) = -1\n+0 close(4) = 0\n");

        var e = Assert.IsType<SyscallEvent>(script.Events[0]);
        Assert.Null(e.ErrnoName);
        Assert.Equal(2, script.Events.Length);
    }

    [Fact]
    public void hex_result_with_a_note()
    {
        var e = Pd.One<SyscallEvent>("+0 fcntl(3, F_GETFL) = 0x2 (flags O_RDWR)");

        var result = Assert.IsType<IntegerExpression>(e.Result);
        Assert.Equal(2, result.Value);
        Assert.True(result.IsHex);
        Assert.Equal("0x2", result.ToString());
        Assert.Equal("flags O_RDWR", e.ErrnoText);
        Assert.Equal(2, e.Arguments.Length);
    }

    [Fact]
    public void call_without_arguments()
    {
        var e = Pd.One<SyscallEvent>("+0 getpid() = 7");

        Assert.Empty(e.Arguments);
    }

    [Fact]
    public void int_pointer_arguments_are_one_element_arrays()
    {
        var e = Pd.One<SyscallEvent>("+0 getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0");

        Assert.Equal("[0]", e.Arguments[3].ToString());
        Assert.Equal("[4]", e.Arguments[4].ToString());
    }

    [Fact]
    public void array_of_several_and_empty_array()
    {
        var pipe = Pd.One<SyscallEvent>("+0 pipe([5, 6]) = 0");
        var empty = Pd.One<SyscallEvent>("+0 f([]) = 0");

        Assert.Equal(2, Assert.IsType<ArrayExpression>(pipe.Arguments[0]).Elements.Length);
        Assert.Empty(Assert.IsType<ArrayExpression>(empty.Arguments[0]).Elements);
    }

    [Fact]
    public void struct_literal_with_named_fields()
    {
        var e = Pd.One<SyscallEvent>("+0 epoll_ctl(5, EPOLL_CTL_ADD, 4, {events=EPOLLOUT|EPOLLET, fd=4}) = 0");

        var s = Assert.IsType<StructExpression>(e.Arguments[3]);
        Assert.Equal(new[] { "events", "fd" }, s.Fields.Select(f => f.Name));
        Assert.Equal("EPOLLOUT|EPOLLET", s.Field("events")!.ToString());
        Assert.Equal("{events=EPOLLOUT|EPOLLET, fd=4}", s.ToString());
    }

    [Fact]
    public void struct_literal_with_positional_fields()
    {
        var e = Pd.One<SyscallEvent>("+0 f({1,2}, {..., 0}) = 0");

        var s = Assert.IsType<StructExpression>(e.Arguments[0]);
        Assert.All(s.Fields, f => Assert.Null(f.Designator));
        Assert.Equal("{1, 2}", s.ToString());
        Assert.Equal("{..., 0}", e.Arguments[1].ToString());
    }

    [Fact]
    public void msghdr_over_several_lines_with_call_designators()
    {
        const string text = """
               +0 recvmsg(4, {msg_name(...)=...,
                              msg_iov(1)=[{...,0}],
                              msg_flags=MSG_ERRQUEUE,
                              msg_control=[
                                    {cmsg_level=CMSG_LEVEL_IP,
                                     cmsg_type=CMSG_TYPE_RECVERR,
                                     cmsg_data={ee_errno=0,
                                                ee_origin=SO_EE_ORIGIN_ZEROCOPY,
                                                ee_data=0}}
                               ]}, MSG_ERRQUEUE) = 0
            """;

        var e = Pd.One<SyscallEvent>(text);

        var msg = Assert.IsType<StructExpression>(e.Arguments[1]);
        var name = Assert.IsType<CallExpression>(msg.Fields[0].Designator);
        Assert.Equal("msg_name", name.Name);
        Assert.IsType<EllipsisExpression>(Assert.Single(name.Arguments));
        Assert.IsType<EllipsisExpression>(msg.Fields[0].Value);
        var iov = Assert.IsType<CallExpression>(msg.Fields[1].Designator);
        Assert.Equal("1", Assert.Single(iov.Arguments).ToString());
        var cmsg = Assert.IsType<StructExpression>(Assert.Single(Assert.IsType<ArrayExpression>(msg.Field("msg_control")).Elements));
        Assert.Equal("SO_EE_ORIGIN_ZEROCOPY", Assert.IsType<StructExpression>(cmsg.Field("cmsg_data")).Field("ee_origin")!.ToString());
        Assert.Equal(1, e.Line);
    }

    [Fact]
    public void string_escapes_are_decoded_to_bytes()
    {
        var e = Pd.One<SyscallEvent>("+0 setsockopt(3, SOL_TCP, TCP_FASTOPEN_KEY, \"\\xa1\\xb2\\n\\101\\0\", 5) = 0");

        var s = Assert.IsType<StringExpression>(e.Arguments[3]);
        Assert.Equal(new byte[] { 0xa1, 0xb2, 0x0a, 0x41, 0x00 }, s.Bytes());
        Assert.Equal("\"\\xa1\\xb2\\x0aA\\x00\"", s.ToString());
    }

    [Fact]
    public void function_call_forms_address_of_and_negative_numbers()
    {
        var e = Pd.One<SyscallEvent>("+0 f(htons(8080), inet_addr(\"192.0.2.1\"), &x, -5, -0x10, sockaddr) = 0");

        var htons = Assert.IsType<CallExpression>(e.Arguments[0]);
        Assert.Equal("htons", htons.Name);
        Assert.Equal(8080, Assert.IsType<IntegerExpression>(Assert.Single(htons.Arguments)).Value);
        Assert.Equal("192.0.2.1", Assert.IsType<StringExpression>(Assert.IsType<CallExpression>(e.Arguments[1]).Arguments[0]).Value);
        Assert.Equal("x", Assert.IsType<AddressOfExpression>(e.Arguments[2]).Operand.ToString());
        Assert.Equal(-5, Assert.IsType<IntegerExpression>(e.Arguments[3]).Value);
        Assert.Equal(-16, Assert.IsType<IntegerExpression>(e.Arguments[4]).Value);
        Assert.IsType<IdentifierExpression>(e.Arguments[5]);
    }

    [Fact]
    public void defines_replace_identifiers_in_arguments()
    {
        var defines = new System.Collections.Generic.Dictionary<string, string> { ["CMSG_LEVEL_IP"] = "SOL_IP" };

        var e = Pd.One<SyscallEvent>("+0 f({cmsg_level=CMSG_LEVEL_IP}) = 0", defines);

        Assert.Equal("{cmsg_level=SOL_IP}", e.Arguments[0].ToString());
    }

    [Fact]
    public void positions_are_one_based_line_and_column()
    {
        var script = Pd.Parse("// c\n   +0 close(3) = 0\n");

        var e = Assert.Single(script.Events);
        Assert.Equal(new KernelNet.Packetdrill.SourcePosition("t.pkt", 2, 4), e.Position);
        Assert.Equal(2, e.Line);
    }
}
