#if canImport(Glibc)
import Glibc
import Testing
import VigilDaemon

@Suite("Allocator tuning")
struct AllocatorTuningTests {
    @Test("after tuning, a block above the threshold (below glibc's 128 KiB default) gets pages of its own, returned when freed")
    func largeBlocksAreMapped() throws {
        #expect(!AllocatorTuning.apply(environment: ["GLIBC_TUNABLES": "glibc.malloc.mmap_threshold=1048576"]), "the operator's setting wins")
        #expect(AllocatorTuning.apply(environment: [:]))
        let block = try #require(malloc(AllocatorTuning.mmapThreshold + 16 * 1024))
        defer { free(block) }
        // glibc marks a block with pages of its own by bit 1 (IS_MMAPPED) of the size word just before it; read per
        // block, so that other tests allocating meanwhile cannot disturb it (a global count of such blocks could).
        let sizeWord = (block - MemoryLayout<Int>.size).load(as: Int.self)
        #expect(sizeWord & 2 != 0)
    }
}
#endif
