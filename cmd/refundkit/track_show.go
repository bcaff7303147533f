package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/track"
)

const trackStatusDetails = `
Counts the tracked refunds by provider, state (active, final, stopped) and
status, then lists them (at most --limit; "refundkit track export" writes
them all). --status takes a status (succeeded, pending, failed, unknown,
not-asked) or a state. --json writes one JSON object with "counts" and
"refunds".`

func runTrackStatus(ctx context.Context, args []string, std stdio) int {
	f := newFlags("track status", "refundkit track status [--db FILE] [--provider P] [--status S] [--limit N] [--json]", trackStatusDetails)
	db := dbFlag(f)
	provider := f.providerFlag("only this `provider`'s refunds")
	status := f.String("status", "", "only refunds in this `status` or state")
	limit := f.Int("limit", 50, "list at most this many refunds; 0 lists none")
	asJSON := f.Bool("json", false, "write JSON")
	if code, done := f.parse(args, std); done {
		return code
	}
	filter := track.Filter{Provider: *provider, Limit: *limit}
	if err := parseStatusFilter(*status, &filter); err != nil {
		return f.usageError(std, "%v", err)
	}
	if err := needDatabase(*db); err != nil {
		return std.fail("track status", err)
	}
	tr, err := openTracker(ctx, *db)
	if err != nil {
		return std.fail("track status", err)
	}
	defer func() { _ = tr.Close() }()
	counts, err := tr.Counts(ctx, filter)
	if err != nil {
		return std.fail("track status", err)
	}
	var refunds []*track.Refund
	if *limit > 0 {
		if refunds, err = tr.List(ctx, filter); err != nil {
			return std.fail("track status", err)
		}
	}
	if *asJSON {
		out := struct {
			Counts  []countJSON  `json:"counts"`
			Refunds []refundJSON `json:"refunds"`
		}{Counts: []countJSON{}, Refunds: []refundJSON{}}
		for _, c := range counts {
			out.Counts = append(out.Counts, countJSON{string(c.Provider), string(c.State), statusText(c.Status), c.N})
		}
		for _, r := range refunds {
			out.Refunds = append(out.Refunds, toRefundJSON(r))
		}
		enc := json.NewEncoder(std.out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return std.fail("track status", err)
		}
		return exitOK
	}
	if err := writeStatus(std.out, counts, refunds); err != nil {
		return std.fail("track status", err)
	}
	return exitOK
}

func writeStatus(w io.Writer, counts []track.Count, refunds []*track.Refund) error {
	t := newTable(w)
	fmt.Fprint(t, "PROVIDER\tSTATE\tSTATUS\tCOUNT\n")
	total := 0
	for _, c := range counts {
		fmt.Fprintf(t, "%s\t%s\t%s\t%d\n", c.Provider, c.State, statusText(c.Status), c.N)
		total += c.N
	}
	fmt.Fprintf(t, "total\t\t\t%d\n", total)
	if len(refunds) > 0 {
		fmt.Fprint(t, "\nPROVIDER\tREFUND ID\tSTATUS\tPROVIDER STATUS\tAMOUNT\tVERIFIED\tATTEMPTS\tNEXT POLL\tSTOPPED\n")
		for _, r := range refunds {
			fmt.Fprintf(t, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", r.Provider, printable(r.RefundID), statusText(r.Status),
				orDash(printable(r.ProviderStatus)), amountText(r.Amount), yesNo(r.Verified), r.Attempts, timeText(r.NextPoll), orDash(r.StopReason))
		}
		if len(refunds) < total {
			fmt.Fprintf(t, "... and %d more (refundkit track export writes them all)\n", total-len(refunds))
		}
	}
	return t.Flush()
}

const trackShowDetails = `
Shows one tracked refund: its latest state and every observation, oldest
first. PayerMax refunds tracked by their refundTradeNo need
--provider-refund-id too.`

func runTrackShow(ctx context.Context, args []string, std stdio) int {
	f := newFlags("track show", "refundkit track show PROVIDER REFUND_ID [--provider-refund-id ID] [--db FILE] [--json]", trackShowDetails)
	db := dbFlag(f)
	provRef := f.String("provider-refund-id", "", "PayerMax's refundTradeNo, when the refund was added with one")
	asJSON := f.Bool("json", false, "write JSON")
	pos, code, done := parseWithPositional(f, args, std, 2)
	if done {
		return code
	}
	p, err := parseProvider(pos[0])
	if err != nil {
		return f.usageError(std, "%v", err)
	}
	if err := needDatabase(*db); err != nil {
		return std.fail("track show", err)
	}
	tr, err := openTracker(ctx, *db)
	if err != nil {
		return std.fail("track show", err)
	}
	defer func() { _ = tr.Close() }()
	r, err := tr.Get(ctx, track.Ref{Provider: p, RefundID: pos[1], ProviderRefundID: *provRef})
	if err != nil {
		return std.fail("track show", err)
	}
	if *asJSON {
		enc := json.NewEncoder(std.out)
		enc.SetIndent("", "  ")
		err = enc.Encode(toRefundJSON(r))
	} else {
		err = writeShow(std.out, r)
	}
	if err != nil {
		return std.fail("track show", err)
	}
	return exitOK
}

// parseWithPositional parses flags placed before, between or after n
// positional arguments.
func parseWithPositional(f *cmdFlags, args []string, std stdio, n int) ([]string, int, bool) {
	var pos []string
	for {
		if code, done := f.parseFlags(args, std); done {
			return nil, code, true
		}
		rest := f.Args()
		if len(rest) == 0 {
			break
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
	if len(pos) != n {
		return nil, f.usageError(std, "want %d arguments, have %d", n, len(pos)), true
	}
	return pos, exitOK, false
}

func writeShow(w io.Writer, r *track.Refund) error {
	t := newTable(w)
	fmt.Fprintf(t, "provider\t%s\nrefund id\t%s\n", r.Provider, printable(r.RefundID))
	if r.ProviderRefundID != "" {
		fmt.Fprintf(t, "provider refund id\t%s\n", printable(r.ProviderRefundID))
	}
	fmt.Fprintf(t, "state\t%s\nstatus\t%s\nprovider status\t%s\namount\t%s\nverified\t%s\nattempts\t%d\n",
		r.State(), statusText(r.Status), orDash(printable(r.ProviderStatus)), amountText(r.Amount), yesNo(r.Verified), r.Attempts)
	fmt.Fprintf(t, "added\t%s\nnext poll\t%s\nfinal at\t%s\nstop reason\t%s\n\n",
		timeText(r.AddedAt), timeText(r.NextPoll), timeText(r.FinalAt), orDash(r.StopReason))
	fmt.Fprint(t, "TIME\tSOURCE\tSTATUS\tPROVIDER STATUS\tAMOUNT\tVERIFIED\tERROR\tCODE\tDURATION\tCHANGE\n")
	for _, o := range r.History {
		change := ""
		if o.Changed {
			change = statusText(o.PreviousStatus) + " -> " + string(o.Status)
		}
		fmt.Fprintf(t, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", timeText(o.At), o.Source, statusText(o.Status),
			orDash(printable(o.ProviderStatus)), amountText(o.Amount), yesNo(o.Verified), orDash(string(o.ErrorCategory)),
			orDash(printable(o.ErrorCode)), o.Duration.Round(time.Microsecond), change)
	}
	return t.Flush()
}

const trackExportDetails = `
Writes every tracked refund (or those --provider and --status select) as CSV,
one row each, in the order they were added:

  provider,refund_id,provider_refund_id,state,status,provider_status,amount,currency,verified,attempts,added_at,first_seen_at,last_seen_at,final_at,stop_reason,last_error

Times are RFC 3339 in UTC, empty when not set; amount is exact, in major units.`

func runTrackExport(ctx context.Context, args []string, std stdio) int {
	f := newFlags("track export", "refundkit track export --output results.csv [--db FILE] [--provider P] [--status S]", trackExportDetails)
	db := dbFlag(f)
	output := f.String("output", "", "the `file` to write; - for stdout (required)")
	provider := f.providerFlag("only this `provider`'s refunds")
	status := f.String("status", "", "only refunds in this `status` or state")
	if code, done := f.parse(args, std); done {
		return code
	}
	filter := track.Filter{Provider: *provider}
	if err := parseStatusFilter(*status, &filter); err != nil {
		return f.usageError(std, "%v", err)
	}
	if *output == "" {
		return f.usageError(std, "--output is required")
	}
	if err := needDatabase(*db); err != nil {
		return std.fail("track export", err)
	}
	tr, err := openTracker(ctx, *db)
	if err != nil {
		return std.fail("track export", err)
	}
	defer func() { _ = tr.Close() }()
	out, closeOut, err := openOutput(*output, *db)
	if err != nil {
		return std.fail("track export", err)
	}
	if out == nil {
		out = std.out
	}
	err = exportCSV(ctx, tr, filter, out)
	if cerr := closeOut(); err == nil && cerr != nil {
		err = fmt.Errorf("write output: %w", cerr)
	}
	if err != nil {
		return std.fail("track export", err)
	}
	return exitOK
}

var exportHeader = []string{"provider", "refund_id", "provider_refund_id", "state", "status", "provider_status", "amount", "currency",
	"verified", "attempts", "added_at", "first_seen_at", "last_seen_at", "final_at", "stop_reason", "last_error"}

func exportCSV(ctx context.Context, tr *track.Tracker, filter track.Filter, out io.Writer) error {
	w := csv.NewWriter(out)
	if err := writeCSV(w, exportHeader); err != nil {
		return err
	}
	return tr.Each(ctx, filter, func(r *track.Refund) error {
		var amount, currency string
		if r.Amount != nil {
			amount, currency = r.Amount.Value(), r.Amount.Currency()
		}
		return writeCSV(w, []string{string(r.Provider), r.RefundID, r.ProviderRefundID, string(r.State()), string(r.Status),
			inertCell(r.ProviderStatus), amount, currency, strconv.FormatBool(r.Verified), strconv.Itoa(r.Attempts), rfc3339(r.AddedAt),
			rfc3339(r.FirstSeen), rfc3339(r.LastSeen), rfc3339(r.FinalAt), r.StopReason, string(r.LastError)})
	})
}

// countJSON and refundJSON are status's and show's JSON forms.
type countJSON struct {
	Provider string `json:"provider"`
	State    string `json:"state"`
	Status   string `json:"status"`
	Count    int    `json:"count"`
}

type refundJSON struct {
	Provider         string            `json:"provider"`
	RefundID         string            `json:"refund_id"`
	ProviderRefundID string            `json:"provider_refund_id,omitempty"`
	State            string            `json:"state"`
	Status           string            `json:"status"`
	ProviderStatus   string            `json:"provider_status"`
	Amount           *refundkit.Money  `json:"amount"`
	Verified         bool              `json:"verified"`
	Attempts         int               `json:"attempts"`
	AddedAt          string            `json:"added_at"`
	NextPoll         string            `json:"next_poll_at,omitempty"`
	FinalAt          string            `json:"final_at,omitempty"`
	StopReason       string            `json:"stop_reason,omitempty"`
	History          []observationJSON `json:"history,omitempty"`
}

type observationJSON struct {
	ID             int64            `json:"id"`
	At             string           `json:"at"`
	Source         string           `json:"source"`
	Status         string           `json:"status,omitempty"`
	ProviderStatus string           `json:"provider_status,omitempty"`
	Amount         *refundkit.Money `json:"amount,omitempty"`
	Verified       bool             `json:"verified"`
	ErrorCategory  string           `json:"error_category,omitempty"`
	ErrorCode      string           `json:"error_code,omitempty"`
	DurationMS     float64          `json:"duration_ms"`
	Changed        bool             `json:"changed"`
	PreviousStatus string           `json:"previous_status,omitempty"`
}

func toRefundJSON(r *track.Refund) refundJSON {
	j := refundJSON{Provider: string(r.Provider), RefundID: r.RefundID, ProviderRefundID: r.ProviderRefundID, State: string(r.State()),
		Status: string(r.Status), ProviderStatus: r.ProviderStatus, Amount: r.Amount, Verified: r.Verified, Attempts: r.Attempts,
		AddedAt: rfc3339(r.AddedAt), NextPoll: rfc3339(r.NextPoll), FinalAt: rfc3339(r.FinalAt), StopReason: r.StopReason}
	for _, o := range r.History {
		j.History = append(j.History, observationJSON{ID: o.ID, At: rfc3339(o.At), Source: string(o.Source), Status: string(o.Status),
			ProviderStatus: o.ProviderStatus, Amount: o.Amount, Verified: o.Verified, ErrorCategory: string(o.ErrorCategory),
			ErrorCode: o.ErrorCode, DurationMS: float64(o.Duration.Microseconds()) / 1000, Changed: o.Changed, PreviousStatus: string(o.PreviousStatus)})
	}
	return j
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func timeText(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Local().Format("2006-01-02 15:04:05.000")
}
