package render

import (
	"bytes"
	"strings"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/sshblog/sshblog/content/linebreak"
)

// The parser reads the dialect Jekyll blogs are written in (kramdown with
// GFM input): GFM (tables, strikethrough, task lists, bare URLs), definition
// lists and footnotes from goldmark's extensions, and five rules of our own,
// each a goldmark parser registered ahead of the one it replaces:
//
//   - cjkDelimiters: emphasis (*, _) and strikethrough (~) next to CJK text.
//     CommonMark's flanking rules make "**免责声明：**我之前" literal, because
//     the closing run follows punctuation and precedes a letter; kramdown
//     renders it bold. Here a CJK character on the far side counts as
//     space does, the idea of the markdown-cjk-friendly proposal.
//     Hand-written because no Go library does it: goldmark declined it
//     (yuin/goldmark PR #529) and its ScanDelimiter is not configurable, so
//     this parser calls ScanDelimiter and recomputes the flanking.
//   - hashHeadings: "#标题" (no space after the hashes) at the start of a
//     block is a heading, as kramdown reads it; it never interrupts a
//     paragraph, so "#tag" inside a paragraph stays text, and code is code.
//   - mathInline and mathBlock: $$…$$, \(…\), \[…\] and TeX-looking $…$ are
//     code spans (and $$ lines a code block) holding the source exactly, so
//     emphasis and escapes never touch math. $…$ is math only when the
//     opening $ is not followed by a space, the closing one not preceded by
//     a space nor followed by a digit: "$5 and $10" stays text.
//   - spanHTMLLines: a line holding only a span-level tag ("<br />",
//     "<a name='x'/>") is text with inline HTML, as in kramdown, not the
//     start of an HTML block (CommonMark's type 7) that would swallow the
//     Markdown after it up to the next blank line; and an indented line of
//     end tags ("    </div>") is HTML, not code (closingTagLines).
//   - kramdownAttrs: kramdown's attribute lists and extensions ({: .class},
//     {:#id}, {:toc}, {::options … /}) become ialNode, which the tree
//     transform removes (and turns {:toc} into a table of contents).
func newParser() parser.Parser {
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.DefinitionList, extension.Footnote),
		// "## Heading {#id .class}", kramdown's header IDs, never show.
		goldmark.WithParserOptions(parser.WithHeadingAttribute()),
	)
	p := md.Parser()
	p.AddOptions(
		parser.WithInlineParsers(
			util.Prioritized(cjkDelimiters{emphasis: true}, 10),
			util.Prioritized(cjkDelimiters{}, 10),
			util.Prioritized(mathInline{}, 10),
			util.Prioritized(kramdownAttrs{}, 10),
		),
		parser.WithBlockParsers(
			util.Prioritized(mathBlock{}, 50),
			util.Prioritized(hashHeadings{}, 50),
			util.Prioritized(spanHTMLLines{html: parser.NewHTMLBlockParser(), para: parser.NewParagraphParser()}, 50),
			util.Prioritized(closingTagLines{}, 50),
		),
	)
	return p
}

// parse parses src once; the tree's segments point into src.
func parse(p parser.Parser, src []byte) ast.Node {
	return p.Parse(text.NewReader(src))
}

// cjkDelimiters parses runs of '*' and '_' (emphasis) or '~'
// (strikethrough) with CJK-friendly flanking; see newParser.
type cjkDelimiters struct{ emphasis bool }

func (d cjkDelimiters) Trigger() []byte {
	if d.emphasis {
		return []byte{'*', '_'}
	}
	return []byte{'~'}
}

func (d cjkDelimiters) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	before := block.PrecendingCharacter()
	line, segment := block.PeekLine()
	var proc parser.DelimiterProcessor = emphasisProcessor{}
	if !d.emphasis {
		proc = strikeProcessor{}
	}
	node := parser.ScanDelimiter(line, before, 1, proc)
	if node == nil || (!d.emphasis && (node.OriginalLength > 2 || before == '~')) {
		return nil
	}
	after := ' '
	if node.OriginalLength < len(line) {
		after = util.ToRune(line, node.OriginalLength)
	}
	node.CanOpen, node.CanClose = flanking(line[0], before, after)
	node.Segment = segment.WithStop(segment.Start + node.OriginalLength)
	block.Advance(node.OriginalLength)
	pc.PushDelimiter(node)
	return node
}

// flanking applies CommonMark's rules for whether a delimiter run of c
// between before and after can open or close, made CJK-friendly in two
// ways: CJK punctuation (「」，。：) does not count as punctuation (CJK
// text has no spaces, so its punctuation sits between letters), and a CJK
// character on the far side satisfies the part of the rule that asks for
// space or punctuation.
func flanking(c byte, before, after rune) (canOpen, canClose bool) {
	bCJK, aCJK := linebreak.IsCJK(before), linebreak.IsCJK(after)
	bPunct := !bCJK && (util.IsPunctRune(before) || unicode.IsPunct(before) || unicode.IsSymbol(before))
	aPunct := !aCJK && (util.IsPunctRune(after) || unicode.IsPunct(after) || unicode.IsSymbol(after))
	bSpace, aSpace := util.IsSpaceRune(before), util.IsSpaceRune(after)
	left := !aSpace && (!aPunct || bSpace || bPunct || bCJK)
	right := !bSpace && (!bPunct || aSpace || aPunct || aCJK)
	if c == '_' {
		return left && (!right || bPunct || bCJK), right && (!left || aPunct || aCJK)
	}
	return left, right
}

type emphasisProcessor struct{}

func (emphasisProcessor) IsDelimiter(b byte) bool { return b == '*' || b == '_' }
func (emphasisProcessor) CanOpenCloser(opener, closer *parser.Delimiter) bool {
	return opener.Char == closer.Char
}
func (emphasisProcessor) OnMatch(consumes int) ast.Node { return ast.NewEmphasis(consumes) }

type strikeProcessor struct{}

func (strikeProcessor) IsDelimiter(b byte) bool { return b == '~' }
func (strikeProcessor) CanOpenCloser(opener, closer *parser.Delimiter) bool {
	return opener.Char == closer.Char
}
func (strikeProcessor) OnMatch(int) ast.Node { return extast.NewStrikethrough() }

// hashHeadings parses "#heading" without a space; see newParser.
type hashHeadings struct{}

func (hashHeadings) Trigger() []byte { return []byte{'#'} }

func (hashHeadings) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, segment := reader.PeekLine()
	pos := pc.BlockOffset()
	if pos < 0 {
		return nil, parser.NoChildren
	}
	level := 0
	for pos+level < len(line) && line[pos+level] == '#' {
		level++
	}
	if level == 0 || level > 6 || pos+level >= len(line) {
		return nil, parser.NoChildren
	}
	if c := line[pos+level]; c == ' ' || c == '\t' || c == '\n' || c == '\r' {
		return nil, parser.NoChildren // CommonMark's own heading parser takes it
	}
	start := segment.Start + pos + level
	body := bytes.TrimRight(line[pos+level:], " \t\r\n")
	// A closing sequence of hashes after a space goes, as in CommonMark.
	if t := bytes.TrimRight(body, "#"); len(t) < len(body) && len(t) > 0 && (t[len(t)-1] == ' ' || t[len(t)-1] == '\t') {
		body = bytes.TrimRight(t, " \t")
	}
	stop := start + len(body)
	node := ast.NewHeading(level)
	node.Lines().Append(text.NewSegment(start, stop))
	advanceLine(reader, line, segment)
	return node, parser.NoChildren
}

func (hashHeadings) Continue(ast.Node, text.Reader, parser.Context) parser.State { return parser.Close }
func (hashHeadings) Close(ast.Node, text.Reader, parser.Context)                 {}
func (hashHeadings) CanInterruptParagraph() bool                                 { return false }
func (hashHeadings) CanAcceptIndentedLine() bool                                 { return false }

// mathInline parses inline math into a code span holding the source as
// written, delimiters included; see newParser.
type mathInline struct{}

func (mathInline) Trigger() []byte { return []byte{'$', '\\'} }

func (mathInline) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, segment := block.PeekLine()
	end := mathEnd(line, block.PrecendingCharacter())
	if end > 0 {
		span := ast.NewCodeSpan()
		span.AppendChild(span, ast.NewRawTextSegment(segment.WithStop(segment.Start+end)))
		block.Advance(end)
		return span
	}
	// $$, \[ and \( may close on a later line of the paragraph.
	var closer []byte
	for _, d := range [][2]string{{"$$", "$$"}, {`\[`, `\]`}, {`\(`, `\)`}} {
		if bytes.HasPrefix(line, []byte(d[0])) && !bytes.Contains(line[len(d[0]):], []byte(d[1])) {
			closer = []byte(d[1])
		}
	}
	if closer == nil {
		return nil
	}
	l, pos := block.Position()
	span := ast.NewCodeSpan()
	span.AppendChild(span, ast.NewRawTextSegment(segment))
	block.AdvanceLine()
	for {
		line, segment = block.PeekLine()
		if line == nil {
			block.SetPosition(l, pos)
			return nil
		}
		if i := bytes.Index(line, closer); i >= 0 {
			span.AppendChild(span, ast.NewRawTextSegment(segment.WithStop(segment.Start+i+len(closer))))
			block.Advance(i + len(closer))
			return span
		}
		span.AppendChild(span, ast.NewRawTextSegment(segment))
		block.AdvanceLine()
	}
}

// mathEnd returns the length of the math at the start of line, or 0.
func mathEnd(line []byte, before rune) int {
	closing := func(open, close string) int {
		i := bytes.Index(line[len(open):], []byte(close))
		if i <= 0 {
			return 0
		}
		if open[0] == '\\' && !bytes.ContainsAny(line[len(open):len(open)+i], `\^_{}=+*/<>|`) {
			return 0 // "\[1\]" is escaped brackets, not math
		}
		return len(open) + i + len(close)
	}
	switch {
	case bytes.HasPrefix(line, []byte("$$")):
		return closing("$$", "$$")
	case bytes.HasPrefix(line, []byte(`\(`)):
		return closing(`\(`, `\)`)
	case bytes.HasPrefix(line, []byte(`\[`)):
		return closing(`\[`, `\]`)
	case len(line) > 2 && line[0] == '$' && before != '$' && before != '\\':
		if c := line[1]; c == ' ' || c == '\t' || c == '\n' || c == '$' {
			return 0
		}
		for i := 2; i < len(line); i++ {
			switch line[i] {
			case '\\':
				i++ // an escaped character, \$ among them
			case '\n':
				return 0
			case '$':
				if p := line[i-1]; p == ' ' || p == '\t' {
					return 0
				}
				if i+1 < len(line) && line[i+1] >= '0' && line[i+1] <= '9' {
					return 0
				}
				return i + 1
			}
		}
	}
	return 0
}

// mathBlock parses display math whose "$$" starts a block (after any
// indent) and ends a later line, or the same one, into a fenced code block
// without a language holding every line as written. As in kramdown, it
// does not interrupt a paragraph: "$$" lines inside one are inline math.
type mathBlock struct{}

func (mathBlock) Trigger() []byte { return []byte{'$'} }

func (mathBlock) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, segment := reader.PeekLine()
	pos := pc.BlockOffset()
	if pos < 0 || !bytes.HasPrefix(line[pos:], []byte("$$")) || parent.Kind() == ast.KindListItem {
		// In a list item, the math's lines are often indented less than
		// the item's text: as a paragraph's lazy lines they stay in the
		// item, and mathInline takes them.
		return nil, parser.NoChildren
	}
	rest := bytes.TrimRight(line[pos+2:], " \t\r\n")
	if len(rest) > 0 && !bytes.HasSuffix(rest, []byte("$$")) {
		return nil, parser.NoChildren // "$$x$$ and text": inline math in a paragraph
	}
	node := ast.NewFencedCodeBlock(nil)
	node.Lines().Append(segment.WithStart(segment.Start + pos))
	advanceLine(reader, line, segment)
	if len(rest) >= 2 {
		pc.Set(mathClosedKey, node) // one line, opened and closed
	}
	return node, parser.NoChildren
}

var mathClosedKey = parser.NewContextKey()

func (mathBlock) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	if pc.Get(mathClosedKey) == node {
		pc.Set(mathClosedKey, nil)
		return parser.Close
	}
	line, segment := reader.PeekLine()
	if line == nil {
		return parser.Close
	}
	node.Lines().Append(segment)
	advanceLine(reader, line, segment)
	if bytes.Contains(line, []byte("$$")) {
		pc.Set(mathClosedKey, node)
	}
	return parser.Continue | parser.NoChildren
}

// advanceLine moves reader to the end of line (before its newline, which
// the block parser then consumes).
func advanceLine(reader text.Reader, line []byte, segment text.Segment) {
	n := segment.Len()
	if len(line) > 0 && line[len(line)-1] == '\n' {
		n--
	}
	reader.Advance(n)
}

func (mathBlock) Close(ast.Node, text.Reader, parser.Context) {}
func (mathBlock) CanInterruptParagraph() bool                 { return false }
func (mathBlock) CanAcceptIndentedLine() bool                 { return false }

// ialNode is a kramdown attribute list or extension, removed before
// rendering. Attrs is what is between the braces.
type ialNode struct {
	ast.BaseInline
	Attrs []byte
}

var kindIAL = ast.NewNodeKind("KramdownIAL")

func (n *ialNode) Kind() ast.NodeKind { return kindIAL }
func (n *ialNode) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"Attrs": string(n.Attrs)}, nil)
}

// kramdownAttrs parses "{:…}" up to the closing brace on the same line.
type kramdownAttrs struct{}

func (kramdownAttrs) Trigger() []byte { return []byte{'{'} }

func (kramdownAttrs) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, _ := block.PeekLine()
	if len(line) < 3 || line[1] != ':' {
		return nil
	}
	end := bytes.IndexByte(line, '}')
	if end < 0 || bytes.IndexByte(line[:end], '\n') >= 0 {
		return nil
	}
	n := &ialNode{Attrs: bytes.Clone(line[1:end])}
	block.Advance(end + 1)
	return n
}

// spanHTMLLines opens HTML blocks of CommonMark's types 1 to 6 and a
// paragraph for a line that only type 7 (any complete tag) would make one;
// see newParser.
type spanHTMLLines struct {
	html, para parser.BlockParser
}

func (s spanHTMLLines) Trigger() []byte { return []byte{'<'} }

func (s spanHTMLLines) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, _ := reader.PeekLine()
	pos := pc.BlockOffset()
	if pos >= 0 && pos < len(line) && spanTagLine(line[pos:]) {
		return s.para.Open(parent, reader, pc)
	}
	return s.html.Open(parent, reader, pc)
}

func (s spanHTMLLines) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	if node.Kind() == ast.KindParagraph {
		return s.para.Continue(node, reader, pc)
	}
	return s.html.Continue(node, reader, pc)
}

func (s spanHTMLLines) Close(node ast.Node, reader text.Reader, pc parser.Context) {
	if node.Kind() == ast.KindParagraph {
		s.para.Close(node, reader, pc)
		return
	}
	s.html.Close(node, reader, pc)
}

// closingTagLines parses an indented line that holds nothing but end tags
// of block elements ("    </div>") as HTML, not as an indented code block:
// it is the end of an HTML block that a blank line cut short (an
// include's output brings blank lines), and kramdown, which reads HTML
// elements to their end tags, never shows it.
type closingTagLines struct{}

func (closingTagLines) Trigger() []byte { return nil }

func (closingTagLines) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, segment := reader.PeekLine()
	t := bytes.TrimSpace(line)
	if len(t) < 4 || !bytes.HasPrefix(t, []byte("</")) {
		return nil, parser.NoChildren
	}
	for len(t) > 0 {
		if !bytes.HasPrefix(t, []byte("</")) {
			return nil, parser.NoChildren
		}
		gt := bytes.IndexByte(t, '>')
		if gt < 0 || !blockTag(strings.ToLower(string(bytes.TrimSpace(t[2:gt])))) {
			return nil, parser.NoChildren
		}
		t = bytes.TrimSpace(t[gt+1:])
	}
	node := ast.NewHTMLBlock(ast.HTMLBlockType6)
	node.Lines().Append(segment)
	advanceLine(reader, line, segment)
	return node, parser.NoChildren
}

func (closingTagLines) Continue(ast.Node, text.Reader, parser.Context) parser.State {
	return parser.Close
}
func (closingTagLines) Close(ast.Node, text.Reader, parser.Context) {}
func (closingTagLines) CanInterruptParagraph() bool                 { return false }
func (closingTagLines) CanAcceptIndentedLine() bool                 { return true }

func (s spanHTMLLines) CanInterruptParagraph() bool { return true }
func (s spanHTMLLines) CanAcceptIndentedLine() bool { return false }

// spanTagLine reports whether line starts with a tag that is not one of
// CommonMark's HTML block types 1 to 6: an opening or closing tag whose
// name is not a block-level element.
func spanTagLine(line []byte) bool {
	if len(line) < 2 || line[0] != '<' {
		return false
	}
	i := 1
	if line[i] == '/' {
		i++
	}
	j := i
	for j < len(line) && (line[j] >= 'a' && line[j] <= 'z' || line[j] >= 'A' && line[j] <= 'Z' || line[j] >= '0' && line[j] <= '9' || line[j] == '-') {
		j++
	}
	if j == i || !(line[i] >= 'a' && line[i] <= 'z' || line[i] >= 'A' && line[i] <= 'Z') {
		return false
	}
	name := strings.ToLower(string(line[i:j]))
	return !blockTag(name) && !mediaTag(name)
}

// mediaTag reports whether name is embedded media that kramdown, which
// takes every element but its span-level ones for a block, reads as an
// HTML block: a "<video controls>" line starts one, as "<div>" does.
func mediaTag(name string) bool {
	switch name {
	case "video", "audio", "object", "embed":
		return true
	}
	return false
}

// blockTag reports whether name starts an HTML block of types 1 or 6.
func blockTag(name string) bool {
	switch name {
	case "script", "pre", "style", "textarea", // type 1
		"address", "article", "aside", "base", "basefont", "blockquote", "body", "caption", "center",
		"col", "colgroup", "dd", "details", "dialog", "dir", "div", "dl", "dt", "fieldset",
		"figcaption", "figure", "footer", "form", "frame", "frameset", "h1", "h2", "h3", "h4", "h5",
		"h6", "head", "header", "hr", "html", "iframe", "legend", "li", "link", "main", "menu",
		"menuitem", "nav", "noframes", "ol", "optgroup", "option", "p", "param", "search", "section",
		"summary", "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "track", "ul":
		return true
	}
	return false
}
