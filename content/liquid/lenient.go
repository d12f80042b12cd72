package liquid

import (
	"maps"
	"strings"

	"github.com/osteele/liquid/parser"
)

// lenient renders p one unit at a time, when rendering it in one go failed.
// A unit is a text, an output, a tag, or a whole block from its start tag to
// its end tag. A unit that fails is left out with a warning, except a block:
// then its content is rendered (unit by unit) without its tags. assign and
// capture keep working across units through state.assigned. What is lost
// against the one-go render: whitespace control across units.
func (st *state) lenient(w limitWriter, p prepared, bindings map[string]any) {
	toks := parser.Scan(p.src, parser.SourceLoc{LineNo: 1}, nil)
	st.units(w, toks, bindings, false)
}

func (st *state) units(w limitWriter, toks []parser.Token, bindings map[string]any, inBlock bool) {
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch t.Type {
		case parser.TextTokenType:
			if _, err := w.Write([]byte(t.Source)); err != nil {
				st.report(t.SourceLoc.LineNo, "Liquid output cut: "+err.Error())
				return
			}
		case parser.ObjTokenType:
			st.unit(w, toks[i:i+1], bindings)
		case parser.TagTokenType:
			switch name := t.Name; {
			case blockTags[name]:
				j := matchEnd(toks, i)
				if j < 0 {
					st.report(t.SourceLoc.LineNo, "Liquid: {% "+display(name)+" %} is never closed: the tag is left out")
					continue
				}
				if !st.unit(w, toks[i:j+1], bindings) && name != captureTag {
					st.units(w, toks[i+1:j], bindings, true)
				}
				i = j
			case strings.HasPrefix(name, "end") && blockTags[name[3:]]:
				st.report(t.SourceLoc.LineNo, "Liquid: {% "+display(name)+" %} without its {% "+display(name[3:])+" %}: left out")
			case name == tickTag:
				// Counts loop iterations; outside a whole loop it has nothing to count.
			case clauseTags[name]:
				if !inBlock {
					st.report(t.SourceLoc.LineNo, "Liquid: {% "+name+" %} outside a block: left out")
				}
			default:
				st.unit(w, toks[i:i+1], bindings)
			}
		}
	}
}

// matchEnd returns the index of the tag that ends the block toks[i] starts,
// or -1.
func matchEnd(toks []parser.Token, i int) int {
	name, depth := toks[i].Name, 0
	for j := i + 1; j < len(toks); j++ {
		if toks[j].Type != parser.TagTokenType {
			continue
		}
		switch toks[j].Name {
		case name:
			depth++
		case "end" + name:
			if depth == 0 {
				return j
			}
			depth--
		}
	}
	return -1
}

// unit renders toks on their own and reports whether that worked; when it
// did not, it reports why and writes nothing.
func (st *state) unit(w limitWriter, toks []parser.Token, bindings map[string]any) bool {
	var src strings.Builder
	for _, t := range toks {
		src.WriteString(t.Source)
	}
	line := toks[0].SourceLoc.LineNo
	tpl, err := st.env.liquidEngine().ParseTemplateLocation([]byte(src.String()), "", line)
	if err != nil {
		st.report(line, message(err)+": left out")
		return false
	}
	if len(st.assigned) > 0 {
		bindings = maps.Clone(bindings)
		maps.Copy(bindings, st.assigned)
	}
	var b strings.Builder
	problems := len(st.problems)
	if err := st.run(tpl, bindings, limitWriter{st, &b}); err != nil {
		st.forget(problems)
		st.report(line, message(err)+": left out")
		return false
	}
	_, err2 := w.Write([]byte(b.String()))
	return err2 == nil
}

// display returns the name the author wrote for a tag the scanner renamed.
func display(name string) string {
	return strings.ReplaceAll(name, captureTag, "capture")
}
