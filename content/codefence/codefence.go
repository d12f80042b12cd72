// Package codefence writes Markdown fenced code blocks that hold any code
// as written, for the dialect front-ends that turn a template language's
// code tags (Jekyll's {% highlight %}, Hugo's {{< highlight >}}) into
// Markdown.
package codefence

import "strings"

// For returns a backtick fence for a block holding code: longer than any
// run of backticks in code, and at least three long.
func For(code string) string {
	longest := 0
	for i := 0; i < len(code); {
		if code[i] != '`' {
			i++
			continue
		}
		j := i
		for j < len(code) && code[j] == '`' {
			j++
		}
		longest = max(longest, j-i)
		i = j
	}
	return strings.Repeat("`", max(3, longest+1))
}

// Lang returns lang if it can stand in a fence's info string as a
// language name (letters, digits and +#._-), else "".
func Lang(lang string) string {
	if strings.IndexFunc(lang, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("+#._-", r))
	}) >= 0 {
		return ""
	}
	return lang
}

// Block returns code as a fenced code block in lang, without the line
// break that usually follows the opening tag in the template's source, and
// ending with the closing fence (no line break after it).
func Block(code, lang string) string {
	code = strings.TrimPrefix(strings.TrimPrefix(code, "\r"), "\n")
	if code != "" && !strings.HasSuffix(code, "\n") {
		code += "\n"
	}
	f := For(code)
	return f + Lang(lang) + "\n" + code + f
}
