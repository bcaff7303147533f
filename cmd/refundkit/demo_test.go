package main

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/providers"
	"github.com/refundkit/refundkit/simulator"
)

// demoStatus is the status a demo refund is meant to show: the demo ids
// name it ("demo-payermax-pending", "230407_2554_demo_failed").
func demoStatus(t *testing.T, refundID string) refundkit.Status {
	for _, s := range []refundkit.Status{refundkit.StatusSucceeded, refundkit.StatusPending, refundkit.StatusFailed, refundkit.StatusUnknown} {
		if strings.Contains(refundID, string(s)) {
			return s
		}
	}
	t.Fatalf("demo refund id %q names no status", refundID)
	return ""
}

// demoRow is one row of the demo's table.
type demoRow struct{ provider, status, providerStatus, amount, verified string }

// parseDemoTable reads the demo's table, by refund id: columns are
// separated by two or more spaces, and the table ends at the blank line
// before the footer.
func parseDemoTable(t *testing.T, stdout string) map[string]demoRow {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	cols := regexp.MustCompile(`\s{2,}`)
	require.Equal(t, []string{"PROVIDER", "REFUND ID", "STATUS", "PROVIDER STATUS", "AMOUNT", "VERIFIED"}, cols.Split(lines[0], -1))
	rows := map[string]demoRow{}
	for _, l := range lines[1:] {
		if l == "" {
			break
		}
		f := cols.Split(l, -1)
		require.Len(t, f, 6, "row %q", l)
		rows[f[1]] = demoRow{f[0], f[2], f[3], f[4], f[5]}
	}
	return rows
}

func TestDemo(t *testing.T) {
	r := runCmd(t, "demo")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Empty(t, r.stderr)
	rows := parseDemoTable(t, r.stdout)
	total := checkDemoRows(t, rows)

	// Amounts are exact, in major units, AlphaPay's converted from minor.
	assert.Equal(t, "12345678901234.5678 USD", rows["demo-payermax-pending"].amount)
	assert.Equal(t, "1.00 CAD", rows["demo-alphapay-succeeded"].amount)
	assert.Equal(t, "50000 LAK", rows["demo-newpay-failed"].amount)
	assert.Equal(t, "-", rows["230407_2554_demo_succeeded"].amount)
	assert.Contains(t, r.stdout, fmt.Sprintf("\n%d refunds at %d simulated providers", total, len(refundkit.Providers())))

	// Then each pushing simulator's final refunds arrive as notifications,
	// once each, and its forged pushes are refused on its whole schedule
	// (PayerMax 6 attempts, NewPay 4, AlphaPay 1).
	for p, ids := range finalDemoRefunds {
		for _, id := range ids {
			assert.Regexp(t, `(?m)^`+string(p)+`\s+`+regexp.QuoteMeta(id)+`\s+`+string(demoStatus(t, id))+`\s.*\syes\s+notification$`, r.stdout)
		}
		assert.NotContains(t, r.stdout, simulator.DemoRefunds(p)[0].RefundID+"-forged")
	}
	assert.Contains(t, r.stdout, "6 notifications delivered; 11 forged attempts")
	checkDemoNotes(t, r.stdout)
}

// checkDemoNotes: the demo's closing notes name, from the registry, every
// provider that signs no answer and every one that pushes no notification
// (NewPay v2 as well as ZaloPay), and no other.
func checkDemoNotes(t *testing.T, stdout string) {
	t.Helper()
	named := func(pattern string) []string { // the titles the note starts with
		m := regexp.MustCompile(`(?m)^(.*) ` + pattern + `$`).FindStringSubmatch(stdout)
		require.NotNil(t, m, "no note %q", pattern)
		return strings.Split(strings.ReplaceAll(m[1], " and ", ", "), ", ")
	}
	unsigned := named(`does not sign its answers, so its results are never verified\.`)
	polled := named(`push no refund notifications: poll them with inquire\.`)
	for _, d := range providers.All() {
		assert.Equal(t, !d.Signed, slices.Contains(unsigned, d.Title), "%s in %q", d.Title, unsigned)
		assert.Equal(t, d.Notify == nil, slices.Contains(polled, d.Title), "%s in %q", d.Title, polled)
	}
}

// checkDemoRows requires one row per demo refund of every provider, each
// with the status its id names, its provider status and whether it was
// verified, every shared status among them, and returns the number of demo
// refunds.
func checkDemoRows(t *testing.T, rows map[string]demoRow) (total int) {
	t.Helper()
	seen := map[refundkit.Status]bool{}
	for _, p := range refundkit.Providers() {
		perProvider := map[refundkit.Status]bool{}
		for _, ref := range simulator.DemoRefunds(p) {
			t.Run(ref.RefundID, func(t *testing.T) {
				got, ok := rows[ref.RefundID]
				require.True(t, ok, "no row for %s", ref.RefundID)
				want := demoStatus(t, ref.RefundID)
				assert.Equal(t, string(p), got.provider)
				assert.Equal(t, string(want), got.status)
				wantProviderStatus := ref.Status
				if p == refundkit.AlphaPay && ref.SubStatus == "U" && ref.Status == "" {
					wantProviderStatus = "U" // resultStatus U decides when refundStatus is absent
				}
				assert.Equal(t, orDash(wantProviderStatus), got.providerStatus)
				// Verified exactly where the provider signs (all but ZaloPay).
				d, err := providers.Lookup(p)
				require.NoError(t, err)
				assert.Equal(t, yesNo(d.Signed), got.verified)
				seen[want], perProvider[want] = true, true
			})
			total++
		}
		// NewPay v1 has no pending status; every provider has the rest.
		for _, s := range []refundkit.Status{refundkit.StatusSucceeded, refundkit.StatusFailed, refundkit.StatusUnknown} {
			assert.True(t, perProvider[s], "%s shows no %s refund", p, s)
		}
	}
	assert.Len(t, rows, total, "one row per demo refund")
	assert.Len(t, seen, 4, "every shared status appears")
	return total
}
