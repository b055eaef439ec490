package wordcount

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"kflow/internal/kafkatest"
	"kflow/kafka"
)

// The helper process's environment: set by TestWordCountSurvivesSIGKILL,
// read by TestHelperWordCountProcess.
const (
	wcHelperEnv     = "KFLOW_WC_HELPER"
	wcHelperBrokers = "KFLOW_WC_BROKERS"
	wcHelperApp     = "KFLOW_WC_APP"
	wcHelperInput   = "KFLOW_WC_INPUT"
	wcHelperOutput  = "KFLOW_WC_OUTPUT"
)

// TestHelperWordCountProcess is not a test: it is the engine process that
// TestWordCountSurvivesSIGKILL runs (this test binary, re-executed) and
// kills. It reports its stats on stdout, a line every 50ms, until killed.
func TestHelperWordCountProcess(t *testing.T) {
	if os.Getenv(wcHelperEnv) == "" {
		t.Skip("the engine process of TestWordCountSurvivesSIGKILL, run only by it")
	}
	os.Exit(runWordCountHelper())
}

// runWordCountHelper runs the helper's engine and returns the process's
// exit code (2: it could not start, 3: it stopped), so its defers run
// before the process exits.
func runWordCountHelper() int {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute) // an orphan ends by itself
	defer cancel()
	c, err := kafka.Connect(ctx, kafka.ConnConfig{Brokers: strings.Split(os.Getenv(wcHelperBrokers), ","), Timeout: 10 * time.Second})
	if err != nil {
		fmt.Fprintln(os.Stderr, "helper: connect:", err)
		return 2
	}
	wc, err := Run(ctx, c, Options{
		App:    os.Getenv(wcHelperApp),
		Input:  os.Getenv(wcHelperInput),
		Output: os.Getenv(wcHelperOutput),
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "helper: Run:", err)
		return 2
	}
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-wc.Done():
			fmt.Fprintln(os.Stderr, "helper: engine stopped:", wc.Err())
			return 3
		case <-tick.C:
			s := wc.Stats()
			fmt.Printf("stats committed=%d aborted=%d lines=%d counted=%d restored=%d\n", s.Committed, s.Aborted, s.LinesIn, s.Counted, s.Restored)
		}
	}
}

// wcProcess is a running helper process.
type wcProcess struct {
	cmd       *exec.Cmd
	committed atomic.Int64 // transactions it reported committed
	counted   atomic.Int64
	restored  atomic.Int64 // changelog records it restored counts from
	stderr    bytes.Buffer
	exited    chan struct{}
}

// startWCProcess re-executes the test binary as an engine process.
func startWCProcess(t *testing.T, brokers []string, opts Options) *wcProcess {
	t.Helper()
	p := &wcProcess{exited: make(chan struct{})}
	p.cmd = exec.Command(os.Args[0], "-test.run=^TestHelperWordCountProcess$", "-test.count=1")
	p.cmd.Env = append(os.Environ(),
		wcHelperEnv+"=1",
		wcHelperBrokers+"="+strings.Join(brokers, ","),
		wcHelperApp+"="+opts.App,
		wcHelperInput+"="+opts.Input,
		wcHelperOutput+"="+opts.Output,
	)
	p.cmd.Stderr = &p.stderr
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start engine process: %v", err)
	}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			var committed, aborted, lines, counted, restored int64
			if _, err := fmt.Sscanf(sc.Text(), "stats committed=%d aborted=%d lines=%d counted=%d restored=%d",
				&committed, &aborted, &lines, &counted, &restored); err == nil {
				p.committed.Store(committed)
				p.counted.Store(counted)
				p.restored.Store(restored)
			}
		}
		_ = p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() { p.kill(t) })
	return p
}

// kill sends SIGKILL (no chance to end a transaction, leave the group or
// flush) and waits for the process to be gone.
func (p *wcProcess) kill(t *testing.T) {
	t.Helper()
	select {
	case <-p.exited:
		return
	default:
	}
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("kill -9 %d: %v", p.cmd.Process.Pid, err)
	}
	<-p.exited
}

// alive fails the test if the process died by itself.
func (p *wcProcess) alive(t *testing.T) bool {
	t.Helper()
	select {
	case <-p.exited:
		t.Fatalf("engine process exited by itself: %v\n%s", p.cmd.ProcessState, p.stderr.String())
		return false
	default:
		return true
	}
}

// TestWordCountSurvivesSIGKILL kills the engine process with SIGKILL
// twice while input is being produced, each time in the middle of its
// transactions, restarts it, and checks the output: every count exact,
// none lost, none doubled. What makes it hold is the broker's side of
// exactly-once (the dead instance's open transactions are aborted after
// their timeout; its successor's offset fetch waits for them, KIP-447),
// so it runs on the real broker, and on kfake too, which serves the
// engine process over TCP like a broker.
func TestWordCountSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the SIGKILL test waits out group session and transaction timeouts")
	}
	kafkatest.EachBackend(t, func(t *testing.T, c *kafka.Client, b kafkatest.Backend) {
		opts := wcApp(t, c)
		opts.Partitions = 4
		ctx := kafkatest.Ctx(t)
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 4*time.Minute)
		defer cancel()
		if _, visible, err := wordCountTopics(ctx, c, &opts); err != nil || visible(ctx) != nil {
			t.Fatal(err, visible(ctx))
		}
		const n, rate = 60000, 3000 // lines, lines/s: input keeps coming for 20s
		lines := corpusLines(n)
		want := oracleCounts(lines)
		start := time.Now()

		var produced sync.WaitGroup
		var produceErr error
		var producing atomic.Bool
		producing.Store(true)
		produced.Add(1)
		go func() {
			defer produced.Done()
			defer producing.Store(false)
			produceErr = produceLines(ctx, c, opts.Input, lines, rate)
		}()

		for kill := 1; kill <= 2; kill++ {
			p := startWCProcess(t, b.Brokers, opts)
			// Kill it once it is in full swing: it has committed
			// transactions of both stages and more are under way.
			before := time.Now()
			kafkatest.Eventually(t, 90*time.Second, fmt.Sprintf("engine process %d to commit transactions", kill), func() bool {
				return p.alive(t) && p.committed.Load() >= 6 && p.counted.Load() >= 20000
			})
			p.kill(t)
			t.Logf("kill -9 #%d after %v (%d transactions committed, %d words counted, %d changelog records restored), input still being produced: %v",
				kill, time.Since(before).Round(time.Millisecond), p.committed.Load(), p.counted.Load(), p.restored.Load(), producing.Load())
		}
		last := startWCProcess(t, b.Brokers, opts)
		produced.Wait()
		if produceErr != nil {
			t.Fatal(produceErr)
		}
		waitCounts(t, c, opts.Output, want, 2*time.Minute)
		last.alive(t)
		// Its counts started from the changelog its killed predecessors
		// wrote, not from zero. The process reports its counters every
		// 50 ms on stdout: give the report the time to arrive.
		for deadline := time.Now().Add(10 * time.Second); last.restored.Load() == 0 && time.Now().Before(deadline); {
			time.Sleep(50 * time.Millisecond) // polling the parsed stats line
		}
		if last.restored.Load() == 0 {
			t.Fatalf("the last engine process restored no counts from the changelog (stats: %d committed, %d counted)",
				last.committed.Load(), last.counted.Load())
		}
		t.Logf("%d lines, %d words, %d distinct: exact after 2 kills in %v (last process restored %d changelog records)",
			n, totalWords(want), len(want), time.Since(start).Round(time.Millisecond), last.restored.Load())
	})
}
