package rag

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"wenda/rag/zh"
)

// LLM mode (DESIGN §2.6): the model writes the answer from numbered
// sources, and the extractive answer is always at hand as the fallback. The
// extractive plan runs before the model is called: its retrieval gives the
// model's sources, and it makes the fallback instant when the model fails,
// hangs or writes a claim the sources do not hold.

// Generator writes chat completions; rag/openai's Client is one. Errors wrap
// ErrUpstreamTimeout when the endpoint was too slow and ErrUpstream for any
// other failure of the endpoint; a cancelled ctx returns its error.
type Generator interface {
	// Chat returns the whole reply.
	Chat(ctx context.Context, msgs []ChatMessage) (string, error)
	// ChatStream calls onDelta with each piece of the reply as it arrives,
	// in order, from the calling goroutine, and returns the whole reply. On
	// an error it returns the text received so far: retrying is the
	// Generator's business, and it must not retry once onDelta was called.
	ChatStream(ctx context.Context, msgs []ChatMessage, onDelta func(string)) (string, error)
}

// Fallback reasons: why an llm answer was replaced by the extractive one
// (Answer.Fallback).
const (
	FallbackUnverifiedFigure = "unverified_figure" // every sentence with a figure had a claim that failed the check
	FallbackRefusal          = "needless_refusal"  // the model said the sources do not answer; the extractive answer has the figure
	FallbackUpstreamError    = "upstream_error"    // the endpoint failed before its first token, or replied nothing
	FallbackTimeout          = "timeout"           // no first token within LLMConfig.Timeout (or the caller's deadline)
	FallbackStreamBroken     = "stream_broken"     // the reply broke off before a sentence of it passed
	FallbackCanceled         = "canceled"          // the caller went away while the model wrote
)

// LLMConfig configures llm mode. Zero fields take their defaults.
type LLMConfig struct {
	// Tokens counts the prompt's tokens for the chat model (see
	// TiktokenForModel). Default: DefaultEncoding.
	Tokens TokenCounter
	// MaxContextTokens is the budget for the sources in the prompt
	// (WENDA_MAX_CONTEXT_TOKENS). Default 3000.
	MaxContextTokens int
	// Timeout bounds the wait for the model's first token, a follow-up's
	// rewriting included (WENDA_LLM_TIMEOUT). Default 12s.
	Timeout time.Duration
	// MaxDuration bounds a whole answer, so that an endpoint that trickles
	// tokens forever cannot hold a request. Default 2m.
	MaxDuration time.Duration
}

// Defaults of LLMConfig.
const (
	DefaultMaxContextTokens = 3000
	DefaultLLMTimeout       = 12 * time.Second
	DefaultLLMMaxDuration   = 2 * time.Minute
)

// fallbackMargin is kept from a caller's deadline for the extractive
// fallback and the reply to travel: WeChat's passive mode gives the whole
// request about 4 s, and an answer a moment late is no answer at all.
const fallbackMargin = 300 * time.Millisecond

// WithLLM answers with gen: the model writes the answer from the retrieved
// sources and rewrites follow-ups, and the extractive answer replaces it when
// the model fails, is too slow or writes a figure its sources do not hold.
func WithLLM(gen Generator, cfg LLMConfig) Option {
	if cfg.Tokens == nil {
		cfg.Tokens = &LazyTiktoken{Encoding: DefaultEncoding}
	}
	if cfg.MaxContextTokens <= 0 {
		cfg.MaxContextTokens = DefaultMaxContextTokens
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultLLMTimeout
	}
	if cfg.MaxDuration <= 0 {
		cfg.MaxDuration = DefaultLLMMaxDuration
	}
	return func(e *Engine) {
		e.llm = &llm{gen: gen, cfg: cfg, counts: map[string]int{}, facts: map[string][]fact{}}
	}
}

// LLM reports whether the engine answers with a model.
func (e *Engine) LLM() bool { return e.llm != nil }

type llm struct {
	gen Generator
	cfg LLMConfig

	mu     sync.Mutex
	counts map[string]int // token counts of source blocks: counting costs ~0.3 ms a chunk
	facts  map[string][]fact
}

// maxCountCache bounds the token count cache; it is emptied when full.
const maxCountCache = 20000

func (l *llm) count(block string) int {
	l.mu.Lock()
	n, ok := l.counts[block]
	l.mu.Unlock()
	if ok {
		return n
	}
	n = l.cfg.Tokens.Count(block)
	l.mu.Lock()
	if len(l.counts) >= maxCountCache {
		clear(l.counts)
	}
	l.counts[block] = n
	l.mu.Unlock()
	return n
}

// factsOf returns the facts of a chunk for the claim check, numbered 0:
// reading them costs ~2 ms a chunk, and the same chunks answer the same
// questions again and again. The key holds the text, so a document replaced
// under the same id is read again.
func (l *llm) factsOf(ch Chunk) []fact {
	key := ch.ID + "\x00" + ch.Text
	l.mu.Lock()
	fs, ok := l.facts[key]
	l.mu.Unlock()
	if ok {
		return fs
	}
	fs = chunkFacts(ch, 0)
	l.mu.Lock()
	if len(l.facts) >= maxCountCache/10 {
		clear(l.facts)
	}
	l.facts[key] = fs
	l.mu.Unlock()
	return fs
}

// firstTokenBudget is how long the model may take to its first token: the
// configured timeout, or less when the caller's deadline comes sooner.
func (l *llm) firstTokenBudget(ctx context.Context, now time.Time) time.Duration {
	budget := l.cfg.Timeout
	if dl, ok := ctx.Deadline(); ok {
		budget = min(budget, dl.Sub(now)-fallbackMargin)
	}
	return budget
}

// askLLM answers in llm mode, on the extractive plan: the question is
// parsed once, the plan (cached like any extractive answer) gives the
// retrieved chunks and the extractive answer, and the model only writes the
// answer from them, sentence by sentence through the claim check. It
// returns an error only when the extractive path fails too (retrieval, or a
// request already cancelled).
//
// What the citizen gets: every sentence the check passes, as the model
// wrote it, and no sentence with a claim that failed — such a sentence is
// dropped. When nothing with a passed claim is left, the extractive answer
// takes the place of the model's: whole when nothing was sent yet, or after
// the sentences already sent (which stated no figure). A refusal while the
// extractive answer has the figure is such a sentence. Streaming releases a
// sentence only once it passed, so nothing sent is ever taken back.
func (e *Engine) askLLM(ctx context.Context, req Request, ev Events) (Answer, error) {
	start := time.Now()
	budget := e.llm.firstTokenBudget(ctx, start)
	firstDeadline := start.Add(budget)

	standalone := e.Standalone(req)
	if budget > 0 && e.needsCondense(req, standalone) {
		// Half the budget at most: the answer needs the rest.
		standalone = e.condense(ctx, req, standalone, start.Add(budget/2))
	}

	// Retrieval embeds the question: with WENDA_EMBED_MODEL that is a call
	// to the endpoint, which must not outlast the budget either.
	rctx := ctx
	if budget > 0 {
		var cancel context.CancelFunc
		rctx, cancel = context.WithDeadline(ctx, firstDeadline)
		defer cancel()
	}
	e.change.RLock()
	g, covered := e.gazetteer()
	q := parseQuery(zh.NormalizeQuestion(standalone), g)
	ext, retrieved, err := e.planned(rctx, q, standalone, covered)
	e.change.RUnlock()
	if err != nil {
		return Answer{}, err
	}
	// A place the corpus does not cover gets the refusal, never the model:
	// it would answer from another city's sources, or from its own memory.
	// A greeting needs no model either.
	if (len(q.unknown) > 0 && q.scope.IsZero()) || q.intent.kind == askGreeting || len(retrieved) == 0 {
		ev.Emit(ext)
		return ext, nil
	}
	if budget <= 0 || !time.Now().Before(firstDeadline) {
		// No time left for the model (retrieval may have used it up
		// waiting for a remote embedder).
		ext.Fallback = FallbackTimeout
		ev.Emit(ext)
		return ext, nil
	}
	sources, chunks := e.llm.fitSources(ext, retrieved)
	if len(sources) == 0 {
		ev.Emit(ext)
		return ext, nil
	}

	chk := newChecker(q, g, sources, chunks, ext, e.llm.factsOf)
	rel := &releaser{check: chk.check}
	rel.emit = func(s string) {
		if len(rel.sent) == 0 && ev.Sources != nil {
			ev.Sources(sources)
		}
		rel.sent = append(rel.sent, s)
		if ev.Delta != nil {
			ev.Delta(s)
		}
	}
	_, _, reason := e.llm.generate(ctx, AnswerPrompt(standalone, sources), firstDeadline, start, rel.feed)
	if reason == "" {
		rel.flush()
	}
	claims := chk.claims
	if len(rel.sent) == 0 {
		// Nothing of the model's was shown: the extractive answer goes out
		// as a stream of its own, with its own sources.
		switch {
		case reason != "":
		case rel.refused:
			reason = FallbackRefusal
		case rel.blocked > 0:
			reason = FallbackUnverifiedFigure
		default:
			reason = FallbackUpstreamError // the model replied nothing
		}
		ext.Fallback = reason
		ext.Claims = &claims
		ev.Emit(ext)
		return ext, nil
	}
	a := Answer{
		Answer: strings.TrimSpace(strings.Join(rel.sent, "")), Mode: ModeLLM, Question: standalone,
		Sources: sources, Figures: dedupFigures(chk.matched), Claims: &claims,
	}
	if len(chk.matched) == 0 && ext.Answered && (rel.blocked > 0 || rel.refused || reason != "") {
		// What was shown states no figure, and the figures the model wrote
		// failed or never came: the extractive answer follows it.
		add, srcs, figs := renumber(ext, sources, chunks)
		sep := "\n"
		if ev.Delta != nil {
			ev.Delta(sep + add)
		}
		a.Answer += sep + add
		a.Sources, a.Figures = srcs, append(a.Figures, figs...)
	}
	// An answer that opens by saying the sources do not hold what was
	// asked is a refusal, whatever related figures it offers after.
	a.Answered = !refuses(a.Answer, a.Sources) && !isRefusal(zh.Normalize(firstSentence(a.Answer)))
	return a, nil
}

// planned is the extractive answer of q through the answer cache, with the
// chunks its plan retrieved.
func (e *Engine) planned(ctx context.Context, q query, question string, covered []string) (Answer, []Result, error) {
	if a, res, ok := e.cache.getPlanned(question); ok {
		return a, res, nil
	}
	seen := &retrieval{}
	a, err := e.plan(context.WithValue(ctx, retrievalKey{}, seen), q, question, covered)
	if err != nil {
		return Answer{}, nil, err
	}
	if len(seen.results) == 0 && q.metric == "" && len(q.unknown) == 0 && q.intent.kind != askGreeting {
		// No metric to search by: the model can read the question whole.
		res, err := e.ix.Search(ctx, q.norm, q.scope, retrieveDepth)
		if err != nil {
			return Answer{}, nil, err
		}
		seen.add(res)
	}
	retrieved := append([]Result{}, seen.results...)
	e.cache.putPlanned(question, a, retrieved)
	return a, retrieved, nil
}

// retrievalKey carries a *retrieval in a context: a plan run for llm mode
// notes there every retrieval it makes (the model's sources), while the
// plan itself stays the extractive one.
type retrievalKey struct{}

// retrievalIn is the retrieval ctx notes chunks in; nil (noting nothing)
// when none.
func retrievalIn(ctx context.Context) *retrieval {
	r, _ := ctx.Value(retrievalKey{}).(*retrieval)
	return r
}

// retrieval notes the chunks retrieved for one question, each once, in the
// order they came.
type retrieval struct {
	results []Result
	seen    map[string]bool
}

func (r *retrieval) add(results []Result) {
	if r == nil {
		return
	}
	if r.seen == nil {
		r.seen = map[string]bool{}
	}
	for _, res := range results {
		if !r.seen[res.Chunk.ID] {
			r.seen[res.Chunk.ID] = true
			r.results = append(r.results, res)
		}
	}
}

// releaser cuts a model's streamed text into sentences, checks each, and
// emits those that pass, in order.
type releaser struct {
	check   func(string) sentenceVerdict
	emit    func(string)
	pending string
	sent    []string
	blocked int    // sentences dropped for a failed claim
	refused bool   // a sentence said the sources do not answer (dropped)
	refusal string // that sentence, for when it is right
	any     bool   // the model wrote anything
}

func (r *releaser) feed(d string) {
	r.pending += d
	for {
		n := sentenceEnd(r.pending, false)
		if n == 0 {
			return
		}
		s := r.pending[:n]
		r.pending = r.pending[n:]
		r.judge(s)
	}
}

// flush judges what is left once the model finished.
func (r *releaser) flush() {
	for r.pending != "" {
		n := sentenceEnd(r.pending, true)
		s := r.pending[:n]
		r.pending = r.pending[n:]
		r.judge(s)
	}
}

func (r *releaser) judge(s string) {
	if strings.TrimSpace(s) == "" {
		if len(r.sent) > 0 {
			r.emit(s) // keep the model's line breaks between sentences
		}
		return
	}
	r.any = true
	switch r.check(s) {
	case sentencePassed:
		r.emit(s)
	case sentenceBlocked:
		r.blocked++
	case sentenceRefusal:
		r.refused = true
		r.refusal += s
	}
}

// sentenceEnd is the length of the first complete sentence of s: up to a
// terminator (。！？； and their ASCII forms) or a line break, with the
// closing quotes, citation markers and spaces after it. A sentence is
// complete only when something follows them (a marker may be on its way),
// or at the end of the text (final).
func sentenceEnd(s string, final bool) int {
	for i, r := range s {
		if r != '\n' && !strings.ContainsRune("。！？；!?;", r) {
			continue
		}
		j := i + utf8.RuneLen(r)
		if r == '\n' {
			return j
		}
		for j < len(s) {
			rest := s[j:]
			if loc := citationRE.FindStringIndex(rest); loc != nil && loc[0] == 0 {
				j += loc[1]
				continue
			}
			c, size := utf8.DecodeRuneInString(rest)
			if c == '\n' {
				return j + size
			}
			if c == ' ' || strings.ContainsRune("。！？；!?;”’）)」』", c) {
				j += size
				continue
			}
			if strings.ContainsRune("[【［", c) && !final {
				return 0 // a citation marker on its way
			}
			return j
		}
		if final {
			return j
		}
		return 0
	}
	if final {
		return len(s)
	}
	return 0
}

// renumber is the extractive answer's text cited with the prompt's source
// numbers, with the sources list extended by any source it cites that the
// prompt did not hold, and its figures renumbered alike.
func renumber(ext Answer, sources []Source, chunks []Chunk) (string, []Source, []Figure) {
	out := append([]Source{}, sources...)
	to := map[int]int{}
	for _, s := range ext.Sources {
		n := 0
		for i, ch := range chunks {
			if sourceFrom(s, ch) {
				n = sources[i].N
				break
			}
		}
		if n == 0 {
			s.N = len(out) + 1
			out = append(out, s)
			n = s.N
		}
		to[s.N] = n
	}
	text := citationRE.ReplaceAllStringFunc(ext.Answer, func(m string) string {
		nums := citedNumbers(m)
		var b strings.Builder
		for _, s := range ext.Sources {
			if nums[s.N] {
				b.WriteString("[" + strconv.Itoa(to[s.N]) + "]")
			}
		}
		return b.String()
	})
	figs := make([]Figure, 0, len(ext.Figures))
	for _, f := range ext.Figures {
		f.N = to[f.N]
		figs = append(figs, f)
	}
	return text, out, figs
}

// sourceFrom reports whether source s quotes chunk ch (a table row's source
// quotes the row's statement).
func sourceFrom(s Source, ch Chunk) bool {
	if s.DocID != ch.DocID || s.Section != ch.Section {
		return false
	}
	if s.Text == ch.Text {
		return true
	}
	for _, u := range ch.Units {
		if u.Text == s.Text {
			return true
		}
	}
	return false
}

func dedupFigures(figs []Figure) []Figure {
	out := []Figure{}
	seen := map[Figure]bool{}
	for _, f := range figs {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}

// errFirstToken cancels a model call that gave no token in time.
var errFirstToken = errors.New("no first token in time")

// generate streams the model's answer to onDelta. sent reports whether any
// piece reached onDelta; reason is empty when the model finished.
func (l *llm) generate(ctx context.Context, msgs []ChatMessage, firstDeadline, start time.Time, onDelta func(string)) (text string, sent bool, reason string) {
	deadline := start.Add(l.cfg.MaxDuration)
	if dl, ok := ctx.Deadline(); ok {
		deadline = minTime(deadline, dl.Add(-fallbackMargin))
	}
	dctx, cancelDeadline := context.WithDeadline(ctx, deadline)
	defer cancelDeadline()
	sctx, cancel := context.WithCancelCause(dctx)
	defer cancel(nil)

	// The first-token timer and the deltas race: whichever takes the lock
	// first decides, so a piece is never shown from a call that timed out.
	var mu sync.Mutex
	started, timedOut := false, false
	timer := time.AfterFunc(time.Until(firstDeadline), func() {
		mu.Lock()
		defer mu.Unlock()
		if !started {
			timedOut = true
			cancel(errFirstToken)
		}
	})
	defer timer.Stop()

	text, err := l.gen.ChatStream(sctx, msgs, func(d string) {
		if d == "" {
			return
		}
		mu.Lock()
		if timedOut {
			mu.Unlock()
			return
		}
		started = true
		mu.Unlock()
		if onDelta != nil {
			onDelta(d)
		}
	})
	mu.Lock()
	sent, late := started, timedOut
	mu.Unlock()
	switch {
	case err == nil && !late:
		return text, sent, ""
	case sent:
		return text, true, FallbackStreamBroken
	case late, errors.Is(err, ErrUpstreamTimeout), errors.Is(dctx.Err(), context.DeadlineExceeded):
		return "", false, FallbackTimeout
	case ctx.Err() != nil:
		return "", false, FallbackCanceled
	}
	return "", false, FallbackUpstreamError
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// fitSources numbers the sources for the prompt: the chunks the extractive
// answer quotes first (they hold the answer when there is one), then the
// rest in retrieval order, as many as MaxContextTokens holds (one that does
// not fit is skipped for a shorter one after it). The first source is cut at
// a sentence end when it alone is over the budget. chunks[i] is the chunk of
// sources[i], whose facts the claim check reads.
func (l *llm) fitSources(ext Answer, results []Result) (sources []Source, chunks []Chunk) {
	type pick struct {
		ch    Chunk
		score float64
	}
	var order []pick
	seen := map[string]bool{}
	for _, s := range ext.Sources {
		for _, r := range results {
			if !seen[r.Chunk.ID] && sourceFrom(s, r.Chunk) {
				seen[r.Chunk.ID] = true
				order = append(order, pick{r.Chunk, s.Score})
				break
			}
		}
	}
	for _, r := range results {
		if !seen[r.Chunk.ID] {
			seen[r.Chunk.ID] = true
			// The share of the best fused score a chunk can get (first in
			// both legs), so that scores read 0–1 as the extractive ones do.
			order = append(order, pick{r.Chunk, r.Score * (rrfK + 1) / 2})
		}
	}
	budget := l.cfg.MaxContextTokens
	sources = []Source{}
	for _, p := range order {
		if budget < minSourceTokens {
			break
		}
		s := sourceOf(p.ch, p.score, len(sources)+1)
		n := l.count(sourceBlock(s))
		if n > budget {
			if len(sources) > 0 {
				continue // a shorter one further down may fit
			}
			if s.Text = l.cutToTokens(s, budget); s.Text == "" {
				continue
			}
			n = l.cfg.Tokens.Count(sourceBlock(s))
		}
		sources = append(sources, s)
		chunks = append(chunks, p.ch)
		budget -= n
	}
	return sources, chunks
}

// minSourceTokens is the least budget worth another source: a header and a
// sentence.
const minSourceTokens = 60

// cutToTokens shortens s.Text so that its block holds at most budget
// tokens, ending at a sentence end where there is one.
func (l *llm) cutToTokens(s Source, budget int) string {
	runes := []rune(s.Text)
	lo, hi := 0, len(runes) // the longest prefix that fits is in [lo, hi]
	for lo < hi {
		mid := (lo + hi + 1) / 2
		s.Text = string(runes[:mid])
		if l.cfg.Tokens.Count(sourceBlock(s)) <= budget {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	text := string(runes[:lo])
	if i := strings.LastIndexAny(text, "。；！？\n"); i > 0 {
		_, size := utf8.DecodeRuneInString(text[i:])
		text = text[:i+size]
	}
	return strings.TrimSpace(text)
}

// needsCondense reports whether a follow-up needs the model to stand
// alone. A question that names a place and a metric and that the rules
// leave as it is stands alone already: asking the model would only delay
// the answer.
func (e *Engine) needsCondense(req Request, rules string) bool {
	hasUser := false
	for _, m := range req.History {
		hasUser = hasUser || (m.Role == RoleUser && strings.TrimSpace(m.Content) != "")
	}
	if !hasUser {
		return false
	}
	cur := strings.TrimSpace(req.Question)
	if rules != cur {
		return true
	}
	g, _ := e.gazetteer()
	q := parseQuery(zh.NormalizeQuestion(cur), g)
	return len(q.places) == 0 || q.metric == ""
}

// condense asks the model for the standalone question, and keeps the
// rules' one when the model fails, is late or replies with something that
// is not one short question.
func (e *Engine) condense(ctx context.Context, req Request, rules string, deadline time.Time) string {
	cctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	reply, err := e.llm.gen.Chat(cctx, CondensePrompt(req.History, strings.TrimSpace(req.Question)))
	if err != nil {
		return rules
	}
	q := cleanCondensed(reply)
	limit := min(MaxQuestionRunes, max(maxCondensedRunes, 2*utf8.RuneCountInString(req.Question)))
	if q == "" || utf8.RuneCountInString(q) > limit {
		return rules
	}
	return q
}

// maxCondensedRunes is the longest rewritten follow-up accepted (longer
// for a long question): a reply longer than that is the model answering or
// explaining, not rewriting.
const maxCondensedRunes = 120

// cleanCondensed keeps the question of a rewriting reply: its first line,
// without a label ("问题:") or quotes around it.
func cleanCondensed(reply string) string {
	reply = strings.TrimSpace(reply)
	if i := strings.IndexByte(reply, '\n'); i >= 0 {
		reply = strings.TrimSpace(reply[:i])
	}
	for _, label := range []string{"改写后的问题", "独立问题", "问题"} {
		for _, colon := range []string{":", "："} {
			reply = strings.TrimPrefix(reply, label+colon)
		}
	}
	reply = strings.TrimSpace(reply)
	reply = strings.TrimPrefix(strings.TrimSuffix(reply, "”"), "“")
	reply = strings.TrimPrefix(strings.TrimSuffix(reply, `"`), `"`)
	return strings.TrimSpace(reply)
}

// firstSentence is the text up to the first sentence end.
func firstSentence(text string) string {
	if n := sentenceEnd(text, true); n > 0 {
		return text[:n]
	}
	return text
}

// refuses reports whether a model's answer says the sources do not answer:
// it cites nothing and says so in the words the prompt asks for, or in the
// usual ones.
func refuses(text string, sources []Source) bool {
	if len(citedSources(text, sources)) > 0 {
		return false
	}
	return containsAny(zh.Normalize(text), "没有找到", "未找到", "无法回答", "没有相关", "未提及", "没有提及", "未提供", "没有提供")
}
