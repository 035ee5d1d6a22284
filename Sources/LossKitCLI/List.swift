import ArgumentParser
import LossKit
import LossKitIO

struct List: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "List every loss with its framework, options and defaults.",
    discussion: """
      Examples:
        losskit list
        losskit list --framework tf_keras --notes
        losskit list --json
        losskit list --families
      """
  )

  @Option(
    help: ArgumentHelp("Only this framework: \(Framework.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "framework"),
    completion: .list(Framework.allCases.map(\.rawValue)),
    transform: { try ChoiceArgument.parse($0, as: Framework.self, option: "--framework") })
  var framework: Framework?

  @Flag(help: "Also show where other backends, modes or versions of the framework compute differently.")
  var notes = false

  @Flag(help: "Print the list as JSON (notes included).")
  var json = false

  @Flag(help: "List the loss families (for compare, diagnose and plot) with each framework's members.")
  var families = false

  func run() throws {
    if families {
      let all = LossRegistry.standard.families
      for family in all.families {
        let members = LossRegistry.standard.registeredMembers(of: family.id)
        let reference = family.reference.map { _ in "; numpy: the textbook formula" } ?? ""
        print("\(family.id) — \(family.title) (\(family.targets.rawValue) targets\(reference))")
        for member in members where framework == nil || member.framework == framework {
          print("    \(member.label.padding(toLength: max(member.label.count + 2, 62), withPad: " ", startingAt: 0))\(member.convention)")
        }
      }
      return
    }
    let only = framework
      let definitions = LossRegistry.standard.definitions.filter { only == nil || $0.framework == only }
      if json {
        printList(definitions)
        return
      }
      for framework in LossRegistry.standard.frameworks where only == nil || framework == only {
        print("\(framework.rawValue) — \(framework.displayName), as in \(framework.referenceVersion)")
        for definition in definitions where definition.framework == framework {
          let inputs = "\(definition.inputNames.yTrue), \(definition.inputNames.yPred)"
          let aliases = definition.aliases.isEmpty ? "" : "  (also \(definition.aliases.joined(separator: ", ")))"
          print("  \(definition.name)(\(inputs))\(aliases)")
          print("      \(definition.summary)")
          for parameter in definition.parameters {
            let value = parameter.defaultValue.map { "=\($0)" } ?? " (required)"
            var line = "      \(parameter.name)\(value)"
            line = line.padding(toLength: max(line.count + 2, 42), withPad: " ", startingAt: 0)
            print(line + parameter.summary + choices(parameter))
          }
          if notes {
            for note in definition.notes { print("      note — \(note.context): \(note.detail)") }
          }
        }
        print("")
      }
  }

  func choices(_ parameter: ParameterInfo) -> String {
    parameter.choices.map { " (" + $0.joined(separator: ", ") + ")" } ?? ""
  }

  func printList(_ definitions: [LossDefinition]) {
    let entries = definitions.map { definition -> JSONValue in
      let parameters = definition.parameters.map { parameter -> JSONValue in
        var members: [(key: String, value: JSONValue)] = [
          ("name", .string(parameter.name)), ("expects", .string(parameter.expectation)),
          ("summary", .string(parameter.summary)),
        ]
        if let choices = parameter.choices { members.append(("choices", .array(choices.map(JSONValue.string)))) }
        if let value = parameter.defaultValue { members.append(("default", value.json)) } else {
          members.append(("required", .bool(true)))
        }
        return .object(members)
      }
      return .object([
        ("framework", .string(definition.framework.rawValue)), ("loss", .string(definition.name)),
        ("aliases", .array(definition.aliases.map(JSONValue.string))),
        ("summary", .string(definition.summary)),
        ("inputs", .array([.string(definition.inputNames.yTrue), .string(definition.inputNames.yPred)])),
        ("class_indices", .bool(definition.takesClassIndices)),
        ("sample_weight", .bool(definition.acceptsSampleWeight)), ("params", .array(parameters)),
        (
          "notes",
          .array(definition.notes.map { .object([("context", .string($0.context)), ("detail", .string($0.detail))]) })
        ),
      ])
    }
    printJSON(.object([("losses", .array(entries))]))
  }

}
