package refundkit_test

import (
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// README.md's library snippet is a whole program whose main is Example's
// body, with Example's imports: so it compiles, vets and runs as pasted
// whenever Example does.
func TestREADMELibrarySnippet(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	require.NoError(t, err)
	m := regexp.MustCompile("(?s)\n## Use the library\n.*?\n```go\n(.*?)```\n").FindSubmatch(readme)
	require.NotNil(t, m, "README.md has no go block under \"## Use the library\"")
	snippet := m[1]
	formatted, err := format.Source(snippet)
	require.NoError(t, err, "the snippet does not parse as a Go file")
	assert.Equal(t, string(formatted), string(snippet), "the snippet is not gofmt'ed")

	exampleFile := filepath.Join(repoRoot, "example_test.go")
	example, err := os.ReadFile(exampleFile)
	require.NoError(t, err)

	gotImports, gotMain := funcBody(t, "README.md", snippet, "main")
	wantImports, wantBody := funcBody(t, exampleFile, example, "Example")
	// An example's expected output is for go test, not for the reader.
	if i := strings.Index(wantBody, "\n\t// Output:"); i >= 0 {
		wantBody = wantBody[:i] + "\n}"
	}
	assert.Equal(t, wantImports, gotImports, "README's imports are not Example's")
	assert.Equal(t, wantBody, gotMain, "README's main is not Example's body")
	assert.Contains(t, string(snippet), "package main\n")
}

// funcBody parses src and returns its import paths and the source text of
// the body of the function name.
func funcBody(t *testing.T, filename string, src []byte, name string) (imports []string, body string) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filename, src, parser.ParseComments)
	require.NoError(t, err)
	for _, imp := range f.Imports {
		path, err := strconv.Unquote(imp.Path.Value)
		require.NoError(t, err)
		imports = append(imports, path)
	}
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok && fn.Name.Name == name && fn.Recv == nil {
			return imports, string(src[fset.Position(fn.Body.Lbrace).Offset : fset.Position(fn.Body.Rbrace).Offset+1])
		}
	}
	t.Fatalf("%s has no func %s", filename, name)
	return nil, ""
}
