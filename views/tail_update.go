package views

import (
	"encoding/json"
	"fmt"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
	"kflow/text"
)

// Update handles the feed's wake-ups, results and keys.
func (v *Tail) Update(msg tea.Msg) (View, tea.Cmd) {
	switch msg := msg.(type) {
	case tailWakeMsg:
		if msg.ID != v.id || msg.Gen != v.feedGen || v.feed == nil {
			return v, nil
		}
		v.frame()
		return v, tea.Batch(v.wait(), v.prefetchShown())
	case tailSchemaMsg:
		if msg.ID == v.id {
			delete(v.fetching, msg.SchemaID)
			if v.filter != nil { // records filtered on their bytes meanwhile
				v.setFilter(v.filter)
			}
		}
		return v, nil
	case tailStartedMsg:
		if msg.ID != v.id {
			return v, nil // another view's start: never ours to close
		}
		if msg.Gen != v.feedGen {
			if msg.Tail != nil { // a restart of this view overtook it
				msg.Stop()
				go msg.Tail.Close()
			}
			return v, nil
		}
		v.starting = false
		if msg.Err != nil {
			v.startErr = msg.Err
			return v, Failure(msg.Err)
		}
		gen := v.feedGen
		v.setFeed(&tailFeed{ring: msg.Tail.Ring(), tail: msg.Tail, stop: msg.Stop})
		v.feedGen = gen // setFeed counted it; begin already did
		return v, v.wait()
	case Result[int32]:
		if msg.ID != v.id || msg.Err != nil {
			return v, nil
		}
		v.nparts = msg.Value
		if v.picker != nil {
			v.picker.nparts = msg.Value
		}
		return v, nil
	case tailDecodedMsg:
		if msg.ID == v.id && v.detail != nil {
			v.detail.decoded(msg)
		}
		return v, nil
	case tailSavedMsg:
		if msg.ID != v.id {
			return v, nil
		}
		if msg.Err != nil {
			return v, Failure(msg.Err)
		}
		return v, Notice(fmt.Sprintf("saved %s%s to %s", text.Count(int64(msg.N)), text.Plural(msg.N, " record", " records"), msg.Path))
	case tea.KeyPressMsg:
		return v, v.key(msg)
	}
	// Other messages (cursor blinks) go to the input that has the focus.
	switch {
	case v.picker != nil:
		return v, v.picker.update(msg)
	case v.input != nil:
		return v, updateInput(&v.input.in, msg)
	case v.save != nil:
		return v, updateInput(&v.save.in, msg)
	}
	return v, nil
}

// frame is one frame of the hot path: take the ring's delta, sample rates.
func (v *Tail) frame() {
	v.lastTake = time.Now()
	v.take()
	v.rates.sample(v.now(), v.received(), v.stats.Bytes)
}

func (v *Tail) key(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case v.picker != nil:
		return v.pickerKey(msg)
	case v.input != nil:
		return v.filterKey(msg)
	case v.save != nil:
		return v.saveKey(msg)
	case v.detail != nil:
		return v.detailKey(msg)
	}
	k := v.keys
	switch {
	case key.Matches(msg, k.Up):
		v.move(-1)
	case key.Matches(msg, k.Down):
		v.move(1)
	case key.Matches(msg, k.PageUp):
		v.move(-max(1, v.bodyRows()-1))
	case key.Matches(msg, k.PageDown):
		v.move(max(1, v.bodyRows()-1))
	case key.Matches(msg, k.Top):
		v.move(-v.store.matched())
	case key.Matches(msg, k.Bottom):
		v.follow = true
		v.selectLast()
	case key.Matches(msg, k.Pause):
		v.paused = !v.paused
		if !v.paused && v.feed != nil {
			v.frame() // show at once what arrived meanwhile
		}
	case key.Matches(msg, k.Open):
		if i := v.selected(); i >= 0 {
			v.follow = false // the row opened stays selected behind the pane
			return v.openDetail(i)
		}
	case key.Matches(msg, k.Search):
		return OpenSearch(v.c, v.topic, v.filter)
	case key.Matches(msg, k.Filter):
		v.input = newTailFilterInput(v.c, v.filter)
		return v.input.in.Focus()
	case key.Matches(msg, k.Clear):
		if v.filter != nil {
			v.setFilter(nil)
		}
	case key.Matches(msg, k.Save):
		if v.store.matched() == 0 {
			return Failure(fmt.Errorf("save: no record to save"))
		}
		v.save = newTailSaveInput(v.c, v.opts.SaveDir, v.topic)
		return v.save.in.Focus()
	case key.Matches(msg, k.Restart):
		if v.src == nil {
			return Notice("this tail reads a fixed buffer; it cannot restart")
		}
		v.picker = newTailPicker(v.c, v.topic, v.parts)
		v.picker.nparts = v.nparts
		v.picker.inputs[pickStart].SetValue(v.start.String())
		v.picker.setWidth(v.width)
		return v.picker.focus()
	case key.Matches(msg, k.Redrive) && v.isDLQ():
		return v.openDLQ()
	default:
		if i := v.selected(); i >= 0 {
			r, _ := v.store.at(i)
			cmd := v.copyKey(msg, r)
			if cmd != nil {
				// The copied record stays under the cursor, so the next
				// copy key (K then V then y) acts on the same record.
				v.follow = false
			}
			return cmd
		}
	}
	return nil
}

func (v *Tail) pickerKey(msg tea.KeyPressMsg) tea.Cmd {
	p := v.picker
	switch {
	case key.Matches(msg, p.k.Cancel):
		v.picker = nil
		if v.feed == nil && !v.starting {
			return Pop()
		}
		return nil
	case key.Matches(msg, p.k.Start):
		start, parts, ok := p.result()
		if !ok {
			return nil
		}
		v.picker = nil
		v.start, v.parts = start, parts
		v.setFeed(nil)
		return v.begin()
	}
	return p.update(msg)
}

func (v *Tail) filterKey(msg tea.KeyPressMsg) tea.Cmd {
	in := v.input
	switch msg.String() {
	case "enter":
		v.input = nil
		v.clampTop()
		return nil
	case "esc":
		v.input = nil
		v.setFilter(in.before)
		return nil
	}
	cmd := updateInput(&in.in, msg)
	if s := in.in.Value(); s != v.filter.String() {
		f, err := ParseTailFilter(s)
		in.err = err
		if err == nil {
			v.setFilter(f)
		}
	}
	return cmd
}

func (v *Tail) saveKey(msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "enter":
		path := v.save.in.Value()
		if path == "" {
			v.save.err = fmt.Errorf("give a file name")
			return nil
		}
		v.save = nil
		return saveRecords(v.id, path, v.store.shownRecords())
	case "esc":
		v.save = nil
		return nil
	}
	v.save.err = nil
	return updateInput(&v.save.in, msg)
}

func (v *Tail) detailKey(msg tea.KeyPressMsg) tea.Cmd {
	k, d := v.keys, v.detail
	switch {
	case key.Matches(msg, k.Close):
		v.detail = nil
	case d.scrollKey(msg, k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom):
	case key.Matches(msg, k.Trace):
		id, byKey := traceIDOf(&d.rec)
		if id == "" {
			return Notice("this record carries no correlation id and no key to trace")
		}
		return OpenTrace(v.c, id, byKey)
	case key.Matches(msg, k.NextRec):
		return v.stepDetail(1)
	case key.Matches(msg, k.PrevRec):
		return v.stepDetail(-1)
	case key.Matches(msg, k.Raw) && (d.key.wire || d.val.wire || d.keyFmt.Named() || d.valFmt.Named()):
		d.raw = !d.raw
		d.build()
		d.scroll(0)
	default:
		return v.copyKey(msg, &d.rec)
	}
	return nil
}

// openDetail opens the detail pane on the i-th record shown and selects
// that record in the list behind it.
func (v *Tail) openDetail(i int) tea.Cmd {
	r, seq := v.store.at(i)
	v.sel = seq
	v.clampTop()
	var cmd tea.Cmd
	v.detail, cmd = newTailDetail(v.c, *r, seq, v.filter, v.width, v.height, v.id)
	return cmd
}

// detailPos is the detail pane's record's place among those shown, -1
// when it has left the buffer.
func (v *Tail) detailPos() int {
	i := v.store.index(v.detail.seq)
	if i >= v.store.matched() {
		return -1
	}
	if _, seq := v.store.at(i); seq != v.detail.seq {
		return -1
	}
	return i
}

// stepDetail shows the next (d=1, newer) or previous (d=-1) record shown
// in the detail pane; the list's selection moves with it.
func (v *Tail) stepDetail(d int) tea.Cmd {
	n := v.store.matched()
	i := v.store.index(v.detail.seq) // the first at or after it, when it left
	if d < 0 || v.detailPos() >= 0 {
		i += d
	}
	if i < 0 || i >= n {
		which := "newest"
		if d < 0 {
			which = "oldest"
		}
		return Notice("this is the " + which + " record shown")
	}
	return v.openDetail(i)
}

// copyKey copies the record, its key, value or headers to the clipboard
// (OSC 52: the terminal receives it base64-encoded, so nothing in the
// record can act on it).
func (v *Tail) copyKey(msg tea.KeyPressMsg, r *kafka.Record) tea.Cmd {
	k := v.keys
	var what, text string
	switch {
	case key.Matches(msg, k.Copy):
		line, err := kafka.MarshalJSONLine(*r)
		if err != nil {
			return Failure(fmt.Errorf("copy record: %w", err))
		}
		what, text = "record (JSON)", string(line)
	case key.Matches(msg, k.CopyKey):
		what, text = "key", string(r.Key)
	case key.Matches(msg, k.CopyVal):
		what, text = "value", string(r.Value)
	case key.Matches(msg, k.CopyHdrs):
		b, err := json.Marshal(kafka.ToJSON(*r).Headers)
		if err != nil {
			return Failure(fmt.Errorf("copy headers: %w", err))
		}
		what, text = "headers (JSON)", string(b)
	default:
		return nil
	}
	note := fmt.Sprintf("copied the %s of %d@%d (%s) to the clipboard", what, r.Partition, r.Offset, tailSize(len(text)))
	if what == "value" && r.Truncated() {
		note += "; it was cut at the size cap"
	}
	return tea.Batch(tea.SetClipboard(text), Notice(note))
}
