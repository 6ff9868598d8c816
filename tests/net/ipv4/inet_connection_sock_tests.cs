using System.Linq;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Uapi.Linux.NetfilterIpv4;
using KernelNet.Kernel.Net.Ipv4.Netfilter;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using Xunit;
using static KernelNet.Kernel.Include.Net.inet_connection_sock_h;

namespace KernelNet.Tests.Net.Ipv4;

/// <summary>
/// The listener's two queues (inet_csk_listen_start, tcp_conn_request,
/// inet_csk_complete_hashdance), seen from the listening sock itself.
/// </summary>
public sealed class inet_connection_sock_tests
{
    // TCP-1: listen creates the SYN (half-open) queue and the accept (full) queue; a port whose
    // socket has not listened answers the SYN with RST.
    // Three clients on a: c1 to 9000, whose SYN-ACK a's filter drops (so c1's request stays
    // half-open in b's SYN queue); c2 to 9000, which completes and waits in the accept queue;
    // c3 to 9001, where b's socket is bound but never listened: refused.
    [Fact]
    public void listen_makes_a_SYN_queue_and_an_accept_queue_and_a_socket_that_did_not_listen_refuses()
    {
        var net = Support.TwoHosts.OnVeth();
        var (t, a, b) = (net.T, net.A, net.B);
        iptable_filter_c.iptables_append(a.Net, "INPUT", new ipt_entry
        {
            ip = new ipt_ip { proto = 6 },
            ports = new xt_ports { spts_lo = 9000, spts_hi = 9000, dpts_lo = 7001, dpts_hi = 7001 },
            verdict = netfilter_h.NF_DROP,
        });

        KernelNet.Kernel.Include.Net.sock? listener = null;
        SimTask? server = null;
        server = t.Spawn(b, "server", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.Listen(fd, 8));
            listener = ((socket)t.K.task_of(server!).files[fd]).sk;
            var bound = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(bound, SockAddrIn.Parse("10.0.0.2:9001")));
        });
        long c1 = 1, c2 = 1, c3 = 1;
        t.Spawn(a, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            c1 = await ConnectFrom(libc, 7001, "10.0.0.2:9000", timeoutUs: 20_000);
            c2 = await ConnectFrom(libc, 7002, "10.0.0.2:9000", timeoutUs: 20_000);
            c3 = await ConnectFrom(libc, 7003, "10.0.0.2:9001", timeoutUs: 20_000);
        });
        t.Run(200_000_000);

        Assert.Equal(-Libc.EINPROGRESS, c1);
        Assert.Equal(0, c2);
        Assert.Equal(-Libc.ECONNREFUSED, c3);
        var queue = inet_csk(listener!).icsk_accept_queue!;
        Assert.Equal(1, queue.qlen);
        Assert.NotNull(queue.rskq_accept_head);
        Assert.Same(queue.rskq_accept_head, queue.rskq_accept_tail);
        Assert.Null(queue.rskq_accept_head.dl_next);
        Assert.Equal(1u, listener!.sk_ack_backlog);
        Assert.Equal(8u, listener.sk_max_ack_backlog);
    }

    // issue 16: icsk_accept_queue belongs to listeners. The kernel embeds it in every connection
    // socket, zeroed; reqsk_queue_alloc readies it when the socket listens and inet_csk_clone_lock
    // zeroes a child's. Here a socket that never listened holds none, listen() makes it, and neither
    // the accepted child nor the connecting client has one.
    [Fact]
    public void only_a_listener_holds_an_accept_queue_made_by_listen_and_a_child_or_client_has_none()
    {
        var net = Support.TwoHosts.OnVeth();
        var (t, a, b) = (net.T, net.A, net.B);
        KernelNet.Kernel.Include.Net.request_sock_queue? beforeListen = null, plain = null;
        KernelNet.Kernel.Include.Net.sock? listener = null, child = null, client = null;
        SimTask? server = null, connector = null;
        server = t.Spawn(b, "server", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            var other = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            listener = ((socket)t.K.task_of(server!).files[fd]).sk;
            beforeListen = inet_csk(listener!).icsk_accept_queue;
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.Listen(fd, 8));
            plain = inet_csk(((socket)t.K.task_of(server!).files[other]).sk!).icsk_accept_queue;
            var cfd = (int)await libc.Accept(fd);
            child = ((socket)t.K.task_of(server!).files[cfd]).sk;
        });
        connector = t.Spawn(a, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            client = ((socket)t.K.task_of(connector!).files[fd]).sk;
        });
        t.Run(200_000_000);

        Assert.Null(beforeListen);
        Assert.Null(plain);
        var queue = inet_csk(listener!).icsk_accept_queue;
        Assert.NotNull(queue);
        Assert.Null(queue.rskq_accept_head);
        Assert.Null(inet_csk(child!).icsk_accept_queue);
        Assert.Null(inet_csk(client!).icsk_accept_queue);
    }

    // issue 16: the kernel embeds a socket's retransmit, delayed-ACK and keepalive timer_lists and its
    // pacing hrtimer; here inet_csk_init_xmit_timers records each timer's function and the timer is made
    // where it is first armed. An idle accepted child never armed any; the client armed only the
    // retransmit timer, for its SYN.
    [Fact]
    public void an_idle_child_holds_no_timer_objects_and_the_client_only_the_retransmit_timer_its_SYN_armed()
    {
        var c = Support.IdleConnection.Open();

        var child = inet_csk(c.Child);
        Assert.NotNull(child.icsk_retransmit_timer_function);
        Assert.Null(child.icsk_retransmit_timer);
        Assert.Null(child.icsk_delack_timer);
        Assert.Null(c.Child.sk_timer);
        Assert.Null(tcp_h.tcp_sk(c.Child).pacing_timer);

        var client = inet_csk(c.Client);
        var rto = client.icsk_retransmit_timer;
        Assert.NotNull(rto);
        Assert.Same(c.Client, rto.owner);
        Assert.Null(client.icsk_delack_timer);
        Assert.Null(c.Client.sk_timer);
        Assert.Null(tcp_h.tcp_sk(c.Client).pacing_timer);
    }

    // TCP_DEFER_ACCEPT given before listen is kept by it: reqsk_queue_alloc clears the accept list
    // and the Fast Open resets, not the settings (6.18: net/core/request_sock.c).
    [Fact]
    public void a_defer_accept_set_before_listen_survives_listen()
    {
        var net = Support.TwoHosts.OnVeth();
        var (t, b) = (net.T, net.B);
        KernelNet.Kernel.Include.Net.sock? listener = null;
        SimTask? server = null;
        server = t.Spawn(b, "server", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            listener = ((socket)t.K.task_of(server!).files[fd]).sk;
            Assert.Equal(0, await libc.SetSockOpt(fd, Libc.IPPROTO_TCP, KernelNet.Kernel.Include.Uapi.Linux.tcp_h.TCP_DEFER_ACCEPT, 5));
            Assert.NotNull(inet_csk(listener!).icsk_accept_queue);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.Listen(fd, 8));
        });
        t.Run(100_000_000);

        Assert.True(inet_csk(listener!).icsk_accept_queue!.rskq_defer_accept > 0);
    }

    // A's SYN reaches b's listener but a hears nothing back (its filter drops b's segments, and with tcp_syn_retries 0
    // its SYN is never sent again). The request's timer resends the SYN-ACK tcp_synack_retries (5) times, each wait
    // twice the last from TCP_TIMEOUT_INIT (1, 2, 4, 8, 16 s), counting TCPSynRetrans and RetransSegs per resend and
    // TCPTimeouts per firing (6: the sixth finds the retries spent); then the request is dropped: the SYN queue is
    // empty and the request sock has gone back to its slab.
    [Fact]
    public void an_unanswered_SYN_ACK_is_resent_with_backoff_until_tcp_synack_retries_then_the_request_is_dropped()
    {
        var net = Support.TwoHosts.OnVeth();
        var (t, a, b) = (net.T, net.A, net.B);
        iptable_filter_c.iptables_append(a.Net, "INPUT", new ipt_entry
        {
            ip = new ipt_ip { proto = 6 },
            ports = new xt_ports { spts_lo = 9000, spts_hi = 9000, dpts_lo = 7001, dpts_hi = 7001 },
            verdict = netfilter_h.NF_DROP,
        });
        KernelNet.Kernel.Include.Net.Netns.netns_ipv4.of(a.Net).sysctl_tcp_syn_retries = 0;

        KernelNet.Kernel.Include.Net.sock? listener = null;
        KernelNet.Kernel.Include.Net.request_sock? req = null;
        SimTask? server = null;
        server = t.Spawn(b, "server", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.Listen(fd, 8));
            listener = ((socket)t.K.task_of(server!).files[fd]).sk;
            await libc.Sleep(100_000_000);
            var hashinfo = KernelNet.Kernel.Net.Ipv4.tcp_ipv4_c.tcp_hashinfo(t.K);
            req = KernelNet.Tests.Support.TcpTables.EhashSocks(hashinfo).Select(s => s.proto_data).OfType<KernelNet.Kernel.Include.Net.request_sock>().Single();
        });
        t.Spawn(a, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            Assert.Equal(-Libc.EINPROGRESS, await ConnectFrom(libc, 7001, "10.0.0.2:9000", timeoutUs: 20_000));
        });
        t.K.trace.set_event("tcp:tcp_retransmit_synack");
        t.Run(100_000_000_000);

        var resent = t.K.trace.entries.Where(e => e.Event == "tcp_retransmit_synack").ToList();
        Assert.Equal(5, resent.Count);
        Assert.All(resent, e => Assert.Equal("family=AF_INET sport=9000 dport=7001 saddr=10.0.0.2 daddr=10.0.0.1 saddrv6=::ffff:10.0.0.2 daddrv6=::ffff:10.0.0.1", e.Text));
        var first = resent[0].Timestamp;
        Assert.InRange(first, 1_000_000_000L, 1_150_000_000L); // TCP_TIMEOUT_INIT after the SYN at ~1 ms
        for (var i = 1; i < resent.Count; i++)
        {
            var gap = resent[i].Timestamp - resent[i - 1].Timestamp;
            var expected = 1_000_000_000L << i;
            Assert.InRange(gap, expected - 8_000_000, expected + (expected / 8) + 8_000_000); // timer wheel slack
        }

        Assert.Equal("5", Support.ProcNet.Netstat(b, "TcpExt", "TCPSynRetrans"));
        Assert.Equal("6", Support.ProcNet.Netstat(b, "TcpExt", "TCPTimeouts"));
        Assert.Equal("5", Support.ProcNet.Snmp(b, "Tcp", "RetransSegs"));
        var queue = inet_csk(listener!).icsk_accept_queue!;
        Assert.Equal((0, 0), (queue.qlen, queue.young));
        Assert.Equal(5, req!.num_retrans);
        Assert.True(req.rsk_freed);
        Assert.False(req.sk.sk_hashed);
    }

    // inet_csk_listen_stop: a listener closed with a child still on its accept queue forgets the child
    // with bottom halves off. tcp_disconnect sends the peer a RST and purges the child's unread data
    // (QUEUE_PURGE); the RST crossed the veth into a's backlog but is only received once bh are back on,
    // so the purge comes before a's netif_receive_skb of the RST, as in 6.18.
    [Fact]
    public void closing_a_listener_purges_an_unaccepted_childs_data_before_the_peer_receives_its_RST()
    {
        var net = Support.TwoHosts.OnVeth();
        var (t, a, b) = (net.T, net.A, net.B);
        t.K.trace.set_event("skb:kfree_skb");
        t.K.trace.set_event("net:netif_receive_skb");
        t.Spawn(b, "server", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.Listen(fd, 8));
            await libc.Sleep(100_000_000);
            await libc.Close(fd);
        });
        long sent = 0;
        t.Spawn(a, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            sent = await libc.SendTo(fd, new byte[100], 0, null);
        });
        t.Run(300_000_000);

        Assert.Equal(100, sent);
        var entries = t.K.trace.entries.ToList();
        var purge = entries.FindIndex(e => e.Event == "kfree_skb" && e.Text.EndsWith("reason: QUEUE_PURGE", System.StringComparison.Ordinal)
            && e.Text.Contains("location=tcp_disconnect", System.StringComparison.Ordinal));
        Assert.True(purge >= 0, "the child's unread data is purged by tcp_disconnect");
        // the RST is the last segment of the run: a receives it only after the purge
        var rstRx = entries.FindLastIndex(e => e.Event == "netif_receive_skb");
        Assert.True(rstRx > purge, "a receives the RST after the child's purge");
        Assert.Equal("1", Support.ProcNet.Snmp(b, "Tcp", "OutRsts"));
    }

    // inet_csk_wait_for_connect waits exclusively (prepare_to_wait_exclusive): with two threads blocked in accept()
    // on one listener, the connection that completes wakes only the first to wait, and the other sleeps on without a
    // wakeup (a non-exclusive wait would wake both, the loser finding the queue empty again).
    [Fact]
    public void one_new_connection_wakes_only_one_of_two_threads_blocked_in_accept()
    {
        var net = Support.TwoHosts.OnVeth();
        var (t, a, b) = (net.T, net.A, net.B);
        var fd = -1;
        long r1 = -100, r2 = -100, c = -100;
        SimTask? first = null;
        first = t.Spawn(b, "acc1", 0, async libc =>
        {
            fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.Listen(fd, 8));
            r1 = await libc.Accept(fd);
        });
        t.Spawn(b, "acc2", 1, async libc =>
        {
            await libc.Sleep(500_000);

            // threads share the file table: the port's fds are per task, so the listener is reached through the kernel
            t.K.task_of(libc.Task).files[fd] = t.K.task_of(first!).files[fd];
            r2 = await libc.Accept(fd);
        });
        t.Spawn(a, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            c = await ConnectFrom(libc, 7001, "10.0.0.2:9000", timeoutUs: 20_000);
        });
        t.K.trace.set_event("sched:sched_wakeup");
        t.K.trace.set_event("sock:sk_data_ready");
        t.Run(100_000_000);

        Assert.Equal(0, c);
        Assert.True(r1 >= 0, "the first acceptor got the connection");
        Assert.Equal(-100, r2);
        // the wakeups the listener's sk_data_ready (the child entering the accept queue) caused
        var entries = t.K.trace.entries.ToList();
        var ready = entries.FindIndex(e => e.Event == "sk_data_ready");
        Assert.True(ready >= 0, "the listener's sk_data_ready");
        var woken = entries.Skip(ready)
            .Where(e => e.Event == "sched_wakeup")
            .Select(e => e.Text.Split(' ')[0])
            .Where(comm => comm is "comm=acc1" or "comm=acc2")
            .Distinct()
            .ToList();
        Assert.Equal(["comm=acc1"], woken);
    }

    // The accept queue is the kernel's intrusive list (rskq_accept_head/tail through req->dl_next):
    // inet_csk_reqsk_queue_add links a completed connection at the tail, reqsk_queue_remove takes
    // the head. Three connections complete before the listener accepts; accept hands them out in
    // the order their handshakes completed, and the queue is empty after the third.
    [Fact]
    public void accept_hands_out_completed_connections_oldest_first_and_empties_the_queue()
    {
        var net = Support.TwoHosts.OnVeth();
        var (t, a, b) = (net.T, net.A, net.B);
        KernelNet.Kernel.Include.Net.sock? listener = null;
        var accepted = new System.Collections.Generic.List<int>();
        SimTask? server = null;
        server = t.Spawn(b, "server", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.Listen(fd, 8));
            listener = ((socket)t.K.task_of(server!).files[fd]).sk;
            await libc.Sleep(50_000_000);
            for (var i = 0; i < 3; i++)
            {
                var cfd = (int)await libc.Accept(fd);
                var child = ((socket)t.K.task_of(server!).files[cfd]).sk!;
                accepted.Add(KernelNet.Kernel.Include.Net.inet_sock_h.inet_sk(child).inet_dport);
            }
        });
        t.Spawn(a, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            foreach (var port in new[] { 7002, 7003, 7001 })
            {
                Assert.Equal(0, await ConnectFrom(libc, port, "10.0.0.2:9000", timeoutUs: 20_000));
            }
        });
        t.Run(200_000_000);

        Assert.Equal([7002, 7003, 7001], accepted);
        var queue = inet_csk(listener!).icsk_accept_queue!;
        Assert.Null(queue.rskq_accept_head);
        Assert.Null(queue.rskq_accept_tail);
        Assert.Equal(0u, listener!.sk_ack_backlog);
    }

    private static async System.Threading.Tasks.Task<long> ConnectFrom(Libc libc, int port, string to, long timeoutUs)
    {
        var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
        Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse($"10.0.0.1:{port}")));
        await libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_SNDTIMEO, timeoutUs);
        return await libc.Connect(fd, SockAddrIn.Parse(to));
    }
}
