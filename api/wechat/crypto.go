package wechat

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// signature is WeChat's request and reply signature: the lower-case hex SHA-1 of the parts
// sorted as strings and joined with no separator. The URL signature signs token, timestamp
// and nonce; the message signature (msg_signature) signs those and the ciphertext too.
func signature(parts ...string) string {
	p := slices.Clone(parts)
	slices.Sort(p)
	sum := sha1.Sum([]byte(strings.Join(p, "")))
	return hex.EncodeToString(sum[:])
}

// validSignature reports whether got is the signature of parts, in constant time.
func validSignature(got string, parts ...string) bool {
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(signature(parts...))) == 1
}

// blockSize is the PKCS#7 block size of WeChat's messages: 32 bytes, not AES's 16.
const blockSize = 32

var errDecrypt = errors.New("decrypt message")

// crypter encrypts and decrypts messages in WeChat's safe mode (安全模式): AES-256-CBC with the
// key base64-decoded from the EncodingAESKey and the key's first 16 bytes as IV, over
// random(16) | length of msg (4 bytes, big-endian) | msg | AppID, padded with PKCS#7 to a
// multiple of 32 bytes, and base64-encoded.
type crypter struct {
	block cipher.Block
	iv    []byte
	appID string
	rand  io.Reader // the 16 random bytes; tests set a fixed source for the official vectors
}

func newCrypter(encodingAESKey, appID string) (*crypter, error) {
	if len(encodingAESKey) != 43 {
		return nil, fmt.Errorf("encoding AES key must be 43 characters, got %d", len(encodingAESKey))
	}
	// WeChat's keys are 43 base64 characters without the padding; the last one may carry
	// non-zero spare bits, so decode leniently (StdEncoding without Strict).
	key, err := base64.StdEncoding.DecodeString(encodingAESKey + "=")
	if err != nil || len(key) != 32 {
		return nil, errors.New("encoding AES key is not 43 base64 characters")
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("encoding AES key: %w", err)
	}
	return &crypter{block: block, iv: key[:16], appID: appID, rand: rand.Reader}, nil
}

// encrypt returns the base64 ciphertext of msg.
func (c *crypter) encrypt(msg []byte) (string, error) {
	var b bytes.Buffer
	if _, err := io.CopyN(&b, c.rand, 16); err != nil {
		return "", fmt.Errorf("encrypt message: random bytes: %w", err)
	}
	b.Write(binary.BigEndian.AppendUint32(nil, uint32(len(msg))))
	b.Write(msg)
	b.WriteString(c.appID)
	pad := blockSize - b.Len()%blockSize
	b.Write(bytes.Repeat([]byte{byte(pad)}, pad))
	out := b.Bytes()
	cipher.NewCBCEncrypter(c.block, c.iv).CryptBlocks(out, out)
	return base64.StdEncoding.EncodeToString(out), nil
}

// decrypt returns the message inside the base64 ciphertext s. It fails when s is not
// well-formed or when the message was made for another AppID.
func (c *crypter) decrypt(s string) ([]byte, error) {
	ct, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil {
		return nil, fmt.Errorf("%w: base64: %w", errDecrypt, err)
	}
	if len(ct) == 0 || len(ct)%aes.BlockSize != 0 {
		return nil, fmt.Errorf("%w: ciphertext of %d bytes", errDecrypt, len(ct))
	}
	pt := make([]byte, len(ct))
	cipher.NewCBCDecrypter(c.block, c.iv).CryptBlocks(pt, ct)
	pad := int(pt[len(pt)-1])
	if pad < 1 || pad > blockSize || pad > len(pt) || !allBytes(pt[len(pt)-pad:], byte(pad)) {
		return nil, fmt.Errorf("%w: bad padding", errDecrypt)
	}
	pt = pt[:len(pt)-pad]
	if len(pt) < 20 {
		return nil, fmt.Errorf("%w: too short", errDecrypt)
	}
	n := binary.BigEndian.Uint32(pt[16:20])
	if uint64(n) > uint64(len(pt)-20) {
		return nil, fmt.Errorf("%w: length %d past the end", errDecrypt, n)
	}
	msg, appID := pt[20:20+n], pt[20+n:]
	if string(appID) != c.appID {
		return nil, fmt.Errorf("%w: message is for another app id", errDecrypt)
	}
	return msg, nil
}

func allBytes(b []byte, v byte) bool {
	for _, x := range b {
		if x != v {
			return false
		}
	}
	return true
}
