import Foundation

/// State records as earlier releases wrote them, frozen byte for byte: both hold
/// `PatientStateBinaryCodecTests.everyField()`. A release must keep reading them (rolling upgrades), so they are
/// never regenerated from the current code.
enum FrozenStateRecords {
    /// Version 1 (JSON), as the releases before issue 7 wrote it.
    static let version1 = Array(#"""
{"v":1,"state":{"history":{"cravings":[{"eventId":"c-1","time":817387200,"score":7.5,"substance":"alcohol"},{"eventId":"c-2","time":817387200.125,"score":3}],"checkins":[{"eventId":"k-1","time":817387200,"checkin":{"mood":2,"stress":8,"sleepHours":4.25,"substanceUse":{"used":true,"substances":["alcohol","ketamine"]},"cueExposure":true,"withdrawal":{"scale":"COWS","score":14,"complicated":true},"phq9Item9":1,"helpRequested":false}},{"eventId":"k-2","time":817387200.00025,"checkin":{}},{"eventId":"k-3","time":817387200.00025,"checkin":{"mood":-3,"sleepHours":0,"substanceUse":{"used":false,"substances":[]},"withdrawal":{"scale":"CIWA-Ar","score":300,"complicated":false},"helpRequested":true}}],"appointments":[{"eventId":"a-3","time":-63114076800,"status":"cancelled"},{"eventId":"a-1","time":817387200,"status":"missed"},{"eventId":"a-2","time":817387200.00025,"status":"attended"}],"checkinEveryHours":12.5},"processedEvents":[{"source":"app","id":"c-1"},817387200,{"source":"ehr \"quoted\"","id":"a-1\n"},817387199],"cooldowns":{"craving-spike":{"until":817473600,"severity":2},"silence-after-lapse":{"until":63113904000,"severity":0},"missed-checkins":{"until":817387200.00025,"severity":1}},"timers":{"checkinClockStart":817387200,"checkinClockEventId":"k-1","checkinClockEventType":"care.enrollment.v1","missedLevel":1,"lapseDeadline":817473600,"lapseAlertId":"0123","lapseEvidence":{"eventId":"k-1","type":"care.checkin.v1","time":817387200,"field":"substance","value":{"string":{"_0":"alcohol"}}},"awaitingCheckin":[{"alertId":"0123","patientId":"P-1","rule":"substance-use","ruleVersion":2,"severity":3,"status":"escalated","summary":"Reported use","evidence":[{"eventId":"c-1","type":"care.craving.v1","time":817387200,"field":"score","value":{"number":{"_0":7.5}}},{"eventId":"k-1","type":"care.checkin.v1","time":817387200,"field":"cueExposure","value":{"bool":{"_0":true}}},{"eventId":"k-1","type":"care.checkin.v1","time":817387200,"field":"substance","value":{"string":{"_0":"alcohol"}}},{"eventId":"k-1","type":"care.checkin.v1","time":817387200,"field":"substances","value":{"strings":{"_0":["alcohol","ketamine"]}}}],"alsoMatched":["craving-spike"],"triggeredAt":817387200,"detectedAt":817387201.5,"recommendedAction":"Contact the patient within 15 minutes","escalationLevel":1,"originalAlertId":"0122"},{"alertId":"0124","patientId":"P-1","rule":"missed-checkins","ruleVersion":-1,"severity":1,"status":"resolved","summary":"Keine Rückmeldung seit 48 h","evidence":[{"eventId":"k-2","type":"care.alert-ack.v1","time":-63114076800,"field":"mood","value":{"number":{"_0":-2.5}}}],"alsoMatched":[],"triggeredAt":817387200.00025,"detectedAt":63113904000,"recommendedAction":"Call the family"}],"escalations":[{"alert":{"alertId":"0123","patientId":"P-1","rule":"substance-use","ruleVersion":2,"severity":3,"status":"escalated","summary":"Reported use","evidence":[{"eventId":"c-1","type":"care.craving.v1","time":817387200,"field":"score","value":{"number":{"_0":7.5}}},{"eventId":"k-1","type":"care.checkin.v1","time":817387200,"field":"cueExposure","value":{"bool":{"_0":true}}},{"eventId":"k-1","type":"care.checkin.v1","time":817387200,"field":"substance","value":{"string":{"_0":"alcohol"}}},{"eventId":"k-1","type":"care.checkin.v1","time":817387200,"field":"substances","value":{"strings":{"_0":["alcohol","ketamine"]}}}],"alsoMatched":["craving-spike"],"triggeredAt":817387200,"detectedAt":817387201.5,"recommendedAction":"Contact the patient within 15 minutes","escalationLevel":1,"originalAlertId":"0122"},"level":1,"alertIds":["0122","0123"]},{"alert":{"alertId":"0124","patientId":"P-1","rule":"missed-checkins","ruleVersion":-1,"severity":1,"status":"resolved","summary":"Keine Rückmeldung seit 48 h","evidence":[{"eventId":"k-2","type":"care.alert-ack.v1","time":-63114076800,"field":"mood","value":{"number":{"_0":-2.5}}}],"alsoMatched":[],"triggeredAt":817387200.00025,"detectedAt":63113904000,"recommendedAction":"Call the family"},"level":2,"alertIds":[]}]},"isDischarged":true,"latestEventTime":817387200,"partition":5,"nextPruneAt":817390800}}
"""#.utf8)

    /// Version 2 (binary, processed events as their `source` and `id` strings), as issue 7's first release wrote it.
    static let version2 = Array(Data(base64Encoded: [
        "AgIGYy0xgJCh94XRAQEAAAAAAAAeQA9hbGNvaG9sBmMtMvSTofeF0QEGAAMGay0xgJCh94XRAf8EEAEAAAAAAAARQAECAxBrZXRh",
        "bWluZQEBHAECAAZrLTIBMQgAYCtcyEEABmstMwExCABgK1zIQa0FAQAAAAAAAACAAAAAAQAAAAAAwHJAAAEDBmEtM/7/mI/HwTgC",
        "BmEtMYCQofeF0QEBBmEtMgExCABgK1zIQQABAAAAAAAAKUACBmFwcAGAkKH3hdEBGGVociAicXVvdGVkIghhLTEK4PCg94XRAQMa",
        "Y3JhdmluZy1zcGlrZYDwhpyH0QECJnNpbGVuY2UtYWZ0ZXItbGFwc2WAgLSvqKU6AB5taXNzZWQtY2hlY2tpbnMBMQgAYCtcyEEB",
        "H4CQofeF0QEHAwKA8Iach9EBCDAxMjMHAYCQofeF0QESc3Vic3RhbmNlAwMCBiEac3Vic3RhbmNlLXVzZQQDARhSZXBvcnRlZCB1",
        "c2UEAQCAkKH3hdEBCnNjb3JlAAEAAAAAAAAeQAcBgJCh94XRARZjdWVFeHBvc3VyZQIHAYCQofeF0QEjAwMHAYCQofeF0QEUc3Vi",
        "c3RhbmNlcwQCAwkBG4CQofeF0QHwvqH3hdEBAggwMTIyAQgwMTI0HwEBAjhLZWluZSBSw7xja21lbGR1bmcgc2VpdCA0OCBoAQsE",
        "/v+Yj8fBOAhtb29kAAEAAAAAAAAEwAABMQgAYCtcyEGAgLSvqKU6HkNhbGwgdGhlIGZhbWlseQIGISUEAwEnBAEAgJCh94XRASkA",
        "AQAAAAAAAB5ABwGAkKH3hdEBKwIHAYCQofeF0QEjAwMHAYCQofeF0QEtBAIDCQEbgJCh94XRAfC+ofeF0QECLwICLyEBMR8BAQIz",
        "AQsE/v+Yj8fBODUAAQAAAAAAAATAAAExCABgK1zIQYCAtK+opTo3BAABgJCh94XRAYCEkP6F0QE=",
    ].joined())!)

    /// Version 3 (binary, processed events as fingerprints), as issue 7's second round wrote it.
    static let version3 = Array(Data(base64Encoded: [
        "AwIGYy0xgJCh94XRAQEAAAAAAAAeQA9hbGNvaG9sBmMtMvSTofeF0QEGAAMGay0xgJCh94XRAf8EEAEAAAAAAAARQAECAxBrZXRh",
        "bWluZQEBHAECAAZrLTIBMQgAYCtcyEEABmstMwExCABgK1zIQa0FAQAAAAAAAACAAAAAAQAAAAAAwHJAAAEDBmEtM/7/mI/HwTgC",
        "BmEtMYCQofeF0QEBBmEtMgExCABgK1zIQQABAAAAAAAAKUACcPAFIdhTDKiN909+PqeaZoCQofeF0QGOaWwc5joYyoSpKe/3EDmp",
        "4PCg94XRAQMaY3JhdmluZy1zcGlrZYDwhpyH0QECHm1pc3NlZC1jaGVja2lucwExCABgK1zIQQEmc2lsZW5jZS1hZnRlci1sYXBz",
        "ZYCAtK+opToAH4CQofeF0QEHAwKA8Iach9EBCDAxMjMHAYCQofeF0QESc3Vic3RhbmNlAwMCBhsac3Vic3RhbmNlLXVzZQQDARhS",
        "ZXBvcnRlZCB1c2UEAQCAkKH3hdEBCnNjb3JlAAEAAAAAAAAeQAcBgJCh94XRARZjdWVFeHBvc3VyZQIHAYCQofeF0QEdAwMHAYCQ",
        "ofeF0QEUc3Vic3RhbmNlcwQCAwkBFYCQofeF0QHwvqH3hdEBAggwMTIyAQgwMTI0FwEBAjhLZWluZSBSw7xja21lbGR1bmcgc2Vp",
        "dCA0OCBoAQsE/v+Yj8fBOAhtb29kAAEAAAAAAAAEwAABMQgAYCtcyEGAgLSvqKU6HkNhbGwgdGhlIGZhbWlseQIGGx8EAwEhBAEA",
        "gJCh94XRASMAAQAAAAAAAB5ABwGAkKH3hdEBJQIHAYCQofeF0QEdAwMHAYCQofeF0QEnBAIDCQEVgJCh94XRAfC+ofeF0QECKQIC",
        "KRsBKxcBAQItAQsE/v+Yj8fBOC8AAQAAAAAAAATAAAExCABgK1zIQYCAtK+opToxBAABgJCh94XRAYCEkP6F0QE=",
    ].joined())!)
}
