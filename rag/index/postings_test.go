package index

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestPostingsRoundTrip holds the compressed lists to what went in: every
// posting back in order by next, and seek landing where a linear search
// does, for lists short and long, dense and sparse, with frequencies past
// a byte.
func TestPostingsRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, tt := range []struct{ n, maxGap int }{{1, 1}, {3, 5}, {127, 1}, {128, 2}, {129, 300}, {1000, 1}, {5000, 40}, {3000, 200_000}} {
		var slots []int32
		var tfs []uint32
		s := int32(r.IntN(tt.maxGap))
		for range tt.n {
			slots = append(slots, s)
			tf := uint32(1 + r.IntN(4))
			if r.IntN(50) == 0 {
				tf = uint32(200 + r.IntN(70000))
			}
			tfs = append(tfs, tf)
			s += int32(1 + r.IntN(tt.maxGap))
		}
		p := encode(slots, tfs)
		gotSlots, gotTFs := p.decode(nil, nil)
		if !slices.Equal(gotSlots, slots) || !slices.Equal(gotTFs, tfs) {
			t.Fatalf("n %d gap %d: decoded postings differ", tt.n, tt.maxGap)
		}
		for range 300 {
			var c cursor
			c.reset(&p)
			// Seek forward a few times from the same cursor, as MaxScore does.
			d := int32(-1)
			for range 4 {
				d += int32(r.IntN(3 * tt.maxGap * max(1, tt.n/8)))
				c.seek(d)
				i, _ := slices.BinarySearch(slots, d)
				want := int32(math.MaxInt32)
				if i < len(slots) {
					want = slots[i]
				}
				if c.slot != want || want != math.MaxInt32 && c.tf != tfs[i] {
					t.Fatalf("n %d gap %d: seek(%d) at slot %d tf %d, want %d", tt.n, tt.maxGap, d, c.slot, c.tf, want)
				}
			}
		}
	}
}
