using System.Linq;
using KernelNet.Kernel.Include.Linux;
using Xunit;

namespace KernelNet.Tests.Net;

public sealed class socket_msghdr_tests
{
    /// <summary>
    /// sendto and recvfrom reuse the task's stack msghdr (socket.c's
    /// on_stack_msghdr sets each of these fields per call): a field added to
    /// msghdr must be added there too, or a call would see the last call's value.
    /// </summary>
    [Fact]
    public void the_stack_msghdr_reset_covers_every_field_of_msghdr()
    {
        var reset = new[]
        {
            "msg_name", "msg_namelen", "iov_base", "iov_len", "iov_offset", "msg_iter_type", "msg_iter_bvec",
            "iov_segs", "user_pages", "msg_flags", "msg_control", "msg_controllen",
        };
        var fields = typeof(msghdr).GetProperties().Select(p => p.Name).Order().ToArray();
        Assert.Equal(reset.Order().ToArray(), fields);
    }
}
