using System;
using System.Linq;
using System.Text.RegularExpressions;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using KernelNet.Tests.Support;
using Xunit;

namespace KernelNet.Tests.Include.Trace.Events;

/// <summary>
/// include/trace/events/tcp.h's reset and teardown events: tcp_send_reset
/// (tcp_v4_send_reset and tcp_send_active_reset), tcp_receive_reset
/// (tcp_reset) and tcp_destroy_sock (tcp_v4_destroy_sock), in 6.18's
/// TP_printk formats (/work/shared/linux-6.18/tracepoints/tcp/*.format).
/// </summary>
public sealed partial class tcp_events_tests
{
    private static void EnableAll(Topology t)
    {
        t.K.trace.set_event("tcp:tcp_send_reset");
        t.K.trace.set_event("tcp:tcp_receive_reset");
        t.K.trace.set_event("tcp:tcp_destroy_sock");
        t.K.trace.set_event("skb:kfree_skb");
    }

    [GeneratedRegex("skbaddr=([0-9a-f]{16})")]
    private static partial Regex SkbAddr();

    // A SYN to 10.0.0.2:9999, where nobody listens: B answers from no socket, so the event names the SYN (the same
    // skbaddr kfree_skb then frees with NO_SOCKET), no socket (a NULL pointer prints as 16 zeros), the 4-tuple turned
    // round from the SYN's, state UNKNOWN and reason NO_SOCKET. A takes the RST in SYN_SENT (tcp_receive_reset), with
    // its 4-tuple; its socket is torn down on close (tcp_destroy_sock) after connect's failure path disconnected it
    // (__inet_stream_connect's sock_error: tcp_disconnect zeroes the peer's port; the bound address stays).
    [Fact]
    public void a_RST_to_a_SYN_for_a_closed_port_traces_send_reset_receive_reset_and_destroy_sock()
    {
        var net = TwoHosts.OnVeth();
        var t = net.T;
        long connect = 1;
        t.Spawn(net.A, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.1:7000")));
            connect = await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9999"));
            Assert.Equal(0, await libc.Close(fd));
        });
        EnableAll(t);
        t.Run(1_000_000_000);

        Assert.Equal(-Libc.ECONNREFUSED, connect);
        var sent = Assert.Single(t.K.trace.entries, e => e.Event == "tcp_send_reset");
        Assert.Matches("^skbaddr=[0-9a-f]{16} skaddr=0000000000000000 src=10.0.0.2:9999 dest=10.0.0.1:7000 state=UNKNOWN reason=NO_SOCKET$", sent.Text);
        var syn = SkbAddr().Match(sent.Text).Groups[1].Value;
        Assert.Contains(t.K.trace.entries, e => e.Event == "kfree_skb" && e.Text.Contains("skbaddr=" + syn, StringComparison.Ordinal) && e.Text.EndsWith("reason: NO_SOCKET", StringComparison.Ordinal));

        Assert.Equal(
            "family=AF_INET sport=7000 dport=9999 saddr=10.0.0.1 daddr=10.0.0.2 saddrv6=::ffff:10.0.0.1 daddrv6=::ffff:10.0.0.2 sock_cookie=0",
            Assert.Single(t.K.trace.entries, e => e.Event == "tcp_receive_reset").Text);
        Assert.Equal(
            "family=AF_INET sport=7000 dport=0 saddr=10.0.0.1 daddr=10.0.0.2 saddrv6=::ffff:10.0.0.1 daddrv6=::ffff:10.0.0.2 sock_cookie=0",
            Assert.Single(t.K.trace.entries, e => e.Event == "tcp_destroy_sock").Text);
        var order = t.K.trace.entries.Where(e => e.Event.StartsWith("tcp_", StringComparison.Ordinal)).Select(e => e.Event).ToArray();
        Assert.Equal(new[] { "tcp_send_reset", "tcp_receive_reset", "tcp_destroy_sock" }, order);
    }

    // B closes its accepted connection with 100 bytes unread: tcp_close sends the RST itself (tcp_send_active_reset),
    // so the event carries no skb, the closing socket's address and its own 4-tuple, state TCP_CLOSE (set before the
    // RST goes) and reason TCP_ABORT_ON_CLOSE; A receives it in ESTABLISHED (tcp_receive_reset), and B's socket is
    // destroyed at once (tcp_destroy_sock with B's side of the tuple).
    [Fact]
    public void close_with_unread_data_traces_an_active_reset_with_reason_TCP_ABORT_ON_CLOSE()
    {
        var net = TwoHosts.OnVeth();
        var t = net.T;
        sock? child = null;
        SimTask? server = null;
        server = t.Spawn(net.B, "server", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.Listen(fd, 8));
            var c = (int)await libc.Accept(fd);
            child = ((socket)t.K.task_of(server!).files[c]).sk;
            await libc.Sleep(50_000_000);
            Assert.Equal(0, await libc.Close(c));
        });
        t.Spawn(net.A, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.1:7000")));
            Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(100, await libc.SendTo(fd, new byte[100], 0, null));
        });
        EnableAll(t);
        t.Run(1_000_000_000);

        var sent = Assert.Single(t.K.trace.entries, e => e.Event == "tcp_send_reset");
        Assert.Equal($"skbaddr=0000000000000000 skaddr={child!.addr:x16} src=10.0.0.2:9000 dest=10.0.0.1:7000 state=TCP_CLOSE reason=TCP_ABORT_ON_CLOSE", sent.Text);
        Assert.Equal(
            "family=AF_INET sport=7000 dport=9000 saddr=10.0.0.1 daddr=10.0.0.2 saddrv6=::ffff:10.0.0.1 daddrv6=::ffff:10.0.0.2 sock_cookie=0",
            Assert.Single(t.K.trace.entries, e => e.Event == "tcp_receive_reset").Text);
        Assert.Contains(t.K.trace.entries, e => e.Event == "tcp_destroy_sock" &&
            e.Text == "family=AF_INET sport=9000 dport=7000 saddr=10.0.0.2 daddr=10.0.0.1 saddrv6=::ffff:10.0.0.2 daddrv6=::ffff:10.0.0.1 sock_cookie=0");
    }
}
