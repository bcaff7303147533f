package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/refundkit/refundkit/providers"
)

// TestHelpNamesEveryProvidersIDs: the help of every command that takes a
// refund's ids names each registered provider's own name for each id it
// takes, and the overview names every provider, so that the help of a
// provider added to the registry (NewPay v2's mchRefundNo and
// newpayRefundNo were missing) cannot fall behind.
func TestHelpNamesEveryProvidersIDs(t *testing.T) {
	help := func(args ...string) string {
		r := runCmd(t, append(args, "-h")...)
		return strings.Join(strings.Fields(r.stdout), " ") // unwrapped
	}
	overview := strings.Join(strings.Fields(runCmd(t, "help").stdout), " ")
	idHelp := map[string]string{
		"inquire":    help("inquire"),
		"contract":   help("contract"),
		"reconcile":  help("reconcile"),
		"track show": help("track", "show"),
	}
	for _, d := range providers.All() {
		assert.Contains(t, overview, d.Title, "the overview names every provider")
		assert.Contains(t, idHelp["inquire"], d.Title+" "+d.Query.RefundID.Name, "inquire's --refund-id")
		for cmd, text := range idHelp {
			if f := d.Query.ProviderRefundID; f != nil {
				assert.Contains(t, text, d.Title+"'s "+f.Name, "%s: provider_refund_id", cmd)
			}
			if f := d.Query.RefundRequestID; f != nil && cmd != "track show" {
				assert.Contains(t, text, d.Title+"'s "+f.Name, "%s: refund_request_id", cmd)
			}
		}
	}
	for cmd, text := range idHelp {
		assert.NotContains(t, text, " only:", "%s: a flag said to be one provider's", cmd)
	}
	listen := help("listen")
	for _, d := range providers.All() {
		assert.Contains(t, listen, d.Title, "listen's help says whether each provider pushes")
	}
}
