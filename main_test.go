package refundkit_test

import (
	"fmt"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/simulator"
)

// repoRoot is the directory the tests started in, the repository root,
// before TestMain moved to a scratch directory.
var repoRoot string

// TestMain sets the scene Example expects, as a user following README.md
// would: a keys/ directory as "refundkit simulate --keys-dir keys" writes
// it, in the working directory, and a PayerMax simulator with the demo
// refunds at $PAYERMAX_BASE_URL. Every test of this package runs in that
// scratch directory; repoRoot names the repository.
func TestMain(m *testing.M) {
	os.Exit(runInScene(m))
}

func runInScene(m *testing.M) int {
	var err error
	if repoRoot, err = os.Getwd(); err != nil {
		return fail(err)
	}
	scratch, err := os.MkdirTemp("", "refundkit-example-")
	if err != nil {
		return fail(err)
	}
	defer os.RemoveAll(scratch)
	keys, err := simulator.GenerateKeys()
	if err != nil {
		return fail(err)
	}
	if _, err := keys.WriteFiles(scratch + "/keys"); err != nil {
		return fail(err)
	}
	sim, err := simulator.New(simulator.DemoConfig(keys, nil)[refundkit.PayerMax])
	if err == nil {
		err = sim.Seed(simulator.DemoRefunds(refundkit.PayerMax)...)
	}
	if err != nil {
		return fail(err)
	}
	srv := httptest.NewServer(sim)
	defer srv.Close()
	if err := os.Setenv("PAYERMAX_BASE_URL", srv.URL); err != nil {
		return fail(err)
	}
	if err := os.Chdir(scratch); err != nil {
		return fail(err)
	}
	defer os.Chdir(repoRoot) // leaving anyway: an error here changes nothing
	return m.Run()
}

func fail(err error) int {
	fmt.Fprintln(os.Stderr, "refundkit tests:", err)
	return 1
}
