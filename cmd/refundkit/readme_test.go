package main

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// README.md tells a new user how to get the binary, and every refundkit
// command line it shows names a command and flags that exist.
func TestREADMECommands(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	gomod, err := os.ReadFile("../../go.mod")
	require.NoError(t, err)
	m := regexp.MustCompile(`(?m)^module (\S+)$`).FindSubmatch(gomod)
	require.NotNil(t, m, "go.mod names no module")
	module := string(m[1])

	text := string(readme)
	assert.Contains(t, text, "go install "+module+"/cmd/refundkit@latest", "the install line for users")
	assert.Contains(t, text, "go install ./cmd/refundkit", "the install line in a clone")

	// Every line of every code block that runs refundkit, with or without
	// an environment assignment or a shell prompt before it.
	blocks := regexp.MustCompile("(?s)```[a-z]*\n(.*?)```").FindAllStringSubmatch(text, -1)
	// Inline code too: `refundkit simulate --provider payermax --keys-dir keys`.
	inline := regexp.MustCompile("`(refundkit [^`]+)`").FindAllStringSubmatch(text, -1)
	var lines []string
	for _, b := range blocks {
		lines = append(lines, strings.Split(b[1], "\n")...)
	}
	for _, m := range inline {
		lines = append(lines, m[1])
	}
	cmdLine := regexp.MustCompile(`^(?:[A-Z_]+=\S+ )*refundkit ([a-z]+)\b(.*)$`)
	flagName := regexp.MustCompile(`(?:^|[\s\[|])--([a-z][a-z-]*)`)
	helps := map[string]string{}
	checked := 0
	for _, l := range lines {
		m := cmdLine.FindStringSubmatch(strings.TrimSpace(l))
		if m == nil || m[1] == "asks" {
			continue // prose, or the overview's first line
		}
		name, rest := m[1], m[2]
		args := []string{name}
		if sub, after, ok := subcommand(name, rest); ok {
			// "refundkit track add --input F": the flags are track add's.
			// "track add|run|...": those of the first.
			name, rest, args = name+" "+sub, after, append(args, sub)
		}
		if _, ok := helps[name]; !ok {
			r := runCmd(t, append(args, "-h")...)
			require.Equal(t, exitOK, r.code, "README runs %q, which is not a command: %s", "refundkit "+name, r.stderr)
			helps[name] = r.stdout
		}
		rest, _, _ = strings.Cut(rest, "#") // a shell comment
		for _, f := range flagName.FindAllStringSubmatch(rest, -1) {
			assert.Regexp(t, "\n  -"+regexp.QuoteMeta(f[1])+"[ \t\n]", helps[name], "README's %q: refundkit %s has no --%s", strings.TrimSpace(l), name, f[1])
		}
		checked++
	}
	assert.GreaterOrEqual(t, checked, 5, "README shows the commands")
	for _, c := range commands {
		assert.Contains(t, text, "refundkit "+c.name, "README never shows refundkit %s", c.name)
	}
}

// subcommand splits the subcommand off a README line's arguments for a
// command that has subcommands (track).
func subcommand(name, rest string) (sub, after string, ok bool) {
	if name != "track" {
		return "", rest, false
	}
	fields := strings.Fields(rest)
	if len(fields) == 0 || strings.HasPrefix(fields[0], "-") {
		return "", rest, false
	}
	sub, _, _ = strings.Cut(fields[0], "|")
	_, after, _ = strings.Cut(rest, fields[0])
	return sub, after, true
}
