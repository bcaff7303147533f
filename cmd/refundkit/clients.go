package main

import (
	"fmt"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
)

// client builds the SDK client of provider p from its section of the file:
// required keys checked, key files read. opts come after the section's
// base_url, so they win.
func (c *config) client(p refundkit.Provider, opts ...inquiry.Option) (refundkit.Inquirer, error) {
	s, ok := c.sections[p]
	if !ok {
		return nil, fmt.Errorf("config %s has no %s section", c.path, p)
	}
	cl, err := s.Client(opts...)
	if err != nil {
		return nil, &rephrased{msg: fmt.Sprintf("config %s: %s: %s", c.path, p, causeText(err)), err: err}
	}
	return cl, nil
}

// clients builds a client for every provider the file configures, in the
// order of refundkit.Providers: the list bulk.New and track.Options take. A
// file that configures none is an error.
func (c *config) clients(opts ...inquiry.Option) ([]refundkit.Inquirer, error) {
	ps := c.providers()
	if len(ps) == 0 {
		return nil, fmt.Errorf("config %s configures no provider (want a section for %s)", c.path, providerList())
	}
	out := make([]refundkit.Inquirer, 0, len(ps))
	for _, p := range ps {
		cl, err := c.client(p, opts...)
		if err != nil {
			return nil, err
		}
		out = append(out, cl)
	}
	return out, nil
}
