package refundkit

import "slices"

// Provider names a payment provider refundkit can ask about refunds.
type Provider string

// The providers refundkit supports.
const (
	NewPay   Provider = "newpay"   // NewPay (Laos), API v1
	PayerMax Provider = "payermax" // PayerMax
	ZaloPay  Provider = "zalopay"  // ZaloPay (Vietnam)
	AlphaPay Provider = "alphapay" // AlphaPay (Canada), Open API v2.0
)

// Providers lists every supported provider in a stable order.
func Providers() []Provider { return []Provider{NewPay, PayerMax, ZaloPay, AlphaPay, NewPay2} }

// Valid reports whether p is one of the supported providers.
func (p Provider) Valid() bool { return slices.Contains(Providers(), p) }

// String returns the provider's lower-case name, as used in configuration
// files and command-line flags.
func (p Provider) String() string { return string(p) }
