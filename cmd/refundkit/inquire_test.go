package main

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/simulator"
)

func TestInquireJSON(t *testing.T) {
	e := newEnv(t, nil)
	tests := []struct {
		name string
		args []string
		want string // the exact stdout
	}{
		{"newpay succeeded", []string{"--provider", "newpay", "--refund-id", "demo-newpay-succeeded"},
			`{"provider":"newpay","refund_id":"demo-newpay-succeeded","status":"succeeded","provider_status":"1","amount":{"value":"50000","currency":"LAK"},"verified":true}`},
		{"newpay example style", []string{"--provider", "newpay", "--refund-id", "demo-newpay-succeeded-example"},
			`{"provider":"newpay","refund_id":"demo-newpay-succeeded-example","status":"succeeded","provider_status":"true","amount":{"value":"50000","currency":"LAK"},"verified":true}`},
		{"newpay unknown", []string{"--provider", "newpay", "--refund-id", "demo-newpay-unknown"},
			`{"provider":"newpay","refund_id":"demo-newpay-unknown","status":"unknown","provider_status":"7","amount":{"value":"50000","currency":"LAK"},"verified":true}`},
		{"payermax pending exact amount", []string{"--provider", "payermax", "--refund-id", "demo-payermax-pending"},
			`{"provider":"payermax","refund_id":"demo-payermax-pending","status":"pending","provider_status":"REFUND_PENDING","amount":{"value":"12345678901234.5678","currency":"USD"},"verified":true}`},
		{"payermax by refundTradeNo only", []string{"--provider", "payermax", "--provider-refund-id", "20220117091657TI790000055003"},
			`{"provider":"payermax","refund_id":"","status":"failed","provider_status":"REFUND_FAILED","amount":{"value":"10000","currency":"IDR"},"verified":true}`},
		{"payermax provider name in capitals", []string{"--provider", "PayerMax", "--refund-id", "demo-payermax-unknown"},
			`{"provider":"payermax","refund_id":"demo-payermax-unknown","status":"unknown","provider_status":"REFUND_REVIEWING","amount":{"value":"10000","currency":"IDR"},"verified":true}`},
		{"zalopay pending, unsigned, no amount", []string{"--provider", "zalopay", "--refund-id", "230407_2554_demo_pending"},
			`{"provider":"zalopay","refund_id":"230407_2554_demo_pending","status":"pending","provider_status":"3","amount":null,"verified":false}`},
		{"zalopay failed", []string{"--provider", "zalopay", "--refund-id", "230407_2554_demo_failed"},
			`{"provider":"zalopay","refund_id":"230407_2554_demo_failed","status":"failed","provider_status":"2","amount":null,"verified":false}`},
		{"alphapay succeeded in minor units", []string{"--provider", "alphapay", "--refund-id", "demo-alphapay-succeeded"},
			`{"provider":"alphapay","refund_id":"demo-alphapay-succeeded","status":"succeeded","provider_status":"SUCCESS","amount":{"value":"1.00","currency":"CAD"},"verified":true}`},
		{"alphapay with the merchant's refundRequestId", []string{"--provider", "alphapay", "--refund-id", "demo-alphapay-succeeded", "--refund-request-id", "RR-1001"},
			`{"provider":"alphapay","refund_id":"demo-alphapay-succeeded","status":"succeeded","provider_status":"SUCCESS","amount":{"value":"1.00","currency":"CAD"},"verified":true}`},
		{"alphapay resultStatus U", []string{"--provider", "alphapay", "--refund-id", "demo-alphapay-pending-result-u"},
			`{"provider":"alphapay","refund_id":"demo-alphapay-pending-result-u","status":"pending","provider_status":"U","amount":{"value":"1.00","currency":"CAD"},"verified":true}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCmd(t, append([]string{"inquire", "--config", e.config, "--json"}, tt.args...)...)
			require.Equal(t, exitOK, r.code, r.stderr)
			assert.Equal(t, tt.want+"\n", r.stdout, "exactly one object, keys in order")
			assert.Empty(t, r.stderr)
		})
	}
}

func TestInquireErrorJSON(t *testing.T) {
	e := newEnv(t, nil)
	tests := []struct {
		provider, refundID string
		want               errorDetail
	}{
		{"newpay", "no-such-refund", errorDetail{Category: "not_found", ProviderCode: "Z00051", Message: "order information does not exist",
			Explanation: `refund not found: provider code "Z00051"`}},
		{"payermax", "no-such-refund", errorDetail{Category: "not_found", ProviderCode: "ORDER_NOT_EXIST", Message: "Refund order does not exist.",
			Explanation: `refund not found: provider code "ORDER_NOT_EXIST"`, Verified: true}},
		// ZaloPay answers an unknown m_refund_id with a request-level code
		// (see CONTEXT: -401 is invalid_request, never "failed").
		{"zalopay", "no-such-refund", errorDetail{Category: "invalid_request", ProviderCode: "-401", Message: "m_refund_id does not exist",
			Explanation: `invalid request: provider code "-401"`}},
		{"alphapay", "no-such-refund", errorDetail{Category: "not_found", ProviderCode: "REFUND_NOT_EXIST", Message: "refund does not exist",
			Explanation: `refund not found: provider code "REFUND_NOT_EXIST"`, Verified: true}},
	}
	for _, tt := range tests {
		tt.want.ProviderMessage, tt.want.HTTPStatus, tt.want.Attempts = tt.want.Message, 200, 1
		t.Run(tt.provider, func(t *testing.T) {
			r := runCmd(t, "inquire", "--config", e.config, "--json", "--provider", tt.provider, "--refund-id", tt.refundID)
			assert.Equal(t, exitFailure, r.code)
			assert.Empty(t, r.stderr)
			want, err := json.Marshal(errorJSON{Provider: tt.provider, RefundID: tt.refundID, Error: tt.want})
			require.NoError(t, err)
			assert.Equal(t, string(want)+"\n", r.stdout)
			// The shape, spelled out, so a change to errorJSON cannot pass
			// unnoticed.
			assert.True(t, strings.HasPrefix(r.stdout, `{"provider":"`+tt.provider+`","refund_id":"no-such-refund","error":{"category":"`), r.stdout)
			// The simulators sign PayerMax's and AlphaPay's "not found";
			// NewPay's code is outside its signature and ZaloPay signs
			// nothing, so those cannot be told from a forgery, and the
			// output says so.
			assert.True(t, strings.HasSuffix(r.stdout, `,"verified":`+strconv.FormatBool(tt.want.Verified)+"}}\n"), r.stdout)
		})
	}
}

func TestInquireText(t *testing.T) {
	e := newEnv(t, nil)

	t.Run("answer", func(t *testing.T) {
		r := runCmd(t, "inquire", "--config", e.config, "--provider", "payermax", "--refund-id", "demo-payermax-failed")
		require.Equal(t, exitOK, r.code, r.stderr)
		for _, want := range []string{
			`^provider\s+payermax$`, `^refund id\s+demo-payermax-failed$`, `^status\s+failed$`,
			`^provider status\s+REFUND_FAILED$`, `^amount\s+10000 IDR$`, `^verified\s+yes$`,
			`^provider message\s+Refund rejected by the issuing bank\.$`,
			`^provider refund id\s+20220117091657TI790000055003$`,
		} {
			assert.Regexp(t, regexp.MustCompile(`(?m)`+want), r.stdout)
		}
		assert.Empty(t, r.stderr)
	})

	t.Run("error is one line on stderr", func(t *testing.T) {
		r := runCmd(t, "inquire", "--config", e.config, "--provider", "alphapay", "--refund-id", "nope")
		assert.Equal(t, exitFailure, r.code)
		assert.Empty(t, r.stdout)
		assert.Equal(t, 1, strings.Count(r.stderr, "\n"), r.stderr)
		assert.True(t, strings.HasPrefix(r.stderr, "refundkit: alphapay inquire: not_found"), r.stderr)
		assert.NotContains(t, r.stderr, "goroutine", "no stack trace")
	})

	t.Run("verbose logs attempts, never key1", func(t *testing.T) {
		r := runCmd(t, "inquire", "--config", e.config, "-v", "--provider", "zalopay", "--refund-id", "230407_2554_demo_failed")
		require.Equal(t, exitOK, r.code, r.stderr)
		assert.Contains(t, r.stderr, "level=DEBUG")
		assert.Contains(t, r.stderr, "provider=zalopay")
		assert.NotContains(t, r.stderr, e.keys.Key1)
		assert.Regexp(t, `(?m)^status\s+failed$`, r.stdout)
	})

	t.Run("signature fault", func(t *testing.T) {
		e.sims[refundkit.NewPay].Faults().Next(1, simulator.FaultBadSignature)
		r := runCmd(t, "inquire", "--config", e.config, "--json", "--provider", "newpay", "--refund-id", "demo-newpay-succeeded")
		assert.Equal(t, exitFailure, r.code)
		var got errorJSON
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &got))
		assert.Equal(t, "signature", string(got.Error.Category))
	})
}

func TestInquireConfigLookup(t *testing.T) {
	e := newEnv(t, nil)
	args := []string{"inquire", "--json", "--provider", "zalopay", "--refund-id", "230407_2554_demo_succeeded"}
	const answer = `{"provider":"zalopay","refund_id":"230407_2554_demo_succeeded","status":"succeeded","provider_status":"1","amount":null,"verified":false}` + "\n"

	t.Run("environment variable", func(t *testing.T) {
		t.Setenv(configEnv, e.config)
		r := runCmd(t, args...)
		require.Equal(t, exitOK, r.code, r.stdout)
		assert.Equal(t, answer, r.stdout)
	})
	t.Run("flag wins over environment", func(t *testing.T) {
		t.Setenv(configEnv, e.dir+"/missing.yaml")
		r := runCmd(t, append(args, "--config", e.config)...)
		require.Equal(t, exitOK, r.code, r.stdout)
	})
	t.Run("working directory", func(t *testing.T) {
		t.Setenv(configEnv, "")
		t.Chdir(e.dir)
		r := runCmd(t, args...)
		require.Equal(t, exitOK, r.code, r.stdout)
		assert.Equal(t, answer, r.stdout)
	})
	t.Run("none anywhere", func(t *testing.T) {
		t.Setenv(configEnv, "")
		t.Chdir(t.TempDir())
		r := runCmd(t, args...)
		assert.Equal(t, exitFailure, r.code)
		var got errorJSON
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &got))
		assert.Equal(t, "invalid_request", string(got.Error.Category))
		assert.Contains(t, got.Error.Message, "no config file: pass --config FILE, set $REFUNDKIT_CONFIG, or create ./refundkit.yaml")
	})
	t.Run("none anywhere, for people", func(t *testing.T) {
		t.Setenv(configEnv, "")
		t.Chdir(t.TempDir())
		r := runCmd(t, "inquire", "--provider", "zalopay", "--refund-id", "x")
		assert.Equal(t, exitFailure, r.code)
		assert.Empty(t, r.stdout)
		assert.True(t, strings.HasPrefix(r.stderr, "refundkit: no config file"), r.stderr)
	})
}
