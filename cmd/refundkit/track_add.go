package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/track"
)

const trackAddDetails = `
Starts tracking every refund of a CSV file, in the format reconcile reads
(a header with provider and refund_id, optionally provider_refund_id and refund_request_id). The
refunds are stored in the database with their first poll due at once; run
"refundkit track run" to poll them.

The file is read whole and checked first: if any row is bad (unknown
provider, empty refund_id, wrong field count, broken CSV), every bad row is
reported with its line number and nothing is added. Otherwise all its
refunds are added in one transaction. A refund already tracked is left as
it is, so adding the same file twice is harmless. No config is needed.`

func runTrackAdd(ctx context.Context, args []string, std stdio) int {
	f := newFlags("track add", "refundkit track add --input refunds.csv [--db FILE]", trackAddDetails)
	input := f.String("input", "", "the CSV `file` to read; - for stdin (required)")
	db := dbFlag(f)
	if code, done := f.parse(args, std); done {
		return code
	}
	if *input == "" {
		return f.usageError(std, "--input is required")
	}
	in, _, closeIn, err := openInput(*input, std.in)
	if err != nil {
		return std.fail("track add", err)
	}
	defer closeIn()
	refs, bad, err := readRefs(in)
	if err != nil {
		return std.fail("track add", err)
	}
	for _, b := range bad {
		fmt.Fprintf(std.errOut, "refundkit track add: line %d: %s\n", b.line, printable(b.bad))
	}
	if len(bad) > 0 {
		return std.fail("track add", fmt.Errorf("%d bad rows in %s: nothing added", len(bad), *input))
	}
	tr, err := openTracker(ctx, *db)
	if err != nil {
		return std.fail("track add", err)
	}
	defer func() { _ = tr.Close() }()
	res, err := tr.Add(ctx, refs...)
	if err != nil {
		return std.fail("track add", err)
	}
	fmt.Fprintf(std.out, "added %d refunds to %s (%d already tracked)\n", res.Added, tr.File(), res.Known)
	return exitOK
}

// readRefs reads every row of the input: the refunds of the valid rows, and
// the bad rows.
func readRefs(in io.Reader) ([]track.Ref, []row, error) {
	rows, err := newRowReader(in, refundkit.Provider.Valid)
	if err != nil {
		return nil, nil, err
	}
	var (
		refs []track.Ref
		bad  []row
	)
	for {
		r, err := rows.next()
		if errors.Is(err, io.EOF) {
			return refs, bad, nil
		}
		if err != nil {
			return nil, nil, fmt.Errorf("read input: %w", err)
		}
		if r.bad != "" {
			bad = append(bad, r)
			continue
		}
		q := r.item.Query
		refs = append(refs, track.Ref{Provider: r.item.Provider, RefundID: q.RefundID, ProviderRefundID: q.ProviderRefundID, RefundRequestID: q.RefundRequestID})
	}
}
