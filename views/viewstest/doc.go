// Package viewstest is the one test harness of the views and the shell
// (package ui): a fake cluster with fixed data, a fake clock, a
// synchronous command runner, screens a test can wait on, key presses by
// name and golden files. With it, model tests and golden screens need no
// network and render the same every time.
//
// Golden files are rewritten, instead of compared, with
// KFLOW_UPDATE_GOLDEN=1 (or go test's -update flag):
//
//	KFLOW_UPDATE_GOLDEN=1 go test ./ui ./views -run Golden
//
// It must not import ui: ui's tests import it.
package viewstest
