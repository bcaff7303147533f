package sign

import (
	"encoding/json"
	"maps"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNewPayOneSignatureOneReading is the attack: NewPay's string
// "tranInfo=rejected&tranStatus=1" is the canonical string of both
// {"tranInfo":"rejected&tranStatus=1"} (no status: unknown) and
// {"tranInfo":"rejected","tranStatus":1} (succeeded). Only the second
// reading may ever verify, and nothing ambiguous may be signed.
func TestNewPayOneSignatureOneReading(t *testing.T) {
	k := loadKeys(t)
	platform := NewPay{PrivateKey: k.platform, PublicKey: k.platformPub}
	const canonical = "tranInfo=rejected&tranStatus=1"
	sig, err := platform.Sign(canonical)
	require.NoError(t, err)
	quoted, err := json.Marshal(sig)
	require.NoError(t, err)
	with := func(members string) []byte { return []byte(`{` + members + `,"sign":` + string(quoted) + `}`) }

	require.NoError(t, platform.VerifyJSON(with(`"tranInfo":"rejected","tranStatus":1`)), "the clean reading verifies")
	for name, object := range map[string][]byte{
		"& escaped":                   with(`"tranInfo":"rejected\u0026tranStatus=1"`),
		"& and = escaped":             with(`"tranInfo":"rejected\u0026tranStatus\u003d1"`),
		"& plain":                     with(`"tranInfo":"rejected&tranStatus=1"`),
		"split in the name instead":   with(`"tranInfo=rejected&tranStatus":1`),
		"split across name and value": with(`"tranInfo":"rejected&tranStatus","":1`),
	} {
		t.Run(name, func(t *testing.T) {
			err := platform.VerifyJSON(object)
			assert.ErrorIs(t, err, ErrInvalidSignature)
			assert.ErrorIs(t, err, ErrAmbiguousCanonical)
		})
	}
	t.Run("nothing ambiguous is signed", func(t *testing.T) {
		merchant := NewPay{PrivateKey: k.merchant}
		for _, body := range []string{
			`{"appId":"A1","merchantId":"M1&appId=A2","refundOrderNo":"R1","timestamp":1}`,
			`{"appId":"A1","merchantId":"M1","refundOrderNo":"R1=","timestamp":1}`,
		} {
			_, err := merchant.SignJSON([]byte(body))
			assert.ErrorIs(t, err, ErrAmbiguousCanonical, body)
		}
	})
}

// FuzzNewPayCanonicalInjective asserts that the canonical string is
// injective on what it accepts: two accepted data objects that differ as
// member sets (name to value text, null and sign members left out, as
// encoding/json decodes them) never share a canonical string, so no
// signature verifies two different answers.
func FuzzNewPayCanonicalInjective(f *testing.F) {
	v := loadVectors(f)
	for _, pair := range [][2]string{
		{`{"tranInfo":"rejected\u0026tranStatus=1"}`, `{"tranInfo":"rejected","tranStatus":1}`},
		{`{"a":"1&b=2"}`, `{"a":"1","b":"2"}`},
		{`{"a=1&b":"2"}`, `{"a":"1","b":"2"}`},
		{`{"a":"1","b":"x"}`, `{"a":"1&b=x"}`},
		{`{"a":"","b":"1"}`, `{"a":"&b=1"}`},
		{`{"":"x"}`, `{}`},
		{`{"a":null}`, `{}`},
		{string(v.NewPay.ResponseData), string(v.NewPay.ResponseData)},
	} {
		f.Add([]byte(pair[0]), []byte(pair[1]))
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		ca, errA := NewPayCanonicalJSON(a)
		cb, errB := NewPayCanonicalJSON(b)
		if errA != nil || errB != nil {
			return
		}
		ma, mb := memberSet(t, a), memberSet(t, b)
		if !maps.Equal(ma, mb) && ca == cb {
			t.Fatalf("%q and %q are different answers with one canonical string %q", a, b, ca)
		}
	})
}

// memberSet decodes an accepted flat object with encoding/json into its
// members as text: the reading a caller acts on.
func memberSet(t *testing.T, object []byte) map[string]string {
	t.Helper()
	set := map[string]string{}
	for name, v := range decodeUseNumber(t, object) {
		if v == nil || name == NewPaySignField {
			continue
		}
		switch v := v.(type) {
		case string:
			set[name] = v
		case json.Number:
			set[name] = string(v)
		case bool:
			set[name] = map[bool]string{true: "true", false: "false"}[v]
		default:
			t.Fatalf("accepted object has member %q of type %T", name, v)
		}
	}
	return set
}
