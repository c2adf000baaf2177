import Corpus
import Testing

/// The cleaner on small inputs; the expected outputs are WikiExtractor 3.1's for the same
/// wikitext (`--json`, default options), except for `keepLists`, which it does not have.
struct WikitextCleanerTests {
    private func clean(_ wikitext: String, keepLists: Bool = false) -> String {
        String(decoding: WikitextCleaner(keepLists: keepLists).clean(Array(wikitext.utf8)), as: UTF8.self)
    }

    /// Templates vanish, nested or multi-line; an unclosed one keeps the rest of the text; extra braces stay.
    @Test func templatesVanish() {
        #expect(clean("A {{template|x=1}} b {{nested {{inner}} x}} c.")
                == "A b c.")
        #expect(clean("{{Infobox country\n| name = X\n| capital = {{lang|fr|Y}}\n}}\n'''X''' is a country.")
                == "X is a country.")
        #expect(clean("A {{unclosed b c {{x}} d")
                == "A {{unclosed b c {{x}} d")
        #expect(clean("A {{a}}} b {{{{four}}}} c.")
                == "A } b {} c.")
    }

    /// `{{formatnum:}}` formats its number and `{{!}}` gives a pipe, as WikiExtractor's expansion does.
    @Test func magicWordTemplatesAndFormatnum() {
        #expect(clean("Population {{formatnum: 1234567}} and {{formatnum:12.50}}; {{formatnum:1,234|R}} {{!}} x.")
                == "Population 1,234,567 and 12.5; 1234 | x.")
    }

    /// Tables vanish, nested ones included.
    @Test func tablesVanish() {
        #expect(clean("Before\n{| class=\"wikitable\"\n|-\n| a || b\n|-\n| {{x}} || [[c]]\n|}\nAfter")
                == "Before\nAfter")
        #expect(clean("Outer {|\n| a\n{|\n| nested\n|}\n| b\n|} end.")
                == "Outer end.")
    }

    /// Internal links become their label plus their trail; the label follows the last pipe before nested links.
    @Test func internalLinksBecomeTheirText() {
        #expect(clean("Link [[Foo]], [[Foo|bar]], [[bus]]es, [[Foo|bar]]baz and [[ spaced | label ]].")
                == "Link Foo, bar, buses, barbaz and label.")
        #expect(clean("Multi [[a|b|c]] nested [[a|b [[c]] d]].")
                == "Multi b|c nested b [[c]] d.")
        #expect(clean("Trail [[Шина]]та and [[a]]_b.")
                == "Trail Шината and a_b.")
    }

    /// Links whose target has a prefix before a colon vanish, but for `w:`, `wikt:` and `wiktionary:`.
    @Test func linksIntoOtherNamespacesVanish() {
        #expect(clean("Cat[[Category:X]] file [[File:A.jpg|thumb|A [[b|caption]].]] [[Image:B.png]] lang [[fr:Paris]] colon [[:Category:Y|z]] w [[w:Foo|kept]] [[wikt:bar]] title [[Kill Bill: Volume 1]] end.")
                == "Cat file lang colon w kept wikt:bar title end.")
    }

    /// An unclosed `[[` leaves later links alone; doubled brackets collapse.
    @Test func unclosedAndDoubledLinkBrackets() {
        #expect(clean("Unclosed [[x then [[y]] ok.")
                == "Unclosed [[x then y ok.")
        #expect(clean("[[[[X]]]] and [[[Y]]] and [[[[Z]] w]]")
                == "X and Y and [[Z]] w")
    }

    /// Bracketed external links become their label (none for an image URL); bare URLs stay.
    @Test func externalLinksBecomeTheirLabels() {
        #expect(clean("See [http://example.com the site], [https://a.b], [//proto.rel relative], [mailto:a@b.c mail] and http://bare.org.")
                == "See the site, relative, mail and http://bare.org.")
        #expect(clean("Image [http://a.com/b/c.png http://a.com/b/c.png] gone, [news:x not a] [http:// nothing].")
                == "Image gone, not a [http:// nothing].")
    }

    /// Bold goes, italic becomes double quotes, leftover apostrophes as WikiExtractor leaves them.
    @Test func boldAndItalic() {
        #expect(clean("Bold '''b''' italic ''i'' both '''''bi''''' mixed ''it '''bo''' it''.")
                == "Bold b italic \"i\" both bi mixed \"it bo it\".")
        #expect(clean("Quote ''\"q\"'' and \"\"double\"\", stray ''' and '' end.")
                == "Quote \"q\" and \"double\", stray \"' and \" end.")
        #expect(clean("L'avion ''a\nb'' '''c")
                == "L'avion \"a\nb\" \"'c")
    }

    /// Comments, references and the other discarded elements vanish with their content.
    @Test func commentsReferencesAndDiscardedElements() {
        #expect(clean("Text<!-- hidden -->kept<ref>A citation.</ref>, more<ref name=\"x\"/> and<ref name=\"y\">c</ref>.\n<references/>\n<gallery>\nA.jpg|cap\n</gallery>After <small>small</small><timeline>t</timeline><pre>code</pre>end.")
                == "Textkept, more and.\nAfter end.")
        #expect(clean("Unclosed <!-- comment stays")
                == "Unclosed &lt;!-- comment stays")
        #expect(clean("Nested<ref>one<ref>two</ref>three</ref> done.")
                == "Nested done.")
    }

    /// Inline tags go and keep their content.
    @Test func inlineTagsKeepTheirContent() {
        #expect(clean("Tags <span style=\"x\">s</span> <b>b</b> x<sup>2</sup> <div class=\"y\">d</div> <a href=\"u\">link</a> <nowiki>[[not a link]]</nowiki> <poem>p</poem>.")
                == "Tags s b x2 d link not a link p.")
    }

    /// `<br>` and `<hr>` separate words with a space, `<p>` and `<center>` with a newline.
    @Test func lineBreakingTags() {
        #expect(clean("Br a<br>b <br/> c<br />d<hr>e")
                == "Br a b c d e")
        #expect(clean("P <p>para</p>x<center>c</center>y")
                == "P para\nx\nc\ny")
    }

    /// Character references are decoded; the output escapes `&`, `<` and `>` as WikiExtractor's does.
    @Test func entitiesAreDecodedAndOutputIsHTMLEscaped() {
        #expect(clean("AT&amp;T &lt;tag&gt; &nbsp;x &eacute; &#65;&#x42; &bogus; &apos; &quot;q&quot; &amp;amp; a < b > c & d")
                == "AT&amp;T &lt;tag&gt; \u{a0}x é AB &amp;bogus; &amp;apos; \"q\" &amp;amp; a &lt; b &gt; c &amp; d")
    }

    /// Math and code become numbered placeholders; a repeated formula repeats its number.
    @Test func mathAndCodePlaceholders() {
        #expect(clean("Math <math>x^2</math>, <math display=\"block\">y</math>, <math>x^2</math> and <code>f()</code>.")
                == "Math formula_1, formula_2, formula_1 and codice_1.")
    }

    /// Behaviour switches such as `__NOTOC__` vanish.
    @Test func behaviourSwitchesVanish() {
        #expect(clean("__NOTOC__Text __TOC__ more.__NOEDITSECTION__")
                == "Text more.")
    }

    /// Code in `<syntaxhighlight>` is kept as written.
    @Test func syntaxHighlightKeepsItsCode() {
        #expect(clean("Code: <syntaxhighlight lang=\"c\">if (a && b) { x = '''y'''; }</syntaxhighlight> done.")
                == "Code: if (a &amp;&amp; b) { x = y; } done.")
    }

    /// Headings become lines ending in a period, written only before their section's first paragraph.
    @Test func headingsPrecedeTheirContent() {
        #expect(clean("Intro.\n== History ==\nOld.\n== Empty ==\n=== Sub ===\nSub text.\n== Why? ==\nBecause.\n== Last ==")
                == "Intro.\nHistory.\nOld.\nEmpty.\nSub.\nSub text.\nWhy?\nBecause.")
        #expect(clean("==A==\n===B===\n==C==\ntext c")
                == "C.\ntext c")
        #expect(clean("== [[Link|Linked]] heading ==\nText.")
                == "Linked heading.\nText.")
    }

    /// List items go; indented lines stay without their colons.
    @Test func listsAndIndentsWithoutKeepLists() {
        #expect(clean("Lines:\n* item one\n# item two\n; term\n: indented\n:: twice\nEnd.")
                == "Lines:\n indented\n twice\nEnd.")
    }

    /// Table and template leftovers, parenthesised lines and punctuation-only lines go.
    @Test func leftoverLinesVanish() {
        #expect(clean("Text\n{ brace start\n| pipe start\nbrace end }\n(parenthesised)\n...\n-.-\n.\n\n,\nword")
                == "Text\nword")
    }

    /// Spaces are collapsed and tidied around punctuation; dots, commas and guillemets as WikiExtractor tidies them.
    @Test func whitespaceAndPunctuationTidying() {
        #expect(clean("Spaces  a \t b , c . d ( e ) f [ g ] h : i.")
                == "Spaces a b, c. d (e) f [g] h: i.")
        #expect(clean("Dots a.... b..... c... e,, f,,, g,. h << i >> j")
                == "Dots a... b... c... e, f,, g. h «i» j")
    }

    /// The result is empty when nothing is left.
    @Test func emptyWhenNothingIsLeft() {
        #expect(clean("{{Infobox|a=b}}\n[[Category:X]]")
                == "")
        #expect(clean("== Only a heading ==")
                == "")
        #expect(clean("") == "")
        #expect(clean(" \n\t\n") == "")
    }

    /// With `keepLists`, list items keep their text, without their markers.
    @Test func keepListsKeepsListItems() {
        #expect(clean("Lines:\n* item one\n## item two\n; term\n: indented\n*\nEnd.", keepLists: true)
                == "Lines:\nitem one\nitem two\nterm\n indented\nEnd.")
        #expect(clean("== Empty ==\n* only an item", keepLists: true) == "Empty.\nonly an item")
    }
}
