// Ports lib/scatterlist.c: the out-of-line scatterlist helpers the virtio
// driver uses (sg_init_table).

using static KernelNet.Kernel.Include.Linux.scatterlist_h;
using KernelNet.Kernel.Include.Linux;

namespace KernelNet.Kernel.Lib;

/// <summary>lib/scatterlist.c.</summary>
public static class scatterlist_c
{
    // lib/scatterlist.c: sg_init_table
    /// <summary>Clears the first <paramref name="nents"/> entries and marks the last of them as the end.</summary>
    public static void sg_init_table(scatterlist[] sgl, int nents)
    {
        // not ported: sg_init_marker — written out: its sg_mark_end on the last entry, below
        System.ArgumentNullException.ThrowIfNull(sgl);
        for (var i = 0; i < nents; i++)
        {
            var sg = sgl[i];
            sg.mem = null;
            sg.offset = 0;
            sg.length = 0;
            sg.dma_address = 0;
            sg.dma_length = 0;
            sg.end = false;
        }

        sg_mark_end(sgl[nents - 1]);
    }
}
