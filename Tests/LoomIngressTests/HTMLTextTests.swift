import Foundation
import Testing

@testable import LoomIngress

/// The readable text of an HTML mail, in one pass whatever the markup.
struct HTMLTextTests {
    @Test func tagsScriptsAndEntitiesBecomeText() {
        let html = """
            <html><head><STYLE type="text/css">p { color: red }</style></head>
            <body><p>Hello&nbsp;there</p>Line<br>two<BR />three<br/>four
            <script>if (a < b) { alert("x") }</SCRIPT>&lt;ok&gt; &amp; done</body></html>
            """
        #expect(HTMLText.plain(html) == "Hello there\nLine\ntwo\nthree\nfour\n<ok> & done")
    }

    @Test func unclosedMarkupIsKeptAsText() {
        #expect(HTMLText.plain("a < b") == "a < b")
        #expect(HTMLText.plain("x <> y") == "x <> y")
        #expect(HTMLText.plain("<script>never closed") == "never closed")
        #expect(HTMLText.plain("<br class=x>kept<p>") == "kept")
    }

    @Test func hostileMarkupIsReadInOnePass() {
        // Each of these made the former patterns rescan the rest of the text at every `<`.
        for piece in ["<", "<script>", "<style", "<br"] {
            let text = String(repeating: piece, count: 200_000 / piece.count)
            #expect(!HTMLText.plain(text + "<b>end</b>").isEmpty, "\(piece)")
        }
    }
}
