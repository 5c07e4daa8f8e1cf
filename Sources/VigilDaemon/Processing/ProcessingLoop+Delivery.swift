import Dispatch
import Foundation
import Logging
import VigilCore
import VigilKafka

/// Producing outputs and serving their delivery reports; storing and committing offsets.
extension ProcessingLoop {
    func produce(_ record: OutboundRecord, token: UInt64) {
        beginTransactionIfNeeded()
        transactionHasOutputs = isTransactional
        do {
            try record.produce(with: producer, token: token)
        } catch {
            failed(token, error: error, topic: record.topic)
        }
    }

    /// A produce or delivery failure: produced again after a back-off, unless no retry can succeed, in which
    /// case the daemon stops (exit 70) rather than skip the message or retry forever.
    func failed(_ token: UInt64, error: KafkaError, topic: String) {
        if isTransactional {
            // The open transaction cannot commit without this output: abort it rather than retry inside it.
            return transactionOutputFailed(error)
        }
        metrics.kafkaError(operation: "produce")
        if error.isPermanentProduceFailure {
            logger.critical("the broker will never accept an output; stopping without committing its input", metadata: [
                "kafka.topic": .string(topic), "kafka.error": .string(error.description),
            ])
            fatalKafkaError.withLock { $0 = $0 ?? error }
            return
        }
        logger.warning("delivery failed; producing again", metadata: ["kafka.topic": .string(topic), "kafka.error": .string(error.description)])
        failedTokens.insert(token)
        redeliveries.append((token, Date().addingTimeInterval(settings.redeliveryBackoff)))
        updatePublishing()
    }

    func updatePublishing() {
        let publishing = failedTokens.isEmpty
        guard health.snapshot.publishing != publishing else { return }
        health.update { $0.publishing = publishing }
        if publishing { logger.notice("publishing recovered") }
    }

    func delivered(_ report: DeliveryReport) {
        guard let record = outbound[report.token] else { return }
        if let error = report.error {
            failed(report.token, error: error, topic: report.topic)
            return
        }
        outbound[report.token] = nil
        awaitingBytes -= record.byteCount
        if let alert = record.alert, let severity = Severity(name: alert.severity) {
            metrics.alertPublished(rule: alert.rule, severity: severity)
        }
        let receivedAt = tracker.delivered(report.token, onDone: recordProcessingTime)
        changelog.outputSettled(report.token)
        if record.alert != nil, let receivedAt, let onAlertDelivered {
            onAlertDelivered(DispatchTime.now().uptimeNanoseconds - receivedAt)
        }
        if failedTokens.remove(report.token) != nil { updatePublishing() }
    }

    func produceDueRedeliveries() {
        guard !redeliveries.isEmpty else { return }
        let now = Date()
        let due = redeliveries.filter { $0.due <= now }
        redeliveries.removeAll { $0.due <= now }
        for (token, _) in due {
            guard let record = outbound[token] else { continue }
            produce(record, token: token)
        }
    }

    func storeOffsets() {
        let storable = tracker.takeStorable()
        guard !storable.isEmpty else { return }
        do {
            try consumer.storeOffsets(Dictionary(storable, uniquingKeysWith: max))
        } catch {
            // Usually a partition revoked meanwhile: its new owner redelivers what was not committed.
            logger.debug("offsets not stored", metadata: ["kafka.error": .string(error.description)])
        }
    }

    func commit() {
        do {
            try consumer.commit()
        } catch {
            metrics.kafkaError(operation: "commit")
            logger.warning("commit failed", metadata: ["kafka.error": .string(error.description)])
        }
    }
}
