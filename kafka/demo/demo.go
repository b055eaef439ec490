package demo

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
)

// DefaultListen is where the demo cluster listens unless told
// otherwise: the address kflow dials by default, so `kflow demo` in one
// terminal and `kflow` in another just work.
const DefaultListen = "127.0.0.1:9092"

// DefaultRate is the demo's order events per second when
// Options.Rate is not positive: slow enough to read as it scrolls.
const DefaultRate = 5.0

// Options configures Start.
type Options struct {
	// Listen is the host:port the demo broker binds and advertises;
	// DefaultListen when empty, "127.0.0.1:0" for any free port.
	Listen string
	// Rate is the order events produced per second; DefaultRate when
	// not positive. The consumer groups' paces are fractions of it.
	Rate float64
	// Logf, when set, receives the demo's progress and background errors.
	Logf func(format string, args ...any)
	// RegistryListen is where the demo's Schema Registry listens,
	// host:port; "127.0.0.1:0" (any free port) when empty.
	RegistryListen string
}

// Cluster is a running embedded demo cluster: a single in-process fake
// broker (kfake, not real Kafka) with seeded topics, a live order flow and
// consumer groups that keep up, fall behind and stall, so a newcomer can
// explore kflow with nothing installed.
type Cluster struct {
	addr    string
	cluster *kfake.Cluster
	logf    func(format string, args ...any)
	reg     *Registry // the demo's schema registry
	regURL  string

	cancel    context.CancelFunc
	stopAfter func() bool // unregisters the close-on-ctx-done hook
	wg        sync.WaitGroup
	clients   []*kgo.Client // closed after the goroutines using them end
	closeOnce sync.Once

	errMu sync.Mutex
	err   error
}

// PortBusyError says the demo could not listen because something else
// already holds the address, most likely a real Kafka or another demo.
type PortBusyError struct {
	Addr string
	Err  error
}

func (e *PortBusyError) Error() string {
	return fmt.Sprintf("cannot start the demo cluster: address %s is already in use (a Kafka broker or another kflow demo?); "+
		"pick another port, e.g. --listen 127.0.0.1:9093, or let the system choose one with --listen 127.0.0.1:0",
		e.Addr)
}

func (e *PortBusyError) Unwrap() error { return e.Err }

// Start starts the demo cluster, creates and seeds its topics, and
// starts the producers and consumer groups that keep events flowing. It
// returns once the history is written, so views have data at once. The
// demo runs until Close, or until ctx ends, which closes it too.
func Start(ctx context.Context, opts Options) (*Cluster, error) {
	if opts.Listen == "" {
		opts.Listen = DefaultListen
	}
	if opts.Rate <= 0 {
		opts.Rate = DefaultRate
	}
	logf := opts.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	ln, err := demoListen(opts.Listen)
	if err != nil {
		return nil, err
	}
	_, portStr, _ := net.SplitHostPort(ln.Addr().String())
	port, _ := strconv.Atoi(portStr)
	// kfake binds through ListenFn: handing it the listener opened above
	// makes the busy-port check and the bind one step, with no window for
	// another process to take the port in between.
	handed := false
	cluster, err := kfake.NewCluster(
		kfake.NumBrokers(1),
		kfake.Ports(port),
		kfake.ClusterID("kflow-demo"),
		kfake.ListenFn(func(string, string) (net.Listener, error) {
			if handed {
				return nil, errors.New("demo listener already in use")
			}
			handed = true
			return ln, nil
		}),
	)
	if err != nil {
		_ = ln.Close()
		return nil, fmt.Errorf("start demo cluster on %s: %w", opts.Listen, err)
	}
	d := &Cluster{addr: cluster.ListenAddrs()[0], cluster: cluster, logf: logf, reg: NewRegistry()}
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	d.cancel = cancel
	if opts.RegistryListen == "" {
		opts.RegistryListen = "127.0.0.1:0"
	}
	if d.regURL, err = d.reg.Start(opts.RegistryListen); err != nil {
		d.Close()
		if isAddrInUse(err) {
			return nil, fmt.Errorf("%w; pick another with --registry-listen, e.g. 127.0.0.1:0 for any free port", err)
		}
		return nil, err
	}
	if err := d.start(ctx, runCtx, opts.Rate); err != nil {
		d.Close()
		return nil, err
	}
	d.stopAfter = context.AfterFunc(ctx, d.Close)
	logf("demo cluster listening on %s (cluster id kflow-demo), schema registry at %s, %.3g orders/s", d.addr, d.regURL, opts.Rate)
	return d, nil
}

// demoListen binds addr, telling a busy port apart from other failures.
func demoListen(addr string) (net.Listener, error) {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return nil, fmt.Errorf("demo listen address %q: %w", addr, err)
	}
	ln, err := net.Listen("tcp", addr)
	if isAddrInUse(err) {
		return nil, &PortBusyError{Addr: addr, Err: err}
	}
	if err != nil {
		return nil, fmt.Errorf("demo cluster: listen on %s: %w", addr, err)
	}
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		// Bound to every interface: advertise loopback, which every
		// client on this machine can dial, rather than 0.0.0.0 or ::.
		return advertisedListener{ln, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: tcp.Port}}, nil
	}
	return ln, nil
}

// isAddrInUse reports whether a listen failed because the address is
// taken. Windows reports WSAEADDRINUSE, which is not syscall.EADDRINUSE
// there, hence the message check as well.
func isAddrInUse(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, syscall.EADDRINUSE) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "address already in use") || strings.Contains(msg, "Only one usage of each socket address")
}

// advertisedListener reports a dialable address in place of the wildcard
// the socket is bound to; kfake advertises whatever Addr says.
type advertisedListener struct {
	net.Listener
	addr net.Addr
}

func (l advertisedListener) Addr() net.Addr { return l.addr }

// Addr is the bootstrap address of the demo cluster, host:port.
func (d *Cluster) Addr() string { return d.addr }

// RegistryURL is the base URL of the demo's Schema Registry, which holds
// the schemas of AvroOrdersTopic.
func (d *Cluster) RegistryURL() string { return d.regURL }

// Err returns the first error a background producer or consumer hit, nil
// while the flow is healthy. Errors caused by closing are not reported.
func (d *Cluster) Err() error {
	d.errMu.Lock()
	defer d.errMu.Unlock()
	return d.err
}

// fail records a background error (the first is kept for Err) and logs it.
func (d *Cluster) fail(ctx context.Context, err error) {
	if ctx.Err() != nil || errors.Is(err, context.Canceled) || errors.Is(err, kgo.ErrClientClosed) {
		return
	}
	d.logf("demo: %v", err)
	d.errMu.Lock()
	defer d.errMu.Unlock()
	if d.err == nil {
		d.err = err
	}
}

// goRun runs fn in a goroutine that Close waits for.
func (d *Cluster) goRun(fn func()) {
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		fn()
	}()
}

// Close stops the producers and consumer groups, waits for every goroutine
// the demo started, and shuts the cluster down. It is safe to call more
// than once and from several goroutines; all return once it is closed.
func (d *Cluster) Close() {
	d.closeOnce.Do(func() {
		if d.stopAfter != nil {
			d.stopAfter()
		}
		d.cancel()
		d.wg.Wait()
		// Consumers first, so they leave their groups while the
		// broker is still there to hear it.
		for i := len(d.clients) - 1; i >= 0; i-- {
			d.clients[i].Close()
		}
		d.cluster.Close()
		d.reg.Close()
		d.logf("demo cluster on %s stopped", d.addr)
	})
}
