package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestKilledDuringAddThenRestarted kills a real wenda process (SIGKILL)
// while it stores and indexes a large document, leaves a half-written
// temporary file and a truncated index beside it, and restarts: the service
// comes up, every document it lists answers in full, and the damaged index
// is rebuilt rather than served.
func TestKilledDuringAddThenRestarted(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the wenda binary")
	}
	bin := filepath.Join(t.TempDir(), "wenda")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	data := t.TempDir()
	start := func() (*exec.Cmd, string) {
		addr := freeAddr(t)
		cmd := exec.Command(bin, "serve", "-addr", addr, "-data", data)
		cmd.Env = append(os.Environ(), "WENDA_ADMIN_TOKEN="+adminToken, "WENDA_RATE_LIMIT=0")
		var log strings.Builder
		cmd.Stderr = &log
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		base := "http://" + addr
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if resp, err := http.Get(base + "/readyz"); err == nil {
				resp.Body.Close()
				if resp.StatusCode == 200 {
					return cmd, base
				}
			}
		}
		cmd.Process.Kill()
		t.Fatalf("wenda did not become ready:\n%s", log.String())
		return nil, ""
	}

	cmd, base := start()
	// A document about 1.5 MB long: storing and indexing it takes a while,
	// and the kill lands somewhere in it.
	var text strings.Builder
	for i := range 12000 {
		fmt.Fprintf(&text, "第%d条:赣州市某县义务教育巩固率达到%d.%d%%,学前三年毛入园率达到%d%%。\n", i, 90+i%9, i%10, 80+i%19)
	}
	body := fmt.Sprintf(`{"id":"big","title":"大文档","city":"赣州市","province":"江西省","published":"2024","text":%q}`, text.String())
	done := make(chan struct{})
	go func() {
		defer close(done)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, "POST", base+"/api/v1/documents", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+adminToken)
		req.Header.Set("Content-Type", "application/json")
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	time.Sleep(30 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	<-done

	// What a kill in the middle of a write leaves behind, made for certain.
	docs := filepath.Join(data, "documents")
	os.MkdirAll(docs, 0o755)
	os.WriteFile(filepath.Join(docs, ".half.json.tmp-1"), []byte(`{"id":"half","title":"半`), 0o644)
	idx := filepath.Join(data, "index.bin")
	if raw, err := os.ReadFile(idx); err == nil {
		os.WriteFile(idx, raw[:len(raw)/3], 0o644)
	}

	cmd2, base2 := start()
	defer func() { cmd2.Process.Kill(); cmd2.Wait() }()
	req, _ := http.NewRequest("GET", base2+"/api/v1/documents", nil)
	req.Header.Set("Authorization", "Bearer "+adminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var list strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		list.Write(buf[:n])
		if err != nil {
			break
		}
	}
	resp.Body.Close()
	if strings.Contains(list.String(), `"half"`) {
		t.Errorf("a half-written document is listed: %s", list.String())
	}
	_, a := postAsk(t, base2, `{"question":"赣州市义务教育巩固率是多少"}`)
	if strings.Contains(list.String(), `"big"`) {
		if !a.Answered {
			t.Errorf("the stored document is listed but not answered: %q", a.Answer)
		}
		t.Log("the kill came after the document was stored: it survived whole")
	} else {
		if a.Answered {
			t.Errorf("no document stored, yet answered: %q", a.Answer)
		}
		t.Log("the kill came before the document was stored: nothing of it is served")
	}
	if _, a := postAsk(t, base2, `{"question":"南昌义务教育巩固率是多少"}`); !strings.Contains(a.Answer, "97.01") {
		t.Errorf("seeds after the restart: %q, want 97.01", a.Answer)
	}
}
