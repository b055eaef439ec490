package views

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
	"kflow/template"
)

// Update handles results, run progress and keys.
func (v *Produce) Update(msg tea.Msg) (View, tea.Cmd) {
	switch msg := msg.(type) {
	case Result[produceTopics]:
		if msg.ID != v.id {
			return v, nil
		}
		if msg.Err != nil {
			v.topicsErr = msg.Err
			return v, Failure(fmt.Errorf("topic completion: %w", msg.Err))
		}
		v.topics, v.topicsLoaded = msg.Value, true
		names := make([]string, 0, len(msg.Value))
		for _, t := range msg.Value {
			if !t.Internal {
				names = append(names, t.Name)
			}
		}
		v.topic.SetSuggestions(names)
		v.check()
		return v, nil
	case Result[produceHistory]:
		if msg.ID != v.id {
			return v, nil
		}
		if msg.Err != nil {
			return v, Failure(msg.Err)
		}
		v.history = msg.Value
		return v, nil
	case Result[produceSent]:
		if msg.ID != v.id || msg.Gen != v.gen {
			return v, nil
		}
		v.sending = false
		if msg.Err != nil {
			v.err = plainError(msg.Err)
			return v, nil
		}
		v.sent = append([]kafka.ProduceResult{kafka.ProduceResult(msg.Value)}, v.sent...)
		if len(v.sent) > 3 {
			v.sent = v.sent[:3]
		}
		return v, v.saveHistory(template.HistoryEntry{At: v.c.now(), Spec: v.spec()})
	case Result[produceSubjects]:
		if msg.ID != v.id {
			return v, nil
		}
		return v, v.schemaResult(msg.Gen, msg.Err, func() tea.Cmd { return v.gotSubjects(msg.Value) })
	case Result[produceVersions]:
		if msg.ID != v.id {
			return v, nil
		}
		return v, v.schemaResult(msg.Gen, msg.Err, func() tea.Cmd { return v.gotVersions(msg.Value) })
	case Result[produceEncoder]:
		if msg.ID != v.id {
			return v, nil
		}
		return v, v.schemaResult(msg.Gen, msg.Err, func() tea.Cmd { return v.gotEncoder(msg.Value) })
	case produceProgress:
		if msg.ID != v.id || v.run == nil || msg.Gen != v.run.gen {
			return v, nil
		}
		v.run.stats = msg.Stats
		return v, v.waitRun(v.run)
	case produceDone:
		if msg.ID != v.id || v.run == nil || msg.Gen != v.run.gen {
			return v, nil
		}
		r := v.run
		v.run = nil
		v.last = &runSummary{stats: msg.Stats, count: r.count, cancelled: r.cancelled}
		if msg.Err != nil && !r.cancelled {
			v.last.err = plainError(msg.Err)
			v.err = v.last.err
		}
		if msg.Stats.Acked == 0 {
			return v, nil
		}
		return v, v.saveHistory(template.HistoryEntry{At: v.c.now(), Spec: v.spec(), Count: r.count, Rate: r.rate})
	case tea.KeyPressMsg:
		return v, v.keyPress(msg)
	}
	return v, nil
}

func (v *Produce) keyPress(msg tea.KeyPressMsg) tea.Cmd {
	k := v.keys
	switch {
	case v.run != nil:
		if key.Matches(msg, k.Cancel) && !v.run.cancelled {
			v.run.cancelled = true
			v.run.cancel()
		}
		return nil
	case v.picker != nil:
		return v.pickerKey(msg)
	case v.spick != nil:
		return v.schemaPickerKey(msg)
	case key.Matches(msg, k.Close):
		return Pop()
	}
	return v.formKey(msg)
}

func (v *Produce) pickerKey(msg tea.KeyPressMsg) tea.Cmd {
	pk, k := v.picker, v.keys
	switch {
	case key.Matches(msg, k.Close):
		v.picker = nil
	case key.Matches(msg, k.Up):
		pk.move(-1)
	case key.Matches(msg, k.Down):
		pk.move(1)
	case key.Matches(msg, k.Pick):
		it := pk.items[pk.chosen]
		v.apply(it.spec, it.count, it.rate, it.history)
		v.picker = nil
		v.focused = slotValue
		return tea.Batch(v.focus(), Notice("filled from "+it.title))
	}
	return nil
}
