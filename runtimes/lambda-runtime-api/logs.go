package main

import (
	"errors"
	"io"
	"os"
	"sync"
	"syscall"
	"time"
	"unsafe"
)

// runtimeOutput carries the runtime's stdout and stderr (one pipe, so their order is kept) to the container's
// output, and keeps the tail of what an invocation logged for a caller that asked for it (Lambkin-Log-Type: Tail).
type runtimeOutput struct {
	r   *os.File
	out io.Writer

	mu      sync.Mutex
	tail    []byte
	keeping bool
	waiters []chan struct{}
}

func newRuntimeOutput(r *os.File, out io.Writer) *runtimeOutput {
	return &runtimeOutput{r: r, out: out}
}

// startTail begins an invocation's log tail.
func (o *runtimeOutput) startTail() {
	o.mu.Lock()
	o.tail, o.keeping = o.tail[:0], true
	o.mu.Unlock()
}

// endTail returns the last logTailBytes the runtime wrote since startTail, once everything it wrote before this
// call has been read from the pipe (the runtime logs, then posts its response: the log lines may still be in the
// pipe when the response arrives). Waits at most maxWait for that.
func (o *runtimeOutput) endTail(maxWait time.Duration) []byte {
	read := make(chan struct{})
	o.mu.Lock()
	o.waiters = append(o.waiters, read)
	o.mu.Unlock()
	o.r.SetReadDeadline(time.Now()) // wakes the copier's read; it drains the pipe and answers the waiters
	select {
	case <-read:
	case <-time.After(maxWait):
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.keeping = false
	return append([]byte(nil), o.tail...)
}

func (o *runtimeOutput) write(p []byte) {
	o.out.Write(p)
	o.mu.Lock()
	if o.keeping {
		o.tail = append(o.tail, p...)
		if len(o.tail) > logTailBytes {
			o.tail = append(o.tail[:0], o.tail[len(o.tail)-logTailBytes:]...)
		}
	}
	o.mu.Unlock()
}

// copy runs until the runtime's output closes. Only this goroutine reads the pipe, so output stays in order.
func (o *runtimeOutput) copy() {
	buf := make([]byte, 32*1024)
	for {
		n, err := o.r.Read(buf)
		if n > 0 {
			o.write(buf[:n])
		}
		if err == nil {
			continue
		}
		if !errors.Is(err, os.ErrDeadlineExceeded) {
			return
		}
		// An endTail asked: clear the deadline, take the waiters that asked before now, then read what the pipe
		// holds. What they wait for was written before they asked, so it is read before they are answered; a
		// waiter that comes later sets the deadline again and is answered on the next turn.
		for again := true; again; {
			again = false
			o.r.SetReadDeadline(time.Time{})
			o.mu.Lock()
			waiters := o.waiters
			o.waiters = nil
			o.mu.Unlock()
			for pending(o.r) > 0 {
				n, err := o.r.Read(buf)
				if n > 0 {
					o.write(buf[:n])
				}
				if errors.Is(err, os.ErrDeadlineExceeded) {
					again = true // a later waiter woke this read: its turn comes next
					o.r.SetReadDeadline(time.Time{})
				} else if err != nil {
					break
				}
			}
			for _, w := range waiters {
				close(w)
			}
		}
	}
}

// pending is how many bytes the pipe holds unread (FIONREAD), through the poller-safe raw connection.
func pending(f *os.File) int {
	raw, err := f.SyscallConn()
	if err != nil {
		return 0
	}
	var n int32 // FIONREAD writes a C int
	raw.Control(func(fd uintptr) {
		if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, fd, syscall.TIOCINQ, uintptr(unsafe.Pointer(&n))); errno != 0 {
			n = 0
		}
	})
	return int(n)
}
