import Testing

@testable import LossKitIO

/// `ChunkStorage` refills one array in place chunk after chunk, but never under a chunk
/// the caller still holds.
@Suite struct ChunkStorageTests {
  @Test func aReleasedChunksMemoryIsReused() {
    var storage = ChunkStorage<Float>()
    var first = storage.filled(count: 1024) { $0.initialize(repeating: 1) }
    let address = first.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
    first = []  // the consumer lets go of the chunk
    let second = storage.filled(count: 1024) { $0.initialize(repeating: 2) }
    #expect(second.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) } == address)
    #expect(second.allSatisfy { $0 == 2 })
  }

  @Test func aHeldChunkKeepsItsValues() {
    var storage = ChunkStorage<Double>()
    let held = storage.filled(count: 1000) { for i in $0.indices { $0[i] = Double(i) } }
    let next = storage.filled(count: 1000) { for i in $0.indices { $0[i] = -Double(i) } }
    #expect(held == (0..<1000).map { Double($0) })
    #expect(next == (0..<1000).map { -Double($0) })
    let shorter = storage.filled(count: 10) { $0.initialize(repeating: 7) }
    #expect(shorter == Array(repeating: 7, count: 10))
    #expect(next.count == 1000 && next[999] == -999)
  }
}
