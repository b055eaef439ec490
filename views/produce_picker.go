package views

import (
	"fmt"
	"strings"

	"kflow/template"
	"kflow/text"
)

// templatePicker chooses what to fill the form from: a built-in
// template or one of the last sends.
type templatePicker struct {
	items  []pickItem
	chosen int
}

type pickItem struct {
	title   string
	about   string
	spec    template.RecordSpec
	count   int
	rate    float64
	history bool // a history entry also sets topic, partition, count, rate
}

func newTemplatePicker(history []template.HistoryEntry) *templatePicker {
	p := &templatePicker{}
	for _, t := range template.Builtins() {
		p.items = append(p.items, pickItem{title: t.Name, about: t.About, spec: t.Spec})
	}
	for _, h := range history {
		about := text.OneLine(h.Spec.Value)
		if h.Spec.Key != nil {
			about = "key " + text.OneLine(*h.Spec.Key) + " · " + about
		}
		if h.Count > 1 {
			about = fmt.Sprintf("×%s · %s", text.Count(int64(h.Count)), about)
		}
		p.items = append(p.items, pickItem{
			title: h.At.Format("01-02 15:04") + " " + h.Spec.Topic, about: about,
			spec: h.Spec, count: h.Count, rate: h.Rate, history: true,
		})
	}
	return p
}

func (p *templatePicker) move(d int) {
	n := len(p.items)
	p.chosen = (p.chosen + d + n) % n
}

func (v *Produce) pickerView() string {
	th, p := v.c.Theme, v.picker
	w := max(30, min(90, v.width-6))
	var b strings.Builder
	b.WriteString(th.OverlayTitle.Render("Start from") + "\n")
	show := max(3, v.height-6)
	start := max(0, p.chosen-show+1)
	history := false
	for i := start; i < len(p.items) && i < start+show; i++ {
		it := p.items[i]
		if it.history && !history {
			history = true
			b.WriteString(th.Muted.Render("last sends") + "\n")
		}
		line := clip(fmt.Sprintf("%-20s %s", clip(it.title, 20), it.about), w)
		line += strings.Repeat(" ", max(0, w-len([]rune(line))))
		if i == p.chosen {
			b.WriteString(th.Chosen.Render(line))
		} else {
			b.WriteString(th.Text.Render(line))
		}
		b.WriteString("\n")
	}
	if !history {
		b.WriteString(th.Muted.Render("no sends in the history yet") + "\n")
	}
	b.WriteString(th.Muted.Render("enter fills the form · esc closes"))
	return th.Overlay.Render(b.String())
}
