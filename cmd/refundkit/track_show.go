package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/refundkit/refundkit/track"
)

const trackShowDetails = `
Shows one tracked refund: its latest state and every observation, oldest
first. Refunds tracked by the provider's own refund number need
--provider-refund-id too: {provider_refund_id}.`

func runTrackShow(ctx context.Context, args []string, std stdio) int {
	f := newFlags("track show", "refundkit track show PROVIDER REFUND_ID [--provider-refund-id ID] [--db FILE] [--json]", trackShowDetails)
	db := dbFlag(f)
	provRef := f.String("provider-refund-id", "", helpText("{provider_refund_id}, when the refund was added with one"))
	asJSON := f.Bool("json", false, "write JSON")
	pos, code, done := parseWithPositional(f, args, std, 2)
	if done {
		return code
	}
	p, err := parseProvider(pos[0])
	if err != nil {
		return f.usageError(std, "%v", err)
	}
	tr, err := openExistingTracker(ctx, *db)
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
