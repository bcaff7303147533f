package inquiry_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/simulator"
)

// suiteCounts tallies one provider's run (or all of them).
type suiteCounts struct {
	inquiries, attempts, wrong, panics int
	timeouts                           int // attempts timed out without FaultSlow: the machine was busy
	faults                             map[simulator.Fault]int
	statuses                           map[refundkit.Status]int
	errors                             map[refundkit.Category]int
}

func newSuiteCounts() suiteCounts {
	return suiteCounts{faults: map[simulator.Fault]int{}, statuses: map[refundkit.Status]int{}, errors: map[refundkit.Category]int{}}
}

func (s *suiteCounts) add(o suiteCounts) {
	s.inquiries += o.inquiries
	s.attempts += o.attempts
	s.wrong += o.wrong
	s.panics += o.panics
	s.timeouts += o.timeouts
	for k, v := range o.faults {
		s.faults[k] += v
	}
	for k, v := range o.statuses {
		s.statuses[k] += v
	}
	for k, v := range o.errors {
		s.errors[k] += v
	}
}

func (s suiteCounts) String() string {
	return fmt.Sprintf("%d inquiries, %d attempts (%d retries); faults: %s; other timeouts: %d; statuses: %s; errors: %s; wrong answers = %d, panics = %d",
		s.inquiries, s.attempts, s.attempts-s.inquiries, tally(s.faults), s.timeouts, tally(s.statuses), tally(s.errors), s.wrong, s.panics)
}

// tally formats counts as "k=v ..." in key order.
func tally[K ~string](m map[K]int) string {
	keys := slices.Sorted(maps.Keys(m))
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s=%d", k, m[k]))
	}
	return strings.Join(parts, " ")
}
