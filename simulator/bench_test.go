package simulator_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/refundkit/refundkit/simulator"
)

// BenchmarkServe measures one inquiry through a simulator's handler, without
// the network: spec validation, signature check, lookup, answer and
// response signature. The RSA signature of the answer dominates for NewPay,
// PayerMax and AlphaPay.
func BenchmarkServe(b *testing.B) {
	for _, p := range spokenProviders {
		b.Run(string(p), func(b *testing.B) {
			e := newEnv(b, p)
			if err := e.sim.Seed(simulator.Refund{RefundID: seededID, Status: seededStatus(p), Amount: "100", Currency: "USD"}); err != nil {
				b.Fatal(err)
			}
			tmpl := e.request(b, seededID, reqOpts{})
			body, err := io.ReadAll(tmpl.Body)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, e.sim.Path(), bytes.NewReader(body))
				req.Header = tmpl.Header
				w := httptest.NewRecorder()
				e.sim.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("HTTP %d", w.Code)
				}
			}
			b.StopTimer()
			if n := e.sim.Faults().Count(simulator.FaultNone); n < int64(b.N) {
				b.Fatalf("%d of %d inquiries accepted", n, b.N)
			}
		})
	}
}
