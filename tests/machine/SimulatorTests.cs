using System.Collections.Generic;
using KernelNet.Machine;
using Xunit;

namespace KernelNet.Tests.Machine;

public sealed class SimulatorTests
{
    [Fact]
    public void events_run_in_time_order_and_ties_in_scheduling_order()
    {
        var sim = new Simulator();
        var order = new List<string>();
        sim.Schedule(20, () => order.Add("b"));
        sim.Schedule(10, () => order.Add("a"));
        sim.Schedule(20, () => order.Add("c"));

        sim.RunUntil(long.MaxValue);

        Assert.Equal(new[] { "a", "b", "c" }, order);
        Assert.Equal(20, sim.Now);
    }

    [Fact]
    public void an_event_scheduled_in_the_past_runs_now()
    {
        var sim = new Simulator();
        long seen = -1;
        sim.Schedule(100, () => sim.Schedule(5, () => seen = sim.Now));

        sim.RunUntil(long.MaxValue);

        Assert.Equal(100, seen);
    }

    [Fact]
    public void dma_reads_and_writes_go_through_the_mapping()
    {
        var dma = new DmaMemory();
        var buf = new byte[100];
        var bus = dma.Map(buf, 10, 50);

        dma.Write(bus + 5, new byte[] { 1, 2, 3 });
        var back = new byte[3];
        dma.Read(bus + 5, back);

        Assert.Equal(new byte[] { 1, 2, 3 }, buf[15..18]);
        Assert.Equal(new byte[] { 1, 2, 3 }, back);
        dma.Unmap(bus);
        Assert.Throws<System.InvalidOperationException>(() => dma.Read(bus, back));
    }
}
