package index

import (
	"math/rand/v2"
	"testing"
)

// keyTable answers as a map would, across resets and growth, keys drawn
// from a small range so that they repeat and collide.
func TestKeyTableIsAMap(t *testing.T) {
	var tab keyTable
	rng := rand.New(rand.NewPCG(17, 4))
	for round := range 200 {
		tab.reset()
		want := map[uint64]int32{}
		for i := range rng.IntN(3000) {
			key := rng.Uint64N(2000) << (32 * rng.Uint64N(2))
			got, seen := tab.getOrPut(key, int32(i))
			w, ok := want[key]
			if !ok {
				want[key], w = int32(i), int32(i)
			}
			if got != w || seen != ok {
				t.Fatalf("round %d: getOrPut(%d, %d) = %d, %v, want %d, %v", round, key, i, got, seen, w, ok)
			}
		}
		if tab.n != len(want) {
			t.Fatalf("round %d: %d keys, want %d", round, tab.n, len(want))
		}
	}
	tab.gen = ^uint32(0) // the next reset wraps
	tab.reset()
	if _, seen := tab.getOrPut(1, 1); seen {
		t.Error("a key of a generation before the wrap is still seen")
	}
}
