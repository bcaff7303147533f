package notify

import (
	"context"
	"sync"
)

// Claim is what a Store says about a notification key.
type Claim int

// The answers of Store.Begin.
const (
	// ClaimNew: not delivered before, and now claimed by the caller, who
	// must call Commit after delivering or Abort after failing to.
	ClaimNew Claim = iota
	// ClaimDone: delivered before; acknowledge it again, deliver nothing.
	ClaimDone
	// ClaimBusy: another delivery of the same key is in flight; refuse it
	// for now, so that the provider retries after that one finished.
	ClaimBusy
)

// Store remembers which notifications were delivered, so that a duplicate
// is acknowledged again but delivered once. It must be safe for concurrent
// use. A durable implementation (a database table with a unique key, for
// example) makes de-duplication survive restarts; the default,
// NewMemoryStore, does not.
type Store interface {
	// Begin claims key for delivery, or says it was delivered or is being
	// delivered.
	Begin(ctx context.Context, key string) (Claim, error)
	// Commit records key as delivered.
	Commit(ctx context.Context, key string) error
	// Abort releases a claim whose delivery failed: a retry may claim it.
	Abort(ctx context.Context, key string) error
}

// DefaultStoreSize is how many delivered keys NewMemoryStore(0) remembers.
const DefaultStoreSize = 100_000

// MemoryStore is the in-memory Store: it remembers up to a bound of
// delivered keys, forgetting the oldest first. Keys being delivered are
// never forgotten. A duplicate that arrives after its key was forgotten is
// delivered again, so size it above the number of notifications a provider
// may repeat within its retry schedule (PayerMax retries for 12 hours).
type MemoryStore struct {
	mu       sync.Mutex
	max      int
	inflight map[string]struct{}
	done     map[string]struct{}
	order    []string // delivered keys, oldest first (a ring from head)
	head     int
}

// NewMemoryStore returns a MemoryStore that remembers up to size delivered
// keys; size <= 0 means DefaultStoreSize.
func NewMemoryStore(size int) *MemoryStore {
	if size <= 0 {
		size = DefaultStoreSize
	}
	return &MemoryStore{max: size, inflight: map[string]struct{}{}, done: map[string]struct{}{}}
}

// Begin implements Store.
func (m *MemoryStore) Begin(_ context.Context, key string) (Claim, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.done[key]; ok {
		return ClaimDone, nil
	}
	if _, ok := m.inflight[key]; ok {
		return ClaimBusy, nil
	}
	m.inflight[key] = struct{}{}
	return ClaimNew, nil
}

// Commit implements Store.
func (m *MemoryStore) Commit(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.inflight, key)
	if _, ok := m.done[key]; ok {
		return nil
	}
	if len(m.order) < m.max {
		m.order = append(m.order, key)
	} else {
		delete(m.done, m.order[m.head])
		m.order[m.head] = key
		m.head = (m.head + 1) % m.max
	}
	m.done[key] = struct{}{}
	return nil
}

// Abort implements Store.
func (m *MemoryStore) Abort(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.inflight, key)
	return nil
}

// Len reports how many delivered keys m remembers.
func (m *MemoryStore) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.done)
}
