package main

import "fmt"

func runServe(e *env, g *globals, args []string) int {
	fmt.Fprintln(e.stderr, "charter: serve is not available in this build")
	return exitRuntime
}
