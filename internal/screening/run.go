package screening

import (
	"context"
	"sync"
)

// Readiness is told when the indexes are ready (the server's /readyz).
type Readiness interface {
	Wait(part string)
	Done(part string)
}

// runner is the engine's background work: load, then follow the feed.
type runner struct {
	mu     sync.Mutex
	cancel context.CancelFunc
	done   chan struct{}
}

// Start loads the indexes in the background and then keeps them current
// from the change feed until Stop. It does nothing when already started.
// A failure is logged and retried, since a node without its indexes cannot
// screen.
func (e *Engine) Start(ready Readiness) {
	e.run.mu.Lock()
	defer e.run.mu.Unlock()
	if e.run.cancel != nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	e.run.cancel, e.run.done = cancel, make(chan struct{})
	if ready != nil {
		ready.Wait("screening")
	}
	go func() {
		defer close(e.run.done)
		for ctx.Err() == nil {
			seq, err := e.Load(ctx)
			if err == nil {
				if ready != nil {
					ready.Done("screening")
				}
				err = e.Follow(ctx, seq)
			}
			if ctx.Err() != nil {
				return
			}
			e.log.Error("screening indexes stopped; reloading", "err", err)
			select {
			case <-ctx.Done():
			case <-afterRetry():
			}
		}
	}()
}

// Stop ends the background work and waits for it.
func (e *Engine) Stop() {
	e.run.mu.Lock()
	cancel, done := e.run.cancel, e.run.done
	e.run.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}
