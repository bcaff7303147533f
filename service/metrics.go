package service

import (
	"context"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/notify"
	"github.com/refundkit/refundkit/track"
)

// Metrics are the service's Prometheus metrics. Labels are providers,
// outcomes, reasons and states only: never an id, an amount or a secret.
//
//	refundkit_inquiries_total{provider,outcome}        outcome: a status, or an error category
//	refundkit_inquiry_duration_seconds{provider}       histogram
//	refundkit_queue_jobs{state}                        River jobs of the tracker by state
//	refundkit_refunds_due{provider}                    active refunds whose poll is due
//	refundkit_refunds_overdue{provider}                due for longer than Config.Overdue
//	refundkit_notifications_total{provider,result,reason} result: accepted, duplicate, refused
type Metrics struct {
	gatherer      prometheus.Gatherer
	inquiries     *prometheus.CounterVec
	latency       *prometheus.HistogramVec
	notifications *prometheus.CounterVec
	backlog       *backlogCollector
}

// NewMetrics registers the service's metrics with reg, which also serves
// them at /metrics.
func NewMetrics(reg *prometheus.Registry) *Metrics {
	m := &Metrics{
		gatherer: reg,
		inquiries: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "refundkit_inquiries_total",
			Help: "Inquiries made by this process, by provider and outcome (a status, or an error category)."}, []string{"provider", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "refundkit_inquiry_duration_seconds",
			Help:    "How long inquiries took, by provider.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}}, []string{"provider"}),
		notifications: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "refundkit_notifications_total",
			Help: "Provider notifications received, by result (accepted, duplicate, refused) and the reason of a refusal."},
			[]string{"provider", "result", "reason"}),
		backlog: &backlogCollector{},
	}
	reg.MustRegister(m.inquiries, m.latency, m.notifications, m.backlog)
	return m
}

// Instrument returns inq counting each inquiry's outcome and latency in m.
func (m *Metrics) Instrument(inq refundkit.Inquirer) refundkit.Inquirer {
	return instrumented{Inquirer: inq, m: m}
}

type instrumented struct {
	refundkit.Inquirer
	m *Metrics
}

// Inquire implements refundkit.Inquirer.
func (i instrumented) Inquire(ctx context.Context, q refundkit.Query) (*refundkit.Result, error) {
	start := time.Now()
	res, err := i.Inquirer.Inquire(ctx, q)
	p := string(i.Provider())
	i.m.latency.WithLabelValues(p).Observe(time.Since(start).Seconds())
	outcome := string(refundkit.CategoryOf(err))
	switch {
	case err == nil:
		outcome = string(res.Status)
	case outcome == "":
		outcome = "error"
	}
	i.m.inquiries.WithLabelValues(p, outcome).Inc()
	return res, err
}

// notification counts one notification.
func (m *Metrics) notification(p string, rep notify.Reply, err error) {
	switch {
	case rep.Duplicate:
		m.notifications.WithLabelValues(p, "duplicate", "").Inc()
	case err == nil:
		m.notifications.WithLabelValues(p, "accepted", "").Inc()
	default:
		m.notifications.WithLabelValues(p, "refused", string(notify.ReasonOf(err))).Inc()
	}
}

// watch makes the gauges read tr's backlog at each scrape.
func (m *Metrics) watch(tr *track.Tracker, overdue time.Duration) {
	m.backlog.mu.Lock()
	defer m.backlog.mu.Unlock()
	m.backlog.tr, m.backlog.overdue = tr, overdue
}

var (
	queueDesc   = prometheus.NewDesc("refundkit_queue_jobs", "The tracker's River jobs by state (shared by every worker on the database).", []string{"state"}, nil)
	dueDesc     = prometheus.NewDesc("refundkit_refunds_due", "Active refunds whose next poll is due.", []string{"provider"}, nil)
	overdueDesc = prometheus.NewDesc("refundkit_refunds_overdue", "Active refunds whose next poll has been due for longer than the overdue threshold.", []string{"provider"}, nil)
	scrapeDesc  = prometheus.NewDesc("refundkit_backlog_up", "1 when the backlog gauges could be read from the database, 0 when not.", nil, nil)
)

// backlogCollector reads the queue and due counts from the database at
// each scrape, within 5 seconds.
type backlogCollector struct {
	mu      sync.Mutex
	tr      *track.Tracker
	overdue time.Duration
}

// Describe implements prometheus.Collector.
func (c *backlogCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- queueDesc
	ch <- dueDesc
	ch <- overdueDesc
	ch <- scrapeDesc
}

// Collect implements prometheus.Collector.
func (c *backlogCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	tr, overdue := c.tr, c.overdue
	c.mu.Unlock()
	if tr == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	b, err := tr.Backlog(ctx, time.Now(), overdue)
	if err != nil {
		ch <- prometheus.MustNewConstMetric(scrapeDesc, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(scrapeDesc, prometheus.GaugeValue, 1)
	for k, n := range b.Jobs {
		ch <- prometheus.MustNewConstMetric(queueDesc, prometheus.GaugeValue, float64(n), k)
	}
	for _, p := range refundkit.Providers() {
		ch <- prometheus.MustNewConstMetric(dueDesc, prometheus.GaugeValue, float64(b.Due[string(p)]), string(p))
		ch <- prometheus.MustNewConstMetric(overdueDesc, prometheus.GaugeValue, float64(b.Overdue[string(p)]), string(p))
	}
}
