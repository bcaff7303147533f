package inquiry_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
)

// The table of Query fields in refundkit.Query's documentation is the
// registered QueryFields, row for row, so that it cannot drift.
func TestQueryDocTable(t *testing.T) {
	src, err := os.ReadFile("../inquiry.go")
	require.NoError(t, err)
	row := regexp.MustCompile(`(?m)^//\t(\w+) +(\S+) +(\S+) +(\S+)(?: \(optional\))?$`)
	rows := map[refundkit.Provider][]string{}
	for _, m := range row.FindAllStringSubmatch(string(src), -1) {
		if m[1] == "provider" {
			continue
		}
		rows[refundkit.Provider(strings.ToLower(m[1]))] = m[2:]
	}
	name := func(f *inquiry.QueryField) string {
		if f == nil {
			return "-"
		}
		return f.Name
	}
	for _, p := range refundkit.Providers() {
		f, ok := inquiry.QueryFieldsOf(p)
		require.True(t, ok, p)
		got, ok := rows[p]
		if !assert.True(t, ok, "refundkit.Query's table has no row for %s", p) {
			continue
		}
		assert.Equal(t, []string{name(f.RefundID), name(f.ProviderRefundID), name(f.RefundRequestID)}, got, "%s's row", p)
	}
	assert.Len(t, rows, len(refundkit.Providers()), "a row for every provider, and no other")
}
