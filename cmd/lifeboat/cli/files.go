package cli

import (
	"os"

	"github.com/lifeboat-dev/lifeboat/internal/atomicfile"
)

// writeFileAtomic writes data to path whole or not at all.
func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	return atomicfile.Write(path, data, perm)
}

// exists reports whether anything is at path.
func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}
