package index

import (
	"encoding/binary"
	"math"
	"slices"
)

// postings is one term's posting list, compressed: for each slot holding
// the term, in ascending order, the gap from the previous slot (the first
// from -1) as a uvarint, then the term frequency as one byte (255 and a
// uvarint for 255 and more). Most gaps of the long lists fit a byte, so a
// posting takes two or three bytes where an int32 slot and a uint16
// frequency took six.
//
// Every postingBlock postings a skip entry records where the block starts
// and the slot before it, so that a seek jumps over blocks without
// decoding them.
type postings struct {
	data  []byte
	skips []skip
	n     int32 // postings
	last  int32 // the last posting's slot
}

type skip struct {
	off  uint32 // offset in data of the block's first posting
	prev int32  // the slot of the posting before the block, -1 for the first
}

const postingBlock = 128

// add appends a posting; slot must be above every slot held.
func (p *postings) add(slot int32, tf uint32) {
	prev := int32(-1)
	if p.n > 0 {
		prev = p.last
	}
	if p.n%postingBlock == 0 {
		p.skips = append(p.skips, skip{off: uint32(len(p.data)), prev: prev})
	}
	if cap(p.data)-len(p.data) < 2*binary.MaxVarintLen32+1 {
		// Double, as push does for the vectors: a common term's list
		// grows by a posting per chunk of a build.
		p.data = slices.Grow(p.data, max(len(p.data), 2*binary.MaxVarintLen32+1))
	}
	p.data = binary.AppendUvarint(p.data, uint64(slot-prev))
	if tf < 255 {
		p.data = append(p.data, byte(tf))
	} else {
		p.data = binary.AppendUvarint(append(p.data, 255), uint64(tf))
	}
	p.n++
	p.last = slot
}

// decode appends every posting to slots and tfs.
func (p *postings) decode(slots []int32, tfs []uint32) ([]int32, []uint32) {
	var c cursor
	for c.reset(p); c.slot != math.MaxInt32; c.next() {
		slots, tfs = append(slots, c.slot), append(tfs, c.tf)
	}
	return slots, tfs
}

// encode returns the postings of slots (ascending) and tfs.
func encode(slots []int32, tfs []uint32) postings {
	var p postings
	for i, s := range slots {
		p.add(s, tfs[i])
	}
	p.trim()
	return p
}

// trim gives data and skips their exact size when appending left much
// unused.
func (p *postings) trim() {
	if n := len(p.data); cap(p.data)-n > n/8+8 {
		p.data = append(make([]byte, 0, n), p.data...)
	}
	if n := len(p.skips); cap(p.skips)-n > n/8+1 {
		p.skips = append(make([]skip, 0, n), p.skips...)
	}
}

// cursor reads postings in order. slot is the current posting's slot,
// math.MaxInt32 past the end.
type cursor struct {
	p    *postings
	i    int32 // the current posting's index
	off  int   // where the next posting starts
	slot int32
	tf   uint32
}

func (c *cursor) reset(p *postings) {
	*c = cursor{p: p, i: -1, slot: -1}
	c.next()
}

func (c *cursor) next() {
	c.i++
	if c.i >= c.p.n {
		c.slot = math.MaxInt32
		return
	}
	data := c.p.data
	if b := data[c.off]; b < 0x80 {
		c.slot += int32(b)
		c.off++
	} else {
		gap, k := binary.Uvarint(data[c.off:])
		c.slot += int32(gap)
		c.off += k
	}
	tf := data[c.off]
	c.off++
	if tf < 255 {
		c.tf = uint32(tf)
		return
	}
	v, k := binary.Uvarint(data[c.off:])
	c.tf = uint32(v)
	c.off += k
}

// seek moves to the first posting whose slot is at least d.
func (c *cursor) seek(d int32) {
	if c.slot >= d {
		return
	}
	// Jump to the last block whose previous slot is below d: every posting
	// before it is below d. Gallop from the current block, then bisect.
	skips := c.p.skips
	b := int(c.i / postingBlock)
	if b+1 < len(skips) && skips[b+1].prev < d {
		lo, step := b+1, 1
		hi := lo + step
		for hi < len(skips) && skips[hi].prev < d {
			lo = hi
			step *= 2
			hi = lo + step
		}
		hi = min(hi, len(skips))
		// skips[lo].prev < d; the block sought is in [lo, hi).
		for lo+1 < hi {
			m := (lo + hi) / 2
			if skips[m].prev < d {
				lo = m
			} else {
				hi = m
			}
		}
		c.i = int32(lo*postingBlock) - 1
		c.off = int(skips[lo].off)
		c.slot = skips[lo].prev
		c.next()
	}
	for c.slot < d {
		c.next()
	}
}
