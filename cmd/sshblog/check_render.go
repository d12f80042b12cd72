package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/dustin/go-humanize"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/render"
	"github.com/sshblog/sshblog/content/render/audit"
	"github.com/sshblog/sshblog/content/theme"
)

// renderWidths are the columns `check --render` renders every post at: a
// phone, a default terminal, a wide one.
var renderWidths = []int{40, 80, 120}

// renderReport is what `check --render` found in one document (a post or
// a page): its findings, each with the widths it showed at, and its lines'
// measurements per width.
type renderReport struct {
	doc      *content.Post
	page     bool // a page, not a post
	findings []widthFinding
	lines    []audit.Lines // one per renderWidths
	err      error
}

// widthFinding is a finding and the widths it showed at.
type widthFinding struct {
	audit.Finding
	title  bool // found in the title, not the body
	widths []int
}

// checkRender renders snap, the blog in folder dir, and prints the report;
// it returns false when ctx ended it early, after saying so on stderr.
func checkRender(ctx context.Context, stdout, stderr io.Writer, dir string, snap *content.Snapshot) bool {
	reports := renderAll(ctx, snap)
	printRenderReport(stdout, dir, reports)
	if ctx.Err() != nil {
		fmt.Fprintf(stderr, "sshblog check: interrupted: rendered %d of %d documents\n", len(reports), len(snap.Posts())+len(snap.Pages()))
		return false
	}
	return true
}

// renderAll renders every post and page of snap (and the title of each) at
// each of renderWidths, in parallel, and audits the output; the reports
// come back in the order of the posts, then the pages. When ctx is done it
// stops and returns the reports it has (a 7,000-post blog takes minutes).
func renderAll(ctx context.Context, snap *content.Snapshot) []renderReport {
	docs := append(append([]*content.Post(nil), snap.Posts()...), snap.Pages()...)
	r := render.New(0)
	site := snap.Site()
	opt := audit.Options{BaseURL: site.BaseURL}
	reports := make([]renderReport, len(docs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				reports[i] = renderOne(r, snap, docs[i], opt)
				reports[i].page = i >= len(snap.Posts())
			}
		}()
	}
	done := len(docs)
feed:
	for i := range docs {
		if ctx.Err() != nil { // select picks at random among ready cases
			done = i
			break
		}
		select {
		case next <- i:
		case <-ctx.Done():
			done = i
			break feed
		}
	}
	close(next)
	wg.Wait()
	return reports[:done]
}

// auditSource is the source the audit compares p's screens with: the post
// as written (its raw blocks are literal text) and, when Liquid or Hugo's
// shortcodes change it, as expanded too (a code span from an include is
// code).
func auditSource(snap *content.Snapshot, p *content.Post) string {
	body := p.Markdown()
	if expanded, _ := snap.Body(p); expanded != body {
		body += "\n\n" + expanded
	}
	return body
}

// renderOne renders and audits one document at every width.
func renderOne(r *render.Renderer, snap *content.Snapshot, p *content.Post, opt audit.Options) renderReport {
	rep := renderReport{doc: p}
	seen := map[string]int{} // finding -> index in rep.findings
	note := func(f audit.Finding, title bool, width int) {
		// The same leftover shows on different lines at different widths:
		// it is known by the source it comes from.
		id := f.Source
		if r := []rune(id); len(r) > 8 {
			id = string(r[:8])
		}
		if id == "" {
			id = f.Text
		}
		key := fmt.Sprintf("%t\x00%s\x00%s", title, f.Kind, id)
		if i, ok := seen[key]; ok {
			if ws := rep.findings[i].widths; ws[len(ws)-1] != width {
				rep.findings[i].widths = append(ws, width)
			}
			return
		}
		seen[key] = len(rep.findings)
		rep.findings = append(rep.findings, widthFinding{Finding: f, title: title, widths: []int{width}})
	}
	// A Jekyll theme prints page.title as it is, into HTML: a tag or an
	// entity there is read by the browser, Markdown and Liquid are shown as
	// written. So only the first two are leftovers in a title.
	for _, f := range audit.Leftovers("", p.Title, opt) {
		if f.Kind == audit.HTML || f.Kind == audit.Entity {
			note(f, true, 0)
		}
	}
	body := auditSource(snap, p)
	for _, w := range renderWidths {
		out, err := r.Render(snap, p, w, theme.Dark)
		if err != nil {
			rep.err = err
			return rep
		}
		for _, f := range audit.Leftovers(body, out, opt) {
			note(f, false, w)
		}
		rep.lines = append(rep.lines, audit.MeasureLines(body, out, w))
	}
	return rep
}

// printRenderReport prints the findings of reports, one line each as
// "file:line: render: KIND at WIDTHS columns: TEXT", then a summary: how
// many screens (a document at one width) show leftovers, of which kinds,
// and the line measurements per width. dir is the blog folder, to name
// files by. It returns the number of screens with leftovers.
func printRenderReport(w io.Writer, dir string, reports []renderReport) int {
	screens, bad, pages := 0, 0, 0
	examples := make([]string, len(renderWidths)) // the first bad start at each width, with its file
	kinds := map[audit.Kind]int{}
	totals := make([]audit.Lines, len(renderWidths))
	for i := range totals {
		totals[i].Width = renderWidths[i]
	}
	for _, rep := range reports {
		if rep.page {
			pages++
		}
		file := filepath.Join(dir, filepath.FromSlash(rep.doc.Path))
		if rep.err != nil {
			fmt.Fprintf(w, "%s: render: %v\n", file, rep.err)
			continue
		}
		screens += len(renderWidths)
		badWidths := map[int]bool{}
		for _, f := range rep.findings {
			kinds[f.Kind]++
			where := file
			if line := sourceLine(rep.doc, f.Finding); line > 0 {
				where = fmt.Sprintf("%s:%d", file, line)
			}
			if f.title {
				fmt.Fprintf(w, "%s: render: %s in the title: %s\n", where, f.Kind, f.Text)
				for _, width := range renderWidths {
					badWidths[width] = true
				}
				continue
			}
			text := f.Text
			if f.Kind == audit.Math {
				text = "not shown as written: " + f.Text
			}
			fmt.Fprintf(w, "%s: render: %s at %s columns: %s\n", where, f.Kind, joinInts(f.widths), oneLine(text))
			for _, width := range f.widths {
				badWidths[width] = true
			}
		}
		bad += len(badWidths)
		for i, l := range rep.lines {
			if l.Over > 0 {
				fmt.Fprintf(w, "%s: render: %s wider than %d columns (%d cells): %s\n", file, count(l.Over, "line"), l.Width, l.Widest, oneLine(l.OverLine))
			}
			if l.BadStart != "" && examples[i] == "" {
				examples[i] = file + ": " + oneLine(l.BadStart)
			}
			totals[i].Add(l)
		}
	}
	var parts []string
	for _, k := range audit.Kinds {
		if kinds[k] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", k, kinds[k]))
		}
	}
	detail := ""
	if len(parts) > 0 {
		detail = " (" + strings.Join(parts, ", ") + ")"
	}
	fmt.Fprintf(w, "render: %s and %s at %s columns: %d of %d screens with leftovers%s\n",
		count(len(reports)-pages, "post"), count(pages, "page"), joinInts(renderWidths), bad, screens, detail)
	for i, t := range totals {
		fmt.Fprintf(w, "render: %d columns: widest line %d, %d lines over; %s lines of CJK paragraphs wrapped, mean fill %.3f; %d continuation lines start with closing punctuation\n",
			t.Width, t.Widest, t.Over, humanize.Comma(int64(t.Wrapped)), t.MeanFill(), t.BadStarts)
		if examples[i] != "" {
			fmt.Fprintf(w, "render: %d columns: for example %s\n", t.Width, examples[i])
		}
	}
	return bad
}

// sourceLine returns the line of p's file where a finding's text is,
// looked up by the leftover with what precedes and follows it on screen,
// then with less of either; a piece without what precedes it counts only
// when it is in the body once. 0 when it is not found.
func sourceLine(p *content.Post, f audit.Finding) int {
	if f.Source == "" || p.BodyLine == 0 {
		return 0
	}
	src := []rune(f.Source)
	body := p.Markdown()
	head := func(n int) string { return string(src[:min(n, len(src))]) }
	for _, c := range []struct {
		piece  string
		unique bool
	}{{f.Before + head(24), false}, {f.Before + head(2), false}, {head(24), true}, {head(12), true}, {head(2), true}} {
		if len([]rune(c.piece)) < 2 || (f.Before == "" && !c.unique) {
			continue
		}
		i := strings.Index(body, c.piece)
		if i >= 0 && (!c.unique || strings.Count(body, c.piece) == 1) {
			return p.BodyLine + strings.Count(body[:i], "\n")
		}
	}
	return 0
}

// joinInts joins numbers with ", ", sorted.
func joinInts(ns []int) string {
	ns = append([]int(nil), ns...)
	sort.Ints(ns)
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, ", ")
}

// oneLine keeps a finding's text on one line of the report, at most 100
// runes of it.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 100 {
		s = string(r[:100]) + "…"
	}
	return s
}
