package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/simulator"
)

func TestReadSeedFile(t *testing.T) {
	tests := []struct {
		name, content string
		want          []simulator.Refund
		wantErr       string
	}{
		{name: "empty file", content: "", want: nil},
		{name: "empty list", content: "[]", want: []simulator.Refund{}},
		{name: "yaml with transitions", content: `
- refund_id: R1
  status: REFUND_PENDING
  amount: 12345678901234.5678
  currency: USD
  transitions:
    - {after: 2, status: REFUND_SUCCESS, refund_time: "2024-01-02T03:04:05.000+00:00"}
- refund_id: R2
  status: ~
`, want: []simulator.Refund{
			{RefundID: "R1", Status: "REFUND_PENDING", Amount: "12345678901234.5678", Currency: "USD",
				Transitions: []simulator.Transition{{After: 2, Status: "REFUND_SUCCESS", RefundTime: "2024-01-02T03:04:05.000+00:00"}}},
			{RefundID: "R2"},
		}},
		{name: "json, every field", content: `[{"refund_id":"A","provider_refund_id":"B","refund_request_id":"C","order_id":"D",
			"provider_order_id":"E","transaction_id":"F","status":"G","sub_status":"H","code":"I","message":"J",
			"sub_message":"K","amount":100,"currency":"CAD","refund_time":"L","description":"M"}]`,
			want: []simulator.Refund{{RefundID: "A", ProviderRefundID: "B", RefundRequestID: "C", OrderID: "D", ProviderOrderID: "E",
				TransactionID: "F", Status: "G", SubStatus: "H", Code: "I", Message: "J", SubMessage: "K", Amount: "100",
				Currency: "CAD", RefundTime: "L", Description: "M"}}},
		{name: "aliases", content: "- {refund_id: A, currency: &cur CAD}\n- {refund_id: B, currency: *cur}\n",
			want: []simulator.Refund{{RefundID: "A", Currency: "CAD"}, {RefundID: "B", Currency: "CAD"}}},
		{name: "unknown alias", content: "- {refund_id: B, currency: *x}\n", wantErr: "not valid YAML or JSON"},
		{name: "neither list nor mapping", content: "A\n", wantErr: "line 1: want a mapping from provider to a list of refunds"},
		{name: "a refund for a list", content: "refund_id: A\n", wantErr: `line 1: unknown provider "refund_id"`},
		{name: "the provider's section", content: "payermax: [{refund_id: A}]\nnewpay: [{refund_id: B}]\n",
			want: []simulator.Refund{{RefundID: "A"}}},
		{name: "section not a list", content: "payermax: {refund_id: A}\n", wantErr: "payermax: line 1: want a list"},
		{name: "unknown key", content: "- refund_id: A\n  amout: 5\n", wantErr: `line 2: unknown key "amout" (want refund_id, provider_refund_id,`},
		{name: "repeated key", content: "- {refund_id: A, refund_id: B}\n", wantErr: `line 1: "refund_id" is already set on line 1`},
		{name: "after not a number", content: "- refund_id: A\n  transitions: [{after: soon}]\n", wantErr: `line 2: "soon" is not a whole number`},
		{name: "status a list", content: "- refund_id: A\n  status: [1, 2]\n", wantErr: "line 2: want a single value"},
		{name: "transitions not a list", content: "- refund_id: A\n  transitions: {after: 1}\n", wantErr: "line 2: want a list"},
		{name: "refund not a mapping", content: "- A\n", wantErr: "line 1: want a mapping of keys"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), "seed.yaml", tt.content)
			got, err := readSeedFile(path, []refundkit.Provider{refundkit.PayerMax})
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				assert.Contains(t, err.Error(), path)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got[refundkit.PayerMax])
		})
	}
}

// Simulating several providers, the seed file is a mapping from provider to
// list; a provider left out gets no refunds.
func TestReadSeedFileEveryProvider(t *testing.T) {
	all := refundkit.Providers()
	tests := []struct {
		name, content string
		want          map[refundkit.Provider][]simulator.Refund
		wantErr       string
	}{
		{name: "sections", content: `
newpay: [{refund_id: N1, status: 1}]
zalopay:
  - {refund_id: Z1, status: 3}
  - {refund_id: Z2, status: 1}
alphapay: []
`, want: map[refundkit.Provider][]simulator.Refund{
			refundkit.NewPay:   {{RefundID: "N1", Status: "1"}},
			refundkit.ZaloPay:  {{RefundID: "Z1", Status: "3"}, {RefundID: "Z2", Status: "1"}},
			refundkit.AlphaPay: {},
		}},
		{name: "provider names in any case", content: "PayerMax: [{refund_id: P1}]\n",
			want: map[refundkit.Provider][]simulator.Refund{refundkit.PayerMax: {{RefundID: "P1"}}}},
		{name: "a list", content: "- {refund_id: A}\n",
			wantErr: "line 1: a list of refunds is for one --provider; for " + providerNames(refundkit.Providers(), "and") + ", write a mapping"},
		{name: "unknown provider", content: "paypal: []\n", wantErr: `line 1: unknown provider "paypal"`},
		{name: "repeated provider", content: "zalopay: []\nzalopay: []\n", wantErr: `line 2: "zalopay" is already set on line 1`},
		{name: "bad refund", content: "newpay:\n  - {refund_id: A, colour: red}\n", wantErr: `newpay: line 2: unknown key "colour"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), "seed.yaml", tt.content)
			got, err := readSeedFile(path, all)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}
