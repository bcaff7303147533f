package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"

	"gopkg.in/yaml.v3"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/providers"
	"github.com/refundkit/refundkit/simulator"
)

// refundsFile is the list of seeded refunds simulate writes beside the
// config, in reconcile's input format.
const refundsFile = "refunds.csv"

// simulationFiles names the files a simulate run wrote, as the user can
// use them from where simulate was started: inside --keys-dir as given.
type simulationFiles struct {
	config  string // refundkit.yaml
	refunds string // refunds.csv
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

// writeSimulationFiles writes into s.dir the keys, a refundkit.yaml with a
// section for every simulated provider, all pointing at s.url, and
// refunds.csv listing every seeded refund.
func writeSimulationFiles(s *simulation, keys *simulator.Keys) (simulationFiles, error) {
	files, err := keys.WriteFiles(s.dir)
	if err != nil {
		return simulationFiles{}, err
	}
	// The config file reads key paths relative to its own directory, and
	// the keys sit beside it: their bare names work from wherever the
	// config is used, for a relative --keys-dir as for an absolute one.
	files = simulator.KeyFiles{
		MerchantPrivate: filepath.Base(files.MerchantPrivate), MerchantPublic: filepath.Base(files.MerchantPublic),
		PlatformPrivate: filepath.Base(files.PlatformPrivate), PlatformPublic: filepath.Base(files.PlatformPublic),
		Key1: filepath.Base(files.Key1),
	}
	cfg := newConfig(nil)
	testNetwork := !loopbackURL(s.url)
	for _, p := range s.providers {
		simulatorSection(cfg, p, s.url, keys, files)
		if testNetwork {
			if err := allowPlainHTTP(cfg.sections[p]); err != nil {
				return simulationFiles{}, err
			}
		}
	}
	body, err := cfg.marshal()
	if err != nil {
		return simulationFiles{}, err
	}
	what := "the " + providerNames(s.providers, "and") + " simulator"
	if len(s.providers) > 1 {
		what += "s"
	}
	head := fmt.Sprintf("# Written by \"refundkit simulate\" for %s at %s.\n"+
		"# The keys are throwaway ones made for this run: never use them with a real provider.\n", what, s.url)
	if testNetwork {
		head += "# " + providers.InsecureHTTPKey + ": true lets plain http reach the simulator on another address than this\n" +
			"# machine's loopback; never copy it into a section for a real provider.\n"
	}
	out := simulationFiles{config: filepath.Join(s.dir, defaultConfigFile), refunds: filepath.Join(s.dir, refundsFile)}
	if err := os.WriteFile(out.config, append([]byte(head), body...), 0o600); err != nil {
		return simulationFiles{}, fmt.Errorf("write config: %w", err)
	}
	if err := os.WriteFile(out.refunds, refundsCSV(s), 0o644); err != nil {
		return simulationFiles{}, fmt.Errorf("write refund list: %w", err)
	}
	return out, nil
}

// refundsCSV lists the seeded refunds in reconcile's input format.
func refundsCSV(s *simulation) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write([]string{colProvider, colRefundID}) // into a bytes.Buffer: cannot fail
	for _, p := range s.providers {
		for _, r := range s.refunds[p] {
			_ = w.Write([]string{string(p), r.RefundID})
		}
	}
	w.Flush()
	return b.Bytes()
}

// simulatorSection sets cfg's section for provider p to a client of the
// simulator at url: simulator.DemoConfig's identities, the merchant's
// private key and the platform's public key.
func simulatorSection(cfg *config, p refundkit.Provider, url string, keys *simulator.Keys, files simulator.KeyFiles) {
	if d, err := providers.Lookup(p); err == nil {
		if cfg.sections == nil {
			cfg.sections = map[refundkit.Provider]providers.Section{}
		}
		cfg.sections[p] = d.DemoSection(url, keys, files)
	}
}

// loopbackURL reports whether the base URL's host is this machine's
// loopback, where plain http needs no insecure_http.
func loopbackURL(base string) bool {
	u, err := url.Parse(base)
	if err != nil {
		return false
	}
	ip := net.ParseIP(u.Hostname())
	return u.Hostname() == "localhost" || ip != nil && ip.IsLoopback()
}

// allowPlainHTTP sets the section's insecure_http key, by its YAML name, so
// that a simulator served on a test network address is usable from the
// config simulate writes. It goes through the section's own YAML form, as
// the config file does, rather than through each provider's type.
func allowPlainHTTP(sec providers.Section) error {
	var n yaml.Node
	if err := n.Encode(sec); err != nil {
		return fmt.Errorf("encode config section: %w", err)
	}
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("encode config section: not a mapping")
	}
	n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: providers.InsecureHTTPKey},
		&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "true"})
	if err := n.Decode(sec); err != nil {
		return fmt.Errorf("config section: %s: %v", providers.InsecureHTTPKey, err)
	}
	return nil
}
