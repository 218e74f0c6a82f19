package tui

import (
	"os"
	"testing"
	"time"
)

func TestMain(m *testing.M) {
	// Screens show times in local time; golden files are in UTC.
	time.Local = time.UTC
	os.Exit(m.Run())
}
