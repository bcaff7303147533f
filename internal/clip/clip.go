// Package clip shortens text for messages, in one place for every package
// that quotes what a provider sent.
package clip

import "unicode/utf8"

// Text shortens s to at most n bytes, on a rune boundary, marking the cut
// with "…".
func Text(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
