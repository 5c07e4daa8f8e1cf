#if canImport(Glibc)
import Testing
@testable import VigilDaemon

/// What the tuning does to memory and speed is measured by `vigil bench` (README, Performance): whether a given
/// block is mapped, or a heap grows, depends on the free heap space at that moment, which a shared test process
/// cannot control.
@Suite("Allocator tuning")
struct AllocatorTuningTests {
    @Test("the operator's value or opt-out wins, setting by setting")
    func operatorWins() {
        let tunables = ["GLIBC_TUNABLES": "glibc.malloc.tcache_count=0:glibc.malloc.mmap_threshold=1048576"]
        #expect(!AllocatorTuning.Setting.mmapThreshold.applies(in: tunables))
        #expect(AllocatorTuning.Setting.topPad.applies(in: tunables))
        #expect(!AllocatorTuning.Setting.mmapThreshold.applies(in: ["MALLOC_MMAP_THRESHOLD_": "1048576"]))
        #expect(!AllocatorTuning.Setting.topPad.applies(in: ["MALLOC_TOP_PAD_": "0"]))
        #expect(!AllocatorTuning.Setting.topPad.applies(in: ["GLIBC_TUNABLES": "glibc.malloc.top_pad=0"]))
        #expect(AllocatorTuning.Setting.mmapThreshold.applies(in: ["MALLOC_TOP_PAD_": "0"]))
        for setting in AllocatorTuning.Setting.allCases {
            #expect(!setting.applies(in: ["VIGIL_ALLOCATOR_TUNING": "off"]))
            #expect(setting.applies(in: ["GLIBC_TUNABLES": "glibc.malloc.tcache_count=0", "VIGIL_ALLOCATOR_TUNING": "on"]))
        }
    }

    @Test("glibc accepts each setting the environment leaves to Vigil, and none when tuning is off")
    func applies() {
        #expect(AllocatorTuning.apply(environment: ["VIGIL_ALLOCATOR_TUNING": "off"]).isEmpty)
        #expect(AllocatorTuning.apply(environment: ["MALLOC_TOP_PAD_": "131072"]) == [.mmapThreshold])
        #expect(AllocatorTuning.apply(environment: [:]) == AllocatorTuning.Setting.allCases)
    }
}
#endif
