/// librdkafka's "no offset" (`RD_KAFKA_OFFSET_INVALID`).
let invalidOffset: Int64 = -1001
/// librdkafka's "unassigned partition" (`RD_KAFKA_PARTITION_UA`): let the partitioner or the group choose.
let unassignedPartition: Int32 = -1
