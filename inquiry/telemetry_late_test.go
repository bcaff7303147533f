package inquiry_test

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	oteltrace "go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
)

// telemetryChildEnv marks the child process TestTelemetryInstalledLater
// runs in.
const telemetryChildEnv = "REFUNDKIT_TEST_TELEMETRY_CHILD"

// TestTelemetryInstalledLater: while no tracer provider is installed, an
// inquiry makes no span, and the caller's own span reaches the transport as
// it was; once an SDK is installed, the same client traces. It runs in a
// child process of the test binary, whose global providers no other test
// has touched (TestTelemetry installs an SDK for good).
func TestTelemetryInstalledLater(t *testing.T) {
	if os.Getenv(telemetryChildEnv) == "" {
		cmd := exec.Command(os.Args[0], "-test.run", "^TestTelemetryInstalledLater$", "-test.count", "1", "-test.v")
		cmd.Env = append(os.Environ(), telemetryChildEnv+"=1")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", out)
		require.Contains(t, string(out), "--- PASS: TestTelemetryInstalledLater", "%s", out)
		return
	}
	require.NotNil(t, inquiry.APIDefault(otel.GetTracerProvider()), "the API's default is told apart")
	assert.Nil(t, inquiry.APIDefault(sdktrace.NewTracerProvider()), "an SDK's provider is not the API's default")
	assert.Nil(t, inquiry.APIDefault(noop.NewTracerProvider()))
	var mu sync.Mutex
	var seen oteltrace.Span // the span of the last request's context
	transport := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		seen = oteltrace.SpanFromContext(r.Context())
		mu.Unlock()
		return http.DefaultTransport.RoundTrip(r)
	})
	stub := zaloPayStub(t, false, zaloPayAlways(zaloPayAnswer(1, 1, "", "")))
	c := newZaloPayClient(t, inquiry.ZaloPayConfig{}, inquiry.WithBaseURL(stub.URL), inquiry.WithHTTPClient(&http.Client{Transport: transport}))
	callers := sdktrace.NewTracerProvider() // the caller's own, not installed
	ctx, parent := callers.Tracer("test").Start(context.Background(), "caller")
	defer parent.End()

	_, err := c.Inquire(ctx, refundkit.Query{RefundID: zaloPayRefundID})
	require.NoError(t, err)
	mu.Lock()
	assert.Same(t, parent, seen, "no span of refundkit's while no tracer provider is installed")
	mu.Unlock()

	recorder := tracetest.NewSpanRecorder()
	otel.SetTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(recorder)))
	_, err = c.Inquire(ctx, refundkit.Query{RefundID: zaloPayRefundID})
	require.NoError(t, err)
	ended := recorder.Ended()
	require.Len(t, ended, 1)
	assert.Equal(t, "refundkit.inquire", ended[0].Name())
	assert.Equal(t, parent.SpanContext().SpanID(), ended[0].Parent().SpanID())
	mu.Lock()
	assert.Equal(t, ended[0].SpanContext(), seen.SpanContext(), "the transport sees refundkit's span")
	mu.Unlock()
}
