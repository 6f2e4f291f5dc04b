// lambkin-runtime-api runs an unchanged AWS Lambda container image as a Lambkin function. It starts the image's
// runtime (its entrypoint) as a child process, serves AWS Lambda's Runtime API to it on 127.0.0.1:9001
// (AWS_LAMBDA_RUNTIME_API), and serves Lambkin's push contract (DESIGN.md, "The runtime contract") to the
// gateway on LAMBKIN_PORT: each POST / becomes the next event the runtime fetches, and the runtime's
// response or error becomes the answer.
//
//	lambkin-runtime-api install DIR      copy this binary into DIR (an init container's job: its image is FROM scratch)
//	lambkin-runtime-api run -- CMD ARG…  run CMD as the runtime and serve both sides
//
// It keeps Lambda's promises about one execution environment: one event at a time; the push port opens only when
// the runtime asks for its first event (init done), so the pod is ready only then; /init/error, or a runtime that
// exits before its first event, is a start failure (the container ends with the reason as its termination
// message); a runtime that exits during an event answers it with Runtime.ExitError; an event still running past
// its deadline ends the environment (the container restarts, as a timed-out Lambda's sandbox is reset); SIGTERM
// drains (the event in hand finishes, new ones are refused with Runtime.Unavailable) before the runtime is stopped.
package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

func main() {
	if len(os.Args) >= 3 && os.Args[1] == "install" {
		if err := install(os.Args[2]); err != nil {
			fmt.Fprintln(os.Stderr, "lambkin-runtime-api: install:", err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) >= 4 && os.Args[1] == "run" && os.Args[2] == "--" {
		os.Exit(run(os.Args[3:], settingsFromEnv()))
	}
	fmt.Fprintln(os.Stderr, "usage: lambkin-runtime-api install DIR | run -- CMD [ARG...]")
	os.Exit(2)
}

// install copies the running binary to DIR/lambkin-runtime-api, executable by any user (the function runs as
// another non-root user than the init container may).
func install(dir string) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	in, err := os.Open(self)
	if err != nil {
		return err
	}
	defer in.Close()
	target := filepath.Join(dir, "lambkin-runtime-api")
	out, err := os.OpenFile(target+".tmp", os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Rename(target+".tmp", target)
}
