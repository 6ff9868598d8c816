// Ports include/linux/bvec.h: struct bio_vec, a piece of a page (page,
// length, offset), and bvec_set_page.
namespace KernelNet.Kernel.Include.Linux;

/// <summary>struct bio_vec: <see cref="bv_len"/> bytes of <see cref="bv_page"/> from <see cref="bv_offset"/>.</summary>
public readonly record struct bio_vec(page bv_page, int bv_len, int bv_offset);

public static class bvec_h
{
    // include/linux/bvec.h: bvec_set_page
    /// <summary>A bio_vec over <paramref name="len"/> bytes of <paramref name="page"/> at <paramref name="offset"/>.</summary>
    public static bio_vec bvec_set_page(page page, int len, int offset) => new(page, len, offset);
}
