package liquid

import (
	"io/fs"
	"maps"
	"path"
	"regexp"
	"strings"
	"unicode"

	"github.com/osteele/liquid"
	"github.com/osteele/liquid/filters"
	"github.com/osteele/liquid/render"
)

// liquidEngine returns the Env's engine, built on first use.
func (e *Env) liquidEngine() *liquid.Engine {
	e.once.Do(func() { e.engine = newEngine(e) })
	return e.engine
}

// newEngine returns a Liquid engine with Jekyll's tags and filters, every
// filter bounded (see bounded), and its own include, which reads env's
// files instead of the engine's, which reads any file on disk.
func newEngine(env *Env) *liquid.Engine {
	eng := liquid.NewEngine()
	d := boundedFilters{eng}
	filters.AddStandardFilters(d)
	addJekyllFilters(d, env)

	eng.RegisterTag("include", func(ctx render.Context) (string, error) { return include(ctx, false) })
	eng.RegisterTag("include_cached", func(ctx render.Context) (string, error) { return include(ctx, false) })
	eng.RegisterTag("include_relative", func(ctx render.Context) (string, error) { return include(ctx, true) })
	eng.RegisterTag("post_url", func(ctx render.Context) (string, error) {
		return resolve(ctx, "post_url", stateOf(ctx).env.PostURL)
	})
	eng.RegisterTag("link", func(ctx render.Context) (string, error) {
		return resolve(ctx, "link", stateOf(ctx).env.Link)
	})
	eng.RegisterTag("assign", assign)
	eng.RegisterBlock(captureTag, capture)
	eng.RegisterTag(tickTag, func(ctx render.Context) (string, error) {
		return "", stateOf(ctx).spend(1)
	})
	return eng
}

// spend takes n steps from the budget.
func (st *state) spend(n int) error {
	st.steps += n
	if st.steps > maxSteps {
		return errSteps
	}
	return nil
}

// assignRE splits assign's argument: a variable, "=", an expression.
var assignRE = regexp.MustCompile(`^\s*([\w-]+)\s*=\s*(.*?)\s*$`)

// assign is Liquid's assign, remembering the value for the lenient pass.
func assign(ctx render.Context) (string, error) {
	m := assignRE.FindStringSubmatch(ctx.TagArgs())
	if m == nil {
		return "", ctx.Errorf("syntax error in assign %q", ctx.TagArgs())
	}
	v, err := ctx.EvaluateString(m[2])
	if err != nil {
		return "", err
	}
	stateOf(ctx).set(ctx, m[1], v)
	return "", nil
}

// capture is Liquid's capture, with the captured text counted against the
// output bound.
func capture(ctx render.Context) (string, error) {
	st := stateOf(ctx)
	name := strings.TrimSpace(ctx.TagArgs())
	var b strings.Builder
	if err := ctx.RenderChildren(limitWriter{st, &b}); err != nil {
		return "", err
	}
	st.set(ctx, name, b.String())
	return "", nil
}

func (st *state) set(ctx render.Context, name string, v any) {
	ctx.Set(name, v)
	if st.assigned == nil {
		st.assigned = map[string]any{}
	}
	st.assigned[name] = v
}

// resolve renders {% post_url name %} or {% link path %} with find. A
// name it cannot find becomes "/name", with a warning.
func resolve(ctx render.Context, tag string, find func(string) (string, bool)) (string, error) {
	arg, err := ctx.ExpandTagArg()
	if err != nil {
		return "", err
	}
	arg = strings.Trim(strings.TrimSpace(arg), `"'`)
	if find != nil {
		if u, ok := find(arg); ok {
			return u, nil
		}
	}
	st := stateOf(ctx)
	st.report(lineOf(ctx), "{% "+tag+" "+arg+" %}: no such post: linked as /"+arg)
	return "/" + arg, nil
}

// includeParamRE matches one parameter of Jekyll's include: name=value,
// where value is a quoted string or a variable.
var includeParamRE = regexp.MustCompile(`([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([\w.\[\]"'-]+))`)

// maxIncludeSize bounds an included file.
const maxIncludeSize = 1 << 20

// include renders Jekyll's {% include name params %} (or, when relative,
// {% include_relative %}). A file it cannot read is left out with a
// warning; the render goes on.
func include(ctx render.Context, relative bool) (string, error) {
	st := stateOf(ctx)
	line := lineOf(ctx)
	tag := "include"
	if relative {
		tag = "include_relative"
	}
	args, err := ctx.ExpandTagArg()
	if err != nil {
		return "", err
	}
	args = strings.TrimSpace(args)
	name, params := args, ""
	if i := strings.IndexFunc(args, unicode.IsSpace); i >= 0 {
		name, params = args[:i], args[i:]
	}
	name = strings.Trim(name, `"'`)
	warn := func(why string) (string, error) {
		st.report(line, "{% "+tag+" "+name+" %} left out: "+why)
		return "", nil
	}
	if st.depth >= maxIncludeDepth {
		return warn("includes nested too deep")
	}
	if err := st.spend(10); err != nil {
		return "", err
	}

	if st.depth == 0 {
		st.anchor = st.frame.origLine(line)
	}
	fsys, file, why := st.includeFile(name, relative)
	if fsys == nil {
		return warn(why)
	}
	inc, err := st.load(fsys, file, tag)
	if err != nil {
		return warn(err.Error())
	}

	vars := map[string]any{}
	for _, m := range includeParamRE.FindAllStringSubmatchIndex(params, -1) {
		key := params[m[2]:m[3]]
		switch {
		case m[4] >= 0:
			vars[key] = params[m[4]:m[5]]
		case m[6] >= 0:
			vars[key] = params[m[6]:m[7]]
		default:
			if v, err := ctx.EvaluateString(params[m[8]:m[9]]); err == nil {
				vars[key] = v
			}
		}
	}
	bindings := maps.Clone(ctx.Bindings())
	bindings["include"] = vars

	st.depth++
	defer func() { st.depth-- }()
	return st.renderPrepared(inc.prep, bindings, inc.tpl, inc.err), nil
}

// includeFile returns the file system and path an include names, or why
// there is none.
func (st *state) includeFile(name string, relative bool) (fs.FS, string, string) {
	if !relative {
		if st.env.Includes == nil {
			return nil, "", "the blog has no _includes folder"
		}
		file := path.Clean(name)
		if !fs.ValidPath(file) || file == "." {
			return nil, "", "not a file in _includes"
		}
		return st.env.Includes, file, ""
	}
	if st.env.Files == nil {
		return nil, "", "include_relative is not available here"
	}
	dir := "."
	if st.frame.origin != "" {
		dir = path.Dir(st.frame.origin)
	} else if p, ok := st.page["path"].(string); ok {
		dir = path.Dir(p)
	}
	file := path.Join(dir, name)
	if !fs.ValidPath(file) || file == "." {
		return nil, "", "not a file in the blog folder"
	}
	return st.env.Files, file, ""
}

// load reads and prepares an included file, once per Expand.
func (st *state) load(fsys fs.FS, file, tag string) (*included, error) {
	origin := file
	if tag != "include_relative" {
		origin = "_includes/" + file
	}
	if inc, ok := st.includes[origin]; ok {
		return inc, nil
	}
	info, err := fs.Stat(fsys, file)
	if err != nil {
		return nil, errNotFound(origin)
	}
	if info.IsDir() || info.Size() > maxIncludeSize {
		return nil, errNotFile(origin)
	}
	if err := st.spend(int(info.Size() / 256)); err != nil {
		return nil, err
	}
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, errNotFound(origin)
	}
	inc := &included{prep: st.prepare(strings.ToValidUTF8(string(data), "\uFFFD"), origin)}
	tpl, perr := st.env.liquidEngine().ParseTemplateLocation([]byte(inc.prep.src), "", 1)
	if perr != nil {
		inc.err = perr
	} else {
		inc.tpl = tpl
	}
	if st.includes == nil {
		st.includes = map[string]*included{}
	}
	st.includes[origin] = inc
	return inc, nil
}

type includeError string

func (e includeError) Error() string { return string(e) }

func errNotFound(origin string) error { return includeError(origin + " not found") }
func errNotFile(origin string) error {
	return includeError(origin + " is not a file of at most 1 MiB")
}
