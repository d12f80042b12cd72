package liquid

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/osteele/liquid"
	"github.com/osteele/liquid/render"
)

// Bounds on one Expand, so that no input runs away: loop iterations plus
// include costs, bytes of output (captured text included), include nesting.
const (
	maxSteps        = 100_000
	maxOutput       = 4 << 20
	maxIncludeDepth = 8
)

// stateKey is the binding under which tags find the state of the Expand
// that runs them. No Liquid name can spell it.
const stateKey = "\x00sshblog"

var (
	errSteps  = errors.New("loops and includes ran more than " + strconv.Itoa(maxSteps) + " times")
	errOutput = errors.New("the output grew beyond " + strconv.Itoa(maxOutput>>20) + " MiB")
)

// state is one Expand's: its budget, the text hidden from the engine and
// the problems found.
type state struct {
	env      *Env
	page     map[string]any
	marker   rune
	lits     []string // hidden text, by placeholder index
	steps    int
	written  int
	problems []Problem
	reported map[Problem]bool

	frame    prepared       // the source being rendered (the post, or an include)
	depth    int            // include nesting
	anchor   int            // line of the post's outermost include being rendered
	assigned map[string]any // what assign and capture set, for the lenient pass
	includes map[string]*included
}

// included is a parsed include, kept for the rest of the Expand.
type included struct {
	prep prepared
	tpl  *liquid.Template
	err  error // parse error; the lenient pass renders it then
}

func stateOf(ctx render.Context) *state {
	st, _ := ctx.Get(stateKey).(*state)
	if st == nil {
		st = &state{env: &Env{}} // a template rendered outside Expand
	}
	return st
}

// placeholder returns the text that stands for lit in the engine's source.
func (st *state) placeholder(lit string) string {
	i := len(st.lits)
	st.lits = append(st.lits, lit)
	m := string(st.marker)
	return m + strconv.Itoa(i) + m
}

// sentinel returns the mark the scanner leaves after a tag that stands
// alone on its line and writes nothing (see scanner.silentAlone).
func (st *state) sentinel() string {
	m := string(st.marker)
	return m + m
}

// restore puts the hidden text back in place of its placeholders, within
// the output bound. Placeholders that a filter cut are dropped. A sentinel
// on a line of white space after a line of HTML takes that line with it;
// elsewhere it goes alone.
func (st *state) restore(out string) string {
	if !strings.ContainsRune(out, st.marker) {
		return out
	}
	b := make([]byte, 0, len(out))
	m := string(st.marker)
	for {
		i := strings.Index(out, m)
		if i < 0 {
			b = append(b, out...)
			break
		}
		b = append(b, out[:i]...)
		out = out[i+len(m):]
		if strings.HasPrefix(out, m) { // a sentinel
			b, out = dropBlankLine(b, out[len(m):])
			continue
		}
		j := 0
		for j < len(out) && out[j] >= '0' && out[j] <= '9' && j < 9 {
			j++
		}
		if j == 0 || !strings.HasPrefix(out[j:], m) {
			continue // half a placeholder: drop its marker
		}
		k, _ := strconv.Atoi(out[:j])
		out = out[j+len(m):]
		if k >= len(st.lits) {
			continue
		}
		if len(b)+len(st.lits[k]) > maxOutput {
			st.reportOrig("", 1, "Liquid output cut: "+errOutput.Error())
			break
		}
		b = append(b, st.lits[k]...)
	}
	return string(b)
}

// dropBlankLine removes the line that b ends in and rest goes on with,
// when it holds nothing but white space and follows a line of HTML; it
// returns b and what is left of rest.
func dropBlankLine(b []byte, rest string) ([]byte, string) {
	start := bytes.LastIndexByte(b, '\n') + 1
	if start == 0 || len(bytes.TrimSpace(b[start:])) != 0 {
		return b, rest
	}
	end := strings.IndexByte(rest, '\n')
	if end < 0 {
		end = len(rest)
	}
	if strings.TrimSpace(rest[:end]) != "" {
		return b, rest
	}
	prev := bytes.TrimSpace(b[bytes.LastIndexByte(b[:start-1], '\n')+1 : start-1])
	if !bytes.HasPrefix(prev, []byte("<")) || bytes.HasPrefix(prev, []byte("<http")) {
		return b, rest
	}
	if end < len(rest) {
		end++ // the line break
	}
	return b[:start], rest[end:]
}

// reportOrig records a problem at line of origin ("" for the post); a
// problem in an include is reported at the include tag in the post.
// The same problem found twice (a block that failed, then the tag in it
// that made it fail) is reported once.
func (st *state) reportOrig(origin string, line int, msg string) {
	p := Problem{Line: line, Message: msg}
	if origin != "" {
		p = Problem{Line: max(st.anchor, 1), Message: fmt.Sprintf("in %s line %d: %s", origin, line, msg)}
	}
	if st.reported[p] {
		return
	}
	if st.reported == nil {
		st.reported = map[Problem]bool{}
	}
	st.reported[p] = true
	st.problems = append(st.problems, p)
}

// forget drops the problems reported after the first n.
func (st *state) forget(n int) {
	for _, p := range st.problems[n:] {
		delete(st.reported, p)
	}
	st.problems = st.problems[:n]
}

// report records a problem at line l of the source being rendered.
func (st *state) report(l int, msg string) {
	st.reportOrig(st.frame.origin, st.frame.origLine(l), msg)
}

// lineOf returns the line of the source being rendered where the tag that
// ctx renders stands (the engine tells it only through an error).
func lineOf(ctx render.Context) int {
	return ctx.Errorf("").LineNumber()
}

// limitWriter counts what the engine writes against the output bound.
type limitWriter struct {
	st *state
	b  *strings.Builder
}

func (w limitWriter) Write(p []byte) (int, error) {
	if w.st.written+len(p) > maxOutput {
		return 0, errOutput
	}
	w.st.written += len(p)
	return w.b.Write(p)
}

// renderPrepared renders p with bindings: in one go, and if that fails
// (a syntax error, an unknown filter, a bound exceeded) tag by tag, so
// that one bad tag costs only itself.
func (st *state) renderPrepared(p prepared, bindings map[string]any, tpl *liquid.Template, parseErr error) string {
	saved := st.frame
	st.frame = p
	defer func() { st.frame = saved }()

	var b strings.Builder
	if tpl == nil && parseErr == nil {
		var err liquid.SourceError
		tpl, err = st.env.liquidEngine().ParseTemplateLocation([]byte(p.src), "", 1)
		if err != nil {
			parseErr = err
		}
	}
	if parseErr == nil {
		problems, written := len(st.problems), st.written
		if err := st.run(tpl, bindings, limitWriter{st, &b}); err == nil {
			return b.String()
		}
		// Start again, forgetting what the first pass reported and wrote.
		st.forget(problems)
		st.written = written
		b.Reset()
	}
	st.lenient(limitWriter{st, &b}, p, bindings)
	return b.String()
}

// run renders tpl into w; a panic in the engine (it panics on some write
// errors and on a few malformed inputs) is an error like any other.
func (st *state) run(tpl *liquid.Template, bindings map[string]any, w io.Writer) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	if e := tpl.FRender(w, bindings); e != nil {
		return e
	}
	return nil
}

// lineRE finds the line number the engine puts in its error messages.
var lineRE = regexp.MustCompile(`^Liquid error(?: \(line \d+\))?: `)

// message turns an engine error into a problem's message, without the
// line number (the problem has it) and with the scanner's renamed tags
// under their own names.
func message(err error) string {
	msg := lineRE.ReplaceAllString(err.Error(), "")
	msg = strings.ReplaceAll(strings.ReplaceAll(msg, "{%"+tickTag+"%}", ""), "{%"+tickTag+"-%}", "")
	msg = strings.ReplaceAll(msg, captureTag, "capture")
	if len(msg) > 200 {
		msg = msg[:200] + "…"
	}
	return "Liquid: " + strings.ToValidUTF8(msg, "")
}

// stripLiquid removes every Liquid tag and output from src: what is left
// when Expand cannot run the engine at all.
func stripLiquid(src string) string {
	return anyLiquidRE.ReplaceAllString(src, "")
}

var anyLiquidRE = regexp.MustCompile(`\{\{.*?\}\}|\{%(?:[^%]|%[^}])*%\}`)
