import CLossKitKernels
import Foundation
import LossKitIO
import Testing

/// PyTorch's float32 vector functions (`lk_sleef_*`, SLEEF's u10 exp, log and log1p, the
/// torch policy's) against what torch 2.15 computed on the same arguments on an AVX-512
/// CPU (Tests/Fixtures/elementary/sleef.json, written by Tools/fixtures/make_sleef_tables.py
/// through torch.log1p, log_sigmoid's exp buffer and log_softmax): bit for bit, except
/// that a NaN only has to be a NaN.
@Suite("PyTorch's SLEEF functions")
struct SLEEFFunctionTests {
  static let functions: [String: @Sendable (Float) -> Float] = [
    "exp": { lk_sleef_expf_u10($0) }, "log": { lk_sleef_logf_u10($0) }, "log1p": { lk_sleef_log1pf_u10($0) },
  ]

  @Test func everyResultIsTorchsBitForBit() throws {
    let tables = try ElementaryFunctionTests.fixtureTables("sleef.json", format: "losskit-sleef-functions/1") { value -> UInt32? in
      guard case .string(let hex) = value else { return nil }
      return UInt32(hex, radix: 16)
    }
    #expect(tables.count == 3)
    for (name, f) in Self.functions {
      let table = try #require(tables[name], "missing \(name)")
      let x = try #require(table["x"]), y = try #require(table["y"])
      #expect(x.count == y.count && x.count > 1500, "\(name): \(x.count) arguments, \(y.count) results")
      let differing = zip(x, y).filter { xb, yb in
        let value = f(Float(bitPattern: xb)), expected = Float(bitPattern: yb)
        return expected.isNaN ? !value.isNaN : value.bitPattern != yb
      }
      #expect(differing.isEmpty, "\(name): \(differing.count) of \(x.count) differ, first x = \(differing.first.map { String($0.0, radix: 16) } ?? "")")
    }
  }
}
