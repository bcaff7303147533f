package contract_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit/contract"
)

// TestReplayRecordings replays every recording in testdata/recordings
// through the SDK, signature checks skipped: each must decode and map to
// what its "expect" says. A recording made with "refundkit contract
// --record" and dropped there becomes such a test.
func TestReplayRecordings(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "recordings", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, paths)
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			rec, err := contract.ReadRecording(path)
			require.NoError(t, err)
			got, err := rec.Replay()
			require.NoError(t, err)
			assert.Equal(t, rec.Expect, got)

			ex := rec.Exchange()
			require.NoError(t, contract.Check(t.Context(), &ex))
			assert.Equal(t, responseFindings(rec.Findings), responseFindings(ex.Findings),
				"the response checks as it did when recorded (redaction changes no response finding)")
		})
	}
}

// responseFindings keeps the findings about the response.
func responseFindings(fs []contract.Finding) []contract.Finding {
	out := []contract.Finding{}
	for _, f := range fs {
		if f.Side == contract.Response {
			out = append(out, f)
		}
	}
	return out
}
