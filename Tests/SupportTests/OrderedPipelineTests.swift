import Testing
@testable import Support

@Suite struct OrderedPipelineTests {
    @Test(arguments: [1, 2, 5])
    func outputsComeInInputOrder(workers: Int) throws {
        var consumed: [Int] = []
        try OrderedPipeline.run(
            workers: workers, maxInFlight: 3,
            produce: { emit in for value in 0..<500 { try emit(value) } },
            transform: { (value: Int) -> Int in
                // Uneven work so that results finish out of order.
                var spin = 0
                for step in 0..<((value * 7919) % 5000) { spin &+= step }
                return value * 2 + (spin == -1 ? 1 : 0)
            },
            consume: { consumed.append($0) })
        #expect(consumed == (0..<500).map { $0 * 2 })
    }

    struct Boom: Error, Equatable { var where_: String }

    @Test func producerErrorArrivesAfterEarlierResults() {
        var consumed: [Int] = []
        #expect(throws: Boom(where_: "producer")) {
            try OrderedPipeline.run(
                workers: 2, maxInFlight: 4,
                produce: { emit in
                    for value in 0..<10 { try emit(value) }
                    throw Boom(where_: "producer")
                },
                transform: { $0 },
                consume: { consumed.append($0) })
        }
        #expect(consumed == Array(0..<10))
    }

    @Test func transformErrorStopsThePipeline() {
        var consumed: [Int] = []
        #expect(throws: Boom(where_: "transform")) {
            try OrderedPipeline.run(
                workers: 2, maxInFlight: 4,
                produce: { emit in for value in 0..<10_000 { try emit(value) } },
                transform: { (value: Int) -> Int in
                    if value == 50 { throw Boom(where_: "transform") }
                    return value
                },
                consume: { consumed.append($0) })
        }
        #expect(consumed == Array(0..<50))
    }

    @Test func consumerErrorStopsTheProducer() {
        var produced = 0
        #expect(throws: Boom(where_: "consumer")) {
            try OrderedPipeline.run(
                workers: 1, maxInFlight: 2,
                produce: { emit in
                    for value in 0..<1_000_000 { try emit(value); produced += 1 }
                },
                transform: { $0 },
                consume: { if $0 == 3 { throw Boom(where_: "consumer") } })
        }
        // Bounded in-flight work: the producer got at most a few items ahead.
        #expect(produced < 10)
    }
}

@Suite struct BlockingQueueTests {
    @Test func closedQueueDrainsThenEnds() {
        let queue = BlockingQueue<Int>(capacity: 4)
        #expect(queue.push(1))
        #expect(queue.push(2))
        queue.close()
        #expect(!queue.push(3))
        #expect(queue.pop() == 1)
        #expect(queue.pop() == 2)
        #expect(queue.pop() == nil)
    }

    @Test func manyItemsAcrossThreadsArriveOnceInOrder() {
        let queue = BlockingQueue<Int>(capacity: 8)
        let producer = WorkerThread {
            for value in 0..<10_000 { queue.push(value) }
            queue.close()
        }
        var received: [Int] = []
        while let value = queue.pop() { received.append(value) }
        producer.join()
        #expect(received == Array(0..<10_000))
    }
}
