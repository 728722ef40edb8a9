package api

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"wenda/rag"
)

// slowClient opens a connection, sends a POST's headers announcing a body of
// n bytes, and then one byte a second until the connection is closed.
type slowClient struct {
	conn net.Conn
	stop chan struct{}
}

func startSlowClient(t *testing.T, addr, path string, n int) *slowClient {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: wenda\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n{", path, n)
	sc := &slowClient{conn: conn, stop: make(chan struct{})}
	go func() {
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-sc.stop:
				return
			case <-tick.C:
				if _, err := conn.Write([]byte(" ")); err != nil {
					return
				}
			}
		}
	}()
	t.Cleanup(func() { close(sc.stop); conn.Close() })
	return sc
}

// closedWithin reads what the server sends until it closes the connection,
// and returns the first status line and whether the close came in time.
func (sc *slowClient) closedWithin(d time.Duration) (status string, closed bool) {
	sc.conn.SetReadDeadline(time.Now().Add(d))
	r := bufio.NewReader(sc.conn)
	status, _ = r.ReadString('\n')
	_, err := io.Copy(io.Discard, r)
	return strings.TrimSpace(status), err == nil
}

// TestSlowBodiesAreCut: 50 connections sending a body a byte a second are
// closed within the body timeout, and answered 408 in the API's shape.
func TestSlowBodiesAreCut(t *testing.T) {
	s := New(Config{BodyTimeout: 500 * time.Millisecond})
	s.SetAsker(validatingAsker)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close) // after the slow clients' cleanups
	addr := strings.TrimPrefix(srv.URL, "http://")

	const conns = 50
	clients := make([]*slowClient, conns)
	for i := range clients {
		clients[i] = startSlowClient(t, addr, "/api/v1/ask", 1000)
	}
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan string, conns)
	for i, sc := range clients {
		wg.Go(func() {
			status, closed := sc.closedWithin(3 * time.Second)
			if !closed {
				errs <- fmt.Sprintf("connection %d still open after 3s (status %q)", i, status)
			} else if !strings.Contains(status, "408") {
				errs <- fmt.Sprintf("connection %d: status %q, want 408", i, status)
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	t.Logf("%d slow connections closed in %v", conns, time.Since(start).Round(time.Millisecond))

	// A body that arrives in time is answered, on the same server.
	resp, err := http.Post(srv.URL+"/api/v1/ask", "application/json", strings.NewReader(`{"question":"问"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("prompt body: status %d, want 200", resp.StatusCode)
	}
}

// TestRefusalClosesAtOnce: a 429 or a 413 is sent at once and the
// connection closed, rather than reading the refused body first.
func TestRefusalClosesAtOnce(t *testing.T) {
	s := New(Config{RateLimit: 1, BodyTimeout: time.Minute})
	s.SetAsker(validatingAsker)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close) // after the slow clients' cleanups
	addr := strings.TrimPrefix(srv.URL, "http://")

	// The body of the first question arrives slowly, but it may: it is
	// within its budget and timeout. It uses the client's one question.
	startSlowClient(t, addr, "/api/v1/ask", 20)
	time.Sleep(100 * time.Millisecond)
	for _, tt := range []struct {
		name, path string
		n          int
		want       string
	}{
		{"rate limited", "/api/v1/ask", 1000, "429"},
		{"rate limited, other endpoint", "/v1/chat/completions", 1000, "429"},
	} {
		sc := startSlowClient(t, addr, tt.path, tt.n)
		status, closed := sc.closedWithin(2 * time.Second)
		if !strings.Contains(status, tt.want) || !closed {
			t.Errorf("%s: status %q, closed within 2s: %v; want %s and closed", tt.name, status, closed, tt.want)
		}
	}

	// A body announced too large is refused before it is read.
	big := New(Config{BodyTimeout: time.Minute})
	big.SetAsker(validatingAsker)
	srv2 := httptest.NewServer(big.Handler())
	t.Cleanup(srv2.Close)
	sc := startSlowClient(t, strings.TrimPrefix(srv2.URL, "http://"), "/api/v1/ask", 100_000)
	if status, closed := sc.closedWithin(2 * time.Second); !strings.Contains(status, "413") || !closed {
		t.Errorf("too large: status %q, closed within 2s: %v; want 413 and closed", status, closed)
	}
}

// TestLongAnswerOutlivesBodyTimeout: the body's deadline ends with the
// body; an answer that takes longer than it is not cut.
func TestLongAnswerOutlivesBodyTimeout(t *testing.T) {
	s := New(Config{BodyTimeout: 200 * time.Millisecond})
	s.SetAsker(askerFunc(func(ctx context.Context, req rag.Request) (rag.Answer, error) {
		select {
		case <-time.After(700 * time.Millisecond):
			return fixedAnswer, nil
		case <-ctx.Done():
			return rag.Answer{}, ctx.Err()
		}
	}))
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close) // after the slow clients' cleanups
	for _, body := range []string{`{"question":"问"}`, `{"question":"问","stream":true}`} {
		resp, err := http.Post(srv.URL+"/api/v1/ask", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(raw), "97.01") {
			t.Errorf("%s: status %d body %.200s, want the answer", body, resp.StatusCode, raw)
		}
	}
}

// slowPost sends a POST whose body comes in three parts gap apart, and
// returns the status.
func slowPost(t *testing.T, addr, path, token, body string, gap time.Duration) string {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: wenda\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", path, token, len(body))
	third := len(body) / 3
	for _, part := range []string{body[:third], body[third : 2*third], body[2*third:]} {
		time.Sleep(gap)
		conn.Write([]byte(part))
	}
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	status, _ := bufio.NewReader(conn).ReadString('\n')
	return strings.TrimSpace(status)
}

// TestUploadBodyTimeout: an administrator's document may take longer to
// arrive than a question.
func TestUploadBodyTimeout(t *testing.T) {
	s := New(Config{BodyTimeout: 300 * time.Millisecond, AdminToken: "s3cret", Documents: &memDocs{docs: map[string]rag.Document{}}})
	s.SetAsker(validatingAsker)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	addr := strings.TrimPrefix(srv.URL, "http://")
	doc := `{"id":"slow","title":"慢","city":"南昌市","text":"南昌市新建学校10所。"}`
	if got := slowPost(t, addr, "/api/v1/documents", "s3cret", doc, 200*time.Millisecond); !strings.Contains(got, "201") {
		t.Errorf("document sent over 600ms: %q, want 201", got)
	}
	if got := slowPost(t, addr, "/api/v1/ask", "", `{"question":"南昌义务教育巩固率是多少"}`, 200*time.Millisecond); !strings.Contains(got, "408") {
		t.Errorf("question sent over 600ms: %q, want 408", got)
	}
}
