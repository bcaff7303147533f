package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

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
	tr, err := openExistingTracker(ctx, *db)
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

// countJSON is one count in status's JSON form.
type countJSON struct {
	Provider string `json:"provider"`
	State    string `json:"state"`
	Status   string `json:"status"`
	Count    int    `json:"count"`
}
