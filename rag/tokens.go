package rag

import (
	"sync"

	"github.com/pkoukk/tiktoken-go"
	tiktokenloader "github.com/pkoukk/tiktoken-go-loader"
)

// TokenCounter counts the tokens of a text. Implementations are safe for
// concurrent use.
type TokenCounter interface {
	Count(text string) int
}

// TokenCounterFunc adapts a function to TokenCounter.
type TokenCounterFunc func(string) int

// Count calls f.
func (f TokenCounterFunc) Count(text string) int { return f(text) }

// Tiktoken counts tokens with a tiktoken encoding, loaded from the
// vocabularies embedded in tiktoken-go-loader: the default loader downloads
// them, which must never happen offline.
type Tiktoken struct {
	enc *tiktoken.Tiktoken
}

var _ TokenCounter = (*Tiktoken)(nil)

var (
	loaderOnce sync.Once
	encMu      sync.Mutex
	encCache   = map[string]*tiktoken.Tiktoken{}
)

// DefaultEncoding is used for sizing chunks and for model names tiktoken
// does not know (qwen2.5, deepseek-chat…). cl100k counts Chinese more
// conservatively than o200k (1.25 against 0.74 tokens per Han character), so
// budgets fitted with it hold for either.
const DefaultEncoding = "cl100k_base"

// NewTiktoken returns the counter for an encoding name ("cl100k_base",
// "o200k_base"). Encoders are built once per name and shared: building one
// costs 100-300 ms.
func NewTiktoken(encoding string) (*Tiktoken, error) {
	loaderOnce.Do(func() { tiktoken.SetBpeLoader(tiktokenloader.NewOfflineLoader()) })
	encMu.Lock()
	defer encMu.Unlock()
	if enc, ok := encCache[encoding]; ok {
		return &Tiktoken{enc: enc}, nil
	}
	enc, err := tiktoken.GetEncoding(encoding)
	if err != nil {
		return nil, err
	}
	encCache[encoding] = enc
	return &Tiktoken{enc: enc}, nil
}

// TiktokenForModel returns the counter for a model name, falling back to
// DefaultEncoding for names tiktoken does not know.
func TiktokenForModel(model string) (*Tiktoken, error) {
	loaderOnce.Do(func() { tiktoken.SetBpeLoader(tiktokenloader.NewOfflineLoader()) })
	if enc, ok := tiktoken.MODEL_TO_ENCODING[model]; ok {
		return NewTiktoken(enc)
	}
	return NewTiktoken(DefaultEncoding)
}

// Count returns the number of tokens in text. EncodeOrdinary treats
// "<|endoftext|>" in a document as text: Encode would panic on it.
func (t *Tiktoken) Count(text string) int {
	if text == "" {
		return 0
	}
	return len(t.enc.EncodeOrdinary(text))
}

// LazyTiktoken loads its encoding on first use: a start-up that loads a saved
// index never needs it, and loading costs 100-300 ms.
type LazyTiktoken struct {
	Encoding string
	once     sync.Once
	tok      *Tiktoken
	err      error
}

var _ TokenCounter = (*LazyTiktoken)(nil)

// Count counts with the encoding, or estimates 1.3 tokens a rune if the
// embedded vocabulary cannot be loaded (a build defect, never seen).
func (l *LazyTiktoken) Count(text string) int {
	l.once.Do(func() { l.tok, l.err = NewTiktoken(l.Encoding) })
	if l.err != nil {
		return len([]rune(text)) * 13 / 10
	}
	return l.tok.Count(text)
}
