package ui

import "testing"

// :schemas opens the registry's subjects; on a connection without a
// registry the view says how to give one rather than waiting.
func TestPaletteOpensSchemas(t *testing.T) {
	d := newDriver(t, Options{}, 120, 30)
	d.keys(":")
	d.typ("sche")
	d.wantScreen("schemas", "schema registry subjects [of TOPIC]")
	d.keys("enter")
	d.wantStack("topics", "schemas")
	d.wantScreen("no schema registry: start kflow with --registry URL, KFLOW_REGISTRY or a context's schema-registry")

	d.keys(":")
	d.typ("schemas orders")
	d.keys("enter")
	d.wantStack("topics", "schemas · orders")
}
