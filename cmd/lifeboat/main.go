// Command lifeboat maps a company's third-party dependencies and finds its
// critical partners, single points of failure and hidden shared suppliers.
// Run `lifeboat --help` for the commands.
package main

import (
	"context"
	"os"

	"github.com/lifeboat-dev/lifeboat/cmd/lifeboat/cli"
)

func main() {
	os.Exit(cli.Main(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}
