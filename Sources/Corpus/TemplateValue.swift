/// What WikiExtractor's `expandTemplate` gives for a template body when it has no template
/// definitions: `|` for the magic word `!`, the number for `formatnum`, nothing otherwise
/// (nested templates are not expanded: a body holding braces gives nothing).
enum TemplateValue {
    private static let formatNumber: StaticString = "formatnum:"

    /// Appends the value of the template whose body (between the braces) is `text[body]`.
    static func append(body: Range<Int>, of text: UnsafeBufferPointer<UInt8>, to output: ByteBuffer) {
        let bodyText = UnsafeBufferPointer(rebasing: text[..<body.upperBound])
        guard ByteSearch.index(of: UInt8(ascii: "{"), in: bodyText, from: body.lowerBound) == nil,
              ByteSearch.index(of: "[[", in: bodyText, from: body.lowerBound) == nil else { return }
        let pipe = ByteSearch.index(of: UInt8(ascii: "|"), in: bodyText, from: body.lowerBound)
        let title = stripped(text, body.lowerBound..<(pipe ?? body.upperBound))
        if title.count == 1 && text[title.lowerBound] == UInt8(ascii: "!") {
            output.append(UInt8(ascii: "|"))
            return
        }
        guard ByteSearch.hasPrefix(formatNumber, in: text, at: title.lowerBound) else { return }
        let number = stripped(text, title.lowerBound + formatNumber.utf8CodeUnitCount..<title.upperBound)
        var reverse = false
        if let pipe {
            let nextPipe = ByteSearch.index(of: UInt8(ascii: "|"), in: bodyText, from: pipe + 1) ?? body.upperBound
            let flag = stripped(text, pipe + 1..<nextPipe)
            reverse = flag.count == 1 && text[flag.lowerBound] == UInt8(ascii: "R")
        }
        if reverse {
            for index in number where text[index] != UInt8(ascii: ",") { output.append(text[index]) }
        } else {
            appendFormattedNumber(text, number, to: output)
        }
    }

    /// Appends `{{formatnum:}}`'s rendering of a decimal number, Python's `f'{value:,}'`:
    /// no `+`, no leading zeros, no trailing fractional zeros, commas between thousands.
    /// Anything but a decimal number is appended unchanged.
    private static func appendFormattedNumber(_ text: UnsafeBufferPointer<UInt8>, _ number: Range<Int>, to output: ByteBuffer) {
        var index = number.lowerBound
        let negative = index < number.upperBound && text[index] == UInt8(ascii: "-")
        if index < number.upperBound && (negative || text[index] == UInt8(ascii: "+")) { index += 1 }
        let integerStart = index
        while index < number.upperBound && isDigit(text[index]) { index += 1 }
        let integerEnd = index
        var fractionEnd = index
        if index < number.upperBound && text[index] == UInt8(ascii: ".") {
            index += 1
            while index < number.upperBound && isDigit(text[index]) { index += 1 }
            fractionEnd = index
            while fractionEnd > integerEnd + 1 && text[fractionEnd - 1] == UInt8(ascii: "0") { fractionEnd -= 1 }
        }
        guard index == number.upperBound, index > integerStart + (integerEnd == integerStart ? 1 : 0) else {
            output.append(text, number)
            return
        }
        var digits = integerStart
        while digits < integerEnd - 1 && text[digits] == UInt8(ascii: "0") { digits += 1 }
        let hasFraction = fractionEnd > integerEnd + 1
        if negative && (hasFraction || (digits < integerEnd && text[digits] != UInt8(ascii: "0"))) {
            output.append(UInt8(ascii: "-"))
        }
        if digits == integerEnd { output.append(UInt8(ascii: "0")) }
        for position in digits..<integerEnd {
            if position > digits && (integerEnd - position) % 3 == 0 { output.append(UInt8(ascii: ",")) }
            output.append(text[position])
        }
        if hasFraction { output.append(text, integerEnd..<fractionEnd) }
    }

    /// Whether a byte is an ASCII digit.
    private static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    /// `text[range]` without surrounding whitespace (Python's `str.strip()`).
    private static func stripped(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Range<Int> {
        let start = UnicodeCharacterClass.endOfWhitespace(text, from: range.lowerBound)
        guard start < range.upperBound else { return range.upperBound..<range.upperBound }
        return start..<UnicodeCharacterClass.startOfWhitespace(text, endingAt: range.upperBound, notBefore: start)
    }
}
