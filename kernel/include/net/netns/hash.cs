// Ports include/net/netns/hash.h: net_hash_mix, the per-namespace value that
// hash tables shared by every namespace (TCP's ehash, bhash and lhash2) mix
// into their keys, so that namespaces spread differently over the buckets.
namespace KernelNet.Kernel.Include.Net.Netns;

public static class hash_h
{
    // include/net/netns/hash.h: net_hash_mix
    /// <summary>The namespace's hash mix, drawn from the seeded stream when the namespace was made (preinit_net).</summary>
    public static uint net_hash_mix(net net) => net.hash_mix;
}
