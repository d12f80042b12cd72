package server

import (
	"bytes"
	"io"
	"regexp"
	"time"

	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"

	"github.com/sshblog/sshblog/content/theme"
)

// backgroundWait bounds how long read waits for the terminal to say what
// its background is: a round trip to the client, which every terminal
// answers at once (see askBackground).
const backgroundWait = time.Second

// da1Reply is a terminal's answer to the primary device attributes request.
var da1Reply = regexp.MustCompile(`\x1b\[\?[0-9;]*c`)

// askBackground asks the client's terminal for its background colour, as
// the terminal UI does (tui.go), and returns the theme for it: Dark or
// Light, or "" when the terminal did not say. The colour request (OSC 11)
// goes with a device attributes request (DA1), which every terminal
// answers, after the colour if it knows that one: the DA1 answer, the end
// of stdin or wait, whichever comes first, ends the wait. Hand-written:
// lipgloss's BackgroundColor does the same but needs a local terminal's
// file descriptor, not an SSH channel.
func askBackground(in io.Reader, out io.Writer, wait time.Duration) theme.Theme {
	if _, err := io.WriteString(out, ansi.RequestBackgroundColor+ansi.RequestPrimaryDeviceAttributes); err != nil {
		return ""
	}
	answer := make(chan theme.Theme, 1)
	go func() {
		// Left reading when the wait ends first; the session's end ends it.
		var buf []byte
		chunk := make([]byte, 256)
		for {
			n, err := in.Read(chunk)
			buf = append(buf, chunk[:n]...)
			if loc := da1Reply.FindIndex(buf); loc != nil {
				answer <- backgroundTheme(buf[:loc[0]])
				return
			}
			if err != nil || len(buf) > 4096 {
				answer <- backgroundTheme(buf)
				return
			}
		}
	}()
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case th := <-answer:
		return th
	case <-timer.C:
		return ""
	}
}

// backgroundTheme finds an OSC 11 answer in what the terminal sent
// ("\x1b]11;rgb:ffff/ffff/ffff" ended by BEL or ST) and returns the theme
// for that colour, or "" without one.
func backgroundTheme(in []byte) theme.Theme {
	i := bytes.Index(in, []byte("\x1b]11;"))
	if i < 0 {
		return ""
	}
	rest := in[i+len("\x1b]11;"):]
	end := bytes.IndexAny(rest, "\x07\x1b")
	if end < 0 {
		return ""
	}
	c := ansi.XParseColor(string(rest[:end]))
	if c == nil {
		return ""
	}
	if (uv.BackgroundColorEvent{Color: c}).IsDark() {
		return theme.Dark
	}
	return theme.Light
}
