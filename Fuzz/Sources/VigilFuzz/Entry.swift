import Foundation

/// libFuzzer's entry points. One binary holds every target; `VIGIL_FUZZ_TARGET` picks one (`scripts/fuzz`).
nonisolated(unsafe) private var selected: FuzzTarget?
nonisolated(unsafe) private var slowest: (nanoseconds: UInt64, size: Int) = (0, 0)
nonisolated(unsafe) private var executions = 0

/// An input that takes longer than this is a finding, as a crash is: it is written out and the run stops. 100 ms
/// unless `VIGIL_FUZZ_SLOW_MS` says otherwise (the CI smoke run allows more: its machine may be loaded).
private let slowLimitNanoseconds: UInt64 = (ProcessInfo.processInfo.environment["VIGIL_FUZZ_SLOW_MS"].flatMap(UInt64.init) ?? 100) * 1_000_000

@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>) -> CInt {
    let name = ProcessInfo.processInfo.environment["VIGIL_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        FileHandle.standardError.write(Data("VIGIL_FUZZ_TARGET must be one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
        exit(64)
    }
    selected = target
    atexit {
        let milliseconds = Double(slowest.nanoseconds) / 1e6
        FileHandle.standardError.write(Data("vigil-fuzz: slowest input \(String(format: "%.2f", milliseconds)) ms (\(slowest.size) bytes)\n".utf8))
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let target = selected else { return 0 }
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    let started = DispatchTime.now().uptimeNanoseconds
    target.run(bytes)
    let elapsed = DispatchTime.now().uptimeNanoseconds - started
    executions += 1
    // The first inputs pay for lazy initialisation (Foundation, the sanitizer's shadow memory): not the parser's time.
    guard executions > 100 else { return 0 }
    if elapsed > slowest.nanoseconds { slowest = (elapsed, size) }
    if elapsed > slowLimitNanoseconds {
        let path = (ProcessInfo.processInfo.environment["VIGIL_FUZZ_ARTIFACTS"] ?? ".") + "/slow-\(target.rawValue)-\(size)"
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        FileHandle.standardError.write(Data("vigil-fuzz: an input took \(elapsed / 1_000_000) ms (limit \(slowLimitNanoseconds / 1_000_000) ms); written to \(path)\n".utf8))
        abort()
    }
    return 0
}
