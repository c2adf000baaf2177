#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The log-likelihood ratios Punkt scores its candidates with.
///
/// Each is computed with the same operations in the same order as NLTK's, on the C
/// library's `log`, so that the same counts give the same doubles and the same decisions
/// at the thresholds.
enum PunktLogLikelihood {
    /// Kiss and Strunk's modified Dunning ratio for abbreviations
    /// (`_dunning_log_likelihood`): how much more likely a type is followed by a period
    /// (p = 0.99) than periods are in general.
    /// - Parameters:
    ///   - countA: occurrences of the type, with and without a period.
    ///   - countB: period-final tokens in the text.
    ///   - countAB: occurrences of the type with a period.
    ///   - total: tokens in the text.
    static func abbreviation(countA: Int, countB: Int, countAB: Int, total: Int) -> Double {
        let p1 = Double(countB) / Double(total)
        let p2 = 0.99
        let null = Double(countAB) * log(p1 + 1e-8) + Double(countA - countAB) * log(1.0 - p1 + 1e-8)
        let alternative = Double(countAB) * log(p2) + Double(countA - countAB) * log(1.0 - p2)
        return -2.0 * (null - alternative)
    }

    /// Dunning's log-likelihood ratio that B follows A more often than chance
    /// (`_col_log_likelihood`), for collocations and frequent sentence starters. Terms whose
    /// logarithm is undefined count as zero, as NLTK's caught exceptions make them.
    static func collocation(countA: Int, countB: Int, countAB: Int, total: Int) -> Double {
        let p = Double(countB) / Double(total)
        let p1 = Double(countAB) / Double(countA)
        let p2 = total == countA ? 1 : Double(countB - countAB) / Double(total - countA)
        let rest = total - countA - countB + countAB
        let validP = p > 0 && 1.0 - p > 0
        let summand1 = validP ? Double(countAB) * log(p) + Double(countA - countAB) * log(1.0 - p) : 0
        let summand2 = validP ? Double(countB - countAB) * log(p) + Double(rest) * log(1.0 - p) : 0
        let summand3 = countA == countAB || p1 <= 0 || p1 >= 1
            ? 0 : Double(countAB) * log(p1) + Double(countA - countAB) * log(1.0 - p1)
        let summand4 = countB == countAB || p2 <= 0 || p2 >= 1
            ? 0 : Double(countB - countAB) * log(p2) + Double(rest) * log(1.0 - p2)
        return -2.0 * (summand1 + summand2 - summand3 - summand4)
    }
}
