package sign

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"io/fs"
	"math/big"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The encrypted keys in testdata are throwaway keys made with OpenSSL 3 and
// the passphrase "refundkit-test":
//
//	openssl genrsa -traditional -aes128 -passout pass:refundkit-test 2048 > encrypted-pkcs1.pem
//	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -aes-256-cbc \
//		-pass pass:refundkit-test > encrypted-pkcs8.pem

func TestParsePrivateKeyFormats(t *testing.T) {
	v, k := loadVectors(t), loadKeys(t)
	pkcs8PEM := readTestdata(t, "merchant-private.pem")
	pkcs8 := mustPEMBytes(t, pkcs8PEM)
	pkcs1 := x509.MarshalPKCS1PrivateKey(k.merchant.key)
	cert := selfSignedCert(t, k.merchant.key)

	tests := []struct {
		name string
		in   []byte
	}{
		{name: "PKCS#8 PEM", in: pkcs8PEM},
		{name: "PKCS#1 PEM", in: pemBlock("RSA PRIVATE KEY", pkcs1)},
		{name: "PKCS#8 PEM after other text and a certificate", in: append(append([]byte("Bag Attributes\n"), cert...), pkcs8PEM...)},
		{name: "PKCS#8 base64 DER, one line", in: []byte(base64.StdEncoding.EncodeToString(pkcs8))},
		{name: "PKCS#1 base64 DER, one line", in: []byte(base64.StdEncoding.EncodeToString(pkcs1))},
		{name: "PKCS#8 base64 DER, 64 columns, CRLF", in: wrapLines(base64.StdEncoding.EncodeToString(pkcs8), 64, "\r\n")},
		{name: "PKCS#1 base64 DER, 76 columns, LF, indented", in: append([]byte("  \t"), wrapLines(base64.StdEncoding.EncodeToString(pkcs1), 76, "\n  ")...)},
		{name: "PKCS#8 base64 DER without padding", in: []byte(base64.RawStdEncoding.EncodeToString(pkcs8))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParsePrivateKey(tt.in)
			require.NoError(t, err)
			assert.True(t, got.key.Equal(k.merchant.key))
			sig, err := got.signSHA256([]byte(v.NewPay.RequestCanonical))
			require.NoError(t, err)
			assert.Equal(t, v.NewPay.RequestSign, base64.StdEncoding.EncodeToString(sig))
		})
	}
}

func TestParsePublicKeyFormats(t *testing.T) {
	k := loadKeys(t)
	spkiPEM := readTestdata(t, "merchant-public.pem")
	spki := mustPEMBytes(t, spkiPEM)
	pkcs1 := x509.MarshalPKCS1PublicKey(&k.merchant.key.PublicKey)

	tests := []struct {
		name string
		in   []byte
	}{
		{name: "SPKI PEM", in: spkiPEM},
		{name: "PKCS#1 PEM", in: pemBlock("RSA PUBLIC KEY", pkcs1)},
		{name: "certificate PEM", in: selfSignedCert(t, k.merchant.key)},
		{name: "SPKI base64 DER, one line", in: []byte(base64.StdEncoding.EncodeToString(spki))},
		{name: "SPKI base64 DER, 64 columns", in: wrapLines(base64.StdEncoding.EncodeToString(spki), 64, "\n")},
		{name: "PKCS#1 base64 DER", in: []byte(" " + base64.StdEncoding.EncodeToString(pkcs1) + "\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParsePublicKey(tt.in)
			require.NoError(t, err)
			assert.True(t, got.key.Equal(&k.merchant.key.PublicKey))
			assert.True(t, got.key.Equal(k.merchant.Public().key))
		})
	}
}

// keyErrorCase is key material a key parser must refuse, and the error it
// must refuse it with.
type keyErrorCase struct {
	name string
	in   []byte
	want error
}

// badKeys is key material of the wrong kind or size: EC, Ed25519 and
// 1024-bit RSA keys, in the encodings a parser might meet them.
type badKeys struct {
	ecPKCS8, ecSEC1, ecSPKI, edPKCS8 []byte
	small                            *rsa.PrivateKey
	smallPKCS8, smallSPKI            []byte
}

func newBadKeys(t *testing.T) badKeys {
	t.Helper()
	var b badKeys
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	b.ecPKCS8, err = x509.MarshalPKCS8PrivateKey(ec)
	require.NoError(t, err)
	b.ecSEC1, err = x509.MarshalECPrivateKey(ec)
	require.NoError(t, err)
	b.ecSPKI, err = x509.MarshalPKIXPublicKey(&ec.PublicKey)
	require.NoError(t, err)
	_, ed, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	b.edPKCS8, err = x509.MarshalPKCS8PrivateKey(ed)
	require.NoError(t, err)
	b.small, err = rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	b.smallPKCS8, err = x509.MarshalPKCS8PrivateKey(b.small)
	require.NoError(t, err)
	b.smallSPKI, err = x509.MarshalPKIXPublicKey(&b.small.PublicKey)
	require.NoError(t, err)
	return b
}

// privateKeyErrorCases are what ParsePrivateKey must refuse.
func privateKeyErrorCases(t *testing.T, k testKeys, bad badKeys) []keyErrorCase {
	spki := mustPEMBytes(t, readTestdata(t, "merchant-public.pem"))
	b64 := base64.StdEncoding.EncodeToString
	return []keyErrorCase{
		{name: "encrypted PKCS#1 PEM (Proc-Type)", in: readTestdata(t, "encrypted-pkcs1.pem"), want: ErrEncryptedKey},
		{name: "encrypted PKCS#8 PEM", in: readTestdata(t, "encrypted-pkcs8.pem"), want: ErrEncryptedKey},
		{name: "EC PKCS#8 PEM", in: pemBlock("PRIVATE KEY", bad.ecPKCS8), want: ErrWrongKeyType},
		{name: "EC SEC1 PEM", in: pemBlock("EC PRIVATE KEY", bad.ecSEC1), want: ErrWrongKeyType},
		{name: "EC PKCS#8 base64", in: []byte(b64(bad.ecPKCS8)), want: ErrWrongKeyType},
		{name: "EC SEC1 base64", in: []byte(b64(bad.ecSEC1)), want: ErrWrongKeyType},
		{name: "Ed25519 PKCS#8 PEM", in: pemBlock("PRIVATE KEY", bad.edPKCS8), want: ErrWrongKeyType},
		{name: "public key PEM", in: readTestdata(t, "merchant-public.pem"), want: ErrWrongKeyType},
		{name: "public key base64", in: []byte(b64(spki)), want: ErrWrongKeyType},
		{name: "1024-bit RSA PEM", in: pemBlock("PRIVATE KEY", bad.smallPKCS8), want: ErrKeyTooSmall},
		{name: "1024-bit RSA PKCS#1 base64", in: []byte(b64(x509.MarshalPKCS1PrivateKey(bad.small))), want: ErrKeyTooSmall},
		{name: "empty", in: nil, want: ErrNotKey},
		{name: "white space", in: []byte(" \n\t"), want: ErrNotKey},
		{name: "garbage text", in: []byte("hello, world"), want: ErrNotKey},
		{name: "base64 of garbage", in: []byte(b64([]byte("not a DER key at all"))), want: ErrNotKey},
		{name: "PEM with broken base64", in: []byte("-----BEGIN PRIVATE KEY-----\n@@@\n-----END PRIVATE KEY-----\n"), want: ErrNotKey},
		{name: "PEM with garbage DER", in: pemBlock("PRIVATE KEY", []byte("garbage")), want: ErrNotKey},
		{name: "certificate only", in: selfSignedCert(t, k.merchant.key), want: ErrNotKey},
	}
}

// publicKeyErrorCases are what ParsePublicKey must refuse.
func publicKeyErrorCases(t *testing.T, k testKeys, bad badKeys) []keyErrorCase {
	pkcs8 := mustPEMBytes(t, readTestdata(t, "merchant-private.pem"))
	b64 := base64.StdEncoding.EncodeToString
	return []keyErrorCase{
		{name: "EC SPKI PEM", in: pemBlock("PUBLIC KEY", bad.ecSPKI), want: ErrWrongKeyType},
		{name: "EC SPKI base64", in: []byte(b64(bad.ecSPKI)), want: ErrWrongKeyType},
		{name: "private key PEM", in: readTestdata(t, "merchant-private.pem"), want: ErrWrongKeyType},
		{name: "private key base64", in: []byte(b64(pkcs8)), want: ErrWrongKeyType},
		{name: "PKCS#1 private key base64", in: []byte(b64(x509.MarshalPKCS1PrivateKey(k.merchant.key))), want: ErrWrongKeyType},
		{name: "EC private key PEM", in: pemBlock("EC PRIVATE KEY", bad.ecSEC1), want: ErrWrongKeyType},
		{name: "encrypted PEM", in: readTestdata(t, "encrypted-pkcs8.pem"), want: ErrEncryptedKey},
		{name: "1024-bit RSA SPKI", in: pemBlock("PUBLIC KEY", bad.smallSPKI), want: ErrKeyTooSmall},
		{name: "1024-bit RSA certificate", in: selfSignedCert(t, bad.small), want: ErrKeyTooSmall},
		{name: "garbage text", in: []byte("-"), want: ErrNotKey},
		{name: "PEM with garbage DER", in: pemBlock("PUBLIC KEY", []byte("garbage")), want: ErrNotKey},
		{name: "garbage certificate", in: pemBlock("CERTIFICATE", []byte("garbage")), want: ErrNotKey},
		{name: "no PEM block of any use", in: pemBlock("X509 CRL", []byte("x")), want: ErrNotKey},
	}
}

func TestParseKeyErrors(t *testing.T) {
	k, bad := loadKeys(t), newBadKeys(t)
	for _, tt := range privateKeyErrorCases(t, k, bad) {
		t.Run("private/"+tt.name, func(t *testing.T) {
			got, err := ParsePrivateKey(tt.in)
			require.ErrorIs(t, err, tt.want)
			assert.Nil(t, got)
			assertNoKeyMaterial(t, err.Error(), tt.in)
		})
	}
	for _, tt := range publicKeyErrorCases(t, k, bad) {
		t.Run("public/"+tt.name, func(t *testing.T) {
			got, err := ParsePublicKey(tt.in)
			require.ErrorIs(t, err, tt.want)
			assert.Nil(t, got)
			assertNoKeyMaterial(t, err.Error(), tt.in)
		})
	}
}

func TestNewKeyErrors(t *testing.T) {
	k := loadKeys(t)
	_, err := NewPrivateKey(nil)
	assert.ErrorIs(t, err, ErrNotKey)
	_, err = NewPrivateKey(&rsa.PrivateKey{})
	assert.ErrorIs(t, err, ErrNotKey)
	_, err = NewPublicKey(nil)
	assert.ErrorIs(t, err, ErrNotKey)
	_, err = NewPublicKey(&rsa.PublicKey{})
	assert.ErrorIs(t, err, ErrNotKey)

	broken := *k.merchant.key
	broken.D = new(big.Int).Add(broken.D, big.NewInt(2))
	broken.Precomputed = rsa.PrecomputedValues{}
	_, err = NewPrivateKey(&broken)
	assert.ErrorIs(t, err, ErrNotKey)
}

func TestReadKeyFile(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope.pem")
	_, err := ReadPrivateKeyFile(missing)
	assert.ErrorIs(t, err, fs.ErrNotExist)
	_, err = ReadPublicKeyFile(missing)
	assert.ErrorIs(t, err, fs.ErrNotExist)

	name := filepath.Join("testdata", "encrypted-pkcs1.pem")
	_, err = ReadPrivateKeyFile(name)
	require.ErrorIs(t, err, ErrEncryptedKey)
	assert.Contains(t, err.Error(), name)
	_, err = ReadPublicKeyFile(filepath.Join("testdata", "merchant-private.pem"))
	assert.ErrorIs(t, err, ErrWrongKeyType)
}

// assertNoKeyMaterial fails if msg quotes any 16-byte run of the base64 text
// that went into the parser.
func assertNoKeyMaterial(t *testing.T, msg string, in []byte) {
	t.Helper()
	text := strings.Join(strings.Fields(string(in)), "")
	for i := 0; i+16 <= len(text); i += 8 {
		if run := text[i : i+16]; strings.Contains(msg, run) && !strings.Contains(run, "-----") {
			t.Fatalf("error %q quotes the input %q", msg, run)
		}
	}
}

func pemBlock(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

func mustPEMBytes(t testing.TB, data []byte) []byte {
	t.Helper()
	b, _ := pem.Decode(data)
	require.NotNil(t, b)
	return b.Bytes
}

func wrapLines(s string, width int, sep string) []byte {
	var b strings.Builder
	for len(s) > width {
		b.WriteString(s[:width] + sep)
		s = s[width:]
	}
	b.WriteString(s + sep)
	return []byte(b.String())
}

func selfSignedCert(t *testing.T, key *rsa.PrivateKey) []byte {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "refundkit test"},
		NotBefore:    time.Unix(0, 0),
		NotAfter:     time.Unix(0, 0).Add(24 * time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	return pemBlock("CERTIFICATE", der)
}
