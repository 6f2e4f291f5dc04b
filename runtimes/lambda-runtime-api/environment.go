package main

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// invocation is one event on its way through the runtime.
type invocation struct {
	id            string
	event         []byte
	deadline      time.Time
	traceID       string
	clientContext string // JSON, as the Runtime API hands it (the Invoke API's is base64)
	tail          bool
	done          chan answer // buffered: the runtime's answer, or the reason there is none
	watchdog      *time.Timer
	deliveredTo   *runtimeProcess // the runtime process that fetched it, nil until then (guarded by environment.mu)
}

// answer is what the gateway gets back for an invocation.
type answer struct {
	functionError bool
	contentType   string // the runtime's, for a response
	body          []byte
}

// runtimeProcess is one start of the runtime: a crash or a timeout ends it and the environment starts another.
type runtimeProcess struct {
	pid     int
	started time.Time
	exited  chan struct{} // closed when the process has ended
	reason  string        // why, in Lambda's words; set before exited closes
}

// kill ends the process and its group at once.
func (p *runtimeProcess) kill() {
	syscall.Kill(-p.pid, syscall.SIGKILL)
}

// environment is one Lambda execution environment: the runtime process and the event it holds.
type environment struct {
	s      settings
	output *runtimeOutput

	mu       sync.Mutex
	current  *invocation   // taken by the push side, not yet answered by the runtime
	changed  chan struct{} // closed (and replaced) on news: an event to hand out, a runtime started, the end
	proc     *runtimeProcess
	draining bool
	ending   bool // the environment is going away: no event is taken any more

	initialized chan struct{} // closed at the first /next of the current runtime process
	fatal       chan string   // why the environment must end now (an init error)
}

func newEnvironment(s settings, output *runtimeOutput) *environment {
	return &environment{s: s, output: output, changed: make(chan struct{}), fatal: make(chan string, 1),
		initialized: make(chan struct{})}
}

// notify wakes whoever waits for news (a /next, a call waiting for the next runtime); e.mu held.
func (e *environment) notify() {
	close(e.changed)
	e.changed = make(chan struct{})
}

// started makes proc the environment's runtime process; the returned channel closes at its first /next.
func (e *environment) started(proc *runtimeProcess) chan struct{} {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.proc = proc
	e.initialized = make(chan struct{})
	e.notify()
	return e.initialized
}

// processEnded lets go of the event proc held (its caller, if still there, is answered Runtime.ExitError).
func (e *environment) processEnded(proc *runtimeProcess) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.current != nil && e.current.deliveredTo == proc {
		e.letGo(e.current)
	}
}

func (e *environment) setEnding() {
	e.mu.Lock()
	e.ending = true
	e.notify()
	e.mu.Unlock()
}

func (e *environment) setDraining() {
	e.mu.Lock()
	e.draining = true
	e.mu.Unlock()
}

// idle says whether no event is held, and what closes at the next change.
func (e *environment) idle() (bool, chan struct{}) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.current == nil, e.changed
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// errorBody is the error shape both sides use: Lambkin's contract and the Runtime API's answers.
func errorBody(errorType, message string) map[string]string {
	return map[string]string{"errorType": errorType, "errorMessage": message}
}

func (e *environment) end(reason string) {
	select {
	case e.fatal <- reason:
	default: // already ending
	}
}

// unavailable refuses an event the runtime never got: the gateway takes it elsewhere, it is not a function error.
func unavailable(w http.ResponseWriter) {
	writeJSON(w, http.StatusServiceUnavailable, errorBody(errorTypeUnavail, "this execution environment takes no event now"))
}

// push serves the gateway: POST / is an invocation (Lambkin's runtime contract); any GET is a readiness check
// (the port opens only once the runtime is initialized).
func (e *environment) push(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
		return
	}
	if r.URL.Path != "/" || r.Method != http.MethodPost {
		writeJSON(w, http.StatusNotFound, errorBody("NotFound", "the runtime serves POST / only"))
		return
	}
	event, err := io.ReadAll(io.LimitReader(r.Body, maxEventBytes+1))
	if err != nil {
		return // the caller went away
	}
	if len(event) > maxEventBytes {
		writeJSON(w, http.StatusRequestEntityTooLarge, errorBody("RequestTooLarge", "the event is over 6 MB"))
		return
	}
	inv := e.invocation(r, event)
	e.mu.Lock()
	if e.draining || e.ending || e.current != nil {
		e.mu.Unlock()
		// one event at a time, as Lambda's environments: the gateway sends no more, so this is a call that raced a
		// drain or an environment that is ending
		unavailable(w)
		return
	}
	e.current = inv
	e.notify()
	// an event still running well past its deadline ends the runtime, as Lambda resets a timed-out sandbox
	inv.watchdog = time.AfterFunc(time.Until(inv.deadline)+500*time.Millisecond, func() { e.timedOut(inv) })
	e.mu.Unlock()
	if inv.tail {
		e.output.startTail()
	}
	for {
		e.mu.Lock()
		proc := e.proc
		e.mu.Unlock()
		select {
		case a := <-inv.done:
			e.answer(w, inv, a)
			return
		case <-proc.exited:
			// its answer may have come just before the runtime ended (a drain, a one-shot bootstrap): that one counts
			select {
			case a := <-inv.done:
				e.answer(w, inv, a)
				return
			default:
			}
			e.mu.Lock()
			deliveredTo, ending := inv.deliveredTo, e.ending
			e.mu.Unlock()
			if deliveredTo == proc {
				e.release(inv)
				body, _ := json.Marshal(errorBody(errorTypeExit, fmt.Sprintf("RequestId: %s Error: %s", inv.id, proc.reason)))
				e.answer(w, inv, answer{functionError: true, body: body})
				return
			}
			if ending {
				e.release(inv)
				unavailable(w)
				return
			}
			// the runtime that ended never had it: it waits for the runtime that starts next
			e.waitForNextProcess(proc, r)
		case <-r.Context().Done():
			// the gateway gave up (its deadline): the runtime still holds the event until it answers or the watchdog
			// ends it; an event it never fetched is withdrawn
			e.mu.Lock()
			if inv.deliveredTo == nil {
				e.letGo(inv)
			}
			e.mu.Unlock()
			return
		}
	}
}

// waitForNextProcess returns once the environment runs another runtime process than proc, or is ending.
func (e *environment) waitForNextProcess(proc *runtimeProcess, r *http.Request) {
	for {
		e.mu.Lock()
		next, ending, changed := e.proc, e.ending, e.changed
		e.mu.Unlock()
		if next != proc || ending {
			return
		}
		select {
		case <-r.Context().Done():
			return
		case <-changed:
		}
	}
}

func (e *environment) timedOut(inv *invocation) {
	e.mu.Lock()
	held := e.current == inv
	proc := e.proc
	e.mu.Unlock()
	if held {
		fmt.Fprintf(e.output.out, "lambkin-runtime-api: RequestId: %s Task timed out; restarting the runtime\n", inv.id)
		proc.kill()
	}
}

func (e *environment) invocation(r *http.Request, event []byte) *invocation {
	now := time.Now()
	deadline := now.Add(e.s.timeout)
	if ms, err := strconv.ParseInt(r.Header.Get(headerDeadlineMs), 10, 64); err == nil {
		deadline = time.UnixMilli(ms)
	}
	id := r.Header.Get(headerRequestID)
	if id == "" {
		b := make([]byte, 16)
		rand.Read(b)
		id = hex.EncodeToString(b)
	}
	clientContext := ""
	if cc := r.Header.Get(headerClientContext); cc != "" {
		if decoded, err := base64.StdEncoding.DecodeString(cc); err == nil {
			clientContext = string(decoded)
		}
	}
	return &invocation{id: id, event: event, deadline: deadline, traceID: traceID(r.Header.Get(headerTraceparent), now),
		clientContext: clientContext, tail: r.Header.Get(headerLogType) == logTypeTail, done: make(chan answer, 1)}
}

func (e *environment) release(inv *invocation) {
	e.mu.Lock()
	e.letGo(inv)
	e.mu.Unlock()
}

// letGo ends inv's hold on the environment if it still has it (its watchdog too); e.mu held.
func (e *environment) letGo(inv *invocation) {
	if e.current == inv {
		e.current = nil
		inv.watchdog.Stop()
		e.notify()
	}
}

func (e *environment) answer(w http.ResponseWriter, inv *invocation, a answer) {
	if inv.tail {
		tail := e.output.endTail(200 * time.Millisecond)
		w.Header().Set(headerLogResult, base64.StdEncoding.EncodeToString(tail))
	}
	if peak := peakMemoryBytes(e.s.peakMemory); peak != "" {
		w.Header().Set(headerMaxMemoryUsed, peak)
	}
	contentType := a.contentType
	if a.functionError || contentType == "" {
		contentType = "application/json" // Lambda's answers are JSON unless the runtime said otherwise
	}
	if a.functionError {
		w.Header().Set(headerFunctionError, unhandled)
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(http.StatusOK)
	w.Write(a.body)
}

// complete hands the runtime's answer for event id to the call waiting for it.
func (e *environment) complete(id string, a answer) bool {
	e.mu.Lock()
	inv := e.current
	if inv == nil || inv.id != id || inv.deliveredTo == nil {
		e.mu.Unlock()
		return false
	}
	e.letGo(inv)
	e.mu.Unlock()
	inv.done <- a
	return true
}

// runtimeAPI serves the runtime: AWS Lambda's Runtime API, 2018-06-01.
func (e *environment) runtimeAPI(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, runtimePrefix)
	switch {
	case path == "invocation/next" && r.Method == http.MethodGet:
		e.nextEvent(w, r)
	case path == "init/error" && r.Method == http.MethodPost:
		e.mu.Lock()
		initialized := e.initialized
		e.mu.Unlock()
		select {
		case <-initialized:
			writeJSON(w, http.StatusForbidden, errorBody("InvalidStateTransition", "init/error after the runtime's first /next"))
			return
		default:
		}
		errorType, message, _ := runtimeErrorBody(r)
		e.end(errorType + ": " + message) // before the reply: the runtime exits once it has one
		writeJSON(w, http.StatusAccepted, map[string]string{"status": "OK"})
	case strings.HasPrefix(path, "invocation/") && r.Method == http.MethodPost:
		id, what, _ := strings.Cut(strings.TrimPrefix(path, "invocation/"), "/")
		switch what {
		case "response":
			e.response(w, r, id)
		case "error":
			_, _, body := runtimeErrorBody(r)
			if !e.complete(id, answer{functionError: true, body: body}) {
				writeJSON(w, http.StatusBadRequest, invalidRequestID(id))
				return
			}
			writeJSON(w, http.StatusAccepted, map[string]string{"status": "OK"})
		default:
			writeJSON(w, http.StatusNotFound, errorBody("InvalidPath", "no such Runtime API path: "+r.URL.Path))
		}
	default:
		writeJSON(w, http.StatusNotFound, errorBody("InvalidPath", "no such Runtime API path: "+r.Method+" "+r.URL.Path))
	}
}

func invalidRequestID(id string) map[string]string {
	return errorBody("InvalidRequestID", "Invalid request ID: "+id)
}

// nextEvent hands the runtime the event it is to work on; a /next while that event is still unanswered gets the
// same event again, as AWS's runtime interface emulator does.
func (e *environment) nextEvent(w http.ResponseWriter, r *http.Request) {
	e.markInitialized()
	for {
		e.mu.Lock()
		inv, changed := e.current, e.changed
		if inv != nil {
			inv.deliveredTo = e.proc
		}
		e.mu.Unlock()
		if inv != nil {
			h := w.Header()
			h.Set(rtHeaderRequestID, inv.id)
			h.Set(rtHeaderDeadlineMs, strconv.FormatInt(inv.deadline.UnixMilli(), 10))
			h.Set(rtHeaderFunctionArn, e.s.functionArn)
			h.Set(rtHeaderTraceID, inv.traceID)
			if inv.clientContext != "" {
				h.Set(rtHeaderClientContext, inv.clientContext)
			}
			h.Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusOK)
			w.Write(inv.event)
			return
		}
		select {
		case <-changed:
		case <-r.Context().Done():
			return
		}
	}
}

func (e *environment) markInitialized() {
	e.mu.Lock()
	defer e.mu.Unlock()
	select {
	case <-e.initialized:
	default:
		close(e.initialized)
	}
}

func (e *environment) response(w http.ResponseWriter, r *http.Request, id string) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxResponseBytes+1))
	if err != nil {
		return
	}
	a := answer{contentType: r.Header.Get("Content-Type"), body: body}
	tooLarge := len(body) > maxResponseBytes
	if tooLarge {
		b, _ := json.Marshal(errorBody(errorTypeTooLarge, fmt.Sprintf(
			"Response payload size exceeded maximum allowed payload size (%d bytes).", maxResponseBytes)))
		a = answer{functionError: true, body: b}
	}
	if !e.complete(id, a) {
		writeJSON(w, http.StatusBadRequest, invalidRequestID(id))
		return
	}
	if tooLarge {
		writeJSON(w, http.StatusRequestEntityTooLarge, errorBody("RequestEntityTooLarge", "the response is over 6 MB"))
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]string{"status": "OK"})
}

// runtimeErrorBody reads a runtime's error report (Lambda's {"errorMessage","errorType","stackTrace"}, the type
// also or only in Lambda-Runtime-Function-Error-Type) and returns it as the function error's body, errorType set.
func runtimeErrorBody(r *http.Request) (string, string, []byte) {
	raw, _ := io.ReadAll(io.LimitReader(r.Body, maxResponseBytes))
	report := map[string]any{}
	if err := json.Unmarshal(raw, &report); err != nil {
		report = map[string]any{"errorMessage": strings.TrimSpace(string(raw))}
	}
	errorType, _ := report["errorType"].(string)
	if errorType == "" {
		errorType = r.Header.Get(rtHeaderErrorType)
	}
	if errorType == "" {
		errorType = unhandled
	}
	report["errorType"] = errorType
	message, _ := report["errorMessage"].(string)
	body, _ := json.Marshal(report)
	return errorType, message, body
}
