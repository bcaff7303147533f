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
func (a answer) amount(p refundkit.Provider) string {
	switch p {
	case refundkit.NewPay:
		return a.get("data", "refundOrderAmt")
	case refundkit.PayerMax:
		return a.get("data", "refundAmount")
	case refundkit.AlphaPay:
		return a.get("refund", "refundAmount", "value")
	}
	return ""
}

func TestStatuses(t *testing.T) {
	cases := map[refundkit.Provider][]simulator.Refund{
		refundkit.NewPay: {
			{RefundID: "np-1", Status: "1", Amount: "50000", Currency: "LAK", ProviderRefundID: "202209078000000702"},
			{RefundID: "np-0", Status: "0", Amount: "50000", Currency: "LAK", Message: "rejected"},
			{RefundID: "np-true", Status: "true", Amount: "12.50", Currency: "USD"},
			{RefundID: "np-false", Status: "false", Amount: "1", Currency: "USD"},
			{RefundID: "np-unknown", Status: "7", Amount: "1", Currency: "LAK"},
		},
		refundkit.PayerMax: {
			{RefundID: "pm-ok", ProviderRefundID: "T1", Status: "REFUND_SUCCESS", Amount: "10000", Currency: "IDR"},
			{RefundID: "pm-pending", Status: "REFUND_PENDING", Amount: "12345678901234.5678", Currency: "USD"},
			{RefundID: "pm-tab", Status: "REFUND_PENDING\t", Amount: "0.10", Currency: "USD"},
			{RefundID: "pm-failed", Status: "REFUND_FAILED", Amount: "10000", Currency: "IDR", Message: "bank said no", RefundTime: "2022-01-17T09:20:11.123+00:00"},
			{RefundID: "pm-unknown", Status: "REFUND_REVIEWING", Amount: "1e2", Currency: "IDR"},
		},
		refundkit.ZaloPay: {
			{RefundID: "230407_2554_1", Status: "1", SubStatus: "1"},
			{RefundID: "230407_2554_101", Status: "1", SubStatus: "-101", SubMessage: "3-5 working days"},
			{RefundID: "230407_2554_2", Status: "2", SubStatus: "-3"},
			{RefundID: "230407_2554_3", Status: "3"},
			{RefundID: "230407_2554_9", Status: "4"},
		},
		refundkit.AlphaPay: {
			{RefundID: "ap-ok", RefundRequestID: "RR-1", Status: "SUCCESS", Amount: "100", Currency: "CAD"},
			{RefundID: "ap-process", Status: "REFUND_IN_PROCESS", Amount: "12345", Currency: "USD"},
			{RefundID: "ap-failed", Status: "FAILED", Amount: "1", Currency: "CAD"},
			{RefundID: "ap-u", SubStatus: "U", Amount: "5", Currency: "JPY"},
			{RefundID: "ap-unknown", Status: "REFUND_REVERSED", Amount: "100", Currency: "CAD"},
		},
	}
	for _, p := range spokenProviders {
		t.Run(string(p), func(t *testing.T) {
			e := newEnv(t, p)
			require.NoError(t, e.sim.Seed(cases[p]...))
			for _, r := range cases[p] {
				t.Run(r.RefundID, func(t *testing.T) {
					a := e.inquire(t, r.RefundID)
					require.Equal(t, http.StatusOK, a.status, "body: %s", a.body)
					assert.Equal(t, r.Status, a.rawStatus(p))
					assert.Equal(t, r.Amount, a.amount(p), "amount text must be exact")
					require.NoError(t, a.verify(p), "response signature")
					if p != refundkit.ZaloPay {
						assert.Equal(t, r.RefundID, a.refundID(p))
					}
					switch p {
					case refundkit.NewPay:
						assert.Equal(t, "0", a.code(p))
						assert.Equal(t, "true", a.get("success"))
						assert.Equal(t, r.Currency, a.get("data", "currency"))
						assert.Equal(t, r.ProviderRefundID, a.get("data", "newpayRefundOrderNo"))
						assert.True(t, a.has("data", "tranAbbr"), "tranAbbr is null, as in NewPay's example")
						// The example style carries a string timestamp, the table style a number.
						isExample := r.Status == "true" || r.Status == "false"
						assert.Equal(t, isExample, strings.Contains(string(a.body), `"timestamp":"`))
						assert.Equal(t, !isExample, a.has("data", "tranInfo"))
					case refundkit.PayerMax:
						assert.Equal(t, "APPLY_SUCCESS", a.code(p))
						assert.Contains(t, string(a.body), `"refundAmount":`+r.Amount+`,`, "a JSON number with the exact digits")
						assert.Equal(t, r.Message, a.get("data", "resultMsg"))
						assert.Equal(t, r.RefundTime, a.get("data", "refundFinishTime"))
					case refundkit.ZaloPay:
						assert.Equal(t, or(r.SubStatus, r.Status), a.get("sub_return_code"))
						assert.Equal(t, r.SubMessage, a.get("sub_return_message"))
						assert.Empty(t, a.header.Get("sign"))
					case refundkit.AlphaPay:
						assert.Equal(t, or(r.SubStatus, "S"), a.get("result", "resultStatus"))
						assert.Equal(t, r.Currency, a.get("refund", "refundAmount", "currency"))
						assert.Equal(t, r.RefundRequestID, a.get("refundRequestId"))
					}
				})
			}
			e.requireNoViolations(t)
		})
	}
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func TestNotFound(t *testing.T) {
	tests := []struct {
		p       refundkit.Provider
		code    string
		subCode string
	}{
		{refundkit.NewPay, "Z00051", ""},
		{refundkit.PayerMax, "ORDER_NOT_EXIST", ""},
		{refundkit.ZaloPay, "2", "-401"},
		{refundkit.AlphaPay, "REFUND_NOT_EXIST", ""},
	}
	for _, tt := range tests {
		t.Run(string(tt.p), func(t *testing.T) {
			e := newEnv(t, tt.p)
			require.NoError(t, e.sim.Seed(simulator.Refund{RefundID: "known", Status: "1"}))
			a := e.inquire(t, "unknown-refund")
			require.Equal(t, http.StatusOK, a.status)
			assert.Equal(t, tt.code, a.code(tt.p))
			require.NoError(t, a.verify(tt.p), "error answers are signed too, where the provider signs")
			switch tt.p {
			case refundkit.NewPay:
				assert.Equal(t, "false", a.get("success"))
				assert.False(t, a.has("data"))
			case refundkit.ZaloPay:
				assert.Equal(t, tt.subCode, a.get("sub_return_code"))
			case refundkit.AlphaPay:
				assert.Equal(t, "F", a.get("result", "resultStatus"))
			}
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

func TestSeededErrorCodes(t *testing.T) {
	tests := []struct {
		p    refundkit.Provider
		r    simulator.Refund
		code string
	}{
		{refundkit.NewPay, simulator.Refund{Code: "E9999", Message: "unknown error"}, "E9999"},
		{refundkit.NewPay, simulator.Refund{Code: "Z00046"}, "Z00046"},
		{refundkit.PayerMax, simulator.Refund{Code: "SYSTEM_ERROR"}, "SYSTEM_ERROR"},
		{refundkit.PayerMax, simulator.Refund{Code: "TOO_MANY_REQUEST"}, "TOO_MANY_REQUEST"},
		{refundkit.ZaloPay, simulator.Refund{Status: "-429"}, "-429"},
		{refundkit.ZaloPay, simulator.Refund{Status: "2", SubStatus: "-32"}, "2"},
		{refundkit.AlphaPay, simulator.Refund{SubStatus: "F", Code: "REQUEST_TRAFFIC_EXCEED_LIMIT"}, "REQUEST_TRAFFIC_EXCEED_LIMIT"},
		{refundkit.AlphaPay, simulator.Refund{SubStatus: "F"}, "PROCESS_FAIL"},
		{refundkit.AlphaPay, simulator.Refund{SubStatus: "U", Status: "REFUND_IN_PROCESS"}, "UNKNOWN_EXCEPTION"},
	}
	for _, tt := range tests {
		t.Run(string(tt.p)+"/"+tt.code, func(t *testing.T) {
			e := newEnv(t, tt.p)
			tt.r.RefundID = "err-1"
			require.NoError(t, e.sim.Seed(tt.r))
			a := e.inquire(t, "err-1")
			assert.Equal(t, tt.code, a.code(tt.p))
			require.NoError(t, a.verify(tt.p))
			switch tt.p {
			case refundkit.NewPay:
				assert.Equal(t, "false", a.get("success"))
			case refundkit.PayerMax:
				assert.False(t, a.has("data"))
			case refundkit.ZaloPay:
				assert.Equal(t, or(tt.r.SubStatus, tt.r.Status), a.get("sub_return_code"))
			case refundkit.AlphaPay:
				assert.Equal(t, tt.r.SubStatus, a.get("result", "resultStatus"))
			}
			e.requireNoViolations(t)
		})
	}
}

func TestTransitions(t *testing.T) {
	final := map[refundkit.Provider][2]string{ // pending, then succeeded / failed
		refundkit.NewPay:   {"5", "1"},
		refundkit.PayerMax: {"REFUND_PENDING", "REFUND_SUCCESS"},
		refundkit.ZaloPay:  {"3", "2"},
		refundkit.AlphaPay: {"REFUND_IN_PROCESS", "FAILED"},
	}
	for _, p := range spokenProviders {
		t.Run(string(p), func(t *testing.T) {
			e := newEnv(t, p)
			st := final[p]
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
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := simulator.New(tt.p, tt.cfg)
			require.Error(t, err)
			assert.Nil(t, s)
			assert.True(t, strings.HasPrefix(err.Error(), "simulator: "), err.Error())
		})
	}
}
