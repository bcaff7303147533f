package inquiry

import (
	"context"
	"reflect"
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
const instrumentationName = "github.com/refundkit/refundkit/inquiry"

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
// inquiry's metrics. The span options and every metric attribute set are
// made once per client (telemetryFor), and what done needs is a value, not
// a closure.
//
// While no tracer provider has been installed (otel.GetTracerProvider
// still returns the API's default), there is no span: the default's span
// would be a non-recording one carrying ctx's span context, which ctx
// already carries, and it would cost three allocations per inquiry. Once
// an SDK is installed, clients made before it trace too: the check is made
// per inquiry, and costs an atomic load. (OpenTelemetry's eBPF
// auto-instrumentation, which hooks the default provider's spans, sees no
// refundkit span meanwhile.)
func (c *core) observe(ctx context.Context) (context.Context, observation) {
	o := observation{tel: c.tel, ctx: ctx, start: time.Now()}
	if otel.GetTracerProvider() != defaultTracerProvider {
		o.ctx, o.span = c.tel.tracer.Start(ctx, "refundkit.inquire", c.tel.start...)
	}
	return o.ctx, o
}

// defaultTracerProvider is the API's own global tracer provider, as it
// was when this package was initialised; nil if a provider was installed
// already, by the init of a package initialised before this one (one that
// does not import it, and sorts first): then every inquiry has a span.
// Comparing with it never panics: its dynamic type is a pointer.
var defaultTracerProvider = apiDefault(otel.GetTracerProvider())

// apiDefault returns tp if it is the API's own default, the delegating
// provider of go.opentelemetry.io/otel/internal/global, and nil if it is
// one a program installed. [assumed] that package path is the API's
// (checked by TestTelemetryInstalledLater, which would see spans before
// any install if it moved).
func apiDefault(tp trace.TracerProvider) trace.TracerProvider {
	if t := reflect.TypeOf(tp); t != nil && t.Kind() == reflect.Pointer &&
		t.Elem().PkgPath() == "go.opentelemetry.io/otel/internal/global" {
		return tp
	}
	return nil
}

// observation is one inquiry's telemetry, from observe to done.
type observation struct {
	tel   *providerTelemetry
	ctx   context.Context
	span  trace.Span // nil: no span (see observe)
	start time.Time
}

// done ends the span and records the inquiry's metrics.
func (o observation) done(res *refundkit.Result, attempts int, err error) {
	outcome, category := "error", string(refundkit.CategoryOf(err))
	if err == nil {
		outcome = string(res.Status)
	}
	if o.span != nil {
		o.endSpan(attempts, outcome, category, err != nil)
	}
	sets := o.tel.sets(outcome, category)
	o.tel.inquiries.Add(o.ctx, 1, sets.add...)
	o.tel.duration.Record(o.ctx, time.Since(o.start).Seconds(), sets.record...)
}

// endSpan sets the span's attributes, and its status on failure, and ends it.
func (o observation) endSpan(attempts int, outcome, category string, failed bool) {
	if o.span.IsRecording() {
		o.span.SetAttributes(attribute.Int("refundkit.attempts", attempts),
			attribute.String("refundkit.outcome", outcome), attribute.String("refundkit.category", category))
		if failed {
			o.span.SetStatus(codes.Error, category) // the category only: messages may quote the provider
		}
	}
	o.span.End()
}

// providerTelemetry is one provider's instruments, span options and metric
// attribute sets, made once.
type providerTelemetry struct {
	telemetry
	provider attribute.KeyValue
	start    []trace.SpanStartOption
	mu       sync.RWMutex
	byResult map[[2]string]metricSets // by outcome and category
}

// metricSets are the options of one outcome's measurements: the counter's
// attributes (provider, outcome, category) and the histogram's (provider,
// outcome).
type metricSets struct {
	add    []metric.AddOption
	record []metric.RecordOption
}

// telemetries holds the providerTelemetry of every provider used so far.
var telemetries sync.Map // refundkit.Provider -> *providerTelemetry

// telemetryFor returns p's telemetry, made on first use.
func telemetryFor(p refundkit.Provider) *providerTelemetry {
	if t, ok := telemetries.Load(p); ok {
		return t.(*providerTelemetry)
	}
	provider := attribute.String("refundkit.provider", string(p))
	t := &providerTelemetry{telemetry: telemetryOf(), provider: provider, byResult: map[[2]string]metricSets{},
		start: []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(provider)}}
	actual, _ := telemetries.LoadOrStore(p, t)
	return actual.(*providerTelemetry)
}

// sets returns the attribute sets of one outcome and category, made on
// first use: outcomes are the statuses and "error", categories the error
// categories, so there are few.
func (t *providerTelemetry) sets(outcome, category string) metricSets {
	key := [2]string{outcome, category}
	t.mu.RLock()
	s, ok := t.byResult[key]
	t.mu.RUnlock()
	if ok {
		return s
	}
	o, cat := attribute.String("refundkit.outcome", outcome), attribute.String("refundkit.category", category)
	s = metricSets{
		add:    []metric.AddOption{metric.WithAttributeSet(attribute.NewSet(t.provider, o, cat))},
		record: []metric.RecordOption{metric.WithAttributeSet(attribute.NewSet(t.provider, o))},
	}
	t.mu.Lock()
	t.byResult[key] = s
	t.mu.Unlock()
	return s
}
