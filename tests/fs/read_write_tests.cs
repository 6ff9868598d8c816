using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using Xunit;

namespace KernelNet.Tests.Fs;

/// <summary>
/// fs/read_write.c: read/write of tmpfs files, lseek, sendfile — and seed
/// claim IO-3, read off the simulation's own events: the raw_syscalls
/// sys_enter/sys_exit pairs of the sending task (each a switch into the
/// kernel and one back), the CPU's copies (Cpu.ChargeCopy and the
/// linearization count, per task) and the NIC's DMA copies of data
/// (DmaMemory reads of streaming mappings).
/// </summary>
public sealed class read_write_tests
{
    private const int O_RDONLY = 0;
    private const int O_RDWR = 2;
    private const int O_CREAT = 0x40;
    private const int O_TRUNC = 0x200;
    private const int SEEK_SET = 0;
    private const int SEEK_END = 2;
    private const int PROT_READ = 1;
    private const int MAP_SHARED = 1;

    /// <summary>The size of the file IO-3's transfers send: large enough that headers and ACKs stay under a tenth of the bytes the NIC moves.</summary>
    private const int FileSize = 256 * 1024;

    [Fact]
    public void a_tmpfs_file_reads_back_what_was_written_and_lseek_moves_the_position()
    {
        var t = new Topology();
        var a = t.AddHost("A");
        var results = new List<long>();
        byte[] back = new byte[10];
        t.Spawn(a, "files", 0, async libc =>
        {
            var fd = (int)await libc.Open("/tmp/f", O_RDWR | O_CREAT | O_TRUNC, 0x1a4);
            results.Add(fd);
            results.Add(await libc.Write(fd, "hello, tmpfs"u8.ToArray(), 12));
            results.Add(await libc.Lseek(fd, 7, SEEK_SET));
            results.Add(await libc.Read(fd, back, 10));
            results.Add(await libc.Lseek(fd, 0, SEEK_END));
            results.Add(await libc.Read(fd, back, 10));
            results.Add(await libc.Close(fd));
            results.Add(await libc.Open("/tmp/missing", O_RDONLY));
        });
        t.Run(10_000_000);

        Assert.Equal(new long[] { 3, 12, 7, 5, 12, 0, 0, -2 }, results);
        Assert.Equal("tmpfs", System.Text.Encoding.ASCII.GetString(back, 0, 5));
    }

    // The syscall entry (kernel/sim/SyscallTable.cs) gathers sys_enter's arguments only when the event is on:
    // on, each call still shows its number and its six arguments on the way in and its result on the way out,
    // and the copies it made are counted on the task either way.
    [Fact]
    public void sys_enter_and_sys_exit_show_each_calls_number_arguments_and_result_and_its_copies_are_counted()
    {
        var t = new Topology();
        var a = t.AddHost("A");
        var back = new byte[10];
        SimTask? task = null;
        task = t.Spawn(a, "files", 0, async libc =>
        {
            var fd = (int)await libc.Open("/tmp/f", O_RDWR | O_CREAT | O_TRUNC, 0x1a4);
            await libc.Write(fd, "hello, tmpfs"u8.ToArray(), 12);
            t.K.trace.set_event("raw_syscalls:sys_enter");
            t.K.trace.set_event("raw_syscalls:sys_exit");
            await libc.Lseek(fd, 7, SEEK_SET);
            await libc.Read(fd, back, 10);
            await libc.Close(fd);
        });
        t.Run(10_000_000);

        var texts = t.K.trace.entries.Where(e => e.Event is "sys_enter" or "sys_exit").Select(e => e.Text).ToArray();
        Assert.Equal(new[] { "NR 8 (3, 7, 0, 0, 0, 0)", "NR 8 = 7", "NR 0 (3, 0, a, 0, 0, 0)", "NR 0 = 5" }, texts);
        Assert.Equal(1, task!.SyscallCopies["read"].Calls);
        Assert.Equal(5, task.SyscallCopies["read"].CpuBytes);
        Assert.Equal(1, task.SyscallCopies["write"].Calls);
        Assert.Equal(12, task.SyscallCopies["write"].CpuBytes);
    }

    [Fact]
    public void an_unlinked_file_lives_while_open_and_its_pages_leave_the_cache_at_the_last_close()
    {
        var t = new Topology();
        var a = t.AddHost("A");
        inode? ino = null;
        long nrpagesOpen = -1;
        var read = -1L;
        t.Spawn(a, "files", 0, async libc =>
        {
            var fd = (int)await libc.Open("/tmp/u", O_RDWR | O_CREAT, 0x1a4);
            await libc.Write(fd, new byte[3 * 4096], 3 * 4096);
            ino = ((@file)t.K.task_of(libc.Task).files[fd]).f_inode;
            await libc.Unlink("/tmp/u");
            nrpagesOpen = ino.i_mapping.nrpages;
            await libc.Lseek(fd, 0, SEEK_SET);
            read = await libc.Read(fd, new byte[4 * 4096], 4 * 4096);
            await libc.Close(fd);
        });
        t.Run(10_000_000);

        Assert.Equal(3, nrpagesOpen);
        Assert.Equal(3 * 4096, read);
        Assert.Equal(0, ino!.i_mapping.nrpages);
        Assert.Equal(0u, ino.i_nlink);
    }

    /// <summary>How one way of sending the file went: the sending task's syscalls, the copies, what arrived.</summary>
    private sealed record Transfer(int SysEnters, int SysExits, long CpuCopyBytes, long DmaReadBytes, byte[] Received, int SchedSwitches);

    /// <summary>
    /// Builds host A with a tmpfs file of <see cref="FileSize"/> patterned
    /// bytes and a TCP connection to a reader on B (over an igb-like cable, or
    /// veth), then measures <paramref name="send"/> alone: from its first
    /// syscall to the reader's last byte.
    /// </summary>
    private static Transfer Measure(bool overIgb, Func<Libc, int, int, Task> send)
    {
        var t = new Topology();
        var a = t.AddHost("A");
        var b = t.AddHost("B");
        if (overIgb)
        {
            var (ea, eb, _) = t.AddIgbPair(a, "eth0", b, "eth1");
            t.AddAddress(ea, "10.0.0.1/24");
            t.AddAddress(eb, "10.0.0.2/24");
        }
        else
        {
            var (va, vb) = t.AddVeth(a, "veth0", b, "veth1");
            t.AddAddress(va, "10.0.0.1/24");
            t.AddAddress(vb, "10.0.0.2/24");
        }

        var content = new byte[FileSize];
        for (var i = 0; i < content.Length; i++)
        {
            content[i] = (byte)(i * 7 + (i >> 9));
        }

        var received = new List<byte>();
        SimTask? server = null;
        server = t.Spawn(b, "reader", 1, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000"));
            await libc.Listen(fd, 8);
            var s = (int)await libc.Accept(fd);
            var buf = new byte[65536];
            while (received.Count < FileSize)
            {
                var n = await libc.RecvFrom(s, buf, buf.Length, 0);
                if (n <= 0)
                {
                    break;
                }

                received.AddRange(buf.AsSpan(0, (int)n).ToArray());
            }
        });

        long cpuBefore = 0, dmaBefore = 0;
        SimTask? sender = null;
        sender = t.Spawn(a, "sender", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var file = (int)await libc.Open("/tmp/payload", O_RDWR | O_CREAT | O_TRUNC, 0x1a4);
            Assert.Equal(FileSize, await libc.Write(file, content, content.Length));
            Assert.Equal(0, await libc.Lseek(file, 0, SEEK_SET));
            var sock = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Connect(sock, SockAddrIn.Parse("10.0.0.2:9000")));
            await libc.Sleep(10_000_000); // the handshake's last ACK is in; from here on only the transfer

            cpuBefore = CpuCopyBytesOutside(t, server!);
            dmaBefore = t.Machine.Dma.BytesRead;
            t.K.trace.clear();
            t.K.trace.set_event("raw_syscalls:sys_enter");
            t.K.trace.set_event("raw_syscalls:sys_exit");
            t.K.trace.set_event("sched:sched_switch");
            await send(libc, file, sock);
            t.K.trace.tracing_on = false; // the sender's part is over: the close below is not IO-3's
            await libc.Close(sock);
        });
        t.Run(2_000_000_000);

        var pid = sender.Pid.ToString(CultureInfo.InvariantCulture);
        var entries = t.K.trace.entries;
        return new Transfer(
            entries.Count(e => e.Event == "sys_enter" && e.Pid == sender.Pid),
            entries.Count(e => e.Event == "sys_exit" && e.Pid == sender.Pid),
            CpuCopyBytesOutside(t, server!) - cpuBefore,
            t.Machine.Dma.BytesRead - dmaBefore,
            received.ToArray(),
            entries.Count(e => e.Event == "sched_switch" && e.Text.Contains("prev_pid=" + pid + " ", StringComparison.Ordinal)));
    }

    /// <summary>The CPU's copy bytes in every task's context but the reader's: the sending side's copies (its task, and softirq work done on any task's time).</summary>
    private static long CpuCopyBytesOutside(Topology t, SimTask reader) =>
        t.Machine.Tasks.Where(x => x != reader).Sum(x => x.CpuCopyBytes) + t.Machine.Cpus.Sum(c => c.Idle.CpuCopyBytes);

    /// <summary>Copies as IO-3 counts them: how many times the file's bytes went through a copier (rounded down: headers and ACKs are a few percent).</summary>
    private static long Copies(long bytes) => bytes / FileSize;

    /// <summary>read(file) then write(socket) of the whole file.</summary>
    private static async Task ReadWrite(Libc libc, int file, int sock)
    {
        var buf = new byte[FileSize];
        Assert.Equal(FileSize, await libc.Read(file, buf, FileSize));
        Assert.Equal(FileSize, await libc.Write(sock, buf, FileSize));
    }

    /// <summary>mmap(file) then write(socket) from the mapping.</summary>
    private static async Task MmapWrite(Libc libc, int file, int sock)
    {
        var addr = await libc.Mmap(0, FileSize, PROT_READ, MAP_SHARED, file, 0);
        Assert.True(addr > 0);
        Assert.Equal(FileSize, await libc.Write(sock, addr, FileSize));
    }

    /// <summary>sendfile(socket, file).</summary>
    private static async Task SendFile(Libc libc, int file, int sock) =>
        Assert.Equal(FileSize, await libc.Sendfile(sock, file, null, FileSize));

    // IO-3 (seed-claims.md): read+write of a file to a socket: 4 context switches, 4 copies (2 DMA, 2 CPU);
    // mmap+write: 4 switches, 3 copies; sendfile: 2 switches, 3 copies (2 with scatter-gather DMA).
    // The switches are user<->kernel mode switches: a sys_enter and a sys_exit per call. The claim's copies
    // assume a NIC that gathers (NETIF_F_SG): veth here, whose frames move by reference (no DMA at all). The
    // igb-like NIC DMAs but cannot gather, so every send also pays the GSO segmentation copy a non-SG device
    // costs in 6.18 (skb_segment copies the payload): its CPU copies are the claim's plus one, and its DMA is
    // one read of the file's bytes. The disk's DMA into the page cache has no disk here (tmpfs).
    [Theory]
    [InlineData("read+write", 2, 2)]
    [InlineData("mmap+write", 2, 1)]
    [InlineData("sendfile", 1, 0)]
    public void io3_syscalls_and_cpu_copies_of_each_way_to_send_a_file_to_a_scatter_gather_device(string way, int syscalls, int cpuCopies)
    {
        var r = Measure(overIgb: false, Way(way));

        Assert.Equal(syscalls, r.SysEnters);
        Assert.Equal(syscalls, r.SysExits); // 2 x syscalls switches between user and kernel mode
        Assert.Equal(cpuCopies, Copies(r.CpuCopyBytes));
        Assert.Equal(FileSize, r.Received.Length);
    }

    [Theory]
    [InlineData("read+write", 3)]
    [InlineData("mmap+write", 2)]
    [InlineData("sendfile", 1)]
    public void io3_a_nic_without_scatter_gather_adds_one_cpu_copy_and_dmas_the_file_once(string way, int cpuCopies)
    {
        var r = Measure(overIgb: true, Way(way));

        Assert.Equal(cpuCopies, Copies(r.CpuCopyBytes));
        Assert.Equal(1, Copies(r.DmaReadBytes)); // socket buffer -> NIC
        Assert.Equal(FileSize, r.Received.Length);
    }

    private static Func<Libc, int, int, Task> Way(string way) => way switch
    {
        "read+write" => ReadWrite,
        "mmap+write" => MmapWrite,
        "sendfile" => SendFile,
        _ => throw new ArgumentException(way),
    };

    [Fact]
    public void sendfile_sends_the_files_bytes_unchanged()
    {
        var r = Measure(overIgb: true, async (libc, file, sock) =>
        {
            Assert.Equal(FileSize, await libc.Sendfile(sock, file, null, FileSize));
        });

        for (var i = 0; i < FileSize; i++)
        {
            if (r.Received[i] != (byte)(i * 7 + (i >> 9)))
            {
                Assert.Fail($"byte {i} differs");
            }
        }
    }
}
