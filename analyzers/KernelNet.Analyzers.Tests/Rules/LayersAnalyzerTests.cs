using System;
using System.Linq;
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

    /// <summary>The machine's low-level hardware as machine/ marks it: the CPU's interrupt flag and cost, a NIC, DMA memory, a cable.</summary>
    private const string Hardware = """
        using KernelNet.Annotations;
        namespace KernelNet.Machine;
        [HardwareInterface]
        public sealed class Cpu
        {
            public int Id { get; }
            [HardwareInterface(Seam = "local_irq_save/local_irq_restore (include/linux/irqflags.h)")]
            public bool IrqsDisabled { get; set; }
            [HardwareInterface(Seam = "a cost hook of kernel/sim/CostHooks.cs", GlueOnly = true)]
            public void Charge(long ns) { }
        }
        [HardwareInterface]
        public sealed class Machine
        {
            public Cpu CurrentCpu { get; } = new Cpu();
            public DmaMemory Dma { get; } = new DmaMemory();
            public Igb82576 Nic { get; } = new Igb82576();
            public Cable Wire { get; } = new Cable();
        }
        [HardwareInterface(Seam = "dev_queue_xmit and the device's net_device_ops")]
        public sealed class Igb82576
        {
            public void WriteRegister(int reg, uint value) { }
            public uint Tdt { get; set; }
        }
        [HardwareInterface(Seam = "the driver's DMA mapping")]
        public sealed class DmaMemory
        {
            public void Unmap(long handle) { }
        }
        [HardwareInterface(Seam = "the device's net_device_ops and ethtool_ops")]
        public sealed class Cable
        {
            public long BitsPerSecond { get; }
        }
        """;

    [Fact]
    public void flags_networking_code_writing_the_cpus_irq_flag_and_names_the_seam()
    {
        var diagnostics = new KernelProject()
            .File("machine/Hardware.cs", Hardware)
            .Port("kernel/net/core/dev.cs", """
                // net/core/dev.c: __napi_schedule
                public static void __napi_schedule(KernelNet.Machine.Machine m)
                {
                    var flags = m.CurrentCpu.[|IrqsDisabled|];
                    m.CurrentCpu.[|IrqsDisabled|] = true;
                    m.CurrentCpu.[|IrqsDisabled|] = flags;
                }
                """)
            .Run(new LayersAnalyzer());
        Assert.Equal(3, diagnostics.Length);
        Assert.Contains(diagnostics, d => d.GetMessage() == "kernel/net/core/dev.cs (networking code) writes Cpu.IrqsDisabled, low-level hardware state that only kernel/drivers/, kernel/arch/ and kernel/kernel/irq/ touch: use local_irq_save/local_irq_restore (include/linux/irqflags.h)");
        new KernelProject()
            .File("machine/Hardware.cs", Hardware)
            .Port("kernel/net/core/dev.cs", """
                // net/core/dev.c: __napi_schedule
                public static void __napi_schedule(KernelNet.Machine.Machine m)
                {
                    var flags = m.CurrentCpu.[|IrqsDisabled|];
                    m.CurrentCpu.[|IrqsDisabled|] = true;
                    m.CurrentCpu.[|IrqsDisabled|] = flags;
                }
                """)
            .Verify<LayersAnalyzer>();
    }

    [Fact]
    public void flags_softirq_code_in_kernel_kernel_touching_the_irq_flag()
    {
        new KernelProject()
            .File("machine/Hardware.cs", Hardware)
            .Port("kernel/kernel/softirq.cs", """
                // kernel/softirq.c: __do_softirq
                public static void __do_softirq(KernelNet.Machine.Machine m) => m.CurrentCpu.[|IrqsDisabled|] = false;
                """)
            .Verify<LayersAnalyzer>();
    }

    [Fact]
    public void flags_networking_code_writing_a_nic_register_using_dma_or_the_cable()
    {
        var diagnostics = new KernelProject()
            .File("machine/Hardware.cs", Hardware)
            .Port("kernel/net/core/dev.cs", """
                // net/core/dev.c: dev_hard_start_xmit
                public static long dev_hard_start_xmit(KernelNet.Machine.Machine m)
                {
                    m.Nic.[|WriteRegister|](0x3818, 1);
                    m.Nic.[|Tdt|] = 2;
                    m.Dma.[|Unmap|](7);
                    return m.Wire.[|BitsPerSecond|];
                }
                """)
            .Run(new LayersAnalyzer());
        Assert.Contains(diagnostics, d => d.GetMessage().Contains("writes Igb82576.Tdt", StringComparison.Ordinal) && d.GetMessage().EndsWith("use dev_queue_xmit and the device's net_device_ops", StringComparison.Ordinal));
        Assert.Contains(diagnostics, d => d.GetMessage().Contains("uses DmaMemory.Unmap", StringComparison.Ordinal) && d.GetMessage().EndsWith("use the driver's DMA mapping", StringComparison.Ordinal));
        new KernelProject()
            .File("machine/Hardware.cs", Hardware)
            .Port("kernel/net/core/dev.cs", """
                // net/core/dev.c: dev_hard_start_xmit
                public static long dev_hard_start_xmit(KernelNet.Machine.Machine m)
                {
                    m.Nic.[|WriteRegister|](0x3818, 1);
                    m.Nic.[|Tdt|] = 2;
                    m.Dma.[|Unmap|](7);
                    return m.Wire.[|BitsPerSecond|];
                }
                """)
            .Verify<LayersAnalyzer>();
    }

    [Fact]
    public void flags_a_cost_charge_in_a_port_body_even_in_a_driver()
    {
        var diagnostics = new KernelProject()
            .File("machine/Hardware.cs", Hardware)
            .Port("kernel/drivers/net/ethernet/intel/igb/igb_main.cs", """
                // drivers/net/ethernet/intel/igb/igb_main.c: igb_clean_rx_irq
                private static void igb_clean_rx_irq(KernelNet.Machine.Machine m) => m.CurrentCpu.[|Charge|](1500);
                """)
            .Run(new LayersAnalyzer());
        Assert.Equal("kernel/drivers/net/ethernet/intel/igb/igb_main.cs (driver code) uses Cpu.Charge, which only the simulation glue (kernel/sim/, kernel/Vmlinux.cs) may touch: use a cost hook of kernel/sim/CostHooks.cs", diagnostics.Single().GetMessage());
    }

    [Fact]
    public void allows_drivers_arch_and_irq_code_the_low_level_hardware_and_glue_the_cost()
    {
        new KernelProject()
            .File("machine/Hardware.cs", Hardware)
            .Port("kernel/drivers/net/ethernet/intel/igb/igb_main.cs", """
                // drivers/net/ethernet/intel/igb/igb_main.c: igb_xmit_frame_ring
                private static void igb_xmit_frame_ring(KernelNet.Machine.Machine m)
                {
                    m.Nic.WriteRegister(0x3818, 1);
                    m.Nic.Tdt = 2;
                    m.Dma.Unmap(7);
                }
                """)
            .Port("kernel/arch/x86/include/asm/irqflags.cs", """
                // arch/x86/include/asm/irqflags.h: native_irq_disable
                private static void native_irq_disable(KernelNet.Machine.Machine m) => m.CurrentCpu.IrqsDisabled = true;
                """)
            .Port("kernel/kernel/irq/manage.cs", """
                // kernel/irq/manage.c: irq_set_affinity
                public static bool irq_set_affinity(KernelNet.Machine.Machine m) => m.CurrentCpu.IrqsDisabled;
                """)
            .File("kernel/sim/CostHooks.cs", """
                namespace KernelNet.Kernel;
                public static class CostHooks
                {
                    public static void ChargeRxPacket(KernelNet.Machine.Machine m) => m.CurrentCpu.Charge(1500);
                }
                """)
            .Port("kernel/net/core/dev.cs", """
                // net/core/dev.c: process_backlog
                public static int process_backlog(KernelNet.Machine.Machine m)
                {
                    KernelNet.Kernel.CostHooks.ChargeRxPacket(m);
                    return m.CurrentCpu.Id;
                }
                """)
            .Verify<LayersAnalyzer>();
    }
}
