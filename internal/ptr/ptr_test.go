package ptr

import "testing"

func TestValueAndNonZero(t *testing.T) {
	if got := Value[string](nil); got != "" {
		t.Errorf("Value(nil) = %q", got)
	}
	if got := Value(NonZero("x")); got != "x" {
		t.Errorf("Value(NonZero(x)) = %q", got)
	}
	if NonZero("") != nil || NonZero(0) != nil {
		t.Error("NonZero of a zero value is not nil")
	}
}
