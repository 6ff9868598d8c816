using KernelNet.Analyzers.Rules;
using KernelNet.Analyzers.Tests.Support;
using Xunit;

namespace KernelNet.Analyzers.Tests.Rules;

public sealed class FilePortsFileAnalyzerTests
{
    [Fact]
    public void flags_file_that_ports_no_linux_618_file()
    {
        new KernelProject()
            .File("kernel/net/core/packet_helpers.cs", """
                [||]namespace KernelNet.Kernel.Net.Core;
                public static class packet_helpers_c
                {
                }
                """)
            .Verify<FilePortsFileAnalyzer>();
    }

    [Fact]
    public void flags_static_class_not_named_after_its_file()
    {
        new KernelProject()
            .File("kernel/net/core/dev.cs", """
                namespace KernelNet.Kernel.Net.Core;
                public static partial class [|Dev|]
                {
                }
                """)
            .File("kernel/include/linux/netdevice.cs", """
                namespace KernelNet.Kernel.Include.Linux;
                public static class [|netdevice_c|]
                {
                }
                """)
            .Verify<FilePortsFileAnalyzer>();
    }

    [Fact]
    public void allows_ports_named_after_their_c_or_h_file_and_either_when_both_exist()
    {
        new KernelProject()
            .File("kernel/net/core/dev.cs", "namespace KernelNet.Kernel.Net.Core; public static partial class dev_c { }")
            .File("kernel/kernel/softirq.cs", "namespace KernelNet.Kernel.Kernel; public static class softirq_c { }")
            .File("kernel/drivers/net/ethernet/intel/igb/igb_main.cs", "namespace KernelNet.Kernel.Drivers.Net.Ethernet.Intel.Igb; public static class igb_main_c { }")
            .File("kernel/include/net/dropreason-core.cs", "namespace KernelNet.Kernel.Include.Net.Reasons; public static class dropreason_core_h { }")
            .File("kernel/drivers/net/ethernet/intel/igb/e1000_82575.cs", "namespace KernelNet.Kernel.Drivers.Net.Ethernet.Intel.Igb; public static class e1000_82575_h { }")
            .Verify<FilePortsFileAnalyzer>();
    }

    [Fact]
    public void exempts_vmlinux_and_the_sim_folder_only()
    {
        new KernelProject()
            .File("kernel/Vmlinux.cs", "namespace KernelNet.Kernel; public sealed class Vmlinux { } public static class VmlinuxExtensions { }")
            .File("kernel/sim/Boot.cs", "namespace KernelNet.Kernel.Sim; public static class Boot { }")
            .File("kernel/net/sim.cs", "[||]namespace KernelNet.Kernel.Net; public static class sim_c { }")
            .Verify<FilePortsFileAnalyzer>();
    }

    [Fact]
    public void kernel_shaped_header_with_its_structs_stays_clean()
    {
        new KernelProject()
            .File("kernel/include/linux/netdevice.cs", KernelStubs.Usings + """
                namespace KernelNet.Kernel.Include.Linux.Dev;

                /// <summary>struct napi_struct.</summary>
                public sealed class napi_struct
                {
                    public int weight;
                }

                /// <summary>struct softnet_data.</summary>
                public sealed class softnet_data
                {
                    public uint processed;
                }

                public enum netdev_tx
                {
                    NETDEV_TX_OK = 0x00,
                    NETDEV_TX_BUSY = 0x10,
                }

                public static class netdevice_h
                {
                    public const int NAPI_POLL_WEIGHT = 64;
                }
                """)
            .Verify<FilePortsFileAnalyzer>();
    }
}
