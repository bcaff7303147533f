package main

import (
	"fmt"
	"os"
	"reflect"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/refundkit/refundkit/simulator"
)

// readSeedFile reads the refunds "refundkit simulate --seed FILE" seeds: a
// YAML or JSON list of simulator.Refund, with the keys of its JSON form
// (refund_id, provider_refund_id, status, amount, currency, transitions,
// ...). Every value is taken as the text written, so an unquoted amount
// keeps its exact digits (10.50 stays "10.50") and a ZaloPay status may be
// written 1 or "1". Unknown and repeated keys are errors. For example:
//
//	[
//	  {"refund_id": "R1", "status": "REFUND_PENDING", "amount": "10.50", "currency": "USD",
//	   "transitions": [{"after": 2, "status": "REFUND_SUCCESS"}]}
//	]
//
// or the same in YAML (see simulateDetails).
func readSeedFile(path string) ([]simulator.Refund, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read seed file: %w", err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("seed file %s: not valid YAML or JSON: %w", path, err)
	}
	var refunds []simulator.Refund
	if len(doc.Content) > 0 {
		root := doc.Content[0]
		if root.Kind != yaml.SequenceNode && !isNull(root) {
			return nil, fmt.Errorf("seed file %s: line %d: want a list of refunds", path, root.Line)
		}
		if err := decodeNode(root, reflect.ValueOf(&refunds).Elem()); err != nil {
			return nil, fmt.Errorf("seed file %s: %w", path, err)
		}
	}
	return refunds, nil
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
