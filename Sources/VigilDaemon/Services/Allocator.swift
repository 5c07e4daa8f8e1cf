import CJemalloc

/// The process's allocator: jemalloc (Debian's libjemalloc2). Linking it into every binary that links this module
/// makes it serve all of the process's allocations, Swift's and librdkafka's alike.
///
/// Why not glibc's: on a backlog, librdkafka's fetch threads allocate each message and the processing loops free it,
/// and every such free took the fetch thread's arena lock (about 2,000 lock waits in a 300,000-event run); the
/// loops' own heaps grew one page per `mprotect` call (about 54,000 a run) and gave their tops back to the system
/// and faulted them in again. jemalloc's thread caches and extents avoid both: the same pipeline took about 14% less
/// CPU (README, Performance). Operators tune it with jemalloc's `MALLOC_CONF`: `dirty_decay_ms`, how long freed pages
/// stay resident before they go back to the system (10 s by default, applied as the process goes on allocating), and
/// `background_thread:true`, which returns them on a timer also while the daemon is idle.
public enum Allocator {
    /// jemalloc's version, e.g. "5.3.0-0-g54eaed1d8b56b1aa528be3bdd1877e59c56fa90c"; nil if jemalloc does not answer.
    public static var version: String? {
        var text: UnsafePointer<CChar>?
        var length = MemoryLayout<UnsafePointer<CChar>?>.size
        guard mallctl("version", &text, &length, nil, 0) == 0, let text else { return nil }
        return String(cString: text)
    }

    /// Gives the free pages of every arena back to the system now, instead of over `dirty_decay_ms`: what stays
    /// resident afterwards is memory in use (`vigil bench`'s "held" figures). Returns whether jemalloc did so.
    @discardableResult
    public static func releaseFreeMemory() -> Bool {
        // This thread's cache first, so that its cached blocks are free in their arenas; then every arena
        // (jemalloc's MALLCTL_ARENAS_ALL is 4096).
        flushThreadCache()
        return mallctl("arena.4096.purge", nil, nil, nil, 0) == 0
    }

    /// Returns the blocks the calling thread's cache holds to their arenas, where they can be reused by any thread
    /// and their pages purged. A thread's cache is otherwise trimmed only as the thread goes on allocating.
    public static func flushThreadCache() {
        _ = mallctl("thread.tcache.flush", nil, nil, nil, 0)
    }

    /// Bytes the calling thread has allocated through jemalloc so far (`thread.allocated`); nil without jemalloc's
    /// statistics. Tests use it to check that jemalloc, not glibc, serves Swift's allocations.
    static var allocatedByThisThread: UInt64? {
        var bytes: UInt64 = 0
        var length = MemoryLayout<UInt64>.size
        guard mallctl("thread.allocated", &bytes, &length, nil, 0) == 0 else { return nil }
        return bytes
    }
}
