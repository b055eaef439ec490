package views

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"kflow/template"
)

// Focus slots: the fixed fields, then one per header row, then count and
// rate.
const (
	slotTopic = iota
	slotPartition
	slotKey
	slotValue
	slotHeaders // first header row
)

func (v *Produce) slotCount() int      { return slotHeaders + len(v.headers) + 2 }
func (v *Produce) slotCountField() int { return slotHeaders + len(v.headers) }
func (v *Produce) slotRate() int       { return slotHeaders + len(v.headers) + 1 }

// headerAt returns the header row of slot, or -1.
func (v *Produce) headerAt(slot int) int {
	if slot >= slotHeaders && slot < slotHeaders+len(v.headers) {
		return slot - slotHeaders
	}
	return -1
}

func (v *Produce) slotName(slot int) string {
	switch slot {
	case slotTopic:
		return "topic"
	case slotPartition:
		return "partition"
	case slotKey:
		return "key"
	case slotValue:
		return "value"
	case v.slotCountField():
		return "count"
	case v.slotRate():
		return "rate"
	}
	return fmt.Sprintf("header %d", v.headerAt(slot)+1)
}

// input returns the single-line input of slot, nil for the value.
func (v *Produce) input(slot int) *textinput.Model {
	switch slot {
	case slotTopic:
		return &v.topic
	case slotPartition:
		return &v.partition
	case slotKey:
		return &v.key
	case slotValue:
		return nil
	case v.slotCountField():
		return &v.count
	case v.slotRate():
		return &v.rate
	}
	return &v.headers[v.headerAt(slot)]
}

// focus gives the keyboard to the focused slot.
func (v *Produce) focus() tea.Cmd {
	v.value.Blur()
	for _, in := range v.inputs() {
		in.Blur()
	}
	if v.focused == slotValue {
		return v.value.Focus()
	}
	return v.input(v.focused).Focus()
}

func (v *Produce) move(d int) tea.Cmd {
	n := v.slotCount()
	v.focused = (v.focused + d + n) % n
	return v.focus()
}

// formKey handles a key while the form is being filled.
func (v *Produce) formKey(msg tea.KeyPressMsg) tea.Cmd {
	k := v.keys
	slot := v.focused
	switch {
	case key.Matches(msg, k.Send):
		return v.submit()
	case key.Matches(msg, k.Templates):
		v.picker = newTemplatePicker(v.history)
		return nil
	case key.Matches(msg, k.Schema):
		return v.openSchemaPicker()
	case key.Matches(msg, k.JSON):
		v.json = !v.json
		v.check()
		return nil
	case key.Matches(msg, k.Next):
		if slot == slotTopic && v.completeTopic() {
			return nil
		}
		return v.move(1)
	case key.Matches(msg, k.Prev):
		return v.move(-1)
	case key.Matches(msg, k.RemoveHeader) && v.headerAt(slot) >= 0:
		v.removeHeader(v.headerAt(slot))
		v.check()
		return v.focus()
	case msg.String() == "enter" && v.headerAt(slot) >= 0:
		v.addHeader(v.headerAt(slot) + 1)
		return v.focus()
	case msg.String() == "enter" && slot == v.slotRate():
		return v.submit()
	case msg.String() == "enter" && slot != slotValue:
		return v.move(1)
	case slot == slotValue && msg.String() == "up" && v.value.Line() == 0:
		return v.move(-1)
	case slot == slotValue && msg.String() == "down" && v.value.Line() >= v.value.LineCount()-1:
		return v.move(1)
	case slot != slotValue && slot != slotTopic && (msg.String() == "up" || msg.String() == "down"):
		if msg.String() == "up" {
			return v.move(-1)
		}
		return v.move(1)
	}
	var cmd tea.Cmd
	if slot == slotValue {
		v.value, cmd = v.value.Update(msg)
	} else {
		in := v.input(slot)
		*in, cmd = in.Update(msg)
	}
	v.check()
	return cmd
}

// completeTopic completes the topic from the cluster's list; false when
// there was nothing to complete.
func (v *Produce) completeTopic() bool {
	s := v.topic.CurrentSuggestion()
	if s == "" || s == v.topic.Value() {
		return false
	}
	v.topic.SetValue(s)
	v.topic.CursorEnd()
	v.check()
	return true
}

func (v *Produce) addHeader(at int) {
	in := v.newInput("key=value")
	in.SetWidth(v.topic.Width())
	v.headers = append(v.headers[:at], append([]textinput.Model{in}, v.headers[at:]...)...)
	v.focused = slotHeaders + at
}

func (v *Produce) removeHeader(i int) {
	if len(v.headers) == 1 {
		v.headers[0].SetValue("")
		return
	}
	v.headers = append(v.headers[:i], v.headers[i+1:]...)
	if v.headerAt(v.focused) < 0 {
		v.focused = slotHeaders + len(v.headers) - 1
	}
}

// apply fills the form from a template or a history entry; topic,
// partition, count and rate only when withTarget.
func (v *Produce) apply(s template.RecordSpec, count int, rate float64, withTarget bool) {
	if withTarget {
		if s.Topic != "" {
			v.topic.SetValue(s.Topic)
		}
		v.partition.SetValue("")
		if s.Partition >= 0 {
			v.partition.SetValue(strconv.Itoa(int(s.Partition)))
		}
		v.count.SetValue("")
		if count > 1 {
			v.count.SetValue(strconv.Itoa(count))
		}
		v.rate.SetValue("")
		if rate > 0 {
			v.rate.SetValue(strconv.FormatFloat(rate, 'f', -1, 64))
		}
	}
	v.key.SetValue("")
	if s.Key != nil {
		v.key.SetValue(*s.Key)
	}
	v.value.SetValue(s.Value)
	v.value.MoveToBegin()
	v.headers = nil
	for _, h := range s.Headers {
		in := v.newInput("key=value")
		in.SetValue(h.Key + "=" + h.Value)
		v.headers = append(v.headers, in)
	}
	if len(v.headers) == 0 {
		v.headers = []textinput.Model{v.newInput("key=value")}
	}
	v.json = s.JSON
	v.SetSize(v.width, v.height)
	v.check()
}

// spec reads the form as typed, without checking it.
func (v *Produce) spec() template.RecordSpec {
	s := template.RecordSpec{Topic: strings.TrimSpace(v.topic.Value()), Partition: -1, Value: v.value.Value(), JSON: v.json}
	if k := v.key.Value(); k != "" {
		s.Key = &k
	}
	if n, err := strconv.Atoi(strings.TrimSpace(v.partition.Value())); err == nil {
		s.Partition = int32(n)
	}
	for _, h := range v.headers {
		if hk, hv, ok := strings.Cut(h.Value(), "="); ok {
			s.Headers = append(s.Headers, template.HeaderSpec{Key: hk, Value: hv})
		}
	}
	return s
}
