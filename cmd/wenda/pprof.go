//go:build pprof

package main

import (
	"log"
	"net/http"
	_ "net/http/pprof"
	"os"
)

// Profiling builds (go build -tags pprof) serve net/http/pprof on
// WENDA_PPROF_ADDR, apart from the API's own listener, so that a load test
// can take CPU and allocation profiles of a running server (bench/ratio.sh
// with PROFILE=dir). Release builds hold none of this.
func init() {
	addr := os.Getenv("WENDA_PPROF_ADDR")
	if addr == "" {
		return
	}
	go func() { log.Println(http.ListenAndServe(addr, nil)) }()
}
