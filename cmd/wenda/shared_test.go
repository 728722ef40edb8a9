package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestDatabaseConfig(t *testing.T) {
	for _, env := range []map[string]string{
		{"WENDA_DATABASE_URL": "mysql://db/wenda"},
		{"WENDA_DRAIN_DELAY": "soon"},
		{"WENDA_DRAIN_DELAY": "2h"},
	} {
		if _, _, err := parseConfig("t", nil, func(k string) string { return env[k] }, io.Discard); err == nil {
			t.Errorf("parseConfig(%v) = nil error, want one", env)
		}
	}
	tests := []struct {
		env       map[string]string
		args      []string
		wantURL   string
		wantDrain time.Duration
	}{
		{map[string]string{}, nil, "", 0},
		{map[string]string{"WENDA_DATABASE_URL": "postgres://a/wenda"}, nil, "postgres://a/wenda", defaultDrain},
		{map[string]string{"WENDA_DATABASE_URL": "postgres://a/wenda"}, []string{"-database", "postgresql://b/wenda"}, "postgresql://b/wenda", defaultDrain},
		{map[string]string{"WENDA_DATABASE_URL": "postgres://a/wenda", "WENDA_DRAIN_DELAY": "0s"}, nil, "postgres://a/wenda", 0},
	}
	for _, tt := range tests {
		c, _, err := parseConfig("t", tt.args, func(k string) string { return tt.env[k] }, io.Discard)
		if err != nil || c.DatabaseURL != tt.wantURL || c.DrainDelay != tt.wantDrain {
			t.Errorf("parseConfig(%v, %v) = %q, %v, %v; want %q, %v", tt.env, tt.args, c.DatabaseURL, c.DrainDelay, err, tt.wantURL, tt.wantDrain)
		}
	}
}

// TestServeDatabaseDownAtStart starts a replica whose database cannot be reached: it serves
// its local copy, answers questions, refuses admin writes with 503 and says so in /metrics.
func TestServeDatabaseDownAtStart(t *testing.T) {
	env := map[string]string{
		// A port nothing listens on: connections are refused at once.
		"WENDA_DATABASE_URL": "postgres://wenda@" + freeAddr(t) + "/wenda?sslmode=disable",
		"WENDA_ADMIN_TOKEN":  "tok",
		"WENDA_DRAIN_DELAY":  "0s",
	}
	base := startServe(t, env)
	resp, err := http.Post(base+"/api/v1/ask", "application/json", strings.NewReader(`{"question":"南昌义务教育巩固率是多少?"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("ask with the database down = %d, want 200", resp.StatusCode)
	}
	req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/documents",
		strings.NewReader(`{"id":"d","title":"赣州公报","city":"赣州市","published":"2024","text":"2024年,赣州市义务教育巩固率达到96.5%。"}`))
	req.Header.Set("Authorization", "Bearer tok")
	req.Header.Set("Content-Type", "application/json")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), `"database_unavailable"`) {
		t.Errorf("admin write with the database down = %d %s, want 503 database_unavailable", resp.StatusCode, body)
	}
	resp, err = http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "\nwenda_database_up 0\n") {
		t.Errorf("/metrics lacks wenda_database_up 0")
	}
}
