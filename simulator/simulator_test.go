package simulator_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/simulator"
)

// amount returns the amount text the answer carries.
func TestStatuses(t *testing.T) {
	for _, p := range spokenProviders {
		t.Run(string(p), func(t *testing.T) {
			e := newEnv(t, p)
			sp := speakerOf(p)
			require.NotEmpty(t, sp.statusCases)
			require.NoError(t, e.sim.Seed(sp.statusCases...))
			for _, r := range sp.statusCases {
				t.Run(r.RefundID, func(t *testing.T) {
					a := e.inquire(t, r.RefundID)
					require.Equal(t, http.StatusOK, a.status, "body: %s", a.body)
					assert.Equal(t, r.Status, a.rawStatus(p))
					assert.Equal(t, r.Amount, a.amount(p), "amount text must be exact")
					require.NoError(t, a.verify(p), "response signature")
					if !sp.noEcho {
						assert.Equal(t, r.RefundID, a.refundID(p))
					}
					sp.checkStatus(t, r, a)
				})
			}
			e.requireNoViolations(t)
		})
	}
}

func TestNotFound(t *testing.T) {
	for _, p := range spokenProviders {
		t.Run(string(p), func(t *testing.T) {
			e := newEnv(t, p)
			require.NoError(t, e.sim.Seed(simulator.Refund{RefundID: "known", Status: "1"}))
			a := e.inquire(t, "unknown-refund")
			require.Equal(t, http.StatusOK, a.status)
			require.NoError(t, a.verify(p), "error answers are signed too, where the provider signs")
			speakerOf(p).notFound(t, a)
			assert.EqualValues(t, 1, e.sim.Stats().NotFound)
			_, n, _ := e.sim.Refund("known")
			assert.Zero(t, n)
			e.requireNoViolations(t)
		})
	}
}

func TestPayerMaxLookupByRefundTradeNo(t *testing.T) {
	e := newEnv(t, refundkit.PayerMax)
	require.NoError(t, e.sim.Seed(simulator.Refund{RefundID: "R1", ProviderRefundID: "T1", Status: "REFUND_SUCCESS"}))
	tests := []struct {
		name, id, trade, code string
	}{
		{"trade only", "", "T1", "APPLY_SUCCESS"},
		{"both agree", "R1", "T1", "APPLY_SUCCESS"},
		{"both disagree", "R1", "T2", "ORDER_NOT_EXIST"},
		{"unknown trade", "", "T9", "ORDER_NOT_EXIST"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := e.do(t, e.request(t, tt.id, reqOpts{byTrade: tt.trade}))
			assert.Equal(t, tt.code, a.code(refundkit.PayerMax))
		})
	}
	e.requireNoViolations(t)
}

func TestAlphaPayRefundRequestIDMustMatch(t *testing.T) {
	e := newEnv(t, refundkit.AlphaPay)
	require.NoError(t, e.sim.Seed(simulator.Refund{RefundID: "A1", RefundRequestID: "RR-1", Status: "SUCCESS"}))
	for _, tt := range []struct{ requestID, code string }{{"RR-1", "SUCCESS"}, {"RR-2", "REFUND_NOT_EXIST"}} {
		t.Run(tt.requestID, func(t *testing.T) {
			a := e.do(t, e.request(t, "A1", reqOpts{body: func(m map[string]any) { m["refundRequestId"] = tt.requestID }}))
			assert.Equal(t, tt.code, a.code(refundkit.AlphaPay))
			require.NoError(t, a.verify(refundkit.AlphaPay))
		})
	}
	e.requireNoViolations(t)
}

func TestZaloPayFormRequest(t *testing.T) {
	e := newEnv(t, refundkit.ZaloPay)
	require.NoError(t, e.sim.Seed(simulator.Refund{RefundID: "230407_2554_form", Status: "1"}))
	a := e.do(t, e.request(t, "230407_2554_form", reqOpts{form: true}))
	assert.Equal(t, "1", a.code(refundkit.ZaloPay))
	a = e.do(t, e.request(t, "230407_2554_form", reqOpts{form: true, raw: func(b []byte) []byte {
		return []byte(strings.Replace(string(b), "mac=", "mac=0", 1))
	}}))
	assert.Equal(t, "-403", a.code(refundkit.ZaloPay))
	e.requireNoViolations(t)
}

// errorCase is a refund seeded with a provider error, and the business code
// the provider's answer about it must carry.
type errorCase struct {
	r    simulator.Refund
	code string
}

// TestSeededErrorCodes: a refund seeded with an error code is answered with
// that error, signed where the provider signs, by every provider's
// simulator; a provider without error cases fails the test.
func TestSeededErrorCodes(t *testing.T) {
	for _, p := range spokenProviders {
		sp := speakerOf(p)
		require.NotEmpty(t, sp.errorCases, "no seeded error cases for %s: add them to its speaker", p)
		for _, tt := range sp.errorCases {
			t.Run(string(p)+"/"+tt.code, func(t *testing.T) {
				e := newEnv(t, p)
				tt.r.RefundID = "err-1"
				require.NoError(t, e.sim.Seed(tt.r))
				a := e.inquire(t, "err-1")
				assert.Equal(t, tt.code, a.code(p))
				require.NoError(t, a.verify(p))
				sp.checkError(t, tt.r, a)
				e.requireNoViolations(t)
			})
		}
	}
}

func TestTransitions(t *testing.T) {
	for _, p := range spokenProviders {
		t.Run(string(p), func(t *testing.T) {
			e := newEnv(t, p)
			st := speakerOf(p).transition
			require.NoError(t, e.sim.Seed(simulator.Refund{
				RefundID: "t-1", Status: st[0],
				Transitions: []simulator.Transition{{After: 2, Status: st[1], Message: "done"}},
			}))
			var seen []string
			for range 4 {
				seen = append(seen, e.inquire(t, "t-1").rawStatus(p))
			}
			assert.Equal(t, []string{st[0], st[0], st[1], st[1]}, seen)
			r, n, ok := e.sim.Refund("t-1")
			require.True(t, ok)
			assert.Equal(t, 4, n)
			assert.Equal(t, st[1], r.Status)
			assert.Equal(t, "done", r.Message)
			e.requireNoViolations(t)
		})
	}
}

func TestTransitionChain(t *testing.T) {
	e := newEnv(t, refundkit.AlphaPay)
	require.NoError(t, e.sim.Seed(simulator.Refund{
		RefundID: "chain", SubStatus: "U",
		Transitions: []simulator.Transition{
			{After: 1, SubStatus: "S", Status: "REFUND_IN_PROCESS"},
			{After: 1, Status: "SUCCESS"},
		},
	}))
	var seen []string
	for range 3 {
		a := e.inquire(t, "chain")
		seen = append(seen, a.get("result", "resultStatus")+"/"+a.rawStatus(refundkit.AlphaPay))
	}
	assert.Equal(t, []string{"U/", "S/REFUND_IN_PROCESS", "S/SUCCESS"}, seen)
}

func TestSeedRejects(t *testing.T) {
	tests := []struct {
		name string
		p    refundkit.Provider
		r    []simulator.Refund
		err  error
	}{
		{"empty id", refundkit.PayerMax, []simulator.Refund{{Status: "REFUND_SUCCESS"}}, simulator.ErrInvalidRefund},
		{"duplicate in one call", refundkit.PayerMax, []simulator.Refund{{RefundID: "a"}, {RefundID: "a"}}, simulator.ErrDuplicateRefund},
		{"newpay text status", refundkit.NewPay, []simulator.Refund{{RefundID: "a", Status: "PROCESSING"}}, simulator.ErrInvalidRefund},
		{"newpay text status in a transition", refundkit.NewPay, []simulator.Refund{{RefundID: "a", Status: "1",
			Transitions: []simulator.Transition{{After: 1, Status: "DONE"}}}}, simulator.ErrInvalidRefund},
		{"payermax amount not a number", refundkit.PayerMax, []simulator.Refund{{RefundID: "a", Amount: "1,00"}}, simulator.ErrInvalidRefund},
		{"zalopay text code", refundkit.ZaloPay, []simulator.Refund{{RefundID: "a", Status: "OK"}}, simulator.ErrInvalidRefund},
		{"zalopay text sub-code", refundkit.ZaloPay, []simulator.Refund{{RefundID: "a", Status: "1", SubStatus: "x"}}, simulator.ErrInvalidRefund},
		{"negative after", refundkit.AlphaPay, []simulator.Refund{{RefundID: "a", Transitions: []simulator.Transition{{After: -1}}}}, simulator.ErrInvalidRefund},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, tt.p)
			require.ErrorIs(t, e.sim.Seed(tt.r...), tt.err)
			_, _, ok := e.sim.Refund("a")
			assert.False(t, ok, "a failed Seed adds nothing")
		})
	}
	t.Run("duplicate across calls", func(t *testing.T) {
		e := newEnv(t, refundkit.ZaloPay)
		require.NoError(t, e.sim.Seed(simulator.Refund{RefundID: "a", Status: "1"}))
		require.ErrorIs(t, e.sim.Seed(simulator.Refund{RefundID: "a", Status: "1"}), simulator.ErrDuplicateRefund)
		require.True(t, e.sim.Remove("a"))
		require.False(t, e.sim.Remove("a"))
		require.NoError(t, e.sim.Seed(simulator.Refund{RefundID: "a", Status: "2"}))
	})
}

func TestPathAndMethod(t *testing.T) {
	e := newEnv(t, refundkit.PayerMax)
	resp, err := http.Get(e.srv.URL + e.sim.Path())
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
	assert.Equal(t, http.MethodPost, resp.Header.Get("Allow"))
	resp, err = http.Post(e.srv.URL+"/elsewhere", "application/json", strings.NewReader("{}"))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
}

func TestDemoRefunds(t *testing.T) {
	for _, p := range spokenProviders {
		t.Run(string(p), func(t *testing.T) {
			e := newEnv(t, p)
			refunds := simulator.DemoRefunds(p)
			require.GreaterOrEqual(t, len(refunds), 4)
			require.NoError(t, e.sim.Seed(refunds...))
			for _, r := range refunds {
				a := e.inquire(t, r.RefundID)
				require.Equal(t, http.StatusOK, a.status)
				assert.Equal(t, r.Status, a.rawStatus(p), r.RefundID)
				require.NoError(t, a.verify(p))
			}
			e.requireNoViolations(t)
		})
	}
	assert.Nil(t, simulator.DemoRefunds("nobody"))
}

func TestNewRejectsIncompleteConfig(t *testing.T) {
	k := testKeys()
	tests := []struct {
		name string
		p    refundkit.Provider
		cfg  simulator.Config
	}{
		{"newpay ids", refundkit.NewPay, simulator.Config{refundkit.NewPay: simulator.NewPayConfig{MerchantKey: k.Merchant.Public, PlatformKey: k.Platform.Private}}},
		{"newpay keys", refundkit.NewPay, simulator.Config{refundkit.NewPay: simulator.NewPayConfig{AppID: "a", MerchantID: "m"}}},
		{"payermax app", refundkit.PayerMax, simulator.Config{refundkit.PayerMax: simulator.PayerMaxConfig{MerchantKey: k.Merchant.Public, PlatformKey: k.Platform.Private}}},
		{"payermax keys", refundkit.PayerMax, simulator.Config{refundkit.PayerMax: simulator.PayerMaxConfig{AppID: "a"}}},
		{"zalopay key1", refundkit.ZaloPay, simulator.Config{refundkit.ZaloPay: simulator.ZaloPayConfig{AppID: 1}}},
		{"alphapay merchant", refundkit.AlphaPay, simulator.Config{refundkit.AlphaPay: simulator.AlphaPayConfig{MerchantKey: k.Merchant.Public, PlatformKey: k.Platform.Private}}},
		{"alphapay keys", refundkit.AlphaPay, simulator.Config{refundkit.AlphaPay: simulator.AlphaPayConfig{MerchantCode: "M"}}},
		{"unknown provider", "acme", simulator.DemoConfig(k, nil)},
		{"nil pointer", refundkit.ZaloPay, simulator.Config{refundkit.ZaloPay: (*simulator.ZaloPayConfig)(nil)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := simulator.New(tt.cfg[tt.p])
			require.Error(t, err)
			assert.Nil(t, s)
			assert.True(t, strings.HasPrefix(err.Error(), "simulator: "), err.Error())
		})
	}
}
