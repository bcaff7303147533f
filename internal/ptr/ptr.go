// Package ptr converts between values and the pointers the generated types
// use for optional fields, so that no package keeps its own copy of these
// two lines.
package ptr

// Value returns *p, or the zero value for nil.
func Value[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

// NonZero returns &v, or nil for the zero value (a field to leave out).
func NonZero[T comparable](v T) *T {
	var zero T
	if v == zero {
		return nil
	}
	return &v
}
