package wrapper

import (
	"context"
	"sync"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/refundkit/refundkit"
)

// instrumentationName names refundkit's tracer and meter.
const instrumentationName = "github.com/refundkit/refundkit/wrapper"

// Telemetry: every inquiry, in the one pipeline every provider runs,
// emits through the OpenTelemetry API alone, to the global providers
// (otel.SetTracerProvider, otel.SetMeterProvider): without an SDK
// installed, which refundkit never does, it is a no-op.
//
//   - a span "refundkit.inquire" with refundkit.provider,
//     refundkit.attempts, refundkit.outcome (the status, or "error") and
//     refundkit.category (the error's category), and an error status on
//     failure;
//   - a counter refundkit.inquiries{provider, outcome, category};
//   - a histogram refundkit.inquiry.duration (seconds){provider, outcome}.
//
// No attribute carries an id, an amount, a key or a body; and the trace
// context is never sent to the provider (no propagation header is
// injected into its requests).
type telemetry struct {
	tracer    trace.Tracer
	inquiries metric.Int64Counter
	duration  metric.Float64Histogram
}

// telemetryOf is made once: instruments from the global providers keep
// delegating to whatever SDK is installed later.
var telemetryOf = sync.OnceValue(newTelemetry)

func newTelemetry() telemetry {
	m := otel.GetMeterProvider().Meter(instrumentationName)
	t := telemetry{tracer: otel.GetTracerProvider().Tracer(instrumentationName)}
	// Instrument errors only ever mean an invalid name: ours are constants.
	t.inquiries, _ = m.Int64Counter("refundkit.inquiries", metric.WithDescription("Refund inquiries, by provider, outcome and error category."))
	t.duration, _ = m.Float64Histogram("refundkit.inquiry.duration", metric.WithUnit("s"),
		metric.WithDescription("How long refund inquiries took, retries included."))
	return t
}

// observe starts one inquiry's span; done ends it and records the
// inquiry's metrics.
func (c *core) observe(ctx context.Context) (context.Context, func(res *refundkit.Result, attempts int, err error)) {
	tel := telemetryOf()
	provider := attribute.String("refundkit.provider", string(c.provider))
	ctx, span := tel.tracer.Start(ctx, "refundkit.inquire", trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(provider))
	start := time.Now()
	return ctx, func(res *refundkit.Result, attempts int, err error) {
		outcome, category := "error", string(refundkit.CategoryOf(err))
		if err == nil {
			outcome = string(res.Status)
		}
		o, cat := attribute.String("refundkit.outcome", outcome), attribute.String("refundkit.category", category)
		span.SetAttributes(attribute.Int("refundkit.attempts", attempts), o, cat)
		if err != nil {
			span.SetStatus(codes.Error, category) // the category only: messages may quote the provider
		}
		span.End()
		tel.inquiries.Add(ctx, 1, metric.WithAttributes(provider, o, cat))
		tel.duration.Record(ctx, time.Since(start).Seconds(), metric.WithAttributes(provider, o))
	}
}
