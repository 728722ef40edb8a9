package rag

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"wenda/rag/zh"
)

// Input limits (DESIGN §4).
const (
	MaxQuestionRunes = 500
	MaxHistory       = 20
	MaxMessageRunes  = 4000
)

// Errors that callers branch on.
var (
	ErrEmptyQuestion   = errors.New("question is empty")
	ErrQuestionTooLong = fmt.Errorf("question is longer than %d characters", MaxQuestionRunes)
	ErrHistoryTooLong  = fmt.Errorf("history has more than %d messages", MaxHistory)
	ErrInvalidHistory  = errors.New("history message has an unknown role or is too long")
	ErrNotReady        = errors.New("index is not loaded")
	ErrUpstream        = errors.New("model endpoint failed")
	ErrUpstreamTimeout = errors.New("model endpoint timed out")
)

// Role is who wrote a message: the citizen (RoleUser), wenda
// (RoleAssistant), or, in a prompt only, the rules (RoleSystem).
type Role string

// Roles of a message, spelt as the OpenAI chat API spells them.
const (
	RoleUser      Role = "user"
	RoleAssistant Role = "assistant"
	RoleSystem    Role = "system"
)

// Message is one turn of a conversation.
type Message struct {
	Role    Role   `json:"role"` // RoleUser or RoleAssistant
	Content string `json:"content"`
}

// Request is a citizen's question with the conversation before it.
type Request struct {
	Question string    `json:"question"`
	History  []Message `json:"history"`
}

// Validate checks the request's limits.
func (r Request) Validate() error {
	q := strings.TrimSpace(r.Question)
	switch {
	case q == "":
		return ErrEmptyQuestion
	case utf8.RuneCountInString(q) > MaxQuestionRunes:
		return ErrQuestionTooLong
	case len(r.History) > MaxHistory:
		return ErrHistoryTooLong
	}
	for _, m := range r.History {
		if (m.Role != RoleUser && m.Role != RoleAssistant) || utf8.RuneCountInString(m.Content) > MaxMessageRunes {
			return ErrInvalidHistory
		}
	}
	return nil
}

// Answer is what a citizen gets back.
type Answer struct {
	Answer   string   `json:"answer"`
	Answered bool     `json:"answered"`
	Mode     Mode     `json:"mode"`
	Question string   `json:"question"` // the standalone question that was answered
	Sources  []Source `json:"sources"`
	Figures  []Figure `json:"figures"`            // the facts the answer states, labelled
	Fallback string   `json:"fallback,omitempty"` // why an llm answer was replaced by the extractive one
	Claims   *Claims  `json:"claims,omitempty"`   // llm mode: the claims of the model's answer, passed and blocked
}

// Source is a passage an answer cites as [N].
type Source struct {
	N         int     `json:"n"`
	DocID     string  `json:"doc_id"`
	Title     string  `json:"title"`
	City      string  `json:"city"`
	Published string  `json:"published"`
	URL       string  `json:"url"` // the original document, "" when unknown
	Section   string  `json:"section"`
	Text      string  `json:"text"`
	Score     float64 `json:"score"`
}

// Mode is how an answer was made.
type Mode string

// Modes of an answer.
const (
	ModeExtractive Mode = "extractive" // from the documents alone, no model
	ModeLLM        Mode = "llm"        // written by the model, every claim checked
)

// Engine answers questions from an index.
type Engine struct {
	ix    *Index
	llm   *llm // nil in extractive mode
	cache *answerCache

	mu      sync.RWMutex
	gaz     *Gazetteer
	covered []string

	// change is held to read while an answer is planned and cached, and to
	// write while documents change and the engine refreshes (Update): no
	// answer reads the index of one moment and the places of another, and
	// none made before a change is cached after it.
	change sync.RWMutex
}

// Option configures an Engine: WithLLM, WithAnswerCache.
type Option func(*Engine)

// NewEngine returns an engine over ix: extractive, or with WithLLM the
// model's.
func NewEngine(ix *Index, opts ...Option) *Engine {
	e := &Engine{ix: ix, cache: newAnswerCache(DefaultAnswerCache)}
	for _, opt := range opts {
		opt(e)
	}
	e.Refresh()
	return e
}

// Index returns the engine's index.
func (e *Engine) Index() *Index { return e.ix }

// Refresh re-reads the places the documents cover; call it after adding or
// removing documents.
func (e *Engine) Refresh() {
	docs := e.ix.Documents()
	g := NewGazetteer(docs)
	e.mu.Lock()
	e.gaz, e.covered = g, e.ix.Cities()
	e.mu.Unlock()
	e.cache.clear()
}

// Update changes the documents with fn and refreshes the engine, with no
// answer being planned meanwhile. The index's own Add and Remove are for
// callers that refresh themselves.
func (e *Engine) Update(fn func() error) error {
	e.change.Lock()
	defer e.change.Unlock()
	err := fn()
	e.Refresh()
	return err
}

func (e *Engine) gazetteer() (*Gazetteer, []string) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.gaz, e.covered
}

// Events receive an answer while it is made: the sources first, then the
// text in pieces. A nil func is skipped. The pieces are the answer: nothing
// sent is ever taken back. In llm mode a piece is a sentence of the model's,
// sent once its claims passed the check, the sources just before the first;
// when nothing of the model's can be used, the extractive answer is sent
// instead (its sources, then its text), and the Answer returned carries it
// with Fallback set.
type Events struct {
	Sources func([]Source)
	Delta   func(string)
}

// Ask answers a question.
func (e *Engine) Ask(ctx context.Context, req Request) (Answer, error) {
	return e.AskStream(ctx, req, Events{})
}

// AskStream answers a question, reporting its progress to ev. In llm mode
// a failing model is no error: the extractive answer comes back with
// Fallback set, within the caller's deadline.
func (e *Engine) AskStream(ctx context.Context, req Request, ev Events) (Answer, error) {
	if err := req.Validate(); err != nil {
		return Answer{}, err
	}
	// A follow-up asking only how the last two answers differ is the
	// engine's arithmetic on figures already shown, in either mode: a model
	// would add nothing but a chance to get it wrong.
	e.change.RLock()
	if a, ok, err := e.turnsGap(ctx, req); err != nil || ok {
		e.change.RUnlock()
		if err == nil {
			ev.Emit(a)
		}
		return a, err
	}
	e.change.RUnlock()
	if e.llm != nil {
		return e.askLLM(ctx, req, ev)
	}
	standalone := e.Standalone(req)
	e.change.RLock()
	a, ok := e.cache.get(standalone)
	if !ok {
		var err error
		if a, err = e.extractive(ctx, standalone); err != nil {
			e.change.RUnlock()
			return Answer{}, err
		}
		e.cache.put(standalone, a)
	}
	e.change.RUnlock()
	ev.Emit(a)
	return a, nil
}

// Emit reports a finished answer: its sources, then its text in pieces
// (Pieces). An answerer that does not stream reports through it.
func (ev Events) Emit(a Answer) {
	if ev.Sources != nil {
		ev.Sources(a.Sources)
	}
	if ev.Delta != nil {
		for _, p := range Pieces(a.Answer, 16) {
			ev.Delta(p)
		}
	}
}

// Pieces cuts text into runs of about n runes, ending a piece at punctuation
// where one comes, so that a streamed answer reads naturally.
func Pieces(text string, n int) []string {
	var out []string
	var b strings.Builder
	count := 0
	for _, r := range text {
		b.WriteRune(r)
		count++
		if (count >= n && strings.ContainsRune("，。；：、\n,;", r)) || count >= 2*n {
			out = append(out, b.String())
			b.Reset()
			count = 0
		}
	}
	if b.Len() > 0 {
		out = append(out, b.String())
	}
	return out
}

// Extractive answers a standalone question from the documents alone.
func (e *Engine) Extractive(ctx context.Context, question string) (Answer, error) {
	e.change.RLock()
	defer e.change.RUnlock()
	return e.extractive(ctx, question)
}

func (e *Engine) extractive(ctx context.Context, question string) (Answer, error) {
	g, covered := e.gazetteer()
	q := parseQuery(zh.NormalizeQuestion(question), g)
	return e.plan(ctx, q, question, covered)
}

// extractiveAnswer is the answer made of the extracted lines, or the fixed
// refusal when there are none.
func extractiveAnswer(q query, question string, lines []candidate, covered []string) Answer {
	a := Answer{Mode: ModeExtractive, Question: question, Sources: []Source{}, Figures: []Figure{}}
	if len(lines) == 0 {
		a.Answer = noAnswer(q, covered)
		return a
	}
	a.Answered = true
	a.Answer, a.Sources, a.Figures = compose(q, lines)
	return a
}

// Standalone rewrites the question into one that stands without the
// conversation, by rules (see rewrite).
func (e *Engine) Standalone(req Request) string {
	g, _ := e.gazetteer()
	prev := ""
	for _, m := range req.History {
		if m.Role == RoleUser && strings.TrimSpace(m.Content) != "" {
			prev = rewrite(strings.TrimSpace(m.Content), prev, g)
		}
	}
	return rewrite(strings.TrimSpace(req.Question), prev, g)
}
