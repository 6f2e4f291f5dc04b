package main

import (
	"context"
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

// restartPause keeps a runtime that dies at once from being restarted in a tight loop.
const restartPause = time.Second

// run starts the runtime and serves both sides until the environment ends; the result is the process's exit code.
// A runtime that exits (or is ended after a timed-out event) once it was initialized is started again in place,
// as Lambda resets a sandbox; one that fails to initialize ends the container (a start failure).
func run(command []string, s settings) int {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT) // before anything starts: a SIGTERM always drains
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
	copied := make(chan struct{})
	go func() { output.copy(); close(copied) }()
	env := newEnvironment(s, output)
	go http.Serve(api, http.HandlerFunc(env.runtimeAPI))

	var push *http.Server
	var proc *runtimeProcess
	finish := func(code int) int {
		env.setEnding()
		if proc != nil {
			stop(proc)
		}
		if push != nil {
			// answers in progress are written (and waiting calls refused) before the process ends
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			push.Shutdown(ctx)
			cancel()
		}
		w.Close()
		select { // the runtime's last words reach the container's log
		case <-copied:
		case <-time.After(time.Second):
		}
		return code
	}
	for {
		proc, err = start(command, w)
		if err != nil {
			return finish(startFailure(s, logf, "cannot start the runtime "+fmt.Sprint(command)+": "+err.Error()))
		}
		initialized := env.started(proc)
		select {
		case <-initialized:
		case <-proc.exited:
			select { // an /init/error's reason over the exit status it leads to
			case reason := <-env.fatal:
				return finish(startFailure(s, logf, reason))
			default:
			}
			return finish(startFailure(s, logf, proc.reason))
		case reason := <-env.fatal:
			return finish(startFailure(s, logf, reason))
		case <-signals:
			return finish(0)
		}
		if push == nil {
			l, err := net.Listen("tcp", s.pushAddr)
			if err != nil {
				return finish(startFailure(s, logf, "cannot serve invocations on "+s.pushAddr+": "+err.Error()))
			}
			push = &http.Server{Handler: http.HandlerFunc(env.push)}
			go push.Serve(l)
		}
		select {
		case <-proc.exited:
			env.processEnded(proc)
			logf("%s; starting the runtime again", proc.reason)
			if time.Since(proc.started) < restartPause {
				time.Sleep(restartPause)
			}
		case <-signals:
			env.setDraining()
			logf("draining: SIGTERM")
			drain(env, proc)
			return finish(0)
		}
	}
}

// start runs the runtime in its own process group (an entrypoint script's children end with it), its output into w.
func start(command []string, w *os.File) (*runtimeProcess, error) {
	cmd := exec.Command(command[0], command[1:]...)
	cmd.Stdout, cmd.Stderr = w, w
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	proc := &runtimeProcess{pid: cmd.Process.Pid, started: time.Now(), exited: make(chan struct{})}
	go func() {
		err := cmd.Wait()
		proc.reason = "Runtime exited with error: exit status 0"
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			proc.reason = "Runtime exited with error: " + exit.ProcessState.String() // "exit status 1", "signal: killed"
		} else if err != nil {
			proc.reason = "Runtime exited without providing a reason: " + err.Error()
		}
		close(proc.exited)
	}()
	return proc, nil
}

// drain waits for the event in hand to be answered; the kubelet's grace period bounds it (timeout + 2 s).
func drain(env *environment, proc *runtimeProcess) {
	for {
		idle, changed := env.idle()
		if idle {
			return
		}
		select {
		case <-proc.exited:
			return
		case <-changed:
		}
	}
}

// stop ends the runtime: SIGTERM to its process group, SIGKILL a second later.
func stop(proc *runtimeProcess) {
	syscall.Kill(-proc.pid, syscall.SIGTERM)
	select {
	case <-proc.exited:
	case <-time.After(time.Second):
		proc.kill()
		<-proc.exited
	}
}

// startFailure ends the container with the reason as its termination message: the gateway answers held calls
// with it at once (502), and the Function's status names it, as for any image that fails to start.
func startFailure(s settings, logf func(string, ...any), reason string) int {
	logf("start failure: %s", reason)
	os.WriteFile(s.terminationLog, []byte(reason), 0o644)
	return 1
}
