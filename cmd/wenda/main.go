// Command wenda answers citizens' questions about public documents in
// Chinese: `wenda serve` runs the HTTP service, `wenda ask` answers one
// question in the terminal, `wenda add` adds a file to the data directory,
// `wenda eval` runs the regression cases and `wenda index` builds the saved
// index. `wenda` alone lists the commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "wenda:", err)
		os.Exit(exitCode(err))
	}
}
