package ui

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNoRendererDependency keeps the terminal UI free of the Markdown
// renderer and what it pulls in (Glamour, chroma): ui takes rendered text
// through its Renderer and Outliner interfaces and the model's types only.
func TestNoRendererDependency(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, banned := range []string{"github.com/sshblog/sshblog/content/render", "charm.land/glamour", "github.com/alecthomas/chroma"} {
			if dep == banned || strings.HasPrefix(dep, banned+"/") {
				t.Errorf("ui depends on %s", dep)
			}
		}
	}
}
