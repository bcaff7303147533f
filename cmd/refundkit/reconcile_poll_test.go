package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/bulk"
	"github.com/refundkit/refundkit/simulator"
)

func TestReconcileUntilFinal(t *testing.T) {
	e := newEnv(t, func(p refundkit.Provider) []simulator.Refund {
		switch p {
		case refundkit.PayerMax:
			return []simulator.Refund{{RefundID: "poll-payermax", Status: "REFUND_PENDING", Amount: "5", Currency: "USD",
				Transitions: []simulator.Transition{{After: 2, Status: "REFUND_SUCCESS"}}}}
		case refundkit.ZaloPay:
			return []simulator.Refund{{RefundID: "poll-zalopay", Status: "3", SubStatus: "3",
				Transitions: []simulator.Transition{{After: 1, Status: "2", SubStatus: "-3"}}}}
		}
		return nil
	})
	const input = "provider,refund_id\npayermax,poll-payermax\nzalopay,poll-zalopay\nnewpay,demo-newpay-succeeded\n"

	t.Run("core", func(t *testing.T) {
		var out bytes.Buffer
		sum, err := reconcile(context.Background(), strings.NewReader(input), &out, io.Discard, e.clients(t),
			reconcileOptions{concurrency: 2, untilFinal: true, poll: fastPoll})
		require.NoError(t, err)
		rows := readOutput(t, out.String())
		require.Len(t, rows, 3)
		assert.Equal(t, []string{"2", "payermax", "poll-payermax", "succeeded", "REFUND_SUCCESS"}, rows[0][:5])
		assert.Equal(t, []string{"3", "zalopay", "poll-zalopay", "failed", "2"}, rows[1][:5])
		assert.Equal(t, 3+2+1, sum.inquiries, "asked until final, and no more")
		_, asked, _ := e.sims[refundkit.PayerMax].Refund("poll-payermax")
		assert.Equal(t, 3, asked)
	})
	t.Run("without polling a pending refund stays pending", func(t *testing.T) {
		var out bytes.Buffer
		_, err := reconcile(context.Background(), strings.NewReader("provider,refund_id\npayermax,demo-payermax-pending\n"), &out, io.Discard,
			e.clients(t), reconcileOptions{concurrency: 1})
		require.NoError(t, err)
		assert.Equal(t, "pending", readOutput(t, out.String())[0][3])
	})
	t.Run("command", func(t *testing.T) {
		e := newEnv(t, func(p refundkit.Provider) []simulator.Refund {
			if p != refundkit.AlphaPay {
				return nil
			}
			return []simulator.Refund{{RefundID: "poll-alphapay", Status: "REFUND_IN_PROCESS", Amount: "250", Currency: "CAD",
				Transitions: []simulator.Transition{{After: 3, Status: "SUCCESS"}}}}
		})
		in := writeFile(t, t.TempDir(), "in.csv", "provider,refund_id\nalphapay,poll-alphapay\n")
		r := runCmd(t, "reconcile", "--config", e.config, "--input", in, "--until-final", "--poll-delay", "5ms", "--json")
		require.Equal(t, exitOK, r.code, r.stderr)
		assert.Equal(t, `{"line":2,"provider":"alphapay","refund_id":"poll-alphapay","status":"succeeded","provider_status":"SUCCESS","amount":{"value":"2.50","currency":"CAD"},"verified":true}`+"\n", r.stdout)
		assert.Contains(t, r.stderr, ", 4 inquiries\n")
	})
}

// fastPoll re-asks pending refunds within milliseconds.
var fastPoll = bulk.PollPolicy{InitialDelay: 5 * time.Millisecond, MaxAge: 10 * time.Second}

func TestProgressLine(t *testing.T) {
	c := &counters{}
	c.read.Store(50)
	c.rows.Store(10) // 1 bad, 9 taken: 3 answered, 2 being asked, 4 waiting
	c.taken.Store(9)
	c.answered.Store(3)
	c.asking.Store(2)
	c.done.Store(4)
	c.errs.Store(2)
	c.bad.Store(1)
	assert.Equal(t, "[############------------]  50% read  4 of 10 rows answered, 2 in flight, 4 waiting to poll, 2 errors, 2/s", progressLine(c, 100, 2*time.Second))
	assert.Equal(t, "4 of 10 rows answered, 2 in flight, 4 waiting to poll, 2 errors", progressLine(c, 0, 0), "no bar when the size is unknown")

	assert.False(t, isTerminal(&bytes.Buffer{}))
	f, err := os.CreateTemp(t.TempDir(), "x")
	require.NoError(t, err)
	defer f.Close()
	assert.False(t, isTerminal(f), "a regular file is not a terminal")
}

func TestReconcileProgressIsCleared(t *testing.T) {
	e := newEnv(t, nil)
	e.sims[refundkit.ZaloPay].Faults().SetSlowDelay(300 * time.Millisecond)
	e.sims[refundkit.ZaloPay].Faults().Next(1, simulator.FaultSlow)
	var errOut bytes.Buffer
	// With one inquiry in flight and one item read ahead (bulk's read-ahead
	// is the concurrency), lines 3 and 4 fill the run while the slow line 2
	// is asked, and the bad line 6 is read only once line 2 is done, by
	// when the progress line is on screen.
	in := "provider,refund_id\nzalopay,230407_2554_demo_succeeded\nzalopay,230407_2554_demo_failed\nzalopay,230407_2554_demo_failed\nzalopay,230407_2554_demo_failed\nbogus,x\n"
	_, err := reconcile(context.Background(), strings.NewReader(in),
		io.Discard, &errOut, e.clients(t), reconcileOptions{concurrency: 1, progress: true, inputSize: 60})
	require.NoError(t, err)
	s := errOut.String()
	assert.Contains(t, s, clearLine+"[", "the progress line was drawn while the slow inquiry ran")
	assert.Contains(t, s, clearLine+"refundkit reconcile: line 6: unknown provider", "messages start on a clean line")
	last := strings.LastIndex(s, clearLine+"[")
	assert.Contains(t, s[last+len(clearLine):], clearLine, "the last progress line drawn is erased: %q", s)
}
