package simulator

import (
	"encoding/base64"
	"sync"
	"sync/atomic"
	"time"

	"github.com/refundkit/refundkit"
)

// Fault is a misbehaviour a simulator can inject into its answer to an
// accepted inquiry. Faults never apply to requests the simulator rejects
// (invalid body, unknown app, bad request signature): those get the
// provider's error answer.
type Fault string

// The faults. Their string values are stable, for logs and test names.
const (
	// FaultNone: answer normally.
	FaultNone Fault = "none"
	// FaultHTTP500: HTTP 500 with a short text body, before any lookup.
	FaultHTTP500 Fault = "http_500"
	// FaultRateLimit: HTTP 429 with a Retry-After header (see
	// Injector.SetRetryAfter), before any lookup.
	FaultRateLimit Fault = "rate_limit"
	// FaultSlow: wait (see Injector.SetSlowDelay), then answer normally. If
	// the client gives up first the handler returns at once, writing
	// nothing.
	FaultSlow Fault = "slow"
	// FaultTruncated: declare the full Content-Length, write only the first
	// half of the body, then close the connection.
	FaultTruncated Fault = "truncated"
	// FaultOversized: append more than 1 MiB of JSON white space to the
	// body. The body stays valid JSON and correctly signed, so only a size
	// limit catches it.
	FaultOversized Fault = "oversized"
	// FaultBadSignature: sign the answer, then flip one bit of the
	// signature, which stays well-formed (same length, valid base64) but
	// does not verify. ZaloPay signs nothing, so there it answers normally.
	FaultBadSignature Fault = "bad_signature"
	// FaultMissingSignature: leave the signature out (NewPay data.sign,
	// PayerMax sign header, AlphaPay Signature header). ZaloPay signs
	// nothing, so there it answers normally.
	FaultMissingSignature Fault = "missing_signature"
	// FaultUnknownStatus: answer with a status value the provider never
	// documented (see UnknownStatus), in an otherwise successful answer.
	// Error answers (unknown refund, seeded error code) are left as they
	// are.
	FaultUnknownStatus Fault = "unknown_status"
	// FaultMismatchedID: echo a refund id other than the one asked for (the
	// id with MismatchSuffix appended). ZaloPay echoes no id, so there it
	// answers normally. Error answers are left as they are.
	FaultMismatchedID Fault = "mismatched_id"
	// FaultConnReset: hijack the connection and close it with SO_LINGER 0,
	// so the client sees a reset before any response.
	FaultConnReset Fault = "connection_reset"

	// The contract faults: answers that break the provider's spec on
	// purpose, signed as the provider would sign them, for contract checks
	// (see ContractFaults and DeviatedMember). Error answers get them too.

	// FaultUndeclaredMember: add a member the spec does not declare
	// (UndeclaredMember) to the top of the body.
	FaultUndeclaredMember Fault = "undeclared_member"
	// FaultWrongType: write one member with the wrong JSON type (a string
	// as a number, a number or boolean as a string).
	FaultWrongType Fault = "wrong_type"
	// FaultMissingRequired: leave out one member or header the spec
	// requires. ZaloPay's spec requires nothing in its answer, so there it
	// answers normally.
	FaultMissingRequired Fault = "missing_required"
	// FaultWrongContentType: send the body as text/plain.
	FaultWrongContentType Fault = "wrong_content_type"
)

// faultOrder fixes each fault's index into the counters.
var faultOrder = [...]Fault{FaultNone, FaultHTTP500, FaultRateLimit, FaultSlow, FaultTruncated,
	FaultOversized, FaultBadSignature, FaultMissingSignature, FaultUnknownStatus, FaultMismatchedID,
	FaultConnReset, FaultUndeclaredMember, FaultWrongType, FaultMissingRequired, FaultWrongContentType}

const numFaults = len(faultOrder)

// numContractFaults is how many faults, at the end of faultOrder, are
// contract faults.
const numContractFaults = 4

// Faults lists every fault except FaultNone and the contract faults, in a
// stable order: the transport, signature and status misbehaviours a client
// must survive.
func Faults() []Fault { return append([]Fault(nil), faultOrder[1:numFaults-numContractFaults]...) }

// ContractFaults lists the faults that break the provider's spec on
// purpose, in a stable order.
func ContractFaults() []Fault {
	return append([]Fault(nil), faultOrder[numFaults-numContractFaults:]...)
}

// Valid reports whether f is FaultNone or one of the faults.
func (f Fault) Valid() bool { return f.index() >= 0 }

// String returns the fault's name.
func (f Fault) String() string { return string(f) }

func (f Fault) index() int {
	for i, g := range faultOrder {
		if g == f {
			return i
		}
	}
	return -1
}

// MismatchSuffix is appended to the refund ids a FaultMismatchedID answer
// echoes.
const MismatchSuffix = "-MISMATCH"

// oversizePadding is how much white space FaultOversized adds: more than the
// 1 MiB response limit refundkit's clients apply by default.
const oversizePadding = 1<<20 + 1024

// Inquiry describes an inquiry a simulator accepted, for a FaultFunc to
// choose a fault by.
type Inquiry struct {
	// Provider is the simulator's provider.
	Provider refundkit.Provider
	// RefundID is the refund id the request asked about (NewPay
	// refundOrderNo, PayerMax outRefundNo, ZaloPay m_refund_id, AlphaPay
	// refundId); empty for a PayerMax inquiry by refundTradeNo only.
	RefundID string
	// ProviderRefundID is PayerMax's refundTradeNo, if the request gave one.
	ProviderRefundID string
	// Seq numbers the accepted inquiries of this simulator from 1.
	Seq uint64
}

// FaultFunc chooses the fault for one accepted inquiry. It is called once
// per inquiry, from many goroutines at once, so it must be safe for
// concurrent use. Returning FaultNone (or "") answers normally. A fault
// suite records what it returned to know what each request got.
type FaultFunc func(Inquiry) Fault

// Injector switches a simulator's faults on and off and counts them. Get one
// from Simulator.Faults. For each accepted inquiry it picks, in this order:
// the next fault queued by Next; else, if a FaultFunc is set, its choice;
// else the fault set by Always (FaultNone unless set). All methods are safe
// for concurrent use.
type Injector struct {
	mu      sync.Mutex
	queue   []queued
	fn      FaultFunc
	always  Fault
	seq     atomic.Uint64
	counts  [numFaults]atomic.Int64
	slow    atomic.Int64 // time.Duration
	retryIn atomic.Int64 // time.Duration
}

type queued struct {
	fault Fault
	left  int
}

// DefaultSlowDelay is how long FaultSlow waits unless SetSlowDelay says
// otherwise.
const DefaultSlowDelay = 5 * time.Second

// DefaultRetryAfter is the Retry-After of FaultRateLimit unless SetRetryAfter
// says otherwise.
const DefaultRetryAfter = time.Second

func newInjector() *Injector {
	in := &Injector{always: FaultNone}
	in.slow.Store(int64(DefaultSlowDelay))
	in.retryIn.Store(int64(DefaultRetryAfter))
	return in
}

// Always injects f into every inquiry from now on (after any queued by
// Next). Always(FaultNone) turns it off. An invalid fault panics.
func (in *Injector) Always(f Fault) {
	f = mustValid(f)
	in.mu.Lock()
	in.always = f
	in.mu.Unlock()
}

// Next injects f into the next n inquiries, after any queued earlier. Next
// with n ≤ 0 does nothing. An invalid fault panics.
func (in *Injector) Next(n int, f Fault) {
	f = mustValid(f)
	if n <= 0 {
		return
	}
	in.mu.Lock()
	in.queue = append(in.queue, queued{fault: f, left: n})
	in.mu.Unlock()
}

// Func lets fn choose the fault of every inquiry not served by the Next
// queue; nil removes it. A value fn returns that is not a valid fault counts
// and behaves as FaultNone.
func (in *Injector) Func(fn FaultFunc) {
	in.mu.Lock()
	in.fn = fn
	in.mu.Unlock()
}

// Clear removes every fault: the Next queue, the FaultFunc and Always. The
// counts are kept; see Reset.
func (in *Injector) Clear() {
	in.mu.Lock()
	in.queue, in.fn, in.always = nil, nil, FaultNone
	in.mu.Unlock()
}

// Reset sets every count to zero.
func (in *Injector) Reset() {
	for i := range in.counts {
		in.counts[i].Store(0)
	}
}

// SetSlowDelay sets how long FaultSlow waits before answering.
func (in *Injector) SetSlowDelay(d time.Duration) { in.slow.Store(int64(max(d, 0))) }

// SetRetryAfter sets the Retry-After that FaultRateLimit sends, written in
// whole seconds (rounded up; zero sends "0").
func (in *Injector) SetRetryAfter(d time.Duration) { in.retryIn.Store(int64(max(d, 0))) }

// Count returns how many accepted inquiries got fault f (FaultNone: how
// many were answered normally).
func (in *Injector) Count(f Fault) int64 {
	i := f.index()
	if i < 0 {
		return 0
	}
	return in.counts[i].Load()
}

// Counts returns the non-zero counts by fault, FaultNone included.
func (in *Injector) Counts() map[Fault]int64 {
	out := make(map[Fault]int64, numFaults)
	for _, f := range faultOrder {
		if n := in.Count(f); n > 0 {
			out[f] = n
		}
	}
	return out
}

// pick chooses, counts and returns the fault for an accepted inquiry.
func (in *Injector) pick(q Inquiry) Fault {
	q.Seq = in.seq.Add(1)
	in.mu.Lock()
	f, fn := in.always, in.fn
	if len(in.queue) > 0 {
		f, fn = in.queue[0].fault, nil
		if in.queue[0].left--; in.queue[0].left == 0 {
			in.queue = in.queue[1:]
		}
	}
	in.mu.Unlock()
	if fn != nil {
		if f = fn(q); f == "" || !f.Valid() {
			f = FaultNone
		}
	}
	in.counts[f.index()].Add(1)
	return f
}

func (in *Injector) slowDelay() time.Duration  { return time.Duration(in.slow.Load()) }
func (in *Injector) retryAfter() time.Duration { return time.Duration(in.retryIn.Load()) }

func mustValid(f Fault) Fault {
	if f == "" {
		return FaultNone
	}
	if !f.Valid() {
		panic("simulator: unknown fault " + string(f))
	}
	return f
}

// corruptBase64 returns a signature that is still well-formed standard
// base64 of the same length but does not verify: one bit of the decoded
// signature flipped.
func corruptBase64(sig string) string {
	b, err := base64.StdEncoding.DecodeString(sig)
	if err != nil || len(b) == 0 {
		return base64.StdEncoding.EncodeToString([]byte("simulator: not a signature"))
	}
	flipBit(b)
	return base64.StdEncoding.EncodeToString(b)
}

// flipBit flips one bit in the middle of a raw signature.
func flipBit(sig []byte) { sig[len(sig)/2] ^= 0x01 }
