package rag

import (
	"strconv"

	"wenda/rag/index"
)

// The embedders are package index's; these names let callers of rag
// configure an engine without importing it.

// Embedder turns texts into L2-normalised vectors, one per text, in order.
type Embedder = index.Embedder

// EmbedderFunc adapts a function to Embedder.
type EmbedderFunc = index.EmbedderFunc

// HashEmbedder is the offline default embedder (index.HashEmbedder).
type HashEmbedder = index.HashEmbedder

// Named is implemented by embedders whose name belongs in the snapshot's
// content hash.
type Named = index.Named

// NewHashEmbedder returns a HashEmbedder with dim buckets (512 when dim <= 0).
func NewHashEmbedder(dim int) *HashEmbedder { return index.NewHashEmbedder(dim) }

// L2Normalize scales v in place to unit length (a zero vector stays as it
// is) and returns it.
func L2Normalize(v []float32) []float32 { return index.L2Normalize(v) }

// WriteFileAtomic writes data to a temporary file in path's directory,
// syncs it and renames it over path: readers see the old file or the new
// one, never half of one.
func WriteFileAtomic(path string, data []byte) error { return index.WriteFileAtomic(path, data) }

func forEachTerm(text string, fn func(term string, unigram bool)) { index.ForEachTerm(text, fn) }

func forEachTermKey(text string, fn func(key uint64, term string, unigram bool)) {
	index.ForEachTermKey(text, fn)
}

func itoa(n int) string { return strconv.Itoa(n) }
