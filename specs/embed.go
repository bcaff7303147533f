// Package specs holds refundkit's hand-written OpenAPI 3.0 descriptions of each
// provider's refund-inquiry endpoint. They are the source of the generated
// clients in gen/, and the simulators and contract tests validate traffic
// against them at run time.
package specs

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
)

//go:embed *.yaml
var files embed.FS

// Names lists the providers that have a spec, in byte order: every
// <name>.yaml in this directory but the generator configurations
// (*.cfg.yaml) and the linter's (redocly.yaml). A new spec is listed by
// being here.
var Names = names()

func names() []string {
	all, _ := fs.Glob(files, "*.yaml")
	var out []string
	for _, f := range all {
		if !strings.HasSuffix(f, ".cfg.yaml") && f != "redocly.yaml" {
			out = append(out, strings.TrimSuffix(f, ".yaml"))
		}
	}
	return out
}

// Raw returns the YAML text of the named provider's spec (one of Names).
func Raw(name string) ([]byte, error) {
	b, err := files.ReadFile(name + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("specs: no spec named %q: %w", name, err)
	}
	return b, nil
}

var cache sync.Map // name -> *loaded

type loaded struct {
	once sync.Once
	doc  *openapi3.T
	err  error
}

// Load parses and validates the named provider's spec. The result is cached:
// callers share one *openapi3.T and must not modify it.
func Load(name string) (*openapi3.T, error) {
	v, _ := cache.LoadOrStore(name, &loaded{})
	l := v.(*loaded)
	l.once.Do(func() { l.doc, l.err = load(name) })
	return l.doc, l.err
}

func load(name string) (*openapi3.T, error) {
	raw, err := Raw(name)
	if err != nil {
		return nil, err
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(raw)
	if err != nil {
		return nil, fmt.Errorf("specs: load %s: %w", name, err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("specs: validate %s: %w", name, err)
	}
	return doc, nil
}
