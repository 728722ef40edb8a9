// Package pgtest starts a throwaway PostgreSQL server for tests: initdb in a
// temporary directory, listening on 127.0.0.1 only, on a free port, with no
// Unix socket, trusted local logins, removed when the test ends.
//
// It uses Debian's postgresql-15 binaries (/usr/lib/postgresql/15/bin, or
// WENDA_PG_BIN). Without them a test skips saying why, except under
// CI=true, where .ci/run installs them and a skip would hide a failure.
// PostgreSQL refuses to run as root, so as root the server runs as the
// postgres user that the Debian package creates.
package pgtest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Server is a running PostgreSQL.
type Server struct {
	URL  string // postgres://wenda@127.0.0.1:port/wenda?sslmode=disable
	Port int

	t       testing.TB
	bin     string
	dir     string
	cred    *syscall.Credential
	running bool
}

// BinDir returns where the PostgreSQL binaries are, or an error saying what
// is missing.
func BinDir() (string, error) {
	dir := os.Getenv("WENDA_PG_BIN")
	if dir == "" {
		dir = "/usr/lib/postgresql/15/bin"
	}
	for _, b := range []string{"initdb", "pg_ctl", "postgres"} {
		if _, err := os.Stat(filepath.Join(dir, b)); err != nil {
			return "", fmt.Errorf("PostgreSQL binaries not found in %s (apt-get install postgresql-15, or set WENDA_PG_BIN)", dir)
		}
	}
	return dir, nil
}

// Start starts a server for the test and stops it when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	bin, err := BinDir()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	s := &Server{t: t, bin: bin}
	// t.TempDir is 0700 and owned by root: the postgres user could not
	// enter it.
	s.dir, err = os.MkdirTemp("", "wenda-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(s.dir) })
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root needs the postgres user (apt-get install postgresql-15): %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		s.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(s.dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	data := filepath.Join(s.dir, "data")
	if out, err := s.command("initdb", "-D", data, "-U", "wenda", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync").CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	s.Port = freePort(t)
	conf := fmt.Sprintf("listen_addresses = '127.0.0.1'\nport = %d\nunix_socket_directories = ''\n"+
		"fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 100\nshared_buffers = 32MB\n", s.Port)
	f, err := os.OpenFile(filepath.Join(data, "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(conf)
	f.Close()
	s.URL = fmt.Sprintf("postgres://wenda@127.0.0.1:%d/wenda?sslmode=disable", s.Port)
	s.StartAgain()
	t.Cleanup(func() {
		if s.running {
			s.command("pg_ctl", "-D", data, "-m", "immediate", "-w", "stop").Run()
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, fmt.Sprintf("postgres://wenda@127.0.0.1:%d/postgres?sslmode=disable", s.Port))
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE wenda"); err != nil {
		t.Fatalf("create database: %v", err)
	}
	return s
}

func (s *Server) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(s.bin, name), args...)
	cmd.Dir = s.dir
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	if s.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
	}
	return cmd
}

// Stop stops the server (fast shutdown: sessions are disconnected).
func (s *Server) Stop() {
	s.t.Helper()
	if out, err := s.command("pg_ctl", "-D", filepath.Join(s.dir, "data"), "-m", "fast", "-w", "-t", "30", "stop").CombinedOutput(); err != nil {
		s.t.Fatalf("pg_ctl stop: %v\n%s", err, out)
	}
	s.running = false
}

// StartAgain starts the server after Stop, on the same port.
func (s *Server) StartAgain() {
	s.t.Helper()
	logFile := filepath.Join(s.dir, "server.log")
	var out []byte
	var err error
	// The port was free when chosen; another process may take it in
	// between, which shows as a failed start.
	for try := 0; try < 3; try++ {
		out, err = s.command("pg_ctl", "-D", filepath.Join(s.dir, "data"), "-l", logFile, "-w", "-t", "60", "start").CombinedOutput()
		if err == nil {
			s.running = true
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	log, _ := os.ReadFile(logFile)
	s.t.Fatalf("pg_ctl start: %v\n%s\n%s", err, out, tail(string(log), 2000))
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return strings.TrimSpace(s)
}

func freePort(t testing.TB) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

var databases atomic.Int64

// Database returns the server with URL naming a new, empty database, for one test (or
// subtest) t among several that share a server.
func (s *Server) Database(t testing.TB) *Server {
	t.Helper()
	name := fmt.Sprintf("wenda_%d", databases.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, fmt.Sprintf("postgres://wenda@127.0.0.1:%d/postgres?sslmode=disable", s.Port))
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	d := *s
	d.t = t
	d.URL = fmt.Sprintf("postgres://wenda@127.0.0.1:%d/%s?sslmode=disable", s.Port, name)
	return &d
}
