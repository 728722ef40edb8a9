package main

import (
	"bytes"
	"crypto/sha1"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"wenda/rag/postgres/pgtest"
	"wenda/rag/ragtest"
)

// TestCluster runs three wenda processes on one throwaway PostgreSQL behind haproxy (health
// check on /readyz, retries on connection failures and empty responses), everything on
// 127.0.0.1, and checks what several replicas promise (DESIGN §8, README "Running several
// replicas"): documents propagate within a second, a restarted replica catches up before it
// is ready, WeChat's tries on three replicas call the model once, the rate limit is one
// budget, a replica stopped or killed under load fails no request, and PostgreSQL stopped
// under load stops no answer while admin writes are refused with 503 until it returns.
//
// It is a Go test rather than a script so that the replicas, haproxy and PostgreSQL are
// started, checked and cleaned up with the same helpers and assertions as every other test,
// and it runs wherever `go test ./...` runs. It needs Debian's postgresql-15 and haproxy
// (.ci/run installs them); without them it skips saying so, except under CI=true.
func TestCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL, haproxy and three wenda processes")
	}
	haproxy, err := exec.LookPath("haproxy")
	if err != nil {
		haproxy = "/usr/sbin/haproxy"
		if _, err := os.Stat(haproxy); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatal("haproxy not found (apt-get install haproxy)")
			}
			t.Skip("haproxy not found (apt-get install haproxy)")
		}
	}
	began := time.Now()
	pg := pgtest.Start(t)
	model := ragtest.NewServer(t, "sk-test")
	model.ChatFunc(fakeModel("97.01%", ""))

	bin := filepath.Join(t.TempDir(), "wenda")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	c := &cluster{t: t, bin: bin, env: []string{
		"WENDA_DATABASE_URL=" + pg.URL,
		"WENDA_ADMIN_TOKEN=" + clusterToken,
		"WENDA_RATE_LIMIT=6",
		"WENDA_TRUSTED_PROXIES=127.0.0.1",
		"WENDA_WECHAT_TOKEN=" + clusterWeChatToken,
		"OPENAI_BASE_URL=" + model.BaseURL(),
		"OPENAI_API_KEY=sk-test",
		"WENDA_CHAT_MODEL=qwen2.5:7b",
		"WENDA_DRAIN_DELAY=1s",
		"WENDA_LOG_LEVEL=info",
	}}
	// Started together: the migrations run under an advisory lock.
	var wg sync.WaitGroup
	for i := range 3 {
		c.replicas = append(c.replicas, c.newReplica(i))
	}
	for _, r := range c.replicas {
		wg.Go(func() { c.start(r) })
	}
	wg.Wait()
	lb := c.startHAProxy(haproxy)
	t.Logf("cluster up in %v", time.Since(began).Round(time.Millisecond))

	t.Run("propagation", func(t *testing.T) { c.propagation(t) })
	t.Run("restart catches up", func(t *testing.T) { c.restartCatchesUp(t) })
	t.Run("wechat tries", func(t *testing.T) { c.wechatTries(t, model) })
	t.Run("shared rate limit", func(t *testing.T) { c.sharedRateLimit(t) })
	t.Run("sigterm and sigkill under load", func(t *testing.T) { c.stopUnderLoad(t, lb) })
	t.Run("database down under load", func(t *testing.T) { c.databaseDown(t, lb, pg) })
	t.Logf("cluster test ran in %v", time.Since(began).Round(time.Millisecond))
}

const (
	clusterToken       = "cluster-admin-token"
	clusterWeChatToken = "clustertoken"
)

type cluster struct {
	t        *testing.T
	bin      string
	env      []string
	replicas []*replica
	client   http.Client
}

type replica struct {
	name string
	addr string
	data string
	log  string // file
	cmd  *exec.Cmd
	done chan struct{}
}

func (r *replica) base() string { return "http://" + r.addr }

func (c *cluster) newReplica(i int) *replica {
	dir := c.t.TempDir()
	return &replica{name: fmt.Sprintf("r%d", i), addr: freeAddr(c.t), data: filepath.Join(dir, "data"), log: filepath.Join(dir, "wenda.log")}
}

// start starts r and waits until /readyz says ready.
func (c *cluster) start(r *replica) {
	c.t.Helper()
	logf, err := os.OpenFile(r.log, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		c.t.Fatal(err)
	}
	cmd := exec.Command(c.bin, "serve", "-addr", r.addr, "-data", r.data)
	cmd.Env = append(os.Environ(), c.env...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	r.cmd, r.done = cmd, make(chan struct{})
	go func() {
		cmd.Wait()
		logf.Close()
		close(r.done)
	}()
	c.t.Cleanup(func() {
		cmd.Process.Kill()
		<-r.done
	})
	if !c.waitReady(r, 30*time.Second) {
		c.t.Fatalf("%s not ready:\n%s", r.name, c.logTail(r))
	}
}

func (c *cluster) waitReady(r *replica, d time.Duration) bool {
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		resp, err := c.client.Get(r.base() + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return true
			}
		}
	}
	return false
}

// stop sends sig to r and waits for it to exit.
func (c *cluster) stop(r *replica, sig syscall.Signal) {
	c.t.Helper()
	r.cmd.Process.Signal(sig)
	select {
	case <-r.done:
	case <-time.After(30 * time.Second):
		c.t.Fatalf("%s did not exit on %v", r.name, sig)
	}
}

func (c *cluster) logTail(r *replica) string {
	b, _ := os.ReadFile(r.log)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

func (c *cluster) startHAProxy(bin string) string {
	c.t.Helper()
	dir := c.t.TempDir()
	front := freeAddr(c.t)
	var servers strings.Builder
	for _, r := range c.replicas {
		fmt.Fprintf(&servers, "  server %s %s check\n", r.name, r.addr)
	}
	// Health checks every 200 ms; a replica that fails one is out, two good ones bring it
	// back. Requests are retried on another replica when the connection fails or the
	// replica closes it without an answer (a replica killed, or closing an idle connection
	// on shutdown just as it is reused): wenda's requests are safe to repeat.
	conf := fmt.Sprintf(`global
  maxconn 2000
defaults
  mode http
  timeout connect 1s
  timeout client 30s
  timeout server 30s
  retries 3
  option redispatch 1
  retry-on conn-failure empty-response
frontend wenda
  bind %s
  default_backend replicas
backend replicas
  balance roundrobin
  option httpchk GET /readyz
  http-check expect status 200
  default-server inter 200ms fall 1 rise 2
%s`, front, servers.String())
	path := filepath.Join(dir, "haproxy.cfg")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		c.t.Fatal(err)
	}
	var out bytes.Buffer
	cmd := exec.Command(bin, "-db", "-f", path)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	c.t.Cleanup(func() {
		cmd.Process.Kill()
		<-done
	})
	base := "http://" + front
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if resp, err := c.client.Get(base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base
			}
		}
	}
	c.t.Fatalf("haproxy not answering:\n%s", out.String())
	return ""
}

// askResult is what the tests read of an answer.
type askResult struct {
	Answered bool `json:"answered"`
	Sources  []struct {
		DocID string `json:"doc_id"`
	} `json:"sources"`
}

// ask asks base a question as client (an address the replicas read from X-Forwarded-For).
func (c *cluster) ask(base, client, question string) (int, askResult, error) {
	body, _ := json.Marshal(map[string]string{"question": question})
	req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/ask", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Forwarded-For", client)
	resp, err := c.client.Do(req)
	if err != nil {
		return 0, askResult{}, err
	}
	defer resp.Body.Close()
	var a askResult
	raw, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode == http.StatusOK {
		err = json.Unmarshal(raw, &a)
	}
	return resp.StatusCode, a, err
}

// cites reports whether base answers question citing doc.
func (c *cluster) cites(base, question, doc string) bool {
	code, a, err := c.ask(base, nextClient(), question)
	if err != nil || code != http.StatusOK {
		return false
	}
	return slices.ContainsFunc(a.Sources, func(s struct {
		DocID string `json:"doc_id"`
	}) bool {
		return s.DocID == doc
	})
}

// admin sends an admin request to base.
func (c *cluster) admin(base, method, path, body string) (int, string) {
	req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+clusterToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.client.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(raw)
}

func docJSON(id, city, figure string) string {
	return fmt.Sprintf(`{"id":%q,"title":"%s2024年教育统计公报","city":%q,"province":"江西省","published":"2024","text":"2024年,%s义务教育巩固率达到%s。"}`,
		id, city, city, city, figure)
}

// clients are distinct addresses for questions that must not share a rate-limit budget
// (198.18.0.0/15 is for benchmarks and reaches nothing: it only travels in a header).
var clients atomic.Int64

func nextClient() string {
	n := clients.Add(1)
	return fmt.Sprintf("198.%d.%d.%d", 18+(n>>16)&1, (n>>8)&255, n&255)
}

// until polls ok every 5 ms for d and returns how long it took, or -1.
func until(d time.Duration, ok func() bool) time.Duration {
	start := time.Now()
	for time.Since(start) < d {
		if ok() {
			return time.Since(start)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return -1
}

// propagation adds and deletes a document on one replica and times when the others answer
// accordingly.
func (c *cluster) propagation(t *testing.T) {
	var lat []time.Duration
	for round := range 3 {
		id := fmt.Sprintf("ganzhou-%d", round)
		w := c.replicas[round%3]
		const q = "赣州市义务教育巩固率是多少?"
		if code, body := c.admin(w.base(), http.MethodPost, "/api/v1/documents", docJSON(id, "赣州市", "96.5%")); code != http.StatusCreated {
			t.Fatalf("add on %s: %d %s", w.name, code, body)
		}
		if !c.cites(w.base(), q, id) {
			t.Errorf("%s does not answer from the document it just added", w.name)
		}
		for _, r := range c.replicas {
			if r == w {
				continue
			}
			d := until(time.Second, func() bool { return c.cites(r.base(), q, id) })
			if d < 0 {
				t.Errorf("added on %s: %s does not answer from it within 1 s", w.name, r.name)
				continue
			}
			lat = append(lat, d)
		}
		if code, body := c.admin(w.base(), http.MethodDelete, "/api/v1/documents/"+id, ""); code != http.StatusNoContent {
			t.Fatalf("delete on %s: %d %s", w.name, code, body)
		}
		for _, r := range c.replicas {
			if r == w {
				continue
			}
			d := until(time.Second, func() bool { return !c.cites(r.base(), q, id) })
			if d < 0 {
				t.Errorf("deleted on %s: %s still answers from it after 1 s", w.name, r.name)
				continue
			}
			lat = append(lat, d)
		}
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	if len(lat) > 0 {
		t.Logf("propagation (add or delete seen by another replica, polled every 5 ms): median %v, max %v over %d",
			lat[len(lat)/2].Round(time.Millisecond), lat[len(lat)-1].Round(time.Millisecond), len(lat))
	}
}

// restartCatchesUp stops a replica, changes the documents, and restarts it: the first time
// its /readyz says ready, it answers from the documents added meanwhile.
func (c *cluster) restartCatchesUp(t *testing.T) {
	r, w := c.replicas[2], c.replicas[0]
	c.stop(r, syscall.SIGTERM)
	// Each its own figure: an answer quotes each document that adds one.
	for i := range 3 {
		if code, body := c.admin(w.base(), http.MethodPost, "/api/v1/documents", docJSON(fmt.Sprintf("jian-%d", i), "吉安市", fmt.Sprintf("95.%d%%", i))); code != http.StatusCreated {
			t.Fatalf("add: %d %s", code, body)
		}
	}
	if code, body := c.admin(w.base(), http.MethodDelete, "/api/v1/documents/jian-0", ""); code != http.StatusNoContent {
		t.Fatalf("delete: %d %s", code, body)
	}
	c.start(r) // returns at the first ready /readyz
	if !c.cites(r.base(), "吉安市义务教育巩固率是多少?", "jian-2") {
		t.Errorf("restarted replica ready without the documents added while it was down")
	}
	code, body := c.admin(r.base(), http.MethodGet, "/api/v1/documents", "")
	if code != http.StatusOK || strings.Contains(body, `"jian-0"`) || !strings.Contains(body, `"jian-1"`) {
		t.Errorf("restarted replica lists %d %s; want jian-1 and jian-2, not jian-0", code, body)
	}
}

// wechatTries sends WeChat's three tries of one message to the three replicas at once.
func (c *cluster) wechatTries(t *testing.T, model *ragtest.Server) {
	const question = "南昌义务教育巩固率是多少?"
	calls := func() int {
		n := 0
		for _, r := range model.ChatRequests() {
			if strings.Contains(r.Messages[len(r.Messages)-1].Content, question) {
				n++
			}
		}
		return n
	}
	before := calls()
	msg := fmt.Sprintf("<xml><ToUserName><![CDATA[gh_cluster]]></ToUserName><FromUserName><![CDATA[oCitizen]]></FromUserName>"+
		"<CreateTime>%d</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[%s]]></Content><MsgId>%d</MsgId></xml>",
		time.Now().Unix(), question, time.Now().UnixNano())
	replies := make([]string, 3)
	var wg sync.WaitGroup
	for i, r := range c.replicas {
		wg.Go(func() {
			ts, nonce := strconv.FormatInt(time.Now().Unix(), 10), strconv.Itoa(1000+i)
			p := []string{clusterWeChatToken, ts, nonce}
			slices.Sort(p)
			sig := fmt.Sprintf("%x", sha1.Sum([]byte(strings.Join(p, ""))))
			url := fmt.Sprintf("%s/wechat/mp?timestamp=%s&nonce=%s&signature=%s&openid=oCitizen", r.base(), ts, nonce, sig)
			resp, err := c.client.Post(url, "text/xml", strings.NewReader(msg))
			if err != nil {
				t.Error(err)
				return
			}
			defer resp.Body.Close()
			var reply struct{ Content string }
			raw, _ := io.ReadAll(resp.Body)
			if err := xml.Unmarshal(raw, &reply); err != nil {
				t.Errorf("%s replied %q: %v", r.name, raw, err)
			}
			replies[i] = reply.Content
		})
	}
	wg.Wait()
	if replies[0] == "" || replies[0] != replies[1] || replies[1] != replies[2] {
		t.Errorf("replies differ or are empty: %q", replies)
	}
	if n := calls() - before; n != 1 {
		t.Errorf("the model was called %d times for one message on three replicas, want 1", n)
	}
}

// sharedRateLimit asks 12 questions as one client, round robin over the replicas, at a
// budget of 6 a minute.
func (c *cluster) sharedRateLimit(t *testing.T) {
	counts := map[int]int{}
	var took []time.Duration
	for i := range 12 {
		start := time.Now()
		code, _, err := c.ask(c.replicas[i%3].base(), "203.0.113.9", "九江市义务教育巩固率是多少?")
		took = append(took, time.Since(start))
		if err != nil {
			t.Fatal(err)
		}
		counts[code]++
	}
	if counts[http.StatusOK] != 6 || counts[http.StatusTooManyRequests] != 6 {
		t.Errorf("12 questions at 6 a minute over three replicas: %v, want 6 × 200 and 6 × 429", counts)
	}
	t.Logf("rate-limited questions: %v", took)
}

// load sends questions through base from workers until stop is closed, and counts them.
func (c *cluster) load(base string, workers int, stop <-chan struct{}) (ok, failed *atomic.Int64, errs *sync.Map, wait func()) {
	ok, failed, errs = new(atomic.Int64), new(atomic.Int64), new(sync.Map)
	questions := []string{"南昌义务教育巩固率是多少?", "九江市学前教育毛入园率是多少?", "巴中普惠性幼儿园覆盖率目标是多少?"}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				code, _, err := c.ask(base, nextClient(), questions[(i+w)%len(questions)])
				if err != nil || code != http.StatusOK {
					failed.Add(1)
					errs.Store(fmt.Sprintf("%d %v", code, err), true)
					continue
				}
				ok.Add(1)
			}
		})
	}
	return ok, failed, errs, wg.Wait
}

func errList(m *sync.Map) []string {
	var out []string
	m.Range(func(k, _ any) bool { out = append(out, k.(string)); return true })
	return out
}

// stopUnderLoad stops one replica with SIGTERM and kills another with SIGKILL while
// questions flow through haproxy; then both come back.
func (c *cluster) stopUnderLoad(t *testing.T, lb string) {
	stop := make(chan struct{})
	ok, failed, errs, wait := c.load(lb, 4, stop)
	time.Sleep(time.Second)
	c.stop(c.replicas[1], syscall.SIGTERM)
	time.Sleep(500 * time.Millisecond)
	// A document acknowledged by the replica about to be killed is not lost.
	if code, body := c.admin(c.replicas[2].base(), http.MethodPost, "/api/v1/documents", docJSON("shangrao-2024", "上饶市", "95.8%")); code != http.StatusCreated {
		t.Fatalf("add before SIGKILL: %d %s", code, body)
	}
	c.stop(c.replicas[2], syscall.SIGKILL)
	time.Sleep(time.Second)
	close(stop)
	wait()
	if failed.Load() != 0 || ok.Load() == 0 {
		t.Errorf("under load through haproxy: %d answered, %d failed (%v); want none failed", ok.Load(), failed.Load(), errList(errs))
	}
	t.Logf("SIGTERM and SIGKILL under load: %d answered, %d failed", ok.Load(), failed.Load())
	c.start(c.replicas[1])
	c.start(c.replicas[2])
	for _, r := range c.replicas {
		if !c.cites(r.base(), "上饶市义务教育巩固率是多少?", "shangrao-2024") {
			t.Errorf("%s does not answer from the document acknowledged just before SIGKILL", r.name)
		}
	}
}

// databaseDown stops PostgreSQL for 3 s while questions flow through haproxy.
func (c *cluster) databaseDown(t *testing.T, lb string, pg *pgtest.Server) {
	// Every replica back in haproxy's rotation.
	time.Sleep(600 * time.Millisecond)
	stop := make(chan struct{})
	ok, failed, errs, wait := c.load(lb, 4, stop)
	time.Sleep(500 * time.Millisecond)
	pg.Stop()
	down := time.Now()
	code, body := c.admin(lb, http.MethodPost, "/api/v1/documents", docJSON("fuzhou-2024", "抚州市", "96.1%"))
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "database_unavailable") {
		t.Errorf("admin write with the database down: %d %s, want 503 database_unavailable", code, body)
	}
	if d := until(2*time.Second, func() bool { return c.metric(c.replicas[0], "wenda_database_up") == "0" }); d < 0 {
		t.Errorf("wenda_database_up did not turn 0")
	}
	time.Sleep(3*time.Second - time.Since(down))
	pg.StartAgain()
	accepted := until(15*time.Second, func() bool {
		code, _ := c.admin(lb, http.MethodPost, "/api/v1/documents", docJSON("fuzhou-2024", "抚州市", "96.1%"))
		return code == http.StatusCreated
	})
	if accepted < 0 {
		t.Errorf("admin write not accepted within 15 s of the database's return")
	}
	time.Sleep(500 * time.Millisecond)
	close(stop)
	wait()
	if failed.Load() != 0 || ok.Load() == 0 {
		t.Errorf("with the database stopped: %d answered, %d failed (%v); want none failed", ok.Load(), failed.Load(), errList(errs))
	}
	t.Logf("PostgreSQL stopped 3 s under load: %d answered, %d failed; admin write accepted %v after restart",
		ok.Load(), failed.Load(), accepted.Round(time.Millisecond))
	for _, r := range c.replicas {
		// A replica re-makes its listening connection after the restart
		// (ping timeout, then a backoff of up to 2 s) before it polls: under
		// the race detector on two busy cores that can take several
		// seconds. Propagation itself is held to 1 s by propagation.
		if d := until(10*time.Second, func() bool { return c.cites(r.base(), "抚州市义务教育巩固率是多少?", "fuzhou-2024") }); d < 0 {
			t.Errorf("%s does not answer from the document added after the database returned", r.name)
		}
		if got := c.metric(r, "wenda_database_up"); got != "1" {
			t.Errorf("%s: wenda_database_up %s after the database returned, want 1", r.name, got)
		}
		if log, _ := os.ReadFile(r.log); !bytes.Contains(log, []byte("database down: admin writes refused")) || !bytes.Contains(log, []byte("database up")) {
			t.Errorf("%s does not log the database going down and coming back:\n%s", r.name, c.logTail(r))
		}
	}
}

// metric returns the value of an unlabelled metric of r.
func (c *cluster) metric(r *replica, name string) string {
	resp, err := c.client.Get(r.base() + "/metrics")
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			return v
		}
	}
	return ""
}
