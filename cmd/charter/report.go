package main

import "fmt"

func runReport(e *env, g *globals, args []string) int {
	fmt.Fprintln(e.stderr, "charter: report is not available in this build")
	return exitRuntime
}
