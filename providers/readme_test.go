package providers_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/providers"
	"github.com/refundkit/refundkit/simulator"
)

// TestREADMEProviderTables: README.md's provider tables (the endpoints, and
// the statuses) have one row per registered provider, in the order of
// refundkit.Providers, each named by its descriptor's Title. An endpoint
// row names the inquiry path of the provider's spec, and says the answers
// are unsigned exactly when the descriptor does. A provider added to the
// registry, renamed, or moved to another path fails here until README.md
// says so.
func TestREADMEProviderTables(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	readme := string(b)
	all := providers.All()
	require.Len(t, all, len(refundkit.Providers()))

	endpoints := markdownTable(t, readme, "| provider | endpoint | request auth | response auth | amounts |")
	statuses := markdownTable(t, readme, "| provider | field(s) | succeeded | pending | failed | error | anything else |")
	for name, rows := range map[string][][]string{"endpoints": endpoints, "statuses": statuses} {
		require.Len(t, rows, len(all), "README's %s table: one row per provider", name)
		for i, d := range all {
			assert.Equal(t, d.Title, titleOf(rows[i][0], all), "README's %s table, row %d: want %s's", name, i+1, d.Provider)
		}
	}
	for i, d := range all {
		route, _, err := simulator.ContractRoute(d.Provider)
		require.NoError(t, err)
		row := endpoints[i]
		assert.True(t, strings.HasPrefix(row[1], "`POST "+route.Path+"`"), "%s: README says %s, its spec POST %s", d.Provider, row[1], route.Path)
		unsigned := strings.HasPrefix(row[3], "**none**")
		assert.Equal(t, !d.Signed, unsigned, "%s: README's response auth %q, descriptor's Signed %v", d.Provider, row[3], d.Signed)
	}
}

// markdownTable returns the cells of the body rows of the table in readme
// whose header line is header.
func markdownTable(t *testing.T, readme, header string) [][]string {
	t.Helper()
	i := strings.Index(readme, "\n"+header+"\n")
	require.GreaterOrEqual(t, i, 0, "README.md has no table %s", header)
	lines := strings.Split(readme[i+1:], "\n")
	var rows [][]string
	for _, l := range lines[2:] { // after the header and the |---| line
		if !strings.HasPrefix(l, "|") {
			break
		}
		cells := strings.Split(strings.Trim(l, "|"), "|")
		for j := range cells {
			cells[j] = strings.TrimSpace(cells[j])
		}
		require.Len(t, cells, strings.Count(header, "|")-1, "README.md row %q", l)
		rows = append(rows, cells)
	}
	return rows
}

// titleOf returns the longest Title that cell starts with as a whole word
// ("NewPay (Laos), API v1" is NewPay's, "NewPay v2" NewPay v2's), or "".
func titleOf(cell string, all []*providers.Descriptor) string {
	best := ""
	for _, d := range all {
		rest, ok := strings.CutPrefix(cell, d.Title)
		if ok && (rest == "" || strings.ContainsRune(" ,(", rune(rest[0]))) && len(d.Title) > len(best) {
			best = d.Title
		}
	}
	return best
}
