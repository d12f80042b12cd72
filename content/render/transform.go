package render

import (
	"bytes"
	"html"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"

	"github.com/sshblog/sshblog/content/linebreak"
	"github.com/sshblog/sshblog/content/termsafe"
)

// doc is one post's tree on its way to Glamour. The transform rewrites the
// tree into nodes Glamour renders well: text it must not re-read as
// Markdown is appended to src and pointed to by new Text nodes (Glamour
// prints a Text node's bytes, decoding entities and backslash escapes, so
// that text is written with '&' and '\' escaped).
type doc struct {
	src    []byte
	root   siteRoot
	isLoc  func(path string) bool
	refs   []string // link targets, numbered from 1 in order of appearance
	refNum map[string]int
	tables []*extast.Table
	notes  *ast.List // the footnotes, as footnotes made them; nil if none
}

// synth appends s, shown as it is, to the source and returns a Text node
// for it.
func (d *doc) synth(s string) *ast.Text {
	start := len(d.src)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '&':
			d.src = append(d.src, "&amp;"...)
		case '\\':
			d.src = append(d.src, '\\', '\\')
		default:
			d.src = append(d.src, c)
		}
	}
	return ast.NewTextSegment(text.NewSegment(start, len(d.src)))
}

// raw appends s, which Glamour will decode, to the source and returns a
// Text node for it.
func (d *doc) raw(s string) *ast.Text {
	start := len(d.src)
	d.src = append(d.src, s...)
	return ast.NewTextSegment(text.NewSegment(start, len(d.src)))
}

// ref returns the number of a link target, numbering it if it is new.
func (d *doc) ref(u string) int {
	if n, ok := d.refNum[u]; ok {
		return n
	}
	d.refs = append(d.refs, u)
	d.refNum[u] = len(d.refs)
	return len(d.refs)
}

// transform rewrites the tree for Glamour; see the package documentation
// for what each rule does.
func (d *doc) transform(root ast.Node) {
	var texts []*ast.Text
	var nodes []ast.Node
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			return ast.WalkSkipChildren, nil
		case *ast.CodeSpan:
			nodes = append(nodes, n)
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			texts = append(texts, n)
		case *ast.Paragraph:
			if n.Parent() != nil && n.Parent().Kind() == ast.KindListItem && n.PreviousSibling() != nil {
				nodes = append(nodes, n)
			}
		default:
			switch n.Kind() {
			case ast.KindRawHTML, ast.KindHTMLBlock, ast.KindLink, ast.KindAutoLink, ast.KindImage,
				extast.KindFootnoteLink, extast.KindFootnoteBacklink, extast.KindFootnoteList,
				extast.KindTable, kindIAL:
				nodes = append(nodes, n)
			}
		}
		return ast.WalkContinue, nil
	})

	// Soft line breaks first: they read the source as written.
	for i, t := range texts {
		if !t.SoftLineBreak() {
			continue
		}
		t.SetSoftLineBreak(false)
		if prev := t.PreviousSibling(); t.Segment.Len() == 0 && (prev == nil || prev.Kind() == ast.KindRawHTML) {
			continue // a line of a tag alone, which shows nothing
		}
		var next rune
		if i+1 < len(texts) {
			next = firstRune(d.src[texts[i+1].Segment.Start:])
		}
		if !cjkJoin(lastRune(d.src[:t.Segment.Stop]), next) {
			// The line's text with the space, rather than a node of its
			// own: Glamour's cost is per node.
			v := t.Segment.Value(d.src)
			start := len(d.src)
			d.src = append(append(d.src, v...), ' ')
			t.Segment = text.NewSegment(start, len(d.src))
		}
	}
	// Entities in text decoded here, so that what they decode to is
	// sanitised like the rest (&#27; must not reach Glamour as ESC).
	for _, t := range texts {
		v := t.Segment.Value(d.src)
		if !strings.ContainsRune(string(v), '&') {
			continue
		}
		s := termsafe.String(html.UnescapeString(string(v)))
		nt := d.raw(strings.ReplaceAll(s, "&", "&amp;"))
		t.Segment = nt.Segment
	}
	// URLs in text that goldmark's linkify leaves (after CJK text:
	// "网址：https://x.y/a，打开", or without a dot: http://localhost:1975/mcp)
	// become links too, kept apart from what follows.
	for _, t := range texts {
		if t.Parent() != nil && bytes.Contains(t.Segment.Value(d.src), []byte("://")) && !inLink(t) {
			d.bareURLs(t)
		}
	}

	var toc []ast.Node
	for _, n := range nodes {
		switch n := n.(type) {
		case *ast.CodeSpan:
			d.codeSpan(n)
		case *ast.Paragraph:
			// Glamour runs a list item's paragraphs together.
			br := string([]rune{linebreak.Break, linebreak.Break})
			n.InsertBefore(n, n.FirstChild(), d.raw(br))
		case *ast.RawHTML:
			d.rawHTML(n)
		case *ast.HTMLBlock:
			d.htmlBlock(n)
		case *ast.Link:
			d.link(n)
		case *ast.AutoLink:
			d.autoLink(n)
		case *ast.Image:
			d.image(n)
		case *extast.FootnoteLink:
			replace(n, d.synth(superscript(n.Index)))
		case *extast.FootnoteBacklink:
			remove(n)
		case *extast.Table:
			d.tables = append(d.tables, n)
		case *ialNode:
			if string(n.Attrs) == ":toc" {
				if t := tocTarget(n); t != nil {
					toc = append(toc, t)
				}
			}
			d.ial(n)
		}
	}
	for _, n := range nodes {
		if fl, ok := n.(*extast.FootnoteList); ok {
			d.footnotes(fl)
		}
	}
	for _, t := range toc {
		if t.Parent() == nil {
			continue
		}
		if l := d.tocList(root); l != nil {
			replace(t, l)
		} else {
			remove(t)
		}
	}
	d.unknown(root)
	// Tables last: their cells went through the rules above.
	for _, t := range d.tables {
		if t.Parent() == nil {
			continue
		}
		ph := ast.NewFencedCodeBlock(nil)
		start := len(d.src)
		d.src = append(d.src, string(tablePlace)+"\n"...)
		ph.Lines().Append(text.NewSegment(start, len(d.src)))
		t.Parent().ReplaceChild(t.Parent(), t, ph)
	}
	d.references(root)
}

// glamourKinds are the node kinds Glamour's ANSI renderer renders. It
// prints a warning to standard output for any other (which would reach the
// SSH session of whoever started the server), so the tree must hold none.
var glamourKinds = map[ast.NodeKind]bool{
	ast.KindDocument: true, ast.KindHeading: true, ast.KindBlockquote: true, ast.KindCodeBlock: true,
	ast.KindFencedCodeBlock: true, ast.KindList: true, ast.KindListItem: true,
	ast.KindParagraph: true, ast.KindTextBlock: true, ast.KindThematicBreak: true, ast.KindCodeSpan: true,
	ast.KindEmphasis: true, ast.KindLink: true, ast.KindText: true,
	extast.KindTable: true, extast.KindTableHeader: true, extast.KindTableRow: true, extast.KindTableCell: true,
	extast.KindDefinitionList: true, extast.KindDefinitionTerm: true, extast.KindDefinitionDescription: true,
	extast.KindTaskCheckBox: true, extast.KindStrikethrough: true,
}

// unknown replaces every node Glamour would not render with its text.
func (d *doc) unknown(root ast.Node) {
	var odd []ast.Node
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && !glamourKinds[n.Kind()] {
			odd = append(odd, n)
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	for _, n := range odd {
		if n.Parent() == nil {
			continue
		}
		t := d.synth(termsafe.String(d.plainText(n)))
		if n.Type() == ast.TypeBlock {
			p := ast.NewParagraph()
			p.AppendChild(p, t)
			replace(n, p)
		} else {
			replace(n, t)
		}
	}
}

// inLink reports whether n is in a link (or an image's text).
func inLink(n ast.Node) bool {
	for ; n != nil; n = n.Parent() {
		switch n.Kind() {
		case ast.KindLink, ast.KindAutoLink, ast.KindImage:
			return true
		}
	}
	return false
}

// bareURLs splits a text around the http and https URLs in it, each
// becoming a link shown as itself; see autoLink.
func (d *doc) bareURLs(t *ast.Text) {
	seg := t.Segment
	v := seg.Value(d.src)
	for {
		i := indexScheme(v)
		if i < 0 {
			return
		}
		j := i
		for j < len(v) && v[j] > ' ' && v[j] < 0x7f && !strings.ContainsRune("<>\"`", rune(v[j])) {
			j++
		}
		for j > i && strings.ContainsRune(".,:;!?'*_)", rune(v[j-1])) {
			if v[j-1] == ')' && bytes.Count(v[i:j], []byte("(")) >= bytes.Count(v[i:j], []byte(")")) {
				break
			}
			j--
		}
		u := html.UnescapeString(string(v[i:j])) // the text as Glamour would show it
		if strings.HasSuffix(u, "://") {
			return
		}
		target := d.target(u)
		if target == "" {
			return
		}
		head := ast.NewTextSegment(seg.WithStop(seg.Start + i))
		rest := ast.NewTextSegment(seg.WithStart(seg.Start + j))
		rest.SetHardLineBreak(t.HardLineBreak())
		l := ast.NewLink()
		l.Destination = []byte(target)
		l.AppendChild(l, d.synth(termsafe.String(u)))
		p := t.Parent()
		p.InsertBefore(p, t, head)
		p.InsertBefore(p, t, l)
		p.ReplaceChild(p, t, rest)
		if inTable(l) {
			unwrap(l)
		} else {
			d.apart(l)
		}
		t, seg, v = rest, rest.Segment, rest.Segment.Value(d.src)
	}
}

// indexScheme returns where the first "http://" or "https://" in v starts
// that does not continue a word ("xhttp://"), or -1.
func indexScheme(v []byte) int {
	off := 0
	for {
		i := bytes.Index(v[off:], []byte("http"))
		if i < 0 {
			return -1
		}
		i += off
		rest := v[i:]
		if (bytes.HasPrefix(rest, []byte("http://")) || bytes.HasPrefix(rest, []byte("https://"))) &&
			(i == 0 || !isASCIIWord(v[i-1])) {
			return i
		}
		off = i + 4
	}
}

func isASCIIWord(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '/' || c == '.'
}

// inTable reports whether n is in a table.
func inTable(n ast.Node) bool {
	for ; n != nil; n = n.Parent() {
		if n.Kind() == extast.KindTable {
			return true
		}
	}
	return false
}

func lastRune(b []byte) rune {
	for len(b) > 0 && strings.IndexByte("*_~ \t", b[len(b)-1]) >= 0 {
		b = b[:len(b)-1]
	}
	r, _ := utf8.DecodeLastRune(b)
	return r
}

func firstRune(b []byte) rune {
	for len(b) > 0 && strings.IndexByte("*_~ \t", b[0]) >= 0 {
		b = b[1:]
	}
	r, _ := utf8.DecodeRune(b)
	return r
}

func insertAfter(n, m ast.Node) {
	n.Parent().InsertAfter(n.Parent(), n, m)
}

func replace(n, m ast.Node) {
	n.Parent().ReplaceChild(n.Parent(), n, m)
}

func remove(n ast.Node) {
	if p := n.Parent(); p != nil {
		p.RemoveChild(p, n)
	}
}

// unwrap replaces n by its children.
func unwrap(n ast.Node) {
	p := n.Parent()
	for c := n.FirstChild(); c != nil; {
		next := c.NextSibling()
		p.InsertBefore(p, n, c)
		c = next
	}
	p.RemoveChild(p, n)
}

// codeSpan keeps a code span's text literal: no entity is decoded (Glamour
// would), and line breaks inside it are spaces, as CommonMark says. In a
// table, Glamour also reads backslash escapes in a cell's code spans, so
// there backslashes are doubled.
func (d *doc) codeSpan(n *ast.CodeSpan) {
	special := "&\n"
	if inTable(n) {
		special += `\`
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		t, ok := c.(*ast.Text)
		if !ok {
			continue
		}
		v := string(t.Segment.Value(d.src))
		if !strings.ContainsAny(v, special) {
			continue
		}
		v = strings.ReplaceAll(strings.ReplaceAll(v, "\n", " "), "&", "&amp;")
		if inTable(n) {
			v = strings.ReplaceAll(v, `\`, `\\`)
		}
		t.Segment = d.raw(v).Segment
	}
}

// pieces returns nodes for what HTML shows.
func (d *doc) pieces(at ast.Node, ps []htmlPiece) []ast.Node {
	var out []ast.Node
	for _, p := range ps {
		switch {
		case p.br:
			out = append(out, d.raw(string(linebreak.Break)))
		case p.image:
			out = append(out, d.imageLine(at, p.src, p.name, p.mark)...)
		default:
			out = append(out, d.synth(termsafe.String(p.text)))
		}
	}
	return out
}

func (d *doc) rawHTML(n *ast.RawHTML) {
	p := n.Parent()
	if p == nil {
		return // the fallback of media before it (below)
	}
	raw := d.rawText(n)
	ps := inlineHTML(raw)
	if tag := openMedia(raw); tag != "" {
		// The inline content up to the end tag is what a browser without
		// the media shows: it goes, but for a <source> naming the media.
		var inner strings.Builder
		for c := n.NextSibling(); c != nil; {
			next := c.NextSibling()
			r, ok := c.(*ast.RawHTML)
			if ok && closes(d.rawText(r), tag) {
				p.RemoveChild(p, c)
				break
			}
			if ok {
				inner.WriteString(d.rawText(r))
			}
			p.RemoveChild(p, c)
			c = next
		}
		if len(ps) == 0 {
			for _, q := range inlineHTML(inner.String()) {
				if q.mark == mediaMark {
					ps = []htmlPiece{q}
					break
				}
			}
		}
	}
	if n.PreviousSibling() == nil && len(ps) > 0 && ps[0].br {
		ps = ps[1:] // a break that starts a paragraph breaks nothing
	}
	for _, m := range d.pieces(p, ps) {
		p.InsertBefore(p, n, m)
	}
	p.RemoveChild(p, n)
}

// rawText returns the HTML n holds.
func (d *doc) rawText(n *ast.RawHTML) string {
	var raw strings.Builder
	for i := 0; i < n.Segments.Len(); i++ {
		seg := n.Segments.At(i)
		raw.Write(seg.Value(d.src))
	}
	return raw.String()
}

// htmlBlock replaces an HTML block with paragraphs of the text it shows.
func (d *doc) htmlBlock(n *ast.HTMLBlock) {
	var raw strings.Builder
	for i := 0; i < n.Lines().Len(); i++ {
		seg := n.Lines().At(i)
		raw.Write(seg.Value(d.src))
	}
	if n.HasClosure() {
		raw.Write(n.ClosureLine.Value(d.src))
	}
	p := n.Parent()
	for _, para := range htmlParagraphs(raw.String()) {
		block := ast.NewParagraph()
		for _, m := range d.pieces(p, para) {
			block.AppendChild(block, m)
		}
		p.InsertBefore(p, n, block)
	}
	p.RemoveChild(p, n)
}

// link keeps a link's text in the sentence, hyperlinked, followed by the
// number of its target in the references at the end. A link that leads
// nowhere a reader can follow is its text alone.
func (d *doc) link(n *ast.Link) {
	u := d.target(string(n.Destination))
	if u == "" {
		if n.FirstChild() == nil {
			remove(n)
			return
		}
		unwrap(n)
		return
	}
	n.Destination = []byte(u)
	n.Title = nil
	if shown := d.plainText(n); looksLikeURL(shown) {
		// The text is a URL already ([https://x](https://x)): shown as a
		// bare URL is, apart from what follows.
		d.apart(n)
		return
	}
	d.after(n, "["+strconv.Itoa(d.ref(u))+"]")
	if inTable(n) {
		// Glamour measures a cell with the hidden URL in it (see
		// dropHidden): in tables, the text alone.
		unwrap(n)
	}
}

// after puts the text s right after n: into the Text node that follows,
// if there is one (Glamour's cost is per node), else as a node of its own.
func (d *doc) after(n ast.Node, s string) {
	if t, ok := n.NextSibling().(*ast.Text); ok && !t.IsRaw() {
		v := t.Segment.Value(d.src)
		nt := d.synth(s)
		d.src = append(d.src, v...)
		nt.Segment = text.NewSegment(nt.Segment.Start, len(d.src))
		t.Segment = nt.Segment
		return
	}
	insertAfter(n, d.synth(s))
}

// target resolves a destination and returns it if a reader's terminal can
// open it.
func (d *doc) target(dest string) string {
	u := d.root.resolve(dest)
	if _, ok := termsafe.Link(u); !ok {
		return ""
	}
	return termsafe.String(u)
}

// autoLink shows a bare URL as itself, hyperlinked, and apart from text
// that follows it directly ("https://x.y/a这是"), which a terminal's own
// link detection would take for part of the URL.
func (d *doc) autoLink(n *ast.AutoLink) {
	shown := termsafe.String(html.UnescapeString(string(n.Label(d.src))))
	u := html.UnescapeString(string(n.URL(d.src)))
	if n.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(u), "mailto:") {
		u = "mailto:" + u
	}
	u = d.target(u)
	if u == "" {
		replace(n, d.synth(shown))
		return
	}
	l := ast.NewLink()
	l.Destination = []byte(u)
	l.AppendChild(l, d.synth(shown))
	replace(n, l)
	if inTable(l) {
		unwrap(l)
		return
	}
	d.apart(l)
}

// apart keeps a URL shown as text apart from CJK text right after it: a
// space between them.
func (d *doc) apart(n ast.Node) {
	if next, ok := n.NextSibling().(*ast.Text); ok {
		if r := firstRune(next.Segment.Value(d.src)); r >= utf8.RuneSelf && !unicode.IsSpace(r) {
			insertAfter(n, d.synth(" "))
		}
	}
}

// looksLikeURL reports whether link text is a URL.
func looksLikeURL(s string) bool {
	s = strings.TrimSpace(s)
	return !strings.ContainsAny(s, " \t\n") && (strings.Contains(s, "://") || strings.HasPrefix(s, "www."))
}

// image becomes an image line: "🖼 name", hyperlinked to the image, and
// the number of its reference.
func (d *doc) image(n *ast.Image) {
	var name strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			name.Write(t.Segment.Value(d.src))
		}
		return ast.WalkContinue, nil
	})
	nm := collapseSpace(html.UnescapeString(name.String()))
	if nm == "" {
		nm = fileName(string(n.Destination))
	}
	p := n.Parent()
	for _, m := range d.imageLine(p, string(n.Destination), nm, imageMark) {
		p.InsertBefore(p, n, m)
	}
	p.RemoveChild(p, n)
}

// imageLine returns the nodes of an image line for src named name, the
// line starting with mark (imageMark when empty).
func (d *doc) imageLine(parent ast.Node, src, name, mark string) []ast.Node {
	if mark == "" {
		mark = imageMark
	}
	label := d.synth(mark + termsafe.String(name))
	u := d.target(src)
	local := d.root.local(src)
	if local == "" || d.isLoc == nil || !d.isLoc(local) {
		local = ""
	}
	if u == "" {
		if local == "" {
			return []ast.Node{label}
		}
		// The blog's own image on a site without a URL: its reference is
		// its path in the blog, where a web mirror serves it.
		return []ast.Node{label, d.synth("[" + strconv.Itoa(d.ref("\x00"+local)) + "]")}
	}
	refMark := "[" + strconv.Itoa(d.ref(u)) + "]"
	if local != "" {
		d.refs[d.refNum[u]-1] = u + "\x00" + local
	}
	if inTable(parent) {
		return []ast.Node{label, d.synth(refMark)}
	}
	l := ast.NewLink()
	l.Destination = []byte(u)
	l.AppendChild(l, label)
	return []ast.Node{l, d.synth(refMark)}
}

// ial removes a kramdown attribute list, and the paragraph it leaves empty.
func (d *doc) ial(n *ialNode) {
	p := n.Parent()
	remove(n)
	if p == nil || (p.Kind() != ast.KindParagraph && p.Kind() != ast.KindTextBlock) {
		return
	}
	for c := p.FirstChild(); c != nil; c = c.NextSibling() {
		t, ok := c.(*ast.Text)
		if !ok || strings.TrimSpace(string(t.Segment.Value(d.src))) != "" {
			return
		}
	}
	remove(p)
}

// tocTarget returns the block that {:toc} marks: the list it ends
// (kramdown's "* TOC"), else the block it is in.
func tocTarget(n ast.Node) ast.Node {
	var block ast.Node
	for a := n.Parent(); a != nil && a.Kind() != ast.KindDocument; a = a.Parent() {
		if a.Kind() == ast.KindList {
			return a
		}
		if block == nil && a.Type() == ast.TypeBlock {
			block = a
		}
	}
	return block
}

// tocList returns a table of contents, a nested list of the headings under
// root, or nil when there are none.
func (d *doc) tocList(root ast.Node) ast.Node {
	var hs []*ast.Heading
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering {
			hs = append(hs, h)
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	if len(hs) == 0 {
		return nil
	}
	top := ast.NewList('*')
	lists, levels := []*ast.List{top}, []int{hs[0].Level}
	for _, h := range hs {
		for len(lists) > 1 && h.Level < levels[len(levels)-1] {
			lists, levels = lists[:len(lists)-1], levels[:len(levels)-1]
		}
		cur := lists[len(lists)-1]
		if h.Level > levels[len(levels)-1] && cur.LastChild() != nil {
			nested := ast.NewList('*')
			cur.LastChild().AppendChild(cur.LastChild(), nested)
			lists, levels = append(lists, nested), append(levels, h.Level)
			cur = nested
		}
		item := ast.NewListItem(2)
		tb := ast.NewTextBlock()
		tb.AppendChild(tb, d.synth(d.plainText(h)))
		item.AppendChild(item, tb)
		cur.AppendChild(cur, item)
	}
	return top
}

// plainText returns the text of n's descendants, as shown.
func (d *doc) plainText(n ast.Node) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			b.Write(t.Segment.Value(d.src))
		}
		return ast.WalkContinue, nil
	})
	return html.UnescapeString(b.String())
}

// footnotes turns the footnote list into a rule and a numbered list at the
// end of the post; references in the text are superscript numbers.
func (d *doc) footnotes(fl *extast.FootnoteList) {
	p := fl.Parent()
	list := ast.NewList('.')
	list.Start = 1
	for c := fl.FirstChild(); c != nil; {
		next := c.NextSibling()
		item := ast.NewListItem(3)
		for b := c.FirstChild(); b != nil; {
			nb := b.NextSibling()
			item.AppendChild(item, b)
			b = nb
		}
		list.AppendChild(list, item)
		c = next
	}
	p.InsertBefore(p, fl, ast.NewThematicBreak())
	p.ReplaceChild(p, fl, list)
	d.notes = list
}

// superscript writes n in superscript digits.
func superscript(n int) string {
	const digits = "⁰¹²³⁴⁵⁶⁷⁸⁹"
	var b strings.Builder
	for _, c := range strconv.Itoa(n) {
		b.WriteString(string([]rune(digits)[c-'0']))
	}
	return b.String()
}

// references appends the numbered link targets to the post: a rule, then
// a line "[n] URL" per target, each URL hyperlinked and percent-encoded. The lines are one Text
// node, their hyperlinks written as OSC 8 sequences here (a Link node each
// would cost a Glamour element each, a tenth of a post's render for ten
// links); termsafe.Link made the targets safe, and linebreak.Lines lets
// nothing else through.
func (d *doc) references(root ast.Node) {
	if len(d.refs) == 0 {
		return
	}
	root.AppendChild(root, ast.NewThematicBreak())
	var b strings.Builder
	for i, r := range d.refs {
		u, local, _ := strings.Cut(r, "\x00")
		if i > 0 {
			b.WriteRune(linebreak.Break)
		}
		b.WriteString("[" + strconv.Itoa(i+1) + "] ")
		if u == "" {
			b.WriteString(termsafe.String(local)) // unescaped from the source's %xx
			continue
		}
		if target, ok := termsafe.Link(u); ok {
			// Shown as the target is, percent-encoded: a URL of ASCII alone
			// is copied whole by every terminal's own URL detection.
			b.WriteString("\x1b]8;;" + target + "\x1b\\" + target + "\x1b]8;;\x1b\\")
		} else {
			b.WriteString(u)
		}
		if local != "" {
			b.WriteString(" (" + termsafe.String(local) + ")")
		}
	}
	para := ast.NewParagraph()
	para.AppendChild(para, d.synth(b.String()))
	root.AppendChild(root, para)
}
