package views

import (
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
)

// Update handles the feed's wake-ups, the engine's news, results, ticks
// and keys.
func (v *WordCount) Update(msg tea.Msg) (View, tea.Cmd) {
	switch msg := msg.(type) {
	case wcWakeMsg:
		if msg.ID != v.id || msg.Gen != v.feedGen || v.feed == nil {
			return v, nil
		}
		v.take()
		return v, v.wait()
	case wcTailMsg:
		return v, v.tailStarted(msg)
	case wcEngineMsg:
		return v, v.engineStarted(msg)
	case wcEngineDoneMsg:
		if msg.ID != v.id || msg.Gen != v.engineGen {
			return v, nil
		}
		v.engine, v.engineBusy = nil, false
		if v.engineStop != nil {
			v.engineStop()
			v.engineStop = nil
		}
		v.setPlaceholder()
		if msg.Err != nil {
			v.engineErr = msg.Err
			return v, Failure(fmt.Errorf("word count: the engine stopped: %w", msg.Err))
		}
		return v, Notice("word count engine stopped")
	case Result[wcLag]:
		if msg.ID != v.id {
			return v, nil
		}
		v.lagBusy = false
		v.lagAt = msg.At
		v.lagErr = msg.Err
		if msg.Err == nil {
			v.lag = msg.Value.Groups
			v.groupsSeen = len(v.lag) > 0
			switch {
			case v.engine != nil: // its own counters say
			case v.groupsSeen:
				v.linesRate.observe(v.committedLines(), msg.At)
			default:
				v.linesRate = wcRate{}
			}
		}
		return v, v.chain()
	case Result[wcSent]:
		if msg.ID != v.id {
			return v, nil
		}
		v.sending--
		v.sendErr = msg.Err
		if msg.Err != nil {
			return v, nil
		}
		v.sent++
		r := msg.Value.Result
		v.lastOut = fmt.Sprintf("sent as %d@%d of %s · %d words", r.Partition, r.Offset, r.Topic, msg.Value.Words)
		return v, nil
	case TickMsg:
		if msg.ID != v.id {
			return v, nil
		}
		v.ticking = false
		return v, v.tick()
	case tea.KeyPressMsg:
		return v, v.key(msg)
	}
	if v.typing {
		return v, updateInput(&v.input, msg)
	}
	return v, nil
}

// tick samples the rates and asks the lag; a tail that could not start
// (the output topic does not exist yet) is tried again.
func (v *WordCount) tick() tea.Cmd {
	at := v.now()
	if v.engine != nil {
		v.engStats = v.engine.Stats()
		v.linesRate.observe(v.engStats.LinesIn, at)
	}
	if v.feed != nil {
		v.observeFeed()
		if up, _ := v.catchingUp(); !up {
			v.updatesRate.observe(int64(v.ring.Received), at)
		}
	}
	cmds := []tea.Cmd{v.lagCall()}
	if v.feed == nil && !v.starting {
		cmds = append(cmds, v.beginTail())
	}
	return tea.Batch(cmds...)
}

// chain schedules the next tick unless one is pending: only the tick
// chain schedules ticks, however many lag calls a key asked for.
func (v *WordCount) chain() tea.Cmd {
	if v.ticking {
		return nil
	}
	cmd := v.every()
	v.ticking = cmd != nil
	return cmd
}

// committedLines is how far the engine's split group has read the input
// topic: lines/s of an engine running elsewhere come from it.
func (v *WordCount) committedLines() int64 {
	var n int64
	for _, g := range v.lag {
		if g.Group.ID != v.opts.App+"-split" {
			continue
		}
		for _, p := range g.Partitions {
			if p.Topic == v.opts.Input && p.Committed > 0 {
				n += p.Committed
			}
		}
	}
	return n
}

func (v *WordCount) tailStarted(msg wcTailMsg) tea.Cmd {
	if msg.ID != v.id {
		return nil // another panel's start: never ours to close
	}
	if msg.Gen != v.feedGen {
		if msg.Tail != nil { // a restart of this panel overtook it
			msg.Stop()
			go msg.Tail.Close()
		}
		return nil
	}
	v.starting = false
	v.tailErr = msg.Err
	retry := v.retryTail
	v.retryTail = false
	if msg.Err != nil {
		if retry {
			return v.beginTail()
		}
		return nil // said on screen; the next tick tries again
	}
	gen := v.feedGen
	v.setFeed(&tailFeed{ring: msg.Tail.Ring(), tail: msg.Tail, stop: msg.Stop})
	v.feedGen = gen // setFeed counted it; beginTail already did
	return v.wait()
}

func (v *WordCount) engineStarted(msg wcEngineMsg) tea.Cmd {
	if msg.ID != v.id {
		return nil // another panel's engine: never ours to stop
	}
	if msg.Gen != v.engineGen {
		if msg.Engine != nil { // the panel moved on: stop it
			go func() { _ = msg.Engine.Close() }()
			msg.Stop()
		}
		return nil
	}
	v.engineBusy = false
	if msg.Err != nil {
		v.engineErr = msg.Err
		return Failure(msg.Err)
	}
	v.engine, v.engineStop = msg.Engine, msg.Stop
	v.engStats = v.engine.Stats()
	v.linesRate = wcRate{}
	v.linesRate.observe(v.engStats.LinesIn, v.now())
	v.setPlaceholder()
	cmds := []tea.Cmd{v.watchEngine(), Notice(fmt.Sprintf("word count engine running in kflow: %s → %s", v.opts.Input, v.opts.Output))}
	// The engine creates missing topics: a tail that found none can start.
	switch {
	case v.feed == nil && !v.starting:
		cmds = append(cmds, v.beginTail())
	case v.feed == nil:
		v.retryTail = true
	}
	return tea.Batch(cmds...)
}

func (v *WordCount) key(msg tea.KeyPressMsg) tea.Cmd {
	k := v.keys
	if v.typing {
		switch {
		case key.Matches(msg, k.Leave):
			v.typing = false
			v.input.Blur()
			return nil
		case key.Matches(msg, k.Send):
			line := v.input.Value()
			if strings.TrimSpace(line) == "" {
				return nil
			}
			v.input.SetValue("")
			v.sendErr = nil
			return v.send(line)
		}
		v.sendErr = nil
		return updateInput(&v.input, msg)
	}
	switch {
	case key.Matches(msg, k.Type):
		if v.c.ReadOnly {
			return Failure(fmt.Errorf("send to %s: %w; the panel only watches", v.opts.Input, kafka.ErrReadOnly))
		}
		v.typing = true
		return v.input.Focus()
	case key.Matches(msg, k.Engine):
		if v.c.ReadOnly {
			return Failure(fmt.Errorf("start the word count engine: %w; the panel only watches", kafka.ErrReadOnly))
		}
		if v.engineBusy {
			return nil
		}
		if v.engine != nil {
			return v.closeEngine()
		}
		if v.src == nil {
			return Failure(errors.New("word count: no connection to start the engine on"))
		}
		return v.startEngine()
	case key.Matches(msg, k.Produce):
		if v.c.ReadOnly {
			return Failure(fmt.Errorf("produce to %s: %w; the panel only watches", v.opts.Input, kafka.ErrReadOnly))
		}
		// The form, for what the input line cannot do: repeats at a rate,
		// keys, headers, placeholders.
		return Push(NewProduce(v.c, nil, v.opts.Input, ProduceOptions{HistoryPath: HistoryPathIn(v.c.ConfigDir), Template: "text-line"}))
	case key.Matches(msg, k.Refresh):
		return v.lagCall()
	}
	return nil
}

// setPlaceholder says in the empty input line what sending does now.
func (v *WordCount) setPlaceholder() {
	switch {
	case v.c.ReadOnly:
		v.input.Placeholder = "read-only: the panel watches and sends nothing"
	case v.engine == nil:
		v.input.Placeholder = "type a sentence for " + v.opts.Input + " (s starts an engine here)"
	default:
		v.input.Placeholder = "type a sentence for " + v.opts.Input + " and watch the counts move"
	}
}
