package simulator_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/simulator"
)

// speaker is how the helpers here speak one provider: how a client builds
// and signs its inquiry, and where its answers keep the code, status, refund
// id and amount. Each provider's test file registers its own from init
// (speak_<provider>_test.go; NewPay v2: newpay2_test.go), so that the tests
// loop over the registry and switch on no provider names.
type speaker struct {
	// body returns a well-formed inquiry body about id sent at at, and sets
	// any headers the provider wants on header.
	body func(e *env, id string, at time.Time, o reqOpts, header http.Header) map[string]any
	// encode encodes body and, unless o.unsigned, signs it with keys the
	// provider's way, setting any signature headers on header.
	encode func(t testing.TB, e *env, body map[string]any, header http.Header, keys *simulator.Keys, at time.Time, o reqOpts) []byte
	// code, rawStatus, refundID and amount read the business code, the raw
	// refund status, the echoed refund id ("" if none) and the amount text.
	code, rawStatus, refundID, amount func(a answer) string
	// verify checks the answer's signature with the platform public key
	// (nil where the provider does not sign).
	verify func(a answer) error
	// succeeded is a success status in the provider's terms, and
	// transition a status before and after a transition.
	succeeded  string
	transition [2]string
	// unsigned: the provider's answers carry no signature. noEcho: they do
	// not echo the refund id. noAmount: its refunds carry no amount.
	unsigned, noEcho, noAmount bool
	// signatureInSpec: the spec requires the answer's signature, so an
	// answer without one violates it.
	signatureInSpec bool
	// requestCases are the requests TestRequests sends.
	requestCases []requestCase
	// statusCases are the refunds TestStatuses seeds and asks about, and
	// checkStatus checks what the provider's answer about r carries beyond
	// the status, amount and refund id.
	statusCases []simulator.Refund
	checkStatus func(t *testing.T, r simulator.Refund, a answer)
	// notFound checks the provider's answer about a refund it does not
	// hold.
	notFound func(t *testing.T, a answer)
	// errorCases are the refunds TestSeededErrorCodes seeds with an error,
	// and checkError checks what the provider's answer about r carries
	// beyond the code.
	errorCases []errorCase
	checkError func(t *testing.T, r simulator.Refund, a answer)
	// push is how the provider pushes refund notifications; nil for one
	// that pushes none.
	push *pushSpeaker
}

// speakers holds each provider's speaker; see speak.
var speakers = map[refundkit.Provider]speaker{}

// speak registers provider p's speaker; each provider's test file calls it
// once, from init.
func speak(p refundkit.Provider, s speaker) { speakers[p] = s }

// spokenProviders are the providers the simulator tests that loop over
// providers loop over: every registered one. TestEveryProviderSpoken checks
// that each has a speaker.
var spokenProviders = refundkit.Providers()

// speakerOf returns provider p's speaker; it panics for a provider without
// one, which TestEveryProviderSpoken reports by name.
func speakerOf(p refundkit.Provider) speaker {
	s, ok := speakers[p]
	if !ok {
		panic("simulator tests: no speaker for provider " + string(p))
	}
	return s
}

// TestEveryProviderSpoken: every provider of the registry has a speaker
// here, demo settings and demo refunds, so the loops over spokenProviders
// cover it.
func TestEveryProviderSpoken(t *testing.T) {
	cfg := simulator.DemoConfig(testKeys(), fixedClock)
	for _, p := range refundkit.Providers() {
		_, ok := speakers[p]
		assert.True(t, ok, "no speaker for %s: add one in its own test file", p)
		assert.Contains(t, cfg, p)
		assert.NotEmpty(t, simulator.DemoRefunds(p), p)
	}
	assert.Len(t, speakers, len(refundkit.Providers()))
}
