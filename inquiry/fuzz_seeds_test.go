package inquiry_test

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/refundkit/refundkit"
)

// flipBit returns a standard base64 signature with one bit of the decoded
// signature flipped (or a signature that decodes to nothing useful, if sig
// is not base64).
func flipBit(sig string) string {
	b, err := base64.StdEncoding.DecodeString(sig)
	if err != nil || len(b) == 0 {
		return "AAAA"
	}
	b[len(b)/2] ^= 1
	return base64.StdEncoding.EncodeToString(b)
}

// fuzzVectors are the response vectors of sign/testdata/vectors.json,
// signed with the test platform key.
type fuzzVectors struct {
	PayerMax struct {
		ResponseBody string `json:"response_body"`
		ResponseSign string `json:"response_sign_platform_key"`
	} `json:"payermax"`
	AlphaPay struct {
		Path     string `json:"path"`
		Response struct {
			ResponseTime string `json:"Response-Time"`
			Nonce        string `json:"Nonce"`
			Body         string `json:"body"`
			Signature    string `json:"Signature_header"`
		} `json:"response"`
	} `json:"alphapay"`
	NewPay struct {
		ResponseData json.RawMessage `json:"response_data"`
	} `json:"newpay"`
}

func loadFuzzVectors(f *testing.F) fuzzVectors {
	data, err := os.ReadFile(filepath.Join("..", "sign", "testdata", "vectors.json"))
	require.NoError(f, err)
	var v fuzzVectors
	require.NoError(f, json.Unmarshal(data, &v))
	return v
}

// specExamples returns the response examples of provider p's spec tests
// (specs/testdata/<p>/*response*.json).
func specExamples(f *testing.F, p refundkit.Provider) [][]byte {
	names, err := filepath.Glob(filepath.Join("..", "specs", "testdata", string(p), "*response*.json"))
	require.NoError(f, err)
	require.NotEmpty(f, names)
	var out [][]byte
	for _, name := range names {
		data, err := os.ReadFile(name)
		require.NoError(f, err)
		out = append(out, data)
	}
	return out
}

// fuzzModes are the modes every body seed is added with: as given, signed,
// forged, and signed under each other HTTP status.
var fuzzModes = []uint8{fuzzAsGiven, fuzzSigned, fuzzForged, fuzzSigned | 4<<2, fuzzSigned | 5<<2, fuzzSigned | 6<<2, fuzzSigned | 7<<2}
