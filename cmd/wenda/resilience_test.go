package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// adminToken is long enough for the start-up check.
const adminToken = "test-admin-token-0123456789"

func TestAdminTokenTooShort(t *testing.T) {
	env := map[string]string{"WENDA_ADMIN_TOKEN": "tok"}
	_, _, err := parseConfig("t", nil, func(k string) string { return env[k] }, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "at least 16") {
		t.Errorf("3-character admin token: %v, want an error asking for at least 16", err)
	}
	env["WENDA_ADMIN_TOKEN"] = adminToken
	if _, _, err := parseConfig("t", nil, func(k string) string { return env[k] }, io.Discard); err != nil {
		t.Errorf("%d-character admin token: %v", len(adminToken), err)
	}
}

// serve runs `wenda serve` until the returned stop is called, which returns
// its log and run's error.
func serve(t *testing.T, env map[string]string) (base string, stop func() (log string, err error)) {
	t.Helper()
	env["WENDA_ADDR"] = freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var stderr syncBuffer
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, nil, io.Discard, &stderr)
	}()
	stopped := false
	stop = func() (string, error) {
		stopped = true
		cancel()
		select {
		case err := <-done:
			return stderr.String(), err
		case <-time.After(30 * time.Second):
			t.Fatal("serve did not return 30s after it was stopped")
			return "", nil
		}
	}
	t.Cleanup(func() {
		if !stopped {
			stop()
		}
	})
	base = "http://" + env["WENDA_ADDR"]
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		select {
		case err := <-done:
			t.Fatalf("serve exited at start: %v\n%s", err, stderr.String())
		default:
		}
		if resp, err := http.Get(base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return base, stop
			}
		}
	}
	t.Fatalf("wenda did not become ready; log:\n%s", stderr.String())
	return "", nil
}

func readyz(t *testing.T, base string) string {
	t.Helper()
	resp, err := http.Get(base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// TestServeDamagedLibrary: a truncated file in documents/ and an added
// document with a built-in's ID are skipped and named in /readyz; the rest
// is served.
func TestServeDamagedLibrary(t *testing.T) {
	dir := t.TempDir()
	docs := filepath.Join(dir, "documents")
	os.MkdirAll(docs, 0o755)
	good := `{"id":"ganzhou-2024","title":"赣州市2024年教育统计公报","city":"赣州市","province":"江西省","published":"2024","text":"2024年,赣州市义务教育巩固率达到96.5%。"}`
	os.WriteFile(filepath.Join(docs, "ganzhou-2024.json"), []byte(good), 0o644)
	os.WriteFile(filepath.Join(docs, "cut.json"), []byte(good[:len(good)/2]), 0o644)
	clash := `{"id":"nanchang-14th-five-year-education-plan","title":"冒名","city":"南昌市","province":"江西省","published":"2024","text":"南昌市义务教育巩固率为12.34%。"}`
	os.WriteFile(filepath.Join(docs, "nanchang-14th-five-year-education-plan.json"), []byte(clash), 0o644)

	base, _ := serve(t, map[string]string{"WENDA_DATA_DIR": dir, "WENDA_ADMIN_TOKEN": adminToken})
	body := readyz(t, base)
	for _, want := range []string{"cut.json", "nanchang-14th-five-year-education-plan"} {
		if !strings.Contains(body, want) {
			t.Errorf("/readyz = %s, want it to name %s", body, want)
		}
	}
	if _, a := postAsk(t, base, `{"question":"赣州义务教育巩固率是多少"}`); !strings.Contains(a.Answer, "96.5") {
		t.Errorf("the good added document: %q, want 96.5", a.Answer)
	}
	if _, a := postAsk(t, base, `{"question":"南昌义务教育巩固率是多少"}`); !strings.Contains(a.Answer, "97.01") || strings.Contains(a.Answer, "12.34") {
		t.Errorf("the built-in document: %q, want 97.01 and not the clash's 12.34", a.Answer)
	}
}

// TestServeUnwritableDataDir: when the index snapshot cannot be saved, the
// server starts, answers, and says so in /readyz.
func TestServeUnwritableDataDir(t *testing.T) {
	dir := t.TempDir()
	if os.Geteuid() == 0 {
		// Permissions do not stop root: a directory where the snapshot
		// file should be makes it as unwritable.
		os.MkdirAll(filepath.Join(dir, "index.bin", "x"), 0o755)
	} else {
		os.Chmod(dir, 0o555)
		t.Cleanup(func() { os.Chmod(dir, 0o755) })
	}
	base, _ := serve(t, map[string]string{"WENDA_DATA_DIR": dir})
	if body := readyz(t, base); !strings.Contains(body, "snapshot not saved") {
		t.Errorf("/readyz = %s, want it to say the snapshot was not saved", body)
	}
	if _, a := postAsk(t, base, `{"question":"南昌义务教育巩固率是多少"}`); !strings.Contains(a.Answer, "97.01") {
		t.Errorf("answer = %q, want 97.01", a.Answer)
	}
}

// TestShutdownWithSlowClient: a client still sending its body when the
// process is stopped delays shutdown by at most the timeout; the WeChat
// channel is still shut down and the exit is clean.
func TestShutdownWithSlowClient(t *testing.T) {
	base, stop := serve(t, map[string]string{"WENDA_SHUTDOWN_TIMEOUT": "500ms", "WENDA_WECHAT_TOKEN": "wendatest"})
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/v1/ask HTTP/1.1\r\nHost: wenda\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
	time.Sleep(200 * time.Millisecond) // the request is in its handler, reading
	start := time.Now()
	log, err := stop()
	if err != nil {
		t.Errorf("serve returned %v, want nil after a signal", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("shutdown took %v, want about the 500ms timeout", d)
	}
	if !strings.Contains(log, "wechat stopped") {
		t.Errorf("log lacks the WeChat shutdown:\n%s", log)
	}
}

// TestServeHeaderLimit: headers past maxHeaderBytes are refused with 431,
// not read up to net/http's default megabyte.
func TestServeHeaderLimit(t *testing.T) {
	base, _ := serve(t, map[string]string{})
	req, _ := http.NewRequestWithContext(t.Context(), "GET", base+"/healthz", nil)
	req.Header.Set("X-Padding", strings.Repeat("a", 64<<10))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("64 KiB of headers = %d, want 431", resp.StatusCode)
	}
}

// TestServeDamagedUnansweredLog: a damaged unanswered-questions file is set
// aside and a new log started; the server starts.
func TestServeDamagedUnansweredLog(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "unanswered.json"), []byte(`[{"text":"上海`), 0o644)
	base, _ := serve(t, map[string]string{"WENDA_DATA_DIR": dir, "WENDA_UNANSWERED_LOG": "on"})
	if body := readyz(t, base); !strings.Contains(body, "unanswered.json.damaged") {
		t.Errorf("/readyz = %s, want it to say the damaged log was set aside", body)
	}
	if _, err := os.Stat(filepath.Join(dir, "unanswered.json.damaged")); err != nil {
		t.Errorf("damaged log not kept: %v", err)
	}
}
