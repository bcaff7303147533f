package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/simulator"
)

// demoRef is one demo refund of one provider, and the status it shows.
type demoRef struct {
	provider refundkit.Provider
	id       string
	status   refundkit.Status
}

// tenThousandRows returns n reconcile input rows over every demo refund of
// every provider (refs, the row's refund in input order, and the CSV
// input), and how many of them show each status. An RSA inquiry costs two
// RSA-2048 signatures (the request's and the answer's, about 1.5ms each on
// one core), so n of them would take tens of seconds on a small machine:
// every 25th row goes to an RSA provider (for 10,000 rows, 400, each of
// their demo refunds about 30 times) and the rest to ZaloPay, whose
// requests are HMAC-signed.
func tenThousandRows(t *testing.T, n int) (refs []demoRef, input string, want map[refundkit.Status]int) {
	t.Helper()
	var rsa [][]demoRef // by provider
	var hmac []demoRef
	for _, p := range refundkit.Providers() {
		var of []demoRef
		for _, r := range simulator.DemoRefunds(p) {
			of = append(of, demoRef{p, r.RefundID, demoStatus(t, r.RefundID)})
		}
		if p == refundkit.ZaloPay {
			hmac = append(hmac, of...)
		} else {
			rsa = append(rsa, of)
		}
	}
	// Every stride-th row goes to an RSA provider, in turn, so that each
	// gets at least 100 rows however many there are.
	stride := min(25, n/(110*len(rsa)))
	refs = make([]demoRef, n)
	var in strings.Builder
	in.WriteString("provider,refund_id\n")
	want = map[refundkit.Status]int{}
	perProvider := map[refundkit.Provider]int{}
	for i := range refs {
		if k := i / stride; i%stride == 0 {
			of := rsa[k%len(rsa)]
			refs[i] = of[(k/len(rsa))%len(of)]
		} else {
			refs[i] = hmac[i%len(hmac)]
		}
		fmt.Fprintf(&in, "%s,%s\n", refs[i].provider, refs[i].id)
		want[refs[i].status]++
		perProvider[refs[i].provider]++
	}
	for _, p := range refundkit.Providers() {
		require.GreaterOrEqual(t, perProvider[p], 100, "%s has too few rows", p)
	}
	return refs, in.String(), want
}

// TestReconcileTenThousandRows reconciles 10,000 rows over every demo
// refund of every provider: all the simulators, every status, real HTTP and
// real signatures (see tenThousandRows). What is under test is the
// command's streaming, accounting and output; inquiry's BenchmarkReconcile
// measures throughput per provider.
func TestReconcileTenThousandRows(t *testing.T) {
	e := newEnv(t, nil)
	const n = 10_000
	refs, in, want := tenThousandRows(t, n)

	var out bytes.Buffer
	start := time.Now()
	sum, err := reconcile(context.Background(), strings.NewReader(in), &out, io.Discard, e.clients(t), reconcileOptions{concurrency: 32})
	require.NoError(t, err)
	t.Logf("%d rows in %s", n, time.Since(start))

	assert.Equal(t, n, sum.rows)
	assert.Equal(t, n, sum.inquiries)
	assert.Empty(t, sum.errors)
	assert.Equal(t, want, sum.statuses)
	rows := readOutput(t, out.String())
	require.Len(t, rows, n)
	for i, row := range rows {
		require.Equal(t, strconv.Itoa(i+2), row[0], "every input line exactly once")
		r := refs[i]
		require.Equal(t, []string{string(r.provider), r.id, string(r.status)}, row[1:4], "line %s", row[0])
	}
}
