package liquid

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/sshblog/sshblog/content/codefence"
)

// The scanner below is hand-written rather than a goldmark parse: it must
// find Markdown code and Liquid's raw and highlight blocks in one pass, as
// they interact (a raw block may hold a fence, a fence may hold raw tags, a
// highlight block's body is code though Markdown sees only text), and the
// renderer parses the expanded Markdown once afterwards; a second goldmark
// parse per post would cost more than this whole package. Where the line
// rules below and goldmark disagree (indented code next to lists, a fence
// inside a list item's lazy continuation), the only effect is that Liquid
// is, or is not, evaluated on that line.

// objectRE and tagRE match a Liquid output and a Liquid tag at the start of
// the text, as the engine's own scanner does (osteele/liquid
// parser.formTokenMatcher, default delimiters): the scanner and the engine
// must agree on where each token starts and ends.
var (
	objectRE = regexp.MustCompile(`^\{\{-?\s*(.+?)\s*-?\}\}`)
	tagRE    = regexp.MustCompile(`^\{%-?\s*(\w+)(?:\s+((?:[^%]|%[^}])+?))?\s*-?%\}`)

	rawTagRE       = regexp.MustCompile(`\{%-?\s*(?:end)?raw\s*-?%\}`)
	endRawRE       = regexp.MustCompile(`\{%-?\s*endraw\b(?:[^%]|%[^}])*%\}`)
	endCommentRE   = regexp.MustCompile(`\{%-?\s*endcomment\b(?:[^%]|%[^}])*%\}`)
	endHighlightRE = regexp.MustCompile(`\{%-?\s*endhighlight\b(?:[^%]|%[^}])*%\}`)
)

// tickTag is the tag the scanner puts at the start of every loop body: it
// counts iterations against the budget (the engine offers no other hook).
// captureTag replaces capture, so that captured text counts against the
// output budget too (the engine's capture collects it without a bound).
const (
	tickTag    = "sshblog_tick"
	captureTag = "sshblog_capture"
)

// maxNesting bounds how deeply block tags nest, so that the engine's
// recursive compiler and renderer stay shallow.
const maxNesting = 64

// blockTags are the Liquid blocks the engine knows, by the name the
// scanner gives them; clauseTags may appear inside them.
var (
	blockTags  = map[string]bool{"if": true, "unless": true, "case": true, "for": true, "tablerow": true, captureTag: true}
	clauseTags = map[string]bool{"else": true, "elsif": true, "when": true}
	plainTags  = map[string]bool{
		"assign": true, "include": true, "include_relative": true, "include_cached": true,
		"post_url": true, "link": true, "break": true, "continue": true, "cycle": true,
	}
)

// prepared is Liquid source made ready for the engine: code and raw text
// are replaced by placeholders (the marker rune, an index into state.lits,
// the marker), unknown tags are gone, and loops count their iterations.
type prepared struct {
	src    string
	lines  []int  // lines[i] is the line of the original that line i+1 of src starts on
	origin string // "" for the post, the include's path otherwise
}

// origLine returns the line of the original for line l of src.
func (p prepared) origLine(l int) int {
	switch {
	case len(p.lines) == 0 || l < 1:
		return 1
	case l > len(p.lines):
		return p.lines[len(p.lines)-1]
	}
	return p.lines[l-1]
}

// scanner turns a post body (or an included file) into prepared source.
type scanner struct {
	st     *state
	origin string
	in     string
	pos    int
	line   int // line of the original at pos

	out    strings.Builder
	lines  []int
	lit    strings.Builder // literal text waiting for its placeholder
	hasLit bool

	inRaw     bool
	fenceCh   byte
	fenceLen  int // 0 outside a fenced code block
	prevBlank bool
	prevCode  bool // the last non-blank line was indented code
	inList    bool
	depth     int         // nesting of block tags
	noCloser  map[int]int // backtick run length -> no closing run before this position
	closeTag  int         // position of the next "%}" at or after pos, or -1; valid while >= pos
}

// prepare scans src, the post or an included file (origin names it then).
func (st *state) prepare(src, origin string) prepared {
	s := &scanner{st: st, origin: origin, in: src, line: 1, lines: []int{1}, prevBlank: true, closeTag: -2}
	s.out.Grow(len(src) + len(src)/8)
	for s.pos < len(s.in) {
		s.step()
	}
	s.flushLit()
	if s.inRaw {
		s.problem(s.line, "{% raw %} is never closed: the rest is shown as written")
	}
	return prepared{src: s.out.String(), lines: s.lines, origin: origin}
}

func (s *scanner) problem(line int, msg string) {
	s.st.reportOrig(s.origin, line, msg)
}

// step consumes at least one byte of the input.
func (s *scanner) step() {
	eol := strings.IndexByte(s.in[s.pos:], '\n')
	if eol < 0 {
		eol = len(s.in)
	} else {
		eol += s.pos + 1
	}
	if s.pos == 0 || s.in[s.pos-1] == '\n' {
		code := s.blockLine(strings.TrimRight(s.in[s.pos:eol], "\r\n"))
		if code && !s.inRaw {
			s.literal(eol-s.pos, true)
			return
		}
	}
	if s.inRaw {
		if loc := endRawRE.FindStringIndex(s.in[s.pos:eol]); loc != nil {
			s.literal(loc[0], false)
			s.drop(loc[1] - loc[0])
			s.inRaw = false
			return
		}
		s.literal(eol-s.pos, false)
		return
	}
	i := strings.IndexAny(s.in[s.pos:eol], "{`\\")
	if i < 0 {
		s.copy(eol - s.pos)
		return
	}
	s.copy(i)
	switch s.in[s.pos] {
	case '\\':
		if s.pos+1 < len(s.in) && s.in[s.pos+1] == '`' {
			s.copy(2) // an escaped backtick opens no code span
		} else {
			s.copy(1)
		}
	case '`':
		s.codeSpan()
	case '{':
		s.brace(eol)
	}
}

// blockLine updates the Markdown block state with the line that starts at
// pos and reports whether the whole line is code: a fence, a line inside a
// fenced code block, or an indented code line.
func (s *scanner) blockLine(line string) bool {
	if s.fenceLen > 0 {
		if closesFence(line, s.fenceCh, s.fenceLen) {
			s.fenceLen = 0
		}
		return true
	}
	if ch, n := opensFence(line); n > 0 {
		s.fenceCh, s.fenceLen = ch, n
		s.prevBlank, s.prevCode = false, false
		return true
	}
	blank := strings.TrimSpace(line) == ""
	indented := strings.HasPrefix(line, "    ") || strings.HasPrefix(line, "\t")
	if !blank && indented && !s.inList && (s.prevBlank || s.prevCode) {
		s.prevBlank, s.prevCode = false, true
		return true
	}
	if !blank {
		switch {
		case isListItem(line):
			s.inList = true
		case s.prevBlank && !indented:
			s.inList = false
		}
		s.prevCode = false
	}
	s.prevBlank = blank
	return false
}

// fenceText returns line without its container prefix: indentation, block
// quote markers and a list marker.
func fenceText(line string) string {
	t := strings.TrimLeft(line, " \t")
	for strings.HasPrefix(t, ">") {
		t = strings.TrimLeft(t[1:], " \t")
	}
	if n := listMarkerLen(t); n > 0 {
		t = strings.TrimLeft(t[n:], " \t")
	}
	return t
}

// opensFence returns the fence character and length if line opens a fenced
// code block.
func opensFence(line string) (byte, int) {
	t := fenceText(line)
	if t == "" || (t[0] != '`' && t[0] != '~') {
		return 0, 0
	}
	n := runLen(t, 0)
	if n < 3 || (t[0] == '`' && strings.IndexByte(t[n:], '`') >= 0) {
		return 0, 0
	}
	return t[0], n
}

func closesFence(line string, ch byte, n int) bool {
	t := fenceText(line)
	if t == "" || t[0] != ch {
		return false
	}
	m := runLen(t, 0)
	return m >= n && strings.TrimSpace(t[m:]) == ""
}

// runLen returns the length of the run of s[i] starting at i.
func runLen(s string, i int) int {
	j := i
	for j < len(s) && s[j] == s[i] {
		j++
	}
	return j - i
}

func isListItem(line string) bool {
	return listMarkerLen(strings.TrimLeft(line, " \t")) > 0
}

// listMarkerLen returns the length of the list marker ("-", "*", "+", "1.",
// "1)") that t starts with, when a space or the line's end follows it.
func listMarkerLen(t string) int {
	n := 0
	switch {
	case t == "":
		return 0
	case t[0] == '-' || t[0] == '*' || t[0] == '+':
		n = 1
	default:
		for n < len(t) && n < 9 && t[n] >= '0' && t[n] <= '9' {
			n++
		}
		if n == 0 || n >= len(t) || (t[n] != '.' && t[n] != ')') {
			return 0
		}
		n++
	}
	if n < len(t) && t[n] != ' ' && t[n] != '\t' {
		return 0
	}
	return n
}

// codeSpan handles the backtick run at pos: a code span when a run of the
// same length closes it within the paragraph, else plain text.
func (s *scanner) codeSpan() {
	n := runLen(s.in, s.pos)
	if end := s.closer(n); end >= 0 {
		s.literal(end+n-s.pos, true)
		return
	}
	s.copy(n)
}

// closer returns the position of the backtick run of length n that closes
// the code span opened at pos, or -1. It remembers where a search for each
// length failed, so that many unmatched runs cost linear time.
func (s *scanner) closer(n int) int {
	if end, ok := s.noCloser[n]; ok && s.pos < end {
		return -1
	}
	p := s.pos + n
	for p < len(s.in) {
		j := strings.IndexAny(s.in[p:], "`\n")
		if j < 0 {
			p = len(s.in)
			break
		}
		p += j
		if s.in[p] == '\n' {
			q := p + 1
			for q < len(s.in) && (s.in[q] == ' ' || s.in[q] == '\t' || s.in[q] == '\r') {
				q++
			}
			if q >= len(s.in) || s.in[q] == '\n' {
				break // a blank line ends the paragraph
			}
			p++
			continue
		}
		m := runLen(s.in, p)
		if m == n {
			return p
		}
		p += m
	}
	if s.noCloser == nil {
		s.noCloser = map[int]int{}
	}
	s.noCloser[n] = p
	return -1
}

// brace handles the '{' at pos: a Liquid output or tag, or a plain brace.
func (s *scanner) brace(eol int) {
	if s.pos+1 >= len(s.in) {
		s.copy(1)
		return
	}
	switch s.in[s.pos+1] {
	case '{':
		// An output ends on its line, at the first "}}".
		if m := objectRE.FindStringIndex(s.in[s.pos:eol]); m != nil {
			s.copy(m[1])
			return
		}
	case '%':
		// A tag ends at the first "%}"; with none left, nothing is a tag.
		if s.closeTag != -1 && s.closeTag < s.pos {
			s.closeTag = strings.Index(s.in[s.pos:], "%}")
			if s.closeTag >= 0 {
				s.closeTag += s.pos
			}
		}
		if s.closeTag >= 0 {
			if m := tagRE.FindStringSubmatchIndex(s.in[s.pos : s.closeTag+2]); m != nil {
				name := s.in[s.pos+m[2] : s.pos+m[3]]
				args := ""
				if m[4] >= 0 {
					args = s.in[s.pos+m[4] : s.pos+m[5]]
				}
				s.tag(name, args, m[1], s.pos+m[2])
				return
			}
		}
	}
	s.copy(1)
}

// tag handles the tag of length n at pos, whose name starts at nameAt.
func (s *scanner) tag(name, args string, n, nameAt int) {
	if s.silentAlone(name, n) {
		defer s.emit(s.st.sentinel())
	}
	switch {
	case name == "raw":
		s.drop(n)
		s.inRaw = true
	case name == "endraw" || name == "endhighlight" || name == "endcomment":
		s.drop(n) // a stray end: Jekyll's authors often leave one after code
	case name == "comment":
		if loc := endCommentRE.FindStringIndex(s.in[s.pos+n:]); loc != nil {
			s.drop(n + loc[1])
			return
		}
		s.problem(s.line, "{% comment %} is never closed: the tag is left out")
		s.drop(n)
	case name == "highlight":
		s.highlight(n, args)
	case name == "capture" || name == "endcapture":
		s.nest(name == "capture", func() {
			prefix := nameAt - s.pos
			s.copy(prefix)
			s.emit(strings.Replace(name, "capture", captureTag, 1))
			s.drop(len(name))
			s.copy(n - prefix - len(name))
		}, n)
	case blockTags[name]:
		s.nest(true, func() {
			s.copy(n)
			if name == "for" || name == "tablerow" {
				// With the loop tag's own whitespace control, so that the
				// tick (an empty write for the engine) does not undo it.
				dash := ""
				if strings.HasSuffix(s.in[:s.pos], "-%}") {
					dash = "-"
				}
				s.emit("{%" + tickTag + dash + "%}")
			}
		}, n)
	case strings.HasPrefix(name, "end") && blockTags[name[3:]]:
		s.nest(false, func() { s.copy(n) }, n)
	case clauseTags[name] || plainTags[name]:
		s.copy(n)
	default:
		if u, ok := embedURL(name, args); ok {
			s.drop(n)
			s.emit(u)
			return
		}
		s.problem(s.line, "unknown Liquid tag {% "+name+" %} left out")
		s.drop(n)
	}
}

// silentAlone reports whether the tag of length n at pos, named name,
// stands alone on its line (white space around it, no whitespace control)
// and writes nothing, or may write nothing (an include of an empty or
// missing file). Such a tag leaves a line of white space behind, which
// ends an HTML block in Markdown (kramdown, which Jekyll uses, reads HTML
// blocks to their closing tag): a sentinel after it lets restore remove
// that line inside HTML, and keep it as the blank line it is elsewhere.
func (s *scanner) silentAlone(name string, n int) bool {
	switch {
	case name == "highlight" || name == "capture" || name == "post_url" || name == "link":
		return false
	case strings.HasPrefix(s.in[s.pos:], "{%-") || strings.HasSuffix(s.in[:s.pos+n], "-%}"):
		return false
	}
	lineStart := strings.LastIndexByte(s.in[:s.pos], '\n') + 1
	if strings.TrimSpace(s.in[lineStart:s.pos]) != "" {
		return false
	}
	end := s.pos + n
	if name == "comment" {
		if loc := endCommentRE.FindStringIndex(s.in[end:]); loc != nil {
			end += loc[1]
		}
	}
	rest := s.in[end:]
	if i := strings.IndexByte(rest, '\n'); i >= 0 {
		rest = rest[:i]
	}
	return strings.TrimSpace(rest) == ""
}

// nest copies a block's start or end tag with do, keeping block nesting
// within maxNesting (a start beyond it is left out, with a warning).
func (s *scanner) nest(start bool, do func(), n int) {
	if !start {
		s.depth = max(0, s.depth-1)
		do()
		return
	}
	if s.depth >= maxNesting {
		s.problem(s.line, "Liquid blocks nested more than "+strconv.Itoa(maxNesting)+" deep: the tag is left out")
		s.drop(n)
		return
	}
	s.depth++
	do()
}

// highlight turns {% highlight lang %}...{% endhighlight %} (the opening
// tag is n bytes long) into a fenced code block, kept as written.
func (s *scanner) highlight(n int, args string) {
	rest := s.in[s.pos+n:]
	code, consumed := rest, n+len(rest)
	if loc := endHighlightRE.FindStringIndex(rest); loc != nil {
		code, consumed = rest[:loc[0]], n+loc[1]
	} else {
		s.problem(s.line, "{% highlight %} is never closed: the rest of the post is shown as code")
	}
	lang, _, _ := strings.Cut(strings.TrimSpace(args), " ")
	lang = codefence.Lang(strings.Trim(lang, `"'`))
	lineStart := strings.LastIndexByte(s.in[:s.pos], '\n') + 1
	before := s.in[lineStart:s.pos]
	indent := before
	var b strings.Builder
	if strings.TrimSpace(before) != "" {
		b.WriteByte('\n') // a fence starts a line
		indent = ""
	}
	code = stripRawTags(code)
	code = strings.TrimPrefix(strings.TrimPrefix(code, "\r"), "\n")
	closeIndent := indent
	if i := strings.LastIndexByte(code, '\n'); i >= 0 && strings.TrimSpace(code[i+1:]) == "" {
		closeIndent, code = code[i+1:], code[:i+1]
	} else if code != "" {
		code += "\n"
	}
	fence := codefence.For(code)
	b.WriteString(fence + lang + "\n" + code + closeIndent + fence)
	after := s.in[s.pos+consumed:]
	if i := strings.IndexByte(after, '\n'); i >= 0 {
		after = after[:i]
	}
	if strings.TrimSpace(after) != "" {
		b.WriteByte('\n') // and ends one
	}
	s.flushLit()
	s.lit.WriteString(b.String())
	s.hasLit = true
	s.flushLit()
	s.drop(consumed)
}

// embedURL returns the link that an embedding plugin's tag stands for:
// {% gist user/id %}, {% youtube id %}, {% vimeo id %}.
func embedURL(name, args string) (string, bool) {
	arg, _, _ := strings.Cut(strings.TrimSpace(args), " ")
	arg = strings.Trim(arg, `"'`)
	if arg == "" || strings.IndexFunc(arg, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/_-.:?=&", r))
	}) >= 0 {
		return "", false
	}
	if strings.HasPrefix(arg, "https://") || strings.HasPrefix(arg, "http://") {
		if name == "youtube" || name == "vimeo" || name == "gist" {
			return arg, true
		}
		return "", false
	}
	switch name {
	case "gist":
		return "https://gist.github.com/" + arg, true
	case "youtube":
		return "https://www.youtube.com/watch?v=" + arg, true
	case "vimeo":
		return "https://vimeo.com/" + arg, true
	}
	return "", false
}

// stripRawTags removes {% raw %} and {% endraw %} from code, where they
// only kept Jekyll from evaluating the code.
func stripRawTags(code string) string {
	if !strings.Contains(code, "raw") {
		return code
	}
	return rawTagRE.ReplaceAllString(code, "")
}

// copy passes the next n bytes to the engine.
func (s *scanner) copy(n int) {
	s.flushLit()
	text := s.in[s.pos : s.pos+n]
	s.out.WriteString(text)
	for i := strings.IndexByte(text, '\n'); i >= 0; i = strings.IndexByte(text, '\n') {
		s.line++
		s.lines = append(s.lines, s.line)
		text = text[i+1:]
	}
	s.pos += n
}

// literal hides the next n bytes from the engine (without their raw tags
// when strip), line by line: the line breaks stay, so that the engine's
// line numbers stay those of the original and whitespace control works as
// in Jekyll.
func (s *scanner) literal(n int, strip bool) {
	text := s.in[s.pos : s.pos+n]
	s.pos += n
	for text != "" {
		line, rest, nl := strings.Cut(text, "\n")
		if strip {
			line = stripRawTags(line)
		}
		if line != "" {
			s.lit.WriteString(line)
			s.hasLit = true
		}
		if !nl {
			break
		}
		s.flushLit()
		s.out.WriteByte('\n')
		s.line++
		s.lines = append(s.lines, s.line)
		text = rest
	}
}

// drop leaves out the next n bytes.
func (s *scanner) drop(n int) {
	s.line += strings.Count(s.in[s.pos:s.pos+n], "\n")
	s.pos += n
}

// emit passes text of the scanner's own (without line breaks) to the engine.
func (s *scanner) emit(text string) {
	s.flushLit()
	s.out.WriteString(text)
}

func (s *scanner) flushLit() {
	if !s.hasLit {
		return
	}
	s.out.WriteString(s.st.placeholder(s.lit.String()))
	s.lit.Reset()
	s.hasLit = false
}
