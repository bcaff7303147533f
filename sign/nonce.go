package sign

import (
	"crypto/rand"
	"encoding/hex"
)

// NonceFunc returns a fresh nonce for each call. AlphaPay wants 32 lowercase
// hex characters, new for every request, retries included. Tests inject a
// fixed sequence; [RandomNonce] is the default.
type NonceFunc func() string

// RandomNonce returns 32 lowercase hex characters from crypto/rand (128 bits).
func RandomNonce() string {
	var b [16]byte
	// crypto/rand.Read never returns an error; it aborts the program if the
	// system's randomness is unavailable.
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
