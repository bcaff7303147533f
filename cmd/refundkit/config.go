package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/providers"
)

// configEnv names the environment variable that points at the config file
// when --config is not given.
const configEnv = "REFUNDKIT_CONFIG"

// defaultConfigFile is read when neither --config nor $REFUNDKIT_CONFIG is set.
const defaultConfigFile = "refundkit.yaml"

// config is the YAML configuration file: one section per provider, each
// optional, with exactly the keys of the provider's section type (the yaml
// tags of providers.XSection, in field order):
//
//	newpay:   {base_url, app_id, merchant_id, private_key_file, provider_public_key_file}
//	payermax: {base_url, app_id, merchant_no, private_key_file, provider_public_key_file}
//	...
//
// Unknown and repeated keys are errors, so a typo never passes silently. A
// relative key file path is relative to the directory of the config file,
// not to the working directory, so the file means the same wherever
// refundkit runs. base_url defaults to the provider's production host;
// merchant_no is optional; every other key is required in a section that
// is present. Every section also takes insecure_http
// (providers.InsecureHTTPKey).
type config struct {
	sections map[refundkit.Provider]providers.Section

	path string // where it was read from, for messages
}

// newConfig returns a config with the given sections.
func newConfig(sections map[refundkit.Provider]providers.Section) *config {
	if sections == nil {
		sections = map[refundkit.Provider]providers.Section{}
	}
	return &config{sections: sections}
}

// insecureHTTPKey is the section key of providers.InsecureHTTPKey.
const insecureHTTPKey = providers.InsecureHTTPKey

// configPath picks the config file: the flag, else $REFUNDKIT_CONFIG, else
// ./refundkit.yaml. explicit reports whether the user named it.
func configPath(flagValue string) (path string, explicit bool) {
	if flagValue != "" {
		return flagValue, true
	}
	if v := os.Getenv(configEnv); v != "" {
		return v, true
	}
	return defaultConfigFile, false
}

// loadConfig reads and strictly decodes the config file named by the
// --config flag's value (see configPath).
func loadConfig(flagValue string) (*config, error) {
	path, explicit := configPath(flagValue)
	raw, err := os.ReadFile(path)
	if err != nil {
		if !explicit && errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("no config file: pass --config FILE, set $%s, or create ./%s (see \"refundkit simulate\" for one that works with a simulator)",
				configEnv, defaultConfigFile)
		}
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("config file %s does not exist", path)
		}
		return nil, fmt.Errorf("read config: %w", err)
	}
	cfg, err := parseConfig(raw)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	cfg.path = path
	cfg.resolvePaths(filepath.Dir(path))
	return cfg, nil
}

// parseConfig decodes the YAML. Only the first document of the file counts.
func parseConfig(raw []byte) (*config, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return nil, yamlError(raw, err)
	}
	cfg := newConfig(nil)
	if len(doc.Content) == 0 || isNull(doc.Content[0]) {
		return cfg, nil // an empty file configures nothing
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: want a mapping with one section per provider (%s)", root.Line, providerList())
	}
	return cfg, eachKey(root, func(key, value *yaml.Node) error {
		d, err := providers.Lookup(refundkit.Provider(key.Value))
		if err != nil {
			return fmt.Errorf("line %d: unknown section %q (want %s)", key.Line, key.Value, providerList())
		}
		s := d.NewSection()
		cfg.sections[d.Provider] = s
		return decodeSection(key.Value, value, s)
	})
}

// decodeSection fills the struct dst points at from a mapping of scalar
// values, matching keys with the fields' yaml tags.
func decodeSection(name string, n *yaml.Node, dst any) error {
	v := reflect.ValueOf(dst).Elem()
	keys := tagKeys(v.Type(), "yaml")
	if isNull(n) {
		return nil // "newpay:" with nothing under it: an empty section
	}
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: %s must be a mapping with the keys %s", n.Line, name, strings.Join(keys, ", "))
	}
	return eachKey(n, func(key, value *yaml.Node) error {
		i := indexOf(keys, key.Value)
		if i < 0 {
			return fmt.Errorf("line %d: unknown key %q in %s (want %s)", key.Line, key.Value, name, strings.Join(keys, ", "))
		}
		field := v.Field(i)
		if value.Kind != yaml.ScalarNode {
			return fmt.Errorf("line %d: %s.%s must be a single value", value.Line, name, key.Value)
		}
		if err := value.Decode(field.Addr().Interface()); err != nil {
			if secretKeys[key.Value] {
				return fmt.Errorf("line %d: %s.%s is not a %s (its value is a secret, so it is not shown)", value.Line, name, key.Value, kindName(field.Kind()))
			}
			return fmt.Errorf("line %d: %s.%s: %q is not a %s", value.Line, name, key.Value, value.Value, kindName(field.Kind()))
		}
		return nil
	})
}

// secretKeys are the config keys whose values are secrets: no error
// message ever quotes their value.
var secretKeys = map[string]bool{"key1": true}

// anchorName finds the anchor name yaml.v3 quotes in its anchor and alias
// errors ("unknown anchor 's3cr3t' referenced"): the only input it echoes.
var anchorName = regexp.MustCompile(`anchor '([^']*)'`)

// yamlError reports a YAML syntax error without echoing the input. yaml.v3
// quotes an alias's anchor name, and "key1: *s3cr3t" makes that name a
// secret: the name is replaced by the line it is on.
func yamlError(raw []byte, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if m := anchorName.FindStringSubmatchIndex(msg); m != nil {
		name := msg[m[2]:m[3]]
		where := "anchor"
		if i := bytes.Index(raw, []byte("*"+name)); i >= 0 && name != "" {
			where = fmt.Sprintf("anchor (line %d; its name is not shown)", 1+bytes.Count(raw[:i], []byte("\n")))
		}
		msg = msg[:m[0]] + where + msg[m[1]:]
	}
	return fmt.Errorf("not valid YAML: %s", msg)
}

// eachKey calls fn for every key of a mapping node, in order, rejecting a
// key that repeats an earlier one.
func eachKey(n *yaml.Node, fn func(key, value *yaml.Node) error) error {
	seen := make(map[string]int, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, value := n.Content[i], n.Content[i+1]
		if line, dup := seen[key.Value]; dup {
			return fmt.Errorf("line %d: %q is already set on line %d", key.Line, key.Value, line)
		}
		seen[key.Value] = key.Line
		if err := fn(key, value); err != nil {
			return err
		}
	}
	return nil
}

// tagKeys lists the names a struct's fields have under tag ("yaml",
// "json"), in field order, so that keys[i] names field i. A field without
// the tag gets "" and so matches no key.
func tagKeys(t reflect.Type, tag string) []string {
	keys := make([]string, t.NumField())
	for i := range keys {
		keys[i], _, _ = strings.Cut(t.Field(i).Tag.Get(tag), ",")
	}
	return keys
}

func indexOf(keys []string, k string) int {
	for i, key := range keys {
		if key == k && k != "" {
			return i
		}
	}
	return -1
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

func kindName(k reflect.Kind) string {
	switch k {
	case reflect.Int64:
		return "whole number"
	case reflect.Bool:
		return "true or false"
	}
	return "string"
}

// resolvePaths makes the key file paths absolute, relative to dir.
func (c *config) resolvePaths(dir string) {
	for _, s := range c.sections {
		for _, p := range s.KeyFiles() {
			if *p != "" && !filepath.IsAbs(*p) {
				*p = filepath.Join(dir, *p)
			}
		}
	}
}

// providers lists the providers the file has a section for, in the stable
// order of refundkit.Providers.
func (c *config) providers() []refundkit.Provider {
	var ps []refundkit.Provider
	for _, p := range refundkit.Providers() {
		if c.has(p) {
			ps = append(ps, p)
		}
	}
	return ps
}

func (c *config) has(p refundkit.Provider) bool { return c.sections[p] != nil }

// marshal writes the config as YAML, sections in the usual order.
func (c *config) marshal() ([]byte, error) {
	root := &yaml.Node{Kind: yaml.MappingNode}
	for _, p := range c.providers() {
		var v yaml.Node
		if err := v.Encode(c.sections[p]); err != nil {
			return nil, fmt.Errorf("encode config: %w", err)
		}
		root.Content = append(root.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: string(p)}, &v)
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if len(root.Content) > 0 {
		if err := enc.Encode(root); err != nil {
			return nil, fmt.Errorf("encode config: %w", err)
		}
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode config: %w", err)
	}
	return b.Bytes(), nil
}

// String prints the sections as they print themselves (ZaloPay's without
// key1).
func (c *config) String() string {
	parts := make([]string, 0, len(c.sections))
	for _, p := range c.providers() {
		parts = append(parts, fmt.Sprintf("%s:%v", p, c.sections[p]))
	}
	return "{" + strings.Join(parts, " ") + "}"
}
