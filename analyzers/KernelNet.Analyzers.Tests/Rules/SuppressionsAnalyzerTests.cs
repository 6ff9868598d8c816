using KernelNet.Analyzers.Rules;
using KernelNet.Analyzers.Tests.Support;
using Xunit;

namespace KernelNet.Analyzers.Tests.Rules;

public sealed class SuppressionsAnalyzerTests
{
    // 6.18's busy_poll_stop emits trace_napi_poll, which the stubs port (net_h has trace_napi_poll).

    [Fact]
    public void flags_a_stale_not_ported_claim_about_a_tracepoint_the_port_has()
    {
        var diagnostics = new KernelProject()
            .Port("kernel/net/core/dev.cs", """
                // net/core/dev.c: busy_poll_stop
                [System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "napi_poll: the napi tracepoints are not ported")]
                private static void busy_poll_stop() { }
                """)
            .Run(new SuppressionsAnalyzer());

        var message = Assert.Single(diagnostics).GetMessage();
        Assert.Contains("the port has trace_napi_poll", message);
        Assert.Contains("emit it where 6.18's busy_poll_stop does", message);
    }

    [Fact]
    public void flags_a_justification_that_does_not_name_what_is_left_out()
    {
        new KernelProject()
            .Port("kernel/net/core/dev.cs", """
                // net/core/dev.c: busy_poll_stop
                [{|KN0010:System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "not needed here")|}]
                private static void busy_poll_stop() { }
                """)
            .Verify<SuppressionsAnalyzer>();
    }

    [Fact]
    public void flags_a_suppression_with_nothing_to_suppress_or_off_a_port()
    {
        new KernelProject()
            .Port("kernel/net/core/dev.cs", """
                // net/core/dev.c: busy_poll_stop
                [{|KN0010:System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "napi_poll: emitted below")|}]
                private static void busy_poll_stop() => trace_napi_poll(0, 0);

                [{|KN0010:System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "napi_poll: glue")|}]
                [KernelNet.Annotations.NotInLinux("a helper of the test")]
                private static void Helper() { }
                """)
            .Verify<SuppressionsAnalyzer>();
    }

    [Fact]
    public void flags_pragma_suppressions_of_kn0009()
    {
        new KernelProject()
            .Port("kernel/net/core/dev.cs", """
                {|KN0010:#pragma warning disable KN0009|}
                // net/core/dev.c: busy_poll_stop
                private static void busy_poll_stop() { }
                #pragma warning restore KN0009
                """)
            .Verify<SuppressionsAnalyzer>();
    }

    [Fact]
    public void accepts_a_true_justification_naming_each_tracepoint_left_out()
    {
        new KernelProject()
            .Port("kernel/net/core/dev.cs", """
                // net/core/dev.c: xmit_one
                [System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "net_dev_start_xmit, net_dev_xmit: the net: xmit events are not ported yet")]
                private static void xmit_one() { }
                """)
            .Verify<SuppressionsAnalyzer>();
    }
}
