import Foundation

/// Names read from files (tensor keys, metadata values), made safe to print in a message: a
/// checkpoint must not be able to send terminal escape sequences through an error line, nor
/// make it megabytes long.
public enum PrintableNames {
    /// `name` in quotes, with control and format characters (escape sequences, line breaks,
    /// bidirectional overrides) shown as `\u{1B}`-style escapes, cut after `limit` characters.
    public static func quoted(_ name: String, limit: Int = 80, quote: String = "'") -> String {
        var shown = ""
        for (index, scalar) in name.unicodeScalars.enumerated() {
            if index == limit { shown += "..."; break }
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator:
                shown += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default:
                shown.unicodeScalars.append(scalar)
            }
        }
        return quote + shown + quote
    }

    /// At most `limit` names, each as ``quoted(_:limit:quote:)`` shows it, then how many more:
    /// `'a', 'b', 'c' ... and 999,990 more`.
    public static func list(_ names: [String], limit: Int = 10, quote: String = "'") -> String {
        let shown = names.prefix(limit).map { quoted($0, quote: quote) }.joined(separator: ", ")
        guard names.count > limit else { return shown }
        return shown + " ... and \((names.count - limit).formatted()) more"
    }
}
