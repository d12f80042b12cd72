package paint

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

// FrameInterval is the time between frames in a burst of messages (a wheel
// spun fast, a key held down): it draws one frame per interval, the last
// state, as Bubble Tea's renderer does at 60 frames a second.
const FrameInterval = time.Second / 60

// Burst is how many frames may be drawn at once before FrameInterval
// applies. Two, so that a key whose answer comes in two steps (a reader
// opened at once, then its post's text from a rendering command) shows
// both without waiting for the interval.
const Burst = 2

// Wrap returns a model that runs m and draws m's view on t. Run it in a
// program made with tea.WithoutRenderer, whose event loop calls View after
// Init and after every Update (which Bubble Tea does not promise: a test
// pins it). That call is where the frame is drawn, at once unless Burst
// frames were drawn within the last FrameInterval (a token bucket, kept as
// the time the next frame is due), in which case a timer draws it when it
// is due. So a new session's first screen is written as soon as the
// program starts, not on a render tick, a key's answer as soon as it is
// ready, and a program with nothing new to show writes nothing.
//
// The wrapper keeps t's size and colour profile up to date from
// tea.WindowSizeMsg and tea.ColorProfileMsg, gives t the terminal's mode
// reports (tea.ModeReportMsg, see Terminal.Report), and passes every
// message on to m. Its own View returns an empty view, which the
// program's disabled renderer drops.
func Wrap(m tea.Model, t *Terminal) tea.Model {
	return &model{inner: m, term: t}
}

type model struct {
	inner tea.Model
	term  *Terminal
	due   time.Time // when the next frame is due at the sustained rate
	hold  bool      // too soon for a frame: View draws nothing
	armed bool      // a drawMsg is on its way
}

// drawMsg says that the frame interval is over and a held frame is due.
type drawMsg struct{}

func (m *model) Init() tea.Cmd { return m.inner.Init() }

func (m *model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case drawMsg:
		m.armed, m.hold = false, false
		return m, nil
	case tea.WindowSizeMsg:
		m.term.Resize(msg.Width, msg.Height)
	case tea.ColorProfileMsg:
		m.term.SetProfile(msg.Profile)
	case tea.ModeReportMsg:
		m.term.Report(msg.Mode, msg.Value)
	}
	var cmd tea.Cmd
	m.inner, cmd = m.inner.Update(msg)
	m.hold = false
	if wait := time.Until(m.due) - (Burst-1)*FrameInterval; wait > 0 {
		m.hold = true
		if !m.armed {
			m.armed = true
			cmd = tea.Batch(cmd, tea.Tick(wait, func(time.Time) tea.Msg { return drawMsg{} }))
		}
	}
	return m, cmd
}

func (m *model) View() tea.View {
	if !m.hold {
		// A write error means the session is gone; the session's end stops
		// the program, and the terminal writes nothing more meanwhile.
		if wrote, _ := m.term.Draw(m.inner.View()); wrote {
			now := time.Now()
			if m.due.Before(now) {
				m.due = now
			}
			m.due = m.due.Add(FrameInterval)
		}
	}
	return tea.View{}
}
