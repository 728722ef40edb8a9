package rag

import (
	"strings"
	"testing"

	"wenda/rag/zh"
)

// The canonical cache gives zh.Canonical's text, and starts again empty
// rather than grow past canonicalMax.
func TestCanonicalCache(t *testing.T) {
	for _, s := range []string{"南昌老师们的孩子", "中职学校", "", "没有变体的句子"} {
		for range 2 { // made, then read from the cache
			if got, want := canonical(s), zh.Canonical(s); got != want {
				t.Errorf("canonical(%q) = %q, want %q", s, got, want)
			}
		}
	}
	text := strings.Repeat("老师", 1<<10)
	for i := 0; i < 3*canonicalMax/(2*len(text)); i++ {
		s := text + itoa(i)
		if got, want := canonical(s), zh.Canonical(s); got != want {
			t.Fatalf("canonical of text %d differs from zh.Canonical", i)
		}
		if n := canonicalCache.bytes.Load(); n > canonicalMax {
			t.Fatalf("cache holds %d bytes, want at most %d", n, canonicalMax)
		}
	}
}
