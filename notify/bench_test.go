package notify

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	genalphapay "github.com/refundkit/refundkit/gen/alphapay"
	gennewpay "github.com/refundkit/refundkit/gen/newpay"
	genpayermax "github.com/refundkit/refundkit/gen/payermax"
)

// forgetful is a Store that remembers nothing, so every iteration of a
// benchmark takes the whole path to delivery.
type forgetful struct{}

func (forgetful) Begin(context.Context, string) (Claim, error) { return ClaimNew, nil }
func (forgetful) Commit(context.Context, string) error         { return nil }
func (forgetful) Abort(context.Context, string) error          { return nil }

// benchCase is one provider's notification and the floor it is measured
// against: bare crypto/rsa verification of the same signed content, then
// json.Unmarshal of the body into the generated type.
type benchCase struct {
	name     string
	handler  *Handler
	req      Request
	baseline func() error
}

func benchCases(b *testing.B) []benchCase {
	nop := func(context.Context, Notification) error { return nil }
	opts := []Option{WithClock(clock), WithStore(forgetful{})}
	pm := payermaxHandler(b, &sink{}, opts...)
	pm.deliver = nop
	np := newpayHandler(b, &sink{}, opts...)
	np.deliver = nop
	ap := alphapayHandler(b, &sink{}, opts...)
	ap.deliver = nop
	handSign(b, "")
	pub := &rawKey.PublicKey
	verify := func(content, sig string) error {
		raw, err := base64.StdEncoding.DecodeString(sig)
		if err != nil {
			return err
		}
		h := sha256.Sum256([]byte(content))
		return rsa.VerifyPKCS1v15(pub, crypto.SHA256, h[:], raw)
	}

	pmSig := handSign(b, payermaxBody)
	npBody := newpayBody(newpayMembers, newpayCanonical, b)
	var npSig struct {
		Sign string `json:"sign"`
	}
	_ = json.Unmarshal([]byte(npBody), &npSig)
	apHeader := signedAlphaPay(b, "/n", "CXVJIU", alphapayTime, alphapayBody)
	apSig, _ := url.QueryUnescape(apHeader.Get("Signature")[len("algorithm=RS256,keyVersion=1,signature="):])
	apContent := "POST /n\nCXVJIU." + alphapayTime + "." + alphapayNonce + "." + alphapayBody
	return []benchCase{
		{"payermax", pm, Request{Header: http.Header{"Sign": {pmSig}}, Body: []byte(payermaxBody)}, func() error {
			if err := verify(payermaxBody, pmSig); err != nil {
				return err
			}
			var n genpayermax.RefundNotification
			return json.Unmarshal([]byte(payermaxBody), &n)
		}},
		{"newpay", np, Request{Body: []byte(npBody)}, func() error {
			if err := verify(newpayCanonical, npSig.Sign); err != nil {
				return err
			}
			var n gennewpay.RefundCallback
			return json.Unmarshal([]byte(npBody), &n)
		}},
		{"alphapay", ap, Request{Path: "/n", Header: apHeader, Body: []byte(alphapayBody)}, func() error {
			if err := verify(apContent, apSig); err != nil {
				return err
			}
			var n genalphapay.RefundNotification
			return json.Unmarshal([]byte(alphapayBody), &n)
		}},
	}
}

// BenchmarkHandle is one notification through Handle per op: verify,
// decode, checks, mapping, de-duplication, delivery to a no-op function.
func BenchmarkHandle(b *testing.B) {
	for _, c := range benchCases(b) {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.handler.Handle(b.Context(), c.req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkHandleRatio alternates the floor and Handle inside one loop and
// reports the median per-pair ratio, which load on a shared machine
// disturbs far less than separate ns/op figures.
func BenchmarkHandleRatio(b *testing.B) {
	for _, c := range benchCases(b) {
		b.Run(c.name, func(b *testing.B) {
			var ratios []float64
			for b.Loop() {
				t0 := time.Now()
				if err := c.baseline(); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				if _, err := c.handler.Handle(b.Context(), c.req); err != nil {
					b.Fatal(err)
				}
				ratios = append(ratios, float64(time.Since(t1))/float64(t1.Sub(t0)))
			}
			slices.Sort(ratios)
			b.ReportMetric(ratios[len(ratios)/2], "x-baseline")
		})
	}
}
