#if canImport(Glibc)
import CMalloc
#endif

/// Process-wide allocator settings for the long-running commands (`vigil run`, `bench`, `demo`).
///
/// Each setting is left alone when the operator sets it (`GLIBC_TUNABLES=glibc.malloc.<name>=N` or
/// `MALLOC_<NAME>_=N`), and `VIGIL_ALLOCATOR_TUNING=off` keeps all of glibc's defaults.
public enum AllocatorTuning {
    public enum Setting: String, CaseIterable, Sendable {
        /// Allocations of this size and more get pages of their own, returned to the system when freed (unless free
        /// heap space already fits them). By default the threshold starts at 128 KiB and rises (up to 32 MiB) each
        /// time such a block is freed, after which large transient buffers (librdkafka's fetch responses, a
        /// checkpoint's batch of state writes, the outbound table) come from the heap, where the small allocations
        /// made between them keep partly used pages resident once they are freed: about 150 bytes a patient in
        /// `vigil bench` with 20 events each (50,000 patients; issue 7's memory target).
        case mmapThreshold = "mmap_threshold"
        /// How much more than it needs a heap grows by, and keeps when it shrinks. At glibc's default (128 KiB)
        /// a processing loop's arena grew and shrank its top over and over: the growth (`sysmalloc`, `mprotect`
        /// and the page faults of touching the pages again) was 8–13% of a loop's time on a backlog, and two loops
        /// contended for the address space's lock. 4 MiB: a few MiB more resident per busy thread's arena.
        case topPad = "top_pad"

        public var value: Int {
            switch self {
            case .mmapThreshold: 64 * 1024
            case .topPad: 4 * 1024 * 1024
            }
        }

        /// Whether the environment leaves this setting to Vigil.
        func applies(in environment: [String: String]) -> Bool {
            environment["VIGIL_ALLOCATOR_TUNING"] != "off" && environment["MALLOC_\(rawValue.uppercased())_"] == nil
                && environment["GLIBC_TUNABLES"]?.contains("glibc.malloc.\(rawValue)") != true
        }
    }

    /// Applies each setting the environment leaves to Vigil; returns those glibc accepted.
    @discardableResult
    public static func apply(environment: [String: String]) -> [Setting] {
        #if canImport(Glibc)
        Setting.allCases.filter { setting in
            guard setting.applies(in: environment) else { return false }
            let parameter = switch setting {
            case .mmapThreshold: M_MMAP_THRESHOLD
            case .topPad: M_TOP_PAD
            }
            return mallopt(parameter, Int32(setting.value)) == 1
        }
        #else
        []
        #endif
    }
}
