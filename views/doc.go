// Package views holds kflow's terminal UI screens and the contract the
// shell (package ui) drives them through: the View interface, the Common
// state every view shares, the Cluster interface views call instead of
// franz-go, and the navigation messages views send to the shell.
//
// The contract lives here rather than in ui because ui.Run must build the
// first view, so ui imports views; views importing ui would be a cycle.
package views
