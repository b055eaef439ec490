package brokertest

import (
	"net"
	"os/exec"
	"testing"
	"time"
)

// dialable reports whether something accepts TCP connections at addr.
func dialable(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false
	}
	_ = c.Close()
	return true
}

// TestFaults walks a private broker through every fault and back, on the same address.
func TestFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: starts a broker")
	}
	b := Start(t)
	addr := b.Addr()
	if !dialable(addr) {
		t.Fatalf("fresh broker at %s does not accept connections", addr)
	}
	b.Hang(t)
	b.Resume(t)
	b.Kill(t)
	if dialable(addr) {
		out, _ := exec.Command("ss", "-ltnp").CombinedOutput()
		t.Fatalf("killed broker at %s still accepts connections; listening sockets:\n%s", addr, out)
	}
	b.Restart(t)
	if b.Addr() != addr || !dialable(addr) {
		t.Fatalf("broker restarted after a kill not back at %s", addr)
	}
	b.Stop(t)
	if dialable(addr) {
		t.Fatalf("stopped broker at %s still accepts connections", addr)
	}
}
