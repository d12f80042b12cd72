package server

import (
	"fmt"
	"runtime/debug"
	"strings"
)

// versionJSON is version --json; its shape is documented in the README.
type versionJSON struct {
	Module   string `json:"module"`   // the main module's path
	Version  string `json:"version"`  // its version: "v1.2.3", or "(devel)" for a build from a checkout
	Revision string `json:"revision"` // the VCS revision built, "" when unknown
	Time     string `json:"time"`     // the revision's commit time, RFC 3339, "" when unknown
	Modified bool   `json:"modified"` // the checkout had changes not committed
	Go       string `json:"go"`       // the Go version that built it
}

// buildVersion reads the program's version from its build information.
func buildVersion(info *debug.BuildInfo, ok bool) versionJSON {
	if !ok || info == nil {
		return versionJSON{Version: "unknown"}
	}
	v := versionJSON{Module: info.Main.Path, Version: info.Main.Version, Go: info.GoVersion}
	if v.Version == "" {
		v.Version = "(devel)"
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			v.Revision = s.Value
		case "vcs.time":
			v.Time = s.Value
		case "vcs.modified":
			v.Modified = s.Value == "true"
		}
	}
	return v
}

// showVersion prints the program's version on one line:
//
//	sshblog v1.2.3 (revision 3f2a9c1e0b7d, 2026-12-04T17:00:00Z), go1.26.8
func showVersion(c *commandContext) int {
	fs := c.flagSet()
	asJSON := fs.Bool("json", false, "print a JSON object (see the README)")
	if _, status, ok := c.parseArgs(fs, 0, 0); !ok {
		return status
	}
	v := buildVersion(c.build())
	if *asJSON {
		return c.writeJSON(v)
	}
	line := "sshblog " + v.Version
	var about []string
	if v.Revision != "" {
		rev := "revision " + shortRev(v.Revision)
		if v.Modified {
			rev += " with changes"
		}
		about = append(about, rev)
	}
	if v.Time != "" {
		about = append(about, v.Time)
	}
	if len(about) > 0 {
		line += " (" + strings.Join(about, ", ") + ")"
	}
	if v.Go != "" {
		line += ", " + v.Go
	}
	return c.write(fmt.Sprintln(line))
}
