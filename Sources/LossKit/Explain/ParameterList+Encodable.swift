extension ParameterList: Encodable {
  /// An object of the parameters in the order given (`{"from_logits": true}`).
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: NameKey.self)
    for assignment in self { try container.encode(assignment.value, forKey: NameKey(assignment.name)) }
  }
}

/// A coding key that is any string (parameter names, flag names).
struct NameKey: CodingKey {
  var stringValue: String
  var intValue: Int? { nil }
  init(_ name: String) { stringValue = name }
  init?(stringValue: String) { self.stringValue = stringValue }
  init?(intValue: Int) { nil }
}
