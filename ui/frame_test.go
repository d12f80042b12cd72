package ui

import (
	"image/color"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
)

// startMsgs are the messages Bubble Tea sends a program over SSH as it
// starts, besides the answer to Init's background colour query (the driver
// delivers that request itself): the window size twice, the colour profile,
// the environment.
func startMsgs(w, h int) []tea.Msg {
	return []tea.Msg{
		tea.WindowSizeMsg{Width: w, Height: h},
		tea.ColorProfileMsg{Profile: colorprofile.ANSI256},
		tea.WindowSizeMsg{Width: w, Height: h},
		tea.EnvMsg{"TERM=xterm-256color"},
	}
}

// TestViewIsCurrent checks the frame View reuses: after every message of a
// session that visits every section, filters, reads, resizes and gets a new
// snapshot, View shows what the model draws now.
func TestViewIsCurrent(t *testing.T) {
	blog := seedBlog(t)
	d := newDriver(t, Options{Snapshot: blog, Renderer: &wrapRenderer{}, Width: 100, Height: 30})
	step := 0
	check := func() {
		t.Helper()
		step++
		if got, want := d.m.View().Content, d.m.screen(); got != want {
			t.Fatalf("step %d: View shows a stale frame:\n%s\nwant:\n%s", step, got, want)
		}
	}
	check()
	for _, msg := range startMsgs(100, 30) {
		d.send(msg)
		check()
	}
	for _, k := range []string{"enter", "j", "G", "?", "esc", "2", "enter", "3", "4", "enter", "1", "/", "2020", "esc"} {
		d.keys(k)
		check()
		d.send(tea.EnvMsg{}) // changes nothing, after any state
		check()
	}
	for _, msg := range []tea.Msg{
		tea.WindowSizeMsg{Width: 60, Height: 20},
		tea.WindowSizeMsg{Width: 30, Height: 10}, // too small
		tea.WindowSizeMsg{Width: 120, Height: 40},
		tea.BackgroundColorMsg{Color: color.White}, // light: new styles
		SnapshotMsg{Snapshot: testBlog()},
	} {
		d.send(msg)
		check()
	}
}

// BenchmarkSessionStart is the UI's share of starting a session: New, Init,
// the messages Bubble Tea sends as it starts, and a View after each, as
// Bubble Tea asks for one; at 100x30 on the sample blog's post list.
func BenchmarkSessionStart(b *testing.B) {
	blog := seedBlog(b)
	r := &wrapRenderer{}
	b.ReportAllocs()
	for range b.N {
		d := newDriver(b, Options{Snapshot: blog, Renderer: r, Width: 100, Height: 30})
		_ = d.m.View()
		for _, msg := range startMsgs(100, 30) {
			d.send(msg)
			_ = d.m.View()
		}
	}
}
