// Package linebreak breaks styled terminal text into lines no wider than a given
// number of cells, the way CJK and Latin typography expect.
//
// Break opportunities come from Unicode line breaking (UAX #14, computed by
// github.com/rivo/uniseg), tailored in three ways: kinsoku holds (no line
// begins with closing punctuation such as 。，」 or ASCII ,.;:!?) and none ends
// with opening punctuation such as 「（), see NoStart and NoEnd); a run of
// narrow non-space characters (a Latin word, a number, a URL) is never split
// unless it is wider than the line; and a break is never placed where it
// would leave only spaces on a line. Widths are terminal cells as measured by
// github.com/charmbracelet/x/ansi, the measure Lip Gloss uses, so East Asian
// wide characters count two.
//
// Styling survives wrapping: SGR attributes and OSC 8 hyperlinks that are
// open at a break are closed at the end of the line and reopened on the next
// one, after its indent.
//
// Block structure that cannot be recovered from the text alone is passed in
// marker runes (Unicode noncharacters, which never occur in interchanged
// text) that the renderer inserts into Glamour's output: see PreStart, PreEnd,
// Hang, Repeat and Break. Lines removes every marker.
//
// Lines also sanitises what it is given, with package termsafe's rules: the
// only escape sequences in its output are SGR sequences and OSC 8 hyperlinks
// to http, https or mailto URLs made of printable ASCII. Every other escape
// sequence and control character is dropped and tabs become spaces, to the
// next tab stop (ExpandTabs).
//
// Why hand-written: the wrappers in the module graph (x/ansi.Wrap, Lip Gloss,
// Glamour) break only at spaces or a fixed set of ASCII breakpoints and split
// CJK text anywhere, so lines start with "。"; none knows UAX #14, kinsoku or
// hanging indents.
package linebreak

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/rivo/uniseg"

	"github.com/sshblog/sshblog/content/termsafe"
)

// Markers that describe block structure. The renderer puts them into the
// text given to Lines; content itself must not contain any rune for which
// IsMarker is true.
const (
	// PreStart begins preformatted text (a code block). Lines from the one
	// holding PreStart to the one holding PreEnd are not re-flowed; a line
	// that is too wide is cut hard and continues aligned with the column
	// where PreStart stood, after Continued (when there is room for it), so
	// that a continuation never reads as a line of its own.
	PreStart rune = '\uFDD0'
	// PreEnd ends preformatted text; its line is still preformatted.
	PreEnd rune = '\uFDD1'
	// Hang ends the lead of a line (a list bullet or number, a heading's
	// "## "): continuation lines are indented to align after it.
	Hang rune = '\uFDD2'
	// Repeat ends a prefix that is repeated, with its styling, at the start
	// of every continuation line (a block quote's bar).
	Repeat rune = '\uFDD3'
	// Break forces a line break (HTML's <br>). The text after it continues
	// with the hanging indent. Two in a row leave an empty line.
	Break rune = '\uFDD4'
)

// Continued starts each continuation of a preformatted line cut at the
// edge.
const Continued = "↪"

// MinWidth is the narrowest width Lines honours: a wide character needs two
// cells. Narrower widths are treated as MinWidth.
const MinWidth = 2

// maxPen bounds the SGR sequences remembered to reopen a style.
const maxPen = 32

// linkClose ends an OSC 8 hyperlink.
const linkClose = "\x1b]8;;\x1b\\"

// IsMarker reports whether r is reserved for markers: the Unicode
// noncharacters U+FDD0 to U+FDEF.
func IsMarker(r rune) bool { return r >= 0xFDD0 && r <= 0xFDEF }

// Lines breaks every line of s so that none is wider than width cells, and
// removes the markers. Widths below MinWidth are treated as MinWidth.
//
// A line may begin with closing punctuation (or end with opening punctuation)
// at a break Lines made only when that break cuts a run with no break
// opportunity that is wider than the line (see the package documentation),
// and no cut point in the part of the run that fits avoids it: every earlier
// boundary in the line would also begin the next line with closing
// punctuation or end this one with opening punctuation.
func Lines(s string, width int) string {
	ls := layout(s, width, false)
	n := len(ls)
	for _, l := range ls {
		n += len(l.text)
	}
	var b strings.Builder
	b.Grow(n)
	for i, l := range ls {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l.text)
	}
	return b.String()
}

// outLine is one output line. The fields after text are only filled when
// tracing, for the tests' properties.
type outLine struct {
	text  string
	body  []string // grapheme clusters taken from the input, in order
	fixed int      // how many of body are structure (a prefix and lead), no place to cut
	cont  bool     // begins at a break made inside an input line
	hard  bool     // ends at a hard cut inside an unbreakable run
	pre   bool     // preformatted
}

type kind uint8

const (
	kText   kind = iota // one grapheme cluster
	kSGR                // an SGR escape sequence
	kLink               // an OSC 8 hyperlink: s opens it, or closes it when ""
	kMarker             // a marker rune
)

type token struct {
	kind kind
	s    string
	w    int  // cells, for kText
	r    rune // for kMarker; -1 for text Lines adds
}

func (t token) space() bool { return t.kind == kText && t.s == " " }

// narrow reports whether t is part of a Latin-like word: one cell wide and
// not a space.
func (t token) narrow() bool { return t.kind == kText && t.w == 1 && t.s != " " }

// layouter holds the state of one call to layout.
type layouter struct {
	width int
	trace bool
	out   []outLine

	toks []token // current input line, reused

	// Current output line.
	buf     []byte
	cur     outLine
	col     int  // cells written, not counting a pending indent
	hasText bool // holds a grapheme from the input

	// Pen: the logical style and link at the read position, and what the
	// terminal has been told on the current output line.
	sgr     []string
	link    string
	oSGR    bool
	oLink   bool
	pending []token // sequences not yet written: written before the next grapheme

	// Continuation lines of the current input line start with indentLit
	// (written at once) and indentPad spaces (written before the first
	// grapheme, so that empty lines have no trailing spaces).
	indentLit  string
	indentPad  int
	needIndent bool

	// Per-chunk scratch space, reused.
	gs      []token
	plain   []byte
	offs    []int
	cum     []int
	tr      []int
	nx      []int
	allowed []bool
	url     []bool
	skip    []bool
	hard    []bool
	starts  []int
}

func layout(s string, width int, trace bool) []outLine {
	if width < MinWidth {
		width = MinWidth
	}
	l := &layouter{width: width, trace: trace}
	inPre := false
	preCol := 0
	for {
		line, rest, more := strings.Cut(s, "\n")
		l.toks = tokenize(line, l.toks[:0])
		start, end := -1, -1
		for i, t := range l.toks {
			if t.kind == kMarker {
				switch t.r {
				case PreStart:
					if start < 0 {
						start = i
					}
				case PreEnd:
					end = i
				}
			}
		}
		switch {
		case start >= 0:
			preCol = textWidth(l.toks[:start])
			l.pre(l.toks, preCol)
			inPre = end < start
		case inPre:
			l.pre(l.toks, preCol)
			inPre = end < 0
		default:
			l.flow(l.toks)
		}
		if !more {
			break
		}
		s = rest
	}
	return l.out
}

// tokenize splits line into grapheme clusters, kept escape sequences and
// markers, dropping what must not reach a terminal.
func tokenize(line string, toks []token) []token {
	line = ExpandTabs(line)
	for len(line) > 0 {
		if line[0] >= utf8.RuneSelf {
			if r, size := utf8.DecodeRuneInString(line); r == utf8.RuneError && size == 1 {
				// A byte of invalid UTF-8: drop it alone. The ANSI decoder
				// would take 0x80-0x9F for an 8-bit C1 control, and one of
				// those (APC, DCS, ...) for the start of a string that
				// swallows the rest of the line.
				line = line[1:]
				continue
			}
		}
		seq, w, n, _ := ansi.DecodeSequence(line, ansi.NormalState, nil)
		if n <= 0 {
			seq, n = line[:1], 1
		}
		line = line[n:]
		c := seq[0]
		switch {
		case c == ansi.ESC:
			if t, ok := escape(seq); ok {
				toks = append(toks, t)
			}
		case c < 0x20 || c == 0x7f:
			// A C0 control or DEL: drop. (Raw bytes 0x80-0xBF, 8-bit C1
			// controls among them, are invalid UTF-8, dropped above.)
		default:
			toks = cluster(toks, seq, w)
		}
	}
	return toks
}

// cluster appends the grapheme cluster g of width w, split around markers.
func cluster(toks []token, g string, w int) []token {
	if !utf8.ValidString(g) {
		return toks
	}
	r, size := utf8.DecodeRuneInString(g)
	switch {
	case IsMarker(r):
		// Whatever clusters with a marker (combining marks, joiners) is
		// dropped with it: kept, it would attach to the text before the
		// marker and change its width.
		return append(toks, token{kind: kMarker, r: r})
	case unicode.IsControl(r):
		return toks
	case r == '\u2028' || r == '\u2029':
		return append(toks, token{kind: kText, s: " ", w: 1})
	}
	for i, r := range g[size:] {
		if IsMarker(r) {
			head := g[:size+i]
			hw := ansi.StringWidth(head)
			return append(toks, token{kind: kText, s: head, w: hw}, token{kind: kMarker, r: r})
		}
	}
	return append(toks, token{kind: kText, s: g, w: w})
}

// escape keeps the sequences termsafe.Sequence lets through: SGR, and OSC 8
// hyperlinks rebuilt with a sanitised target.
func escape(seq string) (token, bool) {
	kept, ok := termsafe.Sequence(seq)
	switch {
	case !ok:
		return token{}, false
	case strings.HasPrefix(kept, "\x1b]"):
		if kept == linkClose {
			kept = ""
		}
		return token{kind: kLink, s: kept}, true
	case kept == "":
		return token{kind: kLink}, true // a link not kept: its text stays plain
	}
	return token{kind: kSGR, s: kept}, true
}

func textWidth(toks []token) int {
	w := 0
	for _, t := range toks {
		w += t.w
	}
	return w
}

// minContent is the fewest cells a line keeps for content; when the indent
// leaves less, the line's structure is dropped (flattened).
func minContent(width int) int {
	return max(MinWidth, width/3)
}

func isReset(sgr string) bool { return sgr == "\x1b[m" || sgr == "\x1b[0m" }

// begin starts the output for a new input line with a clean pen.
func (l *layouter) begin(pre bool) {
	l.sgr = l.sgr[:0]
	l.link = ""
	l.pending = l.pending[:0]
	l.indentLit, l.indentPad, l.needIndent = "", 0, false
	l.cur = outLine{pre: pre}
}

// apply updates the logical pen.
func (l *layouter) apply(t token) {
	switch t.kind {
	case kSGR:
		switch {
		case isReset(t.s):
			l.sgr = l.sgr[:0]
		case len(l.sgr) == maxPen:
			// Styles are rarely layered this deep without a reset;
			// forget the oldest rather than repeat an unbounded
			// list on every continuation line.
			copy(l.sgr, l.sgr[1:])
			l.sgr[maxPen-1] = t.s
		default:
			l.sgr = append(l.sgr, t.s)
		}
	case kLink:
		l.link = t.s
	}
}

// put writes one token to the current output line: text at once (after any
// pending sequences), sequences when text follows them, markers never.
func (l *layouter) put(t token) {
	switch t.kind {
	case kSGR, kLink:
		l.pending = append(l.pending, t)
		return
	case kMarker:
		return
	}
	if l.needIndent {
		l.needIndent = false
		for range l.indentPad {
			l.buf = append(l.buf, ' ')
		}
		l.col += l.indentPad
		if l.link != "" {
			l.buf = append(l.buf, l.link...)
			l.oLink = true
		}
		for _, s := range l.sgr {
			l.buf = append(l.buf, s...)
		}
		l.oSGR = len(l.sgr) > 0
	}
	for _, p := range l.pending {
		if p.kind == kLink && p.s == "" {
			if l.oLink {
				l.buf = append(l.buf, linkClose...)
			}
		} else {
			l.buf = append(l.buf, p.s...)
		}
		l.apply(p)
		l.oSGR = len(l.sgr) > 0
		l.oLink = l.link != ""
	}
	l.pending = l.pending[:0]
	l.buf = append(l.buf, t.s...)
	l.col += t.w
	l.hasText = true
	if l.trace && t.r >= 0 { // r < 0: not from the input (Continued)
		l.cur.body = append(l.cur.body, t.s)
	}
}

// end finishes the current output line, closing the style and link.
func (l *layouter) end() {
	for _, p := range l.pending {
		l.apply(p)
	}
	l.pending = l.pending[:0]
	if l.oSGR {
		l.buf = append(l.buf, "\x1b[m"...)
	}
	if l.oLink {
		l.buf = append(l.buf, linkClose...)
	}
	l.cur.text = string(l.buf)
	l.out = append(l.out, l.cur)
	l.buf = l.buf[:0]
	l.col = 0
	l.hasText = false
	l.oSGR, l.oLink = false, false
}

// newline ends the current output line and starts a continuation line.
func (l *layouter) newline(cont, hardEnd bool) {
	l.cur.hard = hardEnd
	pre := l.cur.pre
	l.end()
	l.cur = outLine{cont: cont, pre: pre}
	l.buf = append(l.buf, l.indentLit...)
	l.col = textWidthString(l.indentLit)
	l.needIndent = true
}

// at returns the column the next grapheme goes to.
func (l *layouter) at() int {
	if l.needIndent {
		return l.col + l.indentPad
	}
	return l.col
}

func textWidthString(s string) int {
	if s == "" {
		return 0
	}
	return ansi.StringWidth(s)
}

// setIndent makes prefix (written as is, then reset) plus pad spaces the
// start of continuation lines.
func (l *layouter) setIndent(prefix []token, pad int) {
	var b []byte
	sgr, link := false, false
	for _, t := range prefix {
		switch t.kind {
		case kText:
			b = append(b, t.s...)
		case kSGR:
			b = append(b, t.s...)
			sgr = !isReset(t.s)
		case kLink:
			b = append(b, t.s...)
			link = t.s != ""
		}
	}
	if sgr {
		b = append(b, "\x1b[m"...)
	}
	if link {
		b = append(b, linkClose...)
	}
	l.indentLit = string(b)
	l.indentPad = pad
}

// emitAll writes toks as one line.
func (l *layouter) emitAll(toks []token, pre bool) {
	l.begin(pre)
	for _, t := range toks {
		l.put(t)
	}
	l.end()
}

// pre writes a preformatted line, cutting it hard where it is too wide.
func (l *layouter) pre(toks []token, preCol int) {
	last := -1 // last non-space grapheme
	for i, t := range toks {
		if t.kind == kText && !t.space() {
			last = i
		}
	}
	if textWidth(toks) <= l.width {
		l.emitAll(toks, true)
		return
	}
	if textWidth(toks[:last+1]) <= l.width {
		l.emitAll(toks[:last+1], true) // trailing spaces are dropped, their pen changes too
		return
	}
	l.begin(true)
	rep := lastMarker(toks, Repeat)
	prefW := textWidth(toks[:rep+1])
	pad := max(0, preCol-prefW)
	if prefW+pad+minContent(l.width) > l.width {
		rep, prefW, pad = -1, 0, 0
	}
	l.setIndent(toks[:rep+1], pad)
	mark := l.width-prefW-pad >= 4 // room for the mark and a wide character
	for i, t := range toks[:last+1] {
		if t.kind == kText && i > rep && l.hasText && l.at()+t.w > l.width {
			l.newline(true, true)
			if mark {
				l.put(token{kind: kText, s: Continued, w: 1, r: -1})
			}
		}
		l.put(t)
	}
	l.end()
}

func lastMarker(toks []token, r rune) int {
	for i := len(toks) - 1; i >= 0; i-- {
		if toks[i].kind == kMarker && toks[i].r == r {
			return i
		}
	}
	return -1
}

// flow writes a line of running text, breaking it where needed.
func (l *layouter) flow(toks []token) {
	breaks := false
	for _, t := range toks {
		if t.kind == kMarker && t.r == Break {
			breaks = true
			break
		}
	}
	if !breaks && textWidth(toks) <= l.width {
		l.emitAll(toks, false)
		return
	}
	l.begin(false)

	// Structure: a repeated prefix, then a lead (up to Hang, or the
	// leading spaces).
	rep := lastMarker(toks, Repeat)
	leadEnd := rep + 1
	if h := indexMarker(toks[leadEnd:], Hang); h >= 0 {
		leadEnd += h + 1
	} else {
		for leadEnd < len(toks) {
			t := toks[leadEnd]
			if (t.kind == kText && !t.space()) || (t.kind == kMarker && t.r == Break) {
				break
			}
			leadEnd++
		}
	}
	prefW := textWidth(toks[:rep+1])
	sw := prefW + textWidth(toks[rep+1:leadEnd])
	if sw+minContent(l.width) > l.width {
		rep, leadEnd, prefW, sw = -1, 0, 0, 0 // flatten
	}
	l.setIndent(toks[:rep+1], sw-prefW)
	for _, t := range toks[:leadEnd] {
		l.put(t)
	}
	if l.trace {
		l.cur.fixed = len(l.cur.body)
	}

	avail := l.width - sw
	content := toks[leadEnd:]
	for first := true; ; first = false {
		next := indexMarker(content, Break)
		if next < 0 {
			l.chunk(content, avail, first)
			break
		}
		l.chunk(content[:next], avail, first)
		content = content[next+1:]
		l.newline(false, false)
	}
	l.end()
}

func indexMarker(toks []token, r rune) int {
	for i, t := range toks {
		if t.kind == kMarker && t.r == r {
			return i
		}
	}
	return -1
}

// chunk writes the text between forced breaks. The first line of the first
// chunk continues the current output line (after the structure); all lines
// have avail cells.
func (l *layouter) chunk(toks []token, avail int, first bool) {
	l.gs = l.gs[:0]
	for _, t := range toks {
		if t.kind == kText {
			l.gs = append(l.gs, t)
		}
	}
	l.plan(avail, first)
	gi, si := 0, 0
	for _, t := range toks {
		if t.kind != kText {
			l.put(t)
			continue
		}
		i := gi
		gi++
		if si < len(l.starts) && l.starts[si] == i {
			si++
			l.newline(true, l.hard[i])
		}
		if l.skip[i] {
			continue
		}
		l.put(t)
	}
}

// plan decides where the lines of the chunk in l.gs begin (l.starts, each
// with l.hard telling whether the line before ends at a hard cut) and which
// spaces are dropped (l.skip).
func (l *layouter) plan(avail int, first bool) {
	gs := l.gs
	n := len(gs)
	l.starts = l.starts[:0]
	l.skip = resize(l.skip, n)
	l.hard = resize(l.hard, n+1)
	if n == 0 {
		return
	}
	l.opportunities()
	cum, tr, nx, allowed := l.cum, l.tr, l.nx, l.allowed

	pos := 0
	if !first {
		for pos < n && gs[pos].space() {
			l.skip[pos] = true
			pos++
		}
	}
	for pos < n {
		best := -1
		for e := pos + 1; e <= n; e++ {
			if cum[max(pos, tr[e])]-cum[pos] > avail {
				break
			}
			if e == n || allowed[e] {
				best = e
			}
		}
		hard := false
		if best < 0 {
			// No break opportunity fits: cut the run hard, as far as fits
			// (at least one grapheme), then back off to a cut that keeps
			// kinsoku if there is one.
			k := pos + 1
			for k < n && cum[k+1]-cum[pos] <= avail {
				k++
			}
			if k < n {
				for c := k; c > pos; c-- {
					p := tr[c] - 1
					q := nx[c]
					if p >= pos && !isNoEnd(firstRune(gs[p].s)) && (q >= n || !isNoStart(firstRune(gs[q].s))) {
						k = c
						break
					}
				}
			}
			best, hard = k, true
		}
		for j := max(pos, tr[best]); j < best; j++ {
			l.skip[j] = true
		}
		pos = best
		for pos < n && gs[pos].space() {
			l.skip[pos] = true
			pos++
		}
		if pos < n {
			l.starts = append(l.starts, pos)
			l.hard[pos] = hard
		}
	}
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// opportunities fills l.allowed[i] (a line may begin at grapheme i) and the
// helper tables: cum (cells before i), tr (end of the text before i without
// trailing spaces) and nx (first non-space at or after i).
func (l *layouter) opportunities() {
	gs := l.gs
	n := len(gs)
	l.plain = l.plain[:0]
	l.offs = l.offs[:0]
	for _, g := range gs {
		l.offs = append(l.offs, len(l.plain))
		l.plain = append(l.plain, g.s...)
	}
	l.offs = append(l.offs, len(l.plain))
	l.cum = resize(l.cum, n+1)
	l.tr = resize(l.tr, n+1)
	l.nx = resize(l.nx, n+1)
	l.allowed = resize(l.allowed, n+1)
	l.url = resize(l.url, n)
	for i, g := range gs {
		l.cum[i+1] = l.cum[i] + g.w
		if g.space() {
			l.tr[i+1] = l.tr[i]
		} else {
			l.tr[i+1] = i + 1
		}
	}
	l.nx[n] = n
	for i := n - 1; i >= 0; i-- {
		if gs[i].space() {
			l.nx[i] = l.nx[i+1]
		} else {
			l.nx[i] = i
		}
	}

	// UAX #14 opportunities, at grapheme boundaries only.
	state := -1
	rest := l.plain
	pos, gi := 0, 0
	for len(rest) > 0 {
		var seg []byte
		seg, rest, _, state = uniseg.FirstLineSegment(rest, state)
		pos += len(seg)
		if len(rest) == 0 {
			break
		}
		for l.offs[gi] < pos {
			gi++
		}
		if l.offs[gi] == pos {
			l.allowed[gi] = true
		}
	}

	// Runs of narrow characters that look like URLs are never split.
	for i := 0; i < n; {
		if !gs[i].narrow() {
			i++
			continue
		}
		j := i
		for j < n && gs[j].narrow() {
			j++
		}
		run := l.plain[l.offs[i]:l.offs[j]]
		if isURL(run) {
			for k := i; k < j; k++ {
				l.url[k] = true
			}
		}
		i = j
	}

	for i := 1; i < n; i++ {
		if !l.allowed[i] {
			continue
		}
		p, q := l.tr[i]-1, l.nx[i]
		switch {
		case p < 0 || q >= n:
			l.allowed[i] = false // only spaces on one side
		case isNoEnd(firstRune(gs[p].s)) || isNoStart(firstRune(gs[q].s)):
			l.allowed[i] = false // kinsoku
		case p == i-1 && gs[p].narrow() && gs[i].narrow() && (gs[p].s != "-" || l.url[p]):
			l.allowed[i] = false // inside a word, a number or a URL
		}
	}
}

func isURL(run []byte) bool {
	s := string(run)
	return strings.Contains(s, "://") || strings.HasPrefix(s, "www.") || strings.HasPrefix(s, "mailto:")
}
