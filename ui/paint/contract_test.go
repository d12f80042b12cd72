package paint

import (
	"io"
	"reflect"
	"slices"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// These tests pin what paint relies on in Bubble Tea and that Bubble Tea
// does not promise: an upgrade that changes it fails here, not on readers'
// screens.

// recorder logs the calls Bubble Tea makes to a model.
type recorder struct {
	mu  *sync.Mutex
	log *[]string
}

func (r recorder) add(call string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	*r.log = append(*r.log, call)
}

func (r recorder) Init() tea.Cmd {
	r.add("Init")
	return nil
}

func (r recorder) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	r.add("Update")
	return r, nil
}

func (r recorder) View() tea.View {
	r.add("View")
	return tea.View{}
}

// TestWithoutRendererViewFollowsEveryUpdate: Wrap draws the frame when
// Bubble Tea calls View, and relies on a program made with
// tea.WithoutRenderer calling it after Init and after every Update, as the
// event loop of v2.1 does (Program.render, whatever the renderer). Were it
// to skip View without a renderer, or call it only on its frame ticks,
// paint would draw no frame, or late ones.
func TestWithoutRendererViewFollowsEveryUpdate(t *testing.T) {
	var mu sync.Mutex
	var log []string
	p := tea.NewProgram(recorder{&mu, &log},
		tea.WithoutRenderer(), tea.WithInput(nil), tea.WithOutput(io.Discard),
		tea.WithoutSignalHandler(), tea.WithWindowSize(20, 5))
	done := make(chan error)
	go func() {
		_, err := p.Run()
		done <- err
	}()
	const n = 100
	for range n {
		p.Send(bump{}) // returns once the event loop has taken it
	}
	p.Quit()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(log) < 2 || log[0] != "Init" || log[1] != "View" {
		t.Fatalf("calls %q: want Init, then View", log[:min(len(log), 4)])
	}
	updates := 0
	for i, call := range log {
		if call == "Update" {
			updates++
			if i+1 == len(log) || log[i+1] != "View" {
				t.Fatalf("call %d, Update, is followed by %q, want View", i, log[min(i+1, len(log)-1):min(i+2, len(log))])
			}
		}
	}
	if updates < n {
		t.Errorf("%d updates for %d messages", updates, n)
	}
}

// viewFields are the fields of tea.View and what paint does with each.
// Draw's doc says the same in prose.
var viewFields = map[string]string{
	"Content":                   "drawn",
	"Cursor":                    "drawn (its position; the shape and colour are left to the terminal)",
	"WindowTitle":               "drawn",
	"MouseMode":                 "drawn",
	"DisableBracketedPasteMode": "drawn",
	"AltScreen":                 "ignored: the program is always in the alternate screen",
	"KeyboardEnhancements":      "ignored: paint always asks for the basic disambiguation Bubble Tea asks for by default",
	"OnMouse":                   "ignored: only Bubble Tea's renderer calls it, and the UI sets none",
	"BackgroundColor":           "ignored: the UI sets none",
	"ForegroundColor":           "ignored: the UI sets none",
	"ProgressBar":               "ignored: the UI sets none",
	"ProgramStatus":             "ignored: the UI sets none",
	"ReportFocus":               "ignored: the UI sets none",
}

// TestEveryViewFieldIsHandled fails when tea.View gains a field (a Bubble
// Tea upgrade) that paint has not been taught to draw or to ignore, or
// loses one that viewFields lists.
func TestEveryViewFieldIsHandled(t *testing.T) {
	var names []string
	for f := range reflect.TypeFor[tea.View]().Fields() {
		names = append(names, f.Name)
		if _, ok := viewFields[f.Name]; !ok {
			t.Errorf("tea.View has a field %s (%s) that paint does not handle: draw it in Terminal.Draw, or say why not, and list it in viewFields", f.Name, f.Type)
		}
	}
	for name := range viewFields {
		if !slices.Contains(names, name) {
			t.Errorf("tea.View has no field %s any more: take it out of viewFields", name)
		}
	}
}
