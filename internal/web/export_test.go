package web

import (
	"sync"
	"testing"
)

// HoldImports makes every import wait after each batch it commits until
// release is called, for the rest of test t: its report is then under way
// whenever the test looks.
func HoldImports(t testing.TB) (release func()) {
	held := make(chan struct{})
	var once sync.Once
	release = func() { once.Do(func() { close(held) }) }
	hold := func() { <-held }
	importBatchHook.Store(&hold)
	t.Cleanup(func() {
		release()
		importBatchHook.Store(nil)
	})
	return release
}
