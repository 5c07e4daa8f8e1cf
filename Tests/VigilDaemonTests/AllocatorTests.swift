import Testing
@testable import VigilDaemon

/// jemalloc is linked into every binary that links VigilDaemon, this test binary as well as `vigil`, the same way.
@Suite("Allocator")
struct AllocatorTests {
    @Test("jemalloc is linked and serves Swift's allocations, not glibc")
    func jemallocServesAllocations() throws {
        let version = try #require(Allocator.version)
        #expect(version.first?.isNumber == true)
        let before = try #require(Allocator.allocatedByThisThread)
        let bytes = 1 << 20
        let buffer = [UInt8](repeating: 1, count: bytes)
        let after = try #require(Allocator.allocatedByThisThread)
        #expect(buffer.count == bytes)
        #expect(after - before >= UInt64(bytes))
        #expect(buffer[bytes - 1] == 1)
    }

    @Test("jemalloc accepts the request to purge every arena")
    func releasesFreeMemory() {
        var blocks = (0..<1000).map { [UInt8](repeating: UInt8($0 % 256), count: 4096) }
        #expect(blocks.count == 1000)
        blocks.removeAll()
        #expect(Allocator.releaseFreeMemory())
    }
}
