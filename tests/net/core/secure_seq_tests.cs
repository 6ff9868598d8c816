using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Net.Core;
using KernelNet.Scenarios.Sim;
using Xunit;

namespace KernelNet.Tests.Net.Core;

/// <summary>net/core/secure_seq.c: a connection's ISN and timestamp offset (6.18.26's one-hash form).</summary>
public sealed class secure_seq_tests
{
    private const uint A = 0x0a000001, B = 0x0a000002;

    // Since the stable backport in 6.18.26 (the machine's 6.18.44 has it) the timestamp offset is the high half of
    // the same siphash of the 4-tuple that gives the ISN: two connections between the same two addresses get
    // different offsets when their ports differ (6.18.2 hashed the addresses only, so they shared one).
    [Fact]
    public void the_timestamp_offset_follows_the_whole_4_tuple_not_only_the_addresses()
    {
        var t = new Topology();
        var h = t.AddHost("H");

        var one = secure_seq_c.secure_tcp_seq_and_ts_off(h.Net, A, B, 40000, 80);
        var again = secure_seq_c.secure_tcp_seq_and_ts_off(h.Net, A, B, 40000, 80);
        var other = secure_seq_c.secure_tcp_seq_and_ts_off(h.Net, A, B, 40001, 80);

        Assert.Equal(one.ts_off, again.ts_off);
        Assert.NotEqual(one.ts_off, other.ts_off);
        Assert.NotEqual(0u, one.ts_off);
    }

    // With net.ipv4.tcp_timestamps other than 1 (0: off, 2: on without random offsets) the offset is zero;
    // the ISN is still the hash's low half plus the clock.
    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void the_offset_is_zero_unless_tcp_timestamps_is_1(int timestamps)
    {
        var t = new Topology();
        var h = t.AddHost("H");
        var withOffset = secure_seq_c.secure_tcp_seq_and_ts_off(h.Net, A, B, 40000, 80);

        netns_ipv4.of(h.Net).sysctl_tcp_timestamps = timestamps;
        var st = secure_seq_c.secure_tcp_seq_and_ts_off(h.Net, A, B, 40000, 80);

        Assert.Equal(0u, st.ts_off);
        Assert.Equal(withOffset.seq, st.seq);
    }
}
