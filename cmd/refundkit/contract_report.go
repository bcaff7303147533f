package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/contract"
)

// report tallies one inquiry's exchanges and prints them with its result.
func (c *contractRun) report(a answer, exs []contract.Exchange) {
	var violations, undeclared int
	for _, ex := range exs {
		violations += len(ex.Violations())
		undeclared += len(ex.Undeclared())
	}
	c.exchanges += len(exs)
	c.violations += violations
	c.undeclared += undeclared
	if len(exs) == 0 || exs[len(exs)-1].Err != nil {
		c.unchecked++ // nothing, or no complete answer, to check
	}
	conforms := violations == 0 && (!c.strict || undeclared == 0)
	var err error
	if c.json {
		err = writeContractJSON(c.std.out, a, exs, conforms)
	} else {
		err = writeContractText(c.std.out, a, exs)
	}
	if err != nil {
		fmt.Fprintln(c.std.errOut, errorLine(fmt.Errorf("write output: %w", err)))
	}
}

// writeContractText writes the result on one line, then each exchange with
// its findings, violations first.
func writeContractText(w io.Writer, a answer, exs []contract.Exchange) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s: %s\n", printable(a.provider), printable(orDash(a.refundID)), resultText(a))
	if len(exs) == 0 {
		b.WriteString("  no exchange to check\n")
	}
	for _, ex := range exs {
		vs, us := ex.Violations(), ex.Undeclared()
		switch {
		case ex.Err != nil:
			fmt.Fprintf(&b, "  %s %s: no complete answer to check: %s\n", ex.Method, printable(ex.URL), printable(ex.Err.Error()))
		case len(vs) == 0:
			fmt.Fprintf(&b, "  %s %s: HTTP %d, conforms to the spec\n", ex.Method, printable(ex.URL), ex.Status)
		default:
			fmt.Fprintf(&b, "  %s %s: HTTP %d, %d %s\n", ex.Method, printable(ex.URL), ex.Status, len(vs), plural(len(vs), "violation", "violations"))
		}
		for _, f := range vs {
			fmt.Fprintf(&b, "    %s %s\n", f.Side, printable(f.String()))
		}
		if len(us) > 0 {
			b.WriteString("    the provider sends what the spec does not know:\n")
		}
		for _, f := range us {
			fmt.Fprintf(&b, "      %s %s\n", f.Side, printable(f.String()))
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

// resultText is the inquiry's result or error on one line.
func resultText(a answer) string {
	if a.err != nil {
		d := detail(a.err)
		return printable(fmt.Sprintf("no answer (%s): %s", d.Category, d.Message))
	}
	r := a.res
	return printable(fmt.Sprintf("%s (provider status %s, amount %s, verified %s)", r.Status, orDash(r.ProviderStatus), amountText(r.Amount), yesNo(r.Verified)))
}

// contractJSON is the JSON form of one inquiry's check.
type contractJSON struct {
	Line      int64           `json:"line,omitempty"`
	Provider  string          `json:"provider"`
	RefundID  string          `json:"refund_id"`
	Conforms  bool            `json:"conforms"`
	Result    json.RawMessage `json:"result"`
	Exchanges []exchangeJSON  `json:"exchanges"`
}

type exchangeJSON struct {
	Method     string             `json:"method"`
	URL        string             `json:"url"`
	Status     int                `json:"status"`
	Error      string             `json:"error,omitempty"`
	Violations []contract.Finding `json:"violations"`
	Undeclared []contract.Finding `json:"undeclared"`
}

// writeContractJSON writes one line of JSON; result is what inquire --json
// writes for the same answer.
func writeContractJSON(w io.Writer, a answer, exs []contract.Exchange, conforms bool) error {
	var res bytes.Buffer
	if err := writeJSON(&res, a); err != nil {
		return err
	}
	v := contractJSON{Line: a.line, Provider: a.provider, RefundID: a.refundID, Conforms: conforms,
		Result: bytes.TrimSpace(res.Bytes()), Exchanges: []exchangeJSON{}}
	for _, ex := range exs {
		e := exchangeJSON{Method: ex.Method, URL: ex.URL, Status: ex.Status,
			Violations: nonNil(ex.Violations()), Undeclared: nonNil(ex.Undeclared())}
		if ex.Err != nil {
			e.Error = ex.Err.Error()
		}
		v.Exchanges = append(v.Exchanges, e)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func nonNil(fs []contract.Finding) []contract.Finding {
	if fs == nil {
		return []contract.Finding{}
	}
	return fs
}

// recordAll writes a recording of each complete exchange, and says on
// stderr where, and whether the replayed recording reads otherwise than
// the real answer did.
func (c *contractRun) recordAll(a answer, q refundkit.Query, exs []contract.Exchange) {
	for _, ex := range exs {
		if ex.Err != nil {
			continue
		}
		rec, err := contract.NewRecording(ex, q, time.Now())
		var path string
		if err == nil {
			path, err = rec.WriteFile(c.record)
		}
		if err != nil {
			c.unchecked++
			fmt.Fprintln(c.std.errOut, errorLine(fmt.Errorf("contract: %w", err)))
			continue
		}
		fmt.Fprintf(c.std.errOut, "refundkit contract: recorded %s\n", path)
		if ex.Notification && a.res == nil {
			continue // a refused notification: its reason is in the recording's expect
		}
		if real := contract.OutcomeOf(a.res, a.err); !reflect.DeepEqual(real, rec.Expect) {
			fmt.Fprintf(c.std.errOut, "refundkit contract: note: replayed without signature checks, %s reads %s, where the answer read %s\n",
				path, outcomeText(rec.Expect), outcomeText(real))
		}
	}
}

func outcomeText(o contract.Outcome) string {
	if o.Error != "" {
		return "error " + string(o.Error)
	}
	return string(o.Status)
}
