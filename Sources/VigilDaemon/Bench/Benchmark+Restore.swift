import Foundation
import VigilCore
import VigilKafka

extension Benchmark {
    /// Restores every partition of the state topic the way an assigned instance does (read to the high watermark,
    /// decode each record into the store) and times it.
    func measureRestore(brokers: String, topic: String, partitions: Int) throws -> BenchmarkReport.Restore {
        let reader = try KafkaChangelogReader(properties: options.kafkaProperties.merging(["bootstrap.servers": brokers]) { $1 }, logger: logger)
        var store = PatientStore()
        var records = 0
        var valueBytes = 0
        var values = 0
        let started = ContinuousClock.now
        try reader.read(topic: topic, partitions: (0..<Int32(partitions)).map { $0 }, timeout: .seconds(300), progress: { read, total in
            if read == 0 { store.reserveCapacity(forRecords: Int(total)) }
        }) { message in
            records += 1
            guard let key = message.key else { return }
            let patientId = String(decoding: key, as: UTF8.self)
            guard let value = message.value else { return store[patientId] = nil }
            valueBytes += value.count
            values += 1
            store[patientId] = (try? PatientStateCodec.decode(value, patientId: patientId)) ?? nil
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return .init(records: records, patients: store.count, seconds: seconds, meanRecordBytes: values > 0 ? Double(valueBytes) / Double(values) : 0)
    }
}
