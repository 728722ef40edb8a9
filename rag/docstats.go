package rag

import "wenda/rag/zh"

// DocumentStats is what the admin page shows of an indexed document: how
// many chunks it was split into and how many figures they hold.
type DocumentStats struct {
	Chunks  int
	Figures int
}

// Stats counts each indexed document's chunks and figures, by document ID.
func (ix *Index) Stats() map[string]DocumentStats {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	out := make(map[string]DocumentStats, len(ix.docs))
	for id, d := range ix.docs {
		var s DocumentStats
		for _, slot := range d.slots {
			s.Chunks++
			s.Figures += CountFigures(ix.chunks[slot])
		}
		out[id] = s
	}
	return out
}

// CountFigures counts the figures a chunk states: a table row's values, and
// the numbers with units of its sentences. It is a simple count for the
// admin page, not the facts answers are made from.
func CountFigures(c Chunk) int {
	n := 0
	for _, u := range c.Units {
		if len(u.Cells) > 0 {
			n += len(u.Cells)
			continue
		}
		n += len(zh.Figures(u.Text))
	}
	return n
}
