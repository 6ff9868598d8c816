using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Lib;
using Xunit;

namespace KernelNet.Tests.Lib;

public class siphash_tests
{
    [Fact]
    public void siphash_3u32_gives_the_reference_siphash_2_4_value()
    {
        // the reference SipHash-2-4 vector for the 12-byte message 00..0b under key 00..0f (vectors_sip64[12])
        var key = new siphash_key_t();
        key.key[0] = 0x0706050403020100;
        key.key[1] = 0x0f0e0d0c0b0a0908;
        Assert.Equal(0x751e8fbc860ee5fbUL, siphash_c.siphash_3u32(0x03020100, 0x07060504, 0x0b0a0908, key));
    }

    [Fact]
    public void siphash_2u64_and_siphash_4u32_give_the_reference_siphash_2_4_value()
    {
        // the reference SipHash-2-4 vector for the 16-byte message 00..0f under key 00..0f (vectors_sip64[16])
        var key = new siphash_key_t();
        key.key[0] = 0x0706050403020100;
        key.key[1] = 0x0f0e0d0c0b0a0908;
        Assert.Equal(0x3f2acc7f57c29bdbUL, siphash_c.siphash_2u64(0x0706050403020100, 0x0f0e0d0c0b0a0908, key));
        Assert.Equal(0x3f2acc7f57c29bdbUL, siphash_h.siphash_4u32(0x03020100, 0x07060504, 0x0b0a0908, 0x0f0e0d0c, key));
    }
}
