package inquiry_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	oteltrace "go.opentelemetry.io/otel/trace"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/simulator"
)

var (
	otelOnce sync.Once
	spans    = tracetest.NewSpanRecorder()
	reader   = sdkmetric.NewManualReader()
)

// installOTel installs an OpenTelemetry SDK as the global providers, with
// the W3C propagator, once per test binary: what an application does.
func installOTel() {
	otelOnce.Do(func() {
		otel.SetTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans)))
		otel.SetMeterProvider(sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader)))
		otel.SetTextMapPropagator(propagation.TraceContext{})
	})
}

// TestTelemetry: with an SDK installed, every provider's inquiry makes
// one span and counts in the metrics, with the provider, attempts,
// outcome and category and nothing else (no id); and no trace context
// reaches the provider, even inside a caller's span.
func TestTelemetry(t *testing.T) {
	installOTel()
	for _, p := range refundkit.Providers() {
		t.Run(string(p), func(t *testing.T) {
			var mu sync.Mutex
			var headers []http.Header
			h := newSimHarness(t, p, harnessConfig{handler: func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					mu.Lock()
					headers = append(headers, r.Header.Clone())
					mu.Unlock()
					next.ServeHTTP(w, r)
				})
			}})
			demo := simulator.DemoRefunds(p)
			require.NotEmpty(t, demo)
			require.NoError(t, h.sim.Seed(demo[0]))
			ctx, parent := otel.Tracer("test").Start(context.Background(), "caller")
			_, err := h.client.Inquire(ctx, refundkit.Query{RefundID: demo[0].RefundID})
			_, nerr := h.client.Inquire(ctx, refundkit.Query{RefundID: "telemetry-no-such-refund"})
			parent.End()
			require.NoError(t, err)
			require.Error(t, nerr)

			mu.Lock()
			defer mu.Unlock()
			require.NotEmpty(t, headers)
			for _, hdr := range headers {
				for k := range hdr {
					require.NotContains(t, []string{"Traceparent", "Tracestate", "Baggage"}, k, "trace context sent to %s", p)
				}
			}
			requireInquirySpans(t, p, parent.SpanContext().TraceID(), demo[0].RefundID, "telemetry-no-such-refund")
		})
	}
	requireInquiryMetrics(t)
}

// requireInquirySpans requires one refundkit.inquire span for each of the
// two inquiries to p in the trace, each with the provider, attempts,
// outcome and category attributes and nothing else: none holds an id.
func requireInquirySpans(t *testing.T, p refundkit.Provider, trace oteltrace.TraceID, ids ...string) {
	t.Helper()
	var mine []sdktrace.ReadOnlySpan
	for _, s := range spans.Ended() {
		if s.Name() == "refundkit.inquire" && s.Parent().TraceID() == trace {
			mine = append(mine, s)
		}
	}
	require.Len(t, mine, 2)
	for _, s := range mine {
		keys := map[attribute.Key]string{}
		for _, a := range s.Attributes() {
			keys[a.Key] = a.Value.String()
			for _, id := range ids {
				require.NotContains(t, a.Value.String(), id, "an id in a span attribute")
			}
		}
		require.Equal(t, string(p), keys["refundkit.provider"])
		require.Contains(t, keys, attribute.Key("refundkit.attempts"))
		require.Contains(t, keys, attribute.Key("refundkit.outcome"))
		require.Contains(t, keys, attribute.Key("refundkit.category"))
		require.Len(t, keys, 4, "only provider, attempts, outcome and category")
	}
}

// requireInquiryMetrics requires both inquiry metrics recorded, the
// counter's attributes all refundkit's own.
func requireInquiryMetrics(t *testing.T) {
	t.Helper()
	var rm metricdata.ResourceMetrics
	require.NoError(t, reader.Collect(context.Background(), &rm))
	found := map[string]bool{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			found[m.Name] = true
			if sum, ok := m.Data.(metricdata.Sum[int64]); ok && m.Name == "refundkit.inquiries" {
				for _, dp := range sum.DataPoints {
					for _, kv := range dp.Attributes.ToSlice() {
						require.True(t, strings.HasPrefix(string(kv.Key), "refundkit."), "attribute %s", kv.Key)
					}
				}
			}
		}
	}
	require.True(t, found["refundkit.inquiries"] && found["refundkit.inquiry.duration"], "metrics: %v", found)
}
