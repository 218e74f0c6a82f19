// Package common is what charter's screens share and nothing more: the
// options every screen is built with, the styles, the message types that
// carry an owner (so the root delivers a result only to the screen that
// asked), text helpers, key maps for moving through lists, a scrolling list
// that keeps its cursor visible in Update, and the filter bar. It imports
// no screen package and no store: screens import it, never each other.
package common
