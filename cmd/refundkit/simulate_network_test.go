package main

import (
	"net"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
)

// TestSimulateClientURL: the base URL simulate writes for a listener on
// every interface (--addr 0.0.0.0:8080, :8080) is one a client can reach,
// 127.0.0.1, not "http://[::]:8080", which the command refuses as another
// machine.
func TestSimulateClientURL(t *testing.T) {
	for _, tt := range []struct {
		addr *net.TCPAddr
		want string
	}{
		{&net.TCPAddr{IP: net.IPv4zero, Port: 8080}, "http://127.0.0.1:8080"},
		{&net.TCPAddr{IP: net.IPv6unspecified, Port: 8080}, "http://127.0.0.1:8080"},
		{&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080}, "http://127.0.0.1:8080"},
		{&net.TCPAddr{IP: net.IPv6loopback, Port: 8080}, "http://[::1]:8080"},
		{&net.TCPAddr{IP: net.IPv4(192, 0, 2, 10), Port: 8080}, "http://192.0.2.10:8080"},
	} {
		assert.Equal(t, tt.want, clientURL(tt.addr), tt.addr.String())
	}
}

// TestSimulateFilesTestNetwork: for a simulator on a test network address
// the refundkit.yaml simulate writes sets insecure_http in every section,
// so its own "Try:" lines work; on loopback it does not. reconcile builds
// every configured client before reading rows, and the input has none, so
// nothing is sent.
func TestSimulateFilesTestNetwork(t *testing.T) {
	keys, err := testKeys()
	require.NoError(t, err)
	for _, tt := range []struct {
		url      string
		insecure bool
	}{
		{"http://192.0.2.10:8080", true},
		{"http://127.0.0.1:8080", false},
	} {
		t.Run(tt.url, func(t *testing.T) {
			s := &simulation{providers: refundkit.Providers(), url: tt.url, dir: t.TempDir()}
			files, err := writeSimulationFiles(s, keys)
			require.NoError(t, err)
			body := readFile(t, files.config)
			assert.Equal(t, map[bool]int{true: len(refundkit.Providers()), false: 0}[tt.insecure],
				countLines(body, "  "+insecureHTTPKey+": true"), body)
			in := writeFile(t, s.dir, "in.csv", "provider,refund_id\n")
			r := runCmd(t, "reconcile", "--config", files.config, "--input", in)
			assert.Equal(t, exitOK, r.code, r.stderr)
		})
	}
}

// countLines counts the lines of s equal to line.
func countLines(s, line string) int {
	n := 0
	for _, l := range strings.Split(s, "\n") {
		if l == line {
			n++
		}
	}
	return n
}
