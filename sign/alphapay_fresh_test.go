package sign

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestAlphaPayCheckFresh(t *testing.T) {
	now := time.Date(2019, 5, 28, 4, 12, 12, 0, time.UTC)
	nonce := "5f0e8c1d2b3a49c7a6e5d4c3b2a19080"
	tests := []struct {
		name, time, nonce string
		layout            string
		window            time.Duration
		want              error // nil: fresh
	}{
		{"same instant, other zone", "2019-05-28T12:12:12+08:00", nonce, "", 0, nil},
		{"fraction of a second", "2019-05-28T04:12:12.5Z", nonce, "", 0, nil},
		{"upper-case nonce", "2019-05-28T04:12:12Z", strings.ToUpper(nonce), "", 0, nil},
		{"just inside the default window", "2019-05-28T04:07:12Z", nonce, "", 0, nil},
		{"just outside the default window", "2019-05-28T04:07:11Z", nonce, "", 0, ErrStaleSignature},
		{"from the future", "2019-05-28T04:17:13Z", nonce, "", 0, ErrStaleSignature},
		{"a year old", "2018-05-28T04:12:12Z", nonce, "", 0, ErrStaleSignature},
		{"narrow window", "2019-05-28T04:12:22Z", nonce, "", 5 * time.Second, ErrStaleSignature},
		{"wide window", "2019-05-28T03:12:12Z", nonce, "", 2 * time.Hour, nil},
		{"no offset", "2019-05-28T04:12:12", nonce, "", 0, ErrStaleSignature},
		{"not a time", "yesterday", nonce, "", 0, ErrStaleSignature},
		{"custom layout", "2019-05-28 04:12:12Z", nonce, "2006-01-02 15:04:05Z07:00", 0, nil},
		{"empty time", "", nonce, "", 0, ErrMissingSignature},
		{"empty nonce", "2019-05-28T04:12:12Z", "", "", 0, ErrMissingSignature},
		{"short nonce", "2019-05-28T04:12:12Z", nonce[:31], "", 0, ErrStaleSignature},
		{"long nonce", "2019-05-28T04:12:12Z", nonce + "0", "", 0, ErrStaleSignature},
		{"non-hex nonce", "2019-05-28T04:12:12Z", "g" + nonce[1:], "", 0, ErrStaleSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := AlphaPay{TimeLayout: tt.layout}.CheckFresh(tt.time, tt.nonce, now, tt.window)
			if tt.want == nil {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, tt.want)
			if errors.Is(tt.want, ErrStaleSignature) {
				assert.ErrorIs(t, err, ErrInvalidSignature, "a stale signature is an invalid one")
			}
		})
	}
}
