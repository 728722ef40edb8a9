// Command soak drives a running wenda on loopback with a mix of clients for
// a bounded time — questions, streamed questions, streams cancelled midway,
// OpenAI-style completions, WeChat messages, and admin churn — and reports
// every interval the errors, the answers that differ from the ones the same
// server gave at the start, goroutines, heap and RSS. bench/soak.sh builds
// and starts the server and runs it.
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type counters struct {
	requests, errors, wrong atomic.Int64
}

type soak struct {
	base, admin, wechat string
	client              *http.Client
	questions           []string
	want                map[string]string // question → answer at the start
	kinds               map[string]*counters
	mu                  sync.Mutex
	wrongBy             map[string]int
	gotBy               map[string]string
	lastErr             map[string]string
}

func main() {
	base := flag.String("base", "http://127.0.0.1:18090", "wenda's base URL")
	duration := flag.Duration("duration", 10*time.Minute, "how long to run")
	interval := flag.Duration("interval", 30*time.Second, "how often to report")
	cases := flag.String("cases", "eval/cases.jsonl", "questions: the eval cases without history")
	pid := flag.Int("pid", 0, "wenda's process id, for its RSS")
	admin := flag.String("admin-token", "", "WENDA_ADMIN_TOKEN of the server (admin churn off when empty)")
	wechat := flag.String("wechat-token", "", "WENDA_WECHAT_TOKEN of the server (WeChat messages off when empty)")
	pace := flag.Duration("pace", 2*time.Millisecond, "pause between two requests of one client")
	flag.Parse()
	s := &soak{
		base: *base, admin: *admin, wechat: *wechat,
		client:  &http.Client{Timeout: 30 * time.Second},
		want:    map[string]string{},
		kinds:   map[string]*counters{},
		wrongBy: map[string]int{},
		gotBy:   map[string]string{},
		lastErr: map[string]string{},
	}
	if err := s.loadQuestions(*cases); err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(2)
	}
	// The reference: what the freshly started server answers.
	for _, q := range s.questions {
		a, err := s.ask(context.Background(), q)
		if err != nil {
			fmt.Fprintln(os.Stderr, "soak: reference answer:", err)
			os.Exit(2)
		}
		s.want[q] = a
	}
	fmt.Printf("soak: %d questions, reference taken; running %v, report every %v\n", len(s.questions), *duration, *interval)

	ctx, cancel := context.WithTimeout(context.Background(), *duration)
	defer cancel()
	var wg sync.WaitGroup
	run := func(kind string, n int, pause time.Duration, f func(ctx context.Context, r *rand.Rand) error) {
		c := &counters{}
		s.kinds[kind] = c
		for i := range n {
			wg.Go(func() {
				r := rand.New(rand.NewPCG(uint64(i), uint64(len(kind))))
				for ctx.Err() == nil {
					err := f(ctx, r)
					if ctx.Err() != nil {
						return
					}
					c.requests.Add(1)
					if errors.Is(err, errWrong) {
						c.wrong.Add(1)
					} else if err != nil {
						c.errors.Add(1)
						s.mu.Lock()
						s.lastErr[kind] = err.Error()
						s.mu.Unlock()
					}
					time.Sleep(pause)
				}
			})
		}
	}
	run("ask", 3, *pace, s.askOne)
	run("stream", 2, *pace, s.streamOne)
	run("cancel", 1, *pace, s.cancelOne)
	run("chat", 1, *pace, s.chatOne)
	if s.wechat != "" {
		run("wechat", 1, 20*time.Millisecond, s.wechatOne)
	}
	if s.admin != "" {
		run("admin", 1, 200*time.Millisecond, s.adminOne)
	}

	start := time.Now()
	tick := time.NewTicker(*interval)
	defer tick.Stop()
	fmt.Printf("%8s %9s %7s %6s %10s %8s %7s\n", "elapsed", "requests", "errors", "wrong", "goroutines", "heap_MB", "rss_MB")
	report := func() {
		var req, errs, wrong int64
		for _, c := range s.kinds {
			req += c.requests.Load()
			errs += c.errors.Load()
			wrong += c.wrong.Load()
		}
		g, heap := s.goMetrics()
		fmt.Printf("%8s %9d %7d %6d %10.0f %8.1f %7.1f\n", time.Since(start).Round(time.Second), req, errs, wrong, g, heap/(1<<20), rss(*pid)/(1<<20))
	}
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case <-tick.C:
			report()
		}
	}
	wg.Wait()
	time.Sleep(2 * time.Second) // let cancelled streams and WeChat answers settle
	report()
	var kinds []string
	for k := range s.kinds {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	failed := false
	for _, k := range kinds {
		c := s.kinds[k]
		fmt.Printf("soak: %-7s %7d requests %5d errors %5d wrong", k, c.requests.Load(), c.errors.Load(), c.wrong.Load())
		if e := s.lastErr[k]; e != "" {
			fmt.Printf("  (last error: %.120s)", e)
		}
		fmt.Println()
		failed = failed || c.errors.Load() > 0 || c.wrong.Load() > 0
	}
	for q, n := range s.wrongBy {
		fmt.Printf("soak: wrong %d× %q:\n  want %.200q\n  got  %.200q\n", n, q, s.want[q], s.gotBy[q])
	}
	if failed {
		os.Exit(1)
	}
}

var errWrong = errors.New("answer differs from the fresh start's")

func (s *soak) loadQuestions(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var c struct {
			Question string            `json:"question"`
			History  []json.RawMessage `json:"history"`
		}
		if json.Unmarshal(sc.Bytes(), &c) == nil && len(c.History) == 0 && c.Question != "" {
			s.questions = append(s.questions, c.Question)
		}
	}
	if len(s.questions) == 0 {
		return fmt.Errorf("no questions in %s", path)
	}
	return sc.Err()
}

// coverage ends a refusal with the cities the corpus covers, which the admin
// churn changes by design; the rest of the answer must not change.
func withoutCoverage(a string) string {
	before, _, _ := strings.Cut(a, "目前收录的是")
	return before
}

func (s *soak) check(q, got string) error {
	if withoutCoverage(got) == withoutCoverage(s.want[q]) {
		return nil
	}
	s.mu.Lock()
	s.wrongBy[q]++
	s.gotBy[q] = got
	s.mu.Unlock()
	return errWrong
}

func (s *soak) post(ctx context.Context, path, body string, header map[string]string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, "POST", s.base+path, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return s.client.Do(req)
}

func (s *soak) ask(ctx context.Context, q string) (string, error) {
	body, _ := json.Marshal(map[string]any{"question": q})
	resp, err := s.post(ctx, "/api/v1/ask", string(body), nil)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var a struct {
		Answer   string `json:"answer"`
		Answered bool   `json:"answered"`
	}
	if resp.StatusCode != 200 {
		return "", fmt.Errorf("ask: status %d", resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		return "", err
	}
	return fmt.Sprintf("%v|%s", a.Answered, a.Answer), nil
}

func (s *soak) pick(r *rand.Rand) string { return s.questions[r.IntN(len(s.questions))] }

func (s *soak) askOne(ctx context.Context, r *rand.Rand) error {
	q := s.pick(r)
	got, err := s.ask(ctx, q)
	if err != nil {
		return err
	}
	return s.check(q, got)
}

// streamOne reads a streamed answer to its done event.
func (s *soak) streamOne(ctx context.Context, r *rand.Rand) error {
	q := s.pick(r)
	body, _ := json.Marshal(map[string]any{"question": q, "stream": true})
	resp, err := s.post(ctx, "/api/v1/ask", string(body), nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("stream: status %d", resp.StatusCode)
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	event := ""
	for sc.Scan() {
		line := sc.Text()
		if e, ok := strings.CutPrefix(line, "event:"); ok {
			event = strings.TrimSpace(e)
			continue
		}
		if d, ok := strings.CutPrefix(line, "data:"); ok && event == "done" {
			var a struct {
				Answer   string `json:"answer"`
				Answered bool   `json:"answered"`
			}
			if err := json.Unmarshal([]byte(d), &a); err != nil {
				return err
			}
			return s.check(q, fmt.Sprintf("%v|%s", a.Answered, a.Answer))
		}
		if event == "error" {
			return fmt.Errorf("stream: error event %s", line)
		}
	}
	return fmt.Errorf("stream ended without done: %v", sc.Err())
}

// cancelOne starts a stream and hangs up within 30 ms.
func (s *soak) cancelOne(ctx context.Context, r *rand.Rand) error {
	cctx, cancel := context.WithTimeout(ctx, time.Duration(r.IntN(30))*time.Millisecond)
	defer cancel()
	body, _ := json.Marshal(map[string]any{"question": s.pick(r), "stream": true})
	resp, err := s.post(cctx, "/api/v1/ask", string(body), nil)
	if err != nil {
		return nil // cancelled before the answer: the point
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("cancelled stream: status %d", resp.StatusCode)
	}
	return nil
}

// chatOne asks through /v1/chat/completions; the reply starts with the answer.
func (s *soak) chatOne(ctx context.Context, r *rand.Rand) error {
	q := s.pick(r)
	body, _ := json.Marshal(map[string]any{"model": "wenda", "messages": []map[string]string{{"role": "user", "content": q}}})
	resp, err := s.post(ctx, "/v1/chat/completions", string(body), nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("chat: status %d", resp.StatusCode)
	}
	var c struct {
		Choices []struct {
			Message struct{ Content string } `json:"message"`
		} `json:"choices"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&c); err != nil || len(c.Choices) == 0 {
		return fmt.Errorf("chat: %v", err)
	}
	_, want, _ := strings.Cut(withoutCoverage(s.want[q]), "|")
	if got := c.Choices[0].Message.Content; !strings.HasPrefix(got, want) {
		s.mu.Lock()
		s.wrongBy[q]++
		s.gotBy[q] = "chat: " + got
		s.mu.Unlock()
		return errWrong
	}
	return nil
}

var msgIDs atomic.Int64

// wechatOne sends a signed plaintext text message and wants a text reply.
func (s *soak) wechatOne(ctx context.Context, r *rand.Rand) error {
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	nonce := strconv.FormatInt(r.Int64N(1<<40), 10)
	parts := []string{s.wechat, ts, nonce}
	sort.Strings(parts)
	sum := sha1.Sum([]byte(strings.Join(parts, "")))
	id := msgIDs.Add(1)
	msg := fmt.Sprintf("<xml><ToUserName><![CDATA[gh_soak]]></ToUserName><FromUserName><![CDATA[oSoak%d]]></FromUserName>"+
		"<CreateTime>%s</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[%s]]></Content><MsgId>%d</MsgId></xml>",
		id%50, ts, s.pick(r), id)
	req, _ := http.NewRequestWithContext(ctx, "POST", fmt.Sprintf("%s/wechat/mp?signature=%s&timestamp=%s&nonce=%s", s.base, hex.EncodeToString(sum[:]), ts, nonce), strings.NewReader(msg))
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !bytes.Contains(b, []byte("<Content>")) {
		return fmt.Errorf("wechat: %d %.100s", resp.StatusCode, b)
	}
	return nil
}

// churnText is about a city and a subject no question asks about, 10 to 39
// lines: a fresh start with such documents added gives the seeds' answers to
// every question (longer ones shift a refusal threshold, see the README).
func churnText(n int) string {
	var b strings.Builder
	for i := range 10 + n%30 {
		fmt.Fprintf(&b, "鹰潭市%d年铜产业园区新增企业%d家,年产值%d亿元。\n", 2000+i, n%97+i, 10+i*3)
	}
	return b.String()
}

// adminOne replaces one document, or adds or deletes another.
func (s *soak) adminOne(ctx context.Context, r *rand.Rand) error {
	auth := map[string]string{"Authorization": "Bearer " + s.admin}
	n := r.IntN(1 << 20)
	switch r.IntN(3) {
	case 0, 1:
		id := "soak-replace"
		if r.IntN(2) == 0 {
			id = "soak-temp"
		}
		body, _ := json.Marshal(map[string]string{"id": id, "title": "鹰潭市铜产业统计", "city": "鹰潭市", "province": "江西省", "published": "2024", "text": churnText(n)})
		resp, err := s.post(ctx, "/api/v1/documents", string(body), auth)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != 201 {
			return fmt.Errorf("admin add: status %d", resp.StatusCode)
		}
	default:
		req, _ := http.NewRequestWithContext(ctx, "DELETE", s.base+"/api/v1/documents/soak-temp", nil)
		req.Header.Set("Authorization", auth["Authorization"])
		resp, err := s.client.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != 204 && resp.StatusCode != 404 {
			return fmt.Errorf("admin delete: status %d", resp.StatusCode)
		}
	}
	return nil
}

// goMetrics reads goroutines and heap in use from /metrics.
func (s *soak) goMetrics() (goroutines, heap float64) {
	resp, err := s.client.Get(s.base + "/metrics")
	if err != nil {
		return -1, -1
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 2 {
			continue
		}
		v, _ := strconv.ParseFloat(f[1], 64)
		switch f[0] {
		case "go_goroutines":
			goroutines = v
		case "go_memstats_heap_inuse_bytes":
			heap = v
		}
	}
	return goroutines, heap
}

// rss is the process's resident set from /proc, in bytes.
func rss(pid int) float64 {
	if pid == 0 {
		return -1
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb * 1024
		}
	}
	return -1
}
