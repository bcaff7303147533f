package main

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
	"github.com/refundkit/refundkit/simulator"
)

// simulating is a "refundkit simulate" running in the background.
type simulating struct {
	stdout, stderr *syncBuffer
	stop           context.CancelFunc
	code           chan int
}

// startSimulate runs simulate with args and waits until it is serving.
func startSimulate(t *testing.T, args ...string) *simulating {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &simulating{stdout: &syncBuffer{}, stderr: &syncBuffer{}, stop: cancel, code: make(chan int, 1)}
	go func() {
		s.code <- run(ctx, append([]string{"simulate", "--addr", "127.0.0.1:0"}, args...), strings.NewReader(""), s.stdout, s.stderr)
	}()
	t.Cleanup(func() {
		cancel()
		<-s.code // never leave the server running
		s.code <- 0
	})
	exited := func() bool {
		select {
		case code := <-s.code:
			s.code <- code
			return true
		default:
			return false
		}
	}
	require.Eventually(t, func() bool {
		return exited() || strings.Contains(s.stdout.String(), "Stop with Ctrl-C.")
	}, time.Minute, 5*time.Millisecond) // generous: simulate makes two RSA keys, slow under -race on a busy machine
	require.False(t, exited(), "simulate exited early: %s", s.stderr)
	return s
}

// configFile is the config path simulate printed.
func (s *simulating) configFile(t *testing.T) string {
	m := regexp.MustCompile(`(?m)^  config:  (.+)$`).FindStringSubmatch(s.stdout.String())
	require.NotNil(t, m, s.stdout.String())
	return m[1]
}

// exit stops the simulator as SIGINT would and returns its exit status.
func (s *simulating) exit() int {
	s.stop()
	code := <-s.code
	s.code <- code
	return code
}

func TestSimulateThenInquire(t *testing.T) {
	for _, p := range refundkit.Providers() {
		t.Run(string(p), func(t *testing.T) {
			dir := t.TempDir()
			s := startSimulate(t, "--provider", string(p), "--keys-dir", dir)
			assert.Regexp(t, `^`+string(p)+` simulator listening on http://127\.0\.0\.1:\d+\n`, s.stdout.String())
			config := s.configFile(t)
			assert.Equal(t, filepath.Join(dir, "refundkit.yaml"), config)
			for _, name := range []string{"merchant-private.pem", "platform-public.pem", "zalopay-key1.txt"} {
				assert.FileExists(t, filepath.Join(dir, name))
			}
			st, err := os.Stat(config)
			require.NoError(t, err)
			assert.Equal(t, os.FileMode(0o600), st.Mode().Perm(), "the config may hold key1")

			for _, ref := range simulator.DemoRefunds(p) {
				r := runCmd(t, "inquire", "--config", config, "--json", "--provider", string(p), "--refund-id", ref.RefundID)
				require.Equal(t, exitOK, r.code, r.stdout+r.stderr)
				assert.Contains(t, r.stdout, `"status":"`+string(demoStatus(t, ref.RefundID))+`"`)
			}
			// The printed suggestion works as printed.
			m := regexp.MustCompile(`refundkit (inquire .+)\n`).FindStringSubmatch(s.stdout.String())
			require.NotNil(t, m)
			r := runCmd(t, strings.Fields(m[1])...)
			assert.Equal(t, exitOK, r.code, r.stderr)

			assert.Equal(t, exitOK, s.exit())
			n := len(simulator.DemoRefunds(p)) + 1
			assert.Contains(t, s.stderr.String(), "refundkit simulate: stopped after "+strconv.Itoa(n)+" requests (0 rejected, 0 for unknown refunds)")
			assert.FileExists(t, config, "an explicit --keys-dir is kept")
		})
	}
}

// A relative --keys-dir: the printed config path is relative to where
// simulate ran, and the key paths inside it relative to the config file, so
// the printed suggestion works there and the config works from anywhere.
func TestSimulateRelativeKeysDir(t *testing.T) {
	work := t.TempDir()
	t.Chdir(work)
	s := startSimulate(t, "--provider", "newpay", "--keys-dir", filepath.Join("keys", "newpay"))
	config := s.configFile(t)
	assert.Equal(t, filepath.Join("keys", "newpay", "refundkit.yaml"), config)
	body, err := os.ReadFile(config)
	require.NoError(t, err)
	assert.Contains(t, string(body), "private_key_file: merchant-private.pem\n")
	assert.Contains(t, string(body), "provider_public_key_file: platform-public.pem\n")

	m := regexp.MustCompile(`refundkit (inquire .+)\n`).FindStringSubmatch(s.stdout.String())
	require.NotNil(t, m, s.stdout.String())
	r := runCmd(t, strings.Fields(m[1])...)
	assert.Equal(t, exitOK, r.code, r.stderr)

	t.Chdir(t.TempDir()) // somewhere else: the same file, named absolutely
	r = runCmd(t, "inquire", "--config", filepath.Join(work, config), "--provider", "newpay", "--refund-id", "demo-newpay-succeeded")
	assert.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, exitOK, s.exit())
}

func TestSimulateTemporaryKeysAreRemoved(t *testing.T) {
	s := startSimulate(t, "--provider", "zalopay")
	config := s.configFile(t)
	assert.Contains(t, s.stdout.String(), "(throwaway; removed on exit)")
	assert.FileExists(t, config)
	assert.Equal(t, exitOK, s.exit())
	assert.NoDirExists(t, filepath.Dir(config))
}

func TestSimulateSeedFile(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, file, content string
		provider, refundID  string
		want                string
	}{
		{"yaml", "seed.yaml", `
# exact digits, even unquoted
- refund_id: R-1
  provider_refund_id: T-1
  status: REFUND_SUCCESS
  amount: 10.50
  currency: USD
`, "payermax", "R-1",
			`{"provider":"payermax","refund_id":"R-1","status":"succeeded","provider_status":"REFUND_SUCCESS","amount":{"value":"10.50","currency":"USD"},"verified":true}`},
		{"json", "seed.json", `[{"refund_id": "Z-1", "status": "3", "sub_status": "3"}]`, "zalopay", "Z-1",
			`{"provider":"zalopay","refund_id":"Z-1","status":"pending","provider_status":"3","amount":null,"verified":false}`},
		{"yaml numbers for text", "seed2.yaml", "- {refund_id: N-1, status: 1, amount: 1000, currency: LAK}\n", "newpay", "N-1",
			`{"provider":"newpay","refund_id":"N-1","status":"succeeded","provider_status":"1","amount":{"value":"1000","currency":"LAK"},"verified":true}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seed := writeFile(t, dir, tt.file, tt.content)
			s := startSimulate(t, "--provider", tt.provider, "--seed", seed)
			assert.Contains(t, s.stdout.String(), "  refunds: 1 seeded: "+tt.refundID+"\n")
			r := runCmd(t, "inquire", "--config", s.configFile(t), "--json", "--provider", tt.provider, "--refund-id", tt.refundID)
			require.Equal(t, exitOK, r.code, r.stdout+r.stderr)
			assert.Equal(t, tt.want+"\n", r.stdout)
		})
	}
}

func TestSimulateFailures(t *testing.T) {
	dir := t.TempDir()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer busy.Close()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"missing seed file", []string{"--provider", "newpay", "--seed", filepath.Join(dir, "none.yaml")}, "read seed file: open "},
		{"bad seed file", []string{"--provider", "newpay", "--seed", writeFile(t, dir, "bad.yaml", "- refund_id: A\n  colour: red\n")},
			`line 2: unknown key "colour"`},
		{"duplicate refund", []string{"--provider", "payermax", "--seed", writeFile(t, dir, "dup.yaml", "- {refund_id: A, status: REFUND_SUCCESS}\n- {refund_id: A, status: REFUND_FAILED}\n")},
			"simulator: duplicate refund id"},
		{"refund the provider cannot express", []string{"--provider", "newpay", "--seed", writeFile(t, dir, "np.yaml", "- {refund_id: A, status: maybe}\n")},
			"simulator: invalid refund"},
		{"address in use", []string{"--provider", "alphapay", "--addr", busy.Addr().String()}, "listen tcp " + busy.Addr().String()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCmd(t, append([]string{"simulate"}, tt.args...)...)
			assert.Equal(t, exitFailure, r.code)
			assert.Contains(t, r.stderr, tt.want)
			assert.True(t, strings.HasPrefix(r.stderr, "refundkit: simulate: "), r.stderr)
			assert.Empty(t, r.stdout)
		})
	}
}
