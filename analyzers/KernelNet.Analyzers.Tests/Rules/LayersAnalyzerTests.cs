using KernelNet.Analyzers.Rules;
using KernelNet.Analyzers.Tests.Support;
using Xunit;

namespace KernelNet.Analyzers.Tests.Rules;

public sealed class LayersAnalyzerTests
{
    private const string Ipv4 = """
        namespace KernelNet.Kernel.Net.Ipv4;
        public static class ip_input_c
        {
            // net/ipv4/ip_input.c: ip_rcv
            public static int ip_rcv(KernelNet.Kernel.Include.Linux.sk_buff skb) => 0;
        }
        """;

    private const string Driver = """
        namespace KernelNet.Kernel.Drivers.Net;
        public static class loopback_c
        {
            // drivers/net/loopback.c: loopback_xmit
            public static int loopback_xmit(KernelNet.Kernel.Include.Linux.sk_buff skb) => 0;
        }
        """;

    [Fact]
    public void flags_driver_calling_into_ipv4()
    {
        new KernelProject()
            .File("kernel/net/ipv4/ip_input.cs", Ipv4)
            .File("kernel/drivers/net/veth.cs", KernelStubs.Usings + """
                namespace KernelNet.Kernel.Drivers.Net.Veth;
                public static class veth_c
                {
                    // drivers/net/veth.c: veth_xmit
                    private static int veth_xmit(sk_buff skb) => KernelNet.Kernel.Net.Ipv4.[|ip_input_c|].[|ip_rcv|](skb);
                }
                """)
            .Verify<LayersAnalyzer>();
    }

    [Fact]
    public void flags_protocol_code_reaching_a_driver()
    {
        new KernelProject()
            .File("kernel/drivers/net/loopback.cs", Driver)
            .File("kernel/net/core/dev.cs", KernelStubs.Usings + """
                using static KernelNet.Kernel.Drivers.Net.[|loopback_c|];
                namespace KernelNet.Kernel.Net.Core;
                public static partial class dev_c
                {
                    // net/core/dev.c: dev_queue_xmit
                    public static int dev_queue_xmit(sk_buff skb) => [|loopback_xmit|](skb);
                }
                """)
            .Verify<LayersAnalyzer>();
    }

    [Fact]
    public void flags_kernel_touching_machine_internals_and_machine_touching_kernel()
    {
        new KernelProject()
            .File("kernel/drivers/net/ethernet/intel/igb/igb_main.cs", """
                using KernelNet.Machine;
                namespace KernelNet.Kernel.Drivers.Net.Ethernet.Intel.Igb;
                public static class igb_main_c
                {
                    // drivers/net/ethernet/intel/igb/igb_main.c: igb_up
                    private static void igb_up([|Nic|] hw)
                    {
                        hw.Registers.Write(0x2818, 1);
                        hw.[|Events|].[|Schedule|](5);
                    }
                }
                """)
            .File("machine/Wire.cs", """
                namespace KernelNet.Machine;
                public sealed class Wire
                {
                    public void Deliver(KernelNet.Kernel.Include.Linux.[|sk_buff|] skb) { }
                }
                """)
            .Verify<LayersAnalyzer>();
    }

    [Fact]
    public void allows_drivers_using_the_device_layer_and_hardware_interfaces()
    {
        new KernelProject()
            .File("kernel/drivers/net/ethernet/intel/igb/igb_main.cs", KernelStubs.Usings + """
                using KernelNet.Machine;
                namespace KernelNet.Kernel.Drivers.Net.Ethernet.Intel.Igb;
                public static class igb_main_c
                {
                    // drivers/net/ethernet/intel/igb/igb_main.c: igb_clean_rx_irq
                    private static uint igb_clean_rx_irq(NicRegisters regs, sk_buff skb)
                    {
                        var head = regs.Read(0x2810);
                        regs.Write(0x2818, head);
                        return skb.len;
                    }
                }
                """)
            .Verify<LayersAnalyzer>();
    }

    [Fact]
    public void kernel_shaped_ip_output_reaching_devices_through_ndo_delegates_stays_clean()
    {
        new KernelProject()
            .File("kernel/drivers/net/loopback.cs", Driver)
            .Port("kernel/net/core/dev.cs", """
                // net/core/dev.c: dev_queue_xmit
                public static int dev_queue_xmit(sk_buff skb) => skb.dev!.ndo_start_xmit!(skb, skb.dev);
                """)
            .Verify<LayersAnalyzer>();
    }

    [Fact]
    public void kernel_shaped_route_drawing_from_random_c_stays_clean()
    {
        new KernelProject()
            .File("kernel/drivers/char/random.cs", """
                namespace KernelNet.Kernel.Drivers.Char;
                public static class random_c
                {
                    // drivers/char/random.c: get_random_u32
                    public static uint get_random_u32() => 4;
                }
                """)
            .Port("kernel/net/ipv4/route.cs", """
                // net/ipv4/route.c: ip_idents_reserve
                private static uint ip_idents_reserve(uint hash) => hash + KernelNet.Kernel.Drivers.Char.random_c.get_random_u32();
                """)
            .Verify<LayersAnalyzer>();
    }
}
