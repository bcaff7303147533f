package inquirytest_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/bulk"
	"github.com/refundkit/refundkit/inquiry"
	"github.com/refundkit/refundkit/inquiry/inquirytest"
	"github.com/refundkit/refundkit/providers"
	"github.com/refundkit/refundkit/simulator"
)

var testKeys = sync.OnceValues(simulator.GenerateKeys)

func keys(t *testing.T) *simulator.Keys {
	t.Helper()
	k, err := testKeys()
	require.NoError(t, err)
	return k
}

// demoStatus is the status a demo refund's id names.
func demoStatus(t *testing.T, refundID string) refundkit.Status {
	t.Helper()
	for _, s := range []refundkit.Status{refundkit.StatusSucceeded, refundkit.StatusPending, refundkit.StatusFailed, refundkit.StatusUnknown} {
		if strings.Contains(refundID, string(s)) {
			return s
		}
	}
	t.Fatalf("demo refund id %q names no status", refundID)
	return ""
}

// The zero Options: all four providers, their demo refunds, every one
// answered by its client with the status it is seeded to show.
func TestStartEveryProvider(t *testing.T) {
	env, err := inquirytest.Start(inquirytest.Options{Keys: keys(t)})
	require.NoError(t, err)
	defer env.Close()
	assert.Equal(t, refundkit.Providers(), env.Providers())
	assert.Same(t, keys(t), env.Keys)
	for i, p := range env.Providers() {
		client := env.Client(p)
		require.NotNil(t, client, p)
		assert.Equal(t, p, client.Provider())
		assert.Same(t, client, env.Clients()[i], "Clients is in provider order")
		assert.True(t, strings.HasPrefix(env.URL(p), "http://127.0.0.1:"), env.URL(p))
		require.NotNil(t, env.Simulator(p))
		assert.Equal(t, p, env.Simulator(p).Provider())
		for _, ref := range simulator.DemoRefunds(p) {
			res, err := client.Inquire(context.Background(), refundkit.Query{RefundID: ref.RefundID})
			require.NoError(t, err, ref.RefundID)
			assert.Equal(t, demoStatus(t, ref.RefundID), res.Status, ref.RefundID)
			d, err := providers.Lookup(p)
			require.NoError(t, err)
			assert.Equal(t, d.Signed, res.Verified, "%s: verified exactly where the descriptor says Signed", ref.RefundID)
		}
		assert.Equal(t, int64(len(simulator.DemoRefunds(p))), env.Simulator(p).Stats().Requests)
	}
	runner, err := bulk.New(env.Clients())
	require.NoError(t, err, "Clients suits NewBulk")
	assert.NotNil(t, runner)
}

// A subset of providers, with exactly the refunds given: one left out of
// Refunds starts empty; providers not started have no client.
func TestStartSomeProviders(t *testing.T) {
	env, err := inquirytest.Start(inquirytest.Options{
		Keys:      keys(t),
		Providers: []refundkit.Provider{refundkit.AlphaPay, refundkit.ZaloPay},
		Refunds: map[refundkit.Provider][]simulator.Refund{
			refundkit.AlphaPay: {{RefundID: "A1", RefundRequestID: "RR1", Status: "REFUND_IN_PROCESS", Amount: "250", Currency: "CAD"}},
		},
		ClientOptions: []inquiry.Option{inquiry.WithRetry(inquiry.NoRetry())},
	})
	require.NoError(t, err)
	defer env.Close()
	assert.Equal(t, []refundkit.Provider{refundkit.AlphaPay, refundkit.ZaloPay}, env.Providers())
	assert.Len(t, env.Clients(), 2)
	assert.Nil(t, env.Client(refundkit.NewPay))
	assert.Nil(t, env.Simulator(refundkit.NewPay))
	assert.Empty(t, env.URL(refundkit.NewPay))

	res, err := env.Client(refundkit.AlphaPay).Inquire(context.Background(), refundkit.Query{RefundID: "A1"})
	require.NoError(t, err)
	assert.Equal(t, refundkit.StatusPending, res.Status)
	assert.Equal(t, "2.50 CAD", res.Amount.String())

	_, err = env.Client(refundkit.ZaloPay).Inquire(context.Background(), refundkit.Query{RefundID: "230407_2554_demo_succeeded"})
	require.Error(t, err, "ZaloPay got no refunds, not the demo ones")
	assert.NotEqual(t, refundkit.CategoryTemporary, refundkit.CategoryOf(err))

	// Refunds seeded later are answered too.
	require.NoError(t, env.Simulator(refundkit.ZaloPay).Seed(simulator.Refund{RefundID: "230407_2554_9", Status: "1"}))
	res, err = env.Client(refundkit.ZaloPay).Inquire(context.Background(), refundkit.Query{RefundID: "230407_2554_9"})
	require.NoError(t, err)
	assert.Equal(t, refundkit.StatusSucceeded, res.Status)
}

func TestStartErrors(t *testing.T) {
	tests := []struct {
		name string
		opts inquirytest.Options
		want string
	}{
		{"unknown provider", inquirytest.Options{Providers: []refundkit.Provider{"paypal"}}, `unknown provider "paypal"`},
		{"provider twice", inquirytest.Options{Providers: []refundkit.Provider{refundkit.NewPay, refundkit.NewPay}}, "newpay: listed twice"},
		{"refund the provider cannot express", inquirytest.Options{Providers: []refundkit.Provider{refundkit.NewPay},
			Refunds: map[refundkit.Provider][]simulator.Refund{refundkit.NewPay: {{RefundID: "N1", Status: "maybe"}}}}, "invalid refund"},
		{"client option the client refuses", inquirytest.Options{Providers: []refundkit.Provider{refundkit.PayerMax},
			ClientOptions: []inquiry.Option{inquiry.WithBaseURL("ftp://127.0.0.1/")}}, "not an absolute http(s) URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Keys = keys(t)
			env, err := inquirytest.Start(tt.opts)
			require.Error(t, err)
			assert.Nil(t, env)
			assert.Contains(t, err.Error(), tt.want)
			assert.True(t, strings.HasPrefix(err.Error(), "inquirytest: "), err.Error())
		})
	}
}

// Close stops the servers: the URLs no longer answer.
func TestClose(t *testing.T) {
	env, err := inquirytest.Start(inquirytest.Options{Keys: keys(t), Providers: []refundkit.Provider{refundkit.PayerMax}})
	require.NoError(t, err)
	url := env.URL(refundkit.PayerMax)
	env.Close()
	_, err = http.Post(url+"/aggregate-pay/api/gateway/refundQuery", "application/json", strings.NewReader("{}"))
	assert.Error(t, err)
}
