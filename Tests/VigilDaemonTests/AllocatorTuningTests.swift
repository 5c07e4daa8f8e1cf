#if canImport(Glibc)
import Testing
@testable import VigilDaemon

/// What the tuning does to memory is measured by `vigil bench` (README, Performance): whether a given block is
/// mapped depends on the free heap space at that moment, which a shared test process cannot control.
@Suite("Allocator tuning")
struct AllocatorTuningTests {
    @Test("the operator's threshold or opt-out wins; otherwise glibc accepts the setting")
    func operatorWins() {
        #expect(!AllocatorTuning.applies(in: ["GLIBC_TUNABLES": "glibc.malloc.tcache_count=0:glibc.malloc.mmap_threshold=1048576"]))
        #expect(!AllocatorTuning.applies(in: ["MALLOC_MMAP_THRESHOLD_": "1048576"]))
        #expect(!AllocatorTuning.applies(in: ["VIGIL_ALLOCATOR_TUNING": "off"]))
        #expect(!AllocatorTuning.apply(environment: ["VIGIL_ALLOCATOR_TUNING": "off"]))
        #expect(AllocatorTuning.applies(in: ["GLIBC_TUNABLES": "glibc.malloc.tcache_count=0", "VIGIL_ALLOCATOR_TUNING": "on"]))
        #expect(AllocatorTuning.apply(environment: [:]))
    }
}
#endif
