import LossKit

/// Encodes any `Encodable` value as a ``JSONValue``, so that every JSON document
/// LossKit writes — results, lists, trace exports — goes through ``JSONWriter``.
///
/// Keys keep their encoding order. `Float` values keep their shortest float32 form
/// (`5.3726983`), non-finite numbers become the strings `"nan"`, `"inf"`, `"-inf"`, and
/// integers stay integers.
public struct JSONValueEncoder {
  public init() {}

  /// The JSON value of `value`.
  public func encode<T: Encodable>(_ value: T) throws -> JSONValue {
    let root = Box.Slot()
    try value.encode(to: Box(slot: root, codingPath: []))
    return root.resolved()
  }

  /// The compact JSON text of `value`.
  public func text<T: Encodable>(_ value: T) throws -> String {
    JSONWriter.write(try encode(value))
  }

  public static func number(_ d: Double) -> JSONValue {
    if d.isNaN { return .string("nan") }
    if d.isInfinite { return .string(d < 0 ? "-inf" : "inf") }
    return .number(d, integer: nil)
  }

  public static func number(_ f: Float) -> JSONValue {
    if !f.isFinite { return number(Double(f)) }
    // The shortest decimal of the float32, read back as the double it prints as.
    return .number(Double("\(f)") ?? Double(f), integer: nil)
  }
}

/// A node of the value tree being built: a slot that a container fills.
private struct Box: Encoder {
  final class Slot {
    var value: JSONValue?
    var members: [(key: String, value: Slot)] = []
    var elements: [Slot] = []
    var kind: Kind = .single
    enum Kind { case single, keyed, unkeyed }

    func resolved() -> JSONValue {
      switch kind {
      case .single: return value ?? .null
      case .keyed: return .object(members.map { ($0.key, $0.value.resolved()) })
      case .unkeyed: return .array(elements.map { $0.resolved() })
      }
    }
  }

  let slot: Slot
  var codingPath: [any CodingKey]
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
    slot.kind = .keyed
    return KeyedEncodingContainer(Keyed<Key>(slot: slot, codingPath: codingPath))
  }

  func unkeyedContainer() -> any UnkeyedEncodingContainer {
    slot.kind = .unkeyed
    return Unkeyed(slot: slot, codingPath: codingPath)
  }

  func singleValueContainer() -> any SingleValueEncodingContainer {
    Single(slot: slot, codingPath: codingPath)
  }

  static func leaf<T: Encodable>(_ value: T, path: [any CodingKey]) throws -> Slot {
    // Typed leaves first, so numbers keep their precision and kind.
    let slot = Slot()
    switch value {
    case let v as Double: slot.value = JSONValueEncoder.number(v)
    case let v as Float: slot.value = JSONValueEncoder.number(v)
    case let v as Int: slot.value = .number(Double(v), integer: v)
    case let v as String: slot.value = .string(v)
    case let v as Bool: slot.value = .bool(v)
    case let v as JSONValue: slot.value = v
    default: try value.encode(to: Box(slot: slot, codingPath: path))
    }
    return slot
  }

  struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let slot: Slot
    var codingPath: [any CodingKey]

    func put(_ child: Slot, _ key: Key) {
      if let index = slot.members.firstIndex(where: { $0.key == key.stringValue }) {
        slot.members[index].value = child
      } else {
        slot.members.append((key.stringValue, child))
      }
    }

    mutating func encodeNil(forKey key: Key) throws {
      let child = Slot()
      child.value = .null
      put(child, key)
    }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
      put(try Box.leaf(value, path: codingPath + [key]), key)
    }
    mutating func nestedContainer<NestedKey: CodingKey>(
      keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
      let child = Slot()
      child.kind = .keyed
      put(child, key)
      return KeyedEncodingContainer(Keyed<NestedKey>(slot: child, codingPath: codingPath + [key]))
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
      let child = Slot()
      child.kind = .unkeyed
      put(child, key)
      return Unkeyed(slot: child, codingPath: codingPath + [key])
    }
    mutating func superEncoder() -> any Encoder { Box(slot: slot, codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
      let child = Slot()
      put(child, key)
      return Box(slot: child, codingPath: codingPath + [key])
    }
  }

  struct Unkeyed: UnkeyedEncodingContainer {
    let slot: Slot
    var codingPath: [any CodingKey]
    var count: Int { slot.elements.count }

    mutating func encodeNil() throws {
      let child = Slot()
      child.value = .null
      slot.elements.append(child)
    }
    mutating func encode<T: Encodable>(_ value: T) throws {
      slot.elements.append(try Box.leaf(value, path: codingPath))
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
      let child = Slot()
      child.kind = .keyed
      slot.elements.append(child)
      return KeyedEncodingContainer(Keyed<NestedKey>(slot: child, codingPath: codingPath))
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
      let child = Slot()
      child.kind = .unkeyed
      slot.elements.append(child)
      return Unkeyed(slot: child, codingPath: codingPath)
    }
    mutating func superEncoder() -> any Encoder {
      let child = Slot()
      slot.elements.append(child)
      return Box(slot: child, codingPath: codingPath)
    }
  }

  struct Single: SingleValueEncodingContainer {
    let slot: Slot
    var codingPath: [any CodingKey]

    mutating func encodeNil() throws { slot.value = .null }
    mutating func encode<T: Encodable>(_ value: T) throws {
      let leaf = try Box.leaf(value, path: codingPath)
      slot.kind = leaf.kind
      slot.value = leaf.value
      slot.members = leaf.members
      slot.elements = leaf.elements
    }
  }
}
