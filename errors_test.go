package refundkit_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/refundkit/refundkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestErrorCategories(t *testing.T) {
	cause := errors.New("boom")
	for _, c := range refundkit.Categories() {
		t.Run(string(c), func(t *testing.T) {
			err := fmt.Errorf("outer: %w", &refundkit.Error{Provider: refundkit.PayerMax, Op: "inquire", Category: c, Code: "X", Err: cause})
			require.ErrorIs(t, err, c.Err())
			require.ErrorIs(t, err, cause)
			assert.Equal(t, c, refundkit.CategoryOf(err))
			var e *refundkit.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, "X", e.Code)
			for _, other := range refundkit.Categories() {
				if other != c {
					assert.NotErrorIs(t, err, other.Err())
				}
			}
		})
	}
	assert.Equal(t, refundkit.Category(""), refundkit.CategoryOf(nil))
	assert.Equal(t, refundkit.Category(""), refundkit.CategoryOf(cause))
	assert.Equal(t, refundkit.CategoryNotFound, refundkit.CategoryOf(refundkit.ErrNotFound))
}

func TestErrorMessage(t *testing.T) {
	e := &refundkit.Error{Provider: refundkit.NewPay, Op: "inquire", Category: refundkit.CategoryNotFound,
		HTTPStatus: 200, Code: "Z00051", Message: "order information is not existed", Body: []byte(`{"secret":"x"}`)}
	assert.Equal(t, `refundkit: newpay inquire: not_found: http 200: code Z00051: "order information is not existed"`, e.Error())
	assert.NotContains(t, fmt.Sprintf("%v %+v %s %#v", e, e, e, e), "secret", "the body is never printed")
	assert.Contains(t, fmt.Sprintf("%#v", e), "Verified:false")
	e.Verified = true
	assert.Contains(t, fmt.Sprintf("%#v", e), "Body:(14 bytes), Verified:true, Err:<nil>}")
}

func TestStatus(t *testing.T) {
	for _, s := range []refundkit.Status{refundkit.StatusSucceeded, refundkit.StatusPending, refundkit.StatusFailed, refundkit.StatusUnknown} {
		assert.True(t, s.Valid(), s)
	}
	assert.False(t, refundkit.Status("").Valid(), "the zero value is not a status")
	assert.True(t, refundkit.StatusFailed.Final())
	assert.False(t, refundkit.StatusUnknown.Final())
	assert.True(t, refundkit.CategoryTemporary.Retryable())
	assert.False(t, refundkit.CategoryNotFound.Retryable())
	for _, p := range refundkit.Providers() {
		assert.True(t, p.Valid())
	}
	assert.False(t, refundkit.Provider("stripe").Valid())
}

func TestErrorMessageQuotesHostileCodes(t *testing.T) {
	e := &refundkit.Error{Provider: refundkit.PayerMax, Op: "inquire", Category: refundkit.CategoryInvalidResponse,
		Code: "X\nlevel=ERROR msg=forged" + strings.Repeat("A", 500)}
	msg := e.Error()
	assert.NotContains(t, msg, "\n", "a code cannot start a new log line")
	assert.Less(t, len(msg), 200, "a code is bounded")
	assert.Contains(t, (&refundkit.Error{Category: refundkit.CategoryAuth, Code: "-403"}).Error(), "code -403")
}
