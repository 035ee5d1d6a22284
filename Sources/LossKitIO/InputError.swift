/// A problem with user-supplied input: a file, an inline value, a case. The message
/// names where (the argument, file, case or JSON path) and what was expected.
public struct InputError: Error, Equatable, Sendable, CustomStringConvertible {
  /// Where the problem is, e.g. `--y-pred`, `cases[3].y_true.data[7]`, `data.npy`.
  public var location: String
  public var message: String

  public init(_ location: String, _ message: String) {
    self.location = location
    self.message = message
  }

  public var description: String { location.isEmpty ? message : "\(location): \(message)" }
}

/// The largest element count a reader accepts from a declared shape (2⁴⁰), so that a
/// hostile header cannot make it allocate without bound.
let maximumElementCount = 1 << 40

/// The element count of `shape`, or nil when it overflows or exceeds
/// ``maximumElementCount``.
func checkedElementCount(_ shape: [Int]) -> Int? {
  var total = 1
  for dim in shape {
    let (product, overflow) = total.multipliedReportingOverflow(by: dim)
    guard !overflow, product <= maximumElementCount else { return nil }
    total = product
  }
  return total
}
