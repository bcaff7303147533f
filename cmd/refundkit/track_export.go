package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/refundkit/refundkit/track"
)

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
	tr, err := openExistingTracker(ctx, *db)
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
