package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/simulator"
)

const simulateDetails = `
Serves one simulated provider over HTTP until interrupted (Ctrl-C, SIGTERM).
It answers the provider's refund inquiry as the provider does: the request is
checked against the provider's spec and signature, the answer signed with
the provider's key.

Every run makes fresh throwaway keys and writes them, with a ready-to-use
refundkit.yaml pointing at the server, into --keys-dir (default: a new
temporary directory, removed on exit). Use that file with
"refundkit inquire --config" or "refundkit reconcile --config".

The refunds come from --seed FILE, a YAML or JSON list of refunds in the
provider's raw terms, keyed as simulator.Refund's JSON form:

  - refund_id: R1
    status: REFUND_PENDING        # the provider's own status value
    amount: 10.50                 # written as given: major units, except AlphaPay's minor units
    currency: USD
    transitions:                  # optional: later states, after N inquiries
      - {after: 2, status: REFUND_SUCCESS}

Without --seed, the demo refunds of "refundkit demo" (every status).`

// simulatorGrace is how long a stopping simulator waits for the requests in
// flight.
const simulatorGrace = 5 * time.Second

func runSimulate(ctx context.Context, args []string, std stdio) int {
	f := newFlags("simulate", "refundkit simulate --provider P [--addr 127.0.0.1:8080] [--seed FILE] [--keys-dir DIR]", simulateDetails)
	provider := f.providerFlag("the `provider` to simulate: " + providerList() + " (required)")
	addr := f.String("addr", "127.0.0.1:8080", "the `address` to listen on; port 0 picks a free one")
	seedFile := f.String("seed", "", "a YAML or JSON `file` listing the refunds to serve (default: the demo refunds)")
	keysDir := f.String("keys-dir", "", "the `directory` for the throwaway keys and refundkit.yaml (default: a new temporary one, removed on exit)")
	if code, done := f.parse(args, std); done {
		return code
	}
	if *provider == "" {
		return f.usageError(std, "--provider is required")
	}
	p := *provider

	refunds := simulator.DemoRefunds(p)
	if *seedFile != "" {
		var err error
		if refunds, err = readSeedFile(*seedFile); err != nil {
			return std.fail("simulate", err)
		}
	}
	keys, err := simulator.GenerateKeys()
	if err != nil {
		return std.fail("simulate", err)
	}
	sim, err := simulator.New(p, simulator.DemoConfig(keys, nil))
	if err != nil {
		return std.fail("simulate", err)
	}
	if err := sim.Seed(refunds...); err != nil {
		return std.fail("simulate", err)
	}
	dir, cleanup, err := keyDir(*keysDir)
	if err != nil {
		return std.fail("simulate", err)
	}
	defer cleanup()
	srv, err := serveSimulator(sim, *addr)
	if err != nil {
		return std.fail("simulate", err)
	}
	configFile, err := writeSimulatorFiles(dir, p, srv.url, keys)
	if err != nil {
		_ = srv.shutdown(simulatorGrace)
		return std.fail("simulate", err)
	}
	printSimulating(std, p, srv.url, dir, *keysDir == "", configFile, refunds)

	select {
	case <-ctx.Done():
	case err := <-srv.done: // Serve failed on its own
		return std.fail("simulate", err)
	}
	if err := srv.shutdown(simulatorGrace); err != nil {
		return std.fail("simulate", err)
	}
	st := sim.Stats()
	fmt.Fprintf(std.errOut, "refundkit simulate: stopped after %d requests (%d rejected, %d for unknown refunds)\n",
		st.Requests, st.Rejected, st.NotFound)
	return exitOK
}

// keyDir returns the directory for the keys and config: dir, created if
// needed, or a new temporary directory that cleanup removes.
func keyDir(dir string) (string, func(), error) {
	if dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return "", nil, fmt.Errorf("keys dir: %w", err)
		}
		return dir, func() {}, nil
	}
	tmp, err := os.MkdirTemp("", "refundkit-simulate-")
	if err != nil {
		return "", nil, fmt.Errorf("keys dir: %w", err)
	}
	return tmp, func() { _ = os.RemoveAll(tmp) }, nil
}

// writeSimulatorFiles writes the keys and a refundkit.yaml for a client of
// the simulator at url into dir, and returns the config file's path.
func writeSimulatorFiles(dir string, p refundkit.Provider, url string, keys *simulator.Keys) (string, error) {
	files, err := keys.WriteFiles(dir)
	if err != nil {
		return "", err
	}
	// The config file reads key paths relative to its own directory, and
	// the keys sit beside it: their bare names work from wherever the
	// config is used, for a relative --keys-dir as for an absolute one.
	files = simulator.KeyFiles{
		MerchantPrivate: filepath.Base(files.MerchantPrivate), MerchantPublic: filepath.Base(files.MerchantPublic),
		PlatformPrivate: filepath.Base(files.PlatformPrivate), PlatformPublic: filepath.Base(files.PlatformPublic),
		Key1: filepath.Base(files.Key1),
	}
	cfg := &config{}
	simulatorSection(cfg, p, url, files, keys.Key1)
	body, err := cfg.marshal()
	if err != nil {
		return "", err
	}
	head := fmt.Sprintf("# Written by \"refundkit simulate\" for the %s simulator at %s.\n"+
		"# The keys are throwaway ones made for this run: never use them with a real provider.\n", p, url)
	path := filepath.Join(dir, defaultConfigFile)
	if err := os.WriteFile(path, append([]byte(head), body...), 0o600); err != nil {
		return "", fmt.Errorf("write config: %w", err)
	}
	return path, nil
}

// simulatorSection sets cfg's section for provider p to a client of the
// simulator at url: simulator.DemoConfig's identities, the merchant's
// private key and the platform's public key.
func simulatorSection(cfg *config, p refundkit.Provider, url string, files simulator.KeyFiles, key1 string) {
	switch p {
	case refundkit.NewPay:
		cfg.NewPay = &newPayConfig{BaseURL: url, AppID: simulator.DemoNewPayAppID, MerchantID: simulator.DemoNewPayMerchantID,
			PrivateKeyFile: files.MerchantPrivate, ProviderPublicKeyFile: files.PlatformPublic}
	case refundkit.PayerMax:
		cfg.PayerMax = &payerMaxConfig{BaseURL: url, AppID: simulator.DemoPayerMaxAppID, MerchantNo: simulator.DemoPayerMaxMerchantNo,
			PrivateKeyFile: files.MerchantPrivate, ProviderPublicKeyFile: files.PlatformPublic}
	case refundkit.ZaloPay:
		cfg.ZaloPay = &zaloPayConfig{BaseURL: url, AppID: simulator.DemoZaloPayAppID, Key1: key1}
	case refundkit.AlphaPay:
		cfg.AlphaPay = &alphaPayConfig{BaseURL: url, MerchantCode: simulator.DemoAlphaPayMerchant,
			PrivateKeyFile: files.MerchantPrivate, ProviderPublicKeyFile: files.PlatformPublic}
	}
}

// printSimulating tells the user where everything is and what to try.
func printSimulating(std stdio, p refundkit.Provider, url, dir string, temporary bool, configFile string, refunds []simulator.Refund) {
	w := std.out
	fmt.Fprintf(w, "%s simulator listening on %s\n", p, url)
	note := ""
	if temporary {
		note = " (throwaway; removed on exit)"
	}
	fmt.Fprintf(w, "  keys:    %s%s\n", dir, note)
	fmt.Fprintf(w, "  config:  %s\n", configFile)
	ids := make([]string, 0, 4)
	for i, r := range refunds {
		if i == 4 {
			ids = append(ids, "...")
			break
		}
		ids = append(ids, printable(r.RefundID))
	}
	fmt.Fprintf(w, "  refunds: %d seeded: %s\n", len(refunds), strings.Join(ids, ", "))
	if len(refunds) > 0 {
		fmt.Fprintf(w, "\nTry:\n  refundkit inquire --config %s --provider %s --refund-id %s\n",
			shellQuote(configFile), p, shellQuote(printable(refunds[0].RefundID)))
	}
	fmt.Fprint(w, "\nStop with Ctrl-C.\n")
}

// shellQuote quotes s for a POSIX shell when it needs quoting.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@+,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
