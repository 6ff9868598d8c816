using System.Collections.Generic;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using Xunit;

namespace KernelNet.Tests.Fs;

/// <summary>fs/pipe.c and fs/splice.c: the pipe ring, its sleeps, and splice between a file, a pipe and a socket.</summary>
public sealed class pipe_tests
{
    private const int O_RDWR = 2;
    private const int O_CREAT = 0x40;
    private const int O_NONBLOCK = 0x800;
    private const int EAGAIN = 11;

    [Fact]
    public void a_reader_sleeps_on_an_empty_pipe_until_the_writer_writes_and_reads_eof_after_the_last_writer_closes()
    {
        var t = new Topology();
        var a = t.AddHost("A");
        var fds = new int[2];
        var reads = new List<long>();
        long slept = 0;
        t.Spawn(a, "p", 0, async libc =>
        {
            Assert.Equal(0, await libc.Pipe2(fds, 0));
            t.Syscalls.SpawnThread(libc.Task, "writer", 1, async w =>
            {
                await w.Sleep(5_000_000);
                await w.Write(fds[1], "abc"u8.ToArray(), 3);
                await w.Close(fds[1]);
            });
            var before = libc.Task.Nvcsw;
            var buf = new byte[16];
            reads.Add(await libc.Read(fds[0], buf, 16));
            slept = libc.Task.Nvcsw - before;
            reads.Add(await libc.Read(fds[0], buf, 16));
        });
        t.Run(50_000_000);

        Assert.Equal(new long[] { 3, 0 }, reads);
        Assert.True(slept >= 1, "the reader slept in pipe_read");
    }

    [Fact]
    public void a_nonblocking_read_of_an_empty_pipe_is_eagain_and_a_write_without_readers_is_epipe()
    {
        var t = new Topology();
        var a = t.AddHost("A");
        var results = new List<long>();
        t.Spawn(a, "p", 0, async libc =>
        {
            var fds = new int[2];
            Assert.Equal(0, await libc.Pipe2(fds, O_NONBLOCK));
            results.Add(await libc.Read(fds[0], new byte[4], 4));
            await libc.Close(fds[0]);
            results.Add(await libc.Write(fds[1], new byte[4], 4));
        });
        t.Run(10_000_000);

        Assert.Equal(new long[] { -EAGAIN, -32 }, results);
    }

    [Fact]
    public void a_file_spliced_into_a_pipe_shares_its_page_cache_pages_and_reads_back_from_the_pipe()
    {
        var t = new Topology();
        var a = t.AddHost("A");
        var results = new List<long>();
        var refcount = 0;
        var back = new byte[5000];
        t.Spawn(a, "p", 0, async libc =>
        {
            var file = (int)await libc.Open("/tmp/s", O_RDWR | O_CREAT, 0x1a4);
            var data = new byte[5000];
            data[0] = 1;
            data[4999] = 9;
            await libc.Write(file, data, data.Length);
            var fds = new int[2];
            await libc.Pipe2(fds, 0);
            var off = new long[] { 0 };
            results.Add(await libc.Splice(file, off, fds[1], null, 5000, 0));
            results.Add(off[0]);
            var inode = ((KernelNet.Kernel.Include.Linux.@file)t.K.task_of(libc.Task).files[file]).f_inode;
            refcount = inode.i_mapping.i_pages[0]._refcount; // the cache's reference and the pipe buffer's
            results.Add(await libc.Read(fds[0], back, back.Length));
        });
        t.Run(10_000_000);

        Assert.Equal(new long[] { 5000, 5000, 5000 }, results);
        Assert.Equal(2, refcount);
        Assert.Equal(1, back[0]);
        Assert.Equal(9, back[4999]);
    }
}
