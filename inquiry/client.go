package inquiry

import (
	"context"

	"github.com/refundkit/refundkit"
)

// Config is one provider's credentials and keys, and the values it leaves
// open: a [NewPayConfig], [NewPay2Config], [PayerMaxConfig],
// [ZaloPayConfig] or [AlphaPayConfig]. [New] builds a client from it.
//
// Only this package's configuration types implement Config: each one also
// knows how to build its provider's part of the pipeline.
type Config interface {
	// Provider names the provider the configuration is for.
	Provider() refundkit.Provider
	// client checks the configuration and builds the client's core, with
	// the provider's backend plugged in.
	client(opts []Option) (*core, error)
}

// Client asks one provider about refunds. It implements
// [refundkit.Inquirer] and is safe for concurrent use. Build one with [New].
type Client struct {
	core *core
}

var _ refundkit.Inquirer = (*Client)(nil)

// New returns a client for the provider cfg is for. The base URL defaults to
// the provider's production URL; [WithBaseURL] points it elsewhere. A
// missing credential or key, a malformed value, or an unusable base URL is
// an error in refundkit.CategoryInvalidRequest.
func New(cfg Config, opts ...Option) (*Client, error) {
	if cfg == nil {
		return nil, &refundkit.Error{Op: "config", Category: refundkit.CategoryInvalidRequest, Err: errNoConfig}
	}
	c, err := cfg.client(opts)
	if err != nil {
		return nil, err
	}
	return &Client{core: c}, nil
}

// Inquire asks the provider what happened to the refund q names. Which
// Query fields a provider takes is in its Config's documentation and in its
// QueryFields (for example [NewPayQuery]).
func (c *Client) Inquire(ctx context.Context, q refundkit.Query) (*refundkit.Result, error) {
	if c == nil || c.core == nil {
		return nil, nilClient()
	}
	return c.core.inquire(ctx, q)
}

// Provider reports which provider the client talks to; it is empty for a nil
// client.
func (c *Client) Provider() refundkit.Provider {
	if c == nil || c.core == nil {
		return ""
	}
	return c.core.provider
}
