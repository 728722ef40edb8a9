package index

import (
	"math"
	"sort"
	"strings"
	"sync"
)

// bm25 is a lexical index over character unigrams and bigrams of normalised
// text (k1 = 1.2, b = 0.75). Bigrams carry the words; unigrams rescue
// single-character terms and abbreviations.
//
// Documents live in slots handed out by the caller, each with a city id, so
// that a scope is a lookup, not a string compare. A removed slot's postings
// are purged at once: document frequencies, and so IDF, count live slots
// only, and the caller may reuse the slot. Posting lists are kept sorted by
// slot, which lets Search skip through them (MaxScore): the result is the
// exact top k of an exhaustive scan, found while reading a fraction of the
// long lists of common characters.
//
// It is not safe for concurrent use by itself: the caller holds a lock,
// shared for Search, exclusive for Insert and Delete.
type bm25 struct {
	ids      *termIDs // term → index in lists
	lists    []termList
	freeIDs  []int32 // indexes of lists emptied by Delete
	lengths  []uint32
	city     []uint16
	live     []bool
	nLive    int
	totalLen int64
	pool     sync.Pool // *bm25Scratch
	counts   []uint32  // Insert's scratch: a text's count of each term, by list index
}

// termList is one term's postings, sorted by slot, and bounds on them for
// pruning: the largest term frequency and the shortest document ever seen
// in it (kept through deletes: still bounds, only looser).
type termList struct {
	postings
	maxTF  uint16
	minLen uint32
}

const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// newBM25 returns an empty index.
func newBM25() *bm25 {
	return &bm25{ids: newTermIDs()}
}

// Live returns the number of live slots.
func (x *bm25) Live() int { return x.nLive }

// Insert indexes texts under slots (free ones: new or deleted), each with
// its city id. Slots may come in any order.
func (x *bm25) Insert(slots []int32, cities []uint16, texts []string) {
	type newPosting struct {
		slot int32
		tf   uint32
	}
	order := make([]int, len(slots))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return slots[order[a]] < slots[order[b]] })
	// New slots past every list's end are appended; reused slots fall
	// inside lists and are merged in afterwards.
	var pending map[int32][]newPosting
	var ids []int32 // term ids to merge, in first-seen order
	// A text's terms are counted by list index: one map look-up a term.
	counts := x.counts
	var touched []int32
	for _, i := range order {
		slot := slots[i]
		for int(slot) >= len(x.lengths) {
			x.lengths = append(x.lengths, 0)
			x.city = append(x.city, 0)
			x.live = append(x.live, false)
		}
		var n uint32
		touched = touched[:0]
		ForEachTermKey(texts[i], func(key uint64, term string, _ bool) {
			id, ok := x.ids.get(key, term)
			if !ok {
				id = x.newList(key, term)
			}
			if int(id) >= len(counts) {
				counts = append(counts, make([]uint32, int(id)+1024-len(counts))...)
			}
			if counts[id] == 0 {
				touched = append(touched, id)
			}
			counts[id]++
			n++
		})
		for _, id := range touched {
			l := &x.lists[id]
			p := newPosting{slot: slot, tf: min(counts[id], math.MaxUint16)}
			counts[id] = 0
			l.maxTF = max(l.maxTF, uint16(p.tf))
			if l.minLen == 0 || n < l.minLen {
				l.minLen = n
			}
			if l.n == 0 || l.last < slot {
				l.add(p.slot, p.tf)
				continue
			}
			if pending == nil {
				pending = map[int32][]newPosting{}
			}
			if _, seen := pending[id]; !seen {
				ids = append(ids, id)
			}
			pending[id] = append(pending[id], p)
		}
		x.lengths[slot], x.city[slot], x.live[slot] = n, cities[i], true
		x.nLive++
		x.totalLen += int64(n)
	}
	x.counts = counts
	// Reused slots fall inside lists: decode, merge, encode again.
	var oldSlots, newSlots []int32
	var oldTFs, newTFs []uint32
	for _, id := range ids {
		l, ps := &x.lists[id], pending[id]
		oldSlots, oldTFs = l.decode(oldSlots[:0], oldTFs[:0])
		newSlots, newTFs = newSlots[:0], newTFs[:0]
		i := 0
		for _, p := range ps {
			for i < len(oldSlots) && oldSlots[i] < p.slot {
				newSlots, newTFs = append(newSlots, oldSlots[i]), append(newTFs, oldTFs[i])
				i++
			}
			newSlots, newTFs = append(newSlots, p.slot), append(newTFs, p.tf)
		}
		newSlots, newTFs = append(newSlots, oldSlots[i:]...), append(newTFs, oldTFs[i:]...)
		l.postings = encode(newSlots, newTFs)
	}
}

// trim gives lists grown by appending their exact size: a large insert
// (a build) would otherwise leave a third of the postings' memory unused.
// It reads every list: call it once after a large insert, not after each
// of many.
func (x *bm25) trim() {
	for i := range x.lists {
		x.lists[i].trim()
	}
}

func (x *bm25) newList(key uint64, term string) int32 {
	var id int32
	if n := len(x.freeIDs); n > 0 {
		id = x.freeIDs[n-1]
		x.freeIDs = x.freeIDs[:n-1]
		x.lists[id] = termList{}
	} else {
		id = int32(len(x.lists))
		x.lists = append(x.lists, termList{})
	}
	x.ids.set(key, term, id)
	return id
}

// Delete removes slots whose texts are texts (the same as inserted: their
// terms say which lists to purge). Every posting of the slots goes, so that
// document frequencies and IDF count live slots only; a list left empty is
// dropped with its term.
func (x *bm25) Delete(slots []int32, texts []string) {
	for _, s := range slots {
		if int(s) >= len(x.live) || !x.live[s] {
			continue
		}
		x.live[s] = false
		x.nLive--
		x.totalLen -= int64(x.lengths[s])
		x.lengths[s] = 0
	}
	purged := map[int32]bool{}
	var ps []int32 // a list's postings, decoded
	var tfs []uint32
	for _, t := range texts {
		ForEachTermKey(t, func(key uint64, term string, _ bool) {
			id, ok := x.ids.get(key, term)
			if !ok || purged[id] {
				return
			}
			purged[id] = true
			l := &x.lists[id]
			ps, tfs = l.decode(ps[:0], tfs[:0])
			w := 0
			for r, s := range ps {
				if x.live[s] {
					ps[w], tfs[w] = s, tfs[r]
					w++
				}
			}
			if w == 0 {
				x.ids.del(key, term)
				x.lists[id] = termList{}
				x.freeIDs = append(x.freeIDs, id)
			} else if w < len(ps) {
				l.postings = encode(ps[:w], tfs[:w])
			}
		})
	}
}

// queryTerm is one distinct term of a query, with what scoring it needs.
type queryTerm struct {
	term string
	key  uint64
	qtf  float64
	list *termList
	idf  float64
	ub   float64 // the most this term can add to a document's score
	cur  cursor
}

type bm25Scratch struct {
	terms  []queryTerm
	prefix []float64
}

// pruneSlack keeps pruning safe from rounding: a bound is only trusted to
// exclude a document when it is below the threshold by this relative margin.
const pruneSlack = 1e-9

// Search returns the k best slots for the query's terms among the slots
// whose city allowed accepts (nil accepts all; a city id past its end is
// refused), best first, ties by lower slot. A slot's score sums its terms in
// a fixed order (by bound, then term), so it is the same in every run.
//
// Pruning is MaxScore: terms are ordered by the most they can add; once the
// k-th best score is above what the weakest terms can add up to, those
// terms no longer propose candidates, and a candidate is dropped as soon as
// what it has plus what it could still get falls below the k-th score.
func (x *bm25) Search(query string, k int, allowed []bool) []Hit {
	if x.nLive == 0 || k <= 0 {
		return nil
	}
	sc, _ := x.pool.Get().(*bm25Scratch)
	if sc == nil {
		sc = &bm25Scratch{}
	}
	defer x.pool.Put(sc)
	terms := queryTerms(query, sc.terms[:0])
	avg := float64(x.totalLen) / float64(x.nLive)
	c1, c2 := bm25K1*(1-bm25B), bm25K1*bm25B/avg
	n := 0
	for _, t := range terms {
		id, ok := x.ids.get(t.key, t.term)
		if !ok {
			continue
		}
		l := &x.lists[id]
		df := float64(l.n)
		t.list = l
		t.cur.reset(&l.postings)
		t.idf = math.Log(1 + (float64(x.nLive)-df+0.5)/(df+0.5))
		tf := float64(l.maxTF)
		t.ub = t.idf * t.qtf * tf * (bm25K1 + 1) / (tf + c1 + c2*float64(l.minLen))
		terms[n] = t
		n++
	}
	terms = terms[:n]
	sc.terms = terms[:0]
	if len(terms) == 0 {
		return nil
	}
	sort.Slice(terms, func(a, b int) bool {
		if terms[a].ub != terms[b].ub {
			return terms[a].ub < terms[b].ub
		}
		return terms[a].term < terms[b].term
	})
	prefix := sc.prefix[:0]
	sum := 0.0
	for _, t := range terms {
		sum += t.ub
		prefix = append(prefix, sum)
	}
	sc.prefix = prefix[:0]
	keep := func(slot int32) bool {
		if allowed == nil {
			return true
		}
		c := int(x.city[slot])
		return c < len(allowed) && allowed[c]
	}
	score := func(t *queryTerm) float64 {
		tf := float64(t.cur.tf)
		return t.idf * t.qtf * tf * (bm25K1 + 1) / (tf + c1 + c2*float64(x.lengths[t.cur.slot]))
	}
	top := newTopK(k)
	theta := math.Inf(-1) // the k-th best score once k are held
	ess := 0              // terms[ess:] are essential: they propose candidates
	for {
		d := int32(math.MaxInt32)
		for i := ess; i < len(terms); i++ {
			d = min(d, terms[i].cur.slot)
		}
		if d == math.MaxInt32 {
			break
		}
		if !keep(d) {
			for i := ess; i < len(terms); i++ {
				if t := &terms[i]; t.cur.slot == d {
					t.cur.next()
				}
			}
			continue
		}
		s := 0.0
		for i := len(terms) - 1; i >= ess; i-- {
			if t := &terms[i]; t.cur.slot == d {
				s += score(t)
				t.cur.next()
			}
		}
		pruned := false
		for i := ess - 1; i >= 0; i-- {
			if s+prefix[i] < theta*(1-pruneSlack) {
				pruned = true
				break
			}
			t := &terms[i]
			t.cur.seek(d)
			if t.cur.slot == d {
				s += score(t)
			}
		}
		if pruned {
			continue
		}
		top.push(Hit{Slot: int(d), Score: s})
		if len(top.hits) == k {
			theta = top.hits[k-1].Score
			for ess < len(terms) && prefix[ess] < theta*(1-pruneSlack) {
				ess++
			}
		}
	}
	return top.sorted()
}

// topK keeps the k best hits; ties go to the lower slot so results are
// deterministic.
type topK struct {
	k    int
	hits []Hit
}

func newTopK(k int) *topK { return &topK{k: k, hits: make([]Hit, 0, k)} }

func better(a, b Hit) bool {
	if a.Score != b.Score {
		return a.Score > b.Score
	}
	return a.Slot < b.Slot
}

// admits reports whether h would be kept.
func (t *topK) admits(h Hit) bool {
	return len(t.hits) < t.k || better(h, t.hits[len(t.hits)-1])
}

func (t *topK) push(h Hit) {
	if len(t.hits) < t.k {
		t.hits = append(t.hits, h)
	} else if better(h, t.hits[len(t.hits)-1]) {
		t.hits[len(t.hits)-1] = h
	} else {
		return
	}
	for i := len(t.hits) - 1; i > 0 && better(t.hits[i], t.hits[i-1]); i-- {
		t.hits[i], t.hits[i-1] = t.hits[i-1], t.hits[i]
	}
}

func (t *topK) sorted() []Hit { return t.hits }

// termIDs maps terms to list indexes: Han unigrams by a table indexed by
// the character (half of all look-ups, at the cost of one array), Han
// bigrams by their TermKey (integers hash and compare faster than
// strings), ASCII terms by their text.
type termIDs struct {
	uni   []int32 // by rune: list index + 1, 0 when none
	han   map[uint64]int32
	ascii map[string]int32
}

func newTermIDs() *termIDs {
	return &termIDs{han: map[uint64]int32{}, ascii: map[string]int32{}}
}

// isUnigram reports whether a TermKey is one character's.
func isUnigram(key uint64) bool { return key>>32 == 0 }

func (m *termIDs) get(key uint64, term string) (int32, bool) {
	if key != 0 && isUnigram(key) {
		if key < uint64(len(m.uni)) && m.uni[key] != 0 {
			return m.uni[key] - 1, true
		}
		return 0, false
	}
	if key != 0 {
		id, ok := m.han[key]
		return id, ok
	}
	id, ok := m.ascii[term]
	return id, ok
}

func (m *termIDs) set(key uint64, term string, id int32) {
	if key != 0 && isUnigram(key) {
		if key >= uint64(len(m.uni)) {
			m.uni = append(m.uni, make([]int32, int(key)+1-len(m.uni))...)
		}
		m.uni[key] = id + 1
		return
	}
	if key != 0 {
		m.han[key] = id
		return
	}
	// Terms are slices of a text: a key of its own keeps the text from
	// being held by the map once its chunk is gone.
	m.ascii[strings.Clone(term)] = id
}

func (m *termIDs) del(key uint64, term string) {
	if key != 0 && isUnigram(key) {
		if key < uint64(len(m.uni)) {
			m.uni[key] = 0
		}
		return
	}
	if key != 0 {
		delete(m.han, key)
		return
	}
	delete(m.ascii, term)
}

// queryTerms appends to terms the query's terms, each once with its count,
// in the order they first come: a fixed order keeps scores bit-for-bit the
// same from run to run.
func queryTerms(query string, terms []queryTerm) []queryTerm {
	ForEachTermKey(query, func(key uint64, term string, _ bool) {
		for i := range terms {
			if terms[i].term == term {
				terms[i].qtf++
				return
			}
		}
		terms = append(terms, queryTerm{term: term, key: key, qtf: 1})
	})
	return terms
}
