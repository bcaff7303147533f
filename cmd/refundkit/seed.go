package main

import (
	"fmt"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/simulator"
)

// readSeedFile reads the refunds "refundkit simulate --seed FILE" seeds, for
// the simulated providers: YAML or JSON, either a mapping from provider name
// to a list of simulator.Refund (a provider left out gets none; a section
// for a provider not simulated is ignored) or, when one provider is
// simulated, just its list. Refunds have the keys of simulator.Refund's JSON
// form (refund_id, provider_refund_id, status, amount, currency,
// transitions, ...). Every value is taken as the text written, so an
// unquoted amount keeps its exact digits (10.50 stays "10.50") and a ZaloPay
// status may be written 1 or "1". Unknown and repeated keys are errors. For
// example:
//
//	{"payermax": [
//	  {"refund_id": "R1", "status": "REFUND_PENDING", "amount": "10.50", "currency": "USD",
//	   "transitions": [{"after": 2, "status": "REFUND_SUCCESS"}]}
//	]}
//
// or the same in YAML (see simulateDetails).
func readSeedFile(path string, providers []refundkit.Provider) (map[refundkit.Provider][]simulator.Refund, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read seed file: %w", err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("seed file %s: not valid YAML or JSON: %w", path, err)
	}
	out := make(map[refundkit.Provider][]simulator.Refund, len(providers))
	if len(doc.Content) == 0 || isNull(doc.Content[0]) {
		return out, nil
	}
	if err := decodeSeeds(doc.Content[0], providers, out); err != nil {
		return nil, fmt.Errorf("seed file %s: %w", path, err)
	}
	return out, nil
}

// decodeSeeds fills out from the seed file's root node: a list of refunds
// for the one provider simulated, or a mapping of provider to list.
func decodeSeeds(root *yaml.Node, providers []refundkit.Provider, out map[refundkit.Provider][]simulator.Refund) error {
	switch {
	case root.Kind == yaml.SequenceNode && len(providers) == 1:
		var refunds []simulator.Refund
		if err := decodeNode(root, reflect.ValueOf(&refunds).Elem()); err != nil {
			return err
		}
		out[providers[0]] = refunds
		return nil
	case root.Kind == yaml.SequenceNode:
		return fmt.Errorf("line %d: a list of refunds is for one --provider; for %s, write a mapping from provider to its list",
			root.Line, providerNames(providers, "and"))
	case root.Kind != yaml.MappingNode:
		return fmt.Errorf("line %d: want a mapping from provider to a list of refunds", root.Line)
	}
	return eachKey(root, func(key, value *yaml.Node) error {
		p, err := parseProvider(key.Value)
		if err != nil {
			return fmt.Errorf("line %d: %w", key.Line, err)
		}
		if !slices.Contains(providers, p) {
			return nil // a section for a provider this run does not simulate
		}
		var refunds []simulator.Refund
		if err := decodeNode(value, reflect.ValueOf(&refunds).Elem()); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		out[p] = refunds
		return nil
	})
}

// decodeNode fills v from n: structs by their fields' json tags, lists,
// text and whole numbers; all that simulator.Refund is made of.
func decodeNode(n *yaml.Node, v reflect.Value) error {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if isNull(n) {
		return nil
	}
	switch v.Kind() {
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			return fmt.Errorf("line %d: want a single value", n.Line)
		}
		v.SetString(n.Value)
	case reflect.Int:
		if n.Kind != yaml.ScalarNode {
			return fmt.Errorf("line %d: want a whole number", n.Line)
		}
		i, err := strconv.Atoi(n.Value)
		if err != nil {
			return fmt.Errorf("line %d: %q is not a whole number", n.Line, n.Value)
		}
		v.SetInt(int64(i))
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return fmt.Errorf("line %d: want a list", n.Line)
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, item := range n.Content {
			if err := decodeNode(item, s.Index(i)); err != nil {
				return err
			}
		}
		v.Set(s)
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return fmt.Errorf("line %d: want a mapping of keys", n.Line)
		}
		keys := tagKeys(v.Type(), "json")
		return eachKey(n, func(key, value *yaml.Node) error {
			i := indexOf(keys, key.Value)
			if i < 0 {
				return fmt.Errorf("line %d: unknown key %q (want %s)", key.Line, key.Value, strings.Join(keys, ", "))
			}
			return decodeNode(value, v.Field(i))
		})
	default:
		return fmt.Errorf("line %d: cannot decode into %s", n.Line, v.Type())
	}
	return nil
}
