package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
)

const inquireDetails = `
Asks one provider about one refund, through the SDK: the request is signed
with the merchant's key and the answer's signature verified with the
provider's (ZaloPay signs nothing back). Credentials come from the config
file: --config FILE, else $REFUNDKIT_CONFIG, else ./refundkit.yaml.

--refund-id is the id the provider's inquiry takes:
  {refund_id}.
{provider_refund_id_takers} can also be asked by the provider's own refund
number, instead of or as well as --refund-id: --provider-refund-id is
  {provider_refund_id}.
Where the provider takes the merchant's refund id too, --refund-request-id
gives it and the answer is checked against it:
  {refund_request_id}.

With --json, stdout gets exactly one object:
  {"provider","refund_id","status","provider_status","amount":{"value","currency"}|null,"verified"}
or, when the inquiry fails (exit status 1):
  {"provider","refund_id","error":{"category","provider_code","message",
   "provider_message","explanation","http_status","attempts","verified"}}
amount.value is the exact amount in major units, as a decimal string.
refund_id is --refund-id as given (empty when the provider is asked by
--provider-refund-id alone). category is one of invalid_request, auth,
signature, not_found, rate_limited, temporary, invalid_response.
provider_code and provider_message are the provider's own, empty when it
gave none. explanation is refundkit's account: what the category means, the
HTTP status of a non-2xx answer, the provider's code, the cause, and for a
temporary or rate-limited failure the number of attempts. message is the
provider's own when its answer is the error (not_found, auth, ...), else
the explanation. http_status is 0 when no answer arrived; attempts counts
the requests tried. error.verified is true only when the
error answer's signature verified: an unsigned "not found" may be forged,
so do not refund again on it alone.

Exit status: 0 answered (whatever the refund's status), 1 no answer, 2 usage error.`

func runInquire(ctx context.Context, args []string, std stdio) int {
	f := newFlags("inquire",
		"refundkit inquire --provider P --refund-id ID [--provider-refund-id ID | --refund-request-id ID] [--config FILE] [--json]", inquireDetails)
	provider := f.providerFlag("the `provider`: " + providerList() + " (required)")
	refundID := f.String("refund-id", "", helpText("the refund `id` the provider's inquiry takes (required, except for {provider_refund_id_takers} with --provider-refund-id)"))
	providerRefundID := f.String("provider-refund-id", "", helpText("the provider's own refund number (`id`): {provider_refund_id}"))
	refundRequestID := f.String("refund-request-id", "", helpText("the merchant's refund id (`id`): {refund_request_id}"))
	configFile := f.String("config", "", "the config `file` (default $"+configEnv+", else ./"+defaultConfigFile+")")
	asJSON := f.Bool("json", false, "print one JSON object on stdout instead of a table")
	verbose := f.Bool("v", false, "log each HTTP attempt to stderr (never keys, bodies or signatures)")
	if code, done := f.parse(args, std); done {
		return code
	}
	if *provider == "" {
		return f.usageError(std, "--provider is required")
	}
	p := *provider
	if msg := queryProblem(p, *refundID, *providerRefundID, *refundRequestID); msg != "" {
		return f.usageError(std, "%s", msg)
	}

	var opts []inquiry.Option
	if *verbose {
		opts = append(opts, inquiry.WithLogger(slog.New(slog.NewTextHandler(std.errOut, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	}
	a := answer{provider: string(p), refundID: *refundID}
	a.res, a.err = inquire(ctx, *configFile, p, refundkit.Query{RefundID: *refundID, ProviderRefundID: *providerRefundID, RefundRequestID: *refundRequestID}, opts)

	var werr error
	switch {
	case *asJSON:
		werr = writeJSON(std.out, a)
	case a.err != nil:
		fmt.Fprintln(std.errOut, errorLine(a.err)+attemptsNote(a.err))
	default:
		werr = writeDetails(std.out, a)
	}
	if werr != nil {
		fmt.Fprintln(std.errOut, errorLine(fmt.Errorf("write output: %w", werr)))
		return exitFailure
	}
	if a.err != nil {
		return exitFailure
	}
	return exitOK
}

// inquire loads the config, builds p's client and asks.
func inquire(ctx context.Context, configFile string, p refundkit.Provider, q refundkit.Query, opts []inquiry.Option) (*refundkit.Result, error) {
	cfg, err := loadConfig(configFile)
	if err != nil {
		return nil, err
	}
	client, err := cfg.client(p, opts...)
	if err != nil {
		return nil, err
	}
	return client.Inquire(ctx, q)
}

// errorLine formats err as one line for stderr, prefixed "refundkit: "
// once: SDK errors already start with it.
func errorLine(err error) string {
	msg := printable(strings.ReplaceAll(err.Error(), "\n", " "))
	if !strings.HasPrefix(msg, "refundkit: ") {
		msg = "refundkit: " + msg
	}
	return msg
}
