package main

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"
)

// run starts the runtime and serves both sides until the environment ends; the result is the process's exit code.
func run(command []string, s settings) int {
	logf := func(format string, args ...any) { fmt.Fprintf(os.Stderr, "lambkin-runtime-api: "+format+"\n", args...) }
	api, err := net.Listen("tcp", s.runtimeAPIAddr)
	if err != nil {
		return startFailure(s, logf, "cannot serve the Runtime API on "+s.runtimeAPIAddr+": "+err.Error())
	}
	r, w, err := os.Pipe()
	if err != nil {
		return startFailure(s, logf, "cannot make the runtime's output pipe: "+err.Error())
	}
	output := newRuntimeOutput(r, os.Stdout)
	go output.copy()
	env := newEnvironment(s, output)
	go http.Serve(api, http.HandlerFunc(env.runtimeAPI))

	cmd := exec.Command(command[0], command[1:]...)
	cmd.Stdout, cmd.Stderr = w, w
	// its own process group: an entrypoint script's children are stopped with it
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return startFailure(s, logf, "cannot start the runtime "+fmt.Sprint(command)+": "+err.Error())
	}
	w.Close() // the child holds the write end now
	go func() {
		err := cmd.Wait()
		reason := "Runtime exited without providing a reason"
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			reason = "Runtime exited with error: " + exit.ProcessState.String() // "exit status 1", "signal: killed"
		} else if err == nil {
			reason = "Runtime exited with error: exit status 0"
		}
		env.exitReason = reason
		close(env.exited)
	}()
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)

	// init: until the runtime asks for its first event
	select {
	case <-env.initialized:
	case <-env.exited:
		return startFailure(s, logf, env.exitReason)
	case reason := <-env.fatal:
		stop(cmd, env)
		return startFailure(s, logf, reason)
	case <-signals:
		stop(cmd, env)
		return 0
	}
	push, err := net.Listen("tcp", s.pushAddr)
	if err != nil {
		stop(cmd, env)
		return startFailure(s, logf, "cannot serve invocations on "+s.pushAddr+": "+err.Error())
	}
	go http.Serve(push, http.HandlerFunc(env.push))

	select {
	case <-env.exited:
		logf("%s", env.exitReason)
		waitForAnswers(env, 2*time.Second) // the event it held is answered with Runtime.ExitError first
		return 1
	case reason := <-env.fatal:
		logf("%s", reason)
		stop(cmd, env)
		return 124 // as timeout(1), and the Java SDK after a timed-out invocation
	case <-signals:
		env.mu.Lock()
		env.draining = true
		env.mu.Unlock()
		logf("draining: SIGTERM")
		drain(env)
		stop(cmd, env)
		waitForAnswers(env, 2*time.Second)
		return 0
	}
}

// drain waits for the event in hand to be answered; the kubelet's grace period bounds it (timeout + 2 s).
func drain(env *environment) {
	for !env.idle() {
		select {
		case <-env.exited:
			return
		case <-env.fatal:
			return
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func (e *environment) idle() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.current == nil
}

func waitForAnswers(env *environment, max time.Duration) {
	done := make(chan struct{})
	go func() { env.inFlight.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(max):
	}
}

// stop ends the runtime: SIGTERM to its process group, SIGKILL a second later.
func stop(cmd *exec.Cmd, env *environment) {
	pgid := -cmd.Process.Pid
	syscall.Kill(pgid, syscall.SIGTERM)
	select {
	case <-env.exited:
	case <-time.After(time.Second):
		syscall.Kill(pgid, syscall.SIGKILL)
		<-env.exited
	}
}

// startFailure ends the container with the reason as its termination message: the gateway answers held calls
// with it at once (502), and the Function's status names it, as for any image that fails to start.
func startFailure(s settings, logf func(string, ...any), reason string) int {
	logf("start failure: %s", reason)
	os.WriteFile(s.terminationLog, []byte(reason), 0o644)
	return 1
}
