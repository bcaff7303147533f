package sign

import (
	"fmt"
	"io"
	"log/slog"
	"strconv"
)

// Secret is a shared secret, such as ZaloPay's key1. Like the key types it
// never shows its value in fmt (any verb), errors or log/slog output. The
// bytes are held by a closure, which fmt and reflection-based dumpers print
// as an address only, so even a struct that keeps a Secret in an unexported
// field (where fmt cannot call its methods) does not leak it. The zero value
// is an empty secret.
type Secret struct{ reveal func() []byte }

// NewSecret returns a Secret holding a copy of s.
func NewSecret(s string) Secret {
	b := []byte(s)
	return Secret{reveal: func() []byte { return b }}
}

// IsZero reports whether the secret is empty.
func (s Secret) IsZero() bool { return len(s.bytes()) == 0 }

func (s Secret) bytes() []byte {
	if s.reveal == nil {
		return nil
	}
	return s.reveal()
}

// String returns a redacted placeholder, never the secret.
func (s Secret) String() string {
	if s.IsZero() {
		return "sign.Secret(empty)"
	}
	return "sign.Secret(redacted)"
}

// GoString returns the same placeholder as String.
func (s Secret) GoString() string { return s.String() }

// Format writes the placeholder for every fmt verb.
func (s Secret) Format(f fmt.State, verb rune) { writeRedacted(f, verb, s.String()) }

// LogValue makes log/slog print the placeholder.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// String returns a redacted placeholder naming only the key size.
func (k *PrivateKey) String() string {
	if k == nil || k.key == nil {
		return "sign.PrivateKey(nil)"
	}
	return "sign.PrivateKey(RSA-" + strconv.Itoa(k.key.N.BitLen()) + ", redacted)"
}

// GoString returns the same placeholder as String.
func (k *PrivateKey) GoString() string { return k.String() }

// Format writes the placeholder for every fmt verb.
func (k *PrivateKey) Format(f fmt.State, verb rune) { writeRedacted(f, verb, k.String()) }

// LogValue makes log/slog print the placeholder.
func (k *PrivateKey) LogValue() slog.Value { return slog.StringValue(k.String()) }

// String returns a redacted placeholder naming only the key size. Public keys
// are not secret, but they are long and nobody reads them in a log.
func (k *PublicKey) String() string {
	if k == nil || k.key == nil {
		return "sign.PublicKey(nil)"
	}
	return "sign.PublicKey(RSA-" + strconv.Itoa(k.key.N.BitLen()) + ", redacted)"
}

// GoString returns the same placeholder as String.
func (k *PublicKey) GoString() string { return k.String() }

// Format writes the placeholder for every fmt verb.
func (k *PublicKey) Format(f fmt.State, verb rune) { writeRedacted(f, verb, k.String()) }

// LogValue makes log/slog print the placeholder.
func (k *PublicKey) LogValue() slog.Value { return slog.StringValue(k.String()) }

// writeRedacted prints a placeholder whatever the verb, quoting it for %q.
func writeRedacted(f fmt.State, verb rune, placeholder string) {
	if verb == 'q' {
		placeholder = strconv.Quote(placeholder)
	}
	_, _ = io.WriteString(f, placeholder)
}
