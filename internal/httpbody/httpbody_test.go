package httpbody

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadRequestLeavesGetBody(t *testing.T) {
	req, err := http.NewRequest(http.MethodPost, "http://127.0.0.1/", strings.NewReader("abc"))
	require.NoError(t, err)
	b, err := ReadRequest(req)
	require.NoError(t, err)
	assert.Equal(t, "abc", string(b))
	again, err := req.GetBody()
	require.NoError(t, err)
	rest, _ := io.ReadAll(again)
	assert.Equal(t, "abc", string(rest), "GetBody still gives the whole body")

	out := Clone(req, b)
	sent, _ := io.ReadAll(out.Body)
	assert.Equal(t, "abc", string(sent))
}

func TestReplay(t *testing.T) {
	boom := errors.New("boom")
	for _, tc := range []struct {
		name string
		err  error
		want error
	}{{"clean end", nil, nil}, {"read error", boom, boom}} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := io.ReadAll(Replay([]byte("xyz"), tc.err))
			assert.True(t, bytes.Equal(got, []byte("xyz")))
			assert.ErrorIs(t, err, tc.want)
			if tc.want == nil {
				assert.NoError(t, err)
			}
		})
	}
}
