using System.Text;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Net.Ipv4;
using Xunit;

namespace KernelNet.Tests.Include.Linux;

public class jhash_tests
{
    // jhash is Bob Jenkins' lookup3 hashlittle with the kernel's JHASH_INITVAL
    // (the same 0xdeadbeef start): lookup3's own self-test values apply.
    [Theory]
    [InlineData("Four score and seven years ago", 0u, 0x17770551u)]
    [InlineData("Four score and seven years ago", 1u, 0xcd628161u)]
    [InlineData("", 0u, 0xdeadbeefu)]
    public void jhash_gives_lookup3s_reference_values(string text, uint initval, uint expected)
    {
        var key = Encoding.ASCII.GetBytes(text);
        Assert.Equal(expected, jhash_h.jhash(key, (uint)key.Length, initval));
    }

    [Fact]
    public void a_congestion_control_key_is_jhash_of_the_nul_padded_name_and_the_same_every_run()
    {
        // tcp_register_congestion_control: jhash(ca->name, sizeof(ca->name), strlen(ca->name)),
        // the name NUL-padded to TCP_CA_NAME_MAX (16).
        var padded = new byte[16];
        Encoding.ASCII.GetBytes("reno", padded);
        Assert.Equal(jhash_h.jhash(padded, 16, 4), tcp_cong_c.tcp_reno.key);
        Assert.Equal(0xc80d7a74u, tcp_cong_c.tcp_reno.key);
    }
}
