#if canImport(Glibc)
import CMalloc
#endif

/// Process-wide allocator settings for the long-running commands (`vigil run`, `bench`, `demo`).
public enum AllocatorTuning {
    /// Allocations of this size and more get pages of their own, returned to the system when freed (unless free
    /// heap space already fits them).
    public static let mmapThreshold = 64 * 1024

    /// Fixes glibc's mmap threshold at `mmapThreshold`. By default it starts at 128 KiB and rises (up to 32 MiB) each
    /// time such a block is freed, after which large transient buffers (librdkafka's fetch responses, a checkpoint's
    /// batch of state writes, the outbound table) come from the heap, where the small allocations made between them
    /// keep partly used pages resident once they are freed: about 150 bytes a patient in `vigil bench` with 20 events
    /// each (50,000 patients; issue 7's memory target). Left alone when the operator sets the threshold
    /// (`GLIBC_TUNABLES=glibc.malloc.mmap_threshold=N` or `MALLOC_MMAP_THRESHOLD_=N`) or turns the tuning off
    /// (`VIGIL_ALLOCATOR_TUNING=off`, which keeps glibc's default). Returns whether it was applied.
    @discardableResult
    public static func apply(environment: [String: String]) -> Bool {
        #if canImport(Glibc)
        guard applies(in: environment) else { return false }
        return mallopt(M_MMAP_THRESHOLD, Int32(mmapThreshold)) == 1
        #else
        return false
        #endif
    }

    /// Whether the environment leaves the threshold to Vigil.
    static func applies(in environment: [String: String]) -> Bool {
        environment["VIGIL_ALLOCATOR_TUNING"] != "off" && environment["MALLOC_MMAP_THRESHOLD_"] == nil
            && environment["GLIBC_TUNABLES"]?.contains("mmap_threshold") != true
    }
}
