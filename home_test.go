package refundkit_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/inquiry"
)

// TestProviderNamesAtHome holds the tree to "one provider, one home": a
// top-level name (func, method, type, var or const) that names a provider
// is declared in a file whose name names that provider too, so that a
// reader finds a provider's whole path in its own files. The check covers
// every package's non-test files outside gen/ and cmd/, but provider.go,
// the list of names itself. A name names a provider when a run of its
// words spells it (NewPay2Config, alphaPayCodes, payermaxStatuses; not
// NewPayerMax); "newpay" names NewPay's API family, v2 included.
func TestProviderNamesAtHome(t *testing.T) {
	fset := token.NewFileSet()
	walkShared(t, func(path string) {
		if path == filepath.Join(repoRoot, "provider.go") {
			return
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		require.NoError(t, err)
		for _, name := range topLevelNames(f) {
			if p, ok := namedProvider(name.Name); ok && !strings.Contains(strings.ToLower(filepath.Base(path)), p) {
				t.Errorf("%s: %s names provider %s but is declared outside %s's files", fset.Position(name.Pos()), name.Name, p, p)
			}
		}
	})
}

// TestProviderFieldsAtHome: the provider's own names for the Query fields it
// takes (refundOrderNo, m_refund_id, ...) are written, as strings, only in
// that provider's files, outside gen/ and cmd/: a file shared by every
// provider spells none, so a provider added later edits none. (The
// contract recorder's list of identifiers to pseudonymise was one, in
// contract/redact.go; each provider's replay file declares its own now.)
func TestProviderFieldsAtHome(t *testing.T) {
	names := map[string]refundkit.Provider{}
	for _, p := range refundkit.Providers() {
		f, ok := inquiry.QueryFieldsOf(p)
		require.True(t, ok, p)
		for _, q := range []*inquiry.QueryField{f.RefundID, f.ProviderRefundID, f.RefundRequestID} {
			if q != nil {
				names[q.Name] = p
			}
		}
	}
	fset := token.NewFileSet()
	walkShared(t, func(path string) {
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		require.NoError(t, err)
		if _, ok := namedProvider(strings.TrimSuffix(filepath.Base(path), ".go")); ok {
			return // a provider's own file
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if v, err := strconv.Unquote(lit.Value); err == nil && names[v] != "" {
					t.Errorf("%s: %q is %s's field, spelled in a file every provider shares", fset.Position(lit.Pos()), v, names[v])
				}
			}
			return true
		})
	})
}

// walkShared calls fn with every non-test Go file outside gen/, cmd/ and
// testdata.
func walkShared(t *testing.T, fn func(path string)) {
	t.Helper()
	err := filepath.WalkDir(repoRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(repoRoot, path)
		if d.IsDir() {
			if rel == "gen" || rel == "cmd" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") && rel != "." {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
			fn(path)
		}
		return nil
	})
	require.NoError(t, err)
}

// namedProvider reports the provider a run of ident's words spells,
// ignoring case: the longest such name, so NewPay2Config names newpay2.
func namedProvider(ident string) (string, bool) {
	words := identWord.FindAllString(ident, -1)
	found := ""
	for i := range words {
		run := ""
		for _, w := range words[i:] {
			run += strings.ToLower(w)
			if refundkit.Provider(run).Valid() && len(run) > len(found) {
				found = run
			}
		}
	}
	return found, found != ""
}

// identWord is one word of a Go identifier: an upper-case run, a
// capitalised or lower-case word, each with the digits that follow it.
var identWord = regexp.MustCompile(`[A-Z]+[0-9]*(?:[a-z]+[0-9]*)?|[a-z]+[0-9]*`)

// topLevelNames lists the names f declares at its top level: functions,
// methods, types, variables and constants.
func topLevelNames(f *ast.File) []*ast.Ident {
	var names []*ast.Ident
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			names = append(names, d.Name)
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch s := spec.(type) {
				case *ast.TypeSpec:
					names = append(names, s.Name)
				case *ast.ValueSpec:
					names = append(names, s.Names...)
				}
			}
		}
	}
	return names
}
