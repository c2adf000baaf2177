import CUDA
import Testing

@Suite struct NVRTCDiagnosticTests {
    @Test func messagesAreReadWithTheirFileLineAndSeverity() {
        let log = """
            softmax.cu(12): error: identifier "undefinedThing" is undefined
                  float y = undefinedThing;
                            ^

            bertkit.cuh(3): warning #177-D: variable "unused" was declared but never referenced
            softmax.cu(40): catastrophic error: cannot open source file "missing.h"

            2 errors detected in the compilation of "softmax.cu".
            """
        #expect(NVRTCDiagnostic.parse(log: log) == [
            NVRTCDiagnostic(file: "softmax.cu", line: 12, severity: "error", message: "identifier \"undefinedThing\" is undefined"),
            NVRTCDiagnostic(file: "bertkit.cuh", line: 3, severity: "warning",
                            message: "variable \"unused\" was declared but never referenced"),
            NVRTCDiagnostic(file: "softmax.cu", line: 40, severity: "catastrophic error",
                            message: "cannot open source file \"missing.h\""),
        ])
    }

    @Test func numberedWarningsAreKeptAsWarnings() {
        let parsed = NVRTCDiagnostic.parse(log: "rows.cu(7): warning: variable \"x\" was set but never used")
        #expect(parsed.map(\.isError) == [false])
        #expect(parsed.first?.description == "rows.cu:7: warning: variable \"x\" was set but never used")
    }

    @Test func linesOfOtherFormsAreSkipped() {
        #expect(NVRTCDiagnostic.parse(log: "(12): error: no file\nf(x): error: no line\nplain text\n").isEmpty)
    }
}
