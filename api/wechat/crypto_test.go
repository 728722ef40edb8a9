package wechat

import (
	"bytes"
	"crypto/aes"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The functions below are a second implementation of WeChat's message encryption, written
// straight from the protocol description (reference/wechat.md §1.5) and sharing no code with
// crypto.go, down to doing CBC by hand over the AES block, so that a mistake in one does not
// hide in both.

func refKey(t testing.TB, encodingAESKey string) []byte {
	t.Helper()
	key, err := base64.StdEncoding.DecodeString(encodingAESKey + "=")
	if err != nil || len(key) != 32 {
		t.Fatalf("reference key %q: %v (len %d)", encodingAESKey, err, len(key))
	}
	return key
}

// refEncrypt: random16 | 4-byte BE length | msg | appid, PKCS#7 to 32, AES-256-CBC with
// IV = key[:16], base64.
func refEncrypt(t testing.TB, encodingAESKey, appID string, random, msg []byte) string {
	t.Helper()
	key := refKey(t, encodingAESKey)
	n := len(msg)
	pt := append([]byte{}, random...)
	pt = append(pt, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	pt = append(pt, msg...)
	pt = append(pt, appID...)
	pad := 32 - len(pt)%32
	for range pad {
		pt = append(pt, byte(pad))
	}
	return refCBC(t, key, pt)
}

// refCBC encrypts whole blocks of pt with AES-256-CBC, IV = key[:16], by
// hand (no crypto/cipher), and returns base64.
func refCBC(t testing.TB, key, pt []byte) string {
	t.Helper()
	block, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	prev := key[:16]
	out := make([]byte, len(pt))
	for i := 0; i < len(pt); i += 16 {
		var x [16]byte
		for j := range x {
			x[j] = pt[i+j] ^ prev[j]
		}
		block.Encrypt(out[i:i+16], x[:])
		prev = out[i : i+16]
	}
	return base64.StdEncoding.EncodeToString(out)
}

// refDecrypt reverses refEncrypt and returns the message and the trailing app id.
func refDecrypt(t testing.TB, encodingAESKey, b64 string) (msg []byte, appID string, err error) {
	t.Helper()
	key := refKey(t, encodingAESKey)
	ct, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, "", err
	}
	if len(ct) == 0 || len(ct)%16 != 0 {
		return nil, "", fmt.Errorf("ciphertext length %d", len(ct))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	pt := make([]byte, len(ct))
	prev := key[:16]
	for i := 0; i < len(ct); i += 16 {
		block.Decrypt(pt[i:i+16], ct[i:i+16])
		for j := range 16 {
			pt[i+j] ^= prev[j]
		}
		prev = ct[i : i+16]
	}
	pad := int(pt[len(pt)-1])
	if pad < 1 || pad > 32 || pad > len(pt) {
		return nil, "", fmt.Errorf("padding %d", pad)
	}
	pt = pt[:len(pt)-pad]
	if len(pt) < 20 {
		return nil, "", errors.New("short")
	}
	n := int(pt[16])<<24 | int(pt[17])<<16 | int(pt[18])<<8 | int(pt[19])
	if n < 0 || 20+n > len(pt) {
		return nil, "", fmt.Errorf("length %d", n)
	}
	return pt[20 : 20+n], string(pt[20+n:]), nil
}

// refSign: SHA-1 of the parts sorted and joined, in hex.
func refSign(parts ...string) string {
	p := append([]string{}, parts...)
	sort.Strings(p)
	return fmt.Sprintf("%x", sha1.Sum([]byte(strings.Join(p, ""))))
}

// Test data for safe mode: a made-up key, as WeChat generates them (43 letters and digits).
const (
	testToken = "testtoken"
	testAppID = "wx0123456789abcdef"
	testKey   = "kW4nT8oqY2vL7pXc3sRb9eGh1jMz6uAd5fNi0tQy2wE"
)

// Official test vectors from Tencent's WXBizMsgCrypt samples, which reference/wechat.md does
// not carry: the Java sample's WXBizMsgCryptTest (encryption with a fixed random string) and
// its testVerifyUrl, and the Python sample's Sample.py (a signed encrypted text message).
// Both implementations must reproduce them byte for byte.
const (
	officialKey    = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
	officialAppID  = "wxb11529c136998cb6"
	officialRandom = "aaaabbbbccccdddd"
	officialMsg    = "我是中文abcd123"
	officialCipher = "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg=="

	verifyToken  = "QDG6eK"
	verifyKey    = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
	verifyAppID  = "wx5823bf96d3bd56c7"
	verifyMsgSig = "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3"
	verifyTS     = "1409659589"
	verifyNonce  = "263014780"
	verifyEcho   = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=="
	verifyPlain  = "1616140317555161061"

	sampleToken   = "spamtest"
	sampleAppID   = "wx2c2769f8efd9abc2"
	sampleTS      = "1409735669"
	sampleNonce   = "1320562132"
	sampleMsgSig  = "5d197aaffba7e9b25a30732f161a50dee96bd5fa"
	sampleEncrypt = "hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE="
	sampleMessage = "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>\n<FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName>\n<CreateTime>1409735668</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[abcdteT]]></Content>\n<MsgId>6054768590064713728</MsgId>\n</xml>"
)

func mustCrypter(t testing.TB, key, appID string) *crypter {
	t.Helper()
	c, err := newCrypter(key, appID)
	if err != nil {
		t.Fatalf("newCrypter(%q, %q): %v", key, appID, err)
	}
	return c
}

func TestSignature(t *testing.T) {
	tests := []struct {
		name  string
		parts []string
		want  string
	}{
		// reference/wechat.md §1.2, checked there with sha1sum.
		{"url", []string{"testtoken", "1700000000", "n0nce"}, "ecc9a2d2567679a271ba9f0de27aff31fa7de72e"},
		{"official echostr", []string{verifyToken, verifyTS, verifyNonce, verifyEcho}, verifyMsgSig},
		{"official message", []string{sampleToken, sampleTS, sampleNonce, sampleEncrypt}, sampleMsgSig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := signature(tt.parts...); got != tt.want {
				t.Errorf("signature(%q) = %s, want %s", tt.parts, got, tt.want)
			}
			if got := refSign(tt.parts...); got != tt.want {
				t.Errorf("refSign(%q) = %s, want %s", tt.parts, got, tt.want)
			}
			if !validSignature(tt.want, tt.parts...) {
				t.Errorf("validSignature(%s, %q) = false, want true", tt.want, tt.parts)
			}
			if validSignature(strings.ToUpper(tt.want), tt.parts...) || validSignature("", tt.parts...) {
				t.Errorf("validSignature accepts a wrong signature for %q", tt.parts)
			}
		})
	}
}

func TestCrypterOfficialVectors(t *testing.T) {
	c := mustCrypter(t, officialKey, officialAppID)
	c.rand = strings.NewReader(officialRandom)
	got, err := c.encrypt([]byte(officialMsg))
	if err != nil {
		t.Fatal(err)
	}
	if got != officialCipher {
		t.Errorf("encrypt(%q) with random %q = %s, want %s", officialMsg, officialRandom, got, officialCipher)
	}
	if ref := refEncrypt(t, officialKey, officialAppID, []byte(officialRandom), []byte(officialMsg)); ref != officialCipher {
		t.Errorf("refEncrypt(%q) = %s, want %s", officialMsg, ref, officialCipher)
	}
	msg, err := c.decrypt(officialCipher)
	if err != nil || string(msg) != officialMsg {
		t.Errorf("decrypt(official cipher) = %q, %v, want %q", msg, err, officialMsg)
	}

	echo, err := mustCrypter(t, verifyKey, verifyAppID).decrypt(verifyEcho)
	if err != nil || string(echo) != verifyPlain {
		t.Errorf("decrypt(official echostr) = %q, %v, want %q", echo, err, verifyPlain)
	}

	msg, err = mustCrypter(t, officialKey, sampleAppID).decrypt(sampleEncrypt)
	if err != nil || string(msg) != sampleMessage {
		t.Errorf("decrypt(official message) = %q, %v, want %q", msg, err, sampleMessage)
	}
	refMsg, refAppID, err := refDecrypt(t, officialKey, sampleEncrypt)
	if err != nil || string(refMsg) != sampleMessage || refAppID != sampleAppID {
		t.Errorf("refDecrypt(official message) = %q, %q, %v, want %q, %q", refMsg, refAppID, err, sampleMessage, sampleAppID)
	}
}

// TestCrypterAgainstReference checks both directions against the reference implementation,
// for sizes around the 32-byte padding block (a full block of padding included).
func TestCrypterAgainstReference(t *testing.T) {
	random := []byte("0123456789abcdef")
	// 16 + 4 + len(appID) = 38 bytes of overhead: a 26-byte message pads with a full block.
	for _, msg := range []string{"", "a", strings.Repeat("x", 25), strings.Repeat("x", 26), strings.Repeat("x", 27),
		"<xml><Content><![CDATA[南昌义务教育巩固率是多少?]]></Content></xml>", strings.Repeat("教育", 3000)} {
		t.Run(fmt.Sprintf("len%d", len(msg)), func(t *testing.T) {
			c := mustCrypter(t, testKey, testAppID)
			c.rand = bytes.NewReader(random)
			got, err := c.encrypt([]byte(msg))
			if err != nil {
				t.Fatal(err)
			}
			if want := refEncrypt(t, testKey, testAppID, random, []byte(msg)); got != want {
				t.Errorf("encrypt(%d bytes) = %s, want %s", len(msg), got, want)
			}
			plain, appID, err := refDecrypt(t, testKey, got)
			if err != nil || string(plain) != msg || appID != testAppID {
				t.Errorf("refDecrypt(encrypt(%d bytes)) = %d bytes, %q, %v; want the message and %q", len(msg), len(plain), appID, err, testAppID)
			}
			back, err := c.decrypt(refEncrypt(t, testKey, testAppID, []byte("fedcba9876543210"), []byte(msg)))
			if err != nil || string(back) != msg {
				t.Errorf("decrypt(refEncrypt(%d bytes)) = %d bytes, %v; want the message", len(msg), len(back), err)
			}
		})
	}
}

func TestDecryptRejects(t *testing.T) {
	random := []byte("0123456789abcdef")
	c := mustCrypter(t, testKey, testAppID)
	// A well-formed plaintext block for the corrupt cases: encrypted by hand below.
	encryptRaw := func(pt []byte) string { return refCBC(t, refKey(t, testKey), pt) }
	tests := []struct {
		name, in string
	}{
		{"other app id", refEncrypt(t, testKey, "wxother", random, []byte("<xml/>"))},
		{"no app id", refEncrypt(t, testKey, "", random, []byte("<xml/>"))},
		{"not base64", "!!!not-base64!!!"},
		{"empty", ""},
		{"not whole blocks", base64.StdEncoding.EncodeToString([]byte("abc"))},
		{"zero padding", encryptRaw(make([]byte, 32))},
		{"padding over 32", encryptRaw(bytes.Repeat([]byte{33}, 48))},
		{"length past the end", encryptRaw(append(append(make([]byte, 16), 0x7f, 0xff, 0xff, 0xff), bytes.Repeat([]byte{12}, 12)...))},
		{"other key", refEncrypt(t, "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", testAppID, random, []byte("<xml/>"))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := c.decrypt(tt.in); err == nil {
				t.Errorf("decrypt(%s) = %q, want an error", tt.name, got)
			}
		})
	}
}

func TestNewCrypterKey(t *testing.T) {
	tests := []struct {
		key     string
		wantErr bool
	}{
		{testKey, false},
		{officialKey, false},
		{strings.Repeat("A", 43), false},
		{testKey[:42], true},
		{testKey + "A", true},
		{"", true},
		{strings.Repeat("!", 43), true},
	}
	for _, tt := range tests {
		_, err := newCrypter(tt.key, testAppID)
		if (err != nil) != tt.wantErr {
			t.Errorf("newCrypter(%q) error = %v, want error %v", tt.key, err, tt.wantErr)
		}
	}
}

func FuzzDecrypt(f *testing.F) {
	f.Add(officialCipher, []byte(officialMsg))
	f.Add(sampleEncrypt, []byte(sampleMessage))
	f.Add("", []byte{})
	f.Add("AAAAAAAAAAAAAAAAAAAAAA==", []byte("<xml><MsgType>text</MsgType></xml>"))
	f.Add(refEncrypt(f, testKey, testAppID, []byte("0123456789abcdef"), []byte("x")), bytes.Repeat([]byte{32}, 32))
	f.Fuzz(func(t *testing.T, ciphertext string, msg []byte) {
		c := mustCrypter(t, testKey, testAppID)
		c.decrypt(ciphertext) // must not panic, whatever it is given

		enc, err := c.encrypt(msg)
		if err != nil {
			t.Fatalf("encrypt(%q): %v", msg, err)
		}
		got, err := c.decrypt(enc)
		if err != nil {
			t.Fatalf("decrypt(encrypt(%q)): %v", msg, err)
		}
		if diff := cmp.Diff(msg, got, cmp.Comparer(bytes.Equal)); diff != "" {
			t.Errorf("decrypt(encrypt(msg)) = got, want msg (-want +got):\n%s", diff)
		}
		ref, appID, err := refDecrypt(t, testKey, enc)
		if err != nil || !bytes.Equal(ref, msg) || appID != testAppID {
			t.Errorf("refDecrypt(encrypt(%q)) = %q, %q, %v", msg, ref, appID, err)
		}
	})
}
