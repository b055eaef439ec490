package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"runtime/debug"
	"strconv"
	"time"

	"kflow/kafka"
	"kflow/kafka/demo"
	"kflow/lag"
	"kflow/ui"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3";
// otherwise the module's build information names it.
var version = ""

func versionString() string {
	if version != "" {
		return version
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v, rev, dirty := bi.Main.Version, "", false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if (v == "" || v == "(devel)") && rev != "" {
		v = "devel-" + rev[:min(12, len(rev))]
		if dirty {
			v += "-dirty"
		}
	}
	if v == "" {
		v = "(devel)"
	}
	return v
}

func runVersion(_ context.Context, e env, args []string) error {
	var g globals
	// Arguments besides flags are ignored, as they always were.
	if _, err := parse(newFlags("version", e, &g), args); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "kflow %s\n", versionString())
	return nil
}

func runDemo(ctx context.Context, e env, args []string) error {
	var g globals
	fs := newFlags("demo", e, &g)
	listen := fs.String("listen", "127.0.0.1:9092", "`address` the demo cluster listens on, HOST:PORT")
	rate := fs.Float64("rate", 5, "demo `records` per second")
	regListen := fs.String("registry-listen", "127.0.0.1:8081", "`address` the demo's schema registry listens on, HOST:PORT (127.0.0.1:0: any free port)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs("demo", pos, 0, "no arguments"); err != nil {
		return err
	}
	if !(*rate > 0) || math.IsInf(*rate, 0) {
		return usagef("--rate %v: records per second, more than 0", *rate)
	}
	if err := checkListen("--listen", *listen); err != nil {
		return err
	}
	if err := checkListen("--registry-listen", *regListen); err != nil {
		return err
	}
	d, err := demo.Start(ctx, demo.Options{Listen: *listen, Rate: *rate, RegistryListen: *regListen})
	if err != nil {
		var busy *demo.PortBusyError
		if errors.As(err, &busy) {
			return err
		}
		return fmt.Errorf("start the demo cluster: %w", err)
	}
	defer d.Close()
	fmt.Fprintf(e.stdout, "kflow demo cluster listening on %s\nschema registry at %s\n", d.Addr(), d.RegistryURL())
	fmt.Fprintf(e.stderr, "Try: kflow -b %s --registry %s\n  or kflow tail -b %s --registry %s -t %s\nCtrl-C stops it.\n",
		d.Addr(), d.RegistryURL(), d.Addr(), d.RegistryURL(), demo.AvroOrdersTopic)
	<-ctx.Done()
	return nil
}

func runUI(ctx context.Context, e env, args []string) error {
	var g globals
	fs := newFlags("kflow", e, &g)
	theme := fs.String("theme", "", "dark (default), light, high-contrast, or a theme file's `name`")
	buffer := fs.Int("buffer", kafka.DefaultBuffer, "`records` a live tail keeps; older ones are evicted, and counted")
	lagRules := fs.String("lag-rules", "", "lag status `rules`, e.g. window=15,min=4,stop=2m (env KFLOW_LAG_RULES; docs/lag-status.md)")
	lagInterval := fs.Duration("lag-interval", kafka.DefaultLagInterval, "how often the lag status samples every group")
	noHistory := fs.Bool("no-history", false, "keep no produce history (or \"history: false\" in the config file)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unknown command %q", pos[0])
	}
	if *buffer < 1 {
		return usagef("--buffer must be at least 1, not %d", *buffer)
	}
	if *lagInterval < 100*time.Millisecond {
		return usagef("--lag-interval must be at least 100ms, not %v", *lagInterval)
	}
	var rules *lag.Rules
	if *lagRules != "" {
		r, err := lag.ParseRules(*lagRules)
		if err != nil {
			return usagef("--lag-rules: %v", err)
		}
		rules = &r
	}
	r, err := resolve(&g, e)
	if err != nil {
		return err
	}
	opts := ui.Options{Conn: r.conn, ContextName: r.contextName, Pinned: pinned(&g), Demo: g.demo, Theme: *theme, ConfigDir: configDir(e), TailBuffer: *buffer, LagRules: rules, LagInterval: *lagInterval, NoHistory: *noHistory}
	if r.file != nil {
		if r.file.History != nil && !*r.file.History {
			opts.NoHistory = true
		}
		opts.ContextNames = r.file.Names()
		file := r.file
		opts.Context = func(name string) (kafka.ConnConfig, error) {
			c, err := file.Context(name)
			return kafka.ContextConn(c), err
		}
		if opts.Theme == "" {
			opts.Theme = r.file.Theme
		}
	}
	if limit, ok := uiMemoryLimit(e.getenv); ok {
		debug.SetMemoryLimit(limit)
	}
	return ui.Run(ctx, opts)
}

// uiMemoryLimit is the UI's soft memory limit, unless GOMEMLIMIT sets one:
// twice a tail's byte budget (the ring and the view each count theirs),
// so that the garbage collector does not let the heap grow to twice what
// is live. With --buffer 2000000 of 1 KiB records, peak RSS was 813 MB
// without it and 555 MB with it (BENCHMARKS.md).
func uiMemoryLimit(getenv func(string) string) (int64, bool) {
	if getenv("GOMEMLIMIT") != "" {
		return 0, false
	}
	return 2 * kafka.DefaultBufferBytes, true
}

// pinned are the connection flags the UI keeps over every context switch,
// edited address and demo start.
func pinned(g *globals) ui.Pinned {
	return ui.Pinned{ReadOnly: g.readOnly, Timeout: g.timeout, Registry: g.registry}
}

// checkListen refuses a --listen address that cannot be listened on as
// written: a usage error (exit 2), not a failure to start (exit 1).
func checkListen(flag, addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return usagef("%s %q: want HOST:PORT, e.g. 127.0.0.1:9092 (%v)", flag, addr, err)
	}
	if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		return usagef("%s %q: port %q is not a number from 0 to 65535", flag, addr, port)
	}
	return nil
}
